"""``bulk_load`` stores exactly the rows a unit of work stores (SQLite, PostgreSQL, MariaDB).

``bulk_load`` converts rows with the columns' bind processors and sends them straight to
the driver; these tests compare what it stores, driver value by driver value, with what
``SqlUnitOfWork.save_register`` stores and with the plain Core ``insert`` path.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from builders import TOWN_A, TOWN_B, collective, full_history, household, idle, registered

from assetreg.adapters.sql import SqlUnitOfWork, bulk_load
from assetreg.adapters.sql import bulk as bulk_module
from assetreg.adapters.sql.tables import asset_event_table, asset_table, party_table
from assetreg.domain.assets import AssetId
from assetreg.domain.register import AssetRegister
from backends import clear, stored_rows

BEIJING = timezone(timedelta(hours=8))


def _register() -> AssetRegister:
    late = idle("A3", minutes=9)
    late = type(late)(
        asset_id=late.asset_id,
        effective=late.effective,
        recorded_at=datetime(2024, 1, 5, 18, 0, 0, 7, tzinfo=BEIJING),  # 10:00:00.000007 UTC
        status=late.status,
    )
    return AssetRegister.of(
        parties=[collective(201), collective(202), household(1), collective(301, TOWN_B)],
        events=[
            *full_history(AssetId("A1")),
            *full_history(AssetId("A2"), town=TOWN_B),
            registered("A3"),
            late,
        ],
    )


def _saved(engine, register: AssetRegister) -> dict[str, list[tuple[object, ...]]]:
    clear(engine)
    with SqlUnitOfWork(engine, check_references=False) as uow:
        uow.save_register(register)
        uow.commit()
    return stored_rows(engine)


def _bulk_loaded(engine, register: AssetRegister, batch_size: int) -> dict[str, list[tuple[object, ...]]]:
    clear(engine)
    bulk_load(engine, register, batch_size=batch_size)
    return stored_rows(engine)


def _payload(value: object) -> object:
    return json.loads(value) if isinstance(value, str | bytes) else value


@pytest.mark.parametrize("batch_size", [1, 4, 10_000])
def test_bulk_load_stores_the_rows_a_unit_of_work_stores(sql_engine, batch_size):
    register = _register()
    saved = _saved(sql_engine, register)
    loaded = _bulk_loaded(sql_engine, register, batch_size)
    assert [len(saved[t]) for t in ("party", "asset", "asset_event", "chain_head")] == [4, 3, 18, 1]
    assert loaded == saved  # every column, as the driver hands it back
    events = {row[2]: row for row in loaded["asset_event"]}  # by event_id
    late = next(row for row in loaded["asset_event"] if row[0] == "A3" and row[1] == 2)
    recorded = late[5]
    if sql_engine.dialect.name == "sqlite":
        assert recorded == "2024-01-05 10:00:00.000007"
    else:
        aware = recorded if recorded.tzinfo else recorded.replace(tzinfo=UTC)  # MariaDB: naive UTC
        assert aware == datetime(2024, 1, 5, 10, 0, 0, 7, tzinfo=UTC)
    assert all(len(row[12]) == 64 for row in events.values())  # chain hashes present
    assert [_payload(row[-1]) for row in loaded["party"]] == [_payload(row[-1]) for row in saved["party"]]


def test_driver_path_matches_the_core_insert_path(sql_engine, monkeypatch):
    register = _register()
    direct = _bulk_loaded(sql_engine, register, 5)

    def core(self, rows):
        self._conn.execute(self._statement, rows)

    monkeypatch.setattr(bulk_module._Insert, "write", core)
    assert _bulk_loaded(sql_engine, register, 5) == direct
    assert _payload(direct["asset_event"][0][9])["asset"]["location"] == f"{TOWN_A}201"


def test_every_backend_takes_the_driver_path(sql_engine):
    with sql_engine.connect() as conn:
        for table in (party_table, asset_table, asset_event_table):
            assert bulk_module._Insert(conn, table, sorted(table.c.keys()))._direct


def test_postgresql_loads_with_copy_and_the_others_with_executemany(sql_engine):
    with sql_engine.connect() as conn:
        insert = bulk_module._Insert(conn, asset_event_table, sorted(asset_event_table.c.keys()))
    if sql_engine.dialect.name == "postgresql":
        assert insert._copy is not None
        assert insert._copy.startswith("COPY asset_event (")
        assert insert._copy.endswith(") FROM STDIN")
    else:
        assert insert._copy is None
