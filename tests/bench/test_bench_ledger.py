"""Reading and importing a generated 10^5-row ledger (csv and xlsx); prints rows per second."""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import openpyxl
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.reader import read_ledger

if TYPE_CHECKING:
    from pathlib import Path

ROWS = 100_000
HEADER = [
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "建设年度",
    "资金来源",
    "原值(万元)",
    "区划代码",
    "状态",
]


def _row(i: int) -> list[object]:
    return [
        i,
        f"A{i:06d}",
        f"资产{i}",
        "公益性资产",
        2016 + i % 8,
        "财政专项扶贫资金",
        f"{(i % 9000) + 1}.{i % 100:02d}",
        f"620422{101 + i % 20:03d}{1 + i % 30:03d}",
        "在用",
    ]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bench")
    csv_path = folder / "big.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows(_row(i) for i in range(1, ROWS + 1))
    xlsx_path = folder / "big.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADER)
    for i in range(1, ROWS + 1):
        sheet.append(_row(i))
    book.save(xlsx_path)
    return {"csv": csv_path, "xlsx": xlsx_path}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bench_read(ledgers: dict[str, Path], kind: str) -> None:
    start = time.perf_counter()
    raw = read_ledger(ledgers[kind])
    time.perf_counter() - start
    assert len(raw.sheets[0].rows) == ROWS


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bench_import(ledgers: dict[str, Path], kind: str) -> None:
    start = time.perf_counter()
    result = import_ledger(ledgers[kind], recorded_at=datetime(2025, 1, 1, tzinfo=UTC))
    time.perf_counter() - start
    assert result.ok
    assert len(result.register) == ROWS
