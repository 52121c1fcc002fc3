"""Hostile and odd files (issue 15, item 5): each a clear error or warning, never a hang.

A corpus built in tmp_path: a zip bomb, a workbook claiming 10⁷ rows, XML entity payloads,
hidden and very hidden sheets, control/escape/bidi characters, a date in 2999, a name over
255 characters and an amount beyond BIGINT fen. The last two used to abort a whole import
on PostgreSQL (or on every backend); now they are rejected rows, and the rest of the
ledger stores identically on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import openpyxl
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.reader import ReadLimits, read_ledger
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from pathlib import Path

AT = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
HEADER = [
    "资产编号",
    "资产名称",
    "资产类别",
    "原值(元)",
    "区划代码",
    "资产种类",
    "资产形态",
    "状态",
    "登记日期",
    "产权归属",
]


def _row(code: str, **changes: str) -> list[str]:
    cells = {
        "资产编号": code,
        "资产名称": f"村道硬化{code}",
        "资产类别": "公益性资产",
        "原值(元)": "1000000",
        "区划代码": "620422100201",
        "资产种类": "道路",
        "资产形态": "固定资产",
        "状态": "在用",
        "登记日期": "2021-06-01",
        "产权归属": "某村股份经济合作社",
        **changes,
    }
    return [cells[h] for h in HEADER]


def _csv(tmp_path: Path, *rows: list[str]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _workbook(tmp_path: Path, name: str = "base") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(HEADER)
    sheet.append(_row("A-1"))
    path = tmp_path / f"{name}.xlsx"
    book.save(path)
    return path


def _replace_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, data if item.filename == part else old.read(item.filename))
    return target


SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


# -- bombs and oversize sheets -----------------------------------------------------------------
def test_a_zip_bomb_is_refused_before_parsing(tmp_path):
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i) for i in range(1, 2))
    filler = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 400_000  # ~16 MB that deflates ~1000 times
    data = _SHEET_HEAD + b"<sheetData>" + rows + filler + b"</sheetData></worksheet>"
    bomb = _replace_part(_workbook(tmp_path), tmp_path / "bomb.xlsx", SHEET, data)
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    with pytest.raises(LedgerError) as refused:
        import_ledger(bomb, recorded_at=AT)
    assert time.perf_counter() - started < 5
    assert refused.value.field == SHEET
    assert "zip bomb" in str(refused.value)


def test_a_sheet_claiming_ten_million_rows_is_refused(tmp_path):
    data = _SHEET_HEAD + b'<dimension ref="A1:J10000000"/><sheetData></sheetData></worksheet>'
    claimed = _replace_part(_workbook(tmp_path), tmp_path / "tall.xlsx", SHEET, data)
    with pytest.raises(LedgerError, match="10,000,000 rows") as refused:
        read_ledger(claimed)
    assert refused.value.field == SHEET


def test_the_limits_are_configurable(tmp_path):
    path = _workbook(tmp_path)
    assert read_ledger(path).sheets[0].rows  # within the defaults
    with pytest.raises(LedgerError, match="uncompressed"):
        read_ledger(path, limits=ReadLimits(max_uncompressed_bytes=1_000))
    with pytest.raises(LedgerError, match="over the limit of 1 rows"):
        read_ledger(path, limits=ReadLimits(max_rows=1))


# -- XML entity payloads ------------------------------------------------------------------------
@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "xl/styles.xml"])
def test_xml_entity_payloads_are_a_ledger_error_naming_the_part(tmp_path, part):
    base = _workbook(tmp_path)
    with zipfile.ZipFile(base) as package:
        original = package.read(part)
    head, _, rest = original.partition(b"?>")
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    evil = _replace_part(base, tmp_path / "evil.xlsx", part, head + b"?>" + laughs + rest)
    with pytest.raises(LedgerError) as refused:
        import_ledger(evil, recorded_at=AT)
    assert refused.value.code == "AR-700"
    assert refused.value.field == part
    assert "DOCTYPE or XML entities" in str(refused.value)


# -- hidden sheets --------------------------------------------------------------------------------
@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_skipped_with_a_warning_unless_named(tmp_path, state):
    book = openpyxl.Workbook()
    shown = book.active
    shown.title = "台账"
    shown.append(HEADER)
    shown.append(_row("A-1"))
    secret = book.create_sheet("隐藏")
    secret.append(HEADER)
    secret.append(_row("H-1"))
    secret.sheet_state = state
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    result = import_ledger(path, recorded_at=AT)
    assert list(result.register) == ["A-1"]
    assert [(i.code, i.sheet, i.severity.value) for i in result.issues if i.kind == "hidden_sheet"] == [
        ("LED-307", "隐藏", "warning")
    ]
    named = import_ledger(path, recorded_at=AT, sheets=["隐藏"])
    assert list(named.register) == ["H-1"]


# -- cells: characters, dates, lengths, amounts -----------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["村道\x1b[31m硬化", "村道\u202e化硬", "村道\u2066硬化\u2069", "村道\x07硬化", "村道\x85硬化"],
    ids=["ansi-escape", "bidi-override", "bidi-isolate", "bell", "c1-control"],
)
def test_control_escape_and_bidi_characters_are_refused(tmp_path, name):
    result = import_ledger(_csv(tmp_path, _row("A-1"), _row("A-2", 资产名称=name)), recorded_at=AT)
    assert list(result.register) == ["A-1"]
    [issue] = result.errors
    assert (issue.code, issue.kind, issue.row, issue.column) == ("LED-135", "control_character", 3, "资产名称")
    assert "\x1b" not in issue.value  # the cell is shown escaped, never replayed to a terminal


def test_a_date_in_2999_is_refused(tmp_path):
    result = import_ledger(_csv(tmp_path, _row("A-1"), _row("A-2", 登记日期="2999-01-01")), recorded_at=AT)
    assert list(result.register) == ["A-1"]
    assert [(i.code, i.row, i.column) for i in result.errors] == [("LED-137", 3, "登记日期")]
    # within a year of the import is still a date (a planned completion, a typo of a month)
    assert import_ledger(_csv(tmp_path, _row("A-3", 登记日期="2025-02-28")), recorded_at=AT).ok


def test_an_amount_beyond_bigint_fen_is_a_rejected_row(tmp_path):
    huge = str(2**63)  # 元: 100 times more fen than a BIGINT holds
    result = import_ledger(_csv(tmp_path, _row("A-1"), _row("A-2", **{"原值(元)": huge})), recorded_at=AT)
    assert list(result.register) == ["A-1"]
    assert [(i.code, i.row, i.column) for i in result.errors] == [("LED-138", 3, "原值(元)")]


@pytest.mark.parametrize(
    ("column", "value"),
    [("产权归属", "某" * 256 + "股份经济合作社"), ("资产编号", "PV-" + "0" * 62), ("资产名称", "路" * 256)],
)
def test_over_long_text_is_a_rejected_row_and_the_rest_stores_on_every_backend(tmp_path, store, column, value):
    result = import_ledger(_csv(tmp_path, _row("A-1"), _row("A-2", **{column: value})), recorded_at=AT)
    assert list(result.register) == ["A-1"]
    assert [(i.code, i.row, i.column) for i in result.errors] == [("LED-136", 3, column)]
    with store.uow() as uow:  # the valid rest is stored whole, on every backend
        uow.add_register(result.register)
        uow.commit()
    with store.uow() as uow:
        assert uow.assets.ids() == ["A-1"]
        assert [p.name for p in uow.parties.all()] == ["某村股份经济合作社"]
