"""The write commands and the referential checks on every backend (memory, SQLite, PostgreSQL, MariaDB).

Written as a county service would use them: one unit of work per request, a clock
injected, every refusal an AssetRegError with a category. Area codes are of 会宁县
(620422, township block 100 = 会师镇); the village suffixes are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.adapters.clock import FixedClock, SystemClock
from assetreg.audit import run_checks
from assetreg.domain.assets import Asset, AssetId, FundingLine
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    Approval,
    AssetRegistered,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
    StatusChanged,
    UsageRecorded,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import Enterprise, PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import ContractId, OperatingContract, OwnerShare
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    FundingSource,
    OperationMode,
)
from assetreg.errors import (
    AlreadyRegistered,
    ConcurrencyError,
    DuplicateRecord,
    HistoryError,
    IllegalTransition,
    InvalidPeriod,
    LostRace,
    UnknownAsset,
    UnknownReference,
)
from assetreg.income.revenue import RevenueEntry, RevenueKind
from assetreg.ports import Clock
from assetreg.services.commands import (
    Written,
    approve_disposal,
    assign_custodian,
    change_status,
    confirm_ownership,
    correct,
    dispose,
    end_contract,
    end_custody,
    hand_over,
    record_event,
    record_revenue,
    register_asset,
    revalue,
    sign_contract,
)

T0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
PV = AssetId("HN-PV-001")
VC1 = PartyId("VC-201")
VC2 = PartyId("VC-202")
ENT = PartyId("ENT-1")


def village(n: int) -> AdminCode:
    return AdminCode(f"620422100{n:03d}")


def parties() -> list:
    return [
        VillageCollective(id=VC1, name="第201村股份经济合作社", admin_code=village(201)),
        VillageCollective(id=VC2, name="第202村股份经济合作社", admin_code=village(202)),
        Enterprise(id=ENT, name="某光伏运维公司", admin_code=AdminCode("620422000000")),
    ]


def pv(asset_id: AssetId = PV, fen: int = 851_650_000) -> Asset:
    return Asset(
        id=asset_id,
        name="村级光伏扶贫电站",
        asset_class=AssetClass.OPERATING,
        kind=AssetKind.PV_STATION,
        location=village(201),
        original_value=Money(fen),
        funding=(FundingLine(FundingSource.SPECIAL_POVERTY_FUND, Money(fen)),),
        completed_on=date(2019, 6, 30),
    )


def clock() -> FixedClock:
    return FixedClock(T0, step=timedelta(minutes=1))


def with_parties(store) -> None:
    with store.uow() as uow:
        for party in parties():
            uow.parties.put(party)
        uow.commit()


def test_the_clock_protocol_and_clocks() -> None:
    fixed = clock()
    assert isinstance(fixed, Clock)
    assert isinstance(SystemClock(), Clock)
    assert [fixed.now(), fixed.now()] == [T0, T0 + timedelta(minutes=1)]
    fixed.set(T0)
    fixed.advance(timedelta(hours=1))
    assert fixed.now() == T0 + timedelta(hours=1)
    assert SystemClock().now().tzinfo is UTC
    with pytest.raises(InvalidPeriod) as info:
        FixedClock(datetime(2025, 3, 1))  # noqa: DTZ001 - naive on purpose
    assert (info.value.code, info.value.field) == ("AR-104", "at")


def test_a_lifecycle_one_call_per_change(store) -> None:
    with_parties(store)
    tick = clock()
    with store.uow() as uow:
        written = register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
    assert isinstance(written, Written)
    assert (written.version, written.new, written.event.recorded_at) == (1, True, T0)
    assert isinstance(written.event, AssetRegistered)
    steps = []
    with store.uow() as uow:
        steps.append(
            confirm_ownership(
                uow,
                PV,
                [OwnerShare(VC1, Fraction(2, 3)), OwnerShare(VC2, Fraction(1, 3))],
                effective=date(2020, 1, 1),
                clock=tick,
                document="会政发〔2020〕12号",
            )
        )
        steps.append(
            assign_custodian(
                uow,
                PV,
                VC1,
                method=CustodyMethod.PUBLIC_WELFARE_POST,
                effective=date(2020, 1, 1),
                clock=tick,
                upkeep_budget=Money(1_200_00),
            )
        )
        contract = OperatingContract(
            id=ContractId("C-1"),
            asset_id=PV,
            operator=ENT,
            mode=OperationMode.LEASE,
            term=Period(date(2020, 1, 1), date(2030, 1, 1)),
        )
        steps.append(sign_contract(uow, contract, effective=date(2020, 1, 1), clock=tick))
        steps.append(change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick, reason="故障"))
        steps.append(change_status(uow, PV, AssetStatus.IN_USE, effective=date(2022, 9, 1), clock=tick))
        steps.append(end_contract(uow, PV, ContractId("C-1"), effective=date(2023, 1, 1), clock=tick))
        steps.append(end_custody(uow, PV, effective=date(2023, 6, 1), clock=tick))
        steps.append(revalue(uow, PV, Money(600_000_01), effective=date(2023, 12, 31), clock=tick))
    assert [s.version for s in steps] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert [s.event.recorded_at for s in steps] == [T0 + timedelta(minutes=n) for n in range(1, 9)]
    with store.uow() as uow:
        history = uow.assets.get(PV)
    assert list(history.events[1:]) == [s.event for s in steps]  # what the commands returned is what is stored
    state = history.state(as_of=date(2024, 1, 1))
    assert state.owners == (VC1, VC2)
    assert state.custodian is None
    assert state.operators == ()
    assert state.book_value == Money(600_000_01)
    with store.uow() as uow:
        approved = approve_disposal(
            uow,
            PV,
            method=DisposalMethod.SCRAP,
            trigger=DisposalTrigger.END_OF_LIFE,
            effective=date(2024, 6, 1),
            clock=tick,
            approvals=[Approval(level="township", body="会师镇人民政府", approved_on=date(2024, 5, 20))],
        )
        done = dispose(
            uow,
            PV,
            method=DisposalMethod.SCRAP,
            proceeds=Money(12_000_00),
            proceeds_to=VC1,
            effective=date(2024, 7, 1),
            clock=tick,
        )
    assert (approved.version, done.version) == (10, 11)
    with store.uow() as uow:
        assert uow.assets.get(PV).state(as_of=date(2024, 7, 1)).status is AssetStatus.DISPOSED


def test_commit_false_puts_several_commands_in_one_transaction(store) -> None:
    with_parties(store)
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick, commit=False)
        confirm_ownership(uow, PV, [OwnerShare(VC1, Fraction(1))], effective=date(2020, 1, 1), clock=tick, commit=False)
        uow.rollback()
        assert uow.assets.ids() == []
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick, commit=False)
        written = change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick, commit=False)
        uow.commit()
    assert written.version == 2
    with store.uow() as uow:
        assert uow.assets.get(PV).version == 2


def test_registering_twice_is_already_registered_not_a_version_conflict(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
    with store.uow() as uow:
        with pytest.raises(AlreadyRegistered) as info:
            register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        assert (info.value.code, info.value.category.value, info.value.record, info.value.actual) == (
            "AR-209",
            "conflict",
            PV,
            1,
        )
        # the same through the repository: a registration appended at version 0 again
        again = AssetRegistered(asset_id=PV, effective=date(2019, 7, 1), recorded_at=tick.now(), asset=pv())
        with pytest.raises(AlreadyRegistered):
            uow.assets.append(PV, [again], expected_version=0)
    with store.uow() as uow:
        assert uow.assets.get(PV).version == 1


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick)
    with store.uow() as uow:
        with pytest.raises(ConcurrencyError) as info:
            change_status(uow, PV, AssetStatus.IN_USE, effective=date(2022, 9, 1), clock=tick, expected_version=1)
        assert not isinstance(info.value, LostRace)
        assert (info.value.code, info.value.category.value, info.value.expected, info.value.actual) == (
            "AR-501",
            "conflict",
            1,
            2,
        )
        json.dumps(info.value.as_dict())
        assert change_status(
            uow, PV, AssetStatus.IN_USE, effective=date(2022, 9, 1), clock=tick, expected_version=2
        ).version == (3)


class _Meddler:
    """A clock that lets another writer commit between the command's read and its write."""

    def __init__(self, store, inner: FixedClock) -> None:
        self.store = store
        self.inner = inner
        self.done = False

    def now(self) -> datetime:
        if not self.done:
            self.done = True
            with self.store.uow() as other:
                change_status(other, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=self.inner)
        return self.inner.now()


def test_a_race_lost_between_read_and_write_is_lost_race_with_both_versions(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
    with store.uow() as uow:
        with pytest.raises(LostRace) as info:
            revalue(uow, PV, Money(700_000_00), effective=date(2023, 12, 31), clock=_Meddler(store, tick))
        lost = info.value
        assert (lost.code, lost.category.value, lost.record, lost.expected, lost.actual) == (
            "AR-503",
            "conflict",
            PV,
            1,
            2,
        )
        assert "it is now at version 2" in lost.message_en
        assert "当前版本为 2" in lost.message_zh
        assert isinstance(lost, ConcurrencyError)
    with store.uow() as uow:
        history = uow.assets.get(PV)
    assert [e.kind for e in history.events] == ["asset_registered", "status_changed"]  # the loser wrote nothing


def test_a_resent_event_id_returns_the_stored_event(store) -> None:
    tick = clock()
    eid = EventId("req-7f3a")
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        first = change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick, event_id=eid)
    with store.uow() as uow:
        again = change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick, event_id=eid)
        assert (again.new, again.version, again.event) == (False, 2, first.event)
        with pytest.raises(DuplicateRecord) as info:
            change_status(uow, PV, AssetStatus.DAMAGED, effective=date(2022, 3, 1), clock=tick, event_id=eid)
        assert (info.value.code, info.value.field, info.value.actual) == ("AR-203", "event_id", eid)
    with store.uow() as uow:
        assert uow.assets.get(PV).version == 2


def test_corrections_and_refusals(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        wrong = change_status(uow, PV, AssetStatus.IDLE, effective=date(2022, 3, 1), clock=tick)
        replacement = StatusChanged(
            asset_id=PV, effective=date(2022, 3, 1), recorded_at=T0, status=AssetStatus.DAMAGED, reason="雹灾"
        )
        fixed = correct(uow, PV, wrong.event.event_id, clock=tick, replacement=replacement, reason="状态登记有误")
    assert fixed.version == 3
    assert fixed.event.replacement.recorded_at == fixed.event.recorded_at == T0 + timedelta(minutes=2)
    with store.uow() as uow:
        state = uow.assets.get(PV).state(as_of=date(2022, 6, 1))
        assert state.status is AssetStatus.DAMAGED
        with pytest.raises(HistoryError) as info:
            correct(uow, PV, EventId("no-such-event"), clock=tick)
        assert (info.value.code, info.value.field) == ("AR-200", "supersedes")
        with pytest.raises(IllegalTransition) as illegal:
            change_status(uow, PV, AssetStatus.UNDER_CONSTRUCTION, effective=date(2022, 7, 1), clock=tick)
        assert illegal.value.category.value == "conflict"
        with pytest.raises(UnknownAsset) as missing:
            change_status(uow, AssetId("NO-SUCH"), AssetStatus.IDLE, effective=date(2022, 7, 1), clock=tick)
        assert (missing.value.code, missing.value.category.value) == ("AR-202", "not_found")
        with pytest.raises(HistoryError) as backwards:  # the register only learns forward
            change_status(uow, PV, AssetStatus.IN_USE, effective=date(2022, 9, 1), clock=FixedClock(T0))
        assert backwards.value.field == "recorded_at"


def test_record_event_covers_the_other_event_types(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        written = record_event(
            uow,
            PV,
            lambda now, eid: UsageRecorded(
                asset_id=PV, effective=date(2024, 5, 1), recorded_at=now, event_id=eid, units=Decimal("21034.5")
            ),
            clock=tick,
        )
    assert (written.version, written.event.units, written.event.recorded_at) == (
        2,
        Decimal("21034.5"),
        T0 + timedelta(minutes=1),
    )
    with store.uow() as uow:
        assert uow.assets.get(PV).events[1] == written.event


def test_a_handover_names_a_stored_recipient(store) -> None:
    with_parties(store)
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick, status=AssetStatus.COMPLETED)
        with pytest.raises(UnknownReference) as info:
            hand_over(uow, PV, effective=date(2019, 8, 1), clock=tick, recipient=PartyId("VC-000"))
        assert (info.value.field, info.value.actual) == ("recipient", "VC-000")
        assert hand_over(uow, PV, effective=date(2019, 8, 1), clock=tick, recipient=VC1).version == 2


def test_revenue_is_recorded_in_one_call(store) -> None:
    tick = clock()
    entry = RevenueEntry(
        id="R-2024-1",
        asset_id=PV,
        kind=RevenueKind.ELECTRICITY_BENCHMARK,
        amount=Money.yuan("73000.00"),
        period=Period.year(2024),
        received=date(2025, 1, 15),
    )
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        assert record_revenue(uow, [entry]) == 1
    with store.uow() as uow:
        assert record_revenue(uow, [entry]) == 0  # resent: already stored
        assert uow.revenue.list(asset_id=PV) == [entry]


# -- referential checks on write ------------------------------------------------------


def test_an_owner_that_names_no_party_is_refused_at_append(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
    with store.uow() as uow:
        with pytest.raises(UnknownReference) as info:
            confirm_ownership(uow, PV, [OwnerShare(VC1, Fraction(1))], effective=date(2020, 1, 1), clock=tick)
        error = info.value
        assert (error.code, error.category.value, error.record, error.field, error.actual) == (
            "AR-208",
            "invalid",
            PV,
            "holders",
            VC1,
        )
        assert "owner VC-201 is not a stored party" in error.message_en
        assert "产权主体 VC-201 不在主体名录中" in error.message_zh
        assert json.loads(json.dumps(error.as_dict()))["details"]["event_kind"] == "ownership_confirmed"
        uow.commit()
    with store.uow() as uow:
        assert uow.assets.get(PV).version == 1  # nothing was written


@pytest.mark.parametrize(
    ("field", "event"),
    [
        (
            "custodian",
            CustodianAssigned(
                asset_id=PV,
                effective=date(2020, 1, 1),
                recorded_at=T0 + timedelta(hours=1),
                custodian=PartyId("VC-999"),
                method=CustodyMethod.VILLAGE_COLLECTIVE,
            ),
        ),
        (
            "holders",
            OwnershipConfirmed(
                asset_id=PV,
                effective=date(2020, 1, 1),
                recorded_at=T0 + timedelta(hours=1),
                holders=(OwnerShare(VC1, Fraction(1, 2)), OwnerShare(PartyId("VC-999"), Fraction(1, 2))),
            ),
        ),
    ],
)
def test_each_role_is_checked_on_the_repository(store, field, event) -> None:
    with_parties(store)
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=clock())
    with store.uow() as uow, pytest.raises(UnknownReference) as info:
        uow.assets.append(PV, [event], expected_version=1)
    assert (info.value.field, info.value.actual) == (field, "VC-999")


def test_operator_and_proceeds_receiver_are_checked(store) -> None:
    with_parties(store)
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        contract = OperatingContract(
            id=ContractId("C-9"),
            asset_id=PV,
            operator=PartyId("ENT-404"),
            mode=OperationMode.LEASE,
            term=Period(date(2020, 1, 1), date(2030, 1, 1)),
        )
        with pytest.raises(UnknownReference) as info:
            sign_contract(uow, contract, effective=date(2020, 1, 1), clock=tick)
        assert (info.value.field, info.value.actual) == ("operator", "ENT-404")
        approve_disposal(
            uow,
            PV,
            method=DisposalMethod.SCRAP,
            trigger=DisposalTrigger.END_OF_LIFE,
            effective=date(2024, 6, 1),
            clock=tick,
        )
        with pytest.raises(UnknownReference) as proceeds:
            dispose(
                uow,
                PV,
                method=DisposalMethod.SCRAP,
                proceeds=Money(1),
                proceeds_to=PartyId("TREASURY"),
                effective=date(2024, 7, 1),
                clock=tick,
            )
        assert (proceeds.value.field, proceeds.value.actual) == ("proceeds_to", "TREASURY")


def test_a_party_stored_in_the_same_unit_of_work_counts(store) -> None:
    tick = clock()
    with store.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick, commit=False)
        uow.parties.put(parties()[0])
        confirm_ownership(uow, PV, [OwnerShare(VC1, Fraction(1))], effective=date(2020, 1, 1), clock=tick)
    with store.uow() as uow:
        assert uow.assets.get(PV).state(as_of=date(2021, 1, 1)).owners == (VC1,)


def test_a_first_import_checks_references_against_its_own_parties_and_the_store(store) -> None:
    owned = OwnershipConfirmed(
        asset_id=PV, effective=date(2020, 1, 1), recorded_at=T0, holders=(OwnerShare(VC2, Fraction(1)),)
    )
    registration = AssetRegistered(asset_id=PV, effective=date(2019, 7, 1), recorded_at=T0, asset=pv())
    without = AssetRegister.empty().record(registration).record(owned)
    with store.uow() as uow:
        with pytest.raises(UnknownReference) as info:
            uow.add_register(without)
        assert (info.value.record, info.value.field, info.value.actual) == (PV, "holders", VC2)
    with store.uow() as uow:
        assert uow.assets.ids() == []  # nothing was written
    with store.uow() as uow:
        uow.add_register(without.add_party(parties()[1]))
        uow.commit()
    with store.uow() as uow:
        assert uow.assets.get(PV).version == 2


def test_bulk_migration_of_legacy_data_skips_the_check_and_the_audit_reports_it(store) -> None:
    tick = clock()
    legacy = store.legacy()
    with legacy.uow() as uow:
        register_asset(uow, pv(), effective=date(2019, 7, 1), clock=tick)
        confirm_ownership(uow, PV, [OwnerShare(VC1, Fraction(1))], effective=date(2020, 1, 1), clock=tick)
    with store.uow() as uow:
        register = uow.load_register()
    found = run_checks(register, as_of=date(2021, 1, 1), policy=NATIONAL_2021, codes=["AUD-103"])
    assert [(f.subject, f.evidence["role"], f.evidence["party"]) for f in found] == [(PV, "owner", VC1)]
