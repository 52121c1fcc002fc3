"""The demo's use case (演示): the bundled sample of real projects, end to end, on any store.

:func:`run_demo_books` takes the sample already read into domain values and a unit of
work factory (the caller injects the engine), and does the main job of a county system
once, through the other services:

1. store the register (with the roster's households as parties) and its revenue entries
   (:func:`~assetreg.services.importing.import_register`), then read them back;
2. run the audit catalogue over the stored books (:func:`~assetreg.services.auditing.audit_register`);
3. distribute the chosen assets' income under their plans
   (:func:`~assetreg.services.income.distribute_asset_income`), each reconciled to the fen.

Reading the sample files is the caller's (:func:`assetreg.demo.run_demo` does it with the
ledger adapter). Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import attrs

from assetreg.audit import Finding
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.income.distribution import IncomeInputs, IncomeNotice, RosterHousehold
from assetreg.ports import UnitOfWork
from assetreg.services.auditing import audit_register
from assetreg.services.importing import import_register, stored_books
from assetreg.services.income import distribute_asset_income

__all__ = ["DEMO_AS_OF", "DEMO_PLANS", "DEMO_RECORDED_AT", "DemoRun", "run_demo_books"]

DEMO_RECORDED_AT = datetime(2024, 12, 31, 1, 0, tzinfo=UTC)
"""When the demo register learns the sample (09:00 Beijing time, 2024-12-31)."""
DEMO_AS_OF = date(2024, 12, 31)
"""The audit date of the demo."""
DEMO_PLANS: tuple[tuple[str, str], ...] = (("LT-PV-001", "pv-45-55"), ("SZ-GH-001", "coop-55-30-15"))
"""The allocations the demo runs: 灵台 PV station (45/55) and 肃州 cooperative (55/30/15)."""


@attrs.frozen(kw_only=True)
class DemoRun:
    """What the demo's use case did.

    Attributes:
        register: the register as read back from the store.
        findings: the audit's findings as of :data:`DEMO_AS_OF`.
        notices: one distribution per entry of the plans asked for.
        revenue_entries: revenue entries newly stored.
    """

    register: AssetRegister
    findings: tuple[Finding, ...]
    notices: tuple[IncomeNotice, ...]
    revenue_entries: int


def run_demo_books(
    unit_of_work: Callable[[], UnitOfWork],
    register: AssetRegister,
    *,
    roster: Sequence[RosterHousehold],
    income: IncomeInputs,
    policy: Policy,
    plans: Sequence[tuple[str, str]] = DEMO_PLANS,
    as_of: date = DEMO_AS_OF,
) -> DemoRun:
    """Store the sample, audit it and distribute its income.

    Args:
        unit_of_work: makes a fresh unit of work over the (empty) store.
        register: the sample register; the roster's households are added as parties.
        roster: the beneficiary roster.
        income: the sample's revenue entries and claimed deductions.
        policy: the sample policy.
        plans: (asset id, plan preset) pairs to distribute.
        as_of: the audit date.

    Raises:
        AssetRegError: the sample could not be stored or distributed (a bug: the demo's
            own data is expected to work).
    """
    for member in roster:
        register = register.add_party(member.household)
    outcome = import_register(unit_of_work(), register, revenue=income.entries)
    stored = stored_books(unit_of_work()).register
    findings = audit_register(stored, as_of=as_of, policy=policy, revenue=income.entries)
    notices = tuple(
        distribute_asset_income(stored, income, roster, policy, asset_id=asset_id, plan=plan)
        for asset_id, plan in plans
    )
    return DemoRun(register=stored, findings=findings, notices=notices, revenue_entries=outcome.revenue_entries)
