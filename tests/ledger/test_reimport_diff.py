"""The clerk's round trip: export → edit in a spreadsheet → re-import → exactly the intended changes.

A 会宁县 (620422) clerk exports the stored register, edits the workbook as counties do (adds a
row, corrects an amount and its funding, blanks a 备注, records a new owner), and sends it
back. :func:`diff_registers` must find exactly those differences, as dated events that keep
both time axes: the state on an earlier date still shows the old owner (a change of fact),
and the register as known before the re-import still shows the old amount (a correction).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import openpyxl

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.writer import write_ledger
from assetreg.domain.diff import ChangeKind, diff_registers
from assetreg.domain.events import Corrected, OwnershipConfirmed
from assetreg.domain.money import Money

if TYPE_CHECKING:
    from pathlib import Path

    from assetreg.domain.register import AssetRegister

FIRST = datetime(2024, 1, 5, 1, 0, tzinfo=UTC)
SECOND = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)
LEDGER_DAY = date(2024, 12, 31)
BASE = """序号,资产编号,资产名称,资产类别,资产种类,资产形态,状态,原值(万元),资金来源,区划代码,登记日期,产权归属,管护主体,经营主体,经营主体类型,经营方式,合同起止,保底收益率,备注
1,HN-001,党岘乡村道硬化,公益性资产,道路,固定资产,在用,100,财政专项扶贫资金100万元,620422207201,2021-06-01,某村股份经济合作社,某村股份经济合作社,,,,,,竣工验收资料齐全
2,HN-002,日光温室,经营性资产,温室大棚,固定资产,在用,50,财政专项扶贫资金50万元,620422207201,2021-06-01,某村股份经济合作社,会宁县某农业有限公司,会宁县某农业有限公司,企业,租赁,2021年7月1日至2026年6月30日,6%,
"""


def _stored(tmp_path: Path) -> AssetRegister:
    path = tmp_path / "base.csv"
    path.write_text(BASE, encoding="utf-8")
    result = import_ledger(path, recorded_at=FIRST)
    assert result.issues == ()
    return result.register


def _edit(path: Path) -> Path:
    """What the clerk does in the spreadsheet."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    row_of = {sheet.cell(row, column["资产编号"]).value: row for row in range(2, sheet.max_row + 1)}
    road = row_of["HN-001"]
    sheet.cell(road, column["原值(元)"]).value = 1_050_000  # the audited amount
    sheet.cell(road, column["资金来源"]).value = "财政专项扶贫资金 1050000.00元"
    sheet.cell(road, column["备注"]).value = None  # a blanked cell
    greenhouse = row_of["HN-002"]
    sheet.cell(greenhouse, column["产权归属"]).value = "会宁县党岘乡人民政府"  # handed to the township
    sheet.cell(greenhouse, column["产权主体类型"]).value = "乡镇"
    total = next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, column["序号"]).value == "合计")
    sheet.insert_rows(total)  # a new row above the 合计
    new = {
        "序号": "3",
        "资产编号": "HN-003",
        "资产名称": "党岘乡饮水工程",
        "资产类别": "公益性资产",
        "资产形态": "固定资产",
        "资产种类": "供水",
        "资金来源": "财政专项扶贫资金 200000.00元",
        "原值(元)": 200_000,
        "区划代码": "620422207201",
        "登记日期": date(2024, 10, 1),
        "状态": "在用",
    }
    for name, value in new.items():
        sheet.cell(total, column[name]).value = value
    sheet.cell(total + 1, column["原值(元)"]).value = 1_750_000  # the clerk updates the 合计
    target = path.with_name("edited.xlsx")
    book.save(target)
    return target


def test_export_then_import_unchanged_gives_no_difference(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    exported = write_ledger(stored, tmp_path / "export.xlsx", as_of=LEDGER_DAY)
    again = import_ledger(exported, recorded_at=SECOND)
    assert again.issues == ()
    diff = diff_registers(stored, again.register, effective=LEDGER_DAY, recorded_at=SECOND)
    assert diff.empty
    assert diff.unchanged == ("HN-001", "HN-002")
    assert diff.missing == ()


def test_the_clerks_edits_are_exactly_the_differences(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    edited = _edit(write_ledger(stored, tmp_path / "export.xlsx", as_of=LEDGER_DAY))
    imported = import_ledger(edited, recorded_at=SECOND)
    assert imported.issues == ()
    diff = diff_registers(stored, imported.register, effective=LEDGER_DAY, recorded_at=SECOND)
    assert [(c.asset_id, c.kind, c.field, c.fields) for c in diff.changes] == [
        ("HN-001", ChangeKind.CORRECTION, "description", ("original_value", "funding", "note")),
        ("HN-002", ChangeKind.FACT, "ownership", ()),
        ("HN-003", ChangeKind.ADDED, "asset", ()),
    ]
    road, owner, added = diff.changes
    assert road.before.startswith("original_value=1000000.00元; ")
    assert road.after.startswith("original_value=1050000.00元; ")
    (correction,) = road.events
    assert isinstance(correction, Corrected)
    assert correction.supersedes == "HN-001/registered"
    (confirmed,) = owner.events
    assert isinstance(confirmed, OwnershipConfirmed)
    assert (confirmed.effective, confirmed.recorded_at) == (LEDGER_DAY, SECOND)
    assert owner.before == "village_collective:某村股份经济合作社 1"
    assert owner.after == "township:会宁县党岘乡人民政府 1"
    assert [p.id for p in diff.parties] == ["township:会宁县党岘乡人民政府"]
    assert added.after == "党岘乡饮水工程"

    # the dry run wrote nothing: the stored register is a value and is unchanged
    assert stored.history("HN-001").asset().original_value == Money.yuan("1000000")

    after = diff.apply(stored)
    road_history = after.history("HN-001")
    assert road_history.asset().original_value == Money.yuan("1050000")
    assert road_history.asset().note is None
    # what the register said before the re-import (the correction has an instant)
    assert road_history.asset(known_at=FIRST).original_value == Money.yuan("1000000")
    assert road_history.asset(known_at=FIRST).note == "竣工验收资料齐全"
    # who owned the greenhouse before the ledger's date (the change of fact has a date)
    assert after.state("HN-002", as_of=date(2024, 6, 30)).owners == ("village_collective:某村股份经济合作社",)
    assert after.state("HN-002", as_of=LEDGER_DAY).owners == ("township:会宁县党岘乡人民政府",)
    assert after.state("HN-003", as_of=LEDGER_DAY).asset.original_value == Money.yuan("200000")
    # the stored history gains exactly these events
    gained = {
        asset_id: len(after.history(asset_id)) - (len(stored.history(asset_id)) if asset_id in stored else 0)
        for asset_id in after
    }
    assert gained == {"HN-001": 1, "HN-002": 1, "HN-003": len(imported.register.history("HN-003"))}

    # importing the same edited ledger again changes nothing more
    again = diff_registers(after, imported.register, effective=LEDGER_DAY, recorded_at=SECOND)
    assert again.empty


def test_corrections_mode_corrects_the_owner_instead_of_dating_a_change(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    edited = _edit(write_ledger(stored, tmp_path / "export.xlsx", as_of=LEDGER_DAY))
    imported = import_ledger(edited, recorded_at=SECOND)
    diff = diff_registers(stored, imported.register, effective=LEDGER_DAY, recorded_at=SECOND, corrections=True)
    owner = next(c for c in diff.changes if c.field == "ownership")
    assert owner.kind is ChangeKind.CORRECTION
    after = diff.apply(stored)
    # the register now says the township owned it from the start…
    assert after.state("HN-002", as_of=date(2022, 1, 1)).owners == ("township:会宁县党岘乡人民政府",)
    # …and what it said before the correction is still there
    assert after.state("HN-002", as_of=date(2022, 1, 1), known_at=FIRST).owners == (
        "village_collective:某村股份经济合作社",
    )


def test_a_row_left_out_of_the_new_ledger_is_reported_not_disposed(tmp_path: Path) -> None:
    stored = _stored(tmp_path)
    path = tmp_path / "short.csv"
    path.write_text("\n".join(BASE.splitlines()[:2]) + "\n", encoding="utf-8")
    imported = import_ledger(path, recorded_at=SECOND)
    diff = diff_registers(stored, imported.register, effective=LEDGER_DAY, recorded_at=SECOND)
    assert diff.missing == ("HN-002",)
    assert diff.empty


def _reimport(tmp_path: Path, old: str, new: str, *, corrections: bool = False) -> tuple[object, AssetRegister]:
    stored = _stored(tmp_path)
    path = tmp_path / "new.csv"
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    imported = import_ledger(path, recorded_at=SECOND)
    assert imported.ok, imported.errors
    diff = diff_registers(stored, imported.register, effective=LEDGER_DAY, recorded_at=SECOND, corrections=corrections)
    return diff, diff.apply(stored)


def test_an_idle_asset_is_a_dated_status_change(tmp_path: Path) -> None:
    diff, after = _reimport(tmp_path, "道路,固定资产,在用", "道路,固定资产,闲置")
    (change,) = diff.changes  # type: ignore[attr-defined]
    assert (change.kind, change.field, change.before, change.after) == (ChangeKind.FACT, "status", "in_use", "idle")
    assert after.state("HN-001", as_of=date(2024, 12, 30)).status.value == "in_use"
    assert after.state("HN-001", as_of=LEDGER_DAY).status.value == "idle"


def test_a_status_that_cannot_follow_is_a_correction_of_the_registration(tmp_path: Path) -> None:
    # 在用 → 在建 is not a lifecycle step (DESIGN §6): the first ledger must have been wrong
    diff, after = _reimport(tmp_path, "道路,固定资产,在用", "道路,固定资产,在建")
    (change,) = diff.changes  # type: ignore[attr-defined]
    assert (change.kind, change.field) == (ChangeKind.CORRECTION, "status")
    assert after.state("HN-001", as_of=date(2021, 6, 1)).status.value == "under_construction"
    assert after.state("HN-001", as_of=date(2021, 6, 1), known_at=FIRST).status.value == "in_use"


def test_a_new_contract_term_ends_the_old_contract_and_signs_the_new(tmp_path: Path) -> None:
    diff, after = _reimport(tmp_path, "2021年7月1日至2026年6月30日", "2021年7月1日至2030年6月30日")
    (change,) = diff.changes  # type: ignore[attr-defined]
    assert (change.kind, change.field) == (ChangeKind.FACT, "contract")
    assert [e.kind for e in change.events] == ["contract_ended", "contract_signed"]
    (live,) = after.state("HN-002", as_of=date(2027, 1, 1)).contracts
    assert live.term.last == date(2030, 6, 30)
    (before,) = after.state("HN-002", as_of=date(2024, 6, 30)).contracts
    assert before.id == "HN-002/contract"


def test_a_blanked_owner_is_reported_without_an_event(tmp_path: Path) -> None:
    diff, after = _reimport(
        tmp_path,
        "2021-06-01,某村股份经济合作社,某村股份经济合作社,,",
        "2021-06-01,,某村股份经济合作社,,",
    )
    (change,) = diff.changes  # type: ignore[attr-defined]
    assert (change.field, change.before, change.after, change.events) == (
        "ownership",
        "village_collective:某村股份经济合作社 1",
        "",
        (),
    )
    assert after.state("HN-001", as_of=LEDGER_DAY).owners == ("village_collective:某村股份经济合作社",)
