"""The end-to-end demo on the bundled sample of real published projects (``assetreg demo``).

It does the main job of a county system once, with every step through the public API:

1. import the asset ledger (台账) — bad rows are reported and rejected, good rows kept;
2. add the beneficiary roster and store everything in a SQLite database (migrated with
   Alembic), then read the register back from it;
3. run the audit catalogue over the register and the income ledger;
4. allocate a year of PV-station income (灵台县 柳家铺村, 45 % collective / 55 % by
   labour after capped O&M) and a cooperative dividend (肃州区, 55/30/15);
5. build the public-notice tables (公示表), each reconciled to the fen.

The sample and its sources are described in ``assetreg/samples/README.md``. Nothing here
reads the clock: the instant the register learns the sample is fixed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import attrs

from assetreg.adapters.jobs import IncomeNotice, allocate_asset_income
from assetreg.adapters.ledger.importer import ImportResult, import_ledger
from assetreg.adapters.ledger.issues import LedgerIssue
from assetreg.adapters.ledger.records import IncomeLedger, Roster, read_income_ledger, read_roster
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.audit import AuditBooks, Finding, run_checks
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.samples import sample_path

__all__ = ["DEMO_AS_OF", "DEMO_PLANS", "DEMO_RECORDED_AT", "DemoResult", "run_demo"]

DEMO_RECORDED_AT = datetime(2024, 12, 31, 1, 0, tzinfo=UTC)
"""When the demo register learns the sample (09:00 Beijing time, 2024-12-31)."""
DEMO_AS_OF = date(2024, 12, 31)
"""The audit date of the demo."""
DEMO_PLANS: tuple[tuple[str, str], ...] = (("LT-PV-001", "pv-45-55"), ("SZ-GH-001", "coop-55-30-15"))
"""The allocations the demo runs: 灵台 PV station (45/55) and 肃州 cooperative (55/30/15)."""


@attrs.frozen(kw_only=True)
class DemoResult:
    """Everything the demo did, for printing or for tests."""

    database: str
    imported: ImportResult
    roster: Roster
    income: IncomeLedger
    register: AssetRegister
    findings: tuple[Finding, ...]
    notices: tuple[IncomeNotice, ...]
    policy: Policy

    @property
    def issues(self) -> tuple[LedgerIssue, ...]:
        """Every problem found while reading the sample files."""
        return self.imported.issues + self.roster.issues + self.income.issues


def run_demo(database: str | Path | None = None, *, notices: Sequence[tuple[str, str]] = DEMO_PLANS) -> DemoResult:
    """Run the demo and return what it did.

    Args:
        database: a SQLAlchemy URL or SQLite path; a temporary SQLite file by default.
        notices: (asset id, plan preset) pairs to allocate.

    Raises:
        AssetRegError: the bundled sample could not be processed (a bug: the demo's own
            data is expected to import).
    """
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    imported = import_ledger(
        sample_path("sample_ledger.csv"),
        recorded_at=DEMO_RECORDED_AT,
        policy=policy,
    )
    roster = read_roster(sample_path("sample_households.csv"))
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    register = imported.register
    for member in roster.households:
        register = register.add_party(member.household)

    with tempfile.TemporaryDirectory(prefix="assetreg-demo-") as tmp:
        target = database if database is not None else Path(tmp) / "demo.sqlite"
        engine = create_engine_for(target)
        try:
            upgrade(engine)
            with SqlUnitOfWork(engine) as uow:
                uow.save_register(register)
                uow.commit()
            with SqlUnitOfWork(engine) as uow:
                stored = uow.load_register()
        finally:
            engine.dispose()

    books = AuditBooks(register=stored, revenue=income.entries)
    findings = run_checks(books, as_of=DEMO_AS_OF, policy=policy)
    built = tuple(
        allocate_asset_income(stored, income, roster, policy, asset_id=asset_id, plan=plan)
        for asset_id, plan in notices
    )
    return DemoResult(
        database=str(database) if database is not None else "(temporary SQLite file)",
        imported=imported,
        roster=roster,
        income=income,
        register=stored,
        findings=findings,
        notices=built,
        policy=policy,
    )
