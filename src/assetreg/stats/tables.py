"""Summary tables as counties publish them (统计表): rows, a 合计 row, and the 万元 reconciliation.

A :class:`StatTable` holds exact amounts (integer fen, :class:`~assetreg.domain.money.Money`)
per row and its 合计 (total) row; :meth:`StatTable.shown` rounds them once for display, in
元 or 万元 with a stated number of decimals, and reports a :class:`Reconciliation` for each
amount column whose shown rows do not add up to the shown total. The rounding is never
pushed into a row to make it add up (shown, never forced): the published 掇刀区 register
summary, for example, prints 30862.6147万元 in one table and 30862.61万元 in the other for the
same 624 assets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction

import attrs

from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.vocab import Vocabulary
from assetreg.errors import InvalidValue

__all__ = [
    "AmountColumn",
    "AmountUnit",
    "Reconciliation",
    "ShownRow",
    "ShownTable",
    "StatRow",
    "StatTable",
    "shown_amount",
]

_FEN_PER = {"yuan": 100, "wan": 1_000_000}
_MAX_PLACES = {"yuan": 2, "wan": 6}
_UNIT_EN = {"yuan": "yuan", "wan": "10k yuan"}


class AmountUnit(Vocabulary):
    """The unit amounts are shown in (金额单位)."""

    @classmethod
    def labels_zh(cls) -> Mapping[object, str]:
        """Chinese label of each member."""
        return {AmountUnit.YUAN: "元", AmountUnit.WAN: "万元"}

    YUAN = "yuan"
    """元, at most 2 decimals (exact at 2)."""
    WAN = "wan"
    """万元 (10,000 元), at most 6 decimals (exact at 6); counties print 4, 2 or 1."""

    @property
    def max_places(self) -> int:
        """The places at which the unit is exact (one fen): 2 for 元, 6 for 万元."""
        return _MAX_PLACES[self.value]

    @property
    def default_places(self) -> int:
        """The places shown unless stated: 2 for 元, 4 for 万元 (DESIGN §4)."""
        return 2 if self is AmountUnit.YUAN else 4


def _money_tuple(values: Iterable[Money]) -> tuple[Money, ...]:
    return tuple(values)


def _column_tuple(values: Iterable[AmountColumn]) -> tuple[AmountColumn, ...]:
    return tuple(values)


def _row_tuple(values: Iterable[StatRow]) -> tuple[StatRow, ...]:
    return tuple(values)


def _note_tuple(values: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(values)


def _units(amount: Money, unit: AmountUnit, places: int, mode: RoundingMode) -> int:
    """``amount`` in whole steps of ``10**-places`` of ``unit``, rounded once with ``mode``."""
    return round_fen(Fraction(amount.fen * 10**places, _FEN_PER[unit.value]), mode)


def _text(units: int, places: int) -> str:
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def _check_places(unit: AmountUnit, places: int) -> None:
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= unit.max_places:
        raise InvalidValue(
            f"{unit.value} amounts are shown with 0 to {unit.max_places} decimals, not {places!r}",
            f"以{unit.label_zh}为单位时小数位数应为 0 至 {unit.max_places}，而不是 {places!r}",
            field="places",
            actual=places,
            expected=f"0..{unit.max_places}",
        )


def shown_amount(
    amount: Money, unit: AmountUnit, places: int | None = None, mode: RoundingMode = RoundingMode.HALF_UP
) -> str:
    """``amount`` as shown in ``unit`` with ``places`` decimals: ``"30862.6147"``, ``"30862.61"``.

    Args:
        amount: the exact amount (fen).
        unit: 元 or 万元.
        places: decimals; the unit's default (2 for 元, 4 for 万元) when ``None``.
        mode: how the one rounding is done (half-up, 四舍五入, by default).

    Raises:
        InvalidValue: ``places`` outside ``0..2`` (元) or ``0..6`` (万元).
    """
    places = unit.default_places if places is None else places
    _check_places(unit, places)
    return _text(_units(amount, unit, places, mode), places)


@attrs.frozen
class AmountColumn:
    """An amount column of a table: a stable key and its headers.

    Attributes:
        key: stable name (``"original_value"``, ``"net_book_value"``, ``"amount"``).
        zh: the Chinese header without the unit (``"原值"``).
        en: the English header without the unit.
    """

    key: str
    zh: str
    en: str


@attrs.frozen(kw_only=True)
class StatRow:
    """One row of a summary table, exact.

    Attributes:
        key: the group's stable value (an enum value, an area code, a year, ``"unknown"``).
        zh: the Chinese label (``"公益性资产"``, ``"620822"``, ``"未载"``).
        en: the English label.
        count: how many items (assets, entries, distributions) fall in the group.
        amounts: one exact amount per column of the table, fen.
    """

    key: str
    zh: str
    en: str
    count: int
    amounts: tuple[Money, ...] = attrs.field(converter=_money_tuple)


@attrs.frozen
class Reconciliation:
    """A column whose shown rows do not add up to the shown total (万元 rounding), shown not forced.

    Attributes:
        column: the column's key.
        zh: the column's Chinese header with the unit (``"原值(万元)"``).
        en: the column's English header with the unit.
        rows_sum: the sum of the rows as shown, as shown text (``"30862"``).
        total: the total as shown (``"30863"``).
        difference: ``total − rows_sum`` as shown text (``"1"``).
        exact: the exact total in 元 with two places.
    """

    column: str
    zh: str
    en: str
    rows_sum: str
    total: str
    difference: str
    exact: str

    def message(self, lang: str = "en") -> str:
        """The reconciliation line in ``"en"`` or ``"zh"``."""
        name = self.zh if lang == "zh" else self.en
        if lang == "zh":
            return (
                f"核对：{name}各行显示值合计 {self.rows_sum}，合计行 {self.total}，相差 {self.difference}"
                f"（四舍五入所致，精确合计 {self.exact} 元；各行未作调整）"
            )
        return (
            f"reconciliation: {name} rows as shown add up to {self.rows_sum}, the total shows {self.total}, "
            f"a difference of {self.difference} from rounding (exact total {self.exact} yuan; rows not adjusted)"
        )


@attrs.frozen(kw_only=True)
class ShownRow:
    """A row as shown: label, count and amounts as text in the table's unit and places."""

    key: str
    zh: str
    en: str
    count: int
    amounts: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ShownTable:
    """A :class:`StatTable` rounded for display (元/万元, stated decimals).

    Attributes:
        table: the exact table.
        unit: 元 or 万元.
        places: decimals shown.
        rows: the rows as shown (the 合计 row not among them).
        total: the 合计 row as shown.
        reconciliations: one per amount column whose shown rows do not add up to the
            shown total; empty when everything adds up as shown.
    """

    table: StatTable
    unit: AmountUnit
    places: int
    rows: tuple[ShownRow, ...]
    total: ShownRow
    reconciliations: tuple[Reconciliation, ...]

    def headers(self, lang: str = "zh") -> tuple[str, ...]:
        """Column headers with the unit: ``("资产类别", "资产个数", "原值(万元)")``."""
        zh = lang == "zh"
        unit = self.unit.label_zh if zh else _UNIT_EN[self.unit.value]
        first = self.table.dimension_zh if zh else self.table.dimension_en
        count = self.table.count_zh if zh else self.table.count_en
        return (first, count, *(f"{c.zh}({unit})" if zh else f"{c.en} ({unit})" for c in self.table.columns))

    def records(self, lang: str = "zh") -> list[dict[str, object]]:
        """The rows then the 合计 row as dicts keyed by :meth:`headers` (for tables, CSV, .xlsx)."""
        heads = self.headers(lang)
        out: list[dict[str, object]] = []
        for row in (*self.rows, self.total):
            label = row.zh if lang == "zh" else row.en
            out.append(dict(zip(heads, (label, row.count, *row.amounts), strict=True)))
        return out


@attrs.frozen(kw_only=True)
class StatTable:
    """A summary table with exact amounts (统计表).

    Attributes:
        name: what it counts, stable (``"assets"``, ``"values"``, ``"income"``, ``"distributions"``).
        dimension: what it groups by (``"class"``, ``"owner_level"``, ``"area"`` …).
        title_zh / title_en: the table's title.
        dimension_zh / dimension_en: the header of the group column (``"资产类别"``).
        count_zh / count_en: the header of the count column (``"资产个数"``).
        columns: the amount columns.
        rows: the groups, in the dimension's order.
        total: the 合计 row: every amount is the exact sum of the rows; ``count`` is the
            number of distinct items, which exceeds the rows' sum of counts when one item
            falls in several groups (an asset with several funding sources).
        as_of: the date the table is for (``None`` for income over all periods).
        known_at: the recorded instant it reflects (``None`` = everything recorded).
        notes: ``(en, zh)`` notes printed under the table (what is left out and why).
    """

    name: str
    dimension: str
    title_zh: str
    title_en: str
    dimension_zh: str
    dimension_en: str
    count_zh: str
    count_en: str
    columns: tuple[AmountColumn, ...] = attrs.field(converter=_column_tuple)
    rows: tuple[StatRow, ...] = attrs.field(converter=_row_tuple)
    total: StatRow
    as_of: date | None = None
    known_at: datetime | None = None
    notes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_note_tuple)

    def row(self, key: str) -> StatRow:
        """The row whose key is ``key``.

        Raises:
            InvalidValue: no such row (the keys present are listed).
        """
        for row in self.rows:
            if row.key == key:
                return row
        raise InvalidValue(
            f"no row {key!r} in the {self.dimension} table; rows: {', '.join(r.key for r in self.rows)}",
            f"{self.dimension_zh}表中没有 {key!r} 行；现有：{'、'.join(r.key for r in self.rows)}",
            field="key",
            actual=key,
        )

    def shown(
        self, unit: AmountUnit = AmountUnit.WAN, places: int | None = None, mode: RoundingMode = RoundingMode.HALF_UP
    ) -> ShownTable:
        """The table rounded for display, with a reconciliation for every column that does not add up.

        Each amount is rounded once from its exact fen value; the 合计 row is the rounded
        exact total, not the sum of rounded rows.

        Args:
            unit: 元 or 万元.
            places: decimals (default 2 for 元, 4 for 万元).
            mode: the rounding mode (half-up, 四舍五入, by default).

        Raises:
            InvalidValue: ``places`` outside ``0..2`` (元) or ``0..6`` (万元).
        """
        places = unit.default_places if places is None else places
        _check_places(unit, places)

        def show(row: StatRow) -> ShownRow:
            return ShownRow(
                key=row.key,
                zh=row.zh,
                en=row.en,
                count=row.count,
                amounts=tuple(_text(_units(a, unit, places, mode), places) for a in row.amounts),
            )

        problems: list[Reconciliation] = []
        for index, column in enumerate(self.columns):
            rows_sum = sum(_units(r.amounts[index], unit, places, mode) for r in self.rows)
            total = _units(self.total.amounts[index], unit, places, mode)
            if rows_sum != total:
                problems.append(
                    Reconciliation(
                        column=column.key,
                        zh=f"{column.zh}({unit.label_zh})",
                        en=f"{column.en} ({_UNIT_EN[unit.value]})",
                        rows_sum=_text(rows_sum, places),
                        total=_text(total, places),
                        difference=_text(total - rows_sum, places),
                        exact=self.total.amounts[index].format_yuan(),
                    )
                )
        return ShownTable(
            table=self,
            unit=unit,
            places=places,
            rows=tuple(show(r) for r in self.rows),
            total=show(self.total),
            reconciliations=tuple(problems),
        )
