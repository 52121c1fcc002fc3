"""Benchmark: one asset's current state through ``SqlUnitOfWork`` on SQLite, against history length.

Run explicitly (the normal run ignores tests/bench)::

    python -m pytest tests/bench/test_bench_state_read.py --benchmark-enable -s -o addopts=

Four assets are stored in one SQLite file, with histories of 1, 10, 100 and 1,000 events
(the registration, then status changes and revaluations alternating). The figure is the
latency of ``uow.assets.get(asset_id).state(as_of=today)`` (read, decode, fold: the current state a
county service serves per request) for each, as a ratio to the 1-event asset's latency
measured in the same run, interleaved in ``ASSETREG_BENCH_ROUNDS`` rounds (issue 16: the
goal is a flat line, i.e. within 1.5x of the 1-event read at every length).

Size knobs: ``ASSETREG_BENCH_STATE_LENGTHS`` (default ``1,10,100,1000``) and
``ASSETREG_BENCH_STATE_READS`` reads per length and round (default 200; quick 50).
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "sql"))

from bench_report import rounds, size
from builders import T0, registered

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, metadata
from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent, Revalued, StatusChanged
from assetreg.domain.money import Money
from assetreg.domain.vocab import AssetStatus

LENGTHS = [int(n) for n in size("ASSETREG_BENCH_STATE_LENGTHS", "1,10,100,1000", "1,10,100,1000").split(",")]
TODAY = date(2026, 12, 6)  # the request's date, as a service passes it (no clock in the core)
READS = int(size("ASSETREG_BENCH_STATE_READS", "200", "50"))


def _events(aid: AssetId, length: int) -> list[AssetEvent]:
    """A legal history of ``length`` events: the registration, then idle/in-use changes and revaluations."""
    events: list[AssetEvent] = [registered(aid)]
    on = date(2019, 7, 1)
    status = AssetStatus.IN_USE
    for k in range(1, length):
        on += timedelta(days=1)
        at = T0 + timedelta(seconds=k)
        if k % 2:
            status = AssetStatus.IDLE if status is AssetStatus.IN_USE else AssetStatus.IN_USE
            events.append(StatusChanged(asset_id=aid, effective=on, recorded_at=at, status=status))
        else:
            events.append(Revalued(asset_id=aid, effective=on, recorded_at=at, book_value=Money(800_000_000 - k)))
    return events


def test_current_state_read_latency_against_history_length(benchmark, tmp_path, report):
    """Per-read latency (wall clock, µs) of the current state at each history length, vs 1 event."""
    engine = create_engine_for(tmp_path / "state.db")
    metadata.create_all(engine)
    ids = {n: AssetId(f"620422-{n:07d}") for n in LENGTHS}
    with SqlUnitOfWork(engine) as uow:
        for n, aid in ids.items():
            assert uow.assets.append(aid, _events(aid, n), expected_version=0) == n
        uow.commit()
    timings: dict[int, list[float]] = {n: [] for n in LENGTHS}
    with SqlUnitOfWork(engine) as uow:

        def read(aid: AssetId):
            return uow.assets.get(aid).state(as_of=TODAY)

        for aid in ids.values():  # warm the statement cache and the pages
            for _ in range(5):
                read(aid)
        expected_status = {n: AssetStatus.IN_USE if (n // 2) % 2 == 0 else AssetStatus.IDLE for n in LENGTHS}
        for n, aid in ids.items():
            assert read(aid).status is expected_status[n], n
        for _ in range(rounds()):
            for n, aid in ids.items():
                started = time.perf_counter()
                for _ in range(READS):
                    read(aid)
                timings[n].append((time.perf_counter() - started) / READS * 1e6)
        longest = ids[max(LENGTHS)]
        benchmark(lambda: read(longest))
    base = LENGTHS[0]
    print(f"\ncurrent-state read on SQLite, {READS} reads x {rounds()} rounds per length:")
    for n in LENGTHS:
        row = report(
            f"current state of one asset, SQLite, {n:,} events",
            size=f"history of {n:,} events",
            anchor=f"the same read of a {base}-event asset (same run)",
            ours=timings[n],
            theirs=timings[base],
            unit="us",
            goal="flat: <= 1.5x",
            limit=1.5,
        )
        print(f"  {n:>5} events: median {sorted(timings[n])[len(timings[n]) // 2]:9.1f} us  ratio {row.ratio:6.2f}x")
