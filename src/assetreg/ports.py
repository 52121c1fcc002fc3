"""Ports (端口): the repository and unit-of-work protocols that adapters implement.

The core never does I/O; storage lives behind these protocols. Implementations:
:mod:`assetreg.adapters.memory` (in memory, for tests and notebooks) and
:mod:`assetreg.adapters.sql` (SQLAlchemy: SQLite, PostgreSQL, MariaDB/MySQL).

Concurrency is optimistic: :meth:`AssetRepository.append` takes the version the caller
read (the number of events in the history) and refuses with
:class:`~assetreg.errors.ConcurrencyError` when another writer got there first. Event ids
make retries idempotent: appending events that are already stored, in the same order
and at the same position, is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent
from assetreg.domain.history import AssetHistory
from assetreg.domain.parties import Party, PartyId
from assetreg.domain.register import AssetRegister
from assetreg.income.revenue import RevenueEntry

__all__ = ["AssetRepository", "PartyRepository", "RevenueRepository", "UnitOfWork"]


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
    def scope(self) -> str | None:
        """The area-code prefix the unit of work is bound to, or ``None`` for everywhere."""
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
