"""The yearly cycle on the command line: plans, distribute, pay, explain, and check reading it all.

The database is the demo's (``assetreg demo --db``): the bundled sample's register, revenue,
the O&M claim, the roster, the two published plans and their distributions and notices.
Figures: 灵台县 柳家铺村 (http://pvnews.cn/a/news/reping/11988.html) — 67,420.00 distributable,
LT-H001 514.70 for 23 of 1,657 days; 肃州区 四号村 dividend 45,000.00.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from typer.testing import CliRunner

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for
from assetreg.cli import app
from assetreg.domain.money import Money
from assetreg.income import AllocationLine, BeneficiaryKind, Purpose
from assetreg.income.books import NoticeChannel, NoticeLevel, PublicNotice

LT = "D/LT-PV-001/2019-05-01/2020-05-01"
SZ = "D/SZ-GH-001/2019-01-01/2020-01-01"
CHECK = ["check", "--as-of", "2024-12-31", "--policy", "gansu-county-2013", "--format", "json"]
AT = datetime(2025, 1, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "d.sqlite"
    done = CliRunner().invoke(app, ["demo", "--db", str(db), "--format", "json"])
    assert done.exit_code == 0, done.output
    return db


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    copy = tmp_path / "d.sqlite"
    shutil.copy(demo_db, copy)
    return copy


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def codes(db: Path) -> list[str]:
    done = invoke(*CHECK, "--db", str(db))
    assert done.exit_code in {0, 1}, done.output
    doc = json.loads(done.stdout)
    assert doc["not_run"] == []
    return [f["code"] for f in doc["findings"]]


def test_explain_a_household_to_the_fen(demo_db):
    done = invoke("explain", "--household", "LT-H001", "--db", str(demo_db), "--format", "json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["total_yuan"] == "514.70"
    [line] = doc["lines"]
    assert (line["distribution_id"], line["asset_ids"], line["gross_yuan"], line["deducted_yuan"]) == (
        LT,
        ["LT-PV-001"],
        "73000.00",
        "5580.00",
    )
    assert (line["pool_yuan"], line["tier"], line["rate"], line["tier_yuan"]) == (
        "67420.00",
        "按劳分配",
        "11/20",
        "37081.00",
    )
    assert (line["weight"], line["share"], line["amount_yuan"], line["payments"]) == (23, "23/1657", "514.70", [])


def test_the_explained_amounts_of_every_payee_add_up_to_the_distributable_income(demo_db):
    asset = json.loads(invoke("explain", "--asset", "LT-PV-001", "--db", str(demo_db), "--format", "json").stdout)
    assert (asset["gross_yuan"], asset["distributable_yuan"], asset["lines_total_yuan"]) == (
        "73000.00",
        "67420.00",
        "67420.00",
    )
    [book] = asset["distributions"]
    assert [(d["id"], d["claimed_yuan"]) for d in book["deductions"]] == [("LT-OM-2019", "9000.00")]
    assert (book["claimed_yuan"], book["deducted_yuan"], book["not_deducted_yuan"]) == ("9000.00", "5580.00", "3420.00")
    payees = sorted({line["beneficiary_id"] for line in book["lines"]})
    assert len(payees) == 56  # the collective and the 55 households that did public labour
    total = Decimal(0)
    for payee in payees:
        doc = json.loads(invoke("explain", "--household", payee, "--db", str(demo_db), "--format", "json").stdout)
        total += Decimal(doc["total_yuan"])
    assert total == Decimal("67420.00")


def test_explain_refuses_both_or_neither_subject(demo_db):
    assert invoke("explain", "--db", str(demo_db)).exit_code == 2
    assert invoke("explain", "--household", "LT-H001", "--asset", "LT-PV-001", "--db", str(demo_db)).exit_code == 2


def test_distribute_again_is_idempotent_and_refuses_an_overlapping_period(db):
    same = invoke("distribute", "--period", "2019", "--asset", "SZ-GH-001", "--db", str(db), "--format", "json")
    assert same.exit_code == 0, same.output
    doc = json.loads(same.stdout)
    assert [(d["id"], d["status"]) for d in doc["distributions"]] == [(SZ, "unchanged")]
    assert doc["stored"] == 0
    lt_year = invoke(
        *("distribute", "--period", "2019-05-01..2020-04-30"),
        *("--db", str(db), "--policy", "gansu-county-2013", "-f", "json"),
    )
    assert lt_year.exit_code == 1
    doc = json.loads(lt_year.stdout)
    assert [(d["id"], d["status"]) for d in doc["distributions"]] == [(LT, "unchanged")]
    # 肃州's 2019 dividend reaches outside 灵台's income year: refused, never pro-rated
    assert [(r["asset_id"], r["code"], r["reason"]) for r in doc["refusals"]] == [
        ("SZ-GH-001", "AR-402", "partial_income_period")
    ]
    wider = invoke(
        *("distribute", "--period", "2019-01-01..2020-04-30", "--asset", "SZ-GH-001"),
        *("--db", str(db), "--policy", "gansu-county-2013", "-f", "json"),
    )
    assert wider.exit_code == 1
    [refused] = json.loads(wider.stdout)["refusals"]
    assert (refused["reason"], refused["details"]["stored"]) == ("overlapping_distribution", [SZ])


def test_distribute_refuses_a_period_it_cannot_read(db):
    done = invoke("distribute", "--period", "2024-13", "--db", str(db))
    assert done.exit_code == 2
    assert "AR-104" in done.output


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


HEADER = [
    "兑付编号",
    "分配编号",
    "明细行号",
    "收款人编号",
    "兑付日期",
    "金额",
    "兑付方式",
    "账号",
    "兑付状态",
    "补发",
    "更正",
]


def test_pay_records_payments_and_check_sees_them(db, tmp_path):
    # LT-H001 is line 2 of the 灵台 distribution (the collective's 45 % is line 1)
    paid = _write(
        tmp_path / "兑付清单.csv",
        [
            HEADER,
            ["P-LT-1", LT, "2", "LT-H001", "2020-05-25", "514.70元", "一卡通", "6228***********0018", "已兑付", "", ""],
        ],
    )
    done = invoke("pay", str(paid), "--db", str(db), "--recorded-at", AT.isoformat())
    assert done.exit_code == 0, done.output
    assert invoke("pay", str(paid), "--db", str(db)).exit_code == 0  # again: nothing new
    doc = json.loads(invoke("explain", "--household", "LT-H001", "--db", str(db), "-f", "json").stdout)
    assert doc["paid_yuan"] == "514.70"
    assert [(p["id"], p["status"], p["amount_yuan"]) for p in doc["lines"][0]["payments"]] == [
        ("P-LT-1", "paid", "514.70")
    ]
    # paid after the notice closed and within 365 days of receipt: no AUD-607 for it, no AUD-802
    found = codes(db)
    assert found.count("AUD-607") == 1  # only 肃州's income is still not shown paid
    assert "AUD-802" not in found


def test_pay_holds_back_bad_rows_and_refuses_an_overpayment(db, tmp_path):
    bad = _write(
        tmp_path / "bad.csv",
        [
            HEADER,
            ["P-1", LT, "2", "LT-H001", "2020-05-25", "514.70", "一卡通", "6228480402564890018", "已兑付", "", ""],
            ["P-2", LT, "2", "LT-H001", "2020-05-25", "514.70", "一卡通", "", "", "", ""],
            ["P-3", LT, "0", "LT-H001", "2020-05-25", "514.70", "一卡通", "", "已兑付", "", ""],
        ],
    )
    done = invoke("pay", str(bad), "--db", str(db), "--lang", "en")
    assert done.exit_code == 1
    assert "6228480402564890018" not in done.output  # personal data is never echoed
    assert "0018" in done.output
    assert "LED-126" in done.output  # the unmasked account
    assert "LED-101" in done.output  # the blank 兑付状态: not taken as paid
    assert "LED-118" in done.output  # line 0
    over = _write(
        tmp_path / "over.csv",
        [HEADER, ["P-4", LT, "2", "LT-H001", "2020-05-25", "514.71", "现金", "", "已兑付", "", ""]],
    )
    done = invoke("pay", str(over), "--db", str(db), "--lang", "en")
    assert done.exit_code == 2
    assert "AR-403" in done.output
    assert "514.71" in done.output


def _add(db: Path, *, distributions=(), notices=(), payments=()) -> None:
    engine = create_engine_for(db)
    try:
        with SqlUnitOfWork(engine) as uow:
            uow.distributions.add(list(distributions))
            uow.notices.add(list(notices))
            uow.payments.add(list(payments))
            uow.commit()
    finally:
        engine.dispose()


def _stored(db: Path, distribution_id: str):
    engine = create_engine_for(db)
    try:
        with SqlUnitOfWork(engine) as uow:
            return uow.distributions.get(distribution_id)
    finally:
        engine.dispose()


def _line(payee: str, fen: int, purpose: Purpose = Purpose.HOUSEHOLD_DIVIDEND) -> AllocationLine:
    return AllocationLine(
        tier="分红",
        tier_index=0,
        purpose=purpose,
        beneficiary_id=payee,
        beneficiary_kind=BeneficiaryKind.HOUSEHOLD,
        beneficiary_name=payee,
        amount=Money(fen),
        base="net",
        base_amount=Money(fen),
        rate=None,
        tier_amount=Money(fen),
        share=Fraction(1),
        basis="",
    )


def _fault(db: Path, suffix: str, lines: tuple[AllocationLine, ...], pool: int):
    """A distribution of 灵台's income superseding the stored one, with the given lines."""
    d = _stored(db, LT)
    return attrs.evolve(d, id=f"{LT}/{suffix}", supersedes=LT, recorded_at=AT, lines=lines, pool=Money(pool))


def test_the_demo_database_is_quiet_on_the_distribution_and_notice_checks(demo_db):
    assert not set(codes(demo_db)) & {"AUD-701", "AUD-702", "AUD-703", "AUD-704", "AUD-801", "AUD-802"}


def test_aud_701_fires_on_lines_that_do_not_add_up(db):
    _add(db, distributions=[_fault(db, "r9", (_line("LT-H001", 51470),), 6742000)])
    assert "AUD-701" in codes(db)


def test_aud_702_fires_on_a_payee_not_on_the_roster(db):
    _add(db, distributions=[_fault(db, "r9", (_line("LT-H999", 6742000),), 6742000)])
    assert "AUD-702" in codes(db)


def test_aud_703_fires_on_equal_cash_to_every_household(db):
    lines = tuple(_line(f"LT-H00{i}", 1348400) for i in range(1, 6))  # 67,420.00 ÷ 5 each
    _add(db, distributions=[_fault(db, "r9", lines, 6742000)])
    assert "AUD-703" in codes(db)


def test_aud_704_fires_on_a_prohibited_purpose(db):
    lines = (_line("LT-H001", 6742000, Purpose.COMMITTEE_RUNNING_COSTS),)
    _add(db, distributions=[_fault(db, "r9", lines, 6742000)])
    assert "AUD-704" in codes(db)


def test_aud_801_fires_on_a_short_notice(db):
    short = PublicNotice(
        id=f"N/{LT}/township",
        area=_stored(db, LT).area,
        recorded_at=AT,
        distribution_id=LT,
        level=NoticeLevel.TOWNSHIP,
        channel=NoticeChannel.WEBSITE,
        posted_on=date(2020, 5, 9),
        closes_on=date(2020, 5, 11),  # 3 days
    )
    _add(db, notices=[short])
    assert "AUD-801" in codes(db)


def test_aud_802_fires_on_a_payment_before_the_notice_closed(db, tmp_path):
    early = _write(
        tmp_path / "early.csv",
        [HEADER, ["P-LT-1", LT, "2", "LT-H001", "2020-05-10", "514.70", "现金", "", "已兑付", "", ""]],
    )
    assert invoke("pay", str(early), "--db", str(db)).exit_code == 0
    assert "AUD-802" in codes(db)


def test_aud_607_fires_on_income_not_shown_paid_and_is_quiet_once_paid(db, tmp_path):
    assert codes(db).count("AUD-607") == 2
    # 肃州's three lines (development fund, collective, cooperative) paid the day reported
    sz = _stored(db, SZ)
    rows = [HEADER] + [
        [
            f"P-SZ-{i}",
            SZ,
            str(i + 1),
            line.beneficiary_id,
            "2020-04-20",
            str(line.amount.yuan_decimal),
            "银行转账",
            "",
            "已兑付",
            "",
            "",
        ]
        for i, line in enumerate(sz.lines)
    ]
    assert invoke("pay", str(_write(tmp_path / "sz.csv", rows)), "--db", str(db)).exit_code == 0
    assert codes(db).count("AUD-607") == 1


def test_the_yearly_cycle_on_the_command_line_books_what_the_demo_books(demo_db, tmp_path):
    from assetreg.samples import sample_path

    db = str(tmp_path / "county.sqlite")
    policy = str(sample_path("sample_policy.toml"))
    steps = [
        ["import", str(sample_path("sample_ledger.csv")), "--policy", policy],  # exits 1: two rows rejected
        ["import-income", str(sample_path("sample_revenue.csv"))],
        ["import-roster", str(sample_path("sample_households.csv")), "--as-of", "2020-04-30"],
        ["plans", str(sample_path("sample_plans.toml")), "--policy", policy],
        [
            *("distribute", "--period", "2019-05-01..2020-04-30", "--asset", "LT-PV-001", "--policy", policy),
            *("--post", "--posted-on", "2020-05-09"),
        ],
        [
            *("distribute", "--period", "2019", "--asset", "SZ-GH-001", "--policy", policy),
            *("--post", "--posted-on", "2020-04-08"),
        ],
    ]
    for n, step in enumerate(steps):
        done = invoke(*step, "--db", db, "--recorded-at", "2024-12-31T09:00:00+08:00")
        assert done.exit_code == (1 if n == 0 else 0), (step, done.output)
    by_cli = json.loads(invoke(*CHECK, "--db", db).stdout)
    by_demo = json.loads(invoke(*CHECK, "--db", str(demo_db)).stdout)
    assert [(f["code"], f["subject"]) for f in by_cli["findings"]] == [
        (f["code"], f["subject"]) for f in by_demo["findings"]
    ]
    assert by_cli["not_run"] == []
    lt001 = json.loads(invoke("explain", "--household", "LT-H001", "--db", db, "-f", "json").stdout)
    assert lt001["total_yuan"] == "514.70"


def test_pay_reports_a_missing_column_once_and_reads_a_wan_yuan_header(db, tmp_path):
    renamed = [("收款人" if h == "收款人编号" else h) for h in HEADER]
    bad = _write(
        tmp_path / "renamed.csv",
        [renamed, ["P-1", LT, "2", "LT-H001", "2020-05-25", "514.70", "现金", "", "已兑付", "", ""]] * 1,
    )
    done = invoke("pay", str(bad), "--db", str(db), "--lang", "en")
    assert done.exit_code == 1
    assert done.output.count("LED-306") == 1  # one problem for the column, not one per row
    wan = _write(
        tmp_path / "wan.csv",
        [
            [("金额(万元)" if h == "金额" else h) for h in HEADER],
            ["P-1", LT, "2", "LT-H001", "2020-05-25", "0.051470", "现金", "", "已兑付", "", ""],
        ],
    )
    assert invoke("pay", str(wan), "--db", str(db)).exit_code == 0
    doc = json.loads(invoke("explain", "--household", "LT-H001", "--db", str(db), "-f", "json").stdout)
    assert doc["paid_yuan"] == "514.70"  # 0.051470万元


def test_a_payment_of_a_line_that_does_not_exist_numbers_lines_from_one(db, tmp_path):
    far = _write(
        tmp_path / "far.csv", [HEADER, ["P-9", LT, "99", "LT-H001", "2020-05-25", "1", "现金", "", "已兑付", "", ""]]
    )
    done = invoke("pay", str(far), "--db", str(db), "--lang", "en")
    assert done.exit_code == 2
    assert "has no line 99 (it has lines 1 to 56)" in done.output


def test_explain_csv_writes_flat_cells(demo_db):
    done = invoke("explain", "--household", "LT-H001", "--db", str(demo_db), "-f", "csv")
    assert done.exit_code == 0, done.output
    header, row = done.stdout.strip().splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert (cells["asset_ids"], cells["payments"], cells["line_number"], cells["amount_yuan"]) == (
        "LT-PV-001",
        "[]",
        "2",
        "514.70",
    )
