"""SQL adapter (SQLAlchemy 2 Core): SQLite, PostgreSQL (psycopg 3), MariaDB/MySQL (PyMySQL).

Public names:

* :func:`create_engine_for` — an engine from a URL or a SQLite path.
* :func:`upgrade` — migrate a database to the newest schema (Alembic, shipped);
  :func:`downgrade` takes it back to a revision.
* :class:`SqlUnitOfWork` — the unit of work of :mod:`assetreg.ports` (repositories
  ``assets``, ``parties``, ``revenue`` and the income books' ``deductions``, ``rosters``,
  ``plans``, ``distributions``, ``notices``, ``payments``; optional area-code ``scope``).
* :func:`bulk_load` — load a county's register in one transaction with batched inserts.
* :func:`verify_chains` — verify every county's event hash chain (防篡改校验);
* :func:`verify_state` — check the rest of the stored state: asset rows re-derived from the
  events, sequences, the events' areas, the party seals (存储状态校验).
* :data:`metadata` and the tables, for integrators' own queries.
"""

from assetreg.adapters.sql.book_rows import BOOK_CODECS, BookCodec
from assetreg.adapters.sql.books import (
    SqlBookRepository,
    SqlDeductionRepository,
    SqlDistributionRepository,
    SqlNoticeRepository,
    SqlPaymentRepository,
    SqlPlanRepository,
    SqlRosterRepository,
)
from assetreg.adapters.sql.bulk import BulkLoadResult, bulk_load
from assetreg.adapters.sql.chain import verify_chains
from assetreg.adapters.sql.engine import create_engine_for
from assetreg.adapters.sql.migrate import current_revision, downgrade, upgrade
from assetreg.adapters.sql.state import StateProblem, state_findings, verify_state
from assetreg.adapters.sql.tables import (
    asset_event_table,
    asset_table,
    chain_head_table,
    deduction_table,
    distribution_asset_table,
    distribution_line_table,
    distribution_table,
    income_book_tables,
    metadata,
    notice_table,
    party_table,
    payment_table,
    plan_asset_table,
    plan_table,
    revenue_entry_table,
    roster_household_table,
    roster_table,
)
from assetreg.adapters.sql.uow import SqlAssetRepository, SqlPartyRepository, SqlRevenueRepository, SqlUnitOfWork

__all__ = [
    "BOOK_CODECS",
    "BookCodec",
    "BulkLoadResult",
    "SqlAssetRepository",
    "SqlBookRepository",
    "SqlDeductionRepository",
    "SqlDistributionRepository",
    "SqlNoticeRepository",
    "SqlPartyRepository",
    "SqlPaymentRepository",
    "SqlPlanRepository",
    "SqlRevenueRepository",
    "SqlRosterRepository",
    "SqlUnitOfWork",
    "StateProblem",
    "asset_event_table",
    "asset_table",
    "bulk_load",
    "chain_head_table",
    "create_engine_for",
    "current_revision",
    "deduction_table",
    "distribution_asset_table",
    "distribution_line_table",
    "distribution_table",
    "downgrade",
    "income_book_tables",
    "metadata",
    "notice_table",
    "party_table",
    "payment_table",
    "plan_asset_table",
    "plan_table",
    "revenue_entry_table",
    "roster_household_table",
    "roster_table",
    "state_findings",
    "upgrade",
    "verify_chains",
    "verify_state",
]
