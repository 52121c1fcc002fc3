"""Register commands: ``import`` a ledger, ``export`` the register, ``values``, ``db upgrade``.

Each command parses its options, reads or writes files with :mod:`assetreg.adapters.ledger`,
calls one service of :mod:`assetreg.services` on the SQL adapter's unit of work, and renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    db_app,
    existing_file,
    fail,
    load_policy,
    open_store,
    recorded_instant,
    run,
    say,
)
from assetreg.cli.render import ProgressBar, issue_rows, show_issues, table, write_csv, write_json
from assetreg.errors import AlreadyImported

if TYPE_CHECKING:
    from datetime import datetime

    from assetreg.adapters.ledger.importer import ImportResult
    from assetreg.adapters.ledger.issues import LedgerIssue
    from assetreg.adapters.ledger.records import IncomeLedger
    from assetreg.domain.diff import RegisterDiff
    from assetreg.domain.policy import Policy
    from assetreg.domain.valuation import AssetValues
    from assetreg.income.revenue import RevenueEntry
    from assetreg.services.importing import DeductionClaim, ImportOutcome

__all__ = ["db_upgrade", "export", "import_", "import_income", "import_roster", "values"]


def read_income(income: Path | None, lang: Lang) -> IncomeLedger | None:
    """The income ledger ``income`` read (``None`` without one)."""
    if income is None:
        return None
    from assetreg.adapters.ledger.records import read_income_ledger  # noqa: PLC0415

    return read_income_ledger(existing_file(income, "income ledger", "收益台账", lang))


def _unknown_asset_issue(entry: RevenueEntry, income: Path) -> LedgerIssue:
    """The ledger issue for an income entry booked to an asset neither imported nor stored."""
    from assetreg.adapters.ledger.issues import LedgerIssue  # noqa: PLC0415

    return LedgerIssue(
        sheet=income.name,
        row=None,
        column="资产编号",
        field="asset_id",
        value=entry.asset_id,
        kind="unknown_asset",
        reason_en=(
            f"资产编号: revenue entry {entry.id}: expected an asset of the ledger or the database, "
            f"found {entry.asset_id}, which is in neither; not stored"
        ),
        reason_zh=f"资产编号：收益记录 {entry.id} 应记入台账或库中的资产，实为两者皆无的 {entry.asset_id}；未入库",
    )


_BIG_LEDGER = 200_000
"""Bytes of a ledger file from which the import shows its progress bar (about 1,000 rows)."""


def _read_and_store(
    ledger: Path,
    db: str,
    lang: Lang,
    *,
    recorded_at: datetime,
    policy: Policy,
    import_options: dict[str, Any],
) -> tuple[ImportResult, ImportOutcome | None]:
    """Read, validate and store a ledger under one progress bar (``None``: no asset row, nothing opened)."""
    from assetreg.adapters.ledger.importer import import_rows  # noqa: PLC0415
    from assetreg.adapters.ledger.reader import read_ledger  # noqa: PLC0415
    from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
    from assetreg.services.importing import import_register  # noqa: PLC0415

    zh = lang is Lang.ZH
    outcome: ImportOutcome | None = None
    # one bar over reading, validating and writing (shown for a ledger of about 1,000 rows or more)
    with ProgressBar(None, "读取台账" if zh else "reading", show=ledger.stat().st_size >= _BIG_LEDGER) as tick:
        raw = read_ledger(ledger)
        tick.phase("校验" if zh else "validating", sum(len(s.detail_rows) for s in raw.sheets))
        result = import_rows(
            raw.sheets, path=raw.path, read_issues=raw.issues, recorded_at=recorded_at, policy=policy, progress=tick
        )
        if result.register.histories or result.rejected:
            with open_store(db, lang, create=not import_options["dry_run"]) as engine:
                tick.phase("写入" if zh else "writing")
                outcome = import_register(SqlUnitOfWork(engine), result.register, progress=tick, **import_options)
    return result, outcome


def _refuse_empty(result: ImportResult, ledger: Path, lang: Lang) -> None:
    """Stop with exit 2 (no database was made): the ledger holds no asset row at all."""
    show_issues(result.issues, lang is Lang.ZH)
    raise fail(
        f"{ledger.name} holds no asset rows; nothing imported, no database created",
        f"{ledger.name} 中没有资产行；未导入任何数据，未建立数据库",
        lang,
    )


@app.command("import", short_help="导入台账 Import a ledger (.xlsx/.csv) into the database.")
def import_(  # noqa: PLR0917 - Typer passes options by keyword
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
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=(
                "台账日期（统计截止日期）YYYY-MM-DD，默认今天（北京时间）；重新导入时事实变更记在这一天。 "
                "The date the ledger speaks for; a re-import records changes of fact on it. Default today (Beijing)."
            ),
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="只列出将要记录的变更，不写入数据库。 Show what would change; write nothing."),
    ] = False,
    corrections: Annotated[
        bool,
        typer.Option(
            "--corrections",
            help=(
                "把状态、产权、管护、合同的差异记为对原记录的更正（而非事实变更）。 Record differences of "
                "status, owner, custodian and contract as corrections of the stored records, not as changes of fact."
            ),
        ),
    ] = False,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """导入台账到数据库。 Import a county ledger (台账) into the database.

    Good rows are stored; bad rows are listed with the cell and the reason and written to a
    rejects file to fix and import again.

    A ledger some of whose asset codes are already in the database is a re-import (台账更正):
    its differences against the stored register are listed and recorded as new dated events
    (changes of fact on --as-of, corrections of the earlier records; nothing stored is
    edited). Importing the same ledger again records nothing. Stored assets the ledger no
    longer lists are reported, never disposed of. --dry-run lists the differences and writes
    nothing (the database must exist).

    With --income the income ledger's revenue entries (收益记录) are stored in the same
    transaction as the assets; its problems are listed like the ledger's, and entries for
    assets that are in neither the ledger nor the database are skipped as errors. Deductions
    it claims (扣除项) are not stored: pass --income to allocate/notice to apply them.
    Importing the same income entries again is a no-op; an entry id stored with other
    content is refused.

    Exit 0 when every row was imported, 1 when rows were rejected, 2 when the file cannot
    be read or holds no asset rows (then no database is created), or the database cannot
    be opened (each cause its own code: AR-504 server unreachable, AR-505 no such
    database, AR-506 login refused, AR-507 SQLite folder missing).

    Example: assetreg import 台账.xlsx --income 收益台账.csv --db county.sqlite

    Example: assetreg import 台账-更正.xlsx --db county.sqlite --as-of 2024-12-31 --dry-run
    """

    def body() -> None:
        existing_file(ledger, "ledger", "台账", lang)
        instant = recorded_instant(recorded_at, lang)
        day = as_of_date(as_of, lang)
        rules = load_policy(policy, lang)
        income_ledger = read_income(income, lang)
        entries = income_ledger.entries if income_ledger is not None else ()
        zh = lang is Lang.ZH
        result, outcome = _read_and_store(
            ledger,
            db,
            lang,
            recorded_at=instant,
            policy=rules,
            import_options={
                "revenue": entries,
                "effective": day,
                "recorded_at": instant,
                "corrections": corrections,
                "dry_run": dry_run,
            },
        )
        if outcome is None:
            _refuse_empty(result, ledger, lang)
            return
        income_issues: list[LedgerIssue] = []
        if income is not None and income_ledger is not None:
            income_issues = [
                *income_ledger.issues,
                *(_unknown_asset_issue(e, income) for e in outcome.unknown_asset_entries),
            ]
        issues = [*result.issues, *income_issues]
        target = None
        if result.rejected:
            target = rejects or Path.cwd() / f"{ledger.stem}.rejects.csv"  # never inside a package or a read-only share
            result.write_rejects(target)
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/import",
                    "version": 1,
                    "file": str(ledger),
                    "database": db,
                    "dry_run": dry_run,
                    "imported_assets": outcome.added,
                    "changes": change_rows(outcome.diff, zh=False),
                    "missing_assets": _missing(outcome, result),
                    "recorded_events": outcome.events,
                    "rejected_rows": len(result.rejected),
                    "rejects_file": None if target is None else str(target),
                    "income_file": None if income is None else str(income),
                    "imported_revenue_entries": outcome.revenue_entries,
                    "issues": [i.as_dict() for i in issues],
                }
            )
        else:
            _show_import(issues, outcome, fmt, zh)
        _say_outcome(outcome, db, lang, missing=_missing(outcome, result))
        if income is not None:
            say(
                f"stored {outcome.revenue_entries} new revenue entries from {income} (deductions are not stored)",
                f"已从 {income} 存入 {outcome.revenue_entries} 条新收益记录（扣除项不入库）",
                lang,
            )
        if target is not None:
            say(
                f"{len(result.rejected)} rows rejected, written with the reasons to {target}",
                f"{len(result.rejected)} 行被拒绝，连同原因写入 {target}",
                lang,
            )
        if not result.ok or any(i.is_error for i in income_issues):
            raise Fail(1)

    run(body, lang, exit_codes={AlreadyImported.code: 1})


def _show_import(issues: list[LedgerIssue], outcome: ImportOutcome, fmt: Format, zh: bool) -> None:
    """The import's problems (a table or CSV) and, in a table, a re-import's changes."""
    if fmt is Format.CSV:
        write_csv(issue_rows(issues, zh))
        return
    show_issues(issues, zh)
    if outcome.diff is not None and not outcome.diff.empty:
        table(change_rows(outcome.diff, zh=zh), title="台账变更" if zh else "Ledger changes")


_KIND_ZH = {"added": "新增", "fact": "事实变更", "correction": "更正"}
_FIELD_ZH = {
    "asset": "资产",
    "description": "资产信息",
    "registered_on": "登记日期",
    "status": "状态",
    "ownership": "产权归属",
    "custodian": "管护主体",
    "contract": "经营合同",
}


def change_rows(diff: RegisterDiff | None, *, zh: bool) -> list[dict[str, object]]:
    """One row per difference of a re-imported ledger: asset, kind, what, before, after, events."""
    if diff is None:
        return []
    heads = (
        ("资产编号", "变更类型", "项目", "原值", "新值", "记录事件数")
        if zh
        else ("asset_id", "kind", "field", "before", "after", "events")
    )
    rows: list[dict[str, object]] = []
    for change in diff.changes:
        what = change.field
        if zh:
            what = _FIELD_ZH.get(what, what)
        if change.fields:
            what += f" ({', '.join(change.fields)})"
        kind = _KIND_ZH[change.kind.value] if zh else change.kind.value
        cells = (change.asset_id, kind, what, change.before, change.after, len(change.events))
        rows.append(dict(zip(heads, cells, strict=True)))
    return rows


def _missing(outcome: ImportOutcome, result: ImportResult) -> list[str]:
    """Stored assets the re-imported ledger does not list (rows it lists but rejected are not missing)."""
    if outcome.diff is None:
        return []
    held = {str(row.get("asset_code")).strip() for row in result.rejected if row.get("asset_code") is not None}
    return [asset_id for asset_id in outcome.diff.missing if asset_id not in held]


def _say_outcome(outcome: ImportOutcome, db: str, lang: Lang, *, missing: list[str]) -> None:
    """The status lines of an import, a re-import or a dry run."""
    diff = outcome.diff
    if diff is None:
        say(f"imported {outcome.assets} assets into {db}", f"已导入 {outcome.assets} 项资产到 {db}", lang)
        return
    changed = len({c.asset_id for c in diff.changes}) - outcome.added
    if outcome.dry_run:
        say(
            f"dry run, nothing written: {outcome.added} assets would be added, {changed} changed, "
            f"{outcome.events} events recorded; {len(diff.unchanged)} unchanged",
            f"试运行，未写入：将新增 {outcome.added} 项资产、变更 {changed} 项、记录 {outcome.events} 个事件；"
            f"{len(diff.unchanged)} 项无变化",
            lang,
        )
    else:
        say(
            f"re-imported into {db}: {outcome.added} assets added, {changed} changed, "
            f"{outcome.events} events recorded; {len(diff.unchanged)} unchanged",
            f"已重新导入到 {db}：新增 {outcome.added} 项资产、变更 {changed} 项、记录 {outcome.events} 个事件；"
            f"{len(diff.unchanged)} 项无变化",
            lang,
        )
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")  # noqa: PLR2004
        say(
            f"{len(missing)} stored assets are not in this ledger and were left as they are: {shown}",
            f"{len(missing)} 项已存资产不在本台账中，保持不变：{shown}",
            lang,
        )


DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="只列出将要存入的记录数，不写入数据库。 Show what would be stored; write nothing."),
]
RecordedAtOption = Annotated[
    str | None,
    typer.Option(
        "--recorded-at",
        help="入库时刻（带时区），默认现在。 When the books learn the records (ISO 8601 with a zone); default now.",
    ),
]


def _claim_issue(claim: DeductionClaim, income: Path) -> LedgerIssue:
    """The issue for a deduction claimed against an asset that is not stored."""
    from assetreg.adapters.ledger.issues import LedgerIssue  # noqa: PLC0415

    return LedgerIssue(
        sheet=income.name,
        row=None,
        column="资产编号",
        field="asset_id",
        value=claim.asset_id,
        kind="unknown_asset",
        reason_en=(
            f"资产编号: deduction {claim.id}: expected an asset of the database, found {claim.asset_id}, "
            "which is not stored; not stored"
        ),
        reason_zh=f"资产编号：扣除项 {claim.id} 应记入库中的资产，实为库中没有的 {claim.asset_id}；未入库",
    )


def _show_file_issues(issues: list[LedgerIssue], fmt: Format, lang: Lang) -> None:
    """File problems on standard output (a table or CSV; JSON documents carry them themselves)."""
    if fmt is Format.CSV:
        write_csv(issue_rows(issues, lang is Lang.ZH))
    elif fmt is Format.TABLE:
        show_issues(issues, lang is Lang.ZH)


@app.command("import-income", short_help="导入收益台账 Import an income ledger (收益/扣除) on its own.")
def import_income(  # noqa: PLR0917 - Typer passes options by keyword
    income: Annotated[Path, typer.Argument(help="收益台账 The income ledger, .xlsx or .csv.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    recorded_at: RecordedAtOption = None,
    dry_run: DryRunOption = False,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """导入收益台账（收益与扣除项）。 Store an income ledger's revenue and claimed deductions.

    Into a database that holds the register, at any time: revenue entries (收益记录) and the
    deductions claimed on its expense rows (运维费用, 税费…, P9), each booked to its asset's
    area. Importing the same ledger again stores nothing; a deduction whose amount, kind,
    period or note changed is stored as a correction superseding the one in force; a
    revenue entry stored under the same id with other content is refused (AR-203).
    Records for assets that are not stored are listed (LED-502) and not stored.

    Exit 0 when everything was stored, 1 when rows were refused or name unknown assets,
    2 when the file or the database cannot be read.

    Example: assetreg import-income 收益台账-2024.xlsx --db county.sqlite
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.services.importing import import_income as store_income  # noqa: PLC0415

        instant = recorded_instant(recorded_at, lang)
        ledger = read_income(income, lang)
        assert ledger is not None  # noqa: S101 - a path was given
        with open_store(db, lang) as engine:
            outcome = store_income(
                SqlUnitOfWork(engine), ledger.entries, ledger.deductions, recorded_at=instant, dry_run=dry_run
            )
        issues = [
            *ledger.issues,
            *(_unknown_asset_issue(e, income) for e in outcome.unknown_asset_entries),
            *(_claim_issue(c, income) for c in outcome.unknown_asset_claims),
        ]
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/import-income",
                    "version": 1,
                    "file": str(income),
                    "database": db,
                    "dry_run": dry_run,
                    "revenue_entries": outcome.revenue_entries,
                    "deductions": outcome.deductions,
                    "corrections": outcome.corrections,
                    "issues": [i.as_dict() for i in issues],
                }
            )
        _show_file_issues(issues, fmt, lang)
        verb_en, verb_zh = ("would store", "将存入") if dry_run else ("stored", "已存入")
        say(
            f"{verb_en} {outcome.revenue_entries} new revenue entries and {outcome.deductions} new deductions "
            f"({outcome.corrections} corrections) from {income} in {db}"
            + ("; dry run, nothing written" if dry_run else ""),
            f"{verb_zh} {outcome.revenue_entries} 条新收益记录、{outcome.deductions} 条新扣除项"
            f"（其中更正 {outcome.corrections} 条），来自 {income}，库 {db}" + ("；试运行，未写入" if dry_run else ""),
            lang,
        )
        if any(i.is_error for i in issues):
            raise Fail(1)

    run(body, lang)


@app.command("import-roster", short_help="导入受益名单 Import a beneficiary roster (受益名单) on its own.")
def import_roster(  # noqa: PLR0917 - Typer passes options by keyword
    roster: Annotated[Path, typer.Argument(help="受益农户名单 The roster, .xlsx or .csv.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="名单截止日 YYYY-MM-DD，默认今天（北京时间）。 The day the list is as of; default today (Beijing).",
        ),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            help=(
                "名单覆盖的区划代码（如全县名单 620822），默认每个村一份。 The area the whole list covers "
                "(a county's list); default one snapshot per village code of the households."
            ),
        ),
    ] = None,
    source: Annotated[
        str, typer.Option("--source", help="名单来源系统。 Where the list comes from (e.g. 全国防止返贫监测信息系统).")
    ] = "",
    recorded_at: RecordedAtOption = None,
    dry_run: DryRunOption = False,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """导入受益名单快照。 Store a beneficiary roster (受益名单) as snapshots of the books.

    Each snapshot is the list of one area as known on --as-of (id ROSTER-<area>-<day>): by
    default one per village code of the households, or one for --area. Importing the same
    list again stores nothing; a list of the same area and day whose households changed is
    stored as a correction superseding the one in force. Bad rows are listed and left out.

    Exit 0 when every row was stored, 1 when rows were refused, 2 when the file or the
    database cannot be read.

    Example: assetreg import-roster 受益农户-2024.csv --db county.sqlite --as-of 2024-12-31
    """

    def body() -> None:
        from assetreg.adapters.ledger.records import read_roster  # noqa: PLC0415
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.domain.codes import AdminCode  # noqa: PLC0415
        from assetreg.services.importing import import_roster as store_roster  # noqa: PLC0415
        from assetreg.services.importing import roster_snapshots  # noqa: PLC0415

        instant = recorded_instant(recorded_at, lang)
        day = as_of_date(as_of, lang)
        covered = None if area is None else AdminCode.parse(area, field="--area")
        people = read_roster(existing_file(roster, "roster", "受益农户名单", lang))
        pairs = [
            (party.admin_code, household) for party, household in zip(people.parties, people.households, strict=True)
        ]
        snapshots = roster_snapshots(pairs, known_on=day, recorded_at=instant, area=covered, source_system=source)
        with open_store(db, lang) as engine:
            outcome = store_roster(SqlUnitOfWork(engine), snapshots, parties=people.parties, dry_run=dry_run)
        issues = list(people.issues)
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/import-roster",
                    "version": 1,
                    "file": str(roster),
                    "database": db,
                    "dry_run": dry_run,
                    "known_on": day,
                    "snapshots": [
                        {"id": s.id, "area": s.area.value, "households": len(s.households)} for s in snapshots
                    ],
                    "stored": outcome.stored,
                    "corrections": outcome.corrections,
                    "issues": [i.as_dict() for i in issues],
                }
            )
        _show_file_issues(issues, fmt, lang)
        households = sum(len(s.households) for s in snapshots)
        verb_en, verb_zh = ("would store", "将存入") if dry_run else ("stored", "已存入")
        say(
            f"{verb_en} {outcome.stored} new roster snapshots ({outcome.corrections} corrections) of "
            f"{len(snapshots)} areas, {households} households, as of {day}, in {db}"
            + ("; dry run, nothing written" if dry_run else ""),
            f"{verb_zh} {outcome.stored} 份新名单快照（其中更正 {outcome.corrections} 份），"
            f"共 {len(snapshots)} 个区划、{households} 户，截至 {day}，库 {db}"
            + ("；试运行，未写入" if dry_run else ""),
            lang,
        )
        if any(i.is_error for i in issues):
            raise Fail(1)

    run(body, lang)


@app.command("export", short_help="导出台账 Export the register as a ledger (.xlsx/.csv).")
def export(  # noqa: PLR0917 - Typer passes options by keyword
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
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            help=(
                "原值与合计的金额单位：元（2 位小数）或 万元（6 位小数，精确到分）。 "
                "Amounts in 元 (2 places) or 万元 (6 places, exact to the fen)."
            ),
        ),
    ] = "元",
    lang: LangOption = Lang.ZH,
) -> None:
    """导出台账（中文表头）。 Export the register as a ledger with Chinese headers.

    One row per asset as it stands on --as-of: owner, custodian and live contract, with
    their party kinds and the contract's 经营方式, 合同起止 and 保底收益率; amounts in 元 or
    万元 (--unit) with stated places, real date cells, a closing 合计 row, formulas
    neutralised. The file imports back to an equal register. Resident ids are masked
    unless --reveal-personal-data is given.

    Example: assetreg export 台账-2024.xlsx --db county.sqlite --as-of 2024-12-31
    """

    def body() -> None:
        from assetreg.adapters.ledger.writer import write_ledger  # noqa: PLC0415
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.services.importing import stored_books  # noqa: PLC0415

        if out.suffix.lower() not in {".xlsx", ".csv"}:
            raise fail(
                f"cannot export to {out.name}: use a .xlsx or .csv file name",
                f"不能导出为 {out.name}：请使用 .xlsx 或 .csv 文件名",
                lang,
            )
        if unit not in {"元", "万元"}:
            raise fail(f"--unit {unit!r}: use 元 or 万元", f"--unit {unit!r}：请使用 元 或 万元", lang)
        day = as_of_date(as_of, lang)
        with open_store(db, lang) as engine:
            register = stored_books(SqlUnitOfWork(engine), revenue=False).register
        write_ledger(register, out, as_of=day, reveal_personal_data=reveal_personal_data, unit=unit)
        say(f"wrote {len(register)} assets to {out}", f"已导出 {len(register)} 项资产到 {out}", lang)

    run(body, lang)


def _value_rows(rows: tuple[AssetValues, ...], zh: bool) -> list[dict[str, object]]:
    """One printable row per asset: amounts in 元 with two places, the reason when not valued."""
    heads = (
        ("资产编号", "资产名称", "类别", "状态", "原值(元)", "累计折旧(元)", "净值(元)", "已提折旧月数", "说明")
        if zh
        else ("asset_id", "name", "class", "status", "original_yuan", "accumulated_yuan", "net_yuan", "months", "note")
    )
    out: list[dict[str, object]] = []
    for row in rows:
        v = row.values
        note = None
        if row.problem is not None:
            note = row.problem.message_zh if zh else row.problem.message_en
        elif not row.depreciated:
            note = "不计提折旧" if zh else "not depreciated"
        cells = (
            row.asset_id,
            row.name,
            row.asset_class.label_zh if zh else row.asset_class.value,
            row.status.label_zh if zh else row.status.value,
            row.original_value.yuan_decimal,
            None if v is None else v.accumulated_depreciation.yuan_decimal,
            None if v is None else v.net_book_value.yuan_decimal,
            row.months_depreciated,
            note,
        )
        out.append(dict(zip(heads, cells, strict=True)))
    return out


@app.command("values", short_help="资产价值 Book values (原值/累计折旧/净值) on a date.")
def values(  # noqa: PLR0917 - Typer passes options by keyword
    db: DbOption = DEFAULT_DB,
    as_of: AsOfOption = None,
    known_at: Annotated[
        str | None,
        typer.Option(
            "--known-at", help="按此时刻的登记查询（带时区）。 As the register knew it then (ISO 8601 with a zone)."
        ),
    ] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """资产价值表。 Each stored asset's 原值, 累计折旧 and 净值 at the close of --as-of.

    Opening balances, revaluations, usage, disposals and splits come from each asset's
    history (as known at --known-at); the depreciation terms are the policy's defaults.
    An asset that cannot be valued is listed with the reason. Exit 0.

    Example: assetreg values --db county.sqlite --as-of 2024-12-31 -f csv
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.services.valuation import stored_values  # noqa: PLC0415

        day = as_of_date(as_of, lang)
        instant = None if known_at is None else recorded_instant(known_at, lang)
        with open_store(db, lang) as engine:
            rows = stored_values(SqlUnitOfWork(engine), as_of=day, policy=load_policy(policy, lang), known_at=instant)
        printable = _value_rows(rows, lang is Lang.ZH)
        if fmt is Format.JSON:
            write_json({"schema": "assetreg/values", "version": 1, "as_of": day, "assets": printable})
        elif fmt is Format.CSV:
            write_csv(printable)
        else:
            table(printable, title=f"资产价值表 {day}" if lang is Lang.ZH else f"Book values {day}")

    run(body, lang)


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
            say(f"database {db} already at revision {after}", f"数据库 {db} 已是版本 {after}，无需升级", lang)
        else:
            say(
                f"database {db} upgraded from {before or '(empty)'} to revision {after}",
                f"数据库 {db} 已从 {before or '（空库）'} 升级到版本 {after}",
                lang,
            )

    run(body, lang)
