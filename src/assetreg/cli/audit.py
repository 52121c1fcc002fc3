"""Audit commands: ``check`` the books against policy, ``verify`` the hash chains.

``check`` calls :func:`assetreg.services.auditing.audit_store` (or, with ``--ledger``,
:func:`~assetreg.services.auditing.audit_register` on a ledger file read directly) and renders
the findings as a table, JSON or CSV with the audit's own renderers.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from assetreg.cli.app import (
    DEFAULT_DB,
    AsOfOption,
    DbOption,
    Fail,
    Format,
    FormatOption,
    Lang,
    LangOption,
    PolicyOption,
    app,
    as_of_date,
    existing_file,
    fail,
    load_policy,
    open_store,
    run,
)
from assetreg.cli.register import read_income
from assetreg.cli.render import OUT, mask_ids, render_findings_table, show_issues

__all__ = ["check", "verify"]


@app.command("check", short_help="审计检查 Check the register against policy.")
def check(  # noqa: PLR0917 - Typer passes options by keyword
    db: DbOption = DEFAULT_DB,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="直接检查台账文件（不用数据库）。 Check a ledger file directly instead of the database.",
        ),
    ] = None,
    income: Annotated[
        Path | None,
        typer.Option(
            "--income",
            help=(
                "收益台账（.csv/.xlsx）；不给时使用库中已存的收益记录。 Income ledger; without it "
                "the revenue entries stored in the database are checked."
            ),
        ),
    ] = None,
    as_of: AsOfOption = None,
    policy: PolicyOption = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="只查该区划代码开头的资产，如 620422。 Only this area-code prefix.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """审计检查。 Run the audit catalogue over the register (and the income ledger).

    Reads the database, or with --ledger a ledger file directly (its rows without a
    registration date count as registered on --as-of). Revenue comes from --income, or
    else from the entries stored in the database (``import --income``). Prints one line per
    finding with its code, subject, rule and message.

    Exit 0 when no finding is at error severity, 1 when any is (or --ledger has rejected
    rows), 2 when input cannot be read.

    Example: assetreg check --db county.sqlite --as-of 2024-12-31 --format json
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.audit import has_errors, render_csv, render_json  # noqa: PLC0415
        from assetreg.services.auditing import audit_register, audit_store  # noqa: PLC0415

        pol = load_policy(policy, lang)
        day = as_of_date(as_of, lang)
        zh = lang is Lang.ZH
        beside_data = fmt is not Format.TABLE
        income_ledger = read_income(income, lang)
        revenue = income_ledger.entries if income_ledger is not None else None
        ledger_errors = income_ledger is not None and any(i.is_error for i in income_ledger.issues)
        if ledger is not None:
            from assetreg.adapters.ledger.importer import import_ledger  # noqa: PLC0415

            existing_file(ledger, "ledger", "台账", lang)
            result = import_ledger(ledger, recorded_at=datetime.now(UTC), policy=pol, effective=day)
            show_issues(result.issues, zh, to_stderr=beside_data)
            ledger_errors = ledger_errors or not result.ok
            findings = audit_register(result.register, as_of=day, policy=pol, revenue=revenue, prefix=prefix)
        else:
            with open_store(db, lang) as engine:
                findings = audit_store(SqlUnitOfWork(engine), as_of=day, policy=pol, prefix=prefix, revenue=revenue)
        if income_ledger is not None:
            show_issues(income_ledger.issues, zh, to_stderr=beside_data)
        if fmt is Format.JSON:
            sys.stdout.write(mask_ids(render_json(findings, as_of=day, policy=pol.name)))
        elif fmt is Format.CSV:
            sys.stdout.write(mask_ids(render_csv(findings)))
        else:
            render_findings_table(findings, lang.value)
        if has_errors(findings) or ledger_errors:
            raise Fail(1)

    run(body, lang)


@app.command("verify")
def verify(db: DbOption = DEFAULT_DB, lang: LangOption = Lang.ZH) -> None:
    """Verify the hash chain of every county's event history (防篡改校验); exit 1 on any break."""

    def body() -> None:
        from assetreg.adapters.sql import create_engine_for, verify_chains  # noqa: PLC0415

        if "://" not in db and not Path(db).is_file():
            raise fail(f"no database at {db}", f"{db} 处没有数据库", lang)
        engine = create_engine_for(db)
        try:
            reports = verify_chains(engine)
        finally:
            engine.dispose()
        findings = [f for report in reports for f in report.to_findings()]
        for finding in findings:  # "event history of county 620422: edited at position 4 [event id]"
            OUT.print(f"{finding.message(lang.value)} [{finding.subject}]", markup=False)
        if findings:
            raise Fail(1)
        events = sum(r.length for r in reports)
        OUT.print(
            f"hash chains intact: {len(reports)} counties, {events} events"
            if lang is Lang.EN
            else f"哈希链完整，未发现篡改：{len(reports)} 个县，{events} 个事件",
            markup=False,
        )

    run(body)
