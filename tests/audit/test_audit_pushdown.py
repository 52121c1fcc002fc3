"""Contract: the checks pushed down into SQL return the same findings as in memory.

SQLite always; PostgreSQL when ASSETREG_TEST_POSTGRESQL_URL is set (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); MariaDB when
ASSETREG_TEST_MARIADB_URL is set (e.g. ``mysql+pymysql://root@127.0.0.1:3306/test``).
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from audit_builders import (
    AS_OF,
    PARTIES,
    POLICY,
    VILLAGE_B,
    at,
    eid,
    good_pv,
    good_road,
    kept,
    make_asset,
    owned,
    registered,
)

from assetreg.adapters.sql import bulk_load, create_engine_for, metadata
from assetreg.adapters.sql.audit_sql import PUSHDOWN_CODES, like_prefix, run_checks_in_db, store_revenue
from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId, FundingLine
from assetreg.domain.events import Approval, Corrected, CustodyEnded, DisposalApproved, Disposed, StatusChanged
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetClass, AssetKind, AssetStatus, DisposalMethod, DisposalTrigger, FundingSource
from assetreg.errors import InvalidCode, ScopeViolation
from assetreg.income import RevenueEntry, RevenueKind

PG_ENV = "ASSETREG_TEST_POSTGRESQL_URL"
MARIADB_ENV = "ASSETREG_TEST_MARIADB_URL"


def status(aid, value, on):
    return StatusChanged(asset_id=AssetId(aid), effective=on, recorded_at=at(on), event_id=eid(), status=value)


def disposal(aid):
    approvals = tuple(
        Approval(level=lv, body=lv, approved_on=date(2024, 3, 1)) for lv in POLICY.disposal_approval_chain
    )
    return [
        DisposalApproved(
            asset_id=AssetId(aid),
            effective=date(2024, 3, 1),
            recorded_at=at(date(2024, 3, 1)),
            event_id=eid(),
            method=DisposalMethod.AUCTION,
            trigger=DisposalTrigger.END_OF_LIFE,
            approvals=approvals,
        ),
        Disposed(
            asset_id=AssetId(aid),
            effective=date(2024, 4, 1),
            recorded_at=at(date(2024, 4, 1)),
            event_id=eid(),
            method=DisposalMethod.AUCTION,
            proceeds=Money.yuan("1000"),
            proceeds_to=PartyId("VC-A"),
        ),
    ]


def histories():
    """Every pushed-down check triggered at least once, next to clean assets."""
    odd = Money.yuan("90000")
    corrected_road = good_road("COR-1")
    fix = Corrected(
        asset_id=AssetId("COR-1"),
        effective=date(2021, 1, 1),
        recorded_at=at(date(2021, 1, 1)),
        event_id=eid(),
        supersedes=corrected_road[2].event_id,
    )  # custody withdrawn by correction
    items = [
        good_road("OK-1"),
        good_pv("OK-PV"),
        [registered(make_asset("NOKEEP")), owned("NOKEEP")],  # AUD-101
        [*good_road("ENDED")[:2], kept("ENDED", valid_to=date(2024, 6, 1))],  # AUD-101 with evidence
        [
            *good_road("CUT"),
            CustodyEnded(
                asset_id=AssetId("CUT"), effective=date(2024, 2, 1), recorded_at=at(date(2024, 2, 1)), event_id=eid()
            ),
        ],
        [registered(make_asset("NOOWN")), kept("NOOWN")],  # AUD-201
        good_road("ODD", funding=(FundingLine(FundingSource.LINKAGE_FUND, odd),)),  # AUD-301
        good_road("NOFUND", funding=()),  # AUD-302
        good_road("PVROAD", kind=AssetKind.PV_STATION, capacity_kw=Decimal(50)),  # AUD-304
        good_pv("PV-NOCAP", capacity_kw=None),  # AUD-404
        [*good_road("IDLE"), status("IDLE", AssetStatus.IDLE, date(2024, 3, 1))],  # AUD-501
        [*good_road("BROKEN"), status("BROKEN", AssetStatus.DAMAGED, date(2023, 3, 1))],  # AUD-502
        [*good_pv("PV-GONE"), *disposal("PV-GONE")],  # AUD-601
        [
            registered(make_asset("COW", asset_class=AssetClass.HOUSEHOLD, kind=AssetKind.LIVESTOCK)),
            owned("COW", "H-1"),
        ],  # AUD-604
        [registered(make_asset("LATE", location=VILLAGE_B), on=date(2025, 3, 1))],  # registered after as_of (AUD-602)
        [*corrected_road, fix],  # folded in Python
        good_pv("PV-QUIET"),  # AUD-605
    ]
    return [AssetHistory(h[0].asset_id, h) for h in items]


def revenue():
    def rev(rid, asset, period, received, kind=RevenueKind.ELECTRICITY_BENCHMARK):
        return RevenueEntry(
            id=rid, asset_id=asset, kind=kind, amount=Money.yuan("30000"), period=period, received=received
        )

    return [
        rev("R-OK", "OK-PV", Period.quarter(2024, 3), date(2024, 10, 15)),
        rev("R-NOCAP", "PV-NOCAP", Period.quarter(2024, 3), date(2024, 10, 15)),
        rev("R-GONE-1", "PV-GONE", Period.quarter(2024, 1), date(2024, 4, 15)),
        rev("R-GONE-2", "PV-GONE", Period.quarter(2024, 2), date(2024, 7, 15)),  # AUD-601
        rev("R-COW", "COW", Period.year(2024), date(2024, 12, 1), RevenueKind.SALES),  # AUD-604
        rev("R-LATE", "LATE", Period.year(2024), date(2024, 12, 1), RevenueKind.RENT),  # AUD-602 on 2024-12-31
        rev("R-QUIET", "PV-QUIET", Period.quarter(2024, 1), date(2024, 4, 15)),  # last income in April: AUD-605
    ]


def _sqlite(tmp_path):
    engine = create_engine_for(tmp_path / "audit.db")
    yield engine
    engine.dispose()


def _server_url(backend, env):
    url = os.environ.get(env)
    if not url:
        pytest.skip(f"{backend}: set {env} to run the {backend} pushdown contract")
    try:
        probe = create_engine_for(url, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        probe.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server answers"
        message = f"{backend}: {env} is set but no server answers ({type(exc).__name__})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def _postgresql():
    url = _server_url("postgresql", PG_ENV)
    name = f"assetreg_a_{uuid.uuid4().hex[:10]}"
    admin = create_engine_for(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine = create_engine_for(url, connect_args={"options": f"-c search_path={name}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


def _mariadb():
    url = _server_url("mariadb", MARIADB_ENV)
    name = f"assetreg_a_{uuid.uuid4().hex[:10]}"
    admin = create_engine_for(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    engine = create_engine_for(sa.make_url(url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name}")
        admin.dispose()


_BACKENDS = {"sqlite": _sqlite, "postgresql": lambda _tmp: _postgresql(), "mariadb": lambda _tmp: _mariadb()}


@pytest.fixture(params=sorted(_BACKENDS))
def engine(request, tmp_path):
    gen = _BACKENDS[request.param](tmp_path)
    eng = next(gen)
    metadata.create_all(eng)
    yield eng
    for _ in gen:
        pass


@pytest.fixture
def stored(engine):
    register = AssetRegister(parties={p.id: p for p in PARTIES}, histories={h.asset_id: h for h in histories()})
    bulk_load(engine, register)
    entries = revenue()
    with engine.begin() as conn:
        store_revenue(conn, entries)
    return engine, AuditBooks(register=register, revenue=entries)


def in_memory(books, **kw):
    return run_checks(books, as_of=AS_OF, policy=POLICY, checks=[check_by_code(c) for c in PUSHDOWN_CODES], **kw)


def test_pushdown_covers_at_least_ten_checks():
    assert len(PUSHDOWN_CODES) >= 10


def test_sql_and_memory_findings_are_identical(stored):
    engine, books = stored
    expected = in_memory(books)
    assert {f.code for f in expected} == set(PUSHDOWN_CODES)  # every pushed-down check fires
    assert run_checks_in_db(engine, as_of=AS_OF, policy=POLICY) == expected


@pytest.mark.parametrize("as_of", [date(2022, 6, 30), date(2024, 5, 1), date(2025, 6, 30)])
def test_identical_on_other_dates(stored, as_of):
    engine, books = stored
    expected = run_checks(books, as_of=as_of, policy=POLICY, checks=[check_by_code(c) for c in PUSHDOWN_CODES])
    assert run_checks_in_db(engine, as_of=as_of, policy=POLICY) == expected


def test_identical_with_prefix_and_codes(stored):
    engine, books = stored
    expected = in_memory(books, prefix="620422100201", codes=["AUD-1", "AUD-5"])
    got = run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, prefix="620422100201", codes=["AUD-1", "AUD-5"])
    assert got == expected
    assert got


def test_corrected_history_is_folded_in_python(stored):
    engine, _ = stored
    found = run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, codes=["AUD-101"])
    assert "COR-1" in {f.subject for f in found}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM asset_event WHERE kind = 'corrected'")).scalar_one() == 1


@pytest.mark.parametrize("prefix", ["62042_", "6204%", "%", "_", "620422100201%", "6204221002_1", ""])
def test_wildcards_and_empty_prefixes_are_refused(stored, prefix):
    engine, books = stored
    assert in_memory(books, prefix=prefix or "x") == ()  # no area code holds "%", "_" or "x"
    with pytest.raises(InvalidCode):
        run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, prefix=prefix)


def test_the_pushdown_reads_nothing_outside_the_scope(stored):
    engine, books = stored
    village = "620422100201"
    inside = in_memory(books, prefix=village)
    assert inside  # the scope holds findings, and the county holds more
    assert len(in_memory(books, prefix="620422")) > len(inside)
    assert run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, scope=village) == inside
    assert run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, scope=village, prefix="620422") == inside
    with pytest.raises(ScopeViolation):
        run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, scope=village, prefix="620423")
    with pytest.raises(ScopeViolation):
        run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, scope="")


@pytest.mark.parametrize("prefix", ["620422", "620422100201", "620422100202", "6204221002", "62"])
def test_identical_with_every_prefix(stored, prefix):
    engine, books = stored
    expected = in_memory(books, prefix=prefix)
    assert expected
    assert run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, prefix=prefix) == expected


def test_a_literal_prefix_still_selects_its_area(stored):
    engine, books = stored
    expected = in_memory(books, prefix="620422100202")
    assert [f.subject for f in expected] == ["R-LATE"]  # the only asset of village B has revenue booked early
    assert run_checks_in_db(engine, as_of=AS_OF, policy=POLICY, prefix="620422100202") == expected


@pytest.mark.parametrize(
    ("prefix", "pattern"),
    [(None, "%"), ("", "%"), ("620422", "620422%"), ("62_4%", "62!_4!%%"), ("6!2", "6!!2%")],
)
def test_like_prefix_escapes_wildcards(prefix, pattern):
    assert like_prefix(prefix) == pattern


def test_an_unknown_dialect_is_refused(tmp_path):
    engine = sa.create_engine("sqlite://")
    engine.dialect.name = "oracle"
    with pytest.raises(NotImplementedError, match="oracle"):
        run_checks_in_db(engine, as_of=AS_OF, policy=POLICY)
