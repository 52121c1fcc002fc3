"""The numpy path of ``allocate`` gives exactly the pure path's parts (DESIGN §8, §11).

Properties over small and repeated weights (many ties), with and without keys, plus the
cases where the vectorised path must step aside (products beyond ``int64``) and where a
tie between equal keys must be refused the same way.
"""

from __future__ import annotations

import importlib
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.domain.allocation import _break_ties, _kth_largest, _split_general, _split_repeated, allocate
from assetreg.domain.allocation_np import INT64_MAX, numpy_available, split_int64
from assetreg.errors import AllocationError

amounts = st.integers(min_value=0, max_value=10**12)
weights_st = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=80).filter(lambda ws: sum(ws) > 0)
allocate_module = importlib.import_module("assetreg.domain.allocation")  # where the split is implemented
repeated_st = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=120).filter(lambda ws: sum(ws) > 0)


def _keys(n: int, with_keys: bool) -> list[str] | None:
    return [f"k{(i * 7919) % 1000:03d}-{i}" for i in range(n)] if with_keys else None


def test_numpy_is_installed_for_the_tests():
    assert numpy_available()


@given(amounts, weights_st, st.booleans())
def test_numpy_path_equals_the_general_path(amount, weights, with_keys):
    keys = _keys(len(weights), with_keys)
    whole = sum(weights)
    assert split_int64(amount, weights, whole, keys, _break_ties) == _split_general(amount, weights, whole, keys)


@given(amounts, repeated_st, st.booleans())
def test_numpy_path_equals_the_repeated_path_with_many_ties(amount, weights, with_keys):
    keys = _keys(len(weights), with_keys)
    whole = sum(weights)
    expected = _split_repeated(amount, weights, whole, keys, Counter(weights))
    assert split_int64(amount, weights, whole, keys, _break_ties) == expected


@given(st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=1, max_size=60), st.data())
def test_kth_largest_is_the_sorted_one(values, data):
    k = data.draw(st.integers(min_value=1, max_value=len(values)))
    assert _kth_largest(values, k) == sorted(values, reverse=True)[k - 1]


def test_products_beyond_int64_take_the_pure_path():
    weights = [10**9, 10**9 + 1, 3]
    amount = 12_345_678_901_234  # amount × 10^9 > 2^63
    assert amount * max(weights) > INT64_MAX
    assert split_int64(amount, weights, sum(weights), None, _break_ties) is None
    assert split_int64(INT64_MAX + 1, [1, 1], 2, None, _break_ties) is None


def test_equal_keys_deciding_a_tie_are_refused_on_both_paths():
    weights, keys = [1, 1, 1], ["a", "a", "b"]
    with pytest.raises(AllocationError, match="not unique"):
        split_int64(100, weights, 3, keys, _break_ties)  # two leftover-free parts tie for one fen
    with pytest.raises(AllocationError, match="not unique"):
        _split_general(100, weights, 3, keys)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_allocate_takes_the_numpy_path_for_large_splits_with_the_same_result(monkeypatch, seed):
    rnd = random.Random(seed)  # noqa: S311 - test data
    n = allocate_module.VECTOR_FROM
    weights = [rnd.randint(0, 10**6) for _ in range(n)]
    keys = [f"H{i:06d}" for i in rnd.sample(range(n), n)]
    total = 123_456_789_01
    expected = tuple(_split_general(total, weights, sum(weights), keys))
    calls = []
    real = allocate_module.split_int64

    def spy(*args):
        calls.append(len(args[1]))
        return real(*args)

    monkeypatch.setattr(allocate_module, "split_int64", spy)
    assert allocate(total, weights, keys=keys) == expected
    assert allocate(-total, weights, keys=keys) == tuple(-p for p in expected)
    assert calls == [n, n]
    assert allocate(total, weights[:-1], keys=keys[:-1]) == tuple(
        _split_general(total, weights[:-1], sum(weights[:-1]), keys[:-1])
    )
    assert calls == [n, n]  # below the threshold: pure path
