"""What a re-imported ledger changes in a stored register (台账比对): dated events, bitemporally.

A county sends its 台账 again every year with changes. :func:`diff_registers` compares the
register stored from earlier imports with the register just read from the new ledger
(:func:`assetreg.adapters.ledger.importer.import_ledger`) and returns the events that bring
the store in line. It lives in the domain, below the services, so that the import use case
can call it with the register it loaded and the one it was handed, never editing what is stored (DESIGN §4,
"history is never overwritten"). Each difference is one of:

* **added** — an asset the store does not hold: its events as imported;
* **fact** — the world changed (a change of fact): status, owner, custodian or operating
  contract differ; a new event effective on the ledger's date (``effective``) is recorded
  (:class:`~assetreg.domain.events.StatusChanged`, ``OwnershipConfirmed``,
  ``CustodianAssigned``, ``ContractEnded`` + ``ContractSigned``);
* **correction** — the register was wrong (a correction of an earlier record): the
  description of the asset (name, class, form, kind, 原值, funding, area code, project,
  dates…) or its registration date differ; a
  :class:`~assetreg.domain.events.Corrected` event supersedes the stored registration
  with the ledger's version, effective as the original was. With ``corrections=True``
  the relations (status, owner, custodian, contract) are corrected the same way instead of
  being recorded as changes of fact.

Both axes stay answerable: ``state(as_of=…)`` before the ledger's date still shows the old
owner (a change of fact has a date), and ``state(known_at=…)`` before the re-import still
shows what the register said then (a correction has an instant).

What a blank cell cannot say is not guessed: an asset stored but absent from the new
ledger is listed in :attr:`RegisterDiff.missing` (it is not disposed of), and an owner,
custodian or contract present in the store but blank in the ledger is listed as a change
with no event (a blank cell does not end a right).

Pure: no I/O, no clock (``recorded_at`` is an argument).
"""

from __future__ import annotations

import enum
import hashlib
from typing import TYPE_CHECKING, Final

import attrs

from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractEnded,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    EventId,
    HandedOver,
    OwnershipConfirmed,
    StatusChanged,
)
from assetreg.domain.history import check_transition
from assetreg.domain.periods import require_aware
from assetreg.domain.rights import ContractId
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from datetime import date, datetime

    from assetreg.domain.assets import Asset, AssetId
    from assetreg.domain.history import AssetHistory, AssetState
    from assetreg.domain.parties import Party, PartyId
    from assetreg.domain.register import AssetRegister

__all__ = ["ChangeKind", "RegisterChange", "RegisterDiff", "diff_registers"]

_ID_LIMIT: Final = 64  # the event id columns of the SQL adapter hold 64 characters


class ChangeKind(enum.Enum):
    """What kind of difference a re-imported ledger shows (变更类型)."""

    ADDED = "added"
    """新增: an asset the store does not hold."""
    FACT = "fact"
    """事实变更: the world changed on the ledger's date."""
    CORRECTION = "correction"
    """更正: an earlier record was wrong."""


@attrs.frozen(kw_only=True)
class RegisterChange:
    """One difference between the stored register and a re-imported ledger.

    Attributes:
        asset_id: the asset.
        kind: added, a change of fact, or a correction.
        field: what differs: ``"asset"`` (added), ``"description"`` (with
            :attr:`fields`), ``"registered_on"``, ``"status"``, ``"ownership"``,
            ``"custodian"`` or ``"contract"``.
        fields: for ``"description"``, the asset attributes that differ (``"original_value"``…).
        before: the stored value, as text (``""`` when there was none).
        after: the ledger's value, as text (``""`` when the ledger leaves it blank).
        events: the events to record (none when a blank cell cannot say what happened).
    """

    asset_id: AssetId
    kind: ChangeKind
    field: str
    fields: tuple[str, ...] = ()
    before: str = ""
    after: str = ""
    events: tuple[AssetEvent, ...] = ()


@attrs.frozen(kw_only=True)
class RegisterDiff:
    """The differences of a re-imported ledger against the stored register.

    Attributes:
        changes: every difference, by asset id then in the order description,
            registration date, status, ownership, custodian, contract.
        parties: parties named by the ledger and not yet stored (needed by the events).
        missing: stored assets the ledger does not list (reported; nothing is recorded).
        unchanged: assets the ledger lists exactly as stored.
    """

    changes: tuple[RegisterChange, ...]
    parties: tuple[Party, ...]
    missing: tuple[AssetId, ...]
    unchanged: tuple[AssetId, ...]

    @property
    def events(self) -> tuple[AssetEvent, ...]:
        """The events to record, in change order."""
        return tuple(event for change in self.changes for event in change.events)

    @property
    def empty(self) -> bool:
        """Whether the ledger changes nothing."""
        return not self.changes

    def apply(self, stored: AssetRegister) -> AssetRegister:
        """The stored register with the new parties added and the events recorded.

        Raises:
            HistoryError, IllegalTransition, DuplicateRecord: as ``AssetRegister.record``.
        """
        register = stored
        for party in self.parties:
            register = register.add_party(party)
        return register.record(*self.events)


def diff_registers(
    stored: AssetRegister,
    imported: AssetRegister,
    *,
    effective: date,
    recorded_at: datetime,
    corrections: bool = False,
) -> RegisterDiff:
    """Compare a re-imported ledger's register with the stored one (see the module docstring).

    Args:
        stored: the register as stored (everything known).
        imported: the register read from the new ledger
            (:func:`assetreg.adapters.ledger.importer.import_ledger`).
        effective: the date the ledger speaks for (its 统计截止日期): changes of fact take
            effect on it, and states are compared on it.
        recorded_at: when the register learns the changes (timezone-aware); every event
            gets this instant.
        corrections: record differences of status, owner, custodian and contract as
            corrections of the stored records instead of changes of fact.

    Returns:
        The :class:`RegisterDiff`; ``diff.apply(stored)`` is the register after the import.

    Raises:
        InvalidPeriod: ``recorded_at`` is naive.
    """
    at = require_aware(recorded_at, field="recorded_at")
    changes: list[RegisterChange] = []
    unchanged: list[AssetId] = []
    for asset_id in sorted(imported.histories):
        new = imported.histories[asset_id]
        if asset_id not in stored.histories:
            changes.append(
                RegisterChange(
                    asset_id=asset_id,
                    kind=ChangeKind.ADDED,
                    field="asset",
                    after=new.asset().name,
                    events=new.known(),
                )
            )
            continue
        found = _Compare(asset_id, stored.histories[asset_id], new, effective, at, corrections).changes()
        if found:
            changes.extend(found)
        else:
            unchanged.append(asset_id)
    events_parties = {p for change in changes for event in change.events for p in _parties_of(event)}
    parties = tuple(
        sorted(
            (imported.parties[p] for p in events_parties if p in imported.parties and p not in stored.parties),
            key=lambda p: p.id,
        )
    )
    missing = tuple(sorted(a for a in stored.histories if a not in imported.histories))
    return RegisterDiff(changes=tuple(changes), parties=parties, missing=missing, unchanged=tuple(unchanged))


def _parties_of(event: AssetEvent) -> tuple[PartyId, ...]:
    if isinstance(event, OwnershipConfirmed):
        return tuple(h.holder for h in event.holders)
    if isinstance(event, CustodianAssigned):
        return (event.custodian,)
    if isinstance(event, ContractSigned):
        return (event.contract.operator,)
    if isinstance(event, Corrected) and event.replacement is not None:
        return _parties_of(event.replacement)
    return ()


def _event_id(asset_id: str, what: str, at: datetime) -> EventId:
    """``"<asset>/<what>@<UTC instant>"``, cut with a hash when longer than 64 characters."""
    full = f"{asset_id}/{what}@{at.strftime('%Y%m%dT%H%M%S%fZ')}"
    if len(full) <= _ID_LIMIT:
        return EventId(full)
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:12]
    return EventId(f"{full[: _ID_LIMIT - 13]}~{digest}")


def _registration(history: AssetHistory) -> AssetRegistered:
    return next(e for e in history.known() if isinstance(e, AssetRegistered))


def _differing(before: Asset, after: Asset) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(type(before)) if getattr(before, f.name) != getattr(after, f.name))


class _Compare:
    """The differences of one asset listed in both registers."""

    def __init__(  # noqa: PLR0917 - private helper
        self,
        asset_id: AssetId,
        old: AssetHistory,
        new: AssetHistory,
        effective: date,
        at: datetime,
        corrections: bool,
    ) -> None:
        self.asset_id = asset_id
        self.old, self.new = old, new
        self.effective, self.at, self.corrections = effective, at, corrections
        self.old_reg, self.new_reg = _registration(old), _registration(new)
        # states are compared on the ledger's date, or once both registrations are in force
        on = max(effective, self.old_reg.effective, self.new_reg.effective)
        self.old_state: AssetState = old.state(as_of=on)
        self.new_state: AssetState = new.state(as_of=on)

    def changes(self) -> list[RegisterChange]:
        out: list[RegisterChange] = []
        registration = self._registration_change()
        status = self._status_change(registration)
        out.extend(registration)
        out.extend(status)
        out.extend(self._ownership_change())
        out.extend(self._custody_change())
        out.extend(self._contract_change())
        return out

    # -- the registration: a correction ------------------------------------------------
    def _registration_change(self) -> list[RegisterChange]:
        old, new = self.old_reg, self.new_reg
        fields = _differing(old.asset, new.asset)
        moved = old.effective != new.effective
        if not fields and not moved:
            return []
        replacement = attrs.evolve(
            old,
            asset=new.asset,
            effective=new.effective,
            recorded_at=self.at,
            event_id=_event_id(self.asset_id, "registered", self.at),
        )
        correction = Corrected(
            asset_id=self.asset_id,
            effective=old.effective,
            recorded_at=self.at,
            event_id=_event_id(self.asset_id, "corrected", self.at),
            supersedes=old.event_id,
            replacement=replacement,
            reason="re-imported ledger",
        )
        out: list[RegisterChange] = []
        if fields:
            out.append(
                RegisterChange(
                    asset_id=self.asset_id,
                    kind=ChangeKind.CORRECTION,
                    field="description",
                    fields=fields,
                    before="; ".join(f"{f}={getattr(old.asset, f)}" for f in fields),
                    after="; ".join(f"{f}={getattr(new.asset, f)}" for f in fields),
                    events=(correction,),
                )
            )
        if moved:
            out.append(
                RegisterChange(
                    asset_id=self.asset_id,
                    kind=ChangeKind.CORRECTION,
                    field="registered_on",
                    before=old.effective.isoformat(),
                    after=new.effective.isoformat(),
                    events=() if fields else (correction,),
                )
            )
        return out

    # -- relations: changes of fact, or corrections ------------------------------------
    def _status_change(self, registration: list[RegisterChange]) -> list[RegisterChange]:
        before, after = self.old_state.status, self.new_state.status
        if before is after:
            return []
        change = RegisterChange(
            asset_id=self.asset_id, kind=ChangeKind.FACT, field="status", before=before.value, after=after.value
        )
        legal = True
        try:
            check_transition(self.asset_id, before, after, self.effective)
        except AssetRegError:
            legal = False
        if not self.corrections and legal:
            event = StatusChanged(
                asset_id=self.asset_id,
                effective=self.effective,
                recorded_at=self.at,
                event_id=_event_id(self.asset_id, "status", self.at),
                status=after,
                reason="re-imported ledger",
            )
            return [attrs.evolve(change, events=(event,))]
        # a correction: of the event that set the status in force
        setter = next(
            (
                e
                for e in reversed(self.old.known())
                if isinstance(e, AssetRegistered | StatusChanged | HandedOver) and e.effective <= self.effective
            ),
            self.old_reg,
        )
        if isinstance(setter, AssetRegistered):
            done = next((c for c in registration if c.events), None)
            if done is not None:  # fold the status into the registration's replacement
                (corrected,) = done.events
                assert isinstance(corrected, Corrected)  # noqa: S101 - built above
                assert isinstance(corrected.replacement, AssetRegistered)  # noqa: S101 - built above
                fixed = attrs.evolve(corrected, replacement=attrs.evolve(corrected.replacement, status=after))
                registration[registration.index(done)] = attrs.evolve(done, events=(fixed,))
                return [attrs.evolve(change, kind=ChangeKind.CORRECTION)]
            replacement: AssetEvent = attrs.evolve(
                setter,
                status=after,
                recorded_at=self.at,
                event_id=_event_id(self.asset_id, "registered", self.at),
            )
        elif isinstance(setter, StatusChanged):
            replacement = attrs.evolve(
                setter, status=after, recorded_at=self.at, event_id=_event_id(self.asset_id, "status", self.at)
            )
        else:  # a hand-over cannot carry another status: record the status after it
            replacement = StatusChanged(
                asset_id=self.asset_id,
                effective=setter.effective,
                recorded_at=self.at,
                event_id=_event_id(self.asset_id, "status", self.at),
                status=after,
            )
            return [attrs.evolve(change, kind=ChangeKind.CORRECTION, events=(replacement,))]
        return [attrs.evolve(change, kind=ChangeKind.CORRECTION, events=(self._correct(setter, replacement),))]

    def _correct(self, old: AssetEvent, replacement: AssetEvent) -> Corrected:
        return Corrected(
            asset_id=self.asset_id,
            effective=old.effective,
            recorded_at=self.at,
            event_id=_event_id(self.asset_id, f"corrected-{old.kind}", self.at),
            supersedes=old.event_id,
            replacement=replacement,
            reason="re-imported ledger",
        )

    def _ownership_change(self) -> list[RegisterChange]:
        old = self.old_state.ownership
        new = self.new_state.ownership
        before = ", ".join(f"{h.holder} {h.share}" for h in old.holders) if old else ""
        after = ", ".join(f"{h.holder} {h.share}" for h in new.holders) if new else ""
        if before == after:
            return []
        change = RegisterChange(
            asset_id=self.asset_id, kind=ChangeKind.FACT, field="ownership", before=before, after=after
        )
        if new is None:
            return [change]  # a blank owner cell does not end ownership
        confirmed = OwnershipConfirmed(
            asset_id=self.asset_id,
            effective=self.effective,
            recorded_at=self.at,
            event_id=_event_id(self.asset_id, "ownership", self.at),
            holders=new.holders,
        )
        last = next((e for e in reversed(self.old.known()) if isinstance(e, OwnershipConfirmed)), None)
        if self.corrections and last is not None:
            fixed = attrs.evolve(confirmed, effective=last.effective)
            return [attrs.evolve(change, kind=ChangeKind.CORRECTION, events=(self._correct(last, fixed),))]
        return [attrs.evolve(change, events=(confirmed,))]

    def _custody_change(self) -> list[RegisterChange]:
        old = self.old_state.custodianship
        new = self.new_state.custodianship
        before = f"{old.custodian} {old.method.value}" if old else ""
        after = f"{new.custodian} {new.method.value}" if new else ""
        if before == after:
            return []
        change = RegisterChange(
            asset_id=self.asset_id, kind=ChangeKind.FACT, field="custodian", before=before, after=after
        )
        if new is None:
            return [change]  # a blank custodian cell does not end custody
        assigned = CustodianAssigned(
            asset_id=self.asset_id,
            effective=self.effective,
            recorded_at=self.at,
            event_id=_event_id(self.asset_id, "custody", self.at),
            custodian=new.custodian,
            method=new.method,
        )
        last = next((e for e in reversed(self.old.known()) if isinstance(e, CustodianAssigned)), None)
        if self.corrections and last is not None:
            fixed = attrs.evolve(assigned, effective=last.effective)
            return [attrs.evolve(change, kind=ChangeKind.CORRECTION, events=(self._correct(last, fixed),))]
        return [attrs.evolve(change, events=(assigned,))]

    def _contract_change(self) -> list[RegisterChange]:
        old = {c.id: c for c in self.old_state.contracts}
        new = {c.id: c for c in self.new_state.contracts}
        if old == new:
            return []
        before = "; ".join(f"{c.id} {c.operator} {c.term}" for c in old.values())
        after = "; ".join(f"{c.id} {c.operator} {c.term}" for c in new.values())
        change = RegisterChange(
            asset_id=self.asset_id, kind=ChangeKind.FACT, field="contract", before=before, after=after
        )
        if not new:
            return [change]  # a blank operator cell does not end a contract
        signed_events = {
            e.contract.id: e for e in self.old.known() if isinstance(e, ContractSigned) and e.contract.id in old
        }
        events: list[AssetEvent] = []
        if self.corrections:
            for contract_id, contract in new.items():
                signed = signed_events.get(contract_id)
                if signed is None:
                    continue
                replacement = attrs.evolve(
                    signed,
                    contract=contract,
                    recorded_at=self.at,
                    event_id=_event_id(self.asset_id, "contract", self.at),
                )
                events.append(self._correct(signed, replacement))
            if events:
                return [attrs.evolve(change, kind=ChangeKind.CORRECTION, events=tuple(events))]
        for number, contract_id in enumerate(old, start=1):
            events.append(
                ContractEnded(
                    asset_id=self.asset_id,
                    effective=self.effective,
                    recorded_at=self.at,
                    event_id=_event_id(self.asset_id, f"contract-ended-{number}", self.at),
                    contract_id=contract_id,
                    reason="re-imported ledger",
                )
            )
        for number, contract in enumerate(new.values(), start=1):
            stamp = _event_id(self.asset_id, f"contract-{number}", self.at)
            events.append(
                ContractSigned(
                    asset_id=self.asset_id,
                    effective=max(self.effective, contract.term.start),
                    recorded_at=self.at,
                    event_id=stamp,
                    contract=attrs.evolve(contract, id=ContractId(stamp)),
                )
            )
        return [attrs.evolve(change, events=tuple(events))]
