"""Every error class's ``as_dict()`` is JSON, whatever values the raise site put in its fields.

A county service returns ``error.as_dict()`` as its response body, so ``json.dumps`` must
never fail: Money, Fraction, Decimal, dates, enums, sets, tuples, nested mappings and
objects without a JSON form all become text, whole numbers, lists or objects.
"""

from __future__ import annotations

import inspect
import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

import assetreg.errors as errors_module
from assetreg.domain.assets import AssetId
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.vocab import AssetStatus
from assetreg.errors import AssetRegError, Category, NotYetKnown, UnknownAsset

ERROR_CLASSES = sorted(
    (
        cls
        for _, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, AssetRegError) and cls.__module__ == errors_module.__name__
    ),
    key=lambda cls: cls.code,
)


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


def _awkward() -> dict:
    return {
        "money": Money(123_45),
        "share": Fraction(1, 3),
        "amount": Decimal("12.30"),
        "day": date(2025, 3, 1),
        "instant": datetime(2025, 3, 1, 2, tzinfo=UTC),
        "status": AssetStatus.IDLE,
        "ids": {"b", "a"},
        "pair": (1, Fraction(2, 3)),
        "nested": {"inner": [Money(1), {Decimal("0.5"): _Opaque()}]},
        "nothing": None,
        "flag": True,
        "rate": 0.5,
        "raw": b"\x00",
    }


def test_the_error_classes_are_all_found_and_coded() -> None:
    table = dict(re.findall(r"^(AR-\d{3})\s+(\w+)\s", errors_module.__doc__ or "", flags=re.MULTILINE))
    found = {cls.code: cls.__name__ for cls in ERROR_CLASSES if cls is not AssetRegError}
    assert found == table  # every class of the module's table, each code once
    assert len(table) > 25
    assert {cls.category for cls in ERROR_CLASSES} == set(Category)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: f"{cls.code}-{cls.__name__}")
def test_as_dict_is_json_for_every_error_class(cls: type[AssetRegError]) -> None:
    error = cls(
        "english",
        "中文",
        record=AssetId("HN-PV-001"),
        field="amount",
        row=7,
        expected=Money(100),
        actual=Fraction(1, 3),
        details=_awkward(),
    )
    document = json.loads(json.dumps(error.as_dict(), ensure_ascii=False))
    assert document["code"] == cls.code
    assert document["category"] == cls.category.value
    assert (document["message_en"], document["message_zh"]) == ("english", "中文")
    assert (document["record"], document["row"], document["field"]) == ("HN-PV-001", 7, "amount")
    assert (document["expected"], document["actual"]) == (str(Money(100)), "1/3")
    details = document["details"]
    assert details["share"] == "1/3"
    assert details["amount"] == "12.30"
    assert details["day"] == "2025-03-01"
    assert details["instant"] == "2025-03-01T02:00:00+00:00"
    assert details["status"] == "idle"
    assert details["ids"] == ["a", "b"]
    assert details["pair"] == [1, "2/3"]
    assert details["nested"] == {"inner": [str(Money(1)), {"0.5": "<opaque>"}]}
    assert (details["nothing"], details["flag"], details["rate"], details["raw"]) == (None, True, "0.5", "b'\\x00'")


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_as_dict_with_only_messages(cls: type[AssetRegError]) -> None:
    document = json.loads(json.dumps(cls("e", "z").as_dict()))
    assert document == {
        "code": cls.code,
        "category": cls.category.value,
        "message_en": "e",
        "message_zh": "z",
        "record": None,
        "row": None,
        "field": None,
        "expected": None,
        "actual": None,
        "details": {},
    }


def test_a_state_asked_before_the_first_record_is_not_yet_known() -> None:
    from sql.builders import registered

    first = registered("A1")
    history = AssetHistory(AssetId("A1"), (first,))
    with pytest.raises(NotYetKnown) as info:
        history.state(as_of=date(2024, 1, 1), known_at=datetime(2020, 1, 1, tzinfo=UTC))
    error = info.value
    assert isinstance(error, UnknownAsset)
    assert (error.code, error.category.value, error.field) == ("AR-207", "not_found", "known_at")
    assert (error.actual, error.expected) == ("2020-01-01T00:00:00+00:00", f">= {first.recorded_at.isoformat()}")
    json.dumps(error.as_dict())
    with pytest.raises(UnknownAsset) as missing:  # known, but not yet registered on that day
        history.state(as_of=date(2019, 1, 1))
    assert type(missing.value) is UnknownAsset
