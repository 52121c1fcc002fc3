"""Checking 合计/小计 rows against the detail rows they cover (合计核对).

Published tables put totals either after their parts (the usual ledger layout) or
before them (the 泽库 and 达川 notices print the 合计 first, and 泽库 lists its three 小计
together before the six items). The rules:

* Rows are grouped into runs of the same place (the 省份 and 县区 columns, where
  present): a total never covers rows of another county.
* In a run whose first row is a total or subtotal, totals come *first*: a 合计 covers the
  rows after it up to the next 合计; a lone 小计 covers the detail rows after it up to the
  next 小计/合计; a block of consecutive 小计 rows is a summary of the 合计 and only their
  sum is checked against it.
* Otherwise totals come *last*: a 合计 covers the detail rows since the previous 合计, a
  小计 those since the previous 小计 or 合计.

A total that differs from the sum of its rows is reported as a warning (published
totals sometimes do not reconcile; DESIGN §9) with the rows it covers; it is never
"fixed". Checked columns: money (原值, 净值) and 个数.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from assetreg.adapters.ledger.cells import is_blank, parse_amount, parse_count
from assetreg.adapters.ledger.headers import FieldKind, field_kind
from assetreg.adapters.ledger.issues import LedgerIssue, cell_text
from assetreg.adapters.ledger.reader import Column, LedgerRow, LedgerSheet, RowKind
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["check_totals"]

_SCOPE_FIELDS = ("province", "county")


def check_totals(sheet: LedgerSheet) -> list[LedgerIssue]:
    """Check every total and subtotal row of ``sheet``; return warnings for mismatches.

    Returns:
        Issues of severity warning (``kind="total_mismatch"``) or info
        (``kind="total_not_checked"``); an unreadable total cell is an error
        (``kind`` from the cell parser) but never rejects a detail row.
    """
    columns = [
        column
        for column in sheet.columns
        if column.field is not None and field_kind(column.field) in {FieldKind.MONEY, FieldKind.COUNT}
    ]
    if not columns or not any(row.kind is not RowKind.DETAIL for row in sheet.rows):
        return []
    issues: list[LedgerIssue] = []
    for run in _runs(sheet):
        for total, covered in _coverage(run):
            _compare(sheet.name, total, covered, columns, issues)
    return issues


def _scope(row: LedgerRow) -> tuple[str, ...] | None:
    key = tuple("" if is_blank(row.get(field)) else str(row.get(field)).strip() for field in _SCOPE_FIELDS)
    return key if any(key) else None


def _runs(sheet: LedgerSheet) -> Iterator[list[LedgerRow]]:
    run: list[LedgerRow] = []
    key: tuple[str, ...] | None = None
    for row in sheet.rows:
        scope = _scope(row)
        if scope is not None and key is not None and scope != key and run:
            yield run
            run = []
        if scope is not None:
            key = scope
        run.append(row)
    if run:
        yield run


def _coverage(run: list[LedgerRow]) -> Iterator[tuple[LedgerRow, list[LedgerRow]]]:
    """Yield (total row, rows whose sum it states) for each total/subtotal in a run."""
    if run[0].kind is not RowKind.DETAIL:
        yield from _totals_first(run)
    else:
        yield from _totals_last(run)


def _totals_last(run: list[LedgerRow]) -> Iterator[tuple[LedgerRow, list[LedgerRow]]]:
    since_total: list[LedgerRow] = []
    since_sub: list[LedgerRow] = []
    for row in run:
        if row.kind is RowKind.DETAIL:
            since_total.append(row)
            since_sub.append(row)
        elif row.kind is RowKind.SUBTOTAL:
            yield row, since_sub
            since_sub = []
        else:
            yield row, since_total
            since_total, since_sub = [], []


def _totals_first(run: list[LedgerRow]) -> Iterator[tuple[LedgerRow, list[LedgerRow]]]:
    index = 0
    while index < len(run):
        total = run[index]
        end = index + 1
        if total.kind is RowKind.TOTAL:
            while end < len(run) and run[end].kind is not RowKind.TOTAL:
                end += 1
            segment = run[index + 1 : end]
            yield total, [row for row in segment if row.kind is RowKind.DETAIL]
            yield from _subtotals_first(total, segment)
        else:  # a run starting with subtotals and no 合计
            while end < len(run) and run[end].kind is not RowKind.TOTAL:
                end += 1
            yield from _subtotals_first(None, run[index:end])
        index = end


def _subtotals_first(total: LedgerRow | None, segment: list[LedgerRow]) -> Iterator[tuple[LedgerRow, list[LedgerRow]]]:
    index = 0
    while index < len(segment):
        row = segment[index]
        if row.kind is not RowKind.SUBTOTAL:
            index += 1
            continue
        block_end = index
        while block_end + 1 < len(segment) and segment[block_end + 1].kind is RowKind.SUBTOTAL:
            block_end += 1
        if block_end > index:
            # consecutive subtotals: a summary of the total; their sum is the total.
            if total is not None:
                yield total, segment[index : block_end + 1]
            index = block_end + 1
            continue
        end = index + 1
        while end < len(segment) and segment[end].kind is RowKind.DETAIL:
            end += 1
        yield row, segment[index + 1 : end]
        index = end


def _value(column: Column, cell: object) -> Fraction:
    """The cell as an exact number in the column's unit of account (fen or a count)."""
    kind = field_kind(column.field or "")
    if kind is FieldKind.COUNT:
        return Fraction(parse_count(cell, field=column.field))
    return Fraction(parse_amount(cell, column.unit, field=column.field).fen)


def _show(column: Column, value: Fraction, shown_unit: str | None) -> str:
    if field_kind(column.field or "") is FieldKind.COUNT:
        return str(value)
    unit = column.unit or shown_unit or "元"
    places = -6 if unit == "万元" else -2
    amount = Decimal(value.numerator).scaleb(places)  # fen are whole: exact
    return f"{amount.normalize():f}{unit}"


def _compare(
    sheet: str,
    total: LedgerRow,
    covered: list[LedgerRow],
    columns: list[Column],
    issues: list[LedgerIssue],
) -> None:
    rows = tuple(row.row for row in covered)
    for column in columns:
        assert column.field is not None  # noqa: S101 - filtered by the caller
        cell = total.cells[column.index - 1]
        if is_blank(cell):
            continue
        try:
            stated = _value(column, cell)
        except AssetRegError as exc:
            issues.append(
                LedgerIssue.from_error(
                    exc,
                    sheet=sheet,
                    row=total.row,
                    column=column.header,
                    column_letter=column.letter,
                    field=column.field,
                    value=cell,
                )
            )
            continue
        where: dict[str, Any] = {
            "sheet": sheet,
            "row": total.row,
            "column": column.header,
            "column_letter": column.letter,
            "field": column.field,
            "value": cell_text(cell),
        }
        if not covered:
            issues.append(
                LedgerIssue(
                    **where,
                    kind="total_not_checked",
                    reason_en=f"{column.header}: the total covers no detail rows in this table; it is not checked",
                    reason_zh=f"{column.header}：该合计行在本表中没有对应的明细行，未核对",
                )
            )
            continue
        parts = [row.cells[column.index - 1] for row in covered]
        try:
            summed = sum((_value(column, part) for part in parts if not is_blank(part)), Fraction(0))
        except AssetRegError:
            continue  # the bad detail cell is reported by the importer
        if summed != stated:
            unit = "万元" if "万" in cell_text(cell) else None
            shown_rows = ", ".join(str(number) for number in rows)
            issues.append(
                LedgerIssue(
                    **where,
                    kind="total_mismatch",
                    reason_en=f"{column.header}: expected the sum {_show(column, summed, unit)} of rows {shown_rows}, "
                    f"found the total {_show(column, stated, unit)} (off by {_show(column, stated - summed, unit)}); "
                    "reported, not corrected",
                    reason_zh=f"{column.header}：应为第 {shown_rows} 行之和 {_show(column, summed, unit)}，"
                    f"实为合计 {_show(column, stated, unit)}（相差 {_show(column, stated - summed, unit)}）；"
                    "仅报告，不作更正",
                    related_rows=rows,
                    expected=_show(column, summed, unit),
                )
            )
