"""Documents kept as evidence of an asset's events (档案/佐证材料), issue 17.

The county rules since 2021 give asset archives (档案) a chapter of their own: approvals
(批复), acceptance records (验收单), handover deeds (移交书), ownership certificates (权属证书)
and meeting minutes (会议纪要) are what an event rests on. An :class:`Evidence` value names
one document: its kind, number, date, issuer, the SHA-256 of the file's bytes (so a copy can
be checked against it later) and where it is kept; storing the file itself is the caller's
choice. Documents are linked to an event by an
:class:`~assetreg.domain.events.EvidenceAttached` event naming it, so evidence can follow an
event later without editing it (history stays append-only). ``Policy.required_evidence``
names the documents each kind of event needs; AUD-961 reports what is missing.

Pure values: :func:`content_hash` hashes bytes the caller has read; nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

import attrs

from assetreg.domain.vocab import Vocabulary, member_of
from assetreg.errors import InvalidValue, wrong_type

__all__ = ["Evidence", "EvidenceKind", "content_hash"]

_SHA256: Final = re.compile(r"[0-9a-f]{64}")


class EvidenceKind(Vocabulary):
    """What a document is (佐证材料类型)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _EVIDENCE_KIND_ZH

    APPROVAL = "approval"
    """An approval document (批复/审批文件)."""
    ACCEPTANCE = "acceptance"
    """An acceptance record of the completed project (验收单/竣工验收报告)."""
    HANDOVER_DEED = "handover_deed"
    """A handover deed signed by giver and receiver (移交书/移交清单)."""
    OWNERSHIP_CERTIFICATE = "ownership_certificate"
    """An ownership certificate (权属证书/确权颁证)."""
    MEETING_MINUTES = "meeting_minutes"
    """Minutes of the village meeting that decided (会议纪要/会议记录)."""
    CONTRACT = "contract"
    """A contract (合同/协议)."""
    NOTICE = "notice"
    """A public notice with its photograph or record (公示材料)."""
    OTHER = "other"
    """Another document (其他材料)."""


_EVIDENCE_KIND_ZH: Final[Mapping[Any, str]] = {
    EvidenceKind.APPROVAL: "批复文件",
    EvidenceKind.ACCEPTANCE: "验收单",
    EvidenceKind.HANDOVER_DEED: "移交书",
    EvidenceKind.OWNERSHIP_CERTIFICATE: "权属证书",
    EvidenceKind.MEETING_MINUTES: "会议纪要",
    EvidenceKind.CONTRACT: "合同",
    EvidenceKind.NOTICE: "公示材料",
    EvidenceKind.OTHER: "其他材料",
}


def content_hash(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits (the ``sha256`` of an :class:`Evidence`).

    Raises:
        TypeError: ``data`` is not ``bytes``.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise wrong_type("data", data, "bytes", "字节串 bytes")
    return hashlib.sha256(data).hexdigest()


def _optional_day(instance: object, attribute: attrs.Attribute[date | None], value: object) -> None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise wrong_type(
            attribute.name, value, "a datetime.date", "日期 datetime.date", record=getattr(instance, "number", None)
        )


@attrs.frozen(kw_only=True)
class Evidence:
    """One document an event rests on (佐证材料).

    Attributes:
        kind: what the document is.
        number: its number or title as written (文号/编号), not empty.
        issued_on: its date, when known.
        issuer: who issued or signed it (出具单位), when known.
        sha256: SHA-256 of the file's bytes, 64 lowercase hex digits (:func:`content_hash`),
            or ``None`` when no file was hashed.
        kept_at: where the paper or file is kept (存放位置/档案号), when known.

    Raises:
        InvalidValue: an empty number or a hash that is not 64 lowercase hex digits.
    """

    kind: EvidenceKind = attrs.field(validator=member_of(EvidenceKind))
    number: str
    issued_on: date | None = attrs.field(default=None, validator=_optional_day)
    issuer: str | None = None
    sha256: str | None = None
    kept_at: str | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse an empty number and a malformed hash."""
        if not isinstance(self.number, str) or not self.number.strip():
            raise InvalidValue("a document needs its number", "材料须有文号或编号", field="number", actual=self.number)
        if self.sha256 is not None and not (isinstance(self.sha256, str) and _SHA256.fullmatch(self.sha256)):
            raise InvalidValue(
                "sha256 must be 64 lowercase hex digits",
                "sha256 须为64位小写十六进制数字",
                record=self.number,
                field="sha256",
                actual=self.sha256,
                expected="64 lowercase hex digits",
            )

    def matches(self, data: bytes) -> bool:
        """Whether ``data`` is the file this evidence hashed (``False`` when none was hashed)."""
        return self.sha256 is not None and content_hash(data) == self.sha256
