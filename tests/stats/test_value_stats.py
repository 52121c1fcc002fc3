"""Book values by class and owner level, from the valuation rows (原值 / 累计折旧 / 净值).

The greenhouse of tests/domain/valuation_builders.py (made up, P13): 原值 600,000.00, opening
累计折旧 427,500.00 after 90 months, revalued to 150,000.00 on 2024-06-30; on 2024-12-31
累计折旧 486,000.00 and 净值 120,000.00 (as tests/services/test_valuation_service.py asserts).
A second, made-up asset (a 会师镇 road of 10,000.00 元 without a date of entry into service) cannot be valued
and is named in a note, not counted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from assetreg.adapters.ledger.stats_writer import stat_sheet, write_stat_table
from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import register_values
from assetreg.domain.vocab import AssetClass, AssetKind
from assetreg.errors import InvalidValue, LedgerError
from assetreg.stats import AmountUnit, value_table
from domain.builders import registered, simple_asset, villages
from domain.valuation_builders import GH, PLAN_GH, greenhouse_history

AS_OF = date(2024, 12, 31)


@pytest.fixture
def register() -> AssetRegister:
    return AssetRegister(histories={GH: greenhouse_history()})


def test_values_by_class_and_owner_level(register: AssetRegister) -> None:
    values = register_values(register, NATIONAL_2021, as_of=AS_OF, plans={GH: PLAN_GH})
    table = value_table(register, values, "class", as_of=AS_OF)
    (row,) = table.rows
    assert (row.key, row.count, row.amounts) == (
        "operating",
        1,
        (Money.yuan("600000"), Money.yuan("486000"), Money.yuan("120000")),
    )
    assert table.total.amounts == row.amounts
    assert [c.key for c in table.columns] == ["original_value", "accumulated_depreciation", "net_book_value"]
    owners = value_table(register, values, "owner_level", as_of=AS_OF)
    # The two owners (村 collectives) are not parties of this register: their level is unknown.
    assert [(r.key, r.zh, r.amounts[2]) for r in owners.rows] == [
        ("unregistered_owner", "产权主体未登记", Money.yuan("120000"))
    ]
    with_parties = AssetRegister(parties={v.id: v for v in villages()}, histories=register.histories)
    owned = value_table(with_parties, values, "owner_level", as_of=AS_OF)
    assert [(r.key, r.amounts[2]) for r in owned.rows] == [("village", Money.yuan("120000"))]
    shown = table.shown(AmountUnit.WAN)
    assert shown.total.amounts == ("60.0000", "48.6000", "12.0000")
    with pytest.raises(InvalidValue):
        value_table(register, values, "fund_source", as_of=AS_OF)


def test_an_asset_that_cannot_be_valued_is_named_not_counted(register: AssetRegister) -> None:
    road = simple_asset("ROAD-1", AssetClass.PUBLIC_WELFARE, AssetKind.ROAD)
    both = register.record(registered(road, effective=date(2024, 1, 10)))
    values = register_values(both, NATIONAL_2021, as_of=AS_OF, plans={GH: PLAN_GH})
    assert [v.asset_id for v in values if v.values is None] == ["ROAD-1"]  # no date of entry into service
    table = value_table(both, values, "class", as_of=AS_OF)
    assert [r.key for r in table.rows] == ["operating"]
    assert (table.total.count, table.total.amounts[2]) == (1, Money.yuan("120000"))
    assert ("not valued, left out: ROAD-1", "无法计算价值、未计入：ROAD-1") in table.notes


def test_the_sheet_and_its_files(register: AssetRegister, tmp_path: Path) -> None:
    values = register_values(register, NATIONAL_2021, as_of=AS_OF, plans={GH: PLAN_GH})
    shown = value_table(register, values, "class", as_of=AS_OF).shown(AmountUnit.YUAN)
    rows = stat_sheet(shown, "zh", extra=["附注"])
    assert rows[1] == ["资产类别", "资产个数", "原值(元)", "累计折旧(元)", "净值(元)"]
    assert [str(c) for c in rows[3]] == ["合计", "1", "600000.00", "486000.00", "120000.00"]
    assert rows[-1] == ["附注"]
    book = openpyxl.load_workbook(write_stat_table(shown, tmp_path / "values.xlsx", lang="en"))
    sheet = book.active
    assert [c.value for c in sheet[2]] == [
        "class",
        "assets",
        "original value (yuan)",
        "accumulated depreciation (yuan)",
        "net book value (yuan)",
    ]
    assert sheet["E4"].number_format == "0.00"
    text = write_stat_table(shown, tmp_path / "values.csv").read_text(encoding="utf-8-sig")
    assert "合计,1,600000.00,486000.00,120000.00" in text
    with pytest.raises(LedgerError):
        write_stat_table(shown, tmp_path / "values.pdf")
