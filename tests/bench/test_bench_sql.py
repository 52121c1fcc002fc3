"""Benchmarks of the SQL adapter: a county's bulk load, and an as-of query for one asset.

Run explicitly (the normal run ignores tests/bench)::

    python -m pytest tests/bench/test_bench_sql.py --benchmark-enable -s

Sizes: ASSETREG_BENCH_ASSETS (default 100000) assets with ASSETREG_BENCH_EVENTS
(default 10) events each, i.e. 10^5 assets / 10^6 events. PostgreSQL runs when
ASSETREG_TEST_POSTGRESQL_URL is set. Printed: rows per second of ``bulk_load`` next to a
raw DBAPI ``executemany`` of the same rows (already converted to driver values, hash
chain links included, the raw path's best case) and their ratio (target: within 3×); the latency of an as-of
query for one asset (target: under 5 ms on SQLite); the speed of ``verify_chains`` over
the loaded county.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sql"))
from typing import TYPE_CHECKING

from bench_report import rounds, size
from builders import T0, registered

from assetreg.adapters.sql import SqlUnitOfWork, bulk_load, create_engine_for, metadata, verify_chains
from assetreg.adapters.sql.chain import chain_county
from assetreg.adapters.sql.rows import asset_row, event_rows
from assetreg.audit.chain import HashChain
from assetreg.domain.assets import AssetId
from assetreg.domain.events import (
    AssetEvent,
    CustodianAssigned,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import AssetStatus, CustodyMethod

if TYPE_CHECKING:
    import sqlalchemy as sa

ASSETS = int(size("ASSETREG_BENCH_ASSETS", "100000", "10000"))
EVENTS = int(size("ASSETREG_BENCH_EVENTS", "10", "10"))
PG_URL = os.environ.get("ASSETREG_TEST_POSTGRESQL_URL")
TOWNS = [f"620422{t:03d}" for t in (100, 101, 102, 103, 200, 201, 202, 203, 204, 205)]


def _history(n: int) -> AssetHistory:
    aid = AssetId(f"620422-{n:07d}")
    town = TOWNS[n % len(TOWNS)]
    events: list[AssetEvent] = [registered(aid, town=town, fen=100_000 + n)]
    on = date(2019, 7, 1)
    status = AssetStatus.IN_USE
    for k in range(1, EVENTS):
        on += timedelta(days=30)
        at = T0 + timedelta(seconds=k, microseconds=n % 1_000_000)
        match k % 4:
            case 1:
                events.append(
                    OwnershipConfirmed(
                        asset_id=aid,
                        effective=on,
                        recorded_at=at,
                        holders=(
                            OwnerShare(PartyId("VC-1"), Fraction(2, 3)),
                            OwnerShare(PartyId("VC-2"), Fraction(1, 3)),
                        ),
                    )
                )
            case 2:
                events.append(
                    CustodianAssigned(
                        asset_id=aid,
                        effective=on,
                        recorded_at=at,
                        custodian=PartyId("VC-1"),
                        method=CustodyMethod.VILLAGE_COLLECTIVE,
                        upkeep_budget=Money(120_000),
                    )
                )
            case 3:
                status = AssetStatus.IDLE if status is AssetStatus.IN_USE else AssetStatus.IN_USE
                events.append(StatusChanged(asset_id=aid, effective=on, recorded_at=at, status=status))
            case _:
                events.append(Revalued(asset_id=aid, effective=on, recorded_at=at, book_value=Money(90_000 + k)))
    return AssetHistory(aid, tuple(events))  # built legal; not re-checked here


@pytest.fixture(scope="module")
def histories() -> list[AssetHistory]:
    started = time.perf_counter()
    out = [_history(n) for n in range(ASSETS)]
    print(f"\nbuilt {ASSETS} assets / {ASSETS * EVENTS} events in {time.perf_counter() - started:.1f} s")
    return out


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=_backends())
def backend(request, tmp_path_factory):
    """(name, engine factory): each call gives an engine on fresh, empty tables."""
    made = []
    if request.param == "sqlite":
        directory = tmp_path_factory.mktemp("bench")

        def make() -> sa.Engine:
            engine = create_engine_for(directory / f"{uuid.uuid4().hex}.db")
            metadata.create_all(engine)
            made.append(engine)
            return engine

        yield "sqlite", make
    else:
        if not PG_URL:
            pytest.skip("postgresql: set ASSETREG_TEST_POSTGRESQL_URL to benchmark PostgreSQL")
        admin = create_engine_for(PG_URL, isolation_level="AUTOCOMMIT")
        schemas = []

        def make() -> sa.Engine:
            schema = f"assetreg_b_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            schemas.append(schema)
            engine = create_engine_for(PG_URL, connect_args={"options": f"-c search_path={schema}"})
            metadata.create_all(engine)
            made.append(engine)
            return engine

        yield "postgresql", make
        with admin.connect() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
    for engine in made:
        engine.dispose()


def _driver_rows(histories: list[AssetHistory], dialect: str) -> dict[str, list[tuple]]:
    """The rows bulk_load writes, already converted to what the DBAPI driver takes."""
    out: dict[str, list[tuple]] = {"asset": [], "asset_event": []}
    sqlite = dialect == "sqlite"

    def instant(value):
        return value.replace(tzinfo=None).isoformat(" ") if sqlite else value

    def day(value):
        return value.isoformat() if sqlite else value

    chains: dict[str, HashChain] = {}
    for history in histories:
        a = asset_row(history)
        county = chain_county(a["location_code"])
        links = chains.setdefault(county, HashChain(county)).extend(history.events)
        out["asset"].append(
            (a["asset_id"], a["version"], a["location_code"], a["county_code"], a["asset_class"], a["kind"],
             a["original_value_fen"], day(a["registered_on"]), instant(a["last_recorded_at"]))
        )  # fmt: skip
        for r, link in zip(
            event_rows(
                history.events,
                first_sequence=1,
                area_code=a["location_code"],
                county_code=a["county_code"],
            ),
            links,
            strict=True,
        ):
            out["asset_event"].append(
                (r["asset_id"], r["sequence"], r["event_id"], r["kind"], day(r["effective"]), instant(r["recorded_at"]),
                 r["area_code"], r["county_code"], r["supersedes"], json.dumps(r["payload"], ensure_ascii=False),
                 county, link.seq, link.hash)
            )  # fmt: skip
    return out


def _raw_load(engine: sa.Engine, rows: dict[str, list[tuple]], batch: int) -> float:
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN")
        for table in ("asset", "asset_event"):
            width = len(rows[table][0])
            statement = f"INSERT INTO {table} VALUES ({', '.join([mark] * width)})"  # noqa: S608
            for start in range(0, len(rows[table]), batch):
                cursor.executemany(statement, rows[table][start : start + batch])
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - started


def _raw_copy(engine: sa.Engine, rows: dict[str, list[tuple]]) -> float:
    """PostgreSQL: the same rows with psycopg ``COPY … FROM STDIN`` (the anchor of the load)."""
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        with driver.cursor() as cursor:
            for table in ("asset", "asset_event"):
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows[table]:
                        copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - started


ROUNDS = rounds()


@pytest.fixture(scope="module")
def loaded(backend, histories, report):
    """Bulk-load the county into fresh tables, interleaved with the raw anchors (ROUNDS times).

    Anchors: a raw DBAPI ``executemany`` of the same rows (already converted to driver
    values, hash chain links included: the raw path's best case) and, on PostgreSQL, a raw
    ``COPY`` of them. Ratios are of the medians (targets: SQLite <= 1.5x executemany,
    PostgreSQL <= 1.5x COPY).
    """
    name, make = backend
    total = len(histories) + sum(len(h.events) for h in histories)
    rows = _driver_rows(histories, name)
    if name == "postgresql":
        rows_copy = rows  # COPY takes the same Python values (JSON text for the payload)
    times: dict[str, list[float]] = {"bulk_load": [], "executemany": [], "COPY": []}
    engine = None
    for _ in range(ROUNDS):
        engine = make()
        started = time.perf_counter()
        result = bulk_load(engine, histories, batch_size=10_000)
        times["bulk_load"].append(time.perf_counter() - started)
        assert result.rows == total
        times["executemany"].append(_raw_load(make(), rows, 10_000))
        if name == "postgresql":
            times["COPY"].append(_raw_copy(make(), rows_copy))
    assert engine is not None
    ours = statistics.median(times["bulk_load"])
    for anchor in ("executemany", "COPY"):
        if not times[anchor]:
            continue
        theirs = statistics.median(times[anchor])
        goal = {("sqlite", "executemany"): 1.5, ("postgresql", "COPY"): 1.5}.get((name, anchor))
        report(
            f"bulk load, {name}",
            size=f"{len(histories):,} assets / {total:,} rows",
            anchor=f"raw {anchor} of the same driver rows (chain links precomputed)",
            ours=times["bulk_load"],
            theirs=times[anchor],
            goal="" if goal is None else f"<= {goal}x",
            limit=goal,
        )
        print(
            f"\n[{name}] bulk_load of {total:,} rows, {ROUNDS} interleaved rounds: ours min "
            f"{min(times['bulk_load']):.2f} s median {ours:.2f} s ({total / ours:,.0f} rows/s); raw {anchor} "
            f"min {min(times[anchor]):.2f} s median {theirs:.2f} s; ratio {ours / theirs:.2f}x"
        )
    started = time.perf_counter()
    reports = verify_chains(engine)
    checked = time.perf_counter() - started
    assert [(r.length, r.ok) for r in reports] == [(result.events, True)]
    print(
        f"[{name}] verify_chains: {result.events} events in {checked:.1f} s = {result.events / checked:,.0f} events/s"
    )
    return name, engine


def test_as_of_query_latency(benchmark, loaded, histories, report):
    """One asset's as-of state (read + decode + fold) vs a raw indexed SELECT of its rows.

    The anchor is the DBAPI cursor running ``SELECT … FROM asset_event WHERE asset_id = ?
    ORDER BY sequence`` and fetching the rows (no decoding). Both run over the same 500
    random assets, interleaved in ``ASSETREG_BENCH_ROUNDS`` rounds (default 3); the ratio
    is of the medians of the per-round means (CPU time; target: within 5x).
    """
    name, engine = loaded
    rng = random.Random(7)
    ids = [histories[rng.randrange(len(histories))].asset_id for _ in range(500)]
    as_of = date(2019, 7, 1) + timedelta(days=30 * (EVENTS // 2))
    mark = "?" if name == "sqlite" else "%s"
    raw_sql = (
        "SELECT asset_id, event_id, kind, effective, recorded_at, supersedes, payload "  # noqa: S608 - constant
        f"FROM asset_event WHERE asset_id = {mark} ORDER BY sequence"
    )
    rounds = ROUNDS
    with SqlUnitOfWork(engine) as uow:
        cursor = uow.connection.connection.cursor()

        def query(aid: AssetId):
            return uow.assets.get(aid).state(as_of=as_of)

        def raw(aid: AssetId):
            cursor.execute(raw_sql, (aid,))
            return cursor.fetchall()

        for aid in ids[:50]:  # warm both paths (statement caches, pages)
            query(aid)
            raw(aid)
        ours_us: list[float] = []
        raw_us: list[float] = []
        for _ in range(rounds):
            for fn, out in ((raw, raw_us), (query, ours_us)):
                started = time.process_time()
                for aid in ids:
                    fn(aid)
                out.append((time.process_time() - started) / len(ids) * 1e6)
        timings = []
        for aid in ids:
            started = time.perf_counter()
            state = query(aid)
            timings.append((time.perf_counter() - started) * 1000)
            assert state.asset_id == aid
        it = iter(ids * 1000)
        benchmark(lambda: query(next(it)))
        cursor.close()
    timings.sort()
    ratio = report(
        f"as-of state of one asset, {name}",
        size=f"{len(histories):,} assets x {EVENTS} events",
        anchor="raw indexed SELECT of its rows (DBAPI cursor, no decoding)",
        ours=ours_us,
        theirs=raw_us,
        unit="us CPU",
        goal="<= 5x",
        limit=5.0,
    ).ratio
    print(
        f"\n[{name}] as-of state of one asset ({len(histories):,} assets, {EVENTS} events each), "
        f"{rounds} interleaved rounds of {len(ids)}: ours CPU min {min(ours_us):.0f} us median "
        f"{statistics.median(ours_us):.0f} us; raw indexed SELECT min {min(raw_us):.0f} us median "
        f"{statistics.median(raw_us):.0f} us; ratio {ratio:.1f}x (target <= 5x); "
        f"wall median {statistics.median(timings):.2f} ms, p95 {timings[int(len(timings) * 0.95)]:.2f} ms"
    )
    assert state.known_at is None
    assert state.as_of == as_of
