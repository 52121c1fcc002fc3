"""The full audit catalogue over a synthetic province; prints time, memory and growth.

Sizes come from ``ASSETREG_BENCH_AUDIT_SIZES`` (comma-separated asset counts, default
``10000,100000``; the design target is ``1000000`` assets with ~10^7 events). Run::

    ASSETREG_BENCH_AUDIT_SIZES=10000,100000,1000000 \\
        PYTHONPATH=src python -m pytest tests/bench/test_bench_audit.py -s -p no:cacheprovider \\
        --override-ini addopts= --benchmark-disable
"""

from __future__ import annotations

import gc
import os
import resource
import time
from collections import Counter

import pytest
from audit_synthetic import AS_OF, province
from bench_report import rounds, size

from assetreg.audit import CATALOGUE, run_checks
from assetreg.domain.policy import NATIONAL_2021

SIZES = [int(s) for s in size("ASSETREG_BENCH_AUDIT_SIZES", "10000,100000", "10000").split(",") if s.strip()]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("n_assets", SIZES)
def test_full_catalogue_in_memory(n_assets: int, benchmark) -> None:
    gc.collect()
    t0 = time.perf_counter()
    books, n_events = province(n_assets)
    built = time.perf_counter() - t0
    t1 = time.perf_counter()
    facts = books.facts(AS_OF)
    folded = time.perf_counter() - t1

    per_check: dict[str, float] = {}
    counts: Counter[str] = Counter()

    def run_all() -> None:
        for chk in CATALOGUE:
            start = time.perf_counter()
            found = run_checks(books, as_of=AS_OF, policy=NATIONAL_2021, checks=[chk])
            per_check[chk.code] = time.perf_counter() - start
            counts.update(f.code for f in found)

    benchmark.pedantic(run_all, rounds=1, iterations=1)
    t2 = time.perf_counter()
    findings = run_checks(books, as_of=AS_OF, policy=NATIONAL_2021)
    full = time.perf_counter() - t2
    assert len(facts) == n_assets
    assert "AUD-000" not in counts
    slow = sorted(per_check.items(), key=lambda kv: -kv[1])[:10]
    print(
        f"\n[audit bench] assets={n_assets:,} events={n_events:,} revenue={len(books.revenue):,} "
        f"build={built:.1f}s fold-once={folded:.1f}s catalogue({len(CATALOGUE)} checks, facts cached)={full:.1f}s "
        f"findings={len(findings):,} max-rss={_rss_mb():,.0f}MB"
    )
    print("  slowest checks (s): " + ", ".join(f"{code}={secs:.2f}" for code, secs in slow))
    print("  findings by code: " + ", ".join(f"{code}={n}" for code, n in sorted(counts.items())))


SQL_SIZES = [int(s) for s in size("ASSETREG_BENCH_AUDIT_SQL_SIZES", "10000,100000", "10000").split(",") if s.strip()]
ROUNDS = rounds()
_SERVER_ENV = {"postgresql": "ASSETREG_TEST_POSTGRESQL_URL", "mariadb": "ASSETREG_TEST_MARIADB_URL"}


def _bench_engine(backend: str, tmp_path):
    """An engine on a private, empty namespace and a function that drops it."""
    import uuid

    import sqlalchemy as sa

    from assetreg.adapters.sql import create_engine_for

    if backend == "sqlite":
        engine = create_engine_for(tmp_path / "bench.db")
        return engine, engine.dispose
    url = os.environ.get(_SERVER_ENV[backend])
    if not url:
        pytest.skip(f"set {_SERVER_ENV[backend]} for the {backend} pushdown figures")
    name = f"assetreg_b_{uuid.uuid4().hex[:8]}"
    admin = create_engine_for(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
            engine = create_engine_for(url, connect_args={"options": f"-c search_path={name}"})
            drop = f"DROP SCHEMA {name} CASCADE"
        else:
            conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            engine = create_engine_for(sa.make_url(url).set(database=name))
            drop = f"DROP DATABASE {name}"

    def dispose() -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(drop)
        admin.dispose()

    return engine, dispose


@pytest.mark.parametrize("n_assets", SQL_SIZES)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_pushdown_in_the_database(n_assets: int, backend: str, tmp_path, benchmark, report) -> None:
    """Pushdown of the 12 checks vs the same checks in memory from cold books (fold included).

    Interleaved: each round runs the in-memory checks on freshly built books (no cached
    facts), then the pushdown; the ratio is pushdown / in-memory (below 1: pushdown wins).
    """
    from statistics import median

    from assetreg.adapters.sql import bulk_load, metadata
    from assetreg.adapters.sql.audit_sql import PUSHDOWN_CODES, run_checks_in_db, store_revenue
    from assetreg.audit.catalogue import check_by_code

    engine, dispose = _bench_engine(backend, tmp_path)
    try:
        metadata.create_all(engine)
        books, n_events = province(n_assets)
        t0 = time.perf_counter()
        bulk_load(engine, books.register)
        with engine.begin() as conn:
            store_revenue(conn, books.revenue)
        loaded = time.perf_counter() - t0
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE" if backend != "mariadb" else "ANALYZE TABLE asset_event, revenue_entry")
        checks = [check_by_code(c) for c in PUSHDOWN_CODES]
        memory: list[float] = []
        pushed: list[float] = []
        got: tuple[object, ...] = ()
        expected: tuple[object, ...] = ()
        for _ in range(ROUNDS):
            cold, _ = province(n_assets)
            t1 = time.perf_counter()
            expected = run_checks(cold, as_of=AS_OF, policy=NATIONAL_2021, checks=checks)
            memory.append(time.perf_counter() - t1)
            t2 = time.perf_counter()
            got = run_checks_in_db(engine, as_of=AS_OF, policy=NATIONAL_2021)
            pushed.append(time.perf_counter() - t2)
        benchmark.pedantic(lambda: run_checks_in_db(engine, as_of=AS_OF, policy=NATIONAL_2021), rounds=1)
        assert got == expected
        ratio = report(
            f"audit pushdown, {len(PUSHDOWN_CODES)} checks, {backend}",
            size=f"{n_assets:,} assets / {n_events:,} events",
            anchor="the same checks in memory, cold (fold included)",
            ours=pushed,
            theirs=memory,
            goal="faster than memory (< 1x)" if backend != "mariadb" else "",
            limit=1.0 if backend != "mariadb" else None,
        ).ratio
        print(
            f"\n[audit pushdown] {backend} assets={n_assets:,} events={n_events:,} load={loaded:.1f}s "
            f"{len(PUSHDOWN_CODES)} checks, {ROUNDS} interleaved rounds: "
            f"in-memory cold (fold included) min={min(memory):.2f}s median={median(memory):.2f}s; "
            f"in-database min={min(pushed):.2f}s median={median(pushed):.2f}s; "
            f"ratio={ratio:.2f}x findings={len(got):,}"
        )
    finally:
        dispose()
