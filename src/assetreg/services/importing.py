"""Use cases of importing (导入): a ledger's register and revenue entries into the store.

The caller reads the files (:mod:`assetreg.adapters.ledger`) and hands over domain values;
this module decides what may be stored and stores it in one unit of work:

* a register whose asset codes are already stored is refused as a whole
  (:class:`~assetreg.errors.AlreadyImported`; nothing is written);
* revenue entries booked to assets that are neither in the register nor stored are not
  stored and are returned, so the caller can report them;
* into an empty store the register goes by the unit of work's bulk path
  (:meth:`~assetreg.ports.UnitOfWork.add_register`), otherwise event by event;
* the register and its revenue are committed together, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from assetreg.domain.register import AssetRegister
from assetreg.errors import AlreadyImported
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork

__all__ = ["ImportOutcome", "StoredBooks", "import_register", "stored_books"]


@attrs.frozen(kw_only=True)
class ImportOutcome:
    """What :func:`import_register` stored.

    Attributes:
        assets: assets stored (all of the register's).
        revenue_entries: revenue entries newly stored (entries already stored with the same
            content are not counted: importing them again is a no-op).
        unknown_asset_entries: entries not stored because their asset is neither in the
            register nor in the store.
        bulk: whether the store was empty and the bulk path was taken.
    """

    assets: int
    revenue_entries: int
    unknown_asset_entries: tuple[RevenueEntry, ...]
    bulk: bool


def import_register(
    uow: UnitOfWork,
    register: AssetRegister,
    *,
    revenue: Sequence[RevenueEntry] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Store a ledger's register and its revenue entries (``assetreg import``).

    Args:
        uow: the unit of work to write through (entered and committed here).
        register: the register read from the ledger (its parties and histories).
        revenue: revenue entries read from the income ledger.
        progress: ``progress(done, total)`` while a bulk load writes rows.

    Returns:
        What was stored.

    Raises:
        AlreadyImported: asset codes of ``register`` are already stored; nothing written.
        DuplicateRecord: a revenue entry id is stored with other content; nothing written.
        ScopeViolation: an asset, party or entry lies outside the unit of work's scope.
        PersistenceError: the store failed; nothing written.
    """
    with uow:
        stored_ids = set(uow.assets.ids())
        clash = sorted(set(register.histories) & stored_ids)
        if clash:
            raise AlreadyImported(
                f"{len(clash)} asset codes are already in the database (e.g. {clash[0]}); "
                "nothing imported. Was this ledger imported before?",
                f"{len(clash)} 个资产编号已在库中（如 {clash[0]}），未导入任何数据。这份台账是否已导入过？",
                record=clash[0],
                field="asset_id",
                actual=len(clash),
            )
        known = set(register.histories) | stored_ids
        unknown = tuple(e for e in revenue if e.asset_id not in known)
        kept = [e for e in revenue if e.asset_id in known]
        bulk = not stored_ids and not uow.parties.all()
        if bulk:
            uow.add_register(register, progress=progress)
        else:
            uow.save_register(register)
        added = uow.revenue.add(kept)
        uow.commit()
    return ImportOutcome(assets=len(register), revenue_entries=added, unknown_asset_entries=unknown, bulk=bulk)


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
