"""Depreciation and book values (折旧与账面价值): 原值, 累计折旧, 净值 under rule P13.

DESIGN §7 P13, after the village collective accounting rules (《村集体经济组织会计制度》,
财会〔2004〕12号; revised as 《农村集体经济组织会计制度》, 财会〔2023〕14号, in force
2024-01-01):

* fixed assets are items with a life over one year and a unit value of at least the
  policy's threshold (500 元) — :func:`is_fixed_asset`;
* depreciation is straight-line (平均年限法) or units-of-production (工作量法), chosen once
  per asset — :class:`DepreciationMethod`, held in a :class:`DepreciationPlan`;
* an asset added in a month starts depreciating the next month (当月增加，当月不提，
  下月起计提) — :attr:`StartRule.NEXT_MONTH`;
* an asset removed in a month is still depreciated that month (当月减少，当月照提);
* a fully depreciated asset is not depreciated further (提足折旧后不再计提);
* draught animals and productive trees (产役畜、经济林木) are depreciated straight-line with
  the policy's residual rate (5 %) — :func:`plan_for`;
* a donated asset without any value evidence is booked at a nominal amount —
  :func:`donated_book_value`.

Everything is integer fen and exact ``Fraction`` arithmetic. Amounts are brought to whole fen
only through :func:`~assetreg.domain.money.round_fen` with the caller's (the policy's)
:class:`~assetreg.domain.money.RoundingMode`.

**Rounding leftovers.** A straight-line charge per period is the exact share of the
depreciable base (原值 − 预计净残值) rounded once; the last period of the useful life takes
whatever is left (尾差倒挤), so the charges of a full life add up to the depreciable base
exactly. No charge ever takes the accumulated depreciation past the base: under rounding
up (``UP``/``CEILING``) a tiny base can be fully depreciated before its last month, and the
schedule then stops there. Units-of-production charges work the same way, the period in
which recorded usage reaches the total units taking the leftover.

**Periods.** Schedules run in calendar months (or blocks of ``frequency_months`` months
starting with the first depreciation month). A period is half-open ``[start, end)`` and
is charged when it is over: :func:`depreciation_schedule` lists the periods that end on or
before ``until``; :func:`book_values` gives the values at the close of day ``as_of``.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from assetreg.domain.assets import Asset
from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.vocab import AssetForm, AssetKind
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidValue, wrong_type

__all__ = [
    "BIOLOGICAL_KINDS",
    "BookValues",
    "DepreciationMethod",
    "DepreciationPlan",
    "DepreciationRow",
    "ResidualTreatment",
    "StartRule",
    "Units",
    "book_values",
    "depreciation_schedule",
    "donated_book_value",
    "is_biological",
    "is_depreciable",
    "is_fixed_asset",
    "plan_for",
    "yearly",
]

Units = int | Fraction | Decimal
"""A quantity of work (units of production): exact ``int``, ``Fraction`` or ``Decimal``."""

BIOLOGICAL_KINDS: Final = frozenset({AssetKind.LIVESTOCK, AssetKind.TREES})
"""Kinds treated as productive biological assets (产役畜、经济林木) under P13."""

_MONTHS_IN_YEAR: Final = 12


class DepreciationMethod(enum.Enum):
    """How depreciation is spread (折旧方法), chosen once per asset (P13)."""

    STRAIGHT_LINE = "straight_line"
    """平均年限法 (年限平均法): the depreciable base in equal shares over the useful life."""
    UNITS_OF_PRODUCTION = "units_of_production"
    """工作量法: the depreciable base in proportion to the work done in each period."""


class StartRule(enum.Enum):
    """Which month depreciation starts in."""

    NEXT_MONTH = "next_month"
    """P13: an asset added in a month starts the next month (当月增加，下月起计提)."""
    SAME_MONTH = "same_month"
    """The month the asset enters service counts (the convention of ERPNext, OCA and Snipe-IT
    when the asset is available from the first day of the period)."""


class ResidualTreatment(enum.Enum):
    """How the residual value (预计净残值) limits a straight-line charge."""

    SPREAD = "spread"
    """The charge is (原值 − 残值) / life: the residual is deducted before spreading (P13)."""
    FLOOR = "floor"
    """The charge is 原值 / life and stops when the net value reaches the residual (OCA's
    *linear-limit* method)."""


def _units(value: Any, field: str) -> Fraction:
    if isinstance(value, float):
        raise wrong_type(field, value, "int, Decimal or Fraction", "整数、Decimal 或分数")
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise wrong_type(field, value, "int, Decimal or Fraction", "整数、Decimal 或分数")
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValue(f"{field} is not finite", f"{field} 不是有限数", field=field, actual=value)
    return Fraction(value)


def _units_or_none(value: Any) -> Fraction | None:
    return None if value is None else _units(value, "total_units")


def _rate(value: Any) -> Fraction:
    return _units(value, "residual_rate")


def _refuse(field: str, actual: object, expected: str, en: str, zh: str) -> InvalidValue:
    return InvalidValue(en, zh, field=field, actual=actual, expected=expected)


@attrs.frozen(kw_only=True)
class DepreciationPlan:
    """The depreciation terms of one asset (折旧方案).

    Attributes:
        method: straight-line or units-of-production (P13: chosen once).
        life_months: useful life in months (使用年限); required for straight-line.
        total_units: total work the asset is expected to do (预计总工作量), in the same
            units as the recorded usage; required for units-of-production.
        residual_rate: residual value as a share of the original value (预计净残值率),
            an exact ``Fraction`` in ``[0, 1)``; ``0`` by default.
        residual_amount: residual value as an amount in fen; when given it replaces
            ``residual_rate`` (which must then be 0).
        start: the month depreciation starts (P13: the month after entry into service).
        charge_removal_month: whether the month of removal is charged (P13: yes).
        residual_treatment: how the residual limits a straight-line charge (P13: spread).
        frequency_months: months per charged period; 1 (monthly, P13) by default, 12 for
            a yearly schedule.

    Raises:
        TypeError: a ``float`` quantity or rate.
        InvalidValue: the terms do not fit the method (no life, no total units, a rate
            outside ``[0, 1)``, both a rate and an amount, a frequency under one month).
    """

    method: DepreciationMethod = DepreciationMethod.STRAIGHT_LINE
    life_months: int | None = None
    total_units: Fraction | None = attrs.field(default=None, converter=_units_or_none)
    residual_rate: Fraction = attrs.field(default=Fraction(0), converter=_rate)
    residual_amount: Money | None = None
    start: StartRule = StartRule.NEXT_MONTH
    charge_removal_month: bool = True
    residual_treatment: ResidualTreatment = ResidualTreatment.SPREAD
    frequency_months: int = 1

    def __attrs_post_init__(self) -> None:  # noqa: C901 - one check per term
        for name in ("life_months", "frequency_months"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise wrong_type(name, value, "int months", "整数（月）")
        if self.life_months is not None and self.life_months < 1:
            raise _refuse("life_months", self.life_months, ">= 1", "useful life under one month", "使用年限不足一个月")
        if self.frequency_months < 1:
            raise _refuse(
                "frequency_months", self.frequency_months, ">= 1", "period under one month", "计提周期不足一个月"
            )
        if self.method is DepreciationMethod.STRAIGHT_LINE and self.life_months is None:
            raise _refuse(
                "life_months",
                None,
                "months",
                "straight-line depreciation needs a useful life",
                "平均年限法须给出使用年限",
            )
        if self.method is DepreciationMethod.UNITS_OF_PRODUCTION and (
            self.total_units is None or self.total_units <= 0
        ):
            raise _refuse(
                "total_units",
                self.total_units,
                "> 0",
                "units-of-production depreciation needs total units above 0",
                "工作量法须给出大于零的预计总工作量",
            )
        if not 0 <= self.residual_rate < 1:
            raise _refuse(
                "residual_rate",
                self.residual_rate,
                "0 <= rate < 1",
                "residual rate outside [0, 1)",
                "预计净残值率不在 [0, 1) 之内",
            )
        if self.residual_amount is not None:
            if not isinstance(self.residual_amount, Money):
                raise wrong_type("residual_amount", self.residual_amount, "Money", "金额 Money")
            if self.residual_amount.is_negative():
                raise _refuse(
                    "residual_amount", str(self.residual_amount), ">= 0", "negative residual", "预计净残值为负数"
                )
            if self.residual_rate:
                raise _refuse(
                    "residual_rate",
                    self.residual_rate,
                    "0 when residual_amount is given",
                    "give a residual rate or a residual amount, not both",
                    "预计净残值率与预计净残值只能给出其一",
                )

    def residual_value(self, original_value: Money, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """The residual value (预计净残值) of ``original_value`` in fen.

        ``residual_amount`` when given, else ``original_value × residual_rate`` rounded once
        with ``mode``.

        Raises:
            InvalidAmount: the residual exceeds the original value.
        """
        residual = self.residual_amount or original_value.times(self.residual_rate, mode)
        if residual > original_value:
            raise InvalidAmount(
                f"residual {residual} exceeds the original value {original_value}",
                f"预计净残值 {residual} 超过原值 {original_value}",
                field="residual_amount",
                expected=f"<= {original_value}",
                actual=str(residual),
            )
        return residual

    def depreciable_base(self, original_value: Money, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """The depreciable base (应计折旧额) = original value − residual value, in fen.

        Raises:
            InvalidAmount: the residual exceeds the original value.
        """
        return original_value - self.residual_value(original_value, mode)


@attrs.frozen(kw_only=True)
class DepreciationRow:
    """One charged period of a depreciation schedule (折旧明细).

    Attributes:
        period: the half-open period charged, one calendar month (or a block of
            ``frequency_months`` months, cut short by removal or the end of life).
        charge: depreciation charged for the period (本期折旧), fen.
        accumulated: accumulated depreciation at the end of the period (累计折旧), fen.
        net_book_value: original value − accumulated depreciation (净值), fen.
    """

    period: Period
    charge: Money
    accumulated: Money
    net_book_value: Money


@attrs.frozen(kw_only=True)
class BookValues:
    """The accounting values of an asset on a date (原值、累计折旧、净值).

    Attributes:
        original_value: original value (原值), fen.
        residual_value: residual value under the plan (预计净残值), fen; for assets that
            are not depreciated (equity, claims) the original value itself.
        accumulated_depreciation: accumulated depreciation (累计折旧), fen.
        net_book_value: original value − accumulated depreciation (净值), fen.
    """

    original_value: Money
    residual_value: Money
    accumulated_depreciation: Money
    net_book_value: Money

    @property
    def fully_depreciated(self) -> bool:
        """Whether nothing is left to depreciate (已提足折旧)."""
        return self.net_book_value <= self.residual_value


def _month_index(day: date) -> int:
    """Months since year 0 of the month holding ``day`` (an index for month arithmetic)."""
    return day.year * _MONTHS_IN_YEAR + day.month - 1


def _month_date(index: int) -> date:
    """The first day of month ``index``."""
    year, month = divmod(index, _MONTHS_IN_YEAR)
    return date(year, month + 1, 1)


def _monthly_usage(usage: Mapping[Period, Units], first: int, stop: int | None) -> dict[int, Fraction]:
    """Check recorded usage (calendar months inside the depreciation window) and key it by month index."""
    by_month: dict[int, Fraction] = {}
    for period, amount in usage.items():
        month = period.start
        index = _month_index(month)
        if month.day != 1 or period.end != _month_date(index + 1):
            raise InvalidPeriod(
                f"usage must be recorded per calendar month, got {period}",
                f"工作量须按自然月记录，实际为 {period}",
                field="usage",
                actual=str(period),
                expected="a calendar month (Period.month)",
            )
        if index < first or (stop is not None and index >= stop):
            window = f"from {_month_date(first):%Y-%m}"
            if stop is not None:
                window += f" before {_month_date(stop):%Y-%m}"
            raise InvalidPeriod(
                f"usage recorded for {month:%Y-%m}, outside the months depreciated",
                f"{month:%Y-%m} 的工作量不在计提折旧的月份之内",
                field="usage",
                actual=f"{month:%Y-%m}",
                expected=window,
            )
        units = _units(amount, "usage")
        if units < 0:
            raise InvalidValue(
                f"negative usage for {month:%Y-%m}",
                f"{month:%Y-%m} 的工作量为负数",
                field="usage",
                actual=amount,
                expected=">= 0",
            )
        by_month[index] = units
    return by_month


def depreciation_schedule(
    original_value: Money,
    plan: DepreciationPlan,
    *,
    in_service: date,
    removed: date | None = None,
    until: date,
    mode: RoundingMode = RoundingMode.HALF_UP,
    usage: Mapping[Period, Units] | None = None,
) -> tuple[DepreciationRow, ...]:
    """The depreciation charged period by period (折旧计提表), P13.

    The first period is the month after ``in_service`` (``plan.start``: P13's next-month
    rule) or that month itself (``SAME_MONTH``). Periods follow each other until the
    useful life ends (straight-line), the month of removal is over (P13: charged), the
    asset is fully depreciated (no further charge), or the next period would end after
    ``until`` — whichever comes first.

    Straight-line: each period of ``m`` months is charged ``base × m / life`` (with
    ``FLOOR``: ``original × m / life``), rounded once with ``mode``; the period holding the
    last month of the life takes the leftover, so a full life adds up to the base exactly.
    Units-of-production: each period is charged ``base × units / total_units`` from
    ``usage``; the period in which the recorded units reach ``total_units`` takes the
    leftover. No charge takes the accumulated depreciation past the base.

    Args:
        original_value: original value (原值), fen.
        plan: the depreciation terms.
        in_service: the day the asset entered service (增加日期: 交付使用/入账).
        removed: the day it left the books (减少日期: 处置/报废), if it did.
        until: exclusive end: periods ending on or before this day are listed.
        mode: rounding mode (the policy's ``rounding``).
        usage: for units-of-production, the units recorded per calendar month
            (``Period.month``); months without a record count as zero.

    Returns:
        The rows in order; empty when nothing is charged before ``until`` (or the base
        is zero).

    Raises:
        InvalidAmount: the residual exceeds the original value, or a negative original.
        InvalidPeriod: ``removed`` before ``in_service``; usage outside the months
            depreciated or not per calendar month.
        InvalidValue: usage missing for units-of-production, or negative.
    """
    return tuple(
        DepreciationRow(
            period=Period(_month_date(start), _month_date(end)),
            charge=Money(charge),
            accumulated=Money(accumulated),
            net_book_value=Money(original_value.fen - accumulated),
        )
        for start, end, charge, accumulated in _charges(
            original_value, plan, in_service=in_service, removed=removed, until=until, mode=mode, usage=usage
        )
    )


def _charges(
    original_value: Money,
    plan: DepreciationPlan,
    *,
    in_service: date,
    removed: date | None,
    until: date,
    mode: RoundingMode,
    usage: Mapping[Period, Units] | None,
) -> Iterator[tuple[int, int, int, int]]:
    """Yield ``(start month, end month, charge, accumulated)`` per period (months as indices, fen)."""
    _check_terms(original_value, in_service, removed)
    base = plan.depreciable_base(original_value, mode).fen
    first = _month_index(in_service) + (1 if plan.start is StartRule.NEXT_MONTH else 0)
    life_end = first + plan.life_months if plan.life_months is not None else None
    removal_end = None
    if removed is not None:
        removal_end = _month_index(removed) + (1 if plan.charge_removal_month else 0)
    ends = [m for m in (life_end, removal_end) if m is not None]
    stop = min(ends) if ends else None
    last = _month_index(until)  # a period ending on the first of this month (or earlier) is over
    charge = _Charger(
        plan,
        original_value=original_value,
        base=base,
        life_end=life_end,
        mode=mode,
        monthly_usage=_usage_for(plan, usage, first, stop),
    )
    accumulated = 0
    cursor = first
    while accumulated < base and (stop is None or cursor < stop):
        cut = cursor + plan.frequency_months
        if stop is not None:
            cut = min(cut, stop)
        if cut > last:
            return
        amount = charge(cursor, cut, base - accumulated)
        accumulated += amount
        yield cursor, cut, amount, accumulated
        cursor = cut


def _check_terms(original_value: Money, in_service: date, removed: date | None) -> None:
    if not isinstance(original_value, Money):
        raise wrong_type("original_value", original_value, "Money", "金额 Money")
    if original_value.is_negative():
        raise InvalidAmount(
            "original value is negative", "原值为负数", field="original_value", actual=str(original_value)
        )
    if removed is not None and removed < in_service:
        raise InvalidPeriod(
            f"removed {removed} before entering service {in_service}",
            f"减少日期 {removed} 早于增加日期 {in_service}",
            field="removed",
            actual=removed.isoformat(),
            expected=f">= {in_service.isoformat()}",
        )


def _usage_for(
    plan: DepreciationPlan, usage: Mapping[Period, Units] | None, first: int, stop: int | None
) -> dict[int, Fraction]:
    if plan.method is not DepreciationMethod.UNITS_OF_PRODUCTION:
        return {}
    if usage is None:
        raise InvalidValue(
            "units-of-production depreciation needs the recorded usage",
            "工作量法须给出各月实际工作量",
            field="usage",
        )
    return _monthly_usage(usage, first, stop)


class _Charger:
    """The charge of one period, given what remains of the base (the rules in depreciation_schedule)."""

    def __init__(
        self,
        plan: DepreciationPlan,
        *,
        original_value: Money,
        base: int,
        life_end: int | None,
        mode: RoundingMode,
        monthly_usage: dict[int, Fraction],
    ) -> None:
        self._plan = plan
        self._spread = Fraction(base if plan.residual_treatment is ResidualTreatment.SPREAD else original_value.fen)
        self._life_end = life_end
        self._mode = mode
        self._usage = monthly_usage
        self._used = Fraction(0)
        self._by_months: dict[int, int] = {}  # straight-line charge of a period of n months

    def __call__(self, start: int, end: int, remaining: int) -> int:
        plan = self._plan
        if plan.method is DepreciationMethod.STRAIGHT_LINE:
            assert plan.life_months is not None  # noqa: S101 - the plan's own check guarantees it
            if end == self._life_end:
                return remaining  # the rounding leftover goes into the last month of the life
            months = end - start
            full = self._by_months.get(months)
            if full is None:
                full = self._by_months[months] = round_fen(self._spread * months / plan.life_months, self._mode)
            return min(full, remaining)
        assert plan.total_units is not None  # noqa: S101 - the plan's own check guarantees it
        units = sum((self._usage.get(month, Fraction(0)) for month in range(start, end)), Fraction(0))
        self._used += units
        if self._used >= plan.total_units:
            return remaining  # usage reached the total: the leftover goes here
        return min(round_fen(self._spread * units / plan.total_units, self._mode), remaining)


def yearly(rows: Iterable[DepreciationRow]) -> tuple[DepreciationRow, ...]:
    """Sum a schedule by calendar year (年度折旧), for annual reports.

    Each row of the result spans from the first to the last period of one year (the year
    of each period's last day), with the year's total charge and the accumulated
    depreciation and net value at the end of its last period.
    """
    out: list[DepreciationRow] = []
    for row in rows:
        if out and out[-1].period.last.year == row.period.last.year:
            last = out[-1]
            out[-1] = DepreciationRow(
                period=Period(last.period.start, row.period.end),
                charge=last.charge + row.charge,
                accumulated=row.accumulated,
                net_book_value=row.net_book_value,
            )
        else:
            out.append(row)
    return tuple(out)


def is_biological(asset: Asset) -> bool:
    """Whether ``asset`` is a productive biological asset (生产性生物资产: 产役畜、经济林木), P13.

    True for the biological form and for the livestock and tree kinds. Feeder animals and
    non-economic trees (幼畜及育肥畜、非经济林木) are not depreciated under the accounting
    rules; do not register them with a depreciation plan.
    """
    return asset.form is AssetForm.BIOLOGICAL or asset.kind in BIOLOGICAL_KINDS


def is_depreciable(asset: Asset) -> bool:
    """Whether ``asset`` is depreciated at all: fixed and biological forms are; equity and claims are not."""
    return asset.form in {AssetForm.FIXED, AssetForm.BIOLOGICAL}


def is_fixed_asset(unit_value: Money, life_months: int, policy: Policy) -> bool:
    """Whether an item is a fixed asset (固定资产): life over one year, unit value ≥ the threshold (P13).

    Args:
        unit_value: value of one unit (单位价值), fen.
        life_months: expected life in months.
        policy: supplies ``fixed_asset_threshold`` (500 元 in the village collective
            accounting rules, 2004 and 2023).
    """
    return life_months > _MONTHS_IN_YEAR and unit_value >= policy.fixed_asset_threshold


def donated_book_value(evidence: Money | None, policy: Policy) -> Money:
    """The value at which a donated asset is booked (捐赠资产入账价值), P13.

    Args:
        evidence: the value the evidence supports (invoice, agreement, appraisal or market
            price of like assets), or ``None`` when there is none.
        policy: supplies ``donated_nominal_value`` (名义金额, 1 元 by default).

    Returns:
        ``evidence`` when given, else the policy's nominal amount.
    """
    return policy.donated_nominal_value if evidence is None else evidence


def plan_for(
    asset: Asset,
    policy: Policy,
    *,
    method: DepreciationMethod = DepreciationMethod.STRAIGHT_LINE,
    life_months: int | None = None,
    total_units: Units | None = None,
    residual_rate: Fraction | None = None,
    residual_amount: Money | None = None,
) -> DepreciationPlan:
    """The P13 depreciation plan for ``asset`` (monthly, next-month start, removal month charged).

    Biological assets (:func:`is_biological`) are straight-line with the policy's
    ``biological_residual_rate`` (5 %). The life is ``life_months`` or the policy's default
    for the asset's kind (``useful_life_months``).

    Raises:
        InvalidValue: a biological asset with units-of-production or its own residual;
            no life for a straight-line plan and no default for the kind; an asset that
            is not depreciated (equity, claims).
    """
    if not is_depreciable(asset):
        raise InvalidValue(
            f"{asset.form.value} assets are not depreciated",
            f"{asset.form.label_zh}资产不计提折旧",
            record=asset.id,
            field="form",
            actual=asset.form.value,
            expected="fixed or biological",
        )
    if is_biological(asset):
        if method is not DepreciationMethod.STRAIGHT_LINE or residual_rate is not None or residual_amount is not None:
            raise InvalidValue(
                "draught animals and productive trees are straight-line with the policy's residual rate (P13)",
                "产役畜、经济林木按平均年限法并按政策残值率计提折旧（P13）",
                record=asset.id,
                field="method",
                actual=method.value,
                expected=f"straight_line, residual {policy.biological_residual_rate}",
            )
        residual_rate = policy.biological_residual_rate
    if life_months is None and method is DepreciationMethod.STRAIGHT_LINE:
        life_months = policy.useful_life_months.get(asset.kind)
        if life_months is None:
            raise InvalidValue(
                f"no useful life for kind {asset.kind.value}; give life_months",
                f"资产种类{asset.kind.label_zh}无默认使用年限，请给出使用年限",
                record=asset.id,
                field="life_months",
                actual=asset.kind.value,
            )
    return DepreciationPlan(
        method=method,
        life_months=life_months,
        total_units=total_units,
        residual_rate=residual_rate if residual_rate is not None else Fraction(0),
        residual_amount=residual_amount,
    )


def book_values(
    asset: Asset,
    policy: Policy,
    *,
    as_of: date,
    in_service: date | None = None,
    removed: date | None = None,
    plan: DepreciationPlan | None = None,
    usage: Mapping[Period, Units] | None = None,
) -> BookValues:
    """原值, 累计折旧 and 净值 of ``asset`` at the close of day ``as_of`` (P13).

    Months whose last day is on or before ``as_of`` are charged. After removal the values
    are those at removal. Equity and claims are not depreciated: their net value is the
    original value.

    Args:
        asset: the asset (its ``original_value``, form and kind).
        policy: supplies rounding, lives and the biological residual rate.
        as_of: the day; values at its close.
        in_service: entry into service; by default the hand-over date, else completion.
        removed: the day it left the books (disposal), if it did.
        plan: the terms; by default :func:`plan_for` the asset.
        usage: recorded units per calendar month, for units-of-production.

    Raises:
        InvalidValue: no entry date known, or no plan can be made (see :func:`plan_for`).
        InvalidAmount, InvalidPeriod: as :func:`depreciation_schedule`.
    """
    original = asset.original_value
    if not is_depreciable(asset):
        return BookValues(
            original_value=original,
            residual_value=original,
            accumulated_depreciation=Money(0),
            net_book_value=original,
        )
    start = in_service or asset.handed_over_on or asset.completed_on
    if start is None:
        raise InvalidValue(
            "no date of entry into service: give in_service or a hand-over or completion date",
            "缺少增加日期：请给出交付使用、移交或竣工日期",
            record=asset.id,
            field="in_service",
        )
    terms = plan or plan_for(asset, policy)
    periods = _charges(
        original,
        terms,
        in_service=start,
        removed=removed,
        until=as_of + timedelta(days=1),
        mode=policy.rounding,
        usage=usage,
    )
    final = deque(periods, maxlen=1)  # run through the periods, keep the last
    accumulated = final[0][3] if final else 0
    return BookValues(
        original_value=original,
        residual_value=terms.residual_value(original, policy.rounding),
        accumulated_depreciation=Money(accumulated),
        net_book_value=original - Money(accumulated),
    )
