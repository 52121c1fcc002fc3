"""Audit commands: ``check`` the books against policy, ``verify`` the hash chains.

``check`` calls :func:`assetreg.services.auditing.audit_store` (or, with ``--ledger``,
:func:`~assetreg.services.auditing.audit_register` on a ledger file read directly) and renders
the findings as a table, JSON or CSV with the audit's own renderers.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import attrs
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


def _tamper_findings(engine: Any) -> tuple[Any, ...]:
    """The chain (AUD-990) and stored-state (AUD-991) findings of the database: check reports them too."""
    from assetreg.adapters.sql import state_findings, verify_chains, verify_state  # noqa: PLC0415

    chains = [f for report in verify_chains(engine) for f in report.to_findings()]
    return (*chains, *state_findings(verify_state(engine)))


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
    finding with its code, subject, rule and message, then the checks that could not run
    and why (JSON: ``not_run``, a list of ``{code, reason}``).

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
            report = audit_register(result.register, as_of=day, policy=pol, revenue=revenue, prefix=prefix)
        else:
            with open_store(db, lang) as engine:
                report = audit_store(SqlUnitOfWork(engine), as_of=day, policy=pol, prefix=prefix, revenue=revenue)
                tampered = _tamper_findings(engine)
        if income_ledger is not None:
            show_issues(income_ledger.issues, zh, to_stderr=beside_data)
        findings = report.findings if ledger is not None else (*report.findings, *tampered)
        if fmt is Format.JSON:
            sys.stdout.write(mask_ids(render_json(findings, as_of=day, policy=pol.name, not_run=report.not_run)))
        elif fmt is Format.CSV:
            sys.stdout.write(mask_ids(render_csv(findings)))
        else:
            render_findings_table(findings, lang.value, not_run=report.not_run)
        if has_errors(findings) or ledger_errors:
            raise Fail(1)

    run(body, lang)


AnchorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--anchor",
        "--checkpoint",
        help=(
            "早先打印的检查点（县代码:位置:哈希，或存有检查点的文件），可重复；链不由其延续则失败。 "
            "A checkpoint printed earlier (COUNTY:POSITION:HASH, or a file of them, one per line); "
            "repeatable; fails unless the stored chain descends from it."
        ),
    ),
]


def _anchors(values: list[str] | None, lang: Lang) -> list[Any]:
    from assetreg.adapters.sql.chain import Checkpoint  # noqa: PLC0415

    texts: list[str] = []
    for value in values or []:
        path = Path(value)
        if ":" not in value and path.is_file():
            texts.extend(
                line.strip()
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            )
        elif ":" not in value:
            raise fail(f"no checkpoint file at {value}", f"{value} 处没有检查点文件", lang)
        else:
            texts.append(value)
    return [Checkpoint.parse(t) for t in texts]


@app.command("verify")
def verify(  # noqa: C901 - the body renders two formats
    db: DbOption = DEFAULT_DB,
    anchor: AnchorOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """防篡改校验。 Verify the event chains and the rest of the stored state; exit 1 on any problem.

    Proves, for every county: each stored event sits in its county's hash chain with a
    hash that follows from the one before; the chain ends at its head row; every
    current-state asset row, every event's sequence and area, and the parties (by their
    county seal) agree with the chained events. Prints each county's checkpoint
    (COUNTY:POSITION:HASH) — keep it elsewhere (on paper, with the county's archive):
    given back with --anchor, verify fails unless the stored chain still descends from
    it, which catches even an intruder who rewrote history and recomputed every hash.

    Exit 0 when everything verifies (and descends from every anchor), 1 otherwise.

    Example: assetreg verify --db county.sqlite --anchor 620422:1204:9f86d081… --format json
    """

    def body() -> None:
        from assetreg.adapters.sql import create_engine_for, state_findings, verify_chains, verify_state  # noqa: PLC0415
        from assetreg.adapters.sql.chain import check_anchor, checkpoint_of  # noqa: PLC0415

        if fmt is Format.CSV:
            raise fail("verify prints a table or JSON, not CSV", "verify 只输出表格或 JSON，不输出 CSV", lang)
        anchors = _anchors(anchor, lang)
        if "://" not in db and not Path(db).is_file():
            raise fail(f"no database at {db}", f"{db} 处没有数据库", lang)
        engine = create_engine_for(db)
        try:
            reports = verify_chains(engine)
            state = verify_state(engine)
            refused = [(a, check_anchor(engine, a)) for a in anchors]
        finally:
            engine.dispose()
        findings = [f for report in reports for f in report.to_findings()] + list(state_findings(state))
        ok = not findings and all(reason is None for _, reason in refused)
        if fmt is Format.JSON:
            document = {
                "ok": ok,
                "counties": [
                    {
                        "county": r.county,
                        "length": r.length,
                        "head": r.head,
                        "checkpoint": str(checkpoint_of(r)),
                        "problems": [
                            {
                                "kind": p.kind.value,
                                "position": p.position,
                                "count": p.count,
                                "event_id": p.event_id,
                                "asset_id": p.asset_id,
                            }
                            for p in r.problems
                        ],
                    }
                    for r in reports
                ],
                "state_problems": [attrs.asdict(p) for p in state],
                "anchors": [
                    {"checkpoint": str(a), "descends": reason is None, "reason": reason} for a, reason in refused
                ],
            }
            sys.stdout.write(mask_ids(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")
        else:
            for finding in findings:  # "event history of county 620422: edited at position 4 [event id]"
                OUT.print(mask_ids(f"{finding.message(lang.value)} [{finding.subject}]"), markup=False)
            for a, reason in refused:
                if reason is not None:
                    OUT.print(
                        f"does not descend from checkpoint {a}: {reason}"
                        if lang is Lang.EN
                        else f"不由检查点 {a} 延续：{reason}",
                        markup=False,
                    )
            for r in reports:
                OUT.print(
                    f"checkpoint {checkpoint_of(r)}" if lang is Lang.EN else f"检查点 {checkpoint_of(r)}", markup=False
                )
            if ok:
                events = sum(r.length for r in reports)
                OUT.print(
                    f"hash chains and stored state intact: {len(reports)} counties, {events} events"
                    + (f", descending from {len(anchors)} checkpoints" if anchors else "")
                    if lang is Lang.EN
                    else f"哈希链与存储状态完整，未发现篡改：{len(reports)} 个县，{events} 个事件"
                    + (f"，由 {len(anchors)} 个检查点延续" if anchors else ""),
                    markup=False,
                )
        if not ok:
            raise Fail(1)

    run(body, lang)
