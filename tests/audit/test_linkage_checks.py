"""Guaranteed purchase (保底收购), issue 17: the contract term, purchase records, AUD-621/622.

Synthetic figures (no public county document with purchase-by-purchase records was found):
a cold store's operator commits to buy 马铃薯 from households H-1 (2,000 kg) and H-2
(1,000 kg) in the 2024 season [2024-08-01, 2024-12-01) at a floor price of 1.20 元/kg.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from audit_builders import AS_OF, PARTIES, POLICY, at, contract, eid, good_pv

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId
from assetreg.domain.events import PurchaseRecorded
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.purchase import PurchaseCommitment, PurchaseGuarantee
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import ContractId, ContractTerms
from assetreg.errors import InvalidAmount, InvalidValue

SEASON = Period(date(2024, 8, 1), date(2024, 12, 1))


def guarantee() -> PurchaseGuarantee:
    return PurchaseGuarantee(
        product="马铃薯",
        unit="kg",
        floor_price=Money.yuan("1.20"),
        season=SEASON,
        commitments=(
            PurchaseCommitment(household=PartyId("H-1"), quantity=Decimal(2000)),
            PurchaseCommitment(household=PartyId("H-2"), quantity=Decimal(1000)),
        ),
    )


def bought(household: str, kg: str, price: str, on: date, product: str = "马铃薯") -> PurchaseRecorded:
    return PurchaseRecorded(
        asset_id=AssetId("PV-1"),
        effective=on,
        recorded_at=at(on),
        event_id=eid(),
        contract_id=ContractId("C-G"),
        household=PartyId(household),
        product=product,
        quantity=Decimal(kg),
        unit_price=Money.yuan(price),
    )


def register(*purchases: tuple) -> AuditBooks:
    terms = ContractTerms(fixed_rent=Money.yuan("5000"), purchase_guarantees=(guarantee(),))
    events = [*good_pv(), contract("PV-1", "C-G", terms=terms)]
    events += [bought(*p) for p in purchases]
    return AuditBooks(register=AssetRegister.of(PARTIES, events))


def run(code: str, books: AuditBooks, as_of: date = AS_OF) -> tuple:
    return run_checks(books, as_of=as_of, policy=POLICY, checks=[check_by_code(code)])


def test_aud621_a_purchase_below_the_floor_price():
    books = register(("H-1", "1500", "1.10", date(2024, 9, 20)), ("H-2", "1000", "1.20", date(2024, 9, 20)))
    low = books.register.history(AssetId("PV-1")).events[-2]
    found = run("AUD-621", books)
    assert [(f.subject, f.severity.value, f.evidence["household"]) for f in found] == [("PV-1", "error", "H-1")]
    (finding,) = found
    assert (finding.evidence["unit_price"], finding.evidence["floor_price"], finding.evidence["short_per_unit"]) == (
        "1.10",
        "1.20",
        "0.10",
    )
    assert finding.evidence["event_id"] == low.event_id
    assert finding.message_zh == (
        "资产 PV-1：2024-09-20 向 H-1 收购马铃薯单价 1.10元/kg，低于合同 C-G 约定保底价 1.20元/kg"
    )


def test_aud621_quiet_at_or_above_the_floor_and_outside_the_guarantee():
    purchases = (
        ("H-1", "2000", "1.20", date(2024, 9, 20)),
        ("H-2", "1000", "1.35", date(2024, 9, 20)),
        ("H-2", "100", "0.80", date(2024, 12, 1)),  # after the season: not guaranteed
        ("H-2", "100", "0.80", date(2024, 9, 21), "玉米"),  # no guarantee for it
    )
    assert run("AUD-621", register(*purchases)) == ()


def test_aud622_a_household_bought_short_of_its_commitment():
    purchases = (
        ("H-1", "1500", "1.20", date(2024, 9, 20)),
        ("H-1", "300.5", "1.25", date(2024, 11, 30)),
        ("H-1", "400", "1.25", date(2024, 12, 1)),  # after the season: does not count
        ("H-2", "1000", "1.20", date(2024, 10, 8)),
    )
    found = run("AUD-622", register(*purchases))
    assert [
        (f.evidence["household"], f.evidence["committed"], f.evidence["bought"], f.evidence["short"]) for f in found
    ] == [("H-1", "2000", "1800.5", "199.5")]
    assert found[0].message_en == (
        "asset PV-1: contract C-G committed to buy 2000 kg of 马铃薯 from H-1 in [2024-08-01–2024-12-01), "
        "bought 1800.5, short 199.5"
    )


def test_aud622_quiet_while_the_season_runs_and_when_the_commitment_is_met():
    books = register(("H-1", "2000", "1.20", date(2024, 9, 20)))
    assert run("AUD-622", books, as_of=date(2024, 11, 30)) == ()
    met = register(("H-1", "2000", "1.20", date(2024, 9, 20)), ("H-2", "1000.0", "1.2", date(2024, 10, 1)))
    assert run("AUD-622", met) == ()


def test_bad_guarantees_and_purchases_are_refused():
    with pytest.raises(InvalidValue) as err:
        PurchaseCommitment(household=PartyId("H-1"), quantity=Decimal(0))
    assert (err.value.record, err.value.field) == ("H-1", "quantity")
    with pytest.raises(InvalidValue):
        PurchaseCommitment(household=PartyId("H-1"), quantity=2000.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount) as amount:
        PurchaseGuarantee(product="马铃薯", unit="kg", floor_price=Money(0), season=SEASON)
    assert amount.value.field == "floor_price"
    twice = PurchaseCommitment(household=PartyId("H-1"), quantity=Decimal(1))
    with pytest.raises(InvalidValue) as dup:
        PurchaseGuarantee(
            product="马铃薯", unit="kg", floor_price=Money(120), season=SEASON, commitments=(twice, twice)
        )
    assert (dup.value.field, dup.value.actual) == ("commitments", "H-1")
    with pytest.raises(InvalidValue) as neg:
        bought("H-1", "-5", "1.20", date(2024, 9, 20))
    assert (neg.value.record, neg.value.field) == ("PV-1", "quantity")
    with pytest.raises(InvalidAmount):
        bought("H-1", "5", "-1.20", date(2024, 9, 20))
    assert guarantee().committed("H-2") == Decimal(1000)
    assert guarantee().committed("H-9") == Decimal(0)
