"""Benchmarks of depreciation (run explicitly; the normal test run ignores tests/bench).

    python -m pytest tests/bench/test_bench_depreciation.py --benchmark-enable -s -o addopts=

1. ``book_values`` for 10^4 assets of mixed kinds and entry dates (the year-end 净值 of a
   county register).
2. ``depreciation_schedule`` of one 20-year road (240 monthly rows).

Figures are printed (assets or rows per second); timings never fail.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.depreciation import book_values, depreciation_schedule, plan_for
from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.vocab import AssetClass, AssetForm, AssetKind

KINDS = (AssetKind.ROAD, AssetKind.PV_STATION, AssetKind.GREENHOUSE, AssetKind.EQUIPMENT, AssetKind.LIVESTOCK)


def _assets(n: int) -> list[Asset]:
    rng = random.Random(13)
    return [
        Asset(
            id=AssetId(f"A{i:06d}"),
            name="资产",
            asset_class=AssetClass.OPERATING,
            form=AssetForm.BIOLOGICAL if kind is AssetKind.LIVESTOCK else AssetForm.FIXED,
            kind=kind,
            location=AdminCode("620422100201"),
            original_value=Money(rng.randrange(50_000, 500_000_000)),
            handed_over_on=date(2013, 1, 1) + timedelta(days=rng.randrange(4000)),
        )
        for i, kind in ((i, KINDS[i % len(KINDS)]) for i in range(n))
    ]


def test_book_values_of_a_county(benchmark: Any) -> None:
    assets = _assets(10_000)

    def run() -> int:
        return sum(book_values(a, NATIONAL_2021, as_of=date(2024, 12, 31)).net_book_value.fen for a in assets)

    total = benchmark.pedantic(run, rounds=3, iterations=1)
    assert total > 0
    best = benchmark.stats.stats.min
    print(f"\nbook_values: {len(assets) / best:,.0f} assets/s ({best * 1e6 / len(assets):.0f} µs per asset)")


def test_schedule_of_a_road(benchmark: Any) -> None:
    road = _assets(1)[0]
    plan = plan_for(road, NATIONAL_2021)

    def run() -> int:
        return len(
            depreciation_schedule(road.original_value, plan, in_service=date(2020, 3, 5), until=date(2100, 1, 1))
        )

    rows = benchmark.pedantic(run, rounds=20, iterations=1)
    best = benchmark.stats.stats.min
    print(f"\ndepreciation_schedule: {rows} rows in {best * 1e3:.2f} ms ({rows / best:,.0f} rows/s)")
