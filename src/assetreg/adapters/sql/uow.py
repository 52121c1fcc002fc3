"""Repositories and the unit of work over SQLAlchemy Core (SQL 仓储与工作单元).

Implements :mod:`assetreg.ports` with the same semantics as the memory adapter:

* **append-only**: events are inserted, never updated or deleted;
* **optimistic concurrency, one snapshot**: an append locks the stored ``asset`` row
  (``SELECT … FOR UPDATE``; on SQLite the unit of work holds the database's write lock
  from its first write, ``BEGIN IMMEDIATE``), then compares the version and runs the
  domain's checks on the history read under that lock; the row's ``version`` is moved
  with a conditional ``UPDATE … WHERE version = expected``. A lost race raises
  :class:`~assetreg.errors.ConcurrencyError` (:class:`~assetreg.errors.LostRace` when the
  database refused the write, with the version read and the version committed), never a domain error computed from a
  history another writer was changing; ``(asset_id, sequence)`` is the event table's
  key, so two writers can never store the same position;
* **hash chain**: the events of a unit of work are linked into their county chains
  (:mod:`assetreg.adapters.sql.chain`) at :meth:`SqlUnitOfWork.commit`, all heads locked
  in one pass in sorted order, so units of work touching several counties in any order
  never deadlock on the heads;
* **atomic units of work**: any database error inside a unit of work (a deadlock, a
  serialization failure, a lock timeout, a refused row) aborts the whole transaction —
  there are no savepoints a server could silently undo (MariaDB rolls a deadlocked
  transaction back entirely). The error raised is :class:`~assetreg.errors.ConcurrencyError`
  for a lost race, :class:`~assetreg.errors.PersistenceError` otherwise, and every later
  use of the unit of work (a read, a write, :meth:`SqlUnitOfWork.commit`) raises it
  again until :meth:`SqlUnitOfWork.rollback`: nothing of the unit of work is kept, and
  nothing later can commit in its stead;
* **idempotent retries**: appending events already stored at the same position (same
  event ids) returns the stored version and writes nothing;
* **scopes**: a unit of work bound to an area-code prefix (a township clerk's
  ``"620422100"``) refuses to read or write outside it
  (:class:`~assetreg.errors.ScopeViolation`);
* **errors**: database errors become :class:`~assetreg.errors.PersistenceError` with
  the cause kept.

A refusal by the domain or a scope (raised before anything is written) leaves the unit
of work's earlier work intact.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa

from assetreg.adapters.sql.books import (
    SqlDeductionRepository,
    SqlDistributionRepository,
    SqlNoticeRepository,
    SqlPaymentRepository,
    SqlPlanRepository,
    SqlRosterRepository,
)
from assetreg.adapters.sql.bulk import bulk_load
from assetreg.adapters.sql.chain import chain_county, lock_heads, move_head
from assetreg.adapters.sql.errors import translate_errors
from assetreg.adapters.sql.reads import reader_for
from assetreg.adapters.sql.rows import (
    asset_row,
    check_lengths,
    event_from_row,
    event_rows,
    party_from_row,
    party_row,
    revenue_from_row,
    revenue_row,
    stored_history,
)
from assetreg.adapters.sql.scope import SCOPE_OPTION, WRITE_SCOPE_OPTION, check_write_scope, validate_prefix
from assetreg.adapters.sql.state import fingerprint, seal_key, update_seals
from assetreg.adapters.sql.tables import (
    asset_event_table,
    asset_table,
    party_table,
    revenue_entry_table,
)
from assetreg.audit.seal import party_fingerprint
from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent, AssetRegistered, party_references, refuse_unknown_references
from assetreg.domain.history import AssetHistory
from assetreg.domain.register import AssetRegister
from assetreg.errors import (
    ConcurrencyError,
    DuplicateRecord,
    LostRace,
    PayloadError,
    PersistenceError,
    UnknownAsset,
    UnknownParty,
    already_registered,
    lost_race,
)
from assetreg.ports import check_scope, hidden_by_scope, validate_scope

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from types import TracebackType

    from sqlalchemy.engine import Connection, Engine

    from assetreg.domain.parties import Party, PartyId
    from assetreg.income.revenue import RevenueEntry

__all__ = ["SqlAssetRepository", "SqlPartyRepository", "SqlRevenueRepository", "SqlUnitOfWork"]

_EVENT_COLUMNS = tuple(
    asset_event_table.c[name]
    for name in (
        "asset_id",
        "event_id",
        "kind",
        "effective",
        "recorded_at",
        "supersedes",
        "payload",
    )
)
_IN_CHUNK = 500


_check_scope = check_scope
_IMMEDIATE_OPTION = "assetreg_immediate"


def _conflict(asset_id: str, expected: int | None, actual: int) -> ConcurrencyError:
    return ConcurrencyError(
        f"asset {asset_id} is at version {actual}, not {expected}; re-read and retry",
        f"资产 {asset_id} 当前版本为 {actual}，不是 {expected}；请重新读取后再试",
        record=asset_id,
        field="version",
        expected=expected,
        actual=actual,
    )


def _checked_rows(
    asset_id: str, values: dict[str, Any], events: list[AssetEvent], first_sequence: int
) -> list[dict[str, Any]]:
    """The event rows of an append, every text value checked against its column with the asset row's."""
    check_lengths(asset_table, values, record=asset_id)
    rows = list(
        event_rows(
            events,
            first_sequence=first_sequence,
            area_code=values["location_code"],
            county_code=values["county_code"],
        )
    )
    for row in rows:
        check_lengths(asset_event_table, row, record=row["event_id"][:64])
    return rows


class SqlAssetRepository:
    """Append-only asset histories in the ``asset_event`` and ``asset`` tables."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow`` (its connection and scope)."""
        self._uow = uow

    def _where(self, column: sa.ColumnElement[str], prefix: str | None) -> list[sa.ColumnElement[bool]]:
        return [
            column.startswith(p, autoescape=True) for p in (validate_prefix(prefix), self._uow.scope) if p is not None
        ]

    def get(self, asset_id: AssetId) -> AssetHistory:
        """Return the stored history of ``asset_id``.

        Raises:
            UnknownAsset: no such asset.
            ScopeViolation: the asset lies outside the unit of work's scope.
            PersistenceError: a database error.
        """
        with self._uow.guard("read asset", record=asset_id):
            conn = self._uow.connection
            found = reader_for(conn.dialect).read(conn, asset_id)
        if found is None:
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        location, events = found
        if hidden_by_scope(self._uow.scope, location, asset_id, explain=self._uow.explain_refusals):
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        return stored_history(asset_id, events)

    def append(self, asset_id: AssetId, events: Sequence[AssetEvent], *, expected_version: int | None) -> int:
        """Append ``events`` to the history and return the new version (see the port).

        Raises:
            ConcurrencyError: the stored version is not ``expected_version`` or another
                writer got there first; nothing is written.
            UnknownAsset: a new asset whose first event does not register it.
            HistoryError, IllegalTransition, DuplicateRecord: the domain refuses the events.
            ScopeViolation: the asset lies outside the scope.
            PersistenceError: any other database error.
        """
        events = list(events)
        read: list[int] = []
        try:
            with self._uow.guard("append events", record=asset_id, conflicts=True):
                self._uow.begin_write()
                return self._append(self._uow.connection, asset_id, events, expected_version, read)
        except LostRace as race:
            if race.actual is not None:
                raise
            seen = read[0] if read else expected_version
            now = self._version_after_race(asset_id)
            if seen == 0 and now and events and isinstance(events[0], AssetRegistered):
                raise already_registered(asset_id, now) from race
            raise lost_race(asset_id, seen, now) from race

    def _check_references(self, events: list[AssetEvent]) -> None:
        """Refuse events naming a party that is not stored (unless the unit of work skips the check)."""
        if self._uow.check_references:
            named = {party for event in events for _, party in party_references(event)}
            stored_parties = self._uow.stored_party_ids(named) if named else set()
            refuse_unknown_references(events, stored_parties.__contains__)

    def _version_after_race(self, asset_id: AssetId) -> int | None:
        """The committed version re-read after a lost race, or ``None`` when it cannot be read.

        It is read on a connection of its own: this unit of work's transaction may still
        see its snapshot (SQLite, MariaDB's repeatable read), or be aborted.
        """
        try:
            with self._uow.engine.connect() as conn:
                version: int | None = conn.execute(
                    sa.select(asset_table.c.version).where(asset_table.c.asset_id == asset_id)
                ).scalar_one_or_none()
                return version
        except sa.exc.SQLAlchemyError:
            return None

    def _append(  # noqa: C901, PLR0912 - the port's cases in order: lock, retry, version, domain, scope, write
        self, conn: Connection, asset_id: AssetId, events: list[AssetEvent], expected: int | None, read: list[int]
    ) -> int:
        query = sa.select(asset_table.c.version, asset_table.c.location_code).where(asset_table.c.asset_id == asset_id)
        row = conn.execute(query).first()
        if row is not None:
            # lock the stored row: the version compared and the history checked below are
            # read under the lock, so a concurrent append is a version conflict, never a
            # domain error on a half-seen history (a missing row is not locked: on MariaDB a
            # gap lock would make concurrent registrations deadlock; a racing insert of the
            # same id fails on the key instead)
            row = conn.execute(query.with_for_update()).first()
        stored = row.version if row is not None else 0
        read.append(stored)
        if row is not None and hidden_by_scope(
            self._uow.scope, row.location_code, asset_id, explain=self._uow.explain_refusals
        ):
            if events and isinstance(events[0], AssetRegistered):
                raise already_registered(asset_id, None)  # the id is taken, in another area
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        if row is not None:
            _check_scope(self._uow.write_scope, row.location_code, asset_id)
        if expected is not None and events and stored >= expected + len(events):
            ids = conn.execute(
                sa.select(asset_event_table.c.event_id)
                .where(
                    asset_event_table.c.asset_id == asset_id,
                    asset_event_table.c.sequence > expected,
                    asset_event_table.c.sequence <= expected + len(events),
                )
                .order_by(asset_event_table.c.sequence)
            ).scalars()
            if list(ids) == [e.event_id for e in events]:
                return stored
        if row is not None and expected == 0 and events and isinstance(events[0], AssetRegistered):
            raise already_registered(asset_id, stored)
        if expected is not None and stored != expected:
            raise _conflict(asset_id, expected, stored)
        if row is None and not (events and isinstance(events[0], AssetRegistered)):
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        current = self.get(asset_id) if row is not None else AssetHistory(asset_id)
        if current.version != stored:  # a snapshot older than the locked row (MariaDB)
            raise _conflict(asset_id, expected, stored)
        new = current.extend(events)  # the domain's checks
        if not events:
            return stored
        self._check_references(events)
        values = asset_row(new)
        rows = _checked_rows(asset_id, values, events, stored + 1)  # every refusal before the first write
        _check_scope(self._uow.write_scope, values["location_code"], asset_id)
        county = chain_county(values["location_code"])
        if row is None:
            conn.execute(sa.insert(asset_table), [values])
        else:
            done = conn.execute(
                sa.update(asset_table)
                .where(asset_table.c.asset_id == asset_id, asset_table.c.version == stored)
                .values({k: v for k, v in values.items() if k != "asset_id"})
            )
            if done.rowcount != 1:
                raise lost_race(asset_id, stored, self._version_after_race(asset_id))
        conn.execute(sa.insert(asset_event_table), rows)
        self._uow.link_at_commit(county, asset_id, stored + 1, events)
        return new.version

    def ids(self, prefix: str | None = None) -> list[AssetId]:
        """Ids of stored assets inside ``prefix`` and the scope, sorted.

        Raises:
            PersistenceError: a database error.
        """
        with self._uow.guard("list assets"):
            rows = self._uow.connection.execute(
                sa.select(asset_table.c.asset_id).where(*self._where(asset_table.c.location_code, prefix))
            ).scalars()
            return sorted(AssetId(r) for r in rows)

    def versions(self, asset_ids: Iterable[AssetId]) -> dict[AssetId, int]:
        """Stored versions of those of ``asset_ids`` that exist.

        Raises:
            ScopeViolation: a stored asset of ``asset_ids`` lies outside the scope.
            PersistenceError: a database error.
        """
        ids = list(asset_ids)
        out: dict[AssetId, int] = {}
        with self._uow.guard("read versions"):
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                rows = self._uow.connection.execute(
                    sa.select(asset_table.c.asset_id, asset_table.c.version, asset_table.c.location_code).where(
                        asset_table.c.asset_id.in_(chunk)
                    )
                )
                for r in rows:
                    _check_scope(self._uow.scope, r.location_code, r.asset_id)
                    out[AssetId(r.asset_id)] = r.version
        return out

    def event_ids(self, asset_ids: Iterable[AssetId]) -> dict[AssetId, list[str]]:
        """Stored event ids of those of ``asset_ids`` that exist, in append order.

        Raises:
            ScopeViolation: a stored asset of ``asset_ids`` lies outside the scope.
            PersistenceError: a database error.
        """
        ids = list(asset_ids)
        out: dict[AssetId, list[str]] = {}
        with self._uow.guard("read event ids"):
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                rows = self._uow.connection.execute(
                    sa.select(asset_event_table.c.asset_id, asset_event_table.c.event_id, asset_table.c.location_code)
                    .join(asset_table, asset_table.c.asset_id == asset_event_table.c.asset_id)
                    .where(asset_event_table.c.asset_id.in_(chunk))
                    .order_by(asset_event_table.c.asset_id, asset_event_table.c.sequence)
                )
                for r in rows:
                    _check_scope(self._uow.scope, r.location_code, r.asset_id)
                    out.setdefault(AssetId(r.asset_id), []).append(r.event_id)
        return out

    def histories(self, prefix: str | None = None) -> dict[AssetId, AssetHistory]:
        """Every history inside ``prefix`` and the scope, read in one query.

        Raises:
            PayloadError: a stored event cannot be read.
            PersistenceError: a database error.
        """
        with self._uow.guard("read histories"):
            query = (
                sa.select(*_EVENT_COLUMNS)
                .join(asset_table, asset_table.c.asset_id == asset_event_table.c.asset_id)
                .where(*self._where(asset_table.c.location_code, prefix))
                .order_by(asset_event_table.c.asset_id, asset_event_table.c.sequence)
            )
            grouped: dict[AssetId, list[AssetEvent]] = defaultdict(list)
            for row in self._uow.connection.execute(query).mappings():
                grouped[AssetId(row["asset_id"])].append(event_from_row(row))
            return {aid: stored_history(aid, evs) for aid, evs in sorted(grouped.items())}


class SqlPartyRepository:
    """Parties in the ``party`` table, upserted by id."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow`` (its connection and scope)."""
        self._uow = uow

    def get(self, party_id: PartyId) -> Party:
        """Return the party.

        Raises:
            UnknownParty: no such party.
            ScopeViolation: the party sits outside the scope.
            PersistenceError: a database error.
        """
        with self._uow.guard("read party", record=party_id):
            row = (
                self._uow.connection.execute(sa.select(party_table).where(party_table.c.party_id == party_id))
                .mappings()
                .first()
            )
            if row is None or hidden_by_scope(
                self._uow.scope, row["admin_code"], party_id, explain=self._uow.explain_refusals
            ):
                raise UnknownParty(f"party {party_id} is not stored", f"主体 {party_id} 未入库", record=party_id)
            return party_from_row(row)

    def put(self, party: Party) -> None:
        """Insert or replace ``party``.

        Both the new area and, for a stored party, the stored one must lie inside the
        scope: a clerk can neither write a party outside the scope nor move one in.

        Raises:
            ScopeViolation: the party, or the stored party of that id, sits outside the scope.
            PersistenceError: a database error.
        """
        _check_scope(self._uow.write_scope, party.admin_code.value, party.id)
        values = party_row(party)
        check_lengths(party_table, values, record=party.id)
        with self._uow.guard("store party", record=party.id, conflicts=True):
            self._uow.begin_write()
            conn = self._uow.connection
            stored = conn.execute(sa.select(party_table).where(party_table.c.party_id == party.id)).mappings().first()
            added = party_fingerprint(party)
            if stored is None:
                conn.execute(sa.insert(party_table), [values])  # a racing insert fails on the key
                self._uow.seal_at_commit(seal_key("party", values["admin_code"]), None, added)
                return
            _check_scope(self._uow.write_scope, stored["admin_code"], party.id)
            try:
                removed: bytes = party_fingerprint(party_from_row(stored))
            except PayloadError:  # an unreadable stored row: its seal stays broken, as it should
                removed = b""
            done = conn.execute(
                sa.update(party_table)
                .where(party_table.c.party_id == party.id, party_table.c.admin_code == stored["admin_code"])
                .values({k: v for k, v in values.items() if k != "party_id"})
            )
            if done.rowcount != 1:  # moved by another writer since the read
                raise ConcurrencyError(
                    f"party {party.id} was changed by another writer",
                    f"主体 {party.id} 已被其他操作修改",
                    record=party.id,
                    field="admin_code",
                    expected=stored["admin_code"],
                )
            old_seal, new_seal = seal_key("party", str(stored["admin_code"])), seal_key("party", values["admin_code"])
            if old_seal == new_seal:
                self._uow.seal_at_commit(new_seal, removed, added)
            else:
                self._uow.seal_at_commit(old_seal, removed, None)
                self._uow.seal_at_commit(new_seal, None, added)

    def all(self, prefix: str | None = None) -> list[Party]:
        """Every party inside ``prefix`` and the scope, sorted by id.

        Raises:
            PersistenceError: a database error.
        """
        conditions = [
            party_table.c.admin_code.startswith(p, autoescape=True)
            for p in (validate_prefix(prefix), self._uow.scope)
            if p is not None
        ]
        with self._uow.guard("list parties"):
            rows = self._uow.connection.execute(sa.select(party_table).where(*conditions)).mappings()
            return sorted((party_from_row(r) for r in rows), key=lambda p: p.id)


class SqlRevenueRepository:
    """Revenue entries in the ``revenue_entry`` table (收益流水), keyed by entry id.

    Amounts are BIGINT fen, periods half-open ``[start, end)``; rows go through
    :func:`~assetreg.adapters.sql.rows.revenue_row` and back through
    :func:`~assetreg.adapters.sql.rows.revenue_from_row`.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow`` (its connection and scope)."""
        self._uow = uow

    def add(self, entries: Sequence[RevenueEntry]) -> int:
        """Store ``entries`` (all or none, in a savepoint) and return how many were new.

        Raises:
            DuplicateRecord: an id is already stored (or given twice) with other content.
            UnknownAsset: an entry's asset is not stored.
            ScopeViolation: an entry's asset lies outside the scope.
            PersistenceError: a database error, or an amount too large for BIGINT fen.
        """
        items = list(entries)
        if not items:
            return 0
        with self._uow.guard("store revenue", record=items[0].id, conflicts=True):
            self._uow.begin_write()
            conn = self._uow.connection
            stored = self._stored(conn, [e.id for e in items])
            locations = self._locations(conn, {e.asset_id for e in items})
            new: dict[str, RevenueEntry] = {}
            for entry in items:
                known = stored.get(entry.id) or new.get(entry.id)
                if known is not None:
                    if known != entry:
                        raise _revenue_conflict(known, entry)
                    continue
                location = locations.get(entry.asset_id)
                if location is None or hidden_by_scope(
                    self._uow.scope, location, entry.asset_id, explain=self._uow.explain_refusals
                ):
                    raise UnknownAsset(
                        f"revenue entry {entry.id} is booked to asset {entry.asset_id}, which is not stored",
                        f"收益记录 {entry.id} 记入的资产 {entry.asset_id} 未入库",
                        record=entry.id,
                        field="asset_id",
                        actual=entry.asset_id,
                    )
                _check_scope(self._uow.write_scope, location, entry.asset_id)
                new[entry.id] = entry
            if new:
                rows = [revenue_row(e) for e in new.values()]
                for row in rows:
                    check_lengths(revenue_entry_table, row, record=row["entry_id"])
                conn.execute(sa.insert(revenue_entry_table), rows)
                for entry in new.values():
                    key = seal_key("revenue_entry", locations.get(entry.asset_id))
                    self._uow.seal_at_commit(key, None, fingerprint(entry))
            return len(new)

    @staticmethod
    def _stored(conn: Connection, ids: builtins.list[str]) -> dict[str, RevenueEntry]:
        out: dict[str, RevenueEntry] = {}
        table = revenue_entry_table
        unique = sorted(set(ids))
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            for row in conn.execute(sa.select(table).where(table.c.entry_id.in_(chunk))).mappings():
                out[row["entry_id"]] = revenue_from_row(row)
        return out

    @staticmethod
    def _locations(conn: Connection, asset_ids: set[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        unique = sorted(asset_ids)
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            rows = conn.execute(
                sa.select(asset_table.c.asset_id, asset_table.c.location_code).where(asset_table.c.asset_id.in_(chunk))
            )
            out.update({r.asset_id: r.location_code for r in rows})
        return out

    def list(self, *, asset_id: str | None = None, prefix: str | None = None) -> builtins.list[RevenueEntry]:
        """Stored entries of ``asset_id`` (all when ``None``) inside ``prefix`` and the scope.

        Returns:
            Entries sorted by ``(asset_id, period.start, id)``.

        Raises:
            PersistenceError: a database error or an unreadable row.
        """
        conditions = [
            asset_table.c.location_code.startswith(p, autoescape=True)
            for p in (validate_prefix(prefix), self._uow.scope)
            if p is not None
        ]
        if asset_id is not None:
            conditions.append(revenue_entry_table.c.asset_id == asset_id)
        query = (
            sa.select(revenue_entry_table)
            .join(asset_table, asset_table.c.asset_id == revenue_entry_table.c.asset_id)
            .where(*conditions)
        )
        with self._uow.guard("list revenue"):
            rows = self._uow.connection.execute(query).mappings()
            entries = [revenue_from_row(r) for r in rows]
        return sorted(entries, key=lambda e: (e.asset_id, e.period.start, e.id))


def _revenue_conflict(stored: RevenueEntry, entry: RevenueEntry) -> DuplicateRecord:
    return DuplicateRecord(
        f"revenue entry {entry.id} is already stored with other content",
        f"收益记录 {entry.id} 已以不同内容入库",
        record=entry.id,
        field="id",
        expected=repr(stored),
        actual=repr(entry),
    )


class SqlUnitOfWork:
    """A database transaction over the repositories (工作单元): all or nothing.

    Use as a context manager; leaving the block without :meth:`commit` rolls back.
    The connection is opened on first use.

    Args:
        engine: from :func:`~assetreg.adapters.sql.create_engine_for`; the tables must
            exist (:func:`~assetreg.adapters.sql.upgrade` or ``metadata.create_all``).
        scope: an area-code prefix of 2 to 12 digits (e.g. a township's ``"620422100"``);
            a stored record outside it reads as missing (``UnknownAsset``…), a write
            whose own area lies outside it raises :class:`~assetreg.errors.ScopeViolation`.
            ``None`` (the default) is unrestricted; an empty or malformed scope is refused
            (:func:`~assetreg.ports.validate_scope`).
        write_scope: a narrower prefix for writes (a county office reads its townships,
            ``scope="620422"``; a village clerk writes only its village,
            ``write_scope="620422100201"``); by default the scope.
        check_references: refuse an append whose events name a party that is not
            stored (:class:`~assetreg.errors.UnknownReference`); ``False`` only for bulk
            migration of legacy data, where the audit (AUD-103) reports them instead.
        explain_refusals: report a stored record outside the scope as a
            :class:`~assetreg.errors.ScopeViolation`; by default it is reported exactly as
            a missing one (:func:`~assetreg.ports.hidden_by_scope`).

    Raises:
        ScopeViolation: a scope is not ``None`` and not 2-12 digits, or ``write_scope``
            lies outside ``scope``.

    Example:
        >>> with SqlUnitOfWork(engine) as uow:  # doctest: +SKIP
        ...     version = uow.assets.append(event.asset_id, [event], expected_version=0)
        ...     uow.commit()
    """

    def __init__(
        self,
        engine: Engine,
        *,
        scope: str | None = None,
        write_scope: str | None = None,
        check_references: bool = True,
        explain_refusals: bool = False,
    ) -> None:
        """Create the unit of work; no connection is opened yet."""
        self.engine = engine
        self.scope = validate_scope(scope)
        self.write_scope = check_write_scope(scope, write_scope)
        self.check_references = check_references
        self.explain_refusals = explain_refusals
        self._connection: Connection | None = None
        self._failed: PersistenceError | None = None
        self._writing = False
        self._pending: list[tuple[str, str, int, AssetEvent]] = []
        self._seals: list[tuple[str, bytes | None, bytes | None]] = []
        url = engine.url
        self._sqlite_file = url.get_backend_name() == "sqlite" and url.database not in {None, "", ":memory:"}
        self.assets = SqlAssetRepository(self)
        self.parties = SqlPartyRepository(self)
        self.revenue = SqlRevenueRepository(self)
        self.deductions = SqlDeductionRepository(self)
        self.rosters = SqlRosterRepository(self)
        self.plans = SqlPlanRepository(self)
        self.distributions = SqlDistributionRepository(self)
        self.notices = SqlNoticeRepository(self)
        self.payments = SqlPaymentRepository(self)

    @property
    def connection(self) -> Connection:
        """The unit of work's connection (opened, and a transaction begun, on first use).

        It carries the scope (:func:`~assetreg.adapters.sql.scope.connection_scope`) for the helpers it is handed to.

        Raises:
            ConcurrencyError, PersistenceError: an earlier database error aborted the
                unit of work (see :meth:`guard`); :meth:`rollback` to start afresh.
        """
        if self._failed is not None:
            raise self._aborted()
        if self._connection is None:
            with translate_errors("connect"):
                conn = self.engine.connect()
                conn.execution_options(
                    **{SCOPE_OPTION: self.scope, WRITE_SCOPE_OPTION: self.write_scope, _IMMEDIATE_OPTION: False}
                )
                self._connection = conn
        return self._connection

    def _aborted(self) -> PersistenceError:
        failed = self._failed
        assert failed is not None  # noqa: S101 - only called when aborted
        kind = ConcurrencyError if isinstance(failed, ConcurrencyError) else PersistenceError
        return kind(
            f"the unit of work was aborted by an earlier database error ({failed.code}); "
            "nothing of it was kept: roll back and retry",
            f"工作单元已因先前的数据库错误（{failed.code}）中止，其内容均未保存：请回滚后重试",
            record=failed.record,
            field=failed.field,
            details={"cause": failed.code},
        )

    @contextmanager
    def guard(self, action: str, *, record: str | None = None, conflicts: bool = False) -> Iterator[None]:
        """Run database work of the unit of work; a database error aborts all of it.

        Database errors raised inside become :class:`~assetreg.errors.PersistenceError`
        (:class:`~assetreg.errors.ConcurrencyError` for a lost race: a deadlock, a
        serialization failure, a lock timeout, and with ``conflicts`` a duplicate key),
        the transaction is rolled back at once and the unit of work is marked aborted:
        later uses raise again until :meth:`rollback`. Errors of the domain and scope
        checks pass through and abort nothing.

        Raises:
            ConcurrencyError, PersistenceError: as above, or the unit of work was aborted.
        """
        if self._failed is not None:
            raise self._aborted()
        try:
            with translate_errors(action, record=record, conflicts=conflicts):
                yield
        except PersistenceError as exc:
            if exc.__cause__ is None or self._failed is not None:
                raise  # raised by the adapter's own checks (nothing written by it) or re-raised
            self._abort(exc)
            raise

    def _abort(self, exc: PersistenceError) -> None:
        self._failed = exc
        self._pending = []
        self._seals = []
        conn = self._connection
        if conn is not None:
            with suppress(Exception):  # the server may have dropped the transaction already
                conn.rollback()

    def begin_write(self) -> None:
        """Mark the transaction as writing (called by every repository write).

        On a SQLite file the first write of a transaction restarts it as
        ``BEGIN IMMEDIATE`` (nothing was written yet, so nothing is lost): the unit of
        work then holds the database's write lock and reads the newest state, and a
        second writer waits its turn (the driver's busy timeout) instead of failing on an
        old snapshot — a writer on one asset is never refused because another writer
        changed an unrelated one.
        """
        if self._writing:
            return
        self._writing = True
        if self._sqlite_file:
            conn = self.connection
            if conn.in_transaction():
                conn.rollback()
            conn.execution_options(**{_IMMEDIATE_OPTION: True})

    def link_at_commit(self, county: str, asset_id: str, first_sequence: int, events: Sequence[AssetEvent]) -> None:
        """Queue ``events`` (stored from ``first_sequence``) to be chained at :meth:`commit`."""
        self._pending.extend((county, asset_id, first_sequence + i, e) for i, e in enumerate(events))

    def seal_at_commit(self, key: str, removed: bytes | None, added: bytes | None) -> None:
        """Queue a record change for the seal ``key`` (applied at :meth:`commit`, see ``state_seal``)."""
        self._seals.append((key, removed, added))

    def _link_pending(self, conn: Connection) -> None:
        """Chain the queued events: every head locked in one sorted pass, then moved."""
        if not self._pending:
            return
        chains = lock_heads(conn, {county for county, _, _, _ in self._pending})
        before = {county: chain.seq for county, chain in chains.items()}
        batch = []
        for county, asset_id, sequence, event in self._pending:
            link = chains[county].append(event)
            batch.append(
                {
                    "b_asset_id": asset_id,
                    "b_sequence": sequence,
                    "b_county": county,
                    "b_position": link.seq,
                    "b_hash": link.hash,
                }
            )
        ev = asset_event_table.c
        conn.execute(
            sa.update(asset_event_table)
            .where(ev.asset_id == sa.bindparam("b_asset_id"), ev.sequence == sa.bindparam("b_sequence"))
            .values(
                chain_county=sa.bindparam("b_county"),
                chain_position=sa.bindparam("b_position"),
                chain_hash=sa.bindparam("b_hash"),
            ),
            batch,
        )
        for county in sorted(chains):
            move_head(conn, chains[county], from_seq=before[county])

    def __enter__(self) -> Self:
        """Return the unit of work itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back anything uncommitted and release the connection."""
        self.close()

    def commit(self) -> None:
        """Chain the events appended, then commit the transaction; the next use begins a new one.

        Raises:
            ConcurrencyError: the backend detected a lost race (at the chain heads or at
                commit), or an earlier one aborted the unit of work; nothing is kept.
            PersistenceError: any other database error, now or earlier; nothing is kept.
        """
        if self._failed is not None:
            raise self._aborted()
        if self._connection is not None:
            conn = self._connection
            with self.guard("commit", conflicts=True):
                try:
                    self._link_pending(conn)
                    update_seals(conn, self._seals)  # after the heads: one lock order for all
                    conn.commit()
                except PersistenceError as exc:
                    if self._failed is None:  # a head moved under the lock (own check): keep nothing
                        self._abort(exc)
                    raise
            self._reset()

    def _reset(self) -> None:
        self._pending = []
        self._seals = []
        if self._writing and self._connection is not None:
            self._connection.execution_options(**{_IMMEDIATE_OPTION: False})
        self._writing = False

    def rollback(self) -> None:
        """Discard the work done since the last commit (and clear an abort)."""
        self._failed = None
        if self._connection is not None:
            with translate_errors("roll back"):
                self._connection.rollback()
        self._reset()

    def close(self) -> None:
        """Roll back anything uncommitted and release the connection."""
        self._failed = None
        self._pending = []
        self._seals = []
        self._writing = False
        if self._connection is not None:
            conn, self._connection = self._connection, None
            with translate_errors("close"):
                try:
                    conn.rollback()
                finally:
                    conn.close()

    def load_register(self, prefix: str | None = None) -> AssetRegister:
        """Read the parties and histories inside ``prefix`` (and the scope) into a register.

        Raises:
            PayloadError: a stored record cannot be read.
            PersistenceError: a database error.
        """
        return AssetRegister(
            parties={p.id: p for p in self.parties.all(prefix)},
            histories=self.assets.histories(prefix),
        )

    def add_register(self, register: AssetRegister, *, progress: Callable[[int, int], None] | None = None) -> None:
        """Bulk-load a register none of whose parties or assets is stored, in this transaction.

        The rows are written by :func:`~assetreg.adapters.sql.bulk_load` on this unit of
        work's connection; nothing is durable before :meth:`commit`, and leaving without it
        keeps none of them.

        Args:
            register: the register (histories taken as already checked).
            progress: ``progress(done, total)`` after each batch of rows.

        Raises:
            ScopeViolation: a party or asset outside the scope; nothing is written.
            DuplicateRecord: a party or asset id is already stored; nothing is written.
            UnknownReference: an event names a party neither in the register nor stored
                (unless ``check_references`` is off); nothing is written.
            PersistenceError: a database error.
        """
        for party in register.parties.values():
            _check_scope(self.write_scope, party.admin_code.value, party.id)
        for aid, history in register.histories.items():
            _check_scope(self.write_scope, asset_row(history)["location_code"], aid)
        self.begin_write()
        taken: list[str] = sorted(set(register.histories) & set(self.assets.versions(register.histories)))
        taken += sorted(set(register.parties) & self.stored_party_ids(register.parties))
        if taken:
            raise DuplicateRecord(
                f"{len(taken)} records of the register are already stored (e.g. {taken[0]})",
                f"{len(taken)} 条记录已在库中（如 {taken[0]}）",
                record=taken[0],
                field="id",
                actual=len(taken),
            )
        if self.check_references:
            named = {party for h in register.histories.values() for e in h.events for _, party in party_references(e)}
            known = set(register.parties) | self.stored_party_ids(named - set(register.parties))
            for _, history in sorted(register.histories.items()):
                refuse_unknown_references(history.events, known.__contains__)
        with self.guard("bulk load", conflicts=True):
            bulk_load(self.connection, register, progress=progress)

    def stored_party_ids(self, party_ids: Iterable[PartyId]) -> set[str]:
        """Those of ``party_ids`` stored (in any area: no scope check).

        Raises:
            PersistenceError: a database error.
        """
        ids = sorted(party_ids)
        found: set[str] = set()
        with self.guard("read parties"):
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                found.update(
                    self.connection.execute(
                        sa.select(party_table.c.party_id).where(party_table.c.party_id.in_(chunk))
                    ).scalars()
                )
        return found

    def save_register(self, register: AssetRegister, events: Iterable[AssetEvent] | None = None) -> None:
        """Store the register's parties and the events of each history not yet stored.

        Each history must extend what is stored (its first ``version`` events are the
        stored ones); the new events are appended with that version expected.

        Raises:
            ConcurrencyError: the stored history moved on.
            ScopeViolation: a party or asset outside the scope.
            PersistenceError: a database error.
        """
        del events  # every new event comes from the register's histories (as in the memory adapter)
        stored = self.assets.event_ids(register.histories)
        pending: list[tuple[AssetId, list[AssetEvent], int]] = []
        for aid, history in sorted(register.histories.items()):
            known = stored.get(aid, [])
            mine = [e.event_id for e in history.events[: len(known)]]
            if mine != known:
                # the register was read before another writer appended (or is another history)
                raise ConcurrencyError(
                    f"asset {aid} was changed since the register was read",
                    f"资产 {aid} 在读取台账后已被修改",
                    record=aid,
                    field="version",
                    expected=history.version,
                    actual=len(known),
                )
            if history.version > len(known):
                pending.append((aid, list(history.events[len(known) :]), len(known)))
        for party in register.parties.values():
            self.parties.put(party)
        for aid, new, version in pending:
            self.assets.append(aid, new, expected_version=version)
