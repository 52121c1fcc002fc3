"""Property: any register written through SQL reads back equal, to the fen and the microsecond."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import hypothesis.strategies as st
from builders import TOWN_A, TOWN_B
from hypothesis import HealthCheck, given, reject, settings

from assetreg.adapters.sql import SqlUnitOfWork, bulk_load
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode, ResidentId
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
)
from assetreg.domain.history import ALLOWED_TRANSITIONS
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    FundingSource,
    HouseholdStatus,
    LaborCapacity,
    MonitorType,
    OperationMode,
    PaymentFrequency,
)
from assetreg.errors import AssetRegError
from backends import clear, stored_rows

TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(str.strip)
FEN = st.integers(0, 10**14)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
PARTY_IDS = [PartyId(f"P{n}") for n in range(4)]
LIVE = [s for s in AssetStatus if s not in {AssetStatus.DISPOSAL_APPROVED, AssetStatus.DISPOSED}]


def _area(draw: st.DrawFn) -> AdminCode:
    return AdminCode(draw(st.sampled_from([TOWN_A, TOWN_B])) + f"{draw(st.integers(201, 203)):03d}")


@st.composite
def parties(draw: st.DrawFn) -> list:
    out = []
    for pid in PARTY_IDS:
        if draw(st.booleans()):
            out.append(VillageCollective(id=pid, name=draw(TEXT), admin_code=_area(draw)))
            continue
        status = draw(st.sampled_from(HouseholdStatus))
        out.append(
            Household(
                id=pid,
                name=draw(TEXT),
                admin_code=_area(draw),
                size=draw(st.integers(1, 12)),
                status=status,
                monitor_type=draw(st.sampled_from(MonitorType)) if status is HouseholdStatus.MONITORED else None,
                labor_capacity=draw(st.sampled_from(LaborCapacity)),
                head_resident_id=draw(st.sampled_from([None, ResidentId("11010519491231002X")])),
            )
        )
    return out


@st.composite
def histories(draw: st.DrawFn, asset_id: str) -> list[AssetEvent]:
    aid = AssetId(asset_id)
    clock = draw(st.datetimes(datetime(2019, 1, 1), datetime(2025, 1, 1))).replace(tzinfo=UTC)  # noqa: DTZ001
    day = draw(st.dates(date(2010, 1, 1), date(2020, 1, 1)))

    def step() -> tuple[date, datetime]:
        nonlocal clock, day
        clock += timedelta(microseconds=draw(st.integers(0, 10**11)))
        day += timedelta(days=draw(st.integers(0, 400)))
        return day, clock.astimezone(draw(ZONES))

    value = draw(FEN)
    cuts = sorted(draw(st.lists(st.integers(0, value), max_size=2)))
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, value], strict=True)]
    asset_class = draw(st.sampled_from(AssetClass))
    asset = Asset(
        id=aid,
        name=draw(TEXT),
        asset_class=asset_class,
        form=draw(st.sampled_from(AssetForm)),
        kind=draw(st.sampled_from(AssetKind)),
        location=_area(draw),
        original_value=Money(value),
        funding=tuple(
            FundingLine(draw(st.sampled_from(FundingSource)), Money(a), draw(st.none() | TEXT)) for a in amounts
        )
        if draw(st.booleans())
        else (),
        project=draw(st.none() | st.builds(Project, code=TEXT, name=TEXT, year=st.none() | st.integers(2013, 2025))),
        quantity=draw(st.none() | st.decimals(0, 10**6, places=3)),
        unit=draw(st.none() | TEXT),
        capacity_kw=draw(st.none() | st.decimals(0, 10**4, places=2)),
        completed_on=draw(st.none() | st.dates(date(2010, 1, 1), date(2020, 1, 1))),
        note=draw(st.none() | TEXT),
    )
    status = draw(st.sampled_from([AssetStatus.PLANNED, AssetStatus.COMPLETED, AssetStatus.IN_USE]))
    on, at = step()
    events: list[AssetEvent] = [AssetRegistered(asset_id=aid, effective=on, recorded_at=at, asset=asset, status=status)]
    for n in range(draw(st.integers(0, 6))):
        on, at = step()
        choice = draw(st.sampled_from(["status", "owners", "custody", "contract", "revalue", "correct"]))
        if choice == "status":
            targets = [s for s in ALLOWED_TRANSITIONS[status] if s in LIVE]
            status = draw(st.sampled_from(targets))
            events.append(
                StatusChanged(
                    asset_id=aid,
                    effective=on,
                    recorded_at=at,
                    status=status,
                    reason=draw(st.none() | TEXT),
                )
            )
        elif choice == "owners":
            holders = draw(st.lists(st.sampled_from(PARTY_IDS), min_size=1, max_size=3, unique=True))
            weights = [draw(st.integers(1, 97)) for _ in holders]
            shares = [Fraction(w, sum(weights)) for w in weights]
            events.append(
                OwnershipConfirmed(
                    asset_id=aid,
                    effective=on,
                    recorded_at=at,
                    holders=tuple(OwnerShare(h, s) for h, s in zip(holders, shares, strict=True)),
                    document=draw(st.none() | TEXT),
                )
            )
        elif choice == "custody":
            events.append(
                CustodianAssigned(
                    asset_id=aid,
                    effective=on,
                    recorded_at=at,
                    custodian=draw(st.sampled_from(PARTY_IDS)),
                    method=draw(st.sampled_from(CustodyMethod)),
                    valid_to=draw(st.none() | st.just(on + timedelta(days=365))),
                    upkeep_budget=draw(st.none() | FEN.map(Money)),
                )
            )
        elif choice == "contract" and asset_class is AssetClass.OPERATING:
            rate = draw(st.none() | st.fractions(0, 1, max_denominator=1000))
            floor = (
                GuaranteedReturn(rate=rate, base=Money(value), frequency=draw(st.sampled_from(PaymentFrequency)))
                if rate is not None
                else GuaranteedReturn(amount=draw(FEN.map(Money)))
            )
            events.append(
                ContractSigned(
                    asset_id=aid,
                    effective=on,
                    recorded_at=at,
                    contract=OperatingContract(
                        id=ContractId(f"{asset_id}-C{n}"),
                        asset_id=aid,
                        operator=draw(st.sampled_from(PARTY_IDS)),
                        mode=draw(st.sampled_from(OperationMode)),
                        term=Period(on, on + timedelta(days=draw(st.integers(1, 3650)))),
                        terms=ContractTerms(fixed_rent=draw(st.none() | FEN.map(Money)), guaranteed_return=floor),
                    ),
                )
            )
        elif choice == "revalue":
            events.append(Revalued(asset_id=aid, effective=on, recorded_at=at, book_value=draw(FEN.map(Money))))
        elif choice == "correct":
            target = draw(st.sampled_from(events[1:])) if len(events) > 1 else None
            if isinstance(target, Revalued | OwnershipConfirmed | CustodianAssigned):
                replacement = draw(
                    st.none()
                    | st.just(
                        Revalued(
                            asset_id=aid,
                            effective=target.effective,
                            recorded_at=at,
                            book_value=Money(value),
                        )
                    )
                )
                events.append(
                    Corrected(
                        asset_id=aid,
                        effective=target.effective,
                        recorded_at=at,
                        supersedes=target.event_id,
                        replacement=replacement,
                        reason=draw(st.none() | TEXT),
                    )
                )
    return events


@st.composite
def registers(draw: st.DrawFn) -> AssetRegister:
    events = []
    for n in range(draw(st.integers(1, 3))):
        events.extend(draw(histories(f"A{n}")))
    try:
        return AssetRegister.of(parties=draw(parties()), events=events)
    except AssetRegError:
        reject()


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(register=registers())
def test_register_round_trips_through_the_unit_of_work(sql_engine, register):
    clear(sql_engine)
    with SqlUnitOfWork(sql_engine) as uow:
        uow.save_register(register)
        uow.commit()
    with SqlUnitOfWork(sql_engine) as uow:
        loaded = uow.load_register()
    assert loaded == register
    for aid in register:
        assert [e.recorded_at for e in loaded.history(aid)] == [e.recorded_at for e in register.history(aid)]


@SETTINGS
@given(register=registers())
def test_register_round_trips_through_bulk_load(sql_engine, register):
    clear(sql_engine)
    bulk_load(sql_engine, register, batch_size=4)
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.load_register() == register
        for aid in register:
            assert uow.assets.get(aid) == register.history(aid)


@SETTINGS
@given(register=registers())
def test_bulk_load_stores_the_same_rows_as_the_unit_of_work(sql_engine, register):
    clear(sql_engine)
    with SqlUnitOfWork(sql_engine) as uow:
        uow.save_register(register)
        uow.commit()
    saved = stored_rows(sql_engine)
    clear(sql_engine)
    bulk_load(sql_engine, register, batch_size=3)
    assert stored_rows(sql_engine) == saved
