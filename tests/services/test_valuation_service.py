"""``stored_values`` on every backend, and ``assetreg values`` showing the same figures as the API."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from assetreg.cli import app
from assetreg.domain.assets import AssetId
from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import book_values, register_values, value_totals
from assetreg.services import import_register, stored_values
from backends import Store
from domain.builders import at, villages
from domain.valuation_builders import GH, PLAN_GH, greenhouse_history

AS_OF = date(2024, 12, 31)


def _register() -> AssetRegister:
    history = greenhouse_history()
    owners = villages()  # the owners of the greenhouse's history (VC-HS, then VC-GCY)
    return AssetRegister(parties={p.id: p for p in owners}, histories={history.asset_id: history})


def test_stored_values_match_the_domain_on_every_backend(store: Store) -> None:
    register = _register()
    import_register(store.uow(), register)
    plans = {GH: PLAN_GH}
    stored = stored_values(store.uow(), as_of=AS_OF, policy=NATIONAL_2021, plans=plans)
    assert stored == register_values(register, NATIONAL_2021, as_of=AS_OF, plans=plans)
    (row,) = stored
    # 427500 + 6 × 4750 + 6 × 5000 (after the revaluation to 150000 on 2024-06-30).
    assert row.values is not None
    assert row.values.accumulated_depreciation == Money.yuan("486000")
    assert row.values.net_book_value == Money.yuan("120000")
    assert row.months_depreciated == 102
    assert row.values == book_values(register.history(GH), NATIONAL_2021, as_of=AS_OF, plan=PLAN_GH)
    before = stored_values(store.uow(), as_of=AS_OF, policy=NATIONAL_2021, plans=plans, known_at=at(2024, 7, 1))
    assert before[0].values is not None
    assert before[0].values.net_book_value == Money.yuan("115500")  # 600000 − 427500 − 12 × 4750, as first known
    totals = value_totals(stored)["all"]
    assert (totals.assets, totals.net_book_value) == (1, Money.yuan("120000"))


def test_values_command_prints_the_api_figures(tmp_path: Path) -> None:
    db = tmp_path / "county.sqlite"
    upgrade(str(db))
    engine = create_engine_for(db)
    try:
        import_register(SqlUnitOfWork(engine), _register())
    finally:
        engine.dispose()
    result = CliRunner().invoke(app, ["values", "--db", str(db), "--as-of", "2024-12-31", "-f", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (printed,) = document["assets"]
    expected = book_values(_register().history(AssetId("GH-1")), NATIONAL_2021, as_of=AS_OF)
    assert Decimal(printed["accumulated_yuan"]) == expected.accumulated_depreciation.yuan_decimal
    assert Decimal(printed["net_yuan"]) == expected.net_book_value.yuan_decimal
    assert Decimal(printed["original_yuan"]) == Decimal("600000.00")
    csv_out = CliRunner().invoke(app, ["values", "--db", str(db), "--as-of", "2024-12-31", "-f", "csv"])
    assert csv_out.exit_code == 0
    assert (
        csv_out.stdout.splitlines()[0] == "资产编号,资产名称,类别,状态,原值(元),累计折旧(元),净值(元),已提折旧月数,说明"
    )
