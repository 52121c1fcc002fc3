"""Rights and duties over an asset (权利与责任): ownership, custody, operating contracts.

In the spirit of land-administration registers (LADM): a party, an asset, a kind of right
or duty, a share, a validity period and the document it rests on. Validity periods are
half-open ``[valid_from, valid_to)``; ``valid_to=None`` means open-ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NewType

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.fields import added_later
from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.purchase import PurchaseGuarantee
from assetreg.domain.shares import check_shares_sum_to_one, parse_share
from assetreg.domain.vocab import CustodyMethod, FloorSemantics, OperationMode, PaymentFrequency, member_of
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidShares, InvalidValue, typed, wrong_type

__all__ = [
    "ContractId",
    "ContractTerms",
    "Custodianship",
    "EscalationSchedule",
    "GuaranteedReturn",
    "OperatingContract",
    "OwnerShare",
    "Ownership",
    "ProfitShare",
    "exact_rate",
]

ContractId = NewType("ContractId", str)
"""Register-unique id of an operating contract (合同编号)."""


def exact_rate(value: object) -> Fraction:
    """Read a rate exactly: ``Fraction``, ``Decimal``, ``int`` or text (``"6%"``, ``"3/50"``, ``"0.06"``).

    Raises:
        InvalidType: a ``float`` or ``bool`` (also a ``TypeError``).
        InvalidValue: text that is not a rate, or a non-finite ``Decimal``.
    """
    if isinstance(value, float | bool):
        raise wrong_type("rate", value, "Fraction, Decimal, int or text", "分数、Decimal、整数或文本")
    if isinstance(value, str):
        text = value.strip().replace("％", "%")
        try:
            if text.endswith("%"):
                return Fraction(Decimal(text[:-1])) / 100
            return Fraction(text)
        except (ValueError, ArithmeticError) as exc:
            raise InvalidValue(
                f"not a rate: {value!r}",
                f"不是有效比例：{value!r}",
                field="rate",
                actual=value,
                expected="a rate such as '6%', '3/50' or '0.06'",
            ) from exc
    if isinstance(value, Fraction | Decimal | int) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            raise InvalidValue("a rate must be finite", "比例须为有限数", field="rate", actual=str(value))
        return Fraction(value)
    raise wrong_type("rate", value, "Fraction, Decimal, int or text", "分数、Decimal、整数或文本")


_rate = exact_rate


def _optional_rate(value: object) -> Fraction | None:
    return None if value is None else _rate(value)


def _shares_tuple(holders: Iterable[OwnerShare]) -> tuple[OwnerShare, ...]:
    return tuple(holders)


def _check_validity(record: str, valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidPeriod(
            f"valid_to {valid_to} is not after valid_from {valid_from}",
            f"有效期止日 {valid_to} 不晚于起日 {valid_from}",
            record=record,
            field="valid_to",
            actual=valid_to.isoformat(),
            expected=f"after {valid_from.isoformat()}",
        )


def _not_negative(record: str | None, name: str, value: Money | None) -> None:
    if value is not None and value.is_negative():
        raise InvalidAmount(
            f"{name} is negative", f"{name} 为负数", record=record, field=name, actual=str(value), expected=">= 0"
        )


@attrs.frozen
class OwnerShare:
    """One holder's exact share of ownership (产权份额).

    Raises:
        TypeError: a ``float`` share.
        InvalidShares: a share outside (0, 1].
    """

    holder: PartyId
    share: Fraction = attrs.field(converter=parse_share)


@attrs.frozen(kw_only=True)
class Ownership:
    """Who owns an asset, in which shares, over which period (确权).

    Attributes:
        asset_id: the asset.
        holders: the holders and their shares, adding up to exactly 1.
        valid_from: first day the ownership holds.
        valid_to: first day it no longer holds, or ``None`` while current.
        document: the confirming document (确权文件), if any.

    Raises:
        InvalidShares: shares not adding up to exactly 1, or a holder listed twice.
        InvalidPeriod: ``valid_to`` not after ``valid_from``.
    """

    asset_id: AssetId
    holders: tuple[OwnerShare, ...] = attrs.field(converter=_shares_tuple)
    valid_from: date = attrs.field(validator=typed(date, "日期 datetime.date"))
    valid_to: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(date, "日期 datetime.date"))
    )
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_validity(self.asset_id, self.valid_from, self.valid_to)
        check_shares_sum_to_one((h.share for h in self.holders), record=self.asset_id, field="holders")
        ids = [h.holder for h in self.holders]
        if len(set(ids)) != len(ids):
            raise InvalidShares(
                "a holder is listed twice", "同一产权主体重复列出", record=self.asset_id, field="holders"
            )

    def share_of(self, party: PartyId) -> Fraction:
        """The share held by ``party`` (0 when it holds none)."""
        return next((h.share for h in self.holders if h.holder == party), Fraction(0))

    def active_on(self, day: date) -> bool:
        """Whether the ownership holds on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@attrs.frozen(kw_only=True)
class Custodianship:
    """Who keeps an asset in repair, how, over which period (管护).

    Attributes:
        asset_id: the asset.
        custodian: the party bearing the duty (管护主体).
        method: how upkeep is done (P5).
        valid_from: first day of the duty.
        valid_to: first day without it, or ``None`` while current.
        duties: what the custodian must do (管护责任).
        upkeep_budget: yearly upkeep budget in fen (管护经费), if set.
        document: the custody agreement (管护协议), if any.

    Raises:
        InvalidPeriod: ``valid_to`` not after ``valid_from``.
        InvalidAmount: a negative upkeep budget.
    """

    asset_id: AssetId
    custodian: PartyId
    method: CustodyMethod = attrs.field(validator=member_of(CustodyMethod))
    valid_from: date = attrs.field(validator=typed(date, "日期 datetime.date"))
    valid_to: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(date, "日期 datetime.date"))
    )
    duties: str | None = None
    upkeep_budget: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(Money, "金额 Money"))
    )
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_validity(self.asset_id, self.valid_from, self.valid_to)
        _not_negative(self.asset_id, "upkeep_budget", self.upkeep_budget)

    def active_on(self, day: date) -> bool:
        """Whether the duty holds on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@attrs.frozen(kw_only=True)
class GuaranteedReturn:
    """A contractual floor return (保底收益), P8.

    Either ``rate`` on ``base`` per year (e.g. 6 % of 851.65 万元) or a fixed ``amount``
    per year. Seen: 6–10 % a year; 6 % paid quarterly; 3 % a year with two thirds paid
    in advance.

    Attributes:
        rate: yearly rate as an exact fraction, or ``None``.
        base: the invested funds the rate applies to (fen), required with ``rate``.
        amount: fixed yearly amount (fen), or ``None``.
        frequency: payment frequency.
        advance_fraction: fraction of a year's floor paid in advance (e.g. 2/3), or ``None``.
        benchmark_tied: the rate is tied to the bank benchmark rate (P8's special case: "not
            below the bank benchmark rate"); the policy then allows a rate from its
            ``guaranteed_return_benchmark`` up to the band's top.

    Raises:
        InvalidValue: neither or both of ``rate`` and ``amount``; ``rate`` without ``base``;
            a negative rate; an advance fraction outside (0, 1]; unreadable rate text.
        InvalidAmount: a negative ``base`` or ``amount``.
        TypeError: a ``float`` rate.
    """

    rate: Fraction | None = attrs.field(default=None, converter=_optional_rate)
    base: Money | None = attrs.field(default=None, validator=attrs.validators.optional(typed(Money, "金额 Money")))
    amount: Money | None = attrs.field(default=None, validator=attrs.validators.optional(typed(Money, "金额 Money")))
    frequency: PaymentFrequency = attrs.field(default=PaymentFrequency.YEARLY, validator=member_of(PaymentFrequency))
    advance_fraction: Fraction | None = attrs.field(default=None, converter=_optional_rate)
    benchmark_tied: bool = False

    def __attrs_post_init__(self) -> None:
        if (self.rate is None) == (self.amount is None):
            raise InvalidValue(
                "a guaranteed return has either a rate or an amount",
                "保底收益须为比例或固定金额之一",
                field="guaranteed_return",
            )
        if self.rate is not None and self.base is None:
            raise InvalidValue("a guaranteed rate needs the invested base", "保底收益率须有投资基数", field="base")
        if self.rate is not None and self.rate < 0:
            raise InvalidValue("rate is negative", "收益率为负数", field="rate", actual=str(self.rate))
        _not_negative(None, "base", self.base)
        _not_negative(None, "amount", self.amount)
        if self.advance_fraction is not None and not 0 < self.advance_fraction <= 1:
            raise InvalidValue(
                "the advance fraction must lie in (0, 1]",
                "预付比例须在 (0, 1] 区间内",
                field="advance_fraction",
                actual=str(self.advance_fraction),
                expected="0 < fraction <= 1",
            )

    def yearly_exact(self) -> Fraction:
        """The floor for one full year in fen, exact (not yet rounded)."""
        if self.amount is not None:
            return Fraction(self.amount.fen)
        assert self.rate is not None  # noqa: S101 - guaranteed by the validator
        assert self.base is not None  # noqa: S101
        return self.rate * self.base.fen

    def payment(self, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """One regular payment: the yearly floor × months per payment / 12, rounded once.

        6 % a year on 851.65 万元 paid quarterly is 127,747.50 yuan (DESIGN §9). A
        ``ONCE`` frequency pays the whole yearly amount.

        Args:
            mode: rounding mode (a policy parameter; half-up by default).
        """
        months = self.frequency.months
        share = Fraction(1) if months is None else Fraction(months, 12)
        return Money(round_fen(self.yearly_exact() * share, mode))

    def advance(self, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """The amount paid in advance: ``advance_fraction`` of a year's floor (0 when none), P8."""
        if self.advance_fraction is None:
            return Money(0)
        return Money(round_fen(self.yearly_exact() * self.advance_fraction, mode))


@attrs.frozen(kw_only=True)
class ProfitShare:
    """A share of profit above the floor (效益分红 / 二次分红), P8.

    Attributes:
        rate: the share of profit, exact.
        semantics: ``MAX`` gives ``max(floor, share)``; ``ADD`` gives ``floor + share``.
            A required term (P8: "whether the floor is max(floor, share) or floor + profit
            share is a contract term"); nothing is assumed when the contract is silent.

    Raises:
        TypeError: ``semantics`` not given.
        InvalidChoice: ``semantics`` not a :class:`~assetreg.domain.vocab.FloorSemantics`.
    """

    rate: Fraction = attrs.field(converter=exact_rate)
    semantics: FloorSemantics = attrs.field(validator=member_of(FloorSemantics))


@attrs.frozen(kw_only=True)
class EscalationSchedule:
    """Rent per unit rising in steps (租金递增), e.g. per mu, every five years, to a cap.

    The rent for contract year ``n`` (0-based) is
    ``min(cap, start_rate + step × (n // every_years))`` per unit, times ``units``.

    Raises:
        InvalidValue: ``every_years`` below 1.
        InvalidAmount: a negative start rate, step or cap.
        TypeError: ``units`` is a ``float``.

    Attributes:
        start_rate: rent per unit per year at the start (fen per unit).
        step: the rise at each step (fen per unit).
        every_years: years between steps (at least 1).
        cap: the highest rent per unit, or ``None`` for no cap.
        units: number of units (e.g. 5.2 mu), exact.
        unit: the unit's name (亩).
    """

    start_rate: Money = attrs.field(validator=typed(Money, "金额 Money"))
    step: Money = attrs.field(validator=typed(Money, "金额 Money"))
    every_years: int
    cap: Money | None = attrs.field(default=None, validator=attrs.validators.optional(typed(Money, "金额 Money")))
    units: Decimal = Decimal(1)
    unit: str = "亩"

    def __attrs_post_init__(self) -> None:
        if self.every_years < 1:
            raise InvalidValue("every_years must be at least 1", "递增间隔年数至少为1", field="every_years")
        if isinstance(self.units, float):
            raise wrong_type("units", self.units, "Decimal", "Decimal")
        for name in ("start_rate", "step", "cap"):
            _not_negative(None, name, getattr(self, name))

    def rate_for_year(self, contract_year: int) -> Money:
        """Rent per unit for 0-based ``contract_year``, capped.

        Raises:
            InvalidValue: ``contract_year`` is negative.
        """
        if contract_year < 0:
            raise InvalidValue(
                "contract year is negative", "合同年度为负数", field="contract_year", actual=contract_year
            )
        rate = self.start_rate + self.step * (contract_year // self.every_years)
        if self.cap is not None and rate > self.cap:
            return self.cap
        return rate

    def rent_for_year(self, contract_year: int, mode: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Rent for 0-based ``contract_year``: the capped rate per unit × ``units``, rounded once.

        Raises:
            InvalidValue: ``contract_year`` is negative.
        """
        rate = self.rate_for_year(contract_year)
        return Money(round_fen(Fraction(self.units) * rate.fen, mode))


@attrs.frozen(kw_only=True)
class ContractTerms:
    """The money terms of an operating contract (合同条款).

    Attributes:
        fixed_rent: rent per year (fen), or ``None``.
        rent_frequency: how rent is paid.
        escalation: rent per unit rising in steps, instead of ``fixed_rent``.
        guaranteed_return: the floor return, or ``None``.
        profit_share: the share of profit above the floor, or ``None``.
        advance: amount paid in advance at signing (fen), netted against what falls due.
        purchase_guarantees: guaranteed purchases of households' produce at a floor
            price (保底收购, :class:`~assetreg.domain.purchase.PurchaseGuarantee`), issue 17.
    """

    fixed_rent: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(Money, "金额 Money"))
    )
    rent_frequency: PaymentFrequency = attrs.field(
        default=PaymentFrequency.YEARLY, validator=member_of(PaymentFrequency)
    )
    escalation: EscalationSchedule | None = None
    guaranteed_return: GuaranteedReturn | None = None
    profit_share: ProfitShare | None = None
    advance: Money | None = attrs.field(default=None, validator=attrs.validators.optional(typed(Money, "金额 Money")))
    purchase_guarantees: tuple[PurchaseGuarantee, ...] = attrs.field(
        default=(), converter=tuple, metadata=added_later()
    )

    def __attrs_post_init__(self) -> None:
        for name in ("fixed_rent", "advance"):
            value = getattr(self, name)
            if value is not None and value.is_negative():
                raise InvalidAmount(f"{name} is negative", f"{name} 为负数", field=name, actual=str(value))


@attrs.frozen(kw_only=True)
class OperatingContract:
    """An operating contract over an operating asset (经营合同).

    Attributes:
        id: contract id.
        asset_id: the asset operated.
        operator: the party that runs it (经营主体).
        mode: contracting, trusteeship, lease, cooperation, sole or equity (经营方式).
        term: the contract term, half-open.
        terms: the money terms.
        document: the contract document reference.
    """

    id: ContractId
    asset_id: AssetId
    operator: PartyId
    mode: OperationMode = attrs.field(validator=member_of(OperationMode))
    term: Period
    terms: ContractTerms = attrs.field(factory=ContractTerms)
    document: str | None = None

    def live_on(self, day: date) -> bool:
        """Whether the contract's term covers ``day``."""
        return self.term.contains(day)
