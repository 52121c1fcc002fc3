"""Problems found while reading a ledger (台账问题记录): audit findings about a cell.

A ledger problem is data, not an exception: one bad cell never hides the rest. It is an
:class:`assetreg.audit.Finding` (one problem shape, one renderer) whose ``subject`` is the
cell (``"台账!K7"``, ``subject_kind="cell"``) and whose ``code`` comes from the ledger code
table (:mod:`~assetreg.adapters.ledger.codes`, one stable code per kind of problem). Its
evidence holds the sheet, the row as numbered in the file (1-based, header rows counted),
the column header as written and its letter, the raw cell text, the canonical field, the
kind, what was expected, and the other rows involved. :class:`LedgerIssue` is the named
constructor of such a finding, with read-only accessors for that evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from assetreg.adapters.ledger.codes import code_of
from assetreg.audit.findings import Finding, Severity, SubjectKind

if TYPE_CHECKING:
    from assetreg.errors import AssetRegError

__all__ = ["LedgerIssue", "Severity", "cell_text", "column_letter"]


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


@attrs.frozen(init=False, eq=False)
class LedgerIssue(Finding):
    """A ledger problem (台账问题): a :class:`~assetreg.audit.Finding` whose subject is a cell.

    Built with the keyword arguments below; everything is stored in the finding's fields
    (``code``, ``severity``, ``subject``, ``message_en``/``message_zh``, ``rule``,
    ``evidence``), and the properties read it back.

    Args:
        sheet: sheet name (for a CSV file, the file name).
        row: 1-based row number as in the file (the header row counted), or ``None``
            for a problem of the whole sheet or file.
        column: the column header as written in the file, or ``None``.
        column_letter: the column letter (``"K"``), or ``None``.
        field: the canonical field name the column maps to (``"original_value"``), or ``None``.
        value: the cell value as text (see :func:`cell_text`); resident ids are masked.
        kind: the machine-readable kind (``"too_many_places"``); its code comes from
            :data:`~assetreg.adapters.ledger.codes.LEDGER_CODES`.
        reason_en: the message in English (says what was expected and what was found).
        reason_zh: the message in Chinese (中文说明).
        code: only for a kind outside the code table; a code given for a kind in the
            table must be that kind's code.
        severity: defaults to the kind's severity in the table (error otherwise).
        related_rows: other rows involved (the other rows sharing a code, the detail rows
            a total covers).
        expected: what the cell should have held, in words, or ``None``.

    Raises:
        ValueError: ``code`` contradicts the code table, or a kind outside the table
            comes without a code.
    """

    def __init__(
        self,
        *,
        sheet: str,
        row: int | None,
        column: str | None,
        column_letter: str | None = None,
        field: str | None = None,
        value: str = "",
        kind: str,
        reason_en: str,
        reason_zh: str,
        code: str | None = None,
        severity: Severity | None = None,
        related_rows: tuple[int, ...] = (),
        expected: str | None = None,
    ) -> None:
        entry = code_of(kind)
        if entry is not None and code is not None and code != entry.code:
            raise ValueError(f"kind {kind!r} has code {entry.code}, not {code}")
        if entry is None and code is None:
            raise ValueError(f"kind {kind!r} is not in the ledger code table; give its code")
        cell = f"{column_letter or ''}{row or ''}"
        self.__attrs_init__(
            code=entry.code if entry is not None else str(code),
            severity=severity or (entry.severity if entry is not None else Severity.ERROR),
            subject=f"{sheet}!{cell}" if cell else sheet,
            subject_kind=SubjectKind.CELL,
            message_en=reason_en,
            message_zh=reason_zh,
            rule=entry.rule if entry is not None else "§4",
            evidence={
                "sheet": sheet,
                "row": row,
                "column": column,
                "column_letter": column_letter,
                "field": field,
                "value": value,
                "kind": kind,
                "expected": expected,
                "related_rows": tuple(related_rows),
            },
        )

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
        absent or outside the code table); its ``expected`` is kept. The message is the
        error's, prefixed with the column header. For an
        :class:`~assetreg.errors.InvalidCode` the value is taken from the error's (already
        masked) ``shown`` detail rather than from the raw cell.
        """
        kind = str(error.details.get("kind", "invalid_value"))
        if code_of(kind) is None:
            kind = "invalid_value"
        shown = error.details.get("shown")
        prefix, prefix_zh = (f"{column}: ", f"{column}：") if column else ("", "")
        return cls(
            sheet=sheet,
            row=row,
            column=column,
            column_letter=column_letter,
            field=field,
            value=cell_text(value) if shown is None else str(shown),
            kind=kind,
            reason_en=prefix + error.message_en,
            reason_zh=prefix_zh + error.message_zh,
            expected=None if error.expected is None else str(error.expected),
        )

    # -- the evidence, read back --------------------------------------------------------
    @property
    def sheet(self) -> str:
        """The sheet name (the file name for a CSV)."""
        return str(self.evidence["sheet"])

    @property
    def row(self) -> int | None:
        """The 1-based row number as in the file, or ``None``."""
        row = self.evidence["row"]
        return row if isinstance(row, int) else None

    @property
    def column(self) -> str | None:
        """The column header as written, or ``None``."""
        return _text_or_none(self.evidence["column"])

    @property
    def column_letter(self) -> str | None:
        """The column letter, or ``None``."""
        return _text_or_none(self.evidence["column_letter"])

    @property
    def field(self) -> str | None:
        """The canonical field, or ``None``."""
        return _text_or_none(self.evidence["field"])

    @property
    def value(self) -> str:
        """The raw cell text (resident ids masked)."""
        return str(self.evidence["value"])

    @property
    def kind(self) -> str:
        """The machine-readable kind."""
        return str(self.evidence["kind"])

    @property
    def expected(self) -> str | None:
        """What was expected, in words, or ``None``."""
        return _text_or_none(self.evidence["expected"])

    @property
    def related_rows(self) -> tuple[int, ...]:
        """The other rows involved."""
        rows = self.evidence["related_rows"]
        return tuple(r for r in rows if isinstance(r, int)) if isinstance(rows, tuple) else ()

    @property
    def reason_en(self) -> str:
        """The English message."""
        return self.message_en

    @property
    def reason_zh(self) -> str:
        """The Chinese message."""
        return self.message_zh

    @property
    def is_error(self) -> bool:
        """Whether the issue holds its row back."""
        return self.severity is Severity.ERROR

    def where(self) -> str:
        """A short location such as ``"台账!K7 (原值(万元))"``."""
        return f"{self.subject} ({self.column})" if self.column else self.subject

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: the finding's :meth:`~assetreg.audit.Finding.to_dict` plus the cell keys."""
        data = self.to_dict()
        data.update(
            sheet=self.sheet,
            row=self.row,
            column=self.column,
            column_letter=self.column_letter,
            field=self.field,
            value=self.value,
            kind=self.kind,
            reason_en=self.reason_en,
            reason_zh=self.reason_zh,
            related_rows=list(self.related_rows),
        )
        return data

    def __str__(self) -> str:
        """``"LED-106 台账!K7 (原值(万元)): <English> / <中文>"``."""
        return f"{self.code} {self.where()}: {self.reason_en} / {self.reason_zh}"


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
