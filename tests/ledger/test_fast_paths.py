"""The fast paths of reading keep their promises: the collector comes back on, a share stays checked."""

from __future__ import annotations

import gc
from fractions import Fraction

import pytest

from assetreg.adapters.ledger.reader import paused_gc
from assetreg.domain.shares import parse_share
from assetreg.errors import InvalidShares


def test_paused_gc_restores_the_collector_also_on_error() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()


@pytest.mark.parametrize("share", [Fraction(1), Fraction(1, 3), Fraction(55, 100)])
def test_a_fraction_in_range_is_returned_as_it_is(share: Fraction) -> None:
    assert parse_share(share) is share


@pytest.mark.parametrize("share", [Fraction(0), Fraction(-1, 3), Fraction(3, 2)])
def test_a_fraction_out_of_range_is_still_refused(share: Fraction) -> None:
    with pytest.raises(InvalidShares) as info:
        parse_share(share)
    assert info.value.message_en == f"share {share} is outside (0, 1]"
