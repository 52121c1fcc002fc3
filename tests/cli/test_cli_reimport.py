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


def test_export_in_wan_yuan_round_trips_to_the_fen(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", str(clean_ledger), "--db", str(db), "--recorded-at", FIRST]).exit_code == 0
    out = tmp_path / "台账-万元.csv"
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--as-of", "2024-12-31", "--unit", "万元"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    at = header.index("原值(万元)")
    assert [line.split(",")[at] for line in lines[1:]] == ["500.000000", "230.000000", "730.000000"]  # 合计 last
    again = _reimport(runner, out, db)
    assert again.exit_code == 0, again.output
    assert "新增 0 项资产、变更 0 项、记录 0 个事件；2 项无变化" in again.stderr
    bad = runner.invoke(app, ["export", str(out), "--db", str(db), "--unit", "千元", "--lang", "en"])
    assert bad.exit_code == 2
    assert "--unit '千元': use 元 or 万元" in bad.stderr


def test_the_progress_bar_covers_reading_validating_and_writing(monkeypatch, tmp_path: Path) -> None:
    """A ledger of 1,200 rows: the one bar goes through its three phases, validating reports every 256 rows."""
    from assetreg.cli import render

    phases: list[tuple[str, int | None]] = []
    ticks: list[tuple[int, int]] = []

    class Recording(render.ProgressHook):
        def __call__(self, done: int, total: int) -> None:
            ticks.append((done, total))
            super().__call__(done, total)

        def phase(self, label: str, total: int | None = None) -> None:
            phases.append((label, total))
            super().phase(label, total)

    monkeypatch.setattr(render.ProgressBar, "__enter__", lambda self: (self.progress.start(), Recording(self))[1])
    header = (
        "序号,资产编号,资产名称,资产类别,资产种类,资产形态,状态,原值(元),资金来源,区划代码,登记日期,产权归属,管护主体"
    )
    rows = [
        f"{i},ZK-{i:05d},饮水工程{i},公益性资产,供水,固定资产,在用,1000,衔接推进乡村振兴补助资金1000元,632323,"
        "2023-06-09,司玛村股份经济合作社,司玛村股份经济合作社"
        for i in range(1, 1201)
    ]
    ledger = tmp_path / "big.csv"
    ledger.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    from typer.testing import CliRunner as Runner

    result = Runner().invoke(app, ["import", str(ledger), "--db", str(tmp_path / "c.sqlite"), "--recorded-at", FIRST])
    assert result.exit_code == 0, result.output
    assert phases == [("校验", 1200), ("写入", None)]
    validating = [t for t in ticks if t[1] == 1200]
    assert validating == [(256, 1200), (512, 1200), (768, 1200), (1024, 1200), (1200, 1200)]
    written = [t for t in ticks if t[1] != 1200]
    assert written[-1][0] == written[-1][1] > 1200  # parties, assets and events written


def test_a_rejected_row_of_a_reimport_keeps_the_stored_asset_and_is_not_called_missing(
    runner: CliRunner, clean_ledger: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite"
    assert runner.invoke(app, ["import", str(clean_ledger), "--db", str(db), "--recorded-at", FIRST]).exit_code == 0
    before = _register(db)
    broken = tmp_path / "broken.csv"
    header, first_row, second_row = clean_ledger.read_text(encoding="utf-8").splitlines()
    cells = second_row.split(",")
    cells[7] = "约二百三十万"  # 原值(万元): not a number, the row is rejected
    broken.write_text(f"{header}\n{first_row}\n{','.join(cells)}\n", encoding="utf-8")
    monkey_rejects = tmp_path / "rejects.csv"
    result = _reimport(runner, broken, db, "--lang", "en", "--rejects", str(monkey_rejects), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert (doc["rejected_rows"], doc["missing_assets"], doc["changes"]) == (1, [], [])
    assert "not in this ledger" not in result.stderr
    assert _register(db) == before
