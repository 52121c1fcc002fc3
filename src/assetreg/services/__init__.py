"""The use cases (用例): what a county system, an auditor or the command line asks of the library.

Each service takes a :class:`~assetreg.ports.UnitOfWork` (or a factory of them) and domain
values, never an engine or a file format; the caller (the ``assetreg`` command, a county's
web service, a notebook) wires an adapter's unit of work in. They are tested against the
in-memory unit of work (:mod:`assetreg.adapters.memory`), and the same tests run on SQL.

- :mod:`~assetreg.services.commands`: write commands, one call per change to an asset
  (register, confirm ownership, assign or end custody, sign or end a contract, change
  status, revalue, dispose, correct, record revenue), with an injected clock;
- :mod:`~assetreg.services.importing`: store a ledger's register and revenue, re-import a
  corrected ledger as dated events, import income ledgers and rosters on their own; read the books;
- :mod:`~assetreg.services.income`: distribute one asset's income for a period under a plan;
- :mod:`~assetreg.services.auditing`: run the check catalogue on the stored books;
- :mod:`~assetreg.services.valuation`: the stored assets' book values on a date;
- :mod:`~assetreg.services.books`: record income and deductions, roster snapshots, plan
  versions with their approvals, and payments (checked against their lines);
- :mod:`~assetreg.services.distributing`: a county's period of income from the stored books,
  with coded refusals, revisions and notices;
- :mod:`~assetreg.services.explaining`: where a household's money came from, where an asset's went;
- :mod:`~assetreg.services.stats`: the published summary tables of the stored books;
- :mod:`~assetreg.services.demo`: the bundled sample end to end;
- :mod:`~assetreg.services.retry`: redo a unit of work that lost a race, a bounded number of times.
"""

from assetreg.services.auditing import audit_register, audit_store
from assetreg.services.commands import (
    Written,
    approve_disposal,
    assign_custodian,
    change_status,
    confirm_ownership,
    correct,
    dispose,
    end_contract,
    end_custody,
    hand_over,
    record_event,
    record_revenue,
    register_asset,
    revalue,
    sign_contract,
)
from assetreg.services.demo import DEMO_AS_OF, DEMO_ASSETS, DEMO_RECORDED_AT, DemoRun, run_demo_books
from assetreg.services.importing import (
    ImportOutcome,
    IncomeImport,
    RosterImport,
    StoredBooks,
    import_income,
    import_register,
    import_roster,
    roster_snapshots,
    stored_books,
)
from assetreg.services.income import StoredAllocation, allocate_stored, distribute_asset_income
from assetreg.services.retry import with_retry
from assetreg.services.stats import (
    StatSubject,
    StoredStats,
    stored_income_series,
    stored_stats,
    stored_status_by_class,
)
from assetreg.services.valuation import stored_values

__all__ = [
    "DEMO_ASSETS",
    "DEMO_AS_OF",
    "DEMO_RECORDED_AT",
    "DemoRun",
    "ImportOutcome",
    "IncomeImport",
    "RosterImport",
    "StatSubject",
    "StoredAllocation",
    "StoredBooks",
    "StoredStats",
    "Written",
    "allocate_stored",
    "approve_disposal",
    "assign_custodian",
    "audit_register",
    "audit_store",
    "change_status",
    "confirm_ownership",
    "correct",
    "dispose",
    "distribute_asset_income",
    "end_contract",
    "end_custody",
    "hand_over",
    "import_income",
    "import_register",
    "import_roster",
    "record_event",
    "record_revenue",
    "register_asset",
    "revalue",
    "roster_snapshots",
    "run_demo_books",
    "sign_contract",
    "stored_books",
    "stored_income_series",
    "stored_stats",
    "stored_status_by_class",
    "stored_values",
    "with_retry",
]
