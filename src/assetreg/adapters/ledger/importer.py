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
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from assetreg.adapters.ledger.cells import (
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
from assetreg.adapters.ledger.issues import LedgerIssue, Severity, cell_text
from assetreg.adapters.ledger.reader import Column, LedgerRow, LedgerSheet, read_ledger
from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode
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
from assetreg.domain.periods import SHANGHAI, require_aware
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
)
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
from assetreg.errors import AssetRegError, InvalidCode, InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import date, datetime

    from assetreg.domain.policy import Policy

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
_FORMULA_PREFIXES: Final = ("'=", "'+", "'-", "'@")
_T = TypeVar("_T")


_ID_LIMIT: Final = 64  # the id columns of the SQL adapter hold 64 characters


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

    def write_rejects(self, path: str | Path) -> Path:
        """Write the rejected rows to a CSV file (UTF-8 with BOM, so Excel opens it).

        Columns: ``工作表/sheet``, ``行号/row``, the original columns of the sheet (the
        widest sheet's headers when sheets differ), then ``错误列/columns``,
        ``错误代码/codes``, ``错误原因/reason_zh`` and ``reason_en`` (several issues of a
        row joined with ``"; "``). Cells are written as read; text starting with ``=``,
        ``+``, ``-`` or ``@`` gets a leading ``'`` so that a spreadsheet does not run it.

        Returns:
            The path written.
        """
        target = Path(path)
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
            for row in self.rejected:
                found = by_row.get((row.sheet, row.row), [])
                cells = [neutralise(cell_text(cell)) for cell in row.cells]
                cells += [""] * (len(widest) - len(cells))
                out.writerow(
                    [
                        neutralise(row.sheet),
                        row.row,
                        *cells,
                        "; ".join(f"{i.column_letter or ''}{i.row}({i.column or ''})" for i in found),
                        "; ".join(f"{i.code}/{i.kind}" for i in found),
                        neutralise("; ".join(i.reason_zh for i in found)),
                        neutralise("; ".join(i.reason_en for i in found)),
                    ]
                )
        return target


def neutralise(text: str) -> str:
    """Neutralise spreadsheet formula injection: prefix ``'`` to text starting with ``= + - @``."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def import_ledger(
    path: str | Path,
    *,
    recorded_at: datetime,
    policy: Policy | None = None,
    effective: date | None = None,
    sheets: Sequence[str] | None = None,
    party_kinds: Sequence[tuple[str, PartyKind]] = DEFAULT_PARTY_KINDS,
    base: AssetRegister | None = None,
) -> ImportResult:
    """Import a ledger file (台账) into a register.

    Args:
        path: a ``.xlsx`` or ``.csv`` ledger.
        recorded_at: when the register learns these facts (timezone-aware); every
            event gets this instant.
        policy: used for the default class of an asset kind (P3) when a row has no
            资产类别; ``None`` means the class is required.
        effective: registration date of rows without 登记日期, 竣工日期 or 移交日期;
            by default the date of ``recorded_at`` in Asia/Shanghai.
        sheets: the sheets to read (all by default).
        party_kinds: name ending → party kind rules (see the module docstring).
        base: a register to add to (duplicate codes against it are reported too).

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
) -> ImportResult:
    """Map already-read sheets to events (the second half of :func:`import_ledger`).

    Raises:
        InvalidPeriod: ``recorded_at`` is naive.
    """
    recorded = require_aware(recorded_at, field="recorded_at")
    default_day = effective or _shanghai_date(recorded)
    issues = list(read_issues)
    events: list[AssetEvent] = []
    parties: dict[PartyId, Party] = dict(base.parties) if base is not None else {}
    new_parties: dict[PartyId, Party] = {}
    seen_codes: dict[str, tuple[str, int]] = {}
    rejected: list[LedgerRow] = []
    imported: list[tuple[str, int]] = []
    for sheet in sheets:
        mapper = _RowMapper(sheet, recorded, default_day, policy, party_kinds)
        for row in sheet.detail_rows:
            outcome = mapper.map(row)
            code = outcome.asset_code
            if code is not None:
                first = seen_codes.get(code)
                if first is not None or (base is not None and code in base):
                    outcome.issues.append(_duplicate(mapper, row, code, first))
                else:
                    seen_codes[code] = (sheet.name, row.row)
            issues.extend(outcome.issues)
            if any(issue.is_error for issue in outcome.issues):
                rejected.append(row)
                continue
            for party in outcome.parties:
                if party.id not in parties:
                    parties[party.id] = party
                    new_parties[party.id] = party
            events.extend(outcome.events)
            imported.append((sheet.name, row.row))
    register = base or AssetRegister.empty()
    for party in sorted(new_parties.values(), key=lambda p: p.id):
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


def _shanghai_date(instant: datetime) -> date:
    from zoneinfo import ZoneInfo  # noqa: PLC0415 - stdlib, only needed here

    return instant.astimezone(ZoneInfo(SHANGHAI)).date()


def _duplicate(mapper: _RowMapper, row: LedgerRow, code: str, first: tuple[str, int] | None) -> LedgerIssue:
    column = mapper.columns.get("asset_code")
    where_en = (
        f"row {first[1]}" + (f" of sheet {first[0]}" if first[0] != row.sheet else "") if first else "the register"
    )
    where_zh = (
        (f"第 {first[1]} 行" + (f"（工作表 {first[0]}）" if first[0] != row.sheet else "")) if first else "已有台账"
    )
    return LedgerIssue(
        sheet=row.sheet,
        row=row.row,
        column=column.header if column else None,
        column_letter=column.letter if column else None,
        field="asset_code",
        value=code,
        code="AR-203",
        kind="duplicate_asset_code",
        reason_en=f"asset code {code!r} is already used in {where_en}; this row is rejected",
        reason_zh=f"资产编号 {code!r} 已在{where_zh}使用，本行不予导入",
        related_rows=(first[1],) if first else (),
    )


@attrs.define
class _Outcome:
    asset_code: str | None = None
    issues: list[LedgerIssue] = attrs.field(factory=list)
    events: list[AssetEvent] = attrs.field(factory=list)
    parties: list[Party] = attrs.field(factory=list)


class _RowMapper:
    """Maps the detail rows of one sheet; holds the sheet's columns."""

    def __init__(
        self,
        sheet: LedgerSheet,
        recorded_at: datetime,
        default_day: date,
        policy: Policy | None,
        party_kinds: Sequence[tuple[str, PartyKind]],
    ) -> None:
        self.sheet = sheet
        self.columns = {c.field: c for c in sheet.columns if c.field is not None}
        self.recorded_at = recorded_at
        self.default_day = default_day
        self.policy = policy
        self.party_kinds = party_kinds

    # -- cell helpers -----------------------------------------------------------------
    def _issue(
        self,
        row: LedgerRow,
        field: str,
        *,
        kind: str,
        en: str,
        zh: str,
        code: str = "AR-100",
        severity: Severity = Severity.ERROR,
    ) -> LedgerIssue:
        column = self.columns.get(field)
        return LedgerIssue(
            sheet=row.sheet,
            row=row.row,
            column=column.header if column else None,
            column_letter=column.letter if column else None,
            field=field,
            value=cell_text(row.get(field)),
            code=code,
            kind=kind,
            reason_en=en,
            reason_zh=zh,
            severity=severity,
        )

    def _cell(self, row: LedgerRow, field: str, out: _Outcome, read: Callable[[object], _T]) -> _T | None:
        """Read a cell with ``read``; blank gives ``None``; an error becomes an issue."""
        value = row.get(field)
        if is_blank(value):
            return None
        try:
            return read(value)
        except AssetRegError as exc:
            column = self.columns.get(field)
            out.issues.append(
                LedgerIssue.from_error(
                    exc,
                    sheet=row.sheet,
                    row=row.row,
                    column=column.header if column else None,
                    column_letter=column.letter if column else None,
                    field=field,
                    value=value,
                )
            )
            return None

    def _text(self, row: LedgerRow, field: str) -> str | None:
        value = row.get(field)
        if is_blank(value):
            return None
        if isinstance(value, float):
            value = exact_decimal(value)
        text = normalise_text(str(value)) if isinstance(value, str) else str(value)
        if text.startswith(_FORMULA_PREFIXES):
            text = text[1:]  # the writer's formula-injection guard
        return text

    def _required(self, row: LedgerRow, field: str, out: _Outcome, label_en: str, label_zh: str) -> None:
        out.issues.append(
            self._issue(
                row,
                field,
                kind="missing_value",
                en=f"{label_en} is required" + ("" if field in self.columns else " (the column is missing)"),
                zh=f"{label_zh}不能为空" + ("" if field in self.columns else "（缺少该列）"),
            )
        )

    def _enum(self, row: LedgerRow, field: str, out: _Outcome, kind: type[_T], label_zh: str) -> _T | None:
        text = self._text(row, field)
        if text is None:
            return None
        try:
            return kind.from_label(text)  # type: ignore[attr-defined, no-any-return]
        except ValueError:
            out.issues.append(
                self._issue(
                    row,
                    field,
                    kind="unknown_label",
                    en=f"{text!r} is not a known {field.replace('_', ' ')}",
                    zh=f"{text!r} 不是可识别的{label_zh}",
                )
            )
            return None

    # -- the row ----------------------------------------------------------------------
    def map(self, row: LedgerRow) -> _Outcome:  # noqa: C901, PLR0915 - one step per column
        out = _Outcome()
        code = self._text(row, "asset_code")
        out.asset_code = code
        name = self._text(row, "asset_name")
        if code is None:
            self._required(row, "asset_code", out, "the asset code (资产编号)", "资产编号")
        if name is None:
            self._required(row, "asset_name", out, "the asset name (资产名称)", "资产名称")
        kind = self._enum(row, "asset_kind", out, AssetKind, "资产种类") or AssetKind.OTHER
        asset_class = self._enum(row, "asset_class", out, AssetClass, "资产类别")
        if asset_class is None and is_blank(row.get("asset_class")):
            default = self.policy.default_class(kind) if self.policy is not None else None
            if default is None:
                self._required(row, "asset_class", out, "the asset class (资产类别)", "资产类别")
            asset_class = default
        form = self._enum(row, "asset_form", out, AssetForm, "资产形态") or AssetForm.FIXED
        status = self._enum(row, "status", out, AssetStatus, "资产状态") or AssetStatus.IN_USE
        value_column = self.columns.get("original_value")
        unit = value_column.unit if value_column else None
        value = self._cell(
            row,
            "original_value",
            out,
            lambda c: parse_amount(c, unit, field="original_value", non_negative=True),
        )
        if value is None and is_blank(row.get("original_value")):
            self._required(row, "original_value", out, "the original value (原值)", "原值")
        location = self._cell(row, "admin_code", out, _admin_code)
        if location is None and is_blank(row.get("admin_code")):
            self._required(row, "admin_code", out, "the area code (区划代码)", "区划代码")
        year = self._cell(row, "project_year", out, lambda c: parse_year(c, field="project_year"))
        completed = self._cell(row, "completed_on", out, lambda c: parse_date(c, field="completed_on"))
        handed = self._cell(row, "handed_over_on", out, lambda c: parse_date(c, field="handed_over_on"))
        registered = self._cell(row, "registered_on", out, lambda c: parse_date(c, field="registered_on"))
        quantity = self._cell(row, "quantity", out, _quantity)
        capacity = self._cell(row, "capacity_kw", out, lambda c: parse_capacity_kw(c, field="capacity_kw"))
        if capacity is None and kind is AssetKind.PV_STATION:
            # PV ledgers often write the capacity into 规模/容量 ("装机总容量186千瓦", "30MW")
            capacity = self._cell(row, "scale", out, lambda c: parse_capacity_kw(c, field="scale"))
        funding = self._funding(row, out, value)
        if any(issue.is_error for issue in out.issues):
            return out
        assert code is not None  # noqa: S101 - narrowing after validation
        assert name is not None  # noqa: S101 - narrowing after validation
        assert value is not None  # noqa: S101 - narrowing after validation
        assert asset_class is not None  # noqa: S101 - narrowing after validation
        assert location is not None  # noqa: S101 - narrowing after validation
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
        on = registered or completed or handed or self.default_day
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
            out.issues.append(
                self._issue(
                    row,
                    exc.field or "asset_code",
                    kind="invalid_asset",
                    en=exc.message_en,
                    zh=exc.message_zh,
                    code=exc.code,
                )
            )
            return out
        self._relations(row, out, asset, on)
        return out

    def _funding(self, row: LedgerRow, out: _Outcome, value: Money | None) -> tuple[FundingLine, ...]:
        text = self._text(row, "funding_source")
        if text is None or value is None:
            return ()
        parts = [part.strip() for part in re.split(r"[;；]", text) if part.strip()]
        if len(parts) == 1 and not _AMOUNT_AT_END.search(parts[0]):
            return (FundingLine(_funding_source(parts[0]), value, _funding_note(parts[0])),)
        lines: list[FundingLine] = []
        for part in parts:
            found = _AMOUNT_AT_END.search(part)
            if found is None:
                out.issues.append(
                    self._issue(
                        row,
                        "funding_source",
                        kind="bad_funding",
                        en=f"{part!r}: each of several funding lines needs an amount (e.g. 财政专项扶贫资金 500万元)",
                        zh=f"{part!r}：多个资金来源须各自写明金额（如 财政专项扶贫资金 500万元）",
                    )
                )
                return ()
            label = part[: found.start()].strip(" :：")
            amount_text = found[0]

            def _line_amount(_cell: object, text: str = amount_text) -> Money:
                return parse_amount(text, None, field="funding_source", non_negative=True)

            amount = self._cell(row, "funding_source", out, _line_amount)
            if amount is None:
                return ()
            lines.append(FundingLine(_funding_source(label), amount, _funding_note(label)))
        total = Money(sum(line.amount.fen for line in lines))
        if total != value:
            out.issues.append(
                self._issue(
                    row,
                    "funding_source",
                    kind="funding_mismatch",
                    code="AR-101",
                    en=f"funding lines add up to {total}, the original value is {value}",
                    zh=f"资金来源合计 {total} 与原值 {value} 不符",
                )
            )
            return ()
        return tuple(lines)

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
                    code="AR-204",
                    en=f"cannot tell what kind of party {name!r} is from its name; the relation is not recorded",
                    zh=f"无法从名称判断 {name!r} 的主体类型，未登记该关系",
                )
            )
            return None
        party = _PARTY_TYPES[kind](id=party_id(kind, name), name=name, admin_code=location)
        if keep:
            out.parties.append(party)
        return party

    def _relations(self, row: LedgerRow, out: _Outcome, asset: Asset, on: date) -> None:
        asset_id = asset.id
        owner = self._party(row, "owner", out, asset.location)
        if owner is not None:
            share = self._cell(row, "owner_share", out, lambda c: parse_share(c, field="owner_share"))
            if share is not None and share != 1:
                out.issues.append(
                    self._issue(
                        row,
                        "owner_share",
                        kind="partial_share",
                        severity=Severity.WARNING,
                        code="AR-103",
                        en=(
                            "a single owner with a share below 1 cannot be recorded from one row; "
                            "ownership not recorded"
                        ),
                        zh="单行只列一个产权主体但份额小于1，未登记确权",
                    )
                )
            else:
                out.events.append(
                    OwnershipConfirmed(
                        asset_id=asset_id,
                        effective=on,
                        recorded_at=self.recorded_at,
                        event_id=EventId(f"{asset_id}/ownership"),
                        holders=(OwnerShare(owner.id, 1),),
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
            lambda c: parse_rate(c, rate_column.unit if rate_column else None, field="guaranteed_rate"),
        )
        if mode is None or term is None:
            if not any(issue.is_error for issue in out.issues):
                out.issues.append(
                    self._issue(
                        row,
                        "contract_period" if term is None else "operation_mode",
                        kind="missing_value",
                        en=(
                            "an operator needs 经营方式 and 合同起止 to record the contract; "
                            "the asset is kept without it"
                        ),
                        zh="填写经营主体时须同时填写经营方式和合同起止；资产照常登记，合同未记录",
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
                    code="AR-201",
                    en="only operating assets (经营性资产) take an operating contract",
                    zh="只有经营性资产才能签订经营合同",
                )
            )
            return
        terms = ContractTerms(
            guaranteed_return=GuaranteedReturn(rate=rate, base=asset.original_value) if rate is not None else None
        )
        out.parties.append(operator)
        contract = OperatingContract(
            id=ContractId(f"{asset_id}/contract"),
            asset_id=asset_id,
            operator=operator.id,
            mode=mode,
            term=term,
            terms=terms,
        )
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


def _funding_note(text: str) -> str | None:
    source = _funding_source(text)
    return None if text == source.label_zh else text


def _admin_code(cell: object) -> AdminCode:
    if isinstance(cell, bool):
        raise InvalidCode(
            "an area code is digits",
            "区划代码应为数字",
            field="admin_code",
            details={"kind": "bad_code"},
        )
    if isinstance(cell, float):
        number = exact_decimal(cell, field="admin_code")
        cell = str(int(number)) if number == number.to_integral_value() else repr(cell)
    text = str(cell) if isinstance(cell, int) else normalise_text(str(cell))
    try:
        return AdminCode.parse(text, field="admin_code")
    except InvalidCode as exc:
        exc.details.setdefault("kind", "bad_code")
        raise


def _quantity(cell: object) -> Decimal:
    if isinstance(cell, float):
        return exact_decimal(cell, field="quantity")
    try:
        number = Decimal(normalise_text(str(cell)).replace(",", ""))
    except InvalidOperation:
        raise InvalidValue(
            f"{cell!r} is not a quantity",
            f"{cell!r} 不是有效数量",
            field="quantity",
            actual=cell,
            details={"kind": "bad_quantity"},
        ) from None
    if not number.is_finite() or number < 0:
        raise InvalidValue(
            f"{cell!r} is not a quantity",
            f"{cell!r} 不是有效数量",
            field="quantity",
            actual=cell,
            details={"kind": "bad_quantity"},
        )
    return number
