"""Shared fixtures of the CLI tests: a runner, the bundled sample and small ledgers.

The small ledgers are built from the 泽库县 2023年第二批中央财政衔接推进乡村振兴补助资金分配计划
(http://www.zeku.gov.cn/contents/show/1370): names, amounts (万元), townships and villages as
published; registration dates are the notice's first day (2023年6月9日); owners and custodians
are made up for the test (the notice names none).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetreg.samples import sample_path

CLEAN_LEDGER = """序号,资产编号,资产名称,资产类别,项目名称,建设年度,资金来源,原值(万元),区划代码,产权归属,管护主体,状态,登记日期,资产种类,资产形态
1,ZK2023-01,西卜沙乡三个村游牧民定居点人饮巩固提升工程,公益性资产,西卜沙乡三个村游牧民定居点人饮巩固提升工程,2023,衔接推进乡村振兴补助资金500万元,500,632323,西卜沙乡,西卜沙乡,在用,2023年6月9日,供水,固定资产
2,ZK2023-02,泽库县和日镇司玛村人畜饮水安全工程,公益性资产,泽库县和日镇司玛村人畜饮水安全工程,2023,衔接推进乡村振兴补助资金230万元,230,632323,司玛村股份经济合作社,司玛村股份经济合作社,在用,2023年6月9日,供水,固定资产
"""

# An operating asset in use with no custodian: AUD-101 at error severity (P5).
DIRTY_ROW = (
    "3,ZK2023-04,泽库县2个村发展新型农村集体经济项目,经营性资产,泽库县2个村发展新型农村集体经济项目,"
    "2023,衔接推进乡村振兴补助资金140万元,140,632323,,,在用,2023年6月9日,其他,固定资产\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def samples() -> Path:
    return sample_path("sample_ledger.csv").parent


@pytest.fixture
def clean_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "zeku-clean.csv"
    path.write_text(CLEAN_LEDGER, encoding="utf-8")
    return path


@pytest.fixture
def dirty_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "zeku-dirty.csv"
    path.write_text(CLEAN_LEDGER + DIRTY_ROW, encoding="utf-8")
    return path
