"""Writing a register as a county ledger (导出台账), .xlsx or .csv, with Chinese headers.

:func:`write_ledger` writes one row per asset: its description as last known and its
owner, custodian and live operating contract on ``as_of``. The file imports back with
:func:`~assetreg.adapters.ledger.importer.import_ledger` to an equal register when the
register holds what a ledger can say (registration, one owner, a custodian, one
contract: what :func:`import_ledger` itself records), given the same ``recorded_at`` and
an ``as_of`` on which its contracts are live (a contract that has ended by ``as_of`` is not written).

Amounts are written in 元 with 2 places (``原值(元)``) or, with ``unit="万元"``, in 万元
with 6 places (``原值(万元)``, exact to the fen); in an .xlsx file as numbers with that
number format, in a .csv file as text with those places. Funding lines are written with
their amounts. Dates are real date cells in an .xlsx file (ISO text in a .csv). A 合计 row
closes the table (the importer checks it against the rows). Text cells starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` so that a
spreadsheet does not run them as formulas (OWASP; the importer strips it again). Resident
ids are masked (``620422********1234``) unless ``reveal_personal_data=True``; the 身份证号码
column is written only when some owner has one.

Given the register's book values (``values``, from
:func:`~assetreg.domain.valuation.register_values` on the same ``as_of``), 累计折旧 and 净值
follow 原值 in the same unit, with their own 合计; an asset that could not be valued gets
blank cells. The importer does not read 累计折旧 back (it warns that the column is not
read), and 净值 only for the totals check, so the register read back is the same.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from assetreg.adapters.ledger.importer import neutralise
from assetreg.domain.parties import Household
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from fractions import Fraction

    from assetreg.domain.assets import Asset, AssetId, FundingLine
    from assetreg.domain.history import AssetState
    from assetreg.domain.register import AssetRegister
    from assetreg.domain.valuation import AssetValues

__all__ = ["LEDGER_COLUMNS", "format_rate", "ledger_rows", "write_ledger"]

_ID_COLUMN: Final = "身份证号码"
_VALUE_COLUMN: Final = "原值(元)"
_BOOK_COLUMNS: Final = ("累计折旧", "净值")
_PLACES: Final = {"元": 2, "万元": 6}

LEDGER_COLUMNS: Final[tuple[str, ...]] = (
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "资产形态",
    "资产种类",
    "项目编号",
    "项目名称",
    "建设年度",
    "实施单位",
    "资金来源",
    "原值(元)",
    "区划代码",
    "数量",
    "计量单位",
    "装机容量(kW)",
    "登记日期",
    "竣工日期",
    "移交日期",
    "状态",
    "产权归属",
    "产权主体类型",
    "身份证号码",
    "管护主体",
    "管护主体类型",
    "管护方式",
    "经营主体",
    "经营主体类型",
    "经营方式",
    "合同起止",
    "保底收益率",
    "主管部门",
    "备注",
)
"""The columns written, in order (Chinese headers the importer reads back)."""


def format_rate(rate: Fraction) -> str:
    """Write an exact rate: ``"6%"`` when it is a terminating decimal percentage, else ``"1/3"``."""
    percent = rate * 100
    denominator = percent.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{rate.numerator}/{rate.denominator}"
    places = 0
    while (percent * 10**places).denominator != 1:
        places += 1
    value = Decimal(percent.numerator) / Decimal(percent.denominator)
    return f"{value:.{places}f}%"


def _funding_text(asset: Asset) -> str:
    lines: tuple[FundingLine, ...] = asset.funding
    return "; ".join(f"{line.note or line.source.label_zh} {line.amount.format_yuan()}元" for line in lines)


def _day(value: date | None) -> date | str:
    return value or ""


def ledger_rows(
    register: AssetRegister, *, as_of: date, reveal_personal_data: bool = False
) -> list[tuple[object, ...]]:
    """The ledger rows of a register on ``as_of``, one per existing asset in id order.

    Cells are ``str`` except 原值, a ``Decimal`` in 元 with two places, and the dates
    (登记日期, 竣工日期, 移交日期), ``date`` values or ``""``.
    """
    rows: list[tuple[object, ...]] = []
    for number, state in enumerate(register.states(as_of=as_of), start=1):
        rows.append(_row(number, state, register, reveal_personal_data=reveal_personal_data))
    return rows


def _row(number: int, state: AssetState, register: AssetRegister, *, reveal_personal_data: bool) -> tuple[object, ...]:
    asset = state.asset
    history = register.history(asset.id)
    registered_on = next(e.effective for e in history if e.kind == "asset_registered")
    owner_name = owner_id = owner_kind = ""
    if state.ownership is not None and len(state.ownership.holders) == 1:
        party = register.parties.get(state.ownership.holders[0].holder)
        if party is not None:
            owner_name, owner_kind = party.name, party.kind.label_zh
            if isinstance(party, Household) and party.head_resident_id is not None:
                rid = party.head_resident_id
                owner_id = rid.value if reveal_personal_data else rid.masked
    custodian = method = custodian_kind = ""
    if state.custodianship is not None:
        party = register.parties.get(state.custodianship.custodian)
        custodian = party.name if party is not None else state.custodianship.custodian
        custodian_kind = party.kind.label_zh if party is not None else ""
        method = state.custodianship.method.label_zh
    operator = operator_kind = mode = term = rate = ""
    if state.contracts:
        contract = state.contracts[0]
        party = register.parties.get(contract.operator)
        operator = party.name if party is not None else contract.operator
        operator_kind = party.kind.label_zh if party is not None else ""
        mode = contract.mode.label_zh
        first, last = contract.term.start, contract.term.last
        term = f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"
        floor = contract.terms.guaranteed_return
        if floor is not None and floor.rate is not None:
            rate = format_rate(floor.rate)
    project = asset.project
    return (
        str(number),
        asset.id,
        asset.name,
        asset.asset_class.label_zh,
        asset.form.label_zh,
        asset.kind.label_zh,
        project.code if project else "",
        project.name if project else "",
        str(project.year) if project and project.year else "",
        project.department or "" if project else "",
        _funding_text(asset),
        asset.original_value.yuan_decimal,
        asset.location.value,
        str(asset.quantity) if asset.quantity is not None else "",
        asset.unit or "",
        str(asset.capacity_kw) if asset.capacity_kw is not None else "",
        registered_on,
        _day(asset.completed_on),
        _day(asset.handed_over_on),
        state.status.label_zh,
        owner_name,
        owner_kind,
        owner_id,
        custodian,
        custodian_kind,
        method,
        operator,
        operator_kind,
        mode,
        term,
        rate,
        asset.supervising_department or "",
        asset.note or "",
    )


def write_ledger(
    register: AssetRegister,
    path: str | Path,
    *,
    as_of: date,
    reveal_personal_data: bool = False,
    sheet_name: str = "资产台账",
    unit: str = "元",
    values: Mapping[AssetId, AssetValues] | None = None,
) -> Path:
    """Write ``register`` on ``as_of`` as a ledger file (.xlsx or .csv by the suffix).

    Args:
        register: the register.
        path: the target; ``.xlsx`` or ``.csv`` (UTF-8 with BOM so Excel opens it).
        as_of: the date whose state is written (owner, custodian, live contract, status).
        reveal_personal_data: write resident ids in full instead of masked.
        sheet_name: the sheet name in an .xlsx file.
        unit: ``"元"`` (2 places) or ``"万元"`` (6 places) for 原值 and the 合计 row.
        values: book values by asset id on ``as_of`` (``register_values``); when given,
            累计折旧 and 净值 columns follow 原值 (fen written in ``unit``), blank for an
            asset without values.

    Returns:
        The path written.

    Raises:
        LedgerError: an unsupported suffix or unit.
    """
    target = Path(path)
    if unit not in _PLACES:
        raise LedgerError(
            f"cannot write amounts in {unit!r}; use 元 or 万元",
            f"不能以 {unit!r} 为金额单位导出，请使用元或万元",
            record=str(target),
            expected="元 or 万元",
            actual=unit,
        )
    rows = ledger_rows(register, as_of=as_of, reveal_personal_data=reveal_personal_data)
    columns = list(LEDGER_COLUMNS)
    value_at = columns.index(_VALUE_COLUMN)
    columns[value_at] = f"原值({unit})"
    rows, money_at = _with_book_values(rows, columns, value_at, unit, values)
    id_at = columns.index(_ID_COLUMN)
    keep_ids = any(row[id_at] for row in rows)
    body = _scaled_body(rows, len(columns), money_at, unit)
    if not keep_ids:
        del columns[id_at]
        for cells in body:
            del cells[id_at]
    suffix = target.suffix.lower()
    if suffix == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(columns)
            out.writerows([_csv_cell(cell) for cell in cells] for cells in body)
        return target
    if suffix == ".xlsx":
        _write_xlsx(target, columns, body, sheet_name, _PLACES[unit])
        return target
    raise LedgerError(
        f"{target.name}: cannot write a ledger as {suffix or '(no suffix)'}; use .xlsx or .csv",
        f"{target.name}：不能导出为 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv",
        record=str(target),
    )


def _with_book_values(
    rows: list[tuple[object, ...]],
    columns: list[str],
    value_at: int,
    unit: str,
    values: Mapping[AssetId, AssetValues] | None,
) -> tuple[list[tuple[object, ...]], list[int]]:
    """Insert 累计折旧 and 净值 after 原值 (``columns`` in place) when ``values`` is given.

    Returns the rows and the indexes of their money cells (原值, then the two book values).
    """
    if values is None:
        return rows, [value_at]
    book_at = value_at + 1
    columns[book_at:book_at] = [f"{name}({unit})" for name in _BOOK_COLUMNS]
    id_column = LEDGER_COLUMNS.index("资产编号")
    widened = [(*row[:book_at], *_book_cells(values.get(str(row[id_column]))), *row[book_at:]) for row in rows]  # type: ignore[call-overload]
    return widened, [value_at, book_at, book_at + 1]


def _scaled_body(rows: list[tuple[object, ...]], width: int, money_at: list[int], unit: str) -> list[list[object]]:
    """The rows with their money cells in ``unit`` (blank cells kept), and a closing 合计 row."""
    scale = Decimal(1) if unit == "元" else Decimal(10_000)
    places = Decimal(1).scaleb(-_PLACES[unit])
    body: list[list[object]] = []
    totals = dict.fromkeys(money_at, Decimal(0))
    for row in rows:
        cells = list(row)
        for at in money_at:
            if cells[at] == "":
                continue
            amount = Decimal(str(cells[at])) / scale
            totals[at] += amount
            cells[at] = amount.quantize(places)
        body.append(cells)
    closing: list[object] = [""] * width
    closing[0] = "合计"
    for at, total in totals.items():
        closing[at] = total.quantize(places)
    body.append(closing)
    return body


def _book_cells(row: AssetValues | None) -> tuple[Decimal | str, Decimal | str]:
    """累计折旧 and 净值 of one asset in 元 (two places), or blanks when it has no values."""
    if row is None or row.values is None:
        return ("", "")
    return (row.values.accumulated_depreciation.yuan_decimal, row.values.net_book_value.yuan_decimal)


def _csv_cell(cell: object) -> str:
    if isinstance(cell, Decimal):
        return str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralise(str(cell))


def _write_xlsx(target: Path, columns: list[str], rows: Sequence[list[object]], sheet_name: str, places: int) -> None:
    import openpyxl  # noqa: PLC0415 - loaded only when writing .xlsx
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append(columns)
    money_format = "#,##0." + "0" * places
    for row in rows:
        cells: list[object] = []
        for value in row:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = money_format
                cells.append(cell)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(_xlsx_text(value))
        sheet.append(cells)
    book.save(target)


def _xlsx_text(cell: object) -> str | None:
    text = str(cell)
    return neutralise(text) if text else None
