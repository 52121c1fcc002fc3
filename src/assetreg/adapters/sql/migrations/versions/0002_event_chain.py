"""Add the county hash chains: asset_event.chain_* columns and the chain_head table.

Events already stored are chained (county, asset, sequence order), so that after the
upgrade every event has a link; the columns stay nullable because they were added to a
table that may hold rows, but the library never writes a NULL into them.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the per-county hash chain: link columns on asset_event, the chain_head table, links for stored rows."""
    op.create_table(
        "chain_head",
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("position >= 1", name=op.f("ck_chain_head_position_positive")),
        sa.PrimaryKeyConstraint("county", name=op.f("pk_chain_head")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    op.add_column("asset_event", sa.Column("chain_county", sa.String(length=6), nullable=True))
    op.add_column("asset_event", sa.Column("chain_position", sa.Integer(), nullable=True))
    op.add_column("asset_event", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_asset_event_chain_county_chain_position"),
        "asset_event",
        ["chain_county", "chain_position"],
        unique=True,
    )
    # chain the events stored before this revision (imported here: only the upgrade needs it)
    from assetreg.adapters.sql.chain import chain_unchained_events  # noqa: PLC0415

    chain_unchained_events(op.get_bind())


def downgrade() -> None:
    """Drop the hash-chain columns, index and table."""
    op.drop_index(op.f("ix_asset_event_chain_county_chain_position"), table_name="asset_event")
    with op.batch_alter_table("asset_event") as batch:
        batch.drop_column("chain_hash")
        batch.drop_column("chain_position")
        batch.drop_column("chain_county")
    op.drop_table("chain_head")
