"""Exact shares (份额) as ``fractions.Fraction``.

DESIGN §4: ownership shares and ratios are exact fractions, never floats; the shares of
one right add up to exactly 1, with no tolerance.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from assetreg.domain.money import exact_fraction
from assetreg.errors import InvalidShares, wrong_type

__all__ = ["ONE", "Share", "check_shares_sum_to_one", "parse_share"]

Share = Fraction
"""An exact share in (0, 1]."""
ONE = Fraction(1)


def parse_share(
    value: Fraction | Decimal | int | str, *, record: str | None = None, field: str | None = None
) -> Fraction:
    """Read an exact share: ``Fraction``, ``Decimal``, ``int``, ``"1/3"``, ``"0.25"`` or ``"25%"``.

    Raises:
        TypeError: ``value`` is a ``float``.
        InvalidShares: unreadable text, or a share outside (0, 1].
    """
    if type(value) is Fraction and 0 < value.numerator <= value.denominator:
        return value  # exact and in (0, 1] already (immutable; the denominator is positive): the common case
    if isinstance(value, float):
        raise wrong_type(
            "share", value, "Fraction, int or text such as '1/3' or '25%'", "分数、整数或文本（如 '1/3'、'25%'）"
        )
    if isinstance(value, bool):
        raise wrong_type(
            "share", value, "Fraction, int or text such as '1/3' or '25%'", "分数、整数或文本（如 '1/3'、'25%'）"
        )
    try:
        if isinstance(value, str):
            text = value.strip().replace("％", "%")
            if text.endswith("%"):
                share = exact_fraction(Decimal(text[:-1])) / 100
            else:
                share = Fraction(text) if "/" in text else exact_fraction(Decimal(text))
        elif isinstance(value, Decimal):
            share = exact_fraction(value)
        else:
            share = Fraction(value)
    except (ValueError, ArithmeticError) as exc:
        raise InvalidShares(
            f"not a share: {value!r}",
            f"不是有效份额：{value!r}",
            record=record,
            field=field,
            actual=value,
            expected="a fraction such as 1/3, 0.25 or 25%",
        ) from exc
    if not 0 < share <= 1:
        raise InvalidShares(
            f"share {share} is outside (0, 1]",
            f"份额 {share} 不在 (0, 1] 区间内",
            record=record,
            field=field,
            actual=str(share),
            expected="0 < share <= 1",
        )
    return share


def check_shares_sum_to_one(shares: Iterable[Fraction], *, record: str | None = None, field: str = "shares") -> None:
    """Refuse shares that do not add up to exactly 1 (no tolerance; DESIGN §4, §6).

    ``1/3 + 1/3 + 1/3`` passes; ``3333/10000 × 3`` is refused.

    Raises:
        TypeError: a share is a ``float``.
        InvalidShares: the sum is not exactly 1, or the list is empty.
    """
    items = list(shares)
    for share in items:
        if isinstance(share, float):
            raise wrong_type(field or "shares", share, "Fraction or int", "分数或整数", record=record)
    total = sum(items[1:], items[0]) if items else Fraction(0)  # no Fraction(0) + first: one addition less
    if not items or total != 1:
        raise InvalidShares(
            f"shares add up to {total}, not exactly 1",
            f"份额合计为 {total}，不等于 1",
            record=record,
            field=field,
            actual=str(total),
            expected="1",
        )
