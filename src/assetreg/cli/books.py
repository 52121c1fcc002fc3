"""Income-book commands: ``plans``, ``distribute``, ``pay`` and ``explain`` (the county's yearly cycle).

Each parses its options, calls one service of :mod:`assetreg.services` on the SQL
adapter's unit of work and renders the result:

- ``plans FILE`` → :func:`~assetreg.services.books.record_plans` (plan versions and approvals);
- ``distribute --period P`` → :func:`~assetreg.services.distributing.distribute_period`;
- ``pay FILE`` → :func:`~assetreg.services.books.record_payments`;
- ``explain --household ID`` / ``--asset ID`` → :mod:`assetreg.services.explaining`.
"""

from __future__ import annotations

from datetime import date
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
    recorded_instant,
    run,
    say,
    today,
)
from assetreg.cli.render import OUT, show_issues, table, write_csv, write_json, yuan
from assetreg.domain.money import Money

if TYPE_CHECKING:
    from assetreg.domain.periods import Period
    from assetreg.services.distributing import PeriodRun
    from assetreg.services.explaining import AssetExplanation, HouseholdExplanation

__all__ = ["distribute", "explain", "pay", "plans"]

RecordedAtOption = Annotated[
    str | None,
    typer.Option(
        "--recorded-at",
        help="记录时间（带时区），默认现在。 When the books learn it (ISO 8601 with a zone), default now.",
    ),
]
_STATUS_ZH = {"new": "新增", "unchanged": "未变", "changed": "已更新"}


def _period(value: str | None, lang: Lang, *, required: bool = True) -> Period | None:
    from assetreg.domain.periods import Period  # noqa: PLC0415

    if value is None:
        if required:
            raise fail("--period is required", "须指定 --period", lang)
        return None
    return Period.parse(value)


def _day(value: str | None, option: str, lang: Lang) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(
            f"{option} {value!r} is not a date YYYY-MM-DD", f"{option} {value!r} 不是日期（格式 YYYY-MM-DD）", lang
        ) from None


@app.command("plans", short_help="分配方案 Record plan versions and their approvals.")
def plans(
    file: Annotated[Path, typer.Argument(help="分配方案文件（.toml）。 Plan file (.toml), see sample_plans.toml.")],
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    recorded_at: RecordedAtOption = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """记录分配方案及其审批。 Record plan versions with their approvals.

    Each [[plan]] table applies a plan preset to assets from a day; one version is stored
    per owner. Re-recording the same file stores nothing new.

    Example: assetreg plans 分配方案.toml --db county.sqlite --policy gansu-county-2013
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.income.presets import PlanSpec  # noqa: PLC0415
        from assetreg.services.books import record_plans  # noqa: PLC0415

        specs = PlanSpec.from_toml(existing_file(file, "plan file", "分配方案文件", lang).read_text(encoding="utf-8"))
        pol = load_policy(policy, lang)
        at = recorded_instant(recorded_at, lang)
        with open_store(db, lang) as engine:
            versions = record_plans(SqlUnitOfWork(engine), specs, pol, recorded_at=at)
        zh = lang is Lang.ZH
        rows = [
            {
                ("方案版本" if zh else "plan version"): v.id,
                ("方案" if zh else "plan"): v.plan.name,
                ("资产" if zh else "assets"): "、".join(v.asset_ids),
                ("生效日" if zh else "from"): v.effective_from.isoformat(),
                ("审批" if zh else "approval"): (
                    f"{v.approval.body} {v.approval.approved_on}" if v.approval else ("未审批" if zh else "none")
                ),
            }
            for v in versions
        ]
        table(rows, title="分配方案" if zh else "plan versions")

    run(body, lang)


def _run_rows(result: PeriodRun, zh: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for o in result.outcomes:
        d = o.distribution
        rows.append(
            {
                ("资产" if zh else "asset"): o.notice.asset_name + f"（{d.asset_ids[0]}）",
                ("分配编号" if zh else "distribution"): d.id,
                ("方案" if zh else "plan"): d.plan_id,
                ("收益(元)" if zh else "gross (yuan)"): yuan(d.gross.yuan_decimal),
                ("扣除(元)" if zh else "deducted"): yuan(d.deducted.yuan_decimal),
                ("可分配(元)" if zh else "distributable"): yuan(d.pool.yuan_decimal),
                ("状态" if zh else "status"): _STATUS_ZH[o.status] if zh else o.status,
                ("变化" if zh else "changes"): len(o.changes),
            }
        )
    return rows


def _run_document(result: PeriodRun) -> dict[str, object]:
    return {
        "schema": "assetreg/distribution-run",
        "version": 1,
        "period_start": result.period.start,
        "period_end": result.period.end,
        "area": result.area,
        "dry_run": result.dry_run,
        "stored": result.stored,
        "total_yuan": result.total.yuan_decimal,
        "distributions": [
            {
                "id": o.distribution.id,
                "status": o.status,
                "replaces": o.replaces.id if o.replaces is not None else None,
                "asset_ids": list(o.distribution.asset_ids),
                "owner_id": o.distribution.owner_id,
                "plan_version_id": o.distribution.plan_version_id,
                "roster_id": o.distribution.roster_id,
                "gross_yuan": o.distribution.gross.yuan_decimal,
                "deducted_yuan": o.distribution.deducted.yuan_decimal,
                "distributable_yuan": o.distribution.pool.yuan_decimal,
                "lines": [line.as_record() for line in o.distribution.lines],
                "changes": [c.as_record() for c in o.changes],
            }
            for o in result.outcomes
        ],
        "notices": [
            {
                "id": n.id,
                "distribution_id": n.distribution_id,
                "level": n.level.value,
                "posted_on": n.posted_on,
                "closes_on": n.closes_on,
            }
            for n in result.notices
        ],
        "refusals": [r.as_record() for r in result.refusals],
    }


def _print_run(result: PeriodRun, span: Period, zh: bool, lang: Lang) -> None:
    title = f"{span.start} {'至' if zh else 'to'} {span.last}"
    table(_run_rows(result, zh), title=("收益分配 " if zh else "distributions ") + title)
    for o in result.outcomes:
        if o.changes:
            table(
                [
                    {
                        ("受益对象" if zh else "payee"): c.beneficiary_name,
                        ("原金额(元)" if zh else "before"): yuan(c.before.yuan_decimal) if c.before else "—",
                        ("新金额(元)" if zh else "after"): yuan(c.after.yuan_decimal) if c.after else "—",
                    }
                    for c in o.changes
                ],
                title=(f"{o.distribution.id} 较上次变化" if zh else f"{o.distribution.id}: changes"),
            )
    for n in result.notices:
        OUT.print(
            f"公示 {n.id}：{n.posted_on} 至 {n.closes_on}" if zh else f"notice {n.id}: {n.posted_on} to {n.closes_on}",
            markup=False,
        )
    if result.refusals:
        table(
            [
                {
                    ("资产" if zh else "asset"): r.asset_id,
                    ("代码" if zh else "code"): r.error.code,
                    ("原因" if zh else "reason"): r.reason,
                    ("说明" if zh else "message"): r.error.message(lang.value),
                }
                for r in result.refusals
            ],
            title="未能分配" if zh else "not distributed",
        )


@app.command("distribute", short_help="年度收益分配 Distribute a period's income of every asset in scope.")
def distribute(  # noqa: PLR0917 - Typer passes options by keyword
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="收益期间：2024、2024Q3、2024-03 或 2019-05-01..2020-04-30。 Period: a year, quarter, month or range.",
        ),
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="区划代码前缀 Area-code prefix.")] = None,
    asset: Annotated[
        list[str] | None, typer.Option("--asset", help="只分配这些资产（可重复）。 Only these assets (repeatable).")
    ] = None,
    post: Annotated[bool, typer.Option("--post", help="同时张贴公示。 Also post the notices (P7).")] = False,
    posted_on: Annotated[
        str | None, typer.Option("--posted-on", help="公示开始日，默认今天。 First day posted, default today.")
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="公示层级 village, township or county.", case_sensitive=False)
    ] = "village",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只计算和比较，不写入。 Compute and compare, write nothing.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    policy: PolicyOption = None,
    recorded_at: RecordedAtOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """年度收益分配。 Distribute the period's income of every income-earning asset in scope.

    Reads the stored revenue, deductions, plan versions (with approvals) and roster
    snapshots; stores each distribution as a draft and shows what changed against an
    earlier run. Re-running with the same books stores nothing. An asset missing a plan,
    an approval, a roster or a deduction record is refused with a coded reason (AR-402),
    and the command exits 1; the other assets are still distributed.

    Example: assetreg distribute --period 2024 --area 620422 --db county.sqlite --post
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.income.books import NoticeLevel  # noqa: PLC0415
        from assetreg.services.distributing import NoticePosting, distribute_period  # noqa: PLC0415

        span = _period(period, lang)
        assert span is not None  # noqa: S101 - required above
        pol = load_policy(policy, lang)
        at = recorded_instant(recorded_at, lang)
        try:
            notice_level = NoticeLevel(level.lower())
        except ValueError:
            raise fail(
                f"--level {level!r}: use village, township or county",
                f"--level {level!r}：可选 village、township、county",
                lang,
            ) from None
        posting = None
        if post:
            posting = NoticePosting(posted_on=_day(posted_on, "--posted-on", lang) or today(), level=notice_level)
        with open_store(db, lang) as engine:
            result = distribute_period(
                SqlUnitOfWork(engine),
                pol,
                period=span,
                recorded_at=at,
                area=area,
                asset_ids=tuple(asset) if asset else None,
                post=posting,
                dry_run=dry_run,
            )
        zh = lang is Lang.ZH
        if fmt is Format.JSON:
            write_json(_run_document(result))
        elif fmt is Format.CSV:
            write_csv(
                [
                    {"distribution_id": o.distribution.id, "status": o.status, **line.as_record()}
                    for o in result.outcomes
                    for line in o.distribution.lines
                ]
            )
        else:
            _print_run(result, span, zh, lang)
        if not result.outcomes and not result.refusals:
            say(
                f"no asset in scope has revenue in {span.start}..{span.last}: nothing to distribute",
                f"范围内没有资产在 {span.start} 至 {span.last} 期间有收益记录，无可分配",
                lang,
            )
        if dry_run:
            say("dry run: nothing was written", "试运行：未写入任何记录", lang)
        if result.refusals:
            raise Fail(1)

    run(body, lang)


@app.command("pay", short_help="兑付记录 Record payments of distribution lines.")
def pay(
    file: Annotated[Path, typer.Argument(help="兑付清单（.csv/.xlsx）。 Payment list (.csv or .xlsx).")],
    db: DbOption = DEFAULT_DB,
    recorded_at: RecordedAtOption = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """记录兑付。 Record payments (and returned or failed ones, and their re-payment).

    Columns: 兑付编号, 分配编号, 明细行号 (from 1), 收款人编号, 兑付日期, 金额, 兑付方式, 账号
    (masked), 兑付状态, 补发, 更正, 备注. Each payment is checked against its line: the payee
    must match and a line is never paid more than its amount. Rows with a bad cell are held
    back and listed (exit 1); the others are stored in one transaction.

    Example: assetreg pay 兑付清单.xlsx --db county.sqlite
    """

    def body() -> None:
        from assetreg.adapters.ledger.payments import read_payments  # noqa: PLC0415
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.services.books import distribution_areas, record_payments  # noqa: PLC0415

        listed = read_payments(existing_file(file, "payment list", "兑付清单", lang))
        at = recorded_instant(recorded_at, lang)
        zh = lang is Lang.ZH
        show_issues(listed.issues, zh, to_stderr=True)
        with open_store(db, lang) as engine:
            areas = distribution_areas(SqlUnitOfWork(engine), {r.distribution_id for r in listed.rows})
            stored = record_payments(
                SqlUnitOfWork(engine), [r.payment(areas[r.distribution_id], at) for r in listed.rows]
            )
        say(
            f"{stored} payments stored ({len(listed.rows) - stored} already recorded), {len(listed.issues)} problems",
            f"新记录兑付 {stored} 条（{len(listed.rows) - stored} 条此前已记录），问题 {len(listed.issues)} 处",
            lang,
        )
        if listed.issues:
            raise Fail(1)

    run(body, lang)


def _household_rows(found: HouseholdExplanation, zh: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for line in found.lines:
        weight = f"{line.weight}/{line.share.denominator * line.weight // line.share.numerator}" if line.weight else ""
        rows.append(
            {
                ("资产" if zh else "assets"): "、".join(line.asset_ids),
                ("期间" if zh else "period"): f"{line.period.start}..{line.period.last}",
                ("收益(元)" if zh else "gross"): yuan(line.gross.yuan_decimal),
                ("扣除(元)" if zh else "deducted"): yuan(line.deducted.yuan_decimal),
                ("可分配(元)" if zh else "distributable"): yuan(line.pool.yuan_decimal),
                ("层级" if zh else "tier"): line.tier,
                ("层级金额(元)" if zh else "tier amount"): yuan(line.tier_amount.yuan_decimal),
                ("份额" if zh else "share"): weight or str(line.share),
                ("金额(元)" if zh else "amount"): yuan(line.amount.yuan_decimal),
                ("已兑付(元)" if zh else "paid"): yuan(line.paid.yuan_decimal),
            }
        )
    return rows


def _flat(record: dict[str, object]) -> dict[str, object]:
    """A record for one CSV row: asset ids joined with "; ", payments as JSON text."""
    import json  # noqa: PLC0415

    from assetreg.cli.render import plain  # noqa: PLC0415

    out = dict(record)
    out["asset_ids"] = "; ".join(str(a) for a in record.get("asset_ids", []))  # type: ignore[attr-defined]
    out["payments"] = json.dumps(plain(record.get("payments", [])), ensure_ascii=False)
    out["line_number"] = int(record["line_index"]) + 1  # type: ignore[call-overload]
    return out


def _asset_rows(found: AssetExplanation, zh: bool) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for book in found.distributions:
        paid = book.paid_by_line()
        for index, line in enumerate(book.distribution.lines):
            rows.append(
                {
                    ("分配编号" if zh else "distribution"): book.distribution.id,
                    ("行号" if zh else "line"): index + 1,
                    ("层级" if zh else "tier"): line.tier,
                    ("收款人编号" if zh else "payee id"): line.beneficiary_id,
                    ("受益对象" if zh else "payee"): line.beneficiary_name,
                    ("金额(元)" if zh else "amount"): yuan(line.amount.yuan_decimal),
                    ("已兑付(元)" if zh else "paid"): yuan(paid.get(index, Money.zero()).yuan_decimal),
                    ("依据" if zh else "basis"): line.basis,
                }
            )
    return rows


@app.command("explain", short_help="收益溯源 Explain a household's or an asset's money to the fen.")
def explain(  # noqa: PLR0917 - Typer passes options by keyword
    household: Annotated[str | None, typer.Option("--household", help="户编号 Household id.")] = None,
    asset: Annotated[str | None, typer.Option("--asset", help="资产编号 Asset code.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="收益期间 Period (2024, 2024Q3…).")] = None,
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """收益溯源。 Explain every amount a household received, or where an asset's income went.

    For a household: per asset and period, income → deductions → distributable → tier →
    share → amount → payments; the amounts add up to the total exactly. For an asset: each
    distribution's gross income, deductions claimed and applied, pool, and every line
    with what was paid.

    Example: assetreg explain --household LT-H001 --db county.sqlite --format json
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.services.explaining import explain_asset, explain_household  # noqa: PLC0415

        if (household is None) == (asset is None):
            raise fail("give exactly one of --household and --asset", "须且只能指定 --household 或 --asset 之一", lang)
        span = _period(period, lang, required=False)
        zh = lang is Lang.ZH
        with open_store(db, lang) as engine:
            if household is not None:
                found_h = explain_household(SqlUnitOfWork(engine), household, period=span)
                if fmt is Format.JSON:
                    write_json(
                        {
                            "schema": "assetreg/explain-household",
                            "version": 1,
                            "household_id": household,
                            "total_yuan": found_h.total.yuan_decimal,
                            "paid_yuan": found_h.paid.yuan_decimal,
                            "lines": [line.as_record() for line in found_h.lines],
                        }
                    )
                elif fmt is Format.CSV:
                    write_csv([_flat(line.as_record()) for line in found_h.lines])
                else:
                    table(_household_rows(found_h, zh), title=f"{household} {'收益来源' if zh else 'income'}")
                    OUT.print(
                        f"合计 {yuan(found_h.total.yuan_decimal)} 元，已兑付 {yuan(found_h.paid.yuan_decimal)} 元"
                        if zh
                        else f"total {yuan(found_h.total.yuan_decimal)} yuan, paid {yuan(found_h.paid.yuan_decimal)}",
                        markup=False,
                    )
                return
            assert asset is not None  # noqa: S101 - exactly one was given
            found_a = explain_asset(SqlUnitOfWork(engine), asset, period=span)
        if fmt is Format.JSON:
            write_json(
                {
                    "schema": "assetreg/explain-asset",
                    "version": 1,
                    "asset_id": asset,
                    "gross_yuan": found_a.gross.yuan_decimal,
                    "distributable_yuan": found_a.pool.yuan_decimal,
                    "lines_total_yuan": found_a.lines_total.yuan_decimal,
                    "distributions": [b.as_record() for b in found_a.distributions],
                }
            )
        elif fmt is Format.CSV:
            write_csv(_asset_rows(found_a, zh))
        else:
            table(_asset_rows(found_a, zh), title=f"{asset} {'收益去向' if zh else 'where the income went'}")
            for book in found_a.distributions:
                d = book.distribution
                OUT.print(
                    f"{d.id}：收益 {yuan(d.gross.yuan_decimal)} 元，申报扣除 {yuan(book.claimed.yuan_decimal)} 元，"
                    f"实际扣除 {yuan(d.deducted.yuan_decimal)} 元（未扣除 {yuan(book.not_deducted.yuan_decimal)} 元），"
                    f"可分配 {yuan(d.pool.yuan_decimal)} 元，分配合计 {yuan(d.lines_total.yuan_decimal)} 元，"
                    f"已兑付 {yuan(book.paid.yuan_decimal)} 元"
                    if zh
                    else f"{d.id}: gross {yuan(d.gross.yuan_decimal)}, claimed {yuan(book.claimed.yuan_decimal)}, "
                    f"deducted {yuan(d.deducted.yuan_decimal)} (not deducted {yuan(book.not_deducted.yuan_decimal)}), "
                    f"distributable {yuan(d.pool.yuan_decimal)}, lines {yuan(d.lines_total.yuan_decimal)}, "
                    f"paid {yuan(book.paid.yuan_decimal)} yuan",
                    markup=False,
                )

    run(body, lang)
