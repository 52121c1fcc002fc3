"""Tables and pandas DataFrames of the register, allocations, findings, revenue, events and the income books.

The analyst's path (DESIGN §1): "who received what from which asset, under which rule",
to group, filter, plot or write to CSV. Each ``*_table`` function returns a
:class:`Table`, whose :meth:`Table.as_records` gives plain rows **without pandas**; each
``*_frame`` function returns the same table as a ``pandas.DataFrame``. pandas is an
optional dependency (``pip install "assetreg[frames]"``): importing this module never
imports it, and asking for a DataFrame without it raises an :class:`ImportError` that
says what to install.

Column conventions, the same in every table:

* **Money is exact, and only integer fen aggregate.** Each amount appears twice:
  ``<name>_fen``, integer fen (分) in the nullable ``Int64`` dtype — sum, group and
  compare these — and ``<name>_yuan``, the same amount as yuan text with two places
  (``"67420.00"``, the ``string`` dtype) for showing and for CSV. No money column is ever
  ``float`` or ``Decimal``: ``frame.amount_fen.sum()`` is an exact integer, while
  ``frame.amount_yuan.mean()`` raises ``TypeError`` rather than silently returning a
  float. :func:`yuan` turns fen (a number or a column) into exact ``Decimal`` 元.
* **Dates** (effective dates, period bounds, ``as_of``) are ``datetime64[us]`` at
  midnight, without a timezone, so ``.dt.year`` and date filters work and they plot on a
  time axis. Periods keep the library's half-open convention: ``period_end`` is the
  first day *after* the period.
* **Instants** (``recorded_at``) are timezone-aware: ``datetime64[us, UTC]`` as stored and
  ``datetime64[us, Asia/Shanghai]`` as shown (DESIGN §4).
* **Text** (ids, codes, enum values, names) is the ``string`` dtype (missing = ``<NA>``);
  enums appear by their stable lowercase value. Area codes are text, never numbers, so
  leading digits survive a CSV round trip.
* **Areas**: wherever there is an area there are ``county`` (6 digits), ``township``
  (9) and ``village`` (12) columns (``<NA>`` above that level), and, given an official
  code list (``area_names``: code → name, e.g. from the 统计用区划代码 tables),
  ``county_name``, ``township_name`` and ``village_name``.
* **Ratios** (ownership shares, tier rates and shares) are exact fraction text:
  ``"1"``, ``"1/3"``, ``"9/20"``.
* Missing integers are ``<NA>``, missing text (yuan included) ``<NA>``, missing dates ``NaT``.

In :meth:`Table.as_records` the same values are plain Python: ``int`` fen, ``str`` yuan,
``str`` text, ``datetime.date`` dates, aware ``datetime`` instants, ``bool``, ``Decimal``
capacities and ``None`` for missing.

:data:`COLUMNS_ZH` maps every column name to a Chinese header for county-facing exports
(``frame.rename(columns=COLUMNS_ZH)``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, TypeAlias

import attrs

from assetreg.audit.findings import Finding
from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    ContractEnded,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    Disposed,
    HandedOver,
    OwnershipConfirmed,
    PurchaseRecorded,
    Revalued,
    StatusChanged,
)
from assetreg.domain.money import Money
from assetreg.domain.periods import SHANGHAI, require_aware
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import AssetValues, DepreciationPlan, register_values
from assetreg.income.books import Distribution, Payment
from assetreg.income.distribution import IncomeNotice
from assetreg.income.results import Allocation, AllocationLine
from assetreg.income.revenue import RevenueEntry

__all__ = [
    "COLUMNS_ZH",
    "DataFrame",
    "Table",
    "allocation_frame",
    "allocation_table",
    "distribution_frame",
    "distribution_table",
    "events_frame",
    "events_table",
    "findings_frame",
    "findings_table",
    "household_income_frame",
    "household_income_table",
    "payment_frame",
    "payment_table",
    "register_frame",
    "register_table",
    "revenue_frame",
    "revenue_table",
    "yuan",
]


def _pandas() -> Any:
    """The pandas module, imported on first use (an ImportError saying what to install)."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            'DataFrames need pandas; install it with: pip install "assetreg[frames]" '
            '(需要 pandas：pip install "assetreg[frames]"); Table.as_records() works without it',
            name="pandas",
        ) from exc


DataFrame: TypeAlias = Any
"""A ``pandas.DataFrame`` (typed loosely: pandas is optional and ships no type marker)."""

# Column kinds: how a list of plain values becomes a pandas Series.
_TEXT: Final = "string"
_INT: Final = "Int64"
_YUAN: Final = "yuan"
_DECIMAL: Final = "decimal"
_DATE: Final = "date"
_UTC: Final = "utc"
_LOCAL: Final = "local"
_BOOL: Final = "boolean"

_Schema = Sequence[tuple[str, str]]
_Row = dict[str, Any]


def _series(values: list[Any], kind: str) -> Any:
    """One column of ``kind`` from plain values (``None`` for missing)."""
    pd = _pandas()
    if kind == _DECIMAL:
        return pd.Series(values, dtype=object)
    if kind == _YUAN:
        return pd.Series(values, dtype="string")
    if kind == _DATE:
        return pd.Series(values, dtype="datetime64[us]")
    if kind == _UTC:
        return pd.Series(values, dtype="datetime64[us, UTC]")
    if kind == _LOCAL:
        return pd.Series(values, dtype="datetime64[us, UTC]").dt.tz_convert(SHANGHAI)
    return pd.Series(values, dtype=kind)


def _columns(columns: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(columns)


def _rows(rows: Iterable[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    return tuple(rows)


@attrs.frozen
class Table:
    """Rows with typed columns (数据表): plain records without pandas, a DataFrame with it.

    Attributes:
        columns: ``(name, kind)`` of every column, in order.
        rows: one mapping per row, plain Python values (see the module docstring).
    """

    columns: tuple[tuple[str, str], ...] = attrs.field(converter=_columns)
    rows: tuple[Mapping[str, Any], ...] = attrs.field(converter=_rows)

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(name for name, _ in self.columns)

    def as_records(self) -> list[dict[str, Any]]:
        """Every row as a dict with exactly the columns, in order (no pandas needed).

        Values: ``int`` fen, ``str`` yuan with two places, ``str`` text, ``date``, aware
        ``datetime``, ``bool``, ``Decimal`` and ``None`` — never ``float``.
        """
        names = self.names
        return [{name: row.get(name) for name in names} for row in self.rows]

    def to_frame(self) -> DataFrame:
        """The table as a ``pandas.DataFrame`` with the module's dtypes.

        Raises:
            ImportError: pandas is not installed.
        """
        pd = _pandas()
        return pd.DataFrame(
            {name: _series([row.get(name) for row in self.rows], kind) for name, kind in self.columns},
            columns=list(self.names),
        )

    def __len__(self) -> int:
        return len(self.rows)


def yuan(fen: Any) -> Any:
    """Exact ``Decimal`` 元 from integer fen: a number, or a column / Series of them.

    ``yuan(frame.amount_fen.sum())`` is ``Decimal("67420.00")``; ``yuan(series)`` maps
    each value (``None`` for missing). Raises :class:`~assetreg.errors.InvalidType` for a
    float, like :class:`~assetreg.domain.money.Money`.
    """
    if hasattr(fen, "map"):
        return fen.map(lambda v: None if _missing(v) else Money(int(v)).yuan_decimal, na_action="ignore")
    return Money(int(fen) if type(fen).__name__.startswith(("int", "uint")) else fen).yuan_decimal


def _missing(value: object) -> bool:
    return value is None or (type(value).__name__ in {"NAType", "NaTType"})


def _money(name: str) -> list[tuple[str, str]]:
    return [(f"{name}_fen", _INT), (f"{name}_yuan", _YUAN)]


def _put_money(row: _Row, name: str, amount: Money | None) -> None:
    row[f"{name}_fen"] = None if amount is None else amount.fen
    row[f"{name}_yuan"] = None if amount is None else amount.format_yuan()


_AREA: Final[_Schema] = (
    ("county", _TEXT),
    ("township", _TEXT),
    ("village", _TEXT),
)
_AREA_NAMES: Final[_Schema] = (
    ("county_name", _TEXT),
    ("township_name", _TEXT),
    ("village_name", _TEXT),
)


def _put_area(row: _Row, code: str | None, names: Mapping[str, str] | None) -> None:
    """The area columns of ``code`` (12-digit text or ``None``) and, given a code list, their names."""
    parts: dict[str, str | None] = {"county": None, "township": None, "village": None}
    if code:
        area = AdminCode(code)
        parts = {"county": area.county, "township": area.township, "village": area.village}
    row.update(parts)
    if names is not None:
        for level, value in parts.items():
            row[f"{level}_name"] = None if value is None else names.get(value, names.get(value.ljust(12, "0")))


def _area_schema(names: Mapping[str, str] | None) -> list[tuple[str, str]]:
    return [*_AREA, *(_AREA_NAMES if names is not None else ())]


def _joined(values: Iterable[object]) -> str | None:
    text = "; ".join(str(v) for v in values)
    return text or None


def _iso_date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


# -- the register ------------------------------------------------------------------------

_REGISTER: Final[_Schema] = (
    ("asset_id", _TEXT),
    ("name", _TEXT),
    ("asset_class", _TEXT),
    ("form", _TEXT),
    ("kind", _TEXT),
    ("location", _TEXT),
    *_AREA,
    ("project_code", _TEXT),
    ("project_year", _INT),
    ("capacity_kw", _DECIMAL),
    *_money("original_value"),
    *_money("book_value"),
    *_money("accumulated_depreciation"),
    *_money("net_book_value"),
    ("months_depreciated", _INT),
    ("status", _TEXT),
    ("status_since", _DATE),
    ("owners", _TEXT),
    ("owner_names", _TEXT),
    ("owner_shares", _TEXT),
    ("custodian", _TEXT),
    ("custodian_name", _TEXT),
    ("custody_method", _TEXT),
    ("operators", _TEXT),
    ("operator_names", _TEXT),
    ("completed_on", _DATE),
    ("handed_over_on", _DATE),
    ("version", _INT),
)


def register_frame(
    register: AssetRegister,
    *,
    as_of: date,
    known_at: datetime | None = None,
    policy: Policy | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> DataFrame:
    """:func:`register_table` as a DataFrame (needs pandas)."""
    return register_table(
        register, as_of=as_of, known_at=known_at, policy=policy, plans=plans, area_names=area_names
    ).to_frame()


def _names(register: AssetRegister, ids: Iterable[str]) -> str | None:
    """The stored names of the parties ``ids``, joined by ``"; "`` (the id where none is stored)."""
    out = []
    for pid in ids:
        party = register.parties.get(pid)  # type: ignore[call-overload]
        out.append(party.name if party is not None else pid)
    return _joined(out)


def register_table(
    register: AssetRegister,
    *,
    as_of: date,
    known_at: datetime | None = None,
    policy: Policy | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> Table:
    """One row per asset existing on ``as_of``: its state as known at ``known_at`` (资产台账表).

    Columns: ``asset_id``, ``name``, ``asset_class`` / ``form`` / ``kind`` (enum values),
    ``location`` (12-digit area code), ``county`` (6 digits), ``township`` (9 digits) and
    ``village`` (12 digits), ``<NA>`` when the location is above that level (with
    ``area_names``, also ``county_name``, ``township_name``, ``village_name``),
    ``project_code``, ``project_year``,
    ``capacity_kw`` (``Decimal`` kW), ``original_value_fen`` / ``original_value_yuan``
    (原值), ``book_value_fen`` / ``book_value_yuan`` (账面价值, the original value until
    revalued), ``accumulated_depreciation_*`` (累计折旧), ``net_book_value_*`` (净值) and
    ``months_depreciated`` (已提折旧月数) at the close of ``as_of`` — given a ``policy``, from
    :func:`~assetreg.domain.valuation.register_values` (the figures of ``assetreg values``;
    ``<NA>`` for an asset that cannot be valued, and for every asset without a policy),
    ``status`` and ``status_since``, ``owners`` (party ids joined by ``"; "``) with
    ``owner_names`` (the stored parties' names, the id where none is stored) and
    ``owner_shares`` (their shares as ``"p/q"`` text, same order), ``custodian``,
    ``custodian_name`` and ``custody_method``, ``operators`` (operators of contracts live
    on ``as_of``, joined by ``"; "``) with ``operator_names``, ``completed_on``,
    ``handed_over_on`` and ``version`` (events known).

    Args:
        register: the register.
        as_of: the effective date asked for (状态日期).
        known_at: the recorded instant (timezone-aware); ``None`` = everything recorded.
        policy: the policy to value the assets under; no values without one.
        plans: depreciation terms by asset id (``plan_for`` the asset otherwise).
        area_names: an official code list (12-digit code → name) for the ``*_name``
            area columns; without it those columns are left out.

    Returns:
        A :class:`Table` in asset-id order (money exact, see the module docstring).

    Raises:
        InvalidPeriod: ``known_at`` is naive.
    """
    rows: list[_Row] = []
    valued: dict[AssetId, AssetValues] = {}
    if policy is not None:
        valued = {v.asset_id: v for v in register_values(register, policy, as_of=as_of, known_at=known_at, plans=plans)}
    for state in register.states(as_of=as_of, known_at=known_at):
        asset = state.asset
        row: _Row = {
            "asset_id": str(asset.id),
            "name": asset.name,
            "asset_class": asset.asset_class.value,
            "form": asset.form.value,
            "kind": asset.kind.value,
            "location": asset.location.value,
            "project_code": asset.project.code if asset.project else None,
            "project_year": asset.project.year if asset.project else None,
            "capacity_kw": asset.capacity_kw,
            "status": state.status.value,
            "status_since": state.status_since,
            "owners": _joined(state.owners),
            "owner_names": _names(register, state.owners),
            "owner_shares": _joined(h.share for h in state.ownership.holders) if state.ownership else None,
            "custodian": state.custodian,
            "custodian_name": _names(register, [state.custodian]) if state.custodian else None,
            "custody_method": state.custodianship.method.value if state.custodianship else None,
            "operators": _joined(state.operators),
            "operator_names": _names(register, state.operators),
            "completed_on": asset.completed_on,
            "handed_over_on": asset.handed_over_on,
            "version": state.version,
        }
        _put_money(row, "original_value", asset.original_value)
        _put_money(row, "book_value", state.book_value)
        values = valued.get(asset.id)
        book = values.values if values is not None else None
        _put_money(row, "accumulated_depreciation", book.accumulated_depreciation if book else None)
        _put_money(row, "net_book_value", book.net_book_value if book else None)
        row["months_depreciated"] = values.months_depreciated if values is not None else None
        _put_area(row, asset.location.value, area_names)
        rows.append(row)
    schema = list(_REGISTER)
    if area_names is not None:
        at = schema.index(("village", _TEXT)) + 1
        schema[at:at] = _AREA_NAMES
    return Table(tuple(schema), rows)


# -- allocations -------------------------------------------------------------------------

_ALLOCATION: Final[_Schema] = (
    ("asset_id", _TEXT),
    ("asset_name", _TEXT),
    ("plan_id", _TEXT),
    ("owner_id", _TEXT),
    ("as_of", _DATE),
    ("period_start", _DATE),
    ("period_end", _DATE),
    ("tier", _TEXT),
    ("tier_index", _INT),
    ("purpose", _TEXT),
    ("beneficiary_id", _TEXT),
    ("beneficiary_kind", _TEXT),
    ("recipient_group", _TEXT),
    ("beneficiary_name", _TEXT),
    *_money("amount"),
    ("base", _TEXT),
    *_money("base_amount"),
    ("rate", _TEXT),
    *_money("tier_amount"),
    ("share", _TEXT),
    ("basis", _TEXT),
)


def _allocation_rows(allocation: Allocation, asset_id: str | None, asset_name: str | None) -> Iterable[_Row]:
    lines: tuple[AllocationLine, ...] = allocation.lines
    for record, line in zip(allocation.as_records(), lines, strict=True):
        row: _Row = dict(record)
        row["asset_id"] = asset_id
        row["asset_name"] = asset_name
        row["recipient_group"] = line.recipient_group.value
        for name in ("as_of", "period_start", "period_end"):
            row[name] = _iso_date(record[name])
        _put_money(row, "amount", line.amount)
        _put_money(row, "base_amount", line.base_amount)
        _put_money(row, "tier_amount", line.tier_amount)
        row["rate"] = record["rate"] or None
        yield row


def allocation_frame(
    allocations: Allocation | IncomeNotice | Iterable[Allocation | IncomeNotice],
) -> DataFrame:
    """:func:`allocation_table` as a DataFrame (needs pandas)."""
    return allocation_table(allocations).to_frame()


def allocation_table(
    allocations: Allocation | IncomeNotice | Iterable[Allocation | IncomeNotice],
) -> Table:
    """One row per allocation line (分配明细): who received what, from which asset, by which tier.

    The rows are :meth:`Allocation.as_records` with typed columns. An
    :class:`~assetreg.income.distribution.IncomeNotice` (what ``distribute_asset_income`` and the
    demo return) contributes its allocations with ``asset_id`` and ``asset_name`` filled
    in; a bare :class:`Allocation` does not know its asset, so those are ``<NA>``.

    Columns: ``asset_id``, ``asset_name``, ``plan_id``, ``owner_id``, ``as_of`` (the day
    eligibility was judged), ``period_start`` / ``period_end`` (the income period,
    half-open), ``tier``, ``tier_index``, ``purpose``, ``beneficiary_id``,
    ``beneficiary_kind`` (household, collective, reserve, post_holder, party),
    ``recipient_group`` (collective, households, operator or fund:
    :func:`~assetreg.income.results.recipient_group`), ``beneficiary_name`` (already
    masked), ``amount_fen`` / ``amount_yuan``, ``base``, ``base_amount_fen`` / ``_yuan``,
    ``rate`` (``"9/20"``, ``<NA>`` without a rate), ``tier_amount_fen`` / ``_yuan``,
    ``share`` (this line's share of the tier, exact text) and ``basis`` (the notice's
    wording). ``amount_fen`` of one allocation adds up to its pool exactly.

    Args:
        allocations: one allocation or notice, or an iterable of them (mixed is fine).

    Returns:
        A :class:`Table`, lines in the order given (plan order, then beneficiary id).
    """
    items: Iterable[Allocation | IncomeNotice] = (
        (allocations,) if isinstance(allocations, Allocation | IncomeNotice) else allocations
    )
    rows: list[_Row] = []
    for item in items:
        if isinstance(item, IncomeNotice):
            for allocation in item.allocations:
                rows.extend(_allocation_rows(allocation, item.asset_id, item.asset_name))
        else:
            rows.extend(_allocation_rows(item, None, None))
    return Table(_ALLOCATION, rows)


# -- findings ----------------------------------------------------------------------------

_FINDINGS: Final[_Schema] = (
    ("code", _TEXT),
    ("severity", _TEXT),
    ("subject", _TEXT),
    ("subject_kind", _TEXT),
    ("area", _TEXT),
    *_AREA,
    ("rule", _TEXT),
    ("message_en", _TEXT),
    ("message_zh", _TEXT),
    ("evidence", _TEXT),
)


def findings_frame(findings: Iterable[Finding], *, area_names: Mapping[str, str] | None = None) -> DataFrame:
    """:func:`findings_table` as a DataFrame (needs pandas)."""
    return findings_table(findings, area_names=area_names).to_frame()


def findings_table(findings: Iterable[Finding], *, area_names: Mapping[str, str] | None = None) -> Table:
    """One row per audit finding (审计发现), in the order given.

    Columns: ``code``, ``severity`` (error / warning / info), ``subject``,
    ``subject_kind``, ``area`` (12-digit code or ``<NA>``), ``county``, ``township`` and
    ``village`` (its 6-, 9- and 12-digit parts, ``<NA>`` above that level; with
    ``area_names``, also ``county_name``, ``township_name``, ``village_name``), ``rule``
    (``"P8"``…), ``message_en``, ``message_zh`` and ``evidence`` — the
    evidence mapping as JSON text (keys sorted, Chinese kept, money as ``"1234.50"`` 元
    text as in :mod:`assetreg.audit.findings`), since its keys differ from check to check.

    Args:
        findings: findings, e.g. from :func:`assetreg.audit.run_checks` (already sorted).
        area_names: an official code list (12-digit code → name) for the ``*_name`` columns.

    Returns:
        A :class:`Table`; in a frame, ``frame[frame.severity == "error"]`` are the rule breaches.
    """
    rows: list[_Row] = []
    for finding in findings:
        document = finding.to_dict()
        row: _Row = {
            "code": finding.code,
            "severity": finding.severity.value,
            "subject": finding.subject,
            "subject_kind": finding.subject_kind.value,
            "area": finding.area,
            "rule": finding.rule,
            "message_en": finding.message_en,
            "message_zh": finding.message_zh,
            "evidence": json.dumps(document["evidence"], ensure_ascii=False, sort_keys=True),
        }
        _put_area(row, finding.area, area_names)
        rows.append(row)
    schema = list(_FINDINGS)
    if area_names is not None:
        at = schema.index(("village", _TEXT)) + 1
        schema[at:at] = _AREA_NAMES
    return Table(tuple(schema), rows)


# -- revenue -----------------------------------------------------------------------------

_REVENUE: Final[_Schema] = (
    ("entry_id", _TEXT),
    ("asset_id", _TEXT),
    ("kind", _TEXT),
    *_money("amount"),
    ("period_start", _DATE),
    ("period_end", _DATE),
    ("received", _DATE),
    ("contract_id", _TEXT),
    ("note", _TEXT),
)


def revenue_frame(entries: Iterable[RevenueEntry]) -> DataFrame:
    """:func:`revenue_table` as a DataFrame (needs pandas)."""
    return revenue_table(entries).to_frame()


def revenue_table(entries: Iterable[RevenueEntry]) -> Table:
    """One row per revenue entry (收益台账), in the order given.

    Columns: ``entry_id``, ``asset_id``, ``kind`` (a :class:`RevenueKind` value),
    ``amount_fen`` / ``amount_yuan`` (negative for refunds), ``period_start`` /
    ``period_end`` (the half-open income period: ``period_end`` is the first day after
    it), ``received`` (到账日期), ``contract_id`` and ``note`` (``<NA>`` when empty).

    Args:
        entries: revenue entries, e.g. ``IncomeLedger.entries``.

    Returns:
        A :class:`Table` (money exact, see the module docstring).
    """
    rows: list[_Row] = []
    for entry in entries:
        row: _Row = {
            "entry_id": entry.id,
            "asset_id": entry.asset_id,
            "kind": entry.kind.value,
            "period_start": entry.period.start,
            "period_end": entry.period.end,
            "received": entry.received,
            "contract_id": entry.contract_id,
            "note": entry.note or None,
        }
        _put_money(row, "amount", entry.amount)
        rows.append(row)
    return Table(_REVENUE, rows)


# -- events ------------------------------------------------------------------------------

_EVENTS: Final[_Schema] = (
    ("asset_id", _TEXT),
    ("event_id", _TEXT),
    ("kind", _TEXT),
    ("effective", _DATE),
    ("recorded_at_utc", _UTC),
    ("recorded_at_shanghai", _LOCAL),
    ("status", _TEXT),
    ("parties", _TEXT),
    ("contract_id", _TEXT),
    *_money("amount"),
    ("supersedes", _TEXT),
    ("replacement_kind", _TEXT),
    ("superseded", _BOOL),
    ("note", _TEXT),
)


def _event_details(event: AssetEvent) -> _Row:  # noqa: C901, PLR0911 - one branch per event type
    """The event-specific columns: status, parties named, contract, amount, correction."""
    if isinstance(event, AssetRegistered | StatusChanged):
        return {"status": event.status.value}
    if isinstance(event, OwnershipConfirmed):
        return {"parties": _joined(h.holder for h in event.holders)}
    if isinstance(event, CustodianAssigned):
        return {"parties": event.custodian}
    if isinstance(event, ContractSigned):
        return {"parties": event.contract.operator, "contract_id": event.contract.id}
    if isinstance(event, HandedOver):
        return {"parties": event.recipient}
    if isinstance(event, ContractEnded):
        return {"contract_id": event.contract_id}
    if isinstance(event, PurchaseRecorded):
        return {"parties": event.household, "contract_id": event.contract_id}
    if isinstance(event, Revalued):
        return {"amount": event.book_value}
    if isinstance(event, Disposed):
        return {"parties": event.proceeds_to, "amount": event.proceeds}
    if isinstance(event, Corrected):
        replacement = event.replacement
        return {"supersedes": event.supersedes, "replacement_kind": replacement.kind if replacement else None}
    return {}


def events_frame(register: AssetRegister, *, known_at: datetime | None = None) -> DataFrame:
    """:func:`events_table` as a DataFrame (needs pandas)."""
    return events_table(register, known_at=known_at).to_frame()


def events_table(register: AssetRegister, *, known_at: datetime | None = None) -> Table:
    """One row per event of every asset's history (资产变动记录), corrections included.

    Rows are in asset-id order, then in the order each history recorded them. Nothing is
    resolved or hidden: a superseded event stays, flagged ``superseded``.

    Columns: ``asset_id``, ``event_id``, ``kind`` (``"asset_registered"``,
    ``"status_changed"``…), ``effective`` (date), ``recorded_at_utc`` and
    ``recorded_at_shanghai`` (the same instant, aware), ``status`` (registration and status
    changes), ``parties`` (owners confirmed, custodian, operator, handover recipient or
    proceeds receiver, joined by ``"; "``), ``contract_id`` (contracts signed or ended),
    ``amount_fen`` / ``amount_yuan`` (revalued book
    value or disposal proceeds), ``supersedes`` and ``replacement_kind`` (corrections),
    ``superseded`` (a correction known at ``known_at`` supersedes the event) and ``note``.

    Args:
        register: the register.
        known_at: keep only events recorded at or before this aware instant; ``None`` =
            all of them.

    Returns:
        A :class:`Table` of events.

    Raises:
        InvalidPeriod: ``known_at`` is naive.
    """
    if known_at is not None:
        require_aware(known_at, field="known_at")
    rows: list[_Row] = []
    for asset_id in register:
        events = [e for e in register.history(asset_id).events if known_at is None or e.recorded_at <= known_at]
        superseded = {e.supersedes for e in events if isinstance(e, Corrected)}
        for event in events:
            details = _event_details(event)
            row: _Row = {
                "asset_id": str(event.asset_id),
                "event_id": str(event.event_id),
                "kind": event.kind,
                "effective": event.effective,
                "recorded_at_utc": event.recorded_at,
                "recorded_at_shanghai": event.recorded_at,
                "status": details.get("status"),
                "parties": details.get("parties"),
                "contract_id": details.get("contract_id"),
                "supersedes": details.get("supersedes"),
                "replacement_kind": details.get("replacement_kind"),
                "superseded": event.event_id in superseded,
                "note": event.note,
            }
            _put_money(row, "amount", details.get("amount"))
            rows.append(row)
    return Table(_EVENTS, rows)


# -- the income books: distributions, payments, household income --------------------------

_DISTRIBUTION: Final[_Schema] = (
    ("distribution_id", _TEXT),
    ("status", _TEXT),
    ("asset_ids", _TEXT),
    ("owner_id", _TEXT),
    ("plan_id", _TEXT),
    ("plan_version_id", _TEXT),
    ("roster_id", _TEXT),
    ("area", _TEXT),
    *_AREA,
    ("period_start", _DATE),
    ("period_end", _DATE),
    ("as_of", _DATE),
    *_money("gross"),
    *_money("deducted"),
    *_money("pool"),
    ("line_index", _INT),
    ("tier", _TEXT),
    ("tier_index", _INT),
    ("purpose", _TEXT),
    ("beneficiary_id", _TEXT),
    ("beneficiary_kind", _TEXT),
    ("beneficiary_name", _TEXT),
    *_money("amount"),
    ("base", _TEXT),
    *_money("base_amount"),
    ("rate", _TEXT),
    *_money("tier_amount"),
    ("share", _TEXT),
    ("weight", _INT),
    ("basis", _TEXT),
)


def distribution_frame(distributions: Iterable[Distribution]) -> DataFrame:
    """:func:`distribution_table` as a DataFrame (needs pandas)."""
    return distribution_table(distributions).to_frame()


def distribution_table(distributions: Iterable[Distribution]) -> Table:
    """One row per line of stored distributions (分配明细, ``uow.distributions.list()``).

    Each row repeats its distribution's id, status (draft/adopted), assets (``"; "``-joined),
    owner, plan and plan version, roster snapshot, area (with ``county``/``township``/
    ``village``), income period (half-open), ``as_of``, ``gross``/``deducted``/``pool``
    (fen and yuan), then the line: ``line_index`` (0-based, as payments cite it), tier,
    purpose, payee, ``amount``, base and base amount, ``rate`` and ``share`` (exact fraction
    text), tier amount, ``weight`` (days, posts… or ``<NA>``) and ``basis``. Per
    distribution, ``amount_fen`` adds up to ``pool_fen`` exactly.

    Args:
        distributions: stored distributions (a list from the repository: current ones by
            default, so a revised distribution appears once).
    """
    rows: list[_Row] = []
    for d in distributions:
        head: _Row = {
            "distribution_id": d.id,
            "status": d.status.value,
            "asset_ids": _joined(d.asset_ids),
            "owner_id": d.owner_id,
            "plan_id": d.plan_id,
            "plan_version_id": d.plan_version_id,
            "roster_id": d.roster_id,
            "area": d.area.value,
            "period_start": d.period.start,
            "period_end": d.period.end,
            "as_of": d.as_of,
        }
        _put_area(head, d.area.value, None)
        _put_money(head, "gross", d.gross)
        _put_money(head, "deducted", d.deducted)
        _put_money(head, "pool", d.pool)
        for index, line in enumerate(d.lines):
            row = dict(head)
            row.update(
                {
                    "line_index": index,
                    "tier": line.tier,
                    "tier_index": line.tier_index,
                    "purpose": line.purpose.value,
                    "beneficiary_id": line.beneficiary_id,
                    "beneficiary_kind": line.beneficiary_kind.value,
                    "beneficiary_name": line.beneficiary_name,
                    "base": line.base,
                    "rate": None if line.rate is None else str(line.rate),
                    "share": str(line.share),
                    "weight": line.weight,
                    "basis": line.basis,
                }
            )
            _put_money(row, "amount", line.amount)
            _put_money(row, "base_amount", line.base_amount)
            _put_money(row, "tier_amount", line.tier_amount)
            rows.append(row)
    return Table(_DISTRIBUTION, rows)


_PAYMENT: Final[_Schema] = (
    ("payment_id", _TEXT),
    ("distribution_id", _TEXT),
    ("line_index", _INT),
    ("beneficiary_id", _TEXT),
    ("area", _TEXT),
    *_AREA,
    ("paid_on", _DATE),
    *_money("amount"),
    ("method", _TEXT),
    ("status", _TEXT),
    ("account_ref", _TEXT),
    ("repays", _TEXT),
    ("supersedes", _TEXT),
    ("recorded_at_utc", _UTC),
    ("note", _TEXT),
)


def payment_frame(payments: Iterable[Payment]) -> DataFrame:
    """:func:`payment_table` as a DataFrame (needs pandas)."""
    return payment_table(payments).to_frame()


def payment_table(payments: Iterable[Payment]) -> Table:
    """One row per payment (兑付记录, ``uow.payments.list()``), in the order given.

    Columns: ``payment_id``, ``distribution_id``, ``line_index``, ``beneficiary_id``, area
    columns, ``paid_on``, ``amount_fen``/``_yuan``, ``method`` (one_card, bank_transfer,
    cash, other), ``status`` (paid, returned, failed), ``account_ref`` (masked),
    ``repays``, ``supersedes``, ``recorded_at_utc`` and ``note``.
    """
    rows: list[_Row] = []
    for p in payments:
        row: _Row = {
            "payment_id": p.id,
            "distribution_id": p.distribution_id,
            "line_index": p.line_index,
            "beneficiary_id": p.beneficiary_id,
            "area": p.area.value,
            "paid_on": p.paid_on,
            "method": p.method.value,
            "status": p.status.value,
            "account_ref": p.account_ref or None,
            "repays": p.repays,
            "supersedes": p.supersedes,
            "recorded_at_utc": p.recorded_at,
            "note": p.note or None,
        }
        _put_area(row, p.area.value, None)
        _put_money(row, "amount", p.amount)
        rows.append(row)
    return Table(_PAYMENT, rows)


_HOUSEHOLD_INCOME: Final[_Schema] = (
    ("beneficiary_id", _TEXT),
    ("beneficiary_name", _TEXT),
    ("area", _TEXT),
    *_AREA,
    ("period_start", _DATE),
    ("period_end", _DATE),
    ("distributions", _INT),
    ("asset_ids", _TEXT),
    *_money("amount"),
    *_money("paid"),
    *_money("outstanding"),
)


def household_income_frame(distributions: Iterable[Distribution], payments: Iterable[Payment] = ()) -> DataFrame:
    """:func:`household_income_table` as a DataFrame (needs pandas)."""
    return household_income_table(distributions, payments).to_frame()


def household_income_table(distributions: Iterable[Distribution], payments: Iterable[Payment] = ()) -> Table:
    """What each household received per income period and area (农户收益汇总), and what was paid.

    One row per (household, area, income period): the number of distributions paying it,
    their assets, ``amount`` (the sum of its lines), ``paid`` (payments with status
    ``paid`` against those lines: pass the current payments, so a returned payment counts
    by its return) and ``outstanding`` (``amount - paid``). Only household payees
    (``beneficiary_kind`` household or post holder) are listed; rows sorted by household,
    then period, then area.

    Args:
        distributions: stored distributions (current ones).
        payments: stored payments (current ones), ``()`` when none are recorded.
    """
    from assetreg.income.beneficiaries import BeneficiaryKind  # noqa: PLC0415
    from assetreg.income.books import PaymentStatus  # noqa: PLC0415

    paid: dict[tuple[str, int], int] = {}
    for p in payments:
        if p.status is PaymentStatus.PAID:
            paid[(p.distribution_id, p.line_index)] = paid.get((p.distribution_id, p.line_index), 0) + p.amount.fen
    groups: dict[tuple[str, date, date, str], _Row] = {}
    for d in distributions:
        for index, line in enumerate(d.lines):
            if line.beneficiary_kind not in {BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.POST_HOLDER}:
                continue
            key = (line.beneficiary_id, d.period.start, d.period.end, d.area.value)
            group = groups.setdefault(
                key,
                {"name": line.beneficiary_name, "ids": set(), "assets": set(), "amount": 0, "paid": 0},
            )
            group["ids"].add(d.id)
            group["assets"].update(d.asset_ids)
            group["amount"] += line.amount.fen
            group["paid"] += paid.get((d.id, index), 0)
    rows: list[_Row] = []
    for (payee, start, end, area), group in sorted(groups.items()):
        row: _Row = {
            "beneficiary_id": payee,
            "beneficiary_name": group["name"],
            "area": area,
            "period_start": start,
            "period_end": end,
            "distributions": len(group["ids"]),
            "asset_ids": _joined(sorted(group["assets"])),
        }
        _put_area(row, area, None)
        _put_money(row, "amount", Money(group["amount"]))
        _put_money(row, "paid", Money(group["paid"]))
        _put_money(row, "outstanding", Money(group["amount"] - group["paid"]))
        rows.append(row)
    return Table(_HOUSEHOLD_INCOME, rows)


COLUMNS_ZH: Final[Mapping[str, str]] = {
    "account_ref": "账号(脱敏)",
    "asset_ids": "资产编号",
    "deducted_fen": "扣除(分)",
    "deducted_yuan": "扣除(元)",
    "distribution_id": "分配编号",
    "distributions": "分配次数",
    "gross_fen": "收益总额(分)",
    "gross_yuan": "收益总额(元)",
    "line_index": "明细行号(从0起)",
    "method": "兑付方式",
    "outstanding_fen": "未兑付(分)",
    "outstanding_yuan": "未兑付(元)",
    "paid_fen": "已兑付(分)",
    "paid_on": "兑付日期",
    "paid_yuan": "已兑付(元)",
    "payment_id": "兑付编号",
    "plan_version_id": "方案版本",
    "pool_fen": "可分配收益(分)",
    "pool_yuan": "可分配收益(元)",
    "repays": "补发对象",
    "roster_id": "受益名单",
    "weight": "权重",
    "amount_fen": "金额(分)",
    "amount_yuan": "金额(元)",
    "area": "区划代码",
    "as_of": "资格认定日",
    "asset_class": "资产类别",
    "asset_id": "资产编号",
    "asset_name": "资产名称",
    "base": "计算基数",
    "base_amount_fen": "基数金额(分)",
    "base_amount_yuan": "基数金额(元)",
    "basis": "分配依据",
    "beneficiary_id": "受益对象编号",
    "beneficiary_kind": "受益对象类型",
    "beneficiary_name": "受益对象",
    "book_value_fen": "账面价值(分)",
    "book_value_yuan": "账面价值(元)",
    "accumulated_depreciation_fen": "累计折旧(分)",
    "accumulated_depreciation_yuan": "累计折旧(元)",
    "net_book_value_fen": "净值(分)",
    "net_book_value_yuan": "净值(元)",
    "months_depreciated": "已提折旧月数",
    "capacity_kw": "装机容量(千瓦)",
    "code": "检查项代码",
    "completed_on": "竣工日期",
    "contract_id": "合同编号",
    "county": "县级区划代码",
    "county_name": "县",
    "custodian_name": "管护主体名称",
    "operator_names": "经营主体名称",
    "owner_names": "产权主体名称",
    "recipient_group": "受益群体",
    "township_name": "乡镇",
    "village": "村级区划代码",
    "village_name": "村",
    "custodian": "管护主体",
    "custody_method": "管护方式",
    "effective": "生效日期",
    "entry_id": "收益编号",
    "event_id": "事件编号",
    "evidence": "证据",
    "form": "资产形态",
    "handed_over_on": "移交日期",
    "kind": "种类",
    "location": "坐落区划代码",
    "message_en": "说明(英文)",
    "message_zh": "说明",
    "name": "资产名称",
    "note": "备注",
    "operators": "经营主体",
    "original_value_fen": "原值(分)",
    "original_value_yuan": "原值(元)",
    "owner_id": "产权主体",
    "owner_shares": "产权份额",
    "owners": "产权主体",
    "parties": "相关主体",
    "period_end": "收益期间止(不含)",
    "period_start": "收益期间起",
    "plan_id": "分配方案",
    "project_code": "项目编号",
    "project_year": "项目年度",
    "purpose": "用途",
    "rate": "比例",
    "received": "到账日期",
    "recorded_at_shanghai": "登记时间(北京时间)",
    "recorded_at_utc": "登记时间(UTC)",
    "replacement_kind": "替代事件类型",
    "rule": "政策依据",
    "severity": "严重程度",
    "share": "份额",
    "status": "状态",
    "status_since": "状态起始日",
    "subject": "对象",
    "subject_kind": "对象类型",
    "superseded": "已被更正",
    "supersedes": "更正对象事件",
    "tier": "分配层级",
    "tier_amount_fen": "层级金额(分)",
    "tier_amount_yuan": "层级金额(元)",
    "tier_index": "层级序号",
    "township": "乡级区划代码",
    "version": "事件数",
}
"""Chinese headers for every column of these frames: ``frame.rename(columns=COLUMNS_ZH)``."""
