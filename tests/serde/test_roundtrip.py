"""Property tests: JSON round trips are lossless to the fen and the microsecond."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st
from serde_strategies import offsets, registers

from assetreg.adapters.serde import (
    dump_register,
    dumps,
    from_payload,
    load_register,
    loads,
    to_payload,
)
from assetreg.adapters.serde.fields import MoneyField, UtcDateTimeField
from assetreg.domain.money import Money
from assetreg.domain.rights import OwnerShare

if TYPE_CHECKING:
    from assetreg.domain.register import AssetRegister

FAST = settings(max_examples=40, deadline=None)
QUICK = settings(max_examples=20, deadline=None)


@FAST
@given(registers())
def test_register_json_text_round_trip_is_lossless(register: AssetRegister) -> None:
    text = dumps(register, reveal_personal_data=True)
    back = loads(text, "register")
    assert back == register
    # the same text again: nothing was normalised away or added
    assert dumps(back, reveal_personal_data=True) == text
    for asset_id, history in register.histories.items():
        for before, after in zip(history.events, back.histories[asset_id].events, strict=True):
            assert after.recorded_at == before.recorded_at
            assert after.recorded_at.microsecond == before.recorded_at.microsecond
            assert after.recorded_at.utcoffset() == timedelta(0)
            assert type(after) is type(before)


@QUICK
@given(registers())
def test_dump_register_payload_is_plain_json_and_loads_back(register: AssetRegister) -> None:
    payload = dump_register(register, reveal_personal_data=True)
    assert payload["schema"] == "assetreg/register"
    assert payload["version"] == 1
    # only JSON types, never a float
    text = json.dumps(payload, allow_nan=False)
    assert "float" not in text
    _assert_no_float(payload)
    assert load_register(payload) == register
    assert load_register(text) == register


def _assert_no_float(value: object) -> None:
    assert not isinstance(value, float)
    if isinstance(value, dict):
        for item in value.values():
            _assert_no_float(item)
    elif isinstance(value, list):
        for item in value:
            _assert_no_float(item)


@QUICK
@given(registers())
def test_every_event_round_trips_alone(register: AssetRegister) -> None:
    for history in register.histories.values():
        for event in history.events:
            assert from_payload(to_payload(event), "event") == event
            assert loads(dumps(event)) == event


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_is_yuan_text_with_two_places_and_exact(fen: int) -> None:
    field = MoneyField()
    text = field.serialize("v", {"v": Money(fen)})
    whole, _, cents = text.lstrip("-").partition(".")
    assert len(cents) == 2
    assert int(whole) * 100 + int(cents) == abs(fen)
    assert field.deserialize(text) == Money(fen)


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=1))
def test_fraction_text_round_trip(value: Fraction) -> None:
    share = OwnerShare("V1", value)
    back = from_payload(to_payload(share))
    assert back == share
    assert back.share == value


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),  # noqa: DTZ001 - naive bounds, offsets added below
    offsets,
)
def test_instants_keep_the_microsecond_in_any_offset(naive: datetime, tz: object) -> None:
    instant = naive.replace(tzinfo=tz)  # type: ignore[arg-type]
    field = UtcDateTimeField()
    text = field.serialize("t", {"t": instant})
    assert text.endswith("Z")
    assert len(text) == len("2024-01-05T03:04:05.000001Z")
    back = field.deserialize(text)
    assert back == instant
    assert back.tzinfo is UTC
    # the same instant written with its original offset loads to the same value
    assert field.deserialize(instant.isoformat()) == instant


@QUICK
@given(registers(), st.dates(min_value=date(2014, 1, 1), max_value=date(2035, 12, 31)))
def test_folded_states_round_trip(register: AssetRegister, as_of: date) -> None:
    for state in register.states(as_of=as_of):
        assert from_payload(to_payload(state), "asset_state") == state
        if state.disposal is not None:
            assert loads(dumps(state.disposal), "disposal_record") == state.disposal
