"""Audit findings (审计发现): what a check reports, as plain data, DESIGN §10.

A :class:`Finding` is a value, never an exception: one bad record never hides the rest.
Its ``evidence`` holds plain values only (text, integers, booleans, ``None`` and tuples
of those) so that the same finding renders as a table, JSON or CSV and compares equal
whether it was computed in memory or inside a database.

Conventions for evidence values (applied by :func:`plain`): money as text with exactly
two places in yuan (``"1234.50"``), dates as ISO text, fractions as ``"1/3"``, enums by
their stable string value, area codes by their 12 digits, resident ids masked.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.money import Money
from assetreg.domain.vocab import Vocabulary
from assetreg.errors import InvalidChoice, invalid_choice

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "Finding",
    "PlainValue",
    "Severity",
    "SubjectKind",
    "finding_sort_key",
    "has_errors",
    "plain",
    "sort_findings",
]

PlainValue = str | int | bool | None | tuple["PlainValue", ...]
"""A value allowed in a finding's evidence."""


class Severity(Vocabulary):
    """How serious a finding is (严重程度).

    ``ERROR`` breaks a rule (``assetreg check`` exits 1), ``WARNING`` needs a look,
    ``INFO`` is for the record.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info (the sort order of findings)."""
        return _RANK[self]

    @property
    def label_zh(self) -> str:
        """The Chinese term (错误 / 警告 / 提示)."""
        return _SEVERITY_ZH[self]


_RANK: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_SEVERITY_ZH: Final = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


class SubjectKind(Vocabulary):
    """What a finding is about (对象类型)."""

    ASSET = "asset"
    PARTY = "party"
    REVENUE = "revenue"
    ALLOCATION = "allocation"
    NOTICE = "notice"
    CHECK = "check"
    CELL = "cell"
    """A cell, row, column or sheet of an input file (台账单元格): ``"台账!K7"``."""

    @property
    def label_zh(self) -> str:
        """The Chinese term."""
        return _SUBJECT_ZH[self]


_SUBJECT_ZH: Final = {
    SubjectKind.ASSET: "资产",
    SubjectKind.PARTY: "主体",
    SubjectKind.REVENUE: "收益",
    SubjectKind.ALLOCATION: "分配",
    SubjectKind.NOTICE: "公示",
    SubjectKind.CHECK: "检查项",
    SubjectKind.CELL: "单元格",
}


def plain(value: Any) -> PlainValue:  # noqa: C901, PLR0911 - one branch per value type
    """Convert a domain value into a plain evidence value (see the module docstring).

    Raises:
        TypeError: a ``float`` (never allowed near money) or a value with no plain form.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError("float is not a plain evidence value; use Money, Fraction or Decimal")
    if isinstance(value, Money):
        return value.to_json()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, AdminCode | CreditCode):
        return value.value
    if isinstance(value, ResidentId):
        return value.masked
    if isinstance(value, tuple | list | frozenset | set):
        items = [plain(v) for v in value]
        if isinstance(value, frozenset | set):
            items.sort(key=lambda v: json.dumps(v, ensure_ascii=False))
        return tuple(items)
    raise TypeError(f"{type(value).__name__} has no plain evidence form")


def _evidence(value: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Mapping[str, PlainValue]:
    items = dict(value)
    for key in items:
        if not isinstance(key, str):
            raise TypeError("evidence keys are text")
    return MappingProxyType({k: plain(items[k]) for k in sorted(items)})


def _severity(value: Severity | str) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity(value)
    except InvalidChoice:
        raise invalid_choice("Severity", value, Severity.choices(), field="severity") from None


def _subject_kind(value: SubjectKind | str) -> SubjectKind:
    return value if isinstance(value, SubjectKind) else SubjectKind(value)


@attrs.frozen(kw_only=True)
class Finding:
    """One audit result (发现), DESIGN §10.

    Attributes:
        code: the check's stable code (``"AUD-101"``); crashing checks give ``"AUD-000"``.
        severity: error, warning or info.
        subject: id of what the finding is about (asset, party, revenue entry, allocation,
            notice or check id).
        subject_kind: what kind of record ``subject`` names.
        message_en: the English message (no personal data).
        message_zh: the Chinese message (中文说明).
        rule: the rule enforced (``"P4"``, ``"§6"``…), as in DESIGN §7.
        evidence: plain values supporting the finding, sorted by key.
        area: the 12-digit area code of the subject, when it has one (for filters and
            county grouping).

    Raises:
        TypeError: evidence that is not plain (e.g. a ``float``).
        ValueError: an unknown severity or subject kind.
    """

    code: str
    severity: Severity = attrs.field(converter=_severity)
    subject: str
    subject_kind: SubjectKind = attrs.field(default=SubjectKind.ASSET, converter=_subject_kind)
    message_en: str
    message_zh: str
    rule: str
    evidence: Mapping[str, PlainValue] = attrs.field(factory=dict, converter=_evidence, hash=False)
    area: str | None = None

    def __hash__(self) -> int:
        """Hash of code, severity, subject and message (evidence is a mapping)."""
        return hash((self.code, self.severity, self.subject, self.message_en))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.message_zh if lang == "zh" else self.message_en

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready plain values (the stable schema of :mod:`.render`)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "subject": self.subject,
            "subject_kind": self.subject_kind.value,
            "area": self.area,
            "rule": self.rule,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "evidence": {k: _jsonable(v) for k, v in self.evidence.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Rebuild a finding from :meth:`to_dict` output.

        Raises:
            KeyError: a required key is missing.
            ValueError: unknown severity or subject kind.
        """
        return cls(
            code=data["code"],
            severity=data["severity"],
            subject=data["subject"],
            subject_kind=data.get("subject_kind", "asset"),
            area=data.get("area"),
            rule=data["rule"],
            message_en=data["message_en"],
            message_zh=data["message_zh"],
            evidence={k: _from_json(v) for k, v in dict(data.get("evidence", {})).items()},
        )


def _jsonable(value: PlainValue) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    return value


def finding_sort_key(finding: Finding) -> tuple[int, str, str, str, str]:
    """The deterministic order of findings: severity (errors first), code, subject.

    Message and evidence break the remaining ties.
    """
    return (
        finding.severity.rank,
        finding.code,
        finding.subject,
        finding.message_en,
        json.dumps(finding.to_dict()["evidence"], ensure_ascii=False, sort_keys=True),
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return ``findings`` in the deterministic order of :func:`finding_sort_key`."""
    return tuple(sorted(findings, key=finding_sort_key))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is at error severity (``assetreg check`` then exits 1)."""
    return any(f.severity is Severity.ERROR for f in findings)
