"""SQL adapter (SQLAlchemy 2 Core): SQLite, PostgreSQL (psycopg 3), MariaDB/MySQL (PyMySQL).

Public names:

* :func:`create_engine_for` — an engine from a URL or a SQLite path.
* :func:`upgrade` — migrate a database to the newest schema (Alembic, shipped).
* :class:`SqlUnitOfWork` — the unit of work of :mod:`assetreg.ports` (repositories
  ``assets`` and ``parties``, optional area-code ``scope``).
* :func:`bulk_load` — load a county's register in one transaction with batched inserts.
* :func:`verify_chains` — verify every county's event hash chain (防篡改校验).
* :data:`metadata` and the tables, for integrators' own queries.
"""

from assetreg.adapters.sql.bulk import BulkLoadResult, bulk_load
from assetreg.adapters.sql.chain import verify_chains
from assetreg.adapters.sql.engine import create_engine_for
from assetreg.adapters.sql.migrate import current_revision, upgrade
from assetreg.adapters.sql.tables import (
    asset_event_table,
    asset_table,
    chain_head_table,
    metadata,
    party_table,
    revenue_entry_table,
)
from assetreg.adapters.sql.uow import SqlAssetRepository, SqlPartyRepository, SqlRevenueRepository, SqlUnitOfWork

__all__ = [
    "BulkLoadResult",
    "SqlAssetRepository",
    "SqlPartyRepository",
    "SqlRevenueRepository",
    "SqlUnitOfWork",
    "asset_event_table",
    "asset_table",
    "bulk_load",
    "chain_head_table",
    "create_engine_for",
    "current_revision",
    "metadata",
    "party_table",
    "revenue_entry_table",
    "upgrade",
    "verify_chains",
]
