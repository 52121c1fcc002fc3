"""Sum-preserving splits in integer fen (按比例分配，以分计).

DESIGN §8: the primitive under every split. Each part gets the floor of its exact share,
computed with exact integer arithmetic; the fen left over go one each to the parts with
the largest remainders (Hamilton / largest-remainder method); remainders that tie are
decided by a stable key (a beneficiary id), never by list position.

Guarantees of :func:`allocate`:

- the parts add up to the total exactly;
- each part is within one fen of its exact share ``total × w / Σw``;
- a part with zero weight gets zero;
- a negative total gives the mirror image of the positive split;
- the result does not depend on the order of the input (given keys);
- negative weights, all-zero weights, no parts, a key list of the wrong length, and
  duplicate keys among parts whose tie must be decided raise
  :class:`~assetreg.errors.AllocationError` (keys are consulted only to break ties, and
  only the tied keys are checked, so a split over 10^6 payees does not pay for hashing
  every key).

:func:`allocate_capped` fills parts up to their caps and reports what is left; it never
drops money silently.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar, overload

import attrs

from assetreg.domain.money import Money, exact_fraction
from assetreg.errors import AllocationError, wrong_type

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CappedAllocation", "Key", "Weight", "allocate", "allocate_capped", "integer_weights"]

Weight = int | Fraction | Decimal | str
"""An exact, non-negative weight: ``int``, ``Fraction``, ``Decimal`` or text (``"0.55"``,
``"1/3"``, ``"55%"``). ``float`` is refused with :class:`TypeError`."""

_M = TypeVar("_M", int, Money)

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

    Key: TypeAlias = SupportsRichComparison
else:
    Key = object
"""A tie-break key: hashable and comparable with the other keys (``str`` ids, ``int`` years)."""


def _exact_weight(weight: object, index: int) -> Fraction | int:
    if isinstance(weight, bool):
        raise wrong_type(f"weights.{index}", weight, "int, Fraction, Decimal or text", "整数、分数、Decimal 或文本")
    if isinstance(weight, int):
        return weight
    if isinstance(weight, float):
        raise wrong_type(
            f"weights.{index}",
            weight,
            "int, Fraction, Decimal or text such as '0.55'",
            "整数、分数、Decimal 或文本（如 '0.55'）",
            hint="float is inexact",
        )
    if isinstance(weight, Fraction):
        return weight
    if isinstance(weight, Decimal):
        try:
            return exact_fraction(weight)
        except ValueError:
            raise AllocationError(
                f"weight {index} is not finite" if not weight.is_finite() else f"weight {index} is out of range",
                f"第 {index} 个权重不是有限数" if not weight.is_finite() else f"第 {index} 个权重超出范围",
                field="weights",
                actual=str(weight),
            ) from None
    if isinstance(weight, str):
        text = weight.strip().replace("％", "%")
        try:
            if text.endswith("%"):
                return exact_fraction(Decimal(text[:-1])) / 100
            return Fraction(text) if "/" in text else exact_fraction(Decimal(text))
        except (ValueError, ArithmeticError) as exc:
            raise AllocationError(
                f"weight {index} is not a number: {weight!r}",
                f"第 {index} 个权重不是数字：{weight!r}",
                field="weights",
                actual=weight,
            ) from exc
    raise wrong_type(f"weights.{index}", weight, "int, Fraction, Decimal or text", "整数、分数、Decimal 或文本")


def integer_weights(weights: Sequence[Weight]) -> list[int]:
    """Bring exact weights to integers with the same ratios (common denominator).

    Args:
        weights: exact weights (see :data:`Weight`).

    Returns:
        Integers proportional to ``weights`` (the input list itself when it is all ``int``).

    Raises:
        TypeError: a weight is a ``float``, ``bool`` or another type.
        AllocationError: a weight is text that is not a number.
    """
    weights = list(weights)  # an iterator would be spent by the test below
    if all(type(w) is int for w in weights):
        return weights  # type: ignore[return-value]
    exact = [_exact_weight(w, i) for i, w in enumerate(weights)]
    denominator = 1
    for value in exact:
        if isinstance(value, Fraction):
            denominator = lcm(denominator, value.denominator)
    return [int(value * denominator) if isinstance(value, Fraction) else value * denominator for value in exact]


def _check(weights: list[int], keys: Sequence[Key] | None) -> int:
    if not weights:
        raise AllocationError(
            "nothing to allocate to: no parts",
            "没有分配对象",
            field="weights",
            actual=0,
            expected="at least one part",
        )
    if min(weights) < 0:
        index = next(i for i, w in enumerate(weights) if w < 0)
        raise AllocationError(
            f"weight {index} is negative",
            f"第 {index} 个权重为负数",
            field="weights",
            actual=weights[index],
            expected=">= 0",
        )
    whole = sum(weights)
    if whole == 0:
        raise AllocationError(
            "all weights are zero",
            "全部权重为零",
            field="weights",
            actual=0,
            expected="> 0",
        )
    if keys is not None and len(keys) != len(weights):
        raise AllocationError(
            f"{len(keys)} keys for {len(weights)} weights",
            f"键 {len(keys)} 个，权重 {len(weights)} 个，数量不一致",
            field="keys",
            actual=len(keys),
            expected=len(weights),
        )
    return whole


def _split(total: int, weights: list[int], whole: int, keys: Sequence[Key] | None) -> list[int]:
    negative = total < 0
    amount = -total if negative else total
    counts = Counter(weights)
    if len(counts) * _REPEATS <= len(weights):
        parts = _split_repeated(amount, weights, whole, keys, counts)
    else:
        parts = _split_general(amount, weights, whole, keys)
    if negative:
        return [-p for p in parts]
    return parts


_REPEATS = 4
"""Use the per-distinct-weight path when weights repeat at least this often on average."""


def _break_ties(tied: list[int], need: int, keys: Sequence[Key] | None) -> list[int]:
    """The ``need`` parts among ``tied`` (positions) that get a leftover fen: lowest keys."""
    if need >= len(tied):
        return tied
    if keys is not None:
        tied_keys = [keys[i] for i in tied]
        if len(set(tied_keys)) != len(tied_keys):
            raise AllocationError(
                "keys are not unique; a tie between equal keys cannot be decided",
                "键有重复，无法决定并列余数",
                field="keys",
            )
        tied.sort(key=keys.__getitem__)
    return tied[:need]


def _split_general(amount: int, weights: list[int], whole: int, keys: Sequence[Key] | None) -> list[int]:
    products = [amount * w for w in weights]
    parts = [p // whole for p in products]
    left = amount - sum(parts)
    if left:
        remainders = [p - q * whole for p, q in zip(products, parts, strict=True)]
        # The remainder of the `left`-th winner; every part above it wins outright,
        # parts equal to it are ordered by key (or position when no keys are given).
        cut = sorted(remainders, reverse=True)[left - 1]
        winners = [i for i, r in enumerate(remainders) if r > cut]
        tied = [i for i, r in enumerate(remainders) if r == cut]
        for i in winners:
            parts[i] += 1
        for i in _break_ties(tied, left - len(winners), keys):
            parts[i] += 1
    return parts


def _split_repeated(
    amount: int,
    weights: list[int],
    whole: int,
    keys: Sequence[Key] | None,
    counts: Counter[int],
) -> list[int]:
    """The same rule computed once per distinct weight (equal splits, days worked…).

    Parts with the same weight have the same exact share and the same remainder, so
    floors, remainders and the leftover are computed per distinct weight; only the parts
    tied at the cut-off are looked at one by one (by key). The result list refers to one
    int object per distinct amount.
    """
    floors = {w: amount * w // whole for w in counts}
    left = amount - sum(floors[w] * c for w, c in counts.items())
    by_remainder: dict[int, list[int]] = {}
    if left:
        for w in counts:
            by_remainder.setdefault(amount * w - floors[w] * whole, []).append(w)
    tied_winners: list[int] = []
    for remainder in sorted(by_remainder, reverse=True):
        group = by_remainder[remainder]
        size = sum(counts[w] for w in group)
        if size <= left:
            for w in group:
                floors[w] += 1
            left -= size
            if not left:
                break
            continue
        members = set(group)
        tied = [i for i, w in enumerate(weights) if w in members]
        tied_winners = _break_ties(tied, left, keys)
        break
    parts = list(map(floors.__getitem__, weights))
    for i in tied_winners:
        parts[i] += 1
    return parts


@overload
def allocate(total: int, weights: Sequence[Weight], *, keys: Sequence[Key] | None = None) -> tuple[int, ...]: ...
@overload
def allocate(total: Money, weights: Sequence[Weight], *, keys: Sequence[Key] | None = None) -> tuple[Money, ...]: ...
def allocate(
    total: int | Money, weights: Sequence[Weight], *, keys: Sequence[Key] | None = None
) -> tuple[int, ...] | tuple[Money, ...]:
    """Split ``total`` by ``weights`` with the largest-remainder rule (DESIGN §8).

    ``allocate(100, [1, 1, 1])`` is ``(34, 33, 33)``; with ``keys=["c", "b", "a"]`` the
    tied leftover fen goes to key ``"a"`` instead: ``(33, 33, 34)``.

    Args:
        total: the amount, as ``int`` fen (or any integer minor unit) or :class:`Money`.
        weights: one exact, non-negative weight per part; the weights are relative (they
            need not add up to 1).
        keys: one unique, mutually comparable key per part (beneficiary ids); remainders
            that tie are decided in ascending key order (equal keys among tied parts
            are refused). Without keys, ties go to the lower
            position, and the result then depends on input order.

    Returns:
        The parts, in the order of ``weights``, as the same type as ``total``.

    Raises:
        TypeError: ``total`` is not ``int``/``Money``, or a weight is a ``float``.
        AllocationError: no parts, a negative weight, all weights zero, a key list of the
            wrong length, or equal keys among parts whose tie must be decided.
    """
    if isinstance(total, Money):
        return tuple(Money(p) for p in allocate(total.fen, weights, keys=keys))
    if isinstance(total, bool) or not isinstance(total, int):
        raise wrong_type("total", total, "int fen or Money", "整数（分）或金额 Money")
    ints = integer_weights(weights)
    whole = _check(ints, keys)
    return tuple(_split(total, ints, whole, keys))


@attrs.frozen
class CappedAllocation(Generic[_M]):
    """The result of :func:`allocate_capped`.

    Attributes:
        parts: the amount of each part, in input order.
        leftover: what could not be placed because every part that could take it is full
            (or has zero weight); ``parts`` plus ``leftover`` add up to the total.
    """

    parts: tuple[_M, ...]
    leftover: _M


@overload
def allocate_capped(
    total: int,
    weights: Sequence[Weight],
    caps: Sequence[int | Money | None],
    *,
    keys: Sequence[Key] | None = None,
) -> CappedAllocation[int]: ...
@overload
def allocate_capped(
    total: Money,
    weights: Sequence[Weight],
    caps: Sequence[int | Money | None],
    *,
    keys: Sequence[Key] | None = None,
) -> CappedAllocation[Money]: ...
def allocate_capped(
    total: int | Money,
    weights: Sequence[Weight],
    caps: Sequence[int | Money | None],
    *,
    keys: Sequence[Key] | None = None,
) -> CappedAllocation[int] | CappedAllocation[Money]:
    """Split ``total`` by ``weights`` without giving any part more than its cap.

    Water-filling: parts whose exact share would pass their cap get the cap, and the
    rest is shared again among the others by weight, until no share passes a cap; the
    last round is an :func:`allocate`. Whatever no part can take is reported as
    ``leftover`` (never dropped). A negative total mirrors a positive one (caps are
    then limits on the magnitude).

    Args:
        total: amount in fen (``int``) or :class:`Money`.
        weights: exact non-negative weights, one per part.
        caps: the most each part may receive (fen or Money, ``None`` = no cap); >= 0.
        keys: unique tie-break keys, as for :func:`allocate`.

    Returns:
        :class:`CappedAllocation` with ``sum(parts) + leftover == total``.

    Raises:
        TypeError: a float weight, or a total that is not int/Money.
        AllocationError: as :func:`allocate`, a cap list of the wrong length, or a
            negative cap.
    """
    if isinstance(total, Money):
        inner = allocate_capped(total.fen, weights, caps, keys=keys)
        return CappedAllocation(tuple(Money(p) for p in inner.parts), Money(inner.leftover))
    if isinstance(total, bool) or not isinstance(total, int):
        raise wrong_type("total", total, "int fen or Money", "整数（分）或金额 Money")
    ints = integer_weights(weights)
    _check(ints, keys)
    if len(caps) != len(ints):
        raise AllocationError(
            f"{len(caps)} caps for {len(ints)} weights",
            f"上限 {len(caps)} 个，权重 {len(ints)} 个，数量不一致",
            field="caps",
            actual=len(caps),
            expected=len(ints),
        )
    limits: list[int | None] = [c.fen if isinstance(c, Money) else c for c in caps]
    for index, cap in enumerate(limits):
        if cap is not None and cap < 0:
            raise AllocationError(
                f"cap {index} is negative",
                f"第 {index} 个上限为负数",
                field="caps",
                actual=cap,
                expected=">= 0",
            )
    sign = -1 if total < 0 else 1
    remaining = abs(total)
    parts = [0] * len(ints)
    active = [i for i, w in enumerate(ints) if w > 0]
    while active and remaining:
        whole = sum(ints[i] for i in active)
        full = [i for i in active if (cap := limits[i]) is not None and remaining * ints[i] >= cap * whole]
        if not full:
            sub_keys = None if keys is None else [keys[i] for i in active]
            shares = _split(remaining, [ints[i] for i in active], whole, sub_keys)
            for i, share in zip(active, shares, strict=True):
                parts[i] = share
            remaining = 0
            break
        for i in full:
            cap = limits[i]
            assert cap is not None  # noqa: S101 - selected above only when capped
            parts[i] = cap
            remaining -= cap
        chosen = set(full)
        active = [i for i in active if i not in chosen]
    return CappedAllocation(tuple(sign * p for p in parts), sign * remaining)
