"""Hostile numbers at the domain API: refused with a coded error, never a hang or a bare ValueError."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.domain.money import Money, exact_fraction
from assetreg.domain.shares import parse_share
from assetreg.errors import InvalidAmount, InvalidShares

# Each of these used to build a billion-digit integer (Fraction(Decimal("1e999999999")))
# and hang the process; now they are refused at once.
HUGE_EXPONENTS = ["1e999999999", "1e-999999999", "1E+100000"]


@pytest.mark.parametrize("text", HUGE_EXPONENTS)
def test_rate_with_huge_exponent_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        Money(100).times(text)
    assert caught.value.code == "AR-101"
    assert caught.value.field == "rate"
    assert caught.value.actual == text


@pytest.mark.parametrize("text", [f"{t}%" for t in HUGE_EXPONENTS])
def test_percent_rate_with_huge_exponent_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        Money(100).times(text)
    assert caught.value.field == "rate"


@pytest.mark.parametrize("rate", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1E+999999999")])
def test_non_finite_or_huge_decimal_rate_is_invalid_amount_not_value_error(rate: Decimal) -> None:
    # Decimal("NaN") used to escape as a bare ValueError from Fraction().
    with pytest.raises(InvalidAmount) as caught:
        Money(100).times(rate)
    assert caught.value.code == "AR-101"
    assert caught.value.field == "rate"


@pytest.mark.parametrize("text", HUGE_EXPONENTS)
def test_share_with_huge_exponent_is_refused(text: str) -> None:
    with pytest.raises(InvalidShares) as caught:
        parse_share(text, record="LT-PV-001", field="holders[0].share")
    assert caught.value.code == "AR-103"
    assert caught.value.record == "LT-PV-001"
    assert caught.value.field == "holders[0].share"


def test_share_decimal_with_huge_exponent_is_refused() -> None:
    with pytest.raises(InvalidShares):
        parse_share(Decimal("1E-999999999"), field="share")


def test_amount_with_5000_digits_is_refused_not_accepted() -> None:
    # It used to be accepted, and then str()/repr() of the Money raised a bare
    # ValueError (Python's 4,300-digit int-to-text limit).
    with pytest.raises(InvalidAmount) as caught:
        Money.parse("9" * 5000, field="original_value")
    assert caught.value.field == "original_value"
    assert caught.value.details["kind"] == "too_many_digits"


@pytest.mark.parametrize("amount", [Decimal("1E+1000000"), Decimal("1E-999999999"), "1" + "0" * 100])
def test_yuan_with_absurd_exponent_is_refused(amount: Decimal | str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        Money.yuan(amount, field="amount")
    assert caught.value.field == "amount"


def test_exact_fraction_keeps_ordinary_values_exact() -> None:
    assert exact_fraction(Decimal("851.65")) == Fraction(85165, 100)
    assert exact_fraction(Decimal("0E-10")) == 0
    assert exact_fraction(Decimal("1e64")) == 10**64
    assert Money(10).times("1e-64") == Money(0)
    with pytest.raises(ValueError, match="exponent"):
        exact_fraction(Decimal("1e65"))
    with pytest.raises(ValueError, match="finite"):
        exact_fraction(Decimal("NaN"))


def test_large_but_sane_amounts_still_work() -> None:
    assert Money.yuan("10000000000000000000000000000.01") == Money(10**30 + 1)
