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
    added to a table that may hold rows: the migration chains every existing event, and
    a unit of work links its events at commit (before which they are visible to its own
    transaction only), so no committed row lacks a link and
    :func:`~assetreg.adapters.sql.verify_chains` reports an event without one as *inserted*.

``chain_head``
    The last link of each county chain (链头): ``county`` (PK), ``position`` and ``hash``.
    A unit of work's commit locks the rows it needs in one sorted pass
    (``SELECT … FOR UPDATE``) and moves each with a conditional
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

``state_seal``
    Seals over the stored records that are not events (存储封印, revision 0006): ``seal``
    (PK, ``KIND:COUNTY`` — ``party:620422``, ``income_payment:620422``,
    ``revenue_entry:620422``…), ``records`` (how many) and ``state``, an AdHash
    multiset hash (a sum modulo 2**4096) of their canonical forms
    (:mod:`assetreg.audit.seal`, 1024 hex digits).
    Every commit that writes a party, a revenue entry or an income-books record, and every
    bulk load, updates the seals it touches under a row lock (in sorted order, after the
    chain heads); :func:`~assetreg.adapters.sql.state.verify_state` recomputes them from
    the rows, so a row changed with raw SQL is reported.

The income books (收益台账, DESIGN §12; revision 0004). Each record kind has a main table
whose columns are the record's id (``record_id``), its area (``area_code``, 12 digits or a
higher level, and ``county_code``), ``recorded_at`` (UTC), ``supersedes`` (the corrected
record, unique: a record is corrected at most once) and the hot fields of the kind as
typed columns; the rest is a JSON ``payload`` written by
:func:`~assetreg.adapters.sql.codec.record_payload`. Rows are only ever inserted.

``income_deduction``
    Claimed deductions: ``asset_id``, ``kind``, ``period_start`` / ``period_end``
    (half-open), ``amount_fen``; payload: evidence, cap, part over the cap.
``income_roster`` and ``income_roster_household``
    Roster snapshots (``known_on``, ``source_system``) and their households, one row each
    (``position`` keeps the list order; ``household_id`` indexed; ``asset_ids`` JSON).
``income_plan`` and ``income_plan_asset``
    Plan versions: ``plan_id``, ``version``, ``policy``, ``effective_from``,
    ``approved_on`` (NULL until approved); payload: the plan as data and the approval.
    The assets a version governs are rows of ``income_plan_asset`` (indexed by asset).
``income_distribution``, ``income_distribution_asset`` and ``income_distribution_line``
    Distributions: plan version, period, ``as_of``, status, ``gross_fen`` /
    ``deducted_fen`` / ``pool_fen``; payload: plan name, revenue, deduction and roster
    ids, owner, returned payees. Assets by row (indexed); lines by row with every field
    of :class:`~assetreg.income.results.AllocationLine` typed (fractions as ``"p/q"``).
``income_notice``
    Public notices: ``distribution_id``, ``level``, ``channel``, ``posted_on``,
    ``closes_on``; payload: objections.
``income_payment``
    Payments: ``distribution_id``, ``line_index``, ``beneficiary_id``, ``paid_on``,
    ``amount_fen``, ``method``, ``account_ref`` (masked), ``status``, ``repays``, ``note``.
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
    "deduction_table",
    "distribution_asset_table",
    "distribution_line_table",
    "distribution_table",
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
    "state_seal_table",
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

state_seal_table = sa.Table(
    "state_seal",
    metadata,
    sa.Column("seal", sa.String(48), primary_key=True),
    sa.Column("records", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
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
    sa.Column("kwh", sa.String(40), nullable=True),
    sa.CheckConstraint("period_start < period_end", name="period_half_open"),
    sa.Index(None, "asset_id", "period_start"),
    **_MYSQL,
)


# -- the income books (revision 0004) ------------------------------------------------------
def _book_table(name: str, *columns: SchemaItem) -> sa.Table:
    """A main table of the income books: the common columns, then the kind's own."""
    return sa.Table(
        name,
        metadata,
        _id("record_id", primary_key=True),
        sa.Column("area_code", sa.String(12), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=True),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        _id("supersedes", nullable=True, unique=True),
        *columns,
        sa.Column("payload", _Payload, nullable=False),
        sa.Index(None, "area_code", "recorded_at"),
        **_MYSQL,
    )


def _child_table(name: str, parent: sa.Table, position: str, *columns: SchemaItem) -> sa.Table:
    """A table of the rows a record holds (households, assets, lines), keyed by parent and position."""
    return sa.Table(
        name,
        metadata,
        _id("record_id", sa.ForeignKey(parent.c.record_id), primary_key=True),
        sa.Column(position, sa.Integer, primary_key=True, autoincrement=False),
        *columns,
        **_MYSQL,
    )


deduction_table = _book_table(
    "income_deduction",
    _id("asset_id", nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.CheckConstraint("period_start < period_end", name="period_half_open"),
    sa.Index(None, "asset_id", "period_start"),
)

roster_table = _book_table(
    "income_roster",
    sa.Column("known_on", sa.Date, nullable=False),
    sa.Column("source_system", sa.String(255), nullable=False),
)

roster_household_table = _child_table(
    "income_roster_household",
    roster_table,
    "position",
    _id("household_id", nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("members", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("monitor_type", sa.String(32), nullable=True),
    sa.Column("labor_capacity", sa.String(32), nullable=False),
    sa.Column("days_worked", sa.Integer, nullable=False),
    sa.Column("posts", sa.Integer, nullable=False),
    sa.Column("asset_ids", _Payload, nullable=False),
    sa.Index(None, "household_id"),
)

plan_table = _book_table(
    "income_plan",
    _id("plan_id", nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("policy", sa.String(64), nullable=False),
    sa.Column("effective_from", sa.Date, nullable=False),
    sa.Column("approved_on", sa.Date, nullable=True),
    sa.Index(None, "plan_id", "version"),
)

plan_asset_table = _child_table(
    "income_plan_asset",
    plan_table,
    "position",
    _id("asset_id", nullable=False),
    sa.Index(None, "asset_id"),
)

distribution_table = _book_table(
    "income_distribution",
    _id("plan_version_id", nullable=False),
    _id("plan_id", nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("gross_fen", sa.BigInteger, nullable=False),
    sa.Column("deducted_fen", sa.BigInteger, nullable=False),
    sa.Column("pool_fen", sa.BigInteger, nullable=False),
    sa.CheckConstraint("period_start < period_end", name="period_half_open"),
    sa.Index(None, "period_start"),
)

distribution_asset_table = _child_table(
    "income_distribution_asset",
    distribution_table,
    "position",
    _id("asset_id", nullable=False),
    sa.Index(None, "asset_id"),
)

distribution_line_table = _child_table(
    "income_distribution_line",
    distribution_table,
    "line_index",
    sa.Column("tier", sa.String(255), nullable=False),
    sa.Column("tier_index", sa.Integer, nullable=False),
    sa.Column("purpose", sa.String(32), nullable=False),
    _id("beneficiary_id", nullable=False),
    sa.Column("beneficiary_kind", sa.String(32), nullable=False),
    sa.Column("beneficiary_name", sa.String(255), nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("base", sa.String(32), nullable=False),
    sa.Column("base_amount_fen", sa.BigInteger, nullable=False),
    sa.Column("rate", sa.String(64), nullable=True),
    sa.Column("tier_amount_fen", sa.BigInteger, nullable=False),
    sa.Column("share", sa.String(64), nullable=False),
    sa.Column("weight", sa.BigInteger, nullable=True),
    sa.Column("basis", sa.Text, nullable=False),
    sa.Index(None, "beneficiary_id"),
)

notice_table = _book_table(
    "income_notice",
    _id("distribution_id", nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("posted_on", sa.Date, nullable=False),
    sa.Column("closes_on", sa.Date, nullable=False),
    sa.Index(None, "distribution_id"),
)

payment_table = _book_table(
    "income_payment",
    _id("distribution_id", nullable=False),
    sa.Column("line_index", sa.Integer, nullable=False),
    _id("beneficiary_id", nullable=False),
    sa.Column("paid_on", sa.Date, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("account_ref", sa.String(64), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    _id("repays", nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index(None, "distribution_id", "line_index"),
    sa.Index(None, "beneficiary_id", "paid_on"),
)

income_book_tables = (
    deduction_table,
    roster_table,
    roster_household_table,
    plan_table,
    plan_asset_table,
    distribution_table,
    distribution_asset_table,
    distribution_line_table,
    notice_table,
    payment_table,
)
"""The tables of the income books (revision 0004), parents before children."""
