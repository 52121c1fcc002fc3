"""Household rosters (受益农户名单) and income ledgers (收益台账) from .csv or .xlsx.

Two tables that travel beside the asset ledger:

* a **roster** of beneficiary households: 户编号, 户主 (a display name or placeholder),
  区划代码, 家庭人口, 农户类型, 监测类型, 劳动能力, 公益劳动天数, 公益性岗位数, 受益资产;
* an **income ledger**: 收益编号, 资产编号, 收益类型, 收益期间, 到账日期, 金额, 合同编号, 备注.
  Rows whose 收益类型 is an expense (运维费用, 土地租金支出, 税费, 保险费, 管护费, 管理费)
  are read as deductions claimed against that asset's income for the period (P9).

Bad cells become :class:`~assetreg.adapters.ledger.issues.LedgerIssue` values naming the
sheet, row and column; valid rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from assetreg.adapters.ledger.cells import (
    parse_amount,
    parse_count,
    parse_date,
    parse_date_range,
    parse_equity_shares,
)
from assetreg.adapters.ledger.codes import code_of
from assetreg.adapters.ledger.issues import LedgerIssue, cell_text, column_letter
from assetreg.adapters.ledger.reader import DEFAULT_LIMITS, _csv_rows, _xlsx_grids
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import AssetRegError, InvalidCode, InvalidValue, LedgerError
from assetreg.income.books import ClaimedDeduction, RosterHousehold, RosterSnapshot
from assetreg.income.distribution import IncomeInputs
from assetreg.income.revenue import DeductionKind, RevenueEntry, RevenueKind

if TYPE_CHECKING:
    from datetime import datetime

    from assetreg.domain.register import AssetRegister

__all__ = [
    "DeductionRow",
    "IncomeLedger",
    "Roster",
    "read_income_ledger",
    "read_roster",
]

_T = TypeVar("_T")

_ROSTER_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("户编号", "农户编号", "household_id", "id"),
    "name": ("户主", "户主姓名", "名称", "name"),
    "admin_code": ("区划代码", "admin_code"),
    "village": ("村", "所在村", "village"),
    "size": ("家庭人口", "人口", "size"),
    "status": ("农户类型", "户类型", "status"),
    "monitor_type": ("监测类型", "monitor_type"),
    "labor": ("劳动能力", "labor_capacity"),
    "days": ("公益劳动天数", "务工天数", "days_worked"),
    "posts": ("公益性岗位数", "岗位数", "posts"),
    "assets": ("受益资产", "assets"),
    "shares": ("股份", "股数", "持股数", "shares"),
}
_INCOME_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("收益编号", "entry_id", "id"),
    "asset_id": ("资产编号", "asset_id", "asset_code"),
    "kind": ("收益类型", "类型", "kind"),
    "period": ("收益期间", "期间", "period"),
    "received": ("到账日期", "收款日期", "received"),
    "amount": ("金额", "收益金额", "amount"),
    "contract_id": ("合同编号", "contract_id"),
    "note": ("备注", "note"),
    "kwh": ("发电量(kWh)", "发电量（kWh）", "发电量(度)", "发电量", "kwh"),
}

_REVENUE_LABELS: Final[dict[str, RevenueKind]] = {
    "保底收益": RevenueKind.GUARANTEED_RETURN,
    "保底分红": RevenueKind.GUARANTEED_RETURN,
    "效益分红": RevenueKind.PROFIT_SHARE,
    "分红": RevenueKind.PROFIT_SHARE,
    "二次分红": RevenueKind.PROFIT_SHARE,
    "租金": RevenueKind.RENT,
    "租金收入": RevenueKind.RENT,
    "土地流转租金": RevenueKind.LAND_RENT,
    "利息": RevenueKind.INTEREST,
    "销售收入": RevenueKind.SALES,
    "发电收益": RevenueKind.SALES,
    "售电收入": RevenueKind.SALES,
    "燃煤标杆电价部分": RevenueKind.ELECTRICITY_BENCHMARK,
    "国家补贴部分": RevenueKind.ELECTRICITY_SUBSIDY,
    "补贴电费": RevenueKind.ELECTRICITY_SUBSIDY,
    "其他": RevenueKind.OTHER,
}
_DEDUCTION_LABELS: Final[dict[str, DeductionKind]] = {
    "运维费用": DeductionKind.OPERATION_MAINTENANCE,
    "运维费": DeductionKind.OPERATION_MAINTENANCE,
    "运营费": DeductionKind.OPERATION_MAINTENANCE,
    "土地租金支出": DeductionKind.LAND_RENT,
    "税费": DeductionKind.TAXES,
    "保险费": DeductionKind.INSURANCE,
    "管护费": DeductionKind.UPKEEP,
    "管理费": DeductionKind.MANAGEMENT_FEE,
}


@attrs.frozen(kw_only=True)
class Roster:
    """A roster file read: households as the books keep them, their parties, and issues.

    Attributes:
        households: one :class:`~assetreg.income.books.RosterHousehold` per good row (size,
            status, labour, days of public labour, posts, the assets it shares).
        parties: the same households as register parties (:class:`~assetreg.domain.parties.Household`).
        issues: problems of bad cells (those rows are left out).
    """

    households: tuple[RosterHousehold, ...]
    parties: tuple[Household, ...] = ()
    issues: tuple[LedgerIssue, ...] = ()

    def for_asset(self, asset_id: str) -> tuple[RosterHousehold, ...]:
        """The households that share ``asset_id``'s income."""
        return tuple(h for h in self.households if asset_id in h.asset_ids)

    def snapshot(
        self,
        *,
        id: str,  # noqa: A002 - the record's field name
        area: AdminCode,
        recorded_at: datetime,
        known_on: date,
        source_system: str = "",
    ) -> RosterSnapshot:
        """The roster as a snapshot of the books (受益名单快照) for ``area`` as known on ``known_on``.

        Raises:
            InvalidValue: a naive ``recorded_at`` or an empty ``id``.
        """
        return RosterSnapshot(
            id=id,
            area=area,
            recorded_at=recorded_at,
            known_on=known_on,
            source_system=source_system,
            households=self.households,
        )


@attrs.frozen(kw_only=True)
class DeductionRow:
    """A deduction claimed on an income-ledger row (扣除项), before it is booked to an asset's area.

    Attributes:
        id: the row's 收益编号.
        asset_id: the asset whose income bears it.
        kind: what it is for.
        amount: the amount claimed (fen).
        period: the half-open period it covers.
        note: the row's 备注 (kept as the record's evidence reference).
    """

    id: str
    asset_id: str
    kind: DeductionKind
    amount: Money
    period: Period
    note: str = ""

    def record(self, area: AdminCode, recorded_at: datetime) -> ClaimedDeduction:
        """The claim as a record of the books, in ``area`` (the asset's location)."""
        return ClaimedDeduction(
            id=self.id,
            area=area,
            recorded_at=recorded_at,
            asset_id=self.asset_id,
            kind=self.kind,
            amount=self.amount,
            period=self.period,
            evidence=self.note,
        )


@attrs.frozen(kw_only=True)
class IncomeLedger:
    """An income ledger read: revenue entries, deductions claimed and issues."""

    entries: tuple[RevenueEntry, ...]
    deductions: tuple[DeductionRow, ...]
    issues: tuple[LedgerIssue, ...]

    def for_asset(self, asset_id: str) -> tuple[RevenueEntry, ...]:
        """Revenue entries of ``asset_id``."""
        return tuple(e for e in self.entries if e.asset_id == asset_id)

    def deduction_records(
        self, register: AssetRegister, recorded_at: datetime
    ) -> tuple[tuple[ClaimedDeduction, ...], tuple[DeductionRow, ...]]:
        """The claims as records of the books, each in its asset's area, and the rows of unknown assets.

        Returns:
            ``(records, unknown)``: records for the claims on assets of ``register``, and
            the rows whose asset is not in it (not booked; the caller reports them).
        """
        records: list[ClaimedDeduction] = []
        unknown: list[DeductionRow] = []
        for row in self.deductions:
            if row.asset_id in register.histories:
                records.append(row.record(register.history(row.asset_id).asset().location, recorded_at))
            else:
                unknown.append(row)
        return tuple(records), tuple(unknown)

    def inputs(self, register: AssetRegister, recorded_at: datetime) -> IncomeInputs:
        """The entries and the claims on ``register``'s assets as a distribution's inputs."""
        return IncomeInputs(entries=self.entries, deductions=self.deduction_records(register, recorded_at)[0])


class _Table:
    """Rows of the first sheet as ``{field: cell}`` with their row numbers and headers."""

    def __init__(self, path: str | Path, headers: Mapping[str, tuple[str, ...]]) -> None:
        file = Path(path)
        if not file.is_file():
            raise LedgerError(f"file not found: {file.name}", f"找不到文件：{file.name}", record=str(file))
        suffix = file.suffix.lower()
        if suffix == ".csv":
            self.sheet, grid = file.name, _csv_rows(file)
        elif suffix in {".xlsx", ".xlsm"}:
            self.sheet, grid = next(iter(_xlsx_grids(file, None, DEFAULT_LIMITS, [])))
            grid = iter(list(grid))
        else:
            raise LedgerError(
                f"{file.name}: unsupported format {suffix or '(none)'}; use .xlsx or .csv",
                f"{file.name}：不支持的格式 {suffix or '（无扩展名）'}，请使用 .xlsx 或 .csv",
                record=str(file),
            )
        self.grid = grid
        header = next(self.grid, ())
        lookup = {alias.lower(): name for name, aliases in headers.items() for alias in aliases}
        self.columns: dict[str, int] = {}
        self.header_text: dict[str, str] = {}
        for index, cell in enumerate(header):
            name = lookup.get(str(cell or "").strip().lower())
            if name is not None and name not in self.columns:
                self.columns[name] = index
                self.header_text[name] = str(cell).strip()

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        for number, cells in enumerate(self.grid, start=2):
            if all(str(c or "").strip() == "" for c in cells):
                continue
            yield number, {name: (cells[i] if i < len(cells) else None) for name, i in self.columns.items()}

    def issue(
        self, row: int, field: str, value: object, error: AssetRegError | str, zh: str = "", *, kind: str | None = None
    ) -> LedgerIssue:
        index = self.columns.get(field)
        en = error.message_en if isinstance(error, AssetRegError) else error
        cn = error.message_zh if isinstance(error, AssetRegError) else zh
        header = self.header_text.get(field, field)
        if kind is None:
            fallback = "bad_code" if isinstance(error, InvalidCode) else "invalid_value"
            kind = str(error.details.get("kind", fallback)) if isinstance(error, AssetRegError) else "blank"
        if code_of(kind) is None:
            kind = "invalid_value"
        return LedgerIssue(
            sheet=self.sheet,
            row=row,
            column=header,
            column_letter=column_letter(index + 1) if index is not None else None,
            field=field,
            value=cell_text(value),
            kind=kind,
            reason_en=f"{header}: {en}",
            reason_zh=f"{header}：{cn}",
        )


@attrs.define
class _Row:
    """One row being read: where it is, its cells and the issues found so far."""

    table: _Table
    row: int
    cells: Mapping[str, object]
    issues: list[LedgerIssue]

    def read(self, field: str, parse: Callable[[object], _T], *, required: bool = True) -> _T | None:
        value = self.cells.get(field)
        if value is None or str(value).strip() == "":
            if required:
                issue = self.table.issue(
                    self.row, field, value, "expected a value, found a blank cell", "应填写，实为空白"
                )
                self.issues.append(issue)
            return None
        try:
            return parse(value)
        except AssetRegError as exc:
            self.issues.append(self.table.issue(self.row, field, value, exc))
            return None


def _label(enum_type: type[HouseholdStatus | MonitorType | LaborCapacity]) -> Callable[[object], object]:
    def parse(cell: object) -> object:
        try:
            return enum_type.from_label(str(cell))
        except ValueError:
            labels = [m.label_zh for m in enum_type]
            raise LedgerError(
                f"expected one of {', '.join(labels)}, found {str(cell).strip()!r}",
                f"应为 {'、'.join(labels)} 之一，实为 {str(cell).strip()!r}",
                actual=str(cell),
                expected=labels,
                details={"kind": "unknown_label"},
            ) from None

    return parse


def _members(cell: object) -> int:
    """家庭人口: a whole count of at least 1 (a household has members)."""
    count = parse_count(cell, field="家庭人口")
    if count < 1:
        raise LedgerError(
            f"expected at least 1 household member, found {count}",
            f"应至少有 1 人，实为 {count}",
            field="size",
            actual=count,
            expected=">= 1",
            details={"kind": "count_too_small"},
        )
    return count


def _code(cell: object) -> AdminCode:
    return AdminCode.parse(str(cell).strip(), field="区划代码")


def read_roster(path: str | Path) -> Roster:
    """Read a household roster (受益农户名单) from ``.csv`` or ``.xlsx`` (first sheet).

    Rows with a bad cell are left out and reported; the others are kept.

    Raises:
        LedgerError: the file cannot be read at all.
    """
    table = _Table(path, _ROSTER_HEADERS)
    out: list[RosterHousehold] = []
    parties: list[Household] = []
    issues: list[LedgerIssue] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows():
        before = len(issues)
        r = _Row(table, row, cells, issues)
        hid = r.read("id", lambda c: str(c).strip())
        code = r.read("admin_code", _code)
        size = r.read("size", _members)
        status = r.read("status", _label(HouseholdStatus))
        monitor = r.read("monitor_type", _label(MonitorType), required=False)
        labor = r.read("labor", _label(LaborCapacity), required=False)
        days = r.read("days", lambda c: parse_count(c, field="公益劳动天数"), required=False)
        posts = r.read("posts", lambda c: parse_count(c, field="公益性岗位数"), required=False)
        shares = r.read("shares", lambda c: parse_equity_shares(c, field="股份"), required=False)
        if hid is not None and hid in seen:
            issues.append(
                table.issue(
                    row,
                    "id",
                    hid,
                    f"expected a household id used once, found {hid} already on row {seen[hid]}",
                    f"户编号应唯一，实为与第{seen[hid]}行重复的 {hid}",
                    kind="duplicate_record",
                )
            )
        if len(issues) > before or hid is None or code is None or size is None or status is None:
            continue
        seen[hid] = row
        try:
            household = Household(
                id=PartyId(hid),
                name=str(cells.get("name") or hid).strip(),
                admin_code=code,
                size=size,
                status=status,  # type: ignore[arg-type]
                monitor_type=monitor,  # type: ignore[arg-type]
                labor_capacity=labor or LaborCapacity.FULL,  # type: ignore[arg-type]
            )
        except AssetRegError as exc:
            issues.append(table.issue(row, exc.field or "id", cells.get(exc.field or "id"), exc))
            continue
        assets = tuple(a.strip() for a in str(cells.get("assets") or "").replace("；", ";").split(";") if a.strip())
        parties.append(household)
        out.append(
            RosterHousehold(
                household_id=hid,
                name=household.name,
                members=household.size,
                status=household.status,
                monitor_type=household.monitor_type,
                labor_capacity=household.labor_capacity,
                days_worked=days or 0,
                posts=posts or 0,
                asset_ids=assets,
                shares=shares,
            )
        )
    return Roster(households=tuple(out), parties=tuple(parties), issues=tuple(issues))


def _kind(cell: object) -> RevenueKind | DeductionKind:
    text = str(cell).strip()
    if text in _REVENUE_LABELS:
        return _REVENUE_LABELS[text]
    if text in _DEDUCTION_LABELS:
        return _DEDUCTION_LABELS[text]
    for revenue_kind in RevenueKind:
        if text == revenue_kind.value:
            return revenue_kind
    for deduction_kind in DeductionKind:
        if text == deduction_kind.value:
            return deduction_kind
    labels = [*_REVENUE_LABELS, *_DEDUCTION_LABELS]
    raise LedgerError(
        f"expected an income or expense kind ({', '.join(labels)}), found {text!r}",
        f"应为收益或支出类型（{'、'.join(labels)}）之一，实为 {text!r}",
        actual=text,
        expected=labels,
        details={"kind": "unknown_label"},
    )


def _kwh(cell: object) -> Decimal | None:
    """A 发电量 cell: kWh as a number, ``"21600.5"``, ``"23.6万度"``, ``"30000kWh"``; blank is ``None``."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    text = str(cell).strip().replace(",", "")
    for suffix in ("kWh", "kwh", "度"):
        text = text.removesuffix(suffix).strip()
    scale = Decimal(1)
    if text.endswith("万"):
        text, scale = text[:-1].strip(), Decimal(10_000)
    try:
        value = Decimal(text) * scale
    except ArithmeticError:
        raise InvalidValue(
            f"expected generation in kWh (a number, 万度 allowed), found {cell!r}",
            f"发电量应为数字（可带“万度”），实为 {cell!r}",
            field="kwh",
            actual=str(cell),
        ) from None
    if not value.is_finite() or value < 0:
        raise InvalidValue(
            f"expected generation of 0 kWh or more, found {cell!r}",
            f"发电量应为非负数，实为 {cell!r}",
            field="kwh",
            actual=str(cell),
        )
    return value


def read_income_ledger(path: str | Path) -> IncomeLedger:
    """Read an income ledger (收益台账) from ``.csv`` or ``.xlsx`` (first sheet).

    Amounts take their unit from the cell (``7.3万元``, ``127747.50元``); plain numbers are
    yuan. An optional 发电量 column gives a PV entry's generation in kWh (``23.6万度`` read as
    236,000 kWh). Periods are printed inclusive (``2019年5月1日—2020年4月30日``, ``2023.11-2024.01``)
    and kept half-open.

    Raises:
        LedgerError: the file cannot be read at all.
    """
    table = _Table(path, _INCOME_HEADERS)
    entries: list[RevenueEntry] = []
    deductions: list[DeductionRow] = []
    issues: list[LedgerIssue] = []
    seen: set[str] = set()
    for row, cells in table.rows():
        before = len(issues)
        r = _Row(table, row, cells, issues)
        eid = r.read("id", lambda c: str(c).strip())
        asset_id = r.read("asset_id", lambda c: str(c).strip())
        kind = r.read("kind", _kind)
        period = r.read("period", lambda c: parse_date_range(c, field="收益期间"))
        received: date | None = r.read("received", lambda c: parse_date(c, field="到账日期"))
        amount: Money | None = r.read("amount", lambda c: parse_amount(c, None, field="金额", non_negative=True))
        if eid is not None and eid in seen:
            issues.append(
                table.issue(
                    row,
                    "id",
                    eid,
                    f"expected an entry id used once, found {eid} again",
                    f"收益编号应唯一，实为重复的 {eid}",
                    kind="duplicate_record",
                )
            )
        if len(issues) > before or eid is None or asset_id is None or kind is None or period is None or amount is None:
            continue
        seen.add(eid)
        note = str(cells.get("note") or "").strip()
        if isinstance(kind, DeductionKind):
            deductions.append(
                DeductionRow(id=eid, asset_id=asset_id, kind=kind, amount=amount, period=period, note=note)
            )
            continue
        if received is None:
            continue
        contract = str(cells.get("contract_id") or "").strip() or None
        kwh_cell = cells.get("kwh")
        try:
            kwh = _kwh(kwh_cell)
        except AssetRegError as exc:
            issues.append(table.issue(row, "kwh", kwh_cell, exc))
            continue
        entries.append(
            RevenueEntry(
                id=eid,
                asset_id=asset_id,
                kind=kind,
                amount=amount,
                period=period,
                received=received,
                contract_id=contract,
                note=note,
                kwh=kwh,
            )
        )
    return IncomeLedger(entries=tuple(entries), deductions=tuple(deductions), issues=tuple(issues))
