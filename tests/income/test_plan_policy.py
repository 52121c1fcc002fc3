"""Plans checked against their policy at entry (issue 11): P5 post preference, P6 priority order.

Rules: DESIGN §7 P5 (public-welfare posts prefer marginal and unstable households, [cfg])
and P6 (income goes first to upkeep, then consolidation, posts, small public works, work
rewards; order [cfg]), after the 2021 national guidance 《关于加强扶贫项目资产后续管理的指导意见》.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs
import pytest

from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021, Policy
from assetreg.domain.vocab import Base, HouseholdStatus, LaborCapacity, MonitorType, PayableUnit, Purpose
from assetreg.errors import InvalidValue, PlanRefused, PolicyError
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, rank_post_candidates
from assetreg.income.plans import (
    DistributionPlan,
    Fixed,
    Percent,
    PerPost,
    Selector,
    SplitMethod,
    Tier,
    describe_percent,
    run_plan,
)
from assetreg.income.presets import monthly_posts, per_household_tiers, pv_posts_60_of_net
from assetreg.income.revenue import DistributableIncome

DAY = date(2024, 12, 31)


def _household(hid: str, status: HouseholdStatus, monitor: MonitorType | None = None) -> Beneficiary:
    return Beneficiary(id=hid, kind=BeneficiaryKind.HOUSEHOLD, size=3, status=status, monitor_type=monitor)


def test_post_candidates_follow_the_policy_preference():
    people = [
        _household("H-4", HouseholdStatus.LIFTED),
        _household("H-3", HouseholdStatus.MONITORED, MonitorType.UNSTABLE),
        _household("H-2", HouseholdStatus.MONITORED, MonitorType.SUDDEN_HARDSHIP),
        _household("H-1", HouseholdStatus.MONITORED, MonitorType.MARGINAL),
        _household("H-0", HouseholdStatus.MONITORED, MonitorType.UNSTABLE),
    ]
    ranked = [b.id for b in rank_post_candidates(people, NATIONAL_2021)]
    assert ranked == ["H-1", "H-0", "H-3", "H-2", "H-4"]
    unstable_first = attrs.evolve(NATIONAL_2021, post_preference=(MonitorType.UNSTABLE,))
    assert [b.id for b in rank_post_candidates(people, unstable_first)] == ["H-0", "H-3", "H-1", "H-2", "H-4"]
    with pytest.raises(InvalidValue):
        rank_post_candidates([Beneficiary.collective("VC-A")], NATIONAL_2021)


def _plan(*purposes: Purpose) -> DistributionPlan:
    return DistributionPlan(
        id="p",
        name="p",
        tiers=tuple(
            Tier(name=p.value, amount=Percent(Fraction(1, 10)), recipients=Selector.named("VC-A"), purpose=p)
            for p in purposes
        ),
        remainder_to="VC-A",
    )


def test_tiers_out_of_the_p6_order_are_refused():
    payees = [Beneficiary.collective("VC-A")]
    ok = run_plan(
        _plan(Purpose.UPKEEP, Purpose.COLLECTIVE_ACCUMULATION, Purpose.PUBLIC_WELFARE_POSTS),
        Money.yuan("1000"),
        payees,
        as_of=DAY,
        priority_order=NATIONAL_2021.priority_order,
    )
    assert ok.total == Money.yuan("1000")
    with pytest.raises(PlanRefused) as info:
        run_plan(
            _plan(Purpose.WORK_REWARDS, Purpose.UPKEEP),
            Money.yuan("1000"),
            payees,
            as_of=DAY,
            priority_order=NATIONAL_2021.priority_order,
        )
    error = info.value
    assert error.details["reason"] == "priority_order"
    assert error.field == "upkeep"
    assert error.details["after"] == "work_rewards"
    assert "upkeep > consolidation > public_welfare_posts" in error.message_en


# -- tier minimums (P9), no tier, post pay floor ------------------------------------------
# DESIGN §9 (P9, county PV rules): a 300 kW station earning 120,000 元 with O&M at the cap of
# 300,000 W × 0.03 = 9,000 元; "80 % of gross to posts and labour" → at least 96,000 元;
# "≥ 60 % to posts after rent and O&M" → net 111,000, posts at least 66,600 元.
GROSS = Money.yuan("120000")
NET = Money.yuan("111000")


def _income(gross: Money, net: Money) -> DistributableIncome:
    return DistributableIncome(gross=gross, deducted=(), not_deducted=(), net=net)


def _posts_plan(amount: Fixed | PerPost | Percent, minimum: Percent) -> DistributionPlan:
    split = SplitMethod.PER_POST if isinstance(amount, PerPost) else SplitMethod.EQUAL
    return DistributionPlan(
        id="posts",
        name="公益岗位和公益劳动",
        tiers=(
            Tier(
                name="公益岗位",
                amount=amount,
                recipients=Selector.posts(),
                split=split,
                purpose=Purpose.PUBLIC_WELFARE_POSTS,
                minimum=minimum,
            ),
        ),
        remainder_to="VC-A",
    )


POSTS = [Beneficiary.collective("VC-A"), Beneficiary(id="P-1", kind=BeneficiaryKind.POST_HOLDER, posts=131)]


def test_a_plan_one_fen_short_of_80_percent_of_gross_is_refused():
    at_least = Percent(Fraction(80, 100), Base.GROSS)
    ok = run_plan(_posts_plan(Fixed(Money.yuan("96000")), at_least), _income(GROSS, NET), POSTS, as_of=DAY)
    assert [(line.beneficiary_id, line.amount) for line in ok.lines] == [
        ("P-1", Money.yuan("96000")),
        ("VC-A", Money.yuan("15000")),
    ]
    with pytest.raises(PlanRefused) as info:
        run_plan(_posts_plan(Fixed(Money.yuan("95999.99")), at_least), _income(GROSS, NET), POSTS, as_of=DAY)
    error = info.value
    assert error.field == "公益岗位"
    assert {
        k: error.details[k] for k in ("reason", "base", "base_amount", "rate", "required", "offered", "shortfall")
    } == {
        "reason": "below_minimum",
        "base": "gross",
        "base_amount": "120000.00",
        "rate": "4/5",
        "required": "96000.00",
        "offered": "95999.99",
        "shortfall": "0.01",
    }
    assert "less than the required 80% of gross income 120000.00元 = 96000.00元; short by 0.01元" in error.message_en
    assert "低于收益总额 120000.00元 的 80%（96000.00元），差 0.01元" in error.message_zh


def test_131_posts_at_500_yuan_against_60_percent_of_net():
    # 乌拉特前旗 2024: 131 posts × 500 元 × 12 months = 786,000 元 a year (DESIGN §9)
    at_least = Percent(Fraction(60, 100), Base.NET)
    plan = _posts_plan(PerPost(Money.yuan(500), 12), at_least)
    # 60 % of 1,310,000.00 is exactly 786,000.00: the posts reach it
    ok = run_plan(plan, _income(Money.yuan("1310000"), Money.yuan("1310000")), POSTS, as_of=DAY)
    assert ok.lines[0].amount == Money.yuan("786000")
    # 60 % of 1,310,000.02 is 786,000.012, i.e. 786,000.01 to the fen: one fen short
    with pytest.raises(PlanRefused) as info:
        run_plan(plan, _income(Money.yuan("1310000.02"), Money.yuan("1310000.02")), POSTS, as_of=DAY)
    assert (info.value.details["required"], info.value.details["shortfall"]) == ("786000.01", "0.01")


def test_the_60_percent_preset_is_refused_when_nobody_holds_a_post():
    # before issue 11 the posts' 66,600 元 silently went to the collective
    plan = pv_posts_60_of_net("VC-A", split=SplitMethod.EQUAL)
    ok = run_plan(plan, _income(GROSS, NET), POSTS, as_of=DAY)
    assert ok.lines[0].amount == Money.yuan("66600")
    with pytest.raises(PlanRefused) as info:
        run_plan(plan, _income(GROSS, NET), [Beneficiary.collective("VC-A")], as_of=DAY)
    assert (info.value.details["reason"], info.value.details["required"], info.value.details["offered"]) == (
        "below_minimum",
        "66600.00",
        "0.00",
    )


def test_a_maximum_refuses_a_tier_one_fen_over():
    plan = DistributionPlan(
        id="cap",
        name="cap",
        tiers=(
            Tier(
                name="村集体",
                amount=Fixed(Money.yuan("24000.01")),
                recipients=Selector.named("VC-A"),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
                maximum=Percent(Fraction(20, 100), Base.GROSS),
            ),
        ),
        remainder_to="VC-A",
    )
    with pytest.raises(PlanRefused) as info:
        run_plan(plan, _income(GROSS, NET), POSTS, as_of=DAY)
    assert (info.value.details["reason"], info.value.details["allowed"], info.value.details["excess"]) == (
        "above_maximum",
        "24000.00",
        "0.01",
    )


def test_bounds_on_what_remains_are_refused():
    with pytest.raises(InvalidValue) as info:
        Tier(
            name="x",
            amount=Fixed(Money.yuan(1)),
            recipients=Selector.named("VC-A"),
            minimum=Percent(Fraction(1, 2), Base.REMAINING),
        )
    assert info.value.field == "minimum"


def test_a_household_outside_every_row_of_the_table_is_refused_with_no_tier():
    # 萨嘎县 2022 tiers (SAGA_2022_SOURCE): lifted, monitored and no-labour households only
    plan = per_household_tiers(remainder_to="VC-A")
    lifted = Beneficiary(
        id="H-1",
        kind=BeneficiaryKind.HOUSEHOLD,
        size=4,
        status=HouseholdStatus.LIFTED,
        labor_capacity=LaborCapacity.FULL,
    )
    ordinary = Beneficiary(
        id="H-2",
        kind=BeneficiaryKind.HOUSEHOLD,
        size=3,
        status=HouseholdStatus.ORDINARY,
        labor_capacity=LaborCapacity.FULL,
    )
    payees = [Beneficiary.collective("VC-A"), lifted]
    ok = run_plan(plan, Money.yuan("1000"), payees, as_of=DAY)
    assert ok.lines[0].amount == Money.yuan("639")  # 500 + 139 back-pay (DESIGN §9)
    with pytest.raises(PlanRefused) as info:
        run_plan(plan, Money.yuan("1000"), [*payees, ordinary], as_of=DAY)
    error = info.value
    assert (error.details["reason"], error.details["payee"], error.details["status"], error.details["size"]) == (
        "no_tier",
        "H-2",
        "ordinary",
        3,
    )
    assert "matches no row of the table (no tier)" in error.message_en


def test_monthly_post_pay_below_the_county_floor_is_refused():
    # 乌拉特前旗 2024 (URAD_FRONT_SOURCE): 每人每月500元、年收益不低于6000元
    county = attrs.evolve(NATIONAL_2021, post_monthly_floor=Money.yuan(500))
    payees = POSTS
    ok = run_plan(
        monthly_posts("VC-A"),
        Money.yuan("786000"),
        payees,
        as_of=DAY,
        post_monthly_floor=county.post_monthly_floor,
    )
    assert ok.lines[0].amount == Money.yuan("786000")
    with pytest.raises(PlanRefused) as info:
        run_plan(
            monthly_posts("VC-A", monthly=Money.yuan("499.99")),
            Money.yuan("786000"),
            payees,
            as_of=DAY,
            post_monthly_floor=county.post_monthly_floor,
        )
    assert {k: info.value.details[k] for k in ("reason", "required", "offered", "shortfall")} == {
        "reason": "post_pay_below_floor",
        "required": "500.00",
        "offered": "499.99",
        "shortfall": "0.01",
    }
    with pytest.raises(PlanRefused) as above:
        run_plan(
            monthly_posts("VC-A", monthly=Money.yuan("500.01")),
            Money.yuan("786000"),
            payees,
            as_of=DAY,
            post_monthly_ceiling=Money.yuan(500),
        )
    assert above.value.details["reason"] == "post_pay_above_ceiling"


def test_describe_percent_is_exact():
    # 黑水县 2024: each of 58 villages gets 1.5625 % (= 1/64) of the county's share
    assert describe_percent(Fraction(1, 64)) == "1.5625%"
    assert describe_percent(Fraction(58, 64)) == "90.625%"
    assert describe_percent(Fraction(3, 5)) == "60%"
    assert describe_percent(Fraction(1, 3)) == "1/3"


# -- payable unit (fen or whole 元) and unassigned shares --------------------------------
def test_qingyang_dividend_in_whole_yuan_reconciles_by_largest_remainder():
    # 青阳县 2020 (https://investchn.com/home/news/detail/id/124128.html, published_projects.csv
    # row 6): 贫困户169户419人分红总额13.392万元, 人均年分红319元 — 133,920 / 419 = 319.6 was
    # published cut down to 319, which leaves 259 元 unpaid. Largest remainder in whole 元
    # pays all of it: 259 people get 320 元 and 160 get 319 元.
    people = [Beneficiary.party(f"P-{i:03d}", "受益人口") for i in range(419)]
    plan = DistributionPlan(
        id="qingyang",
        name="人均分红",
        tiers=(
            Tier(
                name="人均分红",
                amount=Percent(Fraction(1), Base.NET),
                recipients=Selector(kinds={BeneficiaryKind.PARTY}),
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
        ),
    )
    pool = Money.wan("13.392")
    by_yuan = run_plan(plan, pool, people, as_of=DAY, payable_unit="yuan")
    amounts = sorted(line.amount for line in by_yuan.lines)
    assert (amounts.count(Money.yuan(320)), amounts.count(Money.yuan(319)), len(amounts)) == (259, 160, 419)
    assert by_yuan.total == pool
    assert 133_920 - 419 * 319 == 259
    by_fen = run_plan(plan, pool, people, as_of=DAY)
    fen = sorted(line.amount for line in by_fen.lines)
    assert (fen.count(Money.yuan("319.62")), fen.count(Money.yuan("319.61"))) == (341, 78)
    assert by_fen.total == pool


def test_rounding_to_whole_yuan_is_routed_to_the_remainder_and_shown():
    payees = [Beneficiary.collective("VC-A"), Beneficiary.reserve("VC-A/fund", "生产发展资金")]

    def plan(remainder_to: str | None) -> DistributionPlan:
        return DistributionPlan(
            id="55-45",
            name="55/45",
            tiers=(
                Tier(
                    name="生产发展资金",
                    amount=Percent(Fraction(55, 100)),
                    recipients=Selector.named("VC-A/fund"),
                    purpose=Purpose.HOUSEHOLD_DEVELOPMENT,
                ),
                Tier(
                    name="村集体",
                    amount=Percent(Fraction(45, 100)),
                    recipients=Selector.named("VC-A"),
                    purpose=Purpose.COLLECTIVE_ACCUMULATION,
                ),
            ),
            remainder_to=remainder_to,
        )

    pool = Money.yuan("1000.50")  # 55 % = 550.275 → 550.28 to the fen; 45 % = 450.22
    in_fen = run_plan(plan("VC-A"), pool, payees, as_of=DAY)
    assert [line.amount for line in in_fen.lines] == [Money.yuan("550.28"), Money.yuan("450.22")]
    in_yuan = run_plan(plan("VC-A"), pool, payees, as_of=DAY, payable_unit=PayableUnit.YUAN)
    assert [(line.tier, line.amount) for line in in_yuan.lines] == [
        ("生产发展资金", Money.yuan(550)),
        ("村集体", Money.yuan(450)),
        ("remainder", Money.yuan("0.50")),
    ]
    assert in_yuan.lines[-1].basis == "剩余资金 0.50元（含取整差额 0.50元）"
    assert in_yuan.total == pool
    with pytest.raises(PlanRefused) as info:
        run_plan(plan(None), pool, payees, as_of=DAY, payable_unit="yuan")
    assert {k: info.value.details[k] for k in ("reason", "left", "share", "rounding")} == {
        "reason": "unassigned_remainder",
        "left": "0.50",
        "share": "1/2001",
        "rounding": "0.50",
    }


def test_an_unassigned_share_is_stated_as_a_fraction_and_a_percentage():
    # 黑水县 2024 (published_projects.csv row 4): the county's dividend is split equally over
    # 58 villages at 1.5625 % each, 90.625 % in all; 9.375 % is left without a destination.
    villages = [Beneficiary.collective(f"V-{i:02d}") for i in range(58)]
    plan = DistributionPlan(
        id="heishui",
        name="58个脱贫村",
        tiers=tuple(
            Tier(
                name=v.id,
                amount=Percent(Fraction(15625, 1_000_000)),
                recipients=Selector.named(v.id),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
            )
            for v in villages
        ),
    )
    with pytest.raises(PlanRefused) as info:
        run_plan(plan, Money.yuan(6400), villages, as_of=DAY)
    error = info.value
    assert (error.details["left"], error.details["share"], error.details["percent"]) == ("600.00", "3/32", "9.375%")
    assert "600.00元 (3/32 = 9.375% of the pool 6400.00元)" in error.message_en


def test_payable_unit_is_a_policy_setting():
    assert NATIONAL_2021.payable_unit.value == "fen"
    county = Policy.from_mapping({"preset": "national-2021", "payable_unit": "yuan"})
    assert county.payable_unit.fen == 100
    with pytest.raises(PolicyError) as info:
        Policy.from_mapping({"preset": "national-2021", "payable_unit": "li"})
    assert info.value.field == "payable_unit"
