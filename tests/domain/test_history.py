"""Asset histories: lifecycle, disposal, corrections and the bitemporal fold (DESIGN §4, §6)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest

from assetreg.domain.assets import AssetId
from assetreg.domain.events import (
    Approval,
    AssetEvent,
    ContractEnded,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    DisposalApproved,
    Disposed,
    EventId,
    HandedOver,
    OwnershipConfirmed,
    Restructured,
    Revalued,
    StatusChanged,
)
from assetreg.domain.history import ALLOWED_TRANSITIONS, AssetHistory, StatusSpan, check_transition, fold
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.rights import ContractId, OperatingContract, OwnerShare
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    OperationMode,
    RestructureBasis,
    RestructureKind,
)
from assetreg.errors import (
    DuplicateRecord,
    HistoryError,
    IllegalTransition,
    InvalidPeriod,
    InvalidValue,
    UnknownAsset,
)
from domain.builders import (
    TOWNSHIP_HUISHI,
    VC_HUISHI,
    at,
    pv_asset,
    registered,
    simple_asset,
)

S = AssetStatus
D = date
AID = AssetId("HN-PV-001")

# DESIGN §6, written out independently of the code: PLANNED → UNDER_CONSTRUCTION →
# COMPLETED → HANDED_OVER → IN_USE ⇄ IDLE, IN_USE/IDLE → DAMAGED → IN_USE, any registered
# state → DISPOSAL_APPROVED → DISPOSED.
LEGAL = {
    (S.PLANNED, S.UNDER_CONSTRUCTION),
    (S.UNDER_CONSTRUCTION, S.COMPLETED),
    (S.COMPLETED, S.HANDED_OVER),
    (S.HANDED_OVER, S.IN_USE),
    (S.IN_USE, S.IDLE),
    (S.IDLE, S.IN_USE),
    (S.IN_USE, S.DAMAGED),
    (S.IDLE, S.DAMAGED),
    (S.DAMAGED, S.IN_USE),
    *((s, S.DISPOSAL_APPROVED) for s in S if s not in {S.DISPOSAL_APPROVED, S.DISPOSED, S.RESTRUCTURED}),
    (S.DISPOSAL_APPROVED, S.DISPOSED),
    # Issue 12: a completed asset may be split or merged, which closes its history.
    *((s, S.RESTRUCTURED) for s in (S.COMPLETED, S.HANDED_OVER, S.IN_USE, S.IDLE, S.DAMAGED)),
}


def _status(status: AssetStatus, effective: date, recorded: datetime, event_id: str) -> AssetEvent:
    """The event that moves an asset to ``status``."""
    if status is S.DISPOSAL_APPROVED:
        return DisposalApproved(
            asset_id=AID,
            effective=effective,
            recorded_at=recorded,
            event_id=EventId(event_id),
            method=DisposalMethod.SCRAP,
            trigger=DisposalTrigger.END_OF_LIFE,
        )
    if status is S.DISPOSED:
        return Disposed(
            asset_id=AID,
            effective=effective,
            recorded_at=recorded,
            event_id=EventId(event_id),
            method=DisposalMethod.SCRAP,
            proceeds=Money(0),
        )
    if status is S.RESTRUCTURED:
        return Restructured(
            asset_id=AID,
            effective=effective,
            recorded_at=recorded,
            event_id=EventId(event_id),
            operation=RestructureKind.SPLIT,
            basis=RestructureBasis.VALUE,
            successors=(AssetId("HN-PV-001-1"), AssetId("HN-PV-001-2")),
        )
    if status is S.HANDED_OVER:
        return HandedOver(asset_id=AID, effective=effective, recorded_at=recorded, event_id=EventId(event_id))
    return StatusChanged(
        asset_id=AID, effective=effective, recorded_at=recorded, event_id=EventId(event_id), status=status
    )


def _history_in(status: AssetStatus) -> AssetHistory:
    """A PV station brought to ``status`` through a legal path."""
    if status not in {S.DISPOSAL_APPROVED, S.DISPOSED, S.RESTRUCTURED}:
        return AssetHistory.of([registered(pv_asset(), status=status)])
    events: list[AssetEvent] = [registered(pv_asset())]
    if status is S.RESTRUCTURED:
        events.append(_status(S.RESTRUCTURED, D(2019, 2, 1), at(2019, 2, 1), "e-split"))
        return AssetHistory.of(events)
    events.append(_status(S.DISPOSAL_APPROVED, D(2019, 2, 1), at(2019, 2, 1), "e-approve"))
    if status is S.DISPOSED:
        events.append(_status(S.DISPOSED, D(2019, 3, 1), at(2019, 3, 1), "e-dispose"))
    return AssetHistory.of(events)


class TestLifecycle:
    def test_table_matches_design(self) -> None:
        coded = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
        assert coded == LEGAL
        assert set(ALLOWED_TRANSITIONS) == set(S)

    @pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
    def test_every_transition(self, current: AssetStatus, target: AssetStatus) -> None:
        history = _history_in(current)
        assert history.state(as_of=D(2020, 1, 1)).status is current
        event = _status(target, D(2020, 6, 1), at(2020, 6, 2), "e-step")
        if (current, target) in LEGAL:
            after = history.append(event)
            state = after.state(as_of=D(2020, 6, 1))
            assert state.status is target
            assert state.status_since == D(2020, 6, 1)
            assert after.state(as_of=D(2020, 5, 31)).status is current
        else:
            with pytest.raises(IllegalTransition) as info:
                history.append(event)
            assert info.value.code == "AR-201"
            assert info.value.record == "HN-PV-001"

    def test_check_transition_message(self) -> None:
        with pytest.raises(IllegalTransition) as info:
            check_transition("A-1", S.PLANNED, S.IN_USE, D(2020, 1, 1))
        assert info.value.field == "status"
        assert info.value.actual == "in_use"
        assert info.value.expected == ["disposal_approved", "under_construction"]
        assert "2020-01-01" in info.value.message_en
        assert "计划" in info.value.message_zh

    def test_full_path_and_spans(self) -> None:
        events = [
            registered(pv_asset(), effective=D(2018, 3, 1), status=S.PLANNED),
            _status(S.UNDER_CONSTRUCTION, D(2018, 4, 1), at(2018, 4, 1), "e1"),
            _status(S.COMPLETED, D(2018, 10, 1), at(2018, 10, 1), "e2"),
            _status(S.HANDED_OVER, D(2018, 11, 1), at(2018, 11, 1), "e3"),
            _status(S.IN_USE, D(2018, 11, 1), at(2018, 11, 1, 2), "e4"),
            _status(S.IDLE, D(2020, 1, 1), at(2020, 1, 2), "e5"),
            _status(S.IN_USE, D(2020, 6, 1), at(2020, 6, 2), "e6"),
            _status(S.DAMAGED, D(2021, 8, 1), at(2021, 8, 2), "e7"),
            _status(S.IN_USE, D(2021, 9, 1), at(2021, 9, 2), "e8"),
        ]
        history = AssetHistory.of(events)
        assert history.status_spans() == (
            StatusSpan(S.PLANNED, D(2018, 3, 1), D(2018, 4, 1)),
            StatusSpan(S.UNDER_CONSTRUCTION, D(2018, 4, 1), D(2018, 10, 1)),
            StatusSpan(S.COMPLETED, D(2018, 10, 1), D(2018, 11, 1)),
            StatusSpan(S.HANDED_OVER, D(2018, 11, 1), D(2018, 11, 1)),
            StatusSpan(S.IN_USE, D(2018, 11, 1), D(2020, 1, 1)),
            StatusSpan(S.IDLE, D(2020, 1, 1), D(2020, 6, 1)),
            StatusSpan(S.IN_USE, D(2020, 6, 1), D(2021, 8, 1)),
            StatusSpan(S.DAMAGED, D(2021, 8, 1), D(2021, 9, 1)),
            StatusSpan(S.IN_USE, D(2021, 9, 1), None),
        )
        assert history.state(as_of=D(2021, 8, 31)).status is S.DAMAGED
        assert history.state(as_of=D(2018, 3, 1)).status is S.PLANNED
        assert history.version == 9
        assert len(history) == 9
        assert [e.event_id for e in history][:2] == ["reg-HN-PV-001", "e1"]

    def test_same_day_steps_recorded_together_fold_in_lifecycle_order(self) -> None:
        # A ledger import records "handed over and in use on 2018-11-01" at one instant.
        # The ids are chosen so that id order would put IN_USE first.
        recorded = at(2022, 1, 1)
        events = [
            registered(pv_asset(), effective=D(2018, 10, 1), recorded=recorded, status=S.COMPLETED, event_id="z"),
            _status(S.IN_USE, D(2018, 11, 1), recorded, "a"),
            _status(S.HANDED_OVER, D(2018, 11, 1), recorded, "b"),
        ]
        for order in itertools.permutations(events):
            history = AssetHistory(AID).extend(order)
            assert history.state(as_of=D(2018, 11, 1)).status is S.IN_USE

    def test_same_day_disposal_after_other_news(self) -> None:
        recorded = at(2022, 1, 1)
        events = [
            registered(pv_asset(), effective=D(2018, 10, 1), recorded=recorded, event_id="z"),
            _status(S.DISPOSED, D(2021, 5, 1), recorded, "a"),
            _status(S.DISPOSAL_APPROVED, D(2021, 5, 1), recorded, "b"),
            _status(S.DAMAGED, D(2021, 5, 1), recorded, "c"),
        ]
        history = AssetHistory(AID).extend(events)
        assert history.state(as_of=D(2021, 5, 1)).status is S.DISPOSED

    def test_status_changed_cannot_skip_the_disposal_events(self) -> None:
        for current in (S.IN_USE, S.DISPOSAL_APPROVED):
            history = _history_in(current)
            for status in (S.DISPOSAL_APPROVED, S.DISPOSED):
                change = StatusChanged(asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 1, 1), status=status)
                with pytest.raises(IllegalTransition) as info:
                    history.append(change)
                assert info.value.field == "status"
                assert "DisposalApproved" in info.value.message_en

    def test_cannot_register_disposed(self) -> None:
        with pytest.raises(InvalidValue):
            registered(pv_asset(), status=S.DISPOSED)


class TestDisposal:
    def test_approved_then_disposed_with_approvals_and_proceeds(self) -> None:
        approvals = (
            Approval(level="village_assembly", body="村民代表大会", approved_on=D(2023, 3, 1)),
            Approval(
                level="township", body="会师镇人民政府", approved_on=D(2023, 3, 10), document="会师政发〔2023〕12号"
            ),
            Approval(level="county_rural_revitalisation", body="会宁县乡村振兴局", approved_on=D(2023, 3, 20)),
            Approval(level="county_finance", body="会宁县财政局", approved_on=D(2023, 3, 25)),
        )
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                CustodianAssigned(
                    asset_id=AID,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 2),
                    custodian=VC_HUISHI,
                    method=CustodyMethod.VILLAGE_COLLECTIVE,
                ),
                _status(S.DAMAGED, D(2022, 7, 1), at(2022, 7, 2), "e-damaged"),
                DisposalApproved(
                    asset_id=AID,
                    effective=D(2023, 3, 25),
                    recorded_at=at(2023, 3, 26),
                    method=DisposalMethod.AUCTION,
                    trigger=DisposalTrigger.DISASTER,
                    approvals=approvals,
                ),
                Disposed(
                    asset_id=AID,
                    effective=D(2023, 5, 1),
                    recorded_at=at(2023, 5, 2),
                    method=DisposalMethod.AUCTION,
                    proceeds=Money.yuan("35600.00"),
                    proceeds_to=VC_HUISHI,
                    document="拍卖成交确认书",
                ),
            ]
        )
        approved = history.state(as_of=D(2023, 4, 1))
        assert approved.status is S.DISPOSAL_APPROVED
        assert approved.disposal is not None
        assert approved.disposal.approvals == approvals
        assert approved.disposal.proceeds is None
        assert approved.disposal.approved_on == D(2023, 3, 25)
        assert approved.custodian == VC_HUISHI
        done = history.state(as_of=D(2023, 5, 1))
        assert done.status is S.DISPOSED
        record = done.disposal
        assert record is not None
        assert record.method is DisposalMethod.AUCTION
        assert record.trigger is DisposalTrigger.DISASTER
        assert [a.level for a in record.approvals] == [
            "village_assembly",
            "township",
            "county_rural_revitalisation",
            "county_finance",
        ]
        assert record.approved_on == D(2023, 3, 25)
        assert record.disposed_on == D(2023, 5, 1)
        assert record.proceeds == Money(3_560_000)
        assert record.proceeds_to == VC_HUISHI
        assert done.custodian is None
        assert history.disposal() == record
        assert history.custodianships()[-1].valid_to == D(2023, 5, 1)

    def test_nothing_happens_after_disposal(self) -> None:
        history = _history_in(S.DISPOSED)
        with pytest.raises(IllegalTransition):
            history.append(
                Revalued(asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 1, 1), book_value=Money(1))
            )

    def test_disposal_needs_approval(self) -> None:
        with pytest.raises(IllegalTransition):
            _history_in(S.IN_USE).append(_status(S.DISPOSED, D(2020, 1, 1), at(2020, 1, 1), "e-d"))

    def test_household_assets_leave_collective_disposal_alone(self) -> None:
        sheep = simple_asset("HN-HH-001", AssetClass.HOUSEHOLD, AssetKind.LIVESTOCK)
        history = AssetHistory.of([registered(sheep)])
        approval = DisposalApproved(
            asset_id=sheep.id,
            effective=D(2020, 1, 1),
            recorded_at=at(2020, 1, 1),
            method=DisposalMethod.TRANSFER,
            trigger=DisposalTrigger.END_OF_LIFE,
        )
        with pytest.raises(IllegalTransition) as info:
            history.append(approval)
        assert info.value.field == "asset_class"
        assert info.value.record == "HN-HH-001"


def _owners(*holders: tuple[str, str]) -> tuple[OwnerShare, ...]:
    return tuple(OwnerShare(PartyId(h), s) for h, s in holders)


class TestBitemporal:
    """Who owned / kept it on a date, as the register knew it at an instant."""

    def _history(self) -> AssetHistory:
        return AssetHistory.of(
            [
                registered(pv_asset(), effective=D(2019, 1, 1), recorded=at(2019, 1, 5)),
                OwnershipConfirmed(
                    asset_id=AID,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 5, 2),
                    event_id=EventId("own-1"),
                    holders=_owners((VC_HUISHI, "1")),
                ),
                CustodianAssigned(
                    asset_id=AID,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 5, 2),
                    event_id=EventId("cus-1"),
                    custodian=VC_HUISHI,
                    method=CustodyMethod.VILLAGE_COLLECTIVE,
                ),
                # 2022-07-01: ownership moves to the township, upkeep to a purchased service.
                OwnershipConfirmed(
                    asset_id=AID,
                    effective=D(2022, 7, 1),
                    recorded_at=at(2022, 7, 3),
                    event_id=EventId("own-2"),
                    holders=_owners((TOWNSHIP_HUISHI, "1")),
                ),
                CustodianAssigned(
                    asset_id=AID,
                    effective=D(2022, 7, 1),
                    recorded_at=at(2022, 7, 3),
                    event_id=EventId("cus-2"),
                    custodian=PartyId("SVC-1"),
                    method=CustodyMethod.PURCHASED_SERVICE,
                ),
            ]
        )

    def test_before_on_and_after_the_change(self) -> None:
        history = self._history()
        before = history.state(as_of=D(2022, 6, 30))
        on = history.state(as_of=D(2022, 7, 1))
        after = history.state(as_of=D(2023, 1, 1))
        assert (before.owners, before.custodian) == ((VC_HUISHI,), VC_HUISHI)
        assert (on.owners, on.custodian) == ((TOWNSHIP_HUISHI,), "SVC-1")
        assert (after.owners, after.custodian) == ((TOWNSHIP_HUISHI,), "SVC-1")
        assert [o.valid_to for o in history.ownerships()] == [D(2022, 7, 1), None]

    def test_before_the_change_was_recorded(self) -> None:
        history = self._history()
        stale = history.state(as_of=D(2023, 1, 1), known_at=at(2022, 7, 2))
        assert (stale.owners, stale.custodian) == ((VC_HUISHI,), VC_HUISHI)
        assert stale.version == 3
        assert stale.known_at == at(2022, 7, 2)

    def test_late_recorded_correction(self) -> None:
        # 2024-01-05 the register learns the change really took effect 2022-06-01.
        correction_at = at(2024, 1, 5)
        history = self._history().extend(
            [
                Corrected(
                    asset_id=AID,
                    effective=D(2022, 6, 1),
                    recorded_at=correction_at,
                    event_id=EventId("fix-own"),
                    supersedes=EventId("own-2"),
                    reason="确权日期登记错误",
                    replacement=OwnershipConfirmed(
                        asset_id=AID,
                        effective=D(2022, 6, 1),
                        recorded_at=correction_at,
                        event_id=EventId("own-2b"),
                        holders=_owners((TOWNSHIP_HUISHI, "1")),
                    ),
                ),
                Corrected(
                    asset_id=AID,
                    effective=D(2022, 6, 1),
                    recorded_at=correction_at,
                    event_id=EventId("fix-cus"),
                    supersedes=EventId("cus-2"),
                    replacement=CustodianAssigned(
                        asset_id=AID,
                        effective=D(2022, 6, 1),
                        recorded_at=correction_at,
                        event_id=EventId("cus-2b"),
                        custodian=PartyId("SVC-1"),
                        method=CustodyMethod.PURCHASED_SERVICE,
                    ),
                ),
            ]
        )
        june = D(2022, 6, 15)
        before_fix = history.state(as_of=june, known_at=at(2024, 1, 4))
        assert (before_fix.owners, before_fix.custodian) == ((VC_HUISHI,), VC_HUISHI)
        at_fix = history.state(as_of=june, known_at=correction_at)
        assert (at_fix.owners, at_fix.custodian) == ((TOWNSHIP_HUISHI,), "SVC-1")
        now = history.state(as_of=june)
        assert (now.owners, now.custodian) == ((TOWNSHIP_HUISHI,), "SVC-1")
        assert history.state(as_of=D(2022, 5, 31)).owners == (VC_HUISHI,)
        # Nothing was edited: the superseded events are still there.
        assert history.find(EventId("own-2")) is not None
        assert history.find(EventId("own-2b")) is not None
        assert len(history) == 7
        assert [o.valid_from for o in history.ownerships()] == [D(2019, 1, 1), D(2022, 6, 1)]
        assert [o.valid_from for o in history.ownerships(known_at=at(2023, 1, 1))] == [
            D(2019, 1, 1),
            D(2022, 7, 1),
        ]

    def test_not_yet_registered(self) -> None:
        history = self._history()
        with pytest.raises(UnknownAsset) as info:
            history.state(as_of=D(2018, 12, 31))
        assert info.value.code == "AR-202"
        with pytest.raises(UnknownAsset):
            history.state(as_of=D(2020, 1, 1), known_at=at(2019, 1, 4))
        assert not history.exists(as_of=D(2018, 12, 31))
        assert history.exists(as_of=D(2019, 1, 1))
        assert not history.exists(as_of=D(2019, 1, 1), known_at=at(2019, 1, 4))

    def test_known_at_must_be_aware(self) -> None:
        history = self._history()
        naive = datetime(2023, 1, 1)  # noqa: DTZ001 - on purpose
        with pytest.raises(InvalidPeriod):
            history.state(as_of=D(2023, 1, 1), known_at=naive)
        with pytest.raises(InvalidPeriod):
            history.known(naive)
        with pytest.raises(InvalidPeriod):
            history.ownerships(known_at=naive)

    def test_known_at_in_another_zone(self) -> None:
        history = self._history()
        beijing = timezone(timedelta(hours=8))
        # 2022-07-03 00:00 UTC is 08:00 in Beijing.
        assert history.state(as_of=D(2023, 1, 1), known_at=datetime(2022, 7, 3, 7, 59, tzinfo=beijing)).owners == (
            VC_HUISHI,
        )
        assert history.state(as_of=D(2023, 1, 1), known_at=datetime(2022, 7, 3, 8, 0, tzinfo=beijing)).owners == (
            TOWNSHIP_HUISHI,
        )


def _revalued(value: int, effective: date, recorded: datetime, event_id: str) -> Revalued:
    return Revalued(
        asset_id=AID, effective=effective, recorded_at=recorded, event_id=EventId(event_id), book_value=Money(value)
    )


class TestCorrections:
    def test_correction_without_replacement_withdraws(self) -> None:
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                _revalued(100, D(2020, 1, 1), at(2020, 1, 2), "rev-1"),
                Corrected(
                    asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 2, 1), supersedes=EventId("rev-1")
                ),
            ]
        )
        assert history.state(as_of=D(2021, 1, 1)).book_value == Money.wan("851.65")
        assert history.state(as_of=D(2021, 1, 1), known_at=at(2020, 1, 31)).book_value == Money(100)

    def test_correction_of_a_correction(self) -> None:
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                _revalued(100, D(2020, 1, 1), at(2020, 1, 2), "rev-1"),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 2, 1),
                    event_id=EventId("c-1"),
                    supersedes=EventId("rev-1"),
                    replacement=_revalued(200, D(2020, 1, 1), at(2020, 2, 1), "rev-2"),
                ),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 3, 1),
                    event_id=EventId("c-2"),
                    supersedes=EventId("c-1"),
                    replacement=_revalued(300, D(2020, 1, 1), at(2020, 3, 1), "rev-3"),
                ),
            ]
        )
        as_of = D(2021, 1, 1)
        assert history.state(as_of=as_of, known_at=at(2020, 1, 15)).book_value == Money(100)
        assert history.state(as_of=as_of, known_at=at(2020, 2, 15)).book_value == Money(200)
        assert history.state(as_of=as_of).book_value == Money(300)
        assert [e.event_id for e in history.known()] == ["reg-HN-PV-001", "rev-3"]

    def test_correcting_a_replacement(self) -> None:
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                _revalued(100, D(2020, 1, 1), at(2020, 1, 2), "rev-1"),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 2, 1),
                    event_id=EventId("c-1"),
                    supersedes=EventId("rev-1"),
                    replacement=_revalued(200, D(2020, 1, 1), at(2020, 2, 1), "rev-2"),
                ),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 3, 1),
                    event_id=EventId("c-2"),
                    supersedes=EventId("rev-2"),
                    replacement=_revalued(300, D(2020, 1, 1), at(2020, 3, 1), "rev-3"),
                ),
            ]
        )
        assert history.state(as_of=D(2021, 1, 1)).book_value == Money(300)

    def test_second_correction_of_the_same_event_wins(self) -> None:
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                _revalued(100, D(2020, 1, 1), at(2020, 1, 2), "rev-1"),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 2, 1),
                    event_id=EventId("c-1"),
                    supersedes=EventId("rev-1"),
                    replacement=_revalued(200, D(2020, 1, 1), at(2020, 2, 1), "rev-2"),
                ),
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 3, 1),
                    event_id=EventId("c-2"),
                    supersedes=EventId("rev-1"),
                    replacement=_revalued(300, D(2020, 6, 1), at(2020, 3, 1), "rev-3"),
                ),
            ]
        )
        assert history.state(as_of=D(2020, 3, 1)).book_value == Money.wan("851.65")
        assert history.state(as_of=D(2021, 1, 1)).book_value == Money(300)
        assert history.state(as_of=D(2021, 1, 1), known_at=at(2020, 2, 15)).book_value == Money(200)

    def test_correcting_the_registration(self) -> None:
        wrong = pv_asset()
        right = pv_asset(value=Money.wan("851.60"))
        history = AssetHistory.of(
            [
                registered(wrong),
                Corrected(
                    asset_id=AID,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2020, 1, 1),
                    supersedes=EventId("reg-HN-PV-001"),
                    replacement=registered(right, recorded=at(2020, 1, 1), event_id="reg-2"),
                ),
            ]
        )
        assert history.asset().original_value == Money.wan("851.60")
        assert history.asset(known_at=at(2019, 6, 1)).original_value == Money.wan("851.65")
        assert history.state(as_of=D(2019, 6, 1)).book_value == Money.wan("851.60")

    def test_correction_of_unknown_event(self) -> None:
        history = AssetHistory.of([registered(pv_asset())])
        with pytest.raises(HistoryError) as info:
            history.append(
                Corrected(asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 1, 1), supersedes=EventId("nope"))
            )
        assert info.value.field == "supersedes"

    def test_replacement_must_share_asset_and_instant(self) -> None:
        with pytest.raises(InvalidValue):
            Corrected(
                asset_id=AID,
                effective=D(2020, 1, 1),
                recorded_at=at(2020, 2, 1),
                supersedes=EventId("x"),
                replacement=_revalued(1, D(2020, 1, 1), at(2020, 2, 2), "r"),
            )
        with pytest.raises(InvalidValue):
            Corrected(
                asset_id=AssetId("OTHER"),
                effective=D(2020, 1, 1),
                recorded_at=at(2020, 2, 1),
                supersedes=EventId("x"),
                replacement=_revalued(1, D(2020, 1, 1), at(2020, 2, 1), "r"),
            )
        inner = Corrected(asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 2, 1), supersedes=EventId("x"))
        with pytest.raises(InvalidValue):
            Corrected(
                asset_id=AID,
                effective=D(2020, 1, 1),
                recorded_at=at(2020, 2, 1),
                supersedes=EventId("y"),
                replacement=inner,
            )


class TestAppendRules:
    def test_naive_recorded_at_is_refused(self) -> None:
        with pytest.raises(InvalidPeriod) as info:
            Revalued(asset_id=AID, effective=D(2020, 1, 1), recorded_at=datetime(2020, 1, 1), book_value=Money(1))  # noqa: DTZ001
        assert info.value.field == "recorded_at"
        assert info.value.record == "HN-PV-001"

    def test_recorded_at_is_kept_in_utc(self) -> None:
        beijing = timezone(timedelta(hours=8))
        event = _revalued(1, D(2020, 1, 1), datetime(2020, 1, 1, 8, tzinfo=beijing), "r")
        assert event.recorded_at == at(2020, 1, 1)
        assert event.recorded_at.utcoffset() == timedelta(0)

    def test_effective_must_be_a_date(self) -> None:
        with pytest.raises(TypeError):
            Revalued(asset_id=AID, effective=at(2020, 1, 1), recorded_at=at(2020, 1, 1), book_value=Money(1))  # type: ignore[arg-type]

    def test_recorded_time_cannot_go_backwards(self) -> None:
        history = AssetHistory.of([registered(pv_asset(), recorded=at(2020, 1, 10))])
        with pytest.raises(HistoryError) as info:
            history.append(_revalued(1, D(2020, 1, 1), at(2020, 1, 9), "r"))
        assert info.value.field == "recorded_at"
        # Equal instants are fine (one batch).
        assert len(history.append(_revalued(1, D(2020, 1, 1), at(2020, 1, 10), "r"))) == 2

    def test_duplicate_event_ids(self) -> None:
        history = AssetHistory.of([registered(pv_asset()), _revalued(1, D(2020, 1, 1), at(2020, 1, 2), "r")])
        with pytest.raises(DuplicateRecord) as info:
            history.append(_revalued(2, D(2020, 2, 1), at(2020, 2, 2), "r"))
        assert info.value.code == "AR-203"
        assert info.value.field == "event_id"
        with pytest.raises(DuplicateRecord):
            history.append(
                Corrected(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 3, 1),
                    supersedes=EventId("r"),
                    replacement=_revalued(3, D(2020, 1, 1), at(2020, 3, 1), "r"),
                )
            )
        with pytest.raises(DuplicateRecord):
            AssetHistory(AID).extend([registered(pv_asset()), registered(pv_asset())])

    def test_event_of_another_asset(self) -> None:
        history = AssetHistory.of([registered(pv_asset())])
        other = Revalued(
            asset_id=AssetId("OTHER"), effective=D(2020, 1, 1), recorded_at=at(2020, 1, 2), book_value=Money(1)
        )
        with pytest.raises(HistoryError) as info:
            history.append(other)
        assert info.value.field == "asset_id"

    def test_event_before_registration(self) -> None:
        with pytest.raises(HistoryError):
            AssetHistory.of(
                [registered(pv_asset(), effective=D(2020, 1, 1)), _revalued(1, D(2019, 1, 1), at(2021, 1, 1), "r")]
            )
        with pytest.raises(HistoryError):
            AssetHistory.of([])

    def test_registered_twice(self) -> None:
        history = AssetHistory.of([registered(pv_asset())])
        with pytest.raises(DuplicateRecord):
            history.append(registered(pv_asset(), recorded=at(2020, 1, 1), event_id="reg-2"))

    def test_every_recorded_view_must_be_legal(self) -> None:
        # Recorded at t1: COMPLETED on 2018-10-01 (illegal from PLANNED alone);
        # recorded at t2: UNDER_CONSTRUCTION on 2018-05-01. The final fold is legal but the
        # register would have said something impossible at t1.
        history = AssetHistory.of([registered(pv_asset(), effective=D(2018, 3, 1), status=S.PLANNED)])
        with pytest.raises(IllegalTransition):
            history.extend(
                [
                    _status(S.COMPLETED, D(2018, 10, 1), at(2022, 1, 1), "e2"),
                    _status(S.UNDER_CONSTRUCTION, D(2018, 5, 1), at(2022, 1, 2), "e1"),
                ]
            )
        ok = history.extend(
            [
                _status(S.COMPLETED, D(2018, 10, 1), at(2022, 1, 1), "e2"),
                _status(S.UNDER_CONSTRUCTION, D(2018, 5, 1), at(2022, 1, 1), "e1"),
            ]
        )
        assert ok.state(as_of=D(2019, 1, 1)).status is S.COMPLETED

    def test_history_is_immutable(self) -> None:
        history = AssetHistory.of([registered(pv_asset())])
        longer = history.append(_revalued(1, D(2020, 1, 1), at(2020, 1, 2), "r"))
        assert len(history) == 1
        assert len(longer) == 2
        assert history.last_recorded_at == at(2019, 1, 1, 1)
        assert AssetHistory(AID).last_recorded_at is None


def _contract(cid: str, start: date, end: date) -> OperatingContract:
    return OperatingContract(
        id=ContractId(cid),
        asset_id=AID,
        operator=PartyId("ENT-1"),
        mode=OperationMode.TRUSTEESHIP,
        term=Period(start, end),
    )


class TestContractsInHistory:
    def test_live_contracts_and_early_end(self) -> None:
        history = AssetHistory.of(
            [
                registered(pv_asset()),
                ContractSigned(
                    asset_id=AID,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 2),
                    contract=_contract("C-1", D(2019, 1, 1), D(2024, 1, 1)),
                ),
                ContractEnded(
                    asset_id=AID, effective=D(2021, 7, 1), recorded_at=at(2021, 7, 2), contract_id=ContractId("C-1")
                ),
                ContractSigned(
                    asset_id=AID,
                    effective=D(2021, 7, 1),
                    recorded_at=at(2021, 7, 2),
                    contract=_contract("C-2", D(2021, 7, 1), D(2026, 7, 1)),
                ),
            ]
        )
        assert history.state(as_of=D(2021, 6, 30)).operators == ("ENT-1",)
        assert [c.id for c in history.state(as_of=D(2021, 6, 30)).contracts] == ["C-1"]
        assert [c.id for c in history.state(as_of=D(2021, 7, 1)).contracts] == ["C-2"]
        assert history.state(as_of=D(2026, 7, 1)).contracts == ()
        assert [(c.id, end) for c, end in history.contracts()] == [("C-1", D(2021, 7, 1)), ("C-2", None)]

    def test_contract_rules(self) -> None:
        history = AssetHistory.of([registered(pv_asset())])
        with pytest.raises(HistoryError):
            history.append(
                ContractEnded(
                    asset_id=AID, effective=D(2020, 1, 1), recorded_at=at(2020, 1, 1), contract_id=ContractId("C-9")
                )
            )
        signed = history.append(
            ContractSigned(
                asset_id=AID,
                effective=D(2019, 1, 1),
                recorded_at=at(2019, 1, 2),
                contract=_contract("C-1", D(2019, 1, 1), D(2024, 1, 1)),
            )
        )
        with pytest.raises(DuplicateRecord):
            signed.append(
                ContractSigned(
                    asset_id=AID,
                    effective=D(2020, 1, 1),
                    recorded_at=at(2020, 1, 2),
                    contract=_contract("C-1", D(2020, 1, 1), D(2024, 1, 1)),
                )
            )
        ended = signed.append(
            ContractEnded(
                asset_id=AID, effective=D(2021, 1, 1), recorded_at=at(2021, 1, 2), contract_id=ContractId("C-1")
            )
        )
        with pytest.raises(HistoryError):
            ended.append(
                ContractEnded(
                    asset_id=AID, effective=D(2022, 1, 1), recorded_at=at(2022, 1, 2), contract_id=ContractId("C-1")
                )
            )
        with pytest.raises(InvalidValue):
            ContractSigned(
                asset_id=AssetId("OTHER"),
                effective=D(2019, 1, 1),
                recorded_at=at(2019, 1, 2),
                contract=_contract("C-1", D(2019, 1, 1), D(2024, 1, 1)),
            )

    def test_contracts_only_for_operating_assets(self) -> None:
        road = simple_asset("HN-PV-001", AssetClass.PUBLIC_WELFARE, AssetKind.ROAD)
        with pytest.raises(HistoryError) as info:
            AssetHistory.of(
                [
                    registered(road),
                    ContractSigned(
                        asset_id=AID,
                        effective=D(2019, 1, 1),
                        recorded_at=at(2019, 1, 2),
                        contract=_contract("C-1", D(2019, 1, 1), D(2024, 1, 1)),
                    ),
                ]
            )
        assert info.value.field == "asset_class"


class TestFold:
    def test_revalued_and_version(self) -> None:
        history = AssetHistory.of(
            [registered(pv_asset()), _revalued(700_000_000, D(2022, 12, 31), at(2023, 1, 3), "rev")]
        )
        assert history.state(as_of=D(2022, 12, 30)).book_value == Money.wan("851.65")
        assert history.state(as_of=D(2022, 12, 31)).book_value == Money.wan(700)
        assert history.state(as_of=D(2022, 12, 31)).asset.original_value == Money.wan("851.65")
        assert history.state(as_of=D(2020, 1, 1)).version == 2

    def test_fold_ignores_input_order(self) -> None:
        events = [
            registered(pv_asset()),
            _revalued(1, D(2020, 1, 1), at(2020, 1, 2), "a"),
            _revalued(2, D(2020, 1, 1), at(2020, 1, 2), "b"),
            _revalued(3, D(2019, 6, 1), at(2020, 1, 3), "c"),
        ]
        results = {fold(AID, order).book_value for order in itertools.permutations(events)}
        assert results == {Money(2)}

    def test_negative_book_value(self) -> None:
        with pytest.raises(Exception, match="AR-101"):
            _revalued(-1, D(2020, 1, 1), at(2020, 1, 1), "r")

    def test_event_kinds(self) -> None:
        assert registered(pv_asset()).kind == "asset_registered"
        assert _revalued(1, D(2020, 1, 1), at(2020, 1, 1), "r").kind == "revalued"


def test_registration_must_describe_its_own_asset() -> None:
    with pytest.raises(InvalidValue) as info:
        registered(pv_asset()).__class__(
            asset_id=AssetId("OTHER"), effective=D(2019, 1, 1), recorded_at=at(2019, 1, 1), asset=pv_asset()
        )
    assert info.value.field == "asset.id"
