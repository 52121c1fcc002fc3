"""Opening balances from a county ledger's columns (期初余额: 累计折旧, 净值, 已提折旧月数).

County ledgers carry 累计折旧 (accumulated depreciation), 净值 or 账面价值 (net book value)
and sometimes 已提折旧月数 (months depreciated) as of the ledger's date. A ledger importer
turns them into an :class:`~assetreg.domain.events.OpeningBalanceRecorded` with
:func:`ledger_opening`, which checks them against the original value and derives only what
follows exactly (累计折旧 = 原值 − 减值准备 − 净值 when only 净值 is given). Nothing is guessed:
columns that disagree are refused naming the asset and the field.
"""

from __future__ import annotations

from datetime import date, datetime

from assetreg.domain.assets import Asset
from assetreg.domain.events import OpeningBalanceRecorded
from assetreg.domain.money import Money
from assetreg.errors import InvalidAmount, InvalidValue

__all__ = ["ledger_opening"]


def ledger_opening(
    asset: Asset,
    *,
    as_of: date,
    effective: date,
    recorded_at: datetime,
    accumulated_depreciation: Money | None = None,
    net_book_value: Money | None = None,
    months_depreciated: int | None = None,
    impairment: Money | None = None,
) -> OpeningBalanceRecorded | None:
    """The opening balance a ledger row states for ``asset``, or ``None`` when it states none.

    Args:
        asset: the asset as registered (its 原值).
        as_of: the ledger's date (截止日期); the amounts hold at its close.
        effective: the day the register takes the balance in (the registration's date).
        recorded_at: when the register learns it (timezone-aware).
        accumulated_depreciation: the 累计折旧 cell, fen.
        net_book_value: the 净值 / 账面价值 cell, fen.
        months_depreciated: the 已提折旧月数 cell.
        impairment: the 减值准备 cell, fen.

    Raises:
        InvalidAmount: 累计折旧 (with 减值准备) above the original value, a negative amount,
            or 净值 ≠ 原值 − 累计折旧 − 减值准备.
        InvalidValue: months without any amount.
    """
    original = asset.original_value
    provision = impairment or Money(0)
    if accumulated_depreciation is None and net_book_value is None:
        if months_depreciated is not None or impairment is not None:
            raise InvalidValue(
                "已提折旧月数 or 减值准备 without 累计折旧 or 净值",
                "有已提折旧月数或减值准备，却没有累计折旧或净值",
                record=asset.id,
                field="accumulated_depreciation",
            )
        return None
    accumulated = accumulated_depreciation
    if accumulated is None:
        assert net_book_value is not None  # noqa: S101 - one of the two is given
        accumulated = original - provision - net_book_value
    for field, amount in (("accumulated_depreciation", accumulated), ("impairment", provision)):
        if amount.is_negative():
            raise InvalidAmount(
                f"{field} is negative ({amount})",
                f"{'累计折旧' if field == 'accumulated_depreciation' else '减值准备'}为负数（{amount}）",
                record=asset.id,
                field=field,
                actual=str(amount),
            )
    if accumulated + provision > original:
        raise InvalidAmount(
            f"累计折旧 {accumulated} exceeds the original value {original}",
            f"累计折旧 {accumulated} 超过原值 {original}",
            record=asset.id,
            field="accumulated_depreciation",
            expected=f"<= {original - provision}",
            actual=str(accumulated),
        )
    if net_book_value is not None and original - accumulated - provision != net_book_value:
        raise InvalidAmount(
            f"净值 {net_book_value} is not 原值 {original} − 累计折旧 {accumulated} − 减值准备 {provision}",
            f"净值 {net_book_value} 不等于 原值 {original} − 累计折旧 {accumulated} − 减值准备 {provision}",
            record=asset.id,
            field="net_book_value",
            expected=str(original - accumulated - provision),
            actual=str(net_book_value),
        )
    return OpeningBalanceRecorded(
        asset_id=asset.id,
        effective=effective,
        as_of=as_of,
        recorded_at=recorded_at,
        accumulated_depreciation=accumulated,
        months_depreciated=months_depreciated,
        impairment=provision,
    )
