"""Add revenue_entry.kwh: electricity generated in the entry's period (PV monthly screening).

The column is nullable text holding an exact decimal (``"21600.5"``); rows written before
this revision have none.

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
    """Add the nullable ``kwh`` text column to ``revenue_entry``."""
    op.add_column("revenue_entry", sa.Column("kwh", sa.String(40), nullable=True))


def downgrade() -> None:
    """Drop ``revenue_entry.kwh``."""
    with op.batch_alter_table("revenue_entry") as batch:
        batch.drop_column("kwh")
