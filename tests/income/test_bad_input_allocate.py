"""Hostile weights for allocate: a coded error at once, or the exact split."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assetreg.errors import AllocationError
from assetreg.income.allocate import allocate


@pytest.mark.parametrize("weight", [Decimal("1E+999999999"), "1e999999999", "1e-999999999%"])
def test_weight_with_huge_exponent_is_refused_at_once(weight: Decimal | str) -> None:
    # Used to hang building a billion-digit integer.
    with pytest.raises(AllocationError) as caught:
        allocate(100, [weight, 1])
    assert caught.value.code == "AR-400"
    assert caught.value.field == "weights"
    assert caught.value.actual == str(weight)


def test_weights_given_as_an_iterator_are_not_lost() -> None:
    # Used to say "nothing to allocate to: no parts": the iterator was spent by a type test.
    assert allocate(100, iter([1, 2])) == (33, 67)  # type: ignore[arg-type]
