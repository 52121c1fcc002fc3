"""Example payloads: exact JSON for known values, and every kind of refusal."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from assetreg.adapters.serde import (
    dump_register,
    dumps,
    from_payload,
    load_register,
    loads,
    payload_types,
    to_payload,
)
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode, ResidentId
from assetreg.domain.events import AssetRegistered, EventId, OwnershipConfirmed
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId, VillageCollective
from assetreg.domain.policy import GANSU_COUNTY, GUANGXI_2016, NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import GuaranteedReturn, OwnerShare
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    FundingSource,
    HouseholdStatus,
    PaymentFrequency,
)
from assetreg.errors import PayloadError

# 柳家铺村级光伏扶贫发电站 (灵台县西屯镇, Gansu): 137.64万元, 186 kW, 5.2 亩 of land.
# Source: http://pvnews.cn/a/news/reping/11988.html (published 2020-05-09).
# 620822 is 灵台县 (平凉市); the township code is not used here.
PV = Asset(
    id=AssetId("620822-PV-001"),
    name="柳家铺村级光伏扶贫发电站",
    asset_class=AssetClass.OPERATING,
    kind=AssetKind.PV_STATION,
    location=AdminCode("620822"),
    original_value=Money.wan("137.64"),
    funding=(FundingLine(FundingSource.SPECIAL_POVERTY_FUND, Money.wan("137.64")),),
    project=Project(code="LT-2016-PV-01", name="村级光伏扶贫电站", year=2016),
    capacity_kw=Decimal(186),
    quantity=Decimal("5.2"),
    unit="亩",
)

PV_JSON = (
    '{"schema": "assetreg/asset", "version": 1, "data": {'
    '"id": "620822-PV-001", "name": "柳家铺村级光伏扶贫发电站", "asset_class": "operating", '
    '"form": "fixed", "kind": "pv_station", "location": "620822000000", '
    '"original_value": "1376400.00", '
    '"funding": [{"source": "special_poverty_fund", "amount": "1376400.00", "note": null}], '
    '"project": {"code": "LT-2016-PV-01", "name": "村级光伏扶贫电站", "year": 2016, "department": null}, '
    '"quantity": "5.2", "unit": "亩", "capacity_kw": "186", "completed_on": null, '
    '"handed_over_on": null, "supervising_department": null, "note": null}}'
)

SHANGHAI = timezone(timedelta(hours=8))
RECORDED = datetime(2024, 1, 5, 11, 4, 5, 123456, tzinfo=SHANGHAI)


def registered() -> AssetRegistered:
    return AssetRegistered(
        asset_id=PV.id, effective=date(2016, 12, 30), recorded_at=RECORDED, event_id=EventId("e-1"), asset=PV
    )


def refused(payload: Any, type_name: str | None = None) -> dict[str, list[str]]:
    load = loads if isinstance(payload, str) else from_payload
    with pytest.raises(PayloadError) as info:
        load(payload, type_name)
    error = info.value
    assert error.code == "AR-600"
    errors: dict[str, list[str]] = error.details["errors"]
    assert error.field == min(errors)
    return errors


# -- exact JSON -------------------------------------------------------------------------------


def test_pv_station_dumps_to_exact_json() -> None:
    assert dumps(PV) == PV_JSON
    assert loads(PV_JSON, "asset") == PV


def test_event_json_has_kind_first_and_utc_instant_with_microseconds() -> None:
    data = to_payload(registered())["data"]
    assert next(iter(data)) == "kind"
    assert data["kind"] == "asset_registered"
    # 11:04:05.123456 in Beijing is 03:04:05.123456 UTC
    assert data["recorded_at"] == "2024-01-05T03:04:05.123456Z"
    assert data["effective"] == "2016-12-30"
    assert data["asset"]["original_value"] == "1376400.00"


def test_ownership_shares_are_fraction_text() -> None:
    event = OwnershipConfirmed(
        asset_id=PV.id,
        effective=date(2017, 1, 1),
        recorded_at=RECORDED,
        event_id=EventId("e-2"),
        holders=(OwnerShare(PartyId("V1"), Fraction(1, 3)), OwnerShare(PartyId("V2"), Fraction(2, 3))),
    )
    data = to_payload(event)["data"]
    assert data["holders"] == [{"holder": "V1", "share": "1/3"}, {"holder": "V2", "share": "2/3"}]
    assert from_payload(to_payload(event)) == event


def test_guaranteed_return_of_design_example() -> None:
    # DESIGN §9: 6 % a year on 851.65 万元, paid per quarter.
    floor = GuaranteedReturn(rate=Fraction(6, 100), base=Money.wan("851.65"), frequency=PaymentFrequency.QUARTERLY)
    assert to_payload(floor)["data"] == {
        "rate": "3/50",
        "base": "8516500.00",
        "amount": None,
        "frequency": "quarterly",
        "advance_fraction": None,
        "benchmark_tied": False,
    }
    assert from_payload(to_payload(floor)) == floor


def test_optional_keys_may_be_left_out_and_defaults_apply() -> None:
    data = {
        "id": "A1",
        "name": "村道",
        "asset_class": "public_welfare",
        "location": "620422100201",
        "original_value": "12.3",
    }
    asset = from_payload({"schema": "assetreg/asset", "version": 1, "data": data})
    assert asset.original_value == Money(1230)
    assert asset.funding == ()
    assert asset.kind is AssetKind.OTHER
    assert dumps(asset).count('"original_value": "12.30"') == 1


def test_policy_presets_round_trip_with_money_as_yuan_text() -> None:
    for policy in (NATIONAL_2021, GANSU_COUNTY, GUANGXI_2016):
        payload = to_payload(policy)
        assert payload["schema"] == "assetreg/policy"
        # the O&M cap 0.03 元/W/年 and the 500 元 fixed-asset threshold (P9, P13)
        assert payload["data"]["om_cap_per_watt_year"] == "0.03"
        assert payload["data"]["fixed_asset_threshold"] == "500.00"
        assert payload["data"]["guaranteed_return_range"] == ["3/50", "1/10"]
        assert loads(dumps(policy), "policy") == policy


def test_resident_ids_are_masked_unless_revealed() -> None:
    household = Household(
        id=PartyId("H1"),
        name="农户A",
        admin_code=AdminCode("620422100201"),
        size=4,
        status=HouseholdStatus.LIFTED,
        head_resident_id=ResidentId("11010519491231002X"),
    )
    masked = to_payload(household)
    assert masked["data"]["kind"] == "household"
    assert masked["data"]["head_resident_id"] == "110105********002X"
    errors = refused(masked)
    assert list(errors) == ["data.head_resident_id"]
    assert "masked" in errors["data.head_resident_id"][0]
    revealed = to_payload(household, reveal_personal_data=True)
    assert revealed["data"]["head_resident_id"] == "11010519491231002X"
    assert from_payload(revealed) == household


def test_whole_register_payload_shape() -> None:
    village = VillageCollective(id=PartyId("V1"), name="柳家铺村股份经济合作社", admin_code=AdminCode("620822"))
    register = AssetRegister.of([village], [registered()])
    payload = dump_register(register)
    assert payload["schema"] == "assetreg/register"
    assert [p["kind"] for p in payload["data"]["parties"]] == ["village_collective"]
    assert [h["asset_id"] for h in payload["data"]["histories"]] == ["620822-PV-001"]
    assert [e["kind"] for e in payload["data"]["histories"][0]["events"]] == ["asset_registered"]
    assert load_register(payload) == register


# -- refusals -----------------------------------------------------------------------------------


def event_payload() -> dict[str, Any]:
    return copy.deepcopy(to_payload(registered()))


def test_json_float_for_money_is_refused_by_path() -> None:
    payload = event_payload()
    payload["data"]["asset"]["original_value"] = 0.1
    errors = refused(json.dumps(payload))
    assert list(errors) == ["data.asset.original_value"]
    message = errors["data.asset.original_value"][0]
    assert "0.1" in message
    assert "float" in message
    assert "浮点数" in message
    # a Python float handed to from_payload is refused the same way
    assert list(refused(payload)) == ["data.asset.original_value"]


def test_extra_places_are_refused_not_rounded() -> None:
    payload = event_payload()
    payload["data"]["asset"]["original_value"] = "1.234"
    errors = refused(payload)
    assert errors == {
        "data.asset.original_value": [
            (
                "'1.234' has more than two decimal places; amounts are never rounded / "
                "'1.234' 超过两位小数（精确到分），不做舍入"
            )
        ]
    }


@pytest.mark.parametrize("value", [100, "1,000.00", "5万元", "12.", ".5", "1e3", "", True, None])
def test_other_money_forms_are_refused(value: object) -> None:
    payload = event_payload()
    payload["data"]["asset"]["original_value"] = value
    assert list(refused(payload)) == ["data.asset.original_value"]


def test_several_bad_fields_are_reported_at_once_with_their_paths() -> None:
    payload = event_payload()
    data = payload["data"]
    data["recorded_at"] = "2024-01-05T11:04:05"  # naive
    data["effective"] = "2024/01/05"
    data["asset"]["original_value"] = 0.1
    data["asset"]["funding"][0]["amount"] = "1.234"
    data["asset"]["location"] = "123"
    data["asset"]["capacity_kw"] = 186.5
    data["asset"]["kind"] = "spaceship"
    data["asset"]["colour"] = "red"
    del data["event_id"]
    errors = refused(payload)
    assert sorted(errors) == [
        "data.asset.capacity_kw",
        "data.asset.colour",
        "data.asset.funding.0.amount",
        "data.asset.kind",
        "data.asset.location",
        "data.asset.original_value",
        "data.effective",
        "data.event_id",
        "data.recorded_at",
    ]
    assert errors["data.asset.colour"] == ["unknown field / 未知字段"]
    assert errors["data.event_id"] == ["missing data for a required field / 缺少必填字段"]
    assert "time zone" in errors["data.recorded_at"][0]
    for messages in errors.values():
        assert all(" / " in m for m in messages)  # bilingual


def test_share_errors_inside_lists_name_the_index() -> None:
    payload = copy.deepcopy(
        to_payload(
            OwnershipConfirmed(
                asset_id=PV.id,
                effective=date(2017, 1, 1),
                recorded_at=RECORDED,
                event_id=EventId("e-2"),
                holders=(OwnerShare(PartyId("V1"), Fraction(1, 2)), OwnerShare(PartyId("V2"), Fraction(1, 2))),
            )
        )
    )
    payload["data"]["holders"][1]["share"] = 0.5
    payload["data"]["holders"][0]["share"] = "1/0"
    errors = refused(payload)
    assert sorted(errors) == ["data.holders.0.share", "data.holders.1.share"]


def test_shares_not_adding_up_to_one_are_refused_on_holders() -> None:
    payload = copy.deepcopy(
        to_payload(
            OwnershipConfirmed(
                asset_id=PV.id,
                effective=date(2017, 1, 1),
                recorded_at=RECORDED,
                event_id=EventId("e-2"),
                holders=(OwnerShare(PartyId("V1"), Fraction(1, 3)), OwnerShare(PartyId("V2"), Fraction(2, 3))),
            )
        )
    )
    payload["data"]["holders"][1]["share"] = "3333/10000"
    errors = refused(payload)
    assert list(errors) == ["data.holders"]
    assert "not exactly 1" in errors["data.holders"][0]


def test_domain_check_is_placed_on_the_field_it_names() -> None:
    payload = event_payload()
    payload["data"]["asset"]["id"] = "another"
    errors = refused(payload)
    assert list(errors) == ["data.asset.id"]


def test_unknown_kind_is_refused() -> None:
    payload = event_payload()
    payload["data"]["kind"] = "asset_teleported"
    errors = refused(payload)
    assert list(errors) == ["data.kind"]
    assert "asset_teleported" in errors["data.kind"][0]
    assert "asset_registered" in errors["data.kind"][0]
    del payload["data"]["kind"]
    assert list(refused(payload)) == ["data.kind"]


def test_unknown_party_kind_is_refused() -> None:
    village = VillageCollective(id=PartyId("V1"), name="村", admin_code=AdminCode("620822"))
    payload = copy.deepcopy(to_payload(village))
    payload["data"]["kind"] = "guild"
    assert list(refused(payload, "party")) == ["data.kind"]


def test_wrong_envelope_version_is_refused() -> None:
    payload = event_payload()
    payload["version"] = 2
    errors = refused(payload)
    assert errors == {
        "version": [
            (
                "unsupported version 2 of assetreg/event; this assetreg reads version 1 / "
                "不支持 assetreg/event 的版本 2，本程序读取版本 1"
            )
        ]
    }
    payload["version"] = "1"
    assert list(refused(payload)) == ["version"]


def test_envelope_problems_are_reported_together() -> None:
    errors = refused({"schema": "assetreg/spaceship", "extra": 1})
    assert sorted(errors) == ["data", "extra", "schema", "version"]


def test_type_name_mismatch_is_refused() -> None:
    errors = refused(to_payload(PV), "event")
    assert list(errors) == ["schema"]
    assert "assetreg/event" in errors["schema"][0]
    with pytest.raises(ValueError, match="unknown payload type"):
        from_payload(to_payload(PV), "spaceship")


def test_not_json_and_not_an_object_are_refused() -> None:
    assert list(refused("{not json")) == ["$"]
    assert list(refused("[1, 2]")) == ["$"]
    assert list(refused("1.5")) == ["$"]


def test_error_text_is_bilingual_and_lists_paths() -> None:
    payload = event_payload()
    payload["data"]["asset"]["original_value"] = 0.1
    with pytest.raises(PayloadError) as info:
        from_payload(payload)
    text = str(info.value)
    assert text.startswith("AR-600 assetreg/event refused: 1 invalid field(s): data.asset.original_value / ")
    assert "报文 assetreg/event 不合规" in text
    assert info.value.as_dict()["code"] == "AR-600"


def test_personal_data_stays_out_of_error_messages() -> None:
    household = Household(
        id=PartyId("H1"),
        name="农户A",
        admin_code=AdminCode("620422100201"),
        size=4,
        status=HouseholdStatus.LIFTED,
        head_resident_id=ResidentId("11010519491231002X"),
    )
    payload = to_payload(household, reveal_personal_data=True)
    payload["data"]["head_resident_id"] = "110105194912310021"  # wrong check character
    payload["data"]["size"] = 0
    with pytest.raises(PayloadError) as info:
        from_payload(payload)
    assert "19491231" not in str(info.value)
    assert "19491231" not in json.dumps(info.value.details, ensure_ascii=False)
    assert sorted(info.value.details["errors"]) == ["data.head_resident_id"]


def test_bad_policy_values_are_refused_by_key() -> None:
    payload = to_payload(NATIONAL_2021)
    payload["data"]["om_cap_per_watt_year"] = 0.03
    payload["data"]["guaranteed_return_range"] = [0.06, "1/10"]
    errors = refused(payload)
    assert sorted(errors) == ["data.guaranteed_return_range.0", "data.om_cap_per_watt_year"]
    payload = to_payload(NATIONAL_2021)
    payload["data"]["notice_days"] = 0
    assert list(refused(payload)) == ["data.notice_days"]
    payload = to_payload(NATIONAL_2021)
    payload["data"]["colour"] = "red"
    assert list(refused(payload)) == ["data.colour"]


def test_register_with_a_party_twice_or_an_illegal_history_is_refused() -> None:
    village = VillageCollective(id=PartyId("V1"), name="村", admin_code=AdminCode("620822"))
    payload = dump_register(AssetRegister.of([village], [registered()]))
    twice = copy.deepcopy(payload)
    twice["data"]["parties"].append(twice["data"]["parties"][0])
    assert list(refused(twice)) == ["data.parties.1.id"]
    backwards = copy.deepcopy(payload)
    events = backwards["data"]["histories"][0]["events"]
    events.append(
        dict(events[0], kind="status_changed", event_id="e-9", status="idle", recorded_at="2020-01-01T00:00:00.000000Z")
    )
    del events[-1]["asset"]
    errors = refused(backwards)
    assert errors == {
        "data.histories.0.events": [
            (
                "recorded_at goes back in time; the register only learns forward (620822-PV-001) / "
                "登记时点早于上一事件，登记时间只能向前 (620822-PV-001)"
            )
        ]
    }


def test_unregistered_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="no payload type"):
        to_payload(object())
    assert "asset" in payload_types()
