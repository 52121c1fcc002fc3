"""``assetreg import-income`` and ``assetreg import-roster`` on the bundled sample.

Sources of the sample's figures: src/assetreg/samples/README.md (灵台县 柳家铺村 PV income
7.3万元 and O&M 0.9万元, http://pvnews.cn/a/news/reping/11988.html; the 61-household roster
of 灵台县 is synthetic).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from assetreg.cli import app

if TYPE_CHECKING:
    from pathlib import Path

    from typer.testing import CliRunner

AT = "2024-12-31T09:00:00+08:00"


def _with_register(runner: CliRunner, samples: Path, tmp_path: Path) -> Path:
    db = tmp_path / "county.sqlite"
    result = runner.invoke(
        app, ["import", str(samples / "sample_ledger.csv"), "--db", str(db), "--policy", "gansu-county-2013"]
    )
    assert result.exit_code == 1, result.output  # the sample's two bad rows
    return db


def test_import_income_stores_once_and_reports_unknown_assets(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    db = _with_register(runner, samples, tmp_path)
    argv = ["import-income", str(samples / "sample_revenue.csv"), "--db", str(db), "--recorded-at", AT]
    first = runner.invoke(app, [*argv, "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "stored 3 new revenue entries and 1 new deductions (0 corrections)" in first.stderr
    again = runner.invoke(app, argv)
    assert again.exit_code == 0, again.output
    assert "已存入 0 条新收益记录、0 条新扣除项（其中更正 0 条）" in again.stderr
    stray = tmp_path / "收益台账.csv"
    stray.write_text(
        "收益编号,资产编号,收益类型,收益期间,到账日期,金额\n"
        "X-1,NO-SUCH,发电收益,2024年1月1日—2024年12月31日,2025年1月10日,5元\n"
        "X-2,NO-SUCH,运维费用,2024年1月1日—2024年12月31日,2025年1月10日,1元\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import-income", str(stray), "--db", str(db), "-f", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert (doc["revenue_entries"], doc["deductions"]) == (0, 0)
    assert [(i["code"], i["value"]) for i in doc["issues"]] == [("LED-502", "NO-SUCH"), ("LED-502", "NO-SUCH")]


def test_import_income_needs_a_database(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    result = runner.invoke(app, ["import-income", str(samples / "sample_revenue.csv"), "--db", str(db)])
    assert result.exit_code == 2
    assert "处没有数据库" in result.stderr
    assert not db.exists()


def test_import_roster_dry_run_then_for_real_then_again(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    db = _with_register(runner, samples, tmp_path)
    argv = ["import-roster", str(samples / "sample_households.csv"), "--db", str(db), "--as-of", "2020-04-30"]
    dry = runner.invoke(app, [*argv, "--dry-run", "-f", "json", "--recorded-at", AT])
    assert dry.exit_code == 0, dry.output
    doc = json.loads(dry.stdout)
    assert doc["snapshots"] == [{"id": "ROSTER-620822000000-2020-04-30", "area": "620822000000", "households": 61}]
    assert (doc["dry_run"], doc["stored"]) == (True, 1)
    real = runner.invoke(app, [*argv, "--lang", "en", "--recorded-at", AT])
    assert real.exit_code == 0, real.output
    assert "stored 1 new roster snapshots (0 corrections) of 1 areas, 61 households, as of 2020-04-30" in real.stderr
    again = runner.invoke(app, argv)
    assert again.exit_code == 0, again.output
    assert "已存入 0 份新名单快照（其中更正 0 份），共 1 个区划、61 户，截至 2020-04-30" in again.stderr
