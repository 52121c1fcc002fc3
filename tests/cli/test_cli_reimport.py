"""The clerk's round trip on the command line: export → edit → ``import --dry-run`` → ``import``.

The ledger is the 泽库县 one of the CLI fixtures (http://www.zeku.gov.cn/contents/show/1370,
amounts in 万元 as published). The clerk corrects the first project's 原值 from 500万元 to
the audited 520万元 (with its funding line), blanks nothing else, hands the second asset to
a new custodian, and adds a row. The dry run lists exactly those differences and writes
nothing; the real run records them as dated events (a correction and a change of fact on
the ledger's date), and running it again records nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import openpyxl

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for
from assetreg.cli import app
from assetreg.domain.events import Corrected, CustodianAssigned
from assetreg.domain.money import Money

if TYPE_CHECKING:
    from pathlib import Path

    from typer.testing import CliRunner

    from assetreg.domain.register import AssetRegister

FIRST = "2024-01-05T09:00:00+08:00"
SECOND = "2025-01-06T09:00:00+08:00"


def _register(db: Path) -> AssetRegister:
    engine = create_engine_for(db)
    try:
        with SqlUnitOfWork(engine) as uow:
            return uow.load_register()
    finally:
        engine.dispose()


def _edit(path: Path) -> Path:
    """What the clerk does in the spreadsheet."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    row_of = {sheet.cell(row, column["资产编号"]).value: row for row in range(2, sheet.max_row + 1)}
    first = row_of["ZK2023-01"]
    sheet.cell(first, column["原值(元)"]).value = 5_200_000
    sheet.cell(first, column["资金来源"]).value = "衔接推进乡村振兴补助资金 5200000.00元"
    second = row_of["ZK2023-02"]
    sheet.cell(second, column["管护主体"]).value = "和日镇人民政府"
    sheet.cell(second, column["管护主体类型"]).value = "乡镇"
    total = next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, column["序号"]).value == "合计")
    sheet.insert_rows(total)
    new = {
        "序号": "3",
        "资产编号": "ZK2023-03",
        "资产名称": "泽库县宁秀乡饮水工程",
        "资产类别": "公益性资产",
        "资产形态": "固定资产",
        "资产种类": "供水",
        "资金来源": "衔接推进乡村振兴补助资金 1000000.00元",
        "原值(元)": 1_000_000,
        "区划代码": "632323",
        "登记日期": date(2024, 10, 1),
        "状态": "在用",
    }
    for name, value in new.items():
        sheet.cell(total, column[name]).value = value
    sheet.cell(total + 1, column["原值(元)"]).value = 8_500_000  # the clerk updates the 合计
    target = path.with_name("edited.xlsx")
    book.save(target)
    return target


def _reimport(runner: CliRunner, ledger: Path, db: Path, *extra: str) -> object:
    argv = ["import", str(ledger), "--db", str(db), "--recorded-at", SECOND, "--as-of", "2024-12-31", *extra]
    return runner.invoke(app, argv)


def test_the_clerks_round_trip_dry_run_then_for_real(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    first = runner.invoke(app, ["import", str(clean_ledger), "--db", str(db), "--recorded-at", FIRST])
    assert first.exit_code == 0, first.output
    exported = tmp_path / "台账.xlsx"
    assert runner.invoke(app, ["export", str(exported), "--db", str(db), "--as-of", "2024-12-31"]).exit_code == 0
    edited = _edit(exported)
    before = _register(db)

    dry = _reimport(runner, edited, db, "--dry-run", "-f", "json", "--lang", "en")
    assert dry.exit_code == 0, dry.output
    doc = json.loads(dry.stdout)
    assert doc["dry_run"] is True
    assert [(c["asset_id"], c["kind"], c["field"]) for c in doc["changes"]] == [
        ("ZK2023-01", "correction", "description (original_value, funding)"),
        ("ZK2023-02", "fact", "custodian"),
        ("ZK2023-03", "added", "asset"),
    ]
    assert doc["recorded_events"] == 3  # the correction, the custody, the new asset's registration
    assert (doc["imported_assets"], doc["missing_assets"]) == (1, [])
    assert "dry run, nothing written: 1 assets would be added, 2 changed, 3 events recorded" in dry.stderr
    assert _register(db) == before

    real = _reimport(runner, edited, db)
    assert real.exit_code == 0, real.output
    assert "新增 1 项资产、变更 2 项、记录 3 个事件；0 项无变化" in real.stderr
    assert "资产信息 (original_value, funding)" in real.stdout
    after = _register(db)
    road = after.history("ZK2023-01")
    assert road.asset().original_value == Money.yuan("5200000")
    assert isinstance(road.events[-1], Corrected)
    known_before = datetime(2025, 1, 1, tzinfo=UTC)  # as the register knew it before the re-import
    assert road.state(as_of=date(2024, 12, 31), known_at=known_before).asset.original_value == Money.yuan("5000000")
    water = after.history("ZK2023-02")
    custody = water.events[-1]
    assert isinstance(custody, CustodianAssigned)
    assert custody.effective == date(2024, 12, 31)
    assert (
        str(water.state(as_of=date(2024, 12, 30)).custodianship.custodian) == "village_collective:司玛村股份经济合作社"
    )
    assert str(water.state(as_of=date(2024, 12, 31)).custodianship.custodian) == "township:和日镇人民政府"
    assert sorted(after.histories) == ["ZK2023-01", "ZK2023-02", "ZK2023-03"]

    again = _reimport(runner, edited, db)
    assert again.exit_code == 0, again.output
    assert "新增 0 项资产、变更 0 项、记录 0 个事件；3 项无变化" in again.stderr
    assert _register(db) == after


def test_a_ledger_leaving_out_a_stored_asset_reports_it_and_keeps_it(
    runner: CliRunner, clean_ledger: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", str(clean_ledger), "--db", str(db), "--recorded-at", FIRST]).exit_code == 0
    shorter = tmp_path / "shorter.csv"
    header, first_row, _second = clean_ledger.read_text(encoding="utf-8").splitlines()
    shorter.write_text(f"{header}\n{first_row}\n", encoding="utf-8")
    result = _reimport(runner, shorter, db, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1 stored assets are not in this ledger and were left as they are: ZK2023-02" in result.stderr
    assert sorted(_register(db).histories) == ["ZK2023-01", "ZK2023-02"]


def test_a_dry_run_needs_an_existing_database(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite"
    result = _reimport(runner, clean_ledger, db, "--dry-run", "--lang", "en")
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert not db.exists()
