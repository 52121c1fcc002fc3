"""The payload codec: exact, documented JSON for events and parties."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from builders import (
    collective,
    correction_of,
    full_history,
    household,
    idle,
    leased,
    owned,
    registered,
)

from assetreg.adapters.sql.codec import (
    decode_value,
    encode_value,
    event_from_dict,
    event_from_payload,
    event_payload,
    event_to_dict,
    party_from_payload,
    party_payload,
)
from assetreg.domain.codes import ResidentId
from assetreg.domain.events import StatusChanged
from assetreg.domain.vocab import AssetStatus, HouseholdStatus, MonitorType
from assetreg.errors import PayloadError
from assetreg.income import DistributionPlan, presets


def test_ownership_payload_is_exact_text():
    event = owned("A1")
    assert event_payload(event) == {
        "holders": [{"holder": "VC-201", "share": "2/3"}, {"holder": "VC-202", "share": "1/3"}],
        "document": "会政发〔2020〕12号",
    }


def test_contract_payload_keeps_fen_fractions_and_dates():
    payload = event_payload(leased("A1"))
    assert payload == {
        "contract": {
            "id": "C-A1",
            "asset_id": "A1",
            "operator": "ENT-1",
            "mode": "lease",
            "term": {"start": "2020-01-01", "end": "2030-01-01"},
            "terms": {
                "rent_frequency": "yearly",
                "guaranteed_return": {
                    "rate": "3/50",
                    "base": 851650000,
                    "frequency": "quarterly",
                    "benchmark_tied": False,
                },
                "advance": 1000000,
                "purchase_guarantees": [],
            },
        }
    }
    # a contract stored before guaranteed purchases existed (issue 17) has no such key
    del payload["contract"]["terms"]["purchase_guarantees"]
    event = leased("A1")
    assert event_from_payload("contract_signed", payload, **_columns(event)) == event


def test_registration_payload_holds_the_asset():
    payload = event_payload(registered("A1", fen=100))
    asset = payload["asset"]
    assert asset["original_value"] == 100
    assert asset["funding"] == [
        {"source": "special_poverty_fund", "amount": 99},
        {"source": "social_donation", "amount": 1, "note": "东西部协作捐赠"},
    ]
    assert asset["capacity_kw"] == "300.50"
    assert asset["location"] == "620422100201"
    assert payload["status"] == "in_use"


def test_full_dict_of_a_correction_nests_the_replacement():
    first = idle("A1")
    correction = correction_of(first)
    data = event_to_dict(correction)
    assert data["kind"] == "corrected"
    assert data["supersedes"] == first.event_id
    assert data["recorded_at"] == "2024-01-05T02:37:15.123456+00:00"
    assert data["replacement"]["kind"] == "status_changed"
    assert data["replacement"]["status"] == "damaged"
    assert event_from_dict(json.loads(json.dumps(data))) == correction


@pytest.mark.parametrize("index", range(8))
def test_every_event_round_trips_through_json_text(index):
    event = full_history("A1")[index]
    assert event_from_dict(json.loads(json.dumps(event_to_dict(event)))) == event


def test_instants_come_back_in_utc_with_microseconds():
    beijing = timezone(timedelta(hours=8))
    event = StatusChanged(
        asset_id="A1",
        effective=date(2024, 1, 1),
        recorded_at=datetime(2024, 1, 1, 8, 0, 0, 1, tzinfo=beijing),
        status=AssetStatus.IDLE,
    )
    back = event_from_dict(event_to_dict(event))
    assert back.recorded_at == datetime(2024, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    assert back == event


def test_parties_round_trip_with_personal_data():
    hh = household(1)
    monitored = type(hh)(
        id=hh.id,
        name=hh.name,
        admin_code=hh.admin_code,
        size=3,
        status=HouseholdStatus.MONITORED,
        monitor_type=MonitorType.MARGINAL,
        head_resident_id=ResidentId("11010519491231002X"),
    )
    for party in (collective(), hh, monitored):
        payload = json.loads(json.dumps(party_payload(party)))
        back = party_from_payload(
            party.kind.value,
            payload,
            party_id=party.id,
            name=party.name,
            admin_code=party.admin_code.value,
        )
        assert back == party
    assert party_payload(monitored)["head_resident_id"] == "11010519491231002X"


def _columns(event):
    return {
        "event_id": event.event_id,
        "asset_id": event.asset_id,
        "effective": event.effective,
        "recorded_at": event.recorded_at,
    }


def test_unknown_kind_is_a_payload_error():
    event = idle("A1")
    with pytest.raises(PayloadError) as info:
        event_from_payload("status_zapped", {"status": "idle"}, **_columns(event))
    assert info.value.record == event.event_id


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"status": "idle", "colour": "red"}, "unknown field"),
        ({"status": "sleeping"}, "unknown value"),
        ({"status": 3}, "expected"),
        ({}, "status"),
    ],
)
def test_malformed_payloads_are_refused(payload, reason):
    event = idle("A1")
    with pytest.raises(PayloadError, match=reason):
        event_from_payload("status_changed", payload, **_columns(event))


def test_shares_must_be_written_as_fractions():
    event = owned("A1")
    payload = event_payload(event)
    payload["holders"][0]["share"] = "0.5"
    with pytest.raises(PayloadError, match="p/q"):
        event_from_payload("ownership_confirmed", payload, **_columns(event))


def test_money_must_be_integer_fen():
    event = registered("A1", fen=100)
    payload = event_payload(event)
    payload["asset"]["original_value"] = 1.0
    with pytest.raises(PayloadError):
        event_from_payload("asset_registered", payload, **_columns(event))


# -- plans as data (income books, revision 0004) ------------------------------------------
def _presets():

    return [
        presets.pv_collective_45_households_55("LT-VC-001"),
        presets.pv_posts_60_of_net("VC"),
        presets.pv_posts_80_collective_20("VC"),
        presets.pv_posts_80_of_gross("VC"),
        presets.cooperative_55_30_15("HH-FUND", "VC", "COOP"),
        presets.per_household_tiers(remainder_to="VC"),
        presets.monthly_posts("VC"),
    ]


def test_every_preset_plan_round_trips_through_json_exactly():
    for plan in _presets():
        data = json.loads(json.dumps(encode_value(DistributionPlan, plan)))
        assert decode_value(DistributionPlan, data) == plan


def test_a_plan_tier_amount_is_tagged_by_its_class_and_a_bad_tag_is_refused():
    data = encode_value(DistributionPlan, _presets()[0])
    assert data["tiers"][0]["amount"] == {"type": "Percent", "rate": "9/20", "of": "net"}
    assert data["tiers"][0]["recipients"]["kinds"] == ["collective", "household", "party", "post_holder", "reserve"]
    data["tiers"][0]["amount"]["type"] = "Bonus"
    with pytest.raises(PayloadError) as info:
        decode_value(DistributionPlan, data, record="PLAN-1", field="plan")
    assert (info.value.record, info.value.field) == ("PLAN-1", "plan")
