"""County batches on a two-worker Dask LocalCluster: the same results as one process (DESIGN §11).

The store holds the bundled sample's books (灵台县 柳家铺村 PV station's 7.3万元 income and
its 61-household roster, http://pvnews.cn/a/news/reping/11988.html — see
tests/services/test_distributing.py for the figures) and the register's other counties;
the batch runs audit, distribution and values with one task per county, each in its own
unit of work scoped to its county, and must give exactly what one unscoped run gives.
"""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime

import attrs
import pytest
import sqlalchemy as sa

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger, read_roster
from assetreg.adapters.sql import SqlUnitOfWork
from assetreg.batch import SqlStore, audit_counties, distribute_counties, stored_counties, value_counties
from assetreg.demo import sample_plans, sample_snapshot
from assetreg.domain.codes import ResidentId
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.periods import Period
from assetreg.domain.policy import GANSU_COUNTY
from assetreg.domain.vocab import HouseholdStatus
from assetreg.errors import DistributionRefused
from assetreg.samples import sample_path
from assetreg.services.auditing import audit_store
from assetreg.services.books import record_income, record_plans, record_roster
from assetreg.services.distributing import distribute_period
from assetreg.services.importing import import_register
from assetreg.services.valuation import stored_values
from backends import clear

distributed = pytest.importorskip("distributed", reason="the batch extra (dask[distributed]) is not installed")

POLICY = attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)
RECORDED = datetime(2024, 12, 31, 1, tzinfo=UTC)
PERIOD = Period.inclusive(date(2019, 5, 1), date(2020, 4, 30))
AS_OF = date(2025, 6, 30)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def sample():
    imported = import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=POLICY)
    roster = read_roster(sample_path("sample_households.csv"))
    register = imported.register
    for household in roster.parties:
        register = register.add_party(household)
    return register, read_income_ledger(sample_path("sample_revenue.csv")), roster


def _address(engine: sa.Engine) -> SqlStore:
    """The engine's database as a URL a worker process can open (PostgreSQL: with its schema)."""
    url = engine.url
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            path = conn.exec_driver_sql("SHOW search_path").scalar()
        url = url.update_query_dict({"options": f"-c search_path={path}"})
    return SqlStore(url.render_as_string(hide_password=False))


@pytest.fixture(params=["sqlite", "postgresql"])
def loaded(request, sample):
    engine = request.getfixturevalue(f"{request.param}_engine")
    clear(engine)
    register, income, people = sample
    uow = lambda: SqlUnitOfWork(engine)  # noqa: E731
    import_register(uow(), register, revenue=income.entries)
    record_income(uow(), (), income.deduction_records(register, RECORDED)[0])
    record_roster(uow(), sample_snapshot(people, RECORDED))
    record_plans(uow(), sample_plans(), POLICY, recorded_at=RECORDED)
    return engine, _address(engine)


def test_the_sample_spans_several_counties(loaded):
    _, store = loaded
    counties = stored_counties(store)
    assert len(counties) >= 2
    assert all(len(c) == 6 and c.isdigit() for c in counties)


def test_a_county_audit_on_two_workers_finds_what_one_run_finds(client, loaded):
    engine, store = loaded
    single = audit_store(SqlUnitOfWork(engine), as_of=AS_OF, policy=POLICY)
    batch = audit_counties(client, store, as_of=AS_OF, policy=POLICY)
    assert single.findings  # the sample's books have findings to compare
    assert batch == single


# the GB 11643-1999 example resident number (also in tests/audit/test_register_checks.py)
RESIDENT_ID = "11010519491231002X"


def test_a_resident_id_shared_across_two_counties_is_found_by_the_batch(client, loaded):
    engine, store = loaded
    counties = stored_counties(store)
    with SqlUnitOfWork(engine) as uow:
        households = [p for p in uow.parties.all() if isinstance(p, Household)]
        first = households[0]
        other = next(p for p in uow.parties.all() if p.admin_code.county not in {None, first.admin_code.county})
        twin = Household(
            id=PartyId("XC-H001"),
            name="农户XC",
            admin_code=other.admin_code,
            size=2,
            status=HouseholdStatus.LIFTED,
            head_resident_id=ResidentId(RESIDENT_ID),
        )
        uow.parties.put(attrs.evolve(first, head_resident_id=ResidentId(RESIDENT_ID)))
        uow.parties.put(twin)
        uow.commit()
    single = audit_store(SqlUnitOfWork(engine), as_of=AS_OF, policy=POLICY)
    shared = [f for f in single.findings if f.code == "AUD-905"]
    assert sorted(f.subject for f in shared) == sorted([first.id, "XC-H001"])
    assert len({f.area[:6] for f in shared}) == 2  # two counties
    assert audit_counties(client, store, as_of=AS_OF, policy=POLICY) == single
    # one county asked for: its own finding, still found against the other county's household
    mine = audit_counties(client, store, as_of=AS_OF, policy=POLICY, counties=[first.admin_code.county])
    assert [f.subject for f in mine.findings if f.code == "AUD-905"] == [first.id]
    assert first.admin_code.county in counties


def test_a_county_year_distributed_on_two_workers_is_the_single_run(client, loaded, tmp_path):
    engine, store = loaded
    dry = distribute_period(SqlUnitOfWork(engine), POLICY, period=PERIOD, recorded_at=RECORDED, dry_run=True)
    batch = distribute_counties(client, store, POLICY, period=PERIOD, recorded_at=RECORDED)
    assert [o.distribution for o in batch.outcomes] == [o.distribution for o in dry.outcomes]
    assert [(r.asset_id, r.error.code) for r in batch.refusals] == [(r.asset_id, r.error.code) for r in dry.refusals]
    assert batch.stored == len(dry.outcomes) == len(batch.outcomes)
    # 柳家铺村's 67,420.00 distributable is among them (the published figure)
    assert Money.yuan("67420") in {o.distribution.pool for o in batch.outcomes}
    # stored once: a second batch stores nothing, and the single run now sees them unchanged
    again = distribute_counties(client, store, POLICY, period=PERIOD, recorded_at=RECORDED)
    assert again.stored == 0
    assert {o.status for o in again.outcomes} == {"unchanged"}
    after = distribute_period(SqlUnitOfWork(engine), POLICY, period=PERIOD, recorded_at=RECORDED, dry_run=True)
    assert [o.distribution for o in after.outcomes] == [o.distribution for o in batch.outcomes]
    # and the audit of the books now holding distributions still agrees
    assert audit_counties(client, store, as_of=AS_OF, policy=POLICY) == audit_store(
        SqlUnitOfWork(engine), as_of=AS_OF, policy=POLICY
    )


def test_county_values_on_two_workers_are_the_single_run(client, loaded):
    engine, store = loaded
    single = stored_values(SqlUnitOfWork(engine), as_of=AS_OF, policy=POLICY)
    assert len(single) >= 2
    assert any(row.problem is not None for row in single)  # a refusal travels back too
    assert _comparable(value_counties(client, store, as_of=AS_OF, policy=POLICY)) == _comparable(single)


def _comparable(rows):
    """Value rows with the reason an asset could not be valued as its class and text.

    (An exception compares by identity, and one pickled back from a worker is another
    object.)"""
    return [(attrs.evolve(r, problem=None), type(r.problem), str(r.problem)) for r in rows]


def test_an_error_pickles_with_its_class_fields_and_text():
    error = DistributionRefused(
        "no plan", "无分配方案", record="LT-PV-001", field="plan", details={"reason": "no_plan"}
    )
    back = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (type(back), str(back), back.record, back.field, back.details, back.code) == (
        DistributionRefused,
        str(error),
        "LT-PV-001",
        "plan",
        {"reason": "no_plan"},
        "AR-402",
    )


def test_a_county_code_must_have_six_digits(client, loaded):
    _, store = loaded
    with pytest.raises(ValueError, match="6 digits"):
        audit_counties(client, store, as_of=AS_OF, policy=POLICY, counties=["6204"])
