"""Expected income of operating contracts and shortfall (P8; DESIGN §9 guaranteed return)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.rights import (
    ContractTerms,
    EscalationSchedule,
    GuaranteedReturn,
    OperatingContract,
    ProfitShare,
)
from assetreg.domain.vocab import FloorSemantics, OperationMode, PaymentFrequency
from assetreg.income.contracts import (
    Component,
    expected_income,
    floor_and_share,
    instalments,
    shortfall,
)
from assetreg.income.revenue import RevenueEntry, RevenueKind


def contract(terms: ContractTerms, term: Period | None = None) -> OperatingContract:
    return OperatingContract(
        id="K1",
        asset_id="A1",
        operator="OP",
        mode=OperationMode.LEASE,
        term=term or Period(date(2021, 1, 1), date(2024, 1, 1)),
        terms=terms,
    )


# 满城区: 6 % a year on 851.65万元, paid per quarter (http://mancheng.gov.cn/show-19993.html)
MANCHENG = contract(
    ContractTerms(
        guaranteed_return=GuaranteedReturn(
            rate=Fraction(6, 100), base=Money.wan("851.65"), frequency=PaymentFrequency.QUARTERLY
        )
    )
)


def test_guaranteed_return_quarterly() -> None:
    q = expected_income(MANCHENG, Period.quarter(2022, 3))
    assert q.due == Money.yuan("127747.50")
    assert q.due.format_wan() == "12.7748万元"
    assert len(q.instalments) == 1
    assert q.instalments[0].due == date(2022, 9, 30)
    assert expected_income(MANCHENG, Period.year(2022)).due == Money.yuan("510990.00")
    assert len(instalments(MANCHENG)) == 12


def test_advance_netted_and_advance_fraction() -> None:
    with_advance = contract(
        ContractTerms(
            fixed_rent=Money.yuan(12_000),
            rent_frequency=PaymentFrequency.QUARTERLY,
            advance=Money.yuan(5_000),
        )
    )
    q1 = expected_income(with_advance, Period.quarter(2021, 1))
    assert (q1.due, q1.advance_applied, q1.net_due) == (
        Money.yuan(3_000),
        Money.yuan(3_000),
        Money(0),
    )
    q2 = expected_income(with_advance, Period.quarter(2021, 2))
    assert (q2.advance_applied, q2.net_due) == (Money.yuan(2_000), Money.yuan(1_000))
    # 3 % a year on 300,000 with two thirds paid in advance at each year's start
    third = contract(
        ContractTerms(
            guaranteed_return=GuaranteedReturn(
                rate=Fraction(3, 100), base=Money.yuan(300_000), advance_fraction=Fraction(2, 3)
            )
        )
    )
    items = [i for i in instalments(third) if i.contract_year == 0]
    assert [(i.component, i.due, i.amount) for i in items] == [
        (Component.GUARANTEED_ADVANCE, date(2021, 1, 1), Money.yuan(6_000)),
        (Component.GUARANTEED_RETURN, date(2021, 12, 31), Money.yuan(3_000)),
    ]


def test_escalating_rent_per_mu_to_a_cap() -> None:
    # 5.2 mu at 800 元/亩/年, +100 every five years, capped at 1,000 (灵台 5.2 mu; rates illustrative)
    schedule = EscalationSchedule(
        start_rate=Money.yuan(800),
        step=Money.yuan(100),
        every_years=5,
        cap=Money.yuan(1000),
        units=Decimal("5.2"),
    )
    lease = contract(ContractTerms(escalation=schedule), Period(date(2019, 7, 1), date(2039, 7, 1)))
    per_year = {
        y: expected_income(lease, Period(date(y, 7, 1), date(y + 1, 7, 1))).due for y in (2019, 2024, 2029, 2034)
    }
    assert per_year == {
        2019: Money.yuan(4_160),
        2024: Money.yuan(4_680),
        2029: Money.yuan(5_200),
        2034: Money.yuan(5_200),
    }


def test_broken_last_year_prorated() -> None:
    short = contract(ContractTerms(fixed_rent=Money.yuan(12_000)), Period(date(2021, 1, 1), date(2022, 4, 1)))
    assert expected_income(short, Period.year(2022)).due == Money.yuan(3_000)


def test_floor_semantics() -> None:
    floor, profit = Money.yuan(100_000), Money.yuan(300_000)
    assert floor_and_share(floor, profit, ProfitShare(rate=Fraction(1, 5), semantics=FloorSemantics.MAX)) == Money.yuan(
        100_000
    )
    assert floor_and_share(floor, profit, ProfitShare(rate=Fraction(1, 2), semantics=FloorSemantics.MAX)) == Money.yuan(
        150_000
    )
    assert floor_and_share(floor, profit, ProfitShare(rate=Fraction(1, 5), semantics=FloorSemantics.ADD)) == Money.yuan(
        160_000
    )
    assert (
        floor_and_share(floor, Money.yuan(-5), ProfitShare(rate=Fraction(1, 5), semantics=FloorSemantics.ADD)) == floor
    )
    with_share = contract(
        ContractTerms(
            guaranteed_return=GuaranteedReturn(amount=Money.yuan(100_000)),
            profit_share=ProfitShare(rate=Fraction(1, 10), semantics=FloorSemantics.ADD),
        )
    )
    year = expected_income(with_share, Period.year(2022), profit=Money.yuan(50_000))
    assert (year.due, year.profit_share) == (Money.yuan(105_000), Money.yuan(5_000))


def test_shortfall() -> None:
    paid = RevenueEntry(
        id="r",
        asset_id="A1",
        kind=RevenueKind.GUARANTEED_RETURN,
        amount=Money.yuan("100000"),
        period=Period.quarter(2022, 3),
        received=date(2022, 10, 8),
        contract_id="K1",
    )
    other = RevenueEntry(
        id="s",
        asset_id="A1",
        kind=RevenueKind.GUARANTEED_RETURN,
        amount=Money.yuan("999"),
        period=Period.quarter(2022, 3),
        received=date(2022, 10, 8),
        contract_id="K2",
    )
    gap = shortfall(MANCHENG, Period.quarter(2022, 3), [paid, other])
    assert (gap.expected, gap.received, gap.shortfall, gap.excess) == (
        Money.yuan("127747.50"),
        Money.yuan("100000"),
        Money.yuan("27747.50"),
        Money(0),
    )
