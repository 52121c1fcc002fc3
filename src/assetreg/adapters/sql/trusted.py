"""Trusted decoding of rows the adapter wrote (可信行解码), the lean read path of DESIGN §11.

An event row stamped with :data:`~assetreg.adapters.sql.codec.PAYLOAD_VERSION` was built
by :mod:`assetreg.adapters.sql.rows` from an event the domain had checked, so reading it
back need not check it again: this module decodes such payloads without shape checks and
builds the values without re-running the domain's validators, converters and
``__attrs_post_init__`` checks. The result equals what the checking decoder
(:func:`~assetreg.adapters.sql.codec.event_from_payload`) returns for the same row.

Each record class gets one decoder, generated once from its attrs fields and type hints
(as attrs generates ``__init__``): a straight sequence of ``object.__setattr__`` calls,
one per field, with the field's value decoder bound in. A payload with a key the class
does not have, or any other surprise, falls back to the checking decoder, which names
the problem. Rows the adapter did not stamp never come here.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from assetreg.adapters.sql.codec import (
    _CODES,
    PAYLOAD_VERSION_KEY,
    _BadValueError,
    _decoder,
    _event_exclude,
    _fields,
    _members,
    event_from_dict,
    event_from_payload,
)
from assetreg.domain.events import EVENT_TYPES, AssetEvent, Corrected
from assetreg.domain.money import Money
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["trusted_event_from_payload"]

_MISSING = object()
_NEW = object.__new__
_PUT = object.__setattr__


def _fraction(text: str) -> Fraction:
    numerator, _, denominator = text.partition("/")
    return Fraction(int(numerator), int(denominator))


def _scalar(tp: Any) -> Callable[[Any], Any]:
    """A one-field value class (Money, codes) built from its stored value."""
    name = attrs.fields(tp)[0].name

    def build(value: Any) -> Any:
        out = _NEW(tp)
        _PUT(out, name, value)
        return out

    return build


_VALUE_DECODERS: dict[Any, Callable[[Any], Any] | None] = {}


def _value_decoder(tp: Any) -> Callable[[Any], Any] | None:  # noqa: C901, PLR0912 - one branch per supported type
    """A decoder of stored JSON values of type ``tp``; ``None`` when the JSON value is the value."""
    if tp in _VALUE_DECODERS:
        return _VALUE_DECODERS[tp]
    origin = typing.get_origin(tp)
    out: Callable[[Any], Any] | None
    if origin in {typing.Union, types.UnionType} and len(_members(tp)) > 1:
        out = _decoder(tp)  # a tagged union of records: the checked decoder reads the tag
    elif origin in {typing.Union, types.UnionType}:
        inner = _value_decoder(_members(tp)[0])
        out = None if inner is None else (lambda v: None if v is None else inner(v))
    elif origin is tuple:
        item = _value_decoder(typing.get_args(tp)[0])
        out = tuple if item is None else (lambda v: tuple(map(item, v)))
    elif hasattr(tp, "__supertype__"):
        out = _value_decoder(tp.__supertype__)
    elif tp in {str, int, bool}:
        out = None
    elif tp is datetime:
        out = datetime.fromisoformat
    elif tp is date:
        out = date.fromisoformat
    elif tp is Decimal:
        out = Decimal
    elif tp is Fraction:
        out = _fraction
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        out = tp._value2member_map_.__getitem__
    elif tp is Money or tp in _CODES:
        out = _scalar(tp)
    elif isinstance(tp, type) and issubclass(tp, AssetEvent):
        out = event_from_dict  # a correction's replacement: rare, checked
    elif isinstance(tp, type) and attrs.has(tp):
        out = _record_decoder(tp, (), ())
    else:
        out = _decoder(tp)
    _VALUE_DECODERS[tp] = out
    return out


_RECORDS: dict[tuple[Any, tuple[str, ...], tuple[str, ...]], Callable[..., Any]] = {}


def _record_decoder(cls: Any, exclude: tuple[str, ...], given: tuple[str, ...]) -> Callable[..., Any]:
    """The generated decoder of records of ``cls`` (cached).

    ``decode(data, *given)`` builds an instance from the payload ``data`` and the fields
    ``given`` positionally (an event's typed columns); fields in ``exclude`` and not given
    are left to the caller.
    """
    key = (cls, exclude, given)
    if key not in _RECORDS:
        _RECORDS[key] = _generate(cls, exclude, given)
    return _RECORDS[key]


def _generate(cls: Any, exclude: tuple[str, ...], given: tuple[str, ...]) -> Callable[..., Any]:
    stored = {name: tp for name, _, tp, _ in _fields(cls, exclude)}
    namespace: dict[str, Any] = {
        "cls": cls,
        "new": _NEW,
        "put": _PUT,
        "MISSING": _MISSING,
        "known": frozenset(stored) | {PAYLOAD_VERSION_KEY},
        "Unknown": _BadValueError,
    }
    lines = [f"def decode(data, {', '.join(given)}):" if given else "def decode(data):"]
    lines += ["    if not data.keys() <= known:", "        raise Unknown('a field this codec does not write')"]
    lines += ["    o = new(cls)", "    get = data.get"]
    lines += [f"    put(o, {name!r}, {name})" for name in given]
    for i, field in enumerate(attrs.fields(cls)):
        name = field.name
        if name in given or name not in stored:
            continue
        namespace[f"dec{i}"] = _value_decoder(stored[name])
        value = "v" if namespace[f"dec{i}"] is None else f"(v if v is None else dec{i}(v))"
        if field.default is attrs.NOTHING:
            lines.append(f"    v = data[{name!r}]")
            lines.append(f"    put(o, {name!r}, {value})")
            continue
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"default{i}"] = field.default.factory
            fallback = f"default{i}()"
        else:
            namespace[f"default{i}"] = field.default
            fallback = f"default{i}"
        lines.append(f"    v = get({name!r}, MISSING)")
        lines.append(f"    put(o, {name!r}, {fallback} if v is MISSING else {value})")
    lines.append("    return o")
    # code generation as attrs does for __init__: the source is built from field names only
    exec(compile("\n".join(lines), f"<trusted decoder of {cls.__name__}>", "exec"), namespace)  # noqa: S102
    decode: Callable[..., Any] = namespace["decode"]
    return decode


_COLUMNS = ("event_id", "asset_id", "effective", "recorded_at")
_EVENTS: dict[str, Callable[..., AssetEvent]] = {}


def _event_decoder(kind: str) -> Callable[..., AssetEvent]:
    """``decode(payload, event_id, asset_id, effective, recorded_at, supersedes)`` for ``kind``."""
    cls = EVENT_TYPES[kind]  # KeyError: not a kind this codec writes
    if issubclass(cls, Corrected):
        decode = _record_decoder(cls, _event_exclude(cls), (*_COLUMNS, "supersedes"))
    else:
        columns = _record_decoder(cls, _event_exclude(cls), _COLUMNS)

        def decode(  # noqa: PLR0917 - the row's columns, positionally, on the hot path
            payload: Mapping[str, Any],
            event_id: str,
            asset_id: str,
            effective: date,
            recorded_at: datetime,
            supersedes: str | None,  # noqa: ARG001 - only a correction has one
        ) -> Any:
            return columns(payload, event_id, asset_id, effective, recorded_at)

    _EVENTS[kind] = decode
    return decode


def trusted_event_from_payload(
    kind: str,
    payload: Mapping[str, Any],
    *,
    event_id: str,
    asset_id: str,
    effective: date,
    recorded_at: datetime,
    supersedes: str | None = None,
) -> AssetEvent:
    """Rebuild an event this codec wrote (payload version :data:`~assetreg.adapters.sql.codec.PAYLOAD_VERSION`).

    The event was checked by the domain when it was written, so its payload is decoded
    without shape checks and the value is built without re-running the domain's
    validators. The result equals what
    :func:`~assetreg.adapters.sql.codec.event_from_payload` returns for the same row.
    Only for rows the adapter wrote itself: anything else goes through the checking
    decoder.

    Raises:
        PayloadError: an unknown kind or an unexpected field (the row was not written by
            this codec after all; the checking decoder names the problem).
    """
    try:
        decode = _EVENTS.get(kind) or _event_decoder(kind)
        event: AssetEvent = decode(payload, event_id, asset_id, effective, recorded_at, supersedes)
    except (KeyError, TypeError, ValueError, AttributeError, AssetRegError, _BadValueError):
        # not what this codec writes: let the checking decoder name the problem
        return event_from_payload(
            kind,
            payload,
            event_id=event_id,
            asset_id=asset_id,
            effective=effective,
            recorded_at=recorded_at,
            supersedes=supersedes,
        )
    return event
