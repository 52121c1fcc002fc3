"""Reading a ledger file (读取台账) into raw rows and issues.

:func:`read_ledger` reads a ``.csv`` (UTF-8, UTF-8 with BOM, or GB18030) or an ``.xlsx``
workbook (python-calamine) and returns a :class:`RawLedger`: per sheet, the
header row found, the columns recognised (:mod:`~assetreg.adapters.ledger.headers`) and
every non-blank row below it as a :class:`LedgerRow` holding the raw cells. Nothing is
converted yet except that merged cells are filled with their top-left value; the
importer turns cells into domain values.

Rows are numbered as in the file: 1-based, the header row (and any title rows above
it) counted, so an issue points at the row a person sees in Excel.

Totals (合计/总计) and subtotals (小计) are recognised from a ``行类型`` column or from
合计/小计/总计 written in the 序号, 原序号 or a name column, and checked against the detail
rows they cover (:mod:`~assetreg.adapters.ledger.totals`); a mismatch is a warning, not
a failure.
"""

from __future__ import annotations

import csv
import enum
import gc
import io
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from assetreg.adapters.ledger.cells import is_blank, normalise_text
from assetreg.adapters.ledger.headers import match_header
from assetreg.adapters.ledger.issues import LedgerIssue, column_letter
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["Column", "LedgerRow", "LedgerSheet", "RawLedger", "ReadLimits", "RowKind", "paused_gc", "read_ledger"]

HEADER_SEARCH_ROWS: Final = 10
"""The header row is looked for in this many first rows of a sheet."""
MIN_KNOWN_HEADERS: Final = 2
"""A header row has at least this many recognised column headers."""

_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_TOTAL_WORDS: Final = (("合计", "total"), ("总计", "total"), ("小计", "subtotal"))
_LABEL_FIELDS: Final = ("seq", "source_seq", "asset_code", "asset_name", "project_name")


@attrs.frozen(kw_only=True)
class ReadLimits:
    """Limits that keep a hostile or broken workbook from exhausting the machine (读取上限).

    Checked before the workbook is parsed (from its zip directory and the first bytes of
    each part), and again on each sheet's size once read. Exceeding one is a
    :class:`~assetreg.errors.LedgerError` naming the part or sheet, never a hang.

    Attributes:
        max_uncompressed_bytes: the whole package, uncompressed (default 256 MiB; a county
            ledger of 10⁵ rows is a few tens of MiB).
        max_part_ratio: uncompressed / compressed size of one part larger than 1 MiB
            (default 200; sheet XML compresses 5-50 times, a zip bomb thousands).
        max_rows: rows of one sheet (default 1,048,576, Excel's own limit).
        max_cells: rows × columns of one sheet (default 20,000,000).
    """

    max_uncompressed_bytes: int = 256 * 2**20
    max_part_ratio: int = 200
    max_rows: int = 1_048_576
    max_cells: int = 20_000_000


DEFAULT_LIMITS: Final = ReadLimits()
_SCAN_BYTES: Final = 64 * 1024
_RATIO_FLOOR: Final = 2**20
_DIMENSION: Final = re.compile(rb"<dimension\s+ref=\"[A-Z]+([0-9]+):([A-Z]+)([0-9]+)\"")


class RowKind(enum.Enum):
    """Kind of a ledger row (行类型)."""

    DETAIL = "detail"
    """明细: one asset, project or line."""
    SUBTOTAL = "subtotal"
    """小计: a sum over a group of detail rows."""
    TOTAL = "total"
    """合计/总计: a sum over a whole table."""


@attrs.frozen
class Column:
    """A column of a sheet.

    Attributes:
        index: 1-based column index.
        header: the header as written (stripped), ``""`` when empty.
        field: the canonical field it maps to, or ``None`` when unknown or a duplicate.
        unit: the unit its header names (``"元"``, ``"万元"``, ``"%"``) or ``None``.
    """

    index: int
    header: str
    field: str | None
    unit: str | None

    @property
    def letter(self) -> str:
        """The spreadsheet letter (``"A"``)."""
        return column_letter(self.index)


class LedgerRow(NamedTuple):
    """One non-blank row below the header (台账行), cells still raw.

    A named tuple (immutable, cheap to build: a ledger has up to 10⁵ of them).

    Attributes:
        sheet: sheet name (file name for a CSV).
        row: 1-based row number as in the file.
        kind: detail, subtotal or total.
        cells: every cell of the row in column order, as read (for the rejects file).
        fields: canonical field → 0-based column index, shared by the rows of a sheet.
    """

    sheet: str
    row: int
    kind: RowKind
    cells: tuple[object, ...]
    fields: Mapping[str, int]

    @property
    def values(self) -> Mapping[str, object]:
        """Canonical field → raw cell (only recognised columns)."""
        cells = self.cells
        return MappingProxyType({f: cells[i] if i < len(cells) else None for f, i in self.fields.items()})

    def get(self, field: str) -> object:
        """The raw cell of ``field``, or ``None``."""
        index = self.fields.get(field)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]


@attrs.frozen(kw_only=True)
class LedgerSheet:
    """One sheet of a ledger.

    Attributes:
        name: sheet name.
        header_row: 1-based row number of the header, or ``None`` when none was found.
        columns: the columns, in order.
        rows: every non-blank row below the header, in file order.
    """

    name: str
    header_row: int | None
    columns: tuple[Column, ...]
    rows: tuple[LedgerRow, ...]

    def column_of(self, field: str) -> Column | None:
        """The column mapped to ``field``, or ``None``."""
        for column in self.columns:
            if column.field == field:
                return column
        return None

    @property
    def detail_rows(self) -> tuple[LedgerRow, ...]:
        """The detail rows (totals and subtotals left out)."""
        return tuple(row for row in self.rows if row.kind is RowKind.DETAIL)


@attrs.frozen(kw_only=True)
class RawLedger:
    """A ledger file as read: sheets of raw rows, and the issues found while reading.

    Attributes:
        path: the file read.
        sheets: the sheets with a header row (and any without, with no rows).
        issues: problems of the file, sheets and totals (cells are checked later).
    """

    path: str
    sheets: tuple[LedgerSheet, ...]
    issues: tuple[LedgerIssue, ...]


# -- entry point ---------------------------------------------------------------------------


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a ledger's rows (or events) are built.

    Reading builds a tuple per row and a few objects per cell, none of them in a cycle; the
    collector's passes over them cost 15-30 % of a read (measured on 10⁴ rows,
    tests/bench/test_bench_ledger.py). Reference counting still frees everything; the
    collector is switched back on (if it was on) when the block ends, also on error. It is
    process-wide: other threads' cycles wait for the block's end.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def read_ledger(
    path: str | Path,
    *,
    sheets: Sequence[str] | None = None,
    check_totals: bool = True,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawLedger:
    """Read a ledger file (台账) into raw rows.

    Args:
        path: a ``.csv`` or ``.xlsx`` file (``.xlsm`` also works).
        sheets: names of the sheets to read (all visible sheets by default; ignored for
            CSV). Hidden and very hidden sheets are skipped with a ``hidden_sheet``
            warning unless named here.
        check_totals: check 合计/小计 rows against their detail rows.
        limits: size limits of a workbook (:class:`ReadLimits`).

    Returns:
        The :class:`RawLedger`; an empty sheet or one without a header row is reported
        in :attr:`RawLedger.issues`, not raised.

    Raises:
        LedgerError: the file does not exist, is not a readable CSV/xlsx (for example a
            non-Excel file named ``.xlsx``, or an old ``.xls``), a named sheet is
            missing, a part declares XML entities (``<!DOCTYPE``/``<!ENTITY``), or the
            workbook exceeds ``limits``.
    """
    file = Path(path)
    if file.is_dir():
        raise LedgerError(
            f"{file.name} is a folder, not a ledger file; name the .xlsx or .csv file inside it",
            f"{file.name} 是文件夹而不是台账文件，请指定其中的 .xlsx 或 .csv 文件",
            record=str(file),
            expected="a .xlsx or .csv file",
        )
    if not file.is_file():
        raise LedgerError(f"ledger file not found: {file.name}", f"找不到台账文件：{file.name}", record=str(file))
    suffix = file.suffix.lower()
    hidden: list[str] = []
    if suffix == ".csv":
        grids: Iterable[tuple[str, Iterator[Sequence[object]]]] = [(file.name, _csv_rows(file))]
    elif suffix in {".xlsx", ".xlsm"}:
        grids = _xlsx_grids(file, sheets, limits, hidden)
    else:
        raise LedgerError(
            f"{file.name}: unsupported ledger format {suffix or '(none)'}; use .xlsx or .csv",
            f"{file.name}：不支持的台账格式 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv",
            record=str(file),
        )
    issues: list[LedgerIssue] = []
    read: list[LedgerSheet] = []
    if suffix != ".csv":
        issues.extend(
            _sheet_issue(
                name,
                "hidden_sheet",
                f"sheet {name} is hidden and was not read; name it (sheets=[...]) to read it",
                f"工作表 {name} 为隐藏工作表，未读取；如需读取请指定表名",
            )
            for name in hidden
        )
    with paused_gc():
        for name, grid in grids:
            sheet = _read_sheet(name, grid, issues)
            read.append(sheet)
            if check_totals and sheet.rows:
                from assetreg.adapters.ledger.totals import check_totals as _check  # noqa: PLC0415

                issues.extend(_check(sheet))
    return RawLedger(path=str(file), sheets=tuple(read), issues=tuple(issues))


# -- sheets ----------------------------------------------------------------------------------


def _find_header(
    grid: Iterator[Sequence[object]],
) -> tuple[tuple[int, Sequence[object]] | None, list[tuple[int, Sequence[object]]]]:
    """The header row (number, cells) among the first rows, and the non-blank rows seen."""
    buffered: list[tuple[int, Sequence[object]]] = []
    for number, cells in enumerate(grid, start=1):
        if all(is_blank(cell) for cell in cells):
            continue
        buffered.append((number, cells))
        if sum(match_header(cell) is not None for cell in cells) >= MIN_KNOWN_HEADERS:
            return (number, cells), buffered
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    return None, buffered


def _read_sheet(name: str, grid: Iterator[Sequence[object]], issues: list[LedgerIssue]) -> LedgerSheet:
    header, buffered = _find_header(grid)
    if header is None:
        if not buffered:
            issues.append(
                _sheet_issue(
                    name,
                    "empty_sheet",
                    "expected a header row and data rows, found an empty sheet",
                    "应有表头和数据行，实际工作表为空",
                )
            )
        else:
            issues.append(
                _sheet_issue(
                    name,
                    "no_header",
                    f"no header row found in the first {HEADER_SEARCH_ROWS} rows "
                    "(a row with at least two known column names such as 资产名称, 原值)",
                    f"前{HEADER_SEARCH_ROWS}行中找不到表头行（至少含两个可识别列名，如 资产名称、原值）",
                )
            )
        return LedgerSheet(name=name, header_row=None, columns=(), rows=())
    header_row, header_cells = header
    columns = _columns(name, header_row, header_cells, issues)
    fields = MappingProxyType({c.field: c.index - 1 for c in columns if c.field is not None})
    width = len(columns)
    kind_of = _row_classifier(columns)
    marks = tuple(fields[f] for f in (*(("row_kind",) if kind_of.has_kind_column else ()), *kind_of.label_fields))
    rows: list[LedgerRow] = []
    append = rows.append
    make = LedgerRow._make  # skips the keyword handling of the generated __new__
    detail = RowKind.DETAIL
    for number, cells in enumerate(grid, start=header_row + 1):
        for cell in cells:  # a row is blank when every cell is; usually the first cell decides
            if cell is None or cell == "":
                continue
            if cell.__class__ is not str or not is_blank(cell):
                break
        else:
            continue
        row = tuple(cells) if len(cells) >= width else (*cells, *(None,) * (width - len(cells)))
        kind = detail
        for index in marks:  # 合计, 小计 and 总计 all contain 计: only such rows are classified
            mark = row[index]
            if mark.__class__ is str and "计" in mark:  # narrowed by __class__
                kind = kind_of({f: row[i] for f, i in fields.items()})
                break
        append(make((name, number, kind, row, fields)))
    if not rows:
        issues.append(
            LedgerIssue(
                sheet=name,
                row=header_row,
                column=None,
                kind="no_rows",
                reason_en="expected data rows below the header row, found none",
                reason_zh="表头下应有数据行，实际没有",
            )
        )
    return LedgerSheet(name=name, header_row=header_row, columns=columns, rows=tuple(rows))


def _columns(sheet: str, header_row: int, cells: Sequence[object], issues: list[LedgerIssue]) -> tuple[Column, ...]:
    columns: list[Column] = []
    seen: dict[str, Column] = {}
    for index, cell in enumerate(cells, start=1):
        header = "" if cell is None else normalise_text(str(cell))
        found = match_header(cell)
        if found is not None and found.field in seen:
            first = seen[found.field]
            issues.append(
                LedgerIssue(
                    sheet=sheet,
                    row=header_row,
                    column=header,
                    column_letter=column_letter(index),
                    field=found.field,
                    value=header,
                    kind="duplicate_column",
                    reason_en=f"{header}: expected one column per field, found that it means the same as column "
                    f"{first.letter} ({first.header}); only the first is read",
                    reason_zh=f"{header}：每个字段应只有一列，实际与第 {first.letter} 列（{first.header}）含义相同，"
                    "只读取前者",
                )
            )
            found = None
        column = Column(index, header, found.field if found else None, found.unit if found else None)
        if found is not None:
            seen[found.field] = column
        columns.append(column)
    return tuple(columns)


def _row_classifier(columns: tuple[Column, ...]) -> _Classifier:
    fields = {column.field for column in columns}
    labels = tuple(field for field in _LABEL_FIELDS if field in fields)
    return _Classifier("row_kind" in fields, labels)


@attrs.frozen
class _Classifier:
    has_kind_column: bool
    label_fields: tuple[str, ...]

    def __call__(self, values: Mapping[str, object]) -> RowKind:
        if self.has_kind_column:
            kind = _kind_word(values.get("row_kind"), exact=True)
            if kind is not None:
                return kind
        for field in self.label_fields:
            kind = _kind_word(values.get(field), exact=False)
            if kind is not None:
                return kind
        return RowKind.DETAIL


def _kind_word(cell: object, *, exact: bool) -> RowKind | None:
    if cell.__class__ is not str or "计" not in cell:  # 合计, 小计, 总计 all have 计
        return None
    assert isinstance(cell, str)  # noqa: S101 - narrowing
    text = re.sub(r"\s+", "", cell)
    for word, kind in _TOTAL_WORDS:
        if text == word or (not exact and text.startswith(word) and not _CJK.match(text, len(word))):
            return RowKind.TOTAL if kind == "total" else RowKind.SUBTOTAL
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _sheet_issue(sheet: str, kind: str, en: str, zh: str) -> LedgerIssue:
    return LedgerIssue(sheet=sheet, row=None, column=None, kind=kind, reason_en=en, reason_zh=zh)


# -- CSV -------------------------------------------------------------------------------------


def _csv_rows(file: Path) -> Iterator[Sequence[object]]:
    data = file.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost any byte string
        raise LedgerError(
            f"{file.name}: not UTF-8 or GB18030 text",
            f"{file.name}：不是 UTF-8 或 GB18030 编码的文本",
            record=str(file),
        )
    if "\x00" in text:
        raise LedgerError(
            f"{file.name}: binary data in a .csv file",
            f"{file.name}：.csv 文件中含有二进制数据",
            record=str(file),
        )
    # A cell may be as long as the file; the csv module's default limit (128 KiB) would
    # refuse the whole file for one long 备注. The limit is process-wide: raise it for the
    # read and put it back.
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(max(limit, len(text) + 1))
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise LedgerError(
            f"{file.name}: malformed CSV ({exc})",
            f"{file.name}：CSV 格式错误（{exc}）",
            record=str(file),
        ) from exc
    finally:
        csv.field_size_limit(limit)


# -- xlsx ------------------------------------------------------------------------------------


def _not_excel(file: Path, why_en: str, why_zh: str) -> LedgerError:
    return LedgerError(
        f"{file.name} is not an Excel .xlsx workbook ({why_en}); save it as .xlsx or export it as .csv",
        f"{file.name} 不是 Excel .xlsx 工作簿（{why_zh}），请另存为 .xlsx 或导出为 .csv",
        record=str(file),
        expected="an Office Open XML workbook (.xlsx)",
    )


def _refused(file: Path, part: str, why_en: str, why_zh: str) -> LedgerError:
    return LedgerError(
        f"{file.name}: part {part} refused: {why_en}",
        f"{file.name}：部件 {part} 被拒绝：{why_zh}",
        record=str(file),
        field=part,
    )


def _preflight(file: Path, limits: ReadLimits) -> None:
    """Check the zip package before any XML is parsed: sizes, ratios, entities, dimensions."""
    try:
        package = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_excel(file, f"{type(exc).__name__}: {exc}", f"无法打开：{type(exc).__name__}") from exc
    with package:
        members = package.infolist()
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed_bytes:
            raise _refused(
                file,
                "(package)",
                f"{total:,} bytes uncompressed, over the limit of {limits.max_uncompressed_bytes:,}",
                f"解压后 {total:,} 字节，超过上限 {limits.max_uncompressed_bytes:,}",
            )
        for member in members:
            if member.file_size > _RATIO_FLOOR and member.file_size > limits.max_part_ratio * max(
                member.compress_size, 1
            ):
                raise _refused(
                    file,
                    member.filename,
                    f"expands {member.file_size // max(member.compress_size, 1)} times (a zip bomb?); "
                    f"the limit is {limits.max_part_ratio}",
                    f"解压后膨胀 {member.file_size // max(member.compress_size, 1)} 倍（疑为压缩炸弹），"
                    f"上限 {limits.max_part_ratio} 倍",
                )
            if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            with package.open(member) as handle:
                head = handle.read(_SCAN_BYTES)
            if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
                raise _refused(
                    file,
                    member.filename,
                    "it declares a DOCTYPE or XML entities, which no Excel workbook needs",
                    "含 DOCTYPE 或 XML 实体声明，正常的 Excel 工作簿不会有",
                )
            found = _DIMENSION.search(head)
            if found is not None:
                _check_size(file, member.filename, int(found.group(3)), _column_number(found.group(2)), limits)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode("ascii"):
        number = number * 26 + ord(char) - 64
    return number


def _check_size(file: Path, part: str, rows: int, columns: int, limits: ReadLimits) -> None:
    if rows > limits.max_rows or rows * columns > limits.max_cells:
        raise _refused(
            file,
            part,
            f"{rows:,} rows × {columns:,} columns, over the limit of {limits.max_rows:,} rows "
            f"or {limits.max_cells:,} cells",
            f"{rows:,} 行 × {columns:,} 列，超过上限 {limits.max_rows:,} 行或 {limits.max_cells:,} 个单元格",
        )


def _xlsx_grids(
    file: Path, wanted: Sequence[str] | None, limits: ReadLimits, hidden: list[str]
) -> Iterator[tuple[str, Iterator[Sequence[object]]]]:
    """The sheets of an .xlsx workbook as row iterators, read with python-calamine.

    calamine returns cached formula results (like openpyxl's ``data_only``), dates as
    ``date``/``datetime``, numbers as ``float`` and empty cells as ``""``; merged ranges
    come from its ``merged_cell_ranges`` and are filled with their top-left value.
    Hidden sheets not named in ``wanted`` are left out and their names put in ``hidden``.
    """
    with file.open("rb") as handle:
        magic = handle.read(4)
    if magic == _OLE_MAGIC:
        raise _not_excel(file, "it is an old binary .xls file", "这是旧版二进制 .xls 文件")
    if magic != _XLSX_MAGIC:
        raise _not_excel(file, "the content is not a zip package", "文件内容不是 zip 包")
    _preflight(file, limits)
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum  # noqa: PLC0415 - only for .xlsx

    try:
        book = CalamineWorkbook.from_path(str(file))
        metas = [meta for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        names = [meta.name for meta in metas]
        if wanted is None:
            hidden.extend(meta.name for meta in metas if meta.visible != SheetVisibleEnum.Visible)
            names = [name for name in names if name not in hidden]
    except Exception as exc:
        raise _not_excel(file, f"{type(exc).__name__}: {exc}", f"无法打开：{type(exc).__name__}") from exc
    if wanted is not None:
        missing = [name for name in wanted if name not in book.sheet_names]
        if missing:
            book.close()
            raise LedgerError(
                f"{file.name}: no sheet named {', '.join(missing)}",
                f"{file.name}：没有名为 {'、'.join(missing)} 的工作表",
                record=str(file),
                expected=names,
            )
        names = [name for name in names if name in wanted]
    return _iter_sheets(file, book, names, limits)


def _iter_sheets(
    file: Path, book: Any, names: list[str], limits: ReadLimits
) -> Iterator[tuple[str, Iterator[Sequence[object]]]]:
    try:
        for name in names:
            try:
                sheet = book.get_sheet_by_name(name)
                _check_size(file, f"sheet {name}", sheet.total_height, sheet.total_width, limits)
                grid = sheet.to_python(skip_empty_area=False)
                merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]
            except LedgerError:
                raise
            except Exception as exc:
                raise _not_excel(
                    file, f"sheet {name}: {type(exc).__name__}: {exc}", f"工作表 {name} 无法读取：{type(exc).__name__}"
                ) from exc
            yield name, _fill_merged(map(_whole_numbers, grid), merged)
    finally:
        book.close()


def _whole_numbers(row: list[object]) -> list[object]:
    """Calamine returns every number as ``float``; a whole one reads as ``int`` (as openpyxl gives it)."""
    return [int(c) if c.__class__ is float and c.is_integer() else c for c in row]


def _fill_merged(rows: Iterator[list[object]], ranges: list[tuple[int, int, int, int]]) -> Iterator[Sequence[object]]:
    if not ranges:
        yield from map(tuple, rows)
        return
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for bounds in ranges:
        starts.setdefault(bounds[0], []).append(bounds)
    active: list[tuple[int, int, int, object]] = []  # (last_row, first_col, last_col, value)
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        for _first_row, first_col, last_row, last_col in starts.get(number, ()):
            value = cells[first_col - 1] if first_col <= len(cells) else None
            active.append((last_row, first_col, last_col, value))
        if active:
            width = max(last_col for _, _, last_col, _ in active)
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))
            for _last_row, first_col, last_col, value in active:
                for col in range(first_col, last_col + 1):
                    cells[col - 1] = value
            active = [item for item in active if item[0] > number]
        yield tuple(cells)
