"""Importing a county ledger (导入台账) into register events.

:func:`import_ledger` reads a ledger (:func:`~assetreg.adapters.ledger.reader.read_ledger`),
turns each detail row into an :class:`~assetreg.domain.events.AssetRegistered` event
(plus :class:`~assetreg.domain.events.OwnershipConfirmed`,
:class:`~assetreg.domain.events.CustodianAssigned` and
:class:`~assetreg.domain.events.ContractSigned` where the row names an owner, custodian or
operator) and returns an :class:`ImportResult`. Every bad cell becomes a
:class:`~assetreg.adapters.ledger.issues.LedgerIssue` naming sheet, row and column; a
row with any error is rejected whole (and can be written to a rejects file with
:meth:`ImportResult.write_rejects`), and every valid row is kept.

Event ids are deterministic (``"<asset code>/registered"``, ``"/ownership"``,
``"/custody"``, ``"/contract"``), so importing the same ledger twice gives equal
registers and re-importing an exported ledger gives back the same register.

A row with a 建设年度 (or 实施单位) but no 项目名称/项目编号 gets a project of its own, coded
and named like the asset, so that the year is kept.

Parties are derived from the names in the owner, custodian and operator columns. The
kind is read from the name's ending (county practice, configurable through
``party_kinds``): …村股份经济合作社 / …村集体经济组织 / …村民委员会 / …村 → village
collective; …乡/镇人民政府, …乡, …镇, …街道办事处 → township; …局, …委员会, …办公室,
…中心 → county department; …合作社 → cooperative; …公司, …厂 → enterprise. A name whose
kind cannot be told is reported (warning) and that relation is not recorded; the asset
row is kept. Household owners are not created from a ledger (they need the household
register), and are reported the same way.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from assetreg.adapters.ledger.cells import (
    SHARE_PLACES,
    exact_decimal,
    is_blank,
    normalise_text,
    parse_amount,
    parse_capacity_kw,
    parse_date,
    parse_date_range,
    parse_rate,
    parse_share,
    parse_year,
)
from assetreg.adapters.ledger.headers import CODE_LEVELS, FUNDING_COLUMN_PREFIX
from assetreg.adapters.ledger.issues import LedgerIssue, Severity, cell_text
from assetreg.adapters.ledger.reader import Column, LedgerRow, LedgerSheet, paused_gc, read_ledger
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode, AdminLevel, mask_id_text, mask_resident_ids
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractSigned,
    CustodianAssigned,
    EventId,
    OwnershipConfirmed,
)
from assetreg.domain.money import Money
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Enterprise,
    Party,
    PartyId,
    Township,
    VillageCollective,
)
from assetreg.domain.periods import require_aware
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
)
from assetreg.domain.shares import ONE
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    FundingSource,
    OperationMode,
    PartyKind,
)
from assetreg.errors import AssetRegError, ContractRefused, InvalidCode, InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import datetime

    from assetreg.domain.policy import Policy

_LOG: Final = logging.getLogger("assetreg.ledger")
DATE_HORIZON_DAYS: Final = 366
"""A date in a ledger more than this many days after ``recorded_at`` is refused (a typo like 2999)."""
MAX_TEXT_LENGTH: Final = 255
"""The longest name, code or label stored (the register's text columns hold 255 characters)."""
MAX_STORED_FEN: Final = 2**63 - 1
"""The largest amount the register stores: the BIGINT fen of every supported database."""
MAX_CODE_LENGTH: Final = 64
"""The longest asset or project code stored (the register's id columns hold 64 characters)."""
_TEXT_LIMITS: Final = {
    **dict.fromkeys(("asset_code", "project_code"), MAX_CODE_LENGTH),
    **dict.fromkeys(
        ("asset_name", "project_name", "owner", "custodian", "operator", "department", "implementer", "quantity_unit"),
        MAX_TEXT_LENGTH,
    ),
}
# bidi embeddings, overrides and isolates, marks, and C1 controls (ANSI escapes start with ESC, a C0 control)
_FORBIDDEN_CHARS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\x7f"
    + "".join(chr(c) for c in range(0x80, 0xA0))
)
_ID_HEADER_WORDS: Final = ("身份证", "身份号码", "resident_id")

__all__ = [
    "DEFAULT_PARTY_KINDS",
    "ImportResult",
    "import_ledger",
    "import_rows",
    "neutralise",
    "party_id",
]

DEFAULT_PARTY_KINDS: Final[tuple[tuple[str, PartyKind], ...]] = (
    ("股份经济合作社", PartyKind.VILLAGE_COLLECTIVE),
    ("经济合作社", PartyKind.VILLAGE_COLLECTIVE),
    ("集体经济组织", PartyKind.VILLAGE_COLLECTIVE),
    ("村民委员会", PartyKind.VILLAGE_COLLECTIVE),
    ("村委会", PartyKind.VILLAGE_COLLECTIVE),
    ("村", PartyKind.VILLAGE_COLLECTIVE),
    ("人民政府", PartyKind.TOWNSHIP),
    ("街道办事处", PartyKind.TOWNSHIP),
    ("乡", PartyKind.TOWNSHIP),
    ("镇", PartyKind.TOWNSHIP),
    ("局", PartyKind.COUNTY_DEPARTMENT),
    ("委员会", PartyKind.COUNTY_DEPARTMENT),
    ("办公室", PartyKind.COUNTY_DEPARTMENT),
    ("中心", PartyKind.COUNTY_DEPARTMENT),
    ("合作社", PartyKind.COOPERATIVE),
    ("公司", PartyKind.ENTERPRISE),
    ("厂", PartyKind.ENTERPRISE),
)
"""Name ending → party kind, tried in order (county practice, configurable)."""

_PARTY_TYPES: Final[dict[PartyKind, Callable[..., Party]]] = {
    PartyKind.VILLAGE_COLLECTIVE: VillageCollective,
    PartyKind.TOWNSHIP: Township,
    PartyKind.COUNTY_DEPARTMENT: CountyDepartment,
    PartyKind.COOPERATIVE: Cooperative,
    PartyKind.ENTERPRISE: Enterprise,
}
_CUSTODY_BY_KIND: Final = {
    PartyKind.VILLAGE_COLLECTIVE: CustodyMethod.VILLAGE_COLLECTIVE,
    PartyKind.TOWNSHIP: CustodyMethod.DEPARTMENT,
    PartyKind.COUNTY_DEPARTMENT: CustodyMethod.DEPARTMENT,
    PartyKind.COOPERATIVE: CustodyMethod.OPERATOR,
    PartyKind.ENTERPRISE: CustodyMethod.OPERATOR,
}
_FORMULA_STARTS: Final = frozenset({"=", "+", "-", "@", "\t", "\r"})
"""First characters a spreadsheet may run as a formula (OWASP CSV injection)."""
_T = TypeVar("_T")
_MISS: Final = object()


_ID_LIMIT: Final = 64  # the id columns of the SQL adapter hold 64 characters
_PROGRESS_EVERY: Final = 256  # rows between two progress reports


def party_id(kind: PartyKind, name: str) -> PartyId:
    """The id given to a party named in a ledger: ``"<kind>:<name>"`` (e.g. ``"township:和日镇"``).

    Ids stay within 64 characters (the SQL adapter's id columns): a longer name is cut and
    followed by ``~`` and 8 hex digits of its SHA-256, so different long names never share
    an id and the same name always gets the same one.
    """
    full = f"{kind.value}:{name}"
    if len(full) <= _ID_LIMIT:
        return PartyId(full)
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return PartyId(f"{full[: _ID_LIMIT - 9]}~{digest}")


@attrs.frozen(kw_only=True)
class ImportResult:
    """What an import produced (导入结果).

    Attributes:
        path: the file imported.
        register: the register built from the valid rows (parties and events).
        events: the events recorded, in row order.
        parties: the parties created, sorted by id.
        issues: every issue: file, sheet and total issues from reading, then cell and
            row issues, in row order.
        rejected: the rejected rows (any error), in file order.
        imported_rows: row references ``(sheet, row)`` of the imported rows.
        columns: per sheet, the columns as read (used by :meth:`write_rejects`).
    """

    path: str
    register: AssetRegister
    events: tuple[AssetEvent, ...]
    parties: tuple[Party, ...]
    issues: tuple[LedgerIssue, ...]
    rejected: tuple[LedgerRow, ...]
    imported_rows: tuple[tuple[str, int], ...]
    columns: Mapping[str, tuple[Column, ...]]

    @property
    def errors(self) -> tuple[LedgerIssue, ...]:
        """The issues of severity error."""
        return tuple(issue for issue in self.issues if issue.is_error)

    @property
    def ok(self) -> bool:
        """Whether the import found no error (warnings allowed)."""
        return not self.errors

    def write_rejects(self, path: str | Path, *, reveal_personal_data: bool = False) -> Path:
        """Write the rejected rows to a CSV file (UTF-8 with BOM, so Excel opens it).

        Columns: ``工作表/sheet``, ``行号/row``, the original columns of the sheet (the
        widest sheet's headers when sheets differ), then ``错误列/columns``,
        ``错误代码/codes``, ``错误原因/reason_zh`` and ``reason_en`` (several issues of a
        row joined with ``"; "``). Cells are written as read, except personal data: a
        resident-id column (身份证号码) is masked whole, well-formed or not
        (``620422********1234``), and anything shaped like a resident id inside any other
        cell or reason is masked too (:func:`~assetreg.domain.codes.mask_resident_ids`,
        the rule of every other output). Text starting with ``=``, ``+``, ``-`` or ``@``
        gets a leading ``'`` so that a spreadsheet does not run it.

        Args:
            path: the CSV file to write.
            reveal_personal_data: write resident ids in full (for a county's own system
                that needs them); logged as a warning on the ``assetreg.ledger`` logger.

        Returns:
            The path written.
        """
        target = Path(path)
        if reveal_personal_data:
            _LOG.warning("writing resident ids in full to the rejects file %s (reveal_personal_data=True)", target)
        shown = _identity_text if reveal_personal_data else mask_resident_ids
        by_row: dict[tuple[str, int], list[LedgerIssue]] = {}
        for issue in self.issues:
            if issue.is_error and issue.row is not None:
                by_row.setdefault((issue.sheet, issue.row), []).append(issue)
        widest: tuple[Column, ...] = max(self.columns.values(), key=len, default=())
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(
                [
                    "工作表/sheet",
                    "行号/row",
                    *(c.header or c.letter for c in widest),
                    "错误列/columns",
                    "错误代码/codes",
                    "错误原因/reason_zh",
                    "reason_en",
                ]
            )
            id_columns = {
                sheet: set() if reveal_personal_data else {i for i, c in enumerate(cols) if _is_id_column(c)}
                for sheet, cols in self.columns.items()
            }
            for row in self.rejected:
                found = by_row.get((row.sheet, row.row), [])
                masked = id_columns.get(row.sheet, set())
                cells = [
                    neutralise(mask_id_text(cell_text(cell)) if i in masked else shown(cell_text(cell)))
                    for i, cell in enumerate(row.cells)
                ]
                cells += [""] * (len(widest) - len(cells))
                out.writerow(
                    [
                        neutralise(row.sheet),
                        row.row,
                        *cells,
                        "; ".join(f"{i.column_letter or ''}{i.row}({i.column or ''})" for i in found),
                        "; ".join(f"{i.code}/{i.kind}" for i in found),
                        neutralise(shown("; ".join(i.reason_zh for i in found))),
                        neutralise(shown("; ".join(i.reason_en for i in found))),
                    ]
                )
        return target


def _identity_text(text: str) -> str:
    return text


def _is_id_column(column: Column) -> bool:
    """A resident-id column: mapped to the owner's id, or headed like one (even a duplicate)."""
    return column.field == "owner_resident_id" or any(w in column.header for w in _ID_HEADER_WORDS)


def neutralise(text: str) -> str:
    """Neutralise spreadsheet formula injection (OWASP): prefix ``'`` to a risky first character.

    The risky ones are ``=``, ``+``, ``-``, ``@``, a tab and a carriage return; the importer
    strips the ``'`` again.
    """
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def import_ledger(
    path: str | Path,
    *,
    recorded_at: datetime,
    policy: Policy | None = None,
    effective: date | None = None,
    sheets: Sequence[str] | None = None,
    party_kinds: Sequence[tuple[str, PartyKind]] = DEFAULT_PARTY_KINDS,
    base: AssetRegister | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import a ledger file (台账) into a register.

    Args:
        path: a ``.xlsx`` or ``.csv`` ledger.
        recorded_at: when the register learns these facts (timezone-aware); every
            event gets this instant.
        policy: used for the default class of an asset kind (P3) when a row has no
            资产类别; ``None`` means the class is required.
        effective: registration date of rows without 登记日期, 竣工日期 or 移交日期, when
            the caller states one (``check --ledger --as-of``); by default such a row is
            refused (``date_missing``): no date is invented.
        sheets: the sheets to read (all by default).
        party_kinds: name ending → party kind rules (see the module docstring).
        base: a register to add to (duplicate codes against it are reported too).
        progress: ``progress(done, total)`` as detail rows are validated (every 256 rows
            and at the end).

    Returns:
        The :class:`ImportResult`; bad cells are issues, not exceptions.

    Raises:
        LedgerError: the file cannot be read at all (missing, not CSV/xlsx).
        InvalidPeriod: ``recorded_at`` is naive.
    """
    require_aware(recorded_at, field="recorded_at")
    raw = read_ledger(path, sheets=sheets)
    return import_rows(
        raw.sheets,
        path=raw.path,
        read_issues=raw.issues,
        recorded_at=recorded_at,
        policy=policy,
        effective=effective,
        party_kinds=party_kinds,
        base=base,
        progress=progress,
    )


def import_rows(
    sheets: Sequence[LedgerSheet],
    *,
    recorded_at: datetime,
    path: str = "",
    read_issues: Sequence[LedgerIssue] = (),
    policy: Policy | None = None,
    effective: date | None = None,
    party_kinds: Sequence[tuple[str, PartyKind]] = DEFAULT_PARTY_KINDS,
    base: AssetRegister | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Map already-read sheets to events (the second half of :func:`import_ledger`).

    ``progress(done, total)`` is called as detail rows are validated (every 256 rows and
    at the end). The garbage collector is paused meanwhile (:func:`paused_gc`).

    Raises:
        InvalidPeriod: ``recorded_at`` is naive.
    """
    recorded = require_aware(recorded_at, field="recorded_at")
    with paused_gc():  # rows, values and events form no cycles
        return _map_rows(
            sheets,
            recorded=recorded,
            path=path,
            read_issues=read_issues,
            policy=policy,
            effective=effective,
            party_kinds=party_kinds,
            base=base,
            progress=progress,
        )


def _map_rows(  # noqa: C901, PLR0912 - map every row, then hold back the duplicates
    sheets: Sequence[LedgerSheet],
    *,
    recorded: datetime,
    path: str,
    read_issues: Sequence[LedgerIssue],
    policy: Policy | None,
    effective: date | None,
    party_kinds: Sequence[tuple[str, PartyKind]],
    base: AssetRegister | None,
    progress: Callable[[int, int], None] | None,
) -> ImportResult:
    issues = list(read_issues)
    events: list[AssetEvent] = []
    parties: dict[PartyId, Party] = dict(base.parties) if base is not None else {}
    new_parties: dict[PartyId, Party] = {}
    rejected: list[LedgerRow] = []
    imported: list[tuple[str, int]] = []
    mapped: list[tuple[_RowMapper, LedgerRow, _Outcome]] = []
    rows_of_code: dict[str, list[tuple[str, int]]] = {}
    total = sum(len(sheet.detail_rows) for sheet in sheets)
    for sheet in sheets:
        mapper = _RowMapper(sheet, recorded, effective, policy, party_kinds)
        issues.extend(mapper.unread_columns())
        for row in sheet.detail_rows:
            outcome = mapper.map(row)
            if outcome.asset_code is not None:
                rows_of_code.setdefault(outcome.asset_code, []).append((sheet.name, row.row))
            mapped.append((mapper, row, outcome))
            if progress is not None and not len(mapped) % _PROGRESS_EVERY:
                progress(len(mapped), total)
    if progress is not None:
        progress(len(mapped), total)
    for mapper, row, outcome in mapped:
        code = outcome.asset_code
        if code is not None:
            sharing = rows_of_code[code]
            if len(sharing) > 1:
                others = tuple(ref for ref in sharing if ref != (row.sheet, row.row))
                outcome.issues.append(_duplicate(mapper, row, code, others))
            elif base is not None and code in base:
                outcome.issues.append(_duplicate(mapper, row, code, ()))
        issues.extend(outcome.issues)
        if any(issue.is_error for issue in outcome.issues):
            rejected.append(row)
            continue
        for party in outcome.parties:
            if party.id not in parties:
                parties[party.id] = party
                new_parties[party.id] = party
        events.extend(outcome.events)
        imported.append((row.sheet, row.row))
    ordered = sorted(new_parties.values(), key=lambda p: p.id)
    if base is None:
        register = AssetRegister.of(parties=ordered, events=events)
    else:
        register = base
        for party in ordered:
            register = register.add_party(party)
        register = register.record(*events)
    return ImportResult(
        path=path,
        register=register,
        events=tuple(events),
        parties=tuple(sorted(new_parties.values(), key=lambda p: p.id)),
        issues=tuple(issues),
        rejected=tuple(rejected),
        imported_rows=tuple(imported),
        columns={sheet.name: sheet.columns for sheet in sheets},
    )


def _duplicate(mapper: _RowMapper, row: LedgerRow, code: str, others: tuple[tuple[str, int], ...]) -> LedgerIssue:
    column = mapper.columns.get("asset_code")
    header = column.header if column else "资产编号"
    if not others:
        return mapper.issue(
            row,
            "asset_code",
            kind="code_in_register",
            en=f"{header}: expected a code not yet in the register, found {code!r}, which is; this row is held back",
            zh=f"{header}：应为目标台账中尚未使用的编号，实为已有编号 {code!r}；本行不予导入",
            expected="a code not yet in the register",
        )

    def where(ref: tuple[str, int], *, zh: bool) -> str:
        sheet, number = ref
        if zh:
            return f"第 {number} 行" + (f"（工作表 {sheet}）" if sheet != row.sheet else "")
        return f"row {number}" + (f" of sheet {sheet}" if sheet != row.sheet else "")

    en_rows = ", ".join(where(ref, zh=False) for ref in others)
    zh_rows = "、".join(where(ref, zh=True) for ref in others)
    return mapper.issue(
        row,
        "asset_code",
        kind="duplicate_asset_code",
        en=f"{header}: expected a code used by one row only, found {code!r} also on {en_rows}; "
        "every row sharing it is held back",
        zh=f"{header}：编号应只用于一行，实为 {code!r} 同时见于{zh_rows}；共用该编号的各行均不导入",
        related_rows=tuple(number for _, number in others),
        expected="a code used by one row only",
    )


@attrs.define
class _Outcome:
    asset_code: str | None = None
    issues: list[LedgerIssue] = attrs.field(factory=list)
    events: list[AssetEvent] = attrs.field(factory=list)
    parties: list[Party] = attrs.field(factory=list)


_READ_FIELDS: Final = frozenset(
    {
        # read by the reader (row kinds) and the totals check (scope, summed columns)
        "seq",
        "row_kind",
        "source_seq",
        "province",
        "county",
        "net_book_value",
        "item_count",
        # read by the importer
        "asset_code",
        "asset_name",
        "asset_class",
        "asset_form",
        "asset_kind",
        "quantity",
        "quantity_unit",
        "scale",
        "capacity_kw",
        "project_code",
        "project_name",
        "project_year",
        "implementer",
        "funding_source",
        "funding_amount",
        "original_value",
        "admin_code",
        "village_code",
        "township_code",
        "county_code",
        "owner",
        "owner_share",
        "owner_kind",
        "custodian",
        "custodian_kind",
        "custody_method",
        "operator",
        "operator_kind",
        "operation_mode",
        "contract_period",
        "guaranteed_rate",
        "status",
        "completed_on",
        "handed_over_on",
        "registered_on",
        "department",
        "remarks",
    }
)
"""Fields a ledger sheet's columns may map to and be read; any other column is reported as not read."""

_CODE_FIELDS: Final = ("admin_code", "village_code", "township_code", "county_code")
_LEVEL_WORDS: Final = {
    AdminLevel.PROVINCE: ("province", "省级"),
    AdminLevel.PREFECTURE: ("prefecture", "地市级"),
    AdminLevel.COUNTY: ("county", "县级"),
    AdminLevel.TOWNSHIP: ("township", "乡级"),
    AdminLevel.VILLAGE: ("village", "村级"),
}
_LEVEL_DIGITS: Final = {
    AdminLevel.PROVINCE: 2,
    AdminLevel.PREFECTURE: 4,
    AdminLevel.COUNTY: 6,
    AdminLevel.TOWNSHIP: 9,
    AdminLevel.VILLAGE: 12,
}


class _RowMapper:
    """Maps the detail rows of one sheet; holds the sheet's columns."""

    def __init__(
        self,
        sheet: LedgerSheet,
        recorded_at: datetime,
        effective: date | None,
        policy: Policy | None,
        party_kinds: Sequence[tuple[str, PartyKind]],
    ) -> None:
        self.sheet = sheet
        self.columns = {c.field: c for c in sheet.columns if c.field is not None}
        self.funding_columns = tuple(c for c in sheet.columns if c.field and c.field.startswith(FUNDING_COLUMN_PREFIX))
        self.recorded_at = recorded_at
        self.effective = effective
        self.policy = policy
        self.party_kinds = party_kinds
        self.share_places = policy.share_places if policy is not None else SHARE_PLACES
        self.single_source_takes_value = policy is not None and policy.single_funding_source_takes_value
        self.index = {field: column.index - 1 for field, column in self.columns.items()}
        self._memo: dict[tuple[str, type, object], object] = {}
        self._texts: dict[str, str | None] = {}
        self._labels: dict[tuple[type, str], object] = {}
        self._parties: dict[tuple[PartyKind, str, AdminCode], Party] = {}
        self.horizon = recorded_at.date() + timedelta(days=DATE_HORIZON_DAYS)

    # -- columns ---------------------------------------------------------------------
    def unread_columns(self) -> list[LedgerIssue]:
        """One warning per column that is not read: unknown header, or a field not imported."""
        issues: list[LedgerIssue] = []
        for column in self.sheet.columns:
            if column.field is not None and (
                column.field in _READ_FIELDS or column.field.startswith(FUNDING_COLUMN_PREFIX)
            ):
                continue
            if column.field is None and not column.header:
                index = column.index - 1
                if not any(index < len(row.cells) and not is_blank(row.cells[index]) for row in self.sheet.rows):
                    continue
            header = column.header or f"({column.letter})"
            issues.append(
                LedgerIssue(
                    sheet=self.sheet.name,
                    row=self.sheet.header_row,
                    column=column.header,
                    column_letter=column.letter,
                    field=column.field,
                    value=column.header,
                    kind="column_not_read",
                    reason_en=f"{header}: expected a column the importer reads, found one it does not read; "
                    "its cells are not imported",
                    reason_zh=f"{header}：应为导入时读取的列，实为不读取的列；该列内容未导入",
                    expected="a column the importer reads",
                )
            )
        return issues

    # -- cell helpers -----------------------------------------------------------------
    def issue(
        self,
        row: LedgerRow,
        field: str,
        *,
        kind: str,
        en: str,
        zh: str,
        severity: Severity | None = None,
        related_rows: tuple[int, ...] = (),
        expected: str | None = None,
        value: object = None,
    ) -> LedgerIssue:
        column = self.columns.get(field)
        return LedgerIssue(
            sheet=row.sheet,
            row=row.row,
            column=column.header if column else None,
            column_letter=column.letter if column else None,
            field=field,
            value=cell_text(row.get(field) if value is None else value),
            kind=kind,
            reason_en=en,
            reason_zh=zh,
            severity=severity,
            related_rows=related_rows,
            expected=expected,
        )

    def _issue(
        self,
        row: LedgerRow,
        field: str,
        *,
        kind: str,
        en: str,
        zh: str,
        severity: Severity | None = None,
    ) -> LedgerIssue:
        column = self.columns.get(field)
        header = column.header if column else field
        return self.issue(row, field, kind=kind, en=f"{header}: {en}", zh=f"{header}：{zh}", severity=severity)

    def _error_issue(self, row: LedgerRow, field: str, exc: AssetRegError, value: object) -> LedgerIssue:
        column = self.columns.get(field)
        return LedgerIssue.from_error(
            exc,
            sheet=row.sheet,
            row=row.row,
            column=column.header if column else None,
            column_letter=column.letter if column else None,
            field=field,
            value=value,
        )

    def _raw(self, row: LedgerRow, field: str) -> object:
        index = self.index.get(field)
        if index is None:
            return None
        cells = row.cells
        return cells[index] if index < len(cells) else None

    def _cell(
        self, row: LedgerRow, field: str, out: _Outcome, read: Callable[[object], _T], *, memo: bool = False
    ) -> _T | None:
        """Read a cell with ``read``; blank gives ``None``; an error becomes an issue.

        With ``memo`` the result (or the error) is kept per distinct cell value of the
        column: ledgers repeat classes, kinds, codes and dates down a column.
        """
        value = self._raw(row, field)
        if value is None or value == "" or is_blank(value):
            return None
        key = (field, value.__class__, value)
        if memo:
            hit = self._memo.get(key, _MISS)
            if hit is not _MISS:
                if isinstance(hit, AssetRegError):
                    out.issues.append(self._error_issue(row, field, hit, value))
                    return None
                return self._bounded(row, field, out, hit)  # type: ignore[return-value]
        try:
            result = read(value)
        except AssetRegError as exc:
            if memo:
                self._memo[key] = exc
            out.issues.append(self._error_issue(row, field, exc, value))
            return None
        if memo:
            self._memo[key] = result
        return self._bounded(row, field, out, result)

    def _bounded(self, row: LedgerRow, field: str, out: _Outcome, result: _T) -> _T | None:
        """``result``, unless a date lies beyond the horizon or an amount beyond what is stored."""
        if isinstance(result, date) and result > self.horizon:
            out.issues.append(self._horizon_issue(row, field, result))
            return None
        if isinstance(result, Money) and abs(result.fen) > MAX_STORED_FEN:
            out.issues.append(
                self.issue(
                    row,
                    field,
                    kind="amount_too_large",
                    en=f"{result} is more than any database column of the register holds ({MAX_STORED_FEN} fen)",
                    zh=f"金额 {result} 超出台账数据库可存储的最大值（{MAX_STORED_FEN} 分）",
                    expected=f"at most {MAX_STORED_FEN} fen",
                )
            )
            return None
        return result

    def _text(self, row: LedgerRow, field: str) -> str | None:
        value = self._raw(row, field)
        if value is None:
            return None
        if isinstance(value, str):
            if value in self._texts:
                return self._texts[value]
            text = self._texts[value] = _cell_string(value)
            return text
        return _cell_string(value)

    def _required(self, row: LedgerRow, field: str, out: _Outcome, label_en: str, label_zh: str) -> None:
        column = self.columns.get(field)
        if column is None:
            out.issues.append(
                self.issue(
                    row,
                    field,
                    kind="column_missing",
                    en=f"{label_zh}: expected a column for {label_en}, found none in the sheet",
                    zh=f"{label_zh}：应有{label_zh}列，实际表中没有该列",
                    expected=f"a {label_zh} column",
                )
            )
            return
        out.issues.append(
            self.issue(
                row,
                field,
                kind="blank",
                en=f"{column.header}: expected {label_en}, found a blank cell; a required cell is never filled in",
                zh=f"{column.header}：应填写{label_zh}，实为空白；必填项不做推定",
                expected=label_en,
            )
        )

    def _enum(self, row: LedgerRow, field: str, out: _Outcome, kind: type[_T], label_zh: str) -> _T | None:
        text = self._text(row, field)
        if text is None:
            return None
        key = (kind, text)
        if key in self._labels:
            return self._labels[key]  # type: ignore[return-value]
        try:
            member = self._labels[key] = kind.from_label(text)  # type: ignore[attr-defined]
        except ValueError:
            labels = "、".join(member.label_zh for member in kind)  # type: ignore[attr-defined]
            column = self.columns.get(field)
            header = column.header if column else label_zh
            out.issues.append(
                self.issue(
                    row,
                    field,
                    kind="unknown_label",
                    en=f"{header}: expected one of {labels}, found {text!r}",
                    zh=f"{header}：应为{labels}之一，实为 {text!r}",
                    expected=f"one of {labels}",
                )
            )
            return None
        return member  # type: ignore[no-any-return]

    def _needed_enum(  # noqa: PLR0917 - private helper
        self, row: LedgerRow, field: str, out: _Outcome, kind: type[_T], label_en: str, label_zh: str
    ) -> _T | None:
        if self._text(row, field) is None:
            self._required(row, field, out, label_en, label_zh)
            return None
        return self._enum(row, field, out, kind, label_zh)

    # -- the row ----------------------------------------------------------------------
    def _hostile_text(self, row: LedgerRow, out: _Outcome) -> None:
        """Refuse control, escape and bidi characters anywhere, and over-long text in a field."""
        for field, index in self.index.items():
            cell = row.cells[index] if index < len(row.cells) else None
            if not isinstance(cell, str):
                continue
            bad = next((c for c in cell if c in _FORBIDDEN_CHARS or (ord(c) < 0x20 and c not in "\t\n\r")), None)  # noqa: PLR2004 - C0 controls
            if bad is not None:
                out.issues.append(
                    self.issue(
                        row,
                        field,
                        kind="control_character",
                        en=(
                            f"contains the control or direction character U+{ord(bad):04X}; "
                            "names and codes must be plain text"
                        ),
                        zh=f"含控制或文字方向字符 U+{ord(bad):04X}；名称和代码只能是普通文本",
                        expected="plain text",
                        value=cell.encode("unicode_escape").decode("ascii")[:80],
                    )
                )
            elif len(cell) > _TEXT_LIMITS.get(field, len(cell)):
                limit = _TEXT_LIMITS[field]
                out.issues.append(
                    self.issue(
                        row,
                        field,
                        kind="too_long",
                        en=f"has {len(cell)} characters; at most {limit} are stored",
                        zh=f"长度为 {len(cell)} 个字符，最多可存 {limit} 个",
                        expected=f"at most {limit} characters",
                        value=cell[:40] + "…",
                    )
                )

    def _horizon_issue(self, row: LedgerRow, field: str, value: date) -> LedgerIssue:
        return self.issue(
            row,
            field,
            kind="date_beyond_horizon",
            en=(
                f"{value.isoformat()} lies more than {DATE_HORIZON_DAYS} days after the import "
                f"({self.recorded_at.date()})"
            ),
            zh=f"{value.isoformat()} 晚于导入日期（{self.recorded_at.date()}）超过 {DATE_HORIZON_DAYS} 天",
            expected=f"on or before {self.horizon.isoformat()}",
        )

    def map(self, row: LedgerRow) -> _Outcome:  # noqa: C901, PLR0915 - one step per column
        out = _Outcome()
        self._hostile_text(row, out)
        code = self._text(row, "asset_code")
        out.asset_code = code
        name = self._text(row, "asset_name")
        if code is None:
            self._required(row, "asset_code", out, "the asset code (资产编号)", "资产编号")
        if name is None:
            self._required(row, "asset_name", out, "the asset name (资产名称)", "资产名称")
        kind = self._needed_enum(row, "asset_kind", out, AssetKind, "the asset kind (资产种类)", "资产种类")
        asset_class = self._enum(row, "asset_class", out, AssetClass, "资产类别")
        if asset_class is None and is_blank(row.get("asset_class")):
            default = self.policy.default_class(kind) if self.policy is not None and kind is not None else None
            if default is None:
                self._required(row, "asset_class", out, "the asset class (资产类别)", "资产类别")
            asset_class = default
        form = self._needed_enum(row, "asset_form", out, AssetForm, "the asset form (资产形态)", "资产形态")
        status = self._needed_enum(row, "status", out, AssetStatus, "the asset status (状态)", "状态")
        value_column = self.columns.get("original_value")
        unit = value_column.unit if value_column else None
        value = self._cell(
            row,
            "original_value",
            out,
            lambda c: parse_amount(c, unit, field="original_value", non_negative=True),
            memo=True,
        )
        if value is None and is_blank(row.get("original_value")):
            self._required(row, "original_value", out, "the original value (原值)", "原值")
        location = self._location(row, out)
        year = self._cell(row, "project_year", out, _read_year, memo=True)
        completed = self._cell(row, "completed_on", out, _read_completed, memo=True)
        handed = self._cell(row, "handed_over_on", out, _read_handed, memo=True)
        registered = self._cell(row, "registered_on", out, _read_registered, memo=True)
        quantity = self._cell(row, "quantity", out, _quantity)
        capacity = self._cell(row, "capacity_kw", out, lambda c: parse_capacity_kw(c, field="capacity_kw"))
        if capacity is None and kind is AssetKind.PV_STATION:
            # PV ledgers often write the capacity into 规模/容量 ("装机总容量186千瓦", "30MW")
            capacity = self._cell(row, "scale", out, lambda c: parse_capacity_kw(c, field="scale"))
        funding = self._funding(row, out, value)
        on = registered or completed or handed or self.effective
        if on is None and not any(
            row.get(field) is not None and not is_blank(row.get(field))
            for field in ("registered_on", "completed_on", "handed_over_on")
        ):
            out.issues.append(
                self.issue(
                    row,
                    "registered_on",
                    kind="date_missing",
                    en=f"{self._header('registered_on', '登记日期')}: expected a date to register the asset on "
                    "(登记日期, 竣工日期 or 移交日期), found none; no date is invented",
                    zh=f"{self._header('registered_on', '登记日期')}：应有登记日期、竣工日期或移交日期之一，"
                    "实际均为空；不推定日期",
                    expected="登记日期, 竣工日期 or 移交日期",
                )
            )
        if any(issue.is_error for issue in out.issues):
            return out
        assert code is not None  # noqa: S101 - narrowing after validation
        assert name is not None  # noqa: S101 - narrowing after validation
        assert value is not None  # noqa: S101 - narrowing after validation
        assert asset_class is not None  # noqa: S101 - narrowing after validation
        assert location is not None  # noqa: S101 - narrowing after validation
        assert kind is not None  # noqa: S101 - narrowing after validation
        assert form is not None  # noqa: S101 - narrowing after validation
        assert status is not None  # noqa: S101 - narrowing after validation
        assert on is not None  # noqa: S101 - narrowing after validation
        project_name = self._text(row, "project_name")
        project_code = self._text(row, "project_code") or project_name
        implementer = self._text(row, "implementer")
        if project_code is None and (year is not None or implementer is not None):
            project_code, project_name = code, name  # a year alone: the asset is its own project
        project = (
            Project(
                code=project_code,
                name=project_name or project_code,
                year=year,
                department=implementer,
            )
            if project_code
            else None
        )
        asset_id = AssetId(code)
        try:
            asset = Asset(
                id=asset_id,
                name=name,
                asset_class=asset_class,
                form=form,
                kind=kind,
                location=location,
                original_value=value,
                funding=funding,  # type: ignore[arg-type] # attrs converter typing
                project=project,
                quantity=quantity,
                unit=self._text(row, "quantity_unit"),
                capacity_kw=capacity,
                completed_on=completed,
                handed_over_on=handed,
                supervising_department=self._text(row, "department"),
                note=self._text(row, "remarks"),
            )
            out.events.append(
                AssetRegistered(
                    asset_id=asset_id,
                    effective=on,
                    recorded_at=self.recorded_at,
                    event_id=EventId(f"{code}/registered"),
                    asset=asset,
                    status=status,
                )
            )
        except AssetRegError as exc:
            field = exc.field if exc.field in self.columns else "asset_code"
            header = self._header(field, field)
            out.issues.append(
                self.issue(
                    row,
                    field,
                    kind="invalid_asset",
                    en=f"{header}: expected a valid asset, found: {exc.message_en}",
                    zh=f"{header}：应构成有效资产，实为：{exc.message_zh}",
                )
            )
            return out
        self._relations(row, out, asset, on)
        return out

    def _header(self, field: str, fallback: str) -> str:
        column = self.columns.get(field)
        return column.header if column else fallback

    # -- area codes ---------------------------------------------------------------------
    def _location(self, row: LedgerRow, out: _Outcome) -> AdminCode | None:
        """The asset's area code from 区划代码 or the level columns (村代码, 乡镇代码, 县区代码).

        A level column takes only a code of its level, written with all 12 digits or with
        that level's significant digits; it is never padded or truncated. 区划代码 takes a
        code of any level at its length (2, 4, 6, 9 or 12 digits). When several are given
        they must agree (each higher one is a parent of the lower).
        """
        found: list[tuple[str, AdminCode]] = []
        for field in _CODE_FIELDS:
            if field not in self.columns:
                continue
            code = self._cell(row, field, out, functools.partial(_admin_code, field=field), memo=True)
            if code is not None:
                found.append((field, code))
        present = [f for f in _CODE_FIELDS if f in self.columns]
        if not found:
            if all(is_blank(row.get(f)) for f in present):
                target = present[0] if present else "admin_code"
                self._required(row, target, out, "the area code (区划代码)", "区划代码")
            return None
        found.sort(key=lambda item: _LEVEL_DIGITS[item[1].level], reverse=True)
        lowest_field, lowest = found[0]
        for field, code in found[1:]:
            if not lowest.value.startswith(code.value[: _LEVEL_DIGITS[code.level]]):
                header = self._header(field, field)
                out.issues.append(
                    self.issue(
                        row,
                        field,
                        kind="code_mismatch",
                        en=f"{header}: expected the code containing {lowest.value} "
                        f"({self._header(lowest_field, lowest_field)}), found {code.value}",
                        zh=f"{header}：应为包含 {lowest.value}（{self._header(lowest_field, lowest_field)}）"
                        f"的上级代码，实为 {code.value}",
                        expected=f"a parent of {lowest.value}",
                    )
                )
                return None
        return lowest

    # -- funding (P2) ---------------------------------------------------------------------
    def _funding(  # noqa: C901, PLR0911, PLR0912 - one branch per county layout
        self, row: LedgerRow, out: _Outcome, value: Money | None
    ) -> tuple[FundingLine, ...]:
        """Funding lines of a row (P2).

        From 资金来源 (with amounts in the text, or in 资金金额 beside it) and from one amount
        column per source (中央衔接资金, 省级衔接资金, 其他…).
        """
        lines: list[FundingLine] = []
        for column in self.funding_columns:
            cell = row.get(column.field or "")
            if is_blank(cell):
                continue
            label = (column.field or "").removeprefix(FUNDING_COLUMN_PREFIX)

            def _column_amount(c: object, unit: str | None = column.unit, f: str = column.field or "") -> Money:
                return parse_amount(c, unit, field=f, non_negative=True)

            amount = self._cell(row, column.field or "", out, _column_amount)
            if amount is not None and amount.fen:
                lines.append(FundingLine(_funding_source(label), amount, _funding_note(label)))
        text = self._text(row, "funding_source")
        if text is not None:
            parts = [part.strip() for part in re.split(r"[;；、]", text) if part.strip()]
            beside = self._beside_amounts(row, out, len(parts))
            if beside is None:
                return ()
            header = self._header("funding_source", "资金来源")
            if beside:
                for part, amount in zip(parts, beside, strict=True):
                    lines.append(FundingLine(_funding_source(part), amount, _funding_note(part)))
            elif len(parts) == 1 and not _AMOUNT_AT_END.search(parts[0]) and not lines:
                if value is None:
                    return ()
                if not self.single_source_takes_value:
                    out.issues.append(
                        self.issue(
                            row,
                            "funding_source",
                            kind="funding_amount_unknown",
                            en=f"{header}: expected the source with its amount (e.g. {parts[0]} 500万元), "
                            f"found {parts[0]!r} without one; no funding line is recorded",
                            zh=f"{header}：应写明来源及金额（如 {parts[0]} 500万元），实为未写金额的 {parts[0]!r}；"
                            "未登记资金来源明细",
                            expected="a source with its amount",
                        )
                    )
                    return ()
                out.issues.append(
                    self.issue(
                        row,
                        "funding_source",
                        kind="funding_single_source_applied",
                        en=f"{header}: expected the source with its amount, found {parts[0]!r} without one; "
                        f"by the policy option single_funding_source_takes_value it is recorded for the whole "
                        f"original value {value}",
                        zh=f"{header}：应写明来源及金额，实为未写金额的 {parts[0]!r}；已按政策选项记为原值全额 {value}",
                        expected="a source with its amount",
                    )
                )
                return (FundingLine(_funding_source(parts[0]), value, _funding_note(parts[0])),)
            else:
                for part in parts:
                    found = _AMOUNT_AT_END.search(part)
                    if found is None:
                        out.issues.append(
                            self.issue(
                                row,
                                "funding_source",
                                kind="funding_amount_missing",
                                en=f"{header}: expected every source of several to have its amount "
                                f"(e.g. {part} 500万元), found {part!r} without one",
                                zh=f"{header}：多个资金来源应各自写明金额（如 {part} 500万元），"
                                f"实为未写金额的 {part!r}",
                                expected="each source with its amount",
                            )
                        )
                        return ()
                    label = part[: found.start()].strip(" :：")

                    def _line_amount(_cell: object, amount_text: str = found[0]) -> Money:
                        return parse_amount(amount_text, None, field="funding_source", non_negative=True)

                    amount = self._cell(row, "funding_source", out, _line_amount)
                    if amount is None:
                        return ()
                    lines.append(FundingLine(_funding_source(label), amount, _funding_note(label)))
        if not lines or value is None:
            return ()
        total = Money(sum(line.amount.fen for line in lines))
        if total != value:
            out.issues.append(
                self.issue(
                    row,
                    "funding_source" if "funding_source" in self.columns else self.funding_columns[0].field or "",
                    kind="funding_mismatch",
                    en=f"{self._header('funding_source', '资金来源')}: expected funding lines adding up to the "
                    f"original value {value}, found {total}",
                    zh=f"{self._header('funding_source', '资金来源')}：资金来源合计应等于原值 {value}，实为 {total}",
                    expected=str(value),
                )
            )
            return ()
        return tuple(lines)

    def _beside_amounts(self, row: LedgerRow, out: _Outcome, count: int) -> list[Money] | None:
        """Amounts of the 资金金额 column beside 资金来源 (one per source, ``;``-separated); ``[]`` if none."""
        cell = row.get("funding_amount")
        if is_blank(cell):
            return []
        column = self.columns["funding_amount"]
        pieces: list[object] = (
            [piece.strip() for piece in re.split(r"[;；、]", cell)] if isinstance(cell, str) else [cell]
        )
        if len(pieces) != count:
            out.issues.append(
                self.issue(
                    row,
                    "funding_amount",
                    kind="funding_amount_missing",
                    en=f"{column.header}: expected one amount per source in 资金来源 ({count}), found {len(pieces)}",
                    zh=f"{column.header}：应与资金来源一一对应（{count}个金额），实为{len(pieces)}个",
                    expected=f"{count} amounts",
                )
            )
            return None
        amounts: list[Money] = []
        for piece in pieces:

            def _piece(_cell: object, p: object = piece) -> Money:
                return parse_amount(p, column.unit, field="funding_amount", non_negative=True)

            amount = self._cell(row, "funding_amount", out, _piece)
            if amount is None:
                return None
            amounts.append(amount)
        return amounts

    def _party(
        self, row: LedgerRow, field: str, out: _Outcome, location: AdminCode, *, keep: bool = True
    ) -> Party | None:
        name = self._text(row, field)
        if name is None:
            return None
        kind: PartyKind | None = None
        stated = self._text(row, f"{field}_kind")
        if stated is not None:
            # an explicit 产权/管护/经营主体类型 column wins over guessing from the name
            kind = self._enum(row, f"{field}_kind", out, PartyKind, "主体类型")
            if kind is None:
                return None
        if kind is None:
            kind = next((k for ending, k in self.party_kinds if name.endswith(ending)), None)
        if kind is None or kind not in _PARTY_TYPES:
            out.issues.append(
                self._issue(
                    row,
                    field,
                    kind="unknown_party_kind",
                    severity=Severity.WARNING,
                    en="expected a name whose ending tells the party kind (…村股份经济合作社, …镇人民政府, …局, "
                    f"…合作社, …公司) or a 主体类型 column, found {name!r}; the relation is not recorded",
                    zh="应为能看出主体类型的名称（…村股份经济合作社、…镇人民政府、…局、…合作社、…公司）或填写主体类型列，"
                    f"实为 {name!r}；未登记该关系",
                )
            )
            return None
        key = (kind, name, location)
        party = self._parties.get(key)
        if party is None:
            party = self._parties[key] = _PARTY_TYPES[kind](id=party_id(kind, name), name=name, admin_code=location)
        if keep:
            out.parties.append(party)
        return party

    def _relations(self, row: LedgerRow, out: _Outcome, asset: Asset, on: date) -> None:
        asset_id = asset.id
        owner = self._party(row, "owner", out, asset.location)
        if owner is not None:
            share = self._cell(
                row, "owner_share", out, lambda c: parse_share(c, field="owner_share", max_places=self.share_places)
            )
            if share is not None and share != 1:
                out.issues.append(
                    self._issue(
                        row,
                        "owner_share",
                        kind="partial_share",
                        severity=Severity.WARNING,
                        en=(
                            f"expected the share 1 for the one owner a row names, found {share}; "
                            "ownership is not recorded"
                        ),
                        zh=f"单行只列一个产权主体时份额应为1，实为 {share}；未登记确权",
                    )
                )
            else:
                out.events.append(
                    OwnershipConfirmed(
                        asset_id=asset_id,
                        effective=on,
                        recorded_at=self.recorded_at,
                        event_id=EventId(f"{asset_id}/ownership"),
                        holders=(OwnerShare(owner.id, ONE),),
                    )
                )
        custodian = self._party(row, "custodian", out, asset.location)
        if custodian is not None:
            method = (
                self._enum(row, "custody_method", out, CustodyMethod, "管护方式") or _CUSTODY_BY_KIND[custodian.kind]
            )
            out.events.append(
                CustodianAssigned(
                    asset_id=asset_id,
                    effective=on,
                    recorded_at=self.recorded_at,
                    event_id=EventId(f"{asset_id}/custody"),
                    custodian=custodian.id,
                    method=method,
                )
            )
        # the operator becomes a party only with its contract (no orphan parties)
        operator = self._party(row, "operator", out, asset.location, keep=False)
        if operator is None:
            return
        mode = self._enum(row, "operation_mode", out, OperationMode, "经营方式")
        term = self._cell(row, "contract_period", out, lambda c: parse_date_range(c, field="contract_period"))
        rate_column = self.columns.get("guaranteed_rate")
        rate = self._cell(
            row,
            "guaranteed_rate",
            out,
            lambda c: parse_rate(
                c, rate_column.unit if rate_column else None, field="guaranteed_rate", max_places=self.share_places
            ),
        )
        if mode is None or term is None:
            if not any(issue.is_error for issue in out.issues):
                out.issues.append(
                    self._issue(
                        row,
                        "contract_period" if term is None else "operation_mode",
                        kind="contract_incomplete",
                        en=(
                            "expected 经营方式 and 合同起止 beside the operator (经营主体), found a blank cell; "
                            "the asset is kept, the contract is not recorded"
                        ),
                        zh="填写经营主体时应同时填写经营方式和合同起止，实为空白；资产照常登记，合同未记录",
                        severity=Severity.WARNING,
                    )
                )
            return
        if asset.asset_class is not AssetClass.OPERATING:
            out.issues.append(
                self._issue(
                    row,
                    "operator",
                    kind="operator_on_non_operating",
                    en=f"expected an operating asset (经营性资产) to take an operating contract, "
                    f"found a {asset.asset_class.value} asset ({asset.asset_class.label_zh})",
                    zh=f"只有经营性资产才能签订经营合同，实为{asset.asset_class.label_zh}",
                )
            )
            return
        terms = ContractTerms(
            guaranteed_return=GuaranteedReturn(rate=rate, base=asset.original_value) if rate is not None else None
        )
        contract = OperatingContract(
            id=ContractId(f"{asset_id}/contract"),
            asset_id=asset_id,
            operator=operator.id,
            mode=mode,
            term=term,
            terms=terms,
        )
        if self.policy is not None:
            try:
                self.policy.check_contract(contract)  # P8: the rate band, refused at entry
            except ContractRefused as exc:
                out.issues.append(self._error_issue(row, "guaranteed_rate", exc, row.get("guaranteed_rate")))
                return
        out.parties.append(operator)
        out.events.append(
            ContractSigned(
                asset_id=asset_id,
                effective=max(term.start, on),
                recorded_at=self.recorded_at,
                event_id=EventId(f"{asset_id}/contract"),
                contract=contract,
            )
        )


_AMOUNT_AT_END = re.compile(r"[+-]?\d[\d,.]*\s*(?:万元|万|元)$")


@functools.lru_cache(maxsize=4096)
def _funding_source(text: str) -> FundingSource:
    base = re.split(r"[(（]", text, maxsplit=1)[0].strip()
    try:
        return FundingSource.from_label(base)
    except ValueError:
        pass
    best: tuple[int, FundingSource] | None = None
    for member in FundingSource:
        for label in (member.label_zh, *_funding_aliases(member)):
            if label and label in base and (best is None or len(label) > best[0]):
                best = (len(label), member)
    return best[1] if best else FundingSource.OTHER


def _funding_aliases(member: FundingSource) -> tuple[str, ...]:
    from assetreg.domain import vocab  # noqa: PLC0415

    aliases: Mapping[object, tuple[str, ...]] = getattr(vocab, "_ALIASES", {})
    return aliases.get(member, ())


@functools.lru_cache(maxsize=4096)
def _funding_note(text: str) -> str | None:
    source = _funding_source(text)
    return None if text == source.label_zh else text


@functools.lru_cache(maxsize=65536, typed=True)
def _admin_code(cell: object, field: str) -> AdminCode:
    """Read an area-code cell; a level column (村代码…) takes only codes of its level.

    Raises:
        InvalidCode: ``details["kind"]`` is ``"bad_code"`` (not a code) or
            ``"code_wrong_level"`` (a code of another level than the column's).
    """
    if isinstance(cell, bool):
        text = str(cell)
    elif isinstance(cell, float):
        number = exact_decimal(cell, field=field)
        text = str(int(number)) if number == number.to_integral_value() else repr(cell)
    else:
        text = str(cell) if isinstance(cell, int) else normalise_text(str(cell))
    level = CODE_LEVELS.get(field)
    shape = "12 digits (or 2, 4, 6 or 9 for a higher level)"
    shape_zh = "12位数字（上级区划可为2、4、6或9位）"
    if level is not None:
        wanted = AdminLevel(level)
        en_level, zh_level = _LEVEL_WORDS[wanted]
        digits = _LEVEL_DIGITS[wanted]
        shape = f"a {en_level} code ({digits} or 12 digits)" if digits != 12 else f"a {en_level} code (12 digits)"  # noqa: PLR2004
        shape_zh = f"{zh_level}代码（{digits}位或12位）" if digits != 12 else f"{zh_level}代码（12位）"  # noqa: PLR2004
    try:
        code = AdminCode.parse(text, field=field)
    except InvalidCode as exc:
        raise InvalidCode(
            f"expected {shape}, found {text!r} ({len(text)} characters): {exc.message_en.split(': ', 1)[-1]}",
            f"应为{shape_zh}，实为 {text!r}（{len(text)}位）：{exc.message_zh.split('：', 1)[-1]}",
            field=field,
            actual=text,
            expected=shape,
            details={"kind": "bad_code"},
        ) from None
    if level is not None and code.level.value != level:
        found_en, found_zh = _LEVEL_WORDS[code.level]
        raise InvalidCode(
            f"expected {shape}, found a {found_en} code {text!r} ({len(text)} digits); it is not padded or truncated",
            f"应为{shape_zh}，实为{found_zh}代码 {text!r}（{len(text)}位）；不补零、不截断",
            field=field,
            actual=text,
            expected=shape,
            details={"kind": "code_wrong_level", "expected_level": level, "found_level": code.level.value},
        )
    if len(text) not in {12, _LEVEL_DIGITS[code.level]}:
        raise InvalidCode(
            f"expected {shape}, found {text!r} ({len(text)} digits); it is not padded or truncated",
            f"应为{shape_zh}，实为 {text!r}（{len(text)}位）；不补零、不截断",
            field=field,
            actual=text,
            expected=shape,
            details={"kind": "bad_code"},
        )
    return code


def _read_year(cell: object) -> int:
    return parse_year(cell, field="project_year")


def _read_completed(cell: object) -> date:
    return parse_date(cell, field="completed_on")


def _read_handed(cell: object) -> date:
    return parse_date(cell, field="handed_over_on")


def _read_registered(cell: object) -> date:
    return parse_date(cell, field="registered_on")


def _cell_string(value: object) -> str | None:
    """The text of a text cell, or ``None`` when blank; an integral float reads as an integer."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else exact_decimal(value)
    text = normalise_text(value) if isinstance(value, str) else str(value)
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS:
        text = text[1:]  # the writer's formula-injection guard
    return text


def _quantity(cell: object) -> Decimal:
    if isinstance(cell, float):
        return exact_decimal(cell, field="quantity")
    try:
        number: Decimal | None = Decimal(normalise_text(str(cell)).replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise InvalidValue(
            f"expected a non-negative number such as 3 or 2.5, found {cell!r}",
            f"应为非负数，如 3 或 2.5，实为{cell!r}",
            field="quantity",
            actual=cell,
            expected="a non-negative number",
            details={"kind": "bad_quantity"},
        )
    return number
