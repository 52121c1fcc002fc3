"""Presets: published splits and tables, each citing its source (DESIGN §7 P9, §9).

Every preset is an ordinary value or a function returning a
:class:`~assetreg.income.plans.DistributionPlan`; counties change them by building their
own. Percentages are the ones published; whether they apply to gross or net income is a
policy parameter (P9) and an argument here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Final

import attrs

from assetreg.domain.money import Money
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity
from assetreg.income.plans import (
    Base,
    DistributionPlan,
    HouseholdTable,
    Percent,
    PerHousehold,
    PerPost,
    Purpose,
    Selector,
    SplitMethod,
    TableRow,
    Tier,
)

__all__ = [
    "LINGTAI_SOURCE",
    "P9_SOURCE",
    "PLAN_PRESETS",
    "SAGA_2022_SOURCE",
    "SAGA_2022_TIERS",
    "SUZHOU_SOURCE",
    "URAD_FRONT_SOURCE",
    "PlanContext",
    "cooperative_55_30_15",
    "monthly_posts",
    "per_household_tiers",
    "pv_collective_45_households_55",
    "pv_posts_60_of_net",
    "pv_posts_80_collective_20",
    "pv_posts_80_of_gross",
]

P9_SOURCE: Final = "光伏收益分配(规则 P9，各县做法，可配置；见 docs/rules.md)"
SAGA_2022_SOURCE: Final = (
    "萨嘎县 2022年扶贫产业项目效益分红及无劳力救助资金分配公示 (2022-06-15), "
    "https://m.bidcenter.com.cn/newsrili-1-220361694.html"
)
LINGTAI_SOURCE: Final = (
    "灵台县 柳家铺村光伏电站, 2019年6月后 45%村集体/55%按劳分配, http://pvnews.cn/a/news/reping/11988.html"
)
SUZHOU_SOURCE: Final = (
    "肃州区 四号村 合作社分红 55%生产发展资金/30%村集体积累/15%合作社运营经费, "
    "http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml"
)
URAD_FRONT_SOURCE: Final = (
    "乌拉特前旗 光伏收益金设立公益性岗位 每人每月500元, "
    "http://wltqq.gov.cn/zfxxgk/fdzdgknrwltqq/zdlyxxwltqq/xczx/202409/t20240920_654085.html"
)

_BACK_PAY = Money.yuan(139)
_POST_MONTHLY = Money.yuan(500)
_ABLE = frozenset({LaborCapacity.FULL, LaborCapacity.WEAK})

SAGA_2022_TIERS: Final = HouseholdTable(
    rows=(
        # 无劳动能力家庭 — funded from social assistance; no back-pay listed.
        TableRow(
            label="无劳动能力家庭 1-2人",
            group=Selector.households(labor={LaborCapacity.NONE}),
            min_size=1,
            max_size=2,
            amount=Money.yuan(500),
        ),
        TableRow(
            label="无劳动能力家庭 3人以上(含3人)",
            group=Selector.households(labor={LaborCapacity.NONE}),
            min_size=3,
            amount=Money.yuan(600),
        ),
        TableRow(
            label="防止返贫监测户 1-2人",
            group=Selector.households(statuses={HouseholdStatus.MONITORED}),
            min_size=1,
            max_size=2,
            amount=Money.yuan(800),
            extra=_BACK_PAY,
        ),
        TableRow(
            label="防止返贫监测户 3人以上(含3人)",
            group=Selector.households(statuses={HouseholdStatus.MONITORED}),
            min_size=3,
            amount=Money.yuan(1000),
            extra=_BACK_PAY,
        ),
        TableRow(
            label="具有劳动能力的脱贫户 1-2人",
            group=Selector.households(statuses={HouseholdStatus.LIFTED}, labor=_ABLE),
            min_size=1,
            max_size=2,
            amount=Money.yuan(400),
            extra=_BACK_PAY,
        ),
        TableRow(
            label="具有劳动能力的脱贫户 3-4人",
            group=Selector.households(statuses={HouseholdStatus.LIFTED}, labor=_ABLE),
            min_size=3,
            max_size=4,
            amount=Money.yuan(500),
            extra=_BACK_PAY,
        ),
        TableRow(
            label="具有劳动能力的脱贫户 5人以上(含5人)",
            group=Selector.households(statuses={HouseholdStatus.LIFTED}, labor=_ABLE),
            min_size=5,
            amount=Money.yuan(600),
            extra=_BACK_PAY,
        ),
    ),
    source=SAGA_2022_SOURCE,
)
"""萨嘎县 2022 per-household dividend table (元/户 by type × size) with the 139 元 2021
back-pay for able-bodied lifted and monitored households (DESIGN §9). No-labour households
are tried first (the notice funds them separately, without back-pay), then monitored, then
able-bodied lifted households."""


def per_household_tiers(
    *, remainder_to: str | None = None, table: HouseholdTable = SAGA_2022_TIERS
) -> DistributionPlan:
    """A plan paying every listed household by the table (萨嘎县 2022 by default)."""
    return DistributionPlan(
        id="saga-2022-tiers",
        name="产业项目效益分红(分类分档)",
        tiers=(
            Tier(
                name="分类分档分红",
                amount=PerHousehold(table),
                recipients=Selector.households(),
                split=SplitMethod.TABLE,
                purpose=Purpose.HOUSEHOLD_DIVIDEND,
            ),
        ),
        remainder_to=remainder_to,
        source=table.source,
    )


def pv_posts_80_of_gross(collective_id: str, *, split: SplitMethod = SplitMethod.DAYS_WORKED) -> DistributionPlan:
    """PV: at least 80 % of gross income to posts and public-work labour (P9).

    What is left after deductions goes to the collective. The tier's minimum (80 % of
    gross, to the fen) refuses the plan when the posts cannot take it (no post holders, or
    deductions leave less than 80 % of gross).
    """
    return DistributionPlan(
        id="pv-80-gross",
        name="光伏收益 80%用于公益岗位和公益劳动",
        tiers=(
            Tier(
                name="公益岗位和公益劳动",
                amount=Percent(Fraction(80, 100), Base.GROSS),
                recipients=Selector.posts(),
                split=split,
                purpose=Purpose.PUBLIC_WELFARE_POSTS,
                minimum=Percent(Fraction(80, 100), Base.GROSS),
            ),
        ),
        remainder_to=collective_id,
        source=P9_SOURCE,
    )


def pv_posts_60_of_net(collective_id: str, *, split: SplitMethod = SplitMethod.DAYS_WORKED) -> DistributionPlan:
    """PV: at least 60 % of income after rent and O&M to public-welfare posts (P9).

    The tier's minimum (60 % of net, to the fen) refuses the plan when nobody holds a post.
    """
    return DistributionPlan(
        id="pv-60-net",
        name="光伏收益扣除租金运维后 60%用于公益岗位",
        tiers=(
            Tier(
                name="公益性岗位",
                amount=Percent(Fraction(60, 100), Base.NET),
                recipients=Selector.posts(),
                split=split,
                purpose=Purpose.PUBLIC_WELFARE_POSTS,
                minimum=Percent(Fraction(60, 100), Base.NET),
            ),
        ),
        remainder_to=collective_id,
        source=P9_SOURCE,
    )


def pv_collective_45_households_55(collective_id: str, *, base: Base = Base.NET) -> DistributionPlan:
    """PV (灵台县): after upkeep, 45 % to the collective, 55 % to households by work done."""
    return DistributionPlan(
        id="pv-45-55",
        name="光伏收益 45%村集体 55%按劳分配",
        tiers=(
            Tier(
                name="村集体",
                amount=Percent(Fraction(45, 100), base),
                recipients=Selector.named(collective_id),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
            ),
            Tier(
                name="按劳分配",
                amount=Percent(Fraction(55, 100), base),
                recipients=Selector.households(),
                split=SplitMethod.DAYS_WORKED,
                purpose=Purpose.WORK_REWARDS,
            ),
        ),
        remainder_to=collective_id,
        source=f"{LINGTAI_SOURCE}; {P9_SOURCE}",
    )


def pv_posts_80_collective_20(
    collective_id: str, *, base: Base = Base.NET, split: SplitMethod = SplitMethod.DAYS_WORKED
) -> DistributionPlan:
    """PV: 80 % to posts and labour, 20 % to the collective economy (P9)."""
    return DistributionPlan(
        id="pv-80-20",
        name="光伏收益 80%公益岗位和劳动 20%村集体经济",
        tiers=(
            Tier(
                name="公益岗位和公益劳动",
                amount=Percent(Fraction(80, 100), base),
                recipients=Selector.posts(),
                split=split,
                purpose=Purpose.PUBLIC_WELFARE_POSTS,
            ),
            Tier(
                name="村集体经济",
                amount=Percent(Fraction(20, 100), base),
                recipients=Selector.named(collective_id),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
            ),
        ),
        remainder_to=collective_id,
        source=P9_SOURCE,
    )


def cooperative_55_30_15(development_fund_id: str, collective_id: str, cooperative_id: str) -> DistributionPlan:
    """Cooperative dividend (肃州区): 55 % / 30 % / 15 %.

    55 % to household development funds, 30 % to village accumulation, 15 % to the
    cooperative's running costs.
    """
    return DistributionPlan(
        id="coop-55-30-15",
        name="合作社分红 55/30/15",
        tiers=(
            Tier(
                name="贫困户生产发展资金",
                amount=Percent(Fraction(55, 100)),
                recipients=Selector.named(development_fund_id),
                purpose=Purpose.HOUSEHOLD_DEVELOPMENT,
            ),
            Tier(
                name="村集体经济积累",
                amount=Percent(Fraction(30, 100)),
                recipients=Selector.named(collective_id),
                purpose=Purpose.COLLECTIVE_ACCUMULATION,
            ),
            Tier(
                name="合作社运营经费",
                amount=Percent(Fraction(15, 100)),
                recipients=Selector.named(cooperative_id),
                purpose=Purpose.OPERATING_COSTS,
            ),
        ),
        remainder_to=collective_id,
        source=SUZHOU_SOURCE,
    )


def monthly_posts(collective_id: str, *, monthly: Money = _POST_MONTHLY, months: int = 12) -> DistributionPlan:
    """Public-welfare posts paid per post per month from PV income (乌拉特前旗: 500 元/月)."""
    return DistributionPlan(
        id=f"posts-{monthly.fen}-{months}",
        name="光伏收益设立公益性岗位",
        tiers=(
            Tier(
                name="公益性岗位",
                amount=PerPost(monthly, months),
                recipients=Selector.posts(),
                split=SplitMethod.PER_POST,
                purpose=Purpose.PUBLIC_WELFARE_POSTS,
            ),
        ),
        remainder_to=collective_id,
        source=URAD_FRONT_SOURCE,
    )


@attrs.frozen(kw_only=True)
class PlanContext:
    """What a plan preset needs to know to build one owner's plan.

    Attributes:
        owner: the owner (usually the village collective) whose share the plan divides.
        operator: the operator of the asset when it is not an owner (a cooperative, an
            enterprise), else ``None``.
        base: gross or net income as the base of percentage tiers (P9, ``Policy.distribution_base``).
    """

    owner: str
    operator: str | None
    base: Base


def _coop(ctx: PlanContext) -> DistributionPlan:
    return cooperative_55_30_15(f"{ctx.owner}/development-fund", ctx.owner, ctx.operator or ctx.owner)


PLAN_PRESETS: Final[Mapping[str, Callable[[PlanContext], DistributionPlan]]] = {
    "pv-45-55": lambda c: pv_collective_45_households_55(c.owner, base=c.base),
    "pv-80-gross": lambda c: pv_posts_80_of_gross(c.owner),
    "pv-60-net": lambda c: pv_posts_60_of_net(c.owner),
    "pv-80-20": lambda c: pv_posts_80_collective_20(c.owner, base=c.base),
    "coop-55-30-15": _coop,
    "posts-500-12": lambda c: monthly_posts(c.owner),
    "saga-2022-tiers": lambda c: per_household_tiers(remainder_to=c.owner),
}
"""Plan presets by name; each builds the plan of one owner from a :class:`PlanContext`.

==================  ===========================================================
name                plan
==================  ===========================================================
``pv-45-55``        after upkeep 45 % collective / 55 % households by days worked
``pv-80-gross``     ≥ 80 % of gross to posts and public-work labour
``pv-60-net``       ≥ 60 % of net to public-welfare posts
``pv-80-20``        80 % posts and labour / 20 % collective economy
``coop-55-30-15``   55 % household development fund / 30 % village / 15 % cooperative
``posts-500-12``    public-welfare posts at 500 元 a month for 12 months
``saga-2022-tiers`` per-household tiers of the 萨嘎县 2022 notice
==================  ===========================================================
"""
