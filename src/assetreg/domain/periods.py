"""Periods, dates and instants (期间、日期与时点). The only module that imports pendulum.

DESIGN §4: business facts are ``datetime.date`` values and half-open periods
``[start, end)``; instants (``recorded_at``) are timezone-aware, stored in UTC and shown
in Asia/Shanghai. Nothing here reads the clock. Public signatures use stdlib types;
pendulum does the calendar arithmetic (months, quarters, years, time zones).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Final

import attrs
import pendulum

from assetreg.errors import InvalidPeriod, wrong_type

__all__ = [
    "SHANGHAI",
    "Period",
    "add_months",
    "add_years",
    "require_aware",
    "to_shanghai",
    "to_utc",
]

SHANGHAI = "Asia/Shanghai"
"""The time zone in which instants are shown (北京时间)."""


def add_months(day: date, months: int) -> date:
    """Add calendar months, clamping to the month's last day (``2024-01-31 + 1 → 2024-02-29``)."""
    result = pendulum.Date(day.year, day.month, day.day).add(months=months)
    return date(result.year, result.month, result.day)


def add_years(day: date, years: int) -> date:
    """Add calendar years, clamping 29 February to 28 February."""
    return add_months(day, 12 * years)


def require_aware(instant: datetime, *, field: str = "recorded_at", record: str | None = None) -> datetime:
    """Return ``instant`` in UTC, refusing naive datetimes.

    Raises:
        TypeError: ``instant`` is not a ``datetime``.
        InvalidPeriod: ``instant`` has no time zone.
    """
    if not isinstance(instant, datetime):
        raise wrong_type(field, instant, "a timezone-aware datetime", "带时区的 datetime")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidPeriod(
            f"{field} is a naive datetime; give it a time zone",
            f"{field} 缺少时区信息",
            field=field,
            record=record,
            actual=instant.isoformat(),
            expected="timezone-aware datetime",
        )
    return instant.astimezone(UTC)


def to_utc(instant: datetime) -> datetime:
    """Return the aware ``instant`` converted to UTC (stdlib ``datetime``)."""
    return require_aware(instant)


def to_shanghai(instant: datetime) -> datetime:
    """Return the aware ``instant`` shown in Asia/Shanghai (stdlib ``datetime``)."""
    aware = require_aware(instant)
    return aware.astimezone(pendulum.timezone(SHANGHAI))


def _check_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise wrong_type(name, value, "a datetime.date", "日期 datetime.date")
    return value


_LAST_YEAR: Final = 9999


def _check_whole(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type(name, value, "an int", "整数")


def _check_year(year: object) -> None:
    _check_whole(year, "year")
    if not 1 <= year < _LAST_YEAR:  # type: ignore[operator]
        raise InvalidPeriod(
            f"year {year} is outside 1–9998", f"年份 {year} 不在 1–9998 之间", field="year", actual=year
        )


@attrs.frozen(order=True)
class Period:
    """A half-open period of days ``[start, end)`` (期间，左闭右开).

    ``Period.year(2024)`` is ``[2024-01-01, 2025-01-01)``; it contains 2024-12-31 and not
    2025-01-01. A published inclusive range 2024-08-01 … 2025-07-31 is
    ``Period.inclusive(date(2024, 8, 1), date(2025, 7, 31))``.

    Attributes:
        start: first day in the period.
        end: first day after the period.

    Raises:
        TypeError: a bound is not a ``date`` (``datetime`` is refused).
        InvalidPeriod: ``end`` is not after ``start``.
    """

    start: date
    end: date

    def __attrs_post_init__(self) -> None:
        _check_date(self.start, "start")
        _check_date(self.end, "end")
        if self.end <= self.start:
            raise InvalidPeriod(
                f"period end {self.end} is not after start {self.start}",
                f"期间结束日 {self.end} 不晚于开始日 {self.start}",
                field="end",
                actual=self.end.isoformat(),
                expected=f"after {self.start.isoformat()}",
            )

    # -- named constructors ------------------------------------------------------------
    @classmethod
    def inclusive(cls, first: date, last: date) -> Period:
        """The period from ``first`` to ``last`` both included."""
        return cls(first, last + timedelta(days=1))

    @classmethod
    def day(cls, day: date) -> Period:
        """The single day ``day``.

        Raises:
            InvalidType: ``day`` is not a ``date``.
        """
        _check_date(day, "day")
        return cls(day, day + timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``.

        Raises:
            InvalidType: ``year`` is not an ``int``.
            InvalidPeriod: ``year`` is outside 1–9998.
        """
        _check_year(year)
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1–4 of ``year``.

        Raises:
            InvalidPeriod: ``quarter`` is not 1–4.
        """
        _check_year(year)
        _check_whole(quarter, "quarter")
        if quarter not in {1, 2, 3, 4}:
            raise InvalidPeriod(
                f"quarter {quarter} is not 1–4", f"季度 {quarter} 不在 1–4 之间", field="quarter", actual=quarter
            )
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, add_months(start, 3))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Calendar month ``month`` of ``year``.

        Raises:
            InvalidPeriod: ``month`` is not 1–12.
        """
        _check_year(year)
        _check_whole(month, "month")
        if month not in range(1, 13):
            raise InvalidPeriod(
                f"month {month} is not 1–12", f"月份 {month} 不在 1–12 之间", field="month", actual=month
            )
        start = date(year, month, 1)
        return cls(start, add_months(start, 1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period as the command line writes it (期间).

        ``"2024"`` (the calendar year), ``"2024Q3"`` (a quarter), ``"2024-03"`` (a month),
        or ``"2019-05-01..2020-04-30"`` (first and last day, both included, as notices
        publish them).

        Raises:
            InvalidPeriod: any other text, or a range whose last day is before its first.
        """
        value = text.strip() if isinstance(text, str) else ""
        try:
            if re.fullmatch(r"\d{4}", value):
                return cls.year(int(value))
            if found := re.fullmatch(r"(\d{4})[-]?Q([1-4])", value, flags=re.IGNORECASE):
                return cls.quarter(int(found[1]), int(found[2]))
            if found := re.fullmatch(r"(\d{4})-(\d{2})", value):
                return cls.month(int(found[1]), int(found[2]))
            if found := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
                return cls.inclusive(date.fromisoformat(found[1]), date.fromisoformat(found[2]))
        except ValueError as exc:
            if isinstance(exc, InvalidPeriod):
                raise
            raise InvalidPeriod(
                f"{text!r} is not a period: {exc}", f"{text!r} 不是有效期间：{exc}", field="period", actual=text
            ) from None
        raise InvalidPeriod(
            f"{text!r} is not a period",
            f"{text!r} 不是有效期间",
            field="period",
            actual=text,
            expected="2024, 2024Q3, 2024-03 or 2019-05-01..2020-04-30",
        )

    @classmethod
    def months(cls, start: date, count: int) -> Period:
        """``count`` calendar months from ``start``."""
        return cls(start, add_months(start, count))

    # -- queries -----------------------------------------------------------------------
    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def last(self) -> date:
        """The last day in the period (inclusive end)."""
        return self.end - timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        """Whether ``day`` (a ``date``; a ``datetime`` never is) lies in ``[start, end)``."""
        return isinstance(day, date) and not isinstance(day, datetime) and self.start <= day < self.end

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in ``[start, end)``."""
        return self.start <= day < self.end

    def covers(self, other: Period) -> bool:
        """Whether ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start < other.end and other.start < self.end

    def intersection(self, other: Period) -> Period | None:
        """The shared days, or ``None`` when the periods do not overlap."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    def months_count(self) -> int | None:
        """Whole calendar months when the period starts and ends on the same day of month, else ``None``."""
        if self.start.day != self.end.day:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def split_by_year(self) -> tuple[Period, ...]:
        """Cut the period at each 1 January (for spreading lump sums, P10)."""
        parts: list[Period] = []
        cursor = self.start
        while cursor < self.end:
            boundary = min(date(cursor.year + 1, 1, 1), self.end)
            parts.append(Period(cursor, boundary))
            cursor = boundary
        return tuple(parts)

    def iter_days(self) -> Iterator[date]:
        """Every day of the period in order."""
        day = self.start
        while day < self.end:
            yield day
            day += timedelta(days=1)

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"
