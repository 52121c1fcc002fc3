"""Reading ledgers: header detection, row kinds, totals, merged cells, unreadable files."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from assetreg.adapters.ledger.issues import Severity
from assetreg.adapters.ledger.reader import RowKind, read_ledger
from assetreg.errors import LedgerError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def test_published_subset_rows_and_kinds(data_dir: Path) -> None:
    ledger = read_ledger(data_dir / "published_subset.csv")
    (sheet,) = ledger.sheets
    assert sheet.header_row == 1
    assert len(sheet.rows) == 34
    kinds = {row.row: row.kind for row in sheet.rows if row.kind is not RowKind.DETAIL}
    # 颍州 合计 first; 泽库 合计 + three 小计 first; 泽库 first batch 合计 alone; 达川 合计 and two 小计.
    assert kinds == {
        5: RowKind.TOTAL,
        9: RowKind.TOTAL,
        10: RowKind.SUBTOTAL,
        11: RowKind.SUBTOTAL,
        12: RowKind.SUBTOTAL,
        19: RowKind.TOTAL,
        20: RowKind.TOTAL,
        21: RowKind.SUBTOTAL,
        29: RowKind.SUBTOTAL,
    }
    assert sheet.rows[0].get("original_value") == "851.65万元"


def test_published_totals_reconcile_except_the_lone_zeku_total(data_dir: Path) -> None:
    # 颍州 2380 = 1140 + 1140 + 100; 泽库 1259 = 938 + 307 + 14 = the six items;
    # 达川 10782 = 5273 + 5509, each the sum of its items. The 泽库 first batch (5537万元)
    # lists no items: reported as not checked.
    ledger = read_ledger(data_dir / "published_subset.csv")
    assert [(i.row, i.column_letter, i.kind, i.severity) for i in ledger.issues] == [
        (19, "H", "total_not_checked", Severity.INFO)
    ]


def test_total_mismatch_is_a_warning_with_the_rows(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "published_subset.csv").read_text(encoding="utf-8")
    # 颍州: a ledger that printed 38 × 62.63 = 2379.94 as its total instead of 2380
    tampered = text.replace("合计,,2019年资产收益扶贫工程,2380万元", "合计,,2019年资产收益扶贫工程,2379.94万元")
    assert tampered != text
    path = tmp_path / "yingzhou.csv"
    path.write_text(tampered, encoding="utf-8")
    issues = [i for i in read_ledger(path).issues if i.kind == "total_mismatch"]
    assert len(issues) == 1
    (issue,) = issues
    assert (issue.row, issue.column, issue.related_rows) == (5, "建设/投资金额", (6, 7, 8))
    assert issue.severity is Severity.WARNING
    assert "2379.94万元" in issue.reason_en
    assert "2380万元" in issue.reason_en
    assert "-0.06万元" in issue.reason_en


def test_zeku_subtotal_mismatch_reported(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "published_subset.csv").read_text(encoding="utf-8")
    path = tmp_path / "zeku.csv"
    path.write_text(text.replace("产业发展项目,307万元", "产业发展项目,308万元"), encoding="utf-8")
    issues = [i for i in read_ledger(path).issues if i.kind == "total_mismatch"]
    assert [(i.row, i.related_rows) for i in issues] == [(9, (10, 11, 12))]


def test_duodao_summary_tables_reconcile(data_dir: Path) -> None:
    # 89 + 502 + 33 = 624 and 1839.2229 + 26045.5340 + 2977.8578 = 30862.6147;
    # 19 + 28 + 488 + 89 = 624 and 3214.4 + 1327.5 + 24481.49 + 1839.22 = 30862.61.
    ledger = read_ledger(data_dir / "duodao_summary.csv")
    assert ledger.issues == ()
    kinds = [row.kind for row in ledger.sheets[0].rows]
    assert kinds.count(RowKind.TOTAL) == 2


def test_duodao_count_mismatch(tmp_path: Path, data_dir: Path) -> None:
    text = (data_dir / "duodao_summary.csv").read_text(encoding="utf-8")
    path = tmp_path / "d.csv"
    path.write_text(text.replace("到户类资产,明细,89,", "到户类资产,明细,90,"), encoding="utf-8")
    issues = [(i.row, i.field) for i in read_ledger(path).issues]
    assert issues == [(2, "item_count")]


def test_totals_after_parts_and_label_in_seq_column(tmp_path: Path) -> None:
    path = tmp_path / "bottom.csv"
    path.write_text(
        "某县扶贫项目资产台账\n\n序号,资产名称,原值(元)\n1,a,100\n2,b,200\n小计,,300\n3,c,50\n小计,,60\n合 计,,350\n",
        encoding="utf-8",
    )
    ledger = read_ledger(path)
    assert ledger.sheets[0].header_row == 3
    assert [(i.row, i.kind, i.related_rows) for i in ledger.issues] == [(8, "total_mismatch", (7,))]


def test_gb18030_and_bom(tmp_path: Path) -> None:
    content = "资产编号,资产名称,原值(万元)\nA1,司玛村人畜饮水安全工程,230\n"
    for encoding in ("gb18030", "utf-8-sig"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(content.encode(encoding))
        (sheet,) = read_ledger(path).sheets
        assert sheet.rows[0].get("asset_name") == "司玛村人畜饮水安全工程"
        assert sheet.column_of("original_value").unit == "万元"  # type: ignore[union-attr]


def test_xlsx_merged_cells_filled(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        "merged",
        {
            "台账": [
                ["泽库县2023年资产台账"],
                ["序号", "乡镇", "资产名称", "原值(万元)"],
                [1, "和日镇", "司玛村人畜饮水安全工程", 230],
                [2, None, "饮水二期", 12.5],
                [3, "王家乡", "饲料加工基地", 167],
                ["合计", None, None, 409.5],
            ]
        },
        merges={"台账": ["A1:D1", "B3:B4", "A6:C6"]},
    )
    ledger = read_ledger(path)
    (sheet,) = ledger.sheets
    assert sheet.header_row == 2
    assert [row.get("township") for row in sheet.rows] == ["和日镇", "和日镇", "王家乡", "合计"]
    assert sheet.rows[-1].kind is RowKind.TOTAL
    assert sheet.rows[1].get("original_value") == 12.5
    assert ledger.issues == ()


def test_xlsx_empty_sheet_is_an_issue(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx("empty", {"台账": [["资产编号", "资产名称"], ["A1", "x"]], "Sheet2": []})
    ledger = read_ledger(path)
    assert [(i.sheet, i.kind, i.code, i.severity) for i in ledger.issues] == [
        ("Sheet2", "empty_sheet", "LED-303", Severity.ERROR)
    ]
    assert "empty" in ledger.issues[0].reason_en
    assert "为空" in ledger.issues[0].reason_zh


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert [i.kind for i in read_ledger(path).issues] == ["no_header"]


def test_non_excel_file_named_xlsx(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    shutil.copy(data_dir / "duodao_summary.csv", path)
    with pytest.raises(LedgerError) as info:
        read_ledger(path)
    assert info.value.code == "AR-700"
    assert "is not an Excel .xlsx workbook" in info.value.message_en
    assert "不是 Excel .xlsx 工作簿" in info.value.message_zh


def test_old_xls_and_broken_zip(tmp_path: Path) -> None:
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(LedgerError, match=r"old binary \.xls"):
        read_ledger(xls)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(LedgerError, match="not an Excel"):
        read_ledger(broken)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="not found"):
        read_ledger(tmp_path / "nope.csv")
    other = tmp_path / "ledger.ods"
    other.write_bytes(b"x")
    with pytest.raises(LedgerError, match="unsupported"):
        read_ledger(other)


def test_duplicate_column_warned(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("资产编号,金额(万元),投资额(万元)\nA1,1,2\n", encoding="utf-8")
    ledger = read_ledger(path)
    assert [(i.column_letter, i.kind) for i in ledger.issues] == [("C", "duplicate_column")]
    assert ledger.sheets[0].rows[0].get("original_value") == "1"
