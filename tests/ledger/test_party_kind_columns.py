"""Explicit party-kind columns (产权/管护/经营主体类型) win over guessing from the name.

The 满城区 notice names its operator only as 天香 (http://mancheng.gov.cn/show-19993.html):
no name ending tells its kind, so a ledger states it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.domain.parties import Enterprise

if TYPE_CHECKING:
    from pathlib import Path

RECORDED = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
HEADER = "资产编号,资产名称,资产类别,原值(万元),区划代码,产权归属,经营主体,经营主体类型,经营方式,合同起止,保底收益率,登记日期"


def _ledger(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text(f"{HEADER},资产种类,资产形态,状态\n{row},股权,股权,在用\n", encoding="utf-8")
    return path


def test_stated_kind_records_the_contract(tmp_path):
    path = _ledger(
        tmp_path,
        "MC-01,2021年资产收益项目(天香),经营性资产,851.65,130607,满城区农业农村局,天香,企业,入股,"
        "2021年1月1日至2023年12月31日,6%,2021年1月1日",
    )
    result = import_ledger(path, recorded_at=RECORDED)
    assert result.issues == ()
    state = result.register.state("MC-01", as_of=date(2022, 6, 30))
    (contract,) = state.contracts
    assert isinstance(result.register.party(contract.operator), Enterprise)
    assert contract.operator == "enterprise:天香"


def test_without_the_kind_the_relation_is_a_warning(tmp_path):
    path = _ledger(
        tmp_path,
        "MC-01,2021年资产收益项目(天香),经营性资产,851.65,130607,满城区农业农村局,天香,,入股,"
        "2021年1月1日至2023年12月31日,6%,2021年1月1日",
    )
    result = import_ledger(path, recorded_at=RECORDED)
    assert result.ok
    assert [(i.code, i.column, i.severity.value) for i in result.issues] == [("LED-204", "经营主体", "warning")]
    assert "enterprise:天香" not in result.register.parties  # no orphan party


def test_an_unknown_stated_kind_is_reported_on_its_cell(tmp_path):
    path = _ledger(
        tmp_path,
        "MC-01,2021年资产收益项目(天香),经营性资产,851.65,130607,满城区农业农村局,天香,外星企业,入股,"
        "2021年1月1日至2023年12月31日,6%,2021年1月1日",
    )
    result = import_ledger(path, recorded_at=RECORDED)
    assert [(i.row, i.column, i.column_letter) for i in result.issues] == [(2, "经营主体类型", "H")]


def test_long_party_names_get_ids_that_fit_the_database():
    from assetreg.adapters.ledger.importer import party_id
    from assetreg.domain.vocab import PartyKind

    short = party_id(PartyKind.TOWNSHIP, "和日镇")
    assert short == "township:和日镇"
    long_a = party_id(PartyKind.VILLAGE_COLLECTIVE, "某" * 60 + "甲村股份经济合作社")
    long_b = party_id(PartyKind.VILLAGE_COLLECTIVE, "某" * 60 + "乙村股份经济合作社")
    assert len(long_a) == len(long_b) == 64
    assert long_a != long_b
    assert long_a == party_id(PartyKind.VILLAGE_COLLECTIVE, "某" * 60 + "甲村股份经济合作社")
