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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from assetreg.domain.diff import ChangeKind, RegisterDiff, diff_registers
from assetreg.domain.register import AssetRegister
from assetreg.errors import AlreadyImported, InvalidValue
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork

if TYPE_CHECKING:
    from datetime import date, datetime

__all__ = ["ImportOutcome", "StoredBooks", "import_register", "stored_books"]


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
