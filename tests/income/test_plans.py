"""Distribution plans: refusals with coded reasons (P6, P11, DESIGN §8), rosters, owners, results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.domain.money import Money
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import AllocationError, InvalidValue, PlanRefused
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, Roster, RosterEntry
from assetreg.income.plans import (
    Base,
    DistributionPlan,
    Fixed,
    Percent,
    PerHousehold,
    Purpose,
    Selector,
    SplitMethod,
    Tier,
    run_owner_plans,
    run_plan,
    split_by_owners,
)
from assetreg.income.presets import SAGA_2022_TIERS, cooperative_55_30_15
from assetreg.income.results import Allocation
from assetreg.income.revenue import distributable_income

AS_OF = date(2024, 6, 30)


def hh(
    hid: str,
    *,
    status: HouseholdStatus = HouseholdStatus.LIFTED,
    size: int = 3,
    labour: LaborCapacity = LaborCapacity.FULL,
    monitor: MonitorType | None = None,
    days: int = 0,
    posts: int = 0,
) -> Beneficiary:
    return Beneficiary(
        id=hid,
        kind=BeneficiaryKind.HOUSEHOLD,
        name=f"农户{hid}",
        size=size,
        status=status,
        monitor_type=monitor,
        labor_capacity=labour,
        days_worked=days,
        posts=posts,
    )


def plan(*tiers: Tier, remainder_to: str | None = "C") -> DistributionPlan:
    return DistributionPlan(id="p", name="测试方案", tiers=tiers, remainder_to=remainder_to)


MONITORED = Tier(
    name="监测户帮扶",
    amount=Percent(Fraction(1, 2)),
    recipients=Selector.households(statuses={HouseholdStatus.MONITORED}),
    purpose=Purpose.CONSOLIDATION,
)
PEOPLE = [
    hh("A", status=HouseholdStatus.MONITORED, monitor=MonitorType.UNSTABLE),
    hh("B", status=HouseholdStatus.MONITORED, monitor=MonitorType.MARGINAL),
    hh("D"),
    Beneficiary.collective("C"),
    Beneficiary.reserve("R"),
]


def reason(excinfo: pytest.ExceptionInfo[PlanRefused]) -> str:
    return str(excinfo.value.details["reason"])


def test_lines_cite_tier_base_rate_and_reconcile() -> None:
    result = run_plan(plan(MONITORED), Money.yuan("100.01"), PEOPLE, as_of=AS_OF)
    assert result.total == result.pool == Money.yuan("100.01")
    first = result.lines[0]
    assert (first.tier, first.base, first.rate, first.beneficiary_id) == (
        "监测户帮扶",
        "net",
        Fraction(1, 2),
        "A",
    )
    assert first.tier_amount == Money.yuan("50.01")  # largest remainder: 50.005 + 50.005 → 50.01 / 50.00
    assert [line.amount for line in result.lines] == [
        Money.yuan("25.01"),
        Money.yuan("25.00"),
        Money.yuan("50.00"),
    ]
    assert result.lines[-1].tier == "remainder"
    assert result.lines[-1].purpose is Purpose.COLLECTIVE_ACCUMULATION


def test_records_and_notice_rows() -> None:
    result = run_plan(plan(MONITORED), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    records = result.as_records()
    assert records[0]["amount_fen"] == 25_000
    assert records[0]["amount_yuan"] == Decimal("250.00")
    assert records[0]["rate"] == "1/2"
    assert records[0]["as_of"] == "2024-06-30"
    for record in records:
        assert all(isinstance(v, str | int | Decimal) or v is None for v in record.values())
    rows = result.notice_rows()
    assert [(r.beneficiary_id, r.amount) for r in rows] == [
        ("A", Money.yuan(250)),
        ("B", Money.yuan(250)),
        ("C", Money.yuan(500)),
    ]
    assert rows[0].name == "农户A"
    assert "50% × 可分配收益 1000.00元" in rows[0].reasons[0]
    assert rows[0].as_record()["金额(元)"] == Decimal("250.00")


def test_allocation_refuses_lines_that_do_not_reconcile() -> None:
    with pytest.raises(AllocationError):
        Allocation(plan_id="p", plan_name="x", as_of=AS_OF, pool=Money(1), gross=Money(1), lines=())


def test_over_allocation() -> None:
    too_much = Tier(
        name="固定",
        amount=Fixed(Money.yuan(2000)),
        recipients=Selector.named("R"),
        purpose=Purpose.RESERVE,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(too_much), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "over_allocation"
    over_100 = Tier(
        name="多",
        amount=Percent(Fraction(3, 4)),
        recipients=Selector.named("R"),
        purpose=Purpose.RESERVE,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(over_100, MONITORED), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "over_allocation"
    assert excinfo.value.code == "AR-401"


def test_unassigned_remainder() -> None:
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(MONITORED, remainder_to=None), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "unassigned_remainder"
    exact = plan(
        MONITORED,
        Tier(
            name="余",
            amount=Percent(1, Base.REMAINING),
            recipients=Selector.named("R"),
            purpose=Purpose.RESERVE,
        ),
        remainder_to=None,
    )
    assert run_plan(exact, Money.yuan(1000), PEOPLE, as_of=AS_OF).by_tier()["余"] == Money.yuan(500)


def test_prohibited_purpose() -> None:
    cars = Tier(
        name="购车",
        amount=Fixed(Money.yuan(10)),
        recipients=Selector.named("C"),
        purpose=Purpose.VEHICLES,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(cars), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "prohibited_purpose"
    assert excinfo.value.details["purpose"] == "vehicles"
    # the policy decides: with nothing prohibited it runs
    assert run_plan(plan(cars), Money.yuan(1000), PEOPLE, as_of=AS_OF, prohibited_purposes=()).total == Money.yuan(1000)


def test_equal_cash_to_everyone_is_refused() -> None:
    everyone = Tier(
        name="人人有份",
        amount=Percent(1),
        recipients=Selector.households(),
        purpose=Purpose.HOUSEHOLD_DIVIDEND,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(everyone), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "equal_cash_to_all"
    by_work = attrs_evolve(everyone, split=SplitMethod.DAYS_WORKED)
    people = [hh("A", days=10), hh("B", days=30), Beneficiary.collective("C")]
    result = run_plan(plan(by_work), Money.yuan(1000), people, as_of=AS_OF)
    assert result.by_beneficiary() == {"A": Money.yuan(250), "B": Money.yuan(750)}
    assert run_plan(plan(everyone), Money.yuan(1000), PEOPLE, as_of=AS_OF, forbid_equal_cash=False).total == Money.yuan(
        1000
    )


def attrs_evolve(tier: Tier, **changes: object) -> Tier:
    return attrs.evolve(tier, **changes)


def test_ineligible_and_unknown_payees() -> None:
    roster = Roster(
        (
            RosterEntry(beneficiary_id="A", since=date(2020, 1, 1), until=date(2024, 1, 1)),
            RosterEntry(beneficiary_id="B", since=date(2020, 1, 1)),
        )
    )
    named = Tier(
        name="点名",
        amount=Fixed(Money.yuan(100)),
        recipients=Selector.named("A"),
        purpose=Purpose.CONSOLIDATION,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(named), Money.yuan(1000), PEOPLE, as_of=AS_OF, roster=roster)
    assert reason(excinfo) == "ineligible_payee"
    ghost = Tier(
        name="点名",
        amount=Fixed(Money.yuan(100)),
        recipients=Selector.named("nobody"),
        purpose=Purpose.CONSOLIDATION,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(ghost), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "unknown_payee"
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(MONITORED, remainder_to="nobody"), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "unknown_payee"


def test_bad_split_and_negative_pool() -> None:
    wrong = Tier(
        name="表",
        amount=PerHousehold(SAGA_2022_TIERS),
        recipients=Selector.households(),
        split=SplitMethod.EQUAL,
        purpose=Purpose.HOUSEHOLD_DIVIDEND,
    )
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(wrong), Money.yuan(1000), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "bad_split"
    loss = distributable_income(Money.yuan(10), [])
    with pytest.raises(PlanRefused) as excinfo:
        run_plan(plan(MONITORED), Money.yuan(-1), PEOPLE, as_of=AS_OF)
    assert reason(excinfo) == "negative_pool"
    assert run_plan(plan(MONITORED), loss, PEOPLE, as_of=AS_OF).total == Money.yuan(10)
    with pytest.raises(InvalidValue):
        Percent(Fraction(3, 2))


def test_exited_household_share_returns_to_pool() -> None:
    # P11: B exits at the 2024 review; from 2024-07-01 its half goes back to the pool.
    roster = Roster.of(["A", "B", "D"], since=date(2020, 1, 1))
    reviewed = roster.review(effective=date(2024, 7, 1), keep=["A", "D"], add=["E"], reason="2024年度动态调整")
    assert reviewed.eligible_on(date(2024, 6, 30)) == {"A", "B", "D"}
    assert reviewed.eligible_on(date(2024, 7, 1)) == {"A", "D", "E"}
    assert reviewed.exited_on(date(2024, 7, 1)) == {"B"}
    before = run_plan(plan(MONITORED), Money.yuan(1000), PEOPLE, as_of=date(2024, 6, 30), roster=reviewed)
    assert before.by_beneficiary()["B"] == Money.yuan(250)
    after = run_plan(plan(MONITORED), Money.yuan(1000), PEOPLE, as_of=date(2024, 7, 1), roster=reviewed)
    assert after.by_beneficiary() == {"A": Money.yuan(500), "C": Money.yuan(500)}
    assert after.returned == ("B",)
    table = DistributionPlan(
        id="t",
        name="t",
        remainder_to="R",
        tiers=(
            Tier(
                name="表",
                amount=PerHousehold(SAGA_2022_TIERS),
                recipients=Selector.households(),
                split=SplitMethod.TABLE,
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
        ),
    )
    paid = run_plan(table, Money.yuan(3000), PEOPLE, as_of=date(2024, 7, 1), roster=reviewed).by_beneficiary()
    # A: monitored 3 people 1,000 + 139; D: lifted 3 people 500 + 139; B's 1,139 back to the reserve
    assert paid == {"A": Money.yuan(1139), "D": Money.yuan(639), "R": Money.yuan(1222)}
    with pytest.raises(InvalidValue):
        RosterEntry(beneficiary_id="A", since=date(2024, 1, 1), until=date(2024, 1, 1))


def test_capped_tiers() -> None:
    capped = Tier(
        name="封顶",
        amount=Percent(Fraction(1, 2)),
        recipients=Selector.named("R"),
        purpose=Purpose.RESERVE,
        cap=Money.yuan(100),
    )
    assert run_plan(plan(capped), Money.yuan(1000), PEOPLE, as_of=AS_OF).by_tier()["封顶"] == Money.yuan(100)
    table = Tier(
        name="表",
        amount=PerHousehold(SAGA_2022_TIERS),
        recipients=Selector.households(),
        split=SplitMethod.TABLE,
        purpose=Purpose.HOUSEHOLD_DIVIDEND,
        cap=Money.yuan(1000),
    )
    result = run_plan(plan(table), Money.yuan(5000), PEOPLE, as_of=AS_OF)
    # 1,139 + 1,139 + 639 owed = 2,917, scaled to the 1,000 cap by largest remainder
    assert result.by_tier()["表"] == Money.yuan(1000)
    assert sum((line.amount for line in result.lines if line.tier == "表"), Money(0)) == Money.yuan(1000)


def test_several_owners() -> None:
    shares = {"V2": Fraction(1, 3), "V1": Fraction(2, 3)}
    assert split_by_owners(Money.yuan("100.00"), shares) == {
        "V2": Money.yuan("33.33"),
        "V1": Money.yuan("66.67"),
    }
    assert split_by_owners(Money(1), {"V2": Fraction(1, 2), "V1": Fraction(1, 2)}) == {
        "V2": Money(0),
        "V1": Money(1),
    }
    income = distributable_income(Money.yuan(45_000 * 3), [])
    payees = [
        Beneficiary.party("FUND", "基金"),
        Beneficiary.collective("C"),
        Beneficiary.party("COOP", "社"),
    ]
    coop = cooperative_55_30_15("FUND", "C", "COOP")
    results = run_owner_plans(income, shares, {"V1": coop, "V2": coop}, {"V1": payees, "V2": payees}, as_of=AS_OF)
    assert [r.owner_id for r in results] == ["V2", "V1"]
    assert [r.pool for r in results] == [Money.yuan(45_000), Money.yuan(90_000)]
    assert results[0].by_tier()["贫困户生产发展资金"] == Money.yuan(24_750)
    with pytest.raises(PlanRefused):
        run_owner_plans(income, shares, {"V1": coop}, {"V1": payees}, as_of=AS_OF)


@given(
    st.integers(min_value=0, max_value=10**10),
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=30),
    st.fractions(min_value=0, max_value=1, max_denominator=100),
)
def test_plans_always_reconcile(pool: int, days: list[int], rate: Fraction) -> None:
    people = [hh(f"H{i:02d}", days=d) for i, d in enumerate(days)] + [Beneficiary.collective("C")]
    tiers = (
        Tier(
            name="劳务",
            amount=Percent(rate),
            recipients=Selector.households(),
            split=SplitMethod.DAYS_WORKED,
            purpose=Purpose.WORK_REWARDS,
        ),
        Tier(
            name="余下一半",
            amount=Percent(Fraction(1, 2), Base.REMAINING),
            recipients=Selector.named("C"),
            purpose=Purpose.COLLECTIVE_ACCUMULATION,
        ),
    )
    result = run_plan(plan(*tiers), Money(pool), people, as_of=AS_OF)
    assert result.total == Money(pool)
    for line in result.lines:
        assert line.amount.fen >= 0
