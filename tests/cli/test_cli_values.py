"""``assetreg values`` and ``assetreg export`` print the book values the API computes (issue 12).

Two stores: the bundled sample (imported as a county would, two rows rejected) and the
legacy greenhouse base of ``tests/domain/valuation_builders.py`` after its split by value
(an opening balance, a revaluation and two successors). For each, the API's
``register_values`` (through ``stored_values``), the ``values`` command's JSON and CSV and
the ``export`` file's 累计折旧 / 净值 columns (.csv and .xlsx, 元 and 万元) must agree on
every asset, to the fen; the figures that can be worked out by hand are asserted exactly.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.cli import app
from assetreg.domain.assets import AssetId
from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import SplitPart, register_values, split_asset
from assetreg.domain.vocab import RestructureBasis
from assetreg.services import import_register, stored_values
from domain.builders import at, villages
from domain.valuation_builders import GH, greenhouse_history

AS_OF = date(2024, 12, 31)
RECORDED_AT = "2024-12-31T09:00:00+08:00"

Figures = dict[str, tuple[Decimal | None, Decimal | None]]
"""Asset id → (累计折旧, 净值) in 元, ``None`` where the asset has no values."""


def _api(db: Path) -> Figures:
    engine = create_engine_for(db)
    try:
        rows = stored_values(SqlUnitOfWork(engine), as_of=AS_OF, policy=NATIONAL_2021)
    finally:
        engine.dispose()
    return {
        row.asset_id: (None, None)
        if row.values is None
        else (row.values.accumulated_depreciation.yuan_decimal, row.values.net_book_value.yuan_decimal)
        for row in rows
    }


def _cell(text: object) -> Decimal | None:
    return None if text in {None, ""} else Decimal(str(text))


def _values_command(runner: CliRunner, db: Path) -> tuple[Figures, Figures]:
    args = ["values", "--db", str(db), "--as-of", AS_OF.isoformat()]
    as_json = runner.invoke(app, [*args, "-f", "json", "--lang", "en"])
    assert as_json.exit_code == 0, as_json.output
    printed = {
        row["asset_id"]: (_cell(row["accumulated_yuan"]), _cell(row["net_yuan"]))
        for row in json.loads(as_json.stdout)["assets"]
    }
    as_csv = runner.invoke(app, [*args, "-f", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    table = {
        row["资产编号"]: (_cell(row["累计折旧(元)"]), _cell(row["净值(元)"]))
        for row in csv.DictReader(io.StringIO(as_csv.stdout))
    }
    return printed, table


def _export(runner: CliRunner, db: Path, out: Path, unit: str) -> tuple[Figures, list[object]]:
    """The exported 累计折旧 / 净值 by asset id, in 元, and the 合计 row's two cells."""
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--as-of", AS_OF.isoformat(), "--unit", unit])
    assert result.exit_code == 0, result.output
    if out.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(out, read_only=True)
        rows = [["" if c is None else c for c in row] for row in book.active.iter_rows(values_only=True)]
        book.close()
    header, *body, closing = rows
    acc, net = header.index(f"累计折旧({unit})"), header.index(f"净值({unit})")
    assert header[acc - 1] == f"原值({unit})"
    scale = Decimal(1) if unit == "元" else Decimal(10_000)

    def yuan(cell: object) -> Decimal | None:
        value = _cell(cell)
        return None if value is None else (value * scale).quantize(Decimal("0.01"))

    figures = {row[header.index("资产编号")]: (yuan(row[acc]), yuan(row[net])) for row in body}
    assert closing[0] == "合计"
    return figures, [yuan(closing[acc]), yuan(closing[net])]  # type: ignore[return-value]


def _totals(figures: Figures) -> list[Decimal]:
    return [
        sum((pair[i] for pair in figures.values() if pair[i] is not None), Decimal(0)).quantize(Decimal("0.01"))
        for i in (0, 1)
    ]


def _check(runner: CliRunner, db: Path, tmp_path: Path) -> Figures:
    api = _api(db)
    printed, table = _values_command(runner, db)
    assert printed == api
    assert table == api
    for suffix in (".csv", ".xlsx"):
        for unit in ("元", "万元"):
            exported, closing = _export(runner, db, tmp_path / f"台账-{unit}{suffix}", unit)
            assert exported == api, (suffix, unit)
            assert closing == _totals(api), (suffix, unit)
    return api


def test_the_bundled_sample_shows_the_api_figures(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    db = tmp_path / "county.sqlite"
    imported = runner.invoke(
        app, ["import", str(samples / "sample_ledger.csv"), "--db", str(db), "--recorded-at", RECORDED_AT]
    )
    assert imported.exit_code == 1, imported.output  # the two bad rows of the sample are rejected
    figures = _check(runner, db, tmp_path)
    # The 天香 cooperative's income-rights asset is not depreciated (净值 = 原值); the other
    # seven have no in-service date or no default life, so they have no values and blank cells.
    assert figures.pop("MC-2021-001") == (Decimal("0.00"), Decimal("8516500.00"))
    assert figures == dict.fromkeys(figures, (None, None))
    assert len(figures) == 7


def _greenhouse_store(db: Path) -> None:
    history = greenhouse_history()
    split = split_asset(
        history,
        NATIONAL_2021,
        on=date(2024, 10, 15),
        parts=(
            SplitPart(asset_id=AssetId("GH-1A"), name="大棚基地东区", original_value=Money.yuan("360000")),
            SplitPart(asset_id=AssetId("GH-1B"), name="大棚基地西区", original_value=Money.yuan("240000")),
        ),
        basis=RestructureBasis.VALUE,
        recorded_at=at(2024, 10, 16),
    )
    books = split.apply({GH: history})
    upgrade(str(db))
    engine = create_engine_for(db)
    try:
        register = AssetRegister(parties={p.id: p for p in villages()}, histories=dict(books))
        import_register(SqlUnitOfWork(engine), register)
        # The store reads back what the domain computes on the register itself.
        stored = stored_values(SqlUnitOfWork(engine), as_of=AS_OF, policy=NATIONAL_2021)
        assert stored == register_values(register, NATIONAL_2021, as_of=AS_OF)
    finally:
        engine.dispose()


def test_a_split_legacy_asset_shows_the_api_figures(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "greenhouse.sqlite"
    _greenhouse_store(db)
    figures = _check(runner, db, tmp_path)
    # Policy defaults (as the CLI uses): 120 months, no residual, so 5000 a month. The opening
    # is 427500 after 90 months; January–June 6 × 5000 → 457500, net 142500, revalued to 150000
    # (+7500); then 150000 / 24 = 6250 a month, July–October → 482500, net 125000 at the split.
    # The successors carry 60 % / 40 % (289500 / 193000) and go on at 3750 / 2500 a month
    # (November, December).
    assert figures == {
        "GH-1": (Decimal("482500.00"), Decimal("125000.00")),
        "GH-1A": (Decimal("297000.00"), Decimal("67500.00")),
        "GH-1B": (Decimal("198000.00"), Decimal("45000.00")),
    }
