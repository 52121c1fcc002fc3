"""Add income_roster_household.shares: members' quantified shares (股份, 折股量化), issue 17.

The column is nullable: a roster that records no shares stores NULL, and rows written
before this revision have none. Shares are exact text (``"12"``, ``"1/3"``), never floats.

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
    """Add the nullable ``shares`` text column to ``income_roster_household``."""
    op.add_column("income_roster_household", sa.Column("shares", sa.String(64), nullable=True))


def downgrade() -> None:
    """Drop ``income_roster_household.shares``."""
    with op.batch_alter_table("income_roster_household") as batch:
        batch.drop_column("shares")
