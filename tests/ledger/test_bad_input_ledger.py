"""Hostile ledgers: each bad cell is an issue naming sheet, row and column; valid rows are kept."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from assetreg.adapters.ledger.cells import parse_amount, parse_rate
from assetreg.adapters.ledger.importer import import_ledger
from assetreg.errors import InvalidAmount, InvalidValue, LedgerError

if TYPE_CHECKING:
    from pathlib import Path

AT = datetime(2024, 1, 1, tzinfo=UTC)
HEADER = [
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "资产种类",
    "原值(万元)",
    "区划代码",
    "产权归属",
    "备注",
    "资产形态",
    "状态",
    "登记日期",
]


def _row(number: int, code: str, *, value: str = "137.64", note: str = "") -> list[str]:
    return [
        str(number),
        code,
        f"光伏电站{number}",
        "经营性资产",
        "光伏电站",
        value,
        "620822",
        "柳家铺村集体经济组织",
        note,
        "固定资产",
        "在用",
        "2019-05-01",
    ]


def _write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_a_cell_longer_than_the_csv_module_limit_does_not_refuse_the_file(tmp_path: Path) -> None:
    # A 200,000-character 备注 used to raise AR-700 "field larger than field limit" for
    # the whole file, losing every valid row.
    note = "备" * 200_000
    ledger = _write(tmp_path / "long.csv", [_row(1, "PV-1", note=note), _row(2, "PV-2")])
    limit = csv.field_size_limit()
    result = import_ledger(ledger, recorded_at=AT)
    assert result.imported_rows == (("long.csv", 2), ("long.csv", 3))
    assert result.errors == ()
    assert csv.field_size_limit() == limit  # the process-wide limit is put back


def test_amount_with_thousands_of_digits_is_a_cell_issue(tmp_path: Path) -> None:
    # Used to be imported as a 16,000-bit amount that could be neither printed nor stored.
    ledger = _write(tmp_path / "digits.csv", [_row(1, "PV-1", value="9" * 5000), _row(2, "PV-2")])
    result = import_ledger(ledger, recorded_at=AT)
    assert result.imported_rows == (("digits.csv", 3),)
    (issue,) = result.errors
    assert (issue.code, issue.kind, issue.sheet, issue.row, issue.column, issue.column_letter) == (
        "LED-110",
        "too_many_digits",
        "digits.csv",
        2,
        "原值(万元)",
        "F",
    )


@pytest.mark.parametrize("cell", ["1e999999999%", "1e-999999999", "1E+100000"])
def test_rate_with_huge_exponent_is_refused_at_once(cell: str) -> None:
    # Used to hang building a billion-digit integer.
    with pytest.raises(InvalidValue) as caught:
        parse_rate(cell, field="guaranteed_rate")
    assert caught.value.details["kind"] == "bad_rate"
    assert caught.value.field == "guaranteed_rate"


def test_amount_cell_with_huge_exponent_is_refused() -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(Decimal("1E+999999999"), "万元", field="original_value")
    assert caught.value.details["kind"] == "too_many_digits"


def test_a_folder_is_not_reported_as_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "台账"
    folder.mkdir()
    with pytest.raises(LedgerError) as caught:
        import_ledger(folder, recorded_at=AT)
    assert caught.value.code == "AR-700"
    assert "is a folder" in caught.value.message_en
    assert "文件夹" in caught.value.message_zh
