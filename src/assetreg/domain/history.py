"""An asset's history and its state as a fold over events (资产履历与状态), DESIGN §4, §6.

``AssetHistory.state(as_of=..., known_at=...)`` answers both of an auditor's questions:
"who owned this on 2023-06-30?" (``as_of``, the effective axis) and "what did the
register say on 2024-01-05?" (``known_at``, the recorded axis).

The fold is deterministic: events are resolved (corrections applied), then ordered by
``(effective, phase, recorded_at, step, event_id)`` — see :func:`fold_key` — so the same
set of events gives the same state whatever order they were handed in.

Corrections (:class:`~assetreg.domain.events.Corrected`) never edit: a superseded event
stays in the history and is ignored by folds that know the correction. When the same
event is corrected twice, the later correction (by ``recorded_at``, then event id) is in
force and the earlier one's replacement is dropped. Correcting a correction drops that
correction's replacement (and applies the new one, if any); the event it corrected stays
superseded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Final

import attrs

from assetreg.domain.assets import Asset, AssetId, check_funding
from assetreg.domain.events import (
    Approval,
    AssetEvent,
    AssetRegistered,
    ContractEnded,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    CustodyEnded,
    DisposalApproved,
    Disposed,
    EventId,
    EvidenceAttached,
    HandedOver,
    OpeningBalanceRecorded,
    OwnershipConfirmed,
    PurchaseRecorded,
    Restructured,
    Revalued,
    StatusChanged,
    UsageRecorded,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import require_aware
from assetreg.domain.rights import Custodianship, OperatingContract, Ownership
from assetreg.domain.vocab import AssetClass, AssetStatus, DisposalMethod, DisposalTrigger
from assetreg.errors import DuplicateRecord, HistoryError, IllegalTransition, NotYetKnown, UnknownAsset

__all__ = [
    "ALLOWED_TRANSITIONS",
    "AssetHistory",
    "AssetState",
    "DisposalRecord",
    "StatusSpan",
    "check_transition",
    "fold",
    "fold_key",
]

S = AssetStatus
ALLOWED_TRANSITIONS: Final[dict[AssetStatus, frozenset[AssetStatus]]] = {
    S.PLANNED: frozenset({S.UNDER_CONSTRUCTION, S.DISPOSAL_APPROVED}),
    S.UNDER_CONSTRUCTION: frozenset({S.COMPLETED, S.DISPOSAL_APPROVED}),
    S.COMPLETED: frozenset({S.HANDED_OVER, S.DISPOSAL_APPROVED, S.RESTRUCTURED}),
    S.HANDED_OVER: frozenset({S.IN_USE, S.DISPOSAL_APPROVED, S.RESTRUCTURED}),
    S.IN_USE: frozenset({S.IDLE, S.DAMAGED, S.DISPOSAL_APPROVED, S.RESTRUCTURED}),
    S.IDLE: frozenset({S.IN_USE, S.DAMAGED, S.DISPOSAL_APPROVED, S.RESTRUCTURED}),
    S.DAMAGED: frozenset({S.IN_USE, S.DISPOSAL_APPROVED, S.RESTRUCTURED}),
    S.DISPOSAL_APPROVED: frozenset({S.DISPOSED}),
    S.DISPOSED: frozenset(),
    S.RESTRUCTURED: frozenset(),
}
"""The lifecycle of DESIGN §6: ``PLANNED → UNDER_CONSTRUCTION → COMPLETED → HANDED_OVER →
IN_USE ⇄ IDLE``, ``IN_USE/IDLE → DAMAGED → IN_USE``, any registered state →
``DISPOSAL_APPROVED → DISPOSED``; a completed asset may be split or merged
(``→ RESTRUCTURED``, issue 12), which closes its history like a disposal."""


def check_transition(asset_id: str, current: AssetStatus, target: AssetStatus, on: date) -> None:
    """Refuse a lifecycle step that :data:`ALLOWED_TRANSITIONS` does not list.

    Raises:
        IllegalTransition: naming the asset, the date and both statuses.
    """
    if target not in ALLOWED_TRANSITIONS[current]:
        raise IllegalTransition(
            f"cannot go from {current.value} to {target.value} on {on.isoformat()}",
            f"{on.isoformat()} 不能由“{current.label_zh}”变为“{target.label_zh}”",
            record=asset_id,
            field="status",
            expected=sorted(s.value for s in ALLOWED_TRANSITIONS[current]),
            actual=target.value,
        )


@attrs.frozen(kw_only=True)
class DisposalRecord:
    """What the register knows of a disposal (处置记录), P12.

    Attributes:
        method: how the asset is disposed of.
        trigger: why (from the approval), when known.
        approvals: the approval chain as recorded.
        approved_on: effective date of the approval, when recorded.
        disposed_on: effective date of the disposal, once done.
        proceeds: proceeds in fen once disposed (``None`` before).
        proceeds_to: who received the proceeds.
    """

    method: DisposalMethod
    trigger: DisposalTrigger | None = None
    approvals: tuple[Approval, ...] = ()
    approved_on: date | None = None
    disposed_on: date | None = None
    proceeds: Money | None = None
    proceeds_to: PartyId | None = None


@attrs.frozen
class StatusSpan:
    """A status and the half-open span ``[start, end)`` it held; ``end=None`` while current."""

    status: AssetStatus
    start: date
    end: date | None


@attrs.frozen(kw_only=True)
class AssetState:
    """The state of one asset on a date, as known at an instant (资产状态).

    Attributes:
        asset: the (possibly corrected) description.
        as_of: the effective date asked for.
        known_at: the recorded instant asked for (``None`` = everything recorded).
        status: lifecycle status on ``as_of``.
        status_since: effective date of the last status change.
        ownership: the ownership in force (``None`` before any 确权).
        custodianship: the custodian in force (``None`` when nobody keeps it).
        contracts: operating contracts live on ``as_of``.
        book_value: current book value (original value until revalued), fen.
        disposal: the disposal record once approved.
        version: number of events known at ``known_at`` (all dates).
    """

    asset: Asset
    as_of: date
    known_at: datetime | None
    status: AssetStatus
    status_since: date
    ownership: Ownership | None
    custodianship: Custodianship | None
    contracts: tuple[OperatingContract, ...]
    book_value: Money
    disposal: DisposalRecord | None
    version: int

    @property
    def asset_id(self) -> AssetId:
        """The asset's id."""
        return self.asset.id

    @property
    def owners(self) -> tuple[PartyId, ...]:
        """Ids of the owners on ``as_of`` (empty before 确权)."""
        return tuple(h.holder for h in self.ownership.holders) if self.ownership else ()

    @property
    def custodian(self) -> PartyId | None:
        """Id of the custodian on ``as_of``, or ``None``."""
        return self.custodianship.custodian if self.custodianship else None

    @property
    def operators(self) -> tuple[PartyId, ...]:
        """Ids of the operators of live contracts."""
        return tuple(c.operator for c in self.contracts)


def _resolved(events: Iterable[AssetEvent], known_at: datetime | None) -> list[AssetEvent]:
    """Apply corrections known at ``known_at`` and return events in fold order."""
    known = [e for e in events if known_at is None or e.recorded_at <= known_at]
    corrections = sorted((e for e in known if isinstance(e, Corrected)), key=lambda e: (e.recorded_at, e.event_id))
    superseded = {c.supersedes for c in corrections}
    in_force = {c.supersedes: c.event_id for c in corrections}  # the latest correction wins
    out: list[AssetEvent] = []
    for event in known:
        if event.event_id in superseded:
            continue
        if isinstance(event, Corrected):
            rep = event.replacement
            if rep is not None and in_force[event.supersedes] == event.event_id and rep.event_id not in superseded:
                out.append(rep)
            continue
        out.append(event)
    out.sort(key=fold_key)
    return out


_STEP_BY_STATUS: Final = {status: index for index, status in enumerate(AssetStatus)}


def fold_key(event: AssetEvent) -> tuple[date, int, datetime, int, str]:
    """The order in which resolved events are folded.

    ``(effective, phase, recorded_at, step, event_id)``: by effective date; on one day the
    registration comes first and the disposal approval and disposal last (phase); then by
    when the register learned them; events recorded at the same instant and effective the
    same day follow the lifecycle (construction → completed → handed over → in use → idle
    → damaged), an ended custody or contract before a new one; the event id settles the
    rest. The result does not depend on the order the events were handed in.
    """
    if isinstance(event, AssetRegistered):
        phase, step = 0, 0
    elif isinstance(event, DisposalApproved):
        phase, step = 2, 0
    elif isinstance(event, Disposed | Restructured):
        phase, step = 3, 0
    elif isinstance(event, StatusChanged):
        phase, step = 1, 10 + _STEP_BY_STATUS[event.status]
    elif isinstance(event, HandedOver):
        phase, step = 1, 10 + _STEP_BY_STATUS[AssetStatus.HANDED_OVER]
    elif isinstance(event, CustodyEnded):
        phase, step = 1, 0
    elif isinstance(event, ContractEnded):
        phase, step = 1, 2
    else:
        phase, step = 1, 1
    return (event.effective, phase, event.recorded_at, step, event.event_id)


class _Folder:
    """Mutable accumulator used only inside :func:`fold`."""

    def __init__(self, asset_id: AssetId) -> None:
        self.asset_id = asset_id
        self.asset: Asset | None = None
        self.status = AssetStatus.PLANNED
        self.status_since: date | None = None
        self.spans: list[StatusSpan] = []
        self.ownerships: list[Ownership] = []
        self.custody: list[Custodianship] = []
        self.contracts: dict[str, OperatingContract] = {}
        self.ended: dict[str, date] = {}
        self.book_value = Money(0)
        self.disposal: DisposalRecord | None = None
        self.opening: OpeningBalanceRecorded | None = None
        self.restructured: Restructured | None = None

    def _set_status(self, target: AssetStatus, on: date) -> None:
        check_transition(self.asset_id, self.status, target, on)
        if self.spans:
            last = self.spans[-1]
            self.spans[-1] = StatusSpan(last.status, last.start, on)
        self.spans.append(StatusSpan(target, on, None))
        self.status, self.status_since = target, on

    def apply(self, event: AssetEvent) -> None:  # noqa: C901, PLR0912, PLR0915 - one branch per event type
        on = event.effective
        if self.asset is None:
            if not isinstance(event, AssetRegistered):
                raise HistoryError(
                    f"{event.kind} on {on.isoformat()} comes before the asset is registered",
                    f"{on.isoformat()} 的事件早于资产登记",
                    record=self.asset_id,
                    field="effective",
                    actual=on.isoformat(),
                )
        elif self.status in {AssetStatus.DISPOSED, AssetStatus.RESTRUCTURED}:
            raise IllegalTransition(
                f"{event.kind} on {on.isoformat()} after the asset was disposed of",
                f"资产已处置，{on.isoformat()} 不能再有变动",
                record=self.asset_id,
                field="effective",
                actual=on.isoformat(),
            )
        if isinstance(event, AssetRegistered):
            if self.asset is not None:
                raise DuplicateRecord(
                    "the asset is registered twice; correct the first registration instead",
                    "资产重复登记，应更正首次登记",
                    record=self.asset_id,
                )
            self.asset = event.asset
            self.book_value = event.asset.original_value
            self.status, self.status_since = event.status, on
            self.spans.append(StatusSpan(event.status, on, None))
        elif isinstance(event, StatusChanged):
            if event.status in {AssetStatus.DISPOSAL_APPROVED, AssetStatus.DISPOSED, AssetStatus.RESTRUCTURED}:
                raise IllegalTransition(
                    "disposal is recorded with DisposalApproved and Disposed events"
                    " (a split or merge with Restructured), not a status change",
                    "处置须以处置审批和已处置事件登记，不能直接变更状态",
                    record=self.asset_id,
                    field="status",
                    actual=event.status.value,
                )
            self._set_status(event.status, on)
        elif isinstance(event, HandedOver):
            self._set_status(AssetStatus.HANDED_OVER, on)
        elif isinstance(event, OwnershipConfirmed):
            if self.ownerships:
                prev = self.ownerships[-1]
                if prev.valid_from == on:  # replaced the same day: it never held
                    self.ownerships.pop()
                else:
                    self.ownerships[-1] = attrs.evolve(prev, valid_to=on)
            self.ownerships.append(
                Ownership(asset_id=self.asset_id, holders=event.holders, valid_from=on, document=event.document)
            )
        elif isinstance(event, CustodianAssigned):
            self._end_custody(on)
            self.custody.append(
                Custodianship(
                    asset_id=self.asset_id,
                    custodian=event.custodian,
                    method=event.method,
                    valid_from=on,
                    valid_to=event.valid_to,
                    duties=event.duties,
                    upkeep_budget=event.upkeep_budget,
                    document=event.document,
                )
            )
        elif isinstance(event, CustodyEnded):
            self._end_custody(on)
        elif isinstance(event, ContractSigned):
            assert self.asset is not None  # noqa: S101
            if self.asset.asset_class is not AssetClass.OPERATING:
                raise HistoryError(
                    "operating contracts are for operating assets",
                    "经营合同只适用于经营性资产",
                    record=self.asset_id,
                    field="asset_class",
                    actual=self.asset.asset_class.value,
                    expected=AssetClass.OPERATING.value,
                )
            if event.contract.id in self.contracts:
                raise DuplicateRecord(
                    f"contract {event.contract.id} signed twice",
                    f"合同 {event.contract.id} 重复签订",
                    record=self.asset_id,
                )
            self.contracts[event.contract.id] = event.contract
        elif isinstance(event, ContractEnded):
            if event.contract_id not in self.contracts:
                raise HistoryError(
                    f"contract {event.contract_id} was never signed",
                    f"合同 {event.contract_id} 未曾签订",
                    record=self.asset_id,
                    field="contract_id",
                    actual=event.contract_id,
                )
            if event.contract_id in self.ended:
                raise HistoryError(
                    f"contract {event.contract_id} already ended on {self.ended[event.contract_id].isoformat()}",
                    f"合同 {event.contract_id} 已于 {self.ended[event.contract_id].isoformat()} 终止",
                    record=self.asset_id,
                    field="contract_id",
                    actual=event.contract_id,
                )
            self.ended[event.contract_id] = on
        elif isinstance(event, Revalued):
            self.book_value = event.book_value
        elif isinstance(event, OpeningBalanceRecorded):
            if self.opening is not None:
                raise DuplicateRecord(
                    "an opening balance is recorded twice; correct the first one instead",
                    "期初余额重复登记，应更正首次登记",
                    record=self.asset_id,
                    field="opening_balance",
                )
            self.opening = event
        elif isinstance(event, UsageRecorded | PurchaseRecorded | EvidenceAttached):
            pass  # read by the valuation and the audit; nothing in the state depends on them
        elif isinstance(event, Restructured):
            self._set_status(AssetStatus.RESTRUCTURED, on)
            self.restructured = event
            self._end_custody(on)
        elif isinstance(event, DisposalApproved):
            self._approve(event)
        elif isinstance(event, Disposed):
            self._set_status(AssetStatus.DISPOSED, on)
            previous = self.disposal
            self.disposal = DisposalRecord(
                method=event.method,
                trigger=previous.trigger if previous else None,
                approvals=previous.approvals if previous else (),
                approved_on=previous.approved_on if previous else None,
                disposed_on=on,
                proceeds=event.proceeds,
                proceeds_to=event.proceeds_to,
            )
            self._end_custody(on)
        else:  # pragma: no cover - every event type is handled above
            raise HistoryError(f"unknown event {type(event).__name__}", "未知事件类型", record=self.asset_id)

    def _approve(self, event: DisposalApproved) -> None:
        assert self.asset is not None  # noqa: S101
        if self.asset.asset_class is AssetClass.HOUSEHOLD:
            raise IllegalTransition(
                "household assets belong to the household and leave collective disposal alone",
                "到户类资产归农户所有，不纳入集体处置",
                record=self.asset_id,
                field="asset_class",
                actual=AssetClass.HOUSEHOLD.value,
            )
        self._set_status(AssetStatus.DISPOSAL_APPROVED, event.effective)
        self.disposal = DisposalRecord(
            method=event.method, trigger=event.trigger, approvals=event.approvals, approved_on=event.effective
        )

    def _end_custody(self, on: date) -> None:
        if self.custody:
            last = self.custody[-1]
            if last.valid_to is None or last.valid_to > on:
                if last.valid_from >= on:  # ended the day it began: it never held
                    self.custody.pop()
                else:
                    self.custody[-1] = attrs.evolve(last, valid_to=on)


def fold(asset_id: AssetId, events: Iterable[AssetEvent], *, known_at: datetime | None = None) -> _Folder:
    """Fold every resolved event (all effective dates); used by :class:`AssetHistory`.

    Raises:
        IllegalTransition, HistoryError: the events do not form a legal history.
        InvalidPeriod: ``known_at`` is naive.
    """
    if known_at is not None:
        require_aware(known_at, field="known_at", record=asset_id)
    folder = _Folder(asset_id)
    for event in _resolved(events, known_at):
        folder.apply(event)
    return folder


def _events_tuple(events: Iterable[AssetEvent]) -> tuple[AssetEvent, ...]:
    return tuple(events)


@attrs.frozen
class AssetHistory:
    """The append-only history of one asset (资产履历).

    Attributes:
        asset_id: the asset.
        events: every event in the order appended (recorded order), corrections included.
    """

    asset_id: AssetId
    events: tuple[AssetEvent, ...] = attrs.field(default=(), converter=_events_tuple)

    @classmethod
    def of(cls, events: Iterable[AssetEvent]) -> AssetHistory:
        """Build a history by appending ``events`` one by one (each validated).

        Raises:
            HistoryError, IllegalTransition, DuplicateRecord: as :meth:`append`.
        """
        items = list(events)
        if not items:
            raise HistoryError("a history needs at least one event", "资产履历至少要有一个事件")
        history = cls(items[0].asset_id)
        return history.extend(items)

    @property
    def version(self) -> int:
        """Number of events appended so far (the optimistic-concurrency version)."""
        return len(self.events)

    @property
    def last_recorded_at(self) -> datetime | None:
        """``recorded_at`` of the last event appended, or ``None`` when empty."""
        return self.events[-1].recorded_at if self.events else None

    def append(self, event: AssetEvent) -> AssetHistory:
        """Return a new history with ``event`` appended, after checking it.

        Checks: same asset; unseen event id; ``recorded_at`` not before the last event's
        (recorded time only moves forward); superseded event exists; the history as known
        at each new ``recorded_at`` still folds to a legal lifecycle; and the funding lines
        of the (last) description add up to its original value (P2).

        Raises:
            HistoryError: another asset, a correction of an unknown event, or recorded time
                going backwards.
            DuplicateRecord: the event id is already in the history.
            IllegalTransition: the lifecycle would break.
            InvalidAmount: funding lines that do not add up, naming the asset.
        """
        return self.extend((event,))

    def extend(self, events: Iterable[AssetEvent]) -> AssetHistory:
        """Append several events (see :meth:`append`).

        Events sharing a ``recorded_at`` form one batch and may come in any order; the
        history is checked as known at the end of each batch.

        Raises:
            HistoryError, DuplicateRecord, IllegalTransition, InvalidAmount: as :meth:`append`.
        """
        ids: set[str] = {e.event_id for e in self.events}
        ids |= {e.replacement.event_id for e in self.events if isinstance(e, Corrected) and e.replacement}
        last = self.last_recorded_at
        items = list(events)
        for event in items:
            self._check_new(event, ids, last)
            ids.add(event.event_id)
            if isinstance(event, Corrected) and event.replacement is not None:
                if event.replacement.event_id in ids:
                    raise DuplicateRecord(
                        "the replacement reuses an event id", "替代事件编号重复", record=self.asset_id
                    )
                ids.add(event.replacement.event_id)
            last = event.recorded_at
        new = AssetHistory(self.asset_id, self.events + tuple(items))
        folded = None
        for index, event in enumerate(items):
            if index + 1 == len(items) or items[index + 1].recorded_at != event.recorded_at:
                folded = fold(self.asset_id, self.events + tuple(items[: index + 1]))
        if folded is not None and folded.asset is not None:
            check_funding(folded.asset)
        return new

    def _check_new(self, event: AssetEvent, ids: set[str], last: datetime | None) -> None:
        if event.asset_id != self.asset_id:
            raise HistoryError(
                f"event for {event.asset_id} appended to the history of {self.asset_id}",
                "事件的资产编号与履历不符",
                record=self.asset_id,
                field="asset_id",
                actual=event.asset_id,
            )
        if event.event_id in ids:
            raise DuplicateRecord(
                f"event {event.event_id} is already in the history",
                f"事件 {event.event_id} 已在履历中",
                record=self.asset_id,
                field="event_id",
                actual=event.event_id,
            )
        if last is not None and event.recorded_at < last:
            raise HistoryError(
                "recorded_at goes back in time; the register only learns forward",
                "登记时点早于上一事件，登记时间只能向前",
                record=self.asset_id,
                field="recorded_at",
                actual=event.recorded_at.isoformat(),
                expected=f">= {last.isoformat()}",
            )
        if isinstance(event, Corrected) and event.supersedes not in ids:
            raise HistoryError(
                f"correction of unknown event {event.supersedes}",
                f"更正的事件 {event.supersedes} 不存在",
                record=self.asset_id,
                field="supersedes",
                actual=event.supersedes,
            )

    # -- queries ------------------------------------------------------------------------
    def known(self, known_at: datetime | None = None) -> tuple[AssetEvent, ...]:
        """The resolved events known at ``known_at``, in fold order (corrections applied)."""
        if known_at is not None:
            require_aware(known_at, field="known_at", record=self.asset_id)
        return tuple(_resolved(self.events, known_at))

    def exists(self, *, as_of: date, known_at: datetime | None = None) -> bool:
        """Whether the asset is registered with an effective date on or before ``as_of``."""
        return any(isinstance(e, AssetRegistered) and e.effective <= as_of for e in self.known(known_at))

    def state(self, *, as_of: date, known_at: datetime | None = None) -> AssetState:
        """The asset's state on ``as_of`` as the register knew it at ``known_at``.

        Args:
            as_of: the effective date asked for.
            known_at: a timezone-aware instant; ``None`` means everything recorded.

        Raises:
            NotYetKnown: ``known_at`` is before the first event was recorded (an
                :class:`UnknownAsset` with its own code).
            UnknownAsset: the asset is not registered by ``as_of`` as known at ``known_at``.
            InvalidPeriod: ``known_at`` is naive.
        """
        if known_at is not None:
            known_at = require_aware(known_at, field="known_at", record=self.asset_id)
        known = [e for e in self.events if known_at is None or e.recorded_at <= known_at]
        if known_at is not None and self.events and not known:
            first = self.events[0].recorded_at
            raise NotYetKnown(
                f"asset {self.asset_id} was first recorded at {first.isoformat()}, after {known_at.isoformat()}",
                f"资产 {self.asset_id} 于 {first.isoformat()} 才登记入库，晚于 {known_at.isoformat()}",
                record=self.asset_id,
                field="known_at",
                expected=f">= {first.isoformat()}",
                actual=known_at.isoformat(),
            )
        folder = _Folder(self.asset_id)
        for event in _resolved(known, None):
            if event.effective <= as_of:
                folder.apply(event)
        if folder.asset is None:
            raise UnknownAsset(
                f"asset {self.asset_id} is not registered on {as_of.isoformat()}",
                f"资产 {self.asset_id} 在 {as_of.isoformat()} 尚未登记",
                record=self.asset_id,
                field="as_of",
                actual=as_of.isoformat(),
            )
        ownership = next((o for o in reversed(folder.ownerships) if o.active_on(as_of)), None)
        custody = next((c for c in reversed(folder.custody) if c.active_on(as_of)), None)
        contracts = tuple(
            c
            for cid, c in sorted(folder.contracts.items())
            if c.live_on(as_of) and (cid not in folder.ended or as_of < folder.ended[cid])
        )
        return AssetState(
            asset=folder.asset,
            as_of=as_of,
            known_at=known_at,
            status=folder.status,
            status_since=folder.status_since or as_of,
            ownership=ownership,
            custodianship=custody,
            contracts=contracts,
            book_value=folder.book_value,
            disposal=folder.disposal,
            version=len(known),
        )

    def asset(self, known_at: datetime | None = None) -> Asset:
        """The asset's description as last known (corrections applied).

        Raises:
            UnknownAsset: nothing registered at ``known_at``.
        """
        for event in reversed(self.known(known_at)):
            if isinstance(event, AssetRegistered):
                return event.asset
        raise UnknownAsset(
            f"asset {self.asset_id} is not registered", f"资产 {self.asset_id} 未登记", record=self.asset_id
        )

    def ownerships(self, known_at: datetime | None = None) -> tuple[Ownership, ...]:
        """Every ownership in effective order, each closed by the next (``valid_to``)."""
        return tuple(fold(self.asset_id, self.events, known_at=known_at).ownerships)

    def custodianships(self, known_at: datetime | None = None) -> tuple[Custodianship, ...]:
        """Every custody in effective order, each cut at the next assignment or end."""
        return tuple(fold(self.asset_id, self.events, known_at=known_at).custody)

    def custody_as_declared(self, known_at: datetime | None = None) -> tuple[Custodianship, ...]:
        """Custody agreements as declared (own ``valid_to``, not cut): overlaps show here."""
        return tuple(
            Custodianship(
                asset_id=self.asset_id,
                custodian=event.custodian,
                method=event.method,
                valid_from=event.effective,
                valid_to=event.valid_to,
                duties=event.duties,
                upkeep_budget=event.upkeep_budget,
                document=event.document,
            )
            for event in self.known(known_at)
            if isinstance(event, CustodianAssigned)
        )

    def contracts(self, known_at: datetime | None = None) -> tuple[tuple[OperatingContract, date | None], ...]:
        """Every contract signed, with its early end date (``None`` if it ran its term)."""
        folder = fold(self.asset_id, self.events, known_at=known_at)
        return tuple((c, folder.ended.get(cid)) for cid, c in sorted(folder.contracts.items()))

    def status_spans(self, known_at: datetime | None = None) -> tuple[StatusSpan, ...]:
        """The statuses held, each with its half-open span."""
        return tuple(fold(self.asset_id, self.events, known_at=known_at).spans)

    def disposal(self, known_at: datetime | None = None) -> DisposalRecord | None:
        """The disposal record, if any, over all dates."""
        return fold(self.asset_id, self.events, known_at=known_at).disposal

    def __iter__(self) -> Iterator[AssetEvent]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def find(self, event_id: EventId) -> AssetEvent | None:
        """The event with ``event_id`` (replacements included), or ``None``."""
        for event in self.events:
            if event.event_id == event_id:
                return event
            if isinstance(event, Corrected) and event.replacement and event.replacement.event_id == event_id:
                return event.replacement
        return None
