"""The asset register (资产台账): an immutable snapshot of parties and asset histories.

An :class:`AssetRegister` holds every party and every asset's history. It never changes:
:meth:`~AssetRegister.record` and :meth:`~AssetRegister.add_party` return a new register.
Lookups by asset, party, area-code prefix, class and status are indexed (built once per
snapshot, on first use).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from functools import cached_property
from types import MappingProxyType

import attrs

from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    OwnershipConfirmed,
)
from assetreg.domain.history import AssetHistory, AssetState
from assetreg.domain.parties import Household, Party, PartyId
from assetreg.domain.policy import Policy
from assetreg.domain.vocab import AssetClass, AssetStatus, PartyKind
from assetreg.errors import DuplicateRecord, UnknownAsset, UnknownParty

__all__ = ["AssetRegister", "owner_rule_problem"]


def _frozen_parties(value: Mapping[PartyId, Party] | Mapping[str, Party]) -> Mapping[PartyId, Party]:
    return MappingProxyType({PartyId(k): v for k, v in value.items()})


def _frozen_histories(
    value: Mapping[AssetId, AssetHistory] | Mapping[str, AssetHistory],
) -> Mapping[AssetId, AssetHistory]:
    return MappingProxyType({AssetId(k): v for k, v in value.items()})


def _parties_named(event: AssetEvent) -> Iterator[PartyId]:
    """Every party an event (or a correction's replacement) names as owner, custodian or operator."""
    if isinstance(event, Corrected):
        if event.replacement is not None:
            yield from _parties_named(event.replacement)
    elif isinstance(event, OwnershipConfirmed):
        yield from (h.holder for h in event.holders)
    elif isinstance(event, CustodianAssigned):
        yield event.custodian
    elif isinstance(event, ContractSigned):
        yield event.contract.operator


@attrs.frozen(kw_only=True)
class AssetRegister:
    """An immutable snapshot of a register: parties and asset histories.

    Attributes:
        parties: parties by id.
        histories: asset histories by asset id.

    Build one with :meth:`empty` then :meth:`add_party` / :meth:`record`, or with
    :meth:`of` from parties and events.
    """

    parties: Mapping[PartyId, Party] = attrs.field(factory=dict, converter=_frozen_parties)
    histories: Mapping[AssetId, AssetHistory] = attrs.field(factory=dict, converter=_frozen_histories)

    @classmethod
    def empty(cls) -> AssetRegister:
        """An empty register."""
        return cls()

    @classmethod
    def of(cls, parties: Iterable[Party] = (), events: Iterable[AssetEvent] = ()) -> AssetRegister:
        """Build a register from parties and events (events grouped by asset, order kept).

        Raises:
            DuplicateRecord: a party id used twice.
            HistoryError, IllegalTransition: an asset's events do not form a legal history.
        """
        by_id: dict[PartyId, Party] = {}
        for party in parties:
            if party.id in by_id:
                raise DuplicateRecord(f"party {party.id} listed twice", f"主体 {party.id} 重复", record=party.id)
            by_id[party.id] = party
        grouped: dict[AssetId, list[AssetEvent]] = defaultdict(list)
        for event in events:
            grouped[event.asset_id].append(event)
        histories = {aid: AssetHistory.of(evs) for aid, evs in grouped.items()}
        return cls(parties=by_id, histories=histories)

    # -- changes (return new registers) ---------------------------------------------------
    def add_party(self, party: Party, *, replace: bool = False) -> AssetRegister:
        """Return a register with ``party`` added (or replaced when ``replace``).

        Raises:
            DuplicateRecord: the id is taken and ``replace`` is false.
        """
        if party.id in self.parties and not replace:
            raise DuplicateRecord(f"party {party.id} already exists", f"主体 {party.id} 已存在", record=party.id)
        parties = dict(self.parties)
        parties[party.id] = party
        return AssetRegister(parties=parties, histories=self.histories)

    def record(self, *events: AssetEvent) -> AssetRegister:
        """Return a register with ``events`` appended to their assets' histories.

        A first :class:`~assetreg.domain.events.AssetRegistered` opens a new history.

        Raises:
            UnknownAsset: an event for an asset never registered.
            DuplicateRecord, HistoryError, IllegalTransition: as ``AssetHistory.append``.
        """
        histories = dict(self.histories)
        grouped: dict[AssetId, list[AssetEvent]] = defaultdict(list)
        for event in events:
            grouped[event.asset_id].append(event)
        for asset_id, evs in grouped.items():
            current = histories.get(asset_id)
            if current is None:
                if not isinstance(evs[0], AssetRegistered):
                    raise UnknownAsset(
                        f"asset {asset_id} is not in the register", f"资产 {asset_id} 不在台账中", record=asset_id
                    )
                current = AssetHistory(asset_id)
            histories[asset_id] = current.extend(evs)
        return AssetRegister(parties=self.parties, histories=histories)

    # -- lookups --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.histories)

    def __iter__(self) -> Iterator[AssetId]:
        return iter(sorted(self.histories))

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self.histories

    def history(self, asset_id: AssetId | str) -> AssetHistory:
        """The history of ``asset_id``.

        Raises:
            UnknownAsset: no such asset.
        """
        try:
            return self.histories[AssetId(asset_id)]
        except KeyError:
            raise UnknownAsset(
                f"asset {asset_id} is not in the register", f"资产 {asset_id} 不在台账中", record=str(asset_id)
            ) from None

    def party(self, party_id: PartyId | str) -> Party:
        """The party ``party_id``.

        Raises:
            UnknownParty: no such party.
        """
        try:
            return self.parties[PartyId(party_id)]
        except KeyError:
            raise UnknownParty(
                f"party {party_id} is not in the register", f"主体 {party_id} 不在台账中", record=str(party_id)
            ) from None

    def state(self, asset_id: AssetId | str, *, as_of: date, known_at: datetime | None = None) -> AssetState:
        """The state of one asset on ``as_of`` as known at ``known_at`` (see ``AssetHistory.state``)."""
        return self.history(asset_id).state(as_of=as_of, known_at=known_at)

    def states(
        self,
        *,
        as_of: date,
        known_at: datetime | None = None,
        asset_ids: Iterable[AssetId] | None = None,
    ) -> Iterator[AssetState]:
        """States of every asset (or of ``asset_ids``) that exists on ``as_of``, in id order.

        Raises:
            UnknownAsset: an id in ``asset_ids`` is not in the register.
        """
        ids = sorted(self.histories) if asset_ids is None else list(asset_ids)
        for asset_id in ids:
            history = self.history(asset_id)
            if history.exists(as_of=as_of, known_at=known_at):
                yield history.state(as_of=as_of, known_at=known_at)

    @cached_property
    def _described(self) -> Mapping[AssetId, Asset]:
        # Assets as last described; a history whose registration was withdrawn by a
        # correction (a duplicate entered by mistake) describes nothing and is left out.
        out: dict[AssetId, Asset] = {}
        for aid, history in self.histories.items():
            try:
                out[aid] = history.asset()
            except UnknownAsset:
                continue
        return out

    @cached_property
    def _by_location(self) -> tuple[list[str], list[AssetId]]:
        pairs = sorted((asset.location.value, aid) for aid, asset in self._described.items())
        return [p[0] for p in pairs], [p[1] for p in pairs]

    @cached_property
    def _by_class(self) -> Mapping[AssetClass, tuple[AssetId, ...]]:
        out: dict[AssetClass, list[AssetId]] = defaultdict(list)
        for aid, asset in sorted(self._described.items()):
            out[asset.asset_class].append(aid)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _by_party(self) -> Mapping[PartyId, tuple[AssetId, ...]]:
        out: dict[PartyId, set[AssetId]] = defaultdict(set)
        for aid, history in self.histories.items():
            for event in history.events:
                for pid in _parties_named(event):
                    out[pid].add(aid)
        return {pid: tuple(sorted(aids)) for pid, aids in out.items()}

    def in_area(self, prefix: str | AdminCode) -> tuple[AssetId, ...]:
        """Ids of assets located inside an area (by code or significant-digit prefix), sorted by location."""
        p = prefix.prefix if isinstance(prefix, AdminCode) else str(prefix)
        codes, ids = self._by_location
        lo = bisect.bisect_left(codes, p)
        hi = bisect.bisect_left(codes, p + "\U0010ffff")
        return tuple(ids[lo:hi])

    def of_class(self, asset_class: AssetClass) -> tuple[AssetId, ...]:
        """Ids of assets of ``asset_class`` (as last described), sorted."""
        return self._by_class.get(asset_class, ())

    def with_status(self, status: AssetStatus, *, as_of: date, known_at: datetime | None = None) -> tuple[AssetId, ...]:
        """Ids of assets whose status on ``as_of`` is ``status``, sorted."""
        return tuple(s.asset_id for s in self.states(as_of=as_of, known_at=known_at) if s.status is status)

    def of_party(
        self, party_id: PartyId | str, *, as_of: date, known_at: datetime | None = None
    ) -> tuple[AssetId, ...]:
        """Ids of assets the party owns, keeps or operates on ``as_of``, sorted."""
        pid = PartyId(party_id)
        candidates = self._by_party.get(pid, ())  # assets whose events ever name the party
        return tuple(
            s.asset_id
            for s in self.states(as_of=as_of, known_at=known_at, asset_ids=candidates)
            if pid in s.owners or s.custodian == pid or pid in s.operators
        )

    def households(self) -> tuple[Household, ...]:
        """Every household party, sorted by id."""
        return tuple(p for _, p in sorted(self.parties.items()) if isinstance(p, Household))


def owner_rule_problem(state: AssetState, register: AssetRegister, policy: Policy) -> str | None:
    """Check the owner rules (P4) for one asset state; return a reason code or ``None``.

    * household assets belong to households (``"household_asset_not_household_owned"``);
    * operating and public-welfare assets do not belong to a household alone
      (``"collective_asset_owned_by_household"``);
    * an asset owned by several villages' collectives of one township is shared pro rata
      (no rule broken);
    * a cross-township project goes to ``policy.cross_township_owner`` (a county department
      by default, P4 **[cfg]**): an asset owned by village collectives of more than one
      township is ``"cross_township_owned_by_villages"`` unless the policy gives such
      projects to village collectives.

    Source: DESIGN §7 P4, after the 2021 national guidance.
    """
    if state.ownership is None:
        return None
    kinds = []
    for holder in state.owners:
        party = register.parties.get(holder)
        kinds.append(party.kind if party is not None else None)
    if state.asset.asset_class is AssetClass.HOUSEHOLD:
        if any(k is not PartyKind.HOUSEHOLD for k in kinds):
            return "household_asset_not_household_owned"
        return None
    if kinds and all(k is PartyKind.HOUSEHOLD for k in kinds) and state.asset.asset_class is AssetClass.PUBLIC_WELFARE:
        return "collective_asset_owned_by_household"
    if policy.cross_township_owner is not PartyKind.VILLAGE_COLLECTIVE and _spans_townships(state, register):
        return "cross_township_owned_by_villages"
    return None


def _spans_townships(state: AssetState, register: AssetRegister) -> bool:
    """Whether the owners are all village collectives and lie in more than one township."""
    townships = set()
    for holder in state.owners:
        party = register.parties.get(holder)
        if party is None or party.kind is not PartyKind.VILLAGE_COLLECTIVE:
            return False
        townships.add(party.admin_code.township)
    return len(townships) > 1
