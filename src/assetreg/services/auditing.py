"""Use cases of auditing (审计): run the check catalogue over the stored books.

:func:`audit_store` reads the register and the stored revenue entries from a unit of work
and runs :func:`~assetreg.audit.run_checks`; :func:`audit_register` does the same for a
register and revenue the caller read elsewhere (a ledger file). Findings are values,
never exceptions (DESIGN §10); revenue checks run only when revenue is known (an empty
store of revenue means "not supplied").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assetreg.audit import AuditBooks, Finding, run_checks
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork

__all__ = ["audit_register", "audit_store"]


def audit_register(
    register: AssetRegister,
    *,
    as_of: date,
    policy: Policy,
    revenue: Sequence[RevenueEntry] | None = None,
    prefix: str | None = None,
) -> tuple[Finding, ...]:
    """Run the catalogue over ``register`` and, when given, its revenue entries.

    Args:
        register: the register.
        as_of: the audit date (events effective after it are not seen).
        policy: the policy whose parameters the checks read.
        revenue: revenue entries; ``None`` skips the checks that need revenue (an empty
            sequence means "supplied, and there is none").
        prefix: audit only inside this area-code prefix (``"620422"`` for 会宁县).

    Returns:
        Every finding, sorted (a crashing check is a finding of its own, AUD-000).
    """
    books = AuditBooks(register=register, revenue=None if revenue is None else tuple(revenue))
    return run_checks(books, as_of=as_of, policy=policy, prefix=prefix)


def audit_store(
    uow: UnitOfWork,
    *,
    as_of: date,
    policy: Policy,
    prefix: str | None = None,
    revenue: Sequence[RevenueEntry] | None = None,
) -> tuple[Finding, ...]:
    """Run the catalogue over the books stored behind ``uow`` (``assetreg check --db``).

    Args:
        uow: the unit of work to read from (entered here; nothing is written).
        as_of: the audit date.
        policy: the policy.
        prefix: audit only inside this area-code prefix (and the unit of work's scope).
        revenue: revenue entries read elsewhere (an income ledger) instead of the stored
            ones; without it the stored entries are used, and when none are stored the
            checks that need revenue are skipped.

    Raises:
        PayloadError, PersistenceError: the store cannot be read.
    """
    with uow:
        register = uow.load_register()
        entries = (tuple(uow.revenue.list()) or None) if revenue is None else tuple(revenue)
    return audit_register(register, as_of=as_of, policy=policy, revenue=entries, prefix=prefix)
