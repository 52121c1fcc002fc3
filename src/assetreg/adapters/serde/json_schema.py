"""JSON Schemas of the payloads (JSON Schema 报文结构), generated from the serde schemas.

A county service publishes these for its clients (an OpenAPI document, a form builder, a
validator in another language). They are generated from the same marshmallow schemas
that load and dump the payloads, field by field, so they cannot drift apart:

==============================  ==================================================
serde field                     JSON Schema
==============================  ==================================================
``MoneyField``                  text, yuan with at most two places: ``"8516500.00"``
``FractionField``               text ``"1/3"``, ``"1"`` or ``"0.25"``
``DecimalField``                decimal text ``"300.50"``
``DateField``                   ``"YYYY-MM-DD"`` (``format: date``)
``UtcDateTimeField``            ISO 8601 with an offset (``format: date-time``)
``AdminCodeField``              2, 4, 6, 9 or 12 ASCII digits
``CreditCodeField``             18 characters of the GB 32100 alphabet
``ResidentIdField``             17 digits and a digit or ``X``
``EnumField``                   one of the stable values (``enum``), Chinese labels
                                in ``x-labels-zh``
``Int`` / ``Bool`` / ``Text``   ``integer`` / ``boolean`` / ``string``
``ListOf`` / ``SetOf``          ``array`` (``uniqueItems`` for a set)
``NestedOf``                    ``$ref`` to the nested schema in ``$defs``
``Tagged``                      ``oneOf`` the kinds, each with a ``"kind"`` constant
==============================  ==================================================

Objects refuse unknown keys (``additionalProperties: false``), required keys are listed,
and a key that may be ``null`` says so. The schemas state the *shape*; the loader checks
more (check characters of codes, calendar dates, shares adding up to 1, the domain's
invariants) and reports it as :class:`~assetreg.errors.PayloadError`. Schemas follow
JSON Schema draft 2020-12; patterns use only syntax common to ECMA 262 and Python.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

import attrs
from marshmallow import Schema, fields

from assetreg.adapters.serde.audit import EvidenceField
from assetreg.adapters.serde.fields import (
    AdminCodeField,
    Bool,
    CreditCodeField,
    DateField,
    DecimalField,
    EnumField,
    FractionField,
    Int,
    ListOf,
    MoneyField,
    NestedOf,
    NonEmptyText,
    ResidentIdField,
    SetOf,
    Tagged,
    Text,
    UtcDateTimeField,
)
from assetreg.adapters.serde.policy import PolicyField, money_attributes
from assetreg.adapters.serde.registry import SCHEMA_PREFIX, payload_type, payload_types
from assetreg.domain.policy import Policy
from assetreg.errors import InvalidValue

__all__ = ["DIALECT", "json_schema", "json_schemas"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of every generated schema."""

_ID_PREFIX: Final = "https://assetreg.invalid/schemas/"
"""Base of each schema's ``$id`` (``.invalid``: an identifier, not a place to fetch from)."""

_TEXT_FORMS: Final[dict[type, dict[str, Any]]] = {
    MoneyField: {
        "type": "string",
        "pattern": r"^-?[0-9]{1,64}(\.[0-9]{1,2})?$",
        "description": "yuan (元) as text with at most two places; exact to the fen",
        "examples": ["8516500.00"],
    },
    FractionField: {
        "type": "string",
        "pattern": r"^-?[0-9]+(/[0-9]+|\.[0-9]+)?$",
        "description": 'an exact fraction as text: "1/3", "1" or "0.25"',
        "examples": ["1/3"],
    },
    DecimalField: {
        "type": "string",
        "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
        "description": "an exact decimal as text",
        "examples": ["300.50"],
    },
    DateField: {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    UtcDateTimeField: {
        "type": "string",
        "format": "date-time",
        "pattern": (
            r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        ),
        "description": "an instant with its UTC offset (stored in UTC to the microsecond)",
        "examples": ["2024-01-05T03:04:05.000001Z"],
    },
    AdminCodeField: {
        "type": "string",
        "pattern": r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$",
        "description": "统计用区划代码: 12 digits (2, 4, 6 or 9 for a higher level, padded on load)",
        "examples": ["620422100201"],
    },
    CreditCodeField: {
        "type": "string",
        "pattern": r"^[0-9A-HJ-NPQRTUWXY]{18}$",
        "description": "统一社会信用代码 (GB 32100-2015); the check character is verified on load",
    },
    ResidentIdField: {
        "type": "string",
        "pattern": r"^[0-9]{17}[0-9X]$",
        "description": "公民身份号码 (GB 11643-1999), personal data; masked ids cannot be loaded",
    },
}


_FORMS: Final[dict[type, dict[str, Any]]] = {
    **_TEXT_FORMS,
    Bool: {"type": "boolean"},
    Int: {"type": "integer"},
    NonEmptyText: {"type": "string", "minLength": 1, "pattern": r"\S"},  # before Text, its base
    Text: {"type": "string"},
    EvidenceField: {"type": "object", "description": "the check's evidence: plain values by name"},
}
"""Fields with one fixed form, most specific class first."""


class _Builder:
    """Turns marshmallow schemas into JSON Schema, collecting nested ones in ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def field(self, field: fields.Field[Any]) -> dict[str, Any]:
        out = self._shape(field)
        if field.allow_none:
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def _shape(self, field: fields.Field[Any]) -> dict[str, Any]:
        for cls, form in _FORMS.items():
            if isinstance(field, cls):
                return dict(form)
        if isinstance(field, EnumField):
            return self._enum(field.enum)
        if isinstance(field, ListOf):
            out: dict[str, Any] = {"type": "array", "items": self.field(field.inner)}
            if isinstance(field, SetOf):
                out["uniqueItems"] = True
            return out
        if isinstance(field, NestedOf):
            return self.ref(type(field.schema))
        if isinstance(field, Tagged):
            return {"oneOf": [self.ref(cls, kind=kind) for kind, cls in sorted(field._choices().items())]}  # noqa: SLF001
        if isinstance(field, PolicyField):
            return self._policy()
        raise TypeError(f"no JSON Schema form for the serde field {type(field).__name__}")

    @staticmethod
    def _policy() -> dict[str, Any]:
        names = [a.name for a in attrs.fields(Policy)]
        money = _TEXT_FORMS[MoneyField]
        return {
            "type": "object",
            "title": "Policy parameters (政策参数), the keys of Policy.to_mapping",
            "description": "money as yuan text, rates as fraction text; the policy's own checks run on load",
            "propertyNames": {"enum": names},
            "properties": {
                name: {"anyOf": [dict(money), {"type": "null"}]} for name in names if name in money_attributes()
            },
        }

    @staticmethod
    def _enum(enum_type: type[enum.Enum]) -> dict[str, Any]:
        values = [m.value for m in enum_type]
        out: dict[str, Any] = {"type": "string", "enum": values}
        labels = getattr(enum_type, "labels_zh", None)
        if callable(labels):
            table = labels()
            out["x-labels-zh"] = {m.value: table[m] for m in enum_type if m in table}
        return out

    def ref(self, cls: type[Schema], *, kind: str | None = None) -> dict[str, Any]:
        key = cls.__name__.removesuffix("Schema") if kind is None else kind  # kinds are lowercase, classes not
        if key not in self.defs:
            self.defs[key] = {}  # a placeholder first: recursive schemas (corrections) refer to themselves
            self.defs[key] = self.object(cls(), kind=kind)
        return {"$ref": f"#/$defs/{key}"}

    def object(self, schema: Schema, *, kind: str | None = None) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        if kind is not None:
            properties["kind"] = {"const": kind}
            required.append("kind")
        for name, field in schema.fields.items():
            if field.dump_only:
                continue
            key = field.data_key or name
            properties[key] = self.field(field)
            if field.required:
                required.append(key)
        out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        doc = (type(schema).__doc__ or "").strip().splitlines()
        if doc:
            out["title"] = doc[0].replace("``", "")
        if required:
            out["required"] = required
        return out


def json_schema(name: str, *, envelope: bool = False) -> dict[str, Any]:
    """The JSON Schema of payload type ``name`` (``"asset"``, ``"event"``, ``"revenue_entry"``…).

    Args:
        name: a registered payload type (``"asset"`` or ``"assetreg/asset"``); see
            :func:`~assetreg.adapters.serde.payload_types`.
        envelope: describe the versioned envelope ``{"schema", "version", "data"}``
            (what :func:`~assetreg.adapters.serde.to_payload` writes) instead of the bare
            ``data`` (what :func:`~assetreg.adapters.serde.load_data` reads, e.g. a request body).

    Returns:
        A JSON-ready JSON Schema (draft 2020-12) with nested schemas under ``$defs``.

    Raises:
        InvalidValue: ``name`` is not a registered payload type.
    """
    entry = payload_type(name)
    if entry is None:
        known = ", ".join(payload_types())
        raise InvalidValue(
            f"unknown payload type {name!r}; known: {known}",
            f"未知报文类型 {name!r}；可选：{known}",
            field="name",
            actual=name,
            expected=known,
        )
    builder = _Builder()
    data = builder.field(entry.make_field())
    root: dict[str, Any] = {"$schema": DIALECT, "$id": f"{_ID_PREFIX}{entry.name}{'-payload' if envelope else ''}.json"}
    if envelope:
        root.update(
            {
                "type": "object",
                "properties": {
                    "schema": {"const": SCHEMA_PREFIX + entry.name},
                    "version": {"const": entry.version},
                    "data": data,
                },
                "required": ["schema", "version", "data"],
                "additionalProperties": False,
            }
        )
    else:
        root.update(data)
    root["title"] = f"{entry.schema_id} version {entry.version}" + (" (envelope)" if envelope else "")
    if entry.description:
        root["description"] = entry.description
    if builder.defs:
        root["$defs"] = dict(sorted(builder.defs.items()))
    return root


def json_schemas(*, envelope: bool = False) -> Mapping[str, dict[str, Any]]:
    """:func:`json_schema` of every registered payload type, by name (sorted)."""
    return {name: json_schema(name, envelope=envelope) for name in payload_types()}
