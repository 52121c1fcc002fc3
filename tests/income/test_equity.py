"""Members' quantified shares (折股量化) and distribution by equity, issue 17.

Public figures: 灵台县 柳家铺村 PV station (shared/data/real/published_projects.csv row 2,
pvnews.cn 2020-05-09): before 2019-06 its income went "70%平均分配给配股的61户贫困户, 20%用于
村集体经济发展, 10%留作日常管理费用" — 61 households allotted one share each (配股), income
"实现收益7.3万元". Applying that rule to the published 7.3万元 is a computed example (the
published cumulative 2.3/4.1/0.9 spans two rules and reconciles with neither, as the row's
note says). Figures marked synthetic are made up to exercise one rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, Purpose
from assetreg.errors import InvalidPeriod, InvalidValue, PlanRefused, UnknownReference
from assetreg.income import (
    Beneficiary,
    BeneficiaryKind,
    DistributionPlan,
    EquityHolderKind,
    EquityHolding,
    EquityRegister,
    Percent,
    RosterHousehold,
    RosterSnapshot,
    Selector,
    SplitMethod,
    Tier,
    equity_from_snapshots,
    run_plan,
)

AS_OF = date(2019, 5, 31)
AT = datetime(2019, 6, 1, 2, 0, tzinfo=UTC)


def _household(hid: str, shares: Fraction | int | None = None) -> Beneficiary:
    return Beneficiary(
        id=hid,
        kind=BeneficiaryKind.HOUSEHOLD,
        size=3,
        status=HouseholdStatus.LIFTED,
        labor_capacity=LaborCapacity.FULL,
        shares=shares,
    )


def _liujiapu_plan() -> DistributionPlan:
    # 柳家铺村 before 2019-06: 10 % upkeep, 20 % collective, 70 % to the 61 shareholder households
    return DistributionPlan(
        id="liujiapu-70-20-10",
        name="柳家铺村光伏收益分配（2019年6月前）",
        tiers=(
            Tier(
                name="日常管理费用",
                amount=Percent(Fraction(10, 100)),
                recipients=Selector.named("LJP-FUND"),
                purpose=Purpose.UPKEEP,
            ),
            Tier(
                name="配股贫困户分红",
                amount=Percent(Fraction(70, 100)),
                recipients=Selector.households(),
                split=SplitMethod.SHARES,
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
            Tier(
                name="村集体经济发展",
                amount=Percent(Fraction(20, 100)),
                recipients=Selector.named("LJP-C"),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
            ),
        ),
        remainder_to="LJP-C",
    )


def _liujiapu_register() -> EquityRegister:
    return EquityRegister(
        organisation="LJP-C",
        holdings=tuple(
            EquityHolding(holder_id=f"LJP-H{i:02d}", kind=EquityHolderKind.HOUSEHOLD, shares=1, since=date(2017, 1, 1))
            for i in range(1, 62)
        ),
    )


def test_liujiapu_61_shareholder_households_share_70_percent_to_the_fen() -> None:
    register = _liujiapu_register()
    assert register.total_on(AS_OF) == 61
    people = [_household(f"LJP-H{i:02d}") for i in range(1, 62)]
    payees = [
        *register.payees(people, AS_OF),
        Beneficiary.collective("LJP-C"),
        Beneficiary.reserve("LJP-FUND", "日常管理费用"),
    ]
    result = run_plan(_liujiapu_plan(), Money.parse("7.3万元"), payees, as_of=AS_OF)
    tiers = result.by_tier()
    assert tiers["日常管理费用"] == Money.yuan(7_300)
    assert tiers["配股贫困户分红"] == Money.yuan(51_100)
    assert tiers["村集体经济发展"] == Money.yuan(14_600)
    paid = result.by_beneficiary()
    # 5,110,000 fen / 61 = 83,770 rem 30: the 30 lowest ids (ties keyed by id) get one fen more
    assert [paid[f"LJP-H{i:02d}"] for i in (1, 30, 31, 61)] == [
        Money(83_771),
        Money(83_771),
        Money(83_770),
        Money(83_770),
    ]
    assert sum((paid[f"LJP-H{i:02d}"] for i in range(1, 62)), Money(0)) == Money.yuan(51_100)
    line = next(x for x in result.lines if x.beneficiary_id == "LJP-H01")
    assert (line.share, line.weight, line.basis) == (Fraction(1, 61), 1, "70% × 可分配收益 73000.00元，按股份 1/61")


def test_collective_share_and_members_shares_in_one_tier() -> None:
    # synthetic: 集体股 30 of 100 shares, members 45, 15, 10 (one of them through two persons)
    register = EquityRegister(
        organisation="V-C",
        holdings=(
            EquityHolding(holder_id="V-C", kind=EquityHolderKind.COLLECTIVE, shares=30, since=date(2020, 1, 1)),
            EquityHolding(holder_id="H1", kind=EquityHolderKind.HOUSEHOLD, shares=45, since=date(2020, 1, 1)),
            EquityHolding(holder_id="H2", kind=EquityHolderKind.HOUSEHOLD, shares=15, since=date(2020, 1, 1)),
            EquityHolding(
                holder_id="P3a", kind=EquityHolderKind.PERSON, shares=6, since=date(2020, 1, 1), household_id="H3"
            ),
            EquityHolding(
                holder_id="P3b", kind=EquityHolderKind.PERSON, shares=4, since=date(2020, 1, 1), household_id="H3"
            ),
        ),
    )
    day = date(2024, 12, 31)
    assert register.payee_shares_on(day) == {"V-C": 30, "H1": 45, "H2": 15, "H3": 10}
    payees = register.payees([_household("H1"), _household("H2"), _household("H3"), Beneficiary.collective("V-C")], day)
    plan = DistributionPlan(
        id="by-equity",
        name="按股分红",
        tiers=(
            Tier(
                name="股份分红",
                amount=Percent(Fraction(1)),
                recipients=Selector(kinds={BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.COLLECTIVE}),
                split=SplitMethod.SHARES,
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
        ),
        remainder_to="V-C",
    )
    result = run_plan(plan, Money(100_001), payees, as_of=day)
    # exact shares 30,000.3 / 45,000.45 / 15,000.15 / 10,000.1 fen: the one leftover fen goes
    # to the largest remainder, H1 (0.45)
    assert result.by_beneficiary() == {
        "V-C": Money(30_000),
        "H1": Money(45_001),
        "H2": Money(15_000),
        "H3": Money(10_000),
    }


def test_a_shares_split_refuses_a_payee_without_recorded_shares() -> None:
    payees = [_household("H1", 2), _household("H2"), Beneficiary.collective("C")]
    plan = DistributionPlan(
        id="p",
        name="按股分红",
        tiers=(
            Tier(
                name="股份分红",
                amount=Percent(Fraction(1)),
                recipients=Selector.households(),
                split=SplitMethod.SHARES,
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
        ),
        remainder_to="C",
    )
    with pytest.raises(PlanRefused) as err:
        run_plan(plan, Money(1_000), payees, as_of=AS_OF)
    assert (err.value.record, err.value.field, err.value.details) == (
        "H2",
        "shares",
        {"reason": "bad_split", "tier": "股份分红"},
    )


def test_a_change_closes_the_span_and_keeps_the_history() -> None:
    register = EquityRegister(organisation="V-C").change(effective=date(2021, 1, 1), holder_id="H1", shares=10)
    register = register.change(effective=date(2023, 1, 1), holder_id="H1", shares=Fraction(25, 2))
    register = register.change(effective=date(2024, 1, 1), holder_id="H1", shares=0, document="退股决议")
    assert [(h.shares, h.since, h.until) for h in register.holdings] == [
        (Fraction(10), date(2021, 1, 1), date(2023, 1, 1)),
        (Fraction(25, 2), date(2023, 1, 1), date(2024, 1, 1)),
    ]
    assert register.shares_on(date(2022, 6, 30)) == {"H1": 10}
    assert register.shares_on(date(2023, 6, 30)) == {"H1": Fraction(25, 2)}
    assert register.shares_on(date(2024, 1, 1)) == {}
    with pytest.raises(InvalidValue) as err:
        register.change(effective=date(2022, 1, 1), holder_id="H1", shares=3)
    assert err.value.field == "effective"


def test_bad_holdings_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue) as err:
        EquityHolding(holder_id="H1", kind=EquityHolderKind.HOUSEHOLD, shares=0, since=date(2020, 1, 1))
    assert (err.value.record, err.value.field) == ("H1", "shares")
    with pytest.raises(TypeError):
        EquityHolding(holder_id="H1", kind=EquityHolderKind.HOUSEHOLD, shares=0.5, since=date(2020, 1, 1))
    with pytest.raises(InvalidValue) as err:
        EquityHolding(holder_id="P1", kind=EquityHolderKind.PERSON, shares=1, since=date(2020, 1, 1))
    assert err.value.field == "household_id"
    with pytest.raises(InvalidPeriod):
        EquityHolding(
            holder_id="H1",
            kind=EquityHolderKind.HOUSEHOLD,
            shares=1,
            since=date(2020, 1, 1),
            until=date(2020, 1, 1),
        )
    one = EquityHolding(holder_id="H1", kind=EquityHolderKind.HOUSEHOLD, shares=1, since=date(2020, 1, 1))
    with pytest.raises(InvalidValue) as err:
        EquityRegister(organisation="V-C", holdings=(one, attrs_evolve_since(one, date(2021, 1, 1))))
    assert (err.value.field, err.value.actual) == ("holdings", "H1")


def attrs_evolve_since(holding: EquityHolding, since: date) -> EquityHolding:
    return EquityHolding(holder_id=holding.holder_id, kind=holding.kind, shares=holding.shares, since=since)


def test_a_shareholder_missing_from_the_beneficiaries_is_refused() -> None:
    with pytest.raises(UnknownReference) as err:
        _liujiapu_register().payees([_household("LJP-H01")], AS_OF)
    assert (err.value.record, err.value.actual) == ("LJP-C", "LJP-H02")


def _snapshot(sid: str, known_on: date, shares: dict[str, Fraction | int | None]) -> RosterSnapshot:
    return RosterSnapshot(
        id=sid,
        area=AdminCode("620822"),
        recorded_at=AT,
        known_on=known_on,
        households=tuple(
            RosterHousehold(
                household_id=hid,
                members=3,
                status=HouseholdStatus.LIFTED,
                labor_capacity=LaborCapacity.FULL,
                shares=None if n is None else Fraction(n),
            )
            for hid, n in shares.items()
        ),
    )


def test_the_register_from_roster_snapshots_follows_their_dates() -> None:
    # synthetic: H2 raises its shares in 2023, H3 joins, H1 leaves in 2024
    snaps = [
        _snapshot("R2022", date(2022, 12, 31), {"H1": 2, "H2": 3, "H3": None}),
        _snapshot("R2023", date(2023, 12, 31), {"H1": 2, "H2": 5, "H3": 1}),
        _snapshot("R2024", date(2024, 12, 31), {"H2": 5, "H3": 1}),
    ]
    register = equity_from_snapshots("V-C", reversed(snaps))
    assert register.shares_on(date(2023, 6, 30)) == {"H1": 2, "H2": 3}
    assert register.shares_on(date(2024, 6, 30)) == {"H1": 2, "H2": 5, "H3": 1}
    assert register.shares_on(date(2025, 6, 30)) == {"H2": 5, "H3": 1}
    assert {h.document for h in register.holdings} == {"R2022", "R2023"}
    assert snaps[1].households[2].beneficiary().shares == 1
