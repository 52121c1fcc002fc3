"""Distribution plans (收益分配方案): ordered tiers over distributable income, DESIGN §8.

A :class:`DistributionPlan` is an ordered tuple of :class:`Tier` values applied to a pool
of distributable income. A tier says

- how much it takes: a fixed amount (:class:`Fixed`), a percentage of gross income, of
  net income or of what remains (:class:`Percent`), an amount per post per month
  (:class:`PerPost`) or an amount per household from a table of household type × size
  (:class:`PerHousehold`), optionally capped;
- who receives it: a :class:`Selector` over beneficiaries (household status, monitor
  type, labour capacity, post holders, the collective, a reserve, named ids);
- how it is split inside: equal, by weight, by table, by days worked, per post
  (:class:`SplitMethod`);
- and what it is for (:class:`Purpose`, checked against the policy's prohibited purposes).

:func:`run_plan` returns an :class:`~assetreg.income.results.Allocation`; whatever the tiers
leave goes to the plan's ``remainder_to``. A plan that would give more than the pool, leave
money without saying where it goes, pay an ineligible party, serve a prohibited purpose
or hand equal cash to every household is refused with
:class:`~assetreg.errors.PlanRefused`, ``details["reason"]`` one of :data:`REFUSAL_REASONS`.

Percentages of one base are computed together with :func:`~assetreg.income.allocate.allocate`
(largest remainder, keyed by tier), so 55 % / 30 % / 15 % of a pool always add up to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.money import Money
from assetreg.domain.rights import exact_rate
from assetreg.domain.vocab import (
    Base,
    HouseholdStatus,
    LaborCapacity,
    MonitorType,
    PayableUnit,
    Vocabulary,
    member_of,
)
from assetreg.errors import InvalidValue, PlanRefused, typed
from assetreg.income.allocate import allocate, integer_weights
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, Roster
from assetreg.income.purpose import Purpose
from assetreg.income.results import SPLIT_ZH, Allocation, AllocationLine, describe_rate
from assetreg.income.revenue import DistributableIncome

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from collections.abc import Set as AbstractSet
    from datetime import date

    from assetreg.domain.periods import Period

__all__ = [
    "DEFAULT_PRIORITY_ORDER",
    "DEFAULT_PROHIBITED_PURPOSES",
    "REFUSAL_REASONS",
    "Base",
    "DistributionPlan",
    "Fixed",
    "HouseholdTable",
    "PerHousehold",
    "PerPost",
    "Percent",
    "Purpose",
    "Selector",
    "SplitMethod",
    "TableRow",
    "Tier",
    "TierAmount",
    "describe_percent",
    "run_owner_plans",
    "run_plan",
    "split_by_owners",
]

REFUSAL_REASONS: Final = (
    "over_allocation",
    "unassigned_remainder",
    "ineligible_payee",
    "unknown_payee",
    "prohibited_purpose",
    "equal_cash_to_all",
    "negative_pool",
    "bad_split",
    "priority_order",
    "below_minimum",
    "above_maximum",
    "no_tier",
    "post_pay_below_floor",
    "post_pay_above_ceiling",
)
"""The stable codes in ``PlanRefused.details["reason"]``."""


class SplitMethod(Vocabulary):
    """How a tier's amount is shared among its recipients (分配方式)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _SPLIT_METHOD_ZH

    EQUAL = "equal"
    """Equal parts (平均分配)."""
    WEIGHTS = "weights"
    """By each beneficiary's ``weight`` (按权重); shares held go by ``SHARES``."""
    TABLE = "table"
    """By a household table (按户类型和人口标准)."""
    DAYS_WORKED = "days_worked"
    """By days of work done (按劳分配)."""
    PER_POST = "per_post"
    """By posts held (按岗位)."""
    SHARES = "shares"
    """By members' quantified shares (按股份分配, 折股量化), ``Beneficiary.shares``; a payee
    without recorded shares is refused (``bad_split``), issue 17."""


DEFAULT_PROHIBITED_PURPOSES: Final = frozenset(
    {"equal_cash", "committee_running_costs", "vehicles", "allowances", "debt_repayment"}
)
"""Purposes P6 forbids, as ``Policy.prohibited_purposes`` holds them by default."""

DEFAULT_PRIORITY_ORDER: Final = (
    Purpose.UPKEEP,
    Purpose.CONSOLIDATION,
    Purpose.PUBLIC_WELFARE_POSTS,
    Purpose.SMALL_PUBLIC_WORKS,
    Purpose.WORK_REWARDS,
)
"""The P6 order of uses, as ``Policy.priority_order`` holds it by default."""


def _statuses(values: Iterable[HouseholdStatus] | None) -> frozenset[HouseholdStatus] | None:
    return None if values is None else frozenset(values)


def _monitor_types(values: Iterable[MonitorType] | None) -> frozenset[MonitorType] | None:
    return None if values is None else frozenset(values)


def _labor(values: Iterable[LaborCapacity] | None) -> frozenset[LaborCapacity] | None:
    return None if values is None else frozenset(values)


def _kinds(values: Iterable[BeneficiaryKind]) -> frozenset[BeneficiaryKind]:
    return frozenset(values)


def _ids(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


@attrs.frozen(kw_only=True)
class Selector:
    """Which beneficiaries a tier pays (分配对象), all conditions together.

    Attributes:
        kinds: beneficiary kinds taken (households by default).
        statuses: household statuses taken, ``None`` = any.
        monitor_types: monitor types taken, ``None`` = any.
        labor: labour capacities taken, ``None`` = any.
        post_holders: only beneficiaries holding at least one public-welfare post.
        ids: named payees; when given, only these, and each must be eligible.
    """

    kinds: frozenset[BeneficiaryKind] = attrs.field(default=frozenset({BeneficiaryKind.HOUSEHOLD}), converter=_kinds)
    statuses: frozenset[HouseholdStatus] | None = attrs.field(default=None, converter=_statuses)
    monitor_types: frozenset[MonitorType] | None = attrs.field(default=None, converter=_monitor_types)
    labor: frozenset[LaborCapacity] | None = attrs.field(default=None, converter=_labor)
    post_holders: bool = False
    ids: tuple[str, ...] | None = attrs.field(default=None, converter=_ids)

    @classmethod
    def households(
        cls,
        *,
        statuses: Iterable[HouseholdStatus] | None = None,
        monitor_types: Iterable[MonitorType] | None = None,
        labor: Iterable[LaborCapacity] | None = None,
    ) -> Selector:
        """Households matching the given status, monitor type and labour capacity."""
        return cls(
            statuses=_statuses(statuses),
            monitor_types=_monitor_types(monitor_types),
            labor=_labor(labor),
        )

    @classmethod
    def posts(cls) -> Selector:
        """Holders of public-welfare posts (households or post holders)."""
        return cls(
            kinds=frozenset({BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.POST_HOLDER}),
            post_holders=True,
        )

    @classmethod
    def named(cls, *ids: str) -> Selector:
        """Exactly these payees (the collective, a reserve, a cooperative…)."""
        return cls(kinds=frozenset(BeneficiaryKind), ids=ids)

    def matches(self, beneficiary: Beneficiary) -> bool:
        """Whether ``beneficiary`` meets every condition (eligibility is judged apart)."""
        if self.ids is not None and beneficiary.id not in self.ids:
            return False
        if beneficiary.kind not in self.kinds:
            return False
        if self.post_holders and beneficiary.posts == 0:
            return False
        if self.statuses is not None and beneficiary.status not in self.statuses:
            return False
        if self.monitor_types is not None and beneficiary.monitor_type not in self.monitor_types:
            return False
        return self.labor is None or beneficiary.labor_capacity in self.labor

    @property
    def has_criteria(self) -> bool:
        """Whether the selector narrows households by any attribute."""
        return bool(
            self.post_holders
            or self.ids is not None
            or self.statuses is not None
            or self.monitor_types is not None
            or self.labor is not None
        )


@attrs.frozen(kw_only=True)
class TableRow:
    """One row of a household table (分类分档标准): a group, a size bracket, an amount.

    Attributes:
        label: the row as published (``"具有劳动能力的脱贫户 3-4人"``).
        group: which households the row is for (status, monitor type, labour).
        min_size: smallest household size in the bracket (people).
        max_size: largest household size, ``None`` = open.
        amount: 元 per household (fen).
        extra: an extra amount per household, e.g. back-pay (补发), fen.
    """

    label: str
    group: Selector
    min_size: int = 1
    max_size: int | None = None
    amount: Money
    extra: Money = attrs.field(factory=Money.zero)

    def matches(self, beneficiary: Beneficiary) -> bool:
        """Whether the row applies to ``beneficiary``."""
        if not self.group.matches(beneficiary) or beneficiary.size < self.min_size:
            return False
        return self.max_size is None or beneficiary.size <= self.max_size


@attrs.frozen(kw_only=True)
class HouseholdTable:
    """A table of amounts by household type × size; the first matching row applies.

    Attributes:
        rows: the rows, in the order they are tried.
        source: where the table comes from (notice title and URL).
    """

    rows: tuple[TableRow, ...]
    source: str = ""

    def lookup(self, beneficiary: Beneficiary) -> TableRow | None:
        """The row for ``beneficiary``, or ``None`` when no row applies."""
        return next((row for row in self.rows if row.matches(beneficiary)), None)


@attrs.frozen
class Fixed:
    """A fixed amount (固定金额), fen."""

    amount: Money = attrs.field(validator=typed(Money, "金额 Money"))


@attrs.frozen
class Percent:
    """A percentage of a base (按比例): ``rate`` of gross, net or what remains."""

    rate: Fraction = attrs.field(converter=exact_rate)
    of: Base = attrs.field(default=Base.NET, validator=member_of(Base))

    def __attrs_post_init__(self) -> None:
        """Refuse a rate outside [0, 1]."""
        if not 0 <= self.rate <= 1:
            raise InvalidValue(
                f"rate {self.rate} is outside [0, 1]",
                f"比例 {self.rate} 不在 0 到 1 之间",
                field="rate",
                actual=str(self.rate),
            )


@attrs.frozen
class PerPost:
    """An amount per post per month (每岗每月), for ``months`` months."""

    monthly: Money = attrs.field(validator=typed(Money, "金额 Money"))
    months: int = 12


@attrs.frozen
class PerHousehold:
    """Amounts per household from a table of household type × size (按户分档)."""

    table: HouseholdTable


TierAmount = Fixed | Percent | PerPost | PerHousehold
"""How much a tier takes."""


@attrs.frozen(kw_only=True)
class Tier:
    """One step of a distribution plan (分配层级).

    Attributes:
        name: the tier's name, cited on every line (e.g. ``"公益性岗位"``).
        amount: how much it takes.
        recipients: who receives it.
        split: how it is shared among the recipients.
        purpose: what the money is for (checked against prohibited purposes).
        cap: the most the tier may take (fen), or ``None``.
        minimum: the least the tier must pay, as a share of gross or net income
            (``Percent(Fraction(80, 100), Base.GROSS)`` for "不低于收益的 80%"), or ``None``.
            What the tier pays must reach ``rate × base`` rounded down to the payable unit (a
            part of a fen, or of a 元 when paying whole 元, cannot be paid); one unit less and
            the plan is refused (``below_minimum``).
        maximum: the most the tier may pay, as a share of gross or net income, or ``None``
            (``above_maximum`` when exceeded by a fen).

    Raises:
        InvalidValue: a minimum or maximum on what remains (the rule's base is gross or
            net income), or a minimum above the maximum.
    """

    name: str
    amount: TierAmount
    recipients: Selector
    split: SplitMethod = attrs.field(default=SplitMethod.EQUAL, validator=member_of(SplitMethod))
    purpose: Purpose = attrs.field(default=Purpose.OTHER, validator=member_of(Purpose))
    cap: Money | None = None
    minimum: Percent | None = None
    maximum: Percent | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse bounds on what remains and a minimum above the maximum."""
        for name in ("minimum", "maximum"):
            bound = getattr(self, name)
            if bound is not None and bound.of is Base.REMAINING:
                raise InvalidValue(
                    f"tier {self.name!r}: a {name} is a share of gross or net income, not of what remains",
                    f"层级「{self.name}」的{'下限' if name == 'minimum' else '上限'}应按收益总额或可分配收益计算",
                    record=self.name,
                    field=name,
                    actual=bound.of.value,
                    expected="gross or net",
                )
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and low.of is high.of and low.rate > high.rate:
            raise InvalidValue(
                f"tier {self.name!r}: minimum {low.rate} is above maximum {high.rate}",
                f"层级「{self.name}」下限 {low.rate} 高于上限 {high.rate}",
                record=self.name,
                field="minimum",
                actual=str(low.rate),
                expected=f"at most {high.rate}",
            )


@attrs.frozen(kw_only=True)
class DistributionPlan:
    """An ordered list of tiers applied to distributable income (收益分配方案).

    Attributes:
        id: plan id.
        name: plan name (for the notice).
        tiers: the tiers, applied in order.
        remainder_to: the payee (collective or reserve id) that receives what the tiers
            leave, or ``None`` — then any remainder makes the plan refused.
        source: where the plan's rule comes from (document, notice URL, "county practice").
    """

    id: str
    name: str
    tiers: tuple[Tier, ...]
    remainder_to: str | None = None
    source: str = ""


def _refuse(reason: str, en: str, zh: str, *, plan: DistributionPlan, **fields: object) -> PlanRefused:
    return PlanRefused(
        en,
        zh,
        record=plan.id,
        details={"reason": reason, **fields},
        field=str(fields.get("tier")) if "tier" in fields else None,
    )


def _check_priority(plan: DistributionPlan, priority_order: Sequence[Purpose]) -> None:
    """Refuse tiers that serve the P6 purposes out of the policy's priority order."""
    rank = {p: i for i, p in enumerate(priority_order)}
    last: Tier | None = None
    for tier in plan.tiers:
        if tier.purpose not in rank:
            continue
        if last is not None and rank[tier.purpose] < rank[last.purpose]:
            order = " > ".join(p.value for p in priority_order)
            raise _refuse(
                "priority_order",
                f"tier {tier.name!r} ({tier.purpose.value}) comes after tier {last.name!r} "
                f"({last.purpose.value}); the policy's priority order is {order} (P6)",
                f"层级「{tier.name}」（{tier.purpose.label_zh}）排在「{last.name}」（{last.purpose.label_zh}）之后，"
                f"不符合收益使用顺序 {' > '.join(p.label_zh for p in priority_order)}",
                plan=plan,
                tier=tier.name,
                purpose=tier.purpose.value,
                after=last.purpose.value,
                priority_order=[p.value for p in priority_order],
            )
        last = tier


def _check_post_pay(plan: DistributionPlan, floor: Money | None, ceiling: Money | None) -> None:
    """Refuse a monthly post pay below the county's floor or above its ceiling."""
    for tier in plan.tiers:
        if not isinstance(tier.amount, PerPost):
            continue
        monthly = tier.amount.monthly
        if floor is not None and monthly < floor:
            raise _refuse(
                "post_pay_below_floor",
                f"tier {tier.name!r} pays {monthly} a post a month, below the floor of {floor}; "
                f"short by {floor - monthly} a month",
                f"层级「{tier.name}」每岗每月 {monthly}，低于标准下限 {floor}，每月少 {floor - monthly}",
                plan=plan,
                tier=tier.name,
                required=floor.to_json(),
                offered=monthly.to_json(),
                shortfall=(floor - monthly).to_json(),
            )
        if ceiling is not None and monthly > ceiling:
            raise _refuse(
                "post_pay_above_ceiling",
                f"tier {tier.name!r} pays {monthly} a post a month, above the ceiling of {ceiling}",
                f"层级「{tier.name}」每岗每月 {monthly}，高于标准上限 {ceiling}",
                plan=plan,
                tier=tier.name,
                allowed=ceiling.to_json(),
                offered=monthly.to_json(),
                excess=(monthly - ceiling).to_json(),
            )


def _bound_fen(bound: Percent, bases: Mapping[Base, Money], unit: PayableUnit) -> int:
    """``rate × base`` rounded down to the payable unit (a part of a unit cannot be paid)."""
    fen = int(bound.rate * bases[bound.of].fen)
    return fen - fen % unit.fen


def _check_bounds(context: _Context, tier: Tier, taken: int) -> None:
    """Refuse a tier paying less than its minimum or more than its maximum (P9 splits)."""
    plan = context.plan
    if tier.minimum is not None:
        required = _bound_fen(tier.minimum, context.bases, context.unit)
        if taken < required:
            base = context.bases[tier.minimum.of]
            pct = describe_percent(tier.minimum.rate)
            raise _refuse(
                "below_minimum",
                f"tier {tier.name!r} pays {Money(taken)}, less than the required {pct} of "
                f"{tier.minimum.of.value} income {base} = {Money(required)}; short by {Money(required - taken)}",
                f"层级「{tier.name}」实分 {Money(taken)}，低于{tier.minimum.of.label_zh} {base} 的 {pct}"
                f"（{Money(required)}），差 {Money(required - taken)}",
                plan=plan,
                tier=tier.name,
                base=tier.minimum.of.value,
                base_amount=base.to_json(),
                rate=str(tier.minimum.rate),
                required=Money(required).to_json(),
                offered=Money(taken).to_json(),
                shortfall=Money(required - taken).to_json(),
            )
    if tier.maximum is not None:
        allowed = _bound_fen(tier.maximum, context.bases, context.unit)
        if taken > allowed:
            base = context.bases[tier.maximum.of]
            pct = describe_percent(tier.maximum.rate)
            raise _refuse(
                "above_maximum",
                f"tier {tier.name!r} pays {Money(taken)}, more than {pct} of {tier.maximum.of.value} "
                f"income {base} = {Money(allowed)}; over by {Money(taken - allowed)}",
                f"层级「{tier.name}」实分 {Money(taken)}，超过{tier.maximum.of.label_zh} {base} 的 {pct}"
                f"（{Money(allowed)}），超出 {Money(taken - allowed)}",
                plan=plan,
                tier=tier.name,
                base=tier.maximum.of.value,
                base_amount=base.to_json(),
                rate=str(tier.maximum.rate),
                allowed=Money(allowed).to_json(),
                offered=Money(taken).to_json(),
                excess=Money(taken - allowed).to_json(),
            )


def describe_percent(rate: Fraction) -> str:
    """A rate as a percentage, exact: ``Fraction(3, 5)`` → ``"60%"``, ``Fraction(1, 64)`` → ``"1.5625%"``.

    A rate without a finite decimal percentage is shown as the fraction (``"1/3"``).
    """
    value = rate * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return str(rate)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    digits = str(abs(value.numerator * 10**places // value.denominator)).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}%"


def _validate(
    plan: DistributionPlan,
    prohibited: frozenset[str],
    by_id: Mapping[str, Beneficiary],
) -> None:
    for tier in plan.tiers:
        if tier.purpose.value in prohibited:
            raise _refuse(
                "prohibited_purpose",
                f"tier {tier.name!r} pays for a prohibited purpose: {tier.purpose.value}",
                f"层级「{tier.name}」用途「{tier.purpose.value}」属于禁止用途",
                plan=plan,
                tier=tier.name,
                purpose=tier.purpose.value,
            )
        table_like = isinstance(tier.amount, PerHousehold | PerPost)
        wants_table = tier.split in {SplitMethod.TABLE, SplitMethod.PER_POST}
        if (
            table_like != wants_table
            or (isinstance(tier.amount, PerPost) and tier.split is not SplitMethod.PER_POST)
            or (isinstance(tier.amount, PerHousehold) and tier.split is not SplitMethod.TABLE)
        ):
            raise _refuse(
                "bad_split",
                f"tier {tier.name!r}: split {tier.split.value} does not fit its amount",
                f"层级「{tier.name}」的分配方式与金额类型不匹配",
                plan=plan,
                tier=tier.name,
            )
        for payee in tier.recipients.ids or ():
            if payee not in by_id:
                raise _refuse(
                    "unknown_payee",
                    f"tier {tier.name!r} names payee {payee!r} who is not a beneficiary",
                    f"层级「{tier.name}」指定的对象 {payee} 不在受益对象中",
                    plan=plan,
                    tier=tier.name,
                    payee=payee,
                )
    if plan.remainder_to is not None and plan.remainder_to not in by_id:
        raise _refuse(
            "unknown_payee",
            f"remainder goes to {plan.remainder_to!r}, who is not a beneficiary",
            f"剩余资金去向 {plan.remainder_to} 不在受益对象中",
            plan=plan,
            payee=plan.remainder_to,
        )


def _percent_amounts(plan: DistributionPlan, base: Base, amount: Money) -> dict[int, Money]:
    """Amounts of all percentage tiers on one fixed base, split together (sum-preserving)."""
    indexed = [
        (i, t.amount.rate) for i, t in enumerate(plan.tiers) if isinstance(t.amount, Percent) and t.amount.of is base
    ]
    if not indexed:
        return {}
    rest = 1 - sum((rate for _, rate in indexed), Fraction(0))
    if rest < 0:
        raise _refuse(
            "over_allocation",
            f"percentages of {base.value} add up to {1 - rest}, more than 100%",
            f"按{base.value}计算的比例合计 {1 - rest} 超过 100%",
            plan=plan,
            base=base.value,
        )
    weights = [rate for _, rate in indexed] + [rest]
    keys = [i for i, _ in indexed] + [len(plan.tiers)]
    if amount.fen <= 0 or sum(weights) == 0:
        return {i: Money(0) for i, _ in indexed}
    parts = allocate(amount, weights, keys=keys)
    return {i: part for (i, _), part in zip(indexed, parts, strict=False)}


def _weights(tier: Tier, payees: Sequence[Beneficiary]) -> list[int]:
    """Integer weights of the payees (exact weights brought to a common denominator)."""
    if tier.split is SplitMethod.EQUAL:
        return [1] * len(payees)
    if tier.split is SplitMethod.WEIGHTS:
        return integer_weights([b.weight for b in payees])
    if tier.split is SplitMethod.DAYS_WORKED:
        return [b.days_worked for b in payees]
    if tier.split is SplitMethod.SHARES:
        return integer_weights([_shares_held(tier, b) for b in payees])
    return [b.posts for b in payees]


def _shares_held(tier: Tier, payee: Beneficiary) -> Fraction:
    """``payee``'s quantified shares for a ``shares`` split; none recorded is refused, not taken as 1."""
    if payee.shares is None:
        raise PlanRefused(
            f"tier {tier.name!r} splits by shares, but payee {payee.id} has no recorded shares",
            f"层级「{tier.name}」按股份分配，但对象 {payee.id} 没有登记股份",
            record=payee.id,
            field="shares",
            details={"reason": "bad_split", "tier": tier.name},
        )
    return payee.shares


def run_plan(
    plan: DistributionPlan,
    income: DistributableIncome | Money,
    beneficiaries: Iterable[Beneficiary],
    *,
    as_of: date,
    roster: Roster | None = None,
    period: Period | None = None,
    owner_id: str | None = None,
    prohibited_purposes: Iterable[str | Purpose] = DEFAULT_PROHIBITED_PURPOSES,
    forbid_equal_cash: bool = True,
    priority_order: Sequence[Purpose] = DEFAULT_PRIORITY_ORDER,
    post_monthly_floor: Money | None = None,
    post_monthly_ceiling: Money | None = None,
    payable_unit: PayableUnit | str = PayableUnit.FEN,
) -> Allocation:
    """Run ``plan`` over the distributable income and return the allocation (DESIGN §8).

    Tiers are applied in order. Percentages of gross and of net are computed together per
    base by largest remainder; percentages of what remains, fixed amounts, per-post and
    per-household amounts in turn. Each tier's amount is split among its eligible
    recipients; a tier with no eligible recipient takes nothing (its money stays in the
    pool). What the tiers leave goes to ``plan.remainder_to``.

    Args:
        plan: the plan.
        income: the distributable income (pool = ``net``, base of gross percentages =
            ``gross``), or a Money pool used as both.
        beneficiaries: the payees the plan may select from (households, collective, …).
        as_of: the day eligibility is judged (no clock is read).
        roster: the beneficiary list (P11); when given, households and post holders must
            be on it on ``as_of`` — exited ones are left out and their share stays in the
            pool; named payees not on it make the plan refused. The collective, reserves and
            other parties need not be on it.
        period: the income period, recorded on the result.
        owner_id: the owner whose share of income this is, recorded on the result.
        prohibited_purposes: purposes refused (``Policy.prohibited_purposes``) **[cfg]**.
        forbid_equal_cash: refuse an equal split of cash over every household (P6,
            ``Policy.forbid_equal_cash``) **[cfg]**.
        priority_order: the P6 purposes in the order income must serve them
            (``Policy.priority_order``) **[cfg]**; tiers serving them out of order are refused.
        post_monthly_floor: the least a public-welfare post may be paid a month
            (``Policy.post_monthly_floor``) **[cfg]**, or ``None``.
        post_monthly_ceiling: the most a post may be paid a month
            (``Policy.post_monthly_ceiling``) **[cfg]**, or ``None``.
        payable_unit: the unit tier payments are made in (``Policy.payable_unit``) **[cfg]**:
            fen, 角 or whole 元. Each tier's amount is rounded down to the unit and split by
            largest remainder in whole units; the fen that rounding leaves stay in the pool
            and go to ``remainder_to`` (its line says how much was rounding), so the
            allocation still reconciles to the pool.

    Returns:
        The :class:`~assetreg.income.results.Allocation`, reconciled to the fen.

    Raises:
        PlanRefused: with ``details["reason"]``: ``over_allocation`` (tiers take more than
            the pool, or percentages of a base over 100 %), ``unassigned_remainder``,
            ``ineligible_payee``, ``unknown_payee``, ``prohibited_purpose``,
            ``equal_cash_to_all``, ``negative_pool``, ``bad_split``, ``priority_order``,
            ``below_minimum`` / ``above_maximum`` (a tier's share bound; the details name
            the tier, base, rate, required and offered amounts and the shortfall),
            ``no_tier`` (a household matching no row of a table tier),
            ``post_pay_below_floor`` / ``post_pay_above_ceiling``.
    """
    gross, pool = (income.gross, income.net) if isinstance(income, DistributableIncome) else (income, income)
    people = list(beneficiaries)
    by_id = {b.id: b for b in people}
    prohibited = frozenset(p.value if isinstance(p, Purpose) else p for p in prohibited_purposes)
    _validate(plan, prohibited, by_id)
    _check_priority(plan, priority_order)
    _check_post_pay(plan, post_monthly_floor, post_monthly_ceiling)
    if pool.is_negative():
        raise _refuse(
            "negative_pool",
            f"distributable income is negative: {pool}",
            f"可分配收益为负数：{pool}",
            plan=plan,
        )

    on_roster = None if roster is None else roster.eligible_on(as_of)

    def eligible(b: Beneficiary) -> bool:
        return on_roster is None or b.kind not in _ROSTERED or b.id in on_roster

    households = {b.id for b in people if b.is_household and eligible(b)}
    context = _Context(
        plan=plan,
        bases={Base.GROSS: gross, Base.NET: pool},
        percent=_percent_amounts(plan, Base.GROSS, gross) | _percent_amounts(plan, Base.NET, pool),
        unit=PayableUnit.parse(payable_unit, field="payable_unit"),
    )
    lines: list[AllocationLine] = []
    returned: dict[str, None] = {}
    remaining = pool.fen
    for index, tier in enumerate(plan.tiers):
        payees = _payees(plan, tier, people, eligible=eligible, returned=returned, as_of=as_of)
        if forbid_equal_cash:
            _check_equal_cash(plan, tier, payees, households)
        tier_lines = _tier_lines(context, index, tier, payees, remaining)
        taken = sum(line.amount.fen for line in tier_lines)
        _check_bounds(context, tier, taken)
        if taken > remaining:
            raise _refuse(
                "over_allocation",
                f"tier {tier.name!r} needs {Money(taken)}, only {Money(remaining)} is left",
                f"层级「{tier.name}」需 {Money(taken)}，仅剩 {Money(remaining)}",
                plan=plan,
                tier=tier.name,
                needed=Money(taken).to_json(),
                left=Money(remaining).to_json(),
            )
        remaining -= taken
        lines.extend(tier_lines)
    if remaining:
        lines.append(_remainder_line(plan, by_id, remaining, pool=pool, rounded=sum(context.rounded)))
    return Allocation(
        plan_id=plan.id,
        plan_name=plan.name,
        as_of=as_of,
        pool=pool,
        gross=gross,
        lines=tuple(lines),
        period=period,
        owner_id=owner_id,
        returned=tuple(returned),
    )


_ROSTERED = frozenset({BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.POST_HOLDER})


@attrs.frozen
class _Context:
    plan: DistributionPlan
    bases: Mapping[Base, Money]
    percent: Mapping[int, Money]
    unit: PayableUnit = PayableUnit.FEN
    rounded: list[int] = attrs.field(factory=list)  # fen each tier left by rounding to the unit


def _payees(
    plan: DistributionPlan,
    tier: Tier,
    people: Sequence[Beneficiary],
    *,
    eligible: Callable[[Beneficiary], bool],
    returned: dict[str, None],
    as_of: date,
) -> list[Beneficiary]:
    """The tier's eligible recipients by id; exited ones are noted in ``returned``."""
    payees = []
    for b in people:
        if not tier.recipients.matches(b):
            continue
        if eligible(b):
            payees.append(b)
        elif tier.recipients.ids is not None:
            raise _refuse(
                "ineligible_payee",
                f"tier {tier.name!r} pays {b.id!r}, who is not eligible on {as_of}",
                f"层级「{tier.name}」的对象 {b.id} 在 {as_of} 不符合受益条件",
                plan=plan,
                tier=tier.name,
                payee=b.id,
            )
        else:
            returned[b.id] = None
    payees.sort(key=lambda b: b.id)
    return payees


def _check_equal_cash(
    plan: DistributionPlan, tier: Tier, payees: Sequence[Beneficiary], households: AbstractSet[str]
) -> None:
    """Refuse an equal split over every eligible household (简单发钱, P6)."""
    if tier.split is not SplitMethod.EQUAL or len(households) < 2:  # noqa: PLR2004 - "everyone" needs two
        return
    if households <= {b.id for b in payees}:
        raise _refuse(
            "equal_cash_to_all",
            f"tier {tier.name!r} hands equal cash to every household (简单发钱, P6)",
            f"层级「{tier.name}」向全体农户平均发放现金，属于“简单发钱”",
            plan=plan,
            tier=tier.name,
        )


def _remainder_line(
    plan: DistributionPlan, by_id: Mapping[str, Beneficiary], remaining: int, *, pool: Money, rounded: int
) -> AllocationLine:
    if plan.remainder_to is None:
        share = Fraction(remaining, pool.fen) if pool.fen else Fraction(0)
        of_rounding = f", of which {Money(rounded)} is rounding to the payable unit" if rounded else ""
        raise _refuse(
            "unassigned_remainder",
            f"{Money(remaining)} ({share} = {describe_percent(share)} of the pool {pool}) is left and the plan "
            f"does not say where it goes{of_rounding}",
            f"剩余 {Money(remaining)}（占可分配收益 {pool} 的 {share}，即 {describe_percent(share)}）未指明去向"
            + (f"，其中取整差额 {Money(rounded)}" if rounded else ""),
            plan=plan,
            left=Money(remaining).to_json(),
            share=str(share),
            percent=describe_percent(share),
            rounding=Money(rounded).to_json(),
        )
    payee = by_id[plan.remainder_to]
    basis = f"剩余资金 {Money(remaining)}" + (f"（含取整差额 {Money(rounded)}）" if rounded else "")
    return AllocationLine(
        tier="remainder",
        tier_index=-1,
        purpose=_remainder_purpose(payee),
        beneficiary_id=payee.id,
        beneficiary_kind=payee.kind,
        beneficiary_name=payee.name,
        amount=Money(remaining),
        base="remainder",
        base_amount=Money(remaining),
        rate=None,
        tier_amount=Money(remaining),
        share=Fraction(1),
        weight=1,
        basis=basis,
    )


def _remainder_purpose(payee: Beneficiary) -> Purpose:
    if payee.kind is BeneficiaryKind.COLLECTIVE:
        return Purpose.COLLECTIVE_ACCUMULATION
    if payee.kind is BeneficiaryKind.RESERVE:
        return Purpose.RESERVE
    return Purpose.OTHER


def _tier_lines(
    context: _Context, index: int, tier: Tier, payees: Sequence[Beneficiary], remaining: int
) -> list[AllocationLine]:
    spec = tier.amount
    if not payees:
        return []
    if isinstance(spec, PerHousehold | PerPost):
        return _owed_lines(context, index, tier, spec, payees)
    return _share_lines(context, index, tier, spec=spec, payees=payees, remaining=remaining)


def _owed_lines(
    context: _Context, index: int, tier: Tier, spec: PerHousehold | PerPost, payees: Sequence[Beneficiary]
) -> list[AllocationLine]:
    """Lines of a per-post or per-household table tier (each payee owed its own amount).

    With a payable unit above the fen each amount is rounded down to the unit (a capped
    tier splits its cap by largest remainder in whole units); what that leaves stays in
    the pool and is shown on the remainder line.
    """
    plan, unit = context.plan, context.unit.fen
    owed: list[tuple[Beneficiary, int, str]] = []
    for b in payees:
        if isinstance(spec, PerPost):
            fen = spec.monthly.fen * b.posts * spec.months
            owed.append((b, fen, f"{b.posts} 岗 × {spec.monthly} × {spec.months} 月"))
            continue
        row = spec.table.lookup(b)
        if row is None:
            raise _no_tier(plan, tier, b)
        extra = f" + {row.extra}" if row.extra else ""
        owed.append((b, row.amount.fen + row.extra.fen, f"{row.label} {row.amount}{extra}"))
    owed = [o for o in owed if o[1]]
    if not owed:
        return []
    amounts = [fen for _, fen, _ in owed]
    total = sum(amounts)
    if tier.cap is not None and total > tier.cap.fen:
        units = allocate(tier.cap.fen // unit, amounts, keys=[b.id for b, _, _ in owed])
        amounts = [u * unit for u in units]
        context.rounded.append(tier.cap.fen - sum(amounts))
    elif unit > 1:
        paid = [fen - fen % unit for fen in amounts]
        context.rounded.append(total - sum(paid))
        amounts = paid
    total = sum(amounts)
    base_name = "per_post" if isinstance(spec, PerPost) else "table"
    return [
        AllocationLine(
            tier=tier.name,
            tier_index=index,
            purpose=tier.purpose,
            beneficiary_id=b.id,
            beneficiary_kind=b.kind,
            beneficiary_name=b.name,
            amount=Money(paid),
            base=base_name,
            base_amount=Money(fen),
            rate=None,
            tier_amount=Money(total),
            share=Fraction(paid, total) if total else Fraction(0),
            weight=fen,
            basis=text,
        )
        for (b, fen, text), paid in zip(owed, amounts, strict=True)
    ]


def _no_tier(plan: DistributionPlan, tier: Tier, b: Beneficiary) -> PlanRefused:
    """The refusal for a selected household that no row of the table fits (nothing is left out silently)."""
    status = "none" if b.status is None else b.status.value
    labor = "none given" if b.labor_capacity is None else b.labor_capacity.value
    monitor = "" if b.monitor_type is None else f", {b.monitor_type.value}"
    return _refuse(
        "no_tier",
        f"tier {tier.name!r}: household {b.id} ({status}{monitor}, labour {labor}, {b.size} people) "
        "matches no row of the table (no tier)",
        f"层级「{tier.name}」：农户 {b.id}（{b.status.label_zh if b.status else '未注明类型'}，{b.size} 人）"
        "不属于分档标准中的任何一档",
        plan=plan,
        tier=tier.name,
        payee=b.id,
        status=status,
        labor_capacity=None if b.labor_capacity is None else b.labor_capacity.value,
        size=b.size,
        rows=[row.label for row in tier.amount.table.rows] if isinstance(tier.amount, PerHousehold) else [],
    )


def _share_lines(
    context: _Context,
    index: int,
    tier: Tier,
    *,
    spec: Fixed | Percent,
    payees: Sequence[Beneficiary],
    remaining: int,
) -> list[AllocationLine]:
    """Lines of a fixed or percentage tier, split by the tier's method."""
    rate: Fraction | None = None
    if isinstance(spec, Fixed):
        base_name, base_amount, amount = "fixed", spec.amount, spec.amount.fen
    elif spec.of is Base.REMAINING:
        rate = spec.rate
        base_name, base_amount = Base.REMAINING.value, Money(remaining)
        amount = allocate(remaining, [spec.rate, 1 - spec.rate], keys=[0, 1])[0] if remaining else 0
    else:
        rate = spec.rate
        base_name, base_amount = spec.of.value, context.bases[spec.of]
        amount = context.percent[index].fen
    if tier.cap is not None:
        amount = min(amount, tier.cap.fen)
    weights = _weights(tier, payees)
    whole = sum(weights)
    if amount == 0 or whole == 0:
        return []
    unit = context.unit.fen
    if unit > 1:  # largest remainder in whole units; the fen below one unit stay in the pool
        context.rounded.append(amount % unit)
        amount -= amount % unit
    parts = [p * unit for p in allocate(amount // unit, weights, keys=[b.id for b in payees])]
    tier_amount = Money(amount)
    label = describe_rate(rate, base_name, base_amount)
    name, purpose, split = tier.name, tier.purpose, tier.split.value
    single = len(payees) == 1
    return [
        AllocationLine(
            tier=name,
            tier_index=index,
            purpose=purpose,
            beneficiary_id=b.id,
            beneficiary_kind=b.kind,
            beneficiary_name=b.name,
            amount=Money(paid),
            base=base_name,
            base_amount=base_amount,
            rate=rate,
            tier_amount=tier_amount,
            share=Fraction(w, whole),
            weight=w,
            basis=label if single else f"{label}，{SPLIT_ZH.get(split, split)} {w}/{whole}",
        )
        for b, w, paid in zip(payees, weights, parts, strict=True)
        if paid or w
    ]


def split_by_owners(amount: Money, shares: Mapping[str, Fraction]) -> dict[str, Money]:
    """Split income among an asset's owners by their ownership shares at the period (P4).

    A station built jointly by several villages earns for each in proportion to its share;
    the split is :func:`~assetreg.income.allocate.allocate` keyed by owner id, so it adds
    up exactly and does not depend on the order of ``shares``.

    Args:
        amount: the income to split (fen).
        shares: owner id → exact share (``Fraction``), as the ownership right holds them.

    Returns:
        Owner id → amount, in the order of ``shares``.

    Raises:
        AllocationError: no owners, negative or all-zero shares.
        TypeError: a float share.
    """
    owners = list(shares)
    parts = allocate(amount, [shares[o] for o in owners], keys=owners)
    return dict(zip(owners, parts, strict=True))


def run_owner_plans(
    income: DistributableIncome,
    shares: Mapping[str, Fraction],
    plans: Mapping[str, DistributionPlan],
    beneficiaries: Mapping[str, Iterable[Beneficiary]],
    *,
    as_of: date,
    rosters: Mapping[str, Roster] | None = None,
    period: Period | None = None,
    prohibited_purposes: Iterable[str | Purpose] = DEFAULT_PROHIBITED_PURPOSES,
    forbid_equal_cash: bool = True,
    priority_order: Sequence[Purpose] = DEFAULT_PRIORITY_ORDER,
    post_monthly_floor: Money | None = None,
    post_monthly_ceiling: Money | None = None,
    payable_unit: PayableUnit | str = PayableUnit.FEN,
) -> tuple[Allocation, ...]:
    """Split income among several owners by share, then run each owner's plan on its part.

    Gross and net are both split by :func:`split_by_owners`, so each owner's gross-based
    percentages use its own share of gross.

    Args:
        income: the asset's distributable income for the period.
        shares: owner id → exact ownership share at the period.
        plans: owner id → that owner's plan.
        beneficiaries: owner id → that owner's payees.
        as_of: eligibility day.
        rosters: owner id → beneficiary list (optional).
        period: the income period.
        prohibited_purposes: as :func:`run_plan`.
        forbid_equal_cash: as :func:`run_plan`.
        priority_order: as :func:`run_plan`.
        post_monthly_floor: as :func:`run_plan`.
        post_monthly_ceiling: as :func:`run_plan`.
        payable_unit: as :func:`run_plan`.

    Returns:
        One allocation per owner, in the order of ``shares``.

    Raises:
        PlanRefused: an owner has no plan (``details["reason"] == "unknown_payee"``) or its
            plan is refused.
    """
    gross = split_by_owners(income.gross, shares)
    net = split_by_owners(income.net, shares)
    results = []
    for owner in shares:
        if owner not in plans:
            raise PlanRefused(
                f"owner {owner!r} has no distribution plan",
                f"产权主体 {owner} 没有收益分配方案",
                record=owner,
                details={"reason": "unknown_payee", "owner": owner},
            )
        part = DistributableIncome(gross=gross[owner], deducted=(), not_deducted=(), net=net[owner])
        results.append(
            run_plan(
                plans[owner],
                part,
                beneficiaries.get(owner, ()),
                as_of=as_of,
                roster=None if rosters is None else rosters.get(owner),
                period=period,
                owner_id=owner,
                prohibited_purposes=prohibited_purposes,
                forbid_equal_cash=forbid_equal_cash,
                priority_order=priority_order,
                post_monthly_floor=post_monthly_floor,
                post_monthly_ceiling=post_monthly_ceiling,
                payable_unit=payable_unit,
            )
        )
    return tuple(results)


_SPLIT_METHOD_ZH: Final[Mapping[Any, str]] = {
    SplitMethod.EQUAL: "平均分配",
    SplitMethod.WEIGHTS: "按权重",
    SplitMethod.TABLE: "按户类型和人口标准",
    SplitMethod.DAYS_WORKED: "按劳分配",
    SplitMethod.PER_POST: "按岗位",
    SplitMethod.SHARES: "按股份",
}
