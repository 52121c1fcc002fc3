"""Asset value over its life (issue 12): public vectors per method, opening balances, revaluation,
residues, regimes, disposal accounting, split and merge, and a legacy asset end to end.

The vectors in ``data/valuation_vectors.json`` name their source (library, file, commit and
test, or documentation page). Where our rule differs from a peer's on purpose, the test
asserts ours and the vector's ``why`` says why (docs/valuation.md repeats it).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assetreg.adapters.serde import dumps, loads
from assetreg.adapters.sql.codec import event_from_dict, event_to_dict
from assetreg.domain.assets import Asset, AssetId, FundingLine
from assetreg.domain.events import (
    AssetEvent,
    DisposalApproved,
    Disposed,
    OpeningBalanceRecorded,
    OwnershipConfirmed,
    Restructured,
    StatusChanged,
    UsageRecorded,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.periods import Period
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.rights import OwnerShare
from assetreg.domain.valuation import (
    RULES_2004,
    RULES_2023,
    AccountingRegime,
    AccountRole,
    ContinuationRule,
    DepreciationMethod,
    DepreciationPlan,
    OpeningBalance,
    Posting,
    ResidualTreatment,
    ResidueRule,
    SplitPart,
    StartRule,
    asset_postings,
    asset_schedule,
    book_values,
    depreciates,
    depreciation_schedule,
    disposal_account,
    ledger_opening,
    merge_assets,
    period_postings,
    rules_for,
    split_asset,
    yearly,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    DisposalMethod,
    DisposalTrigger,
    FundingSource,
    RestructureBasis,
)
from assetreg.errors import IllegalTransition, InvalidAmount, InvalidValue
from domain.builders import VC_GUOCHENGYI, VC_HUISHI, VILLAGE_HUISHI, at, registered
from domain.valuation_builders import GH, PLAN_GH, greenhouse_history

VECTORS = json.loads((Path(__file__).parent / "data" / "valuation_vectors.json").read_text(encoding="utf-8"))
CASES: dict[str, dict[str, Any]] = {case["id"]: case for case in VECTORS["cases"]}
FAR = date(2100, 1, 1)
POLICY_2004 = attrs.evolve(NATIONAL_2021, accounting_regime="2004")
POLICY_2023 = attrs.evolve(NATIONAL_2021, accounting_regime="2023")


def yuan(text: str) -> Money:
    return Money.yuan(Decimal(text).quantize(Decimal("0.01")))


def machine(original: Money, **more: Any) -> Asset:
    return Asset(
        id=AssetId(more.pop("id", "VAL-1")),
        name="测试资产",
        asset_class=more.pop("asset_class", AssetClass.OPERATING),
        kind=more.pop("kind", AssetKind.EQUIPMENT),
        location=VILLAGE_HUISHI,
        original_value=original,
        **more,
    )


# -- public vectors ---------------------------------------------------------------------------
class TestPublicVectors:
    def test_erpnext_prorated_straight_line(self) -> None:
        case = CASES["erpnext-test_schedule_for_prorated_straight_line_method"]
        inputs = case["inputs"]
        plan = DepreciationPlan(
            life_months=inputs["periods"] * 12,
            residual_amount=yuan(inputs["salvage"]),
            start=StartRule.DAY_PRORATA,
            frequency_months=12,
        )
        rows = depreciation_schedule(
            yuan(inputs["gross"]), plan, in_service=date.fromisoformat(inputs["available_for_use_date"]), until=FAR
        )
        got = [(row.period.last.isoformat(), row.charge, row.accumulated) for row in rows]
        # ERPNext dates the stub by the life's end day (2033-01-30); our period is [2033-01-01, 2033-01-30).
        expected = [(d, yuan(c), yuan(a)) for d, c, a in case["expected_rows"]]
        expected[-1] = ("2033-01-29", *expected[-1][1:])
        assert got == expected

    def test_erpnext_existing_asset_continues_from_the_opening(self) -> None:
        case = CASES["erpnext-test_schedule_for_straight_line_method_for_existing_asset"]
        inputs = case["inputs"]
        plan = DepreciationPlan(
            life_months=36, residual_amount=yuan(inputs["salvage"]), start=StartRule.DAY_PRORATA, frequency_months=12
        )
        opening = OpeningBalance(
            as_of=date(2031, 12, 31), accumulated_depreciation=yuan(inputs["opening_accumulated_depreciation"])
        )
        rows = depreciation_schedule(
            yuan(inputs["gross"]),
            plan,
            in_service=date.fromisoformat(inputs["available_for_use_date"]),
            until=FAR,
            opening=opening,
        )
        assert [(row.charge, row.accumulated) for row in rows] == [
            (yuan(c), yuan(a)) for _d, c, a in case["expected_rows"]
        ]
        assert rows[-1].period == Period(date(2033, 1, 1), date(2033, 6, 6))

    def test_erpnext_daily_prorata_differs_on_purpose(self) -> None:
        case = CASES["erpnext-test_schedule_for_straight_line_method_with_daily_prorata_based"]
        plan = DepreciationPlan(life_months=12, start=StartRule.DAY_PRORATA)
        rows = depreciation_schedule(yuan("12000"), plan, in_service=date(2023, 1, 1), until=FAR)
        assert {row.charge for row in rows} == {yuan(case["ours"]["monthly"])}
        assert rows[0].charge != yuan(case["expected_rows"][0][1])  # ERPNext: 1019.18 (31/365)
        assert rows[-1].accumulated == yuan(case["expected_rows"][-1][2])  # both end at 12000

    def test_erpnext_double_declining_differs_on_purpose(self) -> None:
        case = CASES["erpnext-test_schedule_for_double_declining_method"]
        plan = DepreciationPlan(
            method=DepreciationMethod.DOUBLE_DECLINING,
            life_months=36,
            residual_amount=yuan("10000"),
            start=StartRule.SAME_MONTH,
            frequency_months=12,
        )
        rows = depreciation_schedule(yuan("100000"), plan, in_service=date(2030, 1, 1), until=FAR)
        assert [(row.period.last.isoformat(), row.charge) for row in rows] == [
            (d, yuan(c)) for d, c in case["ours"]["rows"]
        ]
        assert rows[-1].accumulated == yuan(case["expected_rows"][-1][2])  # both depreciate 90000
        assert rows[1].charge != yuan(case["expected_rows"][1][1])

    def test_erpnext_double_declining_existing_asset(self) -> None:
        case = CASES["erpnext-test_schedule_for_double_declining_method_for_existing_asset"]
        plan = DepreciationPlan(
            method=DepreciationMethod.DOUBLE_DECLINING,
            life_months=36,
            residual_amount=yuan("10000"),
            start=StartRule.SAME_MONTH,
            frequency_months=12,
        )
        opening = OpeningBalance(
            as_of=date(2030, 12, 31), accumulated_depreciation=yuan("50000"), months_depreciated=12
        )
        rows = depreciation_schedule(yuan("100000"), plan, in_service=date(2030, 1, 1), until=FAR, opening=opening)
        assert [(row.charge, row.accumulated) for row in rows] == [(yuan(c), yuan(a)) for c, a in case["ours"]["rows"]]
        assert rows[-1].accumulated == yuan(case["expected_rows"][-1][2])

    def test_excel_ddb(self) -> None:
        case = CASES["excel-ddb-function"]
        yearly_plan = DepreciationPlan(
            method=DepreciationMethod.DOUBLE_DECLINING,
            life_months=120,
            residual_amount=yuan("300"),
            start=StartRule.SAME_MONTH,
            frequency_months=12,
        )
        rows = depreciation_schedule(yuan("2400"), yearly_plan, in_service=date(2024, 1, 1), until=FAR)
        (_, month), (_, year1), (_, year10) = case["expected_rows"]
        assert rows[0].charge == yuan(year1)
        assert rows[1].charge == yuan("384.00")  # Excel's DDB(…, 10, 2) in the same table family
        assert rows[-1].charge == yuan(case["ours"]["year_10"]) != yuan(year10)
        assert rows[-1].accumulated == yuan("2100")
        monthly = attrs.evolve(yearly_plan, frequency_months=1)
        months = depreciation_schedule(yuan("2400"), monthly, in_service=date(2024, 1, 1), until=FAR)
        assert months[0].charge == yuan(month)
        assert yearly(months)[0].charge == yuan(year1)
        assert len(months) == 120

    @pytest.mark.parametrize("case_id", ["numbers-syd-function", "openoffice-syd-function", "mescius-syd-function"])
    def test_sum_of_years(self, case_id: str) -> None:
        case = CASES[case_id]
        inputs = case["inputs"]
        plan = DepreciationPlan(
            method=DepreciationMethod.SUM_OF_YEARS,
            life_months=inputs["years"] * 12,
            residual_amount=yuan(inputs["salvage"]),
            start=StartRule.SAME_MONTH,
            frequency_months=12,
        )
        rows = depreciation_schedule(yuan(inputs["gross"]), plan, in_service=date(2024, 1, 1), until=FAR)
        for label, amount in case["expected_rows"]:
            assert rows[int(label.split()[1]) - 1].charge == yuan(amount)
        assert rows[-1].accumulated == yuan(inputs["gross"]) - yuan(inputs["salvage"])
        # Monthly: each year's 12 charges add up to the year's amount.
        monthly = depreciation_schedule(
            yuan(inputs["gross"]), attrs.evolve(plan, frequency_months=1), in_service=date(2024, 1, 1), until=FAR
        )
        assert [row.charge for row in yearly(monthly)] == [row.charge for row in rows]

    def test_units_of_production_rate(self) -> None:
        case = CASES["kstiku-units-of-production-rate"]
        inputs = case["inputs"]
        ((_, rate),) = case["expected_rows"]
        pump = machine(yuan(inputs["gross"]), id="UOP-1", completed_on=date(2024, 1, 8))
        plan = DepreciationPlan(
            method=DepreciationMethod.UNITS_OF_PRODUCTION,
            total_units=inputs["total_units"],
            residual_amount=yuan(inputs["salvage"]),
        )
        used = [(date(2024, 2, 29), "1"), (date(2024, 3, 31), "120"), (date(2024, 4, 30), "9879")]
        history = AssetHistory.of(
            [
                registered(pump, effective=date(2024, 1, 8)),
                *(
                    UsageRecorded(asset_id=pump.id, effective=day, recorded_at=at(2024, 5, 1, n), units=Decimal(hours))
                    for n, (day, hours) in enumerate(used)
                ),
            ]
        )
        rows = asset_schedule(history, NATIONAL_2021, until=FAR, plan=plan)
        # One hour is the source's rate; 120 and the remaining 9879 hours are 120 × 38 and 9879 × 38.
        assert [(row.period, row.charge) for row in rows if row.charge] == [
            (Period.month(2024, 2), yuan(rate)),
            (Period.month(2024, 3), yuan("4560")),
            (Period.month(2024, 4), yuan("375402")),
        ]
        assert rows[-1].accumulated == yuan(inputs["gross"]) - yuan(inputs["salvage"])


# -- opening balances ---------------------------------------------------------------------------
PLANS = st.builds(
    DepreciationPlan,
    method=st.sampled_from([DepreciationMethod.STRAIGHT_LINE, DepreciationMethod.SUM_OF_YEARS]),
    life_months=st.integers(1, 15).map(lambda y: y * 12),
    residual_rate=st.sampled_from([Fraction(0), Fraction(5, 100), Fraction(3, 100)]),
    residue=st.sampled_from(ResidueRule),
    frequency_months=st.sampled_from([1, 3, 12]),
)


@settings(max_examples=120, deadline=None)
@given(
    original=st.integers(0, 10**10).map(Money),
    plan=PLANS,
    in_service=st.dates(date(2005, 1, 1), date(2030, 12, 31)),
    cut=st.integers(0, 200),
    mode=st.sampled_from(RoundingMode),
)
def test_an_opening_that_matches_continues_the_schedule_exactly(
    original: Money, plan: DepreciationPlan, in_service: date, cut: int, mode: RoundingMode
) -> None:
    full = depreciation_schedule(original, plan, in_service=in_service, until=FAR, mode=mode)
    if cut >= len(full):
        return
    done = full[:cut]
    as_of = done[-1].period.last if done else in_service
    if not done and plan.start is StartRule.SAME_MONTH:
        return
    months = sum(
        row.period.end.year * 12 + row.period.end.month - row.period.start.year * 12 - row.period.start.month
        for row in done
    )
    opening = OpeningBalance(
        as_of=as_of,
        accumulated_depreciation=done[-1].accumulated if done else Money(0),
        months_depreciated=months,
    )
    rest = depreciation_schedule(original, plan, in_service=in_service, until=FAR, mode=mode, opening=opening)
    assert rest == full[cut:]


class TestOpeningBalances:
    PLAN = DepreciationPlan(life_months=120, residual_rate=Fraction(5, 100))

    def test_legacy_ledger_balance_respread_ends_on_time(self) -> None:
        # A ledger's 累计折旧 that does not match our schedule (legacy software rounded yearly).
        opening = OpeningBalance(
            as_of=date(2023, 12, 31), accumulated_depreciation=yuan("400000"), months_depreciated=90
        )
        original = yuan("600000")
        kept = depreciation_schedule(original, self.PLAN, in_service=date(2016, 6, 3), until=FAR, opening=opening)
        # ORIGINAL: 4750 a month (570000 / 120), the last month takes the 27500 left over.
        assert [row.charge for row in kept[:-1]] == [yuan("4750")] * 29
        assert kept[-1].charge == yuan("32250")
        respread = depreciation_schedule(
            original,
            attrs.evolve(self.PLAN, continuation=ContinuationRule.RESPREAD),
            in_service=date(2016, 6, 3),
            until=FAR,
            opening=opening,
        )
        # RESPREAD: (600000 − 400000 − 30000) / 30 = 5666.666… → 5666.67, the last 5666.57.
        assert [row.charge for row in respread[:-1]] == [yuan("5666.67")] * 29
        assert respread[-1].charge == yuan("5666.57")
        assert respread[-1].period == Period.month(2026, 6) == kept[-1].period
        assert respread[-1].net_book_value == kept[-1].net_book_value == yuan("30000")

    def test_legacy_asset_without_dates_starts_from_the_opening(self) -> None:
        legacy = machine(yuan("12000"))
        opening = OpeningBalance(as_of=date(2023, 12, 31), accumulated_depreciation=yuan("6000"), months_depreciated=60)
        plan = DepreciationPlan(life_months=120)
        values = book_values(legacy, NATIONAL_2021, as_of=date(2024, 3, 31), plan=plan, opening=opening)
        assert values.accumulated_depreciation == yuan("6300")  # 3 × 100
        before = book_values(legacy, NATIONAL_2021, as_of=date(2023, 6, 30), plan=plan, opening=opening)
        assert before.accumulated_depreciation == yuan("6000")  # nothing earlier is known

    def test_more_months_than_the_life_is_refused(self) -> None:
        opening = OpeningBalance(as_of=date(2023, 12, 31), accumulated_depreciation=Money(0), months_depreciated=121)
        with pytest.raises(InvalidValue):
            depreciation_schedule(yuan("1000"), self.PLAN, in_service=date(2010, 1, 1), until=FAR, opening=opening)


# -- residues, conventions, units of production ---------------------------------------------
def test_residue_each_december() -> None:
    plan = DepreciationPlan(life_months=36)
    life_end = depreciation_schedule(yuan("1000"), plan, in_service=date(2023, 12, 15), until=FAR)
    december = depreciation_schedule(
        yuan("1000"), attrs.evolve(plan, residue=ResidueRule.YEAR_END), in_service=date(2023, 12, 15), until=FAR
    )
    assert [row.charge for row in life_end[:35]] == [yuan("27.78")] * 35
    assert life_end[-1].charge == yuan("27.70")
    # Each December settles to round(1000 × months / 36): 333.33, 666.67; the life's end takes the rest.
    assert [(row.period.end, row.accumulated) for row in december if row.period.end.month == 1] == [
        (date(2025, 1, 1), yuan("333.33")),
        (date(2026, 1, 1), yuan("666.67")),
        (date(2027, 1, 1), yuan("1000")),
    ]
    assert december[11].charge == yuan("27.75")
    assert december[23].charge == yuan("27.76")


def test_units_of_production_from_usage_events() -> None:
    asset = machine(yuan("10000"), completed_on=date(2024, 3, 6))
    plan = DepreciationPlan(
        method=DepreciationMethod.UNITS_OF_PRODUCTION, total_units=1000, residual_rate=Fraction(5, 100)
    )
    history = AssetHistory.of(
        [
            registered(asset, effective=date(2024, 3, 6)),
            *(
                UsageRecorded(asset_id=asset.id, effective=day, recorded_at=at(2024, 8, 1, n), units=Decimal(units))
                for n, (day, units) in enumerate(
                    [(date(2024, 4, 30), "60"), (date(2024, 4, 10), "40"), (date(2024, 5, 31), "33.5")]
                )
            ),
        ]
    )
    values = book_values(history, NATIONAL_2021, as_of=date(2024, 5, 31), plan=plan)
    assert values.accumulated_depreciation == yuan("1268.25")  # 9500 × 100/1000 + 9500 × 33.5/1000
    known_before = book_values(history, NATIONAL_2021, as_of=date(2024, 5, 31), plan=plan, known_at=at(2024, 8, 1, 0))
    assert known_before.accumulated_depreciation == yuan("570.00")  # only the first 60 units were known


class TestWhatIsDepreciated:
    def test_nominal_donation_is_not_depreciated(self) -> None:
        donated = machine(
            NATIONAL_2021.donated_nominal_value,
            funding=(FundingLine(source=FundingSource.SOCIAL_DONATION, amount=NATIONAL_2021.donated_nominal_value),),
            completed_on=date(2020, 1, 1),
        )
        assert not depreciates(donated, NATIONAL_2021, RULES_2023)
        values = book_values(donated, NATIONAL_2021, as_of=date(2024, 1, 1), plan=DepreciationPlan(life_months=60))
        assert values.net_book_value == yuan("1")
        assert values.accumulated_depreciation == Money(0)
        # Only both parameters together would depreciate it (1 元 is also under the 500 元 threshold).
        assert not depreciates(donated, NATIONAL_2021, attrs.evolve(RULES_2023, depreciate_nominal=True))
        rules = attrs.evolve(RULES_2023, depreciate_nominal=True, fixed_asset_threshold=Money(1))
        assert depreciates(donated, NATIONAL_2021, rules)

    def test_threshold_by_unit_value(self) -> None:
        # 20 tools at 480 元 each are not fixed assets (P13: unit value ≥ 500 元).
        tools = machine(yuan("9600"), quantity=Decimal(20), unit="件", completed_on=date(2020, 1, 1))
        assert not depreciates(tools, NATIONAL_2021, RULES_2004)
        assert depreciates(attrs.evolve(tools, quantity=Decimal(19)), NATIONAL_2021, RULES_2004)

    def test_rules_follow_the_policy(self) -> None:
        assert rules_for(POLICY_2004).regime is AccountingRegime.RULES_2004
        assert rules_for(POLICY_2023).regime is AccountingRegime.RULES_2023
        cheaper = attrs.evolve(POLICY_2023, fixed_asset_threshold=yuan("1000"))
        assert rules_for(cheaper).fixed_asset_threshold == yuan("1000")
        with pytest.raises(InvalidValue):
            attrs.evolve(RULES_2023, accounts={AccountRole.BANK: RULES_2023.account(AccountRole.BANK)})


# -- regimes: postings of a public-welfare road ---------------------------------------------
def test_a_road_is_charged_to_each_regimes_account() -> None:
    road = machine(
        yuan("120000"),
        id="ROAD-1",
        asset_class=AssetClass.PUBLIC_WELFARE,
        kind=AssetKind.ROAD,
        completed_on=date(2023, 12, 5),
    )
    history = AssetHistory.of([registered(road, effective=date(2023, 12, 5))])
    plan = DepreciationPlan(life_months=240)
    lines = {
        regime: asset_postings(history, policy, period=Period.month(2024, 1), plan=plan)
        for regime, policy in (("2004", POLICY_2004), ("2023", POLICY_2023))
    }
    assert [(str(p.account), p.debit, p.credit) for p in lines["2004"]] == [
        ("551 其他支出", yuan("500"), Money(0)),
        ("152 累计折旧", Money(0), yuan("500")),
    ]
    assert [(str(p.account), p.debit, p.credit) for p in lines["2023"]] == [
        ("公益支出", yuan("500"), Money(0)),
        ("累计折旧", Money(0), yuan("500")),
    ]


# -- disposal -----------------------------------------------------------------------------------
def test_disposal_accounting_with_the_removal_month_charged() -> None:
    asset = machine(yuan("36000"), completed_on=date(2022, 12, 20))
    plan = DepreciationPlan(life_months=36)
    history = AssetHistory.of(
        [
            registered(asset, effective=date(2022, 12, 20)),
            DisposalApproved(
                asset_id=asset.id,
                effective=date(2024, 6, 3),
                recorded_at=at(2024, 6, 3),
                method=DisposalMethod.AUCTION,
                trigger=DisposalTrigger.IDLE_OR_FAILING,
            ),
            Disposed(
                asset_id=asset.id,
                effective=date(2024, 6, 18),
                recorded_at=at(2024, 6, 18),
                method=DisposalMethod.AUCTION,
                proceeds=yuan("15000"),
                clearing_costs=yuan("800"),
                proceeds_to=VC_HUISHI,
            ),
        ]
    )
    account = disposal_account(history, POLICY_2004, plan=plan)
    # January 2023 to June 2024 (June charged, P13): 18 × 1000.
    assert account.accumulated_depreciation == yuan("18000")
    assert account.removal_month_charge == yuan("1000")
    assert account.book_value == yuan("18000")
    assert account.net_proceeds == yuan("14200")
    assert account.gain_or_loss == yuan("-3800")
    lines = asset_postings(history, POLICY_2004, period=Period.month(2024, 6), plan=plan)
    assert _balanced(lines)
    assert [(p.memo, str(p.account), p.debit or -p.credit) for p in lines if p.memo == "处置净损失"] == [
        ("处置净损失", "551 其他支出", yuan("3800")),
        ("处置净损失", "153 固定资产清理", -yuan("3800")),
    ]
    to_county = asset_postings(
        history, POLICY_2004, period=Period.month(2024, 6), plan=plan, proceeds_role=AccountRole.PAYABLE
    )
    assert [str(p.account) for p in to_county if p.memo == "处置收入" and p.debit] == ["202 应付款"]


def _balanced(lines: tuple[Posting, ...]) -> bool:
    return sum((p.debit for p in lines), Money(0)) == sum((p.credit for p in lines), Money(0))


def _ledger(lines: tuple[Posting, ...]) -> list[tuple[str, str, str, Money, Money]]:
    return [(p.asset_id, p.memo, str(p.account), p.debit, p.credit) for p in lines]


# -- the legacy greenhouse base, end to end ---------------------------------------------------
class TestLegacyGreenhouseEndToEnd:
    def test_opening_and_revaluation_bitemporal(self) -> None:
        history = greenhouse_history()
        june = book_values(history, POLICY_2004, as_of=date(2024, 6, 30), plan=PLAN_GH)
        assert (june.accumulated_depreciation, june.revaluation, june.net_book_value) == (
            yuan("456000"),  # 427500 + 6 × 4750
            yuan("6000"),  # 150000 − 144000
            yuan("150000"),
        )
        before = book_values(history, POLICY_2004, as_of=date(2024, 9, 30), plan=PLAN_GH, known_at=at(2024, 7, 1))
        after = book_values(history, POLICY_2004, as_of=date(2024, 9, 30), plan=PLAN_GH)
        assert (before.accumulated_depreciation, before.net_book_value) == (yuan("470250"), yuan("129750"))
        # (150000 − 30000) / 24 months left = 5000 a month from July.
        assert (after.accumulated_depreciation, after.net_book_value) == (yuan("471000"), yuan("135000"))
        old = asset_schedule(history, POLICY_2004, until=FAR, plan=PLAN_GH, known_at=at(2024, 7, 1))
        new = asset_schedule(history, POLICY_2004, until=FAR, plan=PLAN_GH)
        assert old[:5] == new[:5]  # January to May are as they were
        assert new[5].revaluation == yuan("6000")
        assert old[-1].period == new[-1].period == Period.month(2026, 6)
        assert old[-1].net_book_value == new[-1].net_book_value == yuan("30000")

    def test_split_by_value_and_disposal_with_postings_under_both_regimes(self) -> None:
        history = greenhouse_history()
        split = split_asset(
            history,
            POLICY_2004,
            on=date(2024, 10, 15),
            parts=(
                SplitPart(asset_id=AssetId("GH-1A"), name="大棚基地东区", original_value=yuan("360000")),
                SplitPart(asset_id=AssetId("GH-1B"), name="大棚基地西区", original_value=yuan("240000")),
            ),
            basis=RestructureBasis.VALUE,
            recorded_at=at(2024, 10, 16),
            plan=PLAN_GH,
        )
        books = split.apply({GH: history})
        parent, east, west = books[GH], books[AssetId("GH-1A")], books[AssetId("GH-1B")]
        assert parent.state(as_of=date(2024, 10, 15)).status is AssetStatus.RESTRUCTURED
        with pytest.raises(IllegalTransition):
            parent.append(
                StatusChanged(
                    asset_id=GH, effective=date(2024, 11, 1), recorded_at=at(2024, 11, 1), status=AssetStatus.IDLE
                )
            )
        assert history.events == parent.events[: len(history.events)]  # never rewritten
        # Carried over at the close of October (October charged to the parent): 476000 / 6000.
        carried = {aid: book_values(books[aid], POLICY_2004, as_of=date(2024, 10, 31), plan=PLAN_GH) for aid in books}
        assert carried[GH].accumulated_depreciation == yuan("476000")
        assert (
            carried[AssetId("GH-1A")].accumulated_depreciation,
            carried[AssetId("GH-1B")].accumulated_depreciation,
        ) == (
            yuan("285600"),
            yuan("190400"),
        )
        assert carried[AssetId("GH-1A")].revaluation + carried[AssetId("GH-1B")].revaluation == yuan("6000")
        assert carried[AssetId("GH-1A")].net_book_value + carried[AssetId("GH-1B")].net_book_value == yuan("130000")
        assert [(f.source, f.amount) for f in east.asset().funding] == [
            (FundingSource.SPECIAL_POVERTY_FUND, yuan("240000")),
            (FundingSource.INTEGRATED_AGRICULTURAL_FUND, yuan("120000")),
        ]
        assert sum((f.amount for f in west.asset().funding), Money(0)) == yuan("240000")
        assert west.state(as_of=date(2024, 10, 15)).ownership.holders == (  # type: ignore[union-attr]
            OwnerShare(VC_HUISHI, Fraction(2, 3)),
            OwnerShare(VC_GUOCHENGYI, Fraction(1, 3)),
        )
        opening = next(e for e in west if isinstance(e, OpeningBalanceRecorded))
        assert opening.parents == (GH,)
        assert opening.months_depreciated == 100
        # The successors continue at 3000 and 2000 a month (60 % and 40 % of 5000).
        assert asset_schedule(east, POLICY_2004, until=date(2024, 12, 1), plan=PLAN_GH)[-1].charge == yuan("3000")
        west = west.extend(
            [
                DisposalApproved(
                    asset_id=west.asset_id,
                    effective=date(2025, 3, 5),
                    recorded_at=at(2025, 3, 5),
                    method=DisposalMethod.AUCTION,
                    trigger=DisposalTrigger.PLANNING,
                ),
                Disposed(
                    asset_id=west.asset_id,
                    effective=date(2025, 3, 20),
                    recorded_at=at(2025, 3, 20),
                    method=DisposalMethod.AUCTION,
                    proceeds=yuan("45000"),
                    clearing_costs=yuan("1500"),
                    proceeds_to=VC_HUISHI,
                ),
            ]
        )
        account = disposal_account(west, POLICY_2004, plan=PLAN_GH)
        assert (account.accumulated_depreciation, account.removal_month_charge, account.book_value) == (
            yuan("200400"),  # 190400 + 5 × 2000 (November to March)
            yuan("2000"),
            yuan("42000"),  # 240000 − 200400 + 2400
        )
        assert (account.net_proceeds, account.gain_or_loss) == (yuan("43500"), yuan("1500"))
        march_2004 = asset_postings(west, POLICY_2004, period=Period.month(2025, 3), plan=PLAN_GH)
        assert _ledger(march_2004) == [
            ("GH-1B", "计提折旧", "401 生产(劳务)成本", yuan("2000"), Money(0)),
            ("GH-1B", "计提折旧", "152 累计折旧", Money(0), yuan("2000")),
            ("GH-1B", "转入清理", "153 固定资产清理", yuan("42000"), Money(0)),
            ("GH-1B", "转入清理", "152 累计折旧", yuan("200400"), Money(0)),
            ("GH-1B", "转入清理", "151 固定资产", Money(0), yuan("242400")),
            ("GH-1B", "清理费用", "153 固定资产清理", yuan("1500"), Money(0)),
            ("GH-1B", "清理费用", "102 银行存款", Money(0), yuan("1500")),
            ("GH-1B", "处置收入", "102 银行存款", yuan("45000"), Money(0)),
            ("GH-1B", "处置收入", "153 固定资产清理", Money(0), yuan("45000")),
            ("GH-1B", "处置净收益", "153 固定资产清理", yuan("1500"), Money(0)),
            ("GH-1B", "处置净收益", "531 其他收入", Money(0), yuan("1500")),
        ]
        # The same lines under the 2023 rules, to the 2023 chart's accounts (no numbers in it).
        march_2023 = asset_postings(west, POLICY_2023, period=Period.month(2025, 3), plan=PLAN_GH)
        assert _ledger(march_2023) == [
            ("GH-1B", "计提折旧", "生产(劳务)成本", yuan("2000"), Money(0)),
            ("GH-1B", "计提折旧", "累计折旧", Money(0), yuan("2000")),
            ("GH-1B", "转入清理", "固定资产清理", yuan("42000"), Money(0)),
            ("GH-1B", "转入清理", "累计折旧", yuan("200400"), Money(0)),
            ("GH-1B", "转入清理", "固定资产", Money(0), yuan("242400")),
            ("GH-1B", "清理费用", "固定资产清理", yuan("1500"), Money(0)),
            ("GH-1B", "清理费用", "银行存款", Money(0), yuan("1500")),
            ("GH-1B", "处置收入", "银行存款", yuan("45000"), Money(0)),
            ("GH-1B", "处置收入", "固定资产清理", Money(0), yuan("45000")),
            ("GH-1B", "处置净收益", "固定资产清理", yuan("1500"), Money(0)),
            ("GH-1B", "处置净收益", "其他收入", Money(0), yuan("1500")),
        ]
        # The revaluation month and the split month, for the whole group.
        books[AssetId("GH-1B")] = west
        june = period_postings(
            books.values(), POLICY_2004, period=Period.month(2024, 6), plans=dict.fromkeys(books, PLAN_GH)
        )
        assert [(m, str(a), d, c) for _i, m, a, d, c in _ledger(june) if m == "资产重估"] == [
            ("资产重估", "151 固定资产", yuan("6000"), Money(0)),
            ("资产重估", "311 公积公益金", Money(0), yuan("6000")),
        ]
        october = period_postings(
            books.values(), POLICY_2004, period=Period.month(2024, 10), plans=dict.fromkeys(books, PLAN_GH)
        )
        assert _balanced(october)
        transfers = [(i, str(a), d, c) for i, m, a, d, c in _ledger(october) if m.startswith("分割合并")]
        assert transfers == [
            ("GH-1", "151 固定资产", Money(0), yuan("606000")),
            ("GH-1", "152 累计折旧", yuan("476000"), Money(0)),
            ("GH-1A", "151 固定资产", yuan("363600"), Money(0)),
            ("GH-1A", "152 累计折旧", Money(0), yuan("285600")),
            ("GH-1B", "151 固定资产", yuan("242400"), Money(0)),
            ("GH-1B", "152 累计折旧", Money(0), yuan("190400")),
        ]
        # The revaluation month and the split month under the 2023 rules.
        june_2023 = period_postings(
            books.values(), POLICY_2023, period=Period.month(2024, 6), plans=dict.fromkeys(books, PLAN_GH)
        )
        assert _ledger(june_2023) == [
            ("GH-1", "计提折旧", "生产(劳务)成本", yuan("4750"), Money(0)),
            ("GH-1", "计提折旧", "累计折旧", Money(0), yuan("4750")),
            ("GH-1", "资产重估", "固定资产", yuan("6000"), Money(0)),
            ("GH-1", "资产重估", "公积公益金", Money(0), yuan("6000")),
        ]
        october_2023 = period_postings(
            books.values(), POLICY_2023, period=Period.month(2024, 10), plans=dict.fromkeys(books, PLAN_GH)
        )
        assert _ledger(october_2023) == [
            ("GH-1", "计提折旧", "生产(劳务)成本", yuan("5000"), Money(0)),
            ("GH-1", "计提折旧", "累计折旧", Money(0), yuan("5000")),
            ("GH-1", "分割合并转出", "固定资产", Money(0), yuan("606000")),
            ("GH-1", "分割合并转出", "累计折旧", yuan("476000"), Money(0)),
            ("GH-1A", "分割合并转入", "固定资产", yuan("363600"), Money(0)),
            ("GH-1A", "分割合并转入", "累计折旧", Money(0), yuan("285600")),
            ("GH-1B", "分割合并转入", "固定资产", yuan("242400"), Money(0)),
            ("GH-1B", "分割合并转入", "累计折旧", Money(0), yuan("190400")),
        ]
        year = period_postings(
            books.values(), POLICY_2023, period=Period.year(2025), plans=dict.fromkeys(books, PLAN_GH)
        )
        assert _balanced(year)
        # 2025 under the 2023 rules: GH-1A's twelve charges of 3000, GH-1B's three of 2000 and its disposal.
        charges = [(i, d) for i, m, a, d, _c in _ledger(year) if m == "计提折旧" and a == "生产(劳务)成本"]
        assert [d for i, d in charges if i == "GH-1A"] == [yuan("3000")] * 12
        assert [d for i, d in charges if i == "GH-1B"] == [yuan("2000")] * 3
        assert [i for i, *_ in charges if i == "GH-1"] == []


# -- split by quantity and merge --------------------------------------------------------------
def _station(aid: str, fen: int, holder: Any, *, quantity: str | None = None) -> AssetHistory:
    asset = machine(
        Money(fen),
        id=aid,
        kind=AssetKind.PV_STATION,
        completed_on=date(2020, 5, 20),
        funding=(FundingLine(source=FundingSource.LINKAGE_FUND, amount=Money(fen)),),
        quantity=None if quantity is None else Decimal(quantity),
        unit=None if quantity is None else "kW",
    )
    return AssetHistory.of(
        [
            registered(asset, effective=date(2020, 6, 1)),
            OwnershipConfirmed(
                asset_id=asset.id,
                effective=date(2020, 6, 1),
                recorded_at=at(2020, 6, 1, 2),
                holders=(OwnerShare(holder, Fraction(1)),),
            ),
        ]
    )


def test_split_by_quantity_keys_the_leftover_fen() -> None:
    history = _station("PV-9", 100_000_01, VC_HUISHI, quantity="300")
    plan = DepreciationPlan(life_months=240)
    split = split_asset(
        history,
        NATIONAL_2021,
        on=date(2024, 2, 29),
        parts=[SplitPart(asset_id=AssetId(f"PV-9-{n}"), name=f"光伏电站{n}", quantity=Decimal(100)) for n in (3, 1, 2)],
        basis=RestructureBasis.QUANTITY,
        recorded_at=at(2024, 3, 1),
        plan=plan,
    )
    registered_values = {
        aid: events[0].asset.original_value  # type: ignore[attr-defined]
        for aid, events in split.events.items()
        if aid != "PV-9"
    }
    # 100000.01 in three equal parts: the two leftover fen go to the smallest keys, not by list position.
    assert registered_values == {"PV-9-3": yuan("33333.33"), "PV-9-1": yuan("33333.34"), "PV-9-2": yuan("33333.34")}
    openings = [e for events in split.events.values() for e in events if isinstance(e, OpeningBalanceRecorded)]
    parent = book_values(history, NATIONAL_2021, as_of=date(2024, 2, 29), removed=date(2024, 2, 29), plan=plan)
    assert sum((o.accumulated_depreciation for o in openings), Money(0)) == parent.accumulated_depreciation
    with pytest.raises(InvalidValue):
        split_asset(
            history,
            NATIONAL_2021,
            on=date(2024, 2, 29),
            parts=[SplitPart(asset_id=AssetId("X1"), name="x", quantity=Decimal(100))] * 2,
            basis=RestructureBasis.QUANTITY,
            recorded_at=at(2024, 3, 1),
            plan=plan,
        )
    with pytest.raises(InvalidAmount):
        split_asset(
            history,
            NATIONAL_2021,
            on=date(2024, 2, 29),
            parts=[
                SplitPart(asset_id=AssetId("X1"), name="x", original_value=yuan("1")),
                SplitPart(asset_id=AssetId("X2"), name="y", original_value=yuan("1")),
            ],
            basis=RestructureBasis.VALUE,
            recorded_at=at(2024, 3, 1),
            plan=plan,
        )


def test_merge_weights_ownership_by_value_exactly() -> None:
    plan = DepreciationPlan(life_months=240)
    one = _station("PV-A", 300_000_00, VC_HUISHI)
    two = _station("PV-B", 100_000_00, VC_GUOCHENGYI)
    merge = merge_assets(
        [two, one],
        NATIONAL_2021,
        on=date(2024, 12, 31),
        into=AssetId("PV-AB"),
        name="联村光伏电站",
        recorded_at=at(2025, 1, 2),
        remaining_life_months=185,
        plans={AssetId("PV-A"): plan, AssetId("PV-B"): plan},
    )
    books = merge.apply({one.asset_id: one, two.asset_id: two})
    merged = books[AssetId("PV-AB")]
    assert merged.asset().original_value == yuan("400000")
    assert merged.state(as_of=date(2025, 1, 1)).ownership.holders == (  # type: ignore[union-attr]
        OwnerShare(VC_GUOCHENGYI, Fraction(1, 4)),
        OwnerShare(VC_HUISHI, Fraction(3, 4)),
    )
    # June 2020 to December 2024: 55 months each, 1250.00 and 416.67 a month.
    opening = next(e for e in merged if isinstance(e, OpeningBalanceRecorded))
    assert opening.parents == (AssetId("PV-A"), AssetId("PV-B"))
    assert opening.accumulated_depreciation == yuan("68750") + yuan("22916.85")
    assert opening.months_depreciated == 55  # 240 − the 185 months left
    # The merged station continues at the parents' 1250.00 + 416.67 a month and ends with them.
    rows = asset_schedule(merged, NATIONAL_2021, until=FAR, plan=plan)
    assert rows[0].period == Period.month(2025, 1)
    assert rows[0].charge == yuan("1666.67")
    assert rows[-1].period == Period.month(2040, 5)
    assert rows[-1].net_book_value == Money(0)
    for parent in (AssetId("PV-A"), AssetId("PV-B")):
        assert isinstance(books[parent].events[-1], Restructured)


# -- the new events round-trip ------------------------------------------------------------------
def test_new_events_round_trip_through_serde_and_the_sql_codec() -> None:
    history = greenhouse_history()
    split = split_asset(
        history,
        POLICY_2004,
        on=date(2024, 10, 15),
        parts=(
            SplitPart(asset_id=AssetId("GH-1A"), name="东区", original_value=yuan("360000")),
            SplitPart(asset_id=AssetId("GH-1B"), name="西区", original_value=yuan("240000")),
        ),
        basis=RestructureBasis.VALUE,
        recorded_at=at(2024, 10, 16),
        plan=PLAN_GH,
    )
    events: list[AssetEvent] = [*history.events, *(e for es in split.events.values() for e in es)]
    events.append(
        UsageRecorded(asset_id=GH, effective=date(2024, 1, 5), recorded_at=at(2024, 2, 1), units=Decimal("12.5"))
    )
    events.append(
        Disposed(
            asset_id=GH,
            effective=date(2024, 1, 5),
            recorded_at=at(2024, 2, 1),
            method=DisposalMethod.SCRAP,
            proceeds=Money(0),
            clearing_costs=yuan("12.30"),
        )
    )
    for event in events:
        assert loads(dumps(event)) == event
        assert event_from_dict(event_to_dict(event)) == event


def test_recorded_instant_matters_not_the_order_given() -> None:
    history = greenhouse_history()
    shuffled = AssetHistory(history.asset_id, tuple(reversed(history.events)))
    instant = datetime(2025, 1, 1, tzinfo=at(2024, 1, 1).tzinfo)
    assert book_values(shuffled, POLICY_2004, as_of=date(2025, 1, 1), plan=PLAN_GH, known_at=instant) == book_values(
        history, POLICY_2004, as_of=date(2025, 1, 1), plan=PLAN_GH
    )


# -- opening balances from ledger columns -------------------------------------------------------
class TestLedgerOpening:
    ASSET = machine(yuan("600000"), completed_on=date(2016, 6, 12))
    WHEN: ClassVar[dict[str, Any]] = {
        "as_of": date(2023, 12, 31),
        "effective": date(2024, 1, 10),
        "recorded_at": at(2024, 1, 10),
    }

    def test_columns_that_agree(self) -> None:
        event = ledger_opening(
            self.ASSET,
            accumulated_depreciation=yuan("427500"),
            net_book_value=yuan("172500"),
            months_depreciated=90,
            **self.WHEN,
        )
        assert event is not None
        assert (event.accumulated_depreciation, event.months_depreciated, event.balance_date) == (
            yuan("427500"),
            90,
            date(2023, 12, 31),
        )

    def test_net_value_alone_gives_the_accumulated_depreciation(self) -> None:
        event = ledger_opening(self.ASSET, net_book_value=yuan("172500"), **self.WHEN)
        assert event is not None
        assert event.accumulated_depreciation == yuan("427500")

    def test_columns_that_disagree_are_refused(self) -> None:
        with pytest.raises(InvalidAmount) as info:
            ledger_opening(
                self.ASSET, accumulated_depreciation=yuan("427500"), net_book_value=yuan("172000"), **self.WHEN
            )
        assert (info.value.record, info.value.field, info.value.expected) == ("VAL-1", "net_book_value", "172500.00元")
        with pytest.raises(InvalidAmount):
            ledger_opening(self.ASSET, accumulated_depreciation=yuan("600000.01"), **self.WHEN)
        with pytest.raises(InvalidValue):
            ledger_opening(self.ASSET, months_depreciated=90, **self.WHEN)
        assert ledger_opening(self.ASSET, **self.WHEN) is None


@settings(max_examples=200, deadline=None)
@given(
    original=st.integers(0, 10**11).map(Money),
    life=st.integers(1, 400),
    rate=st.sampled_from([Fraction(0), Fraction(5, 100), Fraction(1, 3)]),
    start=st.sampled_from([StartRule.NEXT_MONTH, StartRule.SAME_MONTH]),
    floor=st.booleans(),
    frequency=st.sampled_from([1, 3, 12, 7]),
    in_service=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    as_of=st.dates(date(2000, 1, 1), date(2070, 12, 31)),
    mode=st.sampled_from(RoundingMode),
)
def test_closed_form_book_values_match_the_schedule(
    original: Money,
    life: int,
    rate: Fraction,
    start: StartRule,
    floor: bool,
    frequency: int,
    in_service: date,
    as_of: date,
    mode: RoundingMode,
) -> None:
    plan = DepreciationPlan(
        life_months=life,
        residual_rate=rate,
        start=start,
        residual_treatment=ResidualTreatment.FLOOR if floor else ResidualTreatment.SPREAD,
        frequency_months=frequency,
    )
    policy = attrs.evolve(NATIONAL_2021, rounding=mode)
    assume(original != policy.donated_nominal_value)  # a 1 元 asset without funding is booked nominal (P13)
    asset = machine(original, completed_on=in_service)
    rows = depreciation_schedule(original, plan, in_service=in_service, until=as_of + timedelta(days=1), mode=mode)
    values = book_values(
        asset, policy, as_of=as_of, plan=plan, rules=attrs.evolve(RULES_2023, fixed_asset_threshold=Money(0))
    )
    assert values.accumulated_depreciation == (rows[-1].accumulated if rows else Money(0))
