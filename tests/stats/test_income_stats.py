"""Income and distribution summaries, exact to the fen.

Income: the bundled sample's revenue (src/assetreg/samples/sample_revenue.csv, sources in the
samples README): 满城 127,747.50 元 for [2023-11-01, 2024-02-01), 灵台 73,000.00 元 for
[2019-05-01, 2020-05-01), 肃州 45,000.00 元 for 2019. Spread by months (P10): 灵台 8/12 to 2019
= 48,666.67 and 4/12 to 2020 = 24,333.33; 满城 2/3 to 2023 = 85,165.00 and 1/3 to 2024 = 42,582.50.

Distributions: the 柳家铺村 PV distribution of tests/sql/book_builders.py (gross 73,000.00,
O&M capped at 5,580.00, pool 67,420.00; 45 % = 30,339.00 to the collective, 37,081.00 to the
households by days of public labour).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger
from assetreg.domain.money import Money
from assetreg.domain.policy import Policy
from assetreg.errors import InvalidChoice
from assetreg.samples import sample_path
from assetreg.stats import distribution_table, income_series, income_table
from sql.book_builders import at, distribution

RECORDED = datetime(2024, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample():
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    register = import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=policy).register
    return register, read_income_ledger(sample_path("sample_revenue.csv")).entries


def _rows(table):
    return [(r.key, r.count, r.amounts[0]) for r in (*table.rows, table.total)]


def test_income_by_year_spreads_entries_over_their_years(sample) -> None:
    register, entries = sample
    table = income_table(register, entries, "year")
    assert _rows(table) == [
        ("2019", 2, Money.yuan("93666.67")),  # 48,666.67 + 45,000.00
        ("2020", 1, Money.yuan("24333.33")),
        ("2023", 1, Money.yuan("85165.00")),
        ("2024", 1, Money.yuan("42582.50")),
        ("total", 3, Money.yuan("245747.50")),
    ]
    # Received by 2020-12-31: 满城's quarter (paid 2024-09-09) is not in yet.
    assert _rows(income_table(register, entries, "year", as_of=date(2020, 12, 31)))[-1] == (
        "total",
        2,
        Money.yuan("118000.00"),
    )


def test_income_by_kind_area_and_class(sample) -> None:
    register, entries = sample
    assert _rows(income_table(register, entries, "kind")) == [
        ("guaranteed_return", 1, Money.yuan("127747.50")),
        ("profit_share", 1, Money.yuan("45000.00")),
        ("sales", 1, Money.yuan("73000.00")),
        ("total", 3, Money.yuan("245747.50")),
    ]
    by_area = income_table(register, entries, "area")
    assert [r.key for r in by_area.rows] == ["130607", "620822", "620902"]
    shown = by_area.shown(places=0)
    # 12.774750 → 13, 7.3 → 7, 4.5 → 5 (half-up): 25 = 25, nothing to reconcile.
    assert ([r.amounts[0] for r in shown.rows], shown.total.amounts, shown.reconciliations) == (
        ["13", "7", "5"],
        ("25",),
        (),
    )
    assert _rows(income_table(register, entries, "class")) == [
        ("operating", 3, Money.yuan("245747.50")),
        ("total", 3, Money.yuan("245747.50")),
    ]
    orphan = attrs.evolve(entries[0], id="X-1", asset_id="NOT-REGISTERED")
    assert income_table(register, [orphan], "area").rows[0].key == "unknown"


def test_income_series_by_class_and_area(sample) -> None:
    register, entries = sample
    series = income_series(register, entries, "area")
    assert series.years == (2019, 2020, 2021, 2022, 2023, 2024)
    assert [g[0] for g in series.groups] == ["130607", "620822", "620902"]
    assert series.amounts[1] == (Money.yuan("48666.67"), Money.yuan("24333.33"), Money(0), Money(0), Money(0), Money(0))
    assert series.total(2019) == Money.yuan("93666.67")
    with pytest.raises(InvalidChoice):
        income_series(register, entries, "year")


def test_distributions_by_year_area_and_kind() -> None:
    record = distribution()
    by_year = distribution_table([record], "year")
    assert [(r.key, r.count, r.amounts) for r in by_year.rows] == [
        ("2019", 1, (Money.yuan("73000"), Money.yuan("5580"), Money.yuan("67420"), Money.yuan("67420"))),
    ]
    assert by_year.rows[0].amounts == by_year.total.amounts
    assert [c.zh for c in by_year.columns] == ["收益", "扣除", "可分配收益", "已分配"]
    by_kind = distribution_table([record], "kind")
    assert [(r.key, r.amounts[0]) for r in by_kind.rows] == [
        ("household", Money.yuan("37081.00")),
        ("collective", Money.yuan("30339.00")),
    ]
    assert by_kind.total.count == len(record.lines)
    assert distribution_table([record], "area").rows[0].key == "620822"
    with pytest.raises(InvalidChoice):
        distribution_table([record], "class")


def test_distributions_as_known_at_and_as_of() -> None:
    first = distribution()
    correction = attrs.evolve(
        first, id="DIST-LT-2019-B", supersedes=first.id, recorded_at=at(10), pool=Money.yuan("67000")
    )
    books = [first, correction]
    assert distribution_table(books, "year").total.amounts[2] == Money.yuan("67000")
    assert distribution_table(books, "year", known_at=at(5)).total.amounts[2] == Money.yuan("67420")
    assert distribution_table(books, "year", as_of=date(2020, 4, 29)).rows == ()
    assert distribution_table(books, "year", known_at=datetime(2020, 1, 1, tzinfo=UTC)).total.count == 0
