"""Add the party_seal table: a MuHash seal over each county's parties.

The parties stored before this revision are sealed by the upgrade, so that afterwards
``verify_state`` compares every county's parties with its seal.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``party_seal`` and seal the parties already stored."""
    op.create_table(
        "party_seal",
        sa.Column("county", sa.String(length=6), nullable=False),
        sa.Column("parties", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("county", name=op.f("pk_party_seal")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    # imported here: only the upgrade needs them
    from assetreg.adapters.sql.state import seal_stored_parties  # noqa: PLC0415

    seal_stored_parties(op.get_bind())


def downgrade() -> None:
    """Drop ``party_seal``."""
    op.drop_table("party_seal")
