"""SQL-only behaviour: engines, UTC instants, error translation, bulk loads, real races."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from builders import TOWN_A, TOWN_B, collective, full_history, household, idle, registered
from sqlalchemy.dialects import postgresql, sqlite

from assetreg.adapters.sql import (
    SqlUnitOfWork,
    asset_event_table,
    asset_table,
    bulk_load,
    create_engine_for,
    metadata,
    party_table,
)
from assetreg.adapters.sql.engine import normalise_url
from assetreg.adapters.sql.types import UTCDateTime
from assetreg.domain.assets import AssetId
from assetreg.domain.register import AssetRegister
from assetreg.errors import AlreadyRegistered, ConcurrencyError, LostRace, PersistenceError, UnknownAsset

A1 = AssetId("A1")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("mysql://root@h:3306/db", "mysql+pymysql://root@h:3306/db?charset=utf8mb4"),
        ("mariadb://root@h/db", "mysql+pymysql://root@h/db?charset=utf8mb4"),
        ("mysql+pymysql://root@h/db?charset=utf8mb4", "mysql+pymysql://root@h/db?charset=utf8mb4"),
        ("sqlite:///x.db", "sqlite+pysqlite:///x.db"),
        ("county.db", "sqlite+pysqlite:///county.db"),
        (":memory:", "sqlite+pysqlite://"),
    ],
)
def test_urls_get_explicit_drivers(given, expected):
    assert normalise_url(given).render_as_string(hide_password=False) == expected


def test_sqlite_file_has_foreign_keys_and_wal(tmp_path):
    engine = create_engine_for(tmp_path / "county.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_in_memory_sqlite_works_as_a_store():
    engine = create_engine_for(":memory:")
    metadata.create_all(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.assets.append(A1, [registered(A1)], expected_version=0)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.assets.ids() == [A1]


def test_utc_type_refuses_naive_and_converts_to_utc():
    kind = UTCDateTime()
    with pytest.raises(TypeError, match="naive"):
        kind.process_bind_param(datetime(2024, 1, 1, 8), sqlite.dialect())  # noqa: DTZ001
    aware = datetime(2024, 1, 1, 8, 0, 0, 5, tzinfo=UTC)
    assert kind.process_bind_param(aware, sqlite.dialect()) == datetime(2024, 1, 1, 8, 0, 0, 5)  # noqa: DTZ001
    assert kind.process_bind_param(aware, postgresql.dialect()) == aware
    naive = datetime(2024, 1, 1, 8)  # noqa: DTZ001 - what SQLite hands back
    assert kind.process_result_value(naive, sqlite.dialect()) == aware.replace(microsecond=0)


def test_naive_instant_never_reaches_the_table(sql_engine):
    row = {
        "asset_id": "A1",
        "version": 1,
        "location_code": "620422100201",
        "county_code": "620422",
        "asset_class": "operating",
        "kind": "pv_station",
        "original_value_fen": 1,
        "registered_on": datetime(2024, 1, 1, tzinfo=UTC).date(),
        "last_recorded_at": datetime(2024, 1, 1),  # noqa: DTZ001
    }
    with pytest.raises(sa.exc.StatementError, match="naive"), sql_engine.begin() as conn:
        conn.execute(sa.insert(asset_table), [row])


def test_instants_are_stored_in_utc_to_the_microsecond(sql_engine):
    with SqlUnitOfWork(sql_engine) as uow:
        uow.assets.append(A1, [registered(A1)], expected_version=0)
        uow.commit()
    with sql_engine.connect() as conn:
        stored = conn.execute(sa.select(asset_event_table.c.recorded_at)).scalar_one()
        raw = conn.execute(sa.text("SELECT recorded_at FROM asset_event")).scalar_one()
    assert stored == datetime(2024, 1, 5, 2, 30, 15, 123456, tzinfo=UTC)
    if sql_engine.dialect.name == "sqlite":
        assert raw == "2024-01-05 02:30:15.123456"
    else:
        assert raw.replace(tzinfo=UTC) == stored


def test_database_errors_become_persistence_errors_with_the_cause(tmp_path):
    engine = create_engine_for(tmp_path / "empty.db")  # no tables
    with SqlUnitOfWork(engine) as uow, pytest.raises(PersistenceError) as info:
        uow.assets.ids()
    assert isinstance(info.value.__cause__, sa.exc.OperationalError)
    assert info.value.code == PersistenceError.code
    engine.dispose()


def _register():
    return AssetRegister.of(
        parties=[collective(201), collective(202), household(1), collective(301, TOWN_B)],
        events=[
            *full_history(A1),
            *full_history(AssetId("A2"), town=TOWN_B),
            registered("A3"),
            idle("A3"),
        ],
    )


def test_bulk_load_writes_everything_and_reports_progress(sql_engine):
    register = _register()
    calls = []
    result = bulk_load(sql_engine, register, batch_size=3, progress=lambda done, total: calls.append((done, total)))
    assert (result.parties, result.assets, result.events) == (4, 3, 18)
    assert calls[-1] == (25, 25)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert all(t == 25 for _, t in calls)
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.load_register() == register
        assert uow.load_register(TOWN_A).histories.keys() == {A1, "A3"}
        # the bulk-loaded store keeps working as a normal store
        assert (
            uow.assets.append(
                A1,
                [idle(A1, minutes=30, on=datetime(2024, 3, 1, tzinfo=UTC).date())],
                expected_version=8,
            )
            == 9
        )


def test_failed_bulk_load_leaves_nothing(sql_engine):
    bulk_load(sql_engine, AssetRegister.of(events=[registered("A3")]))
    clash = AssetRegister.of(parties=[collective(201)], events=[*full_history(A1), registered("A3")])
    with pytest.raises(PersistenceError) as info:
        bulk_load(sql_engine, clash, batch_size=2)
    assert isinstance(info.value.__cause__, sa.exc.IntegrityError)
    with sql_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(asset_event_table)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(party_table)).scalar() == 0


def test_bulk_load_inside_a_callers_transaction(sql_engine):
    with sql_engine.connect() as conn:
        bulk_load(conn, list(_register().histories.values()), [collective(201)])
        conn.rollback()
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.ids() == []


def test_bulk_load_refuses_a_zero_batch(sql_engine):
    with pytest.raises(ValueError, match="batch_size"):
        bulk_load(sql_engine, AssetRegister.empty(), batch_size=0)


def test_racing_threads_one_wins_the_other_loses_the_race(sql_engine):
    with SqlUnitOfWork(sql_engine) as uow:
        uow.assets.append(A1, [registered(A1)], expected_version=0)
        uow.commit()
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[int, object] = {}

    def writer(n: int) -> None:
        try:
            with SqlUnitOfWork(sql_engine) as uow:
                version = uow.assets.get(A1).version
                barrier.wait()
                uow.assets.append(A1, [idle(A1, minutes=10 + n)], expected_version=version)
                uow.commit()
                outcomes[n] = "ok"
        except ConcurrencyError as exc:
            outcomes[n] = exc

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(v).__name__ for v in outcomes.values()) == ["ConcurrencyError", "str"]
    lost = next(v for v in outcomes.values() if isinstance(v, ConcurrencyError))
    # the loser read version 1 and waits on the asset row's lock (SQLite: the write lock);
    # under the lock it reads the winner's version 2: a stale expected version, with both
    assert (lost.code, lost.category.value, lost.record, lost.expected, lost.actual) == (
        "AR-501",
        "conflict",
        A1,
        1,
        2,
    )
    assert "is at version 2, not 1" in lost.message_en
    assert "当前版本为 2" in lost.message_zh
    with SqlUnitOfWork(sql_engine) as uow:
        history = uow.assets.get(A1)
    assert history.version == 2
    winner = next(n for n, v in outcomes.items() if v == "ok")
    assert history.events[1].recorded_at == idle(A1, minutes=10 + winner).recorded_at


def test_racing_registrations_of_one_id_one_wins_the_other_is_already_registered(sql_engine):
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[int, object] = {}

    def writer(n: int) -> None:
        try:
            with SqlUnitOfWork(sql_engine) as uow:
                with pytest.raises(UnknownAsset):
                    uow.assets.get(A1)
                barrier.wait()
                uow.assets.append(A1, [registered(A1, minutes=n)], expected_version=0)
                uow.commit()
                outcomes[n] = "ok"
        except ConcurrencyError as exc:  # not expected: a registration race is not a version race
            outcomes[n] = exc
        except AlreadyRegistered as exc:
            outcomes[n] = exc

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(v).__name__ for v in outcomes.values()) == ["AlreadyRegistered", "str"]
    lost = next(v for v in outcomes.values() if v != "ok")
    assert (lost.code, lost.category.value, lost.record, lost.actual) == ("AR-209", "conflict", A1, 1)
    assert not isinstance(lost, LostRace)
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.get(A1).version == 1
