"""Every worked example of DESIGN §9, with the exact published figures."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.parties import Household
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind
from assetreg.income.notice import NoticeRule, notice_closing_date
from assetreg.income.plans import run_plan
from assetreg.income.presets import (
    SAGA_2022_TIERS,
    cooperative_55_30_15,
    monthly_posts,
    per_household_tiers,
    pv_collective_45_households_55,
    pv_posts_60_of_net,
    pv_posts_80_of_gross,
)
from assetreg.income.revenue import Deduction, DeductionKind, distributable_income, om_cap_amount

AS_OF = date(2024, 6, 30)
VILLAGE = AdminCode.parse("620422123001")


def pv_income() -> object:
    # 300 kW, income 120,000 yuan, O&M at the cap 300,000 W × 0.03 = 9,000.
    cap = om_cap_amount(300_000, "0.03")
    return distributable_income(Money.yuan(120_000), [Deduction(DeductionKind.OPERATION_MAINTENANCE, cap)], om_cap=cap)


def workers() -> list[Beneficiary]:
    return [
        Beneficiary(
            id=f"H{i}",
            kind=BeneficiaryKind.HOUSEHOLD,
            size=3,
            status=HouseholdStatus.LIFTED,
            labor_capacity=LaborCapacity.FULL,
            posts=1,
            days_worked=days,
        )
        for i, days in enumerate((100, 120, 80))
    ] + [Beneficiary.collective("C")]


def test_pv_80_percent_of_gross_to_posts() -> None:
    result = run_plan(pv_posts_80_of_gross("C"), pv_income(), workers(), as_of=AS_OF)
    assert result.by_tier()["公益岗位和公益劳动"] == Money.yuan(96_000)
    assert result.pool == Money.yuan(111_000)
    assert result.by_tier()["remainder"] == Money.yuan(15_000)
    assert result.by_beneficiary()["H1"] == Money.yuan(38_400)  # 96,000 × 120 / 300 days


def test_pv_60_percent_of_net_to_posts() -> None:
    income = pv_income()
    assert income.net == Money.yuan(111_000)
    result = run_plan(pv_posts_60_of_net("C"), income, workers(), as_of=AS_OF)
    assert result.by_tier()["公益性岗位"] == Money.yuan(66_600)


def test_pv_45_collective_55_households_after_upkeep() -> None:
    income = pv_income()
    result = run_plan(pv_collective_45_households_55("C"), income, workers(), as_of=AS_OF)
    assert result.by_tier()["村集体"] == Money.yuan(49_950)
    assert result.by_tier()["按劳分配"] == Money.yuan(61_050)
    assert income.deducted_of(DeductionKind.OPERATION_MAINTENANCE) == Money.yuan(9_000)
    assert "remainder" not in result.by_tier()


def test_guaranteed_return_6_percent_quarterly() -> None:
    # 6 % a year on 851.65万元 paid per quarter: 127,747.50 yuan, published as 12.7748万元.
    # (满城区 http://mancheng.gov.cn/show-19993.html)
    quarter = Money.wan("851.65").times(Fraction(6, 100) / 4)
    assert quarter == Money.yuan("127747.50")
    assert quarter.format_wan() == "12.7748万元"


def test_tiered_household_dividend() -> None:
    def household(
        hid: str,
        size: int,
        status: HouseholdStatus,
        labour: LaborCapacity,
        monitor: MonitorType | None = None,
    ) -> Beneficiary:
        return Beneficiary.from_household(
            Household(
                id=hid,
                name=hid,
                admin_code=VILLAGE,
                size=size,
                status=status,
                monitor_type=monitor,
                labor_capacity=labour,
            )
        )

    people = [
        household("lifted4", 4, HouseholdStatus.LIFTED, LaborCapacity.FULL),
        household("marginal3", 3, HouseholdStatus.MONITORED, LaborCapacity.FULL, MonitorType.MARGINAL),
        household("nolabour2", 2, HouseholdStatus.LIFTED, LaborCapacity.NONE),
    ]
    assert SAGA_2022_TIERS.lookup(people[0]) is not None
    result = run_plan(per_household_tiers(), Money.yuan(639 + 1_139 + 500), people, as_of=AS_OF)
    paid = result.by_beneficiary()
    assert paid == {
        "lifted4": Money.yuan(639),
        "marginal3": Money.yuan(1_139),
        "nolabour2": Money.yuan(500),
    }


def test_cooperative_dividend_55_30_15() -> None:
    payees = [
        Beneficiary.party("FUND", "贫困户生产发展资金"),
        Beneficiary.collective("C"),
        Beneficiary.party("COOP", "合作社"),
    ]
    result = run_plan(cooperative_55_30_15("FUND", "C", "COOP"), Money.yuan(45_000), payees, as_of=AS_OF)
    assert [line.amount for line in result.lines] == [
        Money.yuan(24_750),
        Money.yuan(13_500),
        Money.yuan(6_750),
    ]


def test_public_welfare_posts_131_x_500_x_12() -> None:
    posts = [Beneficiary(id=f"P{i:03d}", kind=BeneficiaryKind.POST_HOLDER, posts=1) for i in range(131)]
    collective = Beneficiary.collective("C")
    year = run_plan(monthly_posts("C"), Money.yuan(786_000), [*posts, collective], as_of=AS_OF)
    assert year.by_tier() == {"公益性岗位": Money.yuan(786_000)}
    quarter = run_plan(monthly_posts("C", months=3), Money.yuan(200_000), [*posts, collective], as_of=AS_OF)
    assert quarter.by_tier()["公益性岗位"] == Money.yuan(196_500)
    assert quarter.by_tier()["remainder"] == Money.yuan(3_500)


def test_notice_ten_days() -> None:
    assert notice_closing_date(date(2024, 9, 9), NoticeRule(10)) == date(2024, 9, 18)
