"""Revenue, lump-sum spreading (P10) and distributable income (P9)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.errors import InvalidValue
from assetreg.income.revenue import (
    DEFAULT_DEDUCTIBLE,
    Deduction,
    DeductionKind,
    RevenueEntry,
    RevenueKind,
    SpreadBasis,
    distributable_income,
    income_in_period,
    om_cap_amount,
    pass_on_deadline,
    split_electricity_sales,
    spread_by_year,
)


def entry(amount: str, period: Period, kind: RevenueKind = RevenueKind.LAND_RENT, id_: str = "r1") -> RevenueEntry:
    return RevenueEntry(
        id=id_,
        asset_id="A1",
        kind=kind,
        amount=Money.yuan(amount),
        period=period,
        received=period.start,
    )


def test_pv_design_example_net_income() -> None:
    # DESIGN §9: 300 kW, income 120,000, O&M at the cap 300,000 W × 0.03 = 9,000 -> net 111,000.
    cap = om_cap_amount(300_000, "0.03")
    assert cap == Money.yuan("9000")
    result = distributable_income(
        Money.yuan("120000"),
        [Deduction(DeductionKind.OPERATION_MAINTENANCE, Money.yuan("12000"))],
        om_cap=cap,
    )
    assert result.net == Money.yuan("111000")
    assert result.deducted == (Deduction(DeductionKind.OPERATION_MAINTENANCE, Money.yuan("9000")),)
    assert result.not_deducted[0].amount == Money.yuan("3000")
    assert "cap" in result.not_deducted[0].note
    assert result.total_deducted == Money.yuan("9000")
    assert result.deducted_of(DeductionKind.OPERATION_MAINTENANCE) == Money.yuan("9000")


def test_deductions_the_policy_does_not_name_are_kept_aside() -> None:
    result = distributable_income(
        Money.yuan("1000"),
        [
            Deduction(DeductionKind.LAND_RENT, Money.yuan("100")),
            Deduction(DeductionKind.TAXES, Money.yuan("10")),
            Deduction(DeductionKind.MANAGEMENT_FEE, Money.yuan("50")),
        ],
    )
    assert result.net == Money.yuan("890")
    assert [d.kind for d in result.not_deducted] == [DeductionKind.MANAGEMENT_FEE]
    with pytest.raises(InvalidValue):
        Deduction(DeductionKind.TAXES, Money.yuan("-1"))


def test_om_cap_for_a_quarter() -> None:
    assert om_cap_amount(300_000, "0.03", years=Fraction(1, 4)) == Money.yuan("2250")
    assert om_cap_amount(300_000, Policy(name="t", source="t").om_cap_per_watt_year or Money(0)) == Money.yuan("9000")
    assert {DeductionKind(k) for k in Policy(name="t", source="t").pv_deductions} == DEFAULT_DEDUCTIBLE
    with pytest.raises(TypeError):
        om_cap_amount(300_000, 0.03)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        om_cap_amount(-1, "0.03")


def test_lump_sum_rent_spread_by_months() -> None:
    lump = entry("50000", Period(date(2021, 7, 1), date(2026, 7, 1)))
    parts = spread_by_year(lump)
    assert [p.amount for p in parts] == [Money.yuan(x) for x in ("5000", "10000", "10000", "10000", "10000", "5000")]
    assert [p.id for p in parts][:2] == ["r1#2021", "r1#2022"]
    assert parts[0].period == Period(date(2021, 7, 1), date(2022, 1, 1))
    assert spread_by_year(entry("10", Period.year(2024))) == (entry("10", Period.year(2024)),)


def test_lump_sum_spread_by_days() -> None:
    lump = entry("100.00", Period(date(2023, 12, 17), date(2024, 1, 16)))
    assert [p.amount for p in spread_by_year(lump)] == [Money.yuan("50.00"), Money.yuan("50.00")]
    days = spread_by_year(entry("731", Period(date(2023, 1, 1), date(2025, 1, 1))), basis=SpreadBasis.DAYS)
    assert [p.amount for p in days] == [Money.yuan("365"), Money.yuan("366")]
    with pytest.raises(InvalidValue):
        spread_by_year(lump, basis=SpreadBasis.MONTHS)


def test_income_in_period() -> None:
    entries = [
        entry("50000", Period(date(2021, 7, 1), date(2026, 7, 1))),
        entry("1200", Period.year(2022), RevenueKind.ELECTRICITY_BENCHMARK, "r2"),
    ]
    assert income_in_period(entries, Period.year(2022)) == Money.yuan("11200")
    assert income_in_period(entries, Period.year(2022), kinds=[RevenueKind.LAND_RENT]) == Money.yuan("10000")
    assert income_in_period(entries, Period.year(2022), asset_id="B") == Money.zero()
    quarters = [income_in_period(entries[1:], Period.quarter(2022, q)) for q in (1, 2, 3, 4)]
    assert sum(quarters, Money.zero()) == Money.yuan("1200")


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(min_value=1, max_value=4000),
)
def test_spread_preserves_the_sum(fen: int, start: date, days: int) -> None:
    lump = RevenueEntry(
        id="x",
        asset_id="A",
        kind=RevenueKind.RENT,
        amount=Money(fen),
        period=Period(start, start + timedelta(days=days)),
        received=start,
    )
    parts = spread_by_year(lump)
    assert sum(p.amount.fen for p in parts) == fen
    assert parts[0].period.start == start
    assert parts[-1].period.end == lump.period.end


def test_electricity_split_and_deadlines() -> None:
    bench, subsidy = split_electricity_sales(Money.yuan("1000"), "0.3", "0.7")
    assert (bench, subsidy) == (Money.yuan("300"), Money.yuan("700"))
    q3 = entry("1", Period.quarter(2024, 3), RevenueKind.ELECTRICITY_BENCHMARK)
    national = Policy(name="t", source="t")
    assert pass_on_deadline(q3, national) == date(2024, 12, 29)
    assert pass_on_deadline(q3, attrs.evolve(national, coal_part_within_days=15)) == date(2024, 10, 15)
    sub = entry("1", Period.year(2024), RevenueKind.ELECTRICITY_SUBSIDY)
    assert pass_on_deadline(sub, national) == date(2025, 3, 31)
    assert pass_on_deadline(sub, attrs.evolve(national, subsidy_part_deadline=(6, 30))) == date(2025, 6, 30)
    assert pass_on_deadline(entry("1", Period.year(2024)), national) is None


def test_entry_validation() -> None:
    with pytest.raises(InvalidValue):
        RevenueEntry(
            id="",
            asset_id="A",
            kind=RevenueKind.RENT,
            amount=Money(1),
            period=Period.year(2024),
            received=date(2024, 1, 1),
        )
    with pytest.raises(TypeError):
        RevenueEntry(
            id="x",
            asset_id="A",
            kind=RevenueKind.RENT,
            amount=1,
            period=Period.year(2024),
            received=date(2024, 1, 1),
        )  # type: ignore[arg-type]


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=8),
)
def test_adjacent_periods_add_up(fen: int, cuts: list[int]) -> None:
    start = date(2023, 3, 5)
    whole = Period(start, start + timedelta(days=sum(cuts)))
    lump = RevenueEntry(id="x", asset_id="A", kind=RevenueKind.RENT, amount=Money(fen), period=whole, received=start)
    bounds = [start]
    for c in cuts:
        bounds.append(bounds[-1] + timedelta(days=c))
    parts = [income_in_period([lump], Period(a, b)).fen for a, b in itertools.pairwise(bounds)]
    assert sum(parts) == fen
