"""Use cases of auditing (审计): run the check catalogue over the stored books.

:func:`audit_store` reads the register and the stored revenue entries from a unit of work
and runs :func:`~assetreg.audit.run_audit`; :func:`audit_register` does the same for a
register and revenue the caller read elsewhere (a ledger file). Findings are values,
never exceptions (DESIGN §10). A check whose inputs the books do not hold (no revenue
stored, no distributions…) does not run and is reported in ``AuditReport.not_run`` with
the reason — never a silent skip.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import TypeVar

from assetreg.audit import AuditBooks, AuditReport, Check, run_audit
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork

__all__ = ["BOOK_PARTS", "audit_register", "audit_store"]

BOOK_PARTS = ("revenue", "deductions", "rosters", "plans", "distributions", "notices", "payments")
"""The parts of the books :func:`audit_store` reads, by the name ``supplied=`` takes."""

_R = TypeVar("_R")


def audit_register(
    register: AssetRegister,
    *,
    as_of: date,
    policy: Policy,
    revenue: Sequence[RevenueEntry] | None = None,
    prefix: str | None = None,
) -> AuditReport:
    """Run the catalogue over ``register`` and, when given, its revenue entries.

    Args:
        register: the register.
        as_of: the audit date (events effective after it are not seen).
        policy: the policy whose parameters the checks read.
        revenue: revenue entries; ``None`` skips the checks that need revenue (an empty
            sequence means "supplied, and there is none").
        prefix: audit only inside this area-code prefix (``"620422"`` for 会宁县).

    Returns:
        Every finding, sorted (a crashing check is a finding of its own, AUD-000), and the
        checks that did not run because their inputs were not supplied, with the reason.
    """
    books = AuditBooks(register=register, revenue=None if revenue is None else tuple(revenue))
    return run_audit(books, as_of=as_of, policy=policy, prefix=prefix)


def _supplied(records: tuple[_R, ...], keeps_books: bool) -> tuple[_R, ...] | None:
    """``records``, or ``None`` (not supplied) when the store holds none and keeps no books."""
    return records if records or keeps_books else None


def audit_store(
    uow: UnitOfWork,
    *,
    as_of: date,
    policy: Policy,
    prefix: str | None = None,
    revenue: Sequence[RevenueEntry] | None = None,
    supplied: Collection[str] = (),
    checks: Iterable[Check] | None = None,
) -> AuditReport:
    """Run the catalogue over the books stored behind ``uow`` (``assetreg check --db``).

    Reads the register, the revenue entries and every income-book record the store keeps
    (deductions, roster snapshots, plan versions, distributions, notices, payments). A
    part the store holds nothing of is not supplied, so the checks that need it are
    reported in ``not_run``; once any distribution is stored, every part counts as
    supplied (a distribution without its notice or payments is a finding, AUD-802/607).

    Args:
        uow: the unit of work to read from (entered here; nothing is written).
        as_of: the audit date.
        policy: the policy.
        prefix: audit only inside this area-code prefix (and the unit of work's scope).
        revenue: revenue entries read elsewhere (an income ledger) instead of the stored
            ones; without it the stored entries are used, and when none are stored the
            checks that need revenue are skipped.
        supplied: parts of the books (names of :data:`BOOK_PARTS`) held elsewhere in the
            store — by the other counties of a run county by county
            (:mod:`assetreg.batch`) —, treated as supplied even when this unit of work's
            scope holds none of them, so that each county's checks are those of the whole
            run.
        checks: the checks to run; ``None`` = the built-in catalogue.

    Raises:
        PayloadError, PersistenceError: the store cannot be read.
        ValueError: a name in ``supplied`` is not one of :data:`BOOK_PARTS`.
    """
    unknown = sorted(set(supplied) - set(BOOK_PARTS))
    if unknown:
        msg = f"unknown parts of the books: {unknown}; expected names of {BOOK_PARTS}"
        raise ValueError(msg)
    held = frozenset(supplied)
    with uow:
        register = uow.load_register()
        stored = tuple(uow.revenue.list()) if revenue is None else tuple(revenue)
        entries = stored if stored or revenue is not None or "revenue" in held else None
        deductions = tuple(uow.deductions.list())
        rosters = tuple(uow.rosters.list())
        plans = tuple(uow.plans.list())
        distributions = tuple(uow.distributions.list())
        notices = tuple(uow.notices.list())
        payments = tuple(uow.payments.list())
    # Once the store keeps any distribution, its books are kept: a missing notice or
    # payment is then a fact the checks must see (AUD-802), not an input not supplied.
    keeps = bool(distributions) or "distributions" in held
    books = AuditBooks(
        register=register,
        revenue=entries,
        deductions=_supplied(deductions, keeps or "deductions" in held),
        rosters=_supplied(rosters, keeps or "rosters" in held),
        plans=_supplied(plans, keeps or "plans" in held),
        distributions=_supplied(distributions, keeps),
        notices=_supplied(notices, keeps or "notices" in held),
        payments=_supplied(payments, keeps or "payments" in held),
    )
    return run_audit(books, as_of=as_of, policy=policy, prefix=prefix, checks=checks)
