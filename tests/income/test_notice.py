"""Public notice periods (P7; DESIGN §9: 10-day notice posted 2024-09-09 closes 2024-09-18)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetreg.domain.policy import Policy
from assetreg.errors import InvalidValue
from assetreg.income.notice import (
    DayUnit,
    NoticeRule,
    check_notice,
    counted_days,
    notice_closing_date,
)

# 满城区 2024: "2024年9月9日至9月18日(公示10天)", http://mancheng.gov.cn/show-19993.html
MANCHENG_POSTED = date(2024, 9, 9)
MANCHENG_CLOSED = date(2024, 9, 18)
# 2024 Mid-Autumn holiday 9-15..9-17, with Saturday 9-14 worked (State Council 2023 notice).
MID_AUTUMN = frozenset({date(2024, 9, 15), date(2024, 9, 16), date(2024, 9, 17)})
MID_AUTUMN_WORKDAYS = frozenset({date(2024, 9, 14)})


def test_design_example_ten_calendar_days() -> None:
    assert notice_closing_date(MANCHENG_POSTED, NoticeRule(10)) == MANCHENG_CLOSED
    check = check_notice(MANCHENG_POSTED, MANCHENG_CLOSED, NoticeRule.calendar_days(10))
    assert check.ok
    assert check.days == 10
    assert check.shortfall == 0
    assert check.earliest_close == MANCHENG_CLOSED


def test_short_notice_reported() -> None:
    check = check_notice(MANCHENG_POSTED, date(2024, 9, 17), NoticeRule(10))
    assert not check.ok
    assert check.days == 9
    assert check.shortfall == 1


def test_seven_days() -> None:
    assert notice_closing_date(date(2023, 6, 9), NoticeRule(7)) == date(2023, 6, 15)


def test_working_days_without_holidays() -> None:
    # Monday 2024-09-09: ten working days are the two weeks to Friday 2024-09-20.
    rule = NoticeRule.working_days(10)
    assert notice_closing_date(MANCHENG_POSTED, rule) == date(2024, 9, 20)
    # Posted on a Saturday: counting starts on Monday.
    assert notice_closing_date(date(2024, 9, 7), NoticeRule(1, DayUnit.WORKING)) == date(2024, 9, 9)


def test_working_days_with_caller_calendar() -> None:
    rule = NoticeRule.working_days(10)
    closing = notice_closing_date(MANCHENG_POSTED, rule, holidays=MID_AUTUMN, workdays=MID_AUTUMN_WORKDAYS)
    # 9,10,11,12,13, 14 (Sat worked), 18,19,20, 23
    assert closing == date(2024, 9, 23)
    assert (
        counted_days(
            MANCHENG_POSTED,
            closing,
            DayUnit.WORKING,
            holidays=MID_AUTUMN,
            workdays=MID_AUTUMN_WORKDAYS,
        )
        == 10
    )
    check = check_notice(MANCHENG_POSTED, MANCHENG_CLOSED, rule, holidays=MID_AUTUMN)
    assert not check.ok
    assert check.days == 6
    assert check.shortfall == 4


def test_bad_input() -> None:
    with pytest.raises(InvalidValue):
        NoticeRule(0)
    with pytest.raises(InvalidValue):
        check_notice(MANCHENG_CLOSED, MANCHENG_POSTED, NoticeRule(10))
    assert counted_days(MANCHENG_CLOSED, MANCHENG_POSTED, DayUnit.CALENDAR) == 0
    assert str(NoticeRule(10)) == "10 calendar days"


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(1, 40),
    st.sampled_from(list(DayUnit)),
)
def test_closing_date_counts_exactly_length(posted: date, length: int, unit: DayUnit) -> None:
    rule = NoticeRule(length, unit)
    closing = notice_closing_date(posted, rule)
    assert counted_days(posted, closing, unit) == length
    assert counted_days(posted, closing - timedelta(days=1), unit) < length
    assert check_notice(posted, closing, rule).ok


def test_rule_from_policy() -> None:
    policy = Policy(name="t", source="test", notice_days=7, notice_unit=DayUnit.WORKING)
    assert NoticeRule.from_policy(policy) == NoticeRule(7, DayUnit.WORKING)
