"""Exact shares (DESIGN §4) and parties (DESIGN §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.domain.codes import AdminCode, ResidentId
from assetreg.domain.events import OwnershipConfirmed
from assetreg.domain.history import AssetHistory
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Enterprise,
    Household,
    PartyId,
    VillageCollective,
    party_kind,
)
from assetreg.domain.rights import OwnerShare, Ownership
from assetreg.domain.shares import ONE, check_shares_sum_to_one, parse_share
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType, PartyKind
from assetreg.errors import InvalidShares, InvalidValue
from domain.builders import (
    HUINING,
    VC_GUOCHENGYI,
    VC_HEPAN,
    VC_HUISHI,
    VILLAGE_GUOCHENGYI,
    VILLAGE_HEPAN,
    VILLAGE_HUISHI,
    at,
    pv_asset,
    registered,
)


class TestShares:
    def test_thirds_add_up_exactly(self) -> None:
        check_shares_sum_to_one([Fraction(1, 3)] * 3)
        check_shares_sum_to_one([parse_share("1/3"), parse_share("1/3"), parse_share("1/3")])
        assert sum([Fraction(1, 3)] * 3) == ONE

    def test_rounded_thirds_are_refused(self) -> None:
        with pytest.raises(InvalidShares) as info:
            check_shares_sum_to_one([Fraction(3333, 10000)] * 3, record="HN-PV-001")
        assert info.value.code == "AR-103"
        assert info.value.actual == "9999/10000"
        assert info.value.record == "HN-PV-001"
        assert info.value.field == "shares"

    def test_empty_and_float(self) -> None:
        with pytest.raises(InvalidShares):
            check_shares_sum_to_one([])
        with pytest.raises(TypeError):
            check_shares_sum_to_one([0.5, 0.5])  # type: ignore[list-item]

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("1/3", Fraction(1, 3)),
            ("0.25", Fraction(1, 4)),
            ("25%", Fraction(1, 4)),
            ("12.5％", Fraction(1, 8)),
            (Decimal("0.5"), Fraction(1, 2)),
            (1, Fraction(1)),
            (Fraction(1, 6), Fraction(1, 6)),
        ],
    )
    def test_parse(self, value: object, expected: Fraction) -> None:
        assert parse_share(value) == expected  # type: ignore[arg-type]

    @pytest.mark.parametrize("value", ["0", "3/2", "-1/3", "abc", "1/0", "101%", 0])
    def test_parse_refuses(self, value: object) -> None:
        with pytest.raises(InvalidShares):
            parse_share(value, field="holders")  # type: ignore[arg-type]

    def test_parse_refuses_float_and_bool(self) -> None:
        with pytest.raises(TypeError):
            parse_share(0.5)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            parse_share(True)  # type: ignore[arg-type]


class TestJointVillageStation:
    """A 联村 PV station owned 1/2, 1/3, 1/6 by three villages of 会宁县 (P4: pro rata)."""

    def test_three_villages_own_it_pro_rata(self) -> None:
        asset = pv_asset("HN-PV-LC-01", location=AdminCode(HUINING))
        confirmed = OwnershipConfirmed(
            asset_id=asset.id,
            effective=date(2019, 6, 1),
            recorded_at=at(2019, 6, 3),
            holders=(
                OwnerShare(VC_HUISHI, "1/2"),
                OwnerShare(VC_GUOCHENGYI, Fraction(1, 3)),
                OwnerShare(VC_HEPAN, "1/6"),
            ),
            document="会宁县联村光伏电站确权决定",
        )
        history = AssetHistory.of([registered(asset), confirmed])
        state = history.state(as_of=date(2020, 1, 1))
        assert state.owners == (VC_HUISHI, VC_GUOCHENGYI, VC_HEPAN)
        assert state.ownership is not None
        assert state.ownership.share_of(VC_HUISHI) == Fraction(1, 2)
        assert state.ownership.share_of(VC_GUOCHENGYI) == Fraction(1, 3)
        assert state.ownership.share_of(VC_HEPAN) == Fraction(1, 6)
        assert state.ownership.share_of(PartyId("VC-NONE")) == 0
        assert sum(h.share for h in state.ownership.holders) == 1
        assert state.ownership.valid_from == date(2019, 6, 1)
        assert state.ownership.document == "会宁县联村光伏电站确权决定"
        # Each village's code lies in its own township of 会宁县.
        assert {c.township for c in (VILLAGE_HUISHI, VILLAGE_GUOCHENGYI, VILLAGE_HEPAN)} == {
            "620422100",
            "620422101",
            "620422102",
        }
        assert state.ownership.share_of(VC_HUISHI) * asset.original_value.fen == 425_825_000

    def test_rounded_shares_are_refused(self) -> None:
        with pytest.raises(InvalidShares):
            OwnershipConfirmed(
                asset_id="HN-PV-LC-01",
                effective=date(2019, 6, 1),
                recorded_at=at(2019, 6, 3),
                holders=(
                    OwnerShare(VC_HUISHI, "0.5"),
                    OwnerShare(VC_GUOCHENGYI, "0.3333"),
                    OwnerShare(VC_HEPAN, "0.1666"),
                ),
            )
        assert Fraction("0.5") + Fraction("0.3333") + Fraction("0.1666") == Fraction(9999, 10000)
        with pytest.raises(InvalidShares):
            Ownership(
                asset_id="HN-PV-LC-01",
                holders=(OwnerShare(VC_HUISHI, "0.5"), OwnerShare(VC_GUOCHENGYI, "0.33"), OwnerShare(VC_HEPAN, "0.16")),
                valid_from=date(2019, 6, 1),
            )

    def test_holder_listed_twice(self) -> None:
        with pytest.raises(InvalidShares):
            Ownership(
                asset_id="HN-PV-LC-01",
                holders=(OwnerShare(VC_HUISHI, "1/2"), OwnerShare(VC_HUISHI, "1/2")),
                valid_from=date(2019, 6, 1),
            )
        with pytest.raises(InvalidShares):
            OwnershipConfirmed(
                asset_id="HN-PV-LC-01",
                effective=date(2019, 6, 1),
                recorded_at=at(2019, 6, 3),
                holders=(OwnerShare(VC_HUISHI, "1/2"), OwnerShare(VC_HUISHI, "1/2")),
            )


RESIDENT = "11010519491231002X"  # the GB 11643 standard's own example


class TestParties:
    def test_household(self) -> None:
        household = Household(
            id=PartyId("HH-1"),
            name="农户A",
            admin_code=VILLAGE_HUISHI,
            size=3,
            status=HouseholdStatus.MONITORED,
            monitor_type=MonitorType.MARGINAL,
            labor_capacity=LaborCapacity.WEAK,
            head_resident_id=ResidentId(RESIDENT),
        )
        assert household.kind is PartyKind.HOUSEHOLD
        assert party_kind(household) is PartyKind.HOUSEHOLD

    def test_household_repr_is_masked(self) -> None:
        household = Household(
            id=PartyId("HH-1"),
            name="张某某",
            admin_code=VILLAGE_HUISHI,
            size=3,
            status=HouseholdStatus.LIFTED,
            head_resident_id=ResidentId(RESIDENT),
        )
        text = repr(household)
        assert RESIDENT not in text
        assert "110105********002X" in text
        assert "张某某" not in text
        assert text == (
            "Household(id='HH-1', admin_code=AdminCode('620422100201'), size=3, status=lifted, "
            "monitor_type=None, labor_capacity=full, head_resident_id='110105********002X')"
        )
        assert RESIDENT not in repr([household])

    @pytest.mark.parametrize("size", [0, -1, True])
    def test_household_size(self, size: int) -> None:
        with pytest.raises(InvalidValue) as info:
            Household(
                id=PartyId("HH-1"), name="农户A", admin_code=VILLAGE_HUISHI, size=size, status=HouseholdStatus.LIFTED
            )
        assert info.value.field == "size"
        assert info.value.record == "HH-1"

    def test_household_size_must_be_int(self) -> None:
        with pytest.raises(InvalidValue):
            Household(
                id=PartyId("HH-1"),
                name="农户A",
                admin_code=VILLAGE_HUISHI,
                size=Decimal(2),  # type: ignore[arg-type]
                status=HouseholdStatus.LIFTED,
            )

    def test_monitor_type_only_for_monitored(self) -> None:
        with pytest.raises(InvalidValue) as info:
            Household(
                id=PartyId("HH-1"),
                name="农户A",
                admin_code=VILLAGE_HUISHI,
                size=2,
                status=HouseholdStatus.LIFTED,
                monitor_type=MonitorType.UNSTABLE,
            )
        assert info.value.field == "monitor_type"

    def test_household_id_required(self) -> None:
        with pytest.raises(InvalidValue) as info:
            Household(id=PartyId(" "), name="农户A", admin_code=VILLAGE_HUISHI, size=2, status=HouseholdStatus.LIFTED)
        assert info.value.field == "id"

    @pytest.mark.parametrize(
        ("cls", "kind"),
        [
            (VillageCollective, PartyKind.VILLAGE_COLLECTIVE),
            (CountyDepartment, PartyKind.COUNTY_DEPARTMENT),
            (Cooperative, PartyKind.COOPERATIVE),
            (Enterprise, PartyKind.ENTERPRISE),
        ],
    )
    def test_organisations(self, cls: type[VillageCollective], kind: PartyKind) -> None:
        party = cls(id=PartyId("P-1"), name="某单位", admin_code=AdminCode(HUINING))
        assert party_kind(party) is kind
        with pytest.raises(InvalidValue) as info:
            cls(id=PartyId("P-1"), name="", admin_code=AdminCode(HUINING))
        assert info.value.field == "name"
