"""Schema of audit findings (审计发现报文结构): payload type ``finding``.

A finding's ``evidence`` holds plain values only — text, integers, booleans, ``null`` and
lists of those (tuples in Python) — so it travels through JSON unchanged. Floats and other
numbers are refused, as everywhere in assetreg.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from marshmallow import ValidationError, fields

from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.fields import EnumField, NonEmptyText, Text, bilingual
from assetreg.adapters.serde.registry import register_payload_type
from assetreg.audit.findings import Finding, PlainValue, Severity, SubjectKind

__all__ = ["EvidenceField", "FindingSchema"]

_NOT_PLAIN: Final = bilingual(
    "evidence values must be text, integers, booleans, null or lists of those",
    "证据只能是文本、整数、布尔值、空值或其列表",
)


def _to_json(value: PlainValue) -> Any:
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(value: Any) -> PlainValue:
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    if value is None or isinstance(value, str | bool | int):
        return value
    raise ValidationError(_NOT_PLAIN)


class EvidenceField(fields.Field):  # type: ignore[type-arg]
    """A finding's evidence: an object of plain values (证据)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - marshmallow API
        return {str(k): _to_json(v) for k, v in dict(value).items()}

    def _deserialize(
        self,
        value: Any,
        attr: str | None,  # noqa: ARG002 - marshmallow API
        data: Mapping[str, Any] | None,  # noqa: ARG002 - marshmallow API
        **kwargs: Any,  # noqa: ARG002 - marshmallow API
    ) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(bilingual("not an object", "不是对象"))
        return {str(k): _from_json(v) for k, v in value.items()}


class FindingSchema(ModelSchema):
    """``Finding`` (审计发现)."""

    model = Finding
    code = NonEmptyText()
    severity = EnumField(Severity)
    subject = NonEmptyText()
    subject_kind = EnumField(SubjectKind)
    message_en = Text()
    message_zh = Text()
    rule = Text()
    evidence = EvidenceField()
    area = Text(allow_none=True)


register_payload_type("finding", Finding, FindingSchema, description="one audit finding (审计发现)")
