"""An in-memory implementation of the ports (内存存储), for tests, notebooks and integrators.

It behaves like the SQL adapter: append-only histories, optimistic concurrency, idempotent
retries by event id, area-code scopes and all-or-nothing commits. Integrators can use it
as the fake in their own tests.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent, AssetRegistered, Corrected, refuse_unknown_references
from assetreg.domain.history import AssetHistory
from assetreg.domain.parties import Party, PartyId
from assetreg.domain.periods import Period, require_aware
from assetreg.domain.register import AssetRegister
from assetreg.errors import (
    ConcurrencyError,
    DuplicateRecord,
    ScopeViolation,
    UnknownAsset,
    UnknownParty,
    UnknownRecord,
    already_registered,
    lost_race,
)
from assetreg.income.books import (
    BookRecord,
    ClaimedDeduction,
    Distribution,
    Payment,
    PlanVersion,
    PublicNotice,
    RosterSnapshot,
)
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import hidden_by_scope, validate_prefix, validate_scope, write_scope_within

__all__ = [
    "BOOK_KINDS",
    "MemoryBookRepository",
    "MemoryDeductionRepository",
    "MemoryDistributionRepository",
    "MemoryNoticeRepository",
    "MemoryPaymentRepository",
    "MemoryPlanRepository",
    "MemoryRosterRepository",
    "MemoryStore",
    "MemoryUnitOfWork",
]

R = TypeVar("R", bound=BookRecord)

BOOK_KINDS = ("deductions", "rosters", "plans", "distributions", "notices", "payments")
"""The income books' record kinds, by their repository's name on the unit of work."""


class MemoryStore:
    """The shared state behind memory units of work (one per "database")."""

    def __init__(self) -> None:
        """Create an empty store."""
        self.histories: dict[AssetId, AssetHistory] = {}
        self.parties: dict[PartyId, Party] = {}
        self.revenue: dict[str, RevenueEntry] = {}
        self.books: dict[str, dict[str, BookRecord]] = {kind: {} for kind in BOOK_KINDS}

    def unit_of_work(
        self,
        scope: str | None = None,
        *,
        write_scope: str | None = None,
        check_references: bool = True,
        explain_refusals: bool = False,
    ) -> MemoryUnitOfWork:
        """A new unit of work, optionally bound to an area-code prefix (see :class:`MemoryUnitOfWork`)."""
        return MemoryUnitOfWork(
            self,
            scope=scope,
            write_scope=write_scope,
            check_references=check_references,
            explain_refusals=explain_refusals,
        )


def _check_scope(scope: str | None, code: str, record: str) -> None:
    if scope is not None and not code.startswith(scope):
        raise ScopeViolation(
            f"{record} lies in {code}, outside the scope {scope}",
            f"{record} 位于 {code}，超出授权范围 {scope}",
            record=record,
            field="location",
            expected=f"prefix {scope}",
            actual=code,
        )


class _Assets:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def _hidden(self, code: str, record: str) -> bool:
        return hidden_by_scope(self._uow.scope, code, record, explain=self._uow.explain_refusals)

    def get(self, asset_id: AssetId) -> AssetHistory:
        history = self._uow.histories.get(asset_id)
        if history is None or self._hidden(_location(history), asset_id):
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        return history

    def append(self, asset_id: AssetId, events: Sequence[AssetEvent], *, expected_version: int | None) -> int:
        items = list(events)
        history = self._uow.histories.get(asset_id)
        if history is not None and self._hidden(_location(history), asset_id):
            if items and isinstance(items[0], AssetRegistered):
                raise already_registered(asset_id, None)  # the id is taken, in another area
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        if history is not None:
            _check_scope(self._uow.write_scope, _location(history), asset_id)
        current = history if history is not None else AssetHistory(asset_id)
        stored = current.version
        if items and _already_stored(current, items, expected_version):
            return stored
        if history is not None and expected_version == 0 and items and isinstance(items[0], AssetRegistered):
            raise already_registered(asset_id, stored)
        if expected_version is not None and stored != expected_version:
            raise ConcurrencyError(
                f"asset {asset_id} is at version {stored}, not {expected_version}",
                f"资产 {asset_id} 当前版本为 {stored}，不是 {expected_version}",
                record=asset_id,
                field="version",
                expected=expected_version,
                actual=stored,
            )
        if history is None and not any(isinstance(e, AssetRegistered) for e in items):
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        new = current.extend(items)
        _check_scope(self._uow.write_scope, _location(new), asset_id)
        if self._uow.check_references:
            refuse_unknown_references(items, self._uow.parties_data.__contains__)
        self._uow.histories[asset_id] = new
        self._uow.dirty_assets.add(asset_id)
        return new.version

    def ids(self, prefix: str | None = None) -> list[AssetId]:
        scope = self._uow.scope
        out = []
        for aid, history in self._uow.histories.items():
            code = _location(history)
            if (prefix is None or code.startswith(validate_prefix(prefix) or "")) and (
                scope is None or code.startswith(scope)
            ):
                out.append(aid)
        return sorted(out)


def _location(history: AssetHistory) -> str:
    """The area code of the asset's last registration (or its replacement), even withdrawn."""
    for event in reversed(history.events):
        registration = event.replacement if isinstance(event, Corrected) else event
        if isinstance(registration, AssetRegistered):
            return registration.asset.location.value
    return ""  # pragma: no cover - a stored history always starts with a registration


def _already_stored(current: AssetHistory, items: list[AssetEvent], expected_version: int | None) -> bool:
    """Whether ``items`` are already stored right after ``expected_version`` (an idempotent retry).

    Without an expected version there is no position to compare, so it is never a retry
    (the events are then refused as duplicates, as by the SQL adapter).

    Raises:
        DuplicateRecord: the ids are stored there but with other contents.
    """
    start = expected_version
    if start is None or start < 0 or start + len(items) > current.version:
        return False
    tail = list(current.events[start : start + len(items)])
    if [e.event_id for e in tail] != [e.event_id for e in items]:
        return False
    if tail != items:
        raise DuplicateRecord(
            f"events {items[0].event_id}… are stored with other contents",
            f"事件 {items[0].event_id} 等已以不同内容入库",
            record=current.asset_id,
            field="event_id",
            actual=items[0].event_id,
        )
    return True


class _Parties:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def get(self, party_id: PartyId) -> Party:
        party = self._uow.parties_data.get(party_id)
        if party is None or hidden_by_scope(
            self._uow.scope, party.admin_code.value, party_id, explain=self._uow.explain_refusals
        ):
            raise UnknownParty(f"party {party_id} is not stored", f"主体 {party_id} 未入库", record=party_id)
        return party

    def put(self, party: Party) -> None:
        _check_scope(self._uow.write_scope, party.admin_code.value, party.id)
        stored = self._uow.parties_data.get(party.id)
        if stored is not None:  # the stored area too: no moving a party in from outside
            _check_scope(self._uow.write_scope, stored.admin_code.value, party.id)
        self._uow.parties_data[party.id] = party
        self._uow.dirty_parties.add(party.id)

    def all(self, prefix: str | None = None) -> list[Party]:
        scope = self._uow.scope
        return [
            p
            for _, p in sorted(self._uow.parties_data.items())
            if (prefix is None or p.admin_code.value.startswith(validate_prefix(prefix) or ""))
            and (scope is None or p.admin_code.value.startswith(scope))
        ]


def revenue_conflict(stored: RevenueEntry, entry: RevenueEntry) -> DuplicateRecord:
    """The error for an entry id already stored with other content."""
    return DuplicateRecord(
        f"revenue entry {entry.id} is already stored with other content",
        f"收益记录 {entry.id} 已以不同内容入库",
        record=entry.id,
        field="id",
        expected=repr(stored),
        actual=repr(entry),
    )


class _Revenue:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def add(self, entries: Sequence[RevenueEntry]) -> int:
        new: dict[str, RevenueEntry] = {}
        for entry in entries:
            stored = self._uow.revenue_data.get(entry.id) or new.get(entry.id)
            if stored is not None:
                if stored != entry:
                    raise revenue_conflict(stored, entry)
                continue
            history = self._uow.histories.get(AssetId(entry.asset_id))
            if history is None or hidden_by_scope(
                self._uow.scope, _location(history), entry.asset_id, explain=self._uow.explain_refusals
            ):
                raise UnknownAsset(
                    f"revenue entry {entry.id} is booked to asset {entry.asset_id}, which is not stored",
                    f"收益记录 {entry.id} 记入的资产 {entry.asset_id} 未入库",
                    record=entry.id,
                    field="asset_id",
                    actual=entry.asset_id,
                )
            _check_scope(self._uow.write_scope, _location(history), entry.asset_id)
            new[entry.id] = entry
        self._uow.revenue_data.update(new)
        self._uow.dirty_revenue.update(new)
        return len(new)

    def list(self, *, asset_id: str | None = None, prefix: str | None = None) -> builtins.list[RevenueEntry]:
        scope = self._uow.scope
        out = []
        for entry in self._uow.revenue_data.values():
            if asset_id is not None and entry.asset_id != asset_id:
                continue
            code = _location(self._uow.histories[AssetId(entry.asset_id)])
            if (prefix is None or code.startswith(validate_prefix(prefix) or "")) and (
                scope is None or code.startswith(scope)
            ):
                out.append(entry)
        return sorted(out, key=lambda e: (e.asset_id, e.period.start, e.id))


_LABELS = {
    "deductions": ("deduction", "扣除记录"),
    "rosters": ("roster snapshot", "受益名单"),
    "plans": ("plan version", "分配方案"),
    "distributions": ("distribution", "分配记录"),
    "notices": ("notice", "公示记录"),
    "payments": ("payment", "兑付记录"),
}


def book_conflict(kind: str, stored: BookRecord, record: BookRecord) -> DuplicateRecord:
    """The error for an income-books record id already stored with other content."""
    en, zh = _LABELS[kind]
    return DuplicateRecord(
        f"{en} {record.id} is already stored with other content",
        f"{zh} {record.id} 已以不同内容入库",
        record=record.id,
        field="id",
        expected=repr(stored),
        actual=repr(record),
    )


def _superseded_twice(kind: str, record: BookRecord, other: str) -> DuplicateRecord:
    en, zh = _LABELS[kind]
    return DuplicateRecord(
        f"{en} {record.supersedes} is already superseded by {other}",
        f"{zh} {record.supersedes} 已被 {other} 更正",
        record=record.id,
        field="supersedes",
        actual=record.supersedes,
    )


class MemoryBookRepository(Generic[R]):
    """Records of one kind of the income books, in memory (the rules of :mod:`assetreg.ports`).

    Args:
        uow: the unit of work.
        kind: the kind's name (one of :data:`BOOK_KINDS`).
        order: the sort key of ``list`` results.
    """

    def __init__(self, uow: MemoryUnitOfWork, kind: str, order: Callable[[R], Any]) -> None:
        """Bind the repository to ``uow``."""
        self._uow = uow
        self._kind = kind
        self._order = order

    @property
    def _data(self) -> dict[str, R]:
        data: Any = self._uow.books_data[self._kind]
        return data  # type: ignore[no-any-return]

    def add(self, records: Sequence[R]) -> int:
        """Store ``records`` (all or none) and return how many were new (see the port)."""
        data = self._data
        taken = self._uow.superseded[self._kind]
        new: dict[str, R] = {}
        claimed: dict[str, str] = {}
        for record in records:
            stored = data.get(record.id) or new.get(record.id)
            if stored is not None:
                if stored != record:
                    raise book_conflict(self._kind, stored, record)
                continue
            _check_scope(self._uow.write_scope, record.area.value, record.id)
            if record.supersedes is not None:
                target = data.get(record.supersedes) or new.get(record.supersedes)
                if target is None or hidden_by_scope(
                    self._uow.scope, target.area.value, target.id, explain=self._uow.explain_refusals
                ):
                    en, zh = _LABELS[self._kind]
                    raise UnknownRecord(
                        f"{en} {record.id} supersedes {record.supersedes}, which is not stored",
                        f"{zh} {record.id} 更正的记录 {record.supersedes} 未入库",
                        record=record.id,
                        field="supersedes",
                        actual=record.supersedes,
                    )
                _check_scope(self._uow.write_scope, target.area.value, target.id)
                other = taken.get(target.id) or claimed.get(target.id)
                if other is not None and other != record.id:
                    raise _superseded_twice(self._kind, record, other)
                claimed[target.id] = record.id
            new[record.id] = record
        data.update(new)
        taken.update(claimed)
        self._uow.dirty_books[self._kind].update(new)
        return len(new)

    def get(self, record_id: str) -> R:
        """The record ``record_id``, superseded or not (see the port)."""
        found = self._data.get(record_id)
        if found is None or hidden_by_scope(
            self._uow.scope, found.area.value, record_id, explain=self._uow.explain_refusals
        ):
            en, zh = _LABELS[self._kind]
            raise UnknownRecord(f"{en} {record_id} is not stored", f"{zh} {record_id} 未入库", record=record_id)
        return found

    def select(
        self,
        keep: Callable[[R], bool],
        *,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[R]:
        """Records kept by ``keep`` inside ``prefix`` and the scope, as known at ``known_at``, sorted."""
        if known_at is not None:
            require_aware(known_at, field="known_at")
        seen = [r for r in self._data.values() if known_at is None or r.recorded_at <= known_at]
        replaced = {r.supersedes for r in seen if r.supersedes is not None} if current else set()
        scope = self._uow.scope
        out = [
            r
            for r in seen
            if r.id not in replaced
            and (prefix is None or r.area.value.startswith(validate_prefix(prefix) or ""))
            and (scope is None or r.area.value.startswith(scope))
            and keep(r)
        ]
        return sorted(out, key=self._order)


def _overlaps(period: Period | None, other: Period) -> bool:
    return period is None or period.overlaps(other)


def _within(period: Period | None, day: date) -> bool:
    return period is None or period.contains(day)


class MemoryDeductionRepository(MemoryBookRepository[ClaimedDeduction]):
    """Claimed deductions (扣除) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "deductions", lambda r: (r.asset_id, r.period.start, r.id))

    def list(
        self,
        *,
        asset_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[ClaimedDeduction]:
        """Deductions of ``asset_id`` overlapping ``period`` (see the port)."""
        return self.select(
            lambda r: (asset_id is None or r.asset_id == asset_id) and _overlaps(period, r.period),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )


class MemoryRosterRepository(MemoryBookRepository[RosterSnapshot]):
    """Roster snapshots (受益名单) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "rosters", lambda r: (r.area.value, r.known_on, r.id))

    def list(
        self,
        *,
        prefix: str | None = None,
        household_id: str | None = None,
        asset_id: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[RosterSnapshot]:
        """Snapshots listing ``household_id`` / a household of ``asset_id`` (see the port)."""
        return self.select(
            lambda r: (
                (household_id is None or r.get(household_id) is not None)
                and (asset_id is None or any(asset_id in h.asset_ids for h in r.households))
            ),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )

    def latest(self, area: str, *, on: date, known_at: datetime | None = None) -> RosterSnapshot | None:
        """The snapshot of exactly ``area`` in force on ``on`` (the last with ``known_on <= on``)."""
        found = self.select(lambda r: r.area.value == area and r.known_on <= on, known_at=known_at)
        return max(found, key=lambda r: (r.known_on, r.recorded_at, r.id), default=None)


class MemoryPlanRepository(MemoryBookRepository[PlanVersion]):
    """Plan versions (分配方案) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "plans", lambda r: (r.plan.id, r.version, r.id))

    def list(
        self,
        *,
        asset_id: str | None = None,
        prefix: str | None = None,
        plan_id: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[PlanVersion]:
        """Plan versions governing ``asset_id`` / of ``plan_id`` (see the port)."""
        return self.select(
            lambda r: (asset_id is None or asset_id in r.asset_ids) and (plan_id is None or r.plan.id == plan_id),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )


class MemoryDistributionRepository(MemoryBookRepository[Distribution]):
    """Distributions (分配) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "distributions", lambda r: (r.period.start, r.id))

    def list(
        self,
        *,
        asset_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        household_id: str | None = None,
        plan_version_id: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[Distribution]:
        """Distributions of ``asset_id``, ``period``, ``household_id``, ``plan_version_id`` (see the port)."""
        return self.select(
            lambda r: (
                (asset_id is None or asset_id in r.asset_ids)
                and _overlaps(period, r.period)
                and (household_id is None or any(line.beneficiary_id == household_id for line in r.lines))
                and (plan_version_id is None or r.plan_version_id == plan_version_id)
            ),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )


class MemoryNoticeRepository(MemoryBookRepository[PublicNotice]):
    """Public notices (公示) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "notices", lambda r: (r.posted_on, r.id))

    def list(
        self,
        *,
        distribution_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[PublicNotice]:
        """Notices of ``distribution_id`` posted inside ``period`` (see the port)."""
        return self.select(
            lambda r: (
                (distribution_id is None or r.distribution_id == distribution_id) and _within(period, r.posted_on)
            ),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )


class MemoryPaymentRepository(MemoryBookRepository[Payment]):
    """Payments (兑付) in memory."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, "payments", lambda r: (r.paid_on, r.id))

    def list(
        self,
        *,
        distribution_id: str | None = None,
        household_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[Payment]:
        """Payments of ``distribution_id`` / to ``household_id`` paid inside ``period`` (see the port)."""
        return self.select(
            lambda r: (
                (distribution_id is None or r.distribution_id == distribution_id)
                and (household_id is None or r.beneficiary_id == household_id)
                and _within(period, r.paid_on)
            ),
            prefix=prefix,
            known_at=known_at,
            current=current,
        )


class MemoryUnitOfWork:
    """A unit of work over a :class:`MemoryStore`: changes are visible to others on commit.

    Reads see the store as it was when the unit of work began (or last committed or
    rolled back) plus its own writes. :meth:`commit` publishes only what this unit of
    work wrote, all or nothing.

    Args:
        store: the shared store.
        scope: an area-code prefix (e.g. a township's ``"620422100"``); a stored record
            outside it reads as missing (``UnknownAsset``…), a write whose own area lies
            outside it raises :class:`~assetreg.errors.ScopeViolation`.
        check_references: refuse an append whose events name a party that is not
            stored (:class:`~assetreg.errors.UnknownReference`); ``False`` only for bulk
            migration of legacy data, where the audit (AUD-103) reports them instead.
        explain_refusals: report a stored record outside the scope as a
            :class:`~assetreg.errors.ScopeViolation`; by default it is reported exactly as
            a missing one (:func:`~assetreg.ports.hidden_by_scope`).
    """

    def __init__(
        self,
        store: MemoryStore,
        *,
        scope: str | None = None,
        write_scope: str | None = None,
        check_references: bool = True,
        explain_refusals: bool = False,
    ) -> None:
        """Begin a unit of work on ``store``, optionally bound to ``scope`` (and ``write_scope``)."""
        self.store = store
        self.scope = validate_scope(scope)
        self.write_scope = write_scope_within(self.scope, write_scope)
        self.check_references = check_references
        self.explain_refusals = explain_refusals
        self._read_versions: dict[AssetId, int] = {}
        self.histories: dict[AssetId, AssetHistory] = {}
        self.parties_data: dict[PartyId, Party] = {}
        self.dirty_assets: set[AssetId] = set()
        self.dirty_parties: set[PartyId] = set()
        self.revenue_data: dict[str, RevenueEntry] = {}
        self.dirty_revenue: set[str] = set()
        self.books_data: dict[str, dict[str, BookRecord]] = {}
        self.superseded: dict[str, dict[str, str]] = {}
        self.dirty_books: dict[str, set[str]] = {}
        self.assets = _Assets(self)
        self.parties = _Parties(self)
        self.revenue = _Revenue(self)
        self.deductions = MemoryDeductionRepository(self)
        self.rosters = MemoryRosterRepository(self)
        self.plans = MemoryPlanRepository(self)
        self.distributions = MemoryDistributionRepository(self)
        self.notices = MemoryNoticeRepository(self)
        self.payments = MemoryPaymentRepository(self)
        self.rollback()

    def __enter__(self) -> Self:
        """Enter the block; leaving it without :meth:`commit` rolls back."""
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed."""
        self.rollback()

    def commit(self) -> None:
        """Publish this unit of work's writes to the store, all or nothing.

        Raises:
            LostRace: another unit of work committed a conflicting change to an asset
                written here (a :class:`ConcurrencyError`); nothing is published.
            DuplicateRecord: another unit of work committed a revenue entry or an
                income-books record id written here with other content, or a correction of
                a record corrected here; nothing is published.
        """
        for aid in sorted(self.dirty_assets):
            history = self.histories[aid]
            stored = self.store.histories.get(aid)
            if stored is not None and history.events[: stored.version] != stored.events:
                raise lost_race(aid, self._read_versions.get(aid, 0), stored.version)
        for rid in sorted(self.dirty_revenue):
            stored_entry = self.store.revenue.get(rid)
            if stored_entry is not None and stored_entry != self.revenue_data[rid]:
                raise revenue_conflict(stored_entry, self.revenue_data[rid])
        self._check_books()
        for aid in self.dirty_assets:
            self.store.histories[aid] = self.histories[aid]
        for pid in self.dirty_parties:
            self.store.parties[pid] = self.parties_data[pid]
        for rid in self.dirty_revenue:
            self.store.revenue[rid] = self.revenue_data[rid]
        for kind, ids in self.dirty_books.items():
            for record_id in ids:
                self.store.books[kind][record_id] = self.books_data[kind][record_id]
        self.rollback()  # start afresh from the store, which now holds the writes

    def rollback(self) -> None:
        """Forget uncommitted writes and read the store afresh."""
        self.histories = dict(self.store.histories)
        self._read_versions = {aid: h.version for aid, h in self.histories.items()}
        self.parties_data = dict(self.store.parties)
        self.dirty_assets = set()
        self.dirty_parties = set()
        self.revenue_data = dict(self.store.revenue)
        self.dirty_revenue = set()
        self.books_data = {kind: dict(records) for kind, records in self.store.books.items()}
        self.superseded = {
            kind: {r.supersedes: r.id for r in records.values() if r.supersedes is not None}
            for kind, records in self.store.books.items()
        }
        self.dirty_books = {kind: set() for kind in BOOK_KINDS}

    def _check_books(self) -> None:
        for kind, ids in self.dirty_books.items():
            stored_records = self.store.books[kind]
            taken = {r.supersedes: r.id for r in stored_records.values() if r.supersedes is not None}
            for record_id in sorted(ids):
                mine = self.books_data[kind][record_id]
                stored = stored_records.get(record_id)
                if stored is not None and stored != mine:
                    raise book_conflict(kind, stored, mine)
                other = taken.get(mine.supersedes) if mine.supersedes is not None else None
                if other is not None and other != mine.id:
                    raise _superseded_twice(kind, mine, other)

    def load_register(self, prefix: str | None = None) -> AssetRegister:
        """Read parties and histories into a register snapshot (inside ``prefix`` and the scope)."""
        ids = self.assets.ids(prefix)
        return AssetRegister(
            parties={p.id: p for p in self.parties.all(prefix)},
            histories={aid: self.histories[aid] for aid in ids},
        )

    def add_register(self, register: AssetRegister, *, progress: Callable[[int, int], None] | None = None) -> None:
        """Store a register none of whose parties or assets is stored yet (a first import).

        Args:
            register: the register.
            progress: called once with ``(rows, rows)`` when done (parties + assets + events).

        Raises:
            ScopeViolation: a party or asset outside the scope; nothing is written.
            DuplicateRecord: a party or asset id is already stored; nothing is written.
            UnknownReference: an event names a party neither in the register nor stored
                (unless ``check_references`` is off); nothing is written.
        """
        for party in register.parties.values():
            _check_scope(self.write_scope, party.admin_code.value, party.id)
        for aid, history in register.histories.items():
            _check_scope(self.write_scope, _location(history), aid)
        taken = sorted(
            (set(register.histories) & set(self.histories)) | (set(register.parties) & set(self.parties_data))
        )
        if taken:
            raise DuplicateRecord(
                f"{len(taken)} records of the register are already stored (e.g. {taken[0]})",
                f"{len(taken)} 条记录已在库中（如 {taken[0]}）",
                record=taken[0],
                field="id",
                actual=len(taken),
            )
        if self.check_references:
            for _, history in sorted(register.histories.items()):
                refuse_unknown_references(
                    history.events, lambda party: party in register.parties or party in self.parties_data
                )
        self.save_register(register)
        if progress is not None:
            rows = len(register.parties) + sum(1 + h.version for h in register.histories.values())
            progress(rows, rows)

    def save_register(self, register: AssetRegister, events: Iterable[AssetEvent] | None = None) -> None:
        """Store the register's parties and every event not yet stored.

        The register's histories must extend the stored ones (a snapshot read earlier and
        changed with :meth:`AssetRegister.record`). ``events`` is accepted for the port's
        signature; the new events are taken from the histories.

        Raises:
            ConcurrencyError: a stored history is not a prefix of the register's, i.e.
                another writer got there first; nothing is written.
            ScopeViolation: a party or asset outside the scope.
        """
        del events  # all new events come from the register's histories
        pending: list[tuple[AssetId, tuple[AssetEvent, ...], int]] = []
        for aid, history in sorted(register.histories.items()):
            stored = self.histories.get(aid)
            stored_events = stored.events if stored is not None else ()
            if history.events[: len(stored_events)] != stored_events:
                raise ConcurrencyError(
                    f"asset {aid} was changed since the register was read",
                    f"资产 {aid} 在读取台账后已被修改",
                    record=aid,
                    field="version",
                    expected=history.version,
                    actual=len(stored_events),
                )
            if history.version > len(stored_events):
                pending.append((aid, history.events[len(stored_events) :], len(stored_events)))
        for party in register.parties.values():
            if self.parties_data.get(party.id) != party:  # unchanged parties are not rewritten
                self.parties.put(party)
        for aid, new, version in pending:
            self.assets.append(aid, new, expected_version=version)
