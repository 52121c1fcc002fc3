"""Benefit linkage by guaranteed purchase (保底收购), issue 17.

Besides a floor return on invested funds (保底收益, P8), dividends (二次分红), land rent
(土地流转) and equity (入股), an operating contract can link households to the asset by
guaranteed purchase: the operator commits to buy the households' produce at no less than a
floor price (保底价), up to a quantity committed per household for a season. The term is a
:class:`PurchaseGuarantee` in the contract's :class:`~assetreg.domain.rights.ContractTerms`
(``purchase_guarantees``); each purchase made under it is a
:class:`~assetreg.domain.events.PurchaseRecorded` event of the asset's history. The audit
catalogue reports purchases below the floor (AUD-621) and households bought short of the
committed quantity once the season is over (AUD-622).

Prices are integer fen per unit (``Money``); quantities are exact ``Decimal`` amounts of
the guarantee's unit (kg, 斤, 头…), never floats. Periods are half-open ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.errors import InvalidAmount, InvalidValue

__all__ = ["PurchaseCommitment", "PurchaseGuarantee", "check_quantity"]


def check_quantity(value: object, *, field: str, record: str | None = None, positive: bool = False) -> Decimal:
    """Return ``value`` if it is a finite ``Decimal`` >= 0 (> 0 when ``positive``).

    Raises:
        InvalidValue: anything else (a float, a negative or non-finite number), naming ``field``.
    """
    bad = not isinstance(value, Decimal) or not value.is_finite() or value < 0 or (positive and value == 0)
    if bad:
        raise InvalidValue(
            f"{field} must be a finite Decimal {'above' if positive else 'of at least'} zero, found {value!r}",
            f"{field} 须为{'大于' if positive else '不小于'}零的有限 Decimal，实为 {value!r}",
            record=record,
            field=field,
            actual=str(value),
        )
    assert isinstance(value, Decimal)  # noqa: S101 - narrowed above
    return value


@attrs.frozen(kw_only=True)
class PurchaseCommitment:
    """The quantity the operator commits to buy from one household in the season (承诺收购量).

    Attributes:
        household: the household's party id.
        quantity: committed quantity in the guarantee's unit, above zero.

    Raises:
        InvalidValue: a quantity that is not a positive finite ``Decimal``.
    """

    household: PartyId
    quantity: Decimal

    def __attrs_post_init__(self) -> None:
        """Refuse a quantity that is not a positive Decimal."""
        check_quantity(self.quantity, field="quantity", record=self.household, positive=True)


def _commitments(values: Iterable[PurchaseCommitment]) -> tuple[PurchaseCommitment, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PurchaseGuarantee:
    """A guaranteed-purchase term of an operating contract (保底收购条款).

    Attributes:
        product: what is bought (e.g. ``"马铃薯"``); purchases name the same product.
        unit: the unit quantities are counted in (``"kg"``, ``"斤"``, ``"头"``).
        floor_price: the floor price, fen per unit (保底收购价).
        season: the half-open span the commitment covers (收购期).
        commitments: the households and the quantity committed to each; each household
            at most once.

    Raises:
        InvalidAmount: a floor price not above zero.
        InvalidValue: an empty product or unit, or a household committed twice.
    """

    product: str
    unit: str
    floor_price: Money
    season: Period
    commitments: tuple[PurchaseCommitment, ...] = attrs.field(default=(), converter=_commitments)

    def __attrs_post_init__(self) -> None:
        """Refuse an empty product or unit, a floor price of zero and duplicates."""
        for name in ("product", "unit"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidValue(f"{name} must not be empty", f"{name} 不能为空", field=name, actual=value)
        if not isinstance(self.floor_price, Money) or self.floor_price.fen <= 0:
            raise InvalidAmount(
                "the floor price must be above zero",
                "保底收购价须大于零",
                field="floor_price",
                actual=str(self.floor_price),
            )
        seen: set[str] = set()
        for c in self.commitments:
            if c.household in seen:
                raise InvalidValue(
                    f"household {c.household} is committed twice",
                    f"农户 {c.household} 的收购承诺重复",
                    record=c.household,
                    field="commitments",
                    actual=c.household,
                )
            seen.add(c.household)

    def committed(self, household: str) -> Decimal:
        """The quantity committed to ``household`` (0 when it has no commitment)."""
        return next((c.quantity for c in self.commitments if c.household == household), Decimal(0))
