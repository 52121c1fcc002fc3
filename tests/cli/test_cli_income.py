"""``assetreg allocate`` and ``assetreg notice`` on the bundled sample (see test_cli_demo for sources)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from assetreg.cli import app


@pytest.fixture
def sample_db(runner: CliRunner, samples: Path, tmp_path: Path) -> Path:
    db = tmp_path / "sample.sqlite"
    result = runner.invoke(
        app, ["import", str(samples / "sample_ledger.csv"), "--db", str(db), "--rejects", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 1  # two rows rejected, eight assets stored
    return db


def _args(samples: Path, db: Path, asset: str, plan: str, *extra: str) -> list[str]:
    return [
        "--asset",
        asset,
        "--plan",
        plan,
        "--income",
        str(samples / "sample_revenue.csv"),
        "--roster",
        str(samples / "sample_households.csv"),
        "--db",
        str(db),
        "--policy",
        str(samples / "sample_policy.toml"),
        *extra,
    ]


def test_allocate_pv_45_55_json(runner: CliRunner, samples: Path, sample_db: Path) -> None:
    result = runner.invoke(app, ["allocate", *_args(samples, sample_db, "LT-PV-001", "pv-45-55", "-f", "json")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "assetreg/allocation"
    assert (doc["distributable_yuan"], doc["total_yuan"], doc["reconciles"]) == ("67420.00", "67420.00", True)
    collective = doc["lines"][0]
    assert (collective["tier"], collective["beneficiary_name"], collective["amount_yuan"], collective["rate"]) == (
        "村集体",
        "柳家铺村集体经济组织",
        "30339.00",
        "9/20",
    )
    households = doc["lines"][1:]
    assert len(households) == 55  # households with days of public labour in the roster
    assert sum(line["amount_fen"] for line in households) == 6742000 - 3033900


def test_allocate_coop_table_and_csv(runner: CliRunner, samples: Path, sample_db: Path) -> None:
    table = runner.invoke(app, ["allocate", *_args(samples, sample_db, "SZ-GH-001", "coop-55-30-15")])
    assert table.exit_code == 0, table.output
    for text in (
        "贫困户生产发展资金",
        "24,750.00",
        "13,500.00",
        "6,750.00",
        "核对：分配合计 45,000.00 元 = 可分配收益 45,000.00 元，分毫不差",
    ):
        assert text in table.stdout
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(
                    app, ["allocate", *_args(samples, sample_db, "SZ-GH-001", "coop-55-30-15", "-f", "csv")]
                ).stdout
            )
        )
    )
    assert [(r["beneficiary_name"], r["amount_yuan"], r["rate"]) for r in rows] == [
        ("贫困户生产发展资金", "24750.00", "11/20"),
        ("四号村集体经济组织", "13500.00", "3/10"),
        ("酒泉巧姑娘蔬菜农民专业合作社", "6750.00", "3/20"),
    ]


def test_notice_table_in_english(runner: CliRunner, samples: Path, sample_db: Path) -> None:
    result = runner.invoke(app, ["notice", *_args(samples, sample_db, "LT-PV-001", "pv-45-55", "--lang", "en")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "柳家铺村级光伏扶贫发电站 (LT-PV-001) income distribution notice" in out
    assert "period 2019-05-01 to 2020-04-30; income 73,000.00 yuan, deducted 5,580.00, distributable 67,420.00" in out
    assert "30,339.00" in out
    assert "reconciled: lines total 67,420.00 = distributable income 67,420.00 yuan, to the fen" in out
    assert "not deducted: om 3,420.00 yuan" in out


def test_notice_json_rows(runner: CliRunner, samples: Path, sample_db: Path) -> None:
    result = runner.invoke(app, ["notice", *_args(samples, sample_db, "SZ-GH-001", "coop-55-30-15", "-f", "json")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "assetreg/notice"
    assert (doc["posted_on"], doc["closes_on"]) == ("2020-04-08", "2020-04-17")
    assert [(r["序号"], r["对象"], r["金额(元)"]) for r in doc["rows"]] == [
        (1, "贫困户生产发展资金", "24750.00"),
        (2, "四号村集体经济组织", "13500.00"),
        (3, "酒泉巧姑娘蔬菜农民专业合作社", "6750.00"),
    ]


def test_notice_out_writes_xlsx_and_csv(runner: CliRunner, samples: Path, sample_db: Path, tmp_path: Path) -> None:
    xlsx, plain = tmp_path / "公示表.xlsx", tmp_path / "公示表.csv"
    for target in (xlsx, plain):
        result = runner.invoke(
            app, ["notice", *_args(samples, sample_db, "SZ-GH-001", "coop-55-30-15", "--out", str(target))]
        )
        assert result.exit_code == 0, result.output
        assert f"公示表已写入 {target}" in result.stderr
    rows = list(csv.reader(io.StringIO(plain.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["高标准日光温室大棚种植基地（SZ-GH-001）收益分配公示"]
    assert rows[-2] == ["", "合计", "", "45000.00", ""]
    assert rows[-1] == ["", "核对", "", "", "分配合计等于可分配收益，分毫不差"]
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(row for row in cells if len(row) > 1 and row[1] == "合计")
    assert Decimal(str(total[3])) == Decimal(45000)
    amounts = [Decimal(str(row[3])) for row in cells if row and isinstance(row[0], int)]
    assert amounts == [Decimal(24750), Decimal(13500), Decimal(6750)]


def test_notice_without_roster_pays_the_collective(runner: CliRunner, samples: Path, sample_db: Path) -> None:
    args = [
        "notice",
        "--asset",
        "SZ-GH-001",
        "--plan",
        "coop-55-30-15",
        "--income",
        str(samples / "sample_revenue.csv"),
        "--db",
        str(sample_db),
        "-f",
        "json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total_yuan"] == "45000.00"


# -- revenue stored by `import --income` -------------------------------------------------------
@pytest.fixture
def income_db(runner: CliRunner, samples: Path, tmp_path: Path) -> Path:
    db = tmp_path / "with-income.sqlite"
    result = runner.invoke(
        app,
        [
            "import",
            str(samples / "sample_ledger.csv"),
            "--income",
            str(samples / "sample_revenue.csv"),
            "--db",
            str(db),
            "--rejects",
            str(tmp_path / "r.csv"),
            "-f",
            "json",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1  # the ledger's two rejected rows; every income entry is stored
    doc = json.loads(result.stdout)
    assert (doc["imported_assets"], doc["imported_revenue_entries"]) == (8, 3)  # the O&M row is a deduction
    assert "stored 3 new revenue entries" in result.stderr
    return db


def _findings(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["check", "--as-of", "2024-12-31", "-f", "json", *args])
    assert result.exit_code in {0, 1}, result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def test_check_uses_the_stored_revenue(runner: CliRunner, samples: Path, income_db: Path, sample_db: Path) -> None:
    stored = _findings(runner, "--db", str(income_db))
    from_file = _findings(runner, "--db", str(income_db), "--income", str(samples / "sample_revenue.csv"))
    assert stored == from_file
    # 灵台 LT-PV-001's last income arrived 2020-05-09: no income for 12 months (AUD-605)
    assert [(f["code"], f["subject"]) for f in stored if str(f["code"]).startswith("AUD-6")] == [
        ("AUD-605", "LT-PV-001")
    ]
    no_revenue = _findings(runner, "--db", str(sample_db))  # imported without --income: no revenue checks
    assert [f for f in no_revenue if str(f["code"]).startswith("AUD-6")] == []


def test_notice_uses_the_stored_revenue(runner: CliRunner, samples: Path, income_db: Path) -> None:
    def notice(*extra: str) -> tuple[dict[str, object], str]:
        result = runner.invoke(
            app,
            [
                "notice",
                "--asset",
                "SZ-GH-001",
                "--plan",
                "coop-55-30-15",
                "--db",
                str(income_db),
                "--policy",
                str(samples / "sample_policy.toml"),
                "-f",
                "json",
                "--lang",
                "en",
                *extra,
            ],
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout), result.stderr

    stored, said = notice()
    from_file, _ = notice("--income", str(samples / "sample_revenue.csv"))
    assert stored == from_file
    assert (stored["gross_yuan"], stored["distributable_yuan"], stored["total_yuan"]) == (
        "45000.00",
        "45000.00",
        "45000.00",
    )  # 肃州区 四号村 2019 dividend
    assert "income and deductions from the database (no --income)" in said


def test_allocate_from_stored_revenue_without_a_deduction_record_is_refused(
    runner: CliRunner, samples: Path, income_db: Path
) -> None:
    base = [
        "allocate",
        "--asset",
        "LT-PV-001",
        "--plan",
        "pv-45-55",
        "--db",
        str(income_db),
        "--policy",
        str(samples / "sample_policy.toml"),
        "--roster",
        str(samples / "sample_households.csv"),
        "-f",
        "json",
    ]
    stored = runner.invoke(app, base)
    # the database holds the revenue but no deduction record: never the gross in silence
    assert stored.exit_code == 2
    assert "AR-402" in stored.output
    assert "LT-PV-001" in stored.output
    from_file = runner.invoke(app, [*base, "--income", str(samples / "sample_revenue.csv")])
    assert json.loads(from_file.stdout)["distributable_yuan"] == "67420.00"


def test_allocate_from_a_database_that_keeps_the_books_uses_its_deductions_and_roster(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "d.sqlite"
    assert runner.invoke(app, ["demo", "--db", str(db)]).exit_code == 0
    done = runner.invoke(
        app,
        [
            *("allocate", "--asset", "LT-PV-001", "--plan", "pv-45-55"),
            *("--db", str(db), "--policy", "gansu-county-2013", "-f", "json"),
        ],
    )
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["distributable_yuan"] == "67420.00"  # the stored O&M claim, capped at 5,580.00
    by_payee = {line["beneficiary_id"]: line["amount_yuan"] for line in doc["lines"]}
    assert by_payee["LT-H001"] == "514.70"  # the stored roster: 55 % by labour, not to the collective
    assert (doc["lines"][0]["tier"], doc["lines"][0]["amount_yuan"]) == ("村集体", "30339.00")  # 45 %


def test_allocate_a_household_plan_without_any_roster_is_refused(
    runner: CliRunner, samples: Path, sample_db: Path
) -> None:
    done = runner.invoke(
        app,
        [
            *("allocate", "--asset", "LT-PV-001", "--plan", "pv-45-55", "--db", str(sample_db)),
            *("--income", str(samples / "sample_revenue.csv"), "--policy", str(samples / "sample_policy.toml")),
        ],
    )
    assert done.exit_code == 2
    assert "AR-402" in done.output
    assert "受益名单" in done.output


def test_import_income_for_an_unknown_asset_is_listed(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    income = tmp_path / "收益台账.csv"
    lines = (samples / "sample_revenue.csv").read_text(encoding="utf-8").splitlines()
    income.write_text(
        "\n".join([lines[0], lines[1], lines[1].replace("MC-R-2023Q4,MC-2021-001", "X-1,NO-SUCH")]) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.sqlite"
    result = runner.invoke(
        app,
        [
            "import",
            str(samples / "sample_ledger.csv"),
            "--income",
            str(income),
            "--db",
            str(db),
            "--rejects",
            str(tmp_path / "r.csv"),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["imported_revenue_entries"] == 1
    unknown = [i for i in doc["issues"] if i["kind"] == "unknown_asset"]
    assert [(i["code"], i["value"], i["sheet"]) for i in unknown] == [("LED-502", "NO-SUCH", "收益台账.csv")]
