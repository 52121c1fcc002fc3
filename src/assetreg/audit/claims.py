"""Published figures as claims (公示数字核对), DESIGN §9 and issue 11.

Notices and reports print totals, counts of households and people, per-household amounts,
ranges ("每户300元到600元不等") and tables at different precisions. Published figures
sometimes do not reconcile (DESIGN §9: "checks must report mismatches rather than assume sums
add up"), so each figure is recorded as a claim — what was printed, at the precision it was
printed — and checked by arithmetic. Each check returns findings (never raises, never
adjusts a figure) whose evidence carries the arithmetic.

* :func:`whole_multiple` (CLM-101): a total that should be a whole number of a unit amount
  (139 元 back-pay per household, tiers in whole hundreds of 元).
* :func:`parts_add_up` (CLM-102): parts ("其中…") against their total, for households,
  people or amount.
* :func:`same_figure` (CLM-103): one count or amount given differently by two documents.
* :func:`same_total_at_precisions` (CLM-104): one total printed at two precisions
  (30862.6147 万元 against 30862.61 万元): a gap within rounding is reported as info, a gap
  beyond it as a warning.
* :func:`within_range` (CLM-105): a total paid to a number of households against a
  published range per household.

A figure printed at ``p`` decimal places of its unit stands for any amount within half a
printed step of it: 15.46 万元 is any amount in [154,550, 154,650) 元.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

import attrs

from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.domain.money import FEN_PER_WAN, FEN_PER_YUAN, Money
from assetreg.errors import InvalidAmount, InvalidValue

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "CLAIM_CODES",
    "PublishedAmount",
    "PublishedFigure",
    "parts_add_up",
    "same_figure",
    "same_total_at_precisions",
    "whole_multiple",
    "within_range",
]

CLAIM_CODES: Final = {
    "CLM-101": "total not a whole multiple of its unit amount / 合计不是单位金额的整数倍",
    "CLM-102": "parts do not add up to their total / 分项之和与合计不符",
    "CLM-103": "two documents give different figures / 两份文件数字不一致",
    "CLM-104": "one total printed at two precisions differs / 不同精度的合计不一致",
    "CLM-105": "total outside the published range per household / 合计超出公布的每户金额区间",
}
"""The claim checks' codes and titles (English / Chinese)."""

_RULE: Final = "§9"
_AMOUNT: Final = re.compile(r"^\s*(?P<number>\d[\d,]*(?:\.(?P<places>\d+))?)\s*(?P<unit>万元|万|元)?\s*$")


@attrs.frozen(kw_only=True)
class PublishedAmount:
    """An amount as printed (公布金额): its text, value and the step of its last digit.

    Attributes:
        text: the amount as printed (``"30862.6147万元"``).
        value: the printed value in fen.
        step: one unit of the last printed digit in fen (0.01 万元 = 100 元 = 10,000 fen).
    """

    text: str
    value: Money
    step: int

    @classmethod
    def parse(cls, text: str) -> PublishedAmount:
        """Read ``"15.46万元"``, ``"104万"``, ``"600元"`` (元 when no unit is printed).

        Raises:
            InvalidAmount: not a number with an optional 万元/万/元 unit, or finer than a fen.
        """
        match = _AMOUNT.match(text)
        if match is None:
            raise InvalidAmount(
                f"published amount {text!r} is not a number with 万元 or 元",
                f"公布金额 {text!r} 不是带“万元”或“元”的数字",
                field="amount",
                actual=text,
            )
        unit = FEN_PER_WAN if match["unit"] in {"万元", "万"} else FEN_PER_YUAN
        places = len(match["places"] or "")
        step = Fraction(unit, 10**places)
        if step.denominator != 1:
            raise InvalidAmount(
                f"published amount {text!r} is finer than a fen",
                f"公布金额 {text!r} 精度超过分",
                field="amount",
                actual=text,
            )
        value = Money.parse(text, default_unit="元", field="amount")
        return cls(text=text.strip(), value=value, step=int(step))

    @property
    def low(self) -> int:
        """The least amount (fen, inclusive) the printed figure can stand for."""
        return self.value.fen - self.step // 2 if self.step > 1 else self.value.fen

    @property
    def high(self) -> int:
        """The greatest amount (fen, inclusive) the printed figure can stand for."""
        return self.value.fen + (self.step - 1) // 2 if self.step > 1 else self.value.fen


def _amount(value: PublishedAmount | str | None) -> PublishedAmount | None:
    if value is None or isinstance(value, PublishedAmount):
        return value
    return PublishedAmount.parse(value)


def _count(value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidValue(
            "a published count is a whole number, not negative", "公布的户数或人数应为非负整数", actual=value
        )
    return value


@attrs.frozen(kw_only=True)
class PublishedFigure:
    """One line of a notice or report as published (公示行).

    Attributes:
        document: the notice or report (title, or title and date) — the finding's subject.
        label: the line's label as printed (``"产业分红资金共计"``, ``"监测户"``).
        amount: the amount printed, or ``None`` (text is parsed by :meth:`PublishedAmount.parse`).
        households: households printed (户), or ``None``.
        people: people printed (人), or ``None``.
        source: where it was read (URL).
    """

    document: str
    label: str
    amount: PublishedAmount | None = attrs.field(default=None, converter=_amount)
    households: int | None = attrs.field(default=None, converter=_count)
    people: int | None = attrs.field(default=None, converter=_count)
    source: str = ""

    def value_of(self, field: str) -> int | None:
        """``households`` or ``people``, or the amount's fen for ``"amount"``."""
        if field == "amount":
            return None if self.amount is None else self.amount.value.fen
        if field in {"households", "people"}:
            value: int | None = getattr(self, field)
            return value
        raise InvalidValue(
            f"unknown figure {field!r}",
            f"未知的数字类别 {field!r}",
            field="field",
            expected="households, people, amount",
        )


_FIELD_ZH: Final = {"households": "户数", "people": "人数", "amount": "金额"}
_UNIT: Final = {"households": "户", "people": "人"}


def _show(field: str, value: int) -> str:
    return str(Money(value)) if field == "amount" else f"{value}{_UNIT[field]}"


def _finding(  # noqa: PLR0917 - code, severity, subject, messages, evidence: one finding
    code: str, severity: Severity, figure: PublishedFigure, en: str, zh: str, evidence: dict[str, object]
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        subject=figure.document,
        subject_kind=SubjectKind.NOTICE,
        message_en=en,
        message_zh=zh,
        rule=_RULE,
        evidence={"label": figure.label, "source": figure.source, **evidence},
    )


def whole_multiple(figure: PublishedFigure, unit: Money, *, what: str = "") -> tuple[Finding, ...]:
    """CLM-101: is ``figure.amount`` a whole number of ``unit``?

    When it is not, the finding gives the quotient, the remainder and the whole multiples
    that the printed precision allows: a warning when none does, info when one does (the
    gap is then explained by the rounding of the printed figure; nothing is adjusted).

    Args:
        figure: the total as published (must carry an amount).
        unit: the amount per household or per step (139 元, 100 元), positive.
        what: what the unit is, for the message (``"back-pay per household"``).

    Raises:
        InvalidValue: no amount on the figure, or a unit that is not positive.
    """
    amount = figure.amount
    if amount is None or unit.fen <= 0:
        raise InvalidValue(
            "whole_multiple needs a published amount and a positive unit",
            "整数倍核对需要公布金额和正的单位金额",
            record=figure.document,
            field="amount" if amount is None else "unit",
        )
    whole, rest = divmod(amount.value.fen, unit.fen)
    if rest == 0:
        return ()
    first = -(-amount.low // unit.fen)
    candidates = list(range(first, amount.high // unit.fen + 1))
    severity = Severity.INFO if candidates else Severity.WARNING
    quotient = Fraction(amount.value.fen, unit.fen)
    shown = f"{Decimal(quotient.numerator) / Decimal(quotient.denominator):.4f}"
    within = (
        f"; at the printed precision {', '.join(f'{n} × {unit} = {Money(n * unit.fen)}' for n in candidates)} fits"
        if candidates
        else f"; no whole multiple lies within the printed precision ({Money(amount.low)} to {Money(amount.high)})"
    )
    label = f" ({what})" if what else ""
    return (
        _finding(
            "CLM-101",
            severity,
            figure,
            f"{figure.label}: {amount.text} = {amount.value} is not a whole multiple of {unit}{label}: "
            f"{amount.value} / {unit} = {shown}, remainder {Money(rest)}{within}",
            f"{figure.label}：{amount.text}（{amount.value}）不是 {unit} 的整数倍，"
            f"{amount.value} ÷ {unit} = {shown}，余 {Money(rest)}"
            + ("，按公布精度可为 " + "、".join(f"{n}×{unit}" for n in candidates) if candidates else ""),
            {
                "published": amount.text,
                "amount": amount.value,
                "unit": unit,
                "quotient": quotient,
                "whole": whole,
                "remainder": Money(rest),
                "precision_low": Money(amount.low),
                "precision_high": Money(amount.high),
                "multiples_within_precision": tuple(candidates),
            },
        ),
    )


def parts_add_up(total: PublishedFigure, parts: Sequence[PublishedFigure], *, field: str) -> tuple[Finding, ...]:
    """CLM-102: do the parts' households, people or amounts add up to the total's?

    Parts that print nothing for ``field`` make the check incomplete: it reports them
    instead of counting them as zero. For amounts, a gap within the printed precision of
    the figures is info, beyond it a warning.

    Args:
        total: the total line.
        parts: its parts ("其中…" rows).
        field: ``"households"``, ``"people"`` or ``"amount"``.
    """
    expected = total.value_of(field)
    missing = [p.label for p in parts if p.value_of(field) is None]
    if expected is None:
        return ()
    if missing:
        return (
            _finding(
                "CLM-102",
                Severity.WARNING,
                total,
                f"{total.label}: {field} of {', '.join(missing)} not printed; the parts cannot be checked",
                f"{total.label}：{'、'.join(missing)} 未公布{_FIELD_ZH[field]}，无法核对分项",
                {"field": field, "total": expected, "missing": tuple(missing)},
            ),
        )
    values = [p.value_of(field) or 0 for p in parts]
    got = sum(values)
    if got == expected:
        return ()
    slack = 0
    if field == "amount":
        figures = [total, *parts]
        slack = sum((f.amount.high - f.amount.low) for f in figures if f.amount is not None)
    gap = got - expected
    severity = Severity.INFO if abs(gap) <= slack else Severity.WARNING
    sum_text = " + ".join(_show(field, v) for v in values)
    return (
        _finding(
            "CLM-102",
            severity,
            total,
            f"{total.label}: {sum_text} = {_show(field, got)}, the total says {_show(field, expected)} "
            f"(difference {_show(field, gap) if field == 'amount' else gap})",
            f"{total.label}：{sum_text} = {_show(field, got)}，合计为 {_show(field, expected)}，相差 "
            f"{_show(field, gap) if field == 'amount' else gap}",
            {
                "field": field,
                "total": expected,
                "parts": tuple(values),
                "part_labels": tuple(p.label for p in parts),
                "sum": got,
                "difference": gap,
                "rounding_allowance": slack,
            },
        ),
    )


def same_figure(first: PublishedFigure, second: PublishedFigure, *, field: str) -> tuple[Finding, ...]:
    """CLM-103: do two documents print the same households, people or amount for one thing?

    Args:
        first: the figure as one document prints it (the finding's subject).
        second: the figure as another prints it.
        field: ``"households"``, ``"people"`` or ``"amount"``.
    """
    a, b = first.value_of(field), second.value_of(field)
    if a is None or b is None or a == b:
        return ()
    return (
        _finding(
            "CLM-103",
            Severity.WARNING,
            first,
            f"{first.label}: {first.document} gives {_show(field, a)}, {second.document} gives {_show(field, b)} "
            f"(difference {b - a if field != 'amount' else Money(b - a)})",
            f"{first.label}：《{first.document}》为 {_show(field, a)}，《{second.document}》为 {_show(field, b)}",
            {
                "field": field,
                "first": a,
                "second": b,
                "difference": b - a,
                "second_document": second.document,
                "second_label": second.label,
                "second_source": second.source,
            },
        ),
    )


def same_total_at_precisions(first: PublishedFigure, second: PublishedFigure) -> tuple[Finding, ...]:
    """CLM-104: one total printed at two precisions (two tables of one report).

    The finer figure must round to the coarser one: a gap within the coarser figure's half
    step is a rounding gap (info, with the gap in 元), a larger gap a warning. Equal
    figures give nothing.

    Raises:
        InvalidValue: a figure without an amount.
    """
    if first.amount is None or second.amount is None:
        raise InvalidValue(
            "same_total_at_precisions needs two amounts", "不同精度核对需要两个金额", record=first.document
        )
    fine, coarse = sorted((first.amount, second.amount), key=lambda a: a.step)
    gap = coarse.value.fen - fine.value.fen
    if gap == 0:
        return ()
    inside = coarse.low <= fine.value.fen <= coarse.high
    severity = Severity.INFO if inside else Severity.WARNING
    verdict_en = (
        f"a rounding gap of {Money(abs(gap))}, within half a printed step of {coarse.text}"
        if inside
        else f"a gap of {Money(abs(gap))}, more than rounding {coarse.text} can explain"
    )
    verdict_zh = f"相差 {Money(abs(gap))}，" + ("属于舍入差" if inside else "超出舍入误差")
    return (
        _finding(
            "CLM-104",
            severity,
            first,
            f"{first.label} {first.amount.text} and {second.label} {second.amount.text}: {verdict_en}",
            f"{first.label} {first.amount.text} 与 {second.label} {second.amount.text}：{verdict_zh}",
            {
                "finer": fine.text,
                "coarser": coarse.text,
                "finer_amount": fine.value,
                "coarser_amount": coarse.value,
                "gap": Money(gap),
                "coarser_low": Money(coarse.low),
                "coarser_high": Money(coarse.high),
                "within_rounding": inside,
            },
        ),
    )


def within_range(figure: PublishedFigure, low: Money, high: Money) -> tuple[Finding, ...]:
    """CLM-105: can ``figure.households`` households each get between ``low`` and ``high``?

    ``每户300元到600元不等`` with 75 households allows totals from 22,500 to 45,000 元; a
    total outside ``households × [low, high]`` is a warning.

    Raises:
        InvalidValue: a figure without amount or households, or ``low`` above ``high``.
    """
    if figure.amount is None or figure.households is None or low > high:
        raise InvalidValue(
            "within_range needs an amount, households and low <= high",
            "区间核对需要金额、户数且下限不高于上限",
            record=figure.document,
        )
    n, total = figure.households, figure.amount.value
    least, most = Money(low.fen * n), Money(high.fen * n)
    if least <= total <= most:
        return ()
    return (
        _finding(
            "CLM-105",
            Severity.WARNING,
            figure,
            f"{figure.label}: {total} for {n} households lies outside {n} × [{low}, {high}] = [{least}, {most}]",
            f"{figure.label}：{n} 户共 {total}，不在每户 {low} 到 {high} 的范围 [{least}, {most}] 内",
            {"amount": total, "households": n, "low": low, "high": high, "least": least, "most": most},
        ),
    )
