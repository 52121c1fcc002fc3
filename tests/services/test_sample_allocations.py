"""Distributing the bundled sample's income (the income service): exact figures derived from the published notices.

Sources (cited in src/assetreg/samples/README.md):
- 灵台县 柳家铺村 PV station, 186 kW, income 7.3万元, O&M paid 0.9万元, after upkeep 45 % to the
  collective and 55 % by labour: http://pvnews.cn/a/news/reping/11988.html
- 肃州区 cooperative dividend 4.5万元 split 55/30/15:
  http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.notice_writer import notice_table, write_notice
from assetreg.adapters.ledger.records import read_income_ledger, read_roster
from assetreg.domain.money import Money
from assetreg.domain.policy import GANSU_COUNTY, NATIONAL_2021, Policy
from assetreg.errors import AllocationError
from assetreg.income.presets import PLAN_PRESETS, PlanContext
from assetreg.samples import sample_path
from assetreg.services.income import distribute_asset_income

RECORDED = datetime(2024, 12, 31, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def books():
    imported = import_ledger(
        sample_path("sample_ledger.csv"),
        recorded_at=RECORDED,
        policy=GANSU_COUNTY,
    )
    roster = read_roster(sample_path("sample_households.csv"))
    register = imported.register
    for household in roster.parties:
        register = register.add_party(household)
    return register, read_income_ledger(sample_path("sample_revenue.csv")).inputs(register, RECORDED), roster.households


def test_sample_policy_is_the_gansu_preset():
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    # the sample's ledger names single funding sources without amounts (see sample_policy.toml)
    assert policy == attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)
    assert policy.scope_start_year == 2013


def test_pv_station_45_55_after_capped_om(books):
    register, income, roster = books
    notice = distribute_asset_income(register, income, roster, GANSU_COUNTY, asset_id="LT-PV-001", plan="pv-45-55")
    # O&M paid 9,000 元; the cap is 186,000 W × 0.03 元/W/年 = 5,580 元 (P9)
    assert notice.income.gross == Money.yuan("73000")
    assert notice.income.total_deducted == Money.yuan("5580")
    assert [d.amount for d in notice.income.not_deducted] == [Money.yuan("3420")]
    assert notice.income.net == Money.yuan("67420")
    collective = notice.allocations[0].by_beneficiary()["village_collective:柳家铺村集体经济组织"]
    assert collective == Money.yuan("30339")  # 45 % of 67,420
    households = sum((a for k, a in notice.allocations[0].by_beneficiary().items() if k.startswith("LT-H")), Money(0))
    assert households == Money.yuan("37081")  # 55 % of 67,420, split by days worked
    assert notice.reconciles and notice.total == Money.yuan("67420")
    # the notice is posted the day the income is recorded and closes 10 days later, inclusive (P7)
    assert (notice.posted_on, notice.closes_on) == (date(2020, 5, 9), date(2020, 5, 18))


def test_pv_households_without_days_get_nothing(books):
    register, income, roster = books
    notice = distribute_asset_income(register, income, roster, GANSU_COUNTY, asset_id="LT-PV-001", plan="pv-45-55")
    paid = notice.allocations[0].by_beneficiary()
    idle = [m.household_id for m in roster if m.days_worked == 0]
    assert idle  # the sample has households without labour
    assert all(paid.get(h, Money(0)) == Money(0) for h in idle)


def test_cooperative_dividend_55_30_15(books):
    register, income, roster = books
    notice = distribute_asset_income(register, income, roster, GANSU_COUNTY, asset_id="SZ-GH-001", plan="coop-55-30-15")
    amounts = [row["金额(元)"] for row in notice.rows()]
    assert amounts == [Decimal("24750.00"), Decimal("13500.00"), Decimal("6750.00")]
    assert notice.total == Money.yuan("45000")


def test_notice_table_has_a_total_row_equal_to_the_pool(books, tmp_path):
    register, income, roster = books
    notice = distribute_asset_income(
        register, income, roster, NATIONAL_2021, asset_id="SZ-GH-001", plan="coop-55-30-15"
    )
    table = notice_table(notice)
    assert table[-2][1] == "合计"
    assert table[-2][3] == Decimal("45000.00")
    assert table[-1][1:] == ["核对", "", "", "分配合计等于可分配收益，分毫不差"]
    target = write_notice(notice, tmp_path / "公示.csv")
    text = target.read_text(encoding="utf-8-sig")
    assert "24750.00" in text and "合计" in text
    xlsx = write_notice(notice, tmp_path / "公示.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    values = [c.value for c in sheet["B"]]
    assert "合计" in values


def test_unknown_plan_and_missing_income_are_refused(books):
    register, income, roster = books
    with pytest.raises(AllocationError) as err:
        distribute_asset_income(register, income, roster, GANSU_COUNTY, asset_id="LT-PV-001", plan="nope")
    assert err.value.field == "plan" and "pv-45-55" in err.value.expected
    with pytest.raises(AllocationError, match="no income"):
        distribute_asset_income(register, income, roster, GANSU_COUNTY, asset_id="ZK-2023-001", plan="pv-45-55")


def test_every_plan_preset_builds_a_plan():
    from assetreg.income import Base

    for name, build in PLAN_PRESETS.items():
        plan = build(PlanContext(owner="V1", operator="C1", base=Base.NET))
        assert plan.tiers, name
