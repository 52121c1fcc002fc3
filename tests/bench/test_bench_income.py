"""Benchmarks of the income engine (run explicitly; the normal test run ignores tests/bench).

    python -m pytest tests/bench/test_bench_income.py --benchmark-enable -p no:cacheprovider -s

1. ``allocate`` of one pool over 10^4, 10^5 and 10^6 beneficiaries (weights = days worked,
   ties by beneficiary id), against a minimal integer largest-remainder loop written here as
   the floor (no keys, no validation). Target: within 2x of the floor, and near-linear growth
   (10x beneficiaries -> at most 12x time).
2. A county year: 10^4 assets, each with revenue entries, distributable income with the O&M
   cap, and a plan run over its village's households.

Figures are printed (lines per second, ratio to the floor, growth); timings never fail.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from bench_report import rounds, size

from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity
from assetreg.income import (
    Beneficiary,
    BeneficiaryKind,
    Deduction,
    DeductionKind,
    RevenueEntry,
    RevenueKind,
    allocate,
    distributable_income,
    income_in_period,
    om_cap_amount,
    run_plan,
)
from assetreg.income.presets import pv_collective_45_households_55

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = tuple(int(n) for n in size("ASSETREG_BENCH_ALLOCATE_SIZES", "10000,100000,1000000", "10000,100000").split(","))
POOL = 123_456_789_01  # 123,456,789.01 元 in fen
_FLOOR_TIMES: dict[int, float] = {}
_OURS_TIMES: dict[int, float] = {}


def floor_allocate(total: int, weights: list[int]) -> list[int]:
    """The minimal integer largest-remainder loop: the speed floor."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    left = total - sum(parts)
    if left:
        remainders = [total * w % whole for w in weights]
        for i in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
            parts[i] += 1
    return parts


def numpy_allocate(total: int, weights: list[int]) -> list[int]:
    """The exact numpy int64 largest remainder (no keys, no validation): the numpy anchor.

    Takes and returns Python lists, as ``allocate`` does; exact only while
    ``total × max(weights)`` fits int64 (the benchmark's weights are chosen so).
    """
    import numpy as np

    w = np.asarray(weights, dtype=np.int64)
    whole = int(w.sum())
    products = w * total
    parts = products // whole
    left = total - int(parts.sum())
    if left:
        remainders = products - parts * whole
        parts[np.argpartition(-remainders, left - 1)[:left]] += 1
    return parts.tolist()


def best_of(fn: Callable[[], Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def data(n: int) -> tuple[list[int], list[str]]:
    rnd = random.Random(n)
    weights = [rnd.randint(1, 365) for _ in range(n)]
    keys = [f"H{i:07d}" for i in range(n)]
    return weights, keys


@pytest.mark.parametrize("n", SIZES)
def test_allocate_one_pool(benchmark: Any, n: int) -> None:
    weights, keys = data(n)
    rounds = 3 if n == 10**6 else 7
    parts = benchmark.pedantic(allocate, args=(POOL, weights), kwargs={"keys": keys}, rounds=rounds, iterations=1)
    assert sum(parts) == POOL
    # same rule as the floor; only the choice among tied remainders may differ
    assert all(abs(a - b) <= 1 for a, b in zip(parts, floor_allocate(POOL, weights), strict=True))
    ours = benchmark.stats.stats.min
    floor = best_of(lambda: floor_allocate(POOL, weights), rounds)
    _OURS_TIMES[n], _FLOOR_TIMES[n] = ours, floor
    print(
        f"\nallocate n={n:>9,}: {ours * 1e3:8.1f} ms, {n / ours:12,.0f} lines/s; "
        f"floor {floor * 1e3:8.1f} ms; ratio {ours / floor:4.2f}x"
    )


@pytest.mark.parametrize("n", SIZES)
def test_allocate_against_numpy(n: int, report) -> None:
    """``allocate`` (keys, validation, exact ties) vs the exact numpy int64 anchor.

    Two weight shapes: days worked (1–365, many ties) and distinct areas (1–10^6 m²).
    ``ASSETREG_BENCH_ROUNDS`` (default 3) interleaved rounds; ratio of the medians
    (target: within 2x at 10^6 payees).
    """
    import statistics

    rnd = random.Random(n)
    keys = [f"H{i:07d}" for i in range(n)]
    for label, weights in (
        ("days worked", [rnd.randint(1, 365) for _ in range(n)]),
        ("distinct", [rnd.randint(1, 10**6) for _ in range(n)]),
    ):
        ours: list[float] = []
        anchor: list[float] = []
        for _ in range(rounds()):
            ours.append(best_of(lambda w=weights: allocate(POOL, w, keys=keys), 1))
            anchor.append(best_of(lambda w=weights: numpy_allocate(POOL, w), 1))
        report(
            f"allocate, {label} weights",
            size=f"{n:,} payees",
            anchor="exact numpy int64 largest remainder (no keys, no checks)",
            ours=ours,
            theirs=anchor,
            goal="<= 2x at 10^6" if n == 10**6 else "",
            limit=2.0 if n == 10**6 else None,
        )
        parts = allocate(POOL, weights, keys=keys)
        assert sum(parts) == POOL
        assert all(abs(a - b) <= 1 for a, b in zip(parts, numpy_allocate(POOL, weights), strict=True))
        print(
            f"\nallocate {label} n={n:>9,}: ours min {min(ours) * 1e3:.1f} ms median "
            f"{statistics.median(ours) * 1e3:.1f} ms; numpy int64 min {min(anchor) * 1e3:.1f} ms median "
            f"{statistics.median(anchor) * 1e3:.1f} ms; ratio {statistics.median(ours) / statistics.median(anchor):.2f}x"
        )


@pytest.mark.parametrize("n", SIZES)
def test_allocate_distinct_weights(benchmark: Any, n: int) -> None:
    """Worst case for the per-weight shortcut: every weight different (shares, areas)."""
    rnd = random.Random(-n)
    weights = [rnd.randint(1, 10**9) for _ in range(n)]
    keys = [f"H{i:07d}" for i in range(n)]
    rounds = 3 if n == 10**6 else 7
    parts = benchmark.pedantic(allocate, args=(POOL, weights), kwargs={"keys": keys}, rounds=rounds, iterations=1)
    assert sum(parts) == POOL
    ours = benchmark.stats.stats.min
    floor = best_of(lambda: floor_allocate(POOL, weights), rounds)
    print(
        f"\nallocate distinct n={n:>9,}: {ours * 1e3:8.1f} ms, {n / ours:12,.0f} lines/s; "
        f"floor {floor * 1e3:8.1f} ms; ratio {ours / floor:4.2f}x"
    )


def test_allocate_growth() -> None:
    """Near-linear growth: 10x beneficiaries -> at most 12x time (printed)."""
    for n in SIZES:
        if n not in _OURS_TIMES:
            weights, keys = data(n)
            _OURS_TIMES[n] = best_of(lambda w=weights, k=keys: allocate(POOL, w, keys=k), 3)
            _FLOOR_TIMES[n] = best_of(lambda w=weights: floor_allocate(POOL, w), 3)
    for small, large in itertools.pairwise(SIZES):
        print(
            f"\ngrowth {small:,} -> {large:,}: ours {_OURS_TIMES[large] / _OURS_TIMES[small]:5.2f}x, "
            f"floor {_FLOOR_TIMES[large] / _FLOOR_TIMES[small]:5.2f}x"
        )


def county_data(
    assets: int = 10**4, households_per_village: int = 20
) -> list[tuple[list[RevenueEntry], list[Beneficiary]]]:
    """Revenue entries and payees of each asset (a village of 20 households + collective)."""
    rnd = random.Random(7)
    collective = Beneficiary.collective("C")
    data = []
    for a in range(assets):
        entries = [
            RevenueEntry(
                id=f"R{a}-{q}",
                asset_id=f"A{a}",
                kind=RevenueKind.ELECTRICITY_BENCHMARK,
                amount=Money(rnd.randint(1_000_000, 5_000_000)),
                period=Period.quarter(2024, q),
                received=date(2024, 3 * q, 28),
            )
            for q in (1, 2, 3, 4)
        ]
        people = [
            Beneficiary(
                id=f"V{a}H{h:02d}",
                kind=BeneficiaryKind.HOUSEHOLD,
                size=1 + h % 6,
                status=HouseholdStatus.LIFTED,
                labor_capacity=LaborCapacity.FULL,
                days_worked=rnd.randint(0, 200),
            )
            for h in range(households_per_village)
        ]
        data.append((entries, [*people, collective]))
    return data


def county_year(data: list[tuple[list[RevenueEntry], list[Beneficiary]]]) -> int:
    """Gross income, distributable income (O&M cap) and a 45/55 plan run for every asset."""
    year = Period.year(2024)
    plan = pv_collective_45_households_55("C")
    cap = om_cap_amount(300_000, "0.03")
    lines = 0
    for entries, payees in data:
        gross = income_in_period(entries, year)
        income = distributable_income(gross, [Deduction(DeductionKind.OPERATION_MAINTENANCE, cap)], om_cap=cap)
        result = run_plan(plan, income, payees, as_of=date(2024, 12, 31), period=year)
        lines += len(result.lines)
    return lines


def test_county_year(benchmark: Any) -> None:
    data = county_data()
    lines = benchmark.pedantic(county_year, args=(data,), rounds=1, iterations=1)
    seconds = benchmark.stats.stats.min
    assert lines > 10**4
    print(f"\ncounty year: 10,000 assets, {lines:,} lines in {seconds:.2f} s = {lines / seconds:,.0f} lines/s")
