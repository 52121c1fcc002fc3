"""Importing ledgers into a register; the malformed corpus; rejects; writer round trip."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import openpyxl
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.writer import format_rate, write_ledger
from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode, ResidentId
from assetreg.domain.events import OwnershipConfirmed
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.policy import Policy
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import AssetClass, FundingSource, HouseholdStatus
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

RECORDED = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
HEADER = "序号,资产编号,资产名称,资产类别,建设年度,资金来源,原值(万元),区划代码,产权归属,经营主体,经营方式,合同起止,保底收益率,竣工日期"
GOOD = "1,MC-01,天香资产收益项目,经营性资产,2021,财政专项扶贫资金851.65万元,851.65,130607,满城区农业农村局,某农业有限公司,合作,2021年1月1日至2023年12月31日,6%,2021.01.01"


TAIL_HEADER = ",资产种类,资产形态,状态,登记日期"
TAIL = ",其他,固定资产,在用,2021-01-01"


def _ledger(tmp_path: Path, *lines: str, name: str = "ledger.csv") -> Path:
    """A ledger with HEADER's columns and the required 种类/形态/状态/登记日期 appended to each row."""
    path = tmp_path / name
    path.write_text("\n".join((HEADER + TAIL_HEADER, *(line + TAIL for line in lines))) + "\n", encoding="utf-8")
    return path


def test_zeku_register_imports(data_dir: Path) -> None:
    # the register states no 登记日期: the caller gives the registration day (none is invented)
    # one source per row without its amount: recorded for the whole 原值 only under the policy option
    policy = Policy(name="zeku", source="test", single_funding_source_takes_value=True)
    result = import_ledger(
        data_dir / "zeku_2023_batch2_register.csv", recorded_at=RECORDED, effective=date(2025, 1, 6), policy=policy
    )
    assert result.ok
    # the 合计 1245 matches the five rows; the place-name columns are reported once as not read
    assert [(i.code, i.column, i.row) for i in result.issues] == [
        ("LED-301", "乡镇", 1),
        ("LED-301", "村", 1),
        *(("LED-133", "资金来源", row) for row in range(2, 7)),
    ]
    register = result.register
    assert len(register) == 5
    asset = register.history("ZK2023-05").asset()
    assert asset.original_value == Money.yuan("1670000")
    assert asset.location == AdminCode("632323")
    assert asset.asset_class is AssetClass.OPERATING
    (line,) = asset.funding
    assert line.source is FundingSource.LINKAGE_FUND
    assert line.note == "2023年第二批中央财政衔接推进乡村振兴补助资金(少数民族发展资金)"
    total = sum((register.history(a).asset().original_value for a in register), Money(0))
    assert total == Money.wan("1245")
    state = register.state("ZK2023-02", as_of=date(2025, 1, 6))
    assert state.owners == ("village_collective:司玛村股份经济合作社",)
    assert state.custodian == "village_collective:司玛村股份经济合作社"
    assert register.state("ZK2023-01", as_of=date(2025, 1, 6)).owners == ("township:西卜沙乡",)
    assert register.state("ZK2023-03", as_of=date(2025, 1, 6)).owners == ("county_department:泽库县农牧水利和科技局",)
    # registered on the day the caller gave
    assert register.history("ZK2023-01").known()[0].effective == date(2025, 1, 6)


def test_good_row_with_contract(tmp_path: Path) -> None:
    result = import_ledger(_ledger(tmp_path, GOOD), recorded_at=RECORDED)
    assert result.issues == ()
    state = result.register.state("MC-01", as_of=date(2022, 6, 30))
    (contract,) = state.contracts
    assert contract.term.start == date(2021, 1, 1)
    assert contract.term.end == date(2024, 1, 1)
    floor = contract.terms.guaranteed_return
    assert floor is not None
    # DESIGN §9: 6 % a year on 851.65 万元 = 510,990 yuan a year (127,747.50 a quarter)
    assert floor.yearly_exact() == Fraction(51_099_000)


# -- the malformed corpus: each yields the exact error, the valid rows still import ----------
@pytest.mark.parametrize(
    ("bad_row", "letter", "code", "kind"),
    [
        ("2,B-02,wrong unit,公益性资产,2021,,500元,130607,,,,,,", "G", "LED-105", "unit_conflict"),
        (
            "2,B-02,too many places,公益性资产,2021,,0.0000001,130607,,,,,,",
            "G",
            "LED-106",
            "too_many_places",
        ),
        (
            "2,B-02,negative funding,公益性资产,2021,财政专项扶贫资金,-5,130607,,,,,,",
            "G",
            "LED-108",
            "negative",
        ),
        ("2,B-02,broken date,公益性资产,2021,,5,130607,,,,,,2024731日", "N", "LED-111", "bad_date"),
        (
            "2,B-02,broken range,经营性资产,2021,,5,130607,,某农业有限公司,合作,2023524—64,,",
            "L",
            "LED-112",
            "bad_range",
        ),
        (
            "2,B-02,broken range,经营性资产,2021,,5,130607,,某农业有限公司,合作,20248月-2025年7月,,",
            "L",
            "LED-112",
            "bad_range",
        ),
        ("2,B-02,short code,公益性资产,2021,,5,13060701,,,,,,", "H", "LED-120", "bad_code"),
        ("2,B-02,long code,公益性资产,2021,,5,1306070010011,,,,,,", "H", "LED-120", "bad_code"),
        ("2,B-02,no class,,2021,,5,130607,,,,,,", "D", "LED-101", "blank"),
        ("2,B-02,bad class,资产,2021,,5,130607,,,,,,", "D", "LED-122", "unknown_label"),
        ("2,B-02,bad year,公益性资产,二〇二一,,5,130607,,,,,,", "E", "LED-117", "bad_year"),
        (
            "2,B-02,bad rate,经营性资产,2021,,5,130607,,某农业有限公司,合作,2021年1月1日至2023年12月31日,6,",
            "M",
            "LED-115",
            "rate_above_one",
        ),
        ("2,,no code,公益性资产,2021,,5,130607,,,,,,", "B", "LED-101", "blank"),
    ],
)
def test_malformed_row_is_rejected_with_its_cell(
    tmp_path: Path, bad_row: str, letter: str, code: str, kind: str
) -> None:
    result = import_ledger(_ledger(tmp_path, GOOD, bad_row), recorded_at=RECORDED)
    errors = result.errors
    assert [(e.row, e.column_letter, e.code, e.kind) for e in errors] == [(3, letter, code, kind)]
    assert errors[0].reason_en
    assert errors[0].reason_zh
    assert errors[0].sheet == "ledger.csv"
    assert list(result.register) == ["MC-01"]
    assert [r.row for r in result.rejected] == [3]


def test_duplicate_names_both_rows(tmp_path: Path) -> None:
    result = import_ledger(
        _ledger(
            tmp_path,
            GOOD,
            "2,B-02,x,公益性资产,2021,,5,130607,,,,,,",
            GOOD.replace("1,MC-01", "3,MC-01"),
        ),
        recorded_at=RECORDED,
    )
    # every row sharing the code is held back, each naming the other
    first, second = result.errors
    assert (first.row, first.related_rows, first.value, first.code) == (2, (4,), "MC-01", "LED-201")
    assert (second.row, second.related_rows, second.value) == (4, (2,), "MC-01")
    assert "row 4" in first.reason_en
    assert "第 2 行" in second.reason_zh
    assert list(result.register) == ["B-02"]


def test_12345_6_wan_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "wan.csv"
    path.write_text(
        "资产编号,资产名称,资产类别,金额,区划代码,资产种类,资产形态,状态,登记日期\n"
        'W1,大型项目,公益性资产,"12,345.6万",130607,道路,固定资产,在用,2024-01-02\n',
        encoding="utf-8",
    )
    result = import_ledger(path, recorded_at=RECORDED)
    # a thousands separator with 万 is not a documented form: refused with the reading meant
    (error,) = result.errors
    assert (error.code, error.kind, error.value) == ("LED-103", "amount_form", "12,345.6万")
    assert "12345.6万元" in error.reason_en
    assert "12345.6万元" in error.reason_zh


def test_float_artefact_in_xlsx_numeric_cell(
    make_xlsx: Callable[..., Path], patch_xlsx: Callable[[Path, bytes, bytes], None]
) -> None:
    path = make_xlsx(
        "artefact",
        {
            "台账": [
                [
                    "资产编号",
                    "资产名称",
                    "资产类别",
                    "原值(元)",
                    "区划代码",
                    "资产种类",
                    "资产形态",
                    "状态",
                    "登记日期",
                ],
                ["A1", "good", "公益性资产", 851.65, 620422101, "道路", "固定资产", "在用", date(2024, 1, 2)],
                ["A2", "formula result", "公益性资产", 0.25, "620422101", "道路", "固定资产", "在用", date(2024, 1, 2)],
                ["A3", "whole", "公益性资产", 1670000, 620422101001, "道路", "固定资产", "在用", date(2024, 1, 2)],
            ]
        },
    )
    patch_xlsx(path, b"<v>0.25</v>", b"<v>0.30000000000000004</v>")
    result = import_ledger(path, recorded_at=RECORDED)
    assert [(e.sheet, e.row, e.column_letter, e.value, e.kind) for e in result.errors] == [
        ("台账", 3, "D", "0.30000000000000004", "float_artefact")
    ]
    assert result.register.history("A1").asset().original_value == Money.yuan("851.65")
    assert result.register.history("A3").asset().location == AdminCode("620422101001")


def test_empty_sheet_and_valid_sheet(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        "two",
        {
            "Sheet1": [],
            "台账": [
                ["资产编号", "资产名称", "资产类别", "原值", "区划代码", "资产种类", "资产形态", "状态", "登记日期"],
                ["A1", "x", "公益性资产", "5", "620422", "道路", "固定资产", "在用", "2024-01-02"],
            ],
        },
    )
    result = import_ledger(path, recorded_at=RECORDED)
    assert [(e.sheet, e.kind) for e in result.errors] == [("Sheet1", "empty_sheet")]
    assert list(result.register) == ["A1"]


def test_non_excel_named_xlsx_raises_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_text(HEADER + "\n" + GOOD, encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        import_ledger(path, recorded_at=RECORDED)
    assert str(info.value).startswith("AR-700 ledger.xlsx is not an Excel .xlsx workbook")


def test_rejects_file(tmp_path: Path) -> None:
    bad = '2,B-02,=HYPERLINK("x"),公益性资产,2021,,-5,13060,,,,,,'
    result = import_ledger(_ledger(tmp_path, GOOD, bad), recorded_at=RECORDED)
    target = result.write_rejects(tmp_path / "rejects.csv")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["工作表/sheet", "行号/row", "序号", "资产编号"]
    assert rows[0][-4:] == ["错误列/columns", "错误代码/codes", "错误原因/reason_zh", "reason_en"]
    (row,) = rows[1:]
    assert row[:5] == ["ledger.csv", "3", "2", "B-02", '\'=HYPERLINK("x")']
    assert row[8] == "'-5"
    assert row[-4] == "G3(原值(万元)); H3(区划代码)"
    assert row[-3] == "LED-108/negative; LED-120/bad_code"


# GB 11643-1999's own example of a citizen identity number (with check character X)
_EXAMPLE_ID = "11010519491231002X"


@pytest.mark.parametrize("reveal", [False, True])
def test_rejects_file_masks_resident_ids(tmp_path: Path, caplog: pytest.LogCaptureFixture, reveal: bool) -> None:
    header = "资产编号,资产名称,资产类别,原值,区划代码,资产种类,资产形态,状态,登记日期,身份证号码,备注"
    rows = [
        f"A1,x,公益性资产,-5,620422,道路,固定资产,在用,2024-01-02,{_EXAMPLE_ID},户主 {_EXAMPLE_ID} 签字",
        "A2,y,公益性资产,-6,620422,道路,固定资产,在用,2024-01-02,1101051949123100,无",  # 16 characters: malformed
    ]
    path = tmp_path / "ids.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = import_ledger(path, recorded_at=RECORDED)
    assert [r.row for r in result.rejected] == [2, 3]
    with caplog.at_level("WARNING", logger="assetreg.ledger"):
        target = result.write_rejects(tmp_path / "rejects.csv", reveal_personal_data=reveal)
    text = target.read_text(encoding="utf-8-sig")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        written = list(csv.reader(handle))
    id_at = written[0].index("身份证号码")
    note_at = written[0].index("备注")
    if reveal:
        assert [r[id_at] for r in written[1:]] == [_EXAMPLE_ID, "1101051949123100"]
        assert written[1][note_at] == f"户主 {_EXAMPLE_ID} 签字"
        assert "reveal_personal_data=True" in caplog.text
    else:
        assert [r[id_at] for r in written[1:]] == ["110105********002X", "110105******3100"]
        assert written[1][note_at] == "户主 110105********002X 签字"
        assert _EXAMPLE_ID not in text
        assert "1101051949123100" not in text
        assert caplog.text == ""


def test_unknown_party_kind_is_a_warning(tmp_path: Path) -> None:
    result = import_ledger(_ledger(tmp_path, GOOD.replace("满城区农业农村局", "张三")), recorded_at=RECORDED)
    assert result.ok
    assert [(i.column_letter, i.kind, i.severity.value) for i in result.issues] == [
        ("I", "unknown_party_kind", "warning")
    ]
    assert result.register.state("MC-01", as_of=date(2022, 1, 1)).owners == ()


# -- writer ----------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_imports_back_to_an_equal_register(tmp_path: Path, data_dir: Path, suffix: str) -> None:
    first = import_ledger(
        data_dir / "zeku_2023_batch2_register.csv",
        recorded_at=RECORDED,
        effective=date(2025, 1, 6),
        policy=Policy(name="zeku", source="test", single_funding_source_takes_value=True),
    )
    live = GOOD.replace("2023年12月31日", "2030年12月31日")
    extra = import_ledger(
        _ledger(tmp_path, live, "2,=cmd,@name,公益性资产,2021,,+5,130607,,,,,,"),
        recorded_at=RECORDED,
    )
    assert extra.ok
    register = first.register
    for party in extra.parties:
        register = register.add_party(party)
    register = register.record(*extra.events)
    path = write_ledger(register, tmp_path / f"out{suffix}", as_of=date(2025, 1, 6))
    again = import_ledger(path, recorded_at=RECORDED)
    assert again.issues == ()
    assert again.register == register
    assert again.register.history("=cmd").asset().name == "@name"
    assert len(again.register.state("MC-01", as_of=date(2025, 1, 6)).contracts) == 1


def test_export_neutralises_formulas_and_masks_ids(tmp_path: Path) -> None:
    result = import_ledger(_ledger(tmp_path, "1,H-01,=1+1,到户类资产,2021,,0.3,620422,,,,,,"), recorded_at=RECORDED)
    rid = "11010519491231002X"  # the GB 11643 example number
    household = Household(
        id=PartyId("hh-1"),
        name="农户A",
        admin_code=AdminCode("620422"),
        size=3,
        status=HouseholdStatus.LIFTED,
        head_resident_id=ResidentId(rid),
    )
    register = result.register.add_party(household).record(
        OwnershipConfirmed(
            asset_id=AssetId("H-01"),
            effective=date(2025, 1, 6),
            recorded_at=RECORDED,
            holders=(OwnerShare(household.id, 1),),
        )
    )
    path = write_ledger(register, tmp_path / "out.xlsx", as_of=date(2025, 1, 6))
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["资产名称"] == "'=1+1"
    assert row["产权归属"] == "农户A"
    assert row["身份证号码"] == "110105********002X"
    assert row["原值(元)"] == 3000
    revealed = write_ledger(register, tmp_path / "full.csv", as_of=date(2025, 1, 6), reveal_personal_data=True)
    assert rid in revealed.read_text(encoding="utf-8-sig")


def test_format_rate() -> None:
    assert format_rate(Fraction(6, 100)) == "6%"
    assert format_rate(Fraction(1, 64)) == "1.5625%"
    assert format_rate(Fraction(1, 3)) == "1/3"


def test_several_funding_lines_from_suzhou_wording(tmp_path: Path) -> None:
    # 肃州区 四号村: 530万元 = 资产收益扶贫项目投资104万 + 互助资金30万元 + 合作社投资396万元 (verbatim)
    path = tmp_path / "suzhou.csv"
    path.write_text(
        "资产编号,资产名称,资产类别,资金来源,建设/投资金额,区划代码,资产种类,资产形态,状态,登记日期\n"
        "SZ-1,高标准日光温室大棚种植基地,经营性资产,资产收益扶贫项目投资104万;互助资金30万元;合作社投资396万元,"
        '"530万元(其中:资产收益扶贫项目投资金额104万,互助资金30万元,合作社投资396万元)",620902,温室大棚,固定资产,在用,2019-01-01\n',
        encoding="utf-8",
    )
    result = import_ledger(path, recorded_at=RECORDED)
    assert result.issues == ()
    lines = result.register.history("SZ-1").asset().funding
    assert [(line.source, line.amount) for line in lines] == [
        (FundingSource.OTHER, Money.wan("104")),
        (FundingSource.MUTUAL_AID_FUND, Money.wan("30")),
        (FundingSource.SELF_RAISED, Money.wan("396")),
    ]
