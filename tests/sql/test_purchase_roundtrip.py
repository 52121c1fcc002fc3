"""A guaranteed-purchase term, purchase records (保底收购) and evidence (issue 17) round-trip exactly
through the JSON payloads and every store (memory, SQLite, PostgreSQL, MariaDB).

Synthetic figures: 1.20 元/kg floor for 马铃薯, 2,000 kg committed to H-1, 1,800.5 kg bought.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from assetreg.adapters.serde import dump_register, load_register
from assetreg.audit.chain import canonical_event, canonical_record
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import AssetRegistered, ContractSigned, EvidenceAttached, PurchaseRecorded
from assetreg.domain.evidence import Evidence, EvidenceKind, content_hash
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.purchase import PurchaseCommitment, PurchaseGuarantee
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import ContractId, ContractTerms, OperatingContract
from assetreg.domain.vocab import AssetClass, AssetKind, FundingSource, HouseholdStatus, LaborCapacity, OperationMode
from assetreg.income import RosterHousehold

CS = AssetId("CS-1")
SEASON = Period(date(2024, 8, 1), date(2024, 12, 1))


def _at(n: int) -> datetime:
    return datetime(2025, 1, 1, n, tzinfo=UTC)


def _events() -> list:
    value = Money.yuan("800000")
    asset = Asset(
        id=CS,
        name="马铃薯冷库",
        asset_class=AssetClass.OPERATING,
        kind=AssetKind.COLD_STORE,
        location=AdminCode("620422100201"),
        original_value=value,
        funding=(FundingLine(FundingSource.LINKAGE_FUND, value),),
        project=Project(code="P-CS-1", name="冷库项目", year=2022),
    )
    guarantee = PurchaseGuarantee(
        product="马铃薯",
        unit="kg",
        floor_price=Money.yuan("1.20"),
        season=SEASON,
        commitments=(PurchaseCommitment(household=PartyId("H-1"), quantity=Decimal(2000)),),
    )
    contract = OperatingContract(
        id=ContractId("C-G"),
        asset_id=CS,
        operator=PartyId("ENT-1"),
        mode=OperationMode.LEASE,
        term=Period(date(2023, 1, 1), date(2028, 1, 1)),
        terms=ContractTerms(fixed_rent=Money.yuan("30000"), purchase_guarantees=(guarantee,)),
    )
    return [
        AssetRegistered(asset_id=CS, effective=date(2022, 12, 1), recorded_at=_at(1), event_id="e1", asset=asset),
        ContractSigned(asset_id=CS, effective=date(2023, 1, 1), recorded_at=_at(2), event_id="e2", contract=contract),
        PurchaseRecorded(
            asset_id=CS,
            effective=date(2024, 9, 20),
            recorded_at=_at(3),
            event_id="e3",
            contract_id=ContractId("C-G"),
            household=PartyId("H-1"),
            product="马铃薯",
            quantity=Decimal("1800.5"),
            unit_price=Money.yuan("1.25"),
            document="收购凭证 2024-017",
        ),
        EvidenceAttached(
            asset_id=CS,
            effective=date(2024, 9, 21),
            recorded_at=_at(4),
            event_id="e4",
            for_event="e3",
            documents=(
                Evidence(
                    kind=EvidenceKind.OTHER,
                    number="收购凭证 2024-017",
                    issued_on=date(2024, 9, 20),
                    issuer="冷库运营企业",
                    sha256=content_hash(b"abc"),
                    kept_at="村档案室 2024-盒3",
                ),
            ),
        ),
    ]


def test_the_payload_round_trip_is_exact():
    register = AssetRegister.of((), _events())
    assert load_register(dump_register(register)) == register


@pytest.fixture
def store(store):
    """The backend without referential checks: H-1 and ENT-1 are not stored here."""
    return store.legacy()


def test_the_store_round_trip_is_exact(store):
    events = _events()
    with store.uow() as uow:
        assert uow.assets.append(CS, events, expected_version=0) == 4
        uow.commit()
    with store.uow() as uow:
        history = uow.assets.get(CS)
    assert list(history.events) == events
    (purchase,) = (e for e in history.events if isinstance(e, PurchaseRecorded))
    assert (purchase.kind, purchase.quantity, purchase.unit_price) == (
        "purchase_recorded",
        Decimal("1800.5"),
        Money(125),
    )
    signed = history.events[1]
    assert signed.contract.terms.purchase_guarantees[0].commitments[0].quantity == Decimal(2000)


def test_fields_added_later_keep_earlier_hashes():
    # a contract and a roster household without the new fields hash as they did before them
    signed = _events()[1]
    plain = attrs.evolve(signed, contract=attrs.evolve(signed.contract, terms=ContractTerms(fixed_rent=Money(1))))
    assert b"purchase_guarantees" not in canonical_event(plain)
    assert b'"purchase_guarantees":[{"@type":"PurchaseGuarantee"' in canonical_event(signed)
    household = RosterHousehold(
        household_id="H-1", members=2, status=HouseholdStatus.LIFTED, labor_capacity=LaborCapacity.FULL
    )
    assert b"shares" not in canonical_record(household)
    assert b'"shares":"3/2"' in canonical_record(attrs.evolve(household, shares=Fraction(3, 2)))


def test_a_two_party_handover_round_trips_through_the_codec_and_the_payloads():
    from assetreg.adapters.serde import dumps, loads
    from assetreg.adapters.sql.codec import event_from_payload, event_payload
    from assetreg.domain.events import hand_over_project

    (handed,) = hand_over_project(
        [CS],
        effective=date(2022, 12, 20),
        recorded_at=_at(5),
        act_id="ACT-1",
        recipient=PartyId("VC-A"),
        giver=PartyId("TS-100"),
        accepted_on=date(2022, 12, 22),
        certificate_numbers={CS: "会确〔2022〕0110"},
        department="会宁县乡村振兴局",
    )
    columns = {
        "event_id": handed.event_id,
        "asset_id": handed.asset_id,
        "effective": handed.effective,
        "recorded_at": handed.recorded_at,
    }
    payload = event_payload(handed)
    assert (payload["giver"], payload["accepted_on"], payload["act_id"]) == ("TS-100", "2022-12-22", "ACT-1")
    assert event_from_payload("handed_over", payload, **columns) == handed
    assert loads(dumps(handed)) == handed
