"""The bad-ledger corpus: one bad cell per case, located and explained; every other row imported.

Each case writes a three-row ledger (rows 2–4 of the file) whose middle row (file row 3) has
one bad cell, imports it, and asserts the one error: sheet, row, column header as written,
raw text, code, and the English and Chinese messages in full. Rows 2 and 4 must import.
The good rows are modelled on 会宁县 (620422) village roads; the bad cells are the forms
seen in published ledgers (``2024731日`` and ``2023524—64`` are verbatim from the 颍州区 and
泽库县 notices, see data/README.md).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs
import pytest

from assetreg.adapters.ledger.codes import LEDGER_CODES
from assetreg.adapters.ledger.importer import import_ledger
from assetreg.audit import Finding, SubjectKind

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

AT = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
HEADER = (
    "序号",
    "资产编号",
    "资产名称",
    "资产类别",
    "资产种类",
    "资产形态",
    "状态",
    "原值(万元)",
    "资金来源",
    "区划代码",
    "登记日期",
    "竣工日期",
    "建设年度",
    "数量",
    "装机容量(kW)",
    "产权归属",
    "产权份额",
    "经营主体",
    "经营主体类型",
    "经营方式",
    "合同起止",
    "保底收益率",
)


def _good(number: int) -> dict[str, str]:
    return {
        "序号": str(number),
        "资产编号": f"HN-2021-{number:03d}",
        "资产名称": f"村道硬化{number}",
        "资产类别": "公益性资产",
        "资产种类": "道路",
        "资产形态": "固定资产",
        "状态": "在用",
        "原值(万元)": "100",
        "资金来源": "财政专项扶贫资金100万元",
        "区划代码": "620422100201",
        "登记日期": "2021-06-01",
        "竣工日期": "",
        "建设年度": "2021",
        "数量": "",
        "装机容量(kW)": "",
        "产权归属": "",
        "产权份额": "",
        "经营主体": "",
        "经营主体类型": "",
        "经营方式": "",
        "合同起止": "",
        "保底收益率": "",
    }


_OPERATING = {
    "资产类别": "经营性资产",
    "资产种类": "温室大棚",
    "经营主体": "会宁县某农业有限公司",
    "经营主体类型": "企业",
    "经营方式": "租赁",
    "合同起止": "2021年7月1日至2026年6月30日",
    "保底收益率": "6%",
}
_OWNED = {"产权归属": "某村股份经济合作社", "产权份额": "1"}


@attrs.frozen
class Case:
    """One bad cell: the header it is under, the cells of row 3, and what must be reported."""

    id: str
    header: str
    cells: Mapping[str, str]
    kind: str
    message_en: str
    message_zh: str
    rename: Mapping[str, str] = attrs.field(factory=dict)


_AMOUNT_FORMS_EN = "an amount such as 851.65, 851.65元, 851.65万元, 104万, 1,234.50元 or ¥500"
_AMOUNT_FORMS_ZH = "金额，如 851.65、851.65元、851.65万元、104万、1,234.50元 或 ¥500"

CASES = (
    Case(
        "blank name",
        "资产名称",
        {"资产名称": ""},
        "blank",
        "资产名称: expected the asset name (资产名称), found a blank cell; a required cell is never filled in",
        "资产名称：应填写资产名称，实为空白；必填项不做推定",
    ),
    Case(
        "blank class",
        "资产类别",
        {"资产类别": ""},
        "blank",
        "资产类别: expected the asset class (资产类别), found a blank cell; a required cell is never filled in",
        "资产类别：应填写资产类别，实为空白；必填项不做推定",
    ),
    Case(
        "blank kind",
        "资产种类",
        {"资产种类": ""},
        "blank",
        "资产种类: expected the asset kind (资产种类), found a blank cell; a required cell is never filled in",
        "资产种类：应填写资产种类，实为空白；必填项不做推定",
    ),
    Case(
        "blank form",
        "资产形态",
        {"资产形态": ""},
        "blank",
        "资产形态: expected the asset form (资产形态), found a blank cell; a required cell is never filled in",
        "资产形态：应填写资产形态，实为空白；必填项不做推定",
    ),
    Case(
        "blank status",
        "状态",
        {"状态": ""},
        "blank",
        "状态: expected the asset status (状态), found a blank cell; a required cell is never filled in",
        "状态：应填写状态，实为空白；必填项不做推定",
    ),
    Case(
        "blank value",
        "原值(万元)",
        {"原值(万元)": "", "资金来源": ""},
        "blank",
        "原值(万元): expected the original value (原值), found a blank cell; a required cell is never filled in",
        "原值(万元)：应填写原值，实为空白；必填项不做推定",
    ),
    Case(
        "blank code",
        "区划代码",
        {"区划代码": ""},
        "blank",
        "区划代码: expected the area code (区划代码), found a blank cell; a required cell is never filled in",
        "区划代码：应填写区划代码，实为空白；必填项不做推定",
    ),
    Case(
        "no date",
        "登记日期",
        {"登记日期": ""},
        "date_missing",
        "登记日期: expected a date to register the asset on (登记日期, 竣工日期 or 移交日期), found none; "
        "no date is invented",
        "登记日期：应有登记日期、竣工日期或移交日期之一，实际均为空；不推定日期",
    ),
    Case(
        "amount in words",
        "原值(万元)",
        {"原值(万元)": "约五百万", "资金来源": ""},
        "not_a_number",
        f"原值(万元): expected {_AMOUNT_FORMS_EN}, found '约五百万'",
        f"原值(万元)：应为{_AMOUNT_FORMS_ZH}，实为'约五百万'",
    ),
    Case(
        "separator with bare 万",
        "原值(万元)",
        {"原值(万元)": "12,345.6万", "资金来源": ""},
        "amount_form",
        f"原值(万元): expected {_AMOUNT_FORMS_EN}, found '12,345.6万'; not a documented amount form; "
        "if 12345.6万元 is meant, write it so",
        f"原值(万元)：应为{_AMOUNT_FORMS_ZH}，实为'12,345.6万'；不是台账说明所列的金额写法；如指 12345.6万元，请照此填写",
    ),
    Case(
        "space inside the number",
        "原值(万元)",
        {"原值(万元)": "1 000", "资金来源": ""},
        "amount_form",
        f"原值(万元): expected {_AMOUNT_FORMS_EN}, found '1 000'; not a documented amount form; "
        "if 1000 is meant, write it so",
        f"原值(万元)：应为{_AMOUNT_FORMS_ZH}，实为'1 000'；不是台账说明所列的金额写法；如指 1000，请照此填写",
    ),
    Case(
        "foreign unit",
        "原值(万元)",
        {"原值(万元)": "500美元", "资金来源": ""},
        "unknown_unit",
        "原值(万元): expected an amount in 元 or 万元, found '500美元'",
        "原值(万元)：应为以元或万元为单位的金额，实为'500美元'",
    ),
    Case(
        "unit against the header",
        "原值(万元)",
        {"原值(万元)": "500元", "资金来源": ""},
        "unit_conflict",
        "原值(万元): expected an amount in 万元 (the column header's unit), found '500元'; "
        "the cell says 元; which one is meant cannot be known",
        "原值(万元)：应为以万元为单位的金额（列标题单位），实为'500元'；单元格写的是元，无法确定以哪个为准",
    ),
    Case(
        "more places than a fen",
        "原值(万元)",
        {"原值(万元)": "1.0000001", "资金来源": ""},
        "too_many_places",
        "原值(万元): expected at most 6 decimal places in 万元, found '1.0000001'; not rounded",
        "原值(万元)：应为万元最多6位小数，实为'1.0000001'；不做舍入",
    ),
    Case(
        "negative value",
        "原值(万元)",
        {"原值(万元)": "-5", "资金来源": ""},
        "negative",
        "原值(万元): expected zero or more, found '-5'",
        "原值(万元)：应为不小于零的数，实为'-5'",
    ),
    Case(
        "lost characters in a date (颍州区)",
        "竣工日期",
        {"竣工日期": "2024731日"},
        "bad_date",
        "竣工日期: expected a date such as 2024年9月9日, 2024.09.09, 2024-9-9 or 20240909, found '2024731日'",
        "竣工日期：应为日期，如 2024年9月9日、2024.09.09、2024-9-9 或 20240909，实为'2024731日'",
    ),
    Case(
        "lost characters in a range (泽库县)",
        "合同起止",
        {**_OPERATING, "合同起止": "2023524—64"},
        "bad_range",
        "合同起止: expected a date range such as 2024年9月9日至9月18日 or 2023.11-2024.01, found '2023524—64'",
        "合同起止：应为起止日期，如 2024年9月9日至9月18日 或 2023.11-2024.01，实为'2023524—64'",
    ),
    Case(
        "range ending before it starts",
        "合同起止",
        {**_OPERATING, "合同起止": "2024年12月25日至1月5日"},
        "end_before_start",
        "合同起止: expected a range whose end is not before its start, found '2024年12月25日至1月5日'",
        "合同起止：应为结束不早于开始的起止日期，实为'2024年12月25日至1月5日'",
    ),
    Case(
        "rate in words",
        "保底收益率",
        {**_OPERATING, "保底收益率": "六个点"},
        "bad_rate",
        "保底收益率: expected a rate such as 6%, 6％ or 0.06, found '六个点'",
        "保底收益率：应为比率，如 6%、6％ 或 0.06，实为'六个点'",
    ),
    Case(
        "rate without its % sign",
        "保底收益率",
        {**_OPERATING, "保底收益率": "6"},
        "rate_above_one",
        "保底收益率: expected a rate of at most 1, or a percentage written with % (6%), found '6'; "
        "write 6% if a percentage is meant",
        "保底收益率：应为不大于1的比率，或带%的百分比（6%），实为'6'；如指百分比请写作 6%",
    ),
    Case(
        "rate with a float tail as text",
        "保底收益率",
        {**_OPERATING, "保底收益率": "0.060000000000000005"},
        "float_artefact",
        "保底收益率: expected a rate with at most 6 decimal places (or a fraction such as 1/3), "
        "found '0.060000000000000005'; 18 places, a binary floating-point artefact; not rounded",
        "保底收益率：应为最多6位小数的比率（或分数，如 1/3），实为'0.060000000000000005'；18位小数，浮点运算误差；不做舍入",
    ),
    Case(
        "share in words",
        "产权份额",
        {**_OWNED, "产权份额": "一半"},
        "bad_share",
        "产权份额: expected a share in (0, 1] such as 1/3, 0.25 or 25%, found '一半'",
        "产权份额：应为(0, 1] 之间的份额，如 1/3、0.25 或 25%，实为'一半'",
    ),
    Case(
        "share above 1",
        "产权份额",
        {**_OWNED, "产权份额": "1.5"},
        "bad_share",
        "产权份额: expected a share in (0, 1] such as 1/3, 0.25 or 25%, found '1.5'; 3/2 is outside (0, 1]",
        "产权份额：应为(0, 1] 之间的份额，如 1/3、0.25 或 25%，实为'1.5'；3/2 不在 (0, 1] 区间内",
    ),
    Case(
        "share with a float tail as text",
        "产权份额",
        {**_OWNED, "产权份额": "0.30000000000000004"},
        "float_artefact",
        "产权份额: expected a share with at most 6 decimal places (or a fraction such as 1/3), "
        "found '0.30000000000000004'; 17 places, a binary floating-point artefact; not rounded",
        "产权份额：应为最多6位小数的份额（或分数，如 1/3），实为'0.30000000000000004'；17位小数，浮点运算误差；不做舍入",
    ),
    Case(
        "share with too many places",
        "产权份额",
        {**_OWNED, "产权份额": "0.3333333"},
        "too_many_places",
        "产权份额: expected a share with at most 6 decimal places (or a fraction such as 1/3), "
        "found '0.3333333'; 7 places; not rounded",
        "产权份额：应为最多6位小数的份额（或分数，如 1/3），实为'0.3333333'；7位小数；不做舍入",
    ),
    Case(
        "year in Chinese numerals",
        "建设年度",
        {"建设年度": "二〇二一"},
        "bad_year",
        "建设年度: expected a year from 1949 to 2100 such as 2021 or 2021年, found '二〇二一'",
        "建设年度：应为1949至2100之间的年度，如 2021 或 2021年，实为'二〇二一'",
    ),
    Case(
        "quantity in words",
        "数量",
        {"数量": "若干"},
        "bad_quantity",
        "数量: expected a non-negative number such as 3 or 2.5, found '若干'",
        "数量：应为非负数，如 3 或 2.5，实为'若干'",
    ),
    Case(
        "negative capacity",
        "装机容量(kW)",
        {"装机容量(kW)": "-5"},
        "negative",
        "装机容量(kW): expected zero or more, found '-5'",
        "装机容量(kW)：应为不小于零的数，实为'-5'",
    ),
    Case(
        "11-digit area code",
        "区划代码",
        {"区划代码": "62042210020"},
        "bad_code",
        "区划代码: expected 12 digits (or 2, 4, 6 or 9 for a higher level), found '62042210020' (11 characters): "
        "has 11 digits",
        "区划代码：应为12位数字（上级区划可为2、4、6或9位），实为 '62042210020'（11位）：长度为11位",
    ),
    Case(
        "letter in an area code",
        "区划代码",
        {"区划代码": "62042210020A"},
        "bad_code",
        "区划代码: expected 12 digits (or 2, 4, 6 or 9 for a higher level), found '62042210020A' (12 characters): "
        "only digits are allowed",
        "区划代码：应为12位数字（上级区划可为2、4、6或9位），实为 '62042210020A'（12位）：只能包含数字",
    ),
    Case(
        "township code in a village column",
        "村代码",
        {"区划代码": "620422100"},
        "code_wrong_level",
        "村代码: expected a village code (12 digits), found a township code '620422100' (9 digits); "
        "it is not padded or truncated",
        "村代码：应为村级代码（12位），实为乡级代码 '620422100'（9位）；不补零、不截断",
        rename={"区划代码": "村代码"},
    ),
    Case(
        "12-digit township code in a village column",
        "村代码",
        {"区划代码": "620422100000"},
        "code_wrong_level",
        "村代码: expected a village code (12 digits), found a township code '620422100000' (12 digits); "
        "it is not padded or truncated",
        "村代码：应为村级代码（12位），实为乡级代码 '620422100000'（12位）；不补零、不截断",
        rename={"区划代码": "村代码"},
    ),
    Case(
        "unknown status",
        "状态",
        {"状态": "很好"},
        "unknown_label",
        "状态: expected one of 计划、在建、已竣工、已移交、在用、闲置、损毁、处置已批准、已处置、已分割合并, found '很好'",
        "状态：应为计划、在建、已竣工、已移交、在用、闲置、损毁、处置已批准、已处置、已分割合并之一，实为 '很好'",
    ),
    Case(
        "a source without its amount among several",
        "资金来源",
        {"资金来源": "财政专项扶贫资金;自筹资金30万元"},
        "funding_amount_missing",
        "资金来源: expected every source of several to have its amount (e.g. 财政专项扶贫资金 500万元), "
        "found '财政专项扶贫资金' without one",
        "资金来源：多个资金来源应各自写明金额（如 财政专项扶贫资金 500万元），实为未写金额的 '财政专项扶贫资金'",
    ),
    Case(
        "funding not adding up",
        "资金来源",
        {"资金来源": "财政专项扶贫资金60万元;自筹资金30万元"},
        "funding_mismatch",
        "资金来源: expected funding lines adding up to the original value 1000000.00元, found 900000.00元",
        "资金来源：资金来源合计应等于原值 1000000.00元，实为 900000.00元",
    ),
    Case(
        "operator on a public-welfare asset",
        "经营主体",
        {**_OPERATING, "资产类别": "公益性资产", "资产种类": "道路"},
        "operator_on_non_operating",
        "经营主体: expected an operating asset (经营性资产) to take an operating contract, "
        "found a public_welfare asset (公益性资产)",
        "经营主体：只有经营性资产才能签订经营合同，实为公益性资产",
    ),
)


def _write(path: Path, rows: list[dict[str, str]], rename: Mapping[str, str]) -> Path:
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow([rename.get(h, h) for h in HEADER])
    out.writerows([[row[h] for h in HEADER] for row in rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_the_corpus_has_at_least_30_cases_and_covers_distinct_codes() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)
    assert len({LEDGER_CODES[case.kind].code for case in CASES}) >= 20


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_cell_is_one_located_error_and_every_other_row_imports(tmp_path: Path, case: Case) -> None:
    bad = {**_good(2), **case.cells}
    path = _write(tmp_path / "台账.csv", [_good(1), bad, _good(3)], case.rename)
    result = import_ledger(path, recorded_at=AT)
    (error,) = result.errors
    assert isinstance(error, Finding)
    assert (error.subject_kind, error.code, error.kind) == (SubjectKind.CELL, LEDGER_CODES[case.kind].code, case.kind)
    written = case.cells.get(case.header, case.cells.get(next(iter(case.rename), ""), ""))
    assert (error.sheet, error.row, error.column, error.value) == ("台账.csv", 3, case.header, written)
    assert error.subject == f"台账.csv!{error.column_letter}3"
    assert error.message_en == case.message_en
    assert error.message_zh == case.message_zh
    assert [row.row for row in result.rejected] == [3]
    assert result.imported_rows == (("台账.csv", 2), ("台账.csv", 4))
    assert list(result.register) == ["HN-2021-001", "HN-2021-003"]


def test_every_row_sharing_a_code_is_held_back_naming_the_others(tmp_path: Path) -> None:
    rows = [_good(1), _good(2), _good(3), _good(4)]
    rows[2]["资产编号"] = rows[0]["资产编号"]
    rows[3]["资产编号"] = rows[0]["资产编号"]
    result = import_ledger(_write(tmp_path / "台账.csv", rows, {}), recorded_at=AT)
    assert [(e.row, e.code, e.column, e.value, e.related_rows) for e in result.errors] == [
        (2, "LED-201", "资产编号", "HN-2021-001", (4, 5)),
        (4, "LED-201", "资产编号", "HN-2021-001", (2, 5)),
        (5, "LED-201", "资产编号", "HN-2021-001", (2, 4)),
    ]
    first = result.errors[0]
    assert first.message_en == (
        "资产编号: expected a code used by one row only, found 'HN-2021-001' also on row 4, row 5; "
        "every row sharing it is held back"
    )
    assert (
        first.message_zh
        == "资产编号：编号应只用于一行，实为 'HN-2021-001' 同时见于第 4 行、第 5 行；共用该编号的各行均不导入"
    )
    assert list(result.register) == ["HN-2021-002"]


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    rows = [_good(1)]
    path = tmp_path / "台账.csv"
    header = [h for h in HEADER if h != "资产形态"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, [rows[0][h] for h in header]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    (error,) = import_ledger(path, recorded_at=AT).errors
    assert (error.code, error.kind, error.row, error.column) == ("LED-306", "column_missing", 2, None)
    assert error.message_en == "资产形态: expected a column for the asset form (资产形态), found none in the sheet"
    assert error.message_zh == "资产形态：应有资产形态列，实际表中没有该列"


# -- the examples of the code table are real ----------------------------------------------
_NOT_FROM_ONE_CELL = {
    "not_finite": "only a numeric NaN/inf cell of an .xlsx gives it; test_cells covers it",
    "bad_count": "个数 is read on 合计/小计 rows and in rosters; test_reader and test_records cover it",
    "invalid_value": "a roster cell; test_records covers it",
    "count_too_small": "a roster cell (家庭人口 0); test_records covers it",
    "unknown_asset": "an income-ledger row against the register and the store; test_cli_income covers it",
    "duplicate_record": "a roster or income record id used twice; test_records covers it",
    "code_in_register": "needs a register imported into; test_importer covers it",
    "invalid_asset": "cells valid one by one that the domain refuses together",
    "operator_on_non_operating": "needs a non-operating class beside the operator; the corpus covers it",
    "code_mismatch": "two code columns of one row",
    "empty_sheet": "a whole sheet",
    "no_header": "a whole sheet",
    "no_rows": "a whole sheet",
    "column_missing": "a missing column; test_a_missing_required_column_is_named",
    "total_mismatch": "a 合计 row; test_reader covers it",
    "total_not_checked": "a 合计 row; test_reader covers it",
    "duplicate_asset_code": "two rows; test_every_row_sharing_a_code_is_held_back_naming_the_others",
    "hidden_sheet": "a workbook with a hidden sheet; tests/ledger/test_hostile_files.py",
}


@pytest.mark.parametrize("entry", list(LEDGER_CODES.values()), ids=list(LEDGER_CODES))
def test_the_example_cell_of_each_code_gives_that_code(tmp_path: Path, entry: object) -> None:
    from assetreg.adapters.ledger.codes import LedgerCode
    from assetreg.adapters.ledger.headers import match_header
    from assetreg.domain.policy import Policy

    assert isinstance(entry, LedgerCode)
    if entry.kind in _NOT_FROM_ONE_CELL:
        assert entry.kind in LEDGER_CODES  # listed with the reason it needs more than one cell
        return
    row = {**_good(1), **_OPERATING, **_OWNED}
    header = list(HEADER)
    wanted = match_header(entry.example_header)
    same = [h for h in header if wanted is not None and (m := match_header(h)) is not None and m.field == wanted.field]
    if same and entry.kind != "duplicate_column":
        at = header.index(same[0])
        row[entry.example_header] = row.pop(same[0])
        header[at] = entry.example_header
    else:
        header.append(entry.example_header)
    row[entry.example_header] = entry.example_cell
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, [row[h] for h in header]])
    path = tmp_path / "example.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    policy = (
        Policy(name="example", source="test", single_funding_source_takes_value=True)
        if entry.kind == "funding_single_source_applied"
        else None
    )
    found = import_ledger(path, recorded_at=AT, policy=policy).issues
    assert (entry.code, entry.example_header) in {(f.code, f.column) for f in found}, found
