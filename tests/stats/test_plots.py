"""Plots on the Agg backend: each function returns a figure with the expected series and labels.

Figures: the bundled sample's income (see test_income_stats.py) and the 柳家铺村 PV distribution
of tests/sql/book_builders.py (73,000.00 gross, 5,580.00 O&M, 67,420.00 distributable, 45 %
= 30,339.00 to the collective, 37,081.00 to households).
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from assetreg.adapters import plots
from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger
from assetreg.cli import app
from assetreg.demo import run_demo
from assetreg.domain.policy import Policy
from assetreg.income import distributable_income, om_cap_amount
from assetreg.samples import sample_path
from assetreg.stats import income_series, status_by_class
from sql.book_builders import distribution, om_claim

mpl.use("Agg")


@pytest.fixture(scope="module")
def sample():
    policy = Policy.from_toml(sample_path("sample_policy.toml").read_text(encoding="utf-8"))
    register = import_ledger(
        sample_path("sample_ledger.csv"), recorded_at=datetime(2024, 12, 1, tzinfo=UTC), policy=policy
    ).register
    return register, read_income_ledger(sample_path("sample_revenue.csv")).entries


def _heights(container) -> list[float]:
    return [round(bar.get_height(), 6) for bar in container]


def test_income_chart_stacks_one_series_per_area(sample, tmp_path: Path) -> None:
    register, entries = sample
    figure = plots.income_chart(income_series(register, entries, "area"), lang="en")
    assert isinstance(figure, Figure)
    (axes,) = figure.axes
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["130607", "620822", "620902"]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    # 万元: 满城 8.5165 in 2023 and 4.2583 in 2024; 灵台 4.8666667 + 2.4333333; 肃州 4.5 in 2019.
    assert _heights(axes.containers[0]) == [0.0, 0.0, 0.0, 0.0, 8.5165, 4.25825]
    assert _heights(axes.containers[1]) == [4.866667, 2.433333, 0.0, 0.0, 0.0, 0.0]
    assert [t.get_text() for t in axes.texts] == ["9.3667", "2.4333", "0.0000", "0.0000", "8.5165", "4.2583"]
    assert axes.get_ylabel() == "income (10k yuan)"
    target = tmp_path / "income.png"
    figure.savefig(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_waterfall_of_the_stored_distribution_ends_at_zero() -> None:
    record = distribution()
    income = distributable_income(record.gross, [om_claim().as_deduction()], om_cap=om_cap_amount(186_000, "0.03"))
    figure = plots.allocation_waterfall(record.gross, income.deducted, record.lines, lang="en")
    (axes,) = figure.axes
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "gross",
        "om",
        "distributable",
        "tier 1",
        "tier 2",
        "household",
        "collective",
    ]
    texts = [t.get_text() for t in axes.texts]
    assert texts == ["73000.00", "-5580.00", "67420.00", "-30339.00", "-37081.00", "37081.00", "30339.00"]
    bars = [bar for container in axes.containers for bar in container]
    assert round(bars[4].get_y(), 2) == 0.0  # the last tier reaches zero: every fen allocated


def test_tier_chart_and_status_chart(sample) -> None:
    record = distribution()
    figure = plots.tier_chart(record.lines, lang="en")
    (axes,) = figure.axes
    assert [t.get_text() for t in axes.get_yticklabels()] == ["tier 1", "tier 2"]
    assert [round(b.get_width(), 2) for b in axes.containers[0]] == [30339.0, 37081.0]
    assert axes.texts[1].get_text() == f"37081.00 ({sum(1 for line in record.lines if line.tier_index == 1)} lines)"

    register, _ = sample
    table = status_by_class(register, as_of=date(2024, 12, 31))
    chart = plots.status_chart(table, lang="en")
    (axes,) = chart.axes
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["public welfare", "operating"]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["planned", "in use"]
    assert _heights(axes.containers[0]) == [3.0, 0.0]
    assert _heights(axes.containers[1]) == [2.0, 3.0]


def test_chinese_labels_need_a_cjk_font(monkeypatch: pytest.MonkeyPatch, sample) -> None:
    register, entries = sample
    series = income_series(register, entries, "class")
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with pytest.warns(plots.PlotFontWarning):
        figure = plots.income_chart(series)
    assert figure.axes[0].get_title() == "Income by class"
    monkeypatch.setattr(plots, "cjk_font", lambda: "DejaVu Sans")  # stands in for an installed CJK font
    with warnings.catch_warnings():
        warnings.simplefilter("error", plots.PlotFontWarning)
        chinese = plots.income_chart(series)
    (axes,) = chinese.axes
    assert axes.get_title() == "资产收益(按资产类别)"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["经营性资产"]
    assert axes.get_ylabel() == "收益 (万元)"


def test_plot_command_writes_png_and_svg(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    run_demo(db)
    runner = CliRunner()
    png = tmp_path / "status.png"
    result = runner.invoke(
        app, ["plot", "status", "--db", str(db), "--as-of", "2024-12-31", "-o", str(png), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    svg = tmp_path / "waterfall.svg"
    samples = sample_path("sample_revenue.csv").parent
    result = runner.invoke(
        app,
        [
            "plot",
            "waterfall",
            "--db",
            str(db),
            "--asset",
            "LT-PV-001",
            "--plan",
            "pv-45-55",
            "--income",
            str(samples / "sample_revenue.csv"),
            "--roster",
            str(samples / "sample_households.csv"),
            "--policy",
            "gansu-county-2013",
            "-o",
            str(svg),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in svg.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["plot", "income", "--db", str(db), "-o", str(tmp_path / "x.pdf"), "--lang", "en"])
    assert (bad.exit_code, "must end in .png or .svg" in bad.output) == (2, True)
    missing = runner.invoke(app, ["plot", "tiers", "--db", str(db), "-o", str(tmp_path / "t.png"), "--lang", "en"])
    assert (missing.exit_code, "needs --asset and --plan" in missing.output) == (2, True)


def test_notice_plots_draw_every_owners_lines() -> None:
    demo = run_demo()
    pv, coop = demo.notices
    waterfall = plots.notice_waterfall(pv, lang="en")
    (axes,) = waterfall.axes
    assert axes.get_title() == "LT-PV-001 2019-05-01 – 2020-04-30"
    assert [t.get_text() for t in axes.texts][0::1][-2:] == ["37081.00", "30339.00"]
    tiers = plots.notice_tiers(coop, lang="en")
    (axes,) = tiers.axes
    # 肃州: 45,000.00 split 55 % / 30 % / 15 % = 24,750.00 / 13,500.00 / 6,750.00.
    assert [round(b.get_width(), 2) for b in axes.containers[0]] == [24750.0, 13500.0, 6750.0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["tier 1", "tier 2", "tier 3"]
