"""Cell parsers: amounts, dates, ranges, rates, shares, headers (real strings from the sources)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.adapters.ledger.cells import (
    exact_decimal,
    is_blank,
    parse_amount,
    parse_count,
    parse_date,
    parse_date_range,
    parse_rate,
    parse_share,
    parse_year,
)
from assetreg.adapters.ledger.headers import HeaderMatch, match_header
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidShares, InvalidValue


# -- amounts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "unit", "fen"),
    [
        # verbatim cells of published_projects.csv: 满城, 肃州, 泽库, 达川
        ("851.65万元", None, 851_650_000),
        ("104万", None, 104_000_000),
        ("167万元(少数民族发展资金)", None, 167_000_000),
        (
            "530万元(其中:资产收益扶贫项目投资金额104万,互助资金30万元,合作社投资396万元)",
            None,
            530_000_000,
        ),
        ("2993.7万元", None, 2_993_700_000),
        ("12.7748万元", None, 127_748_00),
        # 掇刀区 summary: 4-place 万元 under a 金额(万元) header
        ("30862.6147", "万元", 3_086_261_470_0),
        ("26045.5340", "万元", 2_604_553_400_0),
        # 萨嘎县 tiers (元) and totals (万元)
        ("400", "元", 40_000),
        ("68.6563", "万元", 68_656_300),
        # thousands separators, full-width text, currency sign
        ("12345.6万元", None, 12_345_600_000),
        ("１２３４５．６万元", None, 12_345_600_000),
        ("8,516,500.00", "元", 851_650_000),
        ("¥1,234.50", None, 123_450),
        (8516500, "元", 851_650_000),
        (Decimal("851.65"), "万元", 851_650_000),
        (851.65, "万元", 851_650_000),
        (127747.5, None, 12_774_750),
    ],
)
def test_parse_amount_reads_published_forms(cell: object, unit: str | None, fen: int) -> None:
    assert parse_amount(cell, unit) == Money(fen)


def test_12345_6_wan_is_123456000_yuan() -> None:
    assert parse_amount("12345.6万元") == Money.yuan("123456000")


@pytest.mark.parametrize(
    ("cell", "suggestion"),
    [("12,345.6万", "12345.6万元"), ("１２，３４５．６万元", "12345.6万元"), ("1 234", "1234"), ("1,23,4", "1234")],
)
def test_undocumented_amount_forms_are_refused_with_the_reading_meant(cell: str, suggestion: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_amount(cell)
    assert info.value.details == {"kind": "amount_form", "suggestion": suggestion}
    assert f"if {suggestion} is meant" in info.value.message_en
    assert f"如指 {suggestion}" in info.value.message_zh


@pytest.mark.parametrize(
    ("cell", "unit", "kind"),
    [
        (0.30000000000000004, None, "float_artefact"),
        (0.30000000000000004, "万元", "float_artefact"),
        ("0.305", None, "too_many_places"),
        (0.305, None, "too_many_places"),
        ("0.0000001", "万元", "too_many_places"),
        ("500元", "万元", "unit_conflict"),
        ("5万元", "元", "unit_conflict"),
        ("5美元", None, "unknown_unit"),
        ("5亿元", None, "unknown_unit"),
        ("约100万", None, "not_a_number"),
        ("", None, "blank"),
        (None, None, "blank"),
        (True, None, "not_a_number"),
        (float("nan"), None, "not_finite"),
    ],
)
def test_parse_amount_refuses(cell: object, unit: str | None, kind: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_amount(cell, unit, field="original_value")
    assert info.value.details["kind"] == kind
    assert info.value.code == "AR-101"
    assert info.value.field == "original_value"


def test_float_artefact_message_is_bilingual_and_exact() -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_amount(0.1 + 0.2)
    assert "0.30000000000000004" in info.value.message_en
    assert "浮点" in info.value.message_zh
    assert info.value.actual == "0.30000000000000004"


def test_negative_refused_only_when_asked() -> None:
    assert parse_amount("-5万元") == Money.wan("-5")
    with pytest.raises(InvalidAmount) as info:
        parse_amount("-5万元", non_negative=True)
    assert info.value.details["kind"] == "negative"


def test_exact_decimal_uses_shortest_repr() -> None:
    assert exact_decimal(851.65) == Decimal("851.65")
    assert exact_decimal(0.1) == Decimal("0.1")


@given(st.integers(min_value=0, max_value=10**13))
def test_amount_round_trips_through_yuan_text_and_float(fen: int) -> None:
    money = Money(fen)
    assert parse_amount(money.format_yuan(grouping=True)) == money
    assert parse_amount(money.format_wan(6), None) == money
    if fen < 10**15:
        assert parse_amount(float(money.format_yuan()), "元") == money


# -- dates -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024年9月9日", date(2024, 9, 9)),
        ("2024.09.09", date(2024, 9, 9)),
        ("2024-09-09", date(2024, 9, 9)),  # 满城 发布日期
        ("2024/9/9", date(2024, 9, 9)),
        ("20240909", date(2024, 9, 9)),
        (20240909, date(2024, 9, 9)),
        (20240909.0, date(2024, 9, 9)),
        ("2024年5月13日", date(2024, 5, 13)),  # 黑水 落款
        ("2022年6月15日", date(2022, 6, 15)),  # 萨嘎 公示日期
        ("2024-09-09 00:00:00", date(2024, 9, 9)),
        (datetime(2024, 9, 9), date(2024, 9, 9)),  # noqa: DTZ001 - as openpyxl returns it
        (date(2024, 9, 9), date(2024, 9, 9)),
    ],
)
def test_parse_date(cell: object, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "2024731日",  # 乌拉特前旗 落款 (lost 年 and 月)
        "2023524—64",  # 泽库 first batch 公告期
        "年7月9日",  # 萨嘎 undated repost
        "20248月",
        "2024年2月30日",
        "2024.13.01",
        "45544",
        datetime(2024, 9, 9, 12, 30),  # noqa: DTZ001
    ],
)
def test_parse_date_refuses_broken_dates(cell: object) -> None:
    with pytest.raises(InvalidPeriod) as info:
        parse_date(cell, field="signed_on")
    assert info.value.details["kind"] == "bad_date"
    assert info.value.code == "AR-104"


@pytest.mark.parametrize(
    ("cell", "period"),
    [
        ("2024年9月9日至9月18日(公示10天)", Period.inclusive(date(2024, 9, 9), date(2024, 9, 18))),
        (
            "2024年9月9日至9月18日（公示10天）",
            Period.inclusive(date(2024, 9, 9), date(2024, 9, 18)),
        ),
        ("2023年6月9日—6月19日", Period.inclusive(date(2023, 6, 9), date(2023, 6, 19))),
        ("2024年7月31日—2024年8月9日", Period.inclusive(date(2024, 7, 31), date(2024, 8, 9))),
        ("2023.11-2024.01", Period(date(2023, 11, 1), date(2024, 2, 1))),
        ("2024年8月-2025年7月", Period(date(2024, 8, 1), date(2025, 8, 1))),
        (
            "2022年6月27日-7月12日",
            Period.inclusive(date(2022, 6, 27), date(2022, 7, 12)),
        ),  # 萨嘎 分红时间
        ("2024年8月1日起到2025年7月31日", Period.inclusive(date(2024, 8, 1), date(2025, 7, 31))),
        ("2024-09-09-2024-09-18", Period.inclusive(date(2024, 9, 9), date(2024, 9, 18))),
        ("20240909~20240918", Period.inclusive(date(2024, 9, 9), date(2024, 9, 18))),
        ("2024年9月9日至18日", Period.inclusive(date(2024, 9, 9), date(2024, 9, 18))),
    ],
)
def test_parse_date_range(cell: str, period: Period) -> None:
    assert parse_date_range(cell) == period


def test_ten_day_notice_is_ten_days() -> None:
    # DESIGN §9: a 10-day notice posted 2024-09-09 may close 2024-09-18 (inclusive counting).
    assert parse_date_range("2024年9月9日至9月18日(公示10天)").days == 10


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("2023524—64", "bad_range"),
        ("20248月-2025年7月", "bad_range"),
        ("2024731日", "bad_range"),
        ("2024年9月9日", "bad_range"),
        ("2024年12月25日至1月5日", "end_before_start"),
        ("2024年9月9日-2024年10月", "bad_range"),
        ("2024年9月9日至9月31日", "bad_date"),
    ],
)
def test_parse_date_range_refuses(cell: str, kind: str) -> None:
    with pytest.raises(InvalidPeriod) as info:
        parse_date_range(cell)
    assert info.value.details["kind"] == kind


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_date_forms_agree(day: date) -> None:
    forms = [
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y.%m.%d}",
        f"{day:%Y%m%d}",
        day.isoformat(),
    ]
    assert {parse_date(form) for form in forms} == {day}


# -- rates, shares, counts, years ---------------------------------------------------------
def test_parse_rate() -> None:
    assert parse_rate("6%") == Fraction(6, 100)  # 满城: 资产收益为6%
    assert parse_rate("6％") == Fraction(6, 100)
    assert parse_rate(0.06) == Fraction(6, 100)
    assert parse_rate("0.06") == Fraction(6, 100)
    assert parse_rate(6, "%") == Fraction(6, 100)
    assert parse_rate("1.5625%") == Fraction(1, 64)  # 黑水: 各村分红比重


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("6", "rate_above_one"),
        ("-1%", "negative"),
        ("六", "bad_rate"),
        (0.060000000000000005, "float_artefact"),
    ],
)
def test_parse_rate_refuses(cell: object, kind: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_rate(cell)
    assert info.value.details["kind"] == kind


def test_parse_share() -> None:
    assert parse_share("25%") == Fraction(1, 4)  # 黑水: 25:75 股比
    assert parse_share("1/3") == Fraction(1, 3)
    assert parse_share(0.75) == Fraction(3, 4)
    with pytest.raises(InvalidShares):
        parse_share("150%")


def test_counts_and_years() -> None:
    assert parse_count("624 个") == 624  # 掇刀: "624 个" with a space
    assert parse_count("11项") == 11
    assert parse_count("6个项目") == 6
    assert parse_count(89.0) == 89
    assert parse_year("2021年") == 2021
    assert parse_year(2023.0) == 2023
    with pytest.raises(InvalidValue):
        parse_count("3.5")
    with pytest.raises(InvalidValue):
        parse_year("年")


def test_blank_markers_are_missing_not_zero() -> None:
    # 萨嘎 undated repost: deleted amounts are blanks, which mean "missing", never 0.
    assert is_blank("")
    assert is_blank(None)
    assert is_blank(" / ")
    assert not is_blank("0")
    with pytest.raises(InvalidAmount) as info:
        parse_amount("")
    assert info.value.details["kind"] == "blank"


# -- headers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("原值(万元)", HeaderMatch("original_value", "万元")),
        ("原值（万元）", HeaderMatch("original_value", "万元")),
        ("金额（元）", HeaderMatch("original_value", "元")),
        ("投资额/万元", HeaderMatch("original_value", "万元")),
        ("建设/投资金额", HeaderMatch("original_value", None)),
        ("金额(万元)", HeaderMatch("original_value", "万元")),
        ("原 值\n（万元）", HeaderMatch("original_value", "万元")),
        ("*资产编号", HeaderMatch("asset_code", None)),
        ("所有权人", HeaderMatch("owner", None)),
        ("管护责任人", HeaderMatch("custodian", None)),
        ("保底收益率(%)", HeaderMatch("guaranteed_rate", "%")),
        ("合同起止", HeaderMatch("contract_period", None)),
        ("公告期", HeaderMatch("notice_period", None)),
        ("Asset Code", None),
        ("asset_code", HeaderMatch("asset_code", None)),
        ("amount_wan", HeaderMatch("original_value", "万元")),
        ("Amount (yuan)", HeaderMatch("original_value", "元")),
        ("行类型", HeaderMatch("row_kind", None)),
        ("个数", HeaderMatch("item_count", None)),
        ("分类或层级", None),
        (None, None),
    ],
)
def test_match_header(header: object, expected: HeaderMatch | None) -> None:
    assert match_header(header) == expected
