"""The memory adapter: units of work, optimistic concurrency, retries, scopes."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.adapters.memory import MemoryStore
from assetreg.domain.assets import AssetId
from assetreg.domain.events import EventId, Revalued
from assetreg.domain.money import Money
from assetreg.errors import ConcurrencyError, DuplicateRecord, ScopeViolation, UnknownAsset, UnknownParty
from assetreg.ports import AssetRepository, PartyRepository
from domain.builders import (
    BEIWAN,
    HUISHI,
    VC_BEIWAN,
    VC_HUISHI,
    VILLAGE_BEIWAN,
    at,
    pv_asset,
    registered,
    villages,
)

HN = AssetId("HN-PV-001")
JY = AssetId("JY-PV-001")


def _rev(asset_id: AssetId, value: int, eid: str, month: int = 1) -> Revalued:
    return Revalued(
        asset_id=asset_id,
        effective=date(2020, month, 1),
        recorded_at=at(2020, month, 2),
        event_id=EventId(eid),
        book_value=Money(value),
    )


def _store() -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        uow.assets.append(HN, [registered(pv_asset())], expected_version=0)
        uow.assets.append(JY, [registered(pv_asset("JY-PV-001", location=VILLAGE_BEIWAN))], expected_version=0)
        for party in villages():
            uow.parties.put(party)
        uow.commit()
    return store


class TestUnitOfWork:
    def test_protocols(self) -> None:
        uow = MemoryStore().unit_of_work()
        assert isinstance(uow.assets, AssetRepository)
        assert isinstance(uow.parties, PartyRepository)

    def test_commit_makes_changes_visible(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            assert uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1) == 2
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.assets.get(HN).version == 2
            assert uow.assets.ids() == [HN, JY]
            assert uow.assets.ids("620421") == [JY]

    def test_leaving_without_commit_rolls_back(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
            assert uow.assets.get(HN).version == 2
        with store.unit_of_work() as uow:
            assert uow.assets.get(HN).version == 1

    def test_explicit_rollback(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
            uow.rollback()
            assert uow.assets.get(HN).version == 1
            uow.commit()
        assert store.histories[HN].version == 1

    def test_error_inside_the_block_rolls_back(self) -> None:
        store = _store()

        def fail_midway() -> None:
            with store.unit_of_work() as uow:
                uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_midway()
        assert store.histories[HN].version == 1

    def test_unknown(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            with pytest.raises(UnknownAsset):
                uow.assets.get(AssetId("NOPE"))
            with pytest.raises(UnknownAsset):
                uow.assets.append(AssetId("NOPE"), [_rev(AssetId("NOPE"), 1, "x")], expected_version=0)
            with pytest.raises(UnknownParty):
                uow.parties.get("NOPE")  # type: ignore[arg-type]


class TestConcurrency:
    def test_stale_expected_version(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
            with pytest.raises(ConcurrencyError) as info:
                uow.assets.append(HN, [_rev(HN, 2, "r2", 2)], expected_version=1)
            assert info.value.code == "AR-501"
            assert info.value.expected == 1
            assert info.value.actual == 2

    def test_two_writers_on_the_same_asset(self) -> None:
        store = _store()
        first, second = store.unit_of_work(), store.unit_of_work()
        first.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
        second.assets.append(HN, [_rev(HN, 2, "r2")], expected_version=1)
        first.commit()
        with pytest.raises(ConcurrencyError):
            second.commit()
        assert [e.event_id for e in store.histories[HN].events] == ["reg-HN-PV-001", "r1"]

    def test_writers_on_different_assets_both_land(self) -> None:
        store = _store()
        first, second = store.unit_of_work(), store.unit_of_work()
        first.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
        second.assets.append(JY, [_rev(JY, 2, "r2")], expected_version=1)
        first.commit()
        second.commit()
        assert store.histories[HN].version == 2
        assert store.histories[JY].version == 2

    def test_a_reader_does_not_undo_another_writers_party(self) -> None:
        store = _store()
        reader, writer = store.unit_of_work(), store.unit_of_work()
        renamed = type(villages()[0])(id=VC_HUISHI, name="改名后的村集体", admin_code=villages()[0].admin_code)
        writer.parties.put(renamed)
        writer.commit()
        reader.commit()
        assert store.parties[VC_HUISHI].name == "改名后的村集体"

    def test_idempotent_retry_by_event_id(self) -> None:
        store = _store()
        events = [_rev(HN, 1, "r1"), _rev(HN, 2, "r2", 2)]
        with store.unit_of_work() as uow:
            assert uow.assets.append(HN, events, expected_version=1) == 3
            assert uow.assets.append(HN, events, expected_version=1) == 3
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.assets.append(HN, events, expected_version=1) == 3
            with pytest.raises(DuplicateRecord):  # no position to compare without a version
                uow.assets.append(HN, events, expected_version=None)
            assert uow.assets.get(HN).version == 3
            with pytest.raises(DuplicateRecord):
                uow.assets.append(HN, [events[1]], expected_version=3)

    def test_retry_with_changed_content_is_not_a_retry(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            uow.assets.append(HN, [_rev(HN, 1, "r1")], expected_version=1)
            with pytest.raises((ConcurrencyError, DuplicateRecord)):
                uow.assets.append(HN, [_rev(HN, 999, "r1")], expected_version=1)

    def test_save_register_round_trip_and_stale_snapshot(self) -> None:
        store = _store()
        with store.unit_of_work() as uow:
            register = uow.load_register()
        assert len(register) == 2
        assert len(register.parties) == 4
        changed = register.record(_rev(HN, 5, "r5"))
        with store.unit_of_work() as other:
            other.assets.append(HN, [_rev(HN, 6, "r6")], expected_version=1)
            other.commit()
        with store.unit_of_work() as uow, pytest.raises(ConcurrencyError):
            uow.save_register(changed)
        fresh_store = _store()
        with fresh_store.unit_of_work() as uow:
            uow.save_register(changed)
            uow.commit()
        assert [e.event_id for e in fresh_store.histories[HN].events] == ["reg-HN-PV-001", "r5"]


class TestScope:
    def test_reads_and_writes_outside_the_scope(self) -> None:
        store = _store()
        with store.unit_of_work(scope=HUISHI) as uow:
            assert uow.scope == HUISHI
            assert uow.assets.ids() == [HN]
            assert uow.assets.get(HN).version == 1
            with pytest.raises(UnknownAsset) as info:  # as if it were not stored
                uow.assets.get(JY)
            assert (info.value.code, info.value.actual) == ("AR-202", None)
            assert VILLAGE_BEIWAN.value not in str(info.value)
            with pytest.raises(UnknownAsset):
                uow.assets.append(JY, [_rev(JY, 1, "r1")], expected_version=1)
            with pytest.raises(UnknownAsset):
                uow.assets.append(JY, [_rev(JY, 1, "r1")], expected_version=None)
            with pytest.raises(ScopeViolation):
                uow.assets.append(
                    AssetId("JY-2"), [registered(pv_asset("JY-2", location=VILLAGE_BEIWAN))], expected_version=0
                )
            with pytest.raises(UnknownParty):
                uow.parties.get(VC_BEIWAN)
            with pytest.raises(ScopeViolation):
                uow.parties.put(villages()[3])
            assert [p.id for p in uow.parties.all()] == [VC_HUISHI]
            register = uow.load_register()
            assert list(register) == [HN]
        with store.unit_of_work(scope=BEIWAN) as uow:
            assert uow.assets.ids() == [JY]
