"""Shared builders for the domain tests: Baiyin area codes, parties, assets, instants.

Area codes: the county and township codes below are real, copied from
github.com/modood/Administrative-divisions-of-China (commit 57a0aa9c, dist/areas.csv and
dist/streets.csv) as listed in the project's shared Baiyin code table. The 3-digit village
suffixes (201, 203, 205, …) are INVENTED: no real village codes for these townships were
found, so the 12-digit village codes are well-formed but made up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import AssetRegistered, EventId
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId, Township, VillageCollective
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    FundingSource,
    HouseholdStatus,
)

# Real codes (source above).
BAIYIN = "6204"  # 白银市
HUINING = "620422"  # 会宁县
JINGYUAN = "620421"  # 靖远县
HUISHI = "620422100"  # 会宁县 会师镇
GUOCHENGYI = "620422101"  # 会宁县 郭城驿镇
HEPAN = "620422102"  # 会宁县 河畔镇
BEIWAN = "620421101"  # 靖远县 北湾镇

# Invented village suffixes under the real townships (see the module docstring).
VILLAGE_HUISHI = AdminCode(HUISHI + "201")
VILLAGE_GUOCHENGYI = AdminCode(GUOCHENGYI + "203")
VILLAGE_HEPAN = AdminCode(HEPAN + "205")
VILLAGE_BEIWAN = AdminCode(BEIWAN + "207")

VC_HUISHI = PartyId("VC-HS")
VC_GUOCHENGYI = PartyId("VC-GCY")
VC_HEPAN = PartyId("VC-HP")
VC_BEIWAN = PartyId("VC-BW")
TOWNSHIP_HUISHI = PartyId("TS-HS")
HH_A = PartyId("HH-A")


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """An aware UTC instant."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def villages() -> list[VillageCollective]:
    """Three village collectives of 会宁县 and one of 靖远县."""
    return [
        VillageCollective(id=VC_HUISHI, name="会师镇某村股份经济合作社", admin_code=VILLAGE_HUISHI),
        VillageCollective(id=VC_GUOCHENGYI, name="郭城驿镇某村股份经济合作社", admin_code=VILLAGE_GUOCHENGYI),
        VillageCollective(id=VC_HEPAN, name="河畔镇某村股份经济合作社", admin_code=VILLAGE_HEPAN),
        VillageCollective(id=VC_BEIWAN, name="北湾镇某村股份经济合作社", admin_code=VILLAGE_BEIWAN),
    ]


def township() -> Township:
    """The 会师镇 government."""
    return Township(id=TOWNSHIP_HUISHI, name="会师镇人民政府", admin_code=AdminCode(HUISHI))


def household() -> Household:
    """A lifted household of 4 in the 会师镇 village (placeholder name)."""
    return Household(id=HH_A, name="农户A", admin_code=VILLAGE_HUISHI, size=4, status=HouseholdStatus.LIFTED)


def pv_asset(
    asset_id: str = "HN-PV-001",
    *,
    location: AdminCode = VILLAGE_HUISHI,
    value: Money | None = None,
    funding: tuple[FundingLine, ...] | None = None,
    year: int = 2018,
) -> Asset:
    """A 300 kW village PV station worth 851.65 万元, fully funded by special poverty funds."""
    original = Money.wan("851.65") if value is None else value
    lines = (FundingLine(FundingSource.SPECIAL_POVERTY_FUND, original),) if funding is None else funding
    return Asset(
        id=AssetId(asset_id),
        name="村级光伏电站",
        asset_class=AssetClass.OPERATING,
        form=AssetForm.FIXED,
        kind=AssetKind.PV_STATION,
        location=location,
        original_value=original,
        funding=lines,
        project=Project(code=f"P-{asset_id}", name="光伏扶贫项目", year=year),
        capacity_kw=Decimal(300),
    )


def simple_asset(
    asset_id: str,
    asset_class: AssetClass,
    kind: AssetKind,
    *,
    location: AdminCode = VILLAGE_HUISHI,
    fen: int = 1_000_000,
) -> Asset:
    """An asset of the given class and kind without funding lines."""
    return Asset(
        id=AssetId(asset_id),
        name=f"{kind.value} {asset_id}",
        asset_class=asset_class,
        kind=kind,
        location=location,
        original_value=Money(fen),
    )


def registered(
    asset: Asset,
    *,
    effective: date = date(2019, 1, 1),
    recorded: datetime | None = None,
    status: AssetStatus = AssetStatus.IN_USE,
    event_id: str | None = None,
) -> AssetRegistered:
    """The registration event of ``asset``."""
    return AssetRegistered(
        asset_id=asset.id,
        effective=effective,
        recorded_at=recorded or at(effective.year, effective.month, effective.day, 1),
        event_id=EventId(event_id or f"reg-{asset.id}"),
        asset=asset,
        status=status,
    )
