"""What an operating contract should pay (合同应收), and the shortfall against receipts, P8.

Terms come from :mod:`assetreg.domain.rights` (:class:`~assetreg.domain.rights.ContractTerms`):
fixed rent or rent per unit escalating every few years to a cap, a guaranteed return by
rate on invested funds or by amount (paid monthly, quarterly, half-yearly or yearly, with
an optional part of each year's floor paid in advance), a profit share whose relation to the
floor (``max(floor, share)`` or ``floor + share``) is a contract term, and an advance paid
at signing that is netted against what falls due.

Contract years run from the term's start (anniversaries). Each year's amount is split
into instalments by the payment frequency with :func:`~assetreg.income.allocate.allocate`
(weights = months, or days for a broken last year), so the instalments of a year add up to
the yearly amount exactly; an instalment falls due on the last day of its slice.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.periods import Period, add_months, add_years
from assetreg.domain.vocab import FloorSemantics, PaymentFrequency, Vocabulary
from assetreg.income.allocate import allocate
from assetreg.income.revenue import RevenueEntry, RevenueKind, income_in_period

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from assetreg.domain.rights import OperatingContract, ProfitShare

__all__ = [
    "Component",
    "ExpectedIncome",
    "Instalment",
    "Shortfall",
    "expected_income",
    "floor_and_share",
    "instalments",
    "shortfall",
]

_MONTHS = {
    PaymentFrequency.MONTHLY: 1,
    PaymentFrequency.QUARTERLY: 3,
    PaymentFrequency.HALF_YEARLY: 6,
    PaymentFrequency.YEARLY: 12,
}


class Component(Vocabulary):
    """Which term an instalment comes from."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _COMPONENT_ZH

    RENT = "rent"
    """Fixed or escalating rent (租金)."""
    GUARANTEED_RETURN = "guaranteed_return"
    """The floor return (保底收益)."""
    GUARANTEED_ADVANCE = "guaranteed_advance"
    """The part of a year's floor paid in advance at the year's start (预付保底收益)."""


@attrs.frozen(kw_only=True)
class Instalment:
    """One amount falling due under a contract (应付款项).

    Attributes:
        component: rent, guaranteed return or its advance part.
        period: the half-open slice of the contract year it pays for.
        due: the day it falls due (the slice's last day; the year's first for advances).
        amount: fen.
        contract_year: 0-based contract year.
    """

    component: Component
    period: Period
    due: date
    amount: Money
    contract_year: int


def _contract_years(contract: OperatingContract) -> list[tuple[int, Period]]:
    years = []
    n = 0
    start = contract.term.start
    while start < contract.term.end:
        end = min(add_years(contract.term.start, n + 1), contract.term.end)
        years.append((n, Period(start, end)))
        n += 1
        start = end
    return years


def _slices(year: Period, months: int) -> list[Period]:
    slices = []
    start = year.start
    while start < year.end:
        end = min(add_months(start, months), year.end)
        slices.append(Period(start, end))
        start = end
    return slices


def _weight(piece: Period) -> Fraction:
    """Share of a full contract year a slice stands for (months/12 when whole months)."""
    months = piece.months_count()
    if months is not None:
        return Fraction(months, 12)
    full = Period(piece.start, add_years(piece.start, 1)).days
    return Fraction(piece.days, full)


def _spread(
    component: Component,
    year_no: int,
    year: Period,
    *,
    yearly_exact: Fraction,
    frequency: PaymentFrequency,
    mode: RoundingMode,
) -> list[Instalment]:
    year_amount = round_fen(yearly_exact * _weight(year), mode)
    once = frequency is PaymentFrequency.ONCE or year_amount == 0
    pieces = [year] if once else _slices(year, _MONTHS[frequency])
    weights = [_weight(p) for p in pieces]
    parts = allocate(year_amount, weights, keys=[p.start for p in pieces])
    return [
        Instalment(component=component, period=p, due=p.last, amount=Money(a), contract_year=year_no)
        for p, a in zip(pieces, parts, strict=True)
    ]


def instalments(contract: OperatingContract, *, mode: RoundingMode = RoundingMode.HALF_UP) -> tuple[Instalment, ...]:
    """Every amount the contract makes fall due over its term, in due-date order.

    6 % a year on 851.65 万元 paid quarterly gives 127,747.50 元 per quarter. Rent per mu
    escalating every five years uses the rate of each contract year. A broken last year is
    charged pro rata (months, or days).

    Args:
        contract: the operating contract (terms from :mod:`assetreg.domain.rights`).
        mode: rounding of each year's amount to fen (``Policy.rounding``).

    Returns:
        The instalments; each year's add up to the year's amount exactly.
    """
    terms = contract.terms
    result: list[Instalment] = []
    for year_no, year in _contract_years(contract):
        if terms.escalation is not None:
            rate = terms.escalation.rate_for_year(year_no)
            rent = Fraction(rate.fen) * Fraction(terms.escalation.units)
            result += _spread(
                Component.RENT,
                year_no,
                year,
                yearly_exact=rent,
                frequency=terms.rent_frequency,
                mode=mode,
            )
        elif terms.fixed_rent is not None:
            result += _spread(
                Component.RENT,
                year_no,
                year,
                yearly_exact=Fraction(terms.fixed_rent.fen),
                frequency=terms.rent_frequency,
                mode=mode,
            )
        floor = terms.guaranteed_return
        if floor is not None:
            yearly = floor.yearly_exact()
            if floor.advance_fraction:
                advance = round_fen(yearly * _weight(year) * floor.advance_fraction, mode)
                result.append(
                    Instalment(
                        component=Component.GUARANTEED_ADVANCE,
                        period=year,
                        due=year.start,
                        amount=Money(advance),
                        contract_year=year_no,
                    )
                )
                yearly *= 1 - floor.advance_fraction
            result += _spread(
                Component.GUARANTEED_RETURN,
                year_no,
                year,
                yearly_exact=yearly,
                frequency=floor.frequency,
                mode=mode,
            )
    result.sort(key=lambda i: (i.due, i.component.value))
    return tuple(result)


def floor_and_share(
    floor: Money, profit: Money, share: ProfitShare, *, mode: RoundingMode = RoundingMode.HALF_UP
) -> Money:
    """Combine a guaranteed floor with a profit share, as the contract says (P8).

    ``FloorSemantics.MAX``: ``max(floor, rate × profit)``; ``FloorSemantics.ADD``:
    ``floor + rate × profit`` (保底 + 二次分红). A loss gives no share.
    """
    part = profit.times(share.rate, mode) if profit.fen > 0 else Money(0)
    if share.semantics is FloorSemantics.MAX:
        return max(floor, part)
    return floor + part


@attrs.frozen(kw_only=True)
class ExpectedIncome:
    """What a contract should have paid in a period (应收收益).

    Attributes:
        period: the half-open period asked for.
        instalments: instalments falling due in it.
        due: their sum (with the profit share, if a profit was given).
        profit_share: the profit-share part included in ``due`` (0 without one).
        advance_applied: the part of the signing advance netted against ``due``.
        net_due: ``due - advance_applied``, what should have been received in the period.
    """

    period: Period
    instalments: tuple[Instalment, ...]
    due: Money
    profit_share: Money
    advance_applied: Money
    net_due: Money


def expected_income(
    contract: OperatingContract,
    period: Period,
    *,
    profit: Money | None = None,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> ExpectedIncome:
    """What ``contract`` should pay in ``period``: instalments due in it, less the advance.

    The advance paid at signing (``terms.advance``) is consumed by the instalments in due
    order from the start of the term; the part consumed by instalments due in ``period``
    is netted. When ``profit`` (the operator's profit for the period) is given and the
    contract has a profit share, the floor due in the period is combined with it by
    :func:`floor_and_share`.

    Raises:
        AllocationError: never for valid contracts (instalments are sum-preserving).
    """
    every = instalments(contract, mode=mode)
    advance_left = 0 if contract.terms.advance is None else contract.terms.advance.fen
    applied = 0
    in_period: list[Instalment] = []
    for item in every:
        used = min(advance_left, item.amount.fen)
        advance_left -= used
        if period.contains(item.due):
            in_period.append(item)
            applied += used
    due = sum(i.amount.fen for i in in_period)
    share = 0
    terms = contract.terms
    if profit is not None and terms.profit_share is not None:
        floor = sum(
            i.amount.fen
            for i in in_period
            if i.component in {Component.GUARANTEED_RETURN, Component.GUARANTEED_ADVANCE}
        )
        combined = floor_and_share(Money(floor), profit, terms.profit_share, mode=mode)
        share = combined.fen - floor
        due += share
    return ExpectedIncome(
        period=period,
        instalments=tuple(in_period),
        due=Money(due),
        profit_share=Money(share),
        advance_applied=Money(applied),
        net_due=Money(due - applied),
    )


@attrs.frozen(kw_only=True)
class Shortfall:
    """Received against expected for one contract and period (收益差额).

    Attributes:
        contract_id: the contract.
        period: the period.
        expected: net amount due in the period.
        received: income recorded against the contract for the period.
        shortfall: ``expected - received`` when positive, else 0.
        excess: ``received - expected`` when positive, else 0.
    """

    contract_id: str
    period: Period
    expected: Money
    received: Money
    shortfall: Money
    excess: Money


_CONTRACT_KINDS = frozenset(
    {
        RevenueKind.RENT,
        RevenueKind.LAND_RENT,
        RevenueKind.GUARANTEED_RETURN,
        RevenueKind.PROFIT_SHARE,
    }
)


def shortfall(
    contract: OperatingContract,
    period: Period,
    received: Iterable[RevenueEntry],
    *,
    profit: Money | None = None,
    mode: RoundingMode = RoundingMode.HALF_UP,
) -> Shortfall:
    """Compare what ``contract`` should pay in ``period`` with what was recorded (P8).

    Receipts count when their ``contract_id`` is the contract's, their kind is rent, land
    rent, guaranteed return or profit share, and their period falls in ``period`` (lump
    sums spread by :func:`~assetreg.income.revenue.income_in_period`).
    """
    expected = expected_income(contract, period, profit=profit, mode=mode).net_due
    got = income_in_period((e for e in received if e.contract_id == contract.id), period, kinds=_CONTRACT_KINDS)
    gap = expected.fen - got.fen
    return Shortfall(
        contract_id=contract.id,
        period=period,
        expected=expected,
        received=got,
        shortfall=Money(max(gap, 0)),
        excess=Money(max(-gap, 0)),
    )


_COMPONENT_ZH: Final[Mapping[Any, str]] = {
    Component.RENT: "租金",
    Component.GUARANTEED_RETURN: "保底收益",
    Component.GUARANTEED_ADVANCE: "预付保底收益",
}
