"""Writing a summary table (统计表) as .xlsx or .csv, with Chinese headers and a 合计 row.

The amounts are written as shown (元 or 万元 with the table's decimals): numbers with that
many places in an .xlsx file, text in a .csv file (UTF-8 with BOM, so Excel opens it).
Under the table come its reconciliation lines (where the shown rows do not add up to the
shown total) and its notes, then any extra lines the caller gives (the industry share).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from assetreg.adapters.ledger.importer import neutralise
from assetreg.errors import LedgerError
from assetreg.stats import ShownTable

__all__ = ["stat_sheet", "write_stat_table"]


def stat_sheet(shown: ShownTable, lang: str = "zh", extra: Sequence[str] = ()) -> list[list[object]]:
    """The sheet's rows: title, headers, the rows, 合计, then reconciliation lines, notes and ``extra``.

    Amounts are ``Decimal`` values with the table's places; counts are ``int``.
    """
    zh = lang == "zh"
    table = shown.table
    out: list[list[object]] = [[table.title_zh if zh else table.title_en], list(shown.headers(lang))]
    out.extend(
        [row.zh if zh else row.en, row.count, *(Decimal(a) for a in row.amounts)] for row in (*shown.rows, shown.total)
    )
    tail = [r.message(lang) for r in shown.reconciliations]
    tail += [(zh_note if zh else en_note) for en_note, zh_note in table.notes]
    tail += list(extra)
    out.extend([[line] for line in tail])
    return out


def write_stat_table(shown: ShownTable, path: str | Path, *, lang: str = "zh", extra: Sequence[str] = ()) -> Path:
    """Write ``shown`` to ``path`` (.xlsx or .csv by the suffix) and return the path.

    Raises:
        LedgerError: an unsupported suffix.
    """
    target = Path(path)
    rows = stat_sheet(shown, lang, extra)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for row in rows:
                writer.writerow([c if isinstance(c, Decimal | int) else neutralise(str(c)) for c in row])
        return target
    if suffix == ".xlsx":
        import openpyxl  # noqa: PLC0415 - loaded only when writing .xlsx
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("统计表" if lang == "zh" else "summary")
        money_format = "0." + "0" * shown.places if shown.places else "0"
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value if isinstance(value, Decimal | int) else neutralise(str(value)))
                if isinstance(value, Decimal):
                    cell.number_format = money_format
                cells.append(cell)
            sheet.append(cells)
        book.save(target)
        return target
    raise LedgerError(
        f"{target.name}: cannot write a summary as {suffix or '(no suffix)'}; use .xlsx or .csv",
        f"{target.name}：统计表不能导出为 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv",
        record=str(target),
    )
