"""The shipped Alembic migrations build exactly the tables of the metadata."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from builders import registered

from assetreg.adapters.sql import SqlUnitOfWork, current_revision, metadata, upgrade
from assetreg.adapters.sql.migrate import VERSION_TABLE
from assetreg.domain.money import Money
from backends import fresh_engine


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def empty_engine(request, tmp_path):
    yield from fresh_engine(request.param, tmp_path)


def _diffs(engine: sa.Engine, target: sa.MetaData = metadata) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
        return compare_metadata(context, target)


def _altered() -> sa.MetaData:
    """The metadata with one column's type changed: the comparison must notice."""
    altered = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(altered)
    altered.tables["asset"].c.original_value_fen.type = sa.Integer()
    return altered


def test_upgrade_builds_the_metadata_schema(empty_engine):
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == "0003"
    assert _diffs(empty_engine) == []
    assert [d[0][0] for d in _diffs(empty_engine, _altered())] == ["modify_type"]
    upgrade(empty_engine)  # a second upgrade is a no-op
    assert current_revision(empty_engine) == "0003"


def test_upgrade_from_a_url_on_a_sqlite_file(tmp_path):
    path = tmp_path / "county.db"
    upgrade(str(path))
    assert current_revision(path) == "0003"
    engine = sa.create_engine(f"sqlite:///{path}")
    assert set(sa.inspect(engine).get_table_names()) == {
        "asset",
        "asset_event",
        "chain_head",
        "party",
        "revenue_entry",
        VERSION_TABLE,
    }
    engine.dispose()


def test_upgrade_to_0003_keeps_revenue_rows_and_reads_no_note_as_empty(empty_engine):
    upgrade(empty_engine, "0002")
    with SqlUnitOfWork(empty_engine) as uow:
        uow.assets.append("A1", [registered("A1")], expected_version=0)
        uow.commit()
    with empty_engine.begin() as conn:  # a row as revision 0002 stored it (no note column)
        conn.execute(
            sa.text(
                "INSERT INTO revenue_entry (entry_id, asset_id, kind, period_start, period_end, received_on,"
                " amount_fen, contract_id) VALUES ('R1', 'A1', 'guaranteed_return', :start, :end, :received,"
                " 12774750, NULL)"
            ),
            {"start": date(2023, 11, 1), "end": date(2024, 2, 1), "received": date(2024, 9, 9)},
        )
    upgrade(empty_engine)
    assert current_revision(empty_engine) == "0003"
    with SqlUnitOfWork(empty_engine) as uow:
        [entry] = uow.revenue.list()
    assert (entry.id, entry.amount, entry.note, entry.contract_id) == ("R1", Money(12_774_750), "", None)
