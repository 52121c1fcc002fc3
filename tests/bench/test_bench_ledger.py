"""Reading and importing generated county ledgers (.csv and .xlsx) against the raw readers.

Run explicitly (the normal run ignores tests/bench)::

    python -m pytest tests/bench/test_bench_ledger.py --benchmark-enable -s -o addopts=

Sizes: ASSETREG_BENCH_LEDGER_SIZES (default ``10000,100000``) rows. For each size and
format the same run measures, in CPU seconds (``time.process_time``):

* the raw readers: python-calamine's ``to_python`` and openpyxl's read-only
  ``iter_rows(values_only=True)`` for .xlsx; the csv module plus a per-cell conversion of
  the typed cells (``Decimal`` of the amount, ``int`` of year and code,
  ``date.fromisoformat`` of the date) for .csv;
* :func:`read_ledger` (file → raw rows with columns and row kinds, totals checked);
* :func:`import_ledger` (file → register, every cell validated, events built);

and prints the ratios read/raw and import/raw (issue 10's targets: reading within 1.5× of
calamine and of csv + conversion; a full import of 10⁵ rows under 3 s CPU).
"""

from __future__ import annotations

import csv
import os
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import openpyxl
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.reader import read_ledger

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SIZES = tuple(int(n) for n in os.environ.get("ASSETREG_BENCH_LEDGER_SIZES", "10000,100000").split(","))
HEADER = [
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "资产种类",
    "资产形态",
    "建设年度",
    "资金来源",
    "原值(万元)",
    "区划代码",
    "状态",
    "登记日期",
    "产权归属",
]


def _row(i: int) -> list[object]:
    value = f"{(i % 9000) + 1}.{i % 100:02d}"
    return [
        i,
        f"A{i:06d}",
        f"资产{i}",
        "公益性资产",
        "道路",
        "固定资产",
        2016 + i % 8,
        f"财政专项扶贫资金{value}万元",
        value,
        int(f"620422{101 + i % 20:03d}{1 + i % 30:03d}"),
        "在用",
        date(2016 + i % 8, 1 + i % 12, 1 + i % 28),
        f"村{i % 30}股份经济合作社",
    ]


def _cpu(action: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def _raw_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("台账").to_python(skip_empty_area=False)
    book.close()
    return len(rows) - 1


def _raw_openpyxl(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book["台账"].iter_rows(values_only=True)) - 1
    book.close()
    return count


def _raw_csv(path: Path) -> int:
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for cells in rows:
            Decimal(cells[8])
            int(cells[6])
            int(cells[9])
            date.fromisoformat(cells[11])
            count += 1
    return count


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}rows")
def ledgers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Path]]:
    size: int = request.param
    folder = tmp_path_factory.mktemp(f"bench{size}")
    csv_path = folder / "big.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows([(c.isoformat() if isinstance(c, date) else c) for c in _row(i)] for i in range(1, size + 1))
    xlsx_path = folder / "big.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADER)
    for i in range(1, size + 1):
        sheet.append(_row(i))
    book.save(xlsx_path)
    return size, {"csv": csv_path, "xlsx": xlsx_path}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_bench_read_and_import(ledgers: tuple[int, dict[str, Path]], kind: str, benchmark: object) -> None:
    size, paths = ledgers
    path = paths[kind]
    baselines: dict[str, float] = {}
    if kind == "xlsx":
        baselines["calamine"], count = _cpu(lambda: _raw_calamine(path))
        assert count == size
        baselines["openpyxl"], count = _cpu(lambda: _raw_openpyxl(path))
        assert count == size
    else:
        baselines["csv+conversion"], count = _cpu(lambda: _raw_csv(path))
        assert count == size
    read_s, raw = _cpu(lambda: read_ledger(path))
    assert len(raw.sheets[0].rows) == size  # type: ignore[attr-defined]
    import_s, result = _cpu(lambda: import_ledger(path, recorded_at=datetime(2025, 1, 1, tzinfo=UTC)))
    assert result.ok  # type: ignore[attr-defined]
    assert len(result.register) == size  # type: ignore[attr-defined]
    base = next(iter(baselines.values()))
    print(
        f"\n{kind} {size} rows (CPU s): "
        + ", ".join(f"raw {name} {seconds:.3f}" for name, seconds in baselines.items())
        + f"; read_ledger {read_s:.3f} ({read_s / base:.2f}× {next(iter(baselines))})"
        + f"; import_ledger {import_s:.3f} ({import_s / base:.2f}×)"
        + (f"; read_ledger vs openpyxl {read_s / baselines['openpyxl']:.2f}×" if "openpyxl" in baselines else "")
    )
    benchmark.pedantic(lambda: read_ledger(path), rounds=1, iterations=1)  # type: ignore[attr-defined]
