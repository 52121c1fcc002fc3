"""JSON payloads for assetreg values (JSON 报文), built on marshmallow.

Every value is written as a versioned envelope
``{"schema": "assetreg/<type>", "version": 1, "data": {...}}``: money as yuan text with
two places (``"8516500.00"``), shares as fractions (``"1/3"``), instants in UTC with
microseconds, dates ISO. Loading refuses floats, extra decimal places, naive instants,
unknown keys, unknown kinds and other versions, and reports every bad field at once in a
:class:`~assetreg.errors.PayloadError` (``details["errors"]``: path → messages).

Public API::

    text = dumps(asset)                     # JSON text
    asset = loads(text, "asset")            # back, or PayloadError
    payload = to_payload(event)             # a JSON-ready dict
    event = from_payload(payload)
    entry = load_data("revenue_entry", body)  # a bare request body, no envelope
    body = dump_data(entry)                 # a bare response body
    schema = json_schema("revenue_entry")   # its JSON Schema (draft 2020-12)
    payload = dump_register(register)       # parties + every history's events
    register = load_register(payload)

Adding a type (e.g. the income and audit values) takes one module beside
:mod:`~assetreg.adapters.serde.domain`: a :class:`ModelSchema` subclass per attrs class
(``model = RevenueEntry`` and one field per attribute, using the value fields of
:mod:`~assetreg.adapters.serde.fields`), a
:class:`~assetreg.adapters.serde.fields.Tagged` field for a family discriminated by
``"kind"``, then :func:`register_payload_type` at the end of the module and an import
here. The schema tests check that each schema names exactly its model's attributes.
"""

from assetreg.adapters.serde import audit as _audit  # noqa: F401 - registers audit findings
from assetreg.adapters.serde import domain as _domain  # noqa: F401 - registers domain types
from assetreg.adapters.serde import income as _income  # noqa: F401 - registers income types
from assetreg.adapters.serde import policy as _policy  # noqa: F401 - registers the policy
from assetreg.adapters.serde.api import (
    ROOT,
    dump_data,
    dump_register,
    dumps,
    flatten_errors,
    from_payload,
    load_data,
    load_register,
    loads,
    to_payload,
)
from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.fields import json_loads, personal_data
from assetreg.adapters.serde.json_schema import DIALECT, json_schema, json_schemas
from assetreg.adapters.serde.registry import (
    PayloadType,
    payload_type,
    payload_type_of,
    payload_types,
    register_payload_type,
)

__all__ = [
    "DIALECT",
    "ROOT",
    "ModelSchema",
    "PayloadType",
    "dump_data",
    "dump_register",
    "dumps",
    "flatten_errors",
    "from_payload",
    "json_loads",
    "json_schema",
    "json_schemas",
    "load_data",
    "load_register",
    "loads",
    "payload_type",
    "payload_type_of",
    "payload_types",
    "personal_data",
    "register_payload_type",
    "to_payload",
]
