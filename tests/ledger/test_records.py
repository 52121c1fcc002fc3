"""Household rosters and income ledgers: good rows kept, bad cells reported with row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.adapters.ledger.cells import parse_capacity_kw
from assetreg.adapters.ledger.records import read_income_ledger, read_roster
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import LedgerError
from assetreg.income.revenue import DeductionKind, RevenueKind


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roster_reads_households_and_reports_bad_cells(tmp_path):
    path = _write(
        tmp_path,
        "roster.csv",
        "户编号,户主,区划代码,家庭人口,农户类型,监测类型,劳动能力,公益劳动天数,受益资产\n"
        "H1,农户A,620422100,4,脱贫户,,有劳动能力,20,PV-1\n"
        "H2,农户B,62042210,3,监测对象,边缘易致贫户,无劳动能力,0,PV-1;PV-2\n"
        "H3,农户C,620422100,0,脱贫户,,,5,PV-1\n"
        "H4,农户D,620422100,3,监测对象,边缘易致贫户,弱劳动能力,,PV-2\n"
        "H1,农户E,620422100,2,脱贫户,,,1,PV-1\n",
    )
    roster = read_roster(path)
    assert [m.household_id for m in roster.households] == ["H1", "H4"]
    assert [p.id for p in roster.parties] == ["H1", "H4"]  # the same households as register parties
    h4 = roster.households[1]
    assert (h4.members, h4.asset_ids) == (3, ("PV-2",))
    assert (h4.status, h4.monitor_type, h4.labor_capacity) == (
        HouseholdStatus.MONITORED,
        MonitorType.MARGINAL,
        LaborCapacity.WEAK,
    )
    assert [m.household_id for m in roster.for_asset("PV-1")] == ["H1"]
    where = sorted((i.row, i.column, i.column_letter, i.code) for i in roster.issues)
    assert where == [
        (3, "区划代码", "C", "LED-120"),  # 8 digits
        (4, "家庭人口", "D", "LED-123"),  # size 0
        (6, "户编号", "A", "LED-501"),  # listed twice
    ]


def test_income_ledger_splits_revenue_and_deductions(tmp_path):
    path = _write(
        tmp_path,
        "income.csv",
        "收益编号,资产编号,收益类型,收益期间,到账日期,金额,备注\n"
        "R1,PV-1,发电收益,2024年1月1日—2024年12月31日,2025年1月10日,120000元,\n"
        "R2,PV-1,运维费用,2024年1月1日—2024年12月31日,2025年1月10日,0.9万元,\n"
        "R3,PV-1,保底收益,2023.11-2024.01,2024年9月9日,12.7748万元,\n"
        "R4,PV-1,发电收益,2024731日,2025年1月10日,5元,\n"
        "R5,PV-1,魔法收益,2024年1月1日—2024年12月31日,2025年1月10日,5元,\n"
        "R6,PV-1,发电收益,2024年1月1日—2024年12月31日,2025年1月10日,0.30000000000000004元,\n",
    )
    ledger = read_income_ledger(path)
    assert [(e.id, e.kind, e.amount) for e in ledger.entries] == [
        ("R1", RevenueKind.SALES, Money.yuan("120000")),
        ("R3", RevenueKind.GUARANTEED_RETURN, Money.yuan("127748")),
    ]
    assert ledger.entries[1].period == Period(date(2023, 11, 1), date(2024, 2, 1))
    assert [(c.id, c.kind, c.amount, c.period) for c in ledger.deductions] == [
        ("R2", DeductionKind.OPERATION_MAINTENANCE, Money.yuan("9000"), Period.year(2024))
    ]
    assert sorted((i.row, i.column_letter, i.code) for i in ledger.issues) == [
        (5, "D", "LED-112"),  # no range
        (6, "C", "LED-122"),  # a kind no county uses
        (7, "F", "LED-106"),  # a binary-float tail
    ]
    (unknown,) = (i for i in ledger.issues if i.row == 6)
    assert unknown.message_en.startswith("收益类型: expected an income or expense kind (保底收益, 保底分红, ")
    assert unknown.message_en.endswith("), found '魔法收益'")
    assert unknown.message_zh.endswith("）之一，实为 '魔法收益'")


def test_roster_labels_and_sizes_have_their_own_codes(tmp_path):
    path = _write(
        tmp_path,
        "roster.csv",
        "户编号,户主,区划代码,家庭人口,农户类型,监测类型,劳动能力,公益劳动天数,受益资产\n"
        "H3,农户C,620422100,0,脱贫户,,,5,PV-1\n"
        "H5,农户C,620422100,2,富户,,,5,PV-1\n"
        "H6,农户C,620422100,2,脱贫户,,强,5,PV-1\n",
    )
    found = [(i.row, i.column, i.code, i.message_en, i.message_zh) for i in read_roster(path).issues]
    assert found == [
        (
            2,
            "家庭人口",
            "LED-123",
            "家庭人口: expected at least 1 household member, found 0",
            "家庭人口：应至少有 1 人，实为 0",
        ),
        (
            3,
            "农户类型",
            "LED-122",
            "农户类型: expected one of 脱贫户, 监测对象, 一般农户, found '富户'",
            "农户类型：应为 脱贫户、监测对象、一般农户 之一，实为 '富户'",
        ),
        (
            4,
            "劳动能力",
            "LED-122",
            "劳动能力: expected one of 有劳动能力, 弱劳动能力, 无劳动能力, found '强'",
            "劳动能力：应为 有劳动能力、弱劳动能力、无劳动能力 之一，实为 '强'",
        ),
    ]


def test_unreadable_files_raise_ledger_error(tmp_path):
    with pytest.raises(LedgerError):
        read_roster(tmp_path / "missing.csv")
    with pytest.raises(LedgerError):
        read_income_ledger(_write(tmp_path, "x.txt", "a,b\n"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("装机总容量186千瓦", Decimal(186)),  # 灵台县 柳家铺村 (pvnews.cn/a/news/reping/11988.html)
        ("30MW", Decimal(30000)),  # 黑水县 扎窝 30MW station
        ("300kW", Decimal(300)),
        ("日光温室31座", None),
        ("", None),
        ("186", Decimal(186)),
    ],
)
def test_capacity_in_kw(cell, expected):
    assert parse_capacity_kw(cell) == expected


def test_roster_reads_members_shares_exactly(tmp_path):
    # synthetic roster with a 股份 column (折股量化, issue 17): counts, 股 suffix, a fraction
    path = _write(
        tmp_path,
        "roster.csv",
        "户编号,户主,区划代码,家庭人口,农户类型,劳动能力,股份\n"
        "H1,农户A,620422100,4,脱贫户,有劳动能力,12\n"
        "H2,农户B,620422100,3,脱贫户,有劳动能力,12股\n"
        "H3,农户C,620422100,2,脱贫户,有劳动能力,1/3\n"
        "H4,农户D,620422100,2,脱贫户,有劳动能力,\n"
        "H5,农户E,620422100,2,脱贫户,有劳动能力,约12股\n"
        "H6,农户F,620422100,2,脱贫户,有劳动能力,-2\n",
    )
    roster = read_roster(path)
    assert [(h.household_id, h.shares) for h in roster.households] == [
        ("H1", Fraction(12)),
        ("H2", Fraction(12)),
        ("H3", Fraction(1, 3)),
        ("H4", None),
    ]
    assert roster.households[2].beneficiary().shares == Fraction(1, 3)
    found = [(i.row, i.column, i.code, i.message_en) for i in roster.issues]
    assert found == [
        (6, "股份", "LED-126", "股份: expected a number of shares such as 12, 12股 or 1/3, found '约12股'"),
        (7, "股份", "LED-108", "股份: expected zero or more, found '-2'"),
    ]
