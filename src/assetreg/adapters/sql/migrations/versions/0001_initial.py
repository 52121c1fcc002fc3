"""Create the register tables: asset, asset_event (append-only), party, revenue_entry.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from assetreg.adapters.sql.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the asset, asset_event, party and revenue_entry tables."""
    op.create_table(
        "asset",
        sa.Column("asset_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("location_code", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=True),
        sa.Column("asset_class", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("original_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("last_recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_asset_version_positive")),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_asset")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(
        op.f("ix_asset_county_code_asset_class"),
        "asset",
        ["county_code", "asset_class"],
        unique=False,
    )
    op.create_index(op.f("ix_asset_location_code"), "asset", ["location_code"], unique=False)
    op.create_table(
        "party",
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("admin_code", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_party")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(op.f("ix_party_admin_code"), "party", ["admin_code"], unique=False)
    op.create_table(
        "asset_event",
        sa.Column("asset_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=True),
        sa.Column("supersedes", sa.String(length=64), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.CheckConstraint("sequence >= 1", name=op.f("ck_asset_event_sequence_positive")),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.asset_id"], name=op.f("fk_asset_event_asset_id_asset")),
        sa.PrimaryKeyConstraint("asset_id", "sequence", name=op.f("pk_asset_event")),
        sa.UniqueConstraint("event_id", name=op.f("uq_asset_event_event_id")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(
        op.f("ix_asset_event_area_code_effective"),
        "asset_event",
        ["area_code", "effective"],
        unique=False,
    )
    op.create_index(
        op.f("ix_asset_event_asset_id_effective"),
        "asset_event",
        ["asset_id", "effective"],
        unique=False,
    )
    op.create_index(op.f("ix_asset_event_recorded_at"), "asset_event", ["recorded_at"], unique=False)
    op.create_table(
        "revenue_entry",
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("asset_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint("period_start < period_end", name=op.f("ck_revenue_entry_period_half_open")),
        sa.ForeignKeyConstraint(["asset_id"], ["asset.asset_id"], name=op.f("fk_revenue_entry_asset_id_asset")),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_revenue_entry")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    op.create_index(
        op.f("ix_revenue_entry_asset_id_period_start"),
        "revenue_entry",
        ["asset_id", "period_start"],
        unique=False,
    )


def downgrade() -> None:
    """Drop everything ``upgrade`` created.

    Foreign keys go first: MariaDB/MySQL refuse to drop an index a foreign key needs
    (error 1553), and ``revenue_entry`` and ``asset_event`` use their asset indexes so.
    SQLite cannot drop a constraint, and needs not: its tables go with their keys.
    """
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_revenue_entry_asset_id_asset"), "revenue_entry", type_="foreignkey")
        op.drop_constraint(op.f("fk_asset_event_asset_id_asset"), "asset_event", type_="foreignkey")
    op.drop_index(op.f("ix_revenue_entry_asset_id_period_start"), table_name="revenue_entry")
    op.drop_table("revenue_entry")
    op.drop_index(op.f("ix_asset_event_recorded_at"), table_name="asset_event")
    op.drop_index(op.f("ix_asset_event_asset_id_effective"), table_name="asset_event")
    op.drop_index(op.f("ix_asset_event_area_code_effective"), table_name="asset_event")
    op.drop_table("asset_event")
    op.drop_index(op.f("ix_party_admin_code"), table_name="party")
    op.drop_table("party")
    op.drop_index(op.f("ix_asset_location_code"), table_name="asset")
    op.drop_index(op.f("ix_asset_county_code_asset_class"), table_name="asset")
    op.drop_table("asset")
