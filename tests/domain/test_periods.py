"""Half-open periods, calendar arithmetic and instants (DESIGN §4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from assetreg.domain.periods import (
    Period,
    add_months,
    add_years,
    require_aware,
    to_shanghai,
    to_utc,
)
from assetreg.errors import InvalidPeriod

D = date


class TestHalfOpen:
    def test_year_contains_its_last_day_not_the_next(self) -> None:
        year = Period.year(2024)
        assert (year.start, year.end) == (D(2024, 1, 1), D(2025, 1, 1))
        assert D(2024, 12, 31) in year
        assert D(2025, 1, 1) not in year
        assert D(2023, 12, 31) not in year
        assert year.contains(D(2024, 1, 1))
        assert year.days == 366
        assert year.last == D(2024, 12, 31)
        assert str(year) == "[2024-01-01, 2025-01-01)"

    def test_membership_of_other_things_is_false(self) -> None:
        assert "2024-05-01" not in Period.year(2024)
        assert datetime(2024, 5, 1, tzinfo=UTC) not in Period.year(2024)

    def test_end_must_be_after_start(self) -> None:
        with pytest.raises(InvalidPeriod) as info:
            Period(D(2024, 1, 1), D(2024, 1, 1))
        assert info.value.code == "AR-104"
        assert info.value.field == "end"
        with pytest.raises(InvalidPeriod):
            Period(D(2024, 1, 2), D(2024, 1, 1))

    def test_datetimes_are_not_dates(self) -> None:
        with pytest.raises(TypeError):
            Period(datetime(2024, 1, 1, tzinfo=UTC), D(2024, 2, 1))  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            Period(D(2024, 1, 1), "2024-02-01")  # type: ignore[arg-type]

    def test_overlap_is_half_open(self) -> None:
        first, second = Period.month(2024, 1), Period.month(2024, 2)
        assert not first.overlaps(second)
        assert first.intersection(second) is None
        year = Period.year(2024)
        assert year.overlaps(second)
        assert year.intersection(second) == second
        assert year.covers(second)
        assert not second.covers(year)
        assert Period(D(2023, 12, 1), D(2024, 1, 2)).intersection(year) == Period.day(D(2024, 1, 1))


class TestNamedPeriods:
    @pytest.mark.parametrize(
        ("quarter", "start", "end", "days"),
        [
            (1, D(2024, 1, 1), D(2024, 4, 1), 91),
            (2, D(2024, 4, 1), D(2024, 7, 1), 91),
            (3, D(2024, 7, 1), D(2024, 10, 1), 92),
            (4, D(2024, 10, 1), D(2025, 1, 1), 92),
        ],
    )
    def test_quarters(self, quarter: int, start: date, end: date, days: int) -> None:
        period = Period.quarter(2024, quarter)
        assert (period.start, period.end, period.days) == (start, end, days)

    @pytest.mark.parametrize("quarter", [0, 5, -1])
    def test_bad_quarter(self, quarter: int) -> None:
        with pytest.raises(InvalidPeriod) as info:
            Period.quarter(2024, quarter)
        assert info.value.field == "quarter"

    def test_months(self) -> None:
        assert Period.month(2024, 2).days == 29
        assert Period.month(2023, 2).days == 28
        assert Period.month(2024, 12) == Period(D(2024, 12, 1), D(2025, 1, 1))
        assert Period.months(D(2024, 1, 31), 1) == Period(D(2024, 1, 31), D(2024, 2, 29))
        assert Period.months(D(2024, 3, 15), 12).months_count() == 12
        assert Period.months(D(2024, 1, 31), 1).months_count() is None

    def test_bad_month(self) -> None:
        with pytest.raises(InvalidPeriod):
            Period.month(2024, 13)

    def test_inclusive_published_range(self) -> None:
        period = Period.inclusive(D(2024, 8, 1), D(2025, 7, 31))
        assert period == Period(D(2024, 8, 1), D(2025, 8, 1))
        assert period.last == D(2025, 7, 31)
        assert period.days == 365

    def test_ten_day_notice_is_counted_inclusively(self) -> None:
        # DESIGN §9: a 10-day notice posted 2024-09-09 may close 2024-09-18.
        notice = Period.inclusive(D(2024, 9, 9), D(2024, 9, 18))
        assert notice.days == 10
        assert list(notice.iter_days())[-1] == D(2024, 9, 18)
        assert len(list(notice.iter_days())) == 10

    def test_single_day(self) -> None:
        assert Period.day(D(2024, 2, 29)) == Period(D(2024, 2, 29), D(2024, 3, 1))

    def test_split_by_year(self) -> None:
        parts = Period(D(2023, 7, 1), D(2026, 3, 1)).split_by_year()
        assert parts == (
            Period(D(2023, 7, 1), D(2024, 1, 1)),
            Period.year(2024),
            Period.year(2025),
            Period(D(2026, 1, 1), D(2026, 3, 1)),
        )
        assert sum(p.days for p in parts) == (D(2026, 3, 1) - D(2023, 7, 1)).days
        assert Period.year(2024).split_by_year() == (Period.year(2024),)
        assert Period.day(D(2024, 12, 31)).split_by_year() == (Period.day(D(2024, 12, 31)),)

    def test_periods_sort_by_start(self) -> None:
        assert sorted([Period.year(2025), Period.month(2024, 3)]) == [
            Period.month(2024, 3),
            Period.year(2025),
        ]


class TestCalendar:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (D(2024, 1, 31), 1, D(2024, 2, 29)),
            (D(2023, 1, 31), 1, D(2023, 2, 28)),
            (D(2024, 3, 31), -1, D(2024, 2, 29)),
            (D(2024, 8, 31), 1, D(2024, 9, 30)),
            (D(2024, 11, 30), 3, D(2025, 2, 28)),
            (D(2024, 5, 15), 0, D(2024, 5, 15)),
            (D(2024, 5, 15), -17, D(2022, 12, 15)),
        ],
    )
    def test_add_months_clamps(self, day: date, months: int, expected: date) -> None:
        result = add_months(day, months)
        assert result == expected
        assert type(result) is date

    def test_add_years(self) -> None:
        assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
        assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


class TestInstants:
    def test_naive_is_refused(self) -> None:
        with pytest.raises(InvalidPeriod) as info:
            require_aware(datetime(2024, 1, 1), field="known_at", record="A-1")  # noqa: DTZ001 - on purpose
        assert info.value.field == "known_at"
        assert info.value.record == "A-1"

    def test_non_datetime_is_refused(self) -> None:
        with pytest.raises(TypeError):
            require_aware(D(2024, 1, 1))  # type: ignore[arg-type]

    def test_utc_and_shanghai(self) -> None:
        beijing = timezone(timedelta(hours=8))
        instant = datetime(2024, 1, 5, 9, 30, tzinfo=beijing)
        utc = to_utc(instant)
        assert utc == datetime(2024, 1, 5, 1, 30, tzinfo=UTC)
        assert utc.utcoffset() == timedelta(0)
        shown = to_shanghai(utc)
        assert shown == instant
        assert shown.utcoffset() == timedelta(hours=8)
        assert (shown.hour, shown.minute) == (9, 30)
