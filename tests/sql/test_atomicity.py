"""Atomic units of work on SQLite, PostgreSQL and MariaDB (issue 15, item 1).

A database error anywhere in a unit of work (a deadlock, a serialization failure, a
refused row) aborts all of it with ConcurrencyError (a lost race) or PersistenceError;
nothing of it is kept and nothing later in it can commit. Races are bounded: two
threads, barriers with timeouts, a few repetitions.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from datetime import date

import pytest
from builders import TOWN_A, at, back_in_use, idle, registered

from assetreg.adapters.sql import SqlUnitOfWork, verify_chains
from assetreg.errors import ConcurrencyError, IllegalTransition, PersistenceError
from assetreg.services import with_retry

OTHER_COUNTY_TOWN = "620423100"  # a town of 景泰县 (620423), DESIGN §5


def _stored(engine, *ids):
    with SqlUnitOfWork(engine) as uow:
        return {a: uow.assets.get(a) for a in ids}


def _register(engine, *specs):
    with SqlUnitOfWork(engine) as uow:
        for asset_id, town in specs:
            uow.assets.append(asset_id, [registered(asset_id, town=town)], expected_version=0)
        uow.commit()


def test_a_database_error_aborts_the_whole_unit_of_work(sql_engine):
    _register(sql_engine, ("A1", TOWN_A), ("A2", TOWN_A))
    with SqlUnitOfWork(sql_engine) as uow:
        uow.assets.append("A1", [idle("A1")], expected_version=1)
        with pytest.raises(PersistenceError) as failed, uow.guard("probe"):
            uow.connection.exec_driver_sql("SELECT no_such_column FROM asset")
        assert failed.value.code == "AR-500"
        # every later use fails too, naming the abort; nothing can commit in its stead
        with pytest.raises(PersistenceError, match="aborted by an earlier database error"):
            uow.assets.append("A2", [idle("A2")], expected_version=1)
        with pytest.raises(PersistenceError, match="aborted"):
            uow.commit()
        uow.rollback()  # clears the abort: the unit of work starts afresh
        uow.assets.append("A2", [idle("A2", minutes=5)], expected_version=1)
        uow.commit()
    stored = _stored(sql_engine, "A1", "A2")
    assert (stored["A1"].version, stored["A2"].version) == (1, 2)
    assert all(r.ok for r in verify_chains(sql_engine))


def test_a_duplicate_key_inside_a_unit_of_work_is_a_concurrency_error_and_keeps_nothing(sql_engine):
    _register(sql_engine, ("A1", TOWN_A))
    with SqlUnitOfWork(sql_engine) as uow:
        uow.assets.append("A2", [registered("A2")], expected_version=0)
        insert = "INSERT INTO chain_head (county, position, hash) VALUES ('620499', 1, 'x')"
        with uow.guard("insert", conflicts=True):
            uow.connection.exec_driver_sql(insert)
        with pytest.raises(ConcurrencyError) as failed, uow.guard("insert", conflicts=True):
            uow.connection.exec_driver_sql(insert)  # what a racing writer's insert of the same key meets
        assert failed.value.code == "AR-503"  # a LostRace: the ConcurrencyError of a lost race
        with pytest.raises(ConcurrencyError, match="aborted"):
            uow.commit()
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.ids() == ["A1"]


def _cross(engine, first: str, second: str, minutes: int, barrier: threading.Barrier, out: dict) -> None:
    """Append to ``first``, wait for the other writer, append to ``second``, commit."""
    try:
        with SqlUnitOfWork(engine) as uow:
            uow.assets.append(first, [idle(first, minutes=minutes)], expected_version=1)
            with suppress(threading.BrokenBarrierError):  # SQLite: the other writer waits for the lock
                barrier.wait()
            uow.assets.append(second, [idle(second, minutes=minutes)], expected_version=1)
            uow.commit()
            out[minutes] = "ok"
    except PersistenceError as exc:
        out[minutes] = exc


@pytest.mark.parametrize("attempt", range(3))
def test_deadlocked_units_of_work_keep_nothing_of_the_loser(sql_engine, attempt):
    """Two units of work lock A1 and A2 in opposite orders: one wins whole, the other keeps nothing.

    MariaDB rolls the deadlock victim's whole transaction back (its first append too);
    PostgreSQL aborts it; SQLite queues the second writer, which then finds A2 moved.
    """
    del attempt
    _register(sql_engine, ("A1", TOWN_A), ("A2", TOWN_A))
    barrier = threading.Barrier(2, timeout=3)
    out: dict[int, object] = {}
    threads = [
        threading.Thread(target=_cross, args=(sql_engine, "A1", "A2", 10, barrier, out)),
        threading.Thread(target=_cross, args=(sql_engine, "A2", "A1", 20, barrier, out)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(v).__name__ for v in out.values()) in (
        ["ConcurrencyError", "str"],
        ["LostRace", "str"],
    )
    loser = next(v for v in out.values() if v != "ok")
    assert isinstance(loser, ConcurrencyError)
    assert not isinstance(loser, IllegalTransition)
    winner = next(m for m, v in out.items() if v == "ok")
    stored = _stored(sql_engine, "A1", "A2")
    # both assets carry exactly the winner's event: nothing of the loser, nothing lost
    assert [h.version for h in stored.values()] == [2, 2]
    assert [h.events[1].recorded_at for h in stored.values()] == [at(winner), at(winner)]
    assert all(r.ok for r in verify_chains(sql_engine))


def test_opposite_county_order_does_not_deadlock_on_the_chain_heads(sql_engine):
    """Units of work touching two counties in opposite orders both commit (heads locked sorted, at commit)."""
    _register(
        sql_engine,
        ("X1", TOWN_A),
        ("X2", TOWN_A),
        ("Y1", OTHER_COUNTY_TOWN),
        ("Y2", OTHER_COUNTY_TOWN),
    )
    barrier = threading.Barrier(2, timeout=3)
    out: dict[int, object] = {}

    def work(first: str, second: str, minutes: int) -> None:
        try:
            with SqlUnitOfWork(sql_engine) as uow:
                uow.assets.append(first, [idle(first, minutes=minutes)], expected_version=1)
                with suppress(threading.BrokenBarrierError):
                    barrier.wait()
                uow.assets.append(second, [idle(second, minutes=minutes)], expected_version=1)
                uow.commit()
                out[minutes] = "ok"
        except PersistenceError as exc:
            out[minutes] = exc

    threads = [
        threading.Thread(target=work, args=("X1", "Y1", 10)),
        threading.Thread(target=work, args=("Y2", "X2", 20)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert out == {10: "ok", 20: "ok"}
    reports = verify_chains(sql_engine)
    assert [(r.county, r.length, r.ok) for r in reports] == [("620422", 4, True), ("620423", 4, True)]


def test_a_writer_on_an_unrelated_asset_is_not_told_it_changed(sql_engine):
    """Both transactions read first; the later writer of another asset still commits (SQLite too)."""
    _register(sql_engine, ("A1", TOWN_A), ("A2", TOWN_A))
    with SqlUnitOfWork(sql_engine) as first, SqlUnitOfWork(sql_engine) as second:
        v1 = first.assets.get("A1").version
        v2 = second.assets.get("A2").version
        second.assets.append("A2", [idle("A2")], expected_version=v2)
        second.commit()
        first.assets.append("A1", [idle("A1")], expected_version=v1)
        first.commit()
    assert [h.version for h in _stored(sql_engine, "A1", "A2").values()] == [2, 2]


def test_a_stale_version_read_before_another_commit_is_a_concurrency_error(sql_engine):
    """The version check and the domain check read the same, locked, state."""
    _register(sql_engine, ("A1", TOWN_A))
    with SqlUnitOfWork(sql_engine) as first, SqlUnitOfWork(sql_engine) as second:
        v = first.assets.get("A1").version
        second.assets.append("A1", [idle("A1")], expected_version=v)
        second.commit()
        # IDLE again would be an IllegalTransition on the new history: the version decides first
        with pytest.raises(ConcurrencyError):
            first.assets.append("A1", [idle("A1", minutes=3)], expected_version=v)


def test_with_retry_redoes_a_unit_of_work_that_lost_a_race(sql_engine):
    _register(sql_engine, ("A1", TOWN_A))
    calls: list[int] = []
    retried: list[int] = []

    def work(uow):
        version = uow.assets.get("A1").version
        calls.append(version)
        if len(calls) == 1:  # another writer gets in between the read and the write
            with SqlUnitOfWork(sql_engine) as other:
                other.assets.append("A1", [idle("A1")], expected_version=version)
                other.commit()
        return uow.assets.append("A1", [back_in_use("A1")], expected_version=version)

    assert with_retry(lambda: SqlUnitOfWork(sql_engine), work, on_retry=lambda n, _e: retried.append(n)) == 3
    assert (calls, retried) == ([1, 2], [1])
    with pytest.raises(ConcurrencyError):
        with_retry(
            lambda: SqlUnitOfWork(sql_engine),
            lambda uow: uow.assets.append("A1", [idle("A1", minutes=9)], expected_version=0),
            attempts=2,
        )


def test_racing_writers_of_one_asset_never_get_a_domain_error(sql_engine):
    """Ten rounds of two writers appending the same transition: one wins, the other a ConcurrencyError."""
    _register(sql_engine, ("A1", TOWN_A))
    for round_ in range(10):
        with SqlUnitOfWork(sql_engine) as uow:
            version = uow.assets.get("A1").version
        barrier = threading.Barrier(2, timeout=10)
        out: dict[int, object] = {}
        event = idle if round_ % 2 == 0 else back_in_use

        def writer(n: int, event=event, version=version, out=out, barrier=barrier, round_=round_) -> None:
            try:
                with SqlUnitOfWork(sql_engine) as uow:
                    uow.assets.get("A1")
                    barrier.wait()
                    change = event("A1", minutes=100 * round_ + n, on=date(2022, 1 + round_, 1))
                    uow.assets.append("A1", [change], expected_version=version)
                    uow.commit()
                    out[n] = "ok"
            except Exception as exc:  # noqa: BLE001 - the test records whatever a loser gets
                out[n] = exc

        threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(type(v).__name__ for v in out.values()) == ["ConcurrencyError", "str"], out
    assert _stored(sql_engine, "A1")["A1"].version == 11


def test_an_over_long_value_is_refused_before_writing_and_aborts_nothing(sql_engine):
    """PostgreSQL and MariaDB would refuse the statement (and abort the unit of work); SQLite would store it."""
    from assetreg.domain.parties import PartyId, VillageCollective
    from assetreg.errors import InvalidValue

    long_name = VillageCollective(id=PartyId("VC-1"), name="某" * 256, admin_code=registered("X").asset.location)
    with SqlUnitOfWork(sql_engine) as uow:
        uow.assets.append("A1", [registered("A1")], expected_version=0)
        with pytest.raises(InvalidValue) as refused:
            uow.parties.put(long_name)
        assert (refused.value.record, refused.value.field, refused.value.actual) == ("VC-1", "name", 256)
        long_id = "A" * 65
        with pytest.raises(InvalidValue, match="asset_id has 65 characters"):
            uow.assets.append(long_id, [registered(long_id)], expected_version=0)
        uow.assets.append("A2", [registered("A2")], expected_version=0)  # the unit of work goes on
        uow.commit()
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.ids() == ["A1", "A2"]
        assert uow.parties.all() == []
