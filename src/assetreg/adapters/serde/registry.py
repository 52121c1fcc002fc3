"""The registry of payload types (报文类型登记): type name → Python types, field, version.

Each serialisable type has a name (``"asset"``, ``"event"``, ``"register"``…); its
payloads are tagged ``{"schema": "assetreg/<name>", "version": <n>, "data": …}``. Adding
a type is one call to :func:`register_payload_type` with the schema class (or a factory
for a field, for types discriminated by ``"kind"``), done when the schema module is
imported.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

import attrs
from marshmallow import RAISE, Schema

from assetreg.adapters.serde.fields import NestedOf, bilingual

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from marshmallow.fields import Field

__all__ = [
    "SCHEMA_PREFIX",
    "PayloadType",
    "payload_type",
    "payload_type_of",
    "payload_types",
    "register_payload_type",
]

SCHEMA_PREFIX: Final = "assetreg/"
"""Prefix of every payload's ``"schema"`` tag."""


class _Envelope(Schema):
    """The envelope body: only ``data``; ``schema`` and ``version`` are checked before."""

    error_messages = {  # noqa: RUF012 - marshmallow reads this class attribute
        "unknown": bilingual("unknown field", "未知字段"),
        "type": bilingual("not an object", "不是对象"),
    }

    class Meta:
        """Unknown keys are refused."""

        unknown = RAISE


@attrs.frozen(kw_only=True)
class PayloadType:
    """One registered payload type.

    Attributes:
        name: the short name; the payload's tag is ``"assetreg/<name>"``.
        types: the Python classes dumped under this name.
        version: the payload version this assetreg writes and reads.
        make_field: builds the marshmallow field holding ``data``.
        description: one line saying what the payload holds.
    """

    name: str
    types: tuple[type, ...]
    version: int
    make_field: Callable[[], Field[Any]]
    description: str = ""

    @property
    def schema_id(self) -> str:
        """The ``"schema"`` tag: ``"assetreg/<name>"``."""
        return SCHEMA_PREFIX + self.name

    def envelope(self) -> Schema:
        """A schema with one required field ``data`` holding this type (cached)."""
        cached = _ENVELOPES.get(self.name)
        if cached is None:
            field = self.make_field()
            field.required = True
            field.allow_none = False
            cls = type(f"{self.name.title().replace('_', '')}Envelope", (_Envelope,), {"data": field})
            cached = _ENVELOPES[self.name] = cls()
        return cached


_REGISTRY: dict[str, PayloadType] = {}
_BY_TYPE: dict[type, PayloadType] = {}
_ENVELOPES: dict[str, Schema] = {}


def register_payload_type(
    name: str,
    types: type | Iterable[type],
    schema: type[Schema] | None = None,
    *,
    field: Callable[[], Field[Any]] | None = None,
    version: int = 1,
    description: str = "",
    replace: bool = False,
) -> PayloadType:
    """Register a payload type so that :func:`to_payload` / :func:`from_payload` know it.

    Args:
        name: short name (lowercase, ``_`` between words); the tag is ``"assetreg/<name>"``.
        types: the class or classes written under this name.
        schema: a schema class whose ``load`` builds the value (e.g. a
            :class:`~assetreg.adapters.serde.base.ModelSchema`).
        field: instead of ``schema``, a factory returning a marshmallow field (e.g. a
            :class:`~assetreg.adapters.serde.fields.Tagged` field for a family of kinds).
        version: the payload version (1 until a payload's shape changes).
        description: one line for the catalogue.
        replace: allow replacing an existing registration of ``name``.

    Returns:
        The registration.

    Raises:
        ValueError: ``name`` or one of ``types`` is registered already (and not
            ``replace``), or not exactly one of ``schema`` and ``field`` is given.
    """
    if schema is not None and field is not None:
        raise ValueError("give exactly one of schema and field")
    classes = (types,) if isinstance(types, type) else tuple(types)
    if not replace:
        if name in _REGISTRY:
            raise ValueError(f"payload type {name!r} is registered already")
        taken = [c.__name__ for c in classes if c in _BY_TYPE]
        if taken:
            raise ValueError(f"classes registered already: {', '.join(taken)}")
    make_field: Callable[[], Field[Any]]
    if field is not None:
        make_field = field
    elif schema is not None:
        make_field = functools.partial(NestedOf, schema)
    else:  # pragma: no cover - refused above
        raise ValueError("give exactly one of schema and field")
    entry = PayloadType(name=name, types=classes, version=version, make_field=make_field, description=description)
    _REGISTRY[name] = entry
    _ENVELOPES.pop(name, None)
    for cls in classes:
        _BY_TYPE[cls] = entry
    return entry


def payload_type(name: str) -> PayloadType | None:
    """The registration named ``name`` (or ``"assetreg/<name>"``), or ``None``."""
    short = name.removeprefix(SCHEMA_PREFIX)
    return _REGISTRY.get(short)


def payload_type_of(obj: object) -> PayloadType | None:
    """The registration for ``obj``'s class (or its nearest registered base), or ``None``."""
    for cls in type(obj).__mro__:
        entry = _BY_TYPE.get(cls)
        if entry is not None:
            return entry
    return None


def payload_types() -> Mapping[str, PayloadType]:
    """Every registration by name, sorted."""
    return {name: _REGISTRY[name] for name in sorted(_REGISTRY)}
