"""PV monthly screening on a synthetic county year (issue 11; seed plan ch.4 §1, DESIGN §7 P9).

Rule (P9): PV income settles quarterly, the coal-benchmark part is passed on within 90 days
after its quarter and the subsidy part before the end of the first quarter of the next
year; a monitoring centre screens every station monthly. The county year below is
synthetic: three 300 kW stations (the DESIGN §9 size) in 会宁县 620422 and one in 靖远县
620421, monthly generation at capacity × made-up full-load hours, sold at 0.3078 元/kWh
(the example benchmark price of ``split_electricity_sales``), each month received 20 days
after its quarter. Faults: PV-B earns 1 元 (3 kWh) in June; PV-C has no entry for October and
its March money arrives on 2024-07-15, after the 2024-06-29 deadline.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from audit_builders import PARTIES, POLICY, good_pv

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.audit.pv_screening import pv_screening, render_screening_csv, render_screening_table
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period, add_months
from assetreg.domain.register import AssetRegister
from assetreg.income.revenue import RevenueEntry, RevenueKind

AS_OF = date(2025, 4, 15)  # Q4 2024 settled (due 2025-03-31); Q1 2025 not yet due
HOURS = ("100", "110", "130", "140", "150", "150", "140", "140", "130", "120", "100", "90")  # synthetic
SCREENED = attrs.evolve(POLICY, pv_full_load_hours=HOURS)
PRICE = Decimal("0.3078")
CAPACITY = Decimal(300)
JINGYUAN = AdminCode("620421101201")  # 靖远县 (its first town is 620421101); village made up


def _received(month: Period) -> date:
    quarter_end = add_months(date(month.start.year, 3 * ((month.start.month - 1) // 3) + 1, 1), 3)
    return quarter_end - timedelta(days=1) + timedelta(days=20)


def _month_entry(
    station: str, m: int, *, kwh: Decimal | None = None, received: date | None = None, amount: Money | None = None
) -> RevenueEntry:
    month = Period.month(2024, m)
    generated = CAPACITY * Decimal(HOURS[m - 1]) if kwh is None else kwh
    return RevenueEntry(
        id=f"{station}-2024-{m:02d}",
        asset_id=station,
        kind=RevenueKind.ELECTRICITY_BENCHMARK,
        amount=amount or Money.yuan(generated * PRICE),
        period=month,
        received=received or _received(month),
        kwh=generated,
    )


def county_year() -> AuditBooks:
    events = [*good_pv("PV-A"), *good_pv("PV-B"), *good_pv("PV-C"), *good_pv("PV-D", location=JINGYUAN)]
    revenue = []
    for station in ("PV-A", "PV-B", "PV-C", "PV-D"):
        for m in range(1, 13):
            if station == "PV-B" and m == 6:
                revenue.append(_month_entry(station, m, kwh=Decimal(3), amount=Money.yuan(1)))
            elif station == "PV-C" and m == 10:
                continue
            elif station == "PV-C" and m == 3:
                revenue.append(_month_entry(station, m, received=date(2024, 7, 15)))
            else:
                revenue.append(_month_entry(station, m))
    return AuditBooks(register=AssetRegister.of(PARTIES, events), revenue=tuple(revenue))


def test_the_county_screening_table_has_each_fault():
    rows = pv_screening(county_year(), year=2024, as_of=AS_OF, policy=SCREENED, area_prefix="620422")
    assert len(rows) == 36  # three stations of 会宁县 × 12 months; 靖远县's PV-D left out
    faults = {(r.asset_id, r.month.start.month): r.faults for r in rows if r.faults}
    assert faults == {
        ("PV-B", 6): ("low_output", "low_income"),
        ("PV-C", 10): ("missing",),
        ("PV-C", 3): ("late",),
    }
    june = next(r for r in rows if (r.asset_id, r.month.start.month) == ("PV-B", 6))
    assert (june.kwh, june.expected_kwh, june.income) == (Decimal(3), Decimal(45000), Money.yuan(1))
    # PV-B's lower median of its 12 months (the 1 元 June and 11 at 300 kW × hours × 0.3078):
    # the 6th smallest, October's 300 × 120 h × 0.3078 = 11,080.80 元
    assert june.median_income == Money.yuan("11080.80")
    january = next(r for r in rows if (r.asset_id, r.month.start.month) == ("PV-A", 1))
    assert (january.kwh, january.expected_kwh, january.income) == (Decimal(30000), Decimal(30000), Money.yuan(9234))


def test_without_full_load_hours_the_station_is_judged_by_its_own_history():
    rows = pv_screening(county_year(), year=2024, as_of=AS_OF, policy=POLICY, area_prefix="620422")
    june = next(r for r in rows if (r.asset_id, r.month.start.month) == ("PV-B", 6))
    assert (june.expected_kwh, june.faults) == (None, ("low_income",))


def test_findings_for_each_fault_kind():
    books = county_year()
    (low,) = run_checks(books, as_of=AS_OF, policy=SCREENED, checks=[check_by_code("AUD-609")])
    assert (low.subject, low.evidence["month"], low.evidence["faults"]) == (
        "PV-B",
        "2024-06",
        ("low_output", "low_income"),
    )
    assert (low.evidence["kwh"], low.evidence["expected_kwh"], low.evidence["full_load_hours"]) == ("3", "45000", "150")
    assert "earned 1.00元 against a median month of 11080.80元" in low.message_en
    (gap,) = run_checks(books, as_of=AS_OF, policy=SCREENED, checks=[check_by_code("AUD-610")])
    assert (gap.subject, gap.evidence["months"]) == ("PV-C", ("2024-10",))
    (late,) = run_checks(books, as_of=AS_OF, policy=SCREENED, checks=[check_by_code("AUD-608")])
    assert (late.subject, late.evidence["deadline"], late.evidence["days_late"]) == ("PV-C-2024-03", "2024-06-29", 16)


def test_the_monthly_report_as_csv_and_text():
    rows = pv_screening(county_year(), year=2024, as_of=AS_OF, policy=SCREENED, area_prefix="620422")
    text = render_screening_csv(rows)
    lines = text.splitlines()
    assert (
        lines[0]
        == "区划代码,电站编号,电站名称,月份,装机容量(kW),发电量(kWh),应发电量(kWh),收益(元),月收益中位数(元),异常"
    )
    assert "620422100201,PV-B,资产PV-B,2024-06,300,3,45000,1.00,11080.80,发电量偏低、收益偏低" in lines
    assert "620422100201,PV-C,资产PV-C,2024-10,300,,36000,0.00,12004.20,缺月" in lines
    assert len(lines) == 37
    table = render_screening_table(rows)
    assert table.splitlines()[0].startswith("区划代码")
    assert "缺月" in table


def test_kwh_is_exact_and_never_a_float():
    import pytest

    from assetreg.errors import InvalidValue

    entry = _month_entry("PV-A", 1)
    assert entry.kwh == Decimal(30000)
    with pytest.raises(TypeError):
        attrs.evolve(entry, kwh=30000.0)
    with pytest.raises(InvalidValue):
        attrs.evolve(entry, kwh="-1")


def test_the_income_ledger_reads_generation_in_kwh(tmp_path):
    # 灵台县 柳家铺村 (http://pvnews.cn/a/news/reping/11988.html): "累计发电23.6万度,实现收益7.3万元"
    from assetreg.adapters.ledger.records import read_income_ledger

    path = tmp_path / "income.csv"
    path.write_text(
        "收益编号,资产编号,收益类型,收益期间,到账日期,金额,发电量,备注\n"
        "LT-R-2019,LT-PV-001,发电收益,2019年5月1日—2020年4月30日,2020年5月9日,7.3万元,23.6万度,累计数\n"
        "LT-R-BAD,LT-PV-001,发电收益,2020年5月1日—2020年5月31日,2020年6月9日,100元,-5,\n",
        encoding="utf-8",
    )
    ledger = read_income_ledger(path)
    assert [(e.id, e.kwh, e.amount) for e in ledger.entries] == [("LT-R-2019", Decimal(236000), Money.wan("7.3"))]
    assert [(i.field, i.row) for i in ledger.issues] == [("kwh", 3)]
