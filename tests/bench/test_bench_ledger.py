"""Reading and importing generated county ledgers (.csv and .xlsx) against the raw readers.

Run explicitly (the normal run ignores tests/bench)::

    python -m pytest tests/bench/test_bench_ledger.py --benchmark-enable -s -o addopts=

Sizes: ASSETREG_BENCH_LEDGER_SIZES (default ``10000,100000``; ``10000`` with
ASSETREG_BENCH_QUICK=1) rows. For each size the same run measures, in CPU seconds
(``time.process_time``), in interleaved rounds (ASSETREG_BENCH_ROUNDS, default 3):

* the raw anchors: python-calamine's ``to_python`` alone and openpyxl's read-only
  ``iter_rows(values_only=True)`` for .xlsx; the csv module alone, and the csv module plus
  a per-cell conversion of the typed cells (``Decimal`` of the amount, ``int`` of year and
  code, ``date.fromisoformat`` of the date) for .csv;
* :func:`read_ledger` of the .xlsx (file → raw rows with columns and row kinds, totals
  checked) against calamine (goal ≤ 1.5×) and openpyxl;
* :func:`import_ledger` of the .csv (file → register, every cell validated, events built)
  against the csv module alone and csv + conversion;
* the whole ``assetreg import`` of the .csv (``import_ledger`` then
  :func:`~assetreg.services.importing.import_register` into a fresh SQLite file) against
  the csv module alone (issue 10's goal: 10⁵ rows under 3 s CPU).

Each figure goes to the results table (``report``) and is printed as a ratio.
"""

from __future__ import annotations

import csv
import itertools
import statistics
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import openpyxl
import pytest
from bench_report import rounds, size

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.reader import read_ledger
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.services.importing import import_register

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from bench_report import Report

SIZES = tuple(int(n) for n in size("ASSETREG_BENCH_LEDGER_SIZES", "10000,100000", "10000").split(","))
AT = datetime(2025, 1, 1, tzinfo=UTC)
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


def _raw_csv_alone(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


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


def _full_import(path: Path, folder: Path, run: int) -> int:
    """``assetreg import``'s work: read and validate the ledger, then store it into a new SQLite file."""
    result = import_ledger(path, recorded_at=AT)
    engine = create_engine_for(folder / f"import-{run}.sqlite")
    try:
        upgrade(engine)
        outcome = import_register(SqlUnitOfWork(engine), result.register)
    finally:
        engine.dispose()
    return outcome.assets


def _measure(actions: dict[str, Callable[[], object]], expected: int) -> dict[str, list[float]]:
    """CPU seconds of each action, in interleaved rounds; each must count ``expected`` rows."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds()):
        for name, action in actions.items():
            seconds, counted = _cpu(action)
            assert counted == expected, (name, counted)
            times[name].append(seconds)
    return times


def test_bench_read_xlsx_against_calamine(
    ledgers: tuple[int, dict[str, Path]], report: Report, benchmark: object
) -> None:
    rows, paths = ledgers
    path = paths["xlsx"]
    times = _measure(
        {
            "read_ledger": lambda: len(read_ledger(path).sheets[0].detail_rows),
            "calamine": lambda: _raw_calamine(path),
            "openpyxl": lambda: _raw_openpyxl(path),
        },
        rows,
    )
    label = f"{rows:,} rows"
    cal = report(
        "read_ledger .xlsx",
        size=label,
        anchor="python-calamine to_python alone",
        ours=times["read_ledger"],
        theirs=times["calamine"],
        goal="<= 1.5x",
        limit=1.5,
    )
    opx = report(
        "read_ledger .xlsx",
        size=label,
        anchor="openpyxl read-only iter_rows alone",
        ours=times["read_ledger"],
        theirs=times["openpyxl"],
    )
    print(
        f"\nxlsx {label} (CPU s, median of {rounds()}): read_ledger {statistics.median(times['read_ledger']):.3f}, "
        f"calamine {statistics.median(times['calamine']):.3f} ({cal.ratio:.2f}x), "
        f"openpyxl {statistics.median(times['openpyxl']):.3f} ({opx.ratio:.2f}x)"
    )
    benchmark.pedantic(lambda: read_ledger(path), rounds=1, iterations=1)  # type: ignore[attr-defined]


def test_bench_import_csv_against_the_csv_module(
    ledgers: tuple[int, dict[str, Path]], report: Report, benchmark: object, tmp_path: Path
) -> None:
    rows, paths = ledgers
    path = paths["csv"]
    runs = itertools.count()
    times = _measure(
        {
            "import_ledger": lambda: len(import_ledger(path, recorded_at=AT).register),
            "full import": lambda: _full_import(path, tmp_path, next(runs)),
            "csv": lambda: _raw_csv_alone(path),
            "csv+conversion": lambda: _raw_csv(path),
        },
        rows,
    )
    label = f"{rows:,} rows"
    alone = report(
        "import_ledger .csv (validated register)",
        size=label,
        anchor="csv module alone",
        ours=times["import_ledger"],
        theirs=times["csv"],
    )
    converted = report(
        "import_ledger .csv (validated register)",
        size=label,
        anchor="csv module + per-cell conversion",
        ours=times["import_ledger"],
        theirs=times["csv+conversion"],
    )
    full = report(
        "assetreg import .csv into SQLite (read, validate, store)",
        size=label,
        anchor="csv module alone",
        ours=times["full import"],
        theirs=times["csv"],
        goal="10^5 rows < 3 s CPU",
    )
    print(
        f"\ncsv {label} (CPU s, median of {rounds()}): csv alone {statistics.median(times['csv']):.3f}, "
        f"csv+conversion {statistics.median(times['csv+conversion']):.3f}; "
        f"import_ledger {statistics.median(times['import_ledger']):.3f} "
        f"({alone.ratio:.1f}x csv alone, {converted.ratio:.1f}x csv+conversion); "
        f"full import into SQLite {statistics.median(times['full import']):.3f} ({full.ratio:.1f}x csv alone)"
    )
    benchmark.pedantic(lambda: import_ledger(path, recorded_at=AT), rounds=1, iterations=1)  # type: ignore[attr-defined]
