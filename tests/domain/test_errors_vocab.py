"""Error codes and messages; the closed vocabularies and their Chinese labels."""

from __future__ import annotations

import enum

import pytest

from assetreg import errors
from assetreg.domain import vocab
from assetreg.domain.vocab import AssetClass, AssetStatus, FundingSource, HouseholdStatus, PaymentFrequency
from assetreg.errors import AssetRegError, IllegalTransition, InvalidAmount


def _error_classes() -> list[type[AssetRegError]]:
    found = [getattr(errors, name) for name in errors.__all__]
    return [obj for obj in found if isinstance(obj, type) and issubclass(obj, Exception)]


class TestErrors:
    def test_codes_are_unique_and_stable(self) -> None:
        codes = {cls.__name__: cls.code for cls in _error_classes()}
        assert len(set(codes.values())) == len(codes)
        assert codes["InvalidAmount"] == "AR-101"
        assert codes["InvalidCode"] == "AR-102"
        assert codes["InvalidShares"] == "AR-103"
        assert codes["IllegalTransition"] == "AR-201"
        assert codes["PolicyError"] == "AR-300"
        assert codes["ConcurrencyError"] == "AR-501"
        assert codes["ScopeViolation"] == "AR-502"
        for cls in _error_classes():
            assert issubclass(cls, AssetRegError)

    def test_message_and_fields(self) -> None:
        error = InvalidAmount(
            "has more places than a fen can hold",
            "小数位超过分",
            record="HN-PV-001",
            field="original_value",
            row=7,
            expected="2 places",
            actual="12.345",
        )
        assert str(error) == (
            "AR-101 has more places than a fen can hold / 小数位超过分 "
            "[record='HN-PV-001', row=7, field='original_value', expected='2 places', actual='12.345']"
        )
        assert error.message() == "has more places than a fen can hold"
        assert error.message("zh") == "小数位超过分"
        assert error.as_dict() == {
            "code": "AR-101",
            "category": "invalid",
            "message_en": "has more places than a fen can hold",
            "message_zh": "小数位超过分",
            "record": "HN-PV-001",
            "row": 7,
            "field": "original_value",
            "expected": "2 places",
            "actual": "12.345",
            "details": {},
        }

    def test_bare_error_and_hierarchy(self) -> None:
        error = IllegalTransition("no", "不行", details={"from": "planned"})
        assert str(error) == "AR-201 no / 不行"
        assert error.as_dict()["details"] == {"from": "planned"}
        assert isinstance(error, errors.HistoryError)
        assert isinstance(errors.UnknownAsset("x", "x"), LookupError)
        assert isinstance(errors.InvalidCode("x", "x"), ValueError)


LABELLED = [
    obj
    for obj in vars(vocab).values()
    if isinstance(obj, type)
    and issubclass(obj, enum.Enum)
    and obj.__module__ == vocab.__name__
    and obj.__name__ != "_Labelled"
]


class TestVocabulary:
    @pytest.mark.parametrize("kind", LABELLED, ids=lambda k: k.__name__)
    def test_every_member_has_a_label_and_reads_back(self, kind: type[enum.Enum]) -> None:
        for member in kind:
            label = member.label_zh  # type: ignore[attr-defined]
            assert label.strip()
            assert kind.from_label(member.value) is member  # type: ignore[attr-defined]
            assert kind.from_label(member.name) is member  # type: ignore[attr-defined]
            assert kind.from_label(f" {label} ") is member  # type: ignore[attr-defined]
        values = [m.value for m in kind]
        assert all(v == v.lower() for v in values)
        assert len(set(values)) == len(values)

    def test_aliases_and_unknowns(self) -> None:
        assert AssetClass.from_label("公益性") is AssetClass.PUBLIC_WELFARE
        assert AssetStatus.from_label("正常使用") is AssetStatus.IN_USE
        assert FundingSource.from_label("衔接资金") is FundingSource.LINKAGE_FUND
        assert HouseholdStatus.from_label("监测户") is HouseholdStatus.MONITORED
        with pytest.raises(ValueError, match="unknown value"):
            AssetClass.from_label("私有")

    def test_payment_months(self) -> None:
        assert [f.months for f in PaymentFrequency] == [1, 3, 6, 12, None]
