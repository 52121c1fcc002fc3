"""The policy payload (政策参数报文): :class:`~assetreg.domain.policy.Policy` as JSON.

``data`` is :meth:`Policy.to_mapping` with money as yuan text (``"0.03"`` for the O&M cap
of 0.03 元/W/年, ``"500.00"`` for the fixed-asset threshold) instead of fen, and rates as
fraction text (``"3/50"``). Loading refuses floats anywhere and then goes through
:meth:`Policy.from_mapping`, so the policy's own checks apply and an unknown key is refused.
"""

# marshmallow fixes the signatures of _serialize/_deserialize; most fields use few arguments.
# ruff: noqa: ARG002

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
from marshmallow import ValidationError

from assetreg.adapters.serde.fields import JsonNumber, MoneyField, ValueField, bilingual
from assetreg.adapters.serde.registry import register_payload_type
from assetreg.domain.policy import Policy
from assetreg.errors import PolicyError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["PolicyField", "money_attributes"]


def money_attributes() -> frozenset[str]:
    """Names of the policy's money attributes (written as yuan text, not fen)."""
    return frozenset(a.name for a in attrs.fields(Policy) if "Money" in str(a.type))


def _floats(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, float | JsonNumber):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _floats(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _floats(item, f"{path}.{index}" if path else str(index))


class PolicyField(ValueField[Policy]):
    """A :class:`Policy` as a JSON object (keys as the attribute names)."""

    default_error_messages = {  # noqa: RUF012 - marshmallow merges this class attribute
        "type": bilingual("not an object", "不是对象"),
        "required": bilingual("missing data for a required field", "缺少必填字段"),
        "null": bilingual("may not be null", "不能为空值"),
    }

    def __init__(self, **kwargs: Any) -> None:
        """Build the field (``kwargs`` as for ``marshmallow.fields.Field``)."""
        super().__init__(**kwargs)
        self._money = MoneyField()
        self._money_names = money_attributes()

    def _serialize(self, value: Policy | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        out = value.to_mapping()
        for name in self._money_names:
            money = getattr(value, name)
            out[name] = None if money is None else money.format_yuan()
        return out

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Policy:
        if not isinstance(value, Mapping):
            raise self.make_error("type")
        errors: dict[str, list[str]] = {}
        for path, number in _floats(value, ""):
            errors[path] = [
                bilingual(
                    f"number {number} refused: floats are inexact; write money and rates as text",
                    f"不接受数字 {number}（浮点数不精确），金额和比例请写成文本",
                )
            ]
        items = dict(value)
        for name in self._money_names & set(items):
            if items[name] is None or name in errors:
                continue
            try:
                items[name] = self._money.deserialize(items[name])
            except ValidationError as exc:
                errors[name] = list(exc.messages) if isinstance(exc.messages, list) else [str(exc.messages)]
        if errors:
            raise ValidationError(errors)
        try:
            return Policy.from_mapping(items)
        except PolicyError as exc:
            key = exc.field or "_schema"
            raise ValidationError({key: [bilingual(exc.message_en, exc.message_zh)]}) from exc


register_payload_type("policy", Policy, field=PolicyField, description="policy parameters P1–P13 (政策参数)")
