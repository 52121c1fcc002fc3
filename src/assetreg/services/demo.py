"""The demo's use case (演示): the bundled sample of real projects, end to end, on any store.

:func:`run_demo_books` takes the sample already read into domain values and a unit of
work factory (the caller injects the engine), and does a county system's yearly cycle
once, through the other services, keeping every record in the store:

1. store the register (with the roster's households as parties) and its revenue entries
   (:func:`~assetreg.services.importing.import_register`), the deductions claimed
   (:func:`~assetreg.services.books.record_income`), the roster snapshot
   (:func:`~assetreg.services.books.record_roster`) and the plan versions with their
   approvals (:func:`~assetreg.services.books.record_plans`);
2. distribute the chosen assets' income, each for the period of its income, store the
   distributions and post their notices (:func:`~assetreg.services.distributing.distribute_period`),
   each reconciled to the fen;
3. run the audit catalogue over everything stored (:func:`~assetreg.services.auditing.audit_store`):
   the findings are what ``assetreg check --db`` gives on the same database, and no check
   is left without its inputs.

Reading the sample files is the caller's (:func:`assetreg.demo.run_demo` does it with the
ledger adapter). Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import attrs

from assetreg.audit import AuditReport, Finding
from assetreg.domain.parties import Household
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.income.books import RosterSnapshot
from assetreg.income.distribution import IncomeInputs, IncomeNotice
from assetreg.income.presets import PlanSpec
from assetreg.ports import UnitOfWork
from assetreg.services.auditing import audit_store
from assetreg.services.books import record_income, record_plans, record_roster
from assetreg.services.distributing import NoticePosting, PeriodRun, distribute_period
from assetreg.services.importing import import_register, stored_books

__all__ = ["DEMO_ASSETS", "DEMO_AS_OF", "DEMO_RECORDED_AT", "DemoRun", "run_demo_books"]

DEMO_RECORDED_AT = datetime(2024, 12, 31, 1, 0, tzinfo=UTC)
"""When the demo register learns the sample (09:00 Beijing time, 2024-12-31)."""
DEMO_AS_OF = date(2024, 12, 31)
"""The audit date of the demo."""
DEMO_ASSETS: tuple[str, ...] = ("LT-PV-001", "SZ-GH-001")
"""The assets whose income the demo distributes: 灵台 PV station (45/55) and 肃州 cooperative (55/30/15)."""


@attrs.frozen(kw_only=True)
class DemoRun:
    """What the demo's use case did.

    Attributes:
        register: the register as read back from the store.
        report: the audit of the stored books as of :data:`DEMO_AS_OF` (findings and the
            checks that did not run).
        runs: one distribution run per asset distributed.
        revenue_entries: revenue entries newly stored.
    """

    register: AssetRegister
    report: AuditReport
    runs: tuple[PeriodRun, ...]
    revenue_entries: int

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The audit's findings."""
        return self.report.findings

    @property
    def notices(self) -> tuple[IncomeNotice, ...]:
        """The distributions as notices, one per asset distributed."""
        return tuple(run.outcomes[0].notice for run in self.runs)


def run_demo_books(
    unit_of_work: Callable[[], UnitOfWork],
    register: AssetRegister,
    *,
    roster: RosterSnapshot,
    households: Sequence[Household],
    income: IncomeInputs,
    plans: Sequence[PlanSpec],
    policy: Policy,
    assets: Sequence[str] = DEMO_ASSETS,
    as_of: date = DEMO_AS_OF,
    recorded_at: datetime = DEMO_RECORDED_AT,
) -> DemoRun:
    """Store the sample's books, distribute its income and audit what is stored.

    Args:
        unit_of_work: makes a fresh unit of work over the (empty) store.
        register: the sample register; ``households`` are added to it as parties.
        roster: the roster snapshot the households are paid from.
        households: the roster's households as register parties.
        income: the sample's revenue entries and claimed deductions.
        plans: the plan versions with their approvals.
        policy: the sample policy.
        assets: the assets to distribute, each for the period of its first revenue entry;
            the notice is posted the day its last income arrived.
        as_of: the audit date.
        recorded_at: when the books learn everything.

    Raises:
        AssetRegError: the sample could not be stored or distributed (a bug: the demo's
            own data is expected to work); a refused distribution is raised as its error.
    """
    for household in households:
        register = register.add_party(household)
    outcome = import_register(unit_of_work(), register, revenue=income.entries)
    record_income(unit_of_work(), (), income.deductions)
    record_roster(unit_of_work(), roster)
    record_plans(unit_of_work(), plans, policy, recorded_at=recorded_at)
    runs = []
    for asset_id in assets:
        entries = [e for e in income.entries if e.asset_id == asset_id]
        run = distribute_period(
            unit_of_work(),
            policy,
            period=entries[0].period,
            asset_ids=(asset_id,),
            recorded_at=recorded_at,
            post=NoticePosting(posted_on=max(e.received for e in entries)),
        )
        if run.refusals:
            raise run.refusals[0].error
        runs.append(run)
    stored = stored_books(unit_of_work()).register
    report = audit_store(unit_of_work(), as_of=as_of, policy=policy)
    return DemoRun(register=stored, report=report, runs=tuple(runs), revenue_entries=outcome.revenue_entries)
