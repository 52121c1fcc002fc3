"""Write commands (写入命令): one call per change to an asset, for a service embedding assetreg.

Each command runs the cycle a service would otherwise hand-write:

1. read the asset's history (:meth:`~assetreg.ports.AssetRepository.get`);
2. build the event, with ``recorded_at`` read from the injected :class:`~assetreg.ports.Clock`
   (the core never reads the system clock; :class:`~assetreg.adapters.clock.SystemClock`
   does, :class:`~assetreg.adapters.clock.FixedClock` is for tests and replays);
3. append it with the version read (or the ``expected_version`` the caller passes, e.g.
   the version a form was filled in against) as the expected version;
4. commit the unit of work (unless ``commit=False``, to put several commands in one
   transaction; the caller then commits).

It returns a :class:`Written`: the event as stored and the history's new version.

Nothing is retried. A stale ``expected_version`` raises
:class:`~assetreg.errors.ConcurrencyError`; another writer committing between the read and
the write raises :class:`~assetreg.errors.LostRace` (a ``ConcurrencyError``, with the
version read and, when it can be read, the version stored now), at the append or at the
commit. Either way nothing was written: re-read, re-decide, and call again.

A command given an ``event_id`` already in the history returns that stored event
(``new=False``) when it says the same (``recorded_at`` aside), so a client may resend a
request safely; other content under that id is :class:`~assetreg.errors.DuplicateRecord`.

The other refusals are the unit of work's and the domain's: :class:`~assetreg.errors.UnknownAsset`
(the asset is not stored), :class:`~assetreg.errors.AlreadyRegistered` (registering a stored
id), :class:`~assetreg.errors.UnknownReference` (an owner, custodian, operator, recipient
or proceeds receiver that is not a stored party), :class:`~assetreg.errors.IllegalTransition`
(DESIGN §6), :class:`~assetreg.errors.ScopeViolation`, and the value constructors' own
:class:`~assetreg.errors.InvalidValue` family. Every one is an :class:`~assetreg.errors.AssetRegError`
with a :class:`~assetreg.errors.Category`.

Example:
    >>> from assetreg.adapters.clock import SystemClock  # doctest: +SKIP
    >>> written = change_status(uow, AssetId("HN-PV-001"), AssetStatus.IDLE,  # doctest: +SKIP
    ...                         effective=date(2025, 3, 1), clock=SystemClock(), reason="逆变器故障")
    >>> written.version  # doctest: +SKIP
    9
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from assetreg.domain.assets import Asset, AssetId
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
    HandedOver,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
    new_event_id,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import require_aware
from assetreg.domain.rights import ContractId, OperatingContract, OwnerShare
from assetreg.domain.vocab import AssetStatus, CustodyMethod, DisposalMethod, DisposalTrigger
from assetreg.errors import (
    ConcurrencyError,
    DuplicateRecord,
    HistoryError,
    LostRace,
    UnknownAsset,
    already_registered,
    lost_race,
)
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import Clock, UnitOfWork

__all__ = [
    "Written",
    "approve_disposal",
    "assign_custodian",
    "change_status",
    "confirm_ownership",
    "correct",
    "dispose",
    "end_contract",
    "end_custody",
    "hand_over",
    "record_event",
    "record_revenue",
    "register_asset",
    "revalue",
    "sign_contract",
]


@attrs.frozen(kw_only=True)
class Written:
    """What a write command stored (写入结果).

    Attributes:
        event: the event as stored (``recorded_at`` from the clock, UTC).
        version: the asset history's version after the write (its number of events).
        new: ``False`` when the event id was already stored with the same content and
            nothing was written (a resent request).
    """

    event: AssetEvent
    version: int
    new: bool = True


_NO_COSTS = Money(0)

Build = Callable[[datetime, EventId], AssetEvent]
"""Builds the event from the clock's reading and the event id."""


def _same_but_recorded_at(stored: AssetEvent, candidate: AssetEvent) -> bool:
    if type(stored) is not type(candidate):
        return False
    fields = [a.name for a in attrs.fields(type(stored)) if a.name != "recorded_at"]
    if isinstance(stored, Corrected) and isinstance(candidate, Corrected):
        fields.remove("replacement")
        left, right = stored.replacement, candidate.replacement
        if (left is None) != (right is None):
            return False
        if left is not None and right is not None and not _same_but_recorded_at(left, right):
            return False
    return all(getattr(stored, name) == getattr(candidate, name) for name in fields)


def record_event(
    uow: UnitOfWork,
    asset_id: AssetId,
    build: Build,
    *,
    clock: Clock,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Run one write command: read, build the event at the clock's instant, append, commit.

    The typed commands of this module call it; a service may call it for an event type
    they do not cover (usage records, opening balances, restructurings).

    Args:
        uow: the unit of work (its scope applies).
        asset_id: the asset written to.
        build: ``build(recorded_at, event_id)`` returns the event.
        clock: gives ``recorded_at`` (timezone-aware; stored in UTC).
        expected_version: the version the caller's decision was based on; ``None`` =
            the version read in step 1.
        event_id: the event's id; a random one when ``None``. Resending an id already
            stored returns the stored event (see the module docstring).
        commit: commit the unit of work after the append.

    Returns:
        The :class:`Written` event and version.

    Raises:
        UnknownAsset: the asset is not stored (or outside the scope, as the unit of work reports it).
        ConcurrencyError: ``expected_version`` is not the stored version.
        LostRace: another writer committed between the read and the write.
        DuplicateRecord: ``event_id`` is stored with other content.
        InvalidPeriod: the clock gave a naive instant.
        UnknownReference, IllegalTransition, HistoryError, ScopeViolation: the write is refused.
    """
    history = uow.assets.get(asset_id)
    return _write(uow, history, build, clock=clock, expected=expected_version, event_id=event_id, commit=commit)


def _write(
    uow: UnitOfWork,
    history: AssetHistory,
    build: Build,
    *,
    clock: Clock,
    expected: int | None,
    event_id: EventId | None,
    commit: bool,
) -> Written:
    if expected is not None and expected != history.version:
        raise ConcurrencyError(
            f"asset {history.asset_id} is at version {history.version}, not {expected}; re-read and retry",
            f"资产 {history.asset_id} 当前版本为 {history.version}，不是 {expected}；请重新读取后再试",
            record=history.asset_id,
            field="version",
            expected=expected,
            actual=history.version,
        )
    now = require_aware(clock.now(), field="recorded_at", record=history.asset_id)
    event = build(now, event_id or new_event_id())
    if event_id is not None:
        stored = history.find(event_id)
        if stored is not None:
            if not _same_but_recorded_at(stored, event):
                raise DuplicateRecord(
                    f"event {event_id} of asset {history.asset_id} is stored with other content",
                    f"资产 {history.asset_id} 的事件 {event_id} 已以不同内容入库",
                    record=history.asset_id,
                    field="event_id",
                    actual=event_id,
                )
            return Written(event=stored, version=history.version, new=False)
    try:
        version = uow.assets.append(history.asset_id, [event], expected_version=history.version)
    except LostRace:
        raise
    except ConcurrencyError as exc:  # the version read is stale already: another writer came in between
        actual = exc.actual if isinstance(exc.actual, int) else None
        raise lost_race(history.asset_id, history.version, actual) from exc
    if commit:
        uow.commit()
    return Written(event=event, version=version)


def _common(note: str | None) -> dict[str, Any]:
    return {} if note is None else {"note": note}


def register_asset(
    uow: UnitOfWork,
    asset: Asset,
    *,
    effective: date,
    clock: Clock,
    status: AssetStatus = AssetStatus.IN_USE,
    note: str | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Register ``asset`` (登记入账) from ``effective`` on; the new history's version is 1.

    Raises:
        AlreadyRegistered: the asset id is stored (unless ``event_id`` names the stored
            registration with the same content, which returns it).
        ScopeViolation: the asset lies outside the unit of work's scope.
        LostRace: another writer registered it first.
    """
    try:
        history = uow.assets.get(asset.id)
    except UnknownAsset:
        history = AssetHistory(asset.id)
    else:
        if event_id is None or history.find(event_id) is None:
            raise already_registered(asset.id, history.version)

    def build(now: datetime, eid: EventId) -> AssetEvent:
        return AssetRegistered(
            asset_id=asset.id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            asset=asset,
            status=status,
            **_common(note),
        )

    return _write(uow, history, build, clock=clock, expected=0, event_id=event_id, commit=commit)


def confirm_ownership(
    uow: UnitOfWork,
    asset_id: AssetId,
    holders: Iterable[OwnerShare],
    *,
    effective: date,
    clock: Clock,
    document: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Confirm the owners (确权) from ``effective`` on; their exact shares must add up to 1.

    Raises:
        InvalidShares: the shares do not add up to exactly 1.
        UnknownReference: a holder is not a stored party.
        (and as :func:`record_event`)
    """
    shares = tuple(holders)
    return record_event(
        uow,
        asset_id,
        lambda now, eid: OwnershipConfirmed(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            holders=shares,
            document=document,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def assign_custodian(
    uow: UnitOfWork,
    asset_id: AssetId,
    custodian: PartyId,
    *,
    method: CustodyMethod,
    effective: date,
    clock: Clock,
    valid_to: date | None = None,
    duties: str | None = None,
    upkeep_budget: Money | None = None,
    document: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Assign ``custodian`` (管护主体) from ``effective`` on (until ``valid_to``, exclusive, if given).

    ``upkeep_budget`` is fen per year (管护经费).

    Raises:
        UnknownReference: the custodian is not a stored party.
        InvalidChoice: ``method`` is not a :class:`CustodyMethod`.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: CustodianAssigned(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            custodian=custodian,
            method=method,
            valid_to=valid_to,
            duties=duties,
            upkeep_budget=upkeep_budget,
            document=document,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def end_custody(
    uow: UnitOfWork,
    asset_id: AssetId,
    *,
    effective: date,
    clock: Clock,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """End the current custodian's duty on ``effective`` (管护终止), with no successor yet.

    Raises:
        as :func:`record_event`.
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: CustodyEnded(
            asset_id=asset_id, effective=effective, recorded_at=now, event_id=eid, **_common(note)
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def sign_contract(
    uow: UnitOfWork,
    contract: OperatingContract,
    *,
    effective: date,
    clock: Clock,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Record a signed operating contract (签订经营合同) of ``contract.asset_id``.

    Raises:
        UnknownReference: the operator is not a stored party.
        IllegalTransition, HistoryError: the domain refuses the contract (e.g. not an operating asset).
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        contract.asset_id,
        lambda now, eid: ContractSigned(
            asset_id=contract.asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            contract=contract,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def end_contract(
    uow: UnitOfWork,
    asset_id: AssetId,
    contract_id: ContractId,
    *,
    effective: date,
    clock: Clock,
    reason: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """End contract ``contract_id`` early on ``effective`` (合同终止).

    Raises:
        as :func:`record_event`.
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: ContractEnded(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            contract_id=contract_id,
            reason=reason,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def change_status(
    uow: UnitOfWork,
    asset_id: AssetId,
    status: AssetStatus,
    *,
    effective: date,
    clock: Clock,
    reason: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Move the asset to ``status`` on ``effective`` (状态变更), DESIGN §6.

    Disposal goes through :func:`approve_disposal` and :func:`dispose` instead.

    Raises:
        IllegalTransition: the lifecycle does not allow the step.
        InvalidChoice: ``status`` is not an :class:`AssetStatus`.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: StatusChanged(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            status=status,
            reason=reason,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def hand_over(
    uow: UnitOfWork,
    asset_id: AssetId,
    *,
    effective: date,
    clock: Clock,
    recipient: PartyId | None = None,
    document: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Record the handover (移交) of the completed asset to ``recipient``.

    Raises:
        UnknownReference: the recipient is not a stored party.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: HandedOver(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            recipient=recipient,
            document=document,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def revalue(
    uow: UnitOfWork,
    asset_id: AssetId,
    book_value: Money,
    *,
    effective: date,
    clock: Clock,
    reason: str | None = None,
    remaining_life_months: int | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Record a revaluation (资产重估) to ``book_value`` fen on ``effective``.

    Raises:
        InvalidAmount: a negative book value.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: Revalued(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            book_value=book_value,
            reason=reason,
            remaining_life_months=remaining_life_months,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def approve_disposal(
    uow: UnitOfWork,
    asset_id: AssetId,
    *,
    method: DisposalMethod,
    trigger: DisposalTrigger,
    effective: date,
    clock: Clock,
    approvals: Sequence[Approval] = (),
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Record the approval of a disposal (处置审批), P12.

    Raises:
        IllegalTransition: the asset cannot be disposed of from its status.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: DisposalApproved(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            method=method,
            trigger=trigger,
            approvals=tuple(approvals),
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def dispose(
    uow: UnitOfWork,
    asset_id: AssetId,
    *,
    method: DisposalMethod,
    proceeds: Money,
    effective: date,
    clock: Clock,
    proceeds_to: PartyId | None = None,
    clearing_costs: Money = _NO_COSTS,
    document: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Record the disposal (资产处置): ``proceeds`` and ``clearing_costs`` in fen, P12.

    Raises:
        UnknownReference: ``proceeds_to`` is not a stored party.
        IllegalTransition: no approved disposal to carry out.
        InvalidAmount: negative proceeds or costs.
        (and as :func:`record_event`)
    """
    return record_event(
        uow,
        asset_id,
        lambda now, eid: Disposed(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            method=method,
            proceeds=proceeds,
            proceeds_to=proceeds_to,
            document=document,
            clearing_costs=clearing_costs,
            **_common(note),
        ),
        clock=clock,
        expected_version=expected_version,
        event_id=event_id,
        commit=commit,
    )


def correct(
    uow: UnitOfWork,
    asset_id: AssetId,
    supersedes: EventId,
    *,
    clock: Clock,
    replacement: AssetEvent | None = None,
    reason: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    event_id: EventId | None = None,
    commit: bool = True,
) -> Written:
    """Correct (更正) the stored event ``supersedes``: withdraw it, or replace it by ``replacement``.

    The correction takes the superseded event's effective date (or the replacement's);
    the replacement's ``recorded_at`` is set to the clock's reading, as the history
    requires of a replacement.

    Raises:
        HistoryError: ``supersedes`` is not an event of the asset.
        InvalidValue: the replacement belongs to another asset.
        (and as :func:`record_event`)
    """
    history = uow.assets.get(asset_id)
    target = history.find(supersedes)
    if target is None:
        raise HistoryError(
            f"correction of unknown event {supersedes}",
            f"更正的事件 {supersedes} 不存在",
            record=asset_id,
            field="supersedes",
            actual=supersedes,
        )
    effective = replacement.effective if replacement is not None else target.effective

    def build(now: datetime, eid: EventId) -> AssetEvent:
        return Corrected(
            asset_id=asset_id,
            effective=effective,
            recorded_at=now,
            event_id=eid,
            supersedes=supersedes,
            replacement=None if replacement is None else attrs.evolve(replacement, recorded_at=now),
            reason=reason,
            **_common(note),
        )

    return _write(uow, history, build, clock=clock, expected=expected_version, event_id=event_id, commit=commit)


def record_revenue(uow: UnitOfWork, entries: Iterable[RevenueEntry], *, commit: bool = True) -> int:
    """Store revenue entries (收益入账), all or none, and return how many were new.

    Entries carry no ``recorded_at``; an entry already stored with the same content is
    skipped (a resent request).

    Raises:
        DuplicateRecord: an entry id is stored with other content.
        UnknownAsset: an entry's asset is not stored.
        ScopeViolation: an entry's asset lies outside the scope.
    """
    added = uow.revenue.add(list(entries))
    if commit:
        uow.commit()
    return added
