"""The benchmark report: every figure against its anchor, written to a results file.

(Helpers; ``conftest.py`` exposes the ``report`` fixture and writes the file.)

Benchmarks call the ``report`` fixture with the timings of their own path and of the raw
anchor measured in the same run (interleaved rounds); at the end of the session the table
(figure, size, anchor, min and median of each, ratio of the medians, goal) is printed and
written as Markdown to ``ASSETREG_BENCH_RESULTS`` (default ``bench-results.md`` in the
directory pytest was started from). Nothing here fails on time.

Size knob: ``ASSETREG_BENCH_QUICK=1`` lowers every default size (see :func:`size`) for a
run of a few minutes; the per-benchmark variables documented in ``README.md`` still win.
"""

from __future__ import annotations

import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest

if TYPE_CHECKING:
    from collections.abc import Sequence

QUICK = os.environ.get("ASSETREG_BENCH_QUICK", "") not in {"", "0"}


def size(variable: str, full: str, quick: str) -> str:
    """The value of a size variable: the environment's, else ``quick`` or ``full``."""
    return os.environ.get(variable) or (quick if QUICK else full)


def rounds() -> int:
    """Interleaved rounds of each measurement (``ASSETREG_BENCH_ROUNDS``, at least 3 by default)."""
    return int(size("ASSETREG_BENCH_ROUNDS", "3", "3"))


@attrs.frozen
class Row:
    """One figure of the report: our timings and the anchor's (seconds, or any unit)."""

    figure: str
    size: str
    anchor: str
    ours: tuple[float, ...]
    theirs: tuple[float, ...]
    unit: str
    goal: str
    limit: float | None

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.theirs)

    def cells(self) -> list[str]:
        def show(values: Sequence[float]) -> str:
            return f"{_fmt(min(values), self.unit)} / {_fmt(statistics.median(values), self.unit)}"

        met = "" if self.limit is None else ("yes" if self.ratio <= self.limit else "no")
        return [
            self.figure,
            self.size,
            self.anchor,
            show(self.ours),
            show(self.theirs),
            f"{self.ratio:.2f}x",
            str(len(self.ours)),
            self.goal,
            met,
        ]


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.1f} {unit}"


_ROWS: list[Row] = []


class Report:
    """Collects the rows of the report (the ``report`` fixture)."""

    def __call__(
        self,
        figure: str,
        *,
        size: str,
        anchor: str,
        ours: Sequence[float],
        theirs: Sequence[float],
        unit: str = "s",
        goal: str = "",
        limit: float | None = None,
    ) -> Row:
        """Record a figure; ``limit`` is the goal's ratio (``None``: no goal, just a figure)."""
        row = Row(figure, size, anchor, tuple(ours), tuple(theirs), unit, goal, limit)
        _ROWS.append(row)
        return row


_HEADER = ["figure", "size", "anchor", "ours min / median", "anchor min / median", "ratio", "runs", "goal", "met"]


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines.extend("| " + " | ".join(row.cells()) + " |" for row in rows)
    return "\n".join(lines)


def write_results(session: pytest.Session) -> None:
    """Print the table and write it to the results file (nothing when no figure was recorded)."""
    if not _ROWS:
        return
    target = Path(os.environ.get("ASSETREG_BENCH_RESULTS") or session.config.invocation_params.dir / "bench-results.md")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"# assetreg benchmark results\n\n{stamp} · Python {platform.python_version()} · "
        f"{os.cpu_count()} CPUs · {'quick' if QUICK else 'full'} sizes · ratio = median(ours) / median(anchor), "
        "interleaved runs\n\n" + table(_ROWS) + "\n"
    )
    target.write_text(text, encoding="utf-8")
    print(f"\n\n{table(_ROWS)}\n\nwritten to {target}")
