"""Book values (账面价值): 原值, 累计折旧, 净值 of an asset on a date, as known at an instant.

:func:`book_values` and :func:`asset_schedule` take either an :class:`Asset` with the
facts given as arguments, or an :class:`~assetreg.domain.history.AssetHistory`, whose
events supply them as the register knew them at ``known_at`` (bitemporal, DESIGN §4): the
opening balance (:class:`~assetreg.domain.events.OpeningBalanceRecorded`), revaluations
(:class:`~assetreg.domain.events.Revalued`), usage
(:class:`~assetreg.domain.events.UsageRecorded`) and the removal (``Disposed`` or
``Restructured``). A revaluation recorded later supersedes the schedule prospectively;
asking with an earlier ``known_at`` gives the schedule as it stood before.

P13 rules read here: fully depreciated assets are not depreciated further; draught animals
and productive trees are straight-line with the policy's residual rate (5 %); a donated
asset without any value evidence is booked at a nominal amount, which is not depreciated;
items under the fixed-asset threshold (500 元) are not fixed assets. What is depreciated,
and where, follows the regime (:mod:`~assetreg.domain.valuation.regimes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Final

import attrs

from assetreg.domain.assets import Asset
from assetreg.domain.events import (
    Disposed,
    OpeningBalanceRecorded,
    Restructured,
    Revalued,
    UsageRecorded,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.valuation.plans import MONTHS_IN_YEAR, DepreciationMethod, DepreciationPlan, Units
from assetreg.domain.valuation.regimes import RegimeRules, depreciates, rules_for
from assetreg.domain.valuation.schedule import (
    DepreciationRow,
    OpeningBalance,
    Revaluation,
    depreciation_schedule,
    month_index,
    straight_line_accumulated,
)
from assetreg.domain.vocab import AssetForm, AssetKind
from assetreg.errors import InvalidValue

__all__ = [
    "BIOLOGICAL_KINDS",
    "BookValues",
    "ValuationFacts",
    "asset_schedule",
    "book_values",
    "donated_book_value",
    "is_biological",
    "is_depreciable",
    "is_fixed_asset",
    "months_depreciated",
    "plan_for",
    "valuation_facts",
    "yearly",
]

_NO_FEN: Final = Money(0)
"""Zero fen, the default of optional amounts (Money is immutable, so one value is shared)."""

BIOLOGICAL_KINDS = frozenset({AssetKind.LIVESTOCK, AssetKind.TREES})
"""Kinds treated as productive biological assets (产役畜、经济林木) under P13."""


@attrs.frozen(kw_only=True)
class BookValues:
    """The accounting values of an asset on a date (原值、累计折旧、净值).

    Attributes:
        original_value: original value (原值), fen.
        residual_value: residual value under the plan (预计净残值), fen; for assets that
            are not depreciated (equity, claims, nominal amounts) the net value itself.
        accumulated_depreciation: accumulated depreciation (累计折旧), fen.
        net_book_value: 原值 − 累计折旧 − 减值准备 + 重估增减值 (净值/账面价值), fen.
        impairment: impairment provision brought in (减值准备), fen.
        revaluation: accumulated revaluation adjustments (重估增减值, signed), fen.
    """

    original_value: Money
    residual_value: Money
    accumulated_depreciation: Money
    net_book_value: Money
    impairment: Money = _NO_FEN
    revaluation: Money = _NO_FEN

    @property
    def fully_depreciated(self) -> bool:
        """Whether nothing is left to depreciate (已提足折旧)."""
        return self.net_book_value <= self.residual_value


@attrs.frozen(kw_only=True)
class ValuationFacts:
    """What the register knows about an asset's value (read from its history).

    Attributes:
        asset: the description as known.
        opening: the opening balance, if one was recorded.
        revaluations: the revaluations, in effective order.
        usage: recorded units per calendar month.
        removed: the day the asset left the books (disposal, split or merge), if it did.
        disposal: the disposal event, if disposed of.
        restructured: the split or merge event, if any.
    """

    asset: Asset
    opening: OpeningBalance | None
    revaluations: tuple[Revaluation, ...]
    usage: Mapping[Period, Fraction]
    removed: date | None
    disposal: Disposed | None
    restructured: Restructured | None


def valuation_facts(history: AssetHistory, *, known_at: datetime | None = None) -> ValuationFacts:
    """The facts :func:`book_values` needs, from ``history`` as known at ``known_at``.

    Raises:
        UnknownAsset: nothing registered at ``known_at``.
        InvalidPeriod: ``known_at`` is naive.
    """
    events = history.known(known_at)
    asset = history.asset(known_at)
    opening: OpeningBalance | None = None
    revaluations: list[Revaluation] = []
    usage: dict[Period, Fraction] = {}
    disposal: Disposed | None = None
    restructured: Restructured | None = None
    for event in events:
        if isinstance(event, OpeningBalanceRecorded):
            opening = OpeningBalance(
                as_of=event.balance_date,
                accumulated_depreciation=event.accumulated_depreciation,
                months_depreciated=event.months_depreciated,
                impairment=event.impairment,
                revaluation=event.revaluation,
                units_used=event.units_used,
            )
        elif isinstance(event, Revalued):
            revaluations.append(
                Revaluation(
                    effective=event.effective,
                    net_book_value=event.book_value,
                    remaining_life_months=event.remaining_life_months,
                )
            )
        elif isinstance(event, UsageRecorded):
            month = Period.month(event.effective.year, event.effective.month)
            usage[month] = usage.get(month, Fraction(0)) + Fraction(event.units)
        elif isinstance(event, Disposed):
            disposal = event
        elif isinstance(event, Restructured):
            restructured = event
    removal = disposal or restructured
    return ValuationFacts(
        asset=asset,
        opening=opening,
        revaluations=tuple(revaluations),
        usage=usage,
        removed=removal.effective if removal is not None else None,
        disposal=disposal,
        restructured=restructured,
    )


@attrs.frozen
class _Inputs:
    asset: Asset
    in_service: date | None
    removed: date | None
    opening: OpeningBalance | None
    revaluations: tuple[Revaluation, ...]
    usage: Mapping[Period, Units] | None


def _inputs(
    subject: Asset | AssetHistory,
    *,
    known_at: datetime | None,
    in_service: date | None,
    removed: date | None,
    usage: Mapping[Period, Units] | None,
    opening: OpeningBalance | None,
    revaluations: Sequence[Revaluation],
) -> _Inputs:
    if isinstance(subject, Asset):
        return _Inputs(subject, in_service, removed, opening, tuple(revaluations), usage)
    facts = valuation_facts(subject, known_at=known_at)
    return _Inputs(
        facts.asset,
        in_service,
        removed or facts.removed,
        opening or facts.opening,
        tuple(revaluations) or facts.revaluations,
        usage if usage is not None else (facts.usage or None),
    )


def _start(asset: Asset, in_service: date | None, opening: OpeningBalance | None) -> date:
    start = in_service or asset.handed_over_on or asset.completed_on
    if start is None and opening is not None:
        start = opening.as_of  # a legacy asset without dates: its schedule starts from the opening
    if start is None:
        raise InvalidValue(
            "no date of entry into service: give in_service or a hand-over or completion date",
            "缺少增加日期：请给出交付使用、移交或竣工日期",
            record=asset.id,
            field="in_service",
        )
    return start


def asset_schedule(
    subject: Asset | AssetHistory,
    policy: Policy,
    *,
    until: date,
    known_at: datetime | None = None,
    in_service: date | None = None,
    removed: date | None = None,
    plan: DepreciationPlan | None = None,
    usage: Mapping[Period, Units] | None = None,
    opening: OpeningBalance | None = None,
    revaluations: Sequence[Revaluation] = (),
    rules: RegimeRules | None = None,
) -> tuple[DepreciationRow, ...]:
    """The schedule of an asset or of a history as known at ``known_at`` (折旧计提表).

    Arguments given explicitly win over what the history says. An asset that the regime
    does not depreciate (:func:`~assetreg.domain.valuation.regimes.depreciates`) has no rows.

    Raises:
        InvalidValue: no entry date, or no plan can be made (see :func:`plan_for`).
        InvalidAmount, InvalidPeriod: as :func:`~assetreg.domain.valuation.schedule.depreciation_schedule`.
    """
    facts = _inputs(
        subject,
        known_at=known_at,
        in_service=in_service,
        removed=removed,
        usage=usage,
        opening=opening,
        revaluations=revaluations,
    )
    asset = facts.asset
    if not depreciates(asset, policy, rules or rules_for(policy)):
        return ()
    return depreciation_schedule(
        asset.original_value,
        plan or plan_for(asset, policy),
        in_service=_start(asset, facts.in_service, facts.opening),
        removed=facts.removed,
        until=until,
        mode=policy.rounding,
        usage=facts.usage,
        opening=facts.opening,
        revaluations=facts.revaluations,
    )


def book_values(
    subject: Asset | AssetHistory,
    policy: Policy,
    *,
    as_of: date,
    known_at: datetime | None = None,
    in_service: date | None = None,
    removed: date | None = None,
    plan: DepreciationPlan | None = None,
    usage: Mapping[Period, Units] | None = None,
    opening: OpeningBalance | None = None,
    revaluations: Sequence[Revaluation] = (),
    rules: RegimeRules | None = None,
) -> BookValues:
    """原值, 累计折旧 and 净值 at the close of day ``as_of`` (P13), as known at ``known_at``.

    Periods ending on or before ``as_of`` are charged; after removal the values are those
    at removal (the removal month charged). Assets the regime does not depreciate (equity,
    claims, nominal amounts, items under the threshold) keep their original value, or the
    last revalued value effective by ``as_of``.

    Args:
        subject: an asset (facts from the arguments) or its history (facts from its events
            as known at ``known_at``; explicit arguments win).
        policy: supplies rounding, lives, the regime and the biological residual rate.
        as_of: the day; values at its close.
        known_at: the recorded instant (histories only); ``None`` = everything recorded.
        in_service: entry into service; by default the hand-over date, else completion,
            else (for a legacy asset) the opening date.
        removed: the day it left the books, if it did (from the history by default).
        plan: the terms; by default :func:`plan_for` the asset.
        usage: recorded units per calendar month, for units-of-production.
        opening: the opening balance (期初余额).
        revaluations: reassessed values.
        rules: the regime's rules; by default the policy's preset.

    Raises:
        InvalidValue: no entry date known, or no plan can be made (see :func:`plan_for`).
        InvalidAmount, InvalidPeriod: as :func:`~assetreg.domain.valuation.schedule.depreciation_schedule`.
    """
    facts = _inputs(
        subject,
        known_at=known_at,
        in_service=in_service,
        removed=removed,
        usage=usage,
        opening=opening,
        revaluations=revaluations,
    )
    asset = facts.asset
    original = asset.original_value
    if not depreciates(asset, policy, rules or rules_for(policy)):
        value = original
        for revaluation in facts.revaluations:
            if revaluation.effective <= as_of:
                value = revaluation.net_book_value
        return BookValues(
            original_value=original,
            residual_value=value,
            accumulated_depreciation=Money(0),
            net_book_value=value,
            revaluation=value - original,
        )
    terms = plan or plan_for(asset, policy)
    start = _start(asset, facts.in_service, facts.opening)
    if facts.opening is None and not facts.revaluations and facts.removed is None and facts.usage is None:
        fast = straight_line_accumulated(
            original, terms, in_service=start, until=as_of + timedelta(days=1), mode=policy.rounding
        )
        if fast is not None:
            return BookValues(
                original_value=original,
                residual_value=terms.residual_value(original, policy.rounding),
                accumulated_depreciation=Money(fast),
                net_book_value=original - Money(fast),
            )
    rows = depreciation_schedule(
        original,
        terms,
        in_service=_start(asset, facts.in_service, facts.opening),
        removed=facts.removed,
        until=as_of + timedelta(days=1),
        mode=policy.rounding,
        usage=facts.usage,
        opening=facts.opening,
        revaluations=facts.revaluations,
    )
    impairment = facts.opening.impairment if facts.opening else Money(0)
    if rows:
        accumulated, net = rows[-1].accumulated, rows[-1].net_book_value
    elif facts.opening is not None:
        accumulated, net = facts.opening.accumulated_depreciation, facts.opening.net_book_value(original)
    else:
        accumulated, net = Money(0), original
    return BookValues(
        original_value=original,
        residual_value=terms.residual_value(original, policy.rounding),
        accumulated_depreciation=accumulated,
        net_book_value=net,
        impairment=impairment,
        revaluation=net - original + accumulated + impairment,
    )


def months_depreciated(rows: Iterable[DepreciationRow]) -> int:
    """Calendar months charged in ``rows`` (已提折旧月数), for ledgers and exports."""
    months: set[int] = set()
    for row in rows:
        if row.charge:
            last = row.period.end - timedelta(days=1)
            months.update(range(month_index(row.period.start), month_index(last) + 1))
    return len(months)


def yearly(rows: Iterable[DepreciationRow]) -> tuple[DepreciationRow, ...]:
    """Sum a schedule by calendar year (年度折旧), for annual reports.

    Each row of the result spans from the first to the last period of one year (the year
    of each period's last day), with the year's total charge and the accumulated
    depreciation and net value at the end of its last period.
    """
    out: list[DepreciationRow] = []
    for row in rows:
        if out and out[-1].period.last.year == row.period.last.year:
            last = out[-1]
            out[-1] = DepreciationRow(
                period=Period(last.period.start, row.period.end),
                charge=last.charge + row.charge,
                accumulated=row.accumulated,
                net_book_value=row.net_book_value,
                revaluation=last.revaluation + row.revaluation,
            )
        else:
            out.append(row)
    return tuple(out)


def is_biological(asset: Asset) -> bool:
    """Whether ``asset`` is a productive biological asset (生产性生物资产: 产役畜、经济林木), P13.

    True for the biological form and for the livestock and tree kinds. Feeder animals and
    non-economic trees (幼畜及育肥畜、非经济林木) are not depreciated under the accounting
    rules; do not register them with a depreciation plan.
    """
    return asset.form is AssetForm.BIOLOGICAL or asset.kind in BIOLOGICAL_KINDS


def is_depreciable(asset: Asset) -> bool:
    """Whether ``asset`` is depreciated at all: fixed and biological forms are; equity and claims are not."""
    return asset.form in {AssetForm.FIXED, AssetForm.BIOLOGICAL}


def is_fixed_asset(unit_value: Money, life_months: int, policy: Policy) -> bool:
    """Whether an item is a fixed asset (固定资产): life over one year, unit value ≥ the threshold (P13).

    Args:
        unit_value: value of one unit (单位价值), fen.
        life_months: expected life in months.
        policy: supplies ``fixed_asset_threshold`` (500 元 in the village collective
            accounting rules, 2004 and 2023).
    """
    return life_months > MONTHS_IN_YEAR and unit_value >= policy.fixed_asset_threshold


def donated_book_value(evidence: Money | None, policy: Policy) -> Money:
    """The value at which a donated asset is booked (捐赠资产入账价值), P13.

    Args:
        evidence: the value the evidence supports (invoice, agreement, appraisal or market
            price of like assets), or ``None`` when there is none.
        policy: supplies ``donated_nominal_value`` (名义金额, 1 元 by default).

    Returns:
        ``evidence`` when given, else the policy's nominal amount.
    """
    return policy.donated_nominal_value if evidence is None else evidence


def plan_for(
    asset: Asset,
    policy: Policy,
    *,
    method: DepreciationMethod = DepreciationMethod.STRAIGHT_LINE,
    life_months: int | None = None,
    total_units: Units | None = None,
    residual_rate: Fraction | None = None,
    residual_amount: Money | None = None,
) -> DepreciationPlan:
    """The P13 depreciation plan for ``asset`` (monthly, next-month start, removal month charged).

    Biological assets (:func:`is_biological`) are straight-line with the policy's
    ``biological_residual_rate`` (5 %). The life is ``life_months`` or the policy's default
    for the asset's kind (``useful_life_months``).

    Raises:
        InvalidValue: a biological asset with units-of-production or its own residual;
            no life for a straight-line plan and no default for the kind; an asset that
            is not depreciated (equity, claims).
    """
    if not is_depreciable(asset):
        raise InvalidValue(
            f"{asset.form.value} assets are not depreciated",
            f"{asset.form.label_zh}资产不计提折旧",
            record=asset.id,
            field="form",
            actual=asset.form.value,
            expected="fixed or biological",
        )
    if is_biological(asset):
        if method is not DepreciationMethod.STRAIGHT_LINE or residual_rate is not None or residual_amount is not None:
            raise InvalidValue(
                "draught animals and productive trees are straight-line with the policy's residual rate (P13)",
                "产役畜、经济林木按平均年限法并按政策残值率计提折旧（P13）",
                record=asset.id,
                field="method",
                actual=method.value,
                expected=f"straight_line, residual {policy.biological_residual_rate}",
            )
        residual_rate = policy.biological_residual_rate
    if life_months is None and method is not DepreciationMethod.UNITS_OF_PRODUCTION:
        life_months = policy.useful_life_months.get(asset.kind)
        if life_months is None:
            raise InvalidValue(
                f"no useful life for kind {asset.kind.value}; give life_months",
                f"资产种类{asset.kind.label_zh}无默认使用年限，请给出使用年限",
                record=asset.id,
                field="life_months",
                actual=asset.kind.value,
            )
    return DepreciationPlan(
        method=method,
        life_months=life_months,
        total_units=total_units,
        residual_rate=residual_rate if residual_rate is not None else Fraction(0),
        residual_amount=residual_amount,
    )
