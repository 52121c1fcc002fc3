"""``assetreg demo``: exit 0 on a fresh install, the notice tables, totals that reconcile.

Amounts are those of the bundled sample (src/assetreg/samples/README.md): 灵台县 柳家铺村 PV
station, 7.3万元 income less O&M capped at 5,580.00 元 → 67,420.00 元, 45 % to the collective
= 30,339.00 元 (http://pvnews.cn/a/news/reping/11988.html); 肃州区 cooperative dividend
4.5万元 split 55/30/15 = 24,750.00 / 13,500.00 / 6,750.00 元
(http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from assetreg.cli import app


def test_demo_prints_the_notice_tables_and_reconciles(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "导入台账：8 项资产入库，2 行被拒绝" in out
    assert "柳家铺村级光伏扶贫发电站（LT-PV-001）收益分配公示" in out
    assert "收益 73,000.00 元，扣除 5,580.00 元，可分配 67,420.00 元" in out
    assert "30,339.00" in out
    for amount in ("24,750.00", "13,500.00", "6,750.00"):
        assert amount in out
    assert "核对：分配合计 67,420.00 元 = 可分配收益 67,420.00 元，分毫不差" in out
    assert "核对：分配合计 45,000.00 元 = 可分配收益 45,000.00 元，分毫不差" in out
    assert "未扣除：运维费 3,420.00 元" in out
    assert "Traceback" not in result.output


def test_demo_in_english(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "ledger imported: 8 assets stored, 2 rows rejected" in result.stdout
    assert "reconciled: lines total 67,420.00 = distributable income 67,420.00 yuan, to the fen" in result.stdout
    assert "reconciled: lines total 45,000.00 = distributable income 45,000.00 yuan, to the fen" in result.stdout
    assert "资产类别: expected the asset class (资产类别), found a" in result.stdout


def test_demo_json_is_one_parseable_document(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "assetreg/demo"
    assert (doc["imported_assets"], doc["rejected_rows"], doc["households"], doc["income_entries"]) == (8, 2, 61, 3)
    # the five findings about the register and revenue, and AUD-607 twice: the sources
    # publish no payment dates, so the books show the 灵台 and 肃州 income as not paid
    assert doc["findings"] == {"error": 0, "warning": 7, "info": 0, "total": 7}
    pv, coop = doc["notices"]
    assert (pv["asset_id"], pv["plan"]) == ("LT-PV-001", "pv-45-55")
    assert (pv["gross_yuan"], pv["deducted_yuan"], pv["distributable_yuan"], pv["total_yuan"]) == (
        "73000.00",
        "5580.00",
        "67420.00",
        "67420.00",
    )
    assert pv["reconciles"] is True
    assert pv["rows"][0]["对象"] == "柳家铺村集体经济组织"
    assert pv["rows"][0]["金额(元)"] == "30339.00"
    assert sum(Decimal(r["金额(元)"]) for r in pv["rows"]) == Decimal("67420.00")
    assert pv["not_deducted"] == [
        {"kind": "om", "amount_yuan": "3420.00", "note": "超过运维费上限 5580.00元 / above the O&M cap 5580.00元"}
    ]
    assert [r["金额(元)"] for r in coop["rows"]] == ["24750.00", "13500.00", "6750.00"]
    assert coop["total_yuan"] == "45000.00"


def test_demo_csv_rows_add_up(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_asset: dict[str, Decimal] = {}
    for row in rows:
        by_asset[row["资产编号"]] = by_asset.get(row["资产编号"], Decimal(0)) + Decimal(row["金额(元)"])
    assert by_asset == {"LT-PV-001": Decimal("67420.00"), "SZ-GH-001": Decimal("45000.00")}


def test_demo_keeps_its_database_when_asked(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite"
    result = runner.invoke(app, ["demo", "--db", str(target), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    check = runner.invoke(app, ["check", "--db", str(target), "--as-of", "2024-12-31", "-f", "json"])
    assert json.loads(check.stdout)["summary"]["total"] >= 1


def test_python_m_assetreg_demo_runs_in_a_fresh_process(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"}
    env.pop("ASSETREG_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "assetreg", "demo", "--lang", "en"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "67,420.00" in done.stdout
    assert "45,000.00" in done.stdout
    assert "reconciled" in done.stdout
    assert list(tmp_path.iterdir()) == []  # the demo database was temporary


def test_demo_db_keeps_the_books_so_check_finds_what_the_demo_found(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite"
    demo = runner.invoke(app, ["demo", "--db", str(db), "--format", "json"])
    assert demo.exit_code == 0, demo.output
    check = runner.invoke(
        app, ["check", "--db", str(db), "--as-of", "2024-12-31", "--policy", "gansu-county-2013", "--format", "json"]
    )
    assert check.exit_code == 0, check.output
    doc = json.loads(check.stdout)
    stored = [(f["code"], f["subject"]) for f in doc["findings"]]
    assert stored == [
        ("AUD-302", "LT-PV-001"),
        ("AUD-401", "LT-PV-001"),
        ("AUD-401", "MC-2021-001"),
        ("AUD-401", "SZ-GH-001"),
        ("AUD-605", "LT-PV-001"),  # PV station without income for six months: needs the stored revenue
        ("AUD-607", "LT-R-2019"),  # distributed and posted, but no payment recorded
        ("AUD-607", "SZ-R-2019"),
    ]
    assert json.loads(demo.stdout)["findings"]["total"] == len(stored)
    # the store keeps deductions, roster, plans, distributions and notices: every check ran
    assert doc["not_run"] == []


def test_every_ledger_problem_of_the_demo_carries_its_own_ledger_code(runner: CliRunner) -> None:
    """The demo's issue table: each row's code is its kind's code from docs/ledger-codes.md, never AR-1xx."""
    from assetreg.adapters.ledger.codes import LEDGER_CODES
    from assetreg.demo import run_demo

    result = run_demo()
    found = sorted({(i.kind, i.code) for i in result.issues})
    assert found == [
        ("blank", "LED-101"),
        ("column_not_read", "LED-301"),
        ("contract_incomplete", "LED-206"),
        ("date_missing", "LED-208"),
        ("funding_single_source_applied", "LED-133"),
    ]
    assert all(LEDGER_CODES[kind].code == code for kind, code in found)
    shown = runner.invoke(app, ["demo", "--lang", "en"]).stdout
    assert "AR-1" not in shown
    for _, code in found:
        assert code in shown
