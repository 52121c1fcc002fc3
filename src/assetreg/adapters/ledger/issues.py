"""Problems found while reading a ledger (台账问题记录).

A ledger problem is data, not an exception: one bad cell never hides the rest. Each
:class:`LedgerIssue` names the sheet, the row as numbered in the file (1-based, header
rows counted), the column (its header as written, and its letter), the cell value as
text, a stable code, a machine-readable ``kind`` and the reason in English and Chinese.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from assetreg.errors import AssetRegError

__all__ = ["LedgerIssue", "Severity", "cell_text", "column_letter"]


class Severity(enum.Enum):
    """How serious a ledger issue is (严重程度).

    ``ERROR`` means the cell (and so its row) was refused; ``WARNING`` means the data
    was kept but something does not add up (a total that does not match its rows);
    ``INFO`` notes something the reader did on purpose (an ignored column).
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 1-based column index (``1 → "A"``, ``28 → "AB"``).

    Raises:
        ValueError: ``index`` is below 1.
    """
    if index < 1:
        raise ValueError(f"column index starts at 1, got {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """Render a raw cell value as text for messages and the rejects file.

    Floats are shown with their shortest ``repr`` (``0.30000000000000004``), so that a
    binary artefact is visible exactly as stored; ``None`` is the empty string.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@attrs.frozen(kw_only=True)
class LedgerIssue:
    """One problem in a ledger (台账问题), located to the cell.

    Attributes:
        sheet: sheet name (for a CSV file, the file name).
        row: 1-based row number as in the file (the header row counted), or ``None``
            for a problem of the whole sheet or file.
        column: the column header as written in the file, or ``None``.
        column_letter: the column letter (``"K"``), or ``None``.
        field: the canonical field name the column maps to (``"original_value"``), or ``None``.
        value: the cell value as text (see :func:`cell_text`); resident ids are masked.
        code: the stable error code (``"AR-101"`` for an amount, ``"AR-104"`` for a date,
            ``"AR-700"`` for a ledger-level problem…).
        kind: a stable machine-readable reason (``"float_artefact"``, ``"bad_date"``,
            ``"duplicate_asset_code"``, ``"total_mismatch"``…).
        reason_en: the reason in English.
        reason_zh: the reason in Chinese (中文原因).
        severity: :class:`Severity`; errors reject the row.
        related_rows: other rows involved (the first occurrence of a duplicate code, the
            detail rows a total covers).
    """

    sheet: str
    row: int | None
    column: str | None
    column_letter: str | None = None
    field: str | None = None
    value: str = ""
    code: str
    kind: str
    reason_en: str
    reason_zh: str
    severity: Severity = Severity.ERROR
    related_rows: tuple[int, ...] = ()

    @classmethod
    def from_error(
        cls,
        error: AssetRegError,
        *,
        sheet: str,
        row: int | None,
        column: str | None,
        column_letter: str | None = None,
        field: str | None = None,
        value: object = None,
    ) -> LedgerIssue:
        """Turn an :class:`~assetreg.errors.AssetRegError` raised by a cell parser into an issue.

        The error's ``details["kind"]`` becomes :attr:`kind` (``"invalid_value"`` when
        absent). For an :class:`~assetreg.errors.InvalidCode` the value is taken from
        the error's (already masked) ``actual`` rather than from the raw cell.
        """
        kind = str(error.details.get("kind", "invalid_value"))
        shown = error.details.get("shown")
        return cls(
            sheet=sheet,
            row=row,
            column=column,
            column_letter=column_letter,
            field=field,
            value=cell_text(value) if shown is None else str(shown),
            code=error.code,
            kind=kind,
            reason_en=error.message_en,
            reason_zh=error.message_zh,
        )

    @property
    def is_error(self) -> bool:
        """Whether the issue rejects its row."""
        return self.severity is Severity.ERROR

    def where(self) -> str:
        """A short location such as ``"台账!K7 (原值(万元))"``."""
        cell = f"{self.column_letter or ''}{self.row or ''}"
        head = f"{self.sheet}!{cell}" if cell else self.sheet
        return f"{head} ({self.column})" if self.column else head

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with stable keys."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "column_letter": self.column_letter,
            "field": self.field,
            "value": self.value,
            "code": self.code,
            "kind": self.kind,
            "severity": self.severity.value,
            "reason_en": self.reason_en,
            "reason_zh": self.reason_zh,
            "related_rows": list(self.related_rows),
        }

    def __str__(self) -> str:
        """``"AR-101 台账!K7 (原值(万元)): <English> / <中文>"``."""
        return f"{self.code} {self.where()}: {self.reason_en} / {self.reason_zh}"
