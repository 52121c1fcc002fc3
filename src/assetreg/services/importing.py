"""Use cases of importing (导入): a ledger's register and revenue entries into the store.

The caller reads the files (:mod:`assetreg.adapters.ledger`) and hands over domain values;
this module decides what may be stored and stores it in one unit of work:

* into an empty store the register goes by the unit of work's bulk path
  (:meth:`~assetreg.ports.UnitOfWork.add_register`); a ledger none of whose asset codes is
  stored goes event by event;
* a ledger some of whose asset codes are already stored is a **re-import** (台账更正): its
  difference against the stored register (:func:`~assetreg.domain.diff.diff_registers`)
  is recorded as new dated events — changes of fact on the ledger's date, corrections of
  the earlier records — and nothing stored is edited (DESIGN §4). Re-importing the same
  ledger records nothing. Without the ledger's date the re-import is refused
  (:class:`~assetreg.errors.AlreadyImported`; nothing is written);
* a dry run does all of it inside the unit of work and rolls back: the outcome says what
  would be stored, and nothing is;
* revenue entries booked to assets that are neither in the register nor stored are not
  stored and are returned, so the caller can report them;
* the register and its revenue are committed together, all or nothing.

Income ledgers (收益台账) and rosters (受益名单) import on their own into a store that
holds the register, at any time and idempotently (:func:`import_income`,
:func:`import_roster`): a record already stored with the same content is skipped whatever
instant it was first recorded at; a claimed deduction or a roster snapshot whose content
changed is stored as a correction that supersedes the version in force (ids
``<id>@2``, ``<id>@3``…), so the books keep both. Revenue entries are never changed: one
stored under the same id with other content is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.diff import ChangeKind, RegisterDiff, diff_registers
from assetreg.domain.parties import Household
from assetreg.domain.register import AssetRegister
from assetreg.errors import AlreadyImported, InvalidValue, UnknownParty
from assetreg.income.books import BookRecord, ClaimedDeduction, RosterHousehold, RosterSnapshot
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork

if TYPE_CHECKING:
    from datetime import date, datetime

__all__ = [
    "DeductionClaim",
    "ImportOutcome",
    "IncomeImport",
    "RosterImport",
    "StoredBooks",
    "import_income",
    "import_register",
    "import_roster",
    "roster_snapshots",
    "stored_books",
]

_R = TypeVar("_R", bound=BookRecord)


@attrs.frozen(kw_only=True)
class ImportOutcome:
    """What :func:`import_register` stored (or, in a dry run, would store).

    Attributes:
        assets: assets listed by the imported register.
        revenue_entries: revenue entries newly stored (entries already stored with the same
            content are not counted: importing them again is a no-op).
        unknown_asset_entries: entries not stored because their asset is neither in the
            register nor in the store.
        bulk: whether the store was empty and the bulk path was taken.
        diff: for a re-import or a dry run, the differences against the stored register
            (``None`` for a plain first import).
        dry_run: whether nothing was written.
    """

    assets: int
    revenue_entries: int
    unknown_asset_entries: tuple[RevenueEntry, ...]
    bulk: bool
    diff: RegisterDiff | None = None
    dry_run: bool = False

    @property
    def added(self) -> int:
        """Assets newly stored: all of them for a first import, the added ones for a re-import."""
        if self.diff is None:
            return self.assets
        return sum(1 for c in self.diff.changes if c.kind is ChangeKind.ADDED)

    @property
    def events(self) -> int:
        """Events recorded by a re-import's differences (0 for a first import)."""
        return 0 if self.diff is None else len(self.diff.events)


def import_register(
    uow: UnitOfWork,
    register: AssetRegister,
    *,
    revenue: Sequence[RevenueEntry] = (),
    effective: date | None = None,
    recorded_at: datetime | None = None,
    corrections: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Store a ledger's register and its revenue entries, or re-import a corrected ledger.

    Args:
        uow: the unit of work to write through (entered and committed here).
        register: the register read from the ledger (its parties and histories).
        revenue: revenue entries read from the income ledger.
        effective: the date the ledger speaks for (its 统计截止日期): a re-import records
            changes of fact on it. Needed for a re-import and a dry run.
        recorded_at: when the register learns the differences (timezone-aware): every event
            of a re-import gets this instant (it makes the event ids). Needed with
            ``effective``.
        corrections: record differences of status, owner, custodian and contract as
            corrections of the stored records instead of changes of fact.
        dry_run: compute everything, write nothing (the unit of work is rolled back).
        progress: ``progress(done, total)`` while a bulk load writes rows.

    Returns:
        What was (or would be) stored; for a re-import or a dry run, with the differences.

    Raises:
        AlreadyImported: asset codes of ``register`` are already stored and ``effective``
            or ``recorded_at`` is not given; nothing written.
        InvalidValue: a dry run without ``effective`` or ``recorded_at``.
        HistoryError, IllegalTransition: a difference cannot be recorded on the stored
            history; nothing written.
        DuplicateRecord: a revenue entry id is stored with other content; nothing written.
        ScopeViolation: an asset, party or entry lies outside the unit of work's scope.
        PersistenceError: the store failed; nothing written.
        InvalidPeriod: ``recorded_at`` is naive.
    """
    with uow:
        stored_ids = set(uow.assets.ids())
        clash = sorted(set(register.histories) & stored_ids)
        diff: RegisterDiff | None = None
        bulk = False
        if clash or dry_run:
            if effective is None or recorded_at is None:
                if not clash:
                    raise InvalidValue(
                        "a dry run needs the ledger's date and the instant of the import",
                        "试运行须给出台账日期和导入时刻",
                        field="effective" if effective is None else "recorded_at",
                    )
                raise AlreadyImported(
                    f"{len(clash)} asset codes are already in the database (e.g. {clash[0]}); "
                    "nothing imported. Give the ledger's date to re-import it as corrections.",
                    f"{len(clash)} 个资产编号已在库中（如 {clash[0]}），未导入任何数据。"
                    "如为更正后的台账，请给出台账日期后重新导入。",
                    record=clash[0],
                    field="asset_id",
                    actual=len(clash),
                )
            stored = uow.load_register()
            diff = diff_registers(
                stored, register, effective=effective, recorded_at=recorded_at, corrections=corrections
            )
            uow.save_register(diff.apply(stored))
        else:
            bulk = not stored_ids and not uow.parties.all()
            if bulk:
                uow.add_register(register, progress=progress)
            else:
                uow.save_register(register)
        known = set(register.histories) | stored_ids
        unknown = tuple(e for e in revenue if e.asset_id not in known)
        added = uow.revenue.add([e for e in revenue if e.asset_id in known])
        if not dry_run:
            uow.commit()
    return ImportOutcome(
        assets=len(register),
        revenue_entries=added,
        unknown_asset_entries=unknown,
        bulk=bulk,
        diff=diff,
        dry_run=dry_run,
    )


@attrs.frozen(kw_only=True)
class StoredBooks:
    """The register and revenue entries read from a store in one unit of work."""

    register: AssetRegister
    revenue: tuple[RevenueEntry, ...]


def stored_books(uow: UnitOfWork, *, revenue: bool = True, prefix: str | None = None) -> StoredBooks:
    """Read the stored register (and, with ``revenue``, the stored revenue entries).

    Args:
        uow: the unit of work to read from (entered here; nothing is written).
        revenue: whether to read the revenue entries too.
        prefix: an area-code prefix to read inside (besides the unit of work's scope).

    Raises:
        PayloadError: a stored record cannot be read.
        PersistenceError: the store cannot be read.
    """
    with uow:
        register = uow.load_register(prefix)
        entries = tuple(uow.revenue.list(prefix=prefix)) if revenue else ()
    return StoredBooks(register=register, revenue=entries)


# -- income ledgers and rosters on their own -------------------------------------------------
class DeductionClaim(Protocol):
    """A deduction claimed on an income-ledger row, before it is booked to its asset's area.

    (:class:`assetreg.adapters.ledger.records.DeductionRow` is one.)
    """

    @property
    def id(self) -> str:
        """The row's 收益编号."""
        ...

    @property
    def asset_id(self) -> str:
        """The asset whose income bears it."""
        ...

    def record(self, area: AdminCode, recorded_at: datetime) -> ClaimedDeduction:
        """The claim as a record of the books in ``area``."""
        ...


def _same(new: _R, old: _R) -> bool:
    """Whether ``new`` says what ``old`` says (ignoring id, instant and what it supersedes)."""
    return attrs.evolve(new, id=old.id, recorded_at=old.recorded_at, supersedes=old.supersedes) == old


def _new_versions(stored: Mapping[str, _R], records: Iterable[_R]) -> tuple[list[_R], int]:
    """The records to add: the new ones, and corrections of those whose content changed.

    A record's versions are ``id``, ``id@2``, ``id@3``…; a changed record becomes the next
    version, superseding the one in force. Returns ``(to_add, corrections)``.
    """
    out: list[_R] = []
    corrections = 0
    for record in records:
        latest: _R | None = None
        number, version_id = 1, record.id
        while version_id in stored:
            latest = stored[version_id]
            number += 1
            version_id = f"{record.id}@{number}"
        if latest is None:
            out.append(record)
        elif not _same(record, latest):
            out.append(attrs.evolve(record, id=version_id, supersedes=latest.id))
            corrections += 1
    return out, corrections


@attrs.frozen(kw_only=True)
class IncomeImport:
    """What :func:`import_income` stored (or, in a dry run, would store).

    Attributes:
        revenue_entries: revenue entries newly stored.
        deductions: claimed deductions newly stored (corrections included).
        corrections: of those, corrections of a stored claim whose content changed.
        unknown_asset_entries: entries not stored: their asset is not stored.
        unknown_asset_claims: claims not stored: their asset is not stored.
        dry_run: whether nothing was written.
    """

    revenue_entries: int
    deductions: int
    corrections: int
    unknown_asset_entries: tuple[RevenueEntry, ...]
    unknown_asset_claims: tuple[DeductionClaim, ...]
    dry_run: bool = False


def import_income(
    uow: UnitOfWork,
    entries: Sequence[RevenueEntry],
    claims: Sequence[DeductionClaim] = (),
    *,
    recorded_at: datetime,
    dry_run: bool = False,
) -> IncomeImport:
    """Store an income ledger on its own (``assetreg import-income``): revenue and claimed deductions.

    Each claim is booked to its asset's area (the stored asset's location). Entries and
    claims for assets that are not stored are left out and returned. Importing the same
    ledger again stores nothing; a claim whose amount, kind, period or note changed is
    stored as a correction superseding the claim in force.

    Args:
        uow: the unit of work (entered and committed here).
        entries: revenue entries (amounts in fen, half-open periods).
        claims: deductions claimed on the ledger's expense rows (P9).
        recorded_at: when the books learn the claims (timezone-aware).
        dry_run: compute everything, write nothing.

    Raises:
        DuplicateRecord: a revenue entry id stored with other content; nothing written.
        ScopeViolation: a record lies outside the unit of work's scope.
        PersistenceError: the store failed; nothing written.
    """
    with uow:
        stored_ids = set(uow.assets.ids())
        kept_entries = [e for e in entries if e.asset_id in stored_ids]
        kept_claims = [c for c in claims if c.asset_id in stored_ids]
        areas = {aid: uow.assets.get(AssetId(aid)).asset().location for aid in {c.asset_id for c in kept_claims}}
        records = [c.record(areas[c.asset_id], recorded_at) for c in kept_claims]
        stored = {r.id: r for r in uow.deductions.list(current=False)}
        to_add, corrections = _new_versions(stored, records)
        added_entries = uow.revenue.add(kept_entries)
        added_claims = uow.deductions.add(to_add)
        if not dry_run:
            uow.commit()
    return IncomeImport(
        revenue_entries=added_entries,
        deductions=added_claims,
        corrections=corrections,
        unknown_asset_entries=tuple(e for e in entries if e.asset_id not in stored_ids),
        unknown_asset_claims=tuple(c for c in claims if c.asset_id not in stored_ids),
        dry_run=dry_run,
    )


@attrs.frozen(kw_only=True)
class RosterImport:
    """What :func:`import_roster` stored (or, in a dry run, would store).

    Attributes:
        snapshots: the snapshots as read, one per area (ids ``ROSTER-<area>-<day>``).
        stored: snapshots newly stored (corrections included).
        corrections: of those, corrections of a stored snapshot of the same area and day.
        dry_run: whether nothing was written.
    """

    snapshots: tuple[RosterSnapshot, ...]
    stored: int
    corrections: int
    dry_run: bool = False


def roster_snapshots(
    households: Sequence[tuple[AdminCode, RosterHousehold]],
    *,
    known_on: date,
    recorded_at: datetime,
    area: AdminCode | None = None,
    source_system: str = "",
) -> tuple[RosterSnapshot, ...]:
    """The roster as snapshots of the books: one for ``area``, or one per household area code.

    Args:
        households: each household with its area code (the village it lives in).
        known_on: the day the list is as of (名单截止日).
        recorded_at: when the books learn it (timezone-aware).
        area: the area the whole list covers (a county's list); by default one snapshot per
            distinct household area code.
        source_system: where the list comes from.

    Raises:
        InvalidValue: a household listed twice in one area, or living outside ``area``.
    """
    groups: dict[AdminCode, list[RosterHousehold]] = {}
    for code, household in households:
        if area is not None and not code.within(area):
            raise InvalidValue(
                f"household {household.household_id} lives in {code}, outside the roster's area {area}",
                f"农户 {household.household_id} 所在区划 {code} 不在名单范围 {area} 内",
                record=household.household_id,
                field="admin_code",
                expected=f"within {area}",
                actual=code.value,
            )
        groups.setdefault(area if area is not None else code, []).append(household)
    return tuple(
        RosterSnapshot(
            id=f"ROSTER-{code.value}-{known_on.isoformat()}",
            area=code,
            recorded_at=recorded_at,
            known_on=known_on,
            source_system=source_system,
            households=tuple(members),
        )
        for code, members in sorted(groups.items(), key=lambda item: item[0].value)
    )


def import_roster(
    uow: UnitOfWork,
    snapshots: Sequence[RosterSnapshot],
    *,
    parties: Sequence[Household] = (),
    dry_run: bool = False,
) -> RosterImport:
    """Store roster snapshots on their own (``assetreg import-roster``), idempotently.

    A snapshot already stored with the same households is skipped; one of the same id (area
    and day) whose households changed is stored as a correction superseding the one in force.
    ``parties`` — the roster's households as register parties — are stored when new or
    changed, so a distribution's payees are known parties (AUD-702).

    Raises:
        ScopeViolation: a snapshot's area lies outside the unit of work's scope.
        PersistenceError: the store failed; nothing written.
    """
    with uow:
        stored = {r.id: r for r in uow.rosters.list(current=False)}
        to_add, corrections = _new_versions(stored, snapshots)
        added = uow.rosters.add(to_add)
        for party in parties:
            try:
                known = uow.parties.get(party.id)
            except UnknownParty:
                known = None
            if known != party:
                uow.parties.put(party)
        if not dry_run:
            uow.commit()
    return RosterImport(snapshots=tuple(snapshots), stored=added, corrections=corrections, dry_run=dry_run)
