"""Add revenue_entry.note so that stored revenue entries round-trip losslessly.

The column is nullable: an empty note is stored as NULL, and rows written before this
revision have none.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the nullable ``note`` text column to ``revenue_entry``."""
    op.add_column("revenue_entry", sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop ``revenue_entry.note``."""
    with op.batch_alter_table("revenue_entry") as batch:
        batch.drop_column("note")
