"""Use cases of explaining (收益溯源): where a household's money came from, where an asset's went, to the fen.

:func:`explain_household` reads the stored income books and returns, for every
distribution line that pays the household, the chain DESIGN §12 asks for: the asset(s)
and period, the gross income, the deductions applied, the distributable pool, the tier
with its base, rate and the household's share (weight), the line's amount and the payments
made against it (paid, returned or failed, and re-paid). The amounts of the lines add up
to :attr:`HouseholdExplanation.total` exactly; :attr:`HouseholdExplanation.paid` is what
reached the household.

:func:`explain_asset` goes the other way: for each stored distribution of an asset, its
gross income, each deduction claimed (what was deducted and what was over the cap), the
pool, and every line with its payments; the lines add up to the pool exactly.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.income.books import ClaimedDeduction, Distribution, Payment, PaymentStatus
from assetreg.ports import UnitOfWork

__all__ = [
    "AssetExplanation",
    "ExplainedDistribution",
    "ExplainedLine",
    "HouseholdExplanation",
    "explain_asset",
    "explain_household",
]


@attrs.frozen(kw_only=True)
class ExplainedLine:
    """One distribution line paying the household, with its derivation.

    Attributes:
        distribution_id: the stored distribution.
        asset_ids: the assets whose income it distributed.
        period: the income period (half-open).
        plan_id: the plan run.
        gross: the assets' income for the period (fen).
        deducted: the deductions applied (fen).
        pool: the distributable income (fen), ``gross - deducted``.
        tier: the tier that paid the line.
        base: what the tier's rate applies to (``"net"``, ``"gross"``, ``"table"`` …).
        base_amount: that base (fen).
        rate: the tier's rate, or ``None`` for a fixed or table amount.
        tier_amount: what the tier took (fen).
        share: the household's exact share of the tier (its weight over all weights).
        weight: the household's weight (days worked, posts…), when the split had one.
        line_index: the line's position in the distribution (payments cite it).
        amount: the line's amount (fen).
        payments: the payments recorded against the line, oldest first.
    """

    distribution_id: str
    asset_ids: tuple[str, ...]
    period: Period
    plan_id: str
    gross: Money
    deducted: Money
    pool: Money
    tier: str
    base: str
    base_amount: Money
    rate: Fraction | None
    tier_amount: Money
    share: Fraction
    weight: int | None
    line_index: int
    amount: Money
    payments: tuple[Payment, ...]

    @property
    def paid(self) -> Money:
        """What reached the household: payments with status ``PAID`` (fen)."""
        return Money(sum(p.amount.fen for p in self.payments if p.status is PaymentStatus.PAID))

    @property
    def outstanding(self) -> Money:
        """The line's amount not yet paid (fen; negative if overpaid)."""
        return self.amount - self.paid

    def as_record(self) -> dict[str, object]:
        """The line as plain values (amounts as 元 ``Decimal``, exact share as text)."""
        return {
            "distribution_id": self.distribution_id,
            "asset_ids": list(self.asset_ids),
            "period_start": self.period.start,
            "period_end": self.period.end,
            "plan_id": self.plan_id,
            "gross_yuan": self.gross.yuan_decimal,
            "deducted_yuan": self.deducted.yuan_decimal,
            "pool_yuan": self.pool.yuan_decimal,
            "tier": self.tier,
            "base": self.base,
            "base_yuan": self.base_amount.yuan_decimal,
            "rate": None if self.rate is None else str(self.rate),
            "tier_yuan": self.tier_amount.yuan_decimal,
            "share": str(self.share),
            "weight": self.weight,
            "line_index": self.line_index,
            "amount_yuan": self.amount.yuan_decimal,
            "paid_yuan": self.paid.yuan_decimal,
            "payments": [
                {
                    "id": p.id,
                    "paid_on": p.paid_on,
                    "amount_yuan": p.amount.yuan_decimal,
                    "status": p.status.value,
                    "method": p.method.value,
                    "repays": p.repays,
                }
                for p in self.payments
            ],
        }


@attrs.frozen(kw_only=True)
class HouseholdExplanation:
    """Everything the store says a household received (in a period).

    Attributes:
        household_id: the household.
        period: the period asked for (``None`` = every period).
        lines: the lines paying it, by period then distribution id.
    """

    household_id: str
    period: Period | None
    lines: tuple[ExplainedLine, ...]

    @property
    def total(self) -> Money:
        """The sum of the lines (fen)."""
        return Money(sum(line.amount.fen for line in self.lines))

    @property
    def paid(self) -> Money:
        """The sum actually paid (fen)."""
        return Money(sum(line.paid.fen for line in self.lines))


def explain_household(uow: UnitOfWork, household_id: str, *, period: Period | None = None) -> HouseholdExplanation:
    """Explain every amount the store distributed to ``household_id`` (``assetreg explain --household``).

    Args:
        uow: the unit of work to read from (entered here; nothing is written; its scope applies).
        household_id: the household's party id (``"LT-H001"``).
        period: only distributions whose income period overlaps this one.

    Returns:
        The explained lines; an empty explanation when nothing was distributed to it.

    Raises:
        UnknownParty: nothing pays ``household_id`` and the register has no such party.
        PersistenceError: the store cannot be read.
    """
    with uow:
        distributions = uow.distributions.list(household_id=household_id, period=period)
        # payments of the income period's distributions, whenever they were paid
        if not distributions:
            uow.parties.get(PartyId(household_id))  # UnknownParty for an id the register does not know
        ids = {d.id for d in distributions}
        payments = [p for p in uow.payments.list(household_id=household_id) if p.distribution_id in ids]
    by_line: dict[tuple[str, int], list[Payment]] = {}
    for payment in payments:
        by_line.setdefault((payment.distribution_id, payment.line_index), []).append(payment)
    lines: list[ExplainedLine] = []
    for distribution in sorted(distributions, key=lambda d: (d.period.start, d.id)):
        for index, line in distribution.lines_of(household_id):
            paid = sorted(by_line.get((distribution.id, index), []), key=lambda p: (p.paid_on, p.recorded_at, p.id))
            lines.append(
                ExplainedLine(
                    distribution_id=distribution.id,
                    asset_ids=distribution.asset_ids,
                    period=distribution.period,
                    plan_id=distribution.plan_id,
                    gross=distribution.gross,
                    deducted=distribution.deducted,
                    pool=distribution.pool,
                    tier=line.tier,
                    base=line.base,
                    base_amount=line.base_amount,
                    rate=line.rate,
                    tier_amount=line.tier_amount,
                    share=line.share,
                    weight=line.weight,
                    line_index=index,
                    amount=line.amount,
                    payments=tuple(paid),
                )
            )
    return HouseholdExplanation(household_id=household_id, period=period, lines=tuple(lines))


@attrs.frozen(kw_only=True)
class ExplainedDistribution:
    """One stored distribution of an asset, from its income to its payments.

    Attributes:
        distribution: the distribution (its lines in tier order).
        deductions: the deduction records it applied.
        payments: the payments of its lines, oldest first.
    """

    distribution: Distribution
    deductions: tuple[ClaimedDeduction, ...]
    payments: tuple[Payment, ...]

    @property
    def paid(self) -> Money:
        """What reached the payees (fen)."""
        return Money(sum(p.amount.fen for p in self.payments if p.status is PaymentStatus.PAID))

    def paid_by_line(self) -> dict[int, Money]:
        """What reached each line's payee, by line index (fen; lines without a payment omitted)."""
        paid: dict[int, int] = {}
        for p in self.payments:
            if p.status is PaymentStatus.PAID:
                paid[p.line_index] = paid.get(p.line_index, 0) + p.amount.fen
        return {index: Money(fen) for index, fen in paid.items()}

    @property
    def claimed(self) -> Money:
        """The deductions claimed against the income (fen)."""
        return Money(sum(c.amount.fen for c in self.deductions))

    @property
    def not_deducted(self) -> Money:
        """Claimed but not deducted: over the policy's cap, or of a kind it does not deduct (P9; fen)."""
        return self.claimed - self.distribution.deducted

    def as_record(self) -> dict[str, object]:
        """The distribution's derivation as plain values (元 as ``Decimal``)."""
        d = self.distribution
        paid = self.paid_by_line()
        return {
            "distribution_id": d.id,
            "status": d.status.value,
            "plan_id": d.plan_id,
            "plan_version_id": d.plan_version_id,
            "owner_id": d.owner_id,
            "period_start": d.period.start,
            "period_end": d.period.end,
            "gross_yuan": d.gross.yuan_decimal,
            "deductions": [
                {
                    "id": c.id,
                    "kind": c.kind.value,
                    "claimed_yuan": c.amount.yuan_decimal,
                    "evidence": c.evidence,
                }
                for c in self.deductions
            ],
            "claimed_yuan": self.claimed.yuan_decimal,
            "deducted_yuan": d.deducted.yuan_decimal,
            "not_deducted_yuan": self.not_deducted.yuan_decimal,
            "pool_yuan": d.pool.yuan_decimal,
            "lines": [
                {
                    "line_index": i,
                    "tier": line.tier,
                    "beneficiary_id": line.beneficiary_id,
                    "beneficiary_name": line.beneficiary_name,
                    "kind": line.beneficiary_kind.value,
                    "amount_yuan": line.amount.yuan_decimal,
                    "basis": line.basis,
                    "paid_yuan": paid.get(i, Money.zero()).yuan_decimal,
                }
                for i, line in enumerate(d.lines)
            ],
            "lines_total_yuan": d.lines_total.yuan_decimal,
            "paid_yuan": self.paid.yuan_decimal,
        }


@attrs.frozen(kw_only=True)
class AssetExplanation:
    """Where each fen of an asset's income went (in a period).

    Attributes:
        asset_id: the asset.
        period: the period asked for (``None`` = every period).
        distributions: its current distributions, by period then id.
    """

    asset_id: str
    period: Period | None
    distributions: tuple[ExplainedDistribution, ...]

    @property
    def gross(self) -> Money:
        """Income before deductions, over the distributions (fen)."""
        return Money(sum(d.distribution.gross.fen for d in self.distributions))

    @property
    def pool(self) -> Money:
        """Distributable income, over the distributions (fen)."""
        return Money(sum(d.distribution.pool.fen for d in self.distributions))

    @property
    def lines_total(self) -> Money:
        """Everything the lines pay (fen); equals :attr:`pool` when every distribution reconciles."""
        return Money(sum(d.distribution.lines_total.fen for d in self.distributions))


def explain_asset(uow: UnitOfWork, asset_id: str, *, period: Period | None = None) -> AssetExplanation:
    """Explain where an asset's stored income went (``assetreg explain --asset``).

    Args:
        uow: the unit of work to read from (entered here; nothing is written; its scope applies).
        asset_id: the asset.
        period: only distributions whose income period overlaps this one.

    Returns:
        Its current distributions with their deductions and payments; empty when none is stored.

    Raises:
        UnknownAsset: no distribution of ``asset_id`` is stored and the asset is not stored.
        PersistenceError: the store cannot be read.
    """
    with uow:
        distributions = uow.distributions.list(asset_id=asset_id, period=period)
        if not distributions:
            uow.assets.get(AssetId(asset_id))  # UnknownAsset for an asset not stored (or out of scope)
        explained = []
        for d in distributions:
            deductions = tuple(uow.deductions.get(i) for i in d.deduction_ids)
            payments = sorted(
                uow.payments.list(distribution_id=d.id), key=lambda p: (p.line_index, p.paid_on, p.recorded_at, p.id)
            )
            explained.append(ExplainedDistribution(distribution=d, deductions=deductions, payments=tuple(payments)))
    return AssetExplanation(asset_id=asset_id, period=period, distributions=tuple(explained))
