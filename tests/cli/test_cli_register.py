"""``assetreg import``, ``export``, ``check`` and ``db upgrade`` on the bundled sample and small ledgers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, current_revision
from assetreg.cli import app
from assetreg.domain.register import AssetRegister

RECORDED_AT = "2024-12-31T09:00:00+08:00"  # a fixed instant, so that two imports record the same facts


def _register(db: Path) -> AssetRegister:
    engine = create_engine_for(db)
    try:
        with SqlUnitOfWork(engine) as uow:
            return uow.load_register()
    finally:
        engine.dispose()


def _import(runner: CliRunner, ledger: Path, db: Path, *extra: str) -> object:
    return runner.invoke(app, ["import", str(ledger), "--db", str(db), "--recorded-at", RECORDED_AT, *extra])


# -- import ---------------------------------------------------------------------------------
def test_import_sample_rejects_two_rows_with_reasons(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    db = tmp_path / "county.sqlite"
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(
        app, ["import", str(samples / "sample_ledger.csv"), "--db", str(db), "--rejects", str(rejects)]
    )
    assert result.exit_code == 1, result.output
    assert "已导入 8 项资产" in result.stderr
    assert f"2 行被拒绝，连同原因写入 {rejects}" in result.stderr
    assert "资产类别：应填写资产类别，实为空白" in result.stdout
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert [(r["资产编号"], r["行号/row"], r["错误原因/reason_zh"]) for r in rows] == [
        (
            "ZK-2023-006",
            "14",
            (
                "资产种类：应填写资产种类，实为空白；必填项不做推定; 资产类别：应填写资产类别，实为空白；必填项不做推定; "
                "资产形态：应填写资产形态，实为空白；必填项不做推定; 状态：应填写状态，实为空白；必填项不做推定"
            ),
        ),
        (
            "HS-PV-001",
            "15",
            (
                "原值(万元)：应填写原值，实为空白；必填项不做推定; "
                "登记日期：应有登记日期、竣工日期或移交日期之一，实际均为空；不推定日期"
            ),
        ),
    ]
    assert len(_register(db)) == 8


def test_import_json_report(runner: CliRunner, samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    ledger = tmp_path / "台账.csv"
    ledger.write_bytes((samples / "sample_ledger.csv").read_bytes())
    result = _import(runner, ledger, tmp_path / "c.sqlite", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "assetreg/import"
    assert (doc["imported_assets"], doc["rejected_rows"]) == (8, 2)
    assert doc["rejects_file"] == str(work / "台账.rejects.csv")  # in the current folder by default
    assert (work / "台账.rejects.csv").is_file()
    assert not (tmp_path / "台账.rejects.csv").exists()  # never next to the ledger
    assert {(i["row"], i["code"], i["severity"]) for i in doc["issues"] if i["severity"] == "error"} == {
        (14, "LED-101", "error"),
        (15, "LED-101", "error"),
        (15, "LED-208", "error"),
    }
    assert "imported 8 assets" in result.stderr


def test_import_clean_ledger_exits_0(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    result = _import(runner, clean_ledger, db)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no issues to show
    assert sorted(_register(db).histories) == ["ZK2023-01", "ZK2023-02"]
    assert not (tmp_path / "zeku-clean.rejects.csv").exists()


def test_importing_the_same_ledger_twice_records_nothing(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    assert _import(runner, clean_ledger, db).exit_code == 0
    before = _register(db)
    again = runner.invoke(app, ["import", str(clean_ledger), "--db", str(db), "--as-of", "2024-12-31"])
    assert again.exit_code == 0, again.output
    assert "已重新导入到" in again.stderr
    assert "新增 0 项资产、变更 0 项、记录 0 个事件；2 项无变化" in again.stderr
    assert _register(db) == before


def test_a_second_ledger_adds_to_the_database(
    runner: CliRunner, clean_ledger: Path, dirty_ledger: Path, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite"
    assert _import(runner, clean_ledger, db).exit_code == 0
    extra = tmp_path / "more.csv"
    header, *_rows, last = dirty_ledger.read_text(encoding="utf-8").splitlines()
    extra.write_text(f"{header}\n{last}\n", encoding="utf-8")
    result = _import(runner, extra, db)
    assert result.exit_code == 0, result.output
    assert sorted(_register(db).histories) == ["ZK2023-01", "ZK2023-02", "ZK2023-04"]


def test_db_env_var_is_the_default_database(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "from-env.sqlite"
    result = runner.invoke(app, ["import", str(clean_ledger)], env={"ASSETREG_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert len(_register(db)) == 2


# -- export: register → ledger → register ---------------------------------------------------
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_an_equal_register(
    runner: CliRunner, samples: Path, tmp_path: Path, suffix: str
) -> None:
    first = tmp_path / "first.sqlite"
    assert _import(runner, samples / "sample_ledger.csv", first).exit_code == 1  # two rows rejected
    out = tmp_path / f"台账{suffix}"
    exported = runner.invoke(app, ["export", str(out), "--db", str(first), "--as-of", "2024-12-31"])
    assert exported.exit_code == 0, exported.output
    assert "已导出 8 项资产" in exported.stderr
    second = tmp_path / "second.sqlite"
    back = _import(runner, out, second)
    assert back.exit_code == 0, back.output
    original, again = _register(first), _register(second)
    assert len(again) == 8
    assert again == original


def test_export_refuses_other_suffixes_and_missing_databases(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "x.pdf"), "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2
    assert "不能导出为 x.pdf" in result.stderr
    result = runner.invoke(
        app, ["export", str(tmp_path / "x.csv"), "--db", str(tmp_path / "none.sqlite"), "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()


# -- check ----------------------------------------------------------------------------------
def test_check_clean_ledger_exits_0(runner: CliRunner, clean_ledger: Path) -> None:
    result = runner.invoke(app, ["check", "--ledger", str(clean_ledger), "--as-of", "2024-12-31", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "assetreg/findings"
    assert (doc["as_of"], doc["policy"]) == ("2024-12-31", "national-2021")
    assert doc["summary"] == {"error": 0, "warning": 0, "info": 0, "total": 0}


def test_check_error_finding_exits_1(runner: CliRunner, dirty_ledger: Path) -> None:
    result = runner.invoke(app, ["check", "--ledger", str(dirty_ledger), "--as-of", "2024-12-31", "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["summary"]["error"] == 1
    (error,) = [f for f in doc["findings"] if f["severity"] == "error"]
    assert (error["code"], error["subject"], error["rule"]) == ("AUD-101", "ZK2023-04", "P5")


def test_check_database_table_and_csv(
    runner: CliRunner, clean_ledger: Path, dirty_ledger: Path, tmp_path: Path
) -> None:
    clean_db, dirty_db = tmp_path / "clean.sqlite", tmp_path / "dirty.sqlite"
    assert _import(runner, clean_ledger, clean_db).exit_code == 0
    assert _import(runner, dirty_ledger, dirty_db).exit_code == 0
    ok = runner.invoke(app, ["check", "--db", str(clean_db), "--as-of", "2024-12-31"])
    assert ok.exit_code == 0, ok.output
    assert "共 0 条：错误 0，警告 0，提示 0" in ok.stdout
    bad = runner.invoke(app, ["check", "--db", str(dirty_db), "--as-of", "2024-12-31", "-f", "csv", "--lang", "en"])
    assert bad.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(bad.stdout)))
    assert ("AUD-101", "error", "ZK2023-04") in {(r["code"], r["severity"], r["subject"]) for r in rows}
    before = runner.invoke(app, ["check", "--db", str(dirty_db), "--as-of", "2023-06-08", "-f", "json"])
    assert before.exit_code == 0  # nothing registered yet on that day
    assert json.loads(before.stdout)["summary"]["total"] == 0


def test_check_sample_ledger_with_income_reports_rejected_rows(runner: CliRunner, samples: Path) -> None:
    result = runner.invoke(
        app,
        [
            "check",
            "--ledger",
            str(samples / "sample_ledger.csv"),
            "--income",
            str(samples / "sample_revenue.csv"),
            "--as-of",
            "2024-12-31",
            "--policy",
            str(samples / "sample_policy.toml"),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # ledger issues go to stderr, stdout stays JSON
    assert doc["policy"] == "gansu-county-2013"
    assert "AUD-605" in {f["code"] for f in doc["findings"]}
    assert "LED-101" in result.stderr


# -- db upgrade -----------------------------------------------------------------------------
def test_db_upgrade_twice_is_idempotent(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    first = runner.invoke(app, ["db", "upgrade", "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "升级到版本 0007" in first.stderr
    second = runner.invoke(app, ["db", "upgrade", "--db", str(db), "--lang", "en"])
    assert second.exit_code == 0, second.output
    assert "already at revision 0007" in second.stderr
    assert current_revision(db) == "0007"  # 0005 revenue kWh, 0006 the seals, 0007 partitions (PostgreSQL)
