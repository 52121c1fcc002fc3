"""Published figures checked as claims (CLM-101..105) on real notices (issue 11, DESIGN §9).

The figures are copied from shared/data/real (see its README for the quirks):

* 萨嘎县 2022年扶贫产业项目效益分红及无劳力救助资金分配公示 (2022-06-15),
  https://m.bidcenter.com.cn/newsrili-1-220361694.html (saga_dividend_totals.csv,
  saga_dividend_tiers.csv): 68.6563 万元 in all, of which 15.46 万元 back-pay at 139 元 per
  household; 1044 户 3810 人 = 944 + 74 + 26 户 and 3493 + 286 + 31 人 only with the separately
  funded no-labour group; 监测户 74户286人 = 49 + 2 + 23 户, 192 + 9 + 85 人.
* 掇刀区 2021 register summary, https://hb.cri.cn/2021-12-13/d850cbe0-51f6-c4fa-4ca6-c9c464ab2ecf.html
  (duodao_register_summary.csv): 30862.6147 万元 by class, 30862.61 万元 by owner level.
* 肃州区 四号村 2020 (published_projects.csv row 3): 4.5 万元 × 55 % for 24 + 51 = 75 households,
  "每户600元到300元不等"; another report says 55 households.
"""

from __future__ import annotations

import pytest

from assetreg.audit.claims import (
    PublishedAmount,
    PublishedFigure,
    parts_add_up,
    same_figure,
    same_total_at_precisions,
    whole_multiple,
    within_range,
)
from assetreg.audit.findings import Severity
from assetreg.domain.money import Money
from assetreg.errors import InvalidAmount

SAGA = "萨嘎县 2022年扶贫产业项目效益分红及无劳力救助资金分配公示"
SAGA_URL = "https://m.bidcenter.com.cn/newsrili-1-220361694.html"
DUODAO = "掇刀区 2021 扶贫资产确权登记"
DUODAO_URL = "https://hb.cri.cn/2021-12-13/d850cbe0-51f6-c4fa-4ca6-c9c464ab2ecf.html"


def saga(label: str, amount: str | None = None, households: int | None = None, people: int | None = None):
    return PublishedFigure(
        document=SAGA, label=label, amount=amount, households=households, people=people, source=SAGA_URL
    )


def test_printed_precision():
    back_pay = PublishedAmount.parse("15.46万元")
    assert (back_pay.value, back_pay.step) == (Money.yuan(154_600), 10_000)
    assert (Money(back_pay.low), Money(back_pay.high)) == (Money.yuan(154_550), Money.yuan("154649.99"))
    assert PublishedAmount.parse("30862.6147万元").step == 100  # one 元
    assert PublishedAmount.parse("600元").step == 100
    with pytest.raises(InvalidAmount):
        PublishedAmount.parse("约15万元")


def test_back_pay_is_not_a_whole_multiple_of_139_yuan_but_fits_at_the_printed_precision():
    (finding,) = whole_multiple(saga("其中:2021年产业项目补发分红资金", "15.46万元"), Money.yuan(139), what="补发/户")
    assert finding.code == "CLM-101"
    assert finding.severity is Severity.INFO
    evidence = finding.evidence
    assert (evidence["whole"], evidence["remainder"], evidence["quotient"]) == (1112, "32.00", "154600/139")
    # 1112 × 139 = 154,568 元 = 15.4568 万元, which prints as 15.46
    assert evidence["multiples_within_precision"] == (1112,)
    assert "154600.00元 / 139.00元 = 1112.2302, remainder 32.00元" in finding.message_en
    assert finding.subject == SAGA


def test_tier_money_is_not_a_whole_number_of_hundreds():
    # 68.6563 − 15.46 = 53.1963 万元 although every tier amount is a multiple of 100 元
    tiers = saga("产业分红资金(不含补发)", "53.1963万元")
    (finding,) = whole_multiple(tiers, Money.yuan(100))
    assert finding.severity is Severity.WARNING
    assert (finding.evidence["remainder"], finding.evidence["multiples_within_precision"]) == ("63.00", ())
    assert whole_multiple(saga("x", "53.2万元"), Money.yuan(100)) == ()


def test_headline_counts_add_up_only_with_the_no_labour_group():
    total = saga("产业分红资金共计", "68.6563万元", 1044, 3810)
    lifted = saga("稳定脱贫户", households=944, people=3493)
    monitored = saga("监测户", households=74, people=286)
    no_labour = saga("社会救助资金共计(无劳力户)", "1.31万元", 26, 31)
    (households,) = parts_add_up(total, [lifted, monitored], field="households")
    assert households.severity is Severity.WARNING
    assert (households.evidence["sum"], households.evidence["difference"]) == (1018, -26)
    assert "944户 + 74户 = 1018户, the total says 1044户 (difference -26)" in households.message_en
    (people,) = parts_add_up(total, [lifted, monitored], field="people")
    assert (people.evidence["sum"], people.evidence["difference"]) == (3779, -31)
    assert parts_add_up(total, [lifted, monitored, no_labour], field="households") == ()
    assert parts_add_up(total, [lifted, monitored, no_labour], field="people") == ()


def test_monitored_sub_rows_add_up():
    monitored = saga("监测户", households=74, people=286)
    kinds = [
        saga("脱贫不稳定", households=49, people=192),
        saga("突发严重困难", households=2, people=9),
        saga("边缘易致贫", households=23, people=85),
    ]
    assert parts_add_up(monitored, kinds, field="households") == ()
    assert parts_add_up(monitored, kinds, field="people") == ()


def test_parts_without_a_printed_figure_are_reported_not_counted_as_zero():
    # the undated repost deleted the lifted households' count (户人)
    total = PublishedFigure(document="repost", label="产业分红资金共计", amount="53.08万元", households=90)
    parts = [
        PublishedFigure(document="repost", label="建档立卡脱贫户"),
        PublishedFigure(document="repost", label="监测户", households=40),
    ]
    (finding,) = parts_add_up(total, parts, field="households")
    assert finding.evidence["missing"] == ("建档立卡脱贫户",)


def test_duodao_tables_at_two_precisions_differ_by_a_rounding_gap_of_47_yuan():
    by_class = PublishedFigure(document=DUODAO, label="按资产类别 合计", amount="30862.6147万元", source=DUODAO_URL)
    by_owner = PublishedFigure(document=DUODAO, label="按确权层级 合计", amount="30862.61万元", source=DUODAO_URL)
    (finding,) = same_total_at_precisions(by_class, by_owner)
    assert finding.code == "CLM-104"
    assert finding.severity is Severity.INFO
    assert (finding.evidence["gap"], finding.evidence["within_rounding"]) == ("-47.00", True)
    assert "a rounding gap of 47.00元" in finding.message_en
    # a gap of 0.02 万元 at two places is beyond rounding
    off = PublishedFigure(document=DUODAO, label="x", amount="30862.63万元")
    (beyond,) = same_total_at_precisions(by_class, off)
    assert beyond.severity is Severity.WARNING


def test_duodao_owner_levels_add_up_within_rounding_and_classes_exactly():
    total = PublishedFigure(document=DUODAO, label="按确权层级 合计", amount="30862.61万元", households=None)
    levels = [
        PublishedFigure(document=DUODAO, label=label, amount=amount)
        for label, amount in (("区", "3214.4万元"), ("镇", "1327.5万元"), ("村", "24481.49万元"), ("户", "1839.22万元"))
    ]
    assert parts_add_up(total, levels, field="amount") == ()  # 3214.4 + 1327.5 + 24481.49 + 1839.22 = 30862.61
    by_class = PublishedFigure(document=DUODAO, label="按资产类别 合计", amount="30862.6147万元")
    classes = [
        PublishedFigure(document=DUODAO, label=label, amount=amount)
        for label, amount in (("到户类", "1839.2229万元"), ("公益性", "26045.5340万元"), ("经营性", "2977.8578万元"))
    ]
    assert parts_add_up(by_class, classes, field="amount") == ()


def test_suzhou_household_counts_differ_between_two_reports_and_the_range_holds():
    named = PublishedFigure(document="甘肃日报 2020-04-08", label="生产发展资金", amount="24750元", households=24 + 51)
    other = PublishedFigure(document="ttnews 转载", label="贫困股东", households=55)
    (finding,) = same_figure(named, other, field="households")
    assert finding.code == "CLM-103"
    assert (finding.evidence["first"], finding.evidence["second"], finding.evidence["difference"]) == (75, 55, -20)
    # 4.5 万元 × 55 % = 24,750 元 for 75 households within 每户300元到600元: 22,500 to 45,000
    assert within_range(named, Money.yuan(300), Money.yuan(600)) == ()
    (outside,) = within_range(named, Money.yuan(400), Money.yuan(600))
    assert (outside.evidence["least"], outside.evidence["most"]) == ("30000.00", "45000.00")
