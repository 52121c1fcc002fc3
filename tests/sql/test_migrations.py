"""The shipped Alembic migrations build exactly the tables of the metadata, and go back down."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from builders import registered

from assetreg.adapters.sql import SqlUnitOfWork, current_revision, downgrade, metadata, upgrade
from assetreg.adapters.sql.migrate import HEAD, VERSION_TABLE
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.income import ClaimedDeduction, DeductionKind
from backends import fresh_engine


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def empty_engine(request, tmp_path):
    yield from fresh_engine(request.param, tmp_path)


# Revision 0007 on PostgreSQL partitions asset_event (asset_event_p00 …) and keeps its unique
# keys on each partition, which the metadata does not describe; tests/sql/test_partitioning.py
# checks them. Every other difference still counts.
_PARTITION = re.compile(r"asset_event_p\d\d$")
_ON_PARTITIONS = {"ix_asset_event_chain_county_chain_position", "uq_asset_event_event_id"}


def _partition_diff(diff: object) -> bool:
    item = diff[0] if isinstance(diff, list) else diff
    obj = item[1]
    table = getattr(obj, "table", obj)
    return bool(_PARTITION.match(str(getattr(table, "name", "")))) or getattr(obj, "name", None) in _ON_PARTITIONS


def _diffs(engine: sa.Engine, target: sa.MetaData = metadata) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": VERSION_TABLE})
        diffs = compare_metadata(context, target)
    if engine.dialect.name == "postgresql" and current_revision(engine) == "0007":
        diffs = [d for d in diffs if not _partition_diff(d)]
    return diffs


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
    assert current_revision(empty_engine) == HEAD
    assert _diffs(empty_engine) == []
    assert [d[0][0] for d in _diffs(empty_engine, _altered())] == ["modify_type"]
    upgrade(empty_engine)  # a second upgrade is a no-op
    assert current_revision(empty_engine) == HEAD


def test_upgrade_from_a_url_on_a_sqlite_file(tmp_path):
    path = tmp_path / "county.db"
    upgrade(str(path))
    assert current_revision(path) == HEAD
    engine = sa.create_engine(f"sqlite:///{path}")
    assert set(sa.inspect(engine).get_table_names()) == {
        "asset",
        "asset_event",
        "chain_head",
        "income_deduction",
        "income_distribution",
        "income_distribution_asset",
        "income_distribution_line",
        "income_notice",
        "income_payment",
        "income_plan",
        "income_plan_asset",
        "income_roster",
        "income_roster_household",
        "party",
        "state_seal",
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
    upgrade(empty_engine, "0003")
    assert current_revision(empty_engine) == "0003"
    upgrade(empty_engine)  # the code reads the head schema (0005 adds kwh)
    with SqlUnitOfWork(empty_engine) as uow:
        [entry] = uow.revenue.list()
    assert (entry.id, entry.amount, entry.note, entry.contract_id) == ("R1", Money(12_774_750), "", None)
    assert entry.kwh is None  # rows stored before 0005 have no generation recorded


def _tables(engine: sa.Engine) -> set[str]:
    """The tables, without Alembic's and without the partitions of asset_event (0007, PostgreSQL)."""
    return {t for t in sa.inspect(engine).get_table_names() if t != VERSION_TABLE and not _PARTITION.match(t)}


def _om_claim() -> ClaimedDeduction:
    # 灵台县 柳家铺村 PV: O&M 0.9万元 claimed, capped at 186,000 W × 0.03 元/W/年 = 5,580.00 元
    return ClaimedDeduction(
        id="DED-LT-2019",
        area=AdminCode("620822"),
        recorded_at=datetime(2020, 5, 9, 1, 0, tzinfo=UTC),
        asset_id="LT-PV-001",
        kind=DeductionKind.OPERATION_MAINTENANCE,
        amount=Money.parse("0.9万元"),
        period=Period(date(2019, 5, 1), date(2020, 5, 1)),
        evidence="运维合同 LT-OM-2019",
        cap=Money.yuan("5580"),
        over_cap=Money.yuan("3420"),
    )


def test_every_revision_goes_down_and_up_again(empty_engine):
    upgrade(empty_engine)
    with SqlUnitOfWork(empty_engine) as uow:
        uow.assets.append("A1", [registered("A1")], expected_version=0)
        assert uow.deductions.add([_om_claim()]) == 1
        uow.commit()
    tables = {
        HEAD: _tables(empty_engine),
        "0004": _tables(empty_engine) - {"state_seal"},
        "0003": {"asset", "asset_event", "chain_head", "party", "revenue_entry"},
        "0002": {"asset", "asset_event", "chain_head", "party", "revenue_entry"},
        "0001": {"asset", "asset_event", "party", "revenue_entry"},
        "base": set(),
    }
    assert len(tables[HEAD]) == 16
    for revision in ("0004", "0003", "0002", "0001", "base"):
        downgrade(empty_engine, revision)
        assert current_revision(empty_engine) == (None if revision == "base" else revision)
        assert _tables(empty_engine) == tables[revision]
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD
    assert _diffs(empty_engine) == []
    with SqlUnitOfWork(empty_engine) as uow:
        assert uow.deductions.list() == []  # the downgrade dropped the rows with the tables


def test_downgrade_to_0003_keeps_the_register_and_drops_only_the_books(empty_engine):
    upgrade(empty_engine)
    with SqlUnitOfWork(empty_engine) as uow:
        uow.assets.append("A1", [registered("A1")], expected_version=0)
        uow.deductions.add([_om_claim()])
        uow.commit()
    downgrade(empty_engine, "0003")
    assert not any(name.startswith("income_") for name in _tables(empty_engine))
    with empty_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT asset_id, version FROM asset")).all() == [("A1", 1)]
    upgrade(empty_engine)
    with SqlUnitOfWork(empty_engine) as uow:
        assert uow.assets.ids() == ["A1"]
        assert uow.deductions.add([_om_claim()]) == 1
        uow.commit()
    with SqlUnitOfWork(empty_engine) as uow:
        [claim] = uow.deductions.list(asset_id="LT-PV-001")
    assert (claim.amount, claim.deducted, claim.over_cap) == (
        Money.yuan("9000"),
        Money.yuan("5580"),
        Money.yuan("3420"),
    )
