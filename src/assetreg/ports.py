"""Ports (端口): the repository and unit-of-work protocols that adapters implement.

The core never does I/O; storage lives behind these protocols. Implementations:
:mod:`assetreg.adapters.memory` (in memory, for tests and notebooks) and
:mod:`assetreg.adapters.sql` (SQLAlchemy: SQLite, PostgreSQL, MariaDB/MySQL).

The income books (DESIGN §12) have one repository per record kind
(:class:`DeductionRepository`, :class:`RosterRepository`, :class:`PlanRepository`,
:class:`DistributionRepository`, :class:`NoticeRepository`, :class:`PaymentRepository`),
all append-only and bitemporal with the same rules:

* ``add(records)`` stores new records, all or none, and returns how many were new; a
  record whose id is stored with the same content is skipped (an idempotent retry),
  other content under a stored id is :class:`~assetreg.errors.DuplicateRecord`;
* a correction names the record it ``supersedes``, which must be stored (or earlier in
  the same batch) and not superseded already (:class:`~assetreg.errors.UnknownRecord`,
  :class:`~assetreg.errors.DuplicateRecord`);
* ``list(..., known_at=None, current=True)`` reads the records in force as known at
  ``known_at`` (recorded by then and not superseded by a record recorded by then);
  ``current=False`` gives every version recorded by then;
* records outside the unit of work's area-code scope are neither written nor read
  (:class:`~assetreg.errors.ScopeViolation`).

Concurrency is optimistic: :meth:`AssetRepository.append` takes the version the caller
read (the number of events in the history) and refuses with
:class:`~assetreg.errors.ConcurrencyError` when another writer got there first. Event ids
make retries idempotent: appending events that are already stored, in the same order
and at the same position, is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent
from assetreg.domain.history import AssetHistory
from assetreg.domain.parties import Party, PartyId
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.errors import InvalidCode, ScopeViolation
from assetreg.income.books import (
    ClaimedDeduction,
    Distribution,
    Payment,
    PlanVersion,
    PublicNotice,
    RosterSnapshot,
)
from assetreg.income.revenue import RevenueEntry

__all__ = [
    "AssetRepository",
    "Clock",
    "DeductionRepository",
    "DistributionRepository",
    "NoticeRepository",
    "PartyRepository",
    "PaymentRepository",
    "PlanRepository",
    "RevenueRepository",
    "RosterRepository",
    "UnitOfWork",
    "check_scope",
    "hidden_by_scope",
    "narrow_prefix",
    "validate_prefix",
    "validate_scope",
    "write_scope_within",
]


@runtime_checkable
class Clock(Protocol):
    """Where write commands get ``recorded_at`` from (时钟).

    The core never reads the system clock; a service injects one.
    :class:`~assetreg.adapters.clock.SystemClock` reads it,
    :class:`~assetreg.adapters.clock.FixedClock` returns set instants (tests, replays).
    """

    def now(self) -> datetime:
        """The current instant, timezone-aware (the commands normalise it to UTC)."""
        ...


@runtime_checkable
class AssetRepository(Protocol):
    """Append-only store of asset histories."""

    def get(self, asset_id: AssetId) -> AssetHistory:
        """Return the history of ``asset_id``.

        Raises:
            UnknownAsset: no such asset (or outside the unit of work's scope).
        """
        ...

    def append(self, asset_id: AssetId, events: Sequence[AssetEvent], *, expected_version: int | None) -> int:
        """Append ``events`` to ``asset_id``'s history and return the new version.

        Args:
            asset_id: the asset; a new asset's first event must register it.
            events: events in recorded order.
            expected_version: the version the caller read (0 for a new asset), or
                ``None`` to skip the check.

        Raises:
            ConcurrencyError: the stored version differs from ``expected_version``.
            HistoryError, IllegalTransition, DuplicateRecord: the events are refused.
            ScopeViolation: the asset lies outside the unit of work's area prefix.
        """
        ...

    def ids(self, prefix: str | None = None) -> list[AssetId]:
        """Ids of stored assets, optionally inside an area-code prefix, sorted."""
        ...


@runtime_checkable
class PartyRepository(Protocol):
    """Store of parties (upsert by id)."""

    def get(self, party_id: PartyId) -> Party:
        """Return the party.

        Raises:
            UnknownParty: no such party.
        """
        ...

    def put(self, party: Party) -> None:
        """Insert or replace ``party``."""
        ...

    def all(self, prefix: str | None = None) -> list[Party]:
        """Every party, optionally inside an area-code prefix, sorted by id."""
        ...


@runtime_checkable
class RevenueRepository(Protocol):
    """Store of revenue entries (收益流水), keyed by entry id; entries are never changed.

    Amounts are integer fen; periods are half-open ``[start, end)``.
    """

    def add(self, entries: Sequence[RevenueEntry]) -> int:
        """Store ``entries`` and return how many were new.

        An entry whose id is already stored with the same content is skipped (an
        idempotent retry); nothing is written when any entry is refused.

        Raises:
            DuplicateRecord: an id is already stored with other content.
            ScopeViolation: the entry's asset lies outside the unit of work's scope.
            UnknownAsset: the entry's asset is not stored.
        """
        ...

    def list(self, *, asset_id: str | None = None, prefix: str | None = None) -> list[RevenueEntry]:
        """Stored entries (of one asset, inside an area-code prefix and the scope).

        Returns:
            Entries sorted by ``(asset_id, period.start, id)``.
        """
        ...


@runtime_checkable
class DeductionRepository(Protocol):
    """Claimed deductions (扣除), append-only and bitemporal (see the module's rules)."""

    def add(self, records: Sequence[ClaimedDeduction]) -> int:
        """Store ``records`` (all or none) and return how many were new.

        Raises:
            DuplicateRecord: an id stored (or given twice) with other content, or a record
                superseded twice.
            UnknownRecord: ``supersedes`` names no stored record.
            ScopeViolation: a record's area lies outside the scope.
        """
        ...

    def get(self, record_id: str) -> ClaimedDeduction:
        """The record ``record_id``, superseded or not.

        Raises:
            UnknownRecord: no such record.
            ScopeViolation: it lies outside the scope.
        """
        ...

    def list(
        self,
        *,
        asset_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> list[ClaimedDeduction]:
        """Deductions of ``asset_id`` whose period overlaps ``period``, inside ``prefix`` and the scope.

        Returns:
            Records sorted by ``(asset_id, period.start, id)``.
        """
        ...


@runtime_checkable
class RosterRepository(Protocol):
    """Roster snapshots (受益名单), append-only and bitemporal."""

    def add(self, records: Sequence[RosterSnapshot]) -> int:
        """Store ``records`` (all or none) and return how many were new (raises as the other ``add``)."""
        ...

    def get(self, record_id: str) -> RosterSnapshot:
        """The snapshot ``record_id`` (raises ``UnknownRecord``, ``ScopeViolation``)."""
        ...

    def list(
        self,
        *,
        prefix: str | None = None,
        household_id: str | None = None,
        asset_id: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> list[RosterSnapshot]:
        """Snapshots inside ``prefix`` and the scope that list ``household_id`` / a household of ``asset_id``.

        Returns:
            Snapshots sorted by ``(area, known_on, id)``.
        """
        ...

    def latest(self, area: str, *, on: date, known_at: datetime | None = None) -> RosterSnapshot | None:
        """The snapshot of exactly ``area`` in force on ``on``: the last one with ``known_on <= on``."""
        ...


@runtime_checkable
class PlanRepository(Protocol):
    """Plan versions with their approvals (分配方案), append-only and bitemporal."""

    def add(self, records: Sequence[PlanVersion]) -> int:
        """Store ``records`` (all or none) and return how many were new (raises as the other ``add``)."""
        ...

    def get(self, record_id: str) -> PlanVersion:
        """The plan version ``record_id`` (raises ``UnknownRecord``, ``ScopeViolation``)."""
        ...

    def list(
        self,
        *,
        asset_id: str | None = None,
        prefix: str | None = None,
        plan_id: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> list[PlanVersion]:
        """Plan versions governing ``asset_id`` / of ``plan_id``, inside ``prefix`` and the scope.

        Returns:
            Versions sorted by ``(plan.id, version, id)``.
        """
        ...


@runtime_checkable
class DistributionRepository(Protocol):
    """Distributions (分配) with their lines, append-only and bitemporal."""

    def add(self, records: Sequence[Distribution]) -> int:
        """Store ``records`` (all or none) and return how many were new (raises as the other ``add``)."""
        ...

    def get(self, record_id: str) -> Distribution:
        """The distribution ``record_id`` (raises ``UnknownRecord``, ``ScopeViolation``)."""
        ...

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
    ) -> list[Distribution]:
        """Distributions meeting every filter given, inside ``prefix`` and the scope.

        ``asset_id``: one of its assets; ``period``: its period overlaps; ``household_id``:
        a line pays it; ``plan_version_id``: the plan version it ran.

        Returns:
            Distributions sorted by ``(period.start, id)``.
        """
        ...


@runtime_checkable
class NoticeRepository(Protocol):
    """Public notices (公示) with their objections, append-only and bitemporal."""

    def add(self, records: Sequence[PublicNotice]) -> int:
        """Store ``records`` (all or none) and return how many were new (raises as the other ``add``)."""
        ...

    def get(self, record_id: str) -> PublicNotice:
        """The notice ``record_id`` (raises ``UnknownRecord``, ``ScopeViolation``)."""
        ...

    def list(
        self,
        *,
        distribution_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> list[PublicNotice]:
        """Notices of ``distribution_id`` posted inside ``period``, inside ``prefix`` and the scope.

        Returns:
            Notices sorted by ``(posted_on, id)``.
        """
        ...


@runtime_checkable
class PaymentRepository(Protocol):
    """Payments of distribution lines (兑付), append-only and bitemporal."""

    def add(self, records: Sequence[Payment]) -> int:
        """Store ``records`` (all or none) and return how many were new (raises as the other ``add``)."""
        ...

    def get(self, record_id: str) -> Payment:
        """The payment ``record_id`` (raises ``UnknownRecord``, ``ScopeViolation``)."""
        ...

    def list(
        self,
        *,
        distribution_id: str | None = None,
        household_id: str | None = None,
        period: Period | None = None,
        prefix: str | None = None,
        known_at: datetime | None = None,
        current: bool = True,
    ) -> list[Payment]:
        """Payments of ``distribution_id`` / to ``household_id`` paid inside ``period``, in ``prefix`` and the scope.

        Returns:
            Payments sorted by ``(paid_on, id)``.
        """
        ...


class UnitOfWork(Protocol):
    """A transaction over the repositories: commit all or nothing.

    Use as a context manager; leaving the block without :meth:`commit` rolls back.
    """

    @property
    def assets(self) -> AssetRepository:
        """The asset histories."""
        ...

    @property
    def parties(self) -> PartyRepository:
        """The parties."""
        ...

    @property
    def revenue(self) -> RevenueRepository:
        """The revenue entries."""
        ...

    @property
    def deductions(self) -> DeductionRepository:
        """The claimed deductions (扣除)."""
        ...

    @property
    def rosters(self) -> RosterRepository:
        """The roster snapshots (受益名单)."""
        ...

    @property
    def plans(self) -> PlanRepository:
        """The plan versions and their approvals (分配方案)."""
        ...

    @property
    def distributions(self) -> DistributionRepository:
        """The distributions (分配)."""
        ...

    @property
    def notices(self) -> NoticeRepository:
        """The public notices (公示)."""
        ...

    @property
    def payments(self) -> PaymentRepository:
        """The payments (兑付)."""
        ...

    @property
    def scope(self) -> str | None:
        """The area-code prefix the unit of work reads inside, or ``None`` for everywhere."""
        ...

    @property
    def write_scope(self) -> str | None:
        """The area-code prefix it writes inside (the scope, or a narrower prefix)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work done so far durable."""
        ...

    def rollback(self) -> None:
        """Discard the work done since the last commit."""
        ...

    def load_register(self, prefix: str | None = None) -> AssetRegister:
        """Read parties and histories (inside ``prefix`` or the scope) into a register snapshot."""
        ...

    def save_register(self, register: AssetRegister, events: Iterable[AssetEvent] | None = None) -> None:
        """Store the register's parties and the events not yet stored."""
        ...

    def add_register(self, register: AssetRegister, *, progress: Callable[[int, int], None] | None = None) -> None:
        """Store a register none of whose parties or assets is stored yet (a first import).

        The fast path for a whole county: the SQL adapter writes set-based batches inside
        this unit of work's transaction (nothing is durable before :meth:`commit`).

        Args:
            register: the register; its histories are taken as already checked.
            progress: ``progress(done, total)`` as rows are written.

        Raises:
            ScopeViolation: a party or asset lies outside the scope; nothing is written.
            PersistenceError: a party or asset is already stored, or the store failed.
        """
        ...


# -- scopes (授权范围) ---------------------------------------------------------------------
def validate_scope(scope: object) -> str | None:
    """Return ``scope`` if it is a valid area-code scope: ``None`` or 2 to 12 digits.

    ``None`` is the explicit "everywhere"; an empty string, a LIKE wildcard (``%``, ``_``)
    or anything but ASCII digits is refused, so a typo never widens access.

    Raises:
        ScopeViolation: ``scope`` is not ``None`` and not 2-12 ASCII digits.
    """
    if scope is None:
        return None
    if not isinstance(scope, str) or not (2 <= len(scope) <= 12) or not scope.isascii() or not scope.isdigit():  # noqa: PLR2004 - a province has 2 digits, a village 12
        raise ScopeViolation(
            f"scope {scope!r} is not an area-code prefix of 2 to 12 digits (None means everywhere)",
            f"授权范围 {scope!r} 不是 2 至 12 位数字的区划代码前缀（全域请用 None）",
            field="scope",
            expected="None or 2-12 digits",
            actual=repr(scope),
        )
    return scope


def check_scope(scope: str | None, code: str, record: str, *, field: str = "location") -> None:
    """Refuse ``record`` located at ``code`` when it lies outside ``scope``.

    Raises:
        ScopeViolation: ``scope`` is set and ``code`` does not start with it.
    """
    if scope is not None and not code.startswith(scope):
        raise ScopeViolation(
            f"{record} lies in {code}, outside the scope {scope}",
            f"{record} 位于 {code}，超出授权范围 {scope}",
            record=record,
            field=field,
            expected=f"prefix {scope}",
            actual=code,
        )


def hidden_by_scope(scope: str | None, code: str, record: str, *, explain: bool = False) -> bool:
    """Whether a stored record at ``code`` is to be reported as missing to a unit of work bound to ``scope``.

    A read (or a write naming a stored record) outside the scope is refused exactly as if
    the record did not exist (:class:`~assetreg.errors.UnknownAsset`,
    :class:`~assetreg.errors.UnknownParty`, :class:`~assetreg.errors.UnknownRecord`, with
    the missing record's own message), so a caller cannot learn what another area holds.
    A unit of work opened with ``explain_refusals=True`` (an administrator's, a test's) is
    told the reason instead.

    Returns:
        ``True`` when the record lies outside ``scope`` (the caller raises its "not stored"
        error), ``False`` when it lies inside (or there is no scope).

    Raises:
        ScopeViolation: with ``explain``, the record lies outside ``scope``.
    """
    if scope is None or code.startswith(scope):
        return False
    if explain:
        check_scope(scope, code, record)
    return True


def narrow_prefix(prefix: str | None, scope: str | None) -> str | None:
    """The area prefix a read inside ``scope`` may use for a requested ``prefix``.

    The longer of the two when one extends the other (``None`` stands for everywhere).

    Raises:
        ScopeViolation: ``prefix`` and ``scope`` are disjoint (neither starts with the other).
    """
    if scope is None:
        return prefix
    if prefix is None or prefix.startswith(scope):
        return prefix if prefix is not None else scope
    if scope.startswith(prefix):
        return scope
    raise ScopeViolation(
        f"area {prefix} lies outside the scope {scope}",
        f"区域 {prefix} 超出授权范围 {scope}",
        field="prefix",
        expected=f"prefix {scope}",
        actual=prefix,
    )


def validate_prefix(prefix: str | None) -> str | None:
    """Return ``prefix`` if it is ``None`` or 1 to 12 ASCII digits (an area-code prefix).

    A prefix is matched literally (``LIKE … ESCAPE``); refusing anything but digits also
    keeps ``%``, ``_`` and an empty string from ever meaning "every area".

    Raises:
        InvalidCode: any other value.
    """
    if prefix is None:
        return None
    if not isinstance(prefix, str) or not (1 <= len(prefix) <= 12) or not prefix.isascii() or not prefix.isdigit():  # noqa: PLR2004 - area codes have 12 digits
        raise InvalidCode(
            f"area prefix {prefix!r} is not 1 to 12 digits",
            f"区划代码前缀 {prefix!r} 不是 1 至 12 位数字",
            field="prefix",
            expected="1-12 digits",
            actual=repr(prefix),
        )
    return prefix


def write_scope_within(scope: str | None, write_scope: str | None) -> str | None:
    """The write scope of a unit of work reading inside ``scope``: ``write_scope``, else ``scope``.

    Raises:
        ScopeViolation: either is malformed, or ``write_scope`` is wider than ``scope``.
    """
    scope, write_scope = validate_scope(scope), validate_scope(write_scope)
    if write_scope is None:
        return scope
    if scope is not None and not write_scope.startswith(scope):
        raise ScopeViolation(
            f"the write scope {write_scope} lies outside the read scope {scope}",
            f"写入范围 {write_scope} 超出读取范围 {scope}",
            field="write_scope",
            expected=f"prefix {scope}",
            actual=write_scope,
        )
    return write_scope
