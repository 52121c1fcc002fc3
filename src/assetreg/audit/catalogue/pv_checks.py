"""PV monthly screening checks (光伏电站月度监测检查), DESIGN §7 P9 and issue 11.

Both run :func:`~assetreg.audit.pv_screening.pv_screening` over the twelve calendar months
up to ``as_of`` (the months of the year before and of the year of ``as_of``) and turn its
faults into findings; late pass-on is AUD-608.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetreg.audit.checks import check
from assetreg.audit.findings import Finding, Severity
from assetreg.audit.pv_screening import ScreeningRow, pv_screening
from assetreg.domain.periods import add_months

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from assetreg.audit.books import AuditBooks
    from assetreg.domain.policy import Policy

__all__ = ["PV_CHECKS"]


def _last_twelve_months(books: AuditBooks, as_of: date, policy: Policy) -> list[ScreeningRow]:
    start = add_months(as_of, -12)
    rows = [
        r
        for year in sorted({start.year, as_of.year})
        for r in pv_screening(books, year=year, as_of=as_of, policy=policy)
        if r.month.start > start
    ]
    rows.sort(key=lambda r: (r.asset_id, r.month.start))
    return rows


def _month(row: ScreeningRow) -> str:
    return f"{row.month.start.year}-{row.month.start.month:02d}"


@check(
    code="AUD-609",
    title_en="PV station far below its expected output or its usual income in a month",
    title_zh="光伏电站月发电量或收益明显偏低",
    rule="P9",
    severity=Severity.WARNING,
    params=("pv_full_load_hours", "pv_low_output_ratio", "coal_part_within_days", "subsidy_part_deadline"),
    needs=("revenue",),
)
def pv_low_month(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A station's month below ``policy.pv_low_output_ratio`` of its expected output or usual income.

    Expected output is capacity × ``policy.pv_full_load_hours`` for the month; usual income
    is the station's own median month. The screening also flags late pass-on against
    ``policy.coal_part_within_days`` and
    ``policy.subsidy_part_deadline``; those are AUD-608's findings, not repeated here.
    """
    ratio = policy.pv_low_output_ratio
    hours = policy.pv_full_load_hours
    for row in _last_twelve_months(books, as_of, policy):
        kinds = [f for f in row.faults if f in {"low_output", "low_income"}]
        if not kinds:
            continue
        parts_en, parts_zh = [], []
        if "low_output" in kinds:
            parts_en.append(f"generated {row.kwh} kWh against {row.expected_kwh} kWh expected")
            parts_zh.append(f"发电量 {row.kwh} kWh，应发 {row.expected_kwh} kWh")
        if "low_income" in kinds:
            parts_en.append(f"earned {row.income} against a median month of {row.median_income}")
            parts_zh.append(f"收益 {row.income}，月收益中位数 {row.median_income}")
        yield pv_low_month.finding(
            row.asset_id,
            f"PV station {row.asset_id} in {_month(row)}: {'; '.join(parts_en)} (below {ratio} of it)",
            f"光伏电站 {row.asset_id} {_month(row)}：{'；'.join(parts_zh)}，低于 {ratio}",
            evidence={
                "month": _month(row),
                "faults": tuple(kinds),
                "kwh": row.kwh,
                "expected_kwh": row.expected_kwh,
                "capacity_kw": row.capacity_kw,
                "full_load_hours": None if hours is None else hours[row.month.start.month - 1],
                "income": row.income,
                "median_income": row.median_income,
                "ratio": ratio,
            },
            area=row.area,
        )


@check(
    code="AUD-610",
    title_en="PV station with months without income",
    title_zh="光伏电站存在无收益月份",
    rule="P9",
    severity=Severity.WARNING,
    needs=("revenue",),
)
def pv_missing_months(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Gaps: months of the last twelve, in use, that no electricity income covers (one finding per station).

    A station without income in every one of those months is AUD-605's (no income for
    ``pv_no_income_months``), not reported again here.
    """
    missing: dict[str, list[ScreeningRow]] = {}
    earning: set[str] = set()
    for row in _last_twelve_months(books, as_of, policy):
        if "missing" in row.faults:
            missing.setdefault(row.asset_id, []).append(row)
        if row.covered:
            earning.add(row.asset_id)
    for asset_id, rows in missing.items():
        if asset_id not in earning:
            continue  # no income in any of the months: AUD-605's finding, not repeated
        months = tuple(_month(r) for r in rows)
        yield pv_missing_months.finding(
            asset_id,
            f"PV station {asset_id} has no electricity income for {len(months)} month(s): {', '.join(months)}",
            f"光伏电站 {asset_id} 有 {len(months)} 个月无发电收益：{'、'.join(months)}",
            evidence={"months": months, "count": len(months)},
            area=rows[0].area,
        )


PV_CHECKS = (pv_low_month, pv_missing_months)
"""The PV screening checks, in code order."""
