"""Bad usage and unreadable input exit 2 with a message in the chosen language, never a traceback;
resident ids are never printed in full; every command has a bilingual --help."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.cli import app, main
from assetreg.cli.render import mask_ids as _mask_ids
from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode, ResidentId
from assetreg.domain.events import OwnershipConfirmed
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import HouseholdStatus

RID = "11010519491231002X"  # the GB 11643-1999 example number, not a real person


def _bad_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    path.write_text("序号,资产编号\n1,A\n", encoding="utf-8")  # CSV text saved under an .xlsx name
    return path


CASES = [
    (["check", "--bogus"], "没有这个选项：--bogus", "no such option: --bogus"),
    (["import", "{tmp}/missing.csv"], "找不到文件", "no such file"),
    (["check", "--ledger", "{tmp}/missing.csv"], "找不到文件", "no such file"),
    (["check", "--ledger", "{clean}", "--as-of", "2024-13-01"], "不是日期", "is not a date YYYY-MM-DD"),
    (["check", "--ledger", "{clean}", "--policy", "no-such-policy"], "既不是预置政策", "is neither a preset"),
    (["check", "--ledger", "{clean}", "-f", "xml"], "--format / -f 的值无效", "invalid value for --format / -f"),
    (["import", "{bad_xlsx}", "--db", "{tmp}/x.sqlite"], "不是 Excel .xlsx 工作簿", "is not an Excel .xlsx workbook"),
    (
        ["import", "{clean}", "--db", "{tmp}/x.sqlite", "--recorded-at", "2024-12-31"],
        "不是带时区的时间",
        "is not a date-time with a time zone",
    ),
    (["notice", "--asset", "LT-PV-001", "--income", "{revenue}"], "缺少必填项 --plan", "missing --plan"),
    (
        ["notice", "--asset", "LT-PV-001", "--plan", "pv-50-50", "--income", "{revenue}", "--db", "{tmp}/x.sqlite"],
        "未知的分配方案 'pv-50-50'",
        "unknown plan 'pv-50-50'",
    ),
    (
        [
            "allocate",
            "--asset",
            "LT-PV-001",
            "--plan",
            "pv-45-55",
            "--income",
            "{revenue}",
            "--db",
            "{tmp}/none.sqlite",
        ],
        "处没有数据库",
        "no database at",
    ),
    (["check", "--db", "{not_db}"], "数据库错误", "database error"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("argv", "zh", "en"), CASES)
def test_bad_usage_exits_2_with_a_clear_message(
    runner: CliRunner, tmp_path: Path, clean_ledger: Path, samples: Path, argv: list[str], zh: str, en: str, lang: str
) -> None:
    not_db = tmp_path / "not-a-db.sqlite"
    not_db.write_text("just text, not SQLite" * 100, encoding="utf-8")
    names = {
        "tmp": tmp_path,
        "clean": clean_ledger,
        "bad_xlsx": _bad_xlsx(tmp_path),
        "revenue": samples / "sample_revenue.csv",
        "not_db": not_db,
    }
    args = [a.format(**names) for a in argv] + ["--lang", lang]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert (zh if lang == "zh" else en) in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_errors_follow_the_lang_env_var(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--nope"], env={"ASSETREG_LANG": "en"})
    assert result.exit_code == 2
    assert "no such option: --nope\nRun `assetreg demo --help` for usage." in result.stderr


def test_unexpected_errors_are_one_line_unless_debug(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("assetreg.demo.run_demo", boom)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2
    assert result.stderr == "意外错误：RuntimeError: disk on fire（用 `assetreg --debug ...` 查看详情）\n"
    debug = runner.invoke(app, ["--debug", "demo"])
    assert isinstance(debug.exception, RuntimeError)


def test_main_returns_the_exit_code(tmp_path: Path, clean_ledger: Path) -> None:
    assert main(["check", "--ledger", str(clean_ledger), "--as-of", "2024-12-31", "-f", "json"]) == 0
    assert main(["check", "--bogus"]) == 2
    assert main(["--help"]) == 0


@pytest.mark.parametrize(
    "command", [[], ["import"], ["export"], ["check"], ["allocate"], ["notice"], ["demo"], ["db"], ["db", "upgrade"]]
)
def test_help_is_bilingual(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # Chinese
    assert "Usage: assetreg" in text
    if command and command != ["db"]:
        assert "--lang" in text
        assert "Example: assetreg" in text


def test_no_arguments_prints_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "导入台账 Import a ledger" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("assetreg ")


def test_mask_ids() -> None:
    assert _mask_ids(f"户主 {RID} 重复") == "户主 110105********002X 重复"
    assert _mask_ids("620822000000 123456789012345678") == "620822000000 123456789012345678"  # no birth date


def test_resident_ids_are_masked_in_exports(runner: CliRunner, clean_ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    imported = runner.invoke(
        app, ["import", str(clean_ledger), "--db", str(db), "--recorded-at", "2024-01-01T09:00:00+08:00"]
    )
    assert imported.exit_code == 0
    household = Household(
        id=PartyId("hh-1"),
        name="农户甲",
        admin_code=AdminCode("632323"),
        size=3,
        status=HouseholdStatus.LIFTED,
        head_resident_id=ResidentId(RID),
    )
    engine = create_engine_for(db)
    try:
        upgrade(engine)
        with SqlUnitOfWork(engine) as uow:
            register = (
                uow.load_register()
                .add_party(household)
                .record(
                    OwnershipConfirmed(
                        asset_id=AssetId("ZK2023-01"),
                        effective=date(2024, 1, 2),
                        recorded_at=datetime(2024, 1, 2, tzinfo=UTC),
                        holders=(OwnerShare(household.id, 1),),
                    )
                )
            )
            uow.save_register(register)
            uow.commit()
    finally:
        engine.dispose()
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--as-of", "2024-12-31"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "110105********002X" in text
    assert RID not in text
    check = runner.invoke(app, ["check", "--db", str(db), "--as-of", "2024-12-31", "-f", "json"])
    assert RID not in check.output
    revealed = tmp_path / "full.csv"
    assert (
        runner.invoke(
            app, ["export", str(revealed), "--db", str(db), "--as-of", "2024-12-31", "--reveal-personal-data"]
        ).exit_code
        == 0
    )
    assert RID in revealed.read_text(encoding="utf-8-sig")


def test_lang_before_the_command_applies_to_it(runner, tmp_path):
    from assetreg.cli import app

    english = runner.invoke(app, ["--lang", "en", "db", "upgrade", "--db", str(tmp_path / "a.sqlite")])
    assert english.exit_code == 0
    assert "upgraded from (empty) to revision 0007" in english.output
    chinese = runner.invoke(app, ["--lang", "en", "db", "upgrade", "--db", str(tmp_path / "b.sqlite"), "--lang", "zh"])
    assert "升级到版本 0007" in chinese.output  # the command's own --lang wins
    bad = runner.invoke(app, ["--lang", "fr", "demo"])
    assert bad.exit_code == 2
