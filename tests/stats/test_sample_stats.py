"""Statistics of the bundled sample, through the service on every backend and the ``stats`` command.

The sample (src/assetreg/samples, sources in its README) holds the 泽库县 2023年第二批中央财政衔接推进
乡村振兴补助资金分配计划 (http://www.zeku.gov.cn/contents/show/1370), which publishes its
subtotals: 基础设施建设项目 938万元 (3 projects), 产业发展项目 307万元 (2 projects), 项目管理 14万元,
合计 1259万元. The management fee forms no asset (the import rejects it), so the register's
泽库 total is 1259 − 14 = 1245万元. The other figures are the sample's rows: 满城 851.65万元,
灵台 137.64万元, 肃州 530万元 (104 special fund + 30 mutual aid + 396 self-raised), and income
127,747.50 元 (满城, 2023-11…2024-01), 7.3万元 (灵台, 2019-05…2020-04), 4.5万元 (肃州, 2019).
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger
from assetreg.cli import app
from assetreg.demo import run_demo
from assetreg.domain.money import Money
from assetreg.domain.policy import Policy
from assetreg.samples import sample_path
from assetreg.services import import_register
from assetreg.services.stats import StatSubject, stored_stats
from assetreg.stats import AmountUnit, asset_table, income_table
from backends import Store

AS_OF = date(2024, 12, 31)
RECORDED = datetime(2024, 12, 1, tzinfo=UTC)


def _sample():
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    imported = import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=policy)
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    return imported.register, income.entries


def test_zeku_subtotals_reproduce_the_published_plan() -> None:
    register, _ = _sample()
    zeku = asset_table(
        register.__class__(
            parties=register.parties, histories={k: v for k, v in register.histories.items() if k.startswith("ZK-")}
        ),
        "class",
        as_of=AS_OF,
    )
    assert [(r.zh, r.count, r.amounts[0]) for r in (*zeku.rows, zeku.total)] == [
        ("公益性资产", 3, Money.wan("938")),  # 基础设施建设项目 938万元, 3项
        ("经营性资产", 2, Money.wan("307")),  # 产业发展项目 307万元, 2项
        ("合计", 5, Money.wan("1245")),  # 1259万元 less the 14万元 management fee (no asset)
    ]
    assert Money.wan("1259") - zeku.total.amounts[0] == Money.wan("14")


def test_stored_stats_on_every_backend(store: Store) -> None:
    register, entries = _sample()
    import_register(store.uow(), register, revenue=entries)
    result = stored_stats(store.uow(), StatSubject.ASSETS, "area", as_of=AS_OF)
    assert result.table == asset_table(register, "area", as_of=AS_OF)
    shown = result.table.shown(AmountUnit.WAN, 0)
    # 852 + 138 + 530 + 1245 = 2765 against 2764.29 → 2764: shown, not forced.
    assert [r.amounts[0] for r in shown.rows] == ["852", "138", "530", "1245"]
    assert shown.total.amounts == ("2764",)
    assert [(r.rows_sum, r.total, r.difference) for r in shown.reconciliations] == [("2765", "2764", "-1")]
    assert shown.table.shown(AmountUnit.WAN, 1).reconciliations == ()
    overall, linkage = result.industry
    assert (overall.industry, overall.total) == (Money.wan("1826.29"), Money.wan("2764.29"))
    assert (linkage.share, linkage.percent(), linkage.meets_target) == (Fraction(307, 1245), "24.66", False)
    assert linkage.unattributed == Money.wan("137.64")  # 灵台's station: funding source not printed
    income = stored_stats(store.uow(), "income", "year", as_of=AS_OF)
    assert income.table == income_table(register, entries, "year", as_of=AS_OF)
    assert income.industry == ()
    zeku = stored_stats(store.uow(), "assets", "class", as_of=AS_OF, prefix="632323")
    assert [r.amounts[0] for r in zeku.table.rows] == [Money.wan("938"), Money.wan("307")]


def test_sample_fund_source_year_status_and_owner_level() -> None:
    register, _ = _sample()

    def rows(by: str) -> list[tuple[str, int, str]]:
        shown = asset_table(register, by, as_of=AS_OF).shown()
        return [(r.key, r.count, r.amounts[0]) for r in (*shown.rows, shown.total)]

    assert rows("fund_source") == [
        ("special_poverty_fund", 2, "955.6500"),  # 满城 851.65 + 肃州 104
        ("linkage_fund", 5, "1245.0000"),
        ("mutual_aid_fund", 1, "30.0000"),
        ("self_raised", 1, "396.0000"),
        ("unknown", 1, "137.6400"),
        ("total", 8, "2764.2900"),
    ]
    assert rows("year") == [
        ("2021", 1, "851.6500"),
        ("2023", 5, "1245.0000"),
        ("unknown", 2, "667.6400"),
        ("total", 8, "2764.2900"),
    ]
    assert rows("status") == [("planned", 5, "1245.0000"), ("in_use", 3, "1519.2900"), ("total", 8, "2764.2900")]
    assert rows("owner_level") == [
        ("county", 3, "1199.6500"),  # 满城 851.65 + 泽库 208 + 140 (county departments)
        ("township", 1, "500.0000"),
        ("village", 4, "1064.6400"),
        ("total", 8, "2764.2900"),
    ]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stats") / "demo.sqlite"
    run_demo(db)
    return db


def test_stats_command_table_json_csv_and_xlsx(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["stats", "--db", str(demo_db), "--as-of", "2024-12-31"]
    table = runner.invoke(app, [*base, "--by", "area", "--places", "0"])
    assert table.exit_code == 0, table.output
    assert "核对：原值(万元)各行显示值合计 2765，合计行 2764，相差 -1" in table.output
    assert "产业项目资金占比（衔接推进乡村振兴补助资金）：24.66%" in table.output
    assert "未达到2023年目标 ≥ 60%" in table.output

    document = json.loads(runner.invoke(app, [*base, "--by", "class", "-f", "json", "--lang", "en"]).output)
    assert document["total"]["amounts"] == {"original_value": "2764.2900"}
    assert document["total"]["exact_yuan"] == {"original_value": "27642900.00"}
    assert [r["key"] for r in document["rows"]] == ["public_welfare", "operating"]
    assert document["reconciliations"] == []
    assert document["industry"][1]["share"] == "307/1245"

    listed = runner.invoke(
        app, [*base, "--by", "kind", "--of", "income", "--unit", "yuan", "-f", "csv", "--lang", "en"]
    )
    assert list(csv.reader(listed.output.splitlines())) == [
        ["kind", "entries", "income (yuan)"],
        ["guaranteed return", "1", "127747.50"],
        ["profit share", "1", "45000.00"],
        ["sales", "1", "73000.00"],
        ["total", "3", "245747.50"],
    ]

    target = tmp_path / "summary.xlsx"
    written = runner.invoke(app, [*base, "--by", "area", "--places", "0", "-f", "xlsx", "-o", str(target)])
    assert written.exit_code == 0, written.output
    sheet = openpyxl.load_workbook(target).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[1] == ["区划", "资产个数", "原值(万元)"]
    assert cells[6] == ["合计", 8, 2764]
    assert cells[7][0].startswith("核对：原值(万元)各行显示值合计 2765")


def test_stats_command_values_and_usage_errors(demo_db: Path) -> None:
    runner = CliRunner()
    base = ["stats", "--db", str(demo_db), "--as-of", "2024-12-31", "--lang", "en"]
    values = runner.invoke(app, [*base, "--by", "class", "--of", "values", "-f", "json"])
    assert values.exit_code == 0, values.output
    document = json.loads(values.output)
    # Only 满城's equity stake can be valued from the sample (the others lack the dates and terms).
    assert document["total"]["exact_yuan"] == {
        "original_value": "8516500.00",
        "accumulated_depreciation": "0.00",
        "net_book_value": "8516500.00",
    }
    bad = runner.invoke(app, [*base, "--by", "colour"])
    assert bad.exit_code == 2
    assert "colour" in bad.output
    no_out = runner.invoke(app, [*base, "--by", "class", "-f", "xlsx"])
    assert (no_out.exit_code, "--format xlsx needs --out" in no_out.output) == (2, True)
    level = runner.invoke(app, [*base, "--by", "area", "--level", "street"])
    assert level.exit_code == 2


def test_stats_command_reproduces_the_zeku_subtotals_and_reads_stored_distributions(demo_db: Path) -> None:
    runner = CliRunner()
    base = ["stats", "--db", str(demo_db), "--as-of", "2024-12-31", "--lang", "en", "-f", "csv"]
    zeku = runner.invoke(app, [*base, "--by", "class", "--prefix", "632323", "--places", "0"])
    assert zeku.exit_code == 0, zeku.output
    # 泽库县 2023年第二批: 基础设施建设项目 938万元, 产业发展项目 307万元 (the 14万元 fee forms no asset).
    assert list(csv.reader(zeku.output.splitlines())) == [
        ["class", "assets", "original value (10k yuan)"],
        ["public welfare", "3", "938"],
        ["operating", "2", "307"],
        ["total", "5", "1245"],
    ]
    # The demo stores its two distributions: 67,420.00 (灵台 PV) and 45,000.00 (肃州 dividend).
    kinds = runner.invoke(app, [*base, "--of", "distributions", "--by", "kind", "--unit", "yuan"])
    assert kinds.exit_code == 0, kinds.output
    rows = list(csv.reader(kinds.output.splitlines()))
    assert rows[0] == ["payee kind", "lines", "allocated (yuan)"]
    assert rows[-1] == ["total", str(sum(int(r[1]) for r in rows[1:-1])), "112420.00"]
    assert ["household", "55", "37081.00"] in rows
