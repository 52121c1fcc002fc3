"""MkDocs hooks: the plots of the bundled sample and the tables generated from the code.

``reference/tables.md`` is written from the code on every build: the error codes
(:mod:`assetreg.errors`), the audit catalogue's finding codes, the ledger problem codes, the
policy fields with each preset's value, and the ledger headers with their aliases; it can
never fall behind the code.

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


def _cell(value: object) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 120 else text[:117] + "…"


def _table(headers: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _policy_value(value: object) -> str:
    from enum import Enum

    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(getattr(v, "value", v)) for v in value)) or "—"
    if isinstance(value, dict) or hasattr(value, "items"):
        return f"{len(value)} entries"  # type: ignore[arg-type]
    if isinstance(value, tuple):
        return ", ".join(str(getattr(v, "value", v)) for v in value) or "—"
    return str(value)


def tables_page() -> str:
    """The generated page: error codes, finding codes, ledger codes, policy fields, ledger headers."""
    import attrs

    from assetreg import errors
    from assetreg.adapters.ledger import headers
    from assetreg.adapters.ledger.codes import LEDGER_CODES
    from assetreg.audit import CATALOGUE
    from assetreg.domain.policy import PRESETS, Policy

    error_rows = sorted(
        (cls.code, cls.__name__, (cls.__doc__ or "").strip().splitlines()[0])
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.AssetRegError)
    )
    check_rows = [
        (c.meta.code, c.meta.severity.value, c.meta.rule, c.meta.title_en, c.meta.title_zh, ", ".join(c.meta.needs) or "—")
        for c in sorted(CATALOGUE, key=lambda c: c.meta.code)
    ]
    ledger_rows = [
        (e.code, e.kind, e.severity.value, e.rule, e.title_en, e.title_zh)
        for e in sorted(LEDGER_CODES.values(), key=lambda e: e.code)
    ]
    presets = sorted(PRESETS)
    policy_rows = [
        (field.name, *(_policy_value(getattr(PRESETS[name], field.name)) for name in presets))
        for field in attrs.fields(Policy)
    ]
    # the importer's own table of fields, Chinese headers and aliases (read-only here)
    header_rows = [
        (name, spec[1], "、".join(spec[2]) or "—")
        for name, spec in headers._TABLE.items()  # noqa: SLF001 - documentation of the table itself
    ]
    return "\n".join(
        [
            "# Codes and tables",
            "",
            "Generated from the code on every build of this site.",
            "",
            "## Error codes (`assetreg.errors`)",
            "",
            _table(("code", "error", "meaning"), error_rows),
            "## Finding codes (the audit catalogue)",
            "",
            _table(("code", "severity", "rule", "title", "标题", "needs"), check_rows),
            "## Ledger problem codes",
            "",
            _table(("code", "kind", "severity", "rule", "title", "标题"), ledger_rows),
            "## Policy fields and presets",
            "",
            _table(("field", *presets), policy_rows),
            "## Ledger headers and their aliases",
            "",
            _table(("field", "表头", "aliases 别名"), header_rows),
        ]
    )


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - MkDocs' hook signature
    """Add the generated plots and the generated tables page to the site's files."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the font fallback warning: the labels say it all
        figures = _figures()
    for name, content in figures.items():
        files.append(File.generated(config, f"img/{name}", content=content))
    files.append(File.generated(config, "reference/tables.md", content=tables_page()))
    return files
