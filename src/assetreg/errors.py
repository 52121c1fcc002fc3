"""Errors raised by assetreg (错误).

Every error derives from :class:`AssetRegError`, carries a stable code (``AR-…``) that
never changes meaning between releases, structured fields naming the record, row and
field concerned, and a message in English and in Chinese.

Errors are for misuse of the API and for input that cannot be read. Problems found in
otherwise readable data are audit :class:`~assetreg.audit.Finding` values, not exceptions.

Personal data (names, resident ids, phone numbers) never goes into a message; callers
pass a masked form when they must name a household.

The codes:

========  ===========================  ==============================================
code      class                        meaning
========  ===========================  ==============================================
AR-100    InvalidValue                 a value of the wrong shape (generic)
AR-101    InvalidAmount                money with extra places, bad text, wrong unit
AR-102    InvalidCode                  area, credit or resident code refused
AR-103    InvalidShares                shares that do not add up to exactly 1
AR-104    InvalidPeriod                period with end not after start, bad date text
AR-200    HistoryError                 an event that cannot be applied (generic)
AR-201    IllegalTransition            lifecycle transition not allowed (DESIGN §6)
AR-202    UnknownAsset                 no asset with that id in the register
AR-203    DuplicateRecord              an id registered twice
AR-204    UnknownParty                 no party with that id
AR-205    AlreadyImported              a ledger's asset codes are already stored
AR-300    PolicyError                  policy file or value refused
AR-400    AllocationError              an allocation that cannot be made
AR-401    PlanRefused                  distribution plan refused (P6, P11, DESIGN §8)
AR-500    PersistenceError             database failure (cause kept)
AR-501    ConcurrencyError             stale expected version (optimistic locking)
AR-502    ScopeViolation               read or write outside the bound area prefix
AR-600    PayloadError                 JSON payload refused (all field paths at once)
AR-700    LedgerError                  Excel/CSV ledger unreadable
========  ===========================  ==============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "AllocationError",
    "AlreadyImported",
    "AssetRegError",
    "ConcurrencyError",
    "DuplicateRecord",
    "HistoryError",
    "IllegalTransition",
    "InvalidAmount",
    "InvalidCode",
    "InvalidPeriod",
    "InvalidShares",
    "InvalidValue",
    "LedgerError",
    "PayloadError",
    "PersistenceError",
    "PlanRefused",
    "PolicyError",
    "ScopeViolation",
    "UnknownAsset",
    "UnknownParty",
]


class AssetRegError(Exception):
    """Root of every error assetreg raises (assetreg 错误的根类).

    Attributes:
        code: stable error code such as ``"AR-101"``.
        message_en: the English message.
        message_zh: the Chinese message (中文说明).
        record: id of the record concerned (asset id, party id, event id…), or ``None``.
        field: name of the field concerned, or ``None``.
        row: 1-based row of an input file, or ``None``.
        expected: what was expected, in words or as a value, or ``None``.
        actual: what was found (already masked when it is personal data), or ``None``.
        details: any further structured fields.

    ``str(error)`` gives ``"AR-101 <English> / <中文>"`` followed by the located fields.
    """

    code: ClassVar[str] = "AR-000"

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        record: str | None = None,
        field: str | None = None,
        row: int | None = None,
        expected: Any = None,
        actual: Any = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.message_en = message_en
        self.message_zh = message_zh
        self.record = record
        self.field = field
        self.row = row
        self.expected = expected
        self.actual = actual
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(self._render())

    def _render(self) -> str:
        where = [
            f"{name}={value!r}"
            for name, value in (
                ("record", self.record),
                ("row", self.row),
                ("field", self.field),
                ("expected", self.expected),
                ("actual", self.actual),
            )
            if value is not None
        ]
        suffix = f" [{', '.join(where)}]" if where else ""
        return f"{self.code} {self.message_en} / {self.message_zh}{suffix}"

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (``"en"`` or ``"zh"``) without the code."""
        return self.message_zh if lang == "zh" else self.message_en

    def as_dict(self) -> dict[str, Any]:
        """Return the error as a JSON-ready mapping (stable keys)."""
        return {
            "code": self.code,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "record": self.record,
            "row": self.row,
            "field": self.field,
            "expected": None if self.expected is None else str(self.expected),
            "actual": None if self.actual is None else str(self.actual),
            "details": {k: str(v) for k, v in self.details.items()},
        }


class InvalidValue(AssetRegError, ValueError):
    """A value of the wrong shape (值不合规)."""

    code: ClassVar[str] = "AR-100"


class InvalidAmount(InvalidValue):
    """Money refused: extra decimal places, unreadable text or an unknown unit (金额不合规)."""

    code: ClassVar[str] = "AR-101"


class InvalidCode(InvalidValue):
    """An area, credit or resident code refused: length, characters or check character (代码不合规)."""

    code: ClassVar[str] = "AR-102"


class InvalidShares(InvalidValue):
    """Shares of one right that do not add up to exactly 1, or a share outside (0, 1] (份额不合规)."""

    code: ClassVar[str] = "AR-103"


class InvalidPeriod(InvalidValue):
    """A period whose end is not after its start, or date text that cannot be read (期间或日期不合规)."""

    code: ClassVar[str] = "AR-104"


class HistoryError(AssetRegError):
    """An event that cannot be applied to an asset's history (事件无法适用)."""

    code: ClassVar[str] = "AR-200"


class IllegalTransition(HistoryError):
    """A lifecycle transition that DESIGN §6 does not allow (状态变更不合规)."""

    code: ClassVar[str] = "AR-201"


class UnknownAsset(HistoryError, LookupError):
    """No asset with that id (资产不存在)."""

    code: ClassVar[str] = "AR-202"


class DuplicateRecord(HistoryError):
    """A record id that is already taken (编号重复)."""

    code: ClassVar[str] = "AR-203"


class UnknownParty(HistoryError, LookupError):
    """No party with that id (主体不存在)."""

    code: ClassVar[str] = "AR-204"


class AlreadyImported(DuplicateRecord):
    """A ledger whose asset codes are already in the store (台账已导入过); nothing was written.

    ``record`` names the first clashing asset code, ``actual`` the number of clashes.
    """

    code: ClassVar[str] = "AR-205"


class PolicyError(AssetRegError, ValueError):
    """A policy value or policy file that cannot be used (政策参数不合规)."""

    code: ClassVar[str] = "AR-300"


class AllocationError(AssetRegError, ValueError):
    """An allocation that cannot be made: no parts, negative or all-zero weights (分配无法计算)."""

    code: ClassVar[str] = "AR-400"


class PlanRefused(AllocationError):
    """A distribution plan refused, with a coded reason in ``details["reason"]`` (分配方案不合规)."""

    code: ClassVar[str] = "AR-401"


class PersistenceError(AssetRegError):
    """A database failure; the driver's exception is kept as ``__cause__`` (数据库操作失败)."""

    code: ClassVar[str] = "AR-500"


class ConcurrencyError(PersistenceError):
    """Writing with a stale expected version; nothing was written (并发冲突，未写入)."""

    code: ClassVar[str] = "AR-501"


class ScopeViolation(PersistenceError):
    """Reading or writing outside the area-code prefix a unit of work is bound to (越权访问)."""

    code: ClassVar[str] = "AR-502"


class PayloadError(AssetRegError, ValueError):
    """A JSON payload refused; ``details["errors"]`` maps every field path to its messages (报文不合规)."""

    code: ClassVar[str] = "AR-600"


class LedgerError(AssetRegError):
    """An Excel/CSV ledger that cannot be read at all (台账无法读取)."""

    code: ClassVar[str] = "AR-700"
