"""The base schema: a marshmallow schema that builds a frozen attrs value (模型报文结构).

A :class:`ModelSchema` subclass names its ``model`` (the attrs class) and declares one
field per attribute. Loading validates every field first (all errors at once); only when
they all pass is the model built, and an error the model's own checks raise (shares not
adding up, an asset id that differs…) is turned into a validation error on the field it
names, so the caller still gets one path per problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs
from marshmallow import RAISE, Schema, ValidationError, post_load, pre_dump

from assetreg.adapters.serde.fields import bilingual
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SCHEMA_ERROR_KEY", "ModelSchema", "domain_error_messages"]

SCHEMA_ERROR_KEY: Final = "_schema"
"""marshmallow's key for errors about a whole object rather than one field."""


def domain_error_messages(exc: Exception, field_names: frozenset[str]) -> dict[str, list[str]]:
    """Place a domain error on the field it names, or on the whole object.

    The error's ``field`` (``"holders"``, ``"asset.id"``, ``"funding.amount"``) is used as
    given when its first part is a field of the schema, by its last part when that is a
    field, and otherwise the error belongs to the whole object.
    """
    if isinstance(exc, AssetRegError):
        message = bilingual(exc.message_en, exc.message_zh)
        field = exc.field
    else:
        message = bilingual(str(exc), str(exc))
        field = None
    key = SCHEMA_ERROR_KEY
    if field:
        parts = field.split(".")
        if parts[0] in field_names:
            key = field
        elif parts[-1] in field_names:
            key = parts[-1]
    return {key: [message]}


class ModelSchema(Schema):
    """A schema whose :meth:`load` returns an instance of :attr:`model`.

    Subclasses set ``model`` and declare fields named like the model's attributes.
    Whether a key is required and whether it may be ``null`` follow the model: an
    attribute without a default is required; one whose default is ``None`` may be
    ``null``; one with another default may be left out but not be ``null`` (a field
    declared with ``required=True`` or ``allow_none=True`` keeps that). Keys left out
    are left out of the constructor call, so the model's own defaults apply. ``dump``
    writes every field.
    """

    model: ClassVar[type[Any]]

    error_messages: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        "unknown": bilingual("unknown field", "未知字段"),
        "type": bilingual("not an object", "不是对象"),
    }

    class Meta:
        """Unknown keys are refused (a typo must not silently drop a value)."""

        unknown = RAISE

    def __init__(self, **kwargs: Any) -> None:
        """Build the schema (``kwargs`` as for ``marshmallow.Schema``) aligned to the model."""
        super().__init__(**kwargs)
        model = getattr(type(self), "model", None)
        if model is None or not attrs.has(model):
            return
        defaults = {a.name: a.default for a in attrs.fields(model)}
        for name, field in self.fields.items():
            if name not in defaults:
                continue
            default = defaults[name]
            field.required = field.required or default is attrs.NOTHING
            field.allow_none = field.allow_none or default is None

    @pre_dump
    def _prepare(self, obj: Any, **_kwargs: Any) -> Any:
        return self.prepare_dump(obj)

    def prepare_dump(self, obj: Any) -> Any:
        """Return what is dumped for ``obj`` (override to present mappings as lists)."""
        return obj

    @post_load
    def _make(self, data: Mapping[str, Any], **_kwargs: Any) -> Any:
        try:
            return self.build(dict(data))
        except (AssetRegError, TypeError, ValueError) as exc:
            raise ValidationError(domain_error_messages(exc, frozenset(self.fields))) from exc

    def build(self, data: dict[str, Any]) -> Any:
        """Build the model from validated field values (override to adapt names)."""
        return self.model(**data)
