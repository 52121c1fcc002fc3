"""marshmallow fields for assetreg values (字段): money, shares, instants, dates, codes.

Every field refuses rather than rounds or guesses, and every message is bilingual
(``"English / 中文"``). The JSON forms (DESIGN §4):

==============  ===========================================  =========================
value           JSON form                                    refused
==============  ===========================================  =========================
``Money``       yuan as text with exactly two places         JSON numbers (floats and
                on dump (``"8516500.00"``); on load text      ints), more than two
                with at most two places (``"12"``,            places (``"1.234"``),
                ``"12.3"``, ``"-5.00"``)                      grouping, units
``Fraction``    ``"1/3"``, ``"1"``; load also ``"0.25"``      floats, ``"1/0"``
``Decimal``     plain decimal text ``"5.20"`` (trailing       floats, exponents, NaN
                zeros kept)
instant         ISO 8601 with offset, dumped in UTC with      naive values, date-only
                microseconds (``"2024-01-05T03:04:05.          text
                000001Z"``)
``date``        ``"YYYY-MM-DD"``                              anything else
==============  ===========================================  =========================

JSON numbers that are not integers are read by :func:`json_loads` as
:class:`JsonNumber` (never as ``float``), so the field that meets one can name it.
"""

# marshmallow fixes the signatures of _serialize/_deserialize; most fields use few arguments.
# ruff: noqa: ARG002

from __future__ import annotations

import contextlib
import contextvars
import enum
import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
from marshmallow import ValidationError, fields

from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.money import Money
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from marshmallow import Schema
    from marshmallow.fields import Field as ValueField  # generic in marshmallow 4
else:

    class ValueField(fields.Field):
        """``fields.Field``, subscriptable on marshmallow 3 too (where it is not generic).

        Subclass it as ``ValueField[Money]``: under type checking it is marshmallow 4's
        generic ``Field``.
        """

        def __class_getitem__(cls, _item: object) -> type:
            """Return the class itself: ``ValueField[Money]`` is ``ValueField`` at run time."""
            return cls


__all__ = [
    "AdminCodeField",
    "Bool",
    "CreditCodeField",
    "DateField",
    "DecimalField",
    "EnumField",
    "FractionField",
    "Int",
    "JsonNumber",
    "ListOf",
    "MoneyField",
    "NestedOf",
    "ResidentIdField",
    "SetOf",
    "Tagged",
    "Text",
    "UtcDateTimeField",
    "ValueField",
    "json_loads",
    "personal_data",
]

E = TypeVar("E", bound=enum.Enum)


def bilingual(en: str, zh: str) -> str:
    """Join an English and a Chinese message the way every serde message is written."""
    return f"{en} / {zh}"


_COMMON: Final = {
    "required": bilingual("missing data for a required field", "缺少必填字段"),
    "null": bilingual("may not be null", "不能为空值"),
    "validator_failed": bilingual("invalid value", "取值无效"),
}


@attrs.frozen
class JsonNumber:
    """A JSON number with a fraction or exponent, kept as its text (never a ``float``).

    :func:`json_loads` produces these so that a field receiving ``0.1`` can refuse it by
    name instead of silently reading a binary fraction.
    """

    text: str

    def __str__(self) -> str:
        """The number as written in the JSON text."""
        return self.text


def _refuse_constant(name: str) -> JsonNumber:
    return JsonNumber(name)


def json_loads(text: str | bytes) -> Any:
    """Parse JSON text; non-integer numbers become :class:`JsonNumber`, never ``float``.

    Raises:
        json.JSONDecodeError: the text is not JSON.
        ValueError: an integer with more than 4,300 digits (Python's limit).
        RecursionError: arrays or objects nested too deep to parse.
    """
    return json.loads(text, parse_float=JsonNumber, parse_constant=_refuse_constant)


def _is_float_like(value: object) -> bool:
    return isinstance(value, float | JsonNumber)


def _float_refused(value: object, what_en: str, what_zh: str, example: str) -> ValidationError:
    return ValidationError(
        bilingual(
            f"number {value} refused for {what_en}: floats are inexact; write it as text, e.g. {example!r}",
            f"{what_zh}不接受数字 {value}（浮点数不精确），请写成文本，如 {example!r}",
        )
    )


# -- personal data ---------------------------------------------------------------------------

_REVEAL: contextvars.ContextVar[bool] = contextvars.ContextVar("assetreg_serde_reveal", default=False)


@contextlib.contextmanager
def personal_data(*, reveal: bool) -> Iterator[None]:
    """Within the block, dump resident ids in full (``reveal=True``) or masked (default).

    DESIGN §4: exports mask resident ids (``620422********1234``) unless the caller asks
    for them explicitly. A masked id cannot be loaded back.
    """
    token = _REVEAL.set(reveal)
    try:
        yield
    finally:
        _REVEAL.reset(token)


# -- bilingual versions of marshmallow's basic fields ---------------------------------------


class Text(fields.String):
    """Text (文本); numbers are not text."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual("not text", "不是文本"),
        "invalid_utf8": bilingual("not valid UTF-8 text", "不是有效的 UTF-8 文本"),
    }


class NonEmptyText(Text):
    """Text that is not empty or blank (非空文本)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            raise ValidationError(bilingual("may not be empty", "不能为空"))
        return text


class Int(fields.Integer):
    """A JSON integer (整数); ``true``, ``"3"`` and ``3.0`` are refused."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual("not an integer", "不是整数"),
        "too_large": bilingual("number too large", "数值过大"),
    }

    def __init__(self, **kwargs: Any) -> None:
        """Build a strict integer field (``kwargs`` as for ``marshmallow.fields.Field``)."""
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class Bool(fields.Boolean):
    """A JSON boolean (布尔值); ``1`` and ``"yes"`` are refused."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual("not a boolean (true or false)", "不是布尔值（true 或 false）"),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class EnumField(fields.Enum):  # type: ignore[type-arg]
    """An enum by its stable string value (枚举值)."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "unknown": bilingual("must be one of: {choices}", "应为以下之一：{choices}"),
    }

    def __init__(self, enum_type: type[enum.Enum], **kwargs: Any) -> None:
        """Build a field reading ``enum_type`` members by value."""
        super().__init__(enum_type, by_value=True, **kwargs)


class ListOf(fields.List):  # type: ignore[type-arg]
    """A JSON array (列表); loaded as a ``tuple`` (domain values hold tuples)."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual("not a list", "不是列表"),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        if isinstance(value, str | bytes | Mapping):
            raise self.make_error("invalid")
        return tuple(super()._deserialize(value, attr, data, **kwargs))


class SetOf(ListOf):
    """A set (集合) written as a JSON array sorted by its JSON form; loaded as a ``tuple``.

    The model's converter makes the ``frozenset``; sorting keeps dumps deterministic.
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        items = super()._serialize(value, attr, obj, **kwargs)
        return None if items is None else sorted(items, key=str)


class NestedOf(fields.Nested):
    """A nested object (嵌套对象)."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "type": bilingual("not an object", "不是对象"),
    }


# -- value fields --------------------------------------------------------------------------

_MAX_YUAN_DIGITS: Final = 64
"""Digits allowed before the decimal point of an amount, as in ``Money.parse``."""
_YUAN_TEXT: Final = re.compile(r"^-?(?P<whole>\d+)(\.(?P<cents>\d{1,2}))?$")


class MoneyField(ValueField[Money]):
    """Money as yuan text (金额): dumped with exactly two places, loaded from text with ≤ 2.

    ``Money.yuan("1376400")`` dumps as ``"1376400.00"``. Loading refuses JSON numbers
    (``0.1`` and ``100`` alike: write ``"0.10"``, ``"100.00"``), more than two places
    (``"1.234"`` is refused, never rounded), grouping (``"1,000.00"``) and unit text
    (``"5万元"``). Negative amounts load; the domain refuses them where they make no sense.
    """

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual(
            'not an amount: write yuan as text with at most two places, e.g. "8516500.00"',
            '金额格式不正确：应为以元计、最多两位小数的文本，如 "8516500.00"',
        ),
        "places": bilingual(
            "{value!r} has more than two decimal places; amounts are never rounded",
            "{value!r} 超过两位小数（精确到分），不做舍入",
        ),
        "too_long": bilingual(
            "{digits} digits before the decimal point: not an amount (at most 64)",
            "整数部分有 {digits} 位：不是有效金额（最多 64 位）",
        ),
        "int": bilingual(
            'number {value} refused for an amount: write yuan as text, e.g. "{value}.00"',
            '金额不接受数字 {value}，请写成以元计的文本，如 "{value}.00"',
        ),
    }

    def _serialize(self, value: Money | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.format_yuan()

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Money:
        if _is_float_like(value):
            raise _float_refused(value, "an amount", "金额", "0.10")
        if isinstance(value, int) and not isinstance(value, bool):
            raise self.make_error("int", value=value)
        if not isinstance(value, str):
            raise self.make_error("invalid")
        text = value.strip()
        if re.fullmatch(r"-?\d+\.\d{3,}", text):
            raise self.make_error("places", value=value)
        match = _YUAN_TEXT.match(text)
        if match is None:
            raise self.make_error("invalid")
        whole, cents = match.group("whole"), (match.group("cents") or "").ljust(2, "0")
        if len(whole) > _MAX_YUAN_DIGITS:
            raise self.make_error("too_long", digits=len(whole))
        fen = int(whole) * 100 + int(cents)
        return Money(-fen if text.startswith("-") else fen)


_FRACTION_TEXT: Final = re.compile(r"^-?\d+(/\d+|\.\d+)?$")


class FractionField(ValueField[Fraction]):
    """An exact fraction as text (份额、比例): ``"1/3"``, ``"3/50"``, ``"1"``.

    Dumped as ``str(Fraction)`` (lowest terms). Loading also reads plain decimals
    (``"0.25"``); JSON numbers, percentages and zero denominators are refused.
    """

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual(
            'not a fraction: write it as text such as "1/3" or "0.25"',
            '不是有效分数：应为文本，如 "1/3" 或 "0.25"',
        ),
    }

    def _serialize(self, value: Fraction | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Fraction:
        if _is_float_like(value):
            raise _float_refused(value, "a fraction", "分数", "1/3")
        if not isinstance(value, str) or not _FRACTION_TEXT.match(value.strip()):
            raise self.make_error("invalid")
        try:
            return Fraction(value.strip())
        except (ZeroDivisionError, ValueError):  # ValueError: beyond Python's 4,300-digit limit
            raise self.make_error("invalid") from None


_DECIMAL_TEXT: Final = re.compile(r"^-?\d+(\.\d+)?$")


class DecimalField(ValueField[Decimal]):
    """An exact decimal as text (数量、容量): ``"5.20"``, ``"300"``; trailing zeros kept."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual(
            'not a decimal: write it as text such as "5.20"',
            '不是有效数值：应为文本，如 "5.20"',
        ),
    }

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format(value, "f")

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Decimal:
        if _is_float_like(value):
            raise _float_refused(value, "a decimal", "数值", "5.20")
        if not isinstance(value, str) or not _DECIMAL_TEXT.match(value.strip()):
            raise self.make_error("invalid")
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern guards this
            raise self.make_error("invalid") from None


class UtcDateTimeField(ValueField[datetime]):
    """A timezone-aware instant (时点): ISO 8601 with an offset, kept in UTC to the microsecond.

    Dumped as ``"2024-01-05T03:04:05.000001Z"`` (always six places). Loading accepts any
    offset (``"+08:00"``, ``"Z"``) and converts to UTC; naive text is refused.
    """

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual(
            'not an ISO 8601 instant such as "2024-01-05T11:04:05.000001+08:00"',
            '不是 ISO 8601 时点，如 "2024-01-05T11:04:05.000001+08:00"',
        ),
        "naive": bilingual(
            "{value!r} has no time zone; give an offset such as +08:00 or Z",
            "{value!r} 缺少时区，请注明偏移量，如 +08:00 或 Z",
        ),
    }

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or "T" not in value.upper():
            raise self.make_error("invalid")
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            raise self.make_error("invalid") from None
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise self.make_error("naive", value=value)
        return instant.astimezone(UTC)


_DATE_TEXT: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateField(ValueField[date]):
    """A calendar date (日期) as ``"YYYY-MM-DD"``."""

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "invalid": bilingual("not a date in the form YYYY-MM-DD", "不是 YYYY-MM-DD 格式的日期"),
    }

    def _serialize(self, value: date | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.isoformat()

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> date:
        if not isinstance(value, str) or not _DATE_TEXT.match(value):
            raise self.make_error("invalid")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None


def _code_error(exc: AssetRegError) -> ValidationError:
    return ValidationError(bilingual(exc.message_en, exc.message_zh))


class AdminCodeField(ValueField[AdminCode]):
    """A 12-digit area code (统计用区划代码) as text; 2/4/6/9-digit forms are padded."""

    def _serialize(self, value: AdminCode | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.value

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> AdminCode:
        try:
            return AdminCode.parse(value, field=self.name or "admin_code")
        except AssetRegError as exc:
            raise _code_error(exc) from None


class CreditCodeField(ValueField[CreditCode]):
    """An 18-character unified social credit code (统一社会信用代码) as text."""

    def _serialize(self, value: CreditCode | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.value

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> CreditCode:
        try:
            return CreditCode.parse(value, field=self.name or "credit_code")
        except AssetRegError as exc:
            raise _code_error(exc) from None


class ResidentIdField(ValueField[ResidentId]):
    """A resident id (公民身份号码), personal data: masked on dump unless revealed.

    See :func:`personal_data`. Loading a masked id is refused: it cannot be rebuilt.
    """

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "masked": bilingual(
            "a masked resident id cannot be loaded; export with personal data revealed",
            "脱敏的身份号码无法读入，请导出完整号码",
        ),
    }

    def _serialize(self, value: ResidentId | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.value if _REVEAL.get() else value.masked

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> ResidentId:
        if isinstance(value, str) and "*" in value:
            raise self.make_error("masked")
        try:
            return ResidentId(ResidentId.check(value, field=self.name or "resident_id"))
        except AssetRegError as exc:
            raise _code_error(exc) from None


class Tagged(ValueField[Any]):
    """A value of one of several types, discriminated by a ``"kind"`` key (按类型区分).

    Dumped as ``{"kind": <name>, ...fields of that type's schema}``. An unknown or
    missing kind is refused, listing the kinds this field knows.

    Args:
        schemas: schema classes by kind name, or a callable returning them (for
            recursive or late-registered kinds).
        kind_of: the kind name of a value being dumped.
        **kwargs: passed to ``marshmallow.fields.Field``.
    """

    default_error_messages: Final = {  # type: ignore[misc]
        **_COMMON,
        "type": bilingual("not an object", "不是对象"),
    }
    unknown_kind: Final = bilingual(
        "unknown kind {kind!r}; expected one of: {choices}", "未知类型 {kind!r}，应为：{choices}"
    )
    missing_kind: Final = bilingual('missing "kind"; expected one of: {choices}', '缺少 "kind"，应为：{choices}')

    def __init__(
        self,
        schemas: Mapping[str, type[Schema]] | Callable[[], Mapping[str, type[Schema]]],
        kind_of: Callable[[Any], str],
        **kwargs: Any,
    ) -> None:
        """Build the field; see the class docstring for the arguments."""
        super().__init__(**kwargs)
        self._schemas = schemas
        self._kind_of = kind_of
        self._instances: dict[str, Schema] = {}

    def _choices(self) -> Mapping[str, type[Schema]]:
        return self._schemas() if callable(self._schemas) else self._schemas

    def _schema(self, kind: str) -> Schema:
        schema = self._instances.get(kind)
        if schema is None:
            schema = self._instances[kind] = self._choices()[kind]()
        return schema

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        kind = self._kind_of(value)
        body = self._schema(kind).dump(value)
        return {"kind": kind, **body}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        if not isinstance(value, Mapping):
            raise self.make_error("type")
        choices = ", ".join(sorted(self._choices()))
        if "kind" not in value:
            raise ValidationError({"kind": [self.missing_kind.format(choices=choices)]})
        kind = value["kind"]
        if not isinstance(kind, str) or kind not in self._choices():
            message = self.unknown_kind.format(kind=kind, choices=choices)
            raise ValidationError({"kind": [message]})
        body = {k: v for k, v in value.items() if k != "kind"}
        return self._schema(kind).load(body)
