"""An in-memory implementation of the ports (内存存储), for tests, notebooks and integrators.

It behaves like the SQL adapter: append-only histories, optimistic concurrency, idempotent
retries by event id, area-code scopes and all-or-nothing commits. Integrators can use it
as the fake in their own tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Self

from assetreg.domain.assets import AssetId
from assetreg.domain.events import AssetEvent, AssetRegistered
from assetreg.domain.history import AssetHistory
from assetreg.domain.parties import Party, PartyId
from assetreg.domain.register import AssetRegister
from assetreg.errors import ConcurrencyError, ScopeViolation, UnknownAsset, UnknownParty

__all__ = ["MemoryStore", "MemoryUnitOfWork"]


class MemoryStore:
    """The shared state behind memory units of work (one per "database")."""

    def __init__(self) -> None:
        self.histories: dict[AssetId, AssetHistory] = {}
        self.parties: dict[PartyId, Party] = {}

    def unit_of_work(self, scope: str | None = None) -> MemoryUnitOfWork:
        """A new unit of work, optionally bound to an area-code prefix."""
        return MemoryUnitOfWork(self, scope=scope)


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

    def get(self, asset_id: AssetId) -> AssetHistory:
        history = self._uow.histories.get(asset_id)
        if history is None:
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        _check_scope(self._uow.scope, history.asset().location.value, asset_id)
        return history

    def append(self, asset_id: AssetId, events: Sequence[AssetEvent], *, expected_version: int | None) -> int:
        history = self._uow.histories.get(asset_id)
        current = history if history is not None else AssetHistory(asset_id)
        stored = current.version
        # idempotent retry: the same events already stored right after expected_version
        if expected_version is not None and stored >= expected_version + len(events) and events:
            tail = current.events[expected_version : expected_version + len(events)]
            if [e.event_id for e in tail] == [e.event_id for e in events]:
                return stored
        if expected_version is not None and stored != expected_version:
            raise ConcurrencyError(
                f"asset {asset_id} is at version {stored}, not {expected_version}",
                f"资产 {asset_id} 当前版本为 {stored}，不是 {expected_version}",
                record=asset_id,
                field="version",
                expected=expected_version,
                actual=stored,
            )
        if history is None and not (events and isinstance(events[0], AssetRegistered)):
            raise UnknownAsset(f"asset {asset_id} is not stored", f"资产 {asset_id} 未入库", record=asset_id)
        new = current.extend(events)
        _check_scope(self._uow.scope, new.asset().location.value, asset_id)
        self._uow.histories[asset_id] = new
        return new.version

    def ids(self, prefix: str | None = None) -> list[AssetId]:
        scope = self._uow.scope
        out = []
        for aid, history in self._uow.histories.items():
            code = history.asset().location.value
            if (prefix is None or code.startswith(prefix)) and (scope is None or code.startswith(scope)):
                out.append(aid)
        return sorted(out)


class _Parties:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def get(self, party_id: PartyId) -> Party:
        party = self._uow.parties_data.get(party_id)
        if party is None:
            raise UnknownParty(f"party {party_id} is not stored", f"主体 {party_id} 未入库", record=party_id)
        _check_scope(self._uow.scope, party.admin_code.value, party_id)
        return party

    def put(self, party: Party) -> None:
        _check_scope(self._uow.scope, party.admin_code.value, party.id)
        self._uow.parties_data[party.id] = party

    def all(self, prefix: str | None = None) -> list[Party]:
        scope = self._uow.scope
        return [
            p
            for _, p in sorted(self._uow.parties_data.items())
            if (prefix is None or p.admin_code.value.startswith(prefix))
            and (scope is None or p.admin_code.value.startswith(scope))
        ]


class MemoryUnitOfWork:
    """A unit of work over a :class:`MemoryStore`: changes are visible to others on commit.

    Args:
        store: the shared store.
        scope: an area-code prefix (e.g. a township's ``"620422100"``); reads and writes
            outside it raise :class:`~assetreg.errors.ScopeViolation`.
    """

    def __init__(self, store: MemoryStore, *, scope: str | None = None) -> None:
        self.store = store
        self.scope = scope
        self.histories: dict[AssetId, AssetHistory] = dict(store.histories)
        self.parties_data: dict[PartyId, Party] = dict(store.parties)
        self.assets = _Assets(self)
        self.parties = _Parties(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Publish the changes to the store, re-checking versions against other commits.

        Raises:
            ConcurrencyError: another unit of work committed a conflicting change first.
        """
        for aid, history in self.histories.items():
            stored = self.store.histories.get(aid)
            if stored is history:
                continue
            if stored is not None and history.events[: stored.version] != stored.events:
                raise ConcurrencyError(
                    f"asset {aid} was changed by another writer",
                    f"资产 {aid} 已被其他操作修改",
                    record=aid,
                    field="version",
                    actual=stored.version,
                )
        self.store.histories.update(self.histories)
        self.store.parties.update(self.parties_data)

    def rollback(self) -> None:
        """Forget uncommitted changes."""
        self.histories = dict(self.store.histories)
        self.parties_data = dict(self.store.parties)

    def load_register(self, prefix: str | None = None) -> AssetRegister:
        """Read parties and histories into a register snapshot (inside ``prefix`` and the scope)."""
        ids = self.assets.ids(prefix)
        return AssetRegister(
            parties={p.id: p for p in self.parties.all(prefix)},
            histories={aid: self.histories[aid] for aid in ids},
        )

    def save_register(self, register: AssetRegister, events: Iterable[AssetEvent] | None = None) -> None:
        """Store the register's parties and every event not yet stored."""
        for party in register.parties.values():
            self.parties.put(party)
        for aid, history in register.histories.items():
            stored = self.histories.get(aid)
            version = stored.version if stored else 0
            new = list(history.events[version:])
            if new:
                self.assets.append(aid, new, expected_version=version)
        del events  # all new events come from the register's histories


