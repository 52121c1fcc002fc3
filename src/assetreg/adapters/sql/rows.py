"""Pure row ↔ domain translation (行与领域对象互转), used by the repositories and bulk loads.

Rows are plain ``dict`` values keyed by column name, ready for an ``executemany`` of a
Core ``insert``; nothing here touches a database.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from assetreg.adapters.sql.codec import (
    PAYLOAD_VERSION,
    PAYLOAD_VERSION_KEY,
    event_from_payload,
    event_payload,
    party_from_payload,
    party_payload,
)
from assetreg.adapters.sql.trusted import trusted_event_from_payload
from assetreg.domain.events import AssetEvent, AssetRegistered, Corrected
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.errors import InvalidValue, PersistenceError
from assetreg.income.revenue import RevenueEntry, RevenueKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from assetreg.domain.assets import Asset, AssetId
    from assetreg.domain.parties import Party

__all__ = [
    "asset_row",
    "current_registration",
    "event_from_row",
    "event_rows",
    "party_from_row",
    "party_row",
    "revenue_from_row",
    "revenue_row",
    "stored_history",
    "stored_payload",
]


def stored_history(asset_id: AssetId, events: Iterable[AssetEvent]) -> AssetHistory:
    """A history of events read back from storage, in stored order (not checked again)."""
    make: Any = AssetHistory
    history: AssetHistory = make(asset_id, tuple(events))
    return history


def current_registration(history: AssetHistory) -> AssetRegistered:
    """The registration in force (corrections applied) of a non-empty history.

    Fast path: a history without corrections has exactly one registration.

    Raises:
        UnknownAsset: nothing registered.
    """
    if not any(isinstance(e, Corrected) for e in history.events):
        first = history.events[0] if history.events else None
        if isinstance(first, AssetRegistered):
            return first
    asset = history.asset()  # raises UnknownAsset
    for event in reversed(history.known()):
        if isinstance(event, AssetRegistered) and event.asset == asset:
            return event
    raise AssertionError("unreachable: history.asset() found a registration")  # pragma: no cover


BIGINT_MAX = 2**63 - 1
"""The largest amount a ``BIGINT`` fen column holds (about 9.2 × 10¹⁶ 元)."""


def bigint_fen(money: Money, *, record: str, field: str) -> int:
    """``money.fen`` checked against the ``BIGINT`` range of the money columns.

    Raises:
        PersistenceError: the amount does not fit, naming the record and field.
    """
    if -BIGINT_MAX - 1 <= money.fen <= BIGINT_MAX:
        return money.fen
    raise PersistenceError(
        f"{field} {money} is too large to store (BIGINT fen)",
        f"{field} 金额 {money} 超出数据库可存储范围（BIGINT 分）",
        record=record,
        field=field,
        expected=f"|fen| <= {BIGINT_MAX}",
    )


def check_lengths(table: sa.Table, values: Mapping[str, Any], *, record: str) -> None:
    """Refuse a text value longer than its ``VARCHAR`` column, before anything is written.

    SQLite stores any length, PostgreSQL and MariaDB refuse (and a refused statement would
    abort the unit of work): checking here makes one over-long value the same clear error
    on every backend.

    Raises:
        InvalidValue: a value longer than its column, naming the record and field.
    """
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        column = table.c.get(name)
        length = getattr(column.type, "length", None) if column is not None else None
        if length is not None and len(value) > length:
            raise InvalidValue(
                f"{record}: {name} has {len(value)} characters, more than the {length} stored",
                f"{record}：{name} 长度为 {len(value)} 个字符，超过可存储的 {length} 个",
                record=record,
                field=name,
                expected=f"at most {length} characters",
                actual=len(value),
            )


def asset_row(history: AssetHistory) -> dict[str, Any]:
    """The ``asset`` row of a history: version, location, county, class, kind, value (fen).

    Raises:
        PersistenceError: the original value does not fit a ``BIGINT`` of fen.
    """
    registration = current_registration(history)
    asset: Asset = registration.asset
    return {
        "asset_id": history.asset_id,
        "version": history.version,
        "location_code": asset.location.value,
        "county_code": asset.location.county,
        "asset_class": asset.asset_class.value,
        "kind": asset.kind.value,
        "original_value_fen": bigint_fen(asset.original_value, record=history.asset_id, field="original_value"),
        "registered_on": registration.effective,
        "last_recorded_at": history.events[-1].recorded_at,
    }


def event_rows(
    events: tuple[AssetEvent, ...] | list[AssetEvent],
    *,
    first_sequence: int,
    area_code: str,
    county_code: str | None,
) -> Iterator[dict[str, Any]]:
    """``asset_event`` rows for ``events`` numbered from ``first_sequence`` (1-based)."""
    for sequence, event in enumerate(events, start=first_sequence):
        yield {
            "asset_id": event.asset_id,
            "sequence": sequence,
            "event_id": event.event_id,
            "kind": event.kind,
            "effective": event.effective,
            "recorded_at": event.recorded_at,
            "area_code": area_code,
            "county_code": county_code,
            "supersedes": event.supersedes if isinstance(event, Corrected) else None,
            "payload": stored_payload(event),
        }


def stored_payload(event: AssetEvent) -> dict[str, Any]:
    """The ``payload`` column of ``event``: :func:`event_payload` stamped with the payload version."""
    payload = event_payload(event)
    payload[PAYLOAD_VERSION_KEY] = PAYLOAD_VERSION
    return payload


def event_from_row(row: Mapping[Any, Any], *, trusted: bool = True) -> AssetEvent:
    """Rebuild an event from an ``asset_event`` row.

    A row stamped with this codec's :data:`~assetreg.adapters.sql.codec.PAYLOAD_VERSION`
    was written by the adapter from a checked event and is decoded without re-checking
    (the lean read path) unless ``trusted`` is false (chain verification reads every row
    with the checking decoder); any other row is checked field by field.

    Raises:
        PayloadError: the payload cannot be read.
    """
    payload = row["payload"]
    decode = (
        trusted_event_from_payload
        if trusted and isinstance(payload, dict) and payload.get(PAYLOAD_VERSION_KEY) == PAYLOAD_VERSION
        else event_from_payload
    )
    return decode(
        row["kind"],
        row["payload"],
        event_id=row["event_id"],
        asset_id=row["asset_id"],
        effective=row["effective"],
        recorded_at=row["recorded_at"],
        supersedes=row["supersedes"],
    )


def party_row(party: Party) -> dict[str, Any]:
    """The ``party`` row of ``party``."""
    return {
        "party_id": party.id,
        "kind": party.kind.value,
        "name": party.name,
        "admin_code": party.admin_code.value,
        "county_code": party.admin_code.county,
        "payload": party_payload(party),
    }


def party_from_row(row: Mapping[Any, Any]) -> Party:
    """Rebuild a party from a ``party`` row.

    Raises:
        PayloadError: the kind or payload cannot be read.
    """
    return party_from_payload(
        row["kind"],
        row["payload"],
        party_id=row["party_id"],
        name=row["name"],
        admin_code=row["admin_code"],
    )


def revenue_row(entry: RevenueEntry) -> dict[str, Any]:
    """The ``revenue_entry`` row of ``entry``: amount in fen, period half-open ``[start, end)``.

    An empty note is stored as NULL.

    Raises:
        PersistenceError: the amount does not fit a ``BIGINT`` of fen.
    """
    return {
        "entry_id": entry.id,
        "asset_id": entry.asset_id,
        "kind": entry.kind.value,
        "period_start": entry.period.start,
        "period_end": entry.period.end,
        "received_on": entry.received,
        "amount_fen": bigint_fen(entry.amount, record=entry.id, field="amount"),
        "contract_id": entry.contract_id,
        "note": entry.note or None,
        "kwh": None if entry.kwh is None else str(entry.kwh),
    }


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def revenue_from_row(row: Mapping[Any, Any]) -> RevenueEntry:
    """Rebuild a revenue entry from a ``revenue_entry`` row (a NULL note reads as ``""``).

    Raises:
        PersistenceError: the row has no ``received_on`` date or an unknown kind.
    """
    if row["received_on"] is None:
        raise PersistenceError(
            f"revenue entry {row['entry_id']} has no received date",
            f"收益记录 {row['entry_id']} 缺少到账日期",
            record=row["entry_id"],
            field="received_on",
        )
    try:
        kind = RevenueKind(row["kind"])
    except ValueError:
        raise PersistenceError(
            f"revenue entry {row['entry_id']} has an unknown kind {row['kind']!r}",
            f"收益记录 {row['entry_id']} 的收益类型 {row['kind']!r} 无法识别",
            record=row["entry_id"],
            field="kind",
            actual=row["kind"],
        ) from None
    return RevenueEntry(
        id=row["entry_id"],
        asset_id=row["asset_id"],
        kind=kind,
        amount=Money(int(row["amount_fen"])),
        period=Period(_date(row["period_start"]), _date(row["period_end"])),
        received=_date(row["received_on"]),
        contract_id=row["contract_id"],
        note=row.get("note") or "",
        kwh=row.get("kwh"),
    )
