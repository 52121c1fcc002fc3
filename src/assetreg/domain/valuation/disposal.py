"""Disposal accounting (处置核算): book value at removal, clearing costs, proceeds, gain or loss.

P12/P13: an asset removed in a month is still depreciated that month (当月减少，当月照提),
so the book value at removal includes the removal month's charge. Under both regimes the
removal goes through the clearing account (固定资产清理): the net book value, the
clearing costs paid (清理费用) and the proceeds received (处置收入) meet there, and what
is left is the net gain (其他收入) or net loss (其他支出) — see
:func:`~assetreg.domain.valuation.postings.asset_postings` for the lines.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.policy import Policy
from assetreg.domain.valuation.book import asset_schedule, book_values, valuation_facts
from assetreg.domain.valuation.plans import DepreciationPlan
from assetreg.domain.valuation.regimes import RegimeRules
from assetreg.domain.vocab import DisposalMethod
from assetreg.errors import HistoryError

__all__ = ["DisposalAccount", "disposal_account"]

_AFTER_REMOVAL: Final = timedelta(days=62)  # past the end of the removal month, whatever the day


@attrs.frozen(kw_only=True)
class DisposalAccount:
    """The accounts of one disposal (资产处置核算), all amounts in fen.

    Attributes:
        asset_id: the asset.
        disposed_on: the disposal's effective date.
        method: how it was disposed of.
        original_value: 原值.
        accumulated_depreciation: 累计折旧 at removal, the removal month's charge included.
        removal_month_charge: the charge of the period holding the removal day (当月照提).
        impairment: 减值准备 at removal.
        revaluation: revaluation adjustments (signed) at removal.
        book_value: 净值 at removal, what is transferred to 固定资产清理.
        clearing_costs: 清理费用 paid.
        proceeds: 处置收入 received.
        proceeds_to: who received the proceeds (P12: the village collective or the county).
    """

    asset_id: AssetId
    disposed_on: date
    method: DisposalMethod
    original_value: Money
    accumulated_depreciation: Money
    removal_month_charge: Money
    impairment: Money
    revaluation: Money
    book_value: Money
    clearing_costs: Money
    proceeds: Money
    proceeds_to: PartyId | None

    @property
    def net_proceeds(self) -> Money:
        """处置净收入 = proceeds − clearing costs (may be negative)."""
        return self.proceeds - self.clearing_costs

    @property
    def gain_or_loss(self) -> Money:
        """Net proceeds − book value: positive a net gain (净收益), negative a net loss (净损失)."""
        return self.net_proceeds - self.book_value


def disposal_account(
    history: AssetHistory,
    policy: Policy,
    *,
    known_at: datetime | None = None,
    in_service: date | None = None,
    plan: DepreciationPlan | None = None,
    rules: RegimeRules | None = None,
) -> DisposalAccount:
    """The disposal accounts of a disposed asset, as known at ``known_at`` (P12, P13).

    Raises:
        HistoryError: the asset is not disposed of (as known at ``known_at``).
        InvalidValue, InvalidAmount, InvalidPeriod: as :func:`~assetreg.domain.valuation.book.book_values`.
    """
    facts = valuation_facts(history, known_at=known_at)
    event = facts.disposal
    if event is None:
        raise HistoryError(
            f"asset {history.asset_id} is not disposed of",
            f"资产 {history.asset_id} 尚未处置",
            record=history.asset_id,
            field="disposed",
        )
    after = event.effective + _AFTER_REMOVAL
    values = book_values(history, policy, as_of=after, known_at=known_at, in_service=in_service, plan=plan, rules=rules)
    rows = asset_schedule(
        history, policy, until=after, known_at=known_at, in_service=in_service, plan=plan, rules=rules
    )
    removal_charge = Money(0)
    if rows:
        period, day = rows[-1].period, event.effective
        # The period holding the removal day; under day pro-rata the one ending on it mid-month.
        if period.start <= day < period.end or (period.end == day and day.day != 1):
            removal_charge = rows[-1].charge
    return DisposalAccount(
        asset_id=history.asset_id,
        disposed_on=event.effective,
        method=event.method,
        original_value=values.original_value,
        accumulated_depreciation=values.accumulated_depreciation,
        removal_month_charge=removal_charge,
        impairment=values.impairment,
        revaluation=values.revaluation,
        book_value=values.net_book_value,
        clearing_costs=event.clearing_costs,
        proceeds=event.proceeds,
        proceeds_to=event.proceeds_to,
    )
