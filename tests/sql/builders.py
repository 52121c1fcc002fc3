"""Small builders of domain values shared by the SQL tests (area codes of 会宁县 620422)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetRegistered,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    FundingSource,
    HouseholdStatus,
    OperationMode,
    PaymentFrequency,
)

TOWN_A = "620422100"  # a town of 会宁县 (township block 100)
TOWN_B = "620422200"
T0 = datetime(2024, 1, 5, 2, 30, 15, 123456, tzinfo=UTC)


def village(town: str = TOWN_A, n: int = 201) -> AdminCode:
    return AdminCode(f"{town}{n:03d}")


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def registered(
    asset_id: str,
    *,
    town: str = TOWN_A,
    fen: int = 851_650_000,
    minutes: int = 0,
    event_id: str | None = None,
) -> AssetRegistered:
    asset = Asset(
        id=AssetId(asset_id),
        name=f"光伏电站 {asset_id}",
        asset_class=AssetClass.OPERATING,
        kind=AssetKind.PV_STATION,
        location=village(town),
        original_value=Money(fen),
        funding=(
            FundingLine(FundingSource.SPECIAL_POVERTY_FUND, Money(fen - 1)),
            FundingLine(FundingSource.SOCIAL_DONATION, Money(1), "东西部协作捐赠"),
        ),
        project=Project(code="P2019-07", name="村级光伏扶贫电站", year=2019),
        capacity_kw=Decimal("300.50"),
        completed_on=date(2019, 6, 30),
    )
    extra = {"event_id": event_id} if event_id else {}
    return AssetRegistered(
        asset_id=AssetId(asset_id),
        effective=date(2019, 7, 1),
        recorded_at=at(minutes),
        asset=asset,
        **extra,
    )


def idle(asset_id: str, *, minutes: int = 1, on: date = date(2022, 3, 1)) -> StatusChanged:
    return StatusChanged(
        asset_id=AssetId(asset_id),
        effective=on,
        recorded_at=at(minutes),
        status=AssetStatus.IDLE,
        reason="设备故障",
    )


def back_in_use(asset_id: str, *, minutes: int = 2, on: date = date(2022, 9, 1)) -> StatusChanged:
    return StatusChanged(asset_id=AssetId(asset_id), effective=on, recorded_at=at(minutes), status=AssetStatus.IN_USE)


def owned(asset_id: str, *, minutes: int = 3) -> OwnershipConfirmed:
    return OwnershipConfirmed(
        asset_id=AssetId(asset_id),
        effective=date(2020, 1, 1),
        recorded_at=at(minutes),
        holders=(
            OwnerShare(PartyId("VC-201"), Fraction(2, 3)),
            OwnerShare(PartyId("VC-202"), Fraction(1, 3)),
        ),
        document="会政发〔2020〕12号",
    )


def kept(asset_id: str, *, minutes: int = 4) -> CustodianAssigned:
    return CustodianAssigned(
        asset_id=AssetId(asset_id),
        effective=date(2020, 1, 1),
        recorded_at=at(minutes),
        custodian=PartyId("VC-201"),
        method=CustodyMethod.PUBLIC_WELFARE_POST,
        upkeep_budget=Money(1_200_00),
    )


def leased(asset_id: str, *, minutes: int = 5) -> ContractSigned:
    return ContractSigned(
        asset_id=AssetId(asset_id),
        effective=date(2020, 1, 1),
        recorded_at=at(minutes),
        contract=OperatingContract(
            id=ContractId(f"C-{asset_id}"),
            asset_id=AssetId(asset_id),
            operator=PartyId("ENT-1"),
            mode=OperationMode.LEASE,
            term=Period(date(2020, 1, 1), date(2030, 1, 1)),
            terms=ContractTerms(
                guaranteed_return=GuaranteedReturn(
                    rate=Fraction(6, 100),
                    base=Money(851_650_000),
                    frequency=PaymentFrequency.QUARTERLY,
                ),
                advance=Money(10_000_00),
            ),
        ),
    )


def revalued(asset_id: str, *, minutes: int = 6) -> Revalued:
    return Revalued(
        asset_id=AssetId(asset_id),
        effective=date(2023, 12, 31),
        recorded_at=at(minutes),
        book_value=Money(600_000_01),
    )


def correction_of(event: StatusChanged, *, minutes: int = 7) -> Corrected:
    replacement = StatusChanged(
        asset_id=event.asset_id,
        effective=event.effective,
        recorded_at=at(minutes),
        status=AssetStatus.DAMAGED,
        reason="雹灾",
    )
    return Corrected(
        asset_id=event.asset_id,
        effective=event.effective,
        recorded_at=at(minutes),
        supersedes=event.event_id,
        replacement=replacement,
        reason="状态登记有误",
    )


def full_history(asset_id: str, *, town: str = TOWN_A) -> list:
    first = idle(asset_id)
    return [
        registered(asset_id, town=town),
        first,
        back_in_use(asset_id),
        owned(asset_id),
        kept(asset_id),
        leased(asset_id),
        revalued(asset_id),
        correction_of(first),
    ]


def collective(n: int = 201, town: str = TOWN_A) -> VillageCollective:
    return VillageCollective(id=PartyId(f"VC-{n}"), name=f"第{n}村股份经济合作社", admin_code=village(town, n))


def household(n: int = 1, town: str = TOWN_A) -> Household:
    return Household(
        id=PartyId(f"HH-{town}-{n:03d}"),
        name=f"农户{n}",
        admin_code=village(town),
        size=4,
        status=HouseholdStatus.LIFTED,
    )
