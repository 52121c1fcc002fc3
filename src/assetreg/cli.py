"""The ``assetreg`` command (命令行): a thin layer over the public API.

Commands: ``import``, ``export``, ``check``, ``verify``, ``allocate``, ``notice``, ``demo``
and ``db upgrade``. Exit codes: 0 clean; 1 findings (or rejected rows) at error severity;
2 bad usage or unreadable input. ``--lang zh`` (the default, or ``ASSETREG_LANG``) prints
Chinese messages and headers; ``--db`` defaults to ``assetreg.sqlite`` or ``ASSETREG_DB``.

Data goes to standard output (``--format table|json|csv``); progress and status lines go
to standard error, so ``--format json`` output can be piped. Errors never print a Python
traceback unless ``assetreg --debug`` (or ``ASSETREG_DEBUG=1``) asks for one. Resident ids
(公民身份号码) are never printed in full. See ``docs/cli.md``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from assetreg.errors import AssetRegError

try:  # Typer 0.2x vendors its own copy of Click; older Typer uses Click itself
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as _cx  # type: ignore[no-redef]

__all__ = ["DEFAULT_DB", "app", "main"]

DEFAULT_DB = "assetreg.sqlite"
"""The database used when neither ``--db`` nor ``ASSETREG_DB`` is given (a SQLite file)."""


class Lang(StrEnum):
    """Message languages."""

    ZH = "zh"
    EN = "en"


class Format(StrEnum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# -- usage errors and the exit-code contract ------------------------------------------------
def _lang_of(argv: Sequence[str]) -> Lang:
    """The language asked for on the command line (or ``ASSETREG_LANG``), for usage errors."""
    value = os.environ.get("ASSETREG_LANG", "zh")
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
    return Lang.EN if value.strip().lower() == "en" else Lang.ZH


def _param_name(param: Any, hint: object = None) -> str:
    if isinstance(hint, str) and hint:
        return hint
    if param is None:
        return "?"
    if getattr(param, "param_type_name", "") == "option":
        return " / ".join(param.opts)
    return str(param.name or "?").upper()


def _usage_text(exc: _cx.UsageError, lang: Lang) -> str:
    """A usage error in one language, with a pointer to ``--help``."""
    zh = lang is Lang.ZH
    if isinstance(exc, _cx.NoSuchOption):
        text = f"没有这个选项：{exc.option_name}" if zh else f"no such option: {exc.option_name}"
        if exc.possibilities:
            maybe = ", ".join(sorted(exc.possibilities))
            text += f"（是否想用 {maybe}？）" if zh else f" (did you mean {maybe}?)"
    elif isinstance(exc, _cx.MissingParameter):
        name = _param_name(exc.param, exc.param_hint)
        text = f"缺少必填项 {name}" if zh else f"missing {name}"
    elif isinstance(exc, _cx.BadParameter):
        name = _param_name(exc.param, exc.param_hint)
        message = exc.message.removeprefix("Value error, ")
        text = f"{name} 的值无效：{message}" if zh else f"invalid value for {name}: {message}"
    else:
        text = f"用法错误：{exc.message}" if zh else f"usage error: {exc.message}"
    command = exc.ctx.command_path if exc.ctx is not None else "assetreg"
    hint = f"运行 `{command} --help` 查看用法。" if zh else f"Run `{command} --help` for usage."
    return f"{text}\n{hint}"


class _Group(TyperGroup):
    """The top-level group: usage errors in the chosen language, exit codes 0/1/2 kept."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        code: int
        try:
            result = super().main(
                args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
        except _cx.NoArgsIsHelpError as exc:
            exc.show()
            code = 0
        except _cx.UsageError as exc:
            _errors.print(_usage_text(exc, _lang_of(argv)), markup=False, highlight=False)
            code = 2
        except _cx.ClickException as exc:
            _errors.print(exc.format_message(), markup=False, highlight=False)
            code = exc.exit_code
        except typer.Abort:
            _errors.print("已中止 / aborted", markup=False)
            code = 1
        else:
            code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="assetreg",
    cls=_Group,
    help=(
        "扶贫项目资产登记 assetreg — register poverty-alleviation project assets.\n\n"
        "导入台账、按政策检查、分配收益并打印公示表。 "
        "Import county ledgers (台账), check them against policy, allocate income and print "
        "the public notice (公示).\n\n"
        "退出码 Exit codes: 0 正常 clean; 1 发现错误级问题 findings at error severity; "
        "2 用法错误或无法读取输入 bad usage or unreadable input.\n\n"
        "先试 Try first: assetreg demo"
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(
    help="数据库维护 Database maintenance.",
    short_help="数据库维护 Database maintenance.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")

_DEBUG = {"on": False}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            number = version("assetreg")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            number = "unknown"
        typer.echo(f"assetreg {number}")
        raise typer.Exit


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="ASSETREG_DEBUG", help="出错时显示完整堆栈 Show the full traceback on errors."),
    ] = False,
    _show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本 Show the version and exit."),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="语言 Language for every command: zh or en (same as the command's own --lang).",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """扶贫项目资产登记 assetreg."""
    _DEBUG["on"] = debug
    if lang is not None:
        if lang.lower() not in {"zh", "en"}:
            raise typer.BadParameter("zh 或 en / zh or en", param_hint="--lang")
        # every command below takes this as its --lang default (an explicit one still wins)
        ctx.default_map = _lang_defaults(ctx.command, lang.lower())


def _lang_defaults(command: Any, lang: str) -> dict[str, Any]:
    """A Click ``default_map`` giving ``lang`` to every (sub)command that has ``--lang``."""
    out: dict[str, Any] = {}
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "commands", None):
            out[name] = _lang_defaults(sub, lang)
        elif any(getattr(param, "name", None) == "lang" for param in sub.params):
            out[name] = {"lang": lang}
    return out


DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="ASSETREG_DB",
        help="数据库：SQLite 文件路径或 SQLAlchemy URL。 Database: a SQLite file or a SQLAlchemy URL.",
        show_default=True,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="输出格式 Output format: table, json, csv.", case_sensitive=False),
]
LangOption = Annotated[
    Lang,
    typer.Option("--lang", envvar="ASSETREG_LANG", help="语言 Language: zh (中文) or en.", case_sensitive=False),
]
PolicyOption = Annotated[
    str | None,
    typer.Option(
        "--policy",
        help=(
            "政策：预置名称或 .toml/.json 文件，默认 national-2021。 "
            "Policy: a preset (national-2021, gansu-county-2013, guangxi-2016) or a .toml/.json file."
        ),
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="截至日期 YYYY-MM-DD，默认今天（北京时间）。 Date YYYY-MM-DD, default today (Beijing)."
    ),
]

# Notice tables are wide; when the output is not a terminal (a pipe, a file, CI) Rich would
# wrap at 80 columns, so give it room.
_console = Console(width=None if sys.stdout.isatty() else 160, highlight=False)
_errors = Console(stderr=True, soft_wrap=True, highlight=False)


class _Fail(Exception):
    """Stop a command with an exit code (the message was already printed)."""

    def __init__(self, code: int) -> None:
        self.code = code


def _fail(message_en: str, message_zh: str, lang: Lang, code: int = 2) -> _Fail:
    _errors.print(message_zh if lang is Lang.ZH else message_en, markup=False)
    return _Fail(code)


def _say(message_en: str, message_zh: str, lang: Lang) -> None:
    """A status line on standard error (keeps standard output for data)."""
    _errors.print(message_zh if lang is Lang.ZH else message_en, markup=False)


def _error(exc: AssetRegError, lang: Lang) -> _Fail:
    text = f"{exc.code} {_mask_ids(exc.message(lang.value))}"
    where = [f"{k}={v}" for k, v in (("record", exc.record), ("row", exc.row), ("field", exc.field)) if v is not None]
    if where:
        text += " [" + ", ".join(_mask_ids(str(w)) for w in where) + "]"
    return _fail(text, text, lang)


def _run(func: Callable[[], None], lang: Lang = Lang.EN) -> None:
    """Run a command body; turn every error into a message and an exit code (never a traceback)."""
    try:
        func()
    except _Fail as fail:
        raise typer.Exit(fail.code) from None
    except AssetRegError as exc:
        _error(exc, lang)
        raise typer.Exit(2) from None
    except (typer.Exit, _cx.ClickException, typer.Abort):
        raise
    except Exception as exc:
        if _DEBUG["on"]:
            raise
        from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

        if isinstance(exc, SQLAlchemyError):
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            _say(f"database error: {detail}", f"数据库错误：{detail}", lang)
        elif isinstance(exc, OSError):
            _say(f"cannot read or write a file: {exc}", f"无法读写文件：{exc}", lang)
        else:
            detail = _mask_ids(str(exc).splitlines()[0] if str(exc) else "")
            _say(
                f"unexpected error: {type(exc).__name__}: {detail} (run `assetreg --debug ...` for details)",
                f"意外错误：{type(exc).__name__}: {detail}（用 `assetreg --debug ...` 查看详情）",
                lang,
            )
        raise typer.Exit(2) from None


# -- values ---------------------------------------------------------------------------------
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def _mask_ids(text: str) -> str:
    """Mask anything shaped like an 18-character resident id (its birth date a real date)."""

    def mask(match: re.Match[str]) -> str:
        born = match.group(2)
        try:
            date(int(born[:4]), int(born[4:6]), int(born[6:]))
        except ValueError:
            return match.group(0)
        return f"{match.group(1)}********{match.group(3)[-4:]}"

    return _RESIDENT_ID.sub(mask, text)


def _today() -> date:
    """Today in Asia/Shanghai (the CLI is the edge: it may read the clock)."""
    from assetreg.domain.periods import to_shanghai  # noqa: PLC0415

    return to_shanghai(datetime.now(UTC)).date()


def _as_of(value: str | None, lang: Lang) -> date:
    if value is None:
        return _today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(
            f"--as-of {value!r} is not a date YYYY-MM-DD", f"--as-of {value!r} 不是日期（格式 YYYY-MM-DD）", lang
        ) from None


def _recorded_at(value: str | None, lang: Lang) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise _fail(
            f"--recorded-at {value!r} is not a date-time with a time zone (2024-12-31T09:00:00+08:00)",
            f"--recorded-at {value!r} 不是带时区的时间（如 2024-12-31T09:00:00+08:00）",
            lang,
        )
    return instant


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


def _existing(path: Path, what_en: str, what_zh: str, lang: Lang) -> Path:
    if not path.is_file():
        raise _fail(f"{what_en}: no such file: {path}", f"{what_zh}：找不到文件 {path}", lang)
    return path


def _plain(value: Any) -> Any:
    """A JSON/CSV-ready value: exact decimals and fractions as text, never floats."""
    out = value
    if isinstance(value, Decimal | Fraction):
        out = str(value)
    elif isinstance(value, date | datetime):
        out = value.isoformat()
    elif isinstance(value, Enum):
        out = value.value
    elif isinstance(value, str):
        out = _mask_ids(value)
    elif isinstance(value, dict):
        out = {k: _plain(v) for k, v in value.items()}
    elif isinstance(value, list | tuple):
        out = [_plain(v) for v in value]
    return out


def _write_json(document: Any) -> None:
    sys.stdout.write(json.dumps(_plain(document), ensure_ascii=False, indent=2) + "\n")


def _csv_cell(value: Any) -> str:
    from assetreg.adapters.ledger.importer import neutralise  # noqa: PLC0415

    if value is None:
        return ""
    text = str(_plain(value))
    return neutralise(text) if isinstance(value, str) else text  # numbers stay numbers


def _write_csv(rows: Sequence[dict[str, Any]]) -> None:
    headers = list(rows[0]) if rows else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for r in rows:
        writer.writerow([_csv_cell(r[h]) for h in headers])
    sys.stdout.write(buffer.getvalue())


def _table(rows: Sequence[dict[str, Any]], *, title: str | None = None) -> None:
    headers = list(rows[0]) if rows else []
    table = Table(title=title, show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for r in rows:
        table.add_row(*("" if r[h] is None else str(_plain(r[h])) for h in headers))
    _console.print(table)


def _yuan(amount: Any) -> str:
    """``Decimal('30339.00')`` → ``"30,339.00"``."""
    return f"{Decimal(amount):,.2f}"


# -- import / export ------------------------------------------------------------------------
def _issue_rows(issues: Iterable[Any], lang: Lang) -> list[dict[str, Any]]:
    zh = lang is Lang.ZH
    names = (
        ("级别", "工作表", "行", "列", "值", "代码", "原因")
        if zh
        else ("severity", "sheet", "row", "column", "value", "code", "reason")
    )
    levels = {"error": "错误", "warning": "警告", "info": "提示"}
    return [
        dict(
            zip(
                names,
                (
                    levels.get(i.severity.value, i.severity.value) if zh else i.severity.value,
                    i.sheet,
                    i.row,
                    i.column_letter or i.column,
                    _mask_ids(i.value),
                    i.code,
                    i.reason_zh if zh else i.reason_en,
                ),
                strict=True,
            )
        )
        for i in issues
    ]


def _show_issues(issues: Sequence[Any], lang: Lang, *, to_stderr: bool = False) -> None:
    """Print ledger issues as a table (on standard error when standard output carries data)."""
    rows = _issue_rows(issues, lang)
    if not rows:
        return
    title = "台账问题" if lang is Lang.ZH else "ledger issues"
    if to_stderr:
        table = Table(title=title)
        for h in rows[0]:
            table.add_column(h, overflow="fold")
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r.values()))
        _errors.print(table)
    else:
        _table(rows, title=title)


class _progress:  # noqa: N801 - used as a context manager like a function
    """A Rich progress bar on standard error fed by a ``progress(done, total)`` hook."""

    def __init__(self, total: int, label: str) -> None:
        from rich.progress import Progress  # noqa: PLC0415

        self.progress = Progress(console=_errors, transient=True, disable=total < 1000)  # noqa: PLR2004
        self.task = self.progress.add_task(label, total=total)

    def __enter__(self) -> Callable[[int, int], None]:
        self.progress.start()

        def tick(done: int, total: int) -> None:
            self.progress.update(self.task, completed=done, total=total)

        return tick

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


@app.command(
    "import",
    short_help="导入台账 Import a ledger (.xlsx/.csv) into the database.",
)
def import_(  # noqa: PLR0915, PLR0917 - Typer passes options by keyword; one step after another
    ledger: Annotated[Path, typer.Argument(help="台账文件 The ledger, .xlsx or .csv.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help=(
                "被拒绝的行写到这里（.csv），默认为当前目录下的 台账名.rejects.csv。 "
                "Rejected rows go here; default LEDGER.rejects.csv in the current folder."
            ),
        ),
    ] = None,
    policy: PolicyOption = None,
    income: Annotated[
        Path | None,
        typer.Option(
            "--income",
            help=(
                "同时导入收益台账（.csv/.xlsx）的收益记录；扣除项不入库。 Also store the income "
                "ledger's revenue entries (its deductions are not stored)."
            ),
        ),
    ] = None,
    recorded_at: Annotated[
        str | None,
        typer.Option(
            "--recorded-at",
            help=(
                "入库时刻（带时区），默认现在；用于重现导入。 "
                "When the register learns the rows (ISO 8601 with a zone); default now."
            ),
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """导入台账到数据库。 Import a county ledger (台账) into the database.

    Good rows are stored; bad rows are listed with the cell and the reason and written to a
    rejects file to fix and import again. A ledger whose asset codes are already in the
    database is refused as a whole (nothing is written).

    With --income the income ledger's revenue entries (收益记录) are stored right after
    the assets; its problems are listed like the ledger's, and entries for assets that
    are in neither the ledger nor the database are skipped as errors. Deductions it
    claims (扣除项) are not stored: pass --income to allocate/notice to apply them.
    Importing the same income entries again is a no-op; an entry id stored with other
    content is refused.

    Exit 0 when every row was imported, 1 when rows were rejected (or the ledger was
    already imported), 2 when the file cannot be read.

    Example: assetreg import 台账.xlsx --income 收益台账.csv --db county.sqlite
    """

    def body() -> None:  # noqa: PLR0915 - one step after another
        from assetreg.adapters.ledger.importer import import_ledger  # noqa: PLC0415
        from assetreg.adapters.sql import SqlUnitOfWork, bulk_load, create_engine_for, upgrade  # noqa: PLC0415

        _existing(ledger, "ledger", "台账", lang)
        instant = _recorded_at(recorded_at, lang)
        result = import_ledger(ledger, recorded_at=instant, policy=_policy(policy, lang))
        entries, income_issues = _read_income(income, lang)
        engine = create_engine_for(db)
        try:
            upgrade(engine)
            with SqlUnitOfWork(engine) as uow:
                base = uow.load_register()
            clash = sorted(set(result.register.histories) & set(base.histories))
            if clash:
                raise _fail(
                    f"{len(clash)} asset codes are already in the database (e.g. {clash[0]}); "
                    "nothing imported. Was this ledger imported before?",
                    f"{len(clash)} 个资产编号已在库中（如 {clash[0]}），未导入任何数据。这份台账是否已导入过？",
                    lang,
                    code=1,
                )
            known = set(result.register.histories) | set(base.histories)
            income_issues += [_unknown_asset_issue(e, income) for e in entries if e.asset_id not in known]
            entries = [e for e in entries if e.asset_id in known]
            if not base.histories and not base.parties:
                label = "导入" if lang is Lang.ZH else "importing"
                with _progress(len(result.register.histories), label) as tick:
                    bulk_load(engine, result.register, progress=tick)
                with SqlUnitOfWork(engine) as uow:  # right after the bulk load, which commits on its own
                    stored_entries = uow.revenue.add(entries)
                    uow.commit()
            else:
                with SqlUnitOfWork(engine) as uow:  # one transaction for assets and revenue
                    uow.save_register(result.register)
                    stored_entries = uow.revenue.add(entries)
                    uow.commit()
        finally:
            engine.dispose()
        issues = [*result.issues, *income_issues]
        income_errors = any(i.is_error for i in income_issues)
        target = None
        if result.rejected:
            target = rejects or Path.cwd() / f"{ledger.stem}.rejects.csv"  # never inside a package or a read-only share
            result.write_rejects(target)
        if fmt is Format.JSON:
            _write_json(
                {
                    "schema": "assetreg/import",
                    "version": 1,
                    "file": str(ledger),
                    "database": db,
                    "imported_assets": len(result.register),
                    "rejected_rows": len(result.rejected),
                    "rejects_file": None if target is None else str(target),
                    "income_file": None if income is None else str(income),
                    "imported_revenue_entries": stored_entries,
                    "issues": [i.as_dict() for i in issues],
                }
            )
        elif fmt is Format.CSV:
            _write_csv(_issue_rows(issues, lang))
        else:
            _show_issues(issues, lang)
        _say(
            f"imported {len(result.register)} assets into {db}",
            f"已导入 {len(result.register)} 项资产到 {db}",
            lang,
        )
        if income is not None:
            _say(
                f"stored {stored_entries} new revenue entries from {income} (deductions are not stored)",
                f"已从 {income} 存入 {stored_entries} 条新收益记录（扣除项不入库）",
                lang,
            )
        if target is not None:
            _say(
                f"{len(result.rejected)} rows rejected, written with the reasons to {target}",
                f"{len(result.rejected)} 行被拒绝，连同原因写入 {target}",
                lang,
            )
        if not result.ok or income_errors:
            raise _Fail(1)

    _run(body, lang)


def _read_income(income: Path | None, lang: Lang) -> tuple[list[Any], list[Any]]:
    """The revenue entries and issues of the income ledger ``income`` (none without one)."""
    if income is None:
        return [], []
    from assetreg.adapters.ledger.records import read_income_ledger  # noqa: PLC0415

    income_ledger = read_income_ledger(_existing(income, "income ledger", "收益台账", lang))
    return list(income_ledger.entries), list(income_ledger.issues)


def _unknown_asset_issue(entry: Any, income: Path | None) -> Any:
    """The ledger issue for an income entry booked to an asset neither imported nor stored."""
    from assetreg.adapters.ledger.issues import LedgerIssue  # noqa: PLC0415
    from assetreg.errors import UnknownAsset  # noqa: PLC0415

    return LedgerIssue(
        sheet=income.name if income is not None else "",
        row=None,
        column=None,
        field="asset_id",
        value=entry.asset_id,
        code=UnknownAsset.code,
        kind="unknown_asset",
        reason_en=(
            f"revenue entry {entry.id} is booked to asset {entry.asset_id}, which is not in the register; not stored"
        ),
        reason_zh=f"收益记录 {entry.id} 记入的资产 {entry.asset_id} 不在台账中，未入库",
    )


@app.command("export", short_help="导出台账 Export the register as a ledger (.xlsx/.csv).")
def export(
    out: Annotated[Path, typer.Argument(help="导出文件 Target file, .xlsx or .csv.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    as_of: AsOfOption = None,
    reveal_personal_data: Annotated[
        bool,
        typer.Option(
            "--reveal-personal-data",
            help="写出完整身份证号（默认打码）。 Write resident ids in full (default: masked).",
        ),
    ] = False,
    lang: LangOption = Lang.ZH,
) -> None:
    """导出台账（中文表头）。 Export the register as a ledger with Chinese headers.

    One row per asset as it stands on --as-of: owner, custodian and live contract. The file
    imports back to an equal register. Resident ids are masked unless
    --reveal-personal-data is given.

    Example: assetreg export 台账-2024.xlsx --db county.sqlite --as-of 2024-12-31
    """

    def body() -> None:
        from assetreg.adapters.ledger.writer import write_ledger  # noqa: PLC0415

        if out.suffix.lower() not in {".xlsx", ".csv"}:
            raise _fail(
                f"cannot export to {out.name}: use a .xlsx or .csv file name",
                f"不能导出为 {out.name}：请使用 .xlsx 或 .csv 文件名",
                lang,
            )
        day = _as_of(as_of, lang)
        register = _load(db, lang)
        write_ledger(register, out, as_of=day, reveal_personal_data=reveal_personal_data)
        _say(f"wrote {len(register)} assets to {out}", f"已导出 {len(register)} 项资产到 {out}", lang)

    _run(body, lang)


def _load(db: str, lang: Lang) -> Any:
    """The register stored in ``db``."""
    return _load_books(db, lang, revenue=False)[0]


def _load_books(db: str, lang: Lang, *, revenue: bool = True) -> tuple[Any, tuple[Any, ...]]:
    """The register stored in ``db`` and (with ``revenue``) its stored revenue entries, in one read."""
    from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, current_revision  # noqa: PLC0415

    if "://" not in db and not Path(db).is_file():
        raise _fail(
            f"no database at {db}; run `assetreg import LEDGER --db {db}` first",
            f"{db} 处没有数据库，请先运行 assetreg import 台账文件 --db {db}",
            lang,
        )
    engine = create_engine_for(db)
    try:
        if current_revision(engine) is None:
            raise _fail(
                f"{db} is not an assetreg database (no schema); run `assetreg db upgrade --db {db}` or import a ledger",
                f"{db} 不是 assetreg 数据库（没有表结构），请运行 assetreg db upgrade --db {db} 或先导入台账",
                lang,
            )
        with SqlUnitOfWork(engine) as uow:
            register = uow.load_register()
            entries = tuple(uow.revenue.list()) if revenue else ()
            return register, entries
    finally:
        engine.dispose()


# -- check / verify -------------------------------------------------------------------------
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
    else from the entries stored in the database (``import --income``). Prints one line per finding with
    its code, subject, rule and message.

    Exit 0 when no finding is at error severity, 1 when any is (or --ledger has rejected
    rows), 2 when input cannot be read.

    Example: assetreg check --db county.sqlite --as-of 2024-12-31 --format json
    """

    def body() -> None:
        from assetreg.audit import AuditBooks, has_errors, render_csv, render_json, render_table, run_checks  # noqa: PLC0415

        pol = _policy(policy, lang)
        day = _as_of(as_of, lang)
        ledger_errors = False
        stored: tuple[Any, ...] = ()
        if ledger is not None:
            from assetreg.adapters.ledger.importer import import_ledger  # noqa: PLC0415

            _existing(ledger, "ledger", "台账", lang)
            result = import_ledger(ledger, recorded_at=datetime.now(UTC), policy=pol, effective=day)
            register = result.register
            ledger_errors = not result.ok
            _show_issues(result.issues, lang, to_stderr=fmt is not Format.TABLE)
        else:
            register, stored = _load_books(db, lang, revenue=income is None)
        revenue = stored or None  # revenue checks run only when some revenue is known
        if income is not None:
            from assetreg.adapters.ledger.records import read_income_ledger  # noqa: PLC0415

            income_ledger = read_income_ledger(_existing(income, "income ledger", "收益台账", lang))
            _show_issues(income_ledger.issues, lang, to_stderr=fmt is not Format.TABLE)
            ledger_errors = ledger_errors or any(i.is_error for i in income_ledger.issues)
            revenue = income_ledger.entries
        books = AuditBooks(register=register, revenue=revenue)
        findings = run_checks(books, as_of=day, policy=pol, prefix=prefix)
        if fmt is Format.JSON:
            sys.stdout.write(_mask_ids(render_json(findings, as_of=day, policy=pol.name)))
        elif fmt is Format.CSV:
            sys.stdout.write(_mask_ids(render_csv(findings)))
        else:
            _console.print(_mask_ids(render_table(findings, lang=lang.value)), markup=False)
        if has_errors(findings) or ledger_errors:
            raise _Fail(1)

    _run(body, lang)


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
def _notice(  # noqa: PLR0917 - one call site
    db: str, asset: str, plan: str, income: Path | None, roster: Path | None, policy: str | None, lang: Lang
) -> Any:
    from assetreg.adapters.jobs import PLAN_PRESETS, allocate_asset_income  # noqa: PLC0415
    from assetreg.adapters.ledger.records import IncomeLedger, Roster, read_income_ledger, read_roster  # noqa: PLC0415

    if plan not in PLAN_PRESETS:
        raise _fail(
            f"unknown plan {plan!r}; choose one of: {', '.join(PLAN_PRESETS)}",
            f"未知的分配方案 {plan!r}，可选：{'、'.join(PLAN_PRESETS)}",
            lang,
        )
    pol = _policy(policy, lang)
    if income is not None:
        income_ledger = read_income_ledger(_existing(income, "income ledger", "收益台账", lang))
    people = (
        read_roster(_existing(roster, "roster", "受益农户名单", lang))
        if roster is not None
        else Roster(households=(), issues=())
    )
    register, stored = _load_books(db, lang, revenue=income is None)
    if income is None:
        # stored revenue only: deductions are not persisted, so none are applied
        income_ledger = IncomeLedger(entries=tuple(e for e in stored if e.asset_id == asset), deductions=(), issues=())
        _say(
            "income from the database (no --income): deductions are not stored, so none are applied",
            "收益取自数据库（未给 --income）：扣除项不入库，因此未作扣除",
            lang,
        )
    _show_issues(income_ledger.issues + people.issues, lang, to_stderr=True)
    return allocate_asset_income(register, income_ledger, people, pol, asset_id=asset, plan=plan)


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
            "收益台账（.csv/.xlsx）；不给时使用库中已存的收益记录，但扣除项不入库、不作扣除。 "
            "Income ledger; without it the revenue stored in the database is used, with no "
            "deductions (deductions are not stored)."
        ),
    ),
]
RosterOption = Annotated[Path | None, typer.Option("--roster", help="受益农户名单 Household roster, .csv or .xlsx.")]


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
        result = _notice(db, asset, plan, income, roster, policy, lang)
        records = [r for a in result.allocations for r in a.as_records()]
        if fmt is Format.JSON:
            _write_json(
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
            _write_csv(records)
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
                        _kind_label(r["beneficiary_kind"], lang),
                        _yuan(r["amount_yuan"]),
                        r["basis"],
                    ),
                    strict=True,
                )
            )
            for n, r in enumerate(records, start=1)
        ]
        period = f"{result.period.start} {'至' if zh else 'to'} {result.period.last}"
        _table(rows, title=f"{result.asset_name}（{result.asset_id}）{period} {result.plan}")
        _reconciled(result, lang)

    _run(body, lang)


def _kind_label(kind: str, lang: Lang) -> str:
    from assetreg.income import BeneficiaryKind  # noqa: PLC0415

    try:
        return BeneficiaryKind(kind).label_zh if lang is Lang.ZH else kind
    except ValueError:
        return kind


_DEDUCTION_ZH = {
    "land_rent": "土地租金",
    "taxes": "税费",
    "insurance": "保险",
    "om": "运维费",
    "upkeep": "管护费",
    "management_fee": "管理费",
    "other": "其他",
}


def _reconciled(result: Any, lang: Lang) -> None:
    ok = result.reconciles
    total = result.total.format_yuan(grouping=True)
    net = result.income.net.format_yuan(grouping=True)
    _console.print(
        (
            f"核对：分配合计 {total} 元 = 可分配收益 {net} 元，分毫不差"
            if ok
            else f"核对失败：分配合计 {total} 元 ≠ 可分配收益 {net} 元"
        )
        if lang is Lang.ZH
        else (
            f"reconciled: lines total {total} = distributable income {net} yuan, to the fen"
            if ok
            else f"NOT reconciled: lines total {total} != distributable income {net} yuan"
        ),
        markup=False,
    )


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
            raise _fail(
                f"cannot write the notice to {out.name}: use a .xlsx or .csv file name",
                f"公示表不能写成 {out.name}：请使用 .xlsx 或 .csv 文件名",
                lang,
            )
        result = _notice(db, asset, plan, income, roster, policy, lang)
        if fmt is Format.JSON:
            _write_json(_notice_document(result))
        elif fmt is Format.CSV:
            _write_csv(result.rows())
        else:
            _print_notice(result, lang)
        if out is not None:
            from assetreg.adapters.ledger.notice_writer import write_notice  # noqa: PLC0415

            write_notice(result, out)
            _say(f"wrote the notice to {out}", f"公示表已写入 {out}", lang)
        if not result.reconciles:
            raise _Fail(1)

    _run(body, lang)


def _notice_document(result: Any) -> dict[str, Any]:
    income = result.income
    return {
        "schema": "assetreg/notice",
        "version": 1,
        "asset_id": result.asset_id,
        "asset_name": result.asset_name,
        "plan": result.plan,
        "source": result.source,
        "period_start": result.period.start,
        "period_last": result.period.last,
        "gross_yuan": income.gross.yuan_decimal,
        "deducted_yuan": income.total_deducted.yuan_decimal,
        "distributable_yuan": income.net.yuan_decimal,
        "total_yuan": result.total.yuan_decimal,
        "reconciles": result.reconciles,
        "posted_on": result.posted_on,
        "closes_on": result.closes_on,
        "not_deducted": [
            {"kind": d.kind.value, "amount_yuan": d.amount.yuan_decimal, "note": d.note} for d in income.not_deducted
        ],
        "rows": result.rows(),
    }


def _print_notice(result: Any, lang: Lang) -> None:
    rows = result.rows()
    zh = lang is Lang.ZH
    income = result.income
    head = (
        f"{result.asset_name}（{result.asset_id}）收益分配公示\n"
        f"收益期间 {result.period.start} 至 {result.period.last}；收益 {income.gross.format_yuan(grouping=True)} 元，"
        f"扣除 {income.total_deducted.format_yuan(grouping=True)} 元，"
        f"可分配 {income.net.format_yuan(grouping=True)} 元\n"
        f"公示期 {result.posted_on} 至 {result.closes_on}；方案 {result.plan}"
        if zh
        else f"{result.asset_name} ({result.asset_id}) income distribution notice\n"
        f"period {result.period.start} to {result.period.last}; income {income.gross.format_yuan(grouping=True)} yuan, "
        f"deducted {income.total_deducted.format_yuan(grouping=True)}, "
        f"distributable {income.net.format_yuan(grouping=True)}\n"
        f"posted {result.posted_on}, closes {result.closes_on}; plan {result.plan}"
    )
    _console.print(_mask_ids(head), markup=False)
    table = Table(show_footer=True)
    columns = (
        ("序号", "受益对象", "类型", "金额(元)", "依据") if zh else ("#", "payee", "kind", "amount (yuan)", "basis")
    )
    total = result.total.format_yuan(grouping=True)
    for index, title in enumerate(columns):
        footer = ("合计" if zh else "total") if index == 1 else (total if index == 3 else "")  # noqa: PLR2004
        table.add_column(title, footer=footer, justify="right" if index in {0, 3} else "left", overflow="fold")
    for row in rows:
        table.add_row(
            str(row["序号"]),
            _mask_ids(str(row["对象"])),
            str(row["类型"]),
            _yuan(row["金额(元)"]),
            _mask_ids(str(row["依据"])),
        )
    _console.print(table)
    _reconciled(result, lang)
    for item in income.not_deducted:
        kind = item.kind.value
        _console.print(
            f"未扣除：{_DEDUCTION_ZH.get(kind, kind)} {item.amount.format_yuan(grouping=True)} 元（{item.note}）"
            if zh
            else f"not deducted: {kind} {item.amount.format_yuan(grouping=True)} yuan ({item.note})",
            markup=False,
        )


# -- demo -----------------------------------------------------------------------------------
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

    Imports the sample ledger (two bad rows are rejected with reasons), stores it in a
    SQLite database, runs the audit, allocates two incomes (灵台 PV station 45/55, 肃州
    cooperative 55/30/15) and prints the public-notice tables, each reconciled to the fen.

    Example: assetreg demo --lang en
    """

    def body() -> None:
        from assetreg.adapters.demo import DEMO_AS_OF, run_demo  # noqa: PLC0415
        from assetreg.audit import render_table, summary  # noqa: PLC0415

        result = run_demo(db)
        zh = lang is Lang.ZH
        imported = result.imported
        if fmt is Format.JSON:
            _write_json(
                {
                    "schema": "assetreg/demo",
                    "version": 1,
                    "imported_assets": len(result.register),
                    "rejected_rows": len(imported.rejected),
                    "households": len(result.roster.households),
                    "income_entries": len(result.income.entries),
                    "as_of": DEMO_AS_OF,
                    "policy": result.policy.name,
                    "findings": summary(result.findings),
                    "notices": [_notice_document(n) for n in result.notices],
                }
            )
        elif fmt is Format.CSV:
            _write_csv([row for n in result.notices for row in n.rows()])
        else:
            households = len(result.roster.households)
            working = sum(1 for m in result.roster.households if m.days_worked)
            _console.print(
                (
                    f"导入台账：{len(result.register)} 项资产入库，{len(imported.rejected)} 行被拒绝（见下表原因）；"
                    f"受益农户 {households} 户（其中 {working} 户参加公益劳动，按劳分配只分给这些农户）；"
                    f"收益记录 {len(result.income.entries)} 条"
                )
                if zh
                else (
                    f"ledger imported: {len(result.register)} assets stored, {len(imported.rejected)} rows rejected "
                    f"(reasons below); {households} households ({working} did public labour and share the "
                    f"by-labour part); {len(result.income.entries)} income entries"
                ),
                markup=False,
            )
            _show_issues(result.issues, lang)
            _console.print(
                f"审计检查（截至 {DEMO_AS_OF}，政策 {result.policy.name}，{len(result.findings)} 条发现）："
                if zh
                else f"audit as of {DEMO_AS_OF} under {result.policy.name} ({len(result.findings)} findings):",
                markup=False,
            )
            _console.print(_mask_ids(render_table(result.findings, lang=lang.value)), markup=False)
            for item in result.notices:
                _console.print("", markup=False)
                _print_notice(item, lang)
        if not all(item.reconciles for item in result.notices):
            raise _Fail(1)

    _run(body, lang)


# -- db -------------------------------------------------------------------------------------
@db_app.command("upgrade", short_help="建立或升级数据库结构 Create or migrate the database schema.")
def db_upgrade(
    db: DbOption = DEFAULT_DB,
    revision: Annotated[
        str, typer.Option("--revision", help="目标版本，默认最新。 Target schema revision (default: the newest).")
    ] = "head",
    lang: LangOption = Lang.ZH,
) -> None:
    """建立或升级数据库结构。 Create or migrate the database schema to the newest revision.

    Safe to run again: an up-to-date database is left as it is.

    Example: assetreg db upgrade --db county.sqlite
    """

    def body() -> None:
        from assetreg.adapters.sql import current_revision, upgrade  # noqa: PLC0415

        before = current_revision(db)
        upgrade(db, revision)
        after = current_revision(db)
        if before == after:
            _say(f"database {db} already at revision {after}", f"数据库 {db} 已是版本 {after}，无需升级", lang)
        else:
            _say(
                f"database {db} upgraded from {before or '(empty)'} to revision {after}",
                f"数据库 {db} 已从 {before or '（空库）'} 升级到版本 {after}",
                lang,
            )

    _run(body, lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``assetreg`` command; returns the exit code (0, 1 or 2)."""
    result = app(args=list(argv) if argv is not None else None, prog_name="assetreg", standalone_mode=False)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
