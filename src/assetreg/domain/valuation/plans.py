"""Depreciation terms (折旧方案): methods, start rules, residue placement, residual values.

DESIGN §7 P13, after the village collective accounting rules (《村集体经济组织会计制度》,
财会〔2004〕12号; revised as 《农村集体经济组织会计制度》, 财会〔2023〕14号, in force
2024-01-01): straight-line (平均年限法) or units-of-production (工作量法), chosen once per
asset; an asset added in a month starts depreciating the next month (当月增加，当月不提，
下月起计提); one removed in a month is still depreciated that month (当月减少，当月照提).

The two accelerated methods are not named by the village rules; they are here because
counties that keep enterprise-style books, and the peer systems (ERPNext, OCA), use them.
They follow the enterprise rules' application guide (《企业会计准则第4号——固定资产》
应用指南): double-declining balance switches to straight-line over the last two years of
the life (最后两年改为年限平均法), which ERPNext does not do — see :class:`DepreciationMethod`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.vocab import Vocabulary
from assetreg.errors import InvalidAmount, InvalidValue

__all__ = [
    "ContinuationRule",
    "DepreciationMethod",
    "DepreciationPlan",
    "ResidualTreatment",
    "ResidueRule",
    "StartRule",
    "Units",
]

Units = int | Fraction | Decimal
"""A quantity of work (units of production): exact ``int``, ``Fraction`` or ``Decimal``."""

MONTHS_IN_YEAR: Final = 12


class DepreciationMethod(Vocabulary):
    """How depreciation is spread (折旧方法), chosen once per asset (P13)."""

    STRAIGHT_LINE = "straight_line"
    """平均年限法 (年限平均法): the depreciable base in equal shares over the useful life."""
    UNITS_OF_PRODUCTION = "units_of_production"
    """工作量法: the depreciable base in proportion to the work done in each period."""
    DOUBLE_DECLINING = "double_declining"
    """双倍余额递减法: each year ``2 / years`` of the net value at the start of the year,
    ignoring the residual, then the last two years straight-line on (净值 − 残值) / 2
    (enterprise rules' application guide). ERPNext keeps declining to the end; ours does not."""
    SUM_OF_YEARS = "sum_of_years"
    """年数总和法: year ``k`` of ``n`` takes ``(n − k + 1) / (n (n + 1) / 2)`` of the base."""

    @property
    def accelerated(self) -> bool:
        """Whether the method works in whole years of the life (DDB and SYD)."""
        return self in {DepreciationMethod.DOUBLE_DECLINING, DepreciationMethod.SUM_OF_YEARS}


class StartRule(Vocabulary):
    """When depreciation starts, and how partial periods are charged."""

    NEXT_MONTH = "next_month"
    """P13 and the default: an asset added in a month starts the next month (当月增加，下月起计提)."""
    SAME_MONTH = "same_month"
    """The month the asset enters service counts in full (ERPNext, OCA and Snipe-IT when the
    asset is available from the first day of the period)."""
    DAY_PRORATA = "day_prorata"
    """Depreciation starts on the day of entry into service. Periods are calendar-aligned
    (months, quarters, half-years or years); a period the asset is in service only part of
    is charged by days (days in service ÷ days of the period); the life ends on the same
    day ``life_months`` later, and that last, partial period takes the leftover. This is
    ERPNext's pro-rata rule (``test_schedule_for_prorated_straight_line_method``). A removal
    cuts the period at the removal day, by days as well."""


class ResidueRule(Vocabulary):
    """Where the rounding residue (尾差) of straight-line charges goes."""

    LIFE_END = "life_end"
    """The last period of the useful life takes whatever is left (尾差倒挤)."""
    YEAR_END = "year_end"
    """Each calendar year's last period is charged up to the exactly rounded accumulated
    depreciation for the months elapsed (peer systems' "each December"); the last period of
    the life still takes what is left."""


class ResidualTreatment(Vocabulary):
    """How the residual value (预计净残值) limits a straight-line charge."""

    SPREAD = "spread"
    """The charge is (原值 − 残值) / life: the residual is deducted before spreading (P13)."""
    FLOOR = "floor"
    """The charge is 原值 / life and stops when the net value reaches the residual (OCA's
    *linear-limit* method)."""


class ContinuationRule(Vocabulary):
    """How a schedule continues from an opening balance (期初余额)."""

    ORIGINAL = "original"
    """The charges the schedule would have had from the start (月折旧额不变); the last
    period of the life takes what is left, so an opening balance that matches the
    schedule continues it exactly (平均年限法一)."""
    RESPREAD = "respread"
    """What is left to depreciate (净值 − 残值) spread over the months left of the life
    (平均年限法二, 剩余年限法), so a legacy balance that does not match still ends on time."""


def _units(value: Any, field: str) -> Fraction:
    if isinstance(value, float):
        raise TypeError(f"{field}: float is not accepted; use int, Decimal or Fraction")
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise TypeError(f"{field}: expected int, Decimal or Fraction, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidValue(f"{field} is not finite", f"{field} 不是有限数", field=field, actual=value)
    return Fraction(value)


def units(value: Any, field: str) -> Fraction:
    """``value`` as an exact ``Fraction`` (for usage and units); floats refused.

    Raises:
        TypeError: a float or a non-number.
        InvalidValue: a non-finite ``Decimal``.
    """
    return _units(value, field)


def _units_or_none(value: Any) -> Fraction | None:
    return None if value is None else _units(value, "total_units")


def _rate(value: Any) -> Fraction:
    return _units(value, "residual_rate")


def refuse(field: str, actual: object, expected: str, en: str, zh: str) -> InvalidValue:
    """An :class:`InvalidValue` naming ``field`` (a helper for the valuation modules)."""
    return InvalidValue(en, zh, field=field, actual=actual, expected=expected)


@attrs.frozen(kw_only=True)
class DepreciationPlan:
    """The depreciation terms of one asset (折旧方案).

    Attributes:
        method: straight-line, units-of-production, double-declining or sum-of-years
            (P13: straight-line or units-of-production, chosen once).
        life_months: useful life in months (使用年限); required for every method but
            units-of-production; whole years for the accelerated methods.
        total_units: total work the asset is expected to do (预计总工作量), in the same
            units as the recorded usage; required for units-of-production.
        residual_rate: residual value as a share of the original value (预计净残值率),
            an exact ``Fraction`` in ``[0, 1)``; ``0`` by default.
        residual_amount: residual value as an amount in fen; when given it replaces
            ``residual_rate`` (which must then be 0).
        start: the start rule (P13: the month after entry into service).
        charge_removal_month: whether the month of removal is charged (P13: yes).
        residual_treatment: how the residual limits a straight-line charge (P13: spread).
        residue: where straight-line rounding residues go (default: the life's last period).
        continuation: how a schedule continues from an opening balance (default: the
            original charges).
        frequency_months: months per charged period; 1 (monthly, P13) by default, 12 for
            a yearly schedule. Day pro-rata and the accelerated methods need a divisor
            of 12 (calendar or depreciation-year aligned periods).

    Raises:
        TypeError: a ``float`` quantity or rate.
        InvalidValue: the terms do not fit the method (no life, no total units, a rate
            outside ``[0, 1)``, both a rate and an amount, a frequency under one month, a
            life in part-years for an accelerated method, day pro-rata with an
            accelerated method).
    """

    method: DepreciationMethod = DepreciationMethod.STRAIGHT_LINE
    life_months: int | None = None
    total_units: Fraction | None = attrs.field(default=None, converter=_units_or_none)
    residual_rate: Fraction = attrs.field(default=Fraction(0), converter=_rate)
    residual_amount: Money | None = None
    start: StartRule = StartRule.NEXT_MONTH
    charge_removal_month: bool = True
    residual_treatment: ResidualTreatment = ResidualTreatment.SPREAD
    residue: ResidueRule = ResidueRule.LIFE_END
    continuation: ContinuationRule = ContinuationRule.ORIGINAL
    frequency_months: int = 1

    def __attrs_post_init__(self) -> None:
        self._check_whole_months()
        self._check_method()
        self._check_residual()

    def _check_whole_months(self) -> None:
        for name in ("life_months", "frequency_months"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"{name} must be whole months, got {type(value).__name__}")
        if self.life_months is not None and self.life_months < 1:
            raise refuse("life_months", self.life_months, ">= 1", "useful life under one month", "使用年限不足一个月")
        if self.frequency_months < 1:
            raise refuse(
                "frequency_months", self.frequency_months, ">= 1", "period under one month", "计提周期不足一个月"
            )
        aligned = self.start is StartRule.DAY_PRORATA or self.method.accelerated
        if aligned and MONTHS_IN_YEAR % self.frequency_months:
            raise refuse(
                "frequency_months",
                self.frequency_months,
                "1, 2, 3, 4, 6 or 12",
                "day pro-rata and accelerated methods need periods that divide a year",
                "按日折算及加速折旧法的计提周期须能整除一年",
            )

    def _check_method(self) -> None:
        if self.method is DepreciationMethod.UNITS_OF_PRODUCTION:
            if self.total_units is None or self.total_units <= 0:
                raise refuse(
                    "total_units",
                    self.total_units,
                    "> 0",
                    "units-of-production depreciation needs total units above 0",
                    "工作量法须给出大于零的预计总工作量",
                )
            return
        if self.life_months is None:
            raise refuse(
                "life_months",
                None,
                "months",
                f"{self.method.value} depreciation needs a useful life",
                "须给出使用年限",
            )
        if self.method.accelerated:
            if self.life_months % MONTHS_IN_YEAR:
                raise refuse(
                    "life_months",
                    self.life_months,
                    "whole years",
                    "accelerated methods need a life in whole years",
                    "加速折旧法的使用年限须为整年",
                )
            if self.start is StartRule.DAY_PRORATA:
                raise refuse(
                    "start",
                    self.start.value,
                    "next_month or same_month",
                    "day pro-rata is defined for straight-line and units-of-production only",
                    "按日折算只适用于平均年限法和工作量法",
                )

    def _check_residual(self) -> None:
        if not 0 <= self.residual_rate < 1:
            raise refuse(
                "residual_rate",
                self.residual_rate,
                "0 <= rate < 1",
                "residual rate outside [0, 1)",
                "预计净残值率不在 [0, 1) 之内",
            )
        if self.residual_amount is None:
            return
        if not isinstance(self.residual_amount, Money):
            raise TypeError("residual_amount must be Money")
        if self.residual_amount.is_negative():
            raise refuse("residual_amount", str(self.residual_amount), ">= 0", "negative residual", "预计净残值为负数")
        if self.residual_rate:
            raise refuse(
                "residual_rate",
                self.residual_rate,
                "0 when residual_amount is given",
                "give a residual rate or a residual amount, not both",
                "预计净残值率与预计净残值只能给出其一",
            )

    @property
    def life_years(self) -> int | None:
        """The life in whole years (accelerated methods), else ``None``."""
        if self.life_months is None or self.life_months % MONTHS_IN_YEAR:
            return None
        return self.life_months // MONTHS_IN_YEAR

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
