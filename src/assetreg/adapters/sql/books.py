"""Repositories of the income books over SQLAlchemy Core (收益台账仓储), DESIGN §12.

One generic repository, :class:`SqlBookRepository`, stores any record kind of
:mod:`assetreg.income.books` through its :class:`~assetreg.adapters.sql.book_rows.BookCodec`;
the six public classes give each kind the filters of its port in :mod:`assetreg.ports`.

* **append-only**: rows are inserted, never updated or deleted; ``add`` checks the whole
  batch before writing, so a refused batch writes nothing and leaves the unit of work's
  earlier work; a database error aborts the whole unit of work (see
  :meth:`~assetreg.adapters.sql.uow.SqlUnitOfWork.guard`);
* **idempotent**: a record stored under its id with the same content is skipped; other
  content is :class:`~assetreg.errors.DuplicateRecord`;
* **corrections**: ``supersedes`` must name a stored record of the kind, at most once
  (a unique index on ``supersedes`` keeps two writers from forking a correction);
* **as known at**: ``list(known_at=…)`` reads ``recorded_at <= known_at`` and, unless
  ``current=False``, leaves out records superseded by then (``NOT EXISTS`` on the table);
* **scopes**: records outside the unit of work's area prefix are neither written nor read.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa

from assetreg.adapters.sql.book_rows import (
    BookCodec,
    deduction_codec,
    distribution_codec,
    notice_codec,
    payment_codec,
    plan_codec,
    roster_codec,
)
from assetreg.adapters.sql.scope import validate_prefix
from assetreg.adapters.sql.state import fingerprint, seal_key
from assetreg.adapters.sql.tables import (
    distribution_asset_table,
    distribution_line_table,
    plan_asset_table,
    roster_household_table,
)
from assetreg.domain.periods import require_aware
from assetreg.errors import DuplicateRecord, ScopeViolation, UnknownRecord
from assetreg.income.books import (
    BookRecord,
    ClaimedDeduction,
    Distribution,
    Payment,
    PlanVersion,
    PublicNotice,
    RosterSnapshot,
)
from assetreg.ports import hidden_by_scope

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from sqlalchemy.engine import Connection

    from assetreg.adapters.sql.uow import SqlUnitOfWork
    from assetreg.domain.periods import Period

__all__ = [
    "SqlBookRepository",
    "SqlDeductionRepository",
    "SqlDistributionRepository",
    "SqlNoticeRepository",
    "SqlPaymentRepository",
    "SqlPlanRepository",
    "SqlRosterRepository",
]

R = TypeVar("R", bound=BookRecord)
_IN_CHUNK = 500


def _check_scope(scope: str | None, code: str, record: str) -> None:
    if scope is not None and not code.startswith(scope):
        raise ScopeViolation(
            f"{record} lies in {code}, outside the scope {scope}",
            f"{record} 位于 {code}，超出授权范围 {scope}",
            record=record,
            field="area",
            expected=f"prefix {scope}",
            actual=code,
        )


def _chunks(values: Iterable[str]) -> Iterable[builtins.list[str]]:
    unique = sorted(set(values))
    for start in range(0, len(unique), _IN_CHUNK):
        yield unique[start : start + _IN_CHUNK]


class SqlBookRepository(Generic[R]):
    """Records of one kind of the income books in their tables (see the module's rules).

    Args:
        uow: the unit of work (its connection and scope).
        codec: how the kind is stored.
        order: the sort key of ``list`` results.
    """

    def __init__(self, uow: SqlUnitOfWork, codec: BookCodec[R], order: Callable[[R], Any]) -> None:
        """Bind the repository to ``uow``."""
        self._uow = uow
        self._codec = codec
        self._order = order

    # -- writing ------------------------------------------------------------------------
    def add(self, records: Sequence[R]) -> int:
        """Store ``records`` (all or none, in a savepoint) and return how many were new.

        Raises:
            DuplicateRecord: an id stored (or given twice) with other content, or a record
                superseded twice.
            UnknownRecord: ``supersedes`` names no stored record of the kind.
            ScopeViolation: a record (or the one it supersedes) lies outside the scope.
            PersistenceError: a database error, or an amount too large for BIGINT fen.
        """
        items = list(records)
        if not items:
            return 0
        codec = self._codec
        with self._uow.guard(f"store {codec.label_en}s", record=items[0].id, conflicts=True):
            self._uow.begin_write()
            conn = self._uow.connection
            new = self._new(conn, items)
            if new:
                rows: dict[str, builtins.list[dict[str, Any]]] = defaultdict(list)
                for record in new:
                    for name, table_rows in codec.to_rows(record).items():
                        rows[name].extend(table_rows)
                for table in (codec.table, *(child for child, _ in codec.children)):
                    if rows[table.name]:
                        conn.execute(sa.insert(table), rows[table.name])
                for record in new:
                    self._uow.seal_at_commit(seal_key(codec.table.name, record.area.value), None, fingerprint(record))
            return len(new)

    def _new(self, conn: Connection, items: builtins.list[R]) -> builtins.list[R]:
        """The records of ``items`` not yet stored, checked (refusing the batch on any problem)."""
        stored = self._by_ids(conn, {r.id for r in items} | {r.supersedes for r in items if r.supersedes})
        taken = self._superseded_by(conn, {r.supersedes for r in items if r.supersedes})
        new: dict[str, R] = {}
        for record in items:
            known = stored.get(record.id) or new.get(record.id)
            if known is not None:
                if known != record:
                    raise self._conflict(known, record)
                continue
            _check_scope(self._uow.write_scope, record.area.value, record.id)
            if record.supersedes is not None:
                self._check_supersedes(record, stored.get(record.supersedes) or new.get(record.supersedes), taken)
                taken[record.supersedes] = record.id
            new[record.id] = record
        return list(new.values())

    def _check_supersedes(self, record: R, target: R | None, taken: dict[str, str]) -> None:
        codec = self._codec
        if target is None or hidden_by_scope(
            self._uow.scope, target.area.value, target.id, explain=self._uow.explain_refusals
        ):
            raise UnknownRecord(
                f"{codec.label_en} {record.id} supersedes {record.supersedes}, which is not stored",
                f"{codec.label_zh} {record.id} 更正的记录 {record.supersedes} 未入库",
                record=record.id,
                field="supersedes",
                actual=record.supersedes,
            )
        _check_scope(self._uow.write_scope, target.area.value, target.id)
        other = taken.get(target.id)
        if other is not None and other != record.id:
            raise DuplicateRecord(
                f"{codec.label_en} {target.id} is already superseded by {other}",
                f"{codec.label_zh} {target.id} 已被 {other} 更正",
                record=record.id,
                field="supersedes",
                actual=target.id,
            )

    def _conflict(self, stored: R, record: R) -> DuplicateRecord:
        return DuplicateRecord(
            f"{self._codec.label_en} {record.id} is already stored with other content",
            f"{self._codec.label_zh} {record.id} 已以不同内容入库",
            record=record.id,
            field="id",
            expected=repr(stored),
            actual=repr(record),
        )

    # -- reading ------------------------------------------------------------------------
    def get(self, record_id: str) -> R:
        """The record ``record_id``, superseded or not.

        Raises:
            UnknownRecord: no such record.
            ScopeViolation: it lies outside the scope.
            PersistenceError: a database error.
        """
        with self._uow.guard(f"read {self._codec.label_en}", record=record_id):
            found = self._by_ids(self._uow.connection, {record_id}).get(record_id)
        if found is None or hidden_by_scope(
            self._uow.scope, found.area.value, record_id, explain=self._uow.explain_refusals
        ):
            raise UnknownRecord(
                f"{self._codec.label_en} {record_id} is not stored",
                f"{self._codec.label_zh} {record_id} 未入库",
                record=record_id,
            )
        return found

    def _by_ids(self, conn: Connection, ids: Iterable[str | None]) -> dict[str, R]:
        table = self._codec.table
        out: dict[str, R] = {}
        for chunk in _chunks(i for i in ids if i is not None):
            for record in self._read(conn, [table.c.record_id.in_(chunk)]):
                out[record.id] = record
        return out

    def _superseded_by(self, conn: Connection, ids: Iterable[str | None]) -> dict[str, str]:
        table = self._codec.table
        out: dict[str, str] = {}
        for chunk in _chunks(i for i in ids if i is not None):
            query = sa.select(table.c.supersedes, table.c.record_id).where(table.c.supersedes.in_(chunk))
            out.update({r.supersedes: r.record_id for r in conn.execute(query)})
        return out

    def _read(self, conn: Connection, conditions: Sequence[sa.ColumnElement[bool]]) -> builtins.list[R]:
        codec = self._codec
        mains = [dict(r) for r in conn.execute(sa.select(codec.table).where(*conditions)).mappings()]
        children: dict[str, dict[str, builtins.list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        ids = [m["record_id"] for m in mains]
        for child, position in codec.children:
            for chunk in _chunks(ids):
                query = (
                    sa.select(child).where(child.c.record_id.in_(chunk)).order_by(child.c.record_id, child.c[position])
                )
                for row in conn.execute(query).mappings():
                    children[row["record_id"]][child.name].append(dict(row))
        return [codec.from_rows(m, children[m["record_id"]]) for m in mains]

    def select(
        self,
        conditions: Sequence[sa.ColumnElement[bool]] = (),
        *,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
        keep: Callable[[R], bool] | None = None,
    ) -> builtins.list[R]:
        """Records meeting ``conditions`` inside ``prefix`` and the scope, as known at ``known_at``.

        Args:
            conditions: SQL conditions on the kind's tables.
            prefix: an area-code prefix.
            known_at: read the books as they stood at this instant (``None``: all recorded).
            current: leave out records superseded (by ``known_at``).
            keep: a further filter applied to the records read.

        Returns:
            Records in the kind's order.

        Raises:
            InvalidPeriod: a naive ``known_at``.
            PersistenceError: a database error or an unreadable row.
        """
        table = self._codec.table
        where = [*conditions]
        where.extend(
            table.c.area_code.startswith(p, autoescape=True)
            for p in (validate_prefix(prefix), self._uow.scope)
            if p is not None
        )
        if known_at is not None:
            require_aware(known_at, field="known_at")
            where.append(table.c.recorded_at <= known_at)
        if current:
            newer = table.alias("newer")
            later = [newer.c.supersedes == table.c.record_id]
            if known_at is not None:
                later.append(newer.c.recorded_at <= known_at)
            where.append(~sa.exists().where(*later))
        with self._uow.guard(f"list {self._codec.label_en}s"):
            found = self._read(self._uow.connection, where)
        if keep is not None:
            found = [r for r in found if keep(r)]
        return sorted(found, key=self._order)


def _overlaps(start: sa.ColumnElement[date], end: sa.ColumnElement[date], period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(start < period.end, end > period.start)


def _within(column: sa.ColumnElement[date], period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(column >= period.start, column < period.end)


def _has(child: sa.Table, parent: sa.Table, column: str, value: str) -> sa.ColumnElement[bool]:
    return sa.exists().where(child.c.record_id == parent.c.record_id, child.c[column] == value)


class SqlDeductionRepository(SqlBookRepository[ClaimedDeduction]):
    """Claimed deductions (扣除) in ``income_deduction``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, deduction_codec, lambda r: (r.asset_id, r.period.start, r.id))

    def list(
        self,
        *,
        asset_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> builtins.list[ClaimedDeduction]:
        """Deductions of ``asset_id`` overlapping ``period`` (see :class:`~assetreg.ports.DeductionRepository`)."""
        t = deduction_codec.table
        where = []
        if asset_id is not None:
            where.append(t.c.asset_id == asset_id)
        if period is not None:
            where.append(_overlaps(t.c.period_start, t.c.period_end, period))
        return self.select(where, prefix=prefix, known_at=known_at, current=current)


class SqlRosterRepository(SqlBookRepository[RosterSnapshot]):
    """Roster snapshots (受益名单) in ``income_roster`` and ``income_roster_household``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, roster_codec, lambda r: (r.area.value, r.known_on, r.id))

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
        t = roster_codec.table
        where = [] if household_id is None else [_has(roster_household_table, t, "household_id", household_id)]
        keep = None if asset_id is None else (lambda r: any(asset_id in h.asset_ids for h in r.households))
        return self.select(where, prefix=prefix, known_at=known_at, current=current, keep=keep)

    def latest(self, area: str, *, on: date, known_at: datetime | None = None) -> RosterSnapshot | None:
        """The snapshot of exactly ``area`` in force on ``on`` (the last with ``known_on <= on``)."""
        t = roster_codec.table
        found = self.select([t.c.area_code == area, t.c.known_on <= on], known_at=known_at)
        return max(found, key=lambda r: (r.known_on, r.recorded_at, r.id), default=None)


class SqlPlanRepository(SqlBookRepository[PlanVersion]):
    """Plan versions (分配方案) in ``income_plan`` and ``income_plan_asset``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, plan_codec, lambda r: (r.plan.id, r.version, r.id))

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
        t = plan_codec.table
        where = []
        if asset_id is not None:
            where.append(_has(plan_asset_table, t, "asset_id", asset_id))
        if plan_id is not None:
            where.append(t.c.plan_id == plan_id)
        return self.select(where, prefix=prefix, known_at=known_at, current=current)


class SqlDistributionRepository(SqlBookRepository[Distribution]):
    """Distributions (分配) in ``income_distribution`` with their assets and lines."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, distribution_codec, lambda r: (r.period.start, r.id))

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
        t = distribution_codec.table
        where = []
        if asset_id is not None:
            where.append(_has(distribution_asset_table, t, "asset_id", asset_id))
        if period is not None:
            where.append(_overlaps(t.c.period_start, t.c.period_end, period))
        if household_id is not None:
            where.append(_has(distribution_line_table, t, "beneficiary_id", household_id))
        if plan_version_id is not None:
            where.append(t.c.plan_version_id == plan_version_id)
        return self.select(where, prefix=prefix, known_at=known_at, current=current)


class SqlNoticeRepository(SqlBookRepository[PublicNotice]):
    """Public notices (公示) in ``income_notice``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, notice_codec, lambda r: (r.posted_on, r.id))

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
        t = notice_codec.table
        where = []
        if distribution_id is not None:
            where.append(t.c.distribution_id == distribution_id)
        if period is not None:
            where.append(_within(t.c.posted_on, period))
        return self.select(where, prefix=prefix, known_at=known_at, current=current)


class SqlPaymentRepository(SqlBookRepository[Payment]):
    """Payments (兑付) in ``income_payment``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        """Bind the repository to ``uow``."""
        super().__init__(uow, payment_codec, lambda r: (r.paid_on, r.id))

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
        t = payment_codec.table
        where = []
        if distribution_id is not None:
            where.append(t.c.distribution_id == distribution_id)
        if household_id is not None:
            where.append(t.c.beneficiary_id == household_id)
        if period is not None:
            where.append(_within(t.c.paid_on, period))
        return self.select(where, prefix=prefix, known_at=known_at, current=current)
