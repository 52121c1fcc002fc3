"""A small, exact payload codec (载荷编解码): domain values ↔ JSON-ready dicts.

The SQL adapter keeps an event's hot fields in typed columns and the rest in a JSON
``payload`` built here. The encoding is driven by the attrs fields and type hints of
the domain classes, so every field is kept, and it is exact:

=================================  ===============================================
domain value                       JSON value
=================================  ===============================================
:class:`~assetreg.domain.money.Money`  ``int`` fen
``date``                           ISO text ``"2024-06-30"``
aware ``datetime``                 ISO text in UTC, microseconds kept
``Fraction``                       ``"p/q"`` (always both parts, ``"1/1"``)
``Decimal``                        its exact text (``"5.20"``)
``enum.Enum``                      its stable string value
``AdminCode`` / ``CreditCode`` /   their text
``ResidentId``
attrs value (Asset, contract …)    object of its fields (``None`` omitted where the
                                   default is ``None``)
``tuple``                          array
``frozenset``                      array, sorted by the encoded items
``A | B | …`` of attrs classes     object of the value's fields plus ``"type"``: its
                                   class name (a plan tier's amount)
nested event (a correction's       object with ``kind``, ``event_id``, ``asset_id``,
replacement)                       ``effective``, ``recorded_at`` and its fields
=================================  ===============================================

Decoding checks every key and type and raises :class:`~assetreg.errors.PayloadError`
(naming the record and field) instead of guessing. Pure functions: no I/O.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.events import EVENT_TYPES, AssetEvent, Corrected
from assetreg.domain.money import Money
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Enterprise,
    Household,
    Party,
    Township,
    VillageCollective,
)
from assetreg.errors import AssetRegError, PayloadError

__all__ = [
    "EVENT_COLUMNS",
    "PARTY_COLUMNS",
    "PARTY_TYPES",
    "PAYLOAD_VERSION",
    "PAYLOAD_VERSION_KEY",
    "decode_value",
    "encode_value",
    "event_from_dict",
    "event_from_payload",
    "event_payload",
    "event_to_dict",
    "party_from_payload",
    "party_payload",
    "record_from_payload",
    "record_payload",
]

JSON = Any
Encoder = Callable[[Any], JSON]
Decoder = Callable[[JSON], Any]

EVENT_COLUMNS = ("event_id", "asset_id", "effective", "recorded_at")
"""Event fields kept outside the payload (typed columns); ``supersedes`` too for corrections."""

PARTY_COLUMNS = ("id", "name", "admin_code")
"""Party fields kept outside the payload (typed columns)."""

PARTY_TYPES: dict[str, type[Party]] = {
    cls.kind.value: cls for cls in (VillageCollective, Township, CountyDepartment, Household, Cooperative, Enterprise)
}
"""Party classes by their kind value (``"village_collective"``…)."""


class _BadValueError(Exception):
    """Internal: a payload value of the wrong shape (turned into PayloadError)."""


def _need(value: JSON, kind: type | tuple[type, ...]) -> JSON:
    if isinstance(value, bool) and kind is not bool:
        raise _BadValueError(f"expected {kind}, got bool")
    if not isinstance(value, kind):
        raise _BadValueError(f"expected {kind}, got {type(value).__name__}")
    return value


def _iso_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise _BadValueError("naive datetime")
    return value.isoformat()


def _read_datetime(value: JSON) -> datetime:
    out = datetime.fromisoformat(_need(value, str))
    if out.tzinfo is None:
        raise _BadValueError("naive datetime")
    return out


def _read_date(value: JSON) -> date:
    out = date.fromisoformat(_need(value, str))
    if isinstance(out, datetime):  # pragma: no cover - fromisoformat on date returns a date
        raise _BadValueError("a datetime where a date was expected")
    return out


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _read_fraction(value: JSON) -> Fraction:
    text = _need(value, str)
    if "/" not in text:
        raise _BadValueError("a fraction is written 'p/q'")
    return Fraction(text)


_CODES: tuple[type, ...] = (AdminCode, CreditCode, ResidentId)


def _optional(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else inner(v)


@functools.cache
def _encoder(tp: Any) -> Encoder:  # noqa: C901, PLR0911, PLR0912 - one branch per supported type
    origin = typing.get_origin(tp)
    if origin in {typing.Union, types.UnionType}:
        members = _members(tp)
        inner = _encoder(members[0]) if len(members) == 1 else _tagged_encoder(members)
        return _optional(inner) if type(None) in typing.get_args(tp) else inner
    if origin is tuple:
        item = _encoder(typing.get_args(tp)[0])
        return lambda v: [item(x) for x in v]
    if origin is frozenset:
        member = _encoder(typing.get_args(tp)[0])
        return lambda v: sorted((member(x) for x in v), key=str)
    if hasattr(tp, "__supertype__"):  # typing.NewType
        return _encoder(tp.__supertype__)
    if tp in {str, int, bool}:
        return lambda v: v
    if tp is datetime:
        return _iso_datetime
    if tp is date:
        return lambda v: v.isoformat()
    if tp is Decimal:
        return str
    if tp is Fraction:
        return _fraction_text
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda v: v.value
    if tp is Money:
        return lambda v: v.fen
    if tp in _CODES:
        return lambda v: v.value
    if isinstance(tp, type) and issubclass(tp, AssetEvent):
        return event_to_dict
    if isinstance(tp, type) and attrs.has(tp):
        return _record_encoder(tp, ())
    raise TypeError(f"the payload codec cannot encode {tp!r}")


@functools.cache
def _decoder(tp: Any) -> Decoder:  # noqa: C901, PLR0911, PLR0912 - one branch per supported type
    origin = typing.get_origin(tp)
    if origin in {typing.Union, types.UnionType}:
        members = _members(tp)
        inner = _decoder(members[0]) if len(members) == 1 else _tagged_decoder(members)
        return _optional(inner) if type(None) in typing.get_args(tp) else inner
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        return lambda v: tuple(item(x) for x in _need(v, list))
    if origin is frozenset:
        member = _decoder(typing.get_args(tp)[0])
        return lambda v: frozenset(member(x) for x in _need(v, list))
    if hasattr(tp, "__supertype__"):
        return _decoder(tp.__supertype__)
    if tp in {str, int, bool}:
        return lambda v: _need(v, tp)
    if tp is datetime:
        return _read_datetime
    if tp is date:
        return _read_date
    if tp is Decimal:
        return lambda v: Decimal(_need(v, str))
    if tp is Fraction:
        return _read_fraction
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda v: tp(_need(v, str))
    if tp is Money:
        return lambda v: Money(_need(v, int))
    if tp in _CODES:
        return lambda v: tp(_need(v, str))
    if isinstance(tp, type) and issubclass(tp, AssetEvent):
        return lambda v: event_from_dict(_need(v, dict))
    if isinstance(tp, type) and attrs.has(tp):
        return _record_decoder(tp, ())
    raise TypeError(f"the payload codec cannot decode {tp!r}")


def _members(tp: Any) -> tuple[Any, ...]:
    """The non-None members of a union: one type, or several attrs classes (tagged)."""
    args = tuple(a for a in typing.get_args(tp) if a is not type(None))
    if len(args) > 1 and not all(isinstance(a, type) and attrs.has(a) for a in args):
        raise TypeError(f"the payload codec supports 'X | None' and unions of attrs classes, not {tp!r}")
    return args


_TAG = "type"
"""The key naming the class of a value of a union of attrs classes."""


def _tagged_encoder(members: tuple[type, ...]) -> Encoder:
    encoders = {cls: _record_encoder(cls, ()) for cls in members}

    def encode(value: Any) -> JSON:
        return {_TAG: type(value).__name__, **encoders[type(value)](value)}

    return encode


def _tagged_decoder(members: tuple[type, ...]) -> Decoder:
    decoders = {cls.__name__: _record_decoder(cls, ()) for cls in members}

    def decode(value: JSON) -> Any:
        data = dict(_need(value, dict))
        name = data.pop(_TAG, None)
        if name not in decoders:
            raise _BadValueError(f"{_TAG} must be one of {sorted(decoders)}, got {name!r}")
        return decoders[name](data)

    return decode


_FieldSpec = tuple[tuple[str, str, Any, bool], ...]
_FIELDS: dict[tuple[Any, tuple[str, ...]], _FieldSpec] = {}
_RECORD_ENCODERS: dict[tuple[Any, tuple[str, ...]], Callable[[Any], dict[str, JSON]]] = {}
_RECORD_DECODERS: dict[tuple[Any, tuple[str, ...]], Callable[..., Any]] = {}


def _fields(cls: Any, exclude: tuple[str, ...]) -> _FieldSpec:
    """(name, init alias, type hint, omit-when-None) for each stored field of ``cls``."""
    key = (cls, exclude)
    if key not in _FIELDS:
        _FIELDS[key] = _read_fields(cls, exclude)
    return _FIELDS[key]


def _read_fields(cls: Any, exclude: tuple[str, ...]) -> _FieldSpec:
    hints = typing.get_type_hints(cls)
    return tuple(
        (f.name, f.alias or f.name, hints[f.name], f.default is None)
        for f in attrs.fields(cls)
        if f.init and f.name not in exclude
    )


def _record_encoder(cls: Any, exclude: tuple[str, ...]) -> Callable[[Any], dict[str, JSON]]:
    key = (cls, exclude)
    if key not in _RECORD_ENCODERS:
        _RECORD_ENCODERS[key] = _build_record_encoder(cls, exclude)
    return _RECORD_ENCODERS[key]


def _build_record_encoder(cls: Any, exclude: tuple[str, ...]) -> Callable[[Any], dict[str, JSON]]:
    spec = tuple((name, _encoder(tp), omit) for name, _, tp, omit in _fields(cls, exclude))

    def encode(value: Any) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for name, enc, omit in spec:
            item = getattr(value, name)
            if item is None and omit:
                continue
            out[name] = enc(item)
        return out

    return encode


def _record_decoder(cls: Any, exclude: tuple[str, ...]) -> Callable[..., Any]:
    key = (cls, exclude)
    if key not in _RECORD_DECODERS:
        _RECORD_DECODERS[key] = _build_record_decoder(cls, exclude)
    return _RECORD_DECODERS[key]


def _build_record_decoder(cls: Any, exclude: tuple[str, ...]) -> Callable[..., Any]:
    spec = {name: (alias, _decoder(tp)) for name, alias, tp, _ in _fields(cls, exclude)}

    def decode(data: Mapping[str, JSON], **extra: Any) -> Any:
        kwargs = dict(extra)
        for key, raw in _need(data, dict).items():
            if key not in spec:
                raise _BadValueError(f"unknown field {key!r} for {cls.__name__}")
            alias, dec = spec[key]
            try:
                kwargs[alias] = dec(raw)
            except _BadValueError as exc:
                raise _BadValueError(f"{key}: {exc}") from exc
        return cls(**kwargs)

    return decode


def _event_exclude(cls: type[AssetEvent]) -> tuple[str, ...]:
    return (*EVENT_COLUMNS, "supersedes") if issubclass(cls, Corrected) else EVENT_COLUMNS


# -- any attrs record --------------------------------------------------------------------
def encode_value(tp: Any, value: Any) -> JSON:
    """``value`` of type ``tp`` (a type hint: ``Money``, ``tuple[str, ...]``, an attrs class…) as JSON."""
    return _encoder(tp)(value)


def decode_value(tp: Any, data: JSON, *, record: str | None = None, field: str | None = None) -> Any:
    """A value of type ``tp`` read back from :func:`encode_value`'s output.

    Raises:
        PayloadError: a value of the wrong shape, naming ``record`` and ``field``.
    """
    try:
        return _decoder(tp)(data)
    except (_BadValueError, TypeError, ValueError, KeyError, AssetRegError) as exc:
        raise PayloadError(
            f"cannot read the stored {field or 'value'}: {exc}",
            f"无法读取已存储的数据：{exc}",
            record=record,
            field=field or "payload",
        ) from exc


def record_payload(record: Any, exclude: tuple[str, ...] = ()) -> dict[str, JSON]:
    """The fields of an attrs ``record`` other than ``exclude`` (its typed columns), as JSON."""
    out: dict[str, JSON] = _record_encoder(type(record), exclude)(record)
    return out


def record_from_payload(
    cls: type[Any], payload: Mapping[str, JSON], *, exclude: tuple[str, ...] = (), **columns: Any
) -> Any:
    """Rebuild an attrs record of ``cls`` from its payload and its typed ``columns``.

    Raises:
        PayloadError: an unknown field or a value of the wrong shape, naming the record.
    """
    try:
        return _record_decoder(cls, exclude)(payload, **columns)
    except (_BadValueError, TypeError, ValueError, KeyError, AssetRegError) as exc:
        raise PayloadError(
            f"cannot read the stored {cls.__name__}: {exc}",
            f"无法读取已存储的记录：{exc}",
            record=str(columns.get("id")),
            field="payload",
        ) from exc


# -- events -----------------------------------------------------------------------------
def event_payload(event: AssetEvent) -> dict[str, JSON]:
    """The event's fields other than its typed columns, as a JSON-ready dict.

    The typed columns are :data:`EVENT_COLUMNS`, the ``kind`` and, for a
    :class:`~assetreg.domain.events.Corrected`, ``supersedes``.
    """
    cls = type(event)
    return _record_encoder(cls, _event_exclude(cls))(event)


def event_to_dict(event: AssetEvent) -> dict[str, JSON]:
    """The whole event as a JSON-ready dict, with its ``kind``."""
    out: dict[str, JSON] = {
        "kind": event.kind,
        "event_id": event.event_id,
        "asset_id": event.asset_id,
        "effective": event.effective.isoformat(),
        "recorded_at": _iso_datetime(event.recorded_at),
    }
    if isinstance(event, Corrected):
        out["supersedes"] = event.supersedes
    out.update(event_payload(event))
    return out


def event_from_payload(
    kind: str,
    payload: Mapping[str, JSON],
    *,
    event_id: str,
    asset_id: str,
    effective: date,
    recorded_at: datetime,
    supersedes: str | None = None,
) -> AssetEvent:
    """Rebuild an event from its typed columns and payload.

    Raises:
        PayloadError: an unknown kind, an unknown field or a value of the wrong shape,
            naming the event and the problem.
    """
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise PayloadError(
            f"unknown event kind {kind!r}",
            f"未知事件类型 {kind!r}",
            record=event_id,
            field="kind",
            actual=kind,
        )
    extra: dict[str, Any] = {
        "event_id": event_id,
        "asset_id": asset_id,
        "effective": effective,
        "recorded_at": recorded_at,
    }
    if issubclass(cls, Corrected):
        extra["supersedes"] = supersedes
    if PAYLOAD_VERSION_KEY in payload:
        payload = {k: v for k, v in payload.items() if k != PAYLOAD_VERSION_KEY}
    try:
        return typing.cast("AssetEvent", _record_decoder(cls, _event_exclude(cls))(payload, **extra))
    except PayloadError:
        raise
    except (_BadValueError, TypeError, ValueError, KeyError, AssetRegError) as exc:
        raise PayloadError(
            f"cannot read the stored {kind} event: {exc}",
            f"无法读取已存储的事件：{exc}",
            record=event_id,
            field="payload",
        ) from exc


def event_from_dict(data: Mapping[str, JSON]) -> AssetEvent:
    """Rebuild an event from :func:`event_to_dict`'s output.

    Raises:
        PayloadError: a missing or malformed field.
    """
    rest = dict(_need(data, dict))
    try:
        kind = _need(rest.pop("kind"), str)
        event_id = _need(rest.pop("event_id"), str)
        asset_id = _need(rest.pop("asset_id"), str)
        effective = _read_date(rest.pop("effective"))
        recorded_at = _read_datetime(rest.pop("recorded_at"))
        supersedes = rest.pop("supersedes", None)
    except (KeyError, _BadValueError, ValueError) as exc:
        raise PayloadError(
            f"malformed event: {exc}",
            f"事件格式错误：{exc}",
            record=str(data.get("event_id")),
            field="payload",
        ) from exc
    return event_from_payload(
        kind,
        rest,
        event_id=event_id,
        asset_id=asset_id,
        effective=effective,
        recorded_at=recorded_at,
        supersedes=supersedes,
    )


# -- parties ----------------------------------------------------------------------------
def party_payload(party: Party) -> dict[str, JSON]:
    """The party's fields other than :data:`PARTY_COLUMNS`, as a JSON-ready dict."""
    return _record_encoder(type(party), PARTY_COLUMNS)(party)


def party_from_payload(kind: str, payload: Mapping[str, JSON], *, party_id: str, name: str, admin_code: str) -> Party:
    """Rebuild a party from its typed columns and payload.

    Raises:
        PayloadError: an unknown kind or a malformed payload, naming the party.
    """
    cls = PARTY_TYPES.get(kind)
    if cls is None:
        raise PayloadError(
            f"unknown party kind {kind!r}",
            f"未知主体类型 {kind!r}",
            record=party_id,
            field="kind",
            actual=kind,
        )
    try:
        party = _record_decoder(cls, PARTY_COLUMNS)(payload, id=party_id, name=name, admin_code=AdminCode(admin_code))
    except (_BadValueError, TypeError, ValueError, KeyError, AssetRegError) as exc:
        raise PayloadError(
            f"cannot read the stored party: {exc}",
            f"无法读取已存储的主体：{exc}",
            record=party_id,
            field="payload",
        ) from exc
    return typing.cast("Party", party)


# -- payload version --------------------------------------------------------------------
PAYLOAD_VERSION = 1
"""The version of the payload format this codec writes (stamped into stored rows).

:mod:`assetreg.adapters.sql.rows` stores it under :data:`PAYLOAD_VERSION_KEY` in every
event payload it writes; a row read back with exactly this version was built from a
domain value that passed every check when it was written, so it may be decoded by
:func:`assetreg.adapters.sql.trusted.trusted_event_from_payload`. Bump it whenever the
payload format changes.
"""

PAYLOAD_VERSION_KEY = "_v"
"""The payload key holding :data:`PAYLOAD_VERSION` (not a field of any event)."""
