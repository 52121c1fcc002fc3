"""The result of running a distribution plan (分配明细), DESIGN §8.

An :class:`Allocation` is the pool and its lines. Every :class:`AllocationLine` cites the
tier, the base and rate the tier applied, the tier's amount and the beneficiary's share
of it, so that an auditor can re-derive every fen; the lines add up to the pool exactly.
:meth:`Allocation.as_records` gives flat rows for a DataFrame and
:meth:`Allocation.notice_rows` the data of the public notice (who, how much, why).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.money import Money
from assetreg.domain.vocab import Vocabulary
from assetreg.errors import AllocationError
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.purpose import Purpose

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date
    from fractions import Fraction

    from assetreg.domain.periods import Period

__all__ = ["Allocation", "AllocationLine", "NoticeRow", "RecipientGroup", "Record", "recipient_group"]

Record = dict[str, str | int | Decimal | None]
"""A flat row of plain values (``str``, ``int``, ``Decimal`` or ``None``)."""


class RecipientGroup(Vocabulary):
    """Who an allocation line pays, grouped for reporting (受益群体).

    The groups of county statistics on project-asset income: the village collective,
    households (including holders of public-welfare posts), the operator, and funds.
    :func:`recipient_group` derives a line's group from its beneficiary's kind and its
    purpose.
    """

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _GROUP_ZH

    COLLECTIVE = "collective"
    """The village collective economic organisation (村集体)."""
    HOUSEHOLDS = "households"
    """Households and public-welfare post holders (农户)."""
    OPERATOR = "operator"
    """The operator or cooperative, for its running costs (经营主体)."""
    FUND = "fund"
    """A reserve, risk or development fund, or another party's account (专项资金)."""


_GROUP_ZH: Final[Mapping[Any, str]] = {
    RecipientGroup.COLLECTIVE: "村集体",
    RecipientGroup.HOUSEHOLDS: "农户",
    RecipientGroup.OPERATOR: "经营主体",
    RecipientGroup.FUND: "专项资金",
}


def recipient_group(kind: BeneficiaryKind, purpose: Purpose) -> RecipientGroup:
    """The :class:`RecipientGroup` of a line paying a ``kind`` beneficiary for ``purpose``.

    ``household`` and ``post_holder`` → households; ``collective`` → collective;
    ``reserve`` → fund; ``party`` → operator when the purpose is operating costs
    (运营经费), otherwise fund (a cooperative's or fund account's share).
    """
    if kind in {BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.POST_HOLDER}:
        return RecipientGroup.HOUSEHOLDS
    if kind is BeneficiaryKind.COLLECTIVE:
        return RecipientGroup.COLLECTIVE
    if kind is BeneficiaryKind.PARTY and purpose is Purpose.OPERATING_COSTS:
        return RecipientGroup.OPERATOR
    return RecipientGroup.FUND


def _rate_text(rate: Fraction | None) -> str:
    if rate is None:
        return ""
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"


def _percent(rate: Fraction | None) -> str:
    if rate is None:
        return ""
    value = Decimal(rate.numerator) * 100 / Decimal(rate.denominator)
    return f"{value.normalize():f}%"


@attrs.frozen(kw_only=True)
class AllocationLine:
    """One payment of a plan run (分配明细行).

    Attributes:
        tier: the name of the tier that produced it (``"remainder"`` for remainder routing).
        tier_index: position of the tier in the plan, 0-based (-1 for the remainder).
        purpose: what the money is for (the tier's :class:`~assetreg.income.purpose.Purpose`;
            the remainder's is collective accumulation, reserve or other).
        beneficiary_id: who receives it.
        beneficiary_kind: household, collective, reserve, post holder or party.
        beneficiary_name: display name for the notice (already masked).
        amount: the amount paid, fen.
        base: what the tier's amount was computed from: ``"gross"``, ``"net"``,
            ``"remaining"``, ``"fixed"``, ``"per_post"``, ``"table"`` or ``"remainder"``.
        base_amount: the amount of that base (fen) — the pool, the remaining amount, the
            fixed amount, or the table/post amount owed to this beneficiary.
        rate: the tier's rate on the base (``Fraction(55, 100)``), ``None`` when there is none.
        tier_amount: everything the tier paid out (fen).
        share: this line's weight over the tier's total weight (exact).
        basis: how the amount was found, in words, for people reading the notice.
        weight: the line's own weight in its tier (days worked, posts, an exact weight
            brought to integers, or the fen owed under a table or per-post tier), ``None``
            when not recorded; ``share`` is it over the tier's total weight.
    """

    tier: str
    tier_index: int
    purpose: Purpose
    beneficiary_id: str
    beneficiary_kind: BeneficiaryKind
    beneficiary_name: str
    amount: Money
    base: str
    base_amount: Money
    rate: Fraction | None
    tier_amount: Money
    share: Fraction
    basis: str
    weight: int | None = None

    @property
    def recipient_group(self) -> RecipientGroup:
        """The line's :class:`RecipientGroup` (collective, households, operator or fund)."""
        return recipient_group(self.beneficiary_kind, self.purpose)

    def as_record(self) -> Record:
        """The line as a flat row of plain values (amounts as ``int`` fen and ``Decimal`` 元)."""
        return {
            "tier": self.tier,
            "tier_index": self.tier_index,
            "purpose": self.purpose.value,
            "beneficiary_id": self.beneficiary_id,
            "beneficiary_kind": self.beneficiary_kind.value,
            "beneficiary_name": self.beneficiary_name,
            "amount_fen": self.amount.fen,
            "amount_yuan": self.amount.yuan_decimal,
            "base": self.base,
            "base_amount_fen": self.base_amount.fen,
            "rate": _rate_text(self.rate),
            "tier_amount_fen": self.tier_amount.fen,
            "share": _rate_text(self.share),
            "basis": self.basis,
        }


@attrs.frozen(kw_only=True)
class NoticeRow:
    """One row of the public notice (公示表): who, how much, why.

    Attributes:
        beneficiary_id: the payee's id.
        name: the display name (already masked).
        kind: household, collective, reserve, post holder or party.
        amount: the total paid to the payee, as Money.
        reasons: the tiers and bases that make it up, in plan order.
    """

    beneficiary_id: str
    name: str
    kind: str
    amount: Money
    reasons: tuple[str, ...]

    def as_record(self) -> Record:
        """The row as plain values: ``{"对象": …, "金额(元)": Decimal, "依据": …}`` plus ids."""
        return {
            "beneficiary_id": self.beneficiary_id,
            "对象": self.name,
            "类型": self.kind,
            "金额(元)": self.amount.yuan_decimal,
            "依据": "；".join(self.reasons),
        }


@attrs.frozen(kw_only=True)
class Allocation:
    """The distribution of one pool by one plan (收益分配结果).

    Attributes:
        plan_id: the plan run.
        plan_name: its name (for the notice).
        as_of: the day eligibility was judged.
        pool: the distributable amount (fen); the lines add up to it exactly.
        gross: the gross income the pool came from (fen).
        lines: the payments, in tier order then beneficiary id.
        period: the income period, if known.
        owner_id: the owner whose share this is (several owners), or ``None``.
        returned: ids of beneficiaries selected by a tier but not eligible on ``as_of``
            (exited households, P11); their share stayed in the pool.

    Raises:
        AllocationError: the lines do not add up to the pool.
    """

    plan_id: str
    plan_name: str
    as_of: date
    pool: Money
    gross: Money
    lines: tuple[AllocationLine, ...]
    period: Period | None = None
    owner_id: str | None = None
    returned: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        """Refuse lines that do not reconcile to the pool to the fen."""
        if self.total != self.pool:
            raise AllocationError(
                f"allocation lines add up to {self.total}, not the pool {self.pool}",
                f"分配明细合计 {self.total} 与可分配金额 {self.pool} 不符",
                record=self.plan_id,
                field="lines",
                expected=str(self.pool),
                actual=str(self.total),
            )

    @property
    def total(self) -> Money:
        """Sum of the lines."""
        return Money(sum(line.amount.fen for line in self.lines))

    def by_beneficiary(self) -> Mapping[str, Money]:
        """Total per beneficiary id, in first-appearance order."""
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.beneficiary_id] = totals.get(line.beneficiary_id, 0) + line.amount.fen
        return {key: Money(fen) for key, fen in totals.items()}

    def by_tier(self) -> Mapping[str, Money]:
        """Total per tier name, in plan order."""
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.tier] = totals.get(line.tier, 0) + line.amount.fen
        return {key: Money(fen) for key, fen in totals.items()}

    def as_records(self) -> list[Record]:
        """Flat rows, one per line, with the plan's fields: ready for ``pandas.DataFrame``.

        Values are ``str``, ``int`` (fen) or ``Decimal`` (元); no floats.
        """
        head: Record = {
            "plan_id": self.plan_id,
            "owner_id": self.owner_id,
            "as_of": self.as_of.isoformat(),
            "period_start": None if self.period is None else self.period.start.isoformat(),
            "period_end": None if self.period is None else self.period.end.isoformat(),
        }
        return [head | line.as_record() for line in self.lines]

    def notice_rows(self) -> tuple[NoticeRow, ...]:
        """The public-notice rows (公示): one per payee with the total and the reasons.

        The reason of a line reads like ``"光伏公益岗位: 55% × 可分配收益 111000.00元"`` or
        ``"分红: 按表 3人 监测户 1139.00元"`` — the line's ``basis``.
        """
        order: dict[str, list[AllocationLine]] = {}
        for line in self.lines:
            order.setdefault(line.beneficiary_id, []).append(line)
        rows = []
        for beneficiary_id, lines in order.items():
            first = lines[0]
            rows.append(
                NoticeRow(
                    beneficiary_id=beneficiary_id,
                    name=first.beneficiary_name or beneficiary_id,
                    kind=first.beneficiary_kind.value,
                    amount=Money(sum(line.amount.fen for line in lines)),
                    reasons=tuple(f"{line.tier}: {line.basis}" for line in lines),
                )
            )
        return tuple(rows)


BASE_ZH = {
    "gross": "收益总额",
    "net": "可分配收益",
    "remaining": "剩余资金",
    "fixed": "定额",
    "per_post": "按岗位",
    "table": "按分档标准",
}
"""Chinese names of the bases, as printed on a public notice (公示)."""

SPLIT_ZH = {
    "equal": "平均分配",
    "weights": "按权重",
    "table": "按分档标准",
    "days_worked": "按劳动天数",
    "per_post": "按岗位",
    "shares": "按股份",
}
"""Chinese names of the split methods, as printed on a public notice (公示)."""


def describe_rate(rate: Fraction | None, base: str, base_amount: Money) -> str:
    """``"55% × 可分配收益 111000.00元"``: a rate on a base, in words for a (Chinese) notice."""
    name = BASE_ZH.get(base, base)
    if rate is None:
        return f"{name} {base_amount}"
    return f"{_percent(rate)} × {name} {base_amount}"
