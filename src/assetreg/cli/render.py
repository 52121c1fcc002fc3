"""Rendering for the ``assetreg`` command: tables, JSON and CSV, with personal data masked.

Data goes to standard output (:data:`OUT`); status lines, progress and ledger issues beside
data go to standard error (:data:`ERRORS`), so ``--format json`` output can be piped.
Anything shaped like an 18-character resident id (公民身份号码) is masked before it is
printed (DESIGN §4). JSON and CSV carry exact decimals and fractions as text, never floats.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from assetreg.domain.codes import mask_resident_ids

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from assetreg.audit import Finding, NotRun
    from assetreg.income.distribution import IncomeNotice

__all__ = [
    "ERRORS",
    "OUT",
    "ProgressBar",
    "ProgressHook",
    "issue_rows",
    "kind_label",
    "mask_ids",
    "notice_document",
    "plain",
    "print_notice",
    "print_reconciled",
    "render_findings_table",
    "show_issues",
    "table",
    "write_csv",
    "write_json",
    "yuan",
]

Row = Mapping[str, object]

# Notice tables are wide; when the output is not a terminal (a pipe, a file, CI) Rich would
# wrap at 80 columns, so give it room.
OUT = Console(width=None if sys.stdout.isatty() else 160, highlight=False)
"""Standard output: the data a command prints."""
ERRORS = Console(stderr=True, soft_wrap=True, highlight=False)
"""Standard error: status lines, progress, problems beside data."""


def mask_ids(text: str) -> str:
    """Mask anything shaped like an 18-character resident id (its birth date a real date).

    ``"620422199001011234"`` becomes ``"620422********1234"``
    (:func:`~assetreg.domain.codes.mask_resident_ids`).
    """
    return mask_resident_ids(text)


def plain(value: object) -> object:
    """A JSON/CSV-ready value: exact decimals and fractions as text, never floats; ids masked."""
    out = value
    if isinstance(value, Decimal | Fraction):
        out = str(value)
    elif isinstance(value, date | datetime):
        out = value.isoformat()
    elif isinstance(value, Enum):
        out = value.value
    elif isinstance(value, str):
        out = mask_ids(value)
    elif isinstance(value, dict):
        out = {k: plain(v) for k, v in value.items()}
    elif isinstance(value, list | tuple):
        out = [plain(v) for v in value]
    return out


def write_json(document: Mapping[str, object]) -> None:
    """Write ``document`` to standard output as indented UTF-8 JSON."""
    sys.stdout.write(json.dumps(plain(dict(document)), ensure_ascii=False, indent=2) + "\n")


def _csv_cell(value: object) -> str:
    from assetreg.adapters.ledger.importer import neutralise  # noqa: PLC0415

    if value is None:
        return ""
    text = str(plain(value))
    return neutralise(text) if isinstance(value, str) else text  # numbers stay numbers


def write_csv(rows: Sequence[Row]) -> None:
    """Write ``rows`` to standard output as CSV (the first row's keys are the headers)."""
    headers = list(rows[0]) if rows else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for r in rows:
        writer.writerow([_csv_cell(r[h]) for h in headers])
    sys.stdout.write(buffer.getvalue())


def _rich_table(rows: Sequence[Row], title: str | None) -> Table:
    headers = list(rows[0]) if rows else []
    out = Table(title=title, show_lines=False)
    for h in headers:
        out.add_column(h, overflow="fold")
    for r in rows:
        out.add_row(*("" if r[h] is None else str(plain(r[h])) for h in headers))
    return out


def table(rows: Sequence[Row], *, title: str | None = None, console: Console = OUT) -> None:
    """Print ``rows`` as a table (the first row's keys are the headers)."""
    console.print(_rich_table(rows, title))


def yuan(amount: Decimal | str) -> str:
    """``Decimal('30339.00')`` → ``"30,339.00"``."""
    return f"{Decimal(amount):,.2f}"


def render_findings_table(findings: Sequence[Finding], lang: str, *, not_run: Sequence[NotRun] = ()) -> None:
    """Print audit findings (and the checks not run) with the audit's table renderer (``lang``: zh/en)."""
    from assetreg.audit import render_table  # noqa: PLC0415

    OUT.print(mask_ids(render_table(findings, lang=lang, not_run=not_run)), markup=False)


# -- ledger issues --------------------------------------------------------------------------
def issue_rows(issues: Iterable[Finding], zh: bool) -> list[dict[str, object]]:
    """Problems in input files (ledger, roster, income) as table rows with Chinese or English headers.

    Each is an audit :class:`~assetreg.audit.Finding` about a cell: sheet, row and column
    come from its evidence (``sheet``, ``row``, ``column_letter``/``column``, ``value``).
    """
    names = (
        ("级别", "工作表", "行", "列", "值", "代码", "原因")
        if zh
        else ("severity", "sheet", "row", "column", "value", "code", "reason")
    )
    rows: list[dict[str, object]] = []
    for f in issues:
        cell = f.evidence
        rows.append(
            dict(
                zip(
                    names,
                    (
                        f.severity.label_zh if zh else f.severity.value,
                        cell.get("sheet", f.subject),
                        cell.get("row"),
                        cell.get("column_letter") or cell.get("column"),
                        mask_ids(str(cell.get("value") or "")),
                        f.code,
                        f.message_zh if zh else f.message_en,
                    ),
                    strict=True,
                )
            )
        )
    return rows


def show_issues(issues: Sequence[Finding], zh: bool, *, to_stderr: bool = False) -> None:
    """Print ledger issues as a table (on standard error when standard output carries data)."""
    rows = issue_rows(issues, zh)
    if rows:
        table(rows, title="台账问题" if zh else "ledger issues", console=ERRORS if to_stderr else OUT)


class ProgressBar:
    """A Rich progress bar on standard error fed by ``progress(done, total)`` hooks, in phases.

    Shown for 1,000 rows or more, or when ``show`` says so (a phase whose total is not known
    yet, such as reading a file, pulses). Use as
    ``with ProgressBar(n, "导入") as tick: ...``; ``tick.phase("写入")`` starts the next phase
    on the same bar.
    """

    def __init__(self, total: int | None, label: str, *, show: bool | None = None) -> None:
        from rich.progress import Progress  # noqa: PLC0415

        shown = (total is not None and total >= 1000) if show is None else show  # noqa: PLR2004
        self.progress: Progress = Progress(console=ERRORS, transient=True, disable=not shown)
        self.task: TaskID = self.progress.add_task(label, total=total)

    def __enter__(self) -> ProgressHook:
        self.progress.start()
        return ProgressHook(self)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()


class ProgressHook:
    """The ``progress(done, total)`` hook of a :class:`ProgressBar`, with :meth:`phase`."""

    def __init__(self, bar: ProgressBar) -> None:
        self.bar = bar

    def __call__(self, done: int, total: int) -> None:
        """``done`` of ``total`` rows of the current phase."""
        self.bar.progress.update(self.bar.task, completed=done, total=total)

    def phase(self, label: str, total: int | None = None) -> None:
        """Start the next phase (``total`` rows, or unknown yet) on the same bar."""
        self.bar.progress.reset(self.bar.task, total=total, description=label)


# -- allocations and notices ----------------------------------------------------------------
def kind_label(kind: str, zh: bool) -> str:
    """A beneficiary kind's Chinese label (or its value in English)."""
    from assetreg.income import BeneficiaryKind  # noqa: PLC0415

    try:
        return BeneficiaryKind(kind).label_zh if zh else kind
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


def print_reconciled(result: IncomeNotice, zh: bool) -> None:
    """The reconciliation line: the lines' total against the distributable income, to the fen."""
    ok = result.reconciles
    total = result.total.format_yuan(grouping=True)
    net = result.income.net.format_yuan(grouping=True)
    if zh:
        text = (
            f"核对：分配合计 {total} 元 = 可分配收益 {net} 元，分毫不差"
            if ok
            else f"核对失败：分配合计 {total} 元 ≠ 可分配收益 {net} 元"
        )
    else:
        text = (
            f"reconciled: lines total {total} = distributable income {net} yuan, to the fen"
            if ok
            else f"NOT reconciled: lines total {total} != distributable income {net} yuan"
        )
    OUT.print(text, markup=False)


def notice_document(result: IncomeNotice) -> dict[str, object]:
    """The notice as the ``assetreg/notice`` v1 JSON document."""
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


def _notice_head(result: IncomeNotice, zh: bool) -> str:
    income = result.income
    gross = income.gross.format_yuan(grouping=True)
    deducted = income.total_deducted.format_yuan(grouping=True)
    net = income.net.format_yuan(grouping=True)
    if zh:
        return (
            f"{result.asset_name}（{result.asset_id}）收益分配公示\n"
            f"收益期间 {result.period.start} 至 {result.period.last}；收益 {gross} 元，"
            f"扣除 {deducted} 元，可分配 {net} 元\n"
            f"公示期 {result.posted_on} 至 {result.closes_on}；方案 {result.plan}"
        )
    return (
        f"{result.asset_name} ({result.asset_id}) income distribution notice\n"
        f"period {result.period.start} to {result.period.last}; income {gross} yuan, "
        f"deducted {deducted}, distributable {net}\n"
        f"posted {result.posted_on}, closes {result.closes_on}; plan {result.plan}"
    )


def print_notice(result: IncomeNotice, zh: bool) -> None:
    """Print the public-notice table (公示表) with its head, total, reconciliation and notes."""
    OUT.print(mask_ids(_notice_head(result, zh)), markup=False)
    out = Table(show_footer=True)
    columns = (
        ("序号", "受益对象", "类型", "金额(元)", "依据") if zh else ("#", "payee", "kind", "amount (yuan)", "basis")
    )
    total = result.total.format_yuan(grouping=True)
    footers = ("", "合计" if zh else "total", "", total, "")
    for index, title in enumerate(columns):
        out.add_column(title, footer=footers[index], justify="right" if index in {0, 3} else "left", overflow="fold")
    for row in result.rows():
        amount = row["金额(元)"]
        out.add_row(
            str(row["序号"]),
            mask_ids(str(row["对象"])),
            str(row["类型"]),
            yuan(amount if isinstance(amount, Decimal | str) else str(amount)),
            mask_ids(str(row["依据"])),
        )
    OUT.print(out)
    print_reconciled(result, zh)
    for item in result.income.not_deducted:
        kind = item.kind.value
        amount_text = item.amount.format_yuan(grouping=True)
        OUT.print(
            f"未扣除：{_DEDUCTION_ZH.get(kind, kind)} {amount_text} 元（{item.note}）"
            if zh
            else f"not deducted: {kind} {amount_text} yuan ({item.note})",
            markup=False,
        )
