"""The root of the ``assetreg`` command: options, the exit-code contract and error handling.

Exit codes: 0 clean; 1 findings (or rejected rows) at error severity; 2 bad usage or
unreadable input. Usage errors are printed in the language asked for; errors never print a
Python traceback unless ``assetreg --debug`` (or ``ASSETREG_DEBUG=1``) asks for one.
Everything a command needs besides its service — parsing dates, instants and policies,
opening the database — is here; rendering is in :mod:`assetreg.cli.render`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

try:  # Typer 0.2x vendors its own copy of Click; older Typer uses Click itself
    from typer import _click as click
except ImportError:  # pragma: no cover - depends on the installed Typer
    import click  # type: ignore[no-redef, import-not-found, unused-ignore]

from assetreg.cli.render import ERRORS, mask_ids
from assetreg.domain.policy import NATIONAL_2021, PRESETS, Policy
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from sqlalchemy import Engine

cx = click.exceptions

__all__ = [
    "DEFAULT_DB",
    "AsOfOption",
    "DbOption",
    "Fail",
    "Format",
    "FormatOption",
    "Lang",
    "LangOption",
    "PolicyOption",
    "app",
    "as_of_date",
    "db_app",
    "existing_file",
    "fail",
    "load_policy",
    "main",
    "open_store",
    "recorded_instant",
    "run",
    "say",
]

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


def _param_name(param: click.Parameter | None, hint: object = None) -> str:
    if isinstance(hint, str) and hint:
        return hint
    if param is None:
        return "?"
    if param.param_type_name == "option":
        return " / ".join(param.opts)
    return str(param.name or "?").upper()


def _usage_text(exc: cx.UsageError, lang: Lang) -> str:
    """A usage error in one language, with a pointer to ``--help``."""
    zh = lang is Lang.ZH
    if isinstance(exc, cx.NoSuchOption):
        text = f"没有这个选项：{exc.option_name}" if zh else f"no such option: {exc.option_name}"
        if exc.possibilities:
            maybe = ", ".join(sorted(exc.possibilities))
            text += f"（是否想用 {maybe}？）" if zh else f" (did you mean {maybe}?)"
    elif isinstance(exc, cx.MissingParameter):
        name = _param_name(exc.param, exc.param_hint)
        text = f"缺少必填项 {name}" if zh else f"missing {name}"
    elif isinstance(exc, cx.BadParameter):
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
        **extra: object,
    ) -> int:
        argv = list(sys.argv[1:] if args is None else args)
        code: int
        try:
            result = super().main(
                args=argv,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,  # type: ignore[arg-type]
            )
        except cx.NoArgsIsHelpError as exc:
            exc.show()
            code = 0
        except cx.UsageError as exc:
            ERRORS.print(_usage_text(exc, _lang_of(argv)), markup=False, highlight=False)
            code = 2
        except cx.ClickException as exc:
            ERRORS.print(exc.format_message(), markup=False, highlight=False)
            code = exc.exit_code
        except typer.Abort:
            ERRORS.print("已中止 / aborted", markup=False)
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


def _lang_defaults(command: click.Command, lang: str) -> dict[str, object]:
    """A Click ``default_map`` giving ``lang`` to every (sub)command that has ``--lang``."""
    out: dict[str, object] = {}
    commands: Mapping[str, click.Command] = command.commands if isinstance(command, TyperGroup) else {}
    for name, sub in commands.items():
        if isinstance(sub, TyperGroup):
            out[name] = _lang_defaults(sub, lang)
        elif any(param.name == "lang" for param in sub.params):
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


class Fail(Exception):
    """Stop a command with an exit code (the message was already printed)."""

    def __init__(self, code: int) -> None:
        self.code = code


def say(message_en: str, message_zh: str, lang: Lang) -> None:
    """A status line on standard error (keeps standard output for data)."""
    ERRORS.print(message_zh if lang is Lang.ZH else message_en, markup=False)


def fail(message_en: str, message_zh: str, lang: Lang, code: int = 2) -> Fail:
    """Print the message and return the :class:`Fail` to raise (exit ``code``)."""
    say(message_en, message_zh, lang)
    return Fail(code)


def _error(exc: AssetRegError, lang: Lang, code: int) -> Fail:
    text = f"{exc.code} {mask_ids(exc.message(lang.value))}"
    where = [f"{k}={v}" for k, v in (("record", exc.record), ("row", exc.row), ("field", exc.field)) if v is not None]
    if where:
        text += " [" + ", ".join(mask_ids(str(w)) for w in where) + "]"
    return fail(text, text, lang, code)


def run(body: Callable[[], None], lang: Lang = Lang.EN, *, exit_codes: Mapping[str, int] | None = None) -> None:
    """Run a command body; turn every error into a message and an exit code (never a traceback).

    Args:
        body: the command's work.
        lang: the language of messages.
        exit_codes: exit codes for error codes other than 2 (``{"AR-205": 1}``).
    """
    try:
        body()
    except Fail as stop:
        raise typer.Exit(stop.code) from None
    except AssetRegError as exc:
        code = (exit_codes or {}).get(exc.code, 2)
        _error(exc, lang, code)
        raise typer.Exit(code) from None
    except (typer.Exit, cx.ClickException, typer.Abort):
        raise
    except Exception as exc:
        if _DEBUG["on"]:
            raise
        from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

        if isinstance(exc, SQLAlchemyError):
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            say(f"database error: {detail}", f"数据库错误：{detail}", lang)
        elif isinstance(exc, OSError):
            say(f"cannot read or write a file: {exc}", f"无法读写文件：{exc}", lang)
        else:
            detail = mask_ids(str(exc).splitlines()[0] if str(exc) else "")
            say(
                f"unexpected error: {type(exc).__name__}: {detail} (run `assetreg --debug ...` for details)",
                f"意外错误：{type(exc).__name__}: {detail}（用 `assetreg --debug ...` 查看详情）",
                lang,
            )
        raise typer.Exit(2) from None


# -- values ---------------------------------------------------------------------------------
def today() -> date:
    """Today in Asia/Shanghai (the CLI is the edge: it may read the clock)."""
    from assetreg.domain.periods import to_shanghai  # noqa: PLC0415

    return to_shanghai(datetime.now(UTC)).date()


def as_of_date(value: str | None, lang: Lang) -> date:
    """``--as-of``: a ``YYYY-MM-DD`` date, today in Beijing when not given."""
    if value is None:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(
            f"--as-of {value!r} is not a date YYYY-MM-DD", f"--as-of {value!r} 不是日期（格式 YYYY-MM-DD）", lang
        ) from None


def recorded_instant(value: str | None, lang: Lang) -> datetime:
    """``--recorded-at``: an ISO 8601 instant with a zone, now when not given."""
    if value is None:
        return datetime.now(UTC)
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise fail(
            f"--recorded-at {value!r} is not a date-time with a time zone (2024-12-31T09:00:00+08:00)",
            f"--recorded-at {value!r} 不是带时区的时间（如 2024-12-31T09:00:00+08:00）",
            lang,
        )
    return instant


def load_policy(value: str | None, lang: Lang) -> Policy:
    """``--policy``: a preset name or a .toml/.json file; ``national-2021`` when not given."""
    if value is None:
        return NATIONAL_2021
    if value in PRESETS:
        return PRESETS[value]
    path = Path(value)
    if not path.is_file():
        raise fail(
            f"policy {value!r} is neither a preset ({', '.join(sorted(PRESETS))}) nor a file",
            f"政策 {value!r} 既不是预置政策（{'、'.join(sorted(PRESETS))}）也不是文件",
            lang,
        )
    text = path.read_text(encoding="utf-8")
    return Policy.from_json(text) if path.suffix.lower() == ".json" else Policy.from_toml(text)


def existing_file(path: Path, what_en: str, what_zh: str, lang: Lang) -> Path:
    """``path`` when it is a file, else a usage failure naming what was expected."""
    if not path.is_file():
        raise fail(f"{what_en}: no such file: {path}", f"{what_zh}：找不到文件 {path}", lang)
    return path


@contextmanager
def open_store(db: str, lang: Lang, *, create: bool = False) -> Iterator[Engine]:
    """An engine on the database ``db``, disposed on exit.

    Args:
        db: a SQLite path or a SQLAlchemy URL.
        lang: the language of messages.
        create: create or migrate the schema (``import``); otherwise the database must
            exist and hold an assetreg schema.
    """
    from assetreg.adapters.sql import create_engine_for, current_revision, upgrade  # noqa: PLC0415

    if not create and "://" not in db and not Path(db).is_file():
        raise fail(
            f"no database at {db}; run `assetreg import LEDGER --db {db}` first",
            f"{db} 处没有数据库，请先运行 assetreg import 台账文件 --db {db}",
            lang,
        )
    engine = create_engine_for(db)
    try:
        if create:
            upgrade(engine)
        elif current_revision(engine) is None:
            raise fail(
                f"{db} is not an assetreg database (no schema); run `assetreg db upgrade --db {db}` or import a ledger",
                f"{db} 不是 assetreg 数据库（没有表结构），请运行 assetreg db upgrade --db {db} 或先导入台账",
                lang,
            )
        yield engine
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``assetreg`` command; returns the exit code (0, 1 or 2)."""
    result = app(args=list(argv) if argv is not None else None, prog_name="assetreg", standalone_mode=False)
    return result if isinstance(result, int) else 0
