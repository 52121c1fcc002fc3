"""Plots (图表) of income, allocations and the register, as matplotlib figures (``pip install ".[plot]"``).

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot`` (no
global state; a notebook displays it, :meth:`~matplotlib.figure.Figure.savefig` writes
.png or .svg). Amounts are exact :class:`~assetreg.domain.money.Money` up to here; the bar
heights are 万元 (or 元) as floats for drawing only, and every label printed on a bar is the
exact amount's text.

Chinese labels need a CJK font. ``lang=None`` (the default) uses Chinese when one is
installed (:func:`cjk_font`) and English otherwise, with a :class:`PlotFontWarning`;
``lang="zh"`` without a CJK font falls back to English the same way; ``lang="en"`` is English.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure

from assetreg.domain.money import Money
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.revenue import Deduction
from assetreg.stats import AmountUnit, IncomeSeries, StatusByClass, shown_amount

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from assetreg.income.distribution import IncomeNotice
    from assetreg.income.results import AllocationLine

__all__ = [
    "CJK_FONTS",
    "PlotFontWarning",
    "allocation_waterfall",
    "cjk_font",
    "income_chart",
    "notice_tiers",
    "notice_waterfall",
    "status_chart",
    "tier_chart",
]

CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)
"""Fonts that can draw Chinese labels, in order of preference."""

_FEN_PER: Final = {AmountUnit.YUAN: 100, AmountUnit.WAN: 1_000_000}


class PlotFontWarning(UserWarning):
    """No CJK font is installed: the plot's labels are in English."""


def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, or ``None`` when none is installed."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _language(lang: str | None) -> tuple[bool, str | None]:
    """``(Chinese?, font)`` for ``lang``; warns when Chinese is wanted and cannot be drawn."""
    if lang == "en":
        return False, None
    font = cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font installed (e.g. fonts-noto-cjk); plot labels are in English",
            PlotFontWarning,
            stacklevel=3,
        )
        return False, None
    return True, font


@contextmanager
def _fonts(font: str | None) -> Iterator[None]:
    """Text created inside the block uses ``font`` (the family is resolved when the text is made)."""
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with mpl.rc_context({"font.family": family, "axes.unicode_minus": False}):
        yield


def _height(amount: Money, unit: AmountUnit) -> float:
    return amount.fen / _FEN_PER[unit]  # drawing coordinate only; labels print the exact text


def _unit_label(unit: AmountUnit, zh: bool) -> str:
    return unit.label_zh if zh else ("yuan" if unit is AmountUnit.YUAN else "10k yuan")


def income_chart(
    series: IncomeSeries, *, unit: AmountUnit = AmountUnit.WAN, lang: str | None = None, title: str | None = None
) -> Figure:
    """Income over the years as stacked bars, one series per class, area or kind (收益年度图).

    Args:
        series: from :func:`assetreg.stats.income_series`.
        unit: 万元 (default) or 元 for the bar heights.
        lang: ``"zh"``, ``"en"`` or ``None`` (Chinese when a CJK font is installed).
        title: the title (a default naming the grouping otherwise).

    Returns:
        A figure with one axes: one bar container per group (legend = the groups' labels),
        one bar per year; each year's total printed above its stack.
    """
    zh, font = _language(lang)
    with _fonts(font):
        figure = Figure(figsize=(8, 4.5), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(series.years)))
        bottoms = [0.0] * len(positions)
        for group, amounts in zip(series.groups, series.amounts, strict=True):
            heights = [_height(a, unit) for a in amounts]
            axes.bar(positions, heights, bottom=bottoms, label=group[1] if zh else group[2])
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        for position, year in zip(positions, series.years, strict=True):
            axes.annotate(
                shown_amount(series.total(year), unit),
                (position, bottoms[position]),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        axes.set_xticks(positions, [str(y) for y in series.years])
        by = series.by.label_zh if zh else series.by.value
        axes.set_title(title or (f"资产收益(按{by})" if zh else f"Income by {by}"))
        axes.set_xlabel("年度" if zh else "year")
        axes.set_ylabel(("收益" if zh else "income") + f" ({_unit_label(unit, zh)})")
        if series.groups:
            axes.legend()
    return figure


def _tiers(lines: Sequence[AllocationLine], zh: bool) -> list[tuple[str, Money, int]]:
    """``(tier label, amount, lines)`` in tier order (the remainder last).

    The label is the plan's tier name in Chinese, ``"tier N"`` / ``"remainder"`` in English
    (tier names are Chinese text that a Latin font cannot draw).
    """
    amounts: dict[tuple[int, str], int] = defaultdict(int)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for line in lines:
        key = (line.tier_index if line.tier_index >= 0 else 10**9, line.tier)
        amounts[key] += line.amount.fen
        counts[key] += 1

    def label(key: tuple[int, str]) -> str:
        if zh:
            return key[1]
        return "remainder" if key[0] == 10**9 else f"tier {key[0] + 1}"

    return [(label(key), Money(amounts[key]), counts[key]) for key in sorted(amounts)]


def allocation_waterfall(
    gross: Money,
    deductions: Sequence[Deduction],
    lines: Sequence[AllocationLine],
    *,
    unit: AmountUnit = AmountUnit.YUAN,
    lang: str | None = None,
    title: str | None = None,
) -> Figure:
    """One asset's allocation as a waterfall (收益分配瀑布图).

    The steps: gross income (收益) → each deduction (扣除) → distributable income (可分配收益)
    → each tier of the plan (分配层级) down to zero → what each kind of payee received
    (households, collective, reserve…).

    Args:
        gross: gross income (fen).
        deductions: the deductions made (the refused ones are not drawn).
        lines: the allocation lines (of every owner's allocation).
        unit: 元 (default) or 万元.
        lang: ``"zh"``, ``"en"`` or ``None`` (Chinese when a CJK font is installed).
        title: the title.

    Returns:
        A figure with one axes holding one bar per step, left to right, each labelled with
        its exact amount; the x tick labels name the steps.
    """
    zh, font = _language(lang)
    net = gross - Money(sum(d.amount.fen for d in deductions))
    steps: list[tuple[str, Money, str]] = [("收益" if zh else "gross", gross, "total")]
    steps += [(d.kind.label_zh if zh else d.kind.value, -d.amount, "step") for d in deductions]
    steps.append(("可分配收益" if zh else "distributable", net, "total"))
    steps += [(tier, -amount, "step") for tier, amount, _ in _tiers(lines, zh)]
    kinds: dict[BeneficiaryKind, int] = defaultdict(int)
    for line in lines:
        kinds[line.beneficiary_kind] += line.amount.fen
    steps += [(k.label_zh if zh else k.value, Money(kinds[k]), "payee") for k in BeneficiaryKind if k in kinds]
    colours = {"total": "#7f7f7f", "step": "#d62728", "payee": "#2ca02c"}
    with _fonts(font):
        figure = Figure(figsize=(max(6.0, 1.1 * len(steps)), 4.5), layout="constrained")
        axes = figure.add_subplot()
        level = 0.0
        for position, (_, amount, role) in enumerate(steps):
            height = _height(amount, unit)
            if role == "step":
                bottom = level + height
                level = bottom
                drawn = -height
            else:
                bottom = 0.0
                drawn = height
                if role == "total":
                    level = height
            axes.bar([position], [drawn], bottom=[bottom], color=colours[role])
            axes.annotate(shown_amount(amount, unit), (position, bottom + drawn), ha="center", va="bottom", fontsize=8)
        axes.set_xticks(range(len(steps)), [label for label, _, _ in steps], rotation=30, ha="right")
        axes.set_ylabel(("金额" if zh else "amount") + f" ({_unit_label(unit, zh)})")
        axes.set_title(title or ("收益分配" if zh else "Allocation"))
    return figure


def _notice_title(notice: IncomeNotice, lang: str | None) -> str:
    """The asset's name (its id when the labels cannot be Chinese) and the period."""
    zh = lang != "en" and cjk_font() is not None
    return f"{notice.asset_name if zh else notice.asset_id} {notice.period.start} – {notice.period.last}"


def notice_waterfall(notice: IncomeNotice, *, unit: AmountUnit = AmountUnit.YUAN, lang: str | None = None) -> Figure:
    """:func:`allocation_waterfall` of a distribution's notice (every owner's lines)."""
    lines = [line for allocation in notice.allocations for line in allocation.lines]
    title = _notice_title(notice, lang)
    return allocation_waterfall(notice.income.gross, notice.income.deducted, lines, unit=unit, lang=lang, title=title)


def notice_tiers(notice: IncomeNotice, *, unit: AmountUnit = AmountUnit.YUAN, lang: str | None = None) -> Figure:
    """:func:`tier_chart` of a distribution's notice (every owner's lines)."""
    lines = [line for allocation in notice.allocations for line in allocation.lines]
    return tier_chart(lines, unit=unit, lang=lang, title=_notice_title(notice, lang))


def tier_chart(
    lines: Sequence[AllocationLine],
    *,
    unit: AmountUnit = AmountUnit.YUAN,
    lang: str | None = None,
    title: str | None = None,
) -> Figure:
    """What each tier of a plan paid, as horizontal bars (分配层级构成).

    Returns:
        A figure with one axes: one bar per tier (plan order, top down), labelled with the
        exact amount and the number of payees.
    """
    zh, font = _language(lang)
    tiers = _tiers(lines, zh)
    with _fonts(font):
        figure = Figure(figsize=(8, 1.0 + 0.6 * max(1, len(tiers))), layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(tiers)))
        axes.barh(positions, [_height(amount, unit) for _, amount, _ in tiers], color="#1f77b4")
        for position, (_, amount, count) in enumerate(tiers):
            text = f"{shown_amount(amount, unit)} ({count}{'笔' if zh else ' lines'})"
            axes.annotate(text, (_height(amount, unit), position), va="center", fontsize=8)
        axes.set_yticks(positions, [tier for tier, _, _ in tiers])
        axes.invert_yaxis()
        axes.set_xlabel(("金额" if zh else "amount") + f" ({_unit_label(unit, zh)})")
        axes.set_title(title or ("分配层级构成" if zh else "Tiers"))
    return figure


def status_chart(table: StatusByClass, *, lang: str | None = None, title: str | None = None) -> Figure:
    """Assets by status and class as grouped bars (资产状态×类别).

    Returns:
        A figure with one axes: one bar container per class (legend = classes), one bar
        per status, heights = number of assets.
    """
    zh, font = _language(lang)
    with _fonts(font):
        figure = Figure(figsize=(8, 4.5), layout="constrained")
        axes: Axes = figure.add_subplot()
        width = 0.8 / max(1, len(table.classes))
        for index, asset_class in enumerate(table.classes):
            positions = [s + index * width for s in range(len(table.statuses))]
            heights = [row[index] for row in table.counts]
            bars = axes.bar(
                positions,
                heights,
                width=width,
                label=asset_class.label_zh if zh else asset_class.value.replace("_", " "),
            )
            axes.bar_label(bars, fontsize=8)
        middle = [s + 0.4 - width / 2 for s in range(len(table.statuses))]
        axes.set_xticks(middle, [s.label_zh if zh else s.value.replace("_", " ") for s in table.statuses])
        axes.set_ylabel("资产个数" if zh else "assets")
        axes.set_title(
            title or (f"资产状态与类别 {table.as_of}" if zh else f"Assets by status and class, {table.as_of}")
        )
        if table.classes:
            axes.legend()
    return figure
