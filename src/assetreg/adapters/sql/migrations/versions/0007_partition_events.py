"""Partition the events by county on PostgreSQL (DESIGN §11); nothing changes elsewhere.

On PostgreSQL ``asset_event`` becomes a table partitioned by hash of its county — the first
6 digits of ``area_code``, the county code whose hash chain the event joins — into
:data:`PARTITIONS` partitions ``asset_event_p00`` …, so every event of a county lies in one
partition (a county's scans, loads and chain checks touch one partition; a national
deployment can distribute the same key on Citus). The rows are copied over in the
migration's transaction; the columns, the check, the foreign key to ``asset`` and the
non-unique indexes are those of revision 0006.

PostgreSQL requires a unique constraint of a partitioned table to contain the partition
key, which ``(asset_id, sequence)``, ``event_id`` and ``(chain_county, chain_position)`` do
not; they become unique indexes of each partition. ``(chain_county, chain_position)`` stays
unique everywhere (a chain lies in one partition). ``event_id`` and ``(asset_id,
sequence)`` are unique within a county by the database, and across counties by the unit
of work, which appends an asset's events under its row lock with the version checked
(the same guarantee the repository contract tests hold on every backend).

SQLite and MariaDB/MySQL: upgrade and downgrade do nothing (they have no declarative
partitioning by an expression of this kind; MariaDB partitioning forbids foreign keys).

Downgrade copies the rows back into a plain ``asset_event`` with the constraints of 0006.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PARTITIONS = 16
"""Hash partitions of ``asset_event`` on PostgreSQL."""

_COLUMNS = """
    asset_id VARCHAR(64) NOT NULL,
    sequence INTEGER NOT NULL,
    event_id VARCHAR(64) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    effective DATE NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    area_code VARCHAR(12) NOT NULL,
    county_code VARCHAR(6),
    supersedes VARCHAR(64),
    payload JSONB NOT NULL,
    chain_county VARCHAR(6),
    chain_position INTEGER,
    chain_hash VARCHAR(64),
    CONSTRAINT ck_asset_event_sequence_positive CHECK (sequence >= 1)
"""

_INDEXES = (
    ("ix_asset_event_asset_id_effective", "asset_id, effective"),
    ("ix_asset_event_area_code_effective", "area_code, effective"),
    ("ix_asset_event_recorded_at", "recorded_at"),
)

_FOREIGN_KEY = "fk_asset_event_asset_id_asset FOREIGN KEY (asset_id) REFERENCES asset (asset_id)"


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    """On PostgreSQL: rebuild ``asset_event`` hash-partitioned by county, keeping every row."""
    if not _postgresql():
        return
    op.execute(f"CREATE TABLE asset_event_partitioned ({_COLUMNS}) PARTITION BY HASH ((substr(area_code, 1, 6)))")
    for n in range(PARTITIONS):
        part = f"asset_event_p{n:02d}"
        op.execute(
            f"CREATE TABLE {part} PARTITION OF asset_event_partitioned"
            f" FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {n})"
        )
    op.execute("INSERT INTO asset_event_partitioned SELECT * FROM asset_event")
    op.execute("DROP TABLE asset_event")
    op.execute("ALTER TABLE asset_event_partitioned RENAME TO asset_event")
    op.execute(f"ALTER TABLE asset_event ADD CONSTRAINT {_FOREIGN_KEY}")
    for name, columns in _INDEXES:
        op.execute(f"CREATE INDEX {name} ON asset_event ({columns})")
    for n in range(PARTITIONS):
        part = f"asset_event_p{n:02d}"
        op.execute(f"ALTER TABLE {part} ADD CONSTRAINT pk_{part} PRIMARY KEY (asset_id, sequence)")
        op.execute(f"ALTER TABLE {part} ADD CONSTRAINT uq_{part}_event_id UNIQUE (event_id)")
        op.execute(
            f"CREATE UNIQUE INDEX ix_{part}_chain_county_chain_position ON {part} (chain_county, chain_position)"
        )
    op.execute("ANALYZE asset_event")


def downgrade() -> None:
    """On PostgreSQL: copy the events back into a plain ``asset_event`` with 0006's constraints."""
    if not _postgresql():
        return
    op.execute(
        f"CREATE TABLE asset_event_plain ({_COLUMNS},"
        " CONSTRAINT pk_asset_event PRIMARY KEY (asset_id, sequence),"
        " CONSTRAINT uq_asset_event_event_id UNIQUE (event_id))"
    )
    op.execute("INSERT INTO asset_event_plain SELECT * FROM asset_event")
    op.execute("DROP TABLE asset_event")  # its partitions go with it
    op.execute("ALTER TABLE asset_event_plain RENAME TO asset_event")
    op.execute(f"ALTER TABLE asset_event ADD CONSTRAINT {_FOREIGN_KEY}")
    for name, columns in _INDEXES:
        op.execute(f"CREATE INDEX {name} ON asset_event ({columns})")
    op.execute(
        "CREATE UNIQUE INDEX ix_asset_event_chain_county_chain_position ON asset_event (chain_county, chain_position)"
    )
