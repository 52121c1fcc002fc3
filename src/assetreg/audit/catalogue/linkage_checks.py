"""Checks of benefit linkage by guaranteed purchase (保底收购), issue 17.

An operating contract may commit its operator to buy households' produce at a floor price
(:class:`~assetreg.domain.purchase.PurchaseGuarantee`); each purchase is a
:class:`~assetreg.domain.events.PurchaseRecorded` event. AUD-621 reports a purchase paid
below the floor; AUD-622 reports, once a season is over, each committed household bought
less than its committed quantity. A purchase whose contract or product has no guarantee
covering its day is not a guaranteed purchase and is reported by neither.
"""

# ruff: noqa: ARG001 - every check has the (books, *, as_of, policy) shape

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from assetreg.audit.checks import check
from assetreg.audit.findings import Finding, Severity

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from assetreg.audit.books import AssetFacts, AuditBooks
    from assetreg.domain.events import PurchaseRecorded
    from assetreg.domain.policy import Policy
    from assetreg.domain.purchase import PurchaseGuarantee
    from assetreg.domain.rights import OperatingContract

__all__ = ["LINKAGE_CHECKS"]


def _guarantee(facts: AssetFacts, purchase: PurchaseRecorded) -> PurchaseGuarantee | None:
    """The guarantee of ``purchase``'s contract for its product whose season holds its day."""
    for contract, _ended in facts.contracts:
        if contract.id != purchase.contract_id:
            continue
        for guarantee in contract.terms.purchase_guarantees:
            if guarantee.product == purchase.product and guarantee.season.contains(purchase.effective):
                return guarantee
    return None


@check(
    code="AUD-621",
    title_en="Guaranteed purchase below the floor price",
    title_zh="保底收购价低于约定保底价",
    rule="P8",
    severity=Severity.ERROR,
)
def purchase_below_floor(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A purchase under a guarantee paid less per unit than the floor price (fen per unit)."""
    for facts in books.facts(as_of):
        for purchase in facts.purchases:
            guarantee = _guarantee(facts, purchase)
            if guarantee is None or purchase.unit_price >= guarantee.floor_price:
                continue
            per_unit = guarantee.floor_price - purchase.unit_price
            yield purchase_below_floor.finding(
                facts.asset_id,
                f"asset {facts.asset_id}: {purchase.product} bought from {purchase.household} on "
                f"{purchase.effective.isoformat()} at {purchase.unit_price}/{guarantee.unit}, below the floor "
                f"{guarantee.floor_price}/{guarantee.unit} of contract {purchase.contract_id}",
                f"资产 {facts.asset_id}：{purchase.effective.isoformat()} 向 {purchase.household} "
                f"收购{purchase.product}单价 {purchase.unit_price}/{guarantee.unit}，低于合同 {purchase.contract_id} "
                f"约定保底价 {guarantee.floor_price}/{guarantee.unit}",
                evidence={
                    "event_id": purchase.event_id,
                    "contract_id": purchase.contract_id,
                    "household": purchase.household,
                    "product": purchase.product,
                    "quantity": purchase.quantity,
                    "unit_price": purchase.unit_price,
                    "floor_price": guarantee.floor_price,
                    "short_per_unit": per_unit,
                },
                area=facts.area,
            )


def _bought(facts: AssetFacts, contract: OperatingContract, guarantee: PurchaseGuarantee, household: str) -> Decimal:
    return sum(
        (
            p.quantity
            for p in facts.purchases
            if p.contract_id == contract.id
            and p.household == household
            and p.product == guarantee.product
            and guarantee.season.contains(p.effective)
        ),
        Decimal(0),
    )


@check(
    code="AUD-622",
    title_en="Guaranteed purchase short of the committed quantity",
    title_zh="保底收购量不足承诺收购量",
    rule="P8",
    severity=Severity.WARNING,
)
def purchase_short_of_commitment(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A household bought less than committed in a season that ended by ``as_of`` (half-open)."""
    for facts in books.facts(as_of):
        for contract, _ended in facts.contracts:
            for guarantee in contract.terms.purchase_guarantees:
                if guarantee.season.end > as_of:
                    continue
                for commitment in guarantee.commitments:
                    bought = _bought(facts, contract, guarantee, commitment.household)
                    if bought >= commitment.quantity:
                        continue
                    short = commitment.quantity - bought
                    season = f"{guarantee.season.start.isoformat()}–{guarantee.season.end.isoformat()}"
                    yield purchase_short_of_commitment.finding(
                        facts.asset_id,
                        f"asset {facts.asset_id}: contract {contract.id} committed to buy {commitment.quantity} "
                        f"{guarantee.unit} of {guarantee.product} from {commitment.household} in [{season}), "
                        f"bought {bought}, short {short}",
                        f"资产 {facts.asset_id}：合同 {contract.id} 承诺于 [{season}) 向 {commitment.household} "
                        f"收购{guarantee.product} {commitment.quantity}{guarantee.unit}，实收 {bought}，"
                        f"短少 {short}",
                        evidence={
                            "contract_id": contract.id,
                            "household": commitment.household,
                            "product": guarantee.product,
                            "season_start": guarantee.season.start,
                            "season_end": guarantee.season.end,
                            "committed": commitment.quantity,
                            "bought": bought,
                            "short": short,
                        },
                        area=facts.area,
                    )


LINKAGE_CHECKS = (purchase_below_floor, purchase_short_of_commitment)
"""The guaranteed-purchase checks, in code order."""
