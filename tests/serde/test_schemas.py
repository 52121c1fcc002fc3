"""The schemas cover every attribute of every domain type, and the registry covers the types."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pytest

from assetreg.adapters.serde import payload_type_of, payload_types, register_payload_type
from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.domain import EVENT_SCHEMAS, PARTY_SCHEMAS
from assetreg.domain import assets, events, history, parties, periods, register, rights
from assetreg.domain.events import EVENT_TYPES
from assetreg.domain.vocab import PartyKind

if TYPE_CHECKING:
    from marshmallow import Schema


def model_schemas() -> list[type[ModelSchema]]:
    seen: list[type[ModelSchema]] = []
    todo: list[type[Schema]] = [ModelSchema]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if "model" in sub.__dict__ and sub.__module__.startswith("assetreg."):
                seen.append(sub)
    return seen


@pytest.mark.parametrize("schema", model_schemas(), ids=lambda s: s.__name__)
def test_schema_fields_are_exactly_the_model_attributes(schema: type[ModelSchema]) -> None:
    names = {a.name for a in attrs.fields(schema.model)}
    assert set(schema().fields) == names


def test_required_keys_follow_the_model_defaults() -> None:
    fields = EVENT_SCHEMAS["custodian_assigned"]().fields
    assert fields["custodian"].required
    assert fields["event_id"].required  # has a random default, but a payload must carry it
    assert not fields["valid_to"].required
    assert fields["valid_to"].allow_none
    asset_fields = EVENT_SCHEMAS["asset_registered"]().fields["asset"].schema.fields
    assert not asset_fields["form"].required
    assert not asset_fields["form"].allow_none  # defaulted, never null


def test_every_event_and_party_kind_has_a_schema() -> None:
    assert set(EVENT_SCHEMAS) == set(EVENT_TYPES)
    for kind, cls in EVENT_TYPES.items():
        assert EVENT_SCHEMAS[kind].model is cls  # type: ignore[attr-defined]
    assert set(PARTY_SCHEMAS) == {k.value for k in PartyKind}


def test_every_public_domain_class_has_a_payload_type() -> None:
    modules = (assets, events, history, parties, periods, register, rights)
    missing = []
    for module in modules:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj) and payload_type_of_class(obj) is None:
                missing.append(f"{module.__name__}.{name}")
    assert missing == []


def payload_type_of_class(cls: type) -> object:
    for entry in payload_types().values():
        if cls in entry.types or any(issubclass(cls, t) for t in entry.types):
            return entry
    # the event base class is abstract: its subclasses are registered
    if cls is events.AssetEvent:
        return payload_type_of
    return None


def test_registering_a_taken_name_or_class_is_refused() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register_payload_type("asset", object, ModelSchema)
    with pytest.raises(ValueError, match="registered already"):
        register_payload_type("asset_again", assets.Asset, ModelSchema)
    with pytest.raises(ValueError, match="exactly one"):
        register_payload_type("both", object, ModelSchema, field=lambda: None)  # type: ignore[arg-type,return-value]
