"""Income commands: ``allocate`` and ``notice`` one asset's income under a plan; the ``demo``.

``allocate`` and ``notice`` call :func:`assetreg.services.income.allocate_stored` on the SQL
adapter's unit of work with the income ledger and roster read from files; ``demo`` calls
:func:`assetreg.demo.run_demo`. They render the lines, the public-notice table (公示表) and
its reconciliation to the fen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assetreg.cli.app import (
    DEFAULT_DB,
    DbOption,
    Fail,
    Format,
    FormatOption,
    Lang,
    LangOption,
    PolicyOption,
    app,
    existing_file,
    fail,
    load_policy,
    open_store,
    run,
    say,
)
from assetreg.cli.register import read_income
from assetreg.cli.render import (
    OUT,
    kind_label,
    notice_document,
    print_notice,
    print_reconciled,
    render_findings_table,
    show_issues,
    table,
    write_csv,
    write_json,
    yuan,
)
from assetreg.income.presets import PLAN_PRESETS

if TYPE_CHECKING:
    from assetreg.income.distribution import IncomeNotice

__all__ = ["allocate", "demo", "notice"]

AssetOption = Annotated[str, typer.Option("--asset", help="资产编号 Asset code.", show_default=False)]
PlanOption = Annotated[
    str,
    typer.Option(
        "--plan",
        show_default=False,
        help=(
            "分配方案 Plan: pv-45-55, pv-80-gross, pv-60-net, pv-80-20, coop-55-30-15, posts-500-12, saga-2022-tiers."
        ),
    ),
]
IncomeOption = Annotated[
    Path | None,
    typer.Option(
        "--income",
        show_default=False,
        help=(
            "收益台账（.csv/.xlsx）；不给时使用库中已存的收益和扣除记录。 "
            "Income ledger; without it the revenue and deductions stored in the database are used."
        ),
    ),
]
RosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help="受益农户名单（.csv/.xlsx），不给时使用库中名单。 Household roster; default: the stored roster snapshot.",
    ),
]


def _distribute(  # noqa: PLR0917 - one call site per command
    db: str, asset: str, plan: str, income: Path | None, roster: Path | None, policy: str | None, lang: Lang
) -> IncomeNotice:
    """Read the files, call the service, report what the reading found; return the notice."""
    from assetreg.adapters.ledger.records import read_roster  # noqa: PLC0415
    from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
    from assetreg.services.income import allocate_stored  # noqa: PLC0415

    if plan not in PLAN_PRESETS:
        raise fail(
            f"unknown plan {plan!r}; choose one of: {', '.join(PLAN_PRESETS)}",
            f"未知的分配方案 {plan!r}，可选：{'、'.join(PLAN_PRESETS)}",
            lang,
        )
    pol = load_policy(policy, lang)
    now = datetime.now(UTC)  # the edge may read the clock: when the claims read from the file are known
    income_ledger = read_income(income, lang)
    people = read_roster(existing_file(roster, "roster", "受益农户名单", lang)) if roster is not None else None
    with open_store(db, lang) as engine:
        result = allocate_stored(
            SqlUnitOfWork(engine),
            pol,
            asset_id=asset,
            plan=plan,
            roster=people.households if people is not None else (),
            income=(lambda register: income_ledger.inputs(register, now)) if income_ledger is not None else None,
        )
    if result.income_from_store:
        say(
            "income and deductions from the database (no --income)",
            "收益和扣除项取自数据库（未给 --income）",
            lang,
        )
    if result.roster_id is not None:
        say(
            f"households from the stored roster {result.roster_id} (no --roster)",
            f"受益农户取自库中名单 {result.roster_id}（未给 --roster）",
            lang,
        )
    issues = [*(income_ledger.issues if income_ledger is not None else ()), *(people.issues if people else ())]
    show_issues(issues, lang is Lang.ZH, to_stderr=True)
    return result.notice


@app.command("allocate", short_help="收益分配 Allocate one asset's income under a plan.")
def allocate(  # noqa: PLR0917 - Typer passes options by keyword
    asset: AssetOption,
    plan: PlanOption,
    income: IncomeOption = None,
    roster: RosterOption = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """收益分配。 Allocate one asset's income for its period under a plan.

    Prints every line of the allocation: tier, payee, amount and how it was computed (rate
    and base). Use --format json or csv for every field.

    Example: assetreg allocate --asset LT-PV-001 --plan pv-45-55 --income 收益台账.csv
    --roster 受益农户.csv --db county.sqlite
    """

    def body() -> None:
        result = _distribute(db, asset, plan, income, roster, policy, lang)
        records = [r for a in result.allocations for r in a.as_records()]
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/allocation",
                    "version": 1,
                    "asset_id": result.asset_id,
                    "plan": result.plan,
                    "period_start": result.period.start,
                    "period_end": result.period.end,
                    "distributable_yuan": result.income.net.yuan_decimal,
                    "total_yuan": result.total.yuan_decimal,
                    "reconciles": result.reconciles,
                    "lines": records,
                }
            )
            return
        if fmt is Format.CSV:
            write_csv(records)
            return
        zh = lang is Lang.ZH
        names = (
            ("序号", "分配层级", "受益对象", "类型", "金额(元)", "计算依据")
            if zh
            else ("#", "tier", "payee", "kind", "amount (yuan)", "basis")
        )
        rows = [
            dict(
                zip(
                    names,
                    (
                        n,
                        r["tier"],
                        r["beneficiary_name"],
                        kind_label(str(r["beneficiary_kind"]), zh),
                        yuan(str(r["amount_yuan"])),
                        r["basis"],
                    ),
                    strict=True,
                )
            )
            for n, r in enumerate(records, start=1)
        ]
        period = f"{result.period.start} {'至' if zh else 'to'} {result.period.last}"
        table(rows, title=f"{result.asset_name}（{result.asset_id}）{period} {result.plan}")
        print_reconciled(result, zh)

    run(body, lang)


@app.command("notice", short_help="收益分配公示表 Print (and write) the public-notice table.")
def notice(  # noqa: PLR0917 - Typer passes options by keyword
    asset: AssetOption,
    plan: PlanOption,
    income: IncomeOption = None,
    roster: RosterOption = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="同时把公示表写到 .xlsx 或 .csv。 Also write the notice table to .xlsx or .csv."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """收益分配公示表。 Print the public-notice table of an allocation.

    The table lists every payee with the amount and its basis; the total reconciles to the
    distributable income to the fen. The notice period follows the policy.

    Example: assetreg notice --asset SZ-GH-001 --plan coop-55-30-15 --income 收益台账.csv
    --db county.sqlite --out 公示表.xlsx
    """

    def body() -> None:
        if out is not None and out.suffix.lower() not in {".xlsx", ".csv"}:
            raise fail(
                f"cannot write the notice to {out.name}: use a .xlsx or .csv file name",
                f"公示表不能写成 {out.name}：请使用 .xlsx 或 .csv 文件名",
                lang,
            )
        result = _distribute(db, asset, plan, income, roster, policy, lang)
        if fmt is Format.JSON:
            write_json(notice_document(result))
        elif fmt is Format.CSV:
            write_csv(result.rows())
        else:
            print_notice(result, lang is Lang.ZH)
        if out is not None:
            from assetreg.adapters.ledger.notice_writer import write_notice  # noqa: PLC0415

            write_notice(result, out)
            say(f"wrote the notice to {out}", f"公示表已写入 {out}", lang)
        if not result.reconciles:
            raise Fail(1)

    run(body, lang)


@app.command("demo", short_help="演示 Run the whole job on the bundled real sample.")
def demo(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="把演示数据库保存到这里（默认用临时文件）。 Keep the demo database here (default: a temporary file).",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """演示：在自带的真实样例上跑一遍。 Run the main job on the bundled real sample.

    Imports the sample ledger (two bad rows are rejected with reasons), stores it with its
    revenue in a SQLite database, runs the audit, allocates two incomes (灵台 PV station
    45/55, 肃州 cooperative 55/30/15) and prints the public-notice tables, each reconciled
    to the fen.

    Example: assetreg demo --lang en
    """

    def body() -> None:
        from assetreg import demo as demo_module  # noqa: PLC0415
        from assetreg.audit import summary  # noqa: PLC0415

        result = demo_module.run_demo(db)
        zh = lang is Lang.ZH
        imported = result.imported
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/demo",
                    "version": 1,
                    "imported_assets": len(result.register),
                    "rejected_rows": len(imported.rejected),
                    "households": len(result.roster.households),
                    "income_entries": len(result.income.entries),
                    "as_of": demo_module.DEMO_AS_OF,
                    "policy": result.policy.name,
                    "findings": summary(result.findings),
                    "notices": [notice_document(n) for n in result.notices],
                }
            )
        elif fmt is Format.CSV:
            write_csv([row for n in result.notices for row in n.rows()])
        else:
            households = len(result.roster.households)
            working = sum(1 for m in result.roster.households if m.days_worked)
            entries = len(result.income.entries)
            OUT.print(
                (
                    f"导入台账：{len(result.register)} 项资产入库，{len(imported.rejected)} 行被拒绝（见下表原因）；"
                    f"受益农户 {households} 户（其中 {working} 户参加公益劳动，按劳分配只分给这些农户）；"
                    f"收益记录 {entries} 条"
                )
                if zh
                else (
                    f"ledger imported: {len(result.register)} assets stored, {len(imported.rejected)} rows rejected "
                    f"(reasons below); {households} households ({working} did public labour and share the "
                    f"by-labour part); {entries} income entries"
                ),
                markup=False,
            )
            show_issues(result.issues, zh)
            as_of = demo_module.DEMO_AS_OF
            OUT.print(
                f"审计检查（截至 {as_of}，政策 {result.policy.name}，{len(result.findings)} 条发现）："
                if zh
                else f"audit as of {as_of} under {result.policy.name} ({len(result.findings)} findings):",
                markup=False,
            )
            render_findings_table(result.findings, lang.value)
            for item in result.notices:
                OUT.print("", markup=False)
                print_notice(item, zh)
        if not all(item.reconciles for item in result.notices):
            raise Fail(1)

    run(body, lang)
