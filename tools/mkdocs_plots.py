"""MkDocs hook: run the demo on the bundled sample and add the plots it makes to the site.

The tutorial shows ``img/income-by-area.png``, ``img/waterfall-LT-PV-001.png``,
``img/tiers-SZ-GH-001.png`` and ``img/status.png``; they are drawn during every build (on
the Agg backend, in English unless a CJK font is installed) from the sample's own rows, so
they are real output of the library, never checked-in pictures.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

from mkdocs.structure.files import File, Files  # noqa: E402

PLOTS = ("income-by-area.png", "waterfall-LT-PV-001.png", "tiers-SZ-GH-001.png", "status.png")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _figures() -> dict[str, bytes]:
    from assetreg.adapters import plots
    from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for
    from assetreg.demo import run_demo
    from assetreg.services.stats import stored_income_series, stored_status_by_class

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        result = run_demo(db)
        engine = create_engine_for(db)
        try:
            series = stored_income_series(SqlUnitOfWork(engine), "area")
            status = stored_status_by_class(SqlUnitOfWork(engine), as_of=date(2024, 12, 31))
        finally:
            engine.dispose()
    pv, coop = result.notices
    return {
        "income-by-area.png": _png(plots.income_chart(series)),
        "waterfall-LT-PV-001.png": _png(plots.notice_waterfall(pv)),
        "tiers-SZ-GH-001.png": _png(plots.notice_tiers(coop)),
        "status.png": _png(plots.status_chart(status)),
    }


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - MkDocs' hook signature
    """Add the generated plots to the site's files."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the font fallback warning: the labels say it all
        figures = _figures()
    for name, content in figures.items():
        files.append(File.generated(config, f"img/{name}", content=content))
    return files
