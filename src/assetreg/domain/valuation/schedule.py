"""The depreciation schedule (折旧计提表): charges period by period, exact to the fen.

Everything is integer fen and exact ``Fraction`` arithmetic. Amounts are brought to whole
fen only through :func:`~assetreg.domain.money.round_fen` with the caller's (the policy's)
:class:`~assetreg.domain.money.RoundingMode`.

**Rounding leftovers.** A straight-line charge per period is the exact share of the
depreciable base (原值 − 预计净残值) rounded once; the last period of the useful life takes
whatever is left (尾差倒挤), so the charges of a full life add up to the base exactly
(:attr:`~assetreg.domain.valuation.plans.ResidueRule.YEAR_END` settles the residue each
December instead). No charge ever takes the accumulated depreciation past the base.
Units-of-production charges work the same way, the period in which recorded usage reaches
the total units taking the leftover. The accelerated methods fix an amount per
depreciation year (the 12 months from the first depreciation month), charge it by months
and let the year's last period take the year's residue.

**Opening balances** (期初余额, :class:`OpeningBalance`): an asset registered mid-life
brings its accumulated depreciation (累计折旧), impairment (减值准备) and the months already
depreciated (已提折旧月数); the schedule continues with the month after the opening date
(:class:`~assetreg.domain.valuation.plans.ContinuationRule`).

**Revaluations** (:class:`Revaluation`) take effect prospectively at the close of their
effective month (the month itself is charged on the old basis, as P13 does for removals);
the new net value less the residual is then spread over the months left of the life (or
the revaluation's own remaining life). Accelerated methods continue straight-line after a
revaluation or a re-spread opening (their last-two-years rule, generalised).

**Periods.** Calendar months, or blocks of ``frequency_months`` months from the first
depreciation month (calendar-aligned blocks under day pro-rata). A period is half-open
``[start, end)`` and is charged when it is over: :func:`depreciation_schedule` lists the
periods that end on or before ``until``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Final

import attrs

from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.periods import Period, add_months
from assetreg.domain.valuation.plans import (
    MONTHS_IN_YEAR,
    ContinuationRule,
    DepreciationMethod,
    DepreciationPlan,
    ResidualTreatment,
    ResidueRule,
    StartRule,
    Units,
    refuse,
    units,
)
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidValue

__all__ = [
    "DepreciationRow",
    "OpeningBalance",
    "Revaluation",
    "depreciation_schedule",
    "month_index",
    "month_start",
    "straight_line_accumulated",
]

_NO_FEN: Final = Money(0)
"""Zero fen, the default of optional amounts (Money is immutable, so one value is shared)."""


def month_index(day: date) -> int:
    """Months since year 0 of the month holding ``day`` (an index for month arithmetic)."""
    return day.year * MONTHS_IN_YEAR + day.month - 1


def month_start(index: int) -> date:
    """The first day of month ``index`` (see :func:`month_index`)."""
    year, month = divmod(index, MONTHS_IN_YEAR)
    return date(year, month + 1, 1)


def _money(value: Money, field: str) -> Money:
    if not isinstance(value, Money):
        raise TypeError(f"{field} must be Money")
    return value


def _units_or_none(value: Units | None) -> Fraction | None:
    return None if value is None else units(value, "units_used")


@attrs.frozen(kw_only=True)
class OpeningBalance:
    """What an asset brought into the register mid-life has already consumed (期初余额).

    Attributes:
        as_of: the opening date; the values hold at its close (usually a month end).
            The schedule continues with the month after it (the day after, under day
            pro-rata).
        accumulated_depreciation: accumulated depreciation at ``as_of`` (累计折旧), fen.
        months_depreciated: months already depreciated (已提折旧月数); when given the
            life ends ``life_months − months_depreciated`` months after ``as_of``'s month,
            else where the entry into service puts it.
        impairment: impairment provision (减值准备), fen; 0 by default.
        revaluation: revaluation adjustment carried (重估增减值, signed), fen; 0 by default.
        units_used: units of work already done (已完成工作量), for units-of-production.

    Raises:
        InvalidAmount: a negative accumulated depreciation or impairment.
        InvalidValue: negative months.
    """

    as_of: date
    accumulated_depreciation: Money
    months_depreciated: int | None = None
    impairment: Money = _NO_FEN
    revaluation: Money = _NO_FEN
    units_used: Fraction | None = attrs.field(default=None, converter=_units_or_none)

    def __attrs_post_init__(self) -> None:
        for name in ("accumulated_depreciation", "impairment"):
            value = _money(getattr(self, name), name)
            if value.is_negative():
                raise InvalidAmount(
                    f"{name} is negative", "期初累计折旧或减值准备为负数", field=name, actual=str(value)
                )
        _money(self.revaluation, "revaluation")
        months = self.months_depreciated
        if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months < 0):
            raise refuse(
                "months_depreciated", months, "whole months >= 0", "bad months depreciated", "已提折旧月数无效"
            )

    def net_book_value(self, original_value: Money) -> Money:
        """原值 − 累计折旧 − 减值准备 + 重估增减值 at the opening, fen."""
        return original_value - self.accumulated_depreciation - self.impairment + self.revaluation


@attrs.frozen(kw_only=True)
class Revaluation:
    """A reassessed net value (资产重估/价值调整) taking effect prospectively.

    Attributes:
        effective: the valuation date (评估基准日); the month holding it is charged on the old
            basis (on the day itself under day pro-rata), then the net value becomes
            ``net_book_value``.
        net_book_value: the reassessed net value (评估确认价值), fen.
        remaining_life_months: the life left from the next month; by default what is left
            of the plan's life.
    """

    effective: date
    net_book_value: Money
    remaining_life_months: int | None = None


@attrs.frozen(kw_only=True)
class DepreciationRow:
    """One charged period of a depreciation schedule (折旧明细).

    Attributes:
        period: the half-open period charged (a calendar month or a block of
            ``frequency_months`` months, cut short by removal, a revaluation or the end of
            life; by days under day pro-rata).
        charge: depreciation charged for the period (本期折旧), fen.
        accumulated: accumulated depreciation at the end of the period (累计折旧), fen,
            the opening balance included.
        net_book_value: 原值 − 累计折旧 − 减值准备 + 重估增减值 at the end of the period, fen.
        revaluation: the value adjustment booked at the end of the period (signed), fen;
            0 unless a revaluation takes effect there.
    """

    period: Period
    charge: Money
    accumulated: Money
    net_book_value: Money
    revaluation: Money = _NO_FEN


def _check_terms(original_value: Money, in_service: date, removed: date | None) -> None:
    _money(original_value, "original_value")
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


def _monthly_usage(usage: Mapping[Period, Units]) -> dict[int, Fraction]:
    """Check recorded usage (calendar months, not negative) and key it by month index."""
    by_month: dict[int, Fraction] = {}
    for period, amount in usage.items():
        index = month_index(period.start)
        if period.start.day != 1 or period.end != month_start(index + 1):
            raise InvalidPeriod(
                f"usage must be recorded per calendar month, got {period}",
                f"工作量须按自然月记录，实际为 {period}",
                field="usage",
                actual=str(period),
                expected="a calendar month (Period.month)",
            )
        value = units(amount, "usage")
        if value < 0:
            raise InvalidValue(
                f"negative usage for {period.start:%Y-%m}",
                f"{period.start:%Y-%m} 的工作量为负数",
                field="usage",
                actual=amount,
                expected=">= 0",
            )
        by_month[index] = by_month.get(index, Fraction(0)) + value
    return by_month


@attrs.define
class _Basis:
    """How the charges of the current segment are computed (mutable, engine only)."""

    spread: Fraction  # the amount spread by the straight-line rule of the segment
    divisor: Fraction  # life months (or units) it is spread over
    accelerated: bool  # whether the plan's accelerated rule is in force
    weight_done: Fraction = Fraction(0)  # life months (or units) consumed in the segment
    charged: int = 0  # fen charged in the segment
    by_weight: dict[Fraction, int] = attrs.Factory(dict)  # straight-line charge of a period, by its weight


class _Engine:
    """Walks the periods of one asset and charges them (the rules in the module docstring)."""

    def __init__(
        self,
        original_value: Money,
        plan: DepreciationPlan,
        *,
        in_service: date,
        removed: date | None,
        mode: RoundingMode,
        usage: Mapping[Period, Units] | None,
        opening: OpeningBalance | None,
        revaluations: Sequence[Revaluation],
    ) -> None:
        _check_terms(original_value, in_service, removed)
        self.plan = plan
        self.mode = mode
        self.original = original_value.fen
        self.residual = plan.residual_value(original_value, mode).fen
        self.base = self.original - self.residual
        self.days = plan.start is StartRule.DAY_PRORATA
        self.usage = self._usage(usage)
        self.acc = 0
        self.impairment = 0
        self.revalued = 0
        self.used = Fraction(0)
        # Where depreciation starts, where the life ends, where removal ends it.
        if self.days:
            self.cursor = in_service
        else:
            first = month_index(in_service) + (1 if plan.start is StartRule.NEXT_MONTH else 0)
            self.cursor = month_start(first)
        self.grid = month_index(self.cursor)  # blocks of frequency_months count from here
        self.life_zero = month_index(self.cursor)  # life position 0 (accelerated years)
        self.life_end: date | None = None
        if plan.life_months is not None:
            self.life_end = add_months(in_service if self.days else self.cursor, plan.life_months)
        self.removal_end: date | None = None
        if removed is not None:
            if self.days:
                self.removal_end = removed
            else:
                self.removal_end = month_start(month_index(removed) + (1 if plan.charge_removal_month else 0))
        self.basis = self._original_basis()
        self.year_budget: tuple[int, int] | None = None  # (life year, fen) of the accelerated year
        self.year_charged = 0
        self.annual = Fraction(0)
        self.counted: set[int] = set()  # months whose usage is already charged
        self.first = self.cursor
        if opening is not None:
            self._open(opening)
        self._check_usage_window()
        self.pending = sorted(
            (r for r in revaluations if self._boundary(r) > self.cursor), key=lambda r: (r.effective, r.net_book_value)
        )

    # -- set-up -------------------------------------------------------------------------
    def _usage(self, usage: Mapping[Period, Units] | None) -> dict[int, Fraction]:
        if self.plan.method is not DepreciationMethod.UNITS_OF_PRODUCTION:
            return {}
        if usage is None:
            raise InvalidValue(
                "units-of-production depreciation needs the recorded usage",
                "工作量法须给出各月实际工作量",
                field="usage",
            )
        return _monthly_usage(usage)

    def _check_usage_window(self) -> None:
        low = month_index(self.cursor)
        high = None if self.removal_end is None else month_index(self.removal_end - timedelta(days=1)) + 1
        for index in self.usage:
            if index < low or (high is not None and index >= high):
                window = f"from {month_start(low):%Y-%m}"
                if high is not None:
                    window += f" before {month_start(high):%Y-%m}"
                raise InvalidPeriod(
                    f"usage recorded for {month_start(index):%Y-%m}, outside the months depreciated",
                    f"{month_start(index):%Y-%m} 的工作量不在计提折旧的月份之内",
                    field="usage",
                    actual=f"{month_start(index):%Y-%m}",
                    expected=window,
                )

    def _original_basis(self) -> _Basis:
        plan = self.plan
        if plan.method is DepreciationMethod.UNITS_OF_PRODUCTION:
            assert plan.total_units is not None  # noqa: S101 - the plan's own check guarantees it
            return _Basis(Fraction(self.base), plan.total_units, accelerated=False)
        assert plan.life_months is not None  # noqa: S101 - the plan's own check guarantees it
        floor = plan.residual_treatment is ResidualTreatment.FLOOR
        spread = Fraction(self.original if floor else self.base)
        return _Basis(spread, Fraction(plan.life_months), accelerated=plan.method.accelerated)

    def _boundary(self, revaluation: Revaluation) -> date:
        if self.days:
            return revaluation.effective + timedelta(days=1)
        return month_start(month_index(revaluation.effective) + 1)

    def _open(self, opening: OpeningBalance) -> None:
        self.acc = opening.accumulated_depreciation.fen
        self.impairment = opening.impairment.fen
        self.revalued = opening.revaluation.fen
        self.used = opening.units_used or Fraction(0)
        start = opening.as_of + timedelta(days=1) if self.days else month_start(month_index(opening.as_of) + 1)
        self.cursor = max(self.cursor, start)
        plan = self.plan
        if opening.months_depreciated is not None and plan.life_months is not None:
            left = plan.life_months - opening.months_depreciated
            if left < 0:
                raise refuse(
                    "months_depreciated",
                    opening.months_depreciated,
                    f"<= {plan.life_months}",
                    "more months depreciated than the useful life",
                    "已提折旧月数超过使用年限",
                )
            self.life_end = add_months(month_start(month_index(self.cursor)), left)
            self.life_zero = month_index(self.cursor) - opening.months_depreciated
        self.grid = self.life_zero if plan.method.accelerated else month_index(self.cursor)
        if plan.continuation is ContinuationRule.RESPREAD or self.revalued or self.impairment:
            self._respread(self.life_end)
        else:
            # Continue the original charges; the life's last period settles the rest.
            self.basis.charged = self.acc
            if opening.months_depreciated is not None:
                self.basis.weight_done = Fraction(opening.months_depreciated)
            elif self.cursor > self.first:
                self.basis.weight_done = self._weight(self.first, self.cursor)

    def _respread(self, life_end: date | None) -> None:
        """Spread what is left to depreciate over what is left of the life (or of the units)."""
        left = max(self._remaining(), 0)
        plan = self.plan
        if plan.method is DepreciationMethod.UNITS_OF_PRODUCTION:
            assert plan.total_units is not None  # noqa: S101
            self.basis = _Basis(Fraction(left), max(plan.total_units - self.used, Fraction(0)), accelerated=False)
            return
        self.life_end = life_end
        months = Fraction(0)
        if life_end is not None and life_end > self.cursor:
            months = self._weight(self.cursor, life_end)
        self.basis = _Basis(Fraction(left), months, accelerated=False)

    # -- arithmetic ---------------------------------------------------------------------
    def _remaining(self) -> int:
        """What is left to depreciate: net value − residual, fen."""
        return self.original - self.acc - self.impairment + self.revalued - self.residual

    def _nbv(self) -> int:
        return self.original - self.acc - self.impairment + self.revalued

    def _block(self, day: date) -> tuple[date, date]:
        """The block of ``frequency_months`` holding ``day`` (calendar-aligned under day pro-rata)."""
        size = self.plan.frequency_months
        index = month_index(day)
        anchor = 0 if self.days else self.grid
        low = anchor + (index - anchor) // size * size
        return month_start(low), month_start(low + size)

    def _weight(self, start: date, end: date) -> Fraction:
        """Life months in ``[start, end)``: whole months, or by days within each block under day pro-rata."""
        if not self.days:
            return Fraction(month_index(end) - month_index(start))
        total = Fraction(0)
        cursor = start
        while cursor < end:
            low, high = self._block(cursor)
            cut = min(high, end)
            total += Fraction(self.plan.frequency_months * (cut - cursor).days, (high - low).days)
            cursor = cut
        return total

    def _next_cut(self) -> date:
        _low, high = self._block(self.cursor)
        cuts = [high]
        cuts.extend(d for d in (self.life_end, self.removal_end) if d is not None and d > self.cursor)
        if self.pending:
            cuts.append(self._boundary(self.pending[0]))
        return min(cuts)

    def _stopped(self) -> bool:
        ends = [d for d in (self.life_end, self.removal_end) if d is not None]
        return bool(ends) and self.cursor >= min(ends)

    def _charge(self, start: date, end: date) -> int:
        remaining = self._remaining()
        if remaining <= 0:
            return 0
        if self.plan.method is DepreciationMethod.UNITS_OF_PRODUCTION:
            return self._units_charge(start, end, remaining)
        if end == self.life_end:
            return remaining  # the rounding leftover goes into the last period of the life
        if self.basis.divisor <= 0:
            return 0
        if self.basis.accelerated:
            return min(self._accelerated_charge(start, end, remaining), remaining)
        weight = self._weight(start, end)
        basis = self.basis
        basis.weight_done += weight
        if self.plan.residue is ResidueRule.YEAR_END and end.month == 1 and end.day == 1:
            target = round_fen(basis.spread * basis.weight_done / basis.divisor, self.mode)
            amount = target - basis.charged
        else:
            cached = basis.by_weight.get(weight)
            if cached is None:
                cached = basis.by_weight[weight] = round_fen(basis.spread * weight / basis.divisor, self.mode)
            amount = cached
        amount = max(0, min(amount, remaining))
        basis.charged += amount
        return amount

    def _units_charge(self, start: date, end: date, remaining: int) -> int:
        months = set(range(month_index(start), month_index(end - timedelta(days=1)) + 1)) - self.counted
        self.counted |= months
        done = sum((self.usage.get(m, Fraction(0)) for m in months), Fraction(0))
        self.used += done
        assert self.plan.total_units is not None  # noqa: S101
        if self.used >= self.plan.total_units:
            return remaining  # usage reached the total: the leftover goes here
        basis = self.basis
        if basis.divisor <= 0:
            return 0
        return min(round_fen(basis.spread * done / basis.divisor, self.mode), remaining)

    def _accelerated_charge(self, start: date, end: date, remaining: int) -> int:
        plan = self.plan
        years = plan.life_years
        assert years is not None  # noqa: S101 - accelerated plans have whole years
        position = month_index(start) - self.life_zero
        year = position // MONTHS_IN_YEAR
        if plan.method is DepreciationMethod.DOUBLE_DECLINING and year >= years - 2:
            # Last two years: straight-line on what is left (净值 − 残值) over the months left.
            assert self.life_end is not None  # noqa: S101
            self._respread(self.life_end)
            return self._charge(start, end)
        if self.year_budget is None or self.year_budget[0] != year:
            # The year's amount; periods already charged this year (an opening mid-year)
            # count as charged at the schedule's own rate, so a matching opening continues exactly.
            size = plan.frequency_months
            self.annual = self._annual(year, years)
            self.year_budget = (year, round_fen(self.annual, self.mode))
            done = position % MONTHS_IN_YEAR // size
            self.year_charged = done * round_fen(self.annual * size / MONTHS_IN_YEAR, self.mode)
        months = month_index(end) - month_index(start)
        year_end = (month_index(end) - self.life_zero) % MONTHS_IN_YEAR == 0
        if year_end:
            amount = self.year_budget[1] - self.year_charged
        else:
            amount = round_fen(self.annual * months / MONTHS_IN_YEAR, self.mode)
        amount = max(0, min(amount, remaining))
        self.year_charged += amount
        return amount

    def _annual(self, year: int, years: int) -> Fraction:
        if self.plan.method is DepreciationMethod.SUM_OF_YEARS:
            return Fraction(self.base * (years - year) * 2, years * (years + 1))
        return Fraction(self._nbv() * 2, years)  # DDB on the net value at the start of the year

    def _revalue(self, revaluation: Revaluation) -> int:
        adjustment = revaluation.net_book_value.fen - self._nbv()
        self.revalued += adjustment
        life_end = self.life_end
        if revaluation.remaining_life_months is not None:
            life_end = add_months(self.cursor, revaluation.remaining_life_months)
        self._respread(life_end)
        return adjustment

    # -- the walk -----------------------------------------------------------------------
    def rows(self, until: date) -> Iterator[DepreciationRow]:
        while True:
            if self._remaining() <= 0 or self._stopped():
                if not self.pending:
                    return
                # Nothing to charge before the next revaluation: book it on its own.
                revaluation = self.pending.pop(0)
                boundary = self._boundary(revaluation)
                if boundary > until or (self.removal_end is not None and boundary > self.removal_end):
                    return
                if self.days:
                    start = max(self.cursor, boundary - timedelta(days=1))
                else:
                    start = max(self.cursor, month_start(month_index(boundary) - 1))
                self.cursor = boundary
                adjustment = self._revalue(revaluation)
                yield self._row(start, boundary, 0, adjustment)
                continue
            end = self._next_cut()
            if end > until:
                return
            start = self.cursor
            amount = self._charge(start, end)
            self.cursor = end
            self.acc += amount
            adjustment = 0
            if self.pending and self._boundary(self.pending[0]) == end:
                adjustment = self._revalue(self.pending.pop(0))
            yield self._row(start, end, amount, adjustment)

    def _row(self, start: date, end: date, amount: int, adjustment: int) -> DepreciationRow:
        return DepreciationRow(
            period=Period(start, end),
            charge=Money(amount),
            accumulated=Money(self.acc),
            net_book_value=Money(self._nbv()),
            revaluation=Money(adjustment),
        )


def straight_line_accumulated(
    original_value: Money,
    plan: DepreciationPlan,
    *,
    in_service: date,
    until: date,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> int | None:
    """Accumulated depreciation (fen) of the periods ending on or before ``until``, in closed form.

    The same figure as the last row of :func:`depreciation_schedule` for a plain
    straight-line plan (whole-month start, residue at the life's end) with no opening
    balance, revaluation or removal; ``None`` for any other plan, which needs the schedule.
    Used by the book values of a whole register (10^5 assets) to skip building the rows.

    Raises:
        InvalidAmount: the residual exceeds the original value, or a negative original.
    """
    if (
        plan.method is not DepreciationMethod.STRAIGHT_LINE
        or plan.start is StartRule.DAY_PRORATA
        or plan.residue is not ResidueRule.LIFE_END
        or plan.life_months is None
    ):
        return None
    _check_terms(original_value, in_service, None)
    base = plan.depreciable_base(original_value, mode).fen
    first = month_index(in_service) + (1 if plan.start is StartRule.NEXT_MONTH else 0)
    end = first + plan.life_months
    last = month_index(until)  # a period ending on the first of this month (or earlier) is over
    if base <= 0 or last < first:
        return 0
    if last >= end:
        return base  # the life is over: its last period took the leftover
    spread = original_value.fen if plan.residual_treatment is ResidualTreatment.FLOOR else base
    size = plan.frequency_months
    periods = (last - first) // size  # whole blocks over by ``until``, none of them the life's last
    return min(periods * round_fen(Fraction(spread * size, plan.life_months), mode), base)


def depreciation_schedule(
    original_value: Money,
    plan: DepreciationPlan,
    *,
    in_service: date,
    removed: date | None = None,
    until: date,
    mode: RoundingMode = RoundingMode.HALF_UP,
    usage: Mapping[Period, Units] | None = None,
    opening: OpeningBalance | None = None,
    revaluations: Sequence[Revaluation] = (),
) -> tuple[DepreciationRow, ...]:
    """The depreciation charged period by period (折旧计提表), P13.

    The first period is the month after ``in_service`` (``plan.start``: P13's next-month
    rule), that month itself (``SAME_MONTH``) or the day itself (``DAY_PRORATA``), or,
    with an ``opening`` balance, the month after the opening date. Periods follow each
    other until the useful life ends, the month of removal is over (P13: charged), the
    asset is fully depreciated (no further charge, unless a revaluation gives it value
    again), or the next period would end after ``until`` — whichever comes first.

    Args:
        original_value: original value (原值), fen.
        plan: the depreciation terms.
        in_service: the day the asset entered service (增加日期: 交付使用/入账).
        removed: the day it left the books (减少日期: 处置/报废/分割), if it did.
        until: exclusive end: periods ending on or before this day are listed.
        mode: rounding mode (the policy's ``rounding``).
        usage: for units-of-production, the units recorded per calendar month
            (``Period.month``); months without a record count as zero.
        opening: the balance an asset registered mid-life brings (期初余额).
        revaluations: reassessed net values, applied prospectively.

    Returns:
        The rows in order; empty when nothing is charged before ``until``.

    Raises:
        InvalidAmount: the residual exceeds the original value, or a negative original.
        InvalidPeriod: ``removed`` before ``in_service``; usage not per calendar month.
        InvalidValue: usage missing for units-of-production, or negative; more months
            depreciated than the life.
    """
    engine = _Engine(
        original_value,
        plan,
        in_service=in_service,
        removed=removed,
        mode=mode,
        usage=usage,
        opening=opening,
        revaluations=revaluations,
    )
    return tuple(engine.rows(until))
