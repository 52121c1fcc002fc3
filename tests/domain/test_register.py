"""The register snapshot: indexed lookups and owner rules (DESIGN §6, P4)."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.adapters.memory import MemoryStore
from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    ContractSigned,
    Corrected,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
    StatusChanged,
)
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister, owner_rule_problem
from assetreg.domain.rights import ContractId, OperatingContract, OwnerShare
from assetreg.domain.vocab import AssetClass, AssetKind, AssetStatus, CustodyMethod, OperationMode
from assetreg.errors import DuplicateRecord, HistoryError, UnknownAsset, UnknownParty
from domain.builders import (
    HH_A,
    TOWNSHIP_HUISHI,
    VC_BEIWAN,
    VC_GUOCHENGYI,
    VC_HUISHI,
    VILLAGE_BEIWAN,
    VILLAGE_GUOCHENGYI,
    at,
    household,
    pv_asset,
    registered,
    simple_asset,
    township,
    villages,
)

D = date


def _own(asset_id: str, effective: date, *holders: tuple[str, str], eid: str) -> OwnershipConfirmed:
    return OwnershipConfirmed(
        asset_id=AssetId(asset_id),
        effective=effective,
        recorded_at=at(effective.year, effective.month, effective.day, 3),
        event_id=EventId(eid),
        holders=tuple(OwnerShare(PartyId(h), s) for h, s in holders),
    )


def build() -> AssetRegister:
    pv = pv_asset("HN-PV-001")
    road = simple_asset("HN-RD-001", AssetClass.PUBLIC_WELFARE, AssetKind.ROAD, location=VILLAGE_GUOCHENGYI)
    sheep = simple_asset("HN-HH-001", AssetClass.HOUSEHOLD, AssetKind.LIVESTOCK)
    jy = simple_asset("JY-PV-001", AssetClass.OPERATING, AssetKind.PV_STATION, location=VILLAGE_BEIWAN)
    events = [
        registered(pv),
        _own("HN-PV-001", D(2019, 1, 1), (VC_HUISHI, "1"), eid="o1"),
        CustodianAssigned(
            asset_id=pv.id,
            effective=D(2019, 1, 1),
            recorded_at=at(2019, 1, 1, 3),
            event_id=EventId("c1"),
            custodian=TOWNSHIP_HUISHI,
            method=CustodyMethod.DEPARTMENT,
        ),
        ContractSigned(
            asset_id=pv.id,
            effective=D(2020, 1, 1),
            recorded_at=at(2020, 1, 2),
            event_id=EventId("k1"),
            contract=OperatingContract(
                id=ContractId("K-1"),
                asset_id=pv.id,
                operator=PartyId("ENT-1"),
                mode=OperationMode.TRUSTEESHIP,
                term=Period(D(2020, 1, 1), D(2025, 1, 1)),
            ),
        ),
        registered(road, effective=D(2019, 5, 1)),
        _own("HN-RD-001", D(2019, 5, 1), (VC_GUOCHENGYI, "1"), eid="o2"),
        StatusChanged(
            asset_id=road.id,
            effective=D(2021, 3, 1),
            recorded_at=at(2021, 3, 2),
            status=AssetStatus.DAMAGED,
            event_id=EventId("s1"),
        ),
        registered(sheep, effective=D(2020, 4, 1)),
        _own("HN-HH-001", D(2020, 4, 1), (HH_A, "1"), eid="o3"),
        registered(jy, effective=D(2021, 1, 1), status=AssetStatus.IDLE),
        _own("JY-PV-001", D(2021, 1, 1), (VC_BEIWAN, "1"), eid="o4"),
    ]
    return AssetRegister.of([*villages(), township(), household()], events)


class TestLookups:
    def test_by_asset(self) -> None:
        register = build()
        assert len(register) == 4
        assert list(register) == ["HN-HH-001", "HN-PV-001", "HN-RD-001", "JY-PV-001"]
        assert "HN-PV-001" in register
        assert "NOPE" not in register
        assert register.history("HN-PV-001").version == 4
        assert register.state("HN-PV-001", as_of=D(2021, 1, 1)).operators == ("ENT-1",)
        with pytest.raises(UnknownAsset) as info:
            register.history("NOPE")
        assert info.value.record == "NOPE"

    def test_by_party(self) -> None:
        register = build()
        assert register.party(VC_HUISHI).name == "会师镇某村股份经济合作社"
        with pytest.raises(UnknownParty):
            register.party("NOPE")
        assert register.of_party(VC_HUISHI, as_of=D(2021, 1, 1)) == ("HN-PV-001",)
        assert register.of_party(TOWNSHIP_HUISHI, as_of=D(2021, 1, 1)) == ("HN-PV-001",)
        assert register.of_party("ENT-1", as_of=D(2021, 1, 1)) == ("HN-PV-001",)
        assert register.of_party("ENT-1", as_of=D(2019, 12, 31)) == ()
        assert register.of_party(HH_A, as_of=D(2021, 1, 1)) == ("HN-HH-001",)
        assert register.of_party(HH_A, as_of=D(2020, 3, 31)) == ()
        assert register.of_party(VC_BEIWAN, as_of=D(2021, 1, 1), known_at=at(2020, 12, 31)) == ()
        assert register.of_party("NOBODY", as_of=D(2021, 1, 1)) == ()
        assert [h.id for h in register.households()] == [HH_A]

    def test_by_area(self) -> None:
        register = build()
        assert register.in_area("6204") == ("JY-PV-001", "HN-HH-001", "HN-PV-001", "HN-RD-001")
        assert set(register.in_area("620422")) == {"HN-HH-001", "HN-PV-001", "HN-RD-001"}
        assert register.in_area(AdminCode("620422100")) == ("HN-HH-001", "HN-PV-001")
        assert register.in_area("620422101") == ("HN-RD-001",)
        assert register.in_area(AdminCode("620421")) == ("JY-PV-001",)
        assert register.in_area("620423") == ()
        assert register.in_area("63") == ()

    def test_by_class(self) -> None:
        register = build()
        assert register.of_class(AssetClass.OPERATING) == ("HN-PV-001", "JY-PV-001")
        assert register.of_class(AssetClass.PUBLIC_WELFARE) == ("HN-RD-001",)
        assert register.of_class(AssetClass.HOUSEHOLD) == ("HN-HH-001",)

    def test_by_status(self) -> None:
        register = build()
        assert register.with_status(AssetStatus.DAMAGED, as_of=D(2021, 3, 1)) == ("HN-RD-001",)
        assert register.with_status(AssetStatus.DAMAGED, as_of=D(2021, 2, 28)) == ()
        assert register.with_status(AssetStatus.IN_USE, as_of=D(2021, 3, 1)) == ("HN-HH-001", "HN-PV-001")
        assert register.with_status(AssetStatus.IDLE, as_of=D(2021, 3, 1)) == ("JY-PV-001",)
        assert register.with_status(AssetStatus.IN_USE, as_of=D(2019, 1, 1)) == ("HN-PV-001",)

    def test_states(self) -> None:
        register = build()
        assert [s.asset_id for s in register.states(as_of=D(2019, 6, 1))] == ["HN-PV-001", "HN-RD-001"]
        assert [s.asset_id for s in register.states(as_of=D(2022, 1, 1), asset_ids=[AssetId("HN-RD-001")])] == [
            "HN-RD-001"
        ]
        with pytest.raises(UnknownAsset):
            list(register.states(as_of=D(2022, 1, 1), asset_ids=[AssetId("NOPE")]))


class TestChanges:
    def test_record_returns_a_new_register(self) -> None:
        register = build()
        later = register.record(
            StatusChanged(
                asset_id=AssetId("HN-RD-001"),
                effective=D(2021, 6, 1),
                recorded_at=at(2021, 6, 2),
                status=AssetStatus.IN_USE,
            )
        )
        assert register.history("HN-RD-001").version == 3
        assert later.history("HN-RD-001").version == 4
        assert later.with_status(AssetStatus.DAMAGED, as_of=D(2021, 7, 1)) == ()
        assert register.with_status(AssetStatus.DAMAGED, as_of=D(2021, 7, 1)) == ("HN-RD-001",)

    def test_record_new_asset_and_unknown_asset(self) -> None:
        register = build()
        new = simple_asset("HN-WS-001", AssetClass.PUBLIC_WELFARE, AssetKind.WATER_SUPPLY)
        assert "HN-WS-001" in register.record(registered(new))
        with pytest.raises(UnknownAsset):
            register.record(
                StatusChanged(
                    asset_id=AssetId("HN-XX-001"),
                    effective=D(2021, 6, 1),
                    recorded_at=at(2021, 6, 2),
                    status=AssetStatus.IDLE,
                )
            )
        with pytest.raises(HistoryError):
            register.record(
                StatusChanged(
                    asset_id=AssetId("HN-RD-001"),
                    effective=D(2021, 6, 1),
                    recorded_at=at(2021, 6, 2),
                    status=AssetStatus.UNDER_CONSTRUCTION,
                )
            )

    def test_parties(self) -> None:
        register = build()
        with pytest.raises(DuplicateRecord):
            register.add_party(township())
        renamed = register.add_party(
            type(township())(id=TOWNSHIP_HUISHI, name="会师镇政府", admin_code=AdminCode("620422100")), replace=True
        )
        assert renamed.party(TOWNSHIP_HUISHI).name == "会师镇政府"
        assert register.party(TOWNSHIP_HUISHI).name == "会师镇人民政府"
        with pytest.raises(DuplicateRecord):
            AssetRegister.of([township(), township()])
        with pytest.raises(TypeError):
            register.parties[PartyId("X")] = township()  # type: ignore[index]

    def test_empty(self) -> None:
        empty = AssetRegister.empty()
        assert len(empty) == 0
        assert empty.in_area("62") == ()
        assert empty.of_class(AssetClass.OPERATING) == ()


class TestOwnerRules:
    def test_rules(self) -> None:
        register = build()
        as_of = D(2021, 6, 1)
        assert owner_rule_problem(register.state("HN-PV-001", as_of=as_of), register, NATIONAL_2021) is None
        assert owner_rule_problem(register.state("HN-HH-001", as_of=as_of), register, NATIONAL_2021) is None
        wrong = register.record(_own("HN-HH-001", D(2021, 5, 1), (VC_HUISHI, "1"), eid="o9"))
        assert (
            owner_rule_problem(wrong.state("HN-HH-001", as_of=as_of), wrong, NATIONAL_2021)
            == "household_asset_not_household_owned"
        )
        road_to_household = register.record(_own("HN-RD-001", D(2021, 5, 1), (HH_A, "1"), eid="o8"))
        assert (
            owner_rule_problem(road_to_household.state("HN-RD-001", as_of=as_of), road_to_household, NATIONAL_2021)
            == "collective_asset_owned_by_household"
        )
        unconfirmed = AssetRegister.of([], [registered(pv_asset("X-1"))])
        assert owner_rule_problem(unconfirmed.state("X-1", as_of=as_of), unconfirmed, NATIONAL_2021) is None


def test_a_withdrawn_registration_leaves_the_indexes() -> None:
    register = build()
    duplicate = simple_asset("HN-PV-DUP", AssetClass.OPERATING, AssetKind.PV_STATION)
    with_dup = register.record(registered(duplicate, effective=D(2020, 1, 1)))
    assert "HN-PV-DUP" in with_dup.of_class(AssetClass.OPERATING)
    withdrawn = with_dup.record(
        Corrected(
            asset_id=duplicate.id,
            effective=D(2020, 1, 1),
            recorded_at=at(2021, 1, 1),
            supersedes=EventId("reg-HN-PV-DUP"),
            reason="重复登记",
        )
    )
    assert "HN-PV-DUP" not in withdrawn.of_class(AssetClass.OPERATING)
    assert "HN-PV-DUP" not in withdrawn.in_area("620422")
    assert [s.asset_id for s in withdrawn.states(as_of=D(2022, 1, 1))] == [
        "HN-HH-001",
        "HN-PV-001",
        "HN-RD-001",
        "JY-PV-001",
    ]
    store = MemoryStore()
    with store.unit_of_work(check_references=False) as uow:  # the sample's operator ENT-1 is not a party
        uow.save_register(withdrawn)
        uow.commit()
    with store.unit_of_work(scope="620422") as uow:
        assert "HN-PV-DUP" in uow.assets.ids()
        assert uow.assets.get(AssetId("HN-PV-DUP")).version == 2
