"""The end-to-end demo on the bundled sample of real published projects (``assetreg demo``).

:func:`run_demo` does the main job of a county system once:

1. read the asset ledger (台账) — bad rows are reported and rejected, good rows kept —, the
   beneficiary roster and the income ledger with :mod:`assetreg.adapters.ledger`;
2. store the register, its revenue, the deductions claimed, the roster snapshot and the
   plan versions (``sample_plans.toml``) in a SQLite database migrated with Alembic (a
   temporary file unless ``database`` is given);
3. distribute a year of PV-station income (灵台县 柳家铺村, 45 % collective / 55 % by labour
   after capped O&M) and a cooperative dividend (肃州区, 55/30/15), each reconciled to the
   fen, store the distributions and post their notices;
4. run the audit catalogue over everything stored — what ``assetreg check --db`` repeats.

Steps 2–4 are the service :func:`assetreg.services.demo.run_demo_books`; this module only
reads the files and wires the SQL adapter in. The sample and its sources are described in
``assetreg/samples/README.md``. Nothing here reads the clock.

Example:
    >>> from assetreg.demo import run_demo
    >>> result = run_demo()  # doctest: +SKIP
    >>> [n.total.format_yuan() for n in result.notices]  # doctest: +SKIP
    ['67420.00', '45000.00']
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import attrs

from assetreg.adapters.ledger.importer import ImportResult, import_ledger
from assetreg.adapters.ledger.issues import LedgerIssue
from assetreg.adapters.ledger.records import IncomeLedger, Roster, read_income_ledger, read_roster
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.audit import AuditReport, Finding
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.income.books import RosterSnapshot
from assetreg.income.distribution import IncomeNotice
from assetreg.income.presets import PlanSpec
from assetreg.samples import sample_path
from assetreg.services.demo import DEMO_AS_OF, DEMO_ASSETS, DEMO_RECORDED_AT, run_demo_books

__all__ = ["DEMO_ASSETS", "DEMO_AS_OF", "DEMO_RECORDED_AT", "DemoResult", "run_demo"]


@attrs.frozen(kw_only=True)
class DemoResult:
    """Everything the demo did, for printing, notebooks or tests.

    Attributes:
        database: where the demo database was kept (or that it was a temporary file).
        imported: the ledger import (register, rejected rows, issues).
        roster: the roster read (households and issues).
        income: the income ledger read (entries, deductions, issues).
        register: the register as read back from the database.
        report: the audit of the stored books as of :data:`DEMO_AS_OF`.
        notices: the distributions, one per asset distributed.
        policy: the sample policy.
    """

    database: str
    imported: ImportResult
    roster: Roster
    income: IncomeLedger
    register: AssetRegister
    report: AuditReport
    notices: tuple[IncomeNotice, ...]
    policy: Policy

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The audit's findings (the same as ``assetreg check --db`` on the demo database)."""
        return self.report.findings

    @property
    def issues(self) -> tuple[LedgerIssue, ...]:
        """Every problem found while reading the sample files."""
        return self.imported.issues + self.roster.issues + self.income.issues


def sample_plans() -> tuple[PlanSpec, ...]:
    """The sample's plan versions with their (presumed) approvals, from ``sample_plans.toml``."""
    return PlanSpec.from_toml(sample_path("sample_plans.toml").read_text(encoding="utf-8"))


def sample_snapshot(roster: Roster, recorded_at: datetime = DEMO_RECORDED_AT) -> RosterSnapshot:
    """The sample's synthetic roster (see the sample's README) as a snapshot of 灵台县 (620822).

    It is taken as known on 2020-04-30, the last day of the 灵台 income period it pays.
    """
    return roster.snapshot(
        id="ROSTER-620822-2020-04-30",
        area=roster.parties[0].admin_code,
        recorded_at=recorded_at,
        known_on=date(2020, 4, 30),
        source_system="样例名单（合成，见 samples/README.md）",
    )


def run_demo(database: str | Path | None = None, *, assets: Sequence[str] = DEMO_ASSETS) -> DemoResult:
    """Run the demo and return what it did.

    Args:
        database: a SQLAlchemy URL or SQLite path (an empty database); a temporary SQLite
            file by default.
        assets: the assets whose income to distribute (each has a plan in ``sample_plans.toml``).

    Raises:
        AssetRegError: the bundled sample could not be processed (a bug: the demo's own
            data is expected to import).
    """
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    imported = import_ledger(sample_path("sample_ledger.csv"), recorded_at=DEMO_RECORDED_AT, policy=policy)
    roster = read_roster(sample_path("sample_households.csv"))
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    plans = sample_plans()
    snapshot = sample_snapshot(roster)
    with tempfile.TemporaryDirectory(prefix="assetreg-demo-") as tmp:
        target = database if database is not None else Path(tmp) / "demo.sqlite"
        engine = create_engine_for(target)
        try:
            upgrade(engine)
            run = run_demo_books(
                lambda: SqlUnitOfWork(engine),
                imported.register,
                roster=snapshot,
                households=roster.parties,
                income=income.inputs(imported.register, DEMO_RECORDED_AT),
                plans=plans,
                policy=policy,
                assets=assets,
            )
        finally:
            engine.dispose()
    return DemoResult(
        database=str(database) if database is not None else "(temporary SQLite file)",
        imported=imported,
        roster=roster,
        income=income,
        register=run.register,
        report=run.report,
        notices=run.notices,
        policy=policy,
    )
