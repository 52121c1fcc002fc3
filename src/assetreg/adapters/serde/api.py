"""Versioned JSON payloads (版本化报文): dump and load any registered assetreg value.

Every payload is an envelope::

    {"schema": "assetreg/asset", "version": 1, "data": {...}}

Loading checks the envelope first (known schema, the version this assetreg reads, no
stray keys), then validates ``data`` completely and reports **every** problem at once
as a :class:`~assetreg.errors.PayloadError` whose ``details["errors"]`` maps dotted
paths to messages::

    {"data.asset.original_value": ["number 0.1 refused for an amount: ... / 金额不接受数字 ..."],
     "data.holders.0.share": ["not a fraction: ... / 不是有效分数 ..."]}

Paths are keys and list indexes from the payload's root; ``"$"`` is the root itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from marshmallow import ValidationError

from assetreg.adapters.serde.base import SCHEMA_ERROR_KEY
from assetreg.adapters.serde.fields import JsonNumber, bilingual, json_loads, personal_data
from assetreg.adapters.serde.registry import (
    SCHEMA_PREFIX,
    PayloadType,
    payload_type,
    payload_type_of,
    payload_types,
)
from assetreg.domain.register import AssetRegister
from assetreg.errors import InvalidValue, PayloadError

__all__ = [
    "ROOT",
    "dump_data",
    "dump_register",
    "dumps",
    "flatten_errors",
    "from_payload",
    "load_data",
    "load_register",
    "loads",
    "to_payload",
]

ROOT: Final = "$"
"""The path naming the payload as a whole."""

_ENVELOPE_KEYS: Final = ("schema", "version", "data")
_SHOWN_PATHS: Final = 5


def _join(prefix: str, key: object) -> str:
    if key == SCHEMA_ERROR_KEY:
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow's nested error messages into ``{dotted.path: [messages]}``.

    ``{"data": {"holders": {0: {"share": ["…"]}}}}`` becomes
    ``{"data.holders.0.share": ["…"]}``; an error about a whole object (marshmallow's
    ``_schema``) is given the object's own path.
    """
    out: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            path = _join(prefix, key)
            for sub, texts in flatten_errors(value, path).items():
                out.setdefault(sub, []).extend(texts)
        return out
    if isinstance(messages, list | tuple):
        texts = [str(m) for m in messages if not isinstance(m, Mapping)]
        if texts:
            out[prefix or ROOT] = texts
        for m in messages:
            if isinstance(m, Mapping):
                for sub, more in flatten_errors(m, prefix).items():
                    out.setdefault(sub, []).extend(more)
        return out
    out[prefix or ROOT] = [str(messages)]
    return out


def _refuse(errors: Mapping[str, list[str]], schema_id: str | None) -> PayloadError:
    paths = sorted(errors)
    shown = ", ".join(paths[:_SHOWN_PATHS]) + (", …" if len(paths) > _SHOWN_PATHS else "")
    what = schema_id or "payload"
    return PayloadError(
        f"{what} refused: {len(paths)} invalid field(s): {shown}",
        f"报文 {what} 不合规：{len(paths)} 个字段有误：{shown}",
        record=schema_id,
        field=paths[0] if paths else None,
        details={"errors": {p: list(errors[p]) for p in paths}},
    )


def _entry_for(obj: object) -> PayloadType:
    entry = payload_type_of(obj)
    if entry is None:
        known = ", ".join(payload_types())
        raise TypeError(f"no payload type for {type(obj).__name__}; registered: {known}")
    return entry


def to_payload(obj: object, *, reveal_personal_data: bool = False) -> dict[str, Any]:
    """Return the versioned payload of ``obj``: ``{"schema", "version", "data"}``.

    Money is yuan text with two places, fractions ``"1/3"``, instants UTC ISO 8601 with
    microseconds, dates ``"YYYY-MM-DD"``; only JSON strings, integers, booleans, lists,
    objects and ``null`` appear.

    Args:
        obj: any registered value (asset, party, event, register, policy…).
        reveal_personal_data: write resident ids in full instead of masked
            (``620422********1234``); needed to load them back (DESIGN §4).

    Raises:
        TypeError: ``obj``'s type has no registered payload type.
    """
    entry = _entry_for(obj)
    with personal_data(reveal=reveal_personal_data):
        body = entry.envelope().dump({"data": obj})
    return {"schema": entry.schema_id, "version": entry.version, "data": body["data"]}


_MISSING: Final = bilingual("missing data for a required field", "缺少必填字段")


def _check_schema(schema: object, type_name: str | None) -> tuple[PayloadType | None, str | None]:
    """Return the registration named by ``schema`` or the reason it is refused."""
    wanted = payload_type(type_name) if type_name is not None else None
    if type_name is not None and wanted is None:
        known = ", ".join(payload_types())
        raise InvalidValue(
            f"unknown payload type {type_name!r}; known: {known}",
            f"未知报文类型名 {type_name!r}；可选：{known}",
            field="type_name",
            actual=type_name,
            expected=known,
        )
    if schema is None:
        return None, _MISSING
    entry = payload_type(schema) if isinstance(schema, str) else None
    if entry is None or not str(schema).startswith(SCHEMA_PREFIX):
        known = ", ".join(SCHEMA_PREFIX + n for n in payload_types())
        return None, bilingual(f"unknown schema {schema!r}; known: {known}", f"未知报文类型 {schema!r}")
    if wanted is not None and entry.name != wanted.name:
        return None, bilingual(
            f"expected {wanted.schema_id}, got {entry.schema_id}",
            f"应为 {wanted.schema_id}，实为 {entry.schema_id}",
        )
    return entry, None


def _check_version(version: object, entry: PayloadType | None) -> str | None:
    """Return why ``version`` is refused for ``entry``, or ``None``."""
    if version is None:
        return _MISSING
    if isinstance(version, bool) or not isinstance(version, int):
        return bilingual(f"version {version} is not an integer", f"版本号 {version} 不是整数")
    if entry is not None and version != entry.version:
        return bilingual(
            f"unsupported version {version} of {entry.schema_id}; this assetreg reads version {entry.version}",
            f"不支持 {entry.schema_id} 的版本 {version}，本程序读取版本 {entry.version}",
        )
    return None


def _check_envelope(payload: object, type_name: str | None) -> tuple[PayloadType | None, dict[str, list[str]]]:
    if not isinstance(payload, Mapping):
        return None, {ROOT: [bilingual("a payload is a JSON object", "报文应为 JSON 对象")]}
    errors = {str(key): [bilingual("unknown field", "未知字段")] for key in payload if key not in _ENVELOPE_KEYS}
    entry, schema_problem = _check_schema(payload.get("schema"), type_name)
    if schema_problem is not None:
        errors["schema"] = [schema_problem]
    version_problem = _check_version(payload.get("version"), entry)
    if version_problem is not None:
        errors["version"] = [version_problem]
    if "data" not in payload:
        errors["data"] = [_MISSING]
    return entry, errors


def from_payload(payload: Mapping[str, Any], type_name: str | None = None) -> Any:
    """Load a value from its versioned payload (the inverse of :func:`to_payload`).

    Args:
        payload: ``{"schema": "assetreg/<name>", "version": n, "data": …}``.
        type_name: when given (``"asset"`` or ``"assetreg/asset"``), the payload must be
            of that type.

    Returns:
        The value (``Asset``, ``AssetRegister``, an event…).

    Raises:
        PayloadError: the envelope is wrong (unknown schema, another type than
            ``type_name``, an unsupported version, stray keys) or ``data`` is invalid;
            ``details["errors"]`` lists every path with its messages.
        InvalidValue: ``type_name`` is not a registered payload type (a ``ValueError``).
    """
    entry, errors = _check_envelope(payload, type_name)
    schema_id = entry.schema_id if entry is not None else None
    if errors or entry is None:
        raise _refuse(errors, schema_id)
    try:
        loaded = entry.envelope().load({"data": payload["data"]})
    except ValidationError as exc:
        raise _refuse(flatten_errors(exc.messages), schema_id) from None
    return loaded["data"]


def dumps(obj: object, *, indent: int | None = None, reveal_personal_data: bool = False) -> str:
    """Return the JSON text of ``obj``'s versioned payload (UTF-8 text, Chinese kept as is).

    Raises:
        TypeError: ``obj``'s type has no registered payload type.
    """
    payload = to_payload(obj, reveal_personal_data=reveal_personal_data)
    return json.dumps(payload, ensure_ascii=False, indent=indent)


def loads(text: str | bytes, type_name: str | None = None) -> Any:
    """Load a value from JSON text (see :func:`from_payload`).

    JSON numbers with a fraction or an exponent are never read as ``float``: the field
    meeting one refuses it by name (``data.asset.original_value``).

    Raises:
        PayloadError: the text is not JSON, or the payload is refused.
        InvalidValue: ``type_name`` is not a registered payload type (a ``ValueError``).
    """
    try:
        payload = json_loads(text)
    except RecursionError:
        raise _refuse({ROOT: [bilingual("not JSON: nested too deep", "不是有效 JSON：嵌套层数过多")]}, None) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an int beyond 4,300 digits
        raise _refuse({ROOT: [bilingual(f"not JSON: {exc}", f"不是有效 JSON：{exc}")]}, None) from None
    if isinstance(payload, JsonNumber):
        raise _refuse({ROOT: [bilingual("a payload is a JSON object", "报文应为 JSON 对象")]}, None)
    return from_payload(payload, type_name)


def dump_register(register: AssetRegister, *, reveal_personal_data: bool = False) -> dict[str, Any]:
    """Return the payload of a whole register: parties and every history's events.

    ``data`` is ``{"parties": [...sorted by id], "histories": [{"asset_id", "events"}...]}``,
    events in recorded order, each tagged with its ``kind``.

    Raises:
        TypeError: ``register`` is not an ``AssetRegister``.
    """
    if not isinstance(register, AssetRegister):
        raise TypeError(f"dump_register takes an AssetRegister, got {type(register).__name__}")
    return to_payload(register, reveal_personal_data=reveal_personal_data)


def load_register(payload: Mapping[str, Any] | str | bytes) -> AssetRegister:
    """Load a register from its payload (mapping or JSON text); every history is re-checked.

    Raises:
        PayloadError: the payload is not an ``assetreg/register`` payload, a field is
            invalid, a party or asset is listed twice, or a history is not legal.
    """
    text = isinstance(payload, str | bytes)
    register = loads(payload, "register") if text else from_payload(payload, "register")  # type: ignore[arg-type]
    if not isinstance(register, AssetRegister):  # pragma: no cover - guaranteed by the registry
        raise TypeError("the register payload did not load a register")
    return register


def _entry_named(type_name: str) -> PayloadType:
    entry = payload_type(type_name)
    if entry is None:
        known = ", ".join(payload_types())
        raise InvalidValue(
            f"unknown payload type {type_name!r}; known: {known}",
            f"未知报文类型名 {type_name!r}；可选：{known}",
            field="type_name",
            actual=type_name,
            expected=known,
        )
    return entry


def load_data(type_name: str, data: Any) -> Any:
    """Load a value of ``type_name`` from its bare ``data`` (no envelope): a request body.

    The same checks as :func:`from_payload` (every field, all problems at once, floats
    refused, unknown keys refused), for a service whose endpoint fixes the type
    (``POST /assets`` takes an ``"asset"``). :func:`~assetreg.adapters.serde.json_schema.json_schema`
    describes what it accepts.

    Args:
        type_name: a registered payload type (``"asset"``, ``"event"``, ``"revenue_entry"``…).
        data: the decoded JSON (decode text with :func:`json_loads`, which never makes floats).

    Returns:
        The value.

    Raises:
        PayloadError: ``data`` is refused; ``details["errors"]`` maps each path (from
            ``data``'s root, ``"$"`` for the whole) to its messages.
        InvalidValue: ``type_name`` is not a registered payload type.
    """
    entry = _entry_named(type_name)
    try:
        loaded = entry.envelope().load({"data": data})
    except ValidationError as exc:
        errors = flatten_errors(exc.messages)
        bare = {(ROOT if path == "data" else path.removeprefix("data.")): texts for path, texts in errors.items()}
        raise _refuse(bare, entry.schema_id) from None
    return loaded["data"]


def dump_data(obj: object, *, reveal_personal_data: bool = False) -> Any:
    """Return the bare ``data`` of ``obj``'s payload (no envelope): a response body.

    Raises:
        TypeError: ``obj``'s type has no registered payload type.
    """
    return to_payload(obj, reveal_personal_data=reveal_personal_data)["data"]
