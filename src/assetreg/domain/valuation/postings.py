"""The postings of a period (记账凭证分录): what a village accountant enters for the assets.

For each asset and a half-open period ``[start, end)``, the lines for:

* each depreciation charge of a schedule period ending in it (计提折旧): Dr the regime's
  charge account for the asset (生产(劳务)成本 / 管理费用 / 其他支出 or 公益支出), Cr 累计折旧;
* each revaluation taking effect in it (资产重估): Dr 固定资产, Cr 公积公益金 for an increase,
  the reverse for a decrease (财会〔2004〕12号 §二十四: the difference goes to 公积公益金);
* a disposal effective in it (资产处置): the net value, accumulated depreciation (and any
  impairment) transferred to 固定资产清理 against 固定资产; clearing costs Dr 清理, Cr 银行存款;
  proceeds Dr 银行存款 (or the account the policy routes them to), Cr 清理; the balance to
  其他收入 (gain) or 其他支出 (loss);
* a split or merge effective in it (分割/合并): the parent's 原值 and 累计折旧 transferred out,
  each successor's transferred in (a legacy opening balance is not a period entry).

Every asset's lines balance (debits = credits), except those of a split or merge, which
balance across the parent and its successors (the carry-over is exact); so does the whole
table when it holds all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Final

from assetreg.domain.assets import AssetId
from assetreg.domain.events import OpeningBalanceRecorded
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.valuation.book import asset_schedule, book_values, valuation_facts
from assetreg.domain.valuation.disposal import disposal_account
from assetreg.domain.valuation.plans import DepreciationPlan
from assetreg.domain.valuation.regimes import Account, AccountRole, Posting, RegimeRules, depreciates, rules_for

__all__ = ["asset_postings", "period_postings"]

_NO_FEN: Final = Money(0)


def _pair(
    period: Period, asset_id: str, *, debit: Account, credit: Account, amount: Money, memo: str
) -> Iterator[Posting]:
    """A debit line and its credit line; nothing for a zero amount, reversed for a negative one."""
    if not amount:
        return
    if amount.is_negative():
        debit, credit, amount = credit, debit, -amount
    yield Posting(period=period, asset_id=asset_id, account=debit, debit=amount, credit=_NO_FEN, memo=memo)
    yield Posting(period=period, asset_id=asset_id, account=credit, debit=_NO_FEN, credit=amount, memo=memo)


def _line(period: Period, asset_id: str, account: Account, amount: Money, memo: str, *, debit: bool) -> Posting:
    return Posting(
        period=period,
        asset_id=asset_id,
        account=account,
        debit=amount if debit else _NO_FEN,
        credit=_NO_FEN if debit else amount,
        memo=memo,
    )


def asset_postings(
    history: AssetHistory,
    policy: Policy,
    *,
    period: Period,
    known_at: datetime | None = None,
    in_service: date | None = None,
    plan: DepreciationPlan | None = None,
    rules: RegimeRules | None = None,
    proceeds_role: AccountRole = AccountRole.BANK,
) -> tuple[Posting, ...]:
    """The lines of one asset for ``period`` (half-open), as known at ``known_at``.

    Args:
        history: the asset's history.
        policy: supplies the regime (its preset rules unless ``rules`` is given) and rounding.
        period: the accounting period, e.g. ``Period.month(2024, 3)`` or ``Period.year(2024)``.
        known_at: the recorded instant; ``None`` = everything recorded.
        in_service: entry into service, when the asset's dates do not say.
        plan: the depreciation terms; by default ``plan_for`` the asset.
        rules: the regime's rules.
        proceeds_role: where disposal proceeds are debited (P12 routing: 银行存款 when the
            collective keeps them, 应付款 when they are owed to the county).

    Raises:
        InvalidValue, InvalidAmount, InvalidPeriod: as :func:`~assetreg.domain.valuation.book.book_values`.
    """
    regime = rules or rules_for(policy)
    facts = valuation_facts(history, known_at=known_at)
    asset = facts.asset
    aid = asset.id
    out: list[Posting] = []
    if not depreciates(asset, policy, regime):
        return ()
    accounts = regime.account
    rows = asset_schedule(
        history, policy, until=period.end, known_at=known_at, in_service=in_service, plan=plan, rules=regime
    )
    for row in rows:
        if not period.start < row.period.end <= period.end:
            continue
        charged = regime.charge_account(asset)
        out.extend(
            _pair(
                period,
                aid,
                debit=charged,
                credit=accounts(AccountRole.ACCUMULATED_DEPRECIATION),
                amount=row.charge,
                memo="计提折旧",
            )
        )
        out.extend(
            _pair(
                period,
                aid,
                debit=accounts(AccountRole.FIXED_ASSETS),
                credit=accounts(AccountRole.RESERVE),
                amount=row.revaluation,
                memo="资产重估",
            )
        )
    opening = next((e for e in history.known(known_at) if isinstance(e, OpeningBalanceRecorded)), None)
    if opening is not None and opening.parents and period.start <= opening.balance_date < period.end:
        out.extend(
            _transfer(
                period,
                aid,
                regime,
                gross=asset.original_value + opening.revaluation,
                accumulated=opening.accumulated_depreciation,
                impairment=opening.impairment,
                into=True,
            )
        )
    if facts.disposal is not None and period.start <= facts.disposal.effective < period.end:
        out.extend(
            _disposal(
                history,
                policy,
                period=period,
                regime=regime,
                known_at=known_at,
                in_service=in_service,
                plan=plan,
                proceeds_role=proceeds_role,
            )
        )
    if facts.restructured is not None and period.start <= facts.restructured.effective < period.end:
        values = book_values(
            history,
            policy,
            as_of=facts.restructured.effective + timedelta(days=62),
            known_at=known_at,
            in_service=in_service,
            plan=plan,
            rules=regime,
        )
        out.extend(
            _transfer(
                period,
                aid,
                regime,
                gross=values.original_value + values.revaluation,
                accumulated=values.accumulated_depreciation,
                impairment=values.impairment,
                into=False,
            )
        )
    return tuple(p for p in out if p.debit or p.credit)


def _transfer(
    period: Period,
    aid: str,
    regime: RegimeRules,
    *,
    gross: Money,
    accumulated: Money,
    impairment: Money,
    into: bool,
) -> Iterator[Posting]:
    """A split or merge moves 原值 and 累计折旧 between the parent and its successors' sub-ledgers."""
    memo = "分割合并转入" if into else "分割合并转出"
    accounts = regime.account
    yield _line(period, aid, accounts(AccountRole.FIXED_ASSETS), gross, memo, debit=into)
    yield _line(period, aid, accounts(AccountRole.ACCUMULATED_DEPRECIATION), accumulated, memo, debit=not into)
    if impairment:
        yield _line(period, aid, accounts(AccountRole.IMPAIRMENT), impairment, memo, debit=not into)


def _disposal(
    history: AssetHistory,
    policy: Policy,
    *,
    period: Period,
    regime: RegimeRules,
    known_at: datetime | None,
    in_service: date | None,
    plan: DepreciationPlan | None,
    proceeds_role: AccountRole,
) -> Iterator[Posting]:
    account = disposal_account(history, policy, known_at=known_at, in_service=in_service, plan=plan, rules=regime)
    aid = account.asset_id
    accounts = regime.account
    clearing = accounts(AccountRole.CLEARING)
    yield _line(period, aid, clearing, account.book_value, "转入清理", debit=True)
    yield _line(
        period,
        aid,
        accounts(AccountRole.ACCUMULATED_DEPRECIATION),
        account.accumulated_depreciation,
        "转入清理",
        debit=True,
    )
    if account.impairment:
        yield _line(period, aid, accounts(AccountRole.IMPAIRMENT), account.impairment, "转入清理", debit=True)
    gross = account.original_value + account.revaluation
    yield _line(period, aid, accounts(AccountRole.FIXED_ASSETS), gross, "转入清理", debit=False)
    yield from _pair(
        period, aid, debit=clearing, credit=accounts(AccountRole.BANK), amount=account.clearing_costs, memo="清理费用"
    )
    yield from _pair(
        period, aid, debit=accounts(proceeds_role), credit=clearing, amount=account.proceeds, memo="处置收入"
    )
    result = account.gain_or_loss
    if result.is_negative():
        yield from _pair(
            period, aid, debit=accounts(AccountRole.OTHER_EXPENSE), credit=clearing, amount=-result, memo="处置净损失"
        )
    else:
        yield from _pair(
            period, aid, debit=clearing, credit=accounts(AccountRole.OTHER_INCOME), amount=result, memo="处置净收益"
        )


def period_postings(
    histories: Iterable[AssetHistory],
    policy: Policy,
    *,
    period: Period,
    known_at: datetime | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
    rules: RegimeRules | None = None,
    proceeds_role: AccountRole = AccountRole.BANK,
) -> tuple[Posting, ...]:
    """The postings table of ``period`` for every asset (按期分录表), in asset-id order.

    Raises:
        InvalidValue, InvalidAmount, InvalidPeriod: as :func:`asset_postings`.
    """
    plans = plans or {}
    out: list[Posting] = []
    for history in sorted(histories, key=lambda h: h.asset_id):
        out.extend(
            asset_postings(
                history,
                policy,
                period=period,
                known_at=known_at,
                plan=plans.get(history.asset_id),
                rules=rules,
                proceeds_role=proceeds_role,
            )
        )
    return tuple(out)
