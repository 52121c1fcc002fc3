"""Filtering an audit by area prefix or class must only ever remove findings.

Regression: restricting the books used to turn "revenue supplied, distributions not
supplied" into "distributions supplied and empty", so AUD-607 appeared only when filtered.
"""

from __future__ import annotations

import pytest

from assetreg.audit import AuditBooks, run_checks
from assetreg.demo import DEMO_AS_OF, run_demo
from assetreg.domain.vocab import AssetClass


@pytest.fixture(scope="module")
def demo():
    return run_demo()


@pytest.mark.parametrize("prefix", ["6", "62", "620822", "620902", "130607", "632323", "99"])
def test_prefix_filter_is_a_subset(demo, prefix):
    books = AuditBooks(register=demo.register, revenue=demo.income.entries)
    everything = set(run_checks(books, as_of=DEMO_AS_OF, policy=demo.policy))
    filtered = set(run_checks(books, as_of=DEMO_AS_OF, policy=demo.policy, prefix=prefix))
    assert filtered <= everything
    assert {f for f in everything if f.area is not None and f.area.startswith(prefix)} <= filtered


def test_parts_not_supplied_stay_not_supplied(demo):
    books = AuditBooks(register=demo.register, revenue=demo.income.entries)
    narrowed = books.restrict(prefix="620822")
    assert narrowed.supplies("revenue")
    assert not narrowed.supplies("distributions")
    assert not narrowed.supplies("notices")


def test_class_filter_is_a_subset(demo):
    books = AuditBooks(register=demo.register, revenue=demo.income.entries)
    everything = set(run_checks(books, as_of=DEMO_AS_OF, policy=demo.policy))
    filtered = set(run_checks(books, as_of=DEMO_AS_OF, policy=demo.policy, classes=[AssetClass.OPERATING]))
    assert filtered <= everything
