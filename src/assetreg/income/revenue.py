"""Revenue received from assets (收益) and distributable income (可分配收益), P9–P10.

A :class:`RevenueEntry` is money received from one asset for a half-open period
``[start, end)``. Lump sums covering several years are spread over the years they cover
before distribution (P10, :func:`spread_by_year`); the spread is sum-preserving.
Distributable income is gross income minus the deductions the policy names — land
rent, taxes, insurance, operation and maintenance (运维), with an optional O&M cap per
watt per year (0.03 元/W/年 seen) — see :func:`distributable_income` (P9).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.money import FEN_PER_YUAN, Money, RoundingMode, round_fen
from assetreg.domain.periods import Period, add_months
from assetreg.domain.vocab import DeductionKind, Vocabulary, member_of
from assetreg.errors import InvalidValue, typed, wrong_type
from assetreg.income.allocate import allocate

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assetreg.domain.policy import Policy

__all__ = [
    "DEFAULT_DEDUCTIBLE",
    "Deduction",
    "DeductionKind",
    "DistributableIncome",
    "RevenueEntry",
    "RevenueKind",
    "SpreadBasis",
    "distributable_income",
    "income_in_period",
    "om_cap_amount",
    "pass_on_deadline",
    "pass_on_deadline_for",
    "split_electricity_sales",
    "spread_by_year",
]


class RevenueKind(Vocabulary):
    """Kind of income received from an asset (收益类型)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _REVENUE_KIND_ZH

    ELECTRICITY_BENCHMARK = "electricity_benchmark"
    """PV electricity sales, the coal-benchmark price part (燃煤标杆电价部分); P9."""
    ELECTRICITY_SUBSIDY = "electricity_subsidy"
    """PV electricity sales, the renewable subsidy part (国家补贴部分); P9."""
    RENT = "rent"
    """Rent for the asset (租金)."""
    LAND_RENT = "land_rent"
    """Rent for land use rights (土地流转租金)."""
    GUARANTEED_RETURN = "guaranteed_return"
    """Contractual floor return (保底收益); P8."""
    PROFIT_SHARE = "profit_share"
    """Profit share or dividend (分红/二次分红)."""
    INTEREST = "interest"
    """Interest (利息)."""
    SALES = "sales"
    """Sales of products (销售收入)."""
    OTHER = "other"
    """Anything else (其他)."""


ELECTRICITY_KINDS: Final = frozenset({RevenueKind.ELECTRICITY_BENCHMARK, RevenueKind.ELECTRICITY_SUBSIDY})


def _nonempty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{attribute.name} must be a non-empty string",
            f"{attribute.name} 不能为空",
            field=attribute.name,
            actual=value,
        )


def _kwh(value: Decimal | str | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float | bool) or not isinstance(value, Decimal | str | int):
        raise wrong_type("kwh", value, "Decimal, int or text", "Decimal、整数或文本")
    try:
        kwh = Decimal(value.strip() if isinstance(value, str) else value)
    except ArithmeticError:
        raise InvalidValue(f"kwh {value!r} is not a number", f"发电量 {value!r} 不是数字", field="kwh") from None
    if not kwh.is_finite() or kwh < 0:
        raise InvalidValue(
            f"kwh must be a finite number, not negative: {value!r}",
            f"发电量应为非负数：{value!r}",
            field="kwh",
            actual=str(value),
        )
    return kwh


@attrs.frozen(kw_only=True)
class RevenueEntry:
    """Income received from one asset for one period (资产收益记录).

    Attributes:
        id: id of the entry (unique in the register).
        asset_id: the asset that earned it.
        kind: what kind of income it is.
        amount: the amount received, in fen (negative for a refund or correction).
        period: the half-open period ``[start, end)`` the income is for (收益期间).
        received: the day the money arrived (到账日期).
        contract_id: the operating contract it is paid under, if any.
        note: free text (备注).
        kwh: electricity generated in the period (发电量, kWh) for PV income, or ``None``
            when not recorded; exact ``Decimal`` (text and int accepted), never a float.

    Raises:
        InvalidValue: an empty id or asset id, a negative ``kwh``.
        TypeError: ``amount`` is not Money, ``received`` not a date, ``kwh`` a float.
    """

    id: str = attrs.field(validator=_nonempty)
    asset_id: str = attrs.field(validator=_nonempty)
    kind: RevenueKind = attrs.field(validator=member_of(RevenueKind))
    amount: Money = attrs.field(validator=typed(Money, "Money 金额"))
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    received: date = attrs.field(validator=typed(date, "日期 (datetime.date)"))
    contract_id: str | None = None
    note: str = ""
    kwh: Decimal | None = attrs.field(default=None, converter=_kwh)


class SpreadBasis(Vocabulary):
    """How a lump sum is weighted over the years it covers (P10)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _SPREAD_BASIS_ZH

    AUTO = "auto"
    """Months when every yearly slice is whole months, otherwise days."""
    MONTHS = "months"
    """Whole calendar months per year (refused when a slice is not whole months)."""
    DAYS = "days"
    """Days per year (a leap year weighs 366)."""


def _slice_weights(slices: tuple[Period, ...], basis: SpreadBasis, record: str) -> list[int]:
    months = [s.months_count() for s in slices]
    if basis is SpreadBasis.DAYS or (basis is SpreadBasis.AUTO and None in months):
        return [s.days for s in slices]
    if None in months:
        raise InvalidValue(
            "period is not whole months in every year; spread by days instead",
            "收益期间不是整月，无法按月分摊，请按天分摊",
            record=record,
            field="period",
        )
    return [m for m in months if m is not None]


def spread_by_year(entry: RevenueEntry, *, basis: SpreadBasis = SpreadBasis.AUTO) -> tuple[RevenueEntry, ...]:
    """Spread a lump sum over the calendar years its period covers (P10, 一次性收取多年租金分摊).

    Rent of 50,000 元 for ``[2021-07-01, 2026-07-01)`` becomes 5,000 for 2021 (6 months),
    10,000 for each of 2022–2025 and 5,000 for 2026. The parts come from
    :func:`~assetreg.income.allocate.allocate` keyed by year, so they add up exactly.

    Args:
        entry: the entry to spread; one covering a single year is returned unchanged.
        basis: months, days, or months where the slices allow (the default).

    Returns:
        One entry per year, ids ``"<id>#<year>"``, in year order.

    Raises:
        InvalidValue: ``basis`` is MONTHS and a slice is not whole months.
    """
    slices = entry.period.split_by_year()
    if len(slices) == 1:
        return (entry,)
    weights = _slice_weights(slices, basis, entry.id)
    amounts = allocate(entry.amount, weights, keys=[s.start.year for s in slices])
    return tuple(
        attrs.evolve(entry, id=f"{entry.id}#{piece.start.year}", amount=amount, period=piece)
        for piece, amount in zip(slices, amounts, strict=True)
    )


def income_in_period(
    entries: Iterable[RevenueEntry],
    period: Period,
    *,
    kinds: Iterable[RevenueKind] | None = None,
    asset_id: str | None = None,
) -> Money:
    """Sum the income attributable to ``period`` (gross income, 收益总额).

    Each entry is first spread by year (:func:`spread_by_year`); a yearly piece that only
    partly overlaps ``period`` contributes by days: the fen earned up to a day are
    ``floor(amount × days elapsed / days)``, and a period gets the difference between its
    end and its start, so the parts of any set of adjacent periods add up exactly and each
    is within one fen of its exact share.

    Args:
        entries: revenue entries of any assets.
        period: the half-open period asked for.
        kinds: only these kinds (all when ``None``).
        asset_id: only this asset (all when ``None``).

    Returns:
        The income in fen as Money.
    """
    wanted = None if kinds is None else frozenset(kinds)
    total = 0
    for entry in entries:
        if (wanted is not None and entry.kind not in wanted) or (asset_id is not None and entry.asset_id != asset_id):
            continue
        for piece in spread_by_year(entry):
            inside = piece.period.intersection(period)
            if inside is None:
                continue
            if inside == piece.period:
                total += piece.amount.fen
                continue
            total += _cumulative(piece, inside.end) - _cumulative(piece, inside.start)
    return Money(total)


def _cumulative(piece: RevenueEntry, day: date) -> int:
    """Fen of ``piece`` earned before ``day``, floored toward zero (exact at both ends)."""
    elapsed = (day - piece.period.start).days
    fen = piece.amount.fen
    share = abs(fen) * elapsed // piece.period.days
    return -share if fen < 0 else share


def split_electricity_sales(
    amount: Money, benchmark_price: Decimal | str, subsidy_price: Decimal | str
) -> tuple[Money, Money]:
    """Split PV electricity income into its coal-benchmark and subsidy parts (P9).

    The parts are proportional to the two prices per kWh (元/kWh, e.g. ``"0.3078"``
    benchmark and ``"0.42"`` subsidy) and add up to ``amount`` exactly.

    Returns:
        ``(benchmark part, subsidy part)``.

    Raises:
        TypeError: a price is a ``float``.
        AllocationError: negative prices or both zero.
    """
    benchmark, subsidy = allocate(amount, [benchmark_price, subsidy_price], keys=[0, 1])
    return benchmark, subsidy


def pass_on_deadline(entry: RevenueEntry, policy: Policy) -> date | None:
    """The last day by which PV income must have been passed on to the village (P9).

    The coal-benchmark part is passed on quarterly: within ``policy.coal_part_within_days``
    days after the end of the quarter in which the income period ends. The subsidy part
    before the end of the first quarter of the next year: by ``policy.subsidy_part_deadline``
    (month, day) of the year after the period ends (:meth:`Policy.subsidy_deadline_for`).
    Both are policy parameters **[cfg]**; DESIGN §7 P9 (the seed plan's PV rule: quarterly
    settlement, subsidy part passed on by the next first quarter).

    Returns:
        The last day on time (inclusive), or ``None`` for other kinds of income.
    """
    return pass_on_deadline_for(entry.kind, entry.period, policy)


def pass_on_deadline_for(kind: RevenueKind, period: Period, policy: Policy) -> date | None:
    """:func:`pass_on_deadline` for income of ``kind`` for ``period`` (no entry needed)."""
    last = period.last
    if kind is RevenueKind.ELECTRICITY_SUBSIDY:
        return policy.subsidy_deadline_for(last.year)
    if kind is RevenueKind.ELECTRICITY_BENCHMARK:
        quarter_start = date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
        quarter_last = add_months(quarter_start, 3) - timedelta(days=1)
        return quarter_last + timedelta(days=policy.coal_part_within_days)
    return None


DEFAULT_DEDUCTIBLE: Final = frozenset(
    {
        DeductionKind.LAND_RENT,
        DeductionKind.TAXES,
        DeductionKind.INSURANCE,
        DeductionKind.OPERATION_MAINTENANCE,
    }
)
"""Deductions P9 names for PV income: land rent, taxes, insurance, O&M."""


@attrs.frozen
class Deduction:
    """One amount deducted (or claimed) from gross income (扣除项).

    Attributes:
        kind: what it is for.
        amount: fen, not negative.
        note: free text; on refused parts, the reason.

    Raises:
        InvalidValue: a negative amount.
    """

    kind: DeductionKind = attrs.field(validator=member_of(DeductionKind))
    amount: Money = attrs.field(validator=typed(Money, "金额 Money"))
    note: str = ""

    def __attrs_post_init__(self) -> None:
        """Refuse a negative amount."""
        if self.amount.is_negative():
            raise InvalidValue(
                "a deduction cannot be negative",
                "扣除金额不能为负数",
                field="amount",
                actual=str(self.amount),
                expected=">= 0",
            )


def om_cap_amount(
    capacity_w: int,
    yuan_per_w_year: Money | Decimal | Fraction | str,
    *,
    years: Fraction | int = 1,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> Money:
    """The O&M cap for a PV station (运维费上限): capacity × rate × years (P9).

    300 kW at 0.03 元/W/年 for a year: ``om_cap_amount(300_000, "0.03")`` is 9,000 元.

    Args:
        capacity_w: installed capacity in watts (W; 1 kW = 1,000 W).
        yuan_per_w_year: the cap per W per year **[cfg]**: 元 as ``Decimal``/``str``
            (``"0.03"`` seen) or :class:`Money` (``Policy.om_cap_per_watt_year``, 3 fen).
        years: the length of the period in years (``Fraction(1, 4)`` for a quarter).
        mode: rounding of the cap to whole fen.

    Raises:
        TypeError: a ``float`` rate or a non-int capacity.
        InvalidValue: a negative capacity or rate.
    """
    if isinstance(capacity_w, bool) or not isinstance(capacity_w, int):
        raise wrong_type("capacity_w", capacity_w, "int watts", "整数（瓦）")
    if isinstance(yuan_per_w_year, float) or isinstance(years, float):
        raise wrong_type(
            "yuan_per_w_year",
            yuan_per_w_year if isinstance(yuan_per_w_year, float) else years,
            "Decimal or text",
            "Decimal 或文本",
        )
    if isinstance(yuan_per_w_year, Money):
        rate = Fraction(yuan_per_w_year.fen, FEN_PER_YUAN)
    elif isinstance(yuan_per_w_year, str):
        rate = Fraction(Decimal(yuan_per_w_year))
    else:
        rate = Fraction(yuan_per_w_year)
    if capacity_w < 0 or rate < 0:
        raise InvalidValue(
            "capacity and O&M rate must not be negative",
            "装机容量和运维费标准不能为负数",
            field="capacity_w" if capacity_w < 0 else "yuan_per_w_year",
        )
    return Money(round_fen(capacity_w * rate * FEN_PER_YUAN * Fraction(years), mode))


@attrs.frozen(kw_only=True)
class DistributableIncome:
    """Gross income less the deductions the policy allows (可分配收益), P9.

    Attributes:
        gross: income before deductions.
        deducted: deductions applied (O&M at most the cap).
        not_deducted: claimed amounts that were not deducted — kinds the policy does not
            name, and O&M above the cap — with the reason in ``note``; nothing vanishes.
        net: ``gross - sum(deducted)``; may be negative (then nothing can be distributed).
    """

    gross: Money
    deducted: tuple[Deduction, ...]
    not_deducted: tuple[Deduction, ...]
    net: Money

    @property
    def total_deducted(self) -> Money:
        """Sum of the deductions applied."""
        return Money(sum(d.amount.fen for d in self.deducted))

    def deducted_of(self, kind: DeductionKind) -> Money:
        """Sum of the deductions of one kind that were applied."""
        return Money(sum(d.amount.fen for d in self.deducted if d.kind is kind))


def distributable_income(
    gross: Money,
    deductions: Iterable[Deduction] = (),
    *,
    deductible: Iterable[DeductionKind] = DEFAULT_DEDUCTIBLE,
    om_cap: Money | None = None,
) -> DistributableIncome:
    """Compute distributable income: gross minus the deductions the policy names (P9).

    PV 300 kW, income 120,000 元, O&M 9,000 (the cap at 0.03 元/W/年): net 111,000 元.

    Args:
        gross: gross income of the period (e.g. from :func:`income_in_period`).
        deductions: amounts claimed against it.
        deductible: kinds the policy allows **[cfg]** (land rent, taxes, insurance, O&M by
            default).
        om_cap: the most O&M that may be deducted for the period (:func:`om_cap_amount`),
            ``None`` for no cap **[cfg]**. Several O&M lines share the cap in order.

    Returns:
        A :class:`DistributableIncome` keeping every claimed fen either in ``deducted`` or in
        ``not_deducted``.
    """
    allowed = frozenset(deductible)
    applied: list[Deduction] = []
    refused: list[Deduction] = []
    om_room = None if om_cap is None else om_cap.fen
    for item in deductions:
        if item.kind not in allowed:
            refused.append(
                attrs.evolve(item, note=f"政策不允许扣除 / not deductible under the policy: {item.kind.value}")
            )
            continue
        if item.kind is DeductionKind.OPERATION_MAINTENANCE and om_room is not None:
            take = min(item.amount.fen, om_room)
            om_room -= take
            if take:
                applied.append(attrs.evolve(item, amount=Money(take)))
            if take < item.amount.fen:
                refused.append(
                    attrs.evolve(
                        item,
                        amount=Money(item.amount.fen - take),
                        note=f"超过运维费上限 {om_cap} / above the O&M cap {om_cap}",
                    )
                )
            continue
        applied.append(item)
    net = gross - Money(sum(d.amount.fen for d in applied))
    return DistributableIncome(gross=gross, deducted=tuple(applied), not_deducted=tuple(refused), net=net)


_REVENUE_KIND_ZH: Final[Mapping[Any, str]] = {
    RevenueKind.ELECTRICITY_BENCHMARK: "燃煤标杆电价部分",
    RevenueKind.ELECTRICITY_SUBSIDY: "国家补贴部分",
    RevenueKind.RENT: "租金",
    RevenueKind.LAND_RENT: "土地流转租金",
    RevenueKind.GUARANTEED_RETURN: "保底收益",
    RevenueKind.PROFIT_SHARE: "分红",
    RevenueKind.INTEREST: "利息",
    RevenueKind.SALES: "销售收入",
    RevenueKind.OTHER: "其他",
}


_SPREAD_BASIS_ZH: Final[Mapping[Any, str]] = {
    SpreadBasis.AUTO: "自动（整月按月，否则按日）",
    SpreadBasis.MONTHS: "按月",
    SpreadBasis.DAYS: "按日",
}
