"""Benchmark: a county year through the stored books, 10³ → 10⁴ assets, on SQLite and PostgreSQL.

The synthetic county is the bundled sample's 灵台县 柳家铺村 PV station
(http://pvnews.cn/a/news/reping/11988.html: 7.3万元 income, 0.9万元 O&M, plan pv-45-55)
repeated: N stations of the same ledger row with new ids, each with its revenue and O&M
rows, one plan version over all of them, and a roster of H households (10⁵ by default)
spread evenly over the stations. The register is imported first (not timed); then the
county year is timed step by step through the services:

``record_plans`` → ``record_roster`` → ``record_income`` (the deduction records) →
``distribute_period`` → ``audit_store``.

Printed: the seconds of each step and in all per size, and the growth exponent
log(t(10⁴) / t(10³)) / log 10 (goal: linear, exponent ≈ 1). The report row compares the
larger size's time with the smaller one's scaled linearly. Nothing fails on time.

Sizes: ``ASSETREG_BENCH_COUNTY_SIZES`` (1000,10000; quick 300,3000),
``ASSETREG_BENCH_COUNTY_HOUSEHOLDS`` (100000; quick 10000). PostgreSQL runs when
``ASSETREG_TEST_POSTGRESQL_URL`` is set.
"""

from __future__ import annotations

import csv
import math
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import attrs
import pytest
from bench_report import size

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger, read_roster
from assetreg.adapters.sql import SqlUnitOfWork, metadata
from assetreg.demo import sample_plans, sample_snapshot
from assetreg.domain.periods import Period
from assetreg.domain.policy import GANSU_COUNTY
from assetreg.domain.register import AssetRegister
from assetreg.samples import sample_path
from assetreg.services.auditing import audit_store
from assetreg.services.books import record_income, record_plans, record_roster
from assetreg.services.distributing import distribute_period
from assetreg.services.importing import import_register
from backends import fresh_engine

if TYPE_CHECKING:
    from pathlib import Path

POLICY = attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)
RECORDED = datetime(2024, 12, 31, 1, tzinfo=UTC)
PERIOD = Period.inclusive(date(2019, 5, 1), date(2020, 4, 30))
AS_OF = date(2025, 6, 30)
SIZES = [int(n) for n in size("ASSETREG_BENCH_COUNTY_SIZES", "1000,10000", "300,3000").split(",")]
HOUSEHOLDS = int(size("ASSETREG_BENCH_COUNTY_HOUSEHOLDS", "100000", "10000"))


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = csv.reader(f)
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def synthetic_county(folder: Path, n: int, households: int):
    """The ledger, revenue and roster files of ``n`` copies of LT-PV-001 and ``households`` households."""
    header, rows = _rows(sample_path("sample_ledger.csv"))
    [lt] = [r for r in rows if r[2] == "LT-PV-001"]
    ids = [f"LT-PV-{i:05d}" for i in range(1, n + 1)]
    ledger = [[str(k), lt[1], aid, *lt[3:]] for k, aid in enumerate(ids, start=1)]
    rheader, rrows = _rows(sample_path("sample_revenue.csv"))
    lt_rev = [r for r in rrows if r[1] == "LT-PV-001"]
    revenue = [[f"{r[0]}-{aid}", aid, *r[2:]] for aid in ids for r in lt_rev]
    hheader, hrows = _rows(sample_path("sample_households.csv"))
    template = hrows[0]
    people = [[f"LT-H{i:06d}", f"农户{i:06d}", *template[2:8], str(1 + i % 40), ids[i % n]] for i in range(households)]
    return (
        _write(folder / "ledger.csv", header, ledger),
        _write(folder / "revenue.csv", rheader, revenue),
        _write(folder / "households.csv", hheader, people),
        ids,
    )


def _county_year(engine, folder: Path, n: int) -> dict[str, float]:
    ledger, revenue, households, ids = synthetic_county(folder, n, HOUSEHOLDS)
    imported = import_ledger(ledger, recorded_at=RECORDED, policy=POLICY)
    roster = read_roster(households)
    income = read_income_ledger(revenue)
    # every household as a party of the register, in one step (add_party copies the table)
    register = AssetRegister(
        parties={**imported.register.parties, **{h.id: h for h in roster.parties}},
        histories=imported.register.histories,
    )
    import_register(SqlUnitOfWork(engine), register, revenue=income.entries)
    [lt_plan] = [p for p in sample_plans() if "LT-PV-001" in p.asset_ids]
    plan = attrs.evolve(lt_plan, asset_ids=tuple(ids))
    times: dict[str, float] = {}

    def step(name, fn):
        start = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - start
        return out

    step("record_plans", lambda: record_plans(SqlUnitOfWork(engine), (plan,), POLICY, recorded_at=RECORDED))
    step("record_roster", lambda: record_roster(SqlUnitOfWork(engine), sample_snapshot(roster, RECORDED)))
    deductions = income.deduction_records(register, RECORDED)[0]
    step("record_income", lambda: record_income(SqlUnitOfWork(engine), (), deductions))
    run = step(
        "distribute_period",
        lambda: distribute_period(SqlUnitOfWork(engine), POLICY, period=PERIOD, recorded_at=RECORDED),
    )
    report = step("audit_store", lambda: audit_store(SqlUnitOfWork(engine), as_of=AS_OF, policy=POLICY))
    assert run.refusals == ()  # every station distributed (not a timing assertion)
    assert run.stored == n
    times["total"] = sum(times.values())
    print(
        f"\n[{engine.dialect.name}] county year, {n:,} assets, {HOUSEHOLDS:,} households: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
        + f"; {len(report.findings):,} findings"
    )
    return times


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_county_year_growth(backend: str, tmp_path: Path, report) -> None:
    measured: dict[int, dict[str, float]] = {}
    for n in SIZES:
        (tmp_path / f"db{n}").mkdir()
        for engine in fresh_engine(backend, tmp_path / f"db{n}"):
            metadata.create_all(engine)
            folder = tmp_path / f"county{n}"
            folder.mkdir()
            measured[n] = _county_year(engine, folder, n)
    small, large = SIZES[0], SIZES[-1]
    factor = large / small
    exponents = {k: math.log(measured[large][k] / measured[small][k]) / math.log(factor) for k in measured[large]}
    print(
        f"[{backend}] growth exponent {small:,} -> {large:,} assets (1 = linear): "
        + ", ".join(f"{k} {e:.2f}" for k, e in exponents.items())
    )
    report(
        f"county year ({backend}): plans, roster, deductions, distribute_period, audit_store",
        size=f"{small:,} -> {large:,} assets, {HOUSEHOLDS:,} households",
        anchor=f"linear: {factor:g} x the {small:,}-asset time",
        ours=(measured[large]["total"],),
        theirs=(factor * measured[small]["total"],),
        goal="linear (ratio ~1; exponent " + f"{exponents['total']:.2f})",
        limit=1.26,
    )
