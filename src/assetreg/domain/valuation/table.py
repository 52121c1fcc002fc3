"""The register's values on a date (资产价值表): one row per asset, 原值 / 累计折旧 / 净值.

What ``assetreg values``, the register DataFrame and the statistics show. An asset that
cannot be valued (no entry date, no useful life for its kind and no plan given) gets a row
with ``values=None`` and the reason, never a guessed figure and never a crash of the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation.book import BookValues, asset_schedule, book_values, months_depreciated, valuation_facts
from assetreg.domain.valuation.plans import DepreciationPlan
from assetreg.domain.valuation.regimes import RegimeRules, depreciates, rules_for
from assetreg.domain.vocab import AssetClass, AssetStatus
from assetreg.errors import AssetRegError

__all__ = ["AssetValues", "ValueTotals", "register_values", "value_totals"]


@attrs.frozen(kw_only=True)
class AssetValues:
    """One asset's values on a date (资产价值表的一行).

    Attributes:
        asset_id: the asset.
        name: its name.
        asset_class: its class.
        original_value: 原值, fen (shown even when the asset could not be valued).
        status: its status on the date.
        depreciated: whether the regime depreciates it.
        values: 原值, 累计折旧, 净值…; ``None`` when it could not be valued.
        months_depreciated: 已提折旧月数 (opening months included when known), or ``None``.
        problem: why it could not be valued (``None`` when valued).
    """

    asset_id: AssetId
    name: str
    asset_class: AssetClass
    original_value: Money
    status: AssetStatus
    depreciated: bool
    values: BookValues | None
    months_depreciated: int | None
    problem: AssetRegError | None = None


def _months(
    history: AssetHistory, policy: Policy, *, as_of: date, known_at: datetime | None, plan: DepreciationPlan | None
) -> int | None:
    """已提折旧月数 at ``as_of``: the opening's months (if known) plus the months charged since."""
    rows = asset_schedule(history, policy, until=as_of + timedelta(days=1), known_at=known_at, plan=plan)
    facts = valuation_facts(history, known_at=known_at)
    charged = months_depreciated(rows)
    if facts.opening is None:
        return charged
    before = facts.opening.months_depreciated
    return None if before is None else before + charged


def register_values(
    register: AssetRegister,
    policy: Policy,
    *,
    as_of: date,
    known_at: datetime | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
    rules: RegimeRules | None = None,
) -> tuple[AssetValues, ...]:
    """The values of every asset registered by ``as_of``, as known at ``known_at``, in id order.

    Args:
        register: the register.
        policy: supplies rounding, lives, the regime and residual rates.
        as_of: the date; values at its close.
        known_at: the recorded instant; ``None`` = everything recorded.
        plans: depreciation terms by asset id; ``plan_for`` the asset otherwise.
        rules: the regime's rules; the policy's preset by default.

    Raises:
        InvalidPeriod: ``known_at`` is naive.
    """
    return tuple(_rows(register, policy, as_of=as_of, known_at=known_at, plans=plans or {}, rules=rules))


def _rows(
    register: AssetRegister,
    policy: Policy,
    *,
    as_of: date,
    known_at: datetime | None,
    plans: Mapping[AssetId, DepreciationPlan],
    rules: RegimeRules | None,
) -> Iterator[AssetValues]:
    regime = rules or rules_for(policy)
    for state in register.states(as_of=as_of, known_at=known_at):
        asset = state.asset
        history = register.history(asset.id)
        plan = plans.get(asset.id)
        values: BookValues | None = None
        months: int | None = None
        problem: AssetRegError | None = None
        try:
            values = book_values(history, policy, as_of=as_of, known_at=known_at, plan=plan, rules=regime)
            if depreciates(asset, policy, regime):
                months = _months(history, policy, as_of=as_of, known_at=known_at, plan=plan)
        except AssetRegError as exc:
            values, months, problem = None, None, exc
        yield AssetValues(
            asset_id=asset.id,
            name=asset.name,
            asset_class=asset.asset_class,
            original_value=asset.original_value,
            status=state.status,
            depreciated=depreciates(asset, policy, regime),
            values=values,
            months_depreciated=months,
            problem=problem,
        )


@attrs.frozen(kw_only=True)
class ValueTotals:
    """Totals of a values table (合计), fen; assets that could not be valued are counted apart.

    Attributes:
        assets: rows valued.
        not_valued: rows that could not be valued.
        original_value: Σ 原值 of the valued rows.
        accumulated_depreciation: Σ 累计折旧.
        net_book_value: Σ 净值.
    """

    assets: int
    not_valued: int
    original_value: Money
    accumulated_depreciation: Money
    net_book_value: Money


def value_totals(rows: tuple[AssetValues, ...], *, by_class: bool = False) -> dict[str, ValueTotals]:
    """The totals of ``rows``: ``{"all": …}``, or one entry per asset class value with ``by_class``."""
    groups: dict[str, list[AssetValues]] = {}
    for row in rows:
        groups.setdefault(row.asset_class.value if by_class else "all", []).append(row)
    out: dict[str, ValueTotals] = {}
    for key, items in sorted(groups.items()):
        valued = [r.values for r in items if r.values is not None]
        out[key] = ValueTotals(
            assets=len(valued),
            not_valued=len(items) - len(valued),
            original_value=sum((v.original_value for v in valued), Money(0)),
            accumulated_depreciation=sum((v.accumulated_depreciation for v in valued), Money(0)),
            net_book_value=sum((v.net_book_value for v in valued), Money(0)),
        )
    return out
