"""Presets: published splits and tables, each citing its source (DESIGN §7 P9, §9).

Every preset is an ordinary value or a function returning a
:class:`~assetreg.income.plans.DistributionPlan`; counties change them by building their
own. Percentages are the ones published; whether they apply to gross or net income is a
policy parameter (P9) and an argument here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Final

import attrs

from assetreg.domain.money import Money
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity
from assetreg.errors import PolicyError
from assetreg.income.books import ApprovalLevel
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
    "PlanApprovalSpec",
    "PlanContext",
    "PlanSpec",
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


@attrs.frozen(kw_only=True)
class PlanApprovalSpec:
    """An approval as a plan file writes it (see :class:`PlanSpec`).

    Attributes:
        level: an :class:`~assetreg.income.books.ApprovalLevel` value (``"village_assembly"``).
        body: the approving body as written.
        approved_on: the day of the decision.
        minutes_ref: the minutes or resolution number, or what is known of it.
    """

    level: str
    body: str
    approved_on: date
    minutes_ref: str = ""


@attrs.frozen(kw_only=True)
class PlanSpec:
    """A plan version as a county writes it: a preset applied to assets from a day (分配方案).

    The service :func:`assetreg.services.books.record_plans` turns it into one
    :class:`~assetreg.income.books.PlanVersion` per owner of the assets.

    Attributes:
        id: the plan version's id (``"LT-PV-2019"``).
        preset: a name of :data:`PLAN_PRESETS`.
        asset_ids: the assets whose income it distributes.
        effective_from: the first day it applies.
        version: 1 for the first version, then 2, 3…
        approval: the approval it rests on, ``None`` while not yet approved.
        source: where the plan and its approval are published.
    """

    id: str
    preset: str
    asset_ids: tuple[str, ...]
    effective_from: date
    version: int = 1
    approval: PlanApprovalSpec | None = None
    source: str = ""

    @classmethod
    def from_toml(cls, text: str) -> tuple[PlanSpec, ...]:
        """Read the ``[[plan]]`` tables of a plan file (see ``assetreg/samples/sample_plans.toml``).

        Raises:
            PolicyError: invalid TOML, an unknown preset, a missing or mistyped key.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"plan file is invalid TOML: {exc}", f"分配方案文件 TOML 格式错误：{exc}") from exc
        tables = data.get("plan", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise PolicyError(
                "'plan' must be [[plan]] tables", "'plan' 须为 [[plan]] 表", field="plan", actual=type(tables).__name__
            )
        unknown = sorted(set(data) - {"plan"})
        if unknown:
            raise PolicyError(
                f"unknown keys in the plan file: {', '.join(unknown)}",
                f"分配方案文件中有未知的键：{'、'.join(unknown)}",
                field=unknown[0],
            )
        specs = [_plan_spec(table, n) for n, table in enumerate(tables, start=1)]
        if not specs:
            raise PolicyError("the plan file has no [[plan]] table", "分配方案文件没有 [[plan]] 表")
        return tuple(specs)


def _key(table: Mapping[str, object], key: str, kind: type, n: int) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or isinstance(value, datetime) or (kind is date and value is None):
        raise PolicyError(
            f"plan {n}: {key!r} must be a {kind.__name__}, not {value!r}",
            f"第 {n} 个方案：{key!r} 须为 {kind.__name__}，实际为 {value!r}",
            field=key,
            row=n,
        )
    return value


_PLAN_KEYS: Final = frozenset({"id", "preset", "assets", "effective_from", "version", "approval", "source"})
_APPROVAL_KEYS: Final = frozenset({"level", "body", "approved_on", "minutes_ref"})


def _plan_spec(table: Mapping[str, Any], n: int) -> PlanSpec:
    preset = _key(table, "preset", str, n)
    if preset not in PLAN_PRESETS:
        raise PolicyError(
            f"plan {n}: unknown preset {preset!r}",
            f"第 {n} 个方案：未知的方案模板 {preset!r}",
            field="preset",
            row=n,
            actual=preset,
            expected=sorted(PLAN_PRESETS),
        )
    assets = _key(table, "assets", list, n)
    if not assets or not all(isinstance(a, str) and a for a in assets):
        raise PolicyError(
            f"plan {n}: 'assets' must list asset codes",
            f"第 {n} 个方案：'assets' 须列出资产编号",
            field="assets",
            row=n,
        )
    unknown = sorted(set(table) - _PLAN_KEYS)
    if unknown:
        raise PolicyError(
            f"plan {n}: unknown keys {', '.join(unknown)} (a typo would lose what it says)",
            f"第 {n} 个方案：未知的键 {'、'.join(unknown)}（拼写错误会使其内容丢失）",
            field=unknown[0],
            row=n,
            expected=sorted(_PLAN_KEYS),
        )
    approval = None
    if "approval" in table:
        raw = _key(table, "approval", dict, n)
        extra = sorted(set(raw) - _APPROVAL_KEYS)
        if extra:
            raise PolicyError(
                f"plan {n}: unknown approval keys {', '.join(extra)}",
                f"第 {n} 个方案：审批中有未知的键 {'、'.join(extra)}",
                field=extra[0],
                row=n,
                expected=sorted(_APPROVAL_KEYS),
            )
        levels = [level.value for level in ApprovalLevel]
        if raw.get("level") not in levels:
            raise PolicyError(
                f"plan {n}: approval level {raw.get('level')!r} is not one of {', '.join(levels)}",
                f"第 {n} 个方案：审批层级 {raw.get('level')!r} 不在可选值之内",
                field="level",
                row=n,
                actual=raw.get("level"),
                expected=levels,
            )
        if "minutes_ref" in raw and not isinstance(raw["minutes_ref"], str):
            raise PolicyError(
                f"plan {n}: 'minutes_ref' must be text",
                f"第 {n} 个方案：'minutes_ref' 须为文本",
                field="minutes_ref",
                row=n,
            )
        approval = PlanApprovalSpec(
            level=_key(raw, "level", str, n),
            body=_key(raw, "body", str, n),
            approved_on=_key(raw, "approved_on", date, n),
            minutes_ref=str(raw.get("minutes_ref", "")),
        )
    version = table.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PolicyError(
            f"plan {n}: 'version' must be a whole number from 1", f"第 {n} 个方案：'version' 须为不小于 1 的整数", row=n
        )
    return PlanSpec(
        id=_key(table, "id", str, n),
        preset=preset,
        asset_ids=tuple(assets),
        effective_from=_key(table, "effective_from", date, n),
        version=version,
        approval=approval,
        source=str(table.get("source", "")),
    )
