"""The public-notice table (收益分配公示表) written to .xlsx or .csv.

One title block (asset, income period, gross income, deductions, distributable income,
notice period, plan and its source), then one row per payee — 序号, 受益对象, 类型,
金额(元), 依据 — and a 合计 row equal to the distributable income. Text cells that a
spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) are neutralised.
Amounts are written as exact decimals with two places (yuan), never floats.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from assetreg.adapters.ledger.importer import neutralise
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from assetreg.income.distribution import IncomeNotice

__all__ = ["NOTICE_COLUMNS", "notice_table", "write_notice"]

NOTICE_COLUMNS = ("序号", "受益对象", "类型", "金额(元)", "依据")
"""Column headers of the notice table."""


def notice_table(notice: IncomeNotice) -> list[list[object]]:
    """The notice as rows of cells: title block, header, one row per payee, 合计 row, notes.

    Amount cells are ``Decimal`` yuan with two places; everything else is text. The notes
    say which claimed deductions were not made (and why) and that the lines reconcile.
    """
    income = notice.income
    plan_name = notice.allocations[0].plan_name if notice.allocations else notice.plan
    rows: list[list[object]] = [
        [f"{notice.asset_name}（{notice.asset_id}）收益分配公示"],
        ["收益期间", f"{notice.period.start.isoformat()} 至 {notice.period.last.isoformat()}"],
        ["收益总额(元)", income.gross.yuan_decimal],
        ["扣除(元)", income.total_deducted.yuan_decimal],
        ["可分配收益(元)", income.net.yuan_decimal],
        ["公示期", f"{notice.posted_on.isoformat()} 至 {notice.closes_on.isoformat()}"],
        ["分配方案", plan_name],
        ["方案依据", notice.source],
        [],
        list(NOTICE_COLUMNS),
    ]
    rows.extend([row["序号"], row["对象"], row["类型"], row["金额(元)"], row["依据"]] for row in notice.rows())
    rows.append(["", "合计", "", notice.total.yuan_decimal, ""])
    rows.extend(["", "未扣除", "", item.amount.yuan_decimal, item.note] for item in income.not_deducted)
    rows.append(
        ["", "核对", "", "", "分配合计等于可分配收益，分毫不差" if notice.reconciles else "分配合计与可分配收益不符"]
    )
    return rows


def _text(cell: object) -> object:
    if isinstance(cell, Decimal | int):
        return cell
    return neutralise(str(cell))


def write_notice(notice: IncomeNotice, path: str | Path) -> Path:
    """Write the notice table to ``path`` (.xlsx, or .csv in UTF-8 with BOM for Excel).

    Raises:
        LedgerError: an unsupported suffix.
    """
    target = Path(path)
    rows = [[_text(c) for c in row] for row in notice_table(notice)]
    suffix = target.suffix.lower()
    if suffix == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerows([f"{c:.2f}" if isinstance(c, Decimal) else c for c in row] for row in rows)
        return target
    if suffix == ".xlsx":
        import openpyxl  # noqa: PLC0415 - loaded only when writing .xlsx
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("公示表")
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"  # yuan, two places, as printed on notices
                cells.append(cell)
            sheet.append(cells)
        book.save(target)
        return target
    raise LedgerError(
        f"{target.name}: cannot write a notice as {suffix or '(no suffix)'}; use .xlsx or .csv",
        f"{target.name}：公示表不能导出为 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv",
        record=str(target),
    )
