"""Hostile JSON: one PayloadError naming the paths, never a bare ValueError or RecursionError."""

from __future__ import annotations

import copy
import json

import pytest
from tests.serde.test_examples import PV_JSON

from assetreg.adapters.serde import from_payload, loads
from assetreg.errors import InvalidValue, PayloadError

GOOD = json.loads(PV_JSON)


def _with(**data: object) -> dict[str, object]:
    payload = copy.deepcopy(GOOD)
    payload["data"].update(data)
    return payload


def test_an_integer_beyond_pythons_digit_limit_is_a_payload_error() -> None:
    # Used to escape json.loads as a bare ValueError (4,300-digit int limit).
    with pytest.raises(PayloadError) as caught:
        loads(PV_JSON.replace('"1376400.00"', "9" * 5000, 1), "asset")
    assert list(caught.value.details["errors"]) == ["$"]
    assert caught.value.details["errors"]["$"][0].startswith("not JSON: Exceeds the limit")


def test_deeply_nested_json_is_a_payload_error() -> None:
    with pytest.raises(PayloadError) as caught:
        loads("[" * 100_000 + "]" * 100_000, "asset")
    assert caught.value.details["errors"] == {"$": ["not JSON: nested too deep / 不是有效 JSON：嵌套层数过多"]}


def test_amount_text_with_5000_digits_names_the_field() -> None:
    # Used to raise a bare ValueError from int() inside the money field.
    with pytest.raises(PayloadError) as caught:
        from_payload(_with(original_value="9" * 5000))
    assert caught.value.details["errors"] == {
        "data.original_value": [
            "5000 digits before the decimal point: not an amount (at most 64) / 整数部分有 5000 位：不是有效金额（最多 64 位）"
        ]
    }


def test_fraction_text_with_5000_digits_names_the_field() -> None:
    event = {
        "schema": "assetreg/event",
        "version": 1,
        "data": {"kind": "ownership_confirmed", "holders": [{"party_id": "V1", "share": "9" * 5000 + "/3"}]},
    }
    with pytest.raises(PayloadError) as caught:
        from_payload(event)
    assert "data.holders.0.share" in caught.value.details["errors"]


def test_unknown_type_name_is_a_coded_error() -> None:
    with pytest.raises(InvalidValue) as caught:
        loads(PV_JSON, "nope")
    assert caught.value.code == "AR-100"
    assert caught.value.field == "type_name"
    assert caught.value.actual == "nope"
