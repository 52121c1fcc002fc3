"""Public notice periods (公示期): closing date and check of a posted notice (P7).

DESIGN §7 P7: a distribution plan is posted publicly before it is carried out. The
minimum length is a policy parameter — 10 days in several provinces, 7 in some places,
10 working days in others — and counting is inclusive, as notices publish it: a 10-day
notice posted 2024-09-09 runs "2024年9月9日至9月18日(公示10天)".

Working days are Monday to Friday, minus the holidays the caller supplies, plus any
adjusted working days (调休上班日, weekend days worked in exchange for a holiday) the
caller supplies. Nothing here knows a holiday calendar or reads the clock.

:class:`DayUnit` is the policy's own (``assetreg.domain.policy.DayUnit``), re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from assetreg.domain.policy import DayUnit, Policy
from assetreg.errors import InvalidValue, wrong_type

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

__all__ = [
    "DayUnit",
    "NoticeCheck",
    "NoticeRule",
    "check_notice",
    "counted_days",
    "notice_closing_date",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


def _positive_length(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValue(
            "notice length must be a whole number of days, at least 1",
            "公示天数应为不小于1的整数",
            field="length",
            actual=value,
            expected=">= 1",
        )


@attrs.frozen
class NoticeRule:
    """The minimum notice of a policy (公示期要求), P7 **[cfg]**.

    Attributes:
        length: number of days the notice must stay posted, counted inclusively (>= 1).
        unit: calendar days or working days.

    Raises:
        InvalidValue: ``length`` below 1.
    """

    length: int = attrs.field(validator=_positive_length)
    unit: DayUnit = DayUnit.CALENDAR

    @classmethod
    def from_policy(cls, policy: Policy) -> NoticeRule:
        """The rule a policy sets (``Policy.notice_days``, ``Policy.notice_unit``)."""
        return cls(policy.notice_days, policy.notice_unit)

    @classmethod
    def calendar_days(cls, length: int) -> NoticeRule:
        """``length`` calendar days (e.g. 10 or 7)."""
        return cls(length, DayUnit.CALENDAR)

    @classmethod
    def working_days(cls, length: int) -> NoticeRule:
        """``length`` working days."""
        return cls(length, DayUnit.WORKING)

    def __str__(self) -> str:
        """``"10 calendar days"``."""
        return f"{self.length} {self.unit.value} days"


def _is_counted(day: date, unit: DayUnit, holidays: AbstractSet[date], workdays: AbstractSet[date]) -> bool:
    if unit is DayUnit.CALENDAR:
        return True
    if day in workdays:
        return True
    return day.weekday() < _SATURDAY and day not in holidays


def notice_closing_date(
    posted: date,
    rule: NoticeRule,
    *,
    holidays: AbstractSet[date] = frozenset(),
    workdays: AbstractSet[date] = frozenset(),
) -> date:
    """Return the first day on which a notice posted on ``posted`` may close (inclusive).

    The posting day counts as day 1 when it is a counted day; the closing date is the
    day on which the ``rule.length``-th counted day falls. A 10-calendar-day notice posted
    2024-09-09 closes 2024-09-18.

    Args:
        posted: the day the notice was posted (公示开始日).
        rule: minimum length and unit.
        holidays: public holidays (not working days) — the caller's calendar.
        workdays: adjusted working days on weekends (调休上班日) — the caller's calendar.

    Returns:
        The last day of the minimum notice period (inclusive).

    Raises:
        TypeError: ``posted`` is not a ``date``.
    """
    _require_date(posted, "posted")
    if rule.unit is DayUnit.CALENDAR:
        return posted + timedelta(days=rule.length - 1)
    day = posted
    count = 0
    while True:
        if _is_counted(day, rule.unit, holidays, workdays):
            count += 1
            if count == rule.length:
                return day
        day += _ONE_DAY


def counted_days(
    first: date,
    last: date,
    unit: DayUnit,
    *,
    holidays: AbstractSet[date] = frozenset(),
    workdays: AbstractSet[date] = frozenset(),
) -> int:
    """Count the days from ``first`` to ``last`` inclusive in ``unit`` (0 if ``last < first``).

    Raises:
        TypeError: a bound is not a ``date``.
    """
    _require_date(first, "first")
    _require_date(last, "last")
    if last < first:
        return 0
    if unit is DayUnit.CALENDAR:
        return (last - first).days + 1
    count = 0
    day = first
    while day <= last:
        if _is_counted(day, unit, holidays, workdays):
            count += 1
        day += _ONE_DAY
    return count


@attrs.frozen(kw_only=True)
class NoticeCheck:
    """The check of one posted notice against a rule (公示期核查).

    Attributes:
        posted: first day of the notice.
        closed: last day of the notice as posted (inclusive).
        rule: the rule applied.
        days: days counted from ``posted`` to ``closed`` inclusive, in the rule's unit.
        earliest_close: the first day the notice could have closed under the rule.
        ok: whether the notice was long enough.
        shortfall: counted days missing (0 when ``ok``).
    """

    posted: date
    closed: date
    rule: NoticeRule
    days: int
    earliest_close: date
    ok: bool
    shortfall: int


def check_notice(
    posted: date,
    closed: date,
    rule: NoticeRule,
    *,
    holidays: AbstractSet[date] = frozenset(),
    workdays: AbstractSet[date] = frozenset(),
) -> NoticeCheck:
    """Check that a notice posted ``posted`` … ``closed`` (inclusive) meets ``rule`` (P7).

    ``check_notice(date(2024, 9, 9), date(2024, 9, 18), NoticeRule(10)).ok`` is ``True``;
    closing on 2024-09-17 gives ``ok=False`` with ``shortfall=1``.

    Args:
        posted: first day posted.
        closed: last day posted (inclusive, as published).
        rule: minimum length and unit from the policy.
        holidays: public holidays supplied by the caller.
        workdays: adjusted weekend working days supplied by the caller.

    Returns:
        A :class:`NoticeCheck`; a short notice is a result, not an error (audits report it).

    Raises:
        TypeError: a bound is not a ``date``.
        InvalidValue: ``closed`` is before ``posted``.
    """
    if _require_date(closed, "closed") < _require_date(posted, "posted"):
        raise InvalidValue(
            f"notice closes {closed} before it is posted {posted}",
            f"公示结束日 {closed} 早于开始日 {posted}",
            field="closed",
            actual=closed.isoformat(),
            expected=f">= {posted.isoformat()}",
        )
    days = counted_days(posted, closed, rule.unit, holidays=holidays, workdays=workdays)
    earliest = notice_closing_date(posted, rule, holidays=holidays, workdays=workdays)
    return NoticeCheck(
        posted=posted,
        closed=closed,
        rule=rule,
        days=days,
        earliest_close=earliest,
        ok=days >= rule.length,
        shortfall=max(0, rule.length - days),
    )


def _require_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise wrong_type(name, value, "a datetime.date", "日期 datetime.date")
    return value
