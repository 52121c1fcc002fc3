"""JSON Schemas generated from the serde schemas, checked against real payloads.

The payloads are the bundled sample's (src/assetreg/samples/README.md gives its sources):
the register read back from the demo database, its parties, histories, events and
assets, the demo's allocations and audit findings, the income ledger's revenue entries,
and the policy presets; plus hypothesis registers. Each is dumped by the serde layer and
validated against the generated schema with the ``jsonschema`` library; the refusals the
loader makes for shape (floats for money, extra places, unknown keys, missing keys,
unknown kinds) are refusals of the schema too.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker
from serde_strategies import registers

from assetreg.adapters.serde import (
    DIALECT,
    dump_data,
    from_payload,
    json_schema,
    json_schemas,
    load_data,
    payload_types,
    to_payload,
)
from assetreg.demo import run_demo
from assetreg.domain.policy import PRESETS
from assetreg.errors import InvalidValue, PayloadError


def validator(name: str, *, envelope: bool = False) -> Draft202012Validator:
    return Draft202012Validator(json_schema(name, envelope=envelope), format_checker=FormatChecker())


def problems(name: str, data: Any) -> list[str]:
    return sorted(e.message for e in validator(name).iter_errors(data))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite")


def sample_values(demo) -> list[object]:
    register = demo.register
    values: list[object] = [register, *register.parties.values()]
    for asset_id in register:
        history = register.history(asset_id)
        values.extend([history, *history.events, history.asset()])
    for notice in demo.notices:
        for allocation in notice.allocations:
            values.extend([allocation, *allocation.lines])
    values.extend(demo.findings)
    values.extend(demo.income.entries)
    values.extend(PRESETS.values())
    return values


def test_every_payload_type_has_a_valid_schema() -> None:
    schemas = json_schemas()
    assert list(schemas) == list(payload_types())
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == DIALECT
        assert schema["title"] == f"assetreg/{name} version 1"
        json.dumps(schema)  # JSON-ready
    envelope = json_schema("asset", envelope=True)
    Draft202012Validator.check_schema(envelope)
    assert envelope["properties"]["schema"] == {"const": "assetreg/asset"}
    assert envelope["properties"]["version"] == {"const": 1}


def test_the_sample_payloads_validate(demo) -> None:
    values = sample_values(demo)
    seen = set()
    for value in values:
        payload = to_payload(value)
        name = payload["schema"].removeprefix("assetreg/")
        seen.add(name)
        errors = problems(name, payload["data"])
        assert errors == [], (name, errors[:3])
        assert list(validator(name, envelope=True).iter_errors(payload)) == []
    assert seen >= {
        "allocation",
        "allocation_line",
        "asset",
        "event",
        "finding",
        "history",
        "party",
        "policy",
        "register",
        "revenue_entry",
    }
    assert len(values) > 100


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_generated_registers_validate(register) -> None:
    assert problems("register", dump_data(register, reveal_personal_data=True)) == []


def test_shape_refusals_of_the_loader_are_refusals_of_the_schema(demo) -> None:
    entry = demo.income.entries[0]
    good = dump_data(entry)
    assert load_data("revenue_entry", good) == entry
    for change, where in (
        ({"amount": 12.3}, "amount"),  # a float for money
        ({"amount": "12.345"}, "amount"),  # a third place
        ({"amount": 1200}, "amount"),  # a JSON number at all
        ({"kind": "lottery"}, "kind"),  # outside the vocabulary
        ({"received": "2024/12/31"}, "received"),
        ({"surprise": 1}, "surprise"),  # unknown key
    ):
        bad = {**good, **change}
        assert problems("revenue_entry", bad) != [], change
        with pytest.raises(PayloadError) as info:
            load_data("revenue_entry", bad)
        assert where in info.value.details["errors"], (change, info.value.details)
    missing = {k: v for k, v in good.items() if k != "asset_id"}
    assert problems("revenue_entry", missing) == ["'asset_id' is a required property"]
    with pytest.raises(PayloadError) as info:
        load_data("revenue_entry", missing)
    assert list(info.value.details["errors"]) == ["asset_id"]


def test_events_are_discriminated_by_kind(demo) -> None:
    history = demo.register.history(next(iter(demo.register)))
    event = dump_data(history.events[0])
    assert problems("event", event) == []
    wrong = copy.deepcopy(event)
    wrong["kind"] = "teleported"
    assert problems("event", wrong) != []
    with pytest.raises(PayloadError):
        load_data("event", wrong)
    assert load_data("event", event) == history.events[0]


def test_load_data_reports_paths_from_the_bare_data() -> None:
    with pytest.raises(PayloadError) as info:
        load_data("period", {"start": "2024-01-01", "end": 3})
    assert (info.value.code, info.value.record) == ("AR-600", "assetreg/period")
    assert list(info.value.details["errors"]) == ["end"]
    with pytest.raises(PayloadError) as whole:
        load_data("period", [])
    assert list(whole.value.details["errors"]) == ["$"]
    with pytest.raises(InvalidValue) as unknown:
        load_data("no_such_type", {})
    assert unknown.value.field == "type_name"
    with pytest.raises(InvalidValue):
        json_schema("no_such_type")


def test_a_schema_states_units_and_labels() -> None:
    schema = json_schema("revenue_entry")
    body = schema["$defs"]["RevenueEntry"]
    assert body["properties"]["amount"]["pattern"] == r"^-?[0-9]{1,64}(\.[0-9]{1,2})?$"
    assert body["properties"]["kind"]["x-labels-zh"]["rent"] == "租金"
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {"id", "asset_id", "kind", "amount", "period", "received"}
    assert body["properties"]["contract_id"] == {
        "anyOf": [{"type": "string", "minLength": 1, "pattern": r"\S"}, {"type": "null"}]
    }
    assert schema["$ref"] == "#/$defs/RevenueEntry"


def test_policy_payloads_validate_and_name_only_policy_keys() -> None:
    for policy in PRESETS.values():
        payload = to_payload(policy)
        assert problems("policy", payload["data"]) == []
        assert from_payload(payload) == policy
    bad = {**to_payload(next(iter(PRESETS.values())))["data"], "no_such_parameter": 1}
    assert problems("policy", bad) != []


def test_the_schema_command_prints_the_same_schema() -> None:
    from typer.testing import CliRunner

    from assetreg.cli import app

    result = CliRunner().invoke(app, ["schema", "revenue_entry", "--envelope"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json_schema("revenue_entry", envelope=True)
    listing = CliRunner().invoke(app, ["schema", "--lang", "en"])
    assert listing.exit_code == 0
    assert "revenue_entry" in listing.stdout
    unknown = CliRunner().invoke(app, ["schema", "no_such_type", "--lang", "en"])
    assert unknown.exit_code == 2
    assert "AR-100 unknown payload type 'no_such_type'" in unknown.output
