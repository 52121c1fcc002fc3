"""Revision 0007: the events partitioned by county on PostgreSQL, up and down, rows kept (DESIGN §11).

On SQLite and MariaDB the revision changes nothing (the schema still matches the metadata).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from builders import registered

from assetreg.adapters.sql import SqlUnitOfWork, current_revision, downgrade, metadata, upgrade, verify_chains
from assetreg.adapters.sql.migrate import HEAD, VERSION_TABLE
from assetreg.domain.assets import AssetId
from backends import fresh_engine

PARTITIONS = 16
# 会宁县 (620422) and 灵台县 (620822): two counties, so two chains and (hash permitting) two partitions
TOWNS = {"620422": "620422100", "620822": "620822100"}


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def empty_engine(request, tmp_path):
    yield from fresh_engine(request.param, tmp_path)


def _store_two_counties(engine: sa.Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for county, town in TOWNS.items():
            for n in range(3):
                asset_id = AssetId(f"A-{county}-{n}")
                uow.assets.append(asset_id, [registered(asset_id, town=town, minutes=n)], expected_version=0)
        uow.commit()


def _events(engine: sa.Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT asset_id, sequence, event_id, area_code, chain_county, chain_position, chain_hash"
                    " FROM asset_event ORDER BY asset_id, sequence"
                )
            )
        ]


def _histories(engine: sa.Engine):
    with SqlUnitOfWork(engine) as uow:
        return uow.assets.histories()


def _partitions(engine: sa.Engine) -> dict[str, set[str]]:
    """County → the partitions holding its events (PostgreSQL)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT DISTINCT substr(area_code, 1, 6), tableoid::regclass::text FROM asset_event")
        )
        out: dict[str, set[str]] = {}
        for county, part in rows:
            out.setdefault(county, set()).add(part)
        return out


def _partitioned(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
                    " WHERE c.relname = 'asset_event' AND c.relnamespace = to_regnamespace(current_schema())"
                )
            ).scalar()
        )


def _diffs(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
        return compare_metadata(context, metadata)


def test_0007_partitions_the_events_by_county_and_goes_back_keeping_every_row(empty_engine):
    upgrade(empty_engine, "0006")
    _store_two_counties(empty_engine)
    before, histories = _events(empty_engine), _histories(empty_engine)
    assert len(before) == 6
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD == "0007"
    assert _events(empty_engine) == before
    assert _histories(empty_engine) == histories
    assert [(r.county, r.ok) for r in verify_chains(empty_engine)] == [(c, True) for c in sorted({*TOWNS})]
    postgresql = empty_engine.dialect.name == "postgresql"
    if postgresql:
        assert _partitioned(empty_engine)
        where = _partitions(empty_engine)
        assert set(where) == set(TOWNS)
        assert all(len(parts) == 1 for parts in where.values())  # a county lies in one partition
        with empty_engine.connect() as conn:
            names = (
                conn.execute(
                    sa.text(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'asset_event'"
                        " AND p.relnamespace = to_regnamespace(current_schema()) ORDER BY 1"
                    )
                )
                .scalars()
                .all()
            )
        assert names == [f"asset_event_p{n:02d}" for n in range(PARTITIONS)]
    else:
        assert _diffs(empty_engine) == []  # nothing changed
    # writes after the upgrade: a new asset, and an event id already stored is still refused
    with SqlUnitOfWork(empty_engine) as uow:
        uow.assets.append(AssetId("A-new"), [registered(AssetId("A-new"))], expected_version=0)
        uow.commit()
    downgrade(empty_engine, "0006")
    assert current_revision(empty_engine) == "0006"
    assert set(before) <= set(_events(empty_engine))
    assert len(_events(empty_engine)) == len(before) + 1
    if postgresql:
        assert not _partitioned(empty_engine)
    assert _diffs(empty_engine) == []  # 0006's schema exactly
    assert [(r.county, r.ok) for r in verify_chains(empty_engine)] == [(c, True) for c in sorted({*TOWNS})]
    upgrade(empty_engine)
    assert len(_events(empty_engine)) == len(before) + 1


def test_a_duplicate_event_in_a_county_is_refused_on_the_partitioned_schema(empty_engine):
    upgrade(empty_engine)
    _store_two_counties(empty_engine)
    row = _events(empty_engine)[0]
    with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO asset_event (asset_id, sequence, event_id, kind, effective, recorded_at, area_code,"
                " payload) SELECT asset_id, sequence + 100, event_id, kind, effective, recorded_at, area_code, payload"
                " FROM asset_event WHERE asset_id = :a AND sequence = :s"
            ),
            {"a": row[0], "s": row[1]},
        )
