"""allocate / allocate_capped: exact examples and the DESIGN §8 invariants as properties."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.domain.allocation import _split_general, _split_repeated
from assetreg.domain.money import Money
from assetreg.errors import AllocationError
from assetreg.income.allocate import allocate, allocate_capped, integer_weights

totals = st.integers(min_value=-(10**15), max_value=10**15)
weight_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(
    lambda ws: sum(ws) > 0
)
fraction_weights = st.lists(
    st.fractions(min_value=0, max_value=100, max_denominator=1000), min_size=1, max_size=20
).filter(lambda ws: sum(ws) > 0)


def test_exact_examples() -> None:
    assert allocate(100, [1, 1, 1]) == (34, 33, 33)
    assert allocate(100, [1, 1, 1], keys=["c", "b", "a"]) == (33, 33, 34)
    assert allocate(-100, ["1/3", "1/3", "1/3"]) == (-34, -33, -33)
    assert allocate(Money.yuan("45000"), ["55%", "30%", "15%"]) == (
        Money.yuan("24750"),
        Money.yuan("13500"),
        Money.yuan("6750"),
    )
    assert allocate(10, [Decimal("0.1"), Fraction(1, 5), 1]) == (1, 1, 8)
    assert allocate(7, [0, 3, 0]) == (0, 7, 0)


@pytest.mark.parametrize(
    ("weights", "keys"),
    [([], None), ([0, 0], None), ([1, -1], None), ([1, 1], ["a"]), ([1, 1], ["a", "a"])],
)
def test_refused(weights: list[int], keys: list[str] | None) -> None:
    with pytest.raises(AllocationError):
        allocate(101, weights, keys=keys)


def test_equal_keys_matter_only_when_they_decide_a_tie() -> None:
    assert allocate(100, [1, 1], keys=["a", "a"]) == (50, 50)


def test_float_refused() -> None:
    with pytest.raises(TypeError):
        allocate(100, [0.5, 0.5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        allocate(1.0, [1])  # type: ignore[call-overload]
    with pytest.raises(AllocationError):
        allocate(100, ["half", "1"])


def test_integer_weights_keep_ratios() -> None:
    assert integer_weights(["1/3", Decimal("0.5"), 2]) == [2, 3, 12]


@given(totals, weight_lists)
def test_parts_sum_and_stay_within_one_fen(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(Fraction(part) - Fraction(total * weight, whole)) < 1
        if weight == 0:
            assert part == 0


@given(totals, fraction_weights)
def test_fraction_weights_sum_exactly(total: int, weights: list[Fraction]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < 1


@given(totals, weight_lists, st.randoms(use_true_random=False))
def test_input_order_is_irrelevant(total: int, weights: list[int], rnd: object) -> None:
    keys = [f"h{i:04d}" for i in range(len(weights))]
    base = dict(zip(keys, allocate(total, weights, keys=keys), strict=True))
    pairs = list(zip(keys, weights, strict=True))
    rnd.shuffle(pairs)  # type: ignore[attr-defined]
    shuffled = allocate(total, [w for _, w in pairs], keys=[k for k, _ in pairs])
    assert dict(zip([k for k, _ in pairs], shuffled, strict=True)) == base


@given(totals, weight_lists)
def test_negative_total_mirrors(total: int, weights: list[int]) -> None:
    keys = list(range(len(weights)))
    assert allocate(-total, weights, keys=keys) == tuple(-p for p in allocate(total, weights, keys=keys))


def test_capped_examples() -> None:
    assert allocate_capped(1000, [1, 1, 1], [100, None, 200]).parts == (100, 700, 200)
    result = allocate_capped(1000, [1, 1, 1], [100, 100, 200])
    assert result.parts == (100, 100, 200)
    assert result.leftover == 600
    money = allocate_capped(Money(-1000), [1, 1], [Money(300), None])
    assert money.parts == (Money(-300), Money(-700))
    assert money.leftover == Money(0)
    only_zero = allocate_capped(50, [0, 1], [None, 0])
    assert only_zero.parts == (0, 0)
    assert only_zero.leftover == 50
    with pytest.raises(AllocationError):
        allocate_capped(10, [1, 1], [1])
    with pytest.raises(AllocationError):
        allocate_capped(10, [1, 1], [1, -1])


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=1000),
            st.none() | st.integers(min_value=0, max_value=10**6),
        ),
        min_size=1,
        max_size=20,
    ).filter(lambda rows: sum(w for w, _ in rows) > 0),
)
def test_capped_never_loses_money_nor_passes_a_cap(total: int, rows: list[tuple[int, int | None]]) -> None:
    weights = [w for w, _ in rows]
    caps = [c for _, c in rows]
    result = allocate_capped(total, weights, caps)
    assert sum(result.parts) + result.leftover == total
    for part, (weight, cap) in zip(result.parts, rows, strict=True):
        if cap is not None:
            assert abs(part) <= cap
        if weight == 0:
            assert part == 0
    if result.leftover:
        # money is left only when every part with weight is full
        assert all(
            cap is not None and abs(part) == cap
            for part, (weight, cap) in zip(result.parts, rows, strict=True)
            if weight > 0
        )


@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=60).filter(lambda ws: sum(ws) > 0),
    st.booleans(),
)
def test_repeated_weight_path_matches_general_path(total: int, weights: list[int], with_keys: bool) -> None:
    keys = [f"k{(i * 7919) % 1000:03d}-{i}" for i in range(len(weights))] if with_keys else None
    whole = sum(weights)
    general = _split_general(total, weights, whole, keys)
    repeated = _split_repeated(total, weights, whole, keys, Counter(weights))
    assert general == repeated
    assert allocate(total, weights, keys=keys) == tuple(general)
