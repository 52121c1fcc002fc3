"""The county hash chain in the database: written on append and bulk load, and
``verify_chains`` names every edited, deleted, inserted or reordered stored event
with its position (SQLite, PostgreSQL, MariaDB; issue 6 item 6)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from builders import TOWN_A, TOWN_B, back_in_use, idle, owned, registered, revalued
from typer.testing import CliRunner

from assetreg.adapters.sql import (
    SqlUnitOfWork,
    asset_event_table,
    asset_table,
    bulk_load,
    chain_head_table,
    create_engine_for,
    upgrade,
    verify_chains,
)
from assetreg.adapters.sql.rows import asset_row, event_rows
from assetreg.audit.chain import HashChain, genesis_hash, link_hash
from assetreg.cli import app
from assetreg.domain.history import AssetHistory
from assetreg.errors import ConcurrencyError
from backends import fresh_engine

COUNTY = "620422"  # 会宁县; TOWN_A and TOWN_B lie in it
OTHER_TOWN = "620421100"  # a town of 靖远县 (county 620421)


def appended(engine: sa.Engine) -> list:
    """Six events of two assets in county 620422, appended in six units of work.

    Chain positions follow the append order: 1 A1 registered, 2 A2 registered,
    3 A1 idle, 4 A1 back in use, 5 A2 revalued, 6 A1 ownership confirmed.
    """
    steps = [
        ("A1", [registered("A1")], 0),
        ("A2", [registered("A2", town=TOWN_B)], 0),
        ("A1", [idle("A1")], 1),
        ("A1", [back_in_use("A1")], 2),
        ("A2", [revalued("A2")], 1),
        ("A1", [owned("A1")], 3),
    ]
    for asset_id, events, version in steps:
        with SqlUnitOfWork(engine, check_references=False) as uow:
            uow.assets.append(asset_id, events, expected_version=version)
            uow.commit()
    return [e for _, events, _ in steps for e in events]


def problems(engine: sa.Engine) -> list[tuple[str, str, int, int]]:
    return [(r.county, p.kind.value, p.position, p.count) for r in verify_chains(engine) for p in r.problems]


def run(engine: sa.Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def stored_links(engine: sa.Engine) -> list[tuple[str, int, str]]:
    ev = asset_event_table.c
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.select(ev.event_id, ev.chain_position, ev.chain_hash).order_by(ev.chain_county, ev.chain_position)
            )
        ]


# -- writing ---------------------------------------------------------------------------------
def test_appends_are_chained_in_append_order_with_the_head_stored(sql_engine):
    events = appended(sql_engine)
    expected = HashChain(COUNTY).extend(events)
    assert stored_links(sql_engine) == [(x.event.event_id, x.seq, x.hash) for x in expected]
    assert expected[0].hash == link_hash(genesis_hash(COUNTY), 1, events[0])
    with sql_engine.connect() as conn:
        head = conn.execute(sa.select(chain_head_table)).all()
    assert [tuple(h) for h in head] == [(COUNTY, 6, expected[-1].hash)]
    [report] = verify_chains(sql_engine)
    assert (report.county, report.length, report.head, report.ok) == (COUNTY, 6, expected[-1].hash, True)


def test_bulk_load_chains_each_county_and_appends_continue_after_it(sql_engine):
    a1 = [registered("A1"), idle("A1"), back_in_use("A1")]
    b1 = [registered("B1", town=OTHER_TOWN), revalued("B1")]
    a2 = [registered("A2", town=TOWN_B), owned("A2")]
    a0, b1_idle = registered("A0"), idle("B1", minutes=9)
    with SqlUnitOfWork(
        sql_engine, check_references=False
    ) as uow:  # a stored event before the load: it continues the chain
        uow.assets.append("A0", [a0], expected_version=0)
        uow.commit()
    result = bulk_load(sql_engine, [AssetHistory.of(h) for h in (a1, b1, a2)], batch_size=2)
    assert result.events == 7
    with SqlUnitOfWork(sql_engine, check_references=False) as uow:
        uow.assets.append("B1", [b1_idle], expected_version=2)
        uow.commit()
    reports = verify_chains(sql_engine)
    assert [(r.county, r.length, r.ok) for r in reports] == [("620421", 3, True), (COUNTY, 6, True)]
    ours = HashChain(COUNTY).extend([a0, *a1, *a2])
    assert reports[1].head == ours[-1].hash
    assert verify_chains(sql_engine, county="620421")[0].head == HashChain("620421").extend([*b1, b1_idle])[-1].hash


def test_appends_to_two_assets_of_one_county_never_fork_the_chain(sql_engine):
    with SqlUnitOfWork(sql_engine, check_references=False) as uow:
        uow.assets.append("A1", [registered("A1")], expected_version=0)
        uow.assets.append("A2", [registered("A2")], expected_version=0)
        uow.commit()
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def writer(asset_id: str) -> None:
        try:
            with SqlUnitOfWork(sql_engine, check_references=False) as uow:
                version = uow.assets.get(asset_id).version  # both transactions are open
                barrier.wait()
                uow.assets.append(asset_id, [idle(asset_id)], expected_version=version)
                uow.commit()
                outcomes[asset_id] = "ok"
        except ConcurrencyError as exc:
            outcomes[asset_id] = exc

    threads = [threading.Thread(target=writer, args=(a,)) for a in ("A1", "A2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # the head row's lock (SQLite: the write lock) queues the second writer behind the
    # first; a writer on another asset is never told its asset changed
    assert outcomes == {"A1": "ok", "A2": "ok"}
    [report] = verify_chains(sql_engine)
    assert (report.length, report.ok) == (4, True)
    assert [p for _, p, _ in stored_links(sql_engine)] == [1, 2, 3, 4]


def test_a_racing_writer_that_bypasses_the_lock_cannot_fork_the_chain(sql_engine):
    events = appended(sql_engine)
    forged = event_rows([idle("A2", minutes=40)], first_sequence=3, area_code="620422200201", county_code=COUNTY)
    row = {**next(forged), "chain_county": COUNTY, "chain_position": 6, "chain_hash": "0" * 64}
    with pytest.raises(sa.exc.IntegrityError), sql_engine.begin() as conn:
        conn.execute(sa.insert(asset_event_table), [row])
    assert len(stored_links(sql_engine)) == len(events)


# -- tampering -------------------------------------------------------------------------------
def test_an_edited_amount_is_named_at_its_position(sql_engine):
    events = appended(sql_engine)
    assert problems(sql_engine) == []
    revaluation = events[4].event_id  # position 5: book value 600,000.01 yuan
    with sql_engine.begin() as conn:
        conn.execute(
            sa.update(asset_event_table)
            .where(asset_event_table.c.event_id == revaluation)
            .values(payload={"book_value": 90_000_001})
        )
    [report] = verify_chains(sql_engine)
    assert [(p.kind.value, p.position, p.event_id, p.asset_id) for p in report.problems] == [
        ("edited", 5, revaluation, "A2")
    ]
    assert report.problems[0].message("en") == "edited at position 5"
    assert report.problems[0].message("zh") == "第 5 个事件被修改"
    [finding] = report.to_findings()
    assert (finding.code, finding.subject) == ("AUD-990", revaluation)


def test_an_edited_date_by_raw_sql_is_named(sql_engine):
    events = appended(sql_engine)
    run(
        sql_engine,
        "UPDATE asset_event SET effective = :d WHERE event_id = :e",
        d=date(2022, 3, 2),
        e=events[2].event_id,
    )
    assert problems(sql_engine) == [(COUNTY, "edited", 3, 1)]


def test_an_edited_newest_event_is_named(sql_engine):
    events = appended(sql_engine)
    run(
        sql_engine,
        "UPDATE asset_event SET kind = 'status_changed', effective = :d WHERE event_id = :e",
        d=date(2021, 1, 1),
        e=events[5].event_id,
    )
    assert problems(sql_engine) == [(COUNTY, "edited", 6, 1)]


def test_a_deleted_event_is_named(sql_engine):
    events = appended(sql_engine)
    run(sql_engine, "DELETE FROM asset_event WHERE event_id = :e", e=events[2].event_id)
    assert problems(sql_engine) == [(COUNTY, "deleted", 3, 1)]


def test_deleting_the_newest_events_is_caught_by_the_head(sql_engine):
    events = appended(sql_engine)
    run(sql_engine, "DELETE FROM asset_event WHERE event_id IN (:a, :b)", a=events[4].event_id, b=events[5].event_id)
    assert problems(sql_engine) == [(COUNTY, "deleted", 5, 2)]


def test_deleting_a_county_chain_entirely_is_caught_by_the_head(sql_engine):
    appended(sql_engine)
    run(sql_engine, "DELETE FROM asset_event")
    assert problems(sql_engine) == [(COUNTY, "deleted", 1, 6)]


def test_swapped_positions_are_named_as_reordered(sql_engine):
    events = appended(sql_engine)
    third, fourth = events[2].event_id, events[3].event_id
    run(sql_engine, "UPDATE asset_event SET chain_position = -3 WHERE event_id = :e", e=third)
    run(sql_engine, "UPDATE asset_event SET chain_position = 3 WHERE event_id = :e", e=fourth)
    run(sql_engine, "UPDATE asset_event SET chain_position = 4 WHERE event_id = :e", e=third)
    assert problems(sql_engine) == [(COUNTY, "reordered", 3, 2)]


def _forged_row(chain_position: int | None, chain_hash: str | None) -> dict:
    row = next(event_rows([idle("A2", minutes=40)], first_sequence=3, area_code="620422200201", county_code=COUNTY))
    return {
        **row,
        "chain_county": COUNTY if chain_position else None,
        "chain_position": chain_position,
        "chain_hash": chain_hash,
    }


def test_a_forged_event_slipped_into_the_chain_is_named_as_inserted(sql_engine):
    appended(sql_engine)
    # make room at position 3 (two steps: the positions are unique), then slip the forgery in
    run(sql_engine, "UPDATE asset_event SET chain_position = -(chain_position + 1) WHERE chain_position >= 3")
    run(sql_engine, "UPDATE asset_event SET chain_position = -chain_position WHERE chain_position < 0")
    forged = _forged_row(3, "f" * 64)
    with sql_engine.begin() as conn:
        conn.execute(sa.insert(asset_event_table), [forged])
    [report] = verify_chains(sql_engine)
    assert [(p.kind.value, p.position, p.event_id) for p in report.problems] == [("inserted", 3, forged["event_id"])]
    assert report.length == 7


def test_a_forged_event_after_the_head_is_named_as_inserted(sql_engine):
    appended(sql_engine)
    with sql_engine.begin() as conn:
        conn.execute(sa.insert(asset_event_table), [_forged_row(7, "f" * 64)])
    assert problems(sql_engine) == [(COUNTY, "inserted", 7, 1)]


def test_a_forged_event_without_a_link_is_named_as_inserted(sql_engine):
    appended(sql_engine)
    forged = _forged_row(None, None)
    with sql_engine.begin() as conn:
        conn.execute(sa.insert(asset_event_table), [forged])
    [report] = verify_chains(sql_engine)
    assert [(p.kind.value, p.position, p.event_id) for p in report.problems] == [("inserted", 7, forged["event_id"])]


def test_an_edit_with_every_later_hash_recomputed_is_caught_by_the_head(sql_engine):
    events = appended(sql_engine)
    changed = list(events)
    changed[4] = revalued("A2").__class__(
        asset_id=events[4].asset_id,
        effective=events[4].effective,
        recorded_at=events[4].recorded_at,
        event_id=events[4].event_id,
        book_value=events[4].book_value.__class__(90_000_001),
    )
    links = HashChain(COUNTY).extend(changed)
    with sql_engine.begin() as conn:
        conn.execute(
            sa.update(asset_event_table)
            .where(asset_event_table.c.event_id == events[4].event_id)
            .values(payload={"book_value": 90_000_001})
        )
        for link in links[4:]:
            conn.execute(
                sa.update(asset_event_table)
                .where(asset_event_table.c.event_id == link.event.event_id)
                .values(chain_hash=link.hash)
            )
    assert problems(sql_engine) == [(COUNTY, "rewritten", 6, 1)]


# -- migration -------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def empty_engine(request, tmp_path):
    yield from fresh_engine(request.param, tmp_path)


def test_upgrade_to_0002_chains_the_events_already_stored(empty_engine):
    upgrade(empty_engine, "0001")
    histories = [
        AssetHistory.of([registered("B1", town=OTHER_TOWN), revalued("B1")]),
        AssetHistory.of([registered("A1"), idle("A1"), back_in_use("A1")]),
        AssetHistory.of([registered("A2", town=TOWN_A), owned("A2")]),
    ]
    with empty_engine.begin() as conn:  # rows as revision 0001 stored them (no chain_* keys)
        for history in histories:
            row = asset_row(history)
            conn.execute(sa.insert(asset_table), [row])
            conn.execute(
                sa.insert(asset_event_table),
                list(
                    event_rows(
                        history.events, first_sequence=1, area_code=row["location_code"], county_code=row["county_code"]
                    )
                ),
            )
    upgrade(empty_engine)
    reports = verify_chains(empty_engine)
    assert [(r.county, r.length, r.ok) for r in reports] == [("620421", 2, True), (COUNTY, 5, True)]
    # county, then asset, then sequence
    assert reports[1].head == HashChain(COUNTY).extend([*histories[1].events, *histories[2].events])[-1].hash
    with SqlUnitOfWork(empty_engine) as uow:
        uow.assets.append("A2", [idle("A2", minutes=9)], expected_version=2)
        uow.commit()
    assert [(r.length, r.ok) for r in verify_chains(empty_engine)] == [(2, True), (6, True)]


# -- command line ----------------------------------------------------------------------------
def test_assetreg_verify_exits_1_naming_the_position_after_tampering(tmp_path):
    path = tmp_path / "county.db"
    upgrade(path)
    engine = create_engine_for(path)
    events = appended(engine)
    runner = CliRunner()
    intact = runner.invoke(app, ["verify", "--db", str(path), "--lang", "en"])
    assert intact.exit_code == 0, intact.output
    assert "hash chains and stored state intact: 1 counties, 6 events" in intact.output
    run(engine, "UPDATE asset_event SET effective = :d WHERE event_id = :e", d=date(2022, 3, 2), e=events[2].event_id)
    engine.dispose()
    broken = runner.invoke(app, ["verify", "--db", str(path), "--lang", "en"])
    assert broken.exit_code == 1
    assert f"event history of county 620422: edited at position 3 [{events[2].event_id}]" in broken.output
    zh = runner.invoke(app, ["verify", "--db", str(path)])
    assert zh.exit_code == 1
    assert "县 620422 的资产变动记录：第 3 个事件被修改" in zh.output


def test_assetreg_verify_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(app, ["verify", "--db", str(tmp_path / "none.db"), "--lang", "en"])
    assert result.exit_code == 2
    assert not (tmp_path / "none.db").exists()
