"""The ``assetreg`` command (命令行): a thin layer over the public API.

Exit codes: 0 clean; 1 findings (or rejected rows) at error severity; 2 bad usage or
unreadable input. ``--lang zh`` prints Chinese messages and headers.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from assetreg.errors import AssetRegError

__all__ = ["app", "main"]

DEFAULT_DB = "assetreg.sqlite"

app = typer.Typer(
    name="assetreg",
    help=(
        "Register poverty-alleviation project assets (扶贫项目资产): import county ledgers (台账), "
        "check them against policy, allocate income and print the public notice (公示).\n\n"
        "Exit codes: 0 clean, 1 findings at error severity, 2 bad usage or unreadable input."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance (数据库维护).", no_args_is_help=True)
app.add_typer(db_app, name="db")


class Format(str, Enum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class Lang(str, Enum):
    """Message languages."""

    ZH = "zh"
    EN = "en"


DbOption = Annotated[
    str,
    typer.Option("--db", help="SQLAlchemy URL or SQLite file path (数据库).", envvar="ASSETREG_DB"),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")]
LangOption = Annotated[Lang, typer.Option("--lang", help="zh (中文) or en.")]
PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        help="A preset name (national-2021, gansu-county-2013, guangxi-2016) or a .toml/.json file.",
    ),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Audit/effective date, YYYY-MM-DD (default: today).")
]

# Notice tables are wide; when the output is not a terminal (a pipe, a file, CI) Rich would
# wrap at 80 columns, so give it room.
_console = Console(width=None if sys.stdout.isatty() else 160)
_errors = Console(stderr=True, soft_wrap=True)


class _Fail(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _fail(message_en: str, message_zh: str, lang: Lang, code: int = 2) -> _Fail:
    _errors.print(message_zh if lang is Lang.ZH else message_en, markup=False)
    return _Fail(code)


def _error(exc: AssetRegError, lang: Lang) -> _Fail:
    text = f"{exc.code} {exc.message(lang.value)}"
    where = [f"{k}={v}" for k, v in (("record", exc.record), ("row", exc.row), ("field", exc.field)) if v is not None]
    if where:
        text += " [" + ", ".join(where) + "]"
    return _fail(text, text, lang)


def _policy(value: str | None, lang: Lang) -> Any:
    from assetreg.domain.policy import NATIONAL_2021, PRESETS, Policy  # noqa: PLC0415

    if value is None:
        return NATIONAL_2021
    if value in PRESETS:
        return PRESETS[value]
    path = Path(value)
    if not path.is_file():
        raise _fail(
            f"policy {value!r} is neither a preset ({', '.join(sorted(PRESETS))}) nor a file",
            f"政策 {value!r} 既不是预置政策（{'、'.join(sorted(PRESETS))}）也不是文件",
            lang,
        )
    text = path.read_text(encoding="utf-8")
    return Policy.from_json(text) if path.suffix.lower() == ".json" else Policy.from_toml(text)


def _as_of(value: str | None, lang: Lang) -> date:
    if value is None:
        return datetime.now(UTC).astimezone().date()  # the CLI is the edge: it may read the clock
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--as-of {value!r} is not a date YYYY-MM-DD", f"--as-of {value!r} 不是日期 YYYY-MM-DD", lang) from None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _csv_cell(value: Any, neutralise: Any) -> str:
    if value is None:
        return ""
    text = str(_plain(value))
    return neutralise(text) if isinstance(value, str) else text  # numbers stay numbers


def _emit(rows: Sequence[dict[str, Any]], fmt: Format, *, title: str | None = None) -> None:
    """Print rows as a table, JSON or CSV (cells are plain values; no floats)."""
    if fmt is Format.JSON:
        _console.print_json(json.dumps([{k: _plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False))
        return
    headers = list(rows[0]) if rows else []
    if fmt is Format.CSV:
        from assetreg.adapters.ledger.importer import neutralise  # noqa: PLC0415

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        for r in rows:
            writer.writerow([_csv_cell(r[h], neutralise) for h in headers])
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for r in rows:
        table.add_row(*("" if r[h] is None else str(_plain(r[h])) for h in headers))
    _console.print(table)


def _run(func: Any) -> Any:
    """Run a command body and turn library errors into exit codes."""
    try:
        return func()
    except _Fail as fail:
        raise typer.Exit(fail.code) from None
    except AssetRegError as exc:
        _error(exc, Lang.EN)
        raise typer.Exit(2) from None


# -- import / export ------------------------------------------------------------------------
@app.command("import")
def import_(
    ledger: Annotated[Path, typer.Argument(help="The ledger (台账), .xlsx or .csv.")],
    db: DbOption = DEFAULT_DB,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Write rejected rows here (.csv); default LEDGER.rejects.csv.")
    ] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Import a county ledger (台账) into the database; bad rows are reported and written to a rejects file."""

    def body() -> None:
        from assetreg.adapters.ledger.importer import import_ledger  # noqa: PLC0415
        from assetreg.adapters.sql import SqlUnitOfWork, bulk_load, create_engine_for, upgrade  # noqa: PLC0415

        if not ledger.is_file():
            raise _fail(f"no such file: {ledger}", f"找不到文件：{ledger}", lang)
        try:
            result = import_ledger(ledger, recorded_at=datetime.now(UTC), policy=_policy(policy, lang))
        except AssetRegError as exc:
            raise _error(exc, lang) from None
        engine = create_engine_for(db)
        try:
            upgrade(engine)
            with SqlUnitOfWork(engine) as uow:
                base = uow.load_register()
            clash = sorted(set(result.register.histories) & set(base.histories))
            if clash:
                raise _fail(
                    f"{len(clash)} asset codes are already in the database (e.g. {clash[0]}); nothing imported",
                    f"{len(clash)} 个资产编号已在库中（如 {clash[0]}），未导入",
                    lang,
                    code=1,
                )
            with _progress(len(result.register.histories), "导入" if lang is Lang.ZH else "importing") as tick:
                bulk_load(engine, result.register, progress=tick)
        finally:
            engine.dispose()
        if result.rejected:
            target = rejects or ledger.with_suffix(".rejects.csv")
            result.write_rejects(target)
            _errors.print(
                f"{len(result.rejected)} 行被拒绝，已写入 {target}" if lang is Lang.ZH
                else f"{len(result.rejected)} rows rejected, written to {target}",
                markup=False,
            )
        _emit_issues(result.issues, fmt, lang)
        _errors.print(
            f"已导入 {len(result.register)} 项资产" if lang is Lang.ZH else f"imported {len(result.register)} assets",
            markup=False,
        )
        if any(i.is_error for i in result.issues):
            raise _Fail(1)

    _run(body)


class _progress:  # noqa: N801 - used as a context manager like a function
    """A Rich progress bar fed by a ``progress(done, total)`` hook."""

    def __init__(self, total: int, label: str) -> None:
        from rich.progress import Progress  # noqa: PLC0415

        self.progress = Progress(console=_errors, transient=True, disable=total < 1000)
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.progress.start()

        def tick(done: int, total: int) -> None:
            self.progress.update(self.task, completed=done, total=total)

        return tick

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _emit_issues(issues: Iterable[Any], fmt: Format, lang: Lang) -> None:
    zh = lang is Lang.ZH
    names = ("级别", "工作表", "行", "列", "值", "代码", "原因") if zh else (
        "severity", "sheet", "row", "column", "value", "code", "reason")
    levels = {"error": "错误", "warning": "警告", "info": "提示"}
    rows = [
        dict(
            zip(
                names,
                (
                    levels.get(i.severity.value, i.severity.value) if zh else i.severity.value,
                    i.sheet,
                    i.row,
                    i.column_letter or i.column,
                    i.value,
                    i.code,
                    i.reason_zh if zh else i.reason_en,
                ),
                strict=True,
            )
        )
        for i in issues
    ]
    if rows:
        _emit(rows, fmt, title="台账问题" if zh else "ledger issues")


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="Target ledger, .xlsx or .csv.")],
    db: DbOption = DEFAULT_DB,
    as_of: AsOfOption = None,
    reveal_personal_data: Annotated[
        bool, typer.Option("--reveal-personal-data", help="Write resident ids unmasked (default: masked).")
    ] = False,
    lang: LangOption = Lang.ZH,
) -> None:
    """Export the register as a ledger (台账) with Chinese headers; it imports back equal."""

    def body() -> None:
        from assetreg.adapters.ledger.writer import write_ledger  # noqa: PLC0415

        register = _load(db, lang)
        write_ledger(register, out, as_of=_as_of(as_of, lang), reveal_personal_data=reveal_personal_data)
        _errors.print(f"wrote {out}", markup=False)

    _run(body)


def _load(db: str, lang: Lang) -> Any:
    from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for  # noqa: PLC0415

    if "://" not in db and not Path(db).is_file():
        raise _fail(f"no database at {db}; run `assetreg import` first", f"{db} 处没有数据库，请先运行 assetreg import", lang)
    engine = create_engine_for(db)
    try:
        with SqlUnitOfWork(engine) as uow:
            return uow.load_register()
    finally:
        engine.dispose()


# -- check / verify -------------------------------------------------------------------------
@app.command("check")
def check(
    db: DbOption = DEFAULT_DB,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Check a ledger file directly instead of the database.")
    ] = None,
    income: Annotated[Path | None, typer.Option("--income", help="Income ledger (收益台账) .csv/.xlsx.")] = None,
    as_of: AsOfOption = None,
    policy: PolicyOption = None,
    prefix: Annotated[str | None, typer.Option("--prefix", help="Only this area-code prefix, e.g. 620422.")] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Run the audit catalogue (审计检查); exit 1 when any finding is at error severity."""

    def body() -> None:
        from assetreg.audit import AuditBooks, has_errors, render_csv, render_json, render_table, run_checks  # noqa: PLC0415

        pol = _policy(policy, lang)
        if ledger is not None:
            from assetreg.adapters.ledger.importer import import_ledger  # noqa: PLC0415

            result = import_ledger(ledger, recorded_at=datetime.now(UTC), policy=pol)
            register = result.register
            _emit_issues(result.issues, Format.TABLE if fmt is Format.TABLE else fmt, lang) if fmt is Format.TABLE else None
        else:
            register = _load(db, lang)
        revenue = None
        if income is not None:
            from assetreg.adapters.ledger.records import read_income_ledger  # noqa: PLC0415

            revenue = read_income_ledger(income).entries
        books = AuditBooks(register=register, revenue=revenue)
        findings = run_checks(books, as_of=_as_of(as_of, lang), policy=pol, prefix=prefix)
        if fmt is Format.JSON:
            sys.stdout.write(render_json(findings) + "\n")
        elif fmt is Format.CSV:
            sys.stdout.write(render_csv(findings))
        else:
            _console.print(render_table(findings, lang=lang.value), markup=False)
        if has_errors(findings):
            raise _Fail(1)

    _run(body)


@app.command("verify")
def verify(db: DbOption = DEFAULT_DB, lang: LangOption = Lang.ZH) -> None:
    """Verify the hash chain of every county's event history (防篡改校验); exit 1 on any break."""

    def body() -> None:
        from assetreg.adapters.sql import create_engine_for, verify_chains  # noqa: PLC0415

        if "://" not in db and not Path(db).is_file():
            raise _fail(f"no database at {db}", f"{db} 处没有数据库", lang)
        engine = create_engine_for(db)
        try:
            reports = verify_chains(engine)
        finally:
            engine.dispose()
        findings = [f for report in reports for f in report.to_findings()]
        for finding in findings:  # "event history of county 620422: edited at position 4 [event id]"
            _console.print(f"{finding.message(lang.value)} [{finding.subject}]", markup=False)
        if findings:
            raise _Fail(1)
        events = sum(r.length for r in reports)
        _console.print(
            f"hash chains intact: {len(reports)} counties, {events} events"
            if lang is Lang.EN
            else f"哈希链完整，未发现篡改：{len(reports)} 个县，{events} 个事件",
            markup=False,
        )

    _run(body)


# -- allocate / notice ----------------------------------------------------------------------
def _notice(
    db: str, asset: str, plan: str, income: Path, roster: Path | None, policy: str | None, lang: Lang
) -> Any:
    from assetreg.adapters.jobs import allocate_asset_income  # noqa: PLC0415
    from assetreg.adapters.ledger.records import Roster, read_income_ledger, read_roster  # noqa: PLC0415

    register = _load(db, lang)
    people = read_roster(roster) if roster is not None else Roster(households=(), issues=())
    return allocate_asset_income(
        register, read_income_ledger(income), people, _policy(policy, lang), asset_id=asset, plan=plan
    )


AssetOption = Annotated[str, typer.Option("--asset", help="Asset code (资产编号).")]
PlanOption = Annotated[str, typer.Option("--plan", help="Plan preset: pv-45-55, pv-80-gross, pv-60-net, pv-80-20, coop-55-30-15, posts-500-12, saga-2022-tiers.")]
IncomeOption = Annotated[Path, typer.Option("--income", help="Income ledger (收益台账) .csv/.xlsx.")]
RosterOption = Annotated[Path | None, typer.Option("--roster", help="Household roster (受益农户名单) .csv/.xlsx.")]


@app.command("allocate")
def allocate(
    asset: AssetOption,
    plan: PlanOption,
    income: IncomeOption,
    roster: RosterOption = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Allocate one asset's income for its period under a plan; print every line with tier, base and rate."""

    def body() -> None:
        notice = _notice(db, asset, plan, income, roster, policy, lang)
        rows = [r for a in notice.allocations for r in a.as_records()]
        _emit(rows, fmt, title=f"{notice.asset_name} {notice.period}")

    _run(body)


@app.command("notice")
def notice(
    asset: AssetOption,
    plan: PlanOption,
    income: IncomeOption,
    roster: RosterOption = None,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the notice table to .xlsx or .csv.")] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Print the public-notice table (公示表) of an allocation; totals reconcile to the fen."""

    def body() -> None:
        result = _notice(db, asset, plan, income, roster, policy, lang)
        _print_notice(result, fmt, lang)
        if out is not None:
            from assetreg.adapters.ledger.notice_writer import write_notice  # noqa: PLC0415

            write_notice(result, out)

    _run(body)


def _print_notice(result: Any, fmt: Format, lang: Lang) -> None:
    rows = result.rows()
    if fmt is not Format.TABLE:
        _emit(rows, fmt)
        return
    zh = lang is Lang.ZH
    income = result.income
    head = (
        f"{result.asset_name}（{result.asset_id}）收益分配公示\n"
        f"收益期间 {result.period.start} 至 {result.period.last}；收益 {income.gross.format_yuan(grouping=True)} 元，"
        f"扣除 {income.total_deducted.format_yuan(grouping=True)} 元，可分配 {income.net.format_yuan(grouping=True)} 元\n"
        f"公示期 {result.posted_on} 至 {result.closes_on}；方案 {result.plan}"
        if zh
        else f"{result.asset_name} ({result.asset_id}) income distribution notice\n"
        f"period {result.period}; income {income.gross.format_yuan(grouping=True)} yuan, deducted "
        f"{income.total_deducted.format_yuan(grouping=True)}, distributable {income.net.format_yuan(grouping=True)}\n"
        f"posted {result.posted_on}, closes {result.closes_on}; plan {result.plan}"
    )
    _console.print(head, markup=False)
    table = Table(show_footer=True)
    columns = ("序号", "受益对象", "类型", "金额(元)", "依据") if zh else ("#", "payee", "kind", "amount (yuan)", "basis")
    total = result.total.format_yuan(grouping=True)
    for index, title in enumerate(columns):
        footer = ("合计" if zh else "total") if index == 1 else (total if index == 3 else "")
        table.add_column(title, footer=footer, justify="right" if index in {0, 3} else "left", overflow="fold")
    for row in rows:
        table.add_row(str(row["序号"]), str(row["对象"]), str(row["类型"]), f"{row['金额(元)']:,.2f}", str(row["依据"]))
    _console.print(table)
    ok = result.reconciles
    _console.print(
        ("核对：分配合计 = 可分配收益，分毫不差" if ok else "核对失败：分配合计与可分配收益不符")
        if zh
        else ("reconciled: lines add up to the distributable income to the fen" if ok else "NOT reconciled"),
        markup=False,
    )
    if income.not_deducted:
        for item in income.not_deducted:
            _console.print(
                f"未扣除：{item.kind.value} {item.amount.format_yuan()} 元（{item.note}）" if zh
                else f"not deducted: {item.kind.value} {item.amount.format_yuan()} ({item.note})",
                markup=False,
            )


# -- demo -----------------------------------------------------------------------------------
@app.command("demo")
def demo(
    db: Annotated[
        str | None, typer.Option("--db", help="Keep the demo database here (default: a temporary SQLite file).")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """Run the main job on the bundled real sample: import, audit, allocate, print the notice (演示)."""

    def body() -> None:
        from assetreg.adapters.demo import DEMO_AS_OF, run_demo  # noqa: PLC0415
        from assetreg.audit import render_table  # noqa: PLC0415

        result = run_demo(db)
        zh = lang is Lang.ZH
        imported = result.imported
        _console.print(
            (f"导入台账：{len(result.register)} 项资产入库，{len(imported.rejected)} 行被拒绝（见下表原因）；"
             f"受益农户 {len(result.roster.households)} 户；收益记录 {len(result.income.entries)} 条")
            if zh
            else (f"ledger imported: {len(result.register)} assets stored, {len(imported.rejected)} rows rejected "
                  f"(reasons below); {len(result.roster.households)} households; {len(result.income.entries)} income entries"),
            markup=False,
        )
        _emit_issues(result.issues, Format.TABLE, lang)
        _console.print(
            f"审计检查（截至 {DEMO_AS_OF}，政策 {result.policy.name}，{len(result.findings)} 条发现）："
            if zh
            else f"audit as of {DEMO_AS_OF} under {result.policy.name} ({len(result.findings)} findings):",
            markup=False,
        )
        if fmt is Format.TABLE:
            _console.print(render_table(result.findings, lang=lang.value), markup=False)
        for item in result.notices:
            _console.print("", markup=False)
            _print_notice(item, fmt, lang)
        if not all(item.reconciles for item in result.notices):
            raise _Fail(1)

    _run(body)


# -- db -------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(db: DbOption = DEFAULT_DB, revision: str = "head") -> None:
    """Create or migrate the database schema to the newest revision (Alembic)."""

    def body() -> None:
        from assetreg.adapters.sql import current_revision, upgrade  # noqa: PLC0415

        upgrade(db, revision)
        _console.print(f"database at revision {current_revision(db)}", markup=False)

    _run(body)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``assetreg`` command; returns the exit code."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="assetreg", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int | None) else 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
