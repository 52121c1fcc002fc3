"""Add the income books (收益台账, DESIGN §12): deductions, rosters, plans, distributions, notices, payments.

Ten tables: a main table per record kind (common columns ``record_id``, ``area_code``,
``county_code``, ``recorded_at``, ``supersedes`` (unique), typed hot fields and a JSON
``payload``) and the child tables of roster households, plan and distribution assets and
distribution lines. Nothing existing changes, so the upgrade keeps every stored row and
the downgrade drops only these tables (children first, which also drops their foreign keys).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from assetreg.adapters.sql.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_MYSQL: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def _payload(name: str = "payload") -> sa.Column[Any]:
    return sa.Column(
        name, sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
    )


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=64), nullable=nullable)


def _book(name: str, *columns: sa.Column[Any], constraints: tuple[sa.Constraint, ...] = ()) -> None:
    op.create_table(
        name,
        _id("record_id"),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        _id("supersedes", nullable=True),
        *columns,
        _payload(),
        *constraints,
        sa.PrimaryKeyConstraint("record_id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("supersedes", name=op.f(f"uq_{name}_supersedes")),
        **_MYSQL,
    )
    op.create_index(op.f(f"ix_{name}_area_code_recorded_at"), name, ["area_code", "recorded_at"], unique=False)


def _child(name: str, parent: str, position: str, *columns: sa.Column[Any]) -> None:
    op.create_table(
        name,
        _id("record_id"),
        sa.Column(position, sa.Integer(), autoincrement=False, nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["record_id"], [f"{parent}.record_id"], name=op.f(f"fk_{name}_record_id_{parent}")),
        sa.PrimaryKeyConstraint("record_id", position, name=op.f(f"pk_{name}")),
        **_MYSQL,
    )


def upgrade() -> None:
    """Create the income-books tables and their indexes."""
    _book(
        "income_deduction",
        _id("asset_id"),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        constraints=(
            sa.CheckConstraint("period_start < period_end", name=op.f("ck_income_deduction_period_half_open")),
        ),
    )
    op.create_index(op.f("ix_income_deduction_asset_id_period_start"), "income_deduction", ["asset_id", "period_start"])
    _book(
        "income_roster",
        sa.Column("known_on", sa.Date(), nullable=False),
        sa.Column("source_system", sa.String(length=255), nullable=False),
    )
    _child(
        "income_roster_household",
        "income_roster",
        "position",
        _id("household_id"),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("monitor_type", sa.String(length=32), nullable=True),
        sa.Column("labor_capacity", sa.String(length=32), nullable=False),
        sa.Column("days_worked", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        _payload("asset_ids"),
    )
    op.create_index(op.f("ix_income_roster_household_household_id"), "income_roster_household", ["household_id"])
    _book(
        "income_plan",
        _id("plan_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
    )
    op.create_index(op.f("ix_income_plan_plan_id_version"), "income_plan", ["plan_id", "version"])
    _child("income_plan_asset", "income_plan", "position", _id("asset_id"))
    op.create_index(op.f("ix_income_plan_asset_asset_id"), "income_plan_asset", ["asset_id"])
    _book(
        "income_distribution",
        _id("plan_version_id"),
        _id("plan_id"),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("gross_fen", sa.BigInteger(), nullable=False),
        sa.Column("deducted_fen", sa.BigInteger(), nullable=False),
        sa.Column("pool_fen", sa.BigInteger(), nullable=False),
        constraints=(
            sa.CheckConstraint("period_start < period_end", name=op.f("ck_income_distribution_period_half_open")),
        ),
    )
    op.create_index(op.f("ix_income_distribution_period_start"), "income_distribution", ["period_start"])
    _child("income_distribution_asset", "income_distribution", "position", _id("asset_id"))
    op.create_index(op.f("ix_income_distribution_asset_asset_id"), "income_distribution_asset", ["asset_id"])
    _child(
        "income_distribution_line",
        "income_distribution",
        "line_index",
        sa.Column("tier", sa.String(length=255), nullable=False),
        sa.Column("tier_index", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        _id("beneficiary_id"),
        sa.Column("beneficiary_kind", sa.String(length=32), nullable=False),
        sa.Column("beneficiary_name", sa.String(length=255), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("base", sa.String(length=32), nullable=False),
        sa.Column("base_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.String(length=64), nullable=True),
        sa.Column("tier_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("share", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
    )
    op.create_index(op.f("ix_income_distribution_line_beneficiary_id"), "income_distribution_line", ["beneficiary_id"])
    _book(
        "income_notice",
        _id("distribution_id"),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
    )
    op.create_index(op.f("ix_income_notice_distribution_id"), "income_notice", ["distribution_id"])
    _book(
        "income_payment",
        _id("distribution_id"),
        sa.Column("line_index", sa.Integer(), nullable=False),
        _id("beneficiary_id"),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("account_ref", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _id("repays", nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index(
        op.f("ix_income_payment_distribution_id_line_index"), "income_payment", ["distribution_id", "line_index"]
    )
    op.create_index(op.f("ix_income_payment_beneficiary_id_paid_on"), "income_payment", ["beneficiary_id", "paid_on"])


def downgrade() -> None:
    """Drop the income-books tables, children first (dropping a table drops its indexes and keys)."""
    for name in (
        "income_payment",
        "income_notice",
        "income_distribution_line",
        "income_distribution_asset",
        "income_distribution",
        "income_plan_asset",
        "income_plan",
        "income_roster_household",
        "income_roster",
        "income_deduction",
    ):
        op.drop_table(name)
