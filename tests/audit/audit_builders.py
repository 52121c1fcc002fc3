"""Builders for audit tests.

Area codes: 会宁县 620422 and its town 会师镇 620422100 are real (statistical area codes,
github:modood/Administrative-divisions-of-China@57a0aa9 dist/streets.csv); the village
blocks under it (…201, …202) are made up for the tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractSigned,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.rights import ContractId, ContractTerms, OperatingContract, OwnerShare
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    CustodyMethod,
    FundingSource,
    HouseholdStatus,
    OperationMode,
)

VILLAGE_A = AdminCode("620422100201")
VILLAGE_B = AdminCode("620422100202")
AS_OF = date(2024, 12, 31)
POLICY = NATIONAL_2021

_ids = count(1)
TEN_YEARS = Period(date(2021, 1, 1), date(2031, 1, 1))


_BASE = datetime(2025, 1, 1, tzinfo=UTC)


def at(day: date) -> datetime:
    """A recorded_at instant: strictly increasing over the whole run (the register
    learns forward); ``day`` is kept for readability of call sites."""
    del day
    return _BASE + timedelta(seconds=next(_ids))


def eid() -> EventId:
    return EventId(f"e{next(_ids):08d}")


COLLECTIVE_A = VillageCollective(id=PartyId("VC-A"), name="A村股份经济合作社", admin_code=VILLAGE_A)
COLLECTIVE_B = VillageCollective(id=PartyId("VC-B"), name="B村股份经济合作社", admin_code=VILLAGE_B)
HOUSEHOLD_1 = Household(id=PartyId("H-1"), name="农户A", admin_code=VILLAGE_A, size=4, status=HouseholdStatus.LIFTED)
HOUSEHOLD_2 = Household(id=PartyId("H-2"), name="农户B", admin_code=VILLAGE_A, size=2, status=HouseholdStatus.LIFTED)
PARTIES = (COLLECTIVE_A, COLLECTIVE_B, HOUSEHOLD_1, HOUSEHOLD_2)


def make_asset(asset_id: str = "A-1", **overrides: Any) -> Asset:
    value = overrides.pop("original_value", Money.yuan("100000"))
    fields: dict[str, Any] = {
        "id": AssetId(asset_id),
        "name": overrides.pop("name", f"资产{asset_id}"),
        "asset_class": AssetClass.PUBLIC_WELFARE,
        "kind": AssetKind.ROAD,
        "location": VILLAGE_A,
        "original_value": value,
        "funding": (FundingLine(FundingSource.LINKAGE_FUND, value),),
        "project": Project(code=f"P-{asset_id}", name="项目", year=2020),
    }
    fields.update(overrides)
    return Asset(**fields)


def registered(asset: Asset, on: date = date(2021, 1, 1), **kw: Any) -> AssetRegistered:
    return AssetRegistered(asset_id=asset.id, effective=on, recorded_at=at(on), event_id=eid(), asset=asset, **kw)


def owned(asset_id: str, holder: str = "VC-A", on: date = date(2021, 1, 1)) -> OwnershipConfirmed:
    return OwnershipConfirmed(
        asset_id=AssetId(asset_id),
        effective=on,
        recorded_at=at(on),
        event_id=eid(),
        holders=(OwnerShare(PartyId(holder), 1),),
    )


def kept(asset_id: str, custodian: str = "VC-A", on: date = date(2021, 1, 1), **kw: Any) -> CustodianAssigned:
    return CustodianAssigned(
        asset_id=AssetId(asset_id),
        effective=on,
        recorded_at=at(on),
        event_id=eid(),
        custodian=PartyId(custodian),
        method=kw.pop("method", CustodyMethod.VILLAGE_COLLECTIVE),
        **kw,
    )


def contract(
    asset_id: str,
    cid: str = "C-1",
    *,
    term: Period = TEN_YEARS,
    terms: ContractTerms | None = None,
    on: date | None = None,
    operator: str = "VC-A",
) -> ContractSigned:
    signed = on or term.start
    return ContractSigned(
        asset_id=AssetId(asset_id),
        effective=signed,
        recorded_at=at(signed),
        event_id=eid(),
        contract=OperatingContract(
            id=ContractId(cid),
            asset_id=AssetId(asset_id),
            operator=PartyId(operator),
            mode=OperationMode.LEASE,
            term=term,
            terms=terms if terms is not None else ContractTerms(fixed_rent=Money.yuan("5000")),
        ),
    )


def good_road(asset_id: str = "A-1", **overrides: Any) -> list[AssetEvent]:
    """A public-welfare road in use, owned and kept by the village collective."""
    asset = make_asset(asset_id, **overrides)
    return [registered(asset), owned(asset_id), kept(asset_id)]


def good_pv(asset_id: str = "PV-1", **overrides: Any) -> list[AssetEvent]:
    """An operating PV station in use with owner, custodian and a live lease."""
    fields: dict[str, Any] = {
        "asset_class": AssetClass.OPERATING,
        "kind": AssetKind.PV_STATION,
        "capacity_kw": Decimal(300),
    }
    fields.update(overrides)
    asset = make_asset(asset_id, **fields)
    return [
        registered(asset),
        owned(asset_id),
        kept(asset_id, method=CustodyMethod.OPERATOR),
        contract(asset_id, f"C-{asset_id}"),
    ]
