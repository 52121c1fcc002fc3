"""Split and merge of assets (资产分割与合并), with every value carried over exactly.

A greenhouse base split between two cooperatives, or two projects' works merged into one
station, become new assets with new ids; the parent's history is closed by a
:class:`~assetreg.domain.events.Restructured` event and never rewritten. Each successor is
registered with:

* its description (the parent's, with its own id, name, original value, funding and
  quantity) — :class:`~assetreg.domain.events.AssetRegistered`, effective on the day;
* the parent's ownership (the same holders and shares for a split; for a merge each
  parent's holders weighted by its share of the original value, exact fractions) —
  :class:`~assetreg.domain.events.OwnershipConfirmed`;
* what it carries over — :class:`~assetreg.domain.events.OpeningBalanceRecorded` at the
  close of the month (the parent is charged that month, P13 当月减少当月照提), naming its
  parents.

Amounts are divided with the project's largest-remainder
:func:`~assetreg.domain.allocation.allocate`, keyed by the successors' ids, so the parts
add up to the parent's to the fen: original value (by quantity, or as agreed by value),
accumulated depreciation, impairment and revaluation (by the same weights), and each
funding line (filled line by line against each successor's original value, so both each
line and each successor's funding add up). Custody is not carried: assign it anew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import attrs

from assetreg.domain.allocation import allocate
from assetreg.domain.assets import Asset, AssetId, FundingLine
from assetreg.domain.events import (
    AssetEvent,
    AssetRegistered,
    OpeningBalanceRecorded,
    OwnershipConfirmed,
    Restructured,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.policy import Policy
from assetreg.domain.rights import OwnerShare
from assetreg.domain.valuation.book import asset_schedule, book_values, months_depreciated, valuation_facts
from assetreg.domain.valuation.plans import DepreciationPlan
from assetreg.domain.valuation.schedule import month_index, month_start
from assetreg.domain.vocab import AssetStatus, FundingSource, RestructureBasis, RestructureKind
from assetreg.errors import InvalidAmount, InvalidValue

__all__ = ["Restructuring", "SplitPart", "merge_assets", "split_asset"]


@attrs.frozen(kw_only=True)
class SplitPart:
    """One successor of a split (分割后资产).

    Attributes:
        asset_id: its new id.
        name: its name.
        quantity: its quantity, for a split by quantity (in the parent's unit).
        original_value: its original value in fen, for a split by value.
    """

    asset_id: AssetId
    name: str
    quantity: Decimal | None = None
    original_value: Money | None = None


@attrs.frozen(kw_only=True)
class Restructuring:
    """The events of one split or merge, by asset id (parents first, then successors).

    Attributes:
        events: the events to append: one ``Restructured`` per parent; ``AssetRegistered``,
            ``OwnershipConfirmed`` (when the parent had owners) and ``OpeningBalanceRecorded``
            per successor.
    """

    events: Mapping[AssetId, tuple[AssetEvent, ...]]

    def apply(self, histories: Mapping[AssetId, AssetHistory]) -> dict[AssetId, AssetHistory]:
        """The parents' histories with their closing event, and the successors' new histories.

        Raises:
            HistoryError, IllegalTransition, DuplicateRecord, InvalidAmount: as
                :meth:`AssetHistory.append` (e.g. a successor id already in ``histories``).
        """
        out: dict[AssetId, AssetHistory] = {}
        for asset_id, events in self.events.items():
            if asset_id in histories:
                out[asset_id] = histories[asset_id].extend(events)
            else:
                out[asset_id] = AssetHistory.of(events)
        return out


def _month_end(day: date) -> date:
    return month_start(month_index(day) + 1) - timedelta(days=1)


@attrs.frozen
class _Carried:
    original: Money
    accumulated: Money
    impairment: Money
    revaluation: Money
    months: int | None
    status: AssetStatus


def _carried(
    history: AssetHistory, policy: Policy, on: date, plan: DepreciationPlan | None, known_at: datetime | None
) -> _Carried:
    closing = _month_end(on)
    values = book_values(history, policy, as_of=closing, known_at=known_at, removed=on, plan=plan)
    facts = valuation_facts(history, known_at=known_at)
    rows = asset_schedule(history, policy, until=closing + timedelta(days=1), known_at=known_at, removed=on, plan=plan)
    charged = months_depreciated(rows)
    months: int | None = charged
    if facts.opening is not None:
        before = facts.opening.months_depreciated
        months = None if before is None else before + charged
    state = history.state(as_of=on, known_at=known_at)
    return _Carried(
        values.original_value,
        values.accumulated_depreciation,
        values.impairment,
        values.revaluation,
        months,
        state.status,
    )


def _funding(lines: Sequence[FundingLine], caps: list[int], keys: list[str]) -> list[list[FundingLine]]:
    """Divide each funding line among successors so lines and successors both add up exactly."""
    out: list[list[FundingLine]] = [[] for _ in caps]
    remaining = list(caps)
    for line in lines:
        if sum(remaining) == 0:
            break
        weights = remaining if any(remaining) else [1] * len(remaining)
        parts = allocate(line.amount.fen, weights, keys=keys)
        for index, part in enumerate(parts):
            remaining[index] -= part
            if part:
                out[index].append(FundingLine(source=line.source, amount=Money(part), note=line.note))
    return out


def _refuse_basis(parts: Sequence[SplitPart], basis: RestructureBasis, parent: Asset) -> None:
    ids = [p.asset_id for p in parts]
    if len(parts) < 2 or len(set(ids)) != len(ids) or parent.id in ids:  # noqa: PLR2004 - a split has two parts
        raise InvalidValue(
            "a split needs two or more parts with distinct new ids",
            "分割须至少两部分且新编号互不相同",
            record=parent.id,
            field="parts",
            actual=ids,
        )
    if basis is RestructureBasis.QUANTITY:
        if any(p.quantity is None or p.quantity < 0 for p in parts):
            raise InvalidValue(
                "a split by quantity needs each part's quantity",
                "按数量分割须给出各部分数量",
                record=parent.id,
                field="quantity",
            )
        total = sum((p.quantity for p in parts if p.quantity is not None), Decimal(0))
        if total <= 0 or (parent.quantity is not None and total != parent.quantity):
            raise InvalidValue(
                f"the parts' quantities add up to {total}, not the parent's {parent.quantity}",
                f"各部分数量之和 {total} 不等于原资产数量 {parent.quantity}",
                record=parent.id,
                field="quantity",
                expected=str(parent.quantity),
                actual=str(total),
            )
        return
    values = [p.original_value for p in parts]
    if any(v is None or v.is_negative() for v in values):
        raise InvalidValue(
            "a split by value needs each part's original value",
            "按价值分割须给出各部分原值",
            record=parent.id,
            field="original_value",
        )
    total_value = sum((v for v in values if v is not None), Money(0))
    if total_value != parent.original_value:
        raise InvalidAmount(
            f"the parts' values add up to {total_value}, not the parent's {parent.original_value}",
            f"各部分原值之和 {total_value} 不等于原资产原值 {parent.original_value}",
            record=parent.id,
            field="original_value",
            expected=str(parent.original_value),
            actual=str(total_value),
        )


def split_asset(
    history: AssetHistory,
    policy: Policy,
    *,
    on: date,
    parts: Sequence[SplitPart],
    basis: RestructureBasis,
    recorded_at: datetime,
    plan: DepreciationPlan | None = None,
    known_at: datetime | None = None,
    document: str | None = None,
) -> Restructuring:
    """Split one asset into ``parts`` on ``on`` (资产分割), by quantity or by value.

    Args:
        history: the parent's history.
        policy: supplies rounding, lives and the regime for the carried values.
        on: the day of the split (the parent is charged for its month).
        parts: the successors (two or more).
        basis: by quantity (each part's ``quantity``) or by value (each ``original_value``).
        recorded_at: the instant the register records the split (timezone-aware).
        plan: the parent's depreciation terms, when not :func:`plan_for`'s.
        known_at: the parent's history as known then.
        document: the decision or agreement (分割决议).

    Raises:
        InvalidValue: fewer than two parts, ids reused, quantities missing or not adding up.
        InvalidAmount: values not adding up to the parent's original value.
    """
    parent = history.asset(known_at)
    _refuse_basis(parts, basis, parent)
    carried = _carried(history, policy, on, plan, known_at)
    keys = [str(p.asset_id) for p in parts]
    weights: list[Fraction | int]
    if basis is RestructureBasis.QUANTITY:
        weights = [Fraction(p.quantity or 0) for p in parts]
        originals = list(allocate(parent.original_value, weights, keys=keys))
    else:
        originals = [p.original_value or Money(0) for p in parts]
        weights = [v.fen for v in originals]
        if not any(weights):
            weights = [1] * len(parts)
    accumulated = allocate(carried.accumulated, weights, keys=keys)
    impairment = allocate(carried.impairment, weights, keys=keys)
    revaluation = allocate(carried.revaluation, weights, keys=keys)
    funding = _funding(parent.funding, [v.fen for v in originals], keys) if parent.funding else [[] for _ in parts]
    ownership = history.state(as_of=on, known_at=known_at).ownership
    events: dict[AssetId, tuple[AssetEvent, ...]] = {
        parent.id: (
            Restructured(
                asset_id=parent.id,
                effective=on,
                recorded_at=recorded_at,
                operation=RestructureKind.SPLIT,
                basis=basis,
                successors=tuple(p.asset_id for p in parts),
                document=document,
            ),
        )
    }
    for index, part in enumerate(parts):
        child = attrs.evolve(
            parent,
            id=part.asset_id,
            name=part.name,
            original_value=originals[index],
            funding=funding[index],  # type: ignore[arg-type] # attrs converter typing
            quantity=part.quantity,
        )
        events[part.asset_id] = _successor_events(
            child,
            on=on,
            recorded_at=recorded_at,
            status=carried.status,
            holders=ownership.holders if ownership else None,
            opening=OpeningBalanceRecorded(
                asset_id=part.asset_id,
                effective=on,
                as_of=_month_end(on),
                recorded_at=recorded_at,
                accumulated_depreciation=accumulated[index],
                months_depreciated=carried.months,
                impairment=impairment[index],
                revaluation=revaluation[index],
                parents=(parent.id,),
            ),
            document=document,
        )
    return Restructuring(events=events)


def _successor_events(
    child: Asset,
    *,
    on: date,
    recorded_at: datetime,
    status: AssetStatus,
    holders: tuple[OwnerShare, ...] | None,
    opening: OpeningBalanceRecorded,
    document: str | None,
) -> tuple[AssetEvent, ...]:
    out: list[AssetEvent] = [
        AssetRegistered(asset_id=child.id, effective=on, recorded_at=recorded_at, asset=child, status=status)
    ]
    if holders:
        out.append(
            OwnershipConfirmed(
                asset_id=child.id, effective=on, recorded_at=recorded_at, holders=holders, document=document
            )
        )
    out.append(opening)
    return tuple(out)


def _merged_holders(
    parents: Sequence[AssetHistory],
    carried: Sequence[_Carried],
    total: Money,
    *,
    on: date,
    known_at: datetime | None,
) -> tuple[OwnerShare, ...] | None:
    """Each parent's holders weighted by its share of the original value (exact); ``None`` if one has none."""
    shares: dict[PartyId, Fraction] = {}
    for history, value in zip(parents, carried, strict=True):
        ownership = history.state(as_of=on, known_at=known_at).ownership
        if ownership is None:
            return None
        weight = Fraction(value.original.fen, total.fen) if total.fen else Fraction(1, len(parents))
        for holder in ownership.holders:
            shares[holder.holder] = shares.get(holder.holder, Fraction(0)) + holder.share * weight
    return tuple(OwnerShare(p, s) for p, s in sorted(shares.items()))


def merge_assets(
    histories: Sequence[AssetHistory],
    policy: Policy,
    *,
    on: date,
    into: AssetId,
    name: str,
    recorded_at: datetime,
    remaining_life_months: int | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
    known_at: datetime | None = None,
    document: str | None = None,
) -> Restructuring:
    """Merge assets into a new one on ``on`` (资产合并), by value.

    The successor takes the first parent's (by id) description, with the sum of the
    original values, the funding lines summed by source, the quantities summed when every
    parent has one in the same unit, the earliest completion and hand-over dates, and the
    sums of accumulated depreciation, impairment and revaluation. Its ownership weights
    each parent's holders by the parent's share of the original value (exact fractions).
    Parents of different ages have no common 已提折旧月数: give ``remaining_life_months`` to
    set the successor's life left (else its dates decide).

    Raises:
        InvalidValue: fewer than two parents, a parent listed twice or ``into`` reused, or
            parents of different class, form or kind.
    """
    plans = plans or {}
    parents = sorted(histories, key=lambda h: h.asset_id)
    assets = [h.asset(known_at) for h in parents]
    ids = [a.id for a in assets]
    if len(assets) < 2 or len(set(ids)) != len(ids) or into in ids:  # noqa: PLR2004 - a merge has two parents
        raise InvalidValue(
            "a merge needs two or more distinct parents and a new id",
            "合并须至少两个不同资产且使用新编号",
            record=into,
            field="parents",
            actual=ids,
        )
    first = assets[0]
    if any((a.asset_class, a.form, a.kind) != (first.asset_class, first.form, first.kind) for a in assets):
        raise InvalidValue(
            "merged assets must share class, form and kind",
            "合并的资产类别、形态和种类须一致",
            record=into,
            field="parents",
            actual=ids,
        )
    carried = [_carried(h, policy, on, plans.get(h.asset_id), known_at) for h in parents]
    total = sum((c.original for c in carried), Money(0))
    by_source: dict[FundingSource, Money] = {}
    lines: list[FundingLine] = []
    for asset in assets:
        for line in asset.funding:
            by_source[line.source] = by_source.get(line.source, Money(0)) + line.amount
    for line_source, amount in by_source.items():
        lines.append(FundingLine(source=line_source, amount=amount))
    quantity = None
    if all(a.quantity is not None and a.unit == first.unit for a in assets):
        quantity = sum((a.quantity for a in assets if a.quantity is not None), Decimal(0))
    completed = min((a.completed_on for a in assets if a.completed_on), default=None)
    handed = min((a.handed_over_on for a in assets if a.handed_over_on), default=None)
    merged = attrs.evolve(
        first,
        id=into,
        name=name,
        original_value=total,
        funding=lines,  # type: ignore[arg-type] # attrs converter typing
        quantity=quantity,
        completed_on=completed,
        handed_over_on=handed,
    )
    holders = _merged_holders(parents, carried, total, on=on, known_at=known_at)
    plan = plans.get(parents[0].asset_id)
    months = None
    if remaining_life_months is not None:
        life = plan.life_months if plan is not None else policy.useful_life_months.get(first.kind)
        if life is None or not 0 <= remaining_life_months <= life:
            raise InvalidValue(
                "remaining life outside the useful life",
                "剩余使用月数超出使用年限",
                record=into,
                field="remaining_life_months",
                actual=remaining_life_months,
                expected=f"0..{life}",
            )
        months = life - remaining_life_months
    events: dict[AssetId, tuple[AssetEvent, ...]] = {
        h.asset_id: (
            Restructured(
                asset_id=h.asset_id,
                effective=on,
                recorded_at=recorded_at,
                operation=RestructureKind.MERGE,
                basis=RestructureBasis.VALUE,
                successors=(into,),
                document=document,
            ),
        )
        for h in parents
    }
    events[into] = _successor_events(
        merged,
        on=on,
        recorded_at=recorded_at,
        status=carried[0].status,
        holders=holders,
        opening=OpeningBalanceRecorded(
            asset_id=into,
            effective=on,
            as_of=_month_end(on),
            recorded_at=recorded_at,
            accumulated_depreciation=sum((c.accumulated for c in carried), Money(0)),
            months_depreciated=months,
            impairment=sum((c.impairment for c in carried), Money(0)),
            revaluation=sum((c.revaluation for c in carried), Money(0)),
            parents=tuple(ids),
        ),
        document=document,
    )
    return Restructuring(events=events)
