"""The use cases (用例): what a county system, an auditor or the command line asks of the library.

Each service takes a :class:`~assetreg.ports.UnitOfWork` (or a factory of them) and domain
values, never an engine or a file format; the caller (the ``assetreg`` command, a county's
web service, a notebook) wires an adapter's unit of work in. They are tested against the
in-memory unit of work (:mod:`assetreg.adapters.memory`), and the same tests run on SQL.

- :mod:`~assetreg.services.importing`: store a ledger's register and revenue; read the books;
- :mod:`~assetreg.services.income`: distribute one asset's income for a period under a plan;
- :mod:`~assetreg.services.auditing`: run the check catalogue on the stored books;
- :mod:`~assetreg.services.valuation`: the stored assets' book values on a date;
- :mod:`~assetreg.services.demo`: the bundled sample end to end;
- :mod:`~assetreg.services.retry`: redo a unit of work that lost a race, a bounded number of times.
"""

from assetreg.services.auditing import audit_register, audit_store
from assetreg.services.demo import DEMO_AS_OF, DEMO_ASSETS, DEMO_RECORDED_AT, DemoRun, run_demo_books
from assetreg.services.importing import ImportOutcome, StoredBooks, import_register, stored_books
from assetreg.services.income import StoredAllocation, allocate_stored, distribute_asset_income
from assetreg.services.retry import with_retry
from assetreg.services.valuation import stored_values

__all__ = [
    "DEMO_ASSETS",
    "DEMO_AS_OF",
    "DEMO_RECORDED_AT",
    "DemoRun",
    "ImportOutcome",
    "StoredAllocation",
    "StoredBooks",
    "allocate_stored",
    "audit_register",
    "audit_store",
    "distribute_asset_income",
    "import_register",
    "run_demo_books",
    "stored_books",
    "stored_values",
    "with_retry",
]
