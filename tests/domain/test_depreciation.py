"""Depreciation and book values (P13): public vectors, the P13 rules with exact values, properties.

The vectors in ``data/depreciation_vectors.json`` come from the test suites of ERPNext, OCA
``account_asset_management`` and Snipe-IT (each case names its library, file, commit and
test). Their conventions differ from P13 in two ways, which the tests state case by case:

* they charge the month the asset becomes available (``StartRule.SAME_MONTH``); P13 starts
  the month after (``StartRule.NEXT_MONTH``);
* ERPNext and OCA charge yearly (``frequency_months=12``); P13 charges monthly.

Where a source's test depends on "this year" or "ten years ago", a fixed date is used
instead (named in the test), so the suite never reads the clock.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.depreciation import (
    BookValues,
    DepreciationMethod,
    DepreciationPlan,
    DepreciationRow,
    ResidualTreatment,
    StartRule,
    book_values,
    depreciation_schedule,
    donated_book_value,
    is_biological,
    is_depreciable,
    is_fixed_asset,
    plan_for,
    yearly,
)
from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.periods import Period, add_months
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.vocab import AssetClass, AssetForm, AssetKind
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidValue
from domain.builders import VILLAGE_HUISHI

VECTORS = json.loads((Path(__file__).parent / "data" / "depreciation_vectors.json").read_text(encoding="utf-8"))
CASES: dict[str, dict[str, Any]] = {case["id"]: case for case in VECTORS["cases"]}
FAR = date(2150, 1, 1)  # past the latest end of life the property tests draw (2060 + 480 months)


def yuan(text: str) -> Money:
    """A source amount ("30000.00", "1500.0", "2000") as Money, via Decimal to 2 places."""
    return Money.yuan(Decimal(text).quantize(Decimal("0.01")))


def asset(
    original: Money, *, kind: AssetKind = AssetKind.EQUIPMENT, form: AssetForm = AssetForm.FIXED, **more: Any
) -> Asset:
    return Asset(
        id=AssetId("DEP-1"),
        name="测试资产",
        asset_class=AssetClass.OPERATING,
        form=form,
        kind=kind,
        location=VILLAGE_HUISHI,
        original_value=original,
        **more,
    )


# -- public vectors ---------------------------------------------------------------------------
def erpnext_straight_line(case: dict[str, Any]) -> None:
    """ERPNext: yearly rows dated at each year end, the first year full (available 1 January)."""
    inputs = case["inputs"]
    plan = DepreciationPlan(
        life_months=inputs["periods"] * inputs["frequency_months"],
        residual_amount=yuan(inputs["salvage"]),
        start=StartRule.SAME_MONTH,  # ERPNext charges the year the asset becomes available
        frequency_months=inputs["frequency_months"],
    )
    rows = depreciation_schedule(
        yuan(inputs["gross"]), plan, in_service=date.fromisoformat(inputs["available_for_use_date"]), until=FAR
    )
    got = [(row.period.last.isoformat(), row.charge, row.accumulated) for row in rows]
    assert got == [(r["date"], yuan(r["depreciation"]), yuan(r["accumulated"])) for r in case["expected_rows"]]
    # The same figures from a monthly schedule summed by year (2500.00 a month, exact).
    monthly = attrs.evolve(plan, frequency_months=1)
    by_year = yearly(
        depreciation_schedule(
            yuan(inputs["gross"]), monthly, in_service=date.fromisoformat(inputs["available_for_use_date"]), until=FAR
        )
    )
    assert [(row.period.last.isoformat(), row.charge, row.accumulated) for row in by_year] == got
    # Difference from P13: starting the month after (February 2030) moves one month's
    # charge (2500.00) into a fourth year, 2033.
    p13 = depreciation_schedule(
        yuan(inputs["gross"]),
        attrs.evolve(monthly, start=StartRule.NEXT_MONTH),
        in_service=date(2030, 1, 1),
        until=FAR,
    )
    assert [(row.period.last.year, row.charge) for row in yearly(p13)] == [
        (2030, Money.yuan("27500.00")),
        (2031, Money.yuan("30000.00")),
        (2032, Money.yuan("30000.00")),
        (2033, Money.yuan("2500.00")),
    ]
    assert p13[-1].accumulated == Money.yuan("90000.00")


def oca_linear(case: dict[str, Any]) -> None:
    """OCA linear, not pro rata: line 0 is OCA's base line, lines 1… are yearly charges.

    ``date_start`` is 1 January of the year the test runs; 2024 is used. OCA's
    ``value_residual`` is the depreciable base less what has been depreciated (not the
    net value): for the car, 10000 − 2000 = 8000 while the net value is 10000.
    """
    inputs = case["inputs"]
    original = yuan(inputs["gross"])
    plan = DepreciationPlan(
        life_months=inputs["periods"] * inputs["frequency_months"],
        residual_amount=yuan(inputs["salvage"]),
        start=StartRule.SAME_MONTH,
        frequency_months=inputs["frequency_months"],
    )
    rows = depreciation_schedule(original, plan, in_service=date(2024, 1, 1), until=FAR)
    other = case["expected_other"]
    assert len(rows) + 1 == other["line_count_including_base_line"]
    for expected in case["expected_rows"]:
        assert rows[expected["line"] - 1].charge == yuan(expected["amount"])
    base = plan.depreciable_base(original)
    if "depreciation_base" in other:
        assert base == yuan(other["depreciation_base"])
    posted = other["after_posting_line_1"]
    assert rows[0].accumulated == yuan(posted["value_depreciated"])
    assert base - rows[0].accumulated == yuan(posted["value_residual"])
    assert rows[-1].accumulated == base


def oca_linear_limit(case: dict[str, Any]) -> None:
    """OCA linear-limit: 1000 / 5 a year until the net value reaches the salvage (100).

    ``date_start`` is 7 July of the year the test runs; 2024-07-07 is used. OCA dates its
    non-pro-rata lines by fiscal year; our yearly blocks run from July. Only the amounts and
    the line count are asserted by the source, and those are what is compared.
    """
    inputs = case["inputs"]
    plan = DepreciationPlan(
        life_months=inputs["periods"] * inputs["frequency_months"],
        residual_amount=yuan(inputs["salvage"]),
        residual_treatment=ResidualTreatment.FLOOR,
        start=StartRule.SAME_MONTH,
        frequency_months=inputs["frequency_months"],
    )
    rows = depreciation_schedule(yuan(inputs["gross"]), plan, in_service=date(2024, 7, 7), until=FAR)
    assert len(rows) + 1 == case["expected_other"]["line_count_including_base_line"]
    for expected in case["expected_rows"]:
        index = expected["line"] - 1 if expected["line"] > 0 else expected["line"]
        assert rows[index].charge == yuan(expected["amount"])
    assert rows[-1].net_book_value == yuan(inputs["salvage"])


def snipeit_floor(case: dict[str, Any]) -> None:
    """Snipe-IT: value after ``periods`` months reaches the floor and stays there.

    Purchase "ten years before the test runs" is pinned to 2015-06-01 and "now" to
    2025-06-01 (120 months). Snipe-IT counts months passed since purchase, which is the
    ``SAME_MONTH`` start with months charged once over.
    """
    inputs = case["inputs"]
    original = yuan(inputs["gross"])
    salvage: str = inputs["salvage"]
    if salvage.endswith("%"):
        plan = DepreciationPlan(
            life_months=inputs["periods"], residual_rate=Fraction(salvage[:-1]) / 100, start=StartRule.SAME_MONTH
        )
    else:
        plan = DepreciationPlan(
            life_months=inputs["periods"], residual_amount=yuan(salvage), start=StartRule.SAME_MONTH
        )
    values = book_values(asset(original), NATIONAL_2021, as_of=date(2025, 6, 1), in_service=date(2015, 6, 1), plan=plan)
    (expected,) = case["expected_rows"]
    assert values.net_book_value == yuan(expected["depreciated_value"])
    assert values.fully_depreciated


VECTOR_RUNNERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "erpnext-test_schedule_for_straight_line_method": erpnext_straight_line,
    "oca-test_01_nonprorata_basic-laptop": oca_linear,
    "oca-test_01_nonprorata_basic-car": oca_linear,
    "oca-test_07_linear_limit": oca_linear_limit,
    "snipeit-testDepreciationAmount": snipeit_floor,
    "snipeit-testDepreciationPercentage": snipeit_floor,
}


def test_every_vector_has_a_runner_and_a_source() -> None:
    assert sorted(CASES) == sorted(VECTOR_RUNNERS)
    for case in CASES.values():
        assert {"library", "file", "commit", "test"} <= set(case["source"])


@pytest.mark.parametrize("case_id", sorted(VECTOR_RUNNERS))
def test_public_vector(case_id: str) -> None:
    VECTOR_RUNNERS[case_id](CASES[case_id])


# -- P13 rules with exact values --------------------------------------------------------------
ROAD = asset(Money.yuan("240000.00"), kind=AssetKind.ROAD)  # default life 240 months → 1000.00 a month


class TestStartAndRemoval:
    def test_starts_the_month_after_entering_service(self) -> None:
        on = date(2024, 3, 15)
        assert book_values(ROAD, NATIONAL_2021, as_of=date(2024, 3, 31), in_service=on).accumulated_depreciation == (
            Money(0)
        )
        assert book_values(ROAD, NATIONAL_2021, as_of=date(2024, 4, 29), in_service=on).accumulated_depreciation == (
            Money(0)
        )
        april = book_values(ROAD, NATIONAL_2021, as_of=date(2024, 4, 30), in_service=on)
        assert april == BookValues(
            original_value=Money.yuan("240000.00"),
            residual_value=Money(0),
            accumulated_depreciation=Money.yuan("1000.00"),
            net_book_value=Money.yuan("239000.00"),
        )

    def test_first_day_of_the_month_still_waits_a_month(self) -> None:
        rows = depreciation_schedule(
            ROAD.original_value, plan_for(ROAD, NATIONAL_2021), in_service=date(2024, 3, 1), until=date(2024, 6, 1)
        )
        assert [row.period for row in rows] == [Period.month(2024, 4), Period.month(2024, 5)]

    def test_default_entry_date_is_the_hand_over(self) -> None:
        handed = attrs.evolve(ROAD, completed_on=date(2023, 11, 20), handed_over_on=date(2024, 1, 5))
        values = book_values(handed, NATIONAL_2021, as_of=date(2024, 12, 31))
        assert values.accumulated_depreciation == Money.yuan("11000.00")  # February–December
        completed = attrs.evolve(ROAD, completed_on=date(2023, 11, 20))
        assert book_values(completed, NATIONAL_2021, as_of=date(2024, 12, 31)).accumulated_depreciation == (
            Money.yuan("13000.00")  # December 2023 – December 2024
        )
        with pytest.raises(InvalidValue):
            book_values(ROAD, NATIONAL_2021, as_of=date(2024, 12, 31))

    def test_month_of_removal_is_charged(self) -> None:
        plan = plan_for(ROAD, NATIONAL_2021)
        rows = depreciation_schedule(
            ROAD.original_value, plan, in_service=date(2024, 3, 15), removed=date(2025, 6, 10), until=FAR
        )
        assert (rows[0].period, rows[-1].period, len(rows)) == (Period.month(2024, 4), Period.month(2025, 6), 15)
        assert rows[-1].accumulated == Money.yuan("15000.00")
        later = book_values(
            ROAD, NATIONAL_2021, as_of=date(2030, 1, 1), in_service=date(2024, 3, 15), removed=date(2025, 6, 10)
        )
        assert later.net_book_value == Money.yuan("225000.00")
        # The other convention (removal month not charged), as an option.
        without = depreciation_schedule(
            ROAD.original_value,
            attrs.evolve(plan, charge_removal_month=False),
            in_service=date(2024, 3, 15),
            removed=date(2025, 6, 10),
            until=FAR,
        )
        assert without[-1].accumulated == Money.yuan("14000.00")

    def test_added_and_removed_in_the_same_month(self) -> None:
        plan = plan_for(ROAD, NATIONAL_2021)
        assert (
            depreciation_schedule(
                ROAD.original_value, plan, in_service=date(2024, 3, 2), removed=date(2024, 3, 28), until=FAR
            )
            == ()
        )
        rows = depreciation_schedule(
            ROAD.original_value, plan, in_service=date(2024, 3, 2), removed=date(2024, 4, 1), until=FAR
        )
        assert [(row.period, row.charge) for row in rows] == [(Period.month(2024, 4), Money.yuan("1000.00"))]

    def test_removal_before_entry_is_refused(self) -> None:
        with pytest.raises(InvalidPeriod):
            depreciation_schedule(
                ROAD.original_value,
                plan_for(ROAD, NATIONAL_2021),
                in_service=date(2024, 3, 2),
                removed=date(2024, 3, 1),
                until=FAR,
            )


class TestFullLife:
    def test_fully_depreciated_assets_are_not_depreciated_further(self) -> None:
        pump = asset(Money.yuan("2400.00"))
        plan = plan_for(pump, NATIONAL_2021, life_months=24)
        rows = depreciation_schedule(pump.original_value, plan, in_service=date(2024, 1, 10), until=FAR)
        assert len(rows) == 24
        assert rows[-1].period == Period.month(2026, 1)
        assert {row.charge for row in rows} == {Money.yuan("100.00")}
        assert rows[-1].net_book_value == Money(0)
        for as_of in (date(2026, 1, 31), date(2030, 1, 1), date(2099, 12, 31)):
            values = book_values(pump, NATIONAL_2021, as_of=as_of, in_service=date(2024, 1, 10), plan=plan)
            assert values.accumulated_depreciation == Money.yuan("2400.00")
            assert values.fully_depreciated
        assert not book_values(
            pump, NATIONAL_2021, as_of=date(2026, 1, 30), in_service=date(2024, 1, 10), plan=plan
        ).fully_depreciated

    def test_rounding_leftover_goes_into_the_last_month(self) -> None:
        # 1000.00 over 36 months is 27.777… a month: 27.78 (half-up) for 35 months, 27.70 last.
        plan = DepreciationPlan(life_months=36)
        rows = depreciation_schedule(Money.yuan(1000), plan, in_service=date(2024, 1, 1), until=FAR)
        assert {row.charge for row in rows[:-1]} == {Money.yuan("27.78")}
        assert rows[-1].charge == Money.yuan("27.70")
        assert rows[-1].accumulated == Money.yuan(1000)
        # Truncating (DOWN): 27.77 for 35 months, 28.05 last.
        down = depreciation_schedule(
            Money.yuan(1000), plan, in_service=date(2024, 1, 1), until=FAR, mode=RoundingMode.DOWN
        )
        assert {row.charge for row in down[:-1]} == {Money.yuan("27.77")}
        assert down[-1].charge == Money.yuan("28.05")

    def test_rounding_up_never_overshoots(self) -> None:
        # 0.10 元 over 12 months rounded up is 1 fen a month: done after 10 months.
        rows = depreciation_schedule(
            Money(10), DepreciationPlan(life_months=12), in_service=date(2024, 1, 1), until=FAR, mode=RoundingMode.UP
        )
        assert [row.charge for row in rows] == [Money(1)] * 10
        assert rows[-1].accumulated == Money(10)

    def test_nothing_to_depreciate(self) -> None:
        plan = DepreciationPlan(life_months=12, residual_amount=Money.yuan(500))
        assert depreciation_schedule(Money.yuan(500), plan, in_service=date(2024, 1, 1), until=FAR) == ()
        with pytest.raises(InvalidAmount):
            depreciation_schedule(Money.yuan(499), plan, in_service=date(2024, 1, 1), until=FAR)


class TestBiological:
    COW = asset(Money.yuan("8000.00"), kind=AssetKind.LIVESTOCK, form=AssetForm.BIOLOGICAL)

    def test_draught_animal_is_straight_line_with_five_percent_residual(self) -> None:
        plan = plan_for(self.COW, NATIONAL_2021)
        assert (plan.method, plan.life_months, plan.residual_rate) == (
            DepreciationMethod.STRAIGHT_LINE,
            36,
            Fraction(1, 20),
        )
        assert plan.residual_value(self.COW.original_value) == Money.yuan("400.00")
        assert plan.depreciable_base(self.COW.original_value) == Money.yuan("7600.00")
        rows = depreciation_schedule(self.COW.original_value, plan, in_service=date(2024, 5, 20), until=FAR)
        # 7600.00 / 36 = 211.111…: 211.11 for 35 months, 211.15 in the last (May 2027).
        assert len(rows) == 36
        assert {row.charge for row in rows[:-1]} == {Money.yuan("211.11")}
        assert (rows[-1].period, rows[-1].charge) == (Period.month(2027, 5), Money.yuan("211.15"))
        assert rows[-1].net_book_value == Money.yuan("400.00")
        final = book_values(self.COW, NATIONAL_2021, as_of=date(2030, 1, 1), in_service=date(2024, 5, 20))
        assert (final.accumulated_depreciation, final.net_book_value) == (Money.yuan("7600.00"), Money.yuan("400.00"))

    def test_residual_rate_is_the_policys(self) -> None:
        policy = attrs.evolve(NATIONAL_2021, biological_residual_rate=Fraction(3, 100))
        assert plan_for(self.COW, policy).residual_value(self.COW.original_value) == Money.yuan("240.00")

    def test_kind_alone_makes_an_asset_biological(self) -> None:
        orchard = asset(Money.yuan("50000.00"), kind=AssetKind.TREES)
        assert is_biological(orchard)
        assert plan_for(orchard, NATIONAL_2021).residual_rate == Fraction(1, 20)
        assert not is_biological(ROAD)

    def test_other_methods_are_refused(self) -> None:
        with pytest.raises(InvalidValue):
            plan_for(self.COW, NATIONAL_2021, method=DepreciationMethod.UNITS_OF_PRODUCTION, total_units=1000)
        with pytest.raises(InvalidValue):
            plan_for(self.COW, NATIONAL_2021, residual_rate=Fraction(0))


class TestUnitsOfProduction:
    MACHINE = asset(Money.yuan("10000.00"))

    def plan(self) -> DepreciationPlan:
        return plan_for(
            self.MACHINE,
            NATIONAL_2021,
            method=DepreciationMethod.UNITS_OF_PRODUCTION,
            total_units=1000,
            residual_rate=Fraction(5, 100),
        )

    def test_charges_follow_recorded_usage(self) -> None:
        usage: dict[Period, int | Decimal] = {
            Period.month(2024, 4): 100,
            Period.month(2024, 5): Decimal("33.5"),
            Period.month(2024, 7): 900,  # reaches the 1000 hours: takes the leftover
        }
        rows = depreciation_schedule(
            self.MACHINE.original_value, self.plan(), in_service=date(2024, 3, 6), until=FAR, usage=usage
        )
        assert [(row.period, row.charge) for row in rows] == [
            (Period.month(2024, 4), Money.yuan("950.00")),  # 9500 × 100 / 1000
            (Period.month(2024, 5), Money.yuan("318.25")),  # 9500 × 33.5 / 1000
            (Period.month(2024, 6), Money(0)),
            (Period.month(2024, 7), Money.yuan("8231.75")),
        ]
        assert rows[-1].net_book_value == Money.yuan("500.00")
        values = book_values(
            self.MACHINE,
            NATIONAL_2021,
            as_of=date(2024, 5, 31),
            in_service=date(2024, 3, 6),
            plan=self.plan(),
            usage=usage,
        )
        assert values.accumulated_depreciation == Money.yuan("1268.25")

    def test_usage_outside_the_depreciated_months_is_refused(self) -> None:
        for usage in (
            {Period.month(2024, 3): 10},  # the month of entry (P13: not depreciated)
            {Period(date(2024, 4, 1), date(2024, 4, 15)): 10},  # not a calendar month
        ):
            with pytest.raises(InvalidPeriod):
                depreciation_schedule(
                    self.MACHINE.original_value, self.plan(), in_service=date(2024, 3, 6), until=FAR, usage=usage
                )
        with pytest.raises(InvalidValue):
            depreciation_schedule(
                self.MACHINE.original_value,
                self.plan(),
                in_service=date(2024, 3, 6),
                until=FAR,
                usage={Period.month(2024, 4): -1},
            )
        with pytest.raises(InvalidValue):
            depreciation_schedule(self.MACHINE.original_value, self.plan(), in_service=date(2024, 3, 6), until=FAR)
        with pytest.raises(TypeError):
            depreciation_schedule(
                self.MACHINE.original_value,
                self.plan(),
                in_service=date(2024, 3, 6),
                until=FAR,
                usage={Period.month(2024, 4): 1.5},  # type: ignore[dict-item]
            )


class TestClassification:
    def test_fixed_asset_threshold_is_500_yuan_and_over_a_year(self) -> None:
        policy = NATIONAL_2021
        assert is_fixed_asset(Money.yuan(500), 13, policy)
        assert not is_fixed_asset(Money.yuan("499.99"), 60, policy)
        assert not is_fixed_asset(Money.yuan(5000), 12, policy)
        higher = attrs.evolve(policy, fixed_asset_threshold=Money.yuan(1000))
        assert not is_fixed_asset(Money.yuan(500), 60, higher)

    def test_donated_asset_without_evidence_is_booked_at_the_nominal_amount(self) -> None:
        assert donated_book_value(None, NATIONAL_2021) == Money.yuan(1)
        assert donated_book_value(Money.yuan("3200.00"), NATIONAL_2021) == Money.yuan("3200.00")

    def test_equity_is_not_depreciated(self) -> None:
        stake = asset(Money.yuan("500000.00"), kind=AssetKind.EQUITY, form=AssetForm.EQUITY)
        assert not is_depreciable(stake)
        values = book_values(stake, NATIONAL_2021, as_of=date(2030, 1, 1))
        assert (values.accumulated_depreciation, values.net_book_value) == (Money(0), Money.yuan("500000.00"))
        with pytest.raises(InvalidValue):
            plan_for(stake, NATIONAL_2021)

    def test_lives_come_from_the_policy_or_the_caller(self) -> None:
        assert plan_for(ROAD, NATIONAL_2021).life_months == 240
        other = asset(Money.yuan(1000), kind=AssetKind.OTHER)
        with pytest.raises(InvalidValue):
            plan_for(other, NATIONAL_2021)
        assert plan_for(other, NATIONAL_2021, life_months=60).life_months == 60

    @pytest.mark.parametrize(
        "terms",
        [
            {"life_months": None},
            {"life_months": 0},
            {"life_months": 12, "frequency_months": 0},
            {"life_months": 12, "residual_rate": Fraction(1)},
            {"life_months": 12, "residual_rate": Fraction(1, 20), "residual_amount": Money(100)},
            {"life_months": 12, "residual_amount": Money(-1)},
            {"method": DepreciationMethod.UNITS_OF_PRODUCTION, "total_units": 0},
        ],
    )
    def test_impossible_plans(self, terms: dict[str, Any]) -> None:
        with pytest.raises(InvalidValue):
            DepreciationPlan(**terms)

    def test_floats_are_refused(self) -> None:
        with pytest.raises(TypeError):
            DepreciationPlan(life_months=12, residual_rate=0.05)
        with pytest.raises(TypeError):
            DepreciationPlan(life_months=12.0)  # type: ignore[arg-type]


def test_yearly_sums_by_calendar_year() -> None:
    rows = depreciation_schedule(
        Money.yuan(1200), DepreciationPlan(life_months=12), in_service=date(2024, 10, 9), until=FAR
    )
    assert [(row.period, row.charge, row.accumulated) for row in yearly(rows)] == [
        (Period(date(2024, 11, 1), date(2025, 1, 1)), Money.yuan(200), Money.yuan(200)),
        (Period(date(2025, 1, 1), date(2025, 11, 1)), Money.yuan(1000), Money.yuan(1200)),
    ]


# -- properties -------------------------------------------------------------------------------
MODES = st.sampled_from(list(RoundingMode))
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def straight_line_plans(draw: st.DrawFn) -> DepreciationPlan:
    life = draw(st.integers(min_value=1, max_value=480))
    return DepreciationPlan(
        life_months=life,
        residual_rate=Fraction(draw(st.integers(min_value=0, max_value=99)), 100),
        start=draw(st.sampled_from(list(StartRule))),
        residual_treatment=draw(st.sampled_from(list(ResidualTreatment))),
        frequency_months=draw(st.sampled_from([1, 1, 3, 12])),
    )


def check_invariants(
    rows: tuple[DepreciationRow, ...], original: Money, plan: DepreciationPlan, mode: RoundingMode
) -> None:
    base = plan.depreciable_base(original, mode)
    residual = plan.residual_value(original, mode)
    running = Money(0)
    for row in rows:
        assert Money(0) <= row.charge
        running += row.charge
        assert row.accumulated == running  # the schedule sums exactly
        assert row.accumulated <= base  # never past the depreciable base
        assert row.net_book_value == original - row.accumulated
        assert row.net_book_value >= residual  # never below the residual
    for earlier, later in itertools.pairwise(rows):
        assert earlier.period.end == later.period.start


@settings(max_examples=150, deadline=None)
@given(
    original=st.integers(min_value=0, max_value=10**11).map(Money),
    plan=straight_line_plans(),
    in_service=DAYS,
    mode=MODES,
)
def test_straight_line_full_life_adds_up_to_the_base(
    original: Money, plan: DepreciationPlan, in_service: date, mode: RoundingMode
) -> None:
    rows = depreciation_schedule(original, plan, in_service=in_service, until=FAR, mode=mode)
    check_invariants(rows, original, plan, mode)
    base = plan.depreciable_base(original, mode)
    assert (rows[-1].accumulated if rows else Money(0)) == base
    assert plan.life_months is not None
    if rows and plan.frequency_months == 1 and plan.residual_treatment is ResidualTreatment.SPREAD:
        # Day pro-rata ends the life on the same day ``life_months`` later: one more (partial) month.
        assert len(rows) <= plan.life_months + (plan.start is StartRule.DAY_PRORATA)


@settings(max_examples=100, deadline=None)
@given(
    original=st.integers(min_value=0, max_value=10**10).map(Money),
    plan=straight_line_plans(),
    in_service=DAYS,
    held_days=st.integers(min_value=0, max_value=15000),
    cut_days=st.integers(min_value=0, max_value=15000),
    mode=MODES,
)
def test_removal_and_until_give_a_prefix_of_the_full_schedule(
    original: Money, plan: DepreciationPlan, in_service: date, held_days: int, cut_days: int, mode: RoundingMode
) -> None:
    monthly = attrs.evolve(plan, frequency_months=1)
    full = depreciation_schedule(original, monthly, in_service=in_service, until=FAR, mode=mode)
    removed = in_service + timedelta(days=held_days)
    cut = depreciation_schedule(
        original,
        monthly,
        in_service=in_service,
        removed=removed,
        until=in_service + timedelta(days=cut_days),
        mode=mode,
    )
    check_invariants(cut, original, monthly, mode)
    if monthly.start is StartRule.DAY_PRORATA and cut and cut[-1].period.end == removed:
        assert cut[:-1] == full[: len(cut) - 1]  # the removal month is charged by days
        assert cut[-1].period.start == full[len(cut) - 1].period.start
        assert cut[-1].charge <= full[len(cut) - 1].charge
    else:
        assert cut == full[: len(cut)]
    for row in cut:
        assert row.period.start <= removed
        assert row.period.end <= in_service + timedelta(days=cut_days)


@settings(max_examples=100, deadline=None)
@given(
    original=st.integers(min_value=0, max_value=10**10).map(Money),
    total=st.integers(min_value=1, max_value=10_000),
    rate=st.integers(min_value=0, max_value=99),
    usage=st.lists(st.integers(min_value=0, max_value=3000), max_size=40),
    mode=MODES,
)
def test_units_of_production_never_overshoots(
    original: Money, total: int, rate: int, usage: list[int], mode: RoundingMode
) -> None:
    plan = DepreciationPlan(
        method=DepreciationMethod.UNITS_OF_PRODUCTION, total_units=total, residual_rate=Fraction(rate, 100)
    )
    recorded = {Period.months(add_months(date(2024, 2, 1), k), 1): units for k, units in enumerate(usage)}
    rows = depreciation_schedule(
        original, plan, in_service=date(2024, 1, 15), until=date(2028, 1, 1), mode=mode, usage=recorded
    )
    check_invariants(rows, original, plan, mode)
    base = plan.depreciable_base(original, mode)
    if sum(usage) >= total:
        assert (rows[-1].accumulated if rows else Money(0)) == base
