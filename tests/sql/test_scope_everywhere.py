"""Scope holds everywhere (issue 15, item 2): every repository method and every helper.

A unit of work bound to an area-code prefix (a village clerk's ``620422100201``) must not
read or write outside it, through the repositories or through the helpers one can hand
its connection to; an empty or wildcard scope is refused, never "unrestricted".
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import TOWN_A, TOWN_B, collective, idle, registered, village

from assetreg.adapters.sql import SqlUnitOfWork, bulk_load, verify_chains
from assetreg.adapters.sql.audit_sql import store_revenue
from assetreg.domain.assets import AssetId
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.errors import InvalidCode, ScopeViolation
from assetreg.income.revenue import RevenueEntry, RevenueKind

VILLAGE_A = village(TOWN_A).value  # 620422100201
OTHER_COUNTY_TOWN = "620423100"  # 景泰县 (DESIGN §5)


def _seed(store) -> None:
    with store.uow() as uow:
        uow.assets.append("A1", [registered("A1", town=TOWN_A)], expected_version=0)
        uow.assets.append("B1", [registered("B1", town=TOWN_B)], expected_version=0)
        uow.parties.put(collective(201, town=TOWN_A))
        uow.parties.put(VillageCollective(id=PartyId("VC-X"), name="外县村集体", admin_code=village(OTHER_COUNTY_TOWN)))
        uow.commit()


@pytest.mark.parametrize("scope", ["", "%", "62042_", "6204 ", "6", "６２０４", "62042210020112"])
def test_an_empty_or_malformed_scope_is_refused(store, scope):
    with pytest.raises(ScopeViolation) as refused:
        store.uow(scope)
    assert refused.value.field == "scope"


@pytest.mark.parametrize("prefix", ["%", "_", "62042_", "", "6204%"])
def test_wildcard_and_empty_prefixes_are_refused(store, prefix):
    _seed(store)
    with store.uow() as uow:
        with pytest.raises(InvalidCode):
            uow.assets.ids(prefix)
        with pytest.raises(InvalidCode):
            uow.parties.all(prefix)


def test_a_scoped_clerk_cannot_move_another_countys_party_into_its_area(store):
    _seed(store)
    with store.uow(VILLAGE_A) as uow:
        renamed = VillageCollective(id=PartyId("VC-X"), name="改名的村集体", admin_code=village(TOWN_A))
        with pytest.raises(ScopeViolation) as refused:
            uow.parties.put(renamed)  # the new area is inside; the stored one is not
        assert refused.value.actual == village(OTHER_COUNTY_TOWN).value
        uow.commit()
    with store.uow() as uow:
        assert uow.parties.get(PartyId("VC-X")).name == "外县村集体"


def test_versions_and_event_ids_refuse_assets_outside_the_scope(sql_engine):
    _seed_sql(sql_engine)
    with SqlUnitOfWork(sql_engine, scope=VILLAGE_A) as uow:
        assert uow.assets.versions([AssetId("A1"), AssetId("NONE")]) == {"A1": 1}
        assert list(uow.assets.event_ids([AssetId("A1")])) == ["A1"]
        with pytest.raises(ScopeViolation):
            uow.assets.versions([AssetId("B1")])
        with pytest.raises(ScopeViolation):
            uow.assets.event_ids([AssetId("B1")])


def _seed_sql(engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.assets.append("A1", [registered("A1", town=TOWN_A)], expected_version=0)
        uow.assets.append("B1", [registered("B1", town=TOWN_B)], expected_version=0)
        uow.assets.append("Y1", [registered("Y1", town=OTHER_COUNTY_TOWN)], expected_version=0)
        uow.commit()


def test_bulk_load_on_a_scoped_connection_refuses_outside_rows(sql_engine):
    outside = AssetRegister(histories={AssetId("B2"): AssetHistory.of([registered("B2", town=TOWN_B)])})
    inside = AssetRegister(histories={AssetId("A2"): AssetHistory.of([registered("A2", town=TOWN_A)])})
    with SqlUnitOfWork(sql_engine, scope=VILLAGE_A) as uow:
        with pytest.raises(ScopeViolation):
            bulk_load(uow.connection, outside)
        with pytest.raises(ScopeViolation):
            bulk_load(uow.connection, [], [collective(201, town=TOWN_B)])
        assert bulk_load(uow.connection, inside).assets == 1
        uow.commit()
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.ids() == ["A2"]


def _entry(entry_id: str, asset_id: str) -> RevenueEntry:
    return RevenueEntry(
        id=entry_id,
        asset_id=AssetId(asset_id),
        kind=RevenueKind.ELECTRICITY_BENCHMARK,
        period=Period(date(2023, 1, 1), date(2024, 1, 1)),
        amount=Money(1_234_500),
        received=date(2024, 1, 15),
    )


def test_store_revenue_on_a_scoped_connection_refuses_outside_assets(sql_engine):
    _seed_sql(sql_engine)
    with SqlUnitOfWork(sql_engine, scope=VILLAGE_A) as uow:
        with pytest.raises(ScopeViolation):
            store_revenue(uow.connection, [_entry("R-1", "A1"), _entry("R-2", "B1")])
        assert store_revenue(uow.connection, [_entry("R-3", "A1")]) == 1
        uow.commit()
    with SqlUnitOfWork(sql_engine) as uow:
        assert [e.id for e in uow.revenue.list()] == ["R-3"]


def test_chain_verification_stays_inside_the_scope(sql_engine):
    _seed_sql(sql_engine)
    assert [r.county for r in verify_chains(sql_engine)] == ["620422", "620423"]
    assert [r.county for r in verify_chains(sql_engine, scope="620422")] == ["620422"]
    with SqlUnitOfWork(sql_engine, scope="620423") as uow:
        assert [r.county for r in verify_chains(uow.connection)] == ["620423"]
        with pytest.raises(ScopeViolation):
            verify_chains(uow.connection, county="620422")
    with SqlUnitOfWork(sql_engine, scope=VILLAGE_A) as uow, pytest.raises(ScopeViolation):
        verify_chains(uow.connection)  # a chain holds a whole county: a village cannot read it


def test_a_county_office_reads_its_townships_and_a_clerk_writes_only_its_village(store):
    """Separate read and write scopes: read the county, write one village."""
    _seed(store)
    with store.uow("620422", write_scope=VILLAGE_A) as uow:
        assert uow.assets.ids() == ["A1", "B1"]  # reads the whole county
        assert uow.parties.get(PartyId("VC-201")).name == collective(201).name
        with pytest.raises(ScopeViolation):
            uow.assets.append("B1", [idle("B1")], expected_version=1)  # B1 lies in another town
        with pytest.raises(ScopeViolation):
            uow.parties.put(collective(202, town=TOWN_B))
        uow.assets.append("A1", [idle("A1")], expected_version=1)  # inside the village
        uow.commit()
    with store.uow() as uow:
        assert [uow.assets.get(a).version for a in ("A1", "B1")] == [2, 1]


@pytest.mark.parametrize(("scope", "write_scope"), [("620422100", "620423"), ("620422", ""), ("620422", "%")])
def test_a_write_scope_outside_the_read_scope_is_refused(store, scope, write_scope):
    with pytest.raises(ScopeViolation):
        store.uow(scope, write_scope=write_scope)
