"""The facade as a county service meets it (issue 16): every bad input is a coded ``AssetRegError``.

A service behind a web framework maps errors by ``category`` and shows ``message_en`` or
``message_zh`` next to ``field``. Here, without a framework, every public constructor and
parser of ``assetreg`` (the classes and parse functions of ``assetreg.__all__``, enumerated
from the facade) is given a float where money is expected, an unknown enum value, or a
malformed code or date; each refusal must carry a code, both messages and the field. Each
error category is then produced by a real call, and an out-of-scope read must look like a
missing asset.
"""

from __future__ import annotations

import enum
import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import assetreg
from assetreg import (
    AdminCode,
    Asset,
    AssetClass,
    AssetId,
    AssetKind,
    AssetRegError,
    AssetRegistered,
    AssetStatus,
    Category,
    ConcurrencyError,
    ContractTerms,
    CreditCode,
    CustodianAssigned,
    CustodyMethod,
    Deduction,
    DeductionKind,
    EscalationSchedule,
    Fixed,
    FundingLine,
    FundingSource,
    GuaranteedReturn,
    InvalidChoice,
    Money,
    OwnerShare,
    Ownership,
    PartyId,
    Period,
    PerPost,
    ResidentId,
    Revalued,
    ScopeViolation,
    StatusChanged,
    UnknownAsset,
    VillageCollective,
    parse_share,
)
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, metadata
from assetreg.domain.vocab import Vocabulary

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"^AR-\d{3}$")
T0 = datetime(2024, 1, 5, 2, 30, tzinfo=UTC)
TOWN_A = "620422100"  # a township of 会宁县 (Huining county, Gansu; GB/T 2260 code 620422)
TOWN_B = "620422200"

# The bad value given for each kind of field, by the annotation's type name.
BAD = {"Money": 12.5, "date": "2024-13-45", "datetime": "2024-01-05T02:30", "AdminCode": "62042X"}
UNKNOWN = "no-such-value"


def _assert_coded(error: AssetRegError, field: str | None) -> None:
    """The error has a code, an English and a Chinese message, the field, and JSON-safe details."""
    assert CODE.match(error.code), error.code
    assert error.message_en.strip()
    assert error.message_en != error.message_zh
    assert CJK.search(error.message_zh), error.message_zh
    assert error.field == field
    assert isinstance(error.category, Category)
    payload = json.loads(json.dumps(error.as_dict()))
    assert payload["field"] == field
    assert payload["code"] == error.code


def _facade() -> dict[str, Any]:
    return {name: getattr(assetreg, name) for name in sorted(assetreg.__all__)}


def _vocabularies() -> dict[str, type[enum.Enum]]:
    return {
        name: obj
        for name, obj in _facade().items()
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj is not Category
    }


def _typed_fields() -> list[tuple[str, str, str]]:
    """(class, field, type name) of every input field typed as a single Money, date, code or vocabulary."""
    vocabularies = _vocabularies()
    found = []
    for name, obj in _facade().items():
        if not (isinstance(obj, type) and attrs.has(obj)) or issubclass(obj, BaseException):
            continue
        for field in attrs.fields(obj):
            tokens = set(re.findall(r"\w+", str(field.type))) - {"None"}
            if not field.init or len(tokens) != 1:
                continue
            (token,) = tokens
            if (token in BAD or token in vocabularies) and (field.validator or field.converter):
                found.append((name, field.name, token))
    return found


TYPED_FIELDS = _typed_fields()


def test_the_enumeration_finds_the_facade_inputs() -> None:
    # the enumeration is not vacuous: it reaches the register, the events and the books
    names = {(cls, field) for cls, field, _ in TYPED_FIELDS}
    assert {
        ("FundingLine", "source"),
        ("AssetRegistered", "effective"),
        ("CustodianAssigned", "method"),
        ("RevenueEntry", "amount"),
        ("Payment", "amount"),
        ("Payment", "area"),
        ("Policy", "rounding"),
        ("Finding", "severity"),
    } <= names
    assert len(TYPED_FIELDS) >= 100  # 111 when written; a drop means fields lost their checks


def _run_field_checks(cls: type, field: attrs.Attribute[Any], bad: object) -> None:
    """Run the field's converter, then its validator, on ``bad`` (as the constructor does)."""
    value = field.converter(bad) if field.converter else bad  # type: ignore[operator]
    if field.validator:
        field.validator(object.__new__(cls), field, value)  # the checks only read the record id from it


@pytest.mark.parametrize(("cls_name", "field_name", "type_name"), TYPED_FIELDS)
def test_every_checked_field_refuses_a_bad_value_with_a_coded_error(
    cls_name: str, field_name: str, type_name: str
) -> None:
    """The field's own check (converter, then validator, as the constructor runs them) codes the refusal."""
    cls = getattr(assetreg, cls_name)
    with pytest.raises(AssetRegError) as caught:
        _run_field_checks(cls, attrs.fields_dict(cls)[field_name], BAD.get(type_name, UNKNOWN))
    _assert_coded(caught.value, field_name)
    if type_name in BAD:
        assert caught.value.category is Category.INVALID


@pytest.mark.parametrize("name", sorted(_vocabularies()))
def test_every_facade_vocabulary_refuses_an_unknown_value(name: str) -> None:
    vocabulary = _vocabularies()[name]
    assert issubclass(vocabulary, Vocabulary)
    with pytest.raises(InvalidChoice) as by_value:
        vocabulary(UNKNOWN)
    assert by_value.value.code == "AR-106"
    with pytest.raises(InvalidChoice) as parsed:
        vocabulary.parse(UNKNOWN, field="kind", record="620422-0000001")
    _assert_coded(parsed.value, "kind")
    assert parsed.value.record == "620422-0000001"
    allowed = parsed.value.details["allowed"]
    assert [entry["value"] if isinstance(entry, dict) else entry[0] for entry in allowed] == [
        str(member.value) for member in vocabulary
    ]


def _asset(**changes: Any) -> Asset:
    values: dict[str, Any] = {
        "id": AssetId("620422-0000001"),
        "name": "村级光伏扶贫电站",
        "asset_class": AssetClass.OPERATING,
        "kind": AssetKind.PV_STATION,
        "location": AdminCode(TOWN_A + "201"),
        "original_value": Money(851_650_000),
        "funding": (FundingLine(FundingSource.SPECIAL_POVERTY_FUND, Money(851_650_000)),),
        "completed_on": date(2019, 6, 30),
    }
    return Asset(**(values | changes))


def _registered(asset: Asset | None = None) -> AssetRegistered:
    asset = asset or _asset()
    return AssetRegistered(asset_id=asset.id, effective=date(2019, 7, 1), recorded_at=T0, asset=asset)


# Constructors whose checks run after the fields are set (``__attrs_post_init__``), called for real.
CONSTRUCTOR_CASES: list[tuple[str, Callable[[], object], str]] = [
    ("Asset money as float", lambda: _asset(original_value=8516500.0), "original_value"),
    ("Asset unknown kind", lambda: _asset(kind=UNKNOWN), "kind"),
    ("Asset malformed location", lambda: _asset(location="62042X"), "location"),
    ("Asset date as text", lambda: _asset(completed_on="2019-06-31"), "completed_on"),
    ("FundingLine money as float", lambda: FundingLine(FundingSource.SOCIAL_DONATION, 12.5), "amount"),
    ("FundingLine unknown source", lambda: FundingLine(UNKNOWN, Money(1)), "source"),
    (
        "Revalued money as float",
        lambda: Revalued(asset_id=AssetId("A1"), effective=date(2024, 1, 1), recorded_at=T0, book_value=1.5),
        "book_value",
    ),
    (
        "StatusChanged unknown status",
        lambda: StatusChanged(asset_id=AssetId("A1"), effective=date(2024, 1, 1), recorded_at=T0, status=UNKNOWN),
        "status",
    ),
    (
        "StatusChanged date as text",
        lambda: StatusChanged(asset_id=AssetId("A1"), effective="2024-02-30", recorded_at=T0, status=AssetStatus.IDLE),
        "effective",
    ),
    (
        "CustodianAssigned budget as float",
        lambda: CustodianAssigned(
            asset_id=AssetId("A1"),
            effective=date(2024, 1, 1),
            recorded_at=T0,
            custodian=PartyId("VC-1"),
            method=CustodyMethod.VILLAGE_COLLECTIVE,
            upkeep_budget=1200.0,
        ),
        "upkeep_budget",
    ),
    (
        "VillageCollective malformed code",
        lambda: VillageCollective(id=PartyId("VC-1"), name="张家村", admin_code="62042X"),
        "admin_code",
    ),
    ("ContractTerms rent as float", lambda: ContractTerms(fixed_rent=12000.0), "fixed_rent"),
    ("ContractTerms advance as float", lambda: ContractTerms(advance=1.5), "advance"),
    ("GuaranteedReturn amount as float", lambda: GuaranteedReturn(amount=1.5), "amount"),
    (
        "EscalationSchedule rate as float",
        lambda: EscalationSchedule(start_rate=1.5, step=Money(1), every_years=3),
        "start_rate",
    ),
    (
        "Ownership date as text",
        lambda: Ownership(
            asset_id=AssetId("A1"), holders=(OwnerShare(PartyId("VC-1"), Fraction(1)),), valid_from="2024-01-01"
        ),
        "valid_from",
    ),
    ("Deduction money as float", lambda: Deduction(kind=DeductionKind.TAXES, amount=1.5), "amount"),
    ("Fixed money as float", lambda: Fixed(amount=1.5), "amount"),
    ("PerPost money as float", lambda: PerPost(monthly=500.0), "monthly"),
    ("OwnerShare share as float", lambda: OwnerShare(PartyId("VC-1"), 0.5), "share"),
    ("Period date as text", lambda: Period(start="2024-01-01", end=date(2024, 12, 31)), "start"),
]


@pytest.mark.parametrize(("label", "build", "field"), CONSTRUCTOR_CASES, ids=[c[0] for c in CONSTRUCTOR_CASES])
def test_constructors_refuse_bad_input_with_a_coded_error(label: str, build: Callable[[], object], field: str) -> None:
    with pytest.raises(AssetRegError) as caught:
        build()
    _assert_coded(caught.value, field)
    assert caught.value.category is Category.INVALID, label


PARSER_CASES: list[tuple[str, Callable[[], object], str]] = [
    ("Money from float fen", lambda: Money(12.5), "fen"),  # type: ignore[arg-type]
    ("Money.yuan from float", lambda: Money.yuan(12.5, field="amount"), "amount"),  # type: ignore[arg-type]
    ("Money.wan from float", lambda: Money.wan(1.5, field="amount"), "amount"),  # type: ignore[arg-type]
    ("Money.parse malformed", lambda: Money.parse("12.3.4", field="amount"), "amount"),
    ("Money.parse too many places", lambda: Money.parse("12.345", field="amount"), "amount"),
    ("Money.yuan NaN", lambda: Money.yuan(Decimal("NaN"), field="amount"), "amount"),
    ("parse_share malformed", lambda: parse_share("two thirds", field="share"), "share"),
    ("AdminCode malformed", lambda: AdminCode("62042X"), "admin_code"),
    ("CreditCode malformed", lambda: CreditCode("91620422MA7XXXXXX"), "credit_code"),
    ("ResidentId malformed", lambda: ResidentId("62042219900101001"), "resident_id"),
]


@pytest.mark.parametrize(("label", "parse", "field"), PARSER_CASES, ids=[c[0] for c in PARSER_CASES])
def test_parsers_refuse_malformed_text_with_a_coded_error(label: str, parse: Callable[[], object], field: str) -> None:
    with pytest.raises(AssetRegError) as caught:
        parse()
    _assert_coded(caught.value, field)
    assert caught.value.category is Category.INVALID, label


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    made = create_engine_for(tmp_path / "county.db")
    metadata.create_all(made)
    with SqlUnitOfWork(made) as uow:
        uow.parties.put(VillageCollective(id=PartyId("VC-201"), name="张家村", admin_code=AdminCode(TOWN_A + "201")))
        uow.assets.append(AssetId("620422-0000001"), [_registered()], expected_version=0)
        other = _asset(id=AssetId("620422-0000002"), location=AdminCode(TOWN_B + "201"))
        uow.assets.append(other.id, [_registered(other)], expected_version=0)
        uow.commit()
    return made


def test_each_error_category_appears_from_a_real_call(engine: Any, tmp_path: Path) -> None:
    seen: dict[Category, str] = {}
    with pytest.raises(AssetRegError) as invalid:
        Money(12.5)  # type: ignore[arg-type]
    seen[invalid.value.category] = invalid.value.code
    with SqlUnitOfWork(engine) as uow:
        with pytest.raises(UnknownAsset) as missing:
            uow.assets.get(AssetId("620422-9999999"))
        seen[missing.value.category] = missing.value.code
        with pytest.raises(ConcurrencyError) as conflict:
            uow.assets.append(
                AssetId("620422-0000001"),
                [
                    StatusChanged(
                        asset_id=AssetId("620422-0000001"),
                        effective=date(2024, 3, 1),
                        recorded_at=T0,
                        status=AssetStatus.IDLE,
                    )
                ],
                expected_version=5,
            )
        seen[conflict.value.category] = conflict.value.code
    outside = _asset(id=AssetId("620422-0000003"), location=AdminCode(TOWN_B + "202"))
    with SqlUnitOfWork(engine, scope=TOWN_A) as clerk, pytest.raises(ScopeViolation) as forbidden:
        clerk.assets.append(outside.id, [_registered(outside)], expected_version=0)
    seen[forbidden.value.category] = forbidden.value.code
    with pytest.raises(AssetRegError) as unavailable:
        create_engine_for(tmp_path / "no-such-folder" / "county.db")
    seen[unavailable.value.category] = unavailable.value.code
    assert seen == {
        Category.INVALID: "AR-105",
        Category.NOT_FOUND: "AR-202",
        Category.CONFLICT: "AR-501",
        Category.FORBIDDEN: "AR-502",
        Category.UNAVAILABLE: "AR-507",  # DatabaseFileUnusable: the folder is missing
    }
    assert set(seen) == set(Category)
    for error in (invalid, missing, conflict, forbidden, unavailable):
        assert error.value.message_en.strip()
        assert CJK.search(error.value.message_zh)
        json.dumps(error.value.as_dict())


def test_an_out_of_scope_read_looks_like_a_missing_asset(engine: Any) -> None:
    with SqlUnitOfWork(engine, scope=TOWN_A) as clerk:
        assert clerk.assets.get(AssetId("620422-0000001")).asset_id == "620422-0000001"  # in scope: served
        with pytest.raises(AssetRegError) as hidden:
            clerk.assets.get(AssetId("620422-0000002"))  # stored, in township 200
        with pytest.raises(AssetRegError) as missing:
            clerk.assets.get(AssetId("620422-0000009"))  # never stored
    assert type(hidden.value) is type(missing.value) is UnknownAsset
    told = hidden.value.as_dict()
    assert told["record"] == "620422-0000002"
    renamed = {
        k: (str(v).replace("620422-0000002", "620422-0000009") if isinstance(v, str) else v) for k, v in told.items()
    }
    assert renamed == missing.value.as_dict()
    assert TOWN_B not in str(hidden.value)
