"""The audit runner (审计执行): run checks, never stop at the first finding, DESIGN §10.

:func:`run_checks` runs every check over the books and returns all findings in a
deterministic order (severity, code, subject). A check that raises does not stop the
run: what it yielded before the crash is kept, and the crash becomes a finding of its
own, ``AUD-000``, naming the check and the exception type (the exception's text is left
out: it may carry personal data).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from assetreg.audit.books import AuditBooks
from assetreg.audit.checks import Check, as_check
from assetreg.audit.findings import Finding, Severity, SubjectKind, sort_findings
from assetreg.domain.vocab import AssetClass
from assetreg.errors import InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from datetime import date, datetime

    from assetreg.domain.policy import Policy
    from assetreg.domain.register import AssetRegister

__all__ = ["CRASH_CODE", "AuditReport", "NotRun", "run", "run_audit", "run_checks", "select_checks"]

CRASH_CODE = "AUD-000"
"""Code of the finding a crashing check turns into."""


_PART_NAMES: dict[str, tuple[str, str]] = {
    "revenue": ("revenue entries", "收益记录"),
    "distributions": ("distributions", "分配记录"),
    "notices": ("public notices", "公示记录"),
    "beneficiaries": ("reviewed beneficiary lists", "受益名单"),
}


@attrs.frozen(kw_only=True)
class NotRun:
    """A check that did not run, and why (never a silent skip, DESIGN §10).

    Attributes:
        code: the check's code (``"AUD-605"``).
        title_en: its title in English.
        title_zh: its title in Chinese.
        missing: the parts of the books it needs that were not supplied (``("revenue",)``).
    """

    code: str
    title_en: str
    title_zh: str
    missing: tuple[str, ...]

    def reason(self, lang: str = "en") -> str:
        """Why it did not run, in ``lang`` (``"en"`` or ``"zh"``)."""
        if lang == "zh":
            return "缺少" + "、".join(_PART_NAMES.get(p, (p, p))[1] for p in self.missing)
        return "no " + ", ".join(_PART_NAMES.get(p, (p, p))[0] for p in self.missing) + " supplied"

    def to_dict(self) -> dict[str, object]:
        """``{"code", "reason", "reason_zh", "missing"}`` for the JSON output."""
        return {
            "code": self.code,
            "reason": self.reason("en"),
            "reason_zh": self.reason("zh"),
            "missing": list(self.missing),
        }


@attrs.frozen(kw_only=True)
class AuditReport:
    """Every finding of a run, and the checks that could not run with the reason.

    Attributes:
        findings: sorted findings (severity, code, subject).
        not_run: the checks skipped because the books lack a part they need, by code.
    """

    findings: tuple[Finding, ...]
    not_run: tuple[NotRun, ...] = ()


def select_checks(
    checks: Iterable[Check | Callable[..., Iterable[Finding]]], codes: Iterable[str] | None = None
) -> tuple[Check, ...]:
    """The checks whose code starts with one of ``codes`` (all when ``None``)."""
    wanted = None if codes is None else ((codes,) if isinstance(codes, str) else tuple(codes))
    out = []
    for item in checks:
        chk = as_check(item)
        if wanted is None or chk.code.startswith(wanted):
            out.append(chk)
    return tuple(out)


class _NotAFindingError(TypeError):
    """A check yielded something that is not a :class:`Finding` (its type name is the text)."""


def _checked(items: Iterable[object]) -> Iterator[Finding]:
    for item in items:
        if not isinstance(item, Finding):
            raise _NotAFindingError(type(item).__name__)
        yield item


def _crash(chk: Check, exc: Exception) -> Finding:
    if isinstance(exc, _NotAFindingError):
        yielded = str(exc)
        return Finding(
            code=CRASH_CODE,
            severity=Severity.ERROR,
            subject=chk.code,
            subject_kind=SubjectKind.CHECK,
            message_en=f"check {chk.code} ({chk.meta.title_en}) yielded a {yielded}, not a Finding",
            message_zh=f"检查项 {chk.code}（{chk.meta.title_zh}）返回了 {yielded}，而不是检查发现（Finding）",
            rule="§10",
            evidence={"check": chk.code, "exception": "TypeError", "yielded": yielded},
        )
    kind = type(exc).__name__
    code = getattr(exc, "code", None)
    evidence: dict[str, Any] = {"check": chk.code, "exception": kind}
    if isinstance(code, str):
        evidence["error_code"] = code
    return Finding(
        code=CRASH_CODE,
        severity=Severity.ERROR,
        subject=chk.code,
        subject_kind=SubjectKind.CHECK,
        message_en=f"check {chk.code} ({chk.meta.title_en}) crashed with {kind}",
        message_zh=f"检查项 {chk.code}（{chk.meta.title_zh}）运行出错：{kind}",
        rule="§10",
        evidence=evidence,
    )


_E = TypeVar("_E", bound=enum.Enum)


def _member(kind: type[_E], value: _E | str, field: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise InvalidValue(
            f"{field}: {value!r} is not a {kind.__name__} ({allowed})",
            f"{field}：{value!r} 不是有效的 {kind.__name__}（可选：{allowed}）",
            field=field,
            actual=value,
            expected=allowed,
        ) from None


def run_audit(
    target: AuditBooks | AssetRegister,
    *,
    as_of: date,
    policy: Policy,
    checks: Iterable[Check | Callable[..., Iterable[Finding]]] | None = None,
    extra: Iterable[Check | Callable[..., Iterable[Finding]]] = (),
    codes: Iterable[str] | None = None,
    prefix: str | None = None,
    classes: Iterable[AssetClass | str] | None = None,
    known_at: datetime | None = None,
    min_severity: Severity | str | None = None,
) -> AuditReport:
    """Run checks over the books; return every finding, sorted, and the checks that did not run.

    Args:
        target: the books, or a bare register (wrapped in :class:`AuditBooks`).
        as_of: the audit date; events effective after it are not seen.
        policy: the policy whose parameters the checks read.
        checks: the checks to run (the built-in :data:`~assetreg.audit.CATALOGUE` when
            ``None``); decorated checks or plain functions. A check whose ``needs`` names
            a part the books were not given (revenue, distributions…) does not run and
            is listed in :attr:`AuditReport.not_run` with the part it lacks.
        extra: more checks run after ``checks`` (custom checks next to the catalogue).
        codes: run only checks whose code starts with one of these (``["AUD-1"]``).
        prefix: audit only assets (and parties, distributions) inside this area-code
            prefix (``"620422"`` for 会宁县).
        classes: audit only assets of these classes.
        known_at: audit the register as it was known at this instant (overrides the
            books' own ``known_at``).
        min_severity: drop findings below this severity.

    Returns:
        The findings in the order severity (errors first), code, subject, and the checks
        not run, by code.

    Raises:
        TypeError: ``target`` is neither books nor a register.
        InvalidValue: an unknown class in ``classes`` or an unknown ``min_severity``.
    """
    books = AuditBooks.of(target)
    if known_at is not None:
        books = attrs.evolve(books, known_at=known_at)
    wanted_classes = None if classes is None else [_member(AssetClass, c, "classes") for c in classes]
    books = books.restrict(prefix=prefix, classes=wanted_classes)
    if checks is None:
        from assetreg.audit.catalogue import CATALOGUE  # noqa: PLC0415 - the catalogue imports this module

        checks = CATALOGUE
    selected = select_checks([*checks, *extra], codes)
    findings: list[Finding] = []
    skipped: list[NotRun] = []
    for chk in selected:
        missing = tuple(part for part in chk.meta.needs if not books.supplies(part))
        if missing:
            skipped.append(
                NotRun(code=chk.code, title_en=chk.meta.title_en, title_zh=chk.meta.title_zh, missing=missing)
            )
            continue
        try:
            findings.extend(_checked(chk(books, as_of=as_of, policy=policy)))
        except Exception as exc:  # noqa: BLE001 - a crashing check becomes a finding
            findings.append(_crash(chk, exc))
    if prefix is not None:
        findings = [f for f in findings if f.area is None or f.area.startswith(prefix)]
    if min_severity is not None:
        limit = _member(Severity, min_severity, "min_severity").rank
        findings = [f for f in findings if f.severity.rank <= limit]
    return AuditReport(findings=sort_findings(findings), not_run=tuple(sorted(skipped, key=lambda n: n.code)))


def run_checks(
    target: AuditBooks | AssetRegister,
    *,
    as_of: date,
    policy: Policy,
    checks: Iterable[Check | Callable[..., Iterable[Finding]]] | None = None,
    extra: Iterable[Check | Callable[..., Iterable[Finding]]] = (),
    codes: Iterable[str] | None = None,
    prefix: str | None = None,
    classes: Iterable[AssetClass | str] | None = None,
    known_at: datetime | None = None,
    min_severity: Severity | str | None = None,
) -> tuple[Finding, ...]:
    """Run checks over the books and return every finding, sorted (:func:`run_audit` without ``not_run``).

    Takes the arguments of :func:`run_audit`; checks lacking a part of the books do not run.

    Raises:
        TypeError: ``target`` is neither books nor a register.
        InvalidValue: an unknown class in ``classes`` or an unknown ``min_severity``.
    """
    return run_audit(
        target,
        as_of=as_of,
        policy=policy,
        checks=checks,
        extra=extra,
        codes=codes,
        prefix=prefix,
        classes=classes,
        known_at=known_at,
        min_severity=min_severity,
    ).findings


run = run_checks
"""Alias of :func:`run_checks`."""
