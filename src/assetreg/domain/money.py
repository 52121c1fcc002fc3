"""Money in integer fen (金额，以分计) and the one rounding function.

DESIGN §4: one :class:`Money` type holding an integer number of fen (1 元 = 100 分,
1 万元 = 10,000 元 = 1,000,000 分), currency CNY. It is built from ``int`` fen, from
``Decimal``/``str`` yuan with at most two places, or from 万元 text such as
``"851.65万元"``. A ``float`` is refused with :class:`TypeError`; more places than a fen
can hold are refused with :class:`~assetreg.errors.InvalidAmount` — never rounded quietly.

Computed amounts (interest, percentages) are rounded in :func:`round_fen` only, with an
explicit :class:`RoundingMode`; the default is half-up (四舍五入), and the mode is a policy
parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final, Self

import attrs

from assetreg.domain.vocab import Vocabulary
from assetreg.errors import InvalidAmount, InvalidValue, wrong_type

__all__ = ["FEN_PER_WAN", "FEN_PER_YUAN", "Money", "RoundingMode", "exact_fraction", "round_fen"]

FEN_PER_YUAN: Final = 100
"""Fen in one yuan (元)."""
FEN_PER_WAN: Final = 1_000_000
"""Fen in one 万元 (ten thousand yuan)."""
_MAX_EXPONENT: Final = 64
"""Decimal exponents beyond ±64 are refused before turning into a ``Fraction``: an exact
``Fraction(Decimal("1e999999999"))`` would take a billion digits (a denial of service)."""

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_UNIT_SUFFIXES: Final = (("万元", FEN_PER_WAN), ("万", FEN_PER_WAN), ("元", FEN_PER_YUAN))


class RoundingMode(Vocabulary):
    """How a computed amount is brought to whole fen (舍入方式).

    The string value is what policies and payloads store.
    """

    HALF_UP = "half_up"
    """四舍五入: halves away from zero (the default, DESIGN §4)."""
    HALF_EVEN = "half_even"
    """Banker's rounding: halves to the even fen."""
    DOWN = "down"
    """Truncate toward zero (舍去), as some notices do (青阳 319 元 from 319.6)."""
    UP = "up"
    """Away from zero (进一)."""
    FLOOR = "floor"
    """Toward minus infinity."""
    CEILING = "ceiling"
    """Toward plus infinity."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each mode."""
        return _ROUNDING_ZH


_ROUNDING_ZH: Final[Mapping[Any, str]] = {
    RoundingMode.HALF_UP: "四舍五入",
    RoundingMode.HALF_EVEN: "银行家舍入",
    RoundingMode.DOWN: "舍去",
    RoundingMode.UP: "进一",
    RoundingMode.FLOOR: "向下取整",
    RoundingMode.CEILING: "向上取整",
}


def round_fen(  # noqa: PLR0911 - one return per rounding mode reads best
    value: Fraction | Decimal | int, mode: RoundingMode = RoundingMode.HALF_UP
) -> int:
    """Round an exact amount in fen to a whole number of fen.

    Args:
        value: the exact amount **in fen** (a ``Fraction``, ``Decimal`` or ``int``).
        mode: the rounding mode; half-up (四舍五入) by default.

    Returns:
        The whole number of fen.

    Raises:
        TypeError: ``value`` is a ``float`` (binary fractions are never money).
    """
    if isinstance(value, float):
        raise wrong_type("value", value, "Fraction, Decimal or int fen", "分数、Decimal 或整数（分）")
    exact = Fraction(value)
    floor = exact.numerator // exact.denominator
    rest = exact - floor
    if rest == 0:
        return floor
    ceil = floor + 1
    half = Fraction(1, 2)
    if mode is RoundingMode.FLOOR:
        return floor
    if mode is RoundingMode.CEILING:
        return ceil
    if mode is RoundingMode.DOWN:
        return floor if exact > 0 else ceil
    if mode is RoundingMode.UP:
        return ceil if exact > 0 else floor
    if rest != half:
        return ceil if rest > half else floor
    if mode is RoundingMode.HALF_UP:
        return ceil if exact > 0 else floor
    return floor if floor % 2 == 0 else ceil


def exact_fraction(value: Decimal) -> Fraction:
    """Return a finite ``Decimal`` as an exact ``Fraction``, refusing absurd exponents.

    Use this instead of ``Fraction(value)`` on any number read from outside: the plain
    conversion of ``Decimal("1e999999999")`` builds a billion-digit integer and hangs.

    Args:
        value: the number; its exponent must lie within ±64 (``1e-64`` … ``9.9e64``).

    Raises:
        ValueError: ``value`` is NaN or infinite, or its exponent lies beyond ±64.
    """
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    if value and not -_MAX_EXPONENT <= value.adjusted() <= _MAX_EXPONENT:
        raise ValueError(f"exponent out of range: {value}")
    if not -_MAX_EXPONENT * 2 <= value.as_tuple().exponent <= _MAX_EXPONENT:  # type: ignore[operator]
        raise ValueError(f"exponent out of range: {value}")
    return Fraction(value)


def _fen(value: Decimal, scale: int, shown: object, field: str | None) -> Fraction:
    """``value`` units of ``scale`` fen, exactly; an exponent beyond ±64 is refused."""
    try:
        return exact_fraction(value) * scale
    except ValueError:
        raise InvalidAmount(
            f"{shown!r} has too many digits to be an amount",
            f"{shown!r} 位数过多，不是有效金额",
            field=field,
            actual=shown,
            expected="at most 64 digits either side of the decimal point",
            details={"kind": "too_many_digits"},
        ) from None


def _decimal_text(text: str) -> Decimal | None:
    compact = text.replace(" ", "").replace("\u3000", "")
    if _GROUPED.match(compact):
        compact = compact.replace(",", "")
    if not _NUMBER.match(compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None


@attrs.frozen(order=True, repr=False)
class Money:
    """An amount of CNY held as an integer number of fen (金额).

    Build one with :meth:`from_fen`, :meth:`yuan`, :meth:`wan` or :meth:`parse`; the
    plain constructor takes fen. Arithmetic with other ``Money`` and multiplication by
    an ``int`` are exact; multiplication by a rate goes through :meth:`times`, which
    rounds once with an explicit mode.

    Attributes:
        fen: the amount in fen (分), an ``int``; negative amounts are allowed.

    Raises:
        TypeError: ``fen`` is not an ``int`` (``float`` and ``bool`` are refused).
    """

    fen: int = attrs.field()

    @fen.validator
    def _check_fen(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong_type(
                "fen",
                value,
                "an int number of fen",
                "整数（分）",
                hint="use Money.yuan('12.30') or Money.wan('851.65')",
            )

    # -- construction ----------------------------------------------------------------
    @classmethod
    def zero(cls) -> Self:
        """Return 0 fen."""
        return cls(0)

    @classmethod
    def from_fen(cls, fen: int) -> Self:
        """Return the amount of ``fen`` fen (分).

        Raises:
            TypeError: ``fen`` is not an ``int``.
        """
        return cls(fen)

    @classmethod
    def yuan(cls, amount: Decimal | str | int, *, field: str | None = None) -> Self:
        """Return an amount given in yuan (元), at most two decimal places.

        Args:
            amount: ``Decimal``, ``int`` or text such as ``"12.30"``, ``"12,345.60"``
                or ``"1234元"``.
            field: name of the field being read, for the error message.

        Raises:
            TypeError: ``amount`` is a ``float``.
            InvalidAmount: more than two places, or text that is not a number.
        """
        return cls._scaled(amount, FEN_PER_YUAN, "元", field)

    @classmethod
    def wan(cls, amount: Decimal | str | int, *, field: str | None = None) -> Self:
        """Return an amount given in 万元 (ten thousand yuan), at most six places.

        ``Money.wan("851.65")`` is 8,516,500.00 元.

        Raises:
            TypeError: ``amount`` is a ``float``.
            InvalidAmount: finer than one fen, or text that is not a number.
        """
        return cls._scaled(amount, FEN_PER_WAN, "万元", field)

    @classmethod
    def parse(cls, text: str, *, default_unit: str = "元", field: str | None = None) -> Self:
        """Read an amount with an optional unit suffix: ``"851.65万元"``, ``"104万"``, ``"500元"``.

        Thousands separators (``"12,345.60"``) and spaces are accepted. A trailing
        bracketed note (``"167万元(少数民族发展资金)"``) is ignored.

        Args:
            text: the amount as written.
            default_unit: unit when the text has none: ``"元"`` or ``"万元"``.
            field: name of the field being read, for the error message.

        Raises:
            TypeError: ``text`` is a ``float``.
            InvalidAmount: unreadable text, unknown unit or finer than one fen.
        """
        if isinstance(text, float):
            raise wrong_type(
                field or "amount", text, "text such as '851.65万元'", "金额文本", hint="float is never money"
            )
        if not isinstance(text, str):
            raise wrong_type(field or "amount", text, "text such as '851.65万元'", "金额文本")
        body = re.split(r"[(（]", text.strip(), maxsplit=1)[0].strip()
        scale = {"元": FEN_PER_YUAN, "万元": FEN_PER_WAN, "万": FEN_PER_WAN}.get(default_unit)
        if scale is None:
            raise InvalidAmount(
                f"unknown money unit {default_unit!r}",
                f"未知金额单位 {default_unit!r}",
                field=field,
                actual=default_unit,
                expected="元 or 万元",
            )
        unit = "万元" if scale == FEN_PER_WAN else "元"
        for suffix, suffix_scale in _UNIT_SUFFIXES:
            if body.endswith(suffix):
                body, scale, unit = body[: -len(suffix)].strip(), suffix_scale, suffix
                break
        return cls._scaled(body, scale, unit, field, original=text)

    @classmethod
    def _scaled(
        cls,
        amount: Decimal | str | int,
        scale: int,
        unit: str,
        field: str | None,
        original: str | None = None,
    ) -> Self:
        if isinstance(amount, float):
            raise wrong_type(
                field or "amount",
                amount,
                "Decimal, int or text such as '0.10'",
                "Decimal、整数或金额文本",
                hint="float is never money (binary fractions are inexact)",
            )
        shown = original if original is not None else amount
        if isinstance(amount, bool):
            raise wrong_type(field or "amount", amount, "Decimal, int or text", "Decimal、整数或金额文本")
        if isinstance(amount, int):
            value = Decimal(amount)
        elif isinstance(amount, Decimal):
            value = amount
        elif isinstance(amount, str):
            parsed = _decimal_text(amount.strip())
            if parsed is None:
                raise InvalidAmount(
                    f"not an amount: {shown!r}",
                    f"不是有效金额：{shown!r}",
                    field=field,
                    actual=shown,
                    expected=f"a number in {unit}",
                )
            value = parsed
        else:
            raise wrong_type(field or "amount", amount, "Decimal, int or text", "Decimal、整数或金额文本")
        if not value.is_finite():
            raise InvalidAmount(
                f"not a finite amount: {shown!r}",
                f"金额不是有限数：{shown!r}",
                field=field,
                actual=shown,
            )
        fen = _fen(value, scale, shown, field)
        if fen.denominator != 1:
            places = 2 if scale == FEN_PER_YUAN else 6
            raise InvalidAmount(
                f"{shown!r} has more places than a fen can hold ({places} in {unit})",
                f"{shown!r} 的小数位超过分（{unit}最多{places}位小数），不做舍入",
                field=field,
                actual=shown,
                expected=f"at most {places} decimal places in {unit}",
            )
        return cls(fen.numerator)

    # -- arithmetic ------------------------------------------------------------------
    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen + other.fen)

    def __radd__(self, other: object) -> Money:
        # lets sum() start from 0
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __abs__(self) -> Money:
        return Money(abs(self.fen))

    def __mul__(self, other: object) -> Money:
        if isinstance(other, bool) or not isinstance(other, int):
            if isinstance(other, float):
                raise wrong_type("factor", other, "int", "整数", hint="use Money.times(Fraction)")
            return NotImplemented
        return Money(self.fen * other)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.fen != 0

    def times(self, rate: Fraction | Decimal | int | str, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Multiply by an exact rate and round once to whole fen.

        Args:
            rate: exact rate (``Fraction(6, 100)``, ``Decimal("0.06")`` or ``"0.06"``).
            mode: rounding mode, half-up by default.

        Raises:
            TypeError: ``rate`` is a ``float``.
        """
        return Money(round_fen(Fraction(_exact(rate)) * self.fen, mode))

    def ratio_to(self, other: Money) -> Fraction:
        """Return ``self / other`` as an exact ``Fraction``.

        Raises:
            ZeroDivisionError: ``other`` is zero.
        """
        return Fraction(self.fen, other.fen)

    def is_negative(self) -> bool:
        """Return whether the amount is below zero."""
        return self.fen < 0

    # -- display ---------------------------------------------------------------------
    @property
    def yuan_decimal(self) -> Decimal:
        """The amount in yuan as a ``Decimal`` with exactly two places."""
        return Decimal(f"{self.fen}E-2")  # built from text: exact at any size

    @property
    def wan_decimal(self) -> Decimal:
        """The amount in 万元 as a ``Decimal`` with exactly six places (exact)."""
        return Decimal(f"{self.fen}E-6")  # built from text: exact at any size

    def format_yuan(self, *, grouping: bool = False, unit: bool = False) -> str:
        """Format in yuan with two places: ``"8516500.00"`` or ``"8,516,500.00元"``."""
        sign = "-" if self.fen < 0 else ""
        whole, cents = divmod(abs(self.fen), FEN_PER_YUAN)
        text = f"{sign}{whole:,}.{cents:02d}" if grouping else f"{sign}{whole}.{cents:02d}"
        return text + ("元" if unit else "")

    def format_wan(self, places: int = 4, mode: RoundingMode = RoundingMode.HALF_UP, *, unit: bool = True) -> str:
        """Format in 万元, four places by default: ``"851.6500万元"``, ``"12.7748万元"``.

        Published notices print 万元 to four places (one yuan); finer amounts are rounded
        with ``mode`` for display only. Six places or more are exact (one fen is
        0.000001 万元).

        Raises:
            ValueError: ``places`` is negative.
        """
        if places < 0:
            raise InvalidValue(
                f"places must be 0 or more, got {places}", f"小数位数不能为负：{places}", field="places", actual=places
            )
        units = round_fen(Fraction(self.fen * 10**places, FEN_PER_WAN), mode)
        sign = "-" if units < 0 else ""
        whole, frac = divmod(abs(units), 10**places)
        text = f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
        return text + ("万元" if unit else "")

    def to_json(self) -> str:
        """Return the JSON form: yuan as a string with exactly two places (DESIGN §4)."""
        return self.format_yuan()

    def __str__(self) -> str:
        return self.format_yuan(unit=True)

    def __repr__(self) -> str:
        return f"Money.yuan('{self.format_yuan()}')"


def _exact(rate: Fraction | Decimal | int | str) -> Fraction | int:
    if isinstance(rate, float):
        raise wrong_type("rate", rate, "Fraction, Decimal, int or text", "分数、Decimal、整数或文本")
    if isinstance(rate, bool):
        raise wrong_type("rate", rate, "Fraction, Decimal, int or text", "分数、Decimal、整数或文本")
    if not isinstance(rate, str | Decimal):
        return rate
    try:
        if isinstance(rate, Decimal):
            return exact_fraction(rate)
        text = rate.strip().replace("％", "%")
        if text.endswith("%"):
            return exact_fraction(Decimal(text[:-1])) / 100
        if "/" in text:
            return Fraction(text)
        return exact_fraction(Decimal(text))
    except (ValueError, ArithmeticError):
        raise InvalidAmount(
            f"not a rate: {rate!r}",
            f"不是有效比例：{rate!r}",
            field="rate",
            actual=rate,
            expected="a finite rate such as '6%', '3/50' or '0.06'",
        ) from None
