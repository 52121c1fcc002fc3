"""Render findings (输出): aligned plain-text table, JSON and CSV.

The JSON schema is stable::

    {"schema": "assetreg/findings", "version": 1,
     "as_of": "2024-12-31" | null, "policy": "national-2021" | null,
     "summary": {"error": 1, "warning": 0, "info": 2, "total": 3},
     "findings": [{"code", "severity", "subject", "subject_kind", "area", "rule",
                   "message_en", "message_zh", "evidence": {...}}, ...],
     "not_run": [{"code", "reason", "reason_zh", "missing": ["revenue", ...]}, ...]}

``not_run`` lists the checks that could not run because the books lack a part they need
(an empty list when every check ran, or when the caller did not say).

Money in evidence is yuan text with two places, dates ISO text, resident ids masked.
Renderers return text; writing it is the caller's job.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from assetreg.audit.findings import Finding, Severity, sort_findings

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from assetreg.audit.runner import NotRun

__all__ = [
    "CSV_COLUMNS",
    "JSON_SCHEMA",
    "JSON_VERSION",
    "findings_from_json",
    "render_csv",
    "render_json",
    "render_table",
    "summary",
]

JSON_SCHEMA: Final = "assetreg/findings"
JSON_VERSION: Final = 1
CSV_COLUMNS: Final = (
    "code",
    "severity",
    "subject",
    "subject_kind",
    "area",
    "rule",
    "message_en",
    "message_zh",
    "evidence",
)

_HEADERS: Final = {
    "en": ("Severity", "Code", "Subject", "Rule", "Message"),
    "zh": ("级别", "代码", "对象", "规则", "说明"),
}


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts by severity plus ``total``: ``{"error": 1, "warning": 0, "info": 2, "total": 3}``."""
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    counts["total"] = sum(counts.values())
    return counts


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(findings: Iterable[Finding], *, lang: str = "en", not_run: Sequence[NotRun] = ()) -> str:
    """An aligned plain-text table, one finding per line, then a summary line.

    Checks that did not run follow the summary, one per line with the reason.

    Columns are aligned by display width (a Chinese character takes two columns).

    Args:
        findings: the findings (rendered in the deterministic order).
        lang: ``"en"`` or ``"zh"`` for headers, severities and messages.
        not_run: checks that did not run (:attr:`~assetreg.audit.AuditReport.not_run`).

    Raises:
        ValueError: ``lang`` is neither ``"en"`` nor ``"zh"``.
    """
    if lang not in _HEADERS:
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    ordered = sort_findings(findings)
    rows: list[Sequence[str]] = [_HEADERS[lang]]
    for f in ordered:
        severity = f.severity.label_zh if lang == "zh" else f.severity.value
        rows.append((severity, f.code, f.subject, f.rule, f.message(lang)))
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        cells = [_pad(row[i], widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    counts = summary(ordered)
    if lang == "zh":
        lines.append(
            f"共 {counts['total']} 条：错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"
        )
    else:
        lines.append(
            f"{counts['total']} findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
        )
    if not_run:
        lines.append(f"未运行的检查 {len(not_run)} 项：" if lang == "zh" else f"{len(not_run)} checks did not run:")
        for item in not_run:
            title = item.title_zh if lang == "zh" else item.title_en
            lines.append(
                f"  {item.code}  {title}：{item.reason('zh')}"
                if lang == "zh"
                else f"  {item.code}  {title}: {item.reason('en')}"
            )
    return "\n".join(lines) + "\n"


def render_json(
    findings: Iterable[Finding],
    *,
    as_of: date | None = None,
    policy: str | None = None,
    indent: int | None = 2,
    not_run: Sequence[NotRun] = (),
) -> str:
    """The findings (and the checks not run) as JSON text in the stable schema (module docstring)."""
    ordered = sort_findings(findings)
    document: dict[str, Any] = {
        "schema": JSON_SCHEMA,
        "version": JSON_VERSION,
        "as_of": as_of.isoformat() if as_of else None,
        "policy": policy,
        "summary": summary(ordered),
        "findings": [f.to_dict() for f in ordered],
        "not_run": [n.to_dict() for n in not_run],
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def findings_from_json(text: str) -> tuple[Finding, ...]:
    """Read findings back from :func:`render_json` output.

    Raises:
        ValueError: not a findings document of a known version.
    """
    document = json.loads(text)
    if document.get("schema") != JSON_SCHEMA or document.get("version") != JSON_VERSION:
        raise ValueError("not an assetreg/findings version 1 document")
    return tuple(Finding.from_dict(item) for item in document["findings"])


def render_csv(findings: Iterable[Finding]) -> str:
    """The findings as CSV text with a header row (:data:`CSV_COLUMNS`); evidence as compact JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in sort_findings(findings):
        data = f.to_dict()
        writer.writerow(
            [
                data["code"],
                data["severity"],
                data["subject"],
                data["subject_kind"],
                data["area"] or "",
                data["rule"],
                data["message_en"],
                data["message_zh"],
                json.dumps(data["evidence"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            ]
        )
    return buffer.getvalue()
