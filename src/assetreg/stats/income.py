"""Income and distribution summaries (收益、分配统计): by period, area and kind, exact to the fen.

Income comes from the revenue entries (收益流水, :class:`~assetreg.income.revenue.RevenueEntry`);
an entry covering several calendar years is spread over them first
(:func:`~assetreg.income.revenue.spread_by_year`, P10), so the year rows add up to what
was received. Distributions come from the stored distribution records
(:class:`~assetreg.income.books.Distribution`): per distribution its gross income,
deductions, pool and what its lines allocated; by kind, the lines by beneficiary kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final

import attrs

from assetreg.domain.codes import AdminLevel
from assetreg.domain.money import Money
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetClass, Vocabulary
from assetreg.errors import InvalidChoice, UnknownAsset, invalid_choice
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.books import Distribution, as_known_at
from assetreg.income.revenue import RevenueEntry, RevenueKind, spread_by_year
from assetreg.stats.register import Group, area_group
from assetreg.stats.tables import AmountColumn, StatRow, StatTable

__all__ = [
    "IncomeDimension",
    "IncomeSeries",
    "distribution_table",
    "income_series",
    "income_table",
]

_UNKNOWN: Final = ("unknown", "未载", "not recorded")


class IncomeDimension(Vocabulary):
    """What an income or distribution summary groups by (收益统计口径)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return {
            IncomeDimension.YEAR: "年度",
            IncomeDimension.AREA: "区划",
            IncomeDimension.KIND: "类型",
            IncomeDimension.CLASS: "资产类别",
        }

    YEAR = "year"
    """Calendar year of the income period (收益年度); a distribution's period start year."""
    AREA = "area"
    """Area of the asset (income) or of the distribution record, at a chosen level."""
    KIND = "kind"
    """Income kind (收益类型); for distributions the beneficiary kind (受益对象类型)."""
    CLASS = "class"
    """Class of the asset that earned the income (income only)."""


_EN: Final = {
    IncomeDimension.YEAR: "year",
    IncomeDimension.AREA: "area",
    IncomeDimension.KIND: "kind",
    IncomeDimension.CLASS: "class",
}


def _not_one_of(dimension: IncomeDimension, allowed: Iterable[IncomeDimension]) -> InvalidChoice:
    return invalid_choice("IncomeDimension", dimension.value, [(d.value, d.label_zh) for d in allowed], field="by")


def _pieces(entries: Iterable[RevenueEntry], as_of: date | None) -> list[RevenueEntry]:
    out: list[RevenueEntry] = []
    for entry in entries:
        if as_of is None or entry.received <= as_of:
            out.extend(spread_by_year(entry))
    return out


def _asset_group(register: AssetRegister, asset_id: str, dimension: IncomeDimension, level: AdminLevel) -> Group:
    history = register.histories.get(asset_id)  # type: ignore[call-overload]
    if history is None:
        return _UNKNOWN
    try:
        asset = history.asset()
    except UnknownAsset:
        return _UNKNOWN
    if dimension is IncomeDimension.CLASS:
        return (asset.asset_class.value, asset.asset_class.label_zh, asset.asset_class.value.replace("_", " "))
    return area_group(asset.location.value, level)


def _income_group(register: AssetRegister, piece: RevenueEntry, dimension: IncomeDimension, level: AdminLevel) -> Group:
    if dimension is IncomeDimension.YEAR:
        year = str(piece.period.start.year)
        return (year, year, year)
    if dimension is IncomeDimension.KIND:
        return (piece.kind.value, piece.kind.label_zh, piece.kind.value.replace("_", " "))
    return _asset_group(register, piece.asset_id, dimension, level)


def _order(dimension: IncomeDimension) -> Any:
    members: list[Vocabulary] = []
    if dimension is IncomeDimension.KIND:
        members = [*RevenueKind, *BeneficiaryKind]
    elif dimension is IncomeDimension.CLASS:
        members = list(AssetClass)
    position = {str(m.value): i for i, m in enumerate(members)}
    return lambda key: (key == _UNKNOWN[0], position.get(key, 0), key)


def _rows(
    groups: Mapping[Group, tuple[set[str], list[int]]], dimension: IncomeDimension, width: int
) -> tuple[list[StatRow], list[int]]:
    order = _order(dimension)
    rows: list[StatRow] = []
    totals = [0] * width
    for group in sorted(groups, key=lambda g: order(g[0])):
        ids, fens = groups[group]
        rows.append(StatRow(key=group[0], zh=group[1], en=group[2], count=len(ids), amounts=[Money(f) for f in fens]))
        totals = [t + f for t, f in zip(totals, fens, strict=True)]
    return rows, totals


def income_table(
    register: AssetRegister,
    entries: Iterable[RevenueEntry],
    by: IncomeDimension | str,
    *,
    as_of: date | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> StatTable:
    """Income received (收益) by year, area, kind or asset class.

    Args:
        register: the register (for the assets' areas and classes).
        entries: the revenue entries (``uow.revenue.list()``); amounts in fen.
        by: year, area, kind or class.
        as_of: only entries received (到账) on or before this day; ``None`` = all.
        level: for ``by=area``, the level of the groups.

    Returns:
        A table with one amount column, ``amount`` (fen); the count is the number of
        entries (an entry spread over two years counts in both rows and once in 合计).
        Entries of an asset not in the register are 未载 by area and class.

    Raises:
        InvalidChoice: ``by`` is not a dimension.
    """
    dimension = IncomeDimension.parse(by, field="by")
    groups: dict[Group, tuple[set[str], list[int]]] = {}
    items: set[str] = set()
    for piece in _pieces(entries, as_of):
        entry_id = piece.id.split("#", 1)[0]
        items.add(entry_id)
        ids, fens = groups.setdefault(_income_group(register, piece, dimension, level), (set(), [0]))
        ids.add(entry_id)
        fens[0] += piece.amount.fen
    rows, totals = _rows(groups, dimension, 1)
    zh = dimension.label_zh
    return StatTable(
        name="income",
        dimension=dimension.value,
        title_zh=f"资产收益统计表(按{zh})" + (f" 截至{as_of}" if as_of else ""),
        title_en=f"Income by {_EN[dimension]}" + (f", received by {as_of}" if as_of else ""),
        dimension_zh=zh,
        dimension_en=_EN[dimension],
        count_zh="收益笔数",
        count_en="entries",
        columns=(AmountColumn("amount", "收益金额", "income"),),
        rows=rows,
        total=StatRow(key="total", zh="合计", en="total", count=len(items), amounts=(Money(totals[0]),)),
        as_of=as_of,
        notes=(
            (
                "an entry whose period spans years is spread over them by months or days (P10)",
                "跨年度收益按月(日)分摊到各年度(P10)",
            ),
        ),
    )


_DISTRIBUTION_COLUMNS: Final = (
    AmountColumn("gross", "收益", "gross income"),
    AmountColumn("deducted", "扣除", "deducted"),
    AmountColumn("pool", "可分配收益", "distributable"),
    AmountColumn("allocated", "已分配", "allocated"),
)


def distribution_table(
    distributions: Iterable[Distribution],
    by: IncomeDimension | str,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> StatTable:
    """Distributions (收益分配) by year, area, or beneficiary kind.

    Args:
        distributions: distribution records (``uow.distributions.list(current=False)`` or
            the current ones); those superseded by ``known_at`` are left out here.
        by: year (of the period start), area (of the record) or kind (of the payees).
        as_of: only distributions judged (``Distribution.as_of``) on or before this day.
        known_at: the books as they stood at this instant (``None`` = everything recorded).
        level: for ``by=area``, the level of the groups.

    Returns:
        By year or area: columns gross, deducted, pool and allocated (the lines' sum),
        count = distributions. By kind: one column ``allocated``, count = lines.

    Raises:
        InvalidChoice: ``by`` is not year, area or kind.
    """
    dimension = IncomeDimension.parse(by, field="by")
    if dimension is IncomeDimension.CLASS:
        raise _not_one_of(dimension, (IncomeDimension.YEAR, IncomeDimension.AREA, IncomeDimension.KIND))
    records = [d for d in as_known_at(distributions, known_at) if as_of is None or d.as_of <= as_of]
    groups: dict[Group, tuple[set[str], list[int]]] = {}
    items: set[str] = set()
    by_kind = dimension is IncomeDimension.KIND
    for record in records:
        if by_kind:
            for index, line in enumerate(record.lines):
                kind = line.beneficiary_kind
                ids, fens = groups.setdefault((kind.value, kind.label_zh, kind.value.replace("_", " ")), (set(), [0]))
                ids.add(f"{record.id}/{index}")
                items.add(f"{record.id}/{index}")
                fens[0] += line.amount.fen
            continue
        items.add(record.id)
        if dimension is IncomeDimension.YEAR:
            year = str(record.period.start.year)
            group: Group = (year, year, year)
        else:
            group = area_group(record.area.value, level)
        ids, fens = groups.setdefault(group, (set(), [0, 0, 0, 0]))
        ids.add(record.id)
        allocated = sum(line.amount.fen for line in record.lines)
        for index, fen in enumerate((record.gross.fen, record.deducted.fen, record.pool.fen, allocated)):
            fens[index] += fen
    columns = (_DISTRIBUTION_COLUMNS[3],) if by_kind else _DISTRIBUTION_COLUMNS
    rows, totals = _rows(groups, dimension, len(columns))
    zh = "受益对象类型" if by_kind else dimension.label_zh
    en = "payee kind" if by_kind else _EN[dimension]
    return StatTable(
        name="distributions",
        dimension=dimension.value,
        title_zh=f"收益分配统计表(按{zh})",
        title_en=f"Distributions by {en}",
        dimension_zh=zh,
        dimension_en=en,
        count_zh="分配明细行数" if by_kind else "分配次数",
        count_en="lines" if by_kind else "distributions",
        columns=columns,
        rows=rows,
        total=StatRow(key="total", zh="合计", en="total", count=len(items), amounts=tuple(Money(t) for t in totals)),
        as_of=as_of,
        known_at=known_at,
    )


@attrs.frozen(kw_only=True)
class IncomeSeries:
    """Income per year and group (收益年度序列), for plots.

    Attributes:
        by: the grouping (class, area or kind).
        years: the calendar years, ascending, every year from the first to the last.
        groups: ``(key, Chinese label, English label)`` of each series, in order.
        amounts: per group, one amount per year (fen), aligned with ``years``.
    """

    by: IncomeDimension
    years: tuple[int, ...]
    groups: tuple[Group, ...]
    amounts: tuple[tuple[Money, ...], ...]

    def total(self, year: int) -> Money:
        """All groups' income in ``year``."""
        index = self.years.index(year)
        return Money(sum(series[index].fen for series in self.amounts))


def income_series(
    register: AssetRegister,
    entries: Iterable[RevenueEntry],
    by: IncomeDimension | str = IncomeDimension.CLASS,
    *,
    as_of: date | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> IncomeSeries:
    """Income per calendar year and class, area or kind (entries spread over years as in :func:`income_table`).

    Raises:
        InvalidChoice: ``by`` is not class, area or kind.
    """
    dimension = IncomeDimension.parse(by, field="by")
    if dimension is IncomeDimension.YEAR:  # the years are the other axis
        raise _not_one_of(dimension, (IncomeDimension.CLASS, IncomeDimension.AREA, IncomeDimension.KIND))
    cells: dict[Group, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    years: set[int] = set()
    for piece in _pieces(entries, as_of):
        year = piece.period.start.year
        years.add(year)
        cells[_income_group(register, piece, dimension, level)][year] += piece.amount.fen
    span = tuple(range(min(years), max(years) + 1)) if years else ()
    order = _order(dimension)
    groups = tuple(sorted(cells, key=lambda g: order(g[0])))
    return IncomeSeries(
        by=dimension,
        years=span,
        groups=groups,
        amounts=tuple(tuple(Money(cells[g].get(y, 0)) for y in span) for g in groups),
    )
