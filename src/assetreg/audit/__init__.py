"""Audit (审计): findings, the check catalogue, the runner and renderers, DESIGN §10.

Run the built-in catalogue over a register (or :class:`AuditBooks` with income records)::

    findings = run_checks(register, as_of=date(2024, 12, 31), policy=NATIONAL_2021)
    print(render_table(findings, lang="zh"))
    exit_code = 1 if has_errors(findings) else 0

Write your own check as a plain function, or decorate it with :func:`check`, and pass
it with ``extra=``. Tamper evidence of event histories lives in :mod:`assetreg.audit.chain`;
published figures are checked as claims in :mod:`assetreg.audit.claims`.
"""

from __future__ import annotations

from assetreg.audit.books import (
    AssetFacts,
    AuditBooks,
    RegisterFacts,
    RevenueLike,
)
from assetreg.audit.catalogue import CATALOGUE, catalogue_table, check_by_code
from assetreg.audit.chain import (
    ChainLink,
    ChainProblem,
    ChainReport,
    HashChain,
    canonical_event,
    verify,
)
from assetreg.audit.checks import Check, CheckMeta, as_check, check
from assetreg.audit.claims import (
    PublishedAmount,
    PublishedFigure,
    parts_add_up,
    same_figure,
    same_total_at_precisions,
    whole_multiple,
    within_range,
)
from assetreg.audit.findings import Finding, Severity, SubjectKind, has_errors, plain, sort_findings
from assetreg.audit.pv_screening import ScreeningRow, pv_screening, render_screening_csv, render_screening_table
from assetreg.audit.render import findings_from_json, render_csv, render_json, render_table, summary
from assetreg.audit.runner import CRASH_CODE, AuditReport, NotRun, run, run_audit, run_checks, select_checks

__all__ = [
    "CATALOGUE",
    "CRASH_CODE",
    "AssetFacts",
    "AuditBooks",
    "AuditReport",
    "ChainLink",
    "ChainProblem",
    "ChainReport",
    "Check",
    "CheckMeta",
    "Finding",
    "HashChain",
    "NotRun",
    "PublishedAmount",
    "PublishedFigure",
    "RegisterFacts",
    "RevenueLike",
    "ScreeningRow",
    "Severity",
    "SubjectKind",
    "as_check",
    "canonical_event",
    "catalogue_table",
    "check",
    "check_by_code",
    "findings_from_json",
    "has_errors",
    "parts_add_up",
    "plain",
    "pv_screening",
    "render_csv",
    "render_json",
    "render_screening_csv",
    "render_screening_table",
    "render_table",
    "run",
    "run_audit",
    "run_checks",
    "same_figure",
    "same_total_at_precisions",
    "select_checks",
    "sort_findings",
    "summary",
    "verify",
    "whole_multiple",
    "within_range",
]
