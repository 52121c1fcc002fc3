"""A synthetic province for audit benchmarks (合成省级台账).

Counties under 甘肃省 (62): prefecture and county codes are generated (6201xx…), each
county with towns 100–1xx and villages 201–2xx. About ten events per asset: registration,
ownership, custody, then status changes, revaluations, custody hand-overs and (for
operating assets) a contract. A few percent of assets carry a defect the catalogue
reports (no custodian, idle too long, funding off, duplicate, disposal without chain…).

Histories are built with ``AssetHistory(asset_id, events)`` directly — the generator
produces legal histories by construction, so the per-append validation of the API is
skipped to keep set-up time down.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import attrs

from assetreg.audit import AuditBooks
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractSigned,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, Party, PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
    ProfitShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    FloorSemantics,
    FundingSource,
    HouseholdStatus,
    OperationMode,
)
from assetreg.income import AllocationLine, BeneficiaryKind, Distribution, Payment, PaymentMethod, Purpose

try:
    from assetreg.income import RevenueEntry, RevenueKind
except ImportError:  # before the income engine lands: a stand-in of the same shape
    import enum

    class RevenueKind(enum.Enum):  # type: ignore[no-redef]
        ELECTRICITY_BENCHMARK = "electricity_benchmark"

    @attrs.frozen(kw_only=True)
    class RevenueEntry:  # type: ignore[no-redef]
        id: str
        asset_id: str
        kind: RevenueKind
        amount: Money
        period: Period
        received: date
        contract_id: str | None = None


AS_OF = date(2024, 12, 31)
ASSETS_PER_VILLAGE = 50
_BASE = datetime(2024, 1, 1, tzinfo=UTC)
_KINDS = (
    (AssetClass.PUBLIC_WELFARE, AssetKind.ROAD),
    (AssetClass.PUBLIC_WELFARE, AssetKind.WATER_SUPPLY),
    (AssetClass.PUBLIC_WELFARE, AssetKind.TOILET),
    (AssetClass.OPERATING, AssetKind.PV_STATION),
    (AssetClass.OPERATING, AssetKind.GREENHOUSE),
    (AssetClass.OPERATING, AssetKind.COLD_STORE),
    (AssetClass.HOUSEHOLD, AssetKind.LIVESTOCK),
)


def village_codes(n_villages: int) -> Iterator[str]:
    """12-digit village codes: 30 villages a town, 20 towns a county, 20 counties a prefecture."""
    for i in range(n_villages):
        village = 201 + i % 30
        town = 100 + (i // 30) % 20
        county = 1 + (i // 600) % 20
        prefecture = 1 + i // 12000
        yield f"62{prefecture:02d}{county:02d}{town:03d}{village:03d}"


class _Clock:
    def __init__(self) -> None:
        self.n = 0

    def tick(self) -> datetime:
        self.n += 1
        return _BASE + timedelta(microseconds=self.n)


def province(n_assets: int, *, seed: int = 7, with_income: bool = True) -> tuple[AuditBooks, int]:
    """Build books for ``n_assets`` assets; return them and the number of events."""
    rng = random.Random(seed)
    clock = _Clock()
    n_villages = max(1, n_assets // ASSETS_PER_VILLAGE)
    parties: dict[PartyId, Party] = {}
    histories: dict[AssetId, AssetHistory] = {}
    revenue: list[object] = []
    distributions: list[Distribution] = []
    payments: list[Payment] = []
    n_events = 0
    codes = list(village_codes(n_villages))
    for v, code in enumerate(codes):
        area = AdminCode(code)
        collective = VillageCollective(id=PartyId(f"VC{code}"), name=f"村集体{v}", admin_code=area)
        parties[collective.id] = collective
        households = [
            Household(
                id=PartyId(f"H{code}{h:02d}"),
                name=f"户{h}",
                admin_code=area,
                size=1 + h % 5,
                status=HouseholdStatus.LIFTED,
            )
            for h in range(4)
        ]
        for household in households:
            parties[household.id] = household
        start = v * ASSETS_PER_VILLAGE
        for a in range(start, min(start + ASSETS_PER_VILLAGE, n_assets)):
            events = _asset_events(rng, clock, a, area, collective.id, households[0].id)
            n_events += len(events)
            histories[events[0].asset_id] = AssetHistory(events[0].asset_id, events)
            asset = events[0].asset  # type: ignore[attr-defined]
            if with_income and asset.kind is AssetKind.PV_STATION:
                revenue.extend(_pv_revenue(rng, asset.id))
        if with_income:
            lines = tuple(
                AllocationLine(
                    tier="分红",
                    tier_index=0,
                    purpose=Purpose.HOUSEHOLD_DIVIDEND,
                    beneficiary_id=h.id,
                    beneficiary_kind=BeneficiaryKind.HOUSEHOLD,
                    beneficiary_name=h.name,
                    amount=Money(50_000),
                    base="net",
                    base_amount=Money(200_000),
                    rate=None,
                    tier_amount=Money(200_000),
                    share=Fraction(1, len(households)),
                    basis="",
                )
                for h in households
            )
            distribution = Distribution(
                id=f"D{code}",
                area=area,
                recorded_at=_BASE,
                plan_version_id=f"PLAN{code}",
                plan_id=f"PLAN{code}",
                period=Period.year(2023),
                gross=Money(200_000),
                pool=Money(200_000),
                as_of=date(2024, 6, 1),
                lines=lines,
            )
            distributions.append(distribution)
            payments.extend(
                Payment(
                    id=f"P{code}-{i}",
                    area=area,
                    recorded_at=_BASE,
                    distribution_id=distribution.id,
                    line_index=i,
                    beneficiary_id=line.beneficiary_id,
                    paid_on=date(2024, 6, 30),
                    amount=line.amount,
                    method=PaymentMethod.ONE_CARD,
                )
                for i, line in enumerate(lines)
            )
    register = AssetRegister(parties=parties, histories=histories)
    books = AuditBooks(
        register=register,
        revenue=revenue if with_income else None,
        distributions=distributions if with_income else None,
        notices=[] if with_income else None,
        payments=payments if with_income else None,
    )
    return books, n_events


def _pv_revenue(rng: random.Random, asset_id: str) -> list[object]:
    out = []
    quarters = 4 if rng.random() > 0.03 else 1  # ~3 % stop earning early in 2024 (AUD-605)
    for q in range(1, quarters + 1):
        period = Period.quarter(2024, q)
        out.append(
            RevenueEntry(
                id=f"{asset_id}-Q{q}",
                asset_id=asset_id,
                kind=RevenueKind.ELECTRICITY_BENCHMARK,
                amount=Money(3_000_000),
                period=period,
                received=period.end,
            )
        )
    return out


def _asset_events(
    rng: random.Random,
    clock: _Clock,
    n: int,
    area: AdminCode,
    collective: PartyId,
    household: PartyId,
) -> list[AssetEvent]:
    asset_class, kind = _KINDS[n % len(_KINDS)]
    aid = AssetId(f"A{n:08d}")
    value = Money(rng.randrange(1_000_000, 500_000_000))
    defect = rng.random()
    funding_value = value if defect > 0.01 else value + Money(100)  # 1 %: funding off (AUD-301)
    name = f"资产{n}" if defect > 0.005 or n == 0 else f"资产{n - 1}"
    asset = Asset(
        id=aid,
        name=name,
        asset_class=asset_class,
        kind=kind,
        location=area,
        original_value=value,
        funding=(FundingLine(FundingSource.LINKAGE_FUND, funding_value),),
        project=Project(code=f"P{n // 3}", name="项目", year=2016 + n % 8),
        capacity_kw=Decimal(300) if kind is AssetKind.PV_STATION else None,
    )
    day = date(2018, 1, 1) + timedelta(days=n % 1000)
    events: list[AssetEvent] = [
        AssetRegistered(
            asset_id=aid,
            effective=day,
            recorded_at=clock.tick(),
            event_id=EventId(f"{aid}-0"),
            asset=asset,
        )
    ]

    def ev(cls: type[AssetEvent], on: date, **fields: object) -> None:
        events.append(
            cls(
                asset_id=aid,
                effective=on,
                recorded_at=clock.tick(),
                event_id=EventId(f"{aid}-{len(events)}"),
                **fields,
            )
        )

    owner = household if asset_class is AssetClass.HOUSEHOLD else collective
    ev(OwnershipConfirmed, day, holders=(OwnerShare(owner, 1),))
    if asset_class is not AssetClass.HOUSEHOLD and defect > 0.02:  # 2 %: no custodian (AUD-101)
        ev(CustodianAssigned, day, custodian=collective, method=CustodyMethod.VILLAGE_COLLECTIVE)
    if asset_class is AssetClass.OPERATING:
        # profit share only (no fixed dues); 1 % of greenhouses carry a floor nobody paid (AUD-606)
        floor = GuaranteedReturn(rate="6%", base=value) if kind is AssetKind.GREENHOUSE and defect < 0.01 else None
        terms = ContractTerms(
            guaranteed_return=floor, profit_share=ProfitShare(rate="1/2", semantics=FloorSemantics.ADD)
        )
        ev(
            ContractSigned,
            day,
            contract=OperatingContract(
                id=ContractId(f"C{aid}"),
                asset_id=aid,
                operator=collective,
                mode=OperationMode.LEASE,
                term=Period(day, date(day.year + 10, 1, 1)),
                terms=terms,
            ),
        )
    cursor = day
    while len(events) < 9:
        cursor += timedelta(days=rng.randrange(30, 120))
        ev(StatusChanged, cursor, status=AssetStatus.IDLE)
        cursor += timedelta(days=rng.randrange(10, 60))
        ev(StatusChanged, cursor, status=AssetStatus.IN_USE)
        if len(events) < 9:
            ev(Revalued, cursor, book_value=value)
    if defect > 0.97:  # 3 %: idle since early 2024 (AUD-501)
        ev(StatusChanged, date(2024, 2, 1), status=AssetStatus.IDLE)
    else:
        ev(Revalued, max(cursor, date(2024, 1, 1)), book_value=value)
    return events
