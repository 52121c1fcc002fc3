"""Add the state_seal table: multiset-hash seals over parties, revenue entries and the income books.

The records stored before this revision are sealed by the upgrade, so that afterwards
``verify_state`` compares every county's records with their seals.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``state_seal`` and seal the records already stored."""
    op.create_table(
        "state_seal",
        sa.Column("seal", sa.String(length=48), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seal", name=op.f("pk_state_seal")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    # imported here: only the upgrade needs them
    from assetreg.adapters.sql.state import seal_stored_records  # noqa: PLC0415

    seal_stored_records(op.get_bind())


def downgrade() -> None:
    """Drop ``state_seal``."""
    op.drop_table("state_seal")
