"""SQLAlchemy Core tables of the register (数据库表), DESIGN §3.

Domain classes are never mapped: these tables and the pure functions of
:mod:`assetreg.adapters.sql.rows` are all the adapter needs.

Tables (every constraint and index named by :data:`NAMING_CONVENTION`):

``asset_event``
    The append-only event log (事件流水). One row per event, never updated or deleted
    by the library. Hot fields are typed columns; the rest of the event is a JSON
    ``payload`` written by :mod:`assetreg.adapters.sql.codec`.

    ========== ============================================================================
    asset_id    the asset (FK ``asset``); with ``sequence`` the primary key
    sequence    1-based position in the asset's history (= the version after the event)
    event_id    unique event id (idempotent retries)
    kind        event kind (``"asset_registered"``…, ``EVENT_TYPES`` keys)
    effective   effective date (生效日期)
    recorded_at instant the register learned it (UTC, microseconds)
    area_code   the asset's 12-digit location code when the event was stored
    county_code its 6-digit county code (NULL above county level)
    supersedes  for a correction, the superseded event id
    payload     the remaining fields (JSON)
    chain_county   the county chain holding the event (first 6 digits of ``area_code``)
    chain_position 1-based position in that chain (unique with ``chain_county``)
    chain_hash     the link hash (64 hex digits, :mod:`assetreg.audit.chain`)
    ========== ============================================================================

    The three ``chain_*`` columns (revision 0002) are nullable only because they were
    added to a table that may hold rows: the migration chains every existing event and
    the library never writes a NULL, so :func:`~assetreg.adapters.sql.verify_chains`
    reports an event without a link as *inserted*.

``chain_head``
    The last link of each county chain (链头): ``county`` (PK), ``position`` and ``hash``.
    Appends lock the row (``SELECT … FOR UPDATE``) and move it with a conditional
    ``UPDATE … WHERE position = old``, so concurrent writers in one county queue up (or
    get :class:`~assetreg.errors.ConcurrencyError`) and never fork the chain. It is also
    the anchor that makes deleting the newest events detectable.

``asset``
    Current-state row per asset (资产当前行): ``version`` (number of events, used for
    optimistic concurrency with a conditional ``UPDATE … WHERE version = expected``),
    location, county, class, kind, original value (fen), registration date and the last
    ``recorded_at``. Derived from the events; rewritten on each append.

``party``
    Parties (产权主体), upserted by id: kind, name, area code, county code and a JSON
    payload holding the kind-specific fields (credit code, household data).

``revenue_entry``
    Income received from an asset for a period (收益流水), for audit pushdown:
    ``entry_id`` (PK), ``asset_id``, ``kind`` (revenue kind value), ``period_start`` /
    ``period_end`` (half-open ``[start, end)``), ``received_on``, ``amount_fen``
    (BIGINT fen), ``contract_id`` (NULL when not under a contract) and ``note`` (free
    text, NULL when empty; revision 0003). Written by the revenue repository
    (:class:`~assetreg.adapters.sql.uow.SqlRevenueRepository`) and by the audit
    pushdown's ``store_revenue``, both through :func:`~assetreg.adapters.sql.rows.revenue_row`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from assetreg.adapters.sql.types import UTCDateTime

if TYPE_CHECKING:
    from sqlalchemy.sql.schema import SchemaItem

__all__ = [
    "ID_LENGTH",
    "NAMING_CONVENTION",
    "asset_event_table",
    "asset_table",
    "chain_head_table",
    "metadata",
    "party_table",
    "revenue_entry_table",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint and index names, so that migrations can refer to them on every backend."""

ID_LENGTH = 64
"""Longest id stored (asset, event, party, contract and entry ids)."""

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
"""The register's tables."""

_Payload = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}
"""MariaDB/MySQL: InnoDB, full UTF-8, binary collation (ids compare exactly, as elsewhere)."""


def _id(name: str, *args: SchemaItem, **kwargs: object) -> sa.Column[str]:
    return sa.Column(name, sa.String(ID_LENGTH), *args, **kwargs)  # type: ignore[arg-type]


asset_table = sa.Table(
    "asset",
    metadata,
    _id("asset_id", primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("location_code", sa.String(12), nullable=False),
    sa.Column("county_code", sa.String(6), nullable=True),
    sa.Column("asset_class", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("original_value_fen", sa.BigInteger, nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("last_recorded_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("version >= 1", name="version_positive"),
    sa.Index(None, "location_code"),
    sa.Index(None, "county_code", "asset_class"),
    **_MYSQL,
)

asset_event_table = sa.Table(
    "asset_event",
    metadata,
    _id("asset_id", sa.ForeignKey("asset.asset_id"), primary_key=True),
    sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
    _id("event_id", nullable=False, unique=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("effective", sa.Date, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("area_code", sa.String(12), nullable=False),
    sa.Column("county_code", sa.String(6), nullable=True),
    _id("supersedes", nullable=True),
    sa.Column("payload", _Payload, nullable=False),
    sa.Column("chain_county", sa.String(6), nullable=True),
    sa.Column("chain_position", sa.Integer, nullable=True),
    sa.Column("chain_hash", sa.String(64), nullable=True),
    sa.CheckConstraint("sequence >= 1", name="sequence_positive"),
    sa.Index(None, "asset_id", "effective"),
    sa.Index(None, "area_code", "effective"),
    sa.Index(None, "recorded_at"),
    sa.Index(None, "chain_county", "chain_position", unique=True),
    **_MYSQL,
)

chain_head_table = sa.Table(
    "chain_head",
    metadata,
    sa.Column("county", sa.String(6), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.CheckConstraint("position >= 1", name="position_positive"),
    **_MYSQL,
)

party_table = sa.Table(
    "party",
    metadata,
    _id("party_id", primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("admin_code", sa.String(12), nullable=False),
    sa.Column("county_code", sa.String(6), nullable=True),
    sa.Column("payload", _Payload, nullable=False),
    sa.Index(None, "admin_code"),
    **_MYSQL,
)

revenue_entry_table = sa.Table(
    "revenue_entry",
    metadata,
    _id("entry_id", primary_key=True),
    _id("asset_id", sa.ForeignKey("asset.asset_id"), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("received_on", sa.Date, nullable=True),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    _id("contract_id", nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.CheckConstraint("period_start < period_end", name="period_half_open"),
    sa.Index(None, "asset_id", "period_start"),
    **_MYSQL,
)
