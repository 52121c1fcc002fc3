"""PV monthly screening (光伏电站月度运行监测), DESIGN §7 P9 and issue 11.

The seed plan's PV rule: stations settle quarterly, the subsidy part is passed on by the
first quarter of the next year, and a monitoring centre screens every station every month.
:func:`pv_screening` builds that monthly table for the PV stations of the books (optionally
one county by area prefix): per station and calendar month the generation (kWh), the
expected generation, the income, and the faults found:

* ``missing`` — no electricity income covers the month although its quarterly settlement
  is past due (``policy.coal_part_within_days`` after the quarter): under quarterly
  settlement a month of the current quarter is not yet missing;
* ``low_output`` — generation below ``policy.pv_low_output_ratio`` of the expected output,
  capacity (kW) × ``policy.pv_full_load_hours`` for the month;
* ``low_income`` — income below ``policy.pv_low_output_ratio`` of the station's own median
  month (needs three months with income), e.g. a station earning 1 元 in a month;
* ``late`` — a part of the month's income received after its pass-on deadline
  (:func:`~assetreg.income.revenue.pass_on_deadline_for`: coal-benchmark part
  ``policy.coal_part_within_days`` after the quarter, subsidy part by
  ``policy.subsidy_part_deadline`` of the next year).

A station's income is its electricity income: the coal-benchmark and subsidy parts, or
sales (发电收益) when a ledger does not split them. Generation is read from the ``kwh`` of
the coal-benchmark or sales entries (the electricity sale) whose period lies within one
calendar month; subsidy entries for the same kWh are not added again. Income of entries
spanning several months is apportioned by day
(:func:`~assetreg.income.revenue.income_in_period`). :func:`render_screening_csv` writes
the table as CSV text (UTF-8, Chinese headers), :func:`render_screening_table` as plain
text; the findings are AUD-609 and AUD-610 of the catalogue.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from fractions import Fraction
from statistics import median_low
from typing import TYPE_CHECKING, Final

import attrs

from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import AssetKind, AssetStatus
from assetreg.income.revenue import RevenueKind, income_in_period, pass_on_deadline_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from assetreg.audit.books import AssetFacts, AuditBooks, RevenueLike
    from assetreg.domain.policy import Policy

__all__ = ["FAULTS", "ScreeningRow", "pv_screening", "render_screening_csv", "render_screening_table"]

FAULTS: Final = ("missing", "low_output", "low_income", "late")
"""The fault kinds a screening row may carry, in report order."""

_FAULT_ZH: Final = {"missing": "缺月", "low_output": "发电量偏低", "low_income": "收益偏低", "late": "拨付逾期"}
_ELECTRICITY: Final = frozenset(
    {RevenueKind.ELECTRICITY_BENCHMARK.value, RevenueKind.ELECTRICITY_SUBSIDY.value, RevenueKind.SALES.value}
)
_GENERATION: Final = frozenset({RevenueKind.ELECTRICITY_BENCHMARK.value, RevenueKind.SALES.value})
_MIN_HISTORY: Final = 3


@attrs.frozen(kw_only=True)
class ScreeningRow:
    """One station in one month (月度监测表的一行).

    Attributes:
        asset_id: the station.
        name: its name.
        area: its 12-digit area code.
        month: the calendar month, half-open.
        capacity_kw: installed capacity (kW), or ``None`` when not registered.
        kwh: generation recorded for the month, or ``None``.
        expected_kwh: capacity × the month's full-load hours, or ``None``.
        income: electricity income attributable to the month (fen).
        median_income: the station's median month of income in the screened months, or
            ``None`` with fewer than three months of income.
        faults: the fault kinds found, in :data:`FAULTS` order.
        covered: whether any electricity income entry covers the month.
    """

    asset_id: str
    name: str
    area: str
    month: Period
    capacity_kw: Decimal | None
    kwh: Decimal | None
    expected_kwh: Decimal | None
    income: Money
    median_income: Money | None
    faults: tuple[str, ...]
    covered: bool


def _kind(entry: RevenueLike) -> str:
    return str(getattr(entry.kind, "value", entry.kind))


def _months(year: int, start: date, as_of: date) -> list[Period]:
    """Calendar months of ``year`` starting on or after ``start`` and ended by ``as_of``."""
    out = []
    for m in range(1, 13):
        month = Period.month(year, m)
        if month.start >= start and month.last <= as_of:
            out.append(month)
    return out


def _in_use_since(facts: AssetFacts) -> date | None:
    if facts.status is not AssetStatus.IN_USE:
        return None
    since = facts.status_since
    for span in reversed(facts.spans):
        if span.status is not AssetStatus.IN_USE:
            break
        since = span.start
    return since


def _station_rows(
    facts: AssetFacts, entries: Sequence[RevenueLike], months: Sequence[Period], policy: Policy, as_of: date
) -> list[ScreeningRow]:
    electricity = [e for e in entries if _kind(e) in _ELECTRICITY and e.received <= as_of]
    capacity = facts.asset.capacity_kw or None
    hours = policy.pv_full_load_hours
    ratio = policy.pv_low_output_ratio
    incomes = {m: income_in_period(electricity, m) for m in months}  # type: ignore[arg-type]
    earned = [v.fen for m, v in incomes.items() if any(e.period.intersection(m) for e in electricity)]
    median = Money(median_low(earned)) if len(earned) >= _MIN_HISTORY else None
    rows = []
    for month in months:
        covering = [e for e in electricity if e.period.intersection(month) is not None]
        within = [e for e in covering if month.covers(e.period)]
        readings: list[Decimal] = []
        for e in within:
            reading = getattr(e, "kwh", None)
            if _kind(e) in _GENERATION and isinstance(reading, Decimal):
                readings.append(reading)
        kwh = sum(readings, Decimal(0)) if readings else None
        expected = None if hours is None or capacity is None else capacity * hours[month.start.month - 1]
        income = incomes[month]
        faults = []
        due = pass_on_deadline_for(RevenueKind.ELECTRICITY_BENCHMARK, month, policy)
        if not covering and due is not None and due < as_of:
            faults.append("missing")
        if kwh is not None and expected is not None and Fraction(kwh) < ratio * Fraction(expected):
            faults.append("low_output")
        if covering and median is not None and median.fen > 0 and Fraction(income.fen) < ratio * median.fen:
            faults.append("low_income")
        for e in covering:
            deadline = pass_on_deadline_for(RevenueKind(_kind(e)), e.period, policy)
            if deadline is not None and e.received > deadline:
                faults.append("late")
                break
        rows.append(
            ScreeningRow(
                asset_id=facts.asset_id,
                name=facts.asset.name,
                area=facts.area,
                month=month,
                capacity_kw=capacity,
                kwh=kwh,
                expected_kwh=expected,
                income=income,
                median_income=median,
                faults=tuple(f for f in FAULTS if f in faults),
                covered=bool(covering),
            )
        )
    return rows


def pv_screening(
    books: AuditBooks, *, year: int, as_of: date, policy: Policy, area_prefix: str | None = None
) -> tuple[ScreeningRow, ...]:
    """The monthly screening table of ``year`` for the PV stations in use (see the module docstring).

    Args:
        books: the register and its revenue entries (kWh on the entries).
        year: the calendar year screened; months not ended by ``as_of`` are left out.
        as_of: the day of the screening (entries received later are not seen; no clock).
        policy: ``pv_full_load_hours``, ``pv_low_output_ratio``, ``coal_part_within_days``
            and ``subsidy_part_deadline`` are read.
        area_prefix: only stations whose area code starts with it (a county: 6 digits).

    Returns:
        One row per station and month, ordered by area, station and month; a station is
        screened from its first whole month in use.
    """
    by_asset = books.revenue_by_asset()
    rows: list[ScreeningRow] = []
    for facts in books.facts(as_of):
        if facts.asset.kind is not AssetKind.PV_STATION:
            continue
        if area_prefix is not None and not facts.area.startswith(area_prefix):
            continue
        since = _in_use_since(facts)
        if since is None:
            continue
        months = _months(year, since, as_of)
        rows.extend(_station_rows(facts, by_asset.get(facts.asset_id, ()), months, policy, as_of))
    rows.sort(key=lambda r: (r.area, r.asset_id, r.month.start))
    return tuple(rows)


_HEADERS: Final = (
    ("area", "区划代码"),
    ("asset_id", "电站编号"),
    ("name", "电站名称"),
    ("month", "月份"),
    ("capacity_kw", "装机容量(kW)"),
    ("kwh", "发电量(kWh)"),
    ("expected_kwh", "应发电量(kWh)"),
    ("income", "收益(元)"),
    ("median_income", "月收益中位数(元)"),
    ("faults", "异常"),
)


def _cells(row: ScreeningRow) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        row.area,
        row.asset_id,
        row.name,
        f"{row.month.start.year}-{row.month.start.month:02d}",
        text(row.capacity_kw),
        text(row.kwh),
        text(row.expected_kwh),
        row.income.to_json(),
        "" if row.median_income is None else row.median_income.to_json(),
        "、".join(_FAULT_ZH[f] for f in row.faults),
    ]


def render_screening_csv(rows: Iterable[ScreeningRow]) -> str:
    """The screening table as CSV text: Chinese headers, amounts in 元 with two places."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([zh for _, zh in _HEADERS])
    writer.writerows(_cells(r) for r in rows)
    return out.getvalue()


def render_screening_table(rows: Iterable[ScreeningRow]) -> str:
    """The screening table as aligned plain text (one line per station and month)."""
    table = [[zh for _, zh in _HEADERS], *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(_HEADERS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table)
