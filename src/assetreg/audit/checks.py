"""Checks and their metadata (检查项), DESIGN §10.

A check is a plain function ``(books, *, as_of, policy) -> Iterable[Finding]``. Its
metadata — code, English and Chinese titles, the rule it enforces, its default severity
and the policy parameters it reads — travels with it as a :class:`Check`. Built-in and
custom checks are the same kind of object::

    @check(code="X-001", title_en="Roads without a village custodian",
           title_zh="道路未落实村级管护", rule="P5", severity="warning")
    def roads_kept_by_county(books, *, as_of, policy):
        for facts in books.facts(as_of).in_use():
            if facts.asset.kind is AssetKind.ROAD and facts.custodian_kind(books) is ...:
                yield roads_kept_by_county.finding(facts.asset_id, "…", "…")

A plain undecorated function can be handed to the runner as well; it gets metadata
derived from its name (see :func:`as_check`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import attrs

from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.errors import InvalidChoice, invalid_choice

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date

    from assetreg.audit.books import AuditBooks
    from assetreg.domain.policy import Policy

__all__ = ["Check", "CheckFunction", "CheckMeta", "as_check", "check"]


class CheckFunction(Protocol):
    """The shape of a check: ``(books, *, as_of, policy) -> Iterable[Finding]``."""

    def __call__(self, books: AuditBooks, /, *, as_of: date, policy: Policy) -> Iterable[Finding]:
        """Yield the findings over ``books`` on ``as_of`` under ``policy``."""
        ...


def _severity(value: Severity | str) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity(value)
    except InvalidChoice:
        raise invalid_choice("Severity", value, Severity.choices(), field="severity") from None


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class CheckMeta:
    """What a check is (检查项说明).

    Attributes:
        code: stable code (``"AUD-101"``); custom checks choose their own.
        title_en: a short English title.
        title_zh: the Chinese title (中文名称).
        rule: the rule enforced (``"P5"``; several as ``"P2/P13"``).
        severity: default severity of its findings.
        params: names of the :class:`~assetreg.domain.policy.Policy` fields it reads.
        needs: parts of the books it reads beyond the register (``"revenue"``,
            ``"deductions"``, ``"rosters"``, ``"plans"``, ``"distributions"``,
            ``"notices"``, ``"payments"``; see :meth:`AuditBooks.supplies`).
    """

    code: str
    title_en: str
    title_zh: str
    rule: str
    severity: Severity = attrs.field(default=Severity.WARNING, converter=_severity)
    params: tuple[str, ...] = attrs.field(default=(), converter=_names)
    needs: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def title(self, lang: str = "en") -> str:
        """The title in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.title_zh if lang == "zh" else self.title_en


@attrs.frozen
class Check:
    """A check function with its metadata; calling it runs the function.

    Attributes:
        meta: the metadata.
        func: the function ``(books, *, as_of, policy) -> Iterable[Finding]``.
    """

    meta: CheckMeta
    func: Callable[..., Iterable[Finding]] = attrs.field(eq=False)

    @property
    def code(self) -> str:
        """The check's code."""
        return self.meta.code

    def __call__(self, books: AuditBooks, /, *, as_of: date, policy: Policy) -> Iterable[Finding]:
        """Run the check function."""
        return self.func(books, as_of=as_of, policy=policy)

    def finding(
        self,
        subject: str,
        message_en: str,
        message_zh: str,
        *,
        evidence: Mapping[str, Any] | None = None,
        severity: Severity | str | None = None,
        subject_kind: SubjectKind | str = SubjectKind.ASSET,
        area: str | None = None,
    ) -> Finding:
        """Build a finding carrying this check's code, rule and default severity.

        Args:
            subject: id of the record concerned.
            message_en: English message (no personal data).
            message_zh: Chinese message.
            evidence: plain values (see :func:`~assetreg.audit.findings.plain`).
            severity: overrides the default severity.
            subject_kind: what ``subject`` names.
            area: the subject's 12-digit area code, when known.

        Raises:
            TypeError: evidence with a value that has no plain form.
        """
        return Finding(
            code=self.meta.code,
            severity=self.meta.severity if severity is None else severity,
            subject=subject,
            subject_kind=subject_kind,
            message_en=message_en,
            message_zh=message_zh,
            rule=self.meta.rule,
            evidence=evidence or {},
            area=area,
        )


def check(
    *,
    code: str,
    title_en: str,
    title_zh: str,
    rule: str,
    severity: Severity | str = Severity.WARNING,
    params: Iterable[str] = (),
    needs: Iterable[str] = (),
) -> Callable[[Callable[..., Iterable[Finding]]], Check]:
    """Decorate a function ``(books, *, as_of, policy)`` as a :class:`Check`.

    The decorated name is the :class:`Check`; its :meth:`Check.finding` builds findings
    with the metadata filled in. Pass it to :func:`~assetreg.audit.runner.run_checks`
    (alone, or with ``extra=`` next to the catalogue).
    """
    meta = CheckMeta(
        code=code,
        title_en=title_en,
        title_zh=title_zh,
        rule=rule,
        severity=severity,
        params=tuple(params),
        needs=tuple(needs),
    )

    def wrap(func: Callable[..., Iterable[Finding]]) -> Check:
        return Check(meta, func)

    return wrap


def as_check(func: Check | Callable[..., Iterable[Finding]]) -> Check:
    """Return ``func`` as a :class:`Check`.

    A plain function gets ``code`` ``"CUSTOM-<name>"``, its name (or its docstring's
    first line) as both titles, rule ``"custom"`` and warning severity; the findings it
    yields keep their own codes and severities.
    """
    if isinstance(func, Check):
        return func
    name = getattr(func, "__name__", type(func).__name__)
    doc = (getattr(func, "__doc__", None) or "").strip().splitlines()
    title = doc[0] if doc else name
    return Check(
        CheckMeta(code=f"CUSTOM-{name}", title_en=title, title_zh=title, rule="custom"),
        func,
    )
