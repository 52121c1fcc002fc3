"""Pure row ↔ record translation for the income books (收益台账行转换), DESIGN §12.

Each record kind of :mod:`assetreg.income.books` has a :class:`BookCodec`: its main table,
its child tables and two pure functions — ``to_rows(record)`` gives the rows to insert
(``{table name: [row, …]}``, the main table's single row first) and
``from_rows(main, children)`` rebuilds the record from the rows read back. The common
columns (id, area, county, recorded_at, supersedes) are shared; hot fields are typed
columns; the rest goes through the attrs-driven codec
(:func:`~assetreg.adapters.sql.codec.record_payload`). Nothing here touches a database.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Generic, TypeVar

import attrs
import sqlalchemy as sa

from assetreg.adapters.sql.codec import decode_value, encode_value, record_from_payload, record_payload
from assetreg.adapters.sql.rows import bigint_fen
from assetreg.adapters.sql.tables import (
    deduction_table,
    distribution_asset_table,
    distribution_line_table,
    distribution_table,
    notice_table,
    payment_table,
    plan_asset_table,
    plan_table,
    roster_household_table,
    roster_table,
)
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import PayloadError
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.books import (
    BookRecord,
    ClaimedDeduction,
    Distribution,
    DistributionStatus,
    NoticeChannel,
    NoticeLevel,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PlanVersion,
    PublicNotice,
    RosterHousehold,
    RosterSnapshot,
)
from assetreg.income.purpose import Purpose
from assetreg.income.results import AllocationLine
from assetreg.income.revenue import DeductionKind

__all__ = [
    "BOOK_CODECS",
    "BookCodec",
    "Row",
    "Rows",
    "deduction_codec",
    "distribution_codec",
    "notice_codec",
    "payment_codec",
    "plan_codec",
    "roster_codec",
]

Row = dict[str, Any]
"""One row, keyed by column name."""
Rows = dict[str, list[Row]]
"""Rows by table name."""
R = TypeVar("R", bound=BookRecord)
E = TypeVar("E", bound=enum.Enum)

_COMMON = ("id", "area", "recorded_at", "supersedes")


@attrs.frozen
class BookCodec(Generic[R]):
    """How one record kind is stored (记录类型的存储方式).

    Attributes:
        kind: the repository's name on the unit of work (``"deductions"``…).
        label_en: the record kind in English, for messages.
        label_zh: the record kind in Chinese, for messages.
        cls: the record class.
        table: the main table.
        children: child tables (ordered by their position column when read).
        to_rows: record → rows by table name.
        from_rows: (main row, child rows by table name) → record.
    """

    kind: str
    label_en: str
    label_zh: str
    cls: type[R]
    table: sa.Table
    children: tuple[tuple[sa.Table, str], ...]
    to_rows: Callable[[R], Rows]
    from_rows: Callable[[Mapping[str, Any], Mapping[str, Sequence[Mapping[str, Any]]]], R]


# -- shared pieces -------------------------------------------------------------------------
def _common_row(record: BookRecord) -> Row:
    return {
        "record_id": record.id,
        "area_code": record.area.value,
        "county_code": record.area.county,
        "recorded_at": record.recorded_at,
        "supersedes": record.supersedes,
    }


def _common_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["record_id"],
        "area": AdminCode(row["area_code"]),
        "recorded_at": _instant(row["recorded_at"]),
        "supersedes": row["supersedes"],
    }


def _instant(value: Any) -> datetime:
    if not isinstance(value, datetime):  # pragma: no cover - UTCDateTime always returns an aware datetime
        raise TypeError(f"recorded_at read back as {type(value).__name__}")
    return value


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _enum(cls: type[E], value: Any, row: Mapping[str, Any], field: str) -> E:
    out: E = decode_value(cls, value, record=str(row.get("record_id")), field=field)
    return out


def _fen(row: Mapping[str, Any], column: str) -> Money:
    return Money(int(row[column]))


def _payload(record: BookRecord, columns: tuple[str, ...]) -> dict[str, Any]:
    return record_payload(record, exclude=(*_COMMON, *columns))


def _rebuild(cls: type[R], row: Mapping[str, Any], columns: tuple[str, ...], **fields: Any) -> R:
    out: R = record_from_payload(
        cls, row["payload"] or {}, exclude=(*_COMMON, *columns), **_common_fields(row), **fields
    )
    return out


def _fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else str(encode_value(Fraction, value))


def _read_fraction(value: Any, row: Mapping[str, Any], field: str) -> Fraction:
    out: Fraction = decode_value(Fraction, value, record=str(row.get("record_id")), field=field)
    return out


# -- 扣除 -------------------------------------------------------------------------------------
_DEDUCTION_COLUMNS = ("asset_id", "kind", "period", "amount")


def _deduction_rows(record: ClaimedDeduction) -> Rows:
    row = _common_row(record) | {
        "asset_id": record.asset_id,
        "kind": record.kind.value,
        "period_start": record.period.start,
        "period_end": record.period.end,
        "amount_fen": bigint_fen(record.amount, record=record.id, field="amount"),
        "payload": _payload(record, _DEDUCTION_COLUMNS),
    }
    return {deduction_table.name: [row]}


def _deduction_from_rows(
    row: Mapping[str, Any], _children: Mapping[str, Sequence[Mapping[str, Any]]]
) -> ClaimedDeduction:
    return _rebuild(
        ClaimedDeduction,
        row,
        _DEDUCTION_COLUMNS,
        asset_id=row["asset_id"],
        kind=_enum(DeductionKind, row["kind"], row, "kind"),
        period=Period(_date(row["period_start"]), _date(row["period_end"])),
        amount=_fen(row, "amount_fen"),
    )


deduction_codec: BookCodec[ClaimedDeduction] = BookCodec(
    "deductions", "deduction", "扣除记录", ClaimedDeduction, deduction_table, (), _deduction_rows, _deduction_from_rows
)


# -- 受益名单 ----------------------------------------------------------------------------------
_ROSTER_COLUMNS = ("known_on", "source_system", "households")


def _household_row(record_id: str, position: int, household: RosterHousehold) -> Row:
    return {
        "record_id": record_id,
        "position": position,
        "household_id": household.household_id,
        "name": household.name,
        "members": household.members,
        "status": household.status.value,
        "monitor_type": None if household.monitor_type is None else household.monitor_type.value,
        "labor_capacity": household.labor_capacity.value,
        "days_worked": household.days_worked,
        "posts": household.posts,
        "asset_ids": list(household.asset_ids),
    }


def _household_from_row(row: Mapping[str, Any]) -> RosterHousehold:
    monitor = row["monitor_type"]
    return RosterHousehold(
        household_id=row["household_id"],
        name=row["name"],
        members=int(row["members"]),
        status=_enum(HouseholdStatus, row["status"], row, "status"),
        monitor_type=None if monitor is None else _enum(MonitorType, monitor, row, "monitor_type"),
        labor_capacity=_enum(LaborCapacity, row["labor_capacity"], row, "labor_capacity"),
        days_worked=int(row["days_worked"]),
        posts=int(row["posts"]),
        asset_ids=decode_value(tuple[str, ...], row["asset_ids"], record=row["record_id"], field="asset_ids"),
    )


_SHARES_KEY = "household_shares"
"""Payload key of the households' quantified shares (股份, issue 17): ``{household id: "n/d"}``
for the households listed with shares; the household rows keep their columns, and a
snapshot stored without the key lists none."""


def _roster_rows(record: RosterSnapshot) -> Rows:
    payload = _payload(record, _ROSTER_COLUMNS)
    shares = {h.household_id: _fraction_text(h.shares) for h in record.households if h.shares is not None}
    if shares:
        payload[_SHARES_KEY] = shares
    row = _common_row(record) | {
        "known_on": record.known_on,
        "source_system": record.source_system,
        "payload": payload,
    }
    households = [_household_row(record.id, i, h) for i, h in enumerate(record.households)]
    return {roster_table.name: [row], roster_household_table.name: households}


def _roster_from_rows(row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]) -> RosterSnapshot:
    payload = dict(row["payload"] or {})
    shares = payload.pop(_SHARES_KEY, None) or {}
    if not isinstance(shares, Mapping):
        raise PayloadError(
            f"roster {row['record_id']}: {_SHARES_KEY} is not a table of household ids",
            f"受益名单 {row['record_id']}：股份数据格式错误",
            record=str(row["record_id"]),
            field=_SHARES_KEY,
        )
    households = []
    for child in children.get(roster_household_table.name, ()):
        household = _household_from_row(child)
        held = shares.get(household.household_id)
        if held is not None:
            household = attrs.evolve(household, shares=_read_fraction(held, row, _SHARES_KEY))
        households.append(household)
    return _rebuild(
        RosterSnapshot,
        {**row, "payload": payload},
        _ROSTER_COLUMNS,
        known_on=_date(row["known_on"]),
        source_system=row["source_system"],
        households=tuple(households),
    )


roster_codec: BookCodec[RosterSnapshot] = BookCodec(
    "rosters",
    "roster snapshot",
    "受益名单",
    RosterSnapshot,
    roster_table,
    ((roster_household_table, "position"),),
    _roster_rows,
    _roster_from_rows,
)


# -- 分配方案 ----------------------------------------------------------------------------------
_PLAN_COLUMNS = ("version", "policy", "effective_from", "asset_ids")


def _asset_rows(record_id: str, asset_ids: Sequence[str]) -> list[Row]:
    return [{"record_id": record_id, "position": i, "asset_id": a} for i, a in enumerate(asset_ids)]


def _asset_ids(rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(r["asset_id"] for r in rows)


def _plan_rows(record: PlanVersion) -> Rows:
    row = _common_row(record) | {
        "plan_id": record.plan.id,
        "version": record.version,
        "policy": record.policy,
        "effective_from": record.effective_from,
        "approved_on": None if record.approval is None else record.approval.approved_on,
        "payload": _payload(record, _PLAN_COLUMNS),
    }
    return {plan_table.name: [row], plan_asset_table.name: _asset_rows(record.id, record.asset_ids)}


def _plan_from_rows(row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]) -> PlanVersion:
    return _rebuild(
        PlanVersion,
        row,
        _PLAN_COLUMNS,
        version=int(row["version"]),
        policy=row["policy"],
        effective_from=_date(row["effective_from"]),
        asset_ids=_asset_ids(children.get(plan_asset_table.name, ())),
    )


plan_codec: BookCodec[PlanVersion] = BookCodec(
    "plans",
    "plan version",
    "分配方案",
    PlanVersion,
    plan_table,
    ((plan_asset_table, "position"),),
    _plan_rows,
    _plan_from_rows,
)


# -- 分配 -------------------------------------------------------------------------------------
_DISTRIBUTION_COLUMNS = (
    "plan_version_id",
    "plan_id",
    "asset_ids",
    "period",
    "as_of",
    "status",
    "gross",
    "deducted",
    "pool",
    "lines",
)


def _line_row(record: Distribution, index: int, line: AllocationLine) -> Row:
    return {
        "record_id": record.id,
        "line_index": index,
        "tier": line.tier,
        "tier_index": line.tier_index,
        "purpose": line.purpose.value,
        "beneficiary_id": line.beneficiary_id,
        "beneficiary_kind": line.beneficiary_kind.value,
        "beneficiary_name": line.beneficiary_name,
        "amount_fen": bigint_fen(line.amount, record=record.id, field=f"lines[{index}].amount"),
        "base": line.base,
        "base_amount_fen": bigint_fen(line.base_amount, record=record.id, field=f"lines[{index}].base_amount"),
        "rate": _fraction_text(line.rate),
        "tier_amount_fen": bigint_fen(line.tier_amount, record=record.id, field=f"lines[{index}].tier_amount"),
        "share": _fraction_text(line.share),
        "weight": line.weight,
        "basis": line.basis,
    }


def _line_from_row(row: Mapping[str, Any]) -> AllocationLine:
    rate = row["rate"]
    weight = row["weight"]
    return AllocationLine(
        tier=row["tier"],
        tier_index=int(row["tier_index"]),
        purpose=_enum(Purpose, row["purpose"], row, "purpose"),
        beneficiary_id=row["beneficiary_id"],
        beneficiary_kind=_enum(BeneficiaryKind, row["beneficiary_kind"], row, "beneficiary_kind"),
        beneficiary_name=row["beneficiary_name"],
        amount=_fen(row, "amount_fen"),
        base=row["base"],
        base_amount=_fen(row, "base_amount_fen"),
        rate=None if rate is None else _read_fraction(rate, row, "rate"),
        tier_amount=_fen(row, "tier_amount_fen"),
        share=_read_fraction(row["share"], row, "share"),
        basis=row["basis"],
        weight=None if weight is None else int(weight),
    )


def _distribution_rows(record: Distribution) -> Rows:
    row = _common_row(record) | {
        "plan_version_id": record.plan_version_id,
        "plan_id": record.plan_id,
        "period_start": record.period.start,
        "period_end": record.period.end,
        "as_of": record.as_of,
        "status": record.status.value,
        "gross_fen": bigint_fen(record.gross, record=record.id, field="gross"),
        "deducted_fen": bigint_fen(record.deducted, record=record.id, field="deducted"),
        "pool_fen": bigint_fen(record.pool, record=record.id, field="pool"),
        "payload": _payload(record, _DISTRIBUTION_COLUMNS),
    }
    return {
        distribution_table.name: [row],
        distribution_asset_table.name: _asset_rows(record.id, record.asset_ids),
        distribution_line_table.name: [_line_row(record, i, line) for i, line in enumerate(record.lines)],
    }


def _distribution_from_rows(
    row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Distribution:
    return _rebuild(
        Distribution,
        row,
        _DISTRIBUTION_COLUMNS,
        plan_version_id=row["plan_version_id"],
        plan_id=row["plan_id"],
        asset_ids=_asset_ids(children.get(distribution_asset_table.name, ())),
        period=Period(_date(row["period_start"]), _date(row["period_end"])),
        as_of=_date(row["as_of"]),
        status=_enum(DistributionStatus, row["status"], row, "status"),
        gross=_fen(row, "gross_fen"),
        deducted=_fen(row, "deducted_fen"),
        pool=_fen(row, "pool_fen"),
        lines=tuple(_line_from_row(r) for r in children.get(distribution_line_table.name, ())),
    )


distribution_codec: BookCodec[Distribution] = BookCodec(
    "distributions",
    "distribution",
    "分配记录",
    Distribution,
    distribution_table,
    ((distribution_asset_table, "position"), (distribution_line_table, "line_index")),
    _distribution_rows,
    _distribution_from_rows,
)


# -- 公示 -------------------------------------------------------------------------------------
_NOTICE_COLUMNS = ("distribution_id", "level", "channel", "posted_on", "closes_on")


def _notice_rows(record: PublicNotice) -> Rows:
    row = _common_row(record) | {
        "distribution_id": record.distribution_id,
        "level": record.level.value,
        "channel": record.channel.value,
        "posted_on": record.posted_on,
        "closes_on": record.closes_on,
        "payload": _payload(record, _NOTICE_COLUMNS),
    }
    return {notice_table.name: [row]}


def _notice_from_rows(row: Mapping[str, Any], _children: Mapping[str, Sequence[Mapping[str, Any]]]) -> PublicNotice:
    return _rebuild(
        PublicNotice,
        row,
        _NOTICE_COLUMNS,
        distribution_id=row["distribution_id"],
        level=_enum(NoticeLevel, row["level"], row, "level"),
        channel=_enum(NoticeChannel, row["channel"], row, "channel"),
        posted_on=_date(row["posted_on"]),
        closes_on=_date(row["closes_on"]),
    )


notice_codec: BookCodec[PublicNotice] = BookCodec(
    "notices", "notice", "公示记录", PublicNotice, notice_table, (), _notice_rows, _notice_from_rows
)


# -- 兑付 -------------------------------------------------------------------------------------
_PAYMENT_COLUMNS = (
    "distribution_id",
    "line_index",
    "beneficiary_id",
    "paid_on",
    "amount",
    "method",
    "account_ref",
    "status",
    "repays",
    "note",
)


def _payment_rows(record: Payment) -> Rows:
    row = _common_row(record) | {
        "distribution_id": record.distribution_id,
        "line_index": record.line_index,
        "beneficiary_id": record.beneficiary_id,
        "paid_on": record.paid_on,
        "amount_fen": bigint_fen(record.amount, record=record.id, field="amount"),
        "method": record.method.value,
        "account_ref": record.account_ref or None,
        "status": record.status.value,
        "repays": record.repays,
        "note": record.note or None,
        "payload": _payload(record, _PAYMENT_COLUMNS),
    }
    return {payment_table.name: [row]}


def _payment_from_rows(row: Mapping[str, Any], _children: Mapping[str, Sequence[Mapping[str, Any]]]) -> Payment:
    return _rebuild(
        Payment,
        row,
        _PAYMENT_COLUMNS,
        distribution_id=row["distribution_id"],
        line_index=int(row["line_index"]),
        beneficiary_id=row["beneficiary_id"],
        paid_on=_date(row["paid_on"]),
        amount=_fen(row, "amount_fen"),
        method=_enum(PaymentMethod, row["method"], row, "method"),
        account_ref=row["account_ref"] or "",
        status=_enum(PaymentStatus, row["status"], row, "status"),
        repays=row["repays"],
        note=row["note"] or "",
    )


payment_codec: BookCodec[Payment] = BookCodec(
    "payments", "payment", "兑付记录", Payment, payment_table, (), _payment_rows, _payment_from_rows
)

BOOK_CODECS: tuple[BookCodec[Any], ...] = (
    deduction_codec,
    roster_codec,
    plan_codec,
    distribution_codec,
    notice_codec,
    payment_codec,
)
"""Every record kind of the income books, in table order."""
