"""The ``stats`` and ``plot`` commands: the summary tables counties publish, and plots, from the database.

Parses the options, calls :func:`assetreg.services.stats.stored_stats` on the SQL adapter's
unit of work, and renders the table (with its 合计 row, its reconciliation lines and the
industry share) as a table, JSON, CSV or .xlsx.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assetreg.cli.app import (
    DEFAULT_DB,
    AsOfOption,
    DbOption,
    Lang,
    LangOption,
    PolicyOption,
    app,
    as_of_date,
    fail,
    load_policy,
    open_store,
    recorded_instant,
    run,
    say,
)
from assetreg.cli.render import OUT, table, write_csv, write_json

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assetreg.services.stats import StoredStats
    from assetreg.stats import IndustryShare, ShownRow, ShownTable, StatRow

__all__ = ["plot", "stats"]


class StatsFormat(StrEnum):
    """Output formats of ``stats``."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def industry_lines(shares: tuple[IndustryShare, ...], zh: bool) -> list[str]:
    """One line per industry share: the share and the amounts; for a fund, against the 2023 target."""
    out = []
    for share in shares:
        fund = share.source.label_zh if share.source and zh else (share.source.value if share.source else None)
        if share.share is None:
            out.append(
                f"产业项目资金占比（{fund or '原值'}）：无数据"
                if zh
                else f"industry share ({fund or 'original value'}): no data"
            )
            continue
        target = f"{share.target * 100}%"
        meets = share.meets_target
        if zh:
            line = (
                f"产业项目资金占比（{fund or '按原值'}）：{share.percent()}% = {share.industry.format_wan()} / "
                f"{share.total.format_wan()}"
            )
            if share.source is not None:
                line += f"，{'达到' if meets else '未达到'}2023年目标 ≥ {target}"
            if share.unattributed:
                line += f"；另有 {share.unattributed.format_wan()} 未载资金来源，未计入"
        else:
            line = (
                f"industry share ({fund or 'of original value'}): {share.percent()}% = "
                f"{share.industry.format_wan(unit=False)} / {share.total.format_wan(unit=False)} (10k yuan)"
            )
            if share.source is not None:
                line += f", {'meets' if meets else 'below'} the 2023 target of at least {target}"
            if share.unattributed:
                line += f"; {share.unattributed.format_wan(unit=False)} without funding lines not counted"
        out.append(line)
    return out


def _document(result: StoredStats, shown: ShownTable, of: str) -> dict[str, object]:
    columns = [c.key for c in shown.table.columns]

    def row(shown_row: ShownRow, exact: StatRow) -> dict[str, object]:
        return {
            "key": shown_row.key,
            "label_zh": shown_row.zh,
            "label_en": shown_row.en,
            "count": shown_row.count,
            "amounts": dict(zip(columns, shown_row.amounts, strict=True)),
            "exact_yuan": dict(zip(columns, (a.format_yuan() for a in exact.amounts), strict=True)),
        }

    return {
        "schema": "assetreg/stats",
        "version": 1,
        "of": of,
        "by": shown.table.dimension,
        "as_of": shown.table.as_of,
        "known_at": shown.table.known_at,
        "unit": shown.unit.value,
        "places": shown.places,
        "rows": [row(s, e) for s, e in zip(shown.rows, shown.table.rows, strict=True)],
        "total": row(shown.total, shown.table.total),
        "reconciliations": [
            {"column": r.column, "rows_sum": r.rows_sum, "total": r.total, "difference": r.difference}
            for r in shown.reconciliations
        ],
        "notes": [{"en": en, "zh": zh} for en, zh in shown.table.notes],
        "industry": [
            {
                "source": s.source.value if s.source else None,
                "industry_yuan": s.industry.format_yuan(),
                "total_yuan": s.total.format_yuan(),
                "share": s.share,
                "percent": s.percent(),
                "target": s.target,
                "meets_target": s.meets_target,
                "unattributed_yuan": s.unattributed.format_yuan(),
            }
            for s in result.industry
        ],
    }


@app.command("stats", short_help="统计表 Summary tables: assets, values, income, distributions.")
def stats(  # noqa: PLR0917 - Typer passes options by keyword
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help=(
                "统计口径。 Group by: class, owner_level, area, fund_source, year, status (assets, values); "
                "year, area, kind, class (income); year, area, kind (distributions)."
            ),
        ),
    ],
    db: DbOption = DEFAULT_DB,
    of: Annotated[
        str, typer.Option("--of", help="统计对象 What to count: assets, values, income, distributions.")
    ] = "assets",
    unit: Annotated[str, typer.Option("--unit", help="金额单位 Amounts in yuan (元) or wan (万元).")] = "wan",
    places: Annotated[
        int | None, typer.Option("--places", help="小数位数 Decimals shown (default 4 for 万元, 2 for 元).")
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="区划级别 For --by area: province, prefecture, county, township, village.")
    ] = "county",
    prefix: Annotated[
        str | None,
        typer.Option("--prefix", help="只统计此区划内（如 632323）。 Only records inside this area-code prefix."),
    ] = None,
    as_of: AsOfOption = None,
    known_at: Annotated[
        str | None,
        typer.Option(
            "--known-at", help="按此时刻的登记查询（带时区）。 As the books stood then (ISO 8601 with a zone)."
        ),
    ] = None,
    policy: PolicyOption = None,
    fmt: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", help="输出格式 Output format: table, json, csv, xlsx.", case_sensitive=False),
    ] = StatsFormat.TABLE,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="写入文件 Write to this file (required for xlsx).")
    ] = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """统计表。 The summary tables counties publish, with a 合计 row and exact amounts.

    Amounts are exact to the fen and rounded once for display; when rounding (to 万元)
    makes the rows not add up to the 合计, a reconciliation line says by how much (the rows
    are not adjusted). Asset tables also give the share of funds in industry projects
    against the 2023 national target (≥ 60 %). Exit 0.

    Example: assetreg stats --db county.sqlite --by class --as-of 2024-12-31 -f xlsx -o summary.xlsx
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.domain.codes import AdminLevel  # noqa: PLC0415
        from assetreg.services.stats import StatSubject, stored_stats  # noqa: PLC0415
        from assetreg.stats import AmountUnit  # noqa: PLC0415

        zh = lang is Lang.ZH
        amount_unit = AmountUnit.parse(unit, field="--unit")
        try:
            area_level = AdminLevel(level)
        except ValueError:
            raise fail(
                f"--level {level!r} is not one of province, prefecture, county, township, village",
                f"--level {level!r} 应为 province、prefecture、county、township 或 village",
                lang,
            ) from None
        if fmt is StatsFormat.XLSX and out is None:
            raise fail("--format xlsx needs --out FILE.xlsx", "--format xlsx 需要 --out 文件.xlsx", lang)
        subject = StatSubject.parse(of, field="--of")
        day = as_of_date(as_of, lang)
        instant = None if known_at is None else recorded_instant(known_at, lang)
        chosen = load_policy(policy, lang) if subject is StatSubject.VALUES else None
        with open_store(db, lang) as engine:
            result = stored_stats(
                SqlUnitOfWork(engine),
                subject,
                by,
                as_of=day,
                known_at=instant,
                prefix=prefix,
                level=area_level,
                policy=chosen,
            )
        shown = result.table.shown(amount_unit, places)
        _render(result, shown, subject.value, fmt=fmt, out=out, zh=zh)

    run(body, lang)


def _render(result: StoredStats, shown: ShownTable, of: str, *, fmt: StatsFormat, out: Path | None, zh: bool) -> None:
    lang = "zh" if zh else "en"
    extra = industry_lines(result.industry, zh)
    if out is not None and fmt in {StatsFormat.XLSX, StatsFormat.CSV}:
        from assetreg.adapters.ledger.stats_writer import write_stat_table  # noqa: PLC0415

        write_stat_table(shown, out, lang=lang, extra=extra)
        return
    if fmt is StatsFormat.JSON:
        document = _document(result, shown, of)
        if out is None:
            write_json(document)
        else:
            import json  # noqa: PLC0415

            from assetreg.cli.render import plain  # noqa: PLC0415

            out.write_text(json.dumps(plain(document), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    if fmt is StatsFormat.CSV:
        write_csv(shown.records(lang))
        return
    table(shown.records(lang), title=shown.table.title_zh if zh else shown.table.title_en)
    for line in [r.message(lang) for r in shown.reconciliations]:
        OUT.print(line, markup=False)
    for en, zh_note in shown.table.notes:
        OUT.print(zh_note if zh else en, markup=False)
    for line in extra:
        OUT.print(line, markup=False)


class PlotKind(StrEnum):
    """What ``plot`` draws."""

    INCOME = "income"
    WATERFALL = "waterfall"
    TIERS = "tiers"
    STATUS = "status"


@app.command("plot", short_help="图表 Plot income, an allocation, its tiers, or assets by status (.png/.svg).")
def plot(  # noqa: PLR0917 - Typer passes options by keyword
    kind: Annotated[
        PlotKind,
        typer.Argument(
            help="income (收益年度图), waterfall (分配瀑布图), tiers (分配层级), status (资产状态×类别).",
            show_default=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="图片文件 The image, .png or .svg.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    by: Annotated[str, typer.Option("--by", help="收益图的分组 For income: class, area or kind.")] = "class",
    asset: Annotated[
        str | None, typer.Option("--asset", help="资产编号 For waterfall and tiers: the asset.", show_default=False)
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="分配方案 For waterfall and tiers: the plan preset.", show_default=False),
    ] = None,
    income: Annotated[
        Path | None,
        typer.Option("--income", help="收益台账 For waterfall and tiers (as in allocate).", show_default=False),
    ] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="受益农户名单 For waterfall and tiers.", show_default=False)
    ] = None,
    policy: PolicyOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = Lang.ZH,
) -> None:
    """图表。 Draw one plot from the database into a .png or .svg file.

    Chinese labels need a CJK font; without one the labels are English and a warning says
    so. waterfall and tiers distribute the asset's income as `assetreg allocate` does (with
    the same --plan, --income, --roster and --policy). Exit 0.

    Example: assetreg plot waterfall --db county.sqlite --asset LT-PV-001 --plan pv-45-55
    --income 收益台账.csv -o lt.svg
    """

    def body() -> None:
        import warnings  # noqa: PLC0415

        if out.suffix.lower() not in {".png", ".svg"}:
            raise fail(f"--out {out} must end in .png or .svg", f"--out {out} 应为 .png 或 .svg 文件", lang)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figure = _figure(
                kind,
                db=db,
                by=by,
                asset=asset,
                plan=plan,
                income=income,
                roster=roster,
                policy=policy,
                as_of=as_of,
                lang=lang,
            )
        from assetreg.adapters.plots import PlotFontWarning  # noqa: PLC0415

        if any(issubclass(w.category, PlotFontWarning) for w in caught):
            say(
                "no CJK font installed (e.g. fonts-noto-cjk): labels are in English",
                "未安装中文字体（如 fonts-noto-cjk）：图中标签为英文",
                lang,
            )
        figure.savefig(out)
        say(f"wrote {out}", f"已写入 {out}", lang)

    run(body, lang)


def _figure(
    kind: PlotKind,
    *,
    db: str,
    by: str,
    asset: str | None,
    plan: str | None,
    income: Path | None,
    roster: Path | None,
    policy: str | None,
    as_of: str | None,
    lang: Lang,
) -> Figure:
    from assetreg.adapters import plots  # noqa: PLC0415
    from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415

    wanted = lang.value
    if kind in {PlotKind.WATERFALL, PlotKind.TIERS}:
        if asset is None or plan is None:
            raise fail(f"plot {kind.value} needs --asset and --plan", f"plot {kind.value} 需要 --asset 和 --plan", lang)
        from assetreg.cli.income import _distribute  # noqa: PLC0415 - the allocate command's own reading

        notice = _distribute(db, asset, plan, income, roster, policy, lang)
        if kind is PlotKind.WATERFALL:
            return plots.notice_waterfall(notice, lang=wanted)
        return plots.notice_tiers(notice, lang=wanted)
    with open_store(db, lang) as engine:
        if kind is PlotKind.INCOME:
            from assetreg.services.stats import stored_income_series  # noqa: PLC0415

            day = None if as_of is None else as_of_date(as_of, lang)
            return plots.income_chart(stored_income_series(SqlUnitOfWork(engine), by, as_of=day), lang=wanted)
        from assetreg.services.stats import stored_status_by_class  # noqa: PLC0415

        table = stored_status_by_class(SqlUnitOfWork(engine), as_of=as_of_date(as_of, lang))
    return plots.status_chart(table, lang=wanted)
