"""Benchmarks of the JSON payloads: a county-sized register dumped and loaded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from assetreg.adapters.serde import dumps, loads
from assetreg.domain.assets import Asset, AssetId, FundingLine
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
    Revalued,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId, VillageCollective
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import AssetClass, AssetKind, CustodyMethod, FundingSource

ASSETS = 1000


def county_register(n: int = ASSETS) -> AssetRegister:
    villages = [
        VillageCollective(id=PartyId(f"V{i}"), name=f"村{i}", admin_code=AdminCode(f"620422100{200 + i:03d}"))
        for i in range(20)
    ]
    start = datetime(2021, 3, 1, tzinfo=UTC)
    events: list[AssetEvent] = []
    for i in range(n):
        aid = AssetId(f"620422-{i:05d}")
        value = Money(1_000_000 + 37 * i)
        asset = Asset(
            id=aid,
            name=f"资产{i}",
            asset_class=AssetClass.PUBLIC_WELFARE,
            kind=AssetKind.ROAD,
            location=villages[i % 20].admin_code,
            original_value=value,
            funding=(FundingLine(FundingSource.LINKAGE_FUND, value),),
        )
        base: dict[str, Any] = {"asset_id": aid, "effective": date(2020, 1, 1)}
        t = start + timedelta(seconds=i, microseconds=i)
        events += [
            AssetRegistered(asset=asset, recorded_at=t, event_id=EventId(f"{aid}-1"), **base),
            OwnershipConfirmed(
                holders=(
                    OwnerShare(villages[i % 20].id, Fraction(1, 3)),
                    OwnerShare(villages[(i + 1) % 20].id, Fraction(2, 3)),
                ),
                recorded_at=t,
                event_id=EventId(f"{aid}-2"),
                **base,
            ),
            CustodianAssigned(
                custodian=villages[i % 20].id,
                method=CustodyMethod.VILLAGE_COLLECTIVE,
                recorded_at=t,
                event_id=EventId(f"{aid}-3"),
                **base,
            ),
            Revalued(book_value=Money(900_000), recorded_at=t, event_id=EventId(f"{aid}-4"), **base),
        ]
    return AssetRegister.of(villages, events)


@pytest.fixture(scope="module")
def register() -> AssetRegister:
    return county_register()


def test_dump_register(benchmark: Any, register: AssetRegister) -> None:
    text = benchmark(dumps, register)
    print(f"\n{ASSETS} assets, {4 * ASSETS} events: {len(text.encode()) / 1e6:.2f} MB of JSON")


def test_load_register(benchmark: Any, register: AssetRegister) -> None:
    text = dumps(register)
    loaded = benchmark(loads, text, "register")
    assert loaded == register
