"""The ledger problem codes (台账问题代码): one stable code per kind of problem.

Every problem found in a ledger, roster or income file is a
:class:`~assetreg.audit.Finding` whose ``code`` comes from :data:`LEDGER_CODES`, looked up
by its machine-readable ``kind``. A code never changes meaning between releases; a new
kind of problem gets a new code. ``docs/ledger-codes.md`` is generated from this table
(:func:`codes_markdown`) and a test keeps the two equal.

Numbering: ``LED-1xx`` a cell, ``LED-2xx`` a row, ``LED-3xx`` a column or sheet,
``LED-4xx`` a 合计/小计 row, ``LED-5xx`` a roster or income-ledger record.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from assetreg.audit.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["LEDGER_CODES", "LedgerCode", "code_of", "codes_markdown"]


@attrs.frozen(kw_only=True)
class LedgerCode:
    """One kind of ledger problem.

    Attributes:
        code: the stable code (``"LED-106"``).
        kind: the machine-readable kind (``"too_many_places"``), unique.
        severity: error (the row is held back), warning (kept, needs a look) or info.
        rule: the rule it enforces (DESIGN section or policy rule, e.g. ``"§4"``, ``"P2"``).
        title_en: what it means, in English.
        title_zh: what it means, in Chinese.
        example_header: a column header as a county writes it.
        example_cell: a cell text under it that raises this problem.
    """

    code: str
    kind: str
    severity: Severity
    rule: str
    title_en: str
    title_zh: str
    example_header: str
    example_cell: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_TABLE: Final[tuple[LedgerCode, ...]] = (
    # -- cells ---------------------------------------------------------------------------
    LedgerCode(
        code="LED-101",
        kind="blank",
        severity=_E,
        rule="§4",
        title_en="a required cell is blank",
        title_zh="必填单元格为空",
        example_header="资产名称",
        example_cell="",
    ),
    LedgerCode(
        code="LED-102",
        kind="not_a_number",
        severity=_E,
        rule="§4",
        title_en="an amount cell is not a number",
        title_zh="金额单元格不是数字",
        example_header="原值(元)",
        example_cell="约五百万",
    ),
    LedgerCode(
        code="LED-103",
        kind="amount_form",
        severity=_E,
        rule="§4",
        title_en="an amount written in a form the ledger docs do not list (the suggested reading is given)",
        title_zh="金额写法不在台账说明所列格式之内（消息给出建议写法）",
        example_header="原值",
        example_cell="12,345.6万",
    ),
    LedgerCode(
        code="LED-104",
        kind="unknown_unit",
        severity=_E,
        rule="§4",
        title_en="an unknown money unit",
        title_zh="无法识别的金额单位",
        example_header="原值",
        example_cell="500美元",
    ),
    LedgerCode(
        code="LED-105",
        kind="unit_conflict",
        severity=_E,
        rule="§4",
        title_en="the cell's unit contradicts the header's",
        title_zh="单元格单位与列标题单位矛盾",
        example_header="原值(万元)",
        example_cell="500元",
    ),
    LedgerCode(
        code="LED-106",
        kind="too_many_places",
        severity=_E,
        rule="§4",
        title_en="more decimal places than a fen (or the share policy) allows; never rounded",
        title_zh="小数位超过分（或份额政策）允许的位数，不做舍入",
        example_header="原值(元)",
        example_cell="12.345",
    ),
    LedgerCode(
        code="LED-107",
        kind="float_artefact",
        severity=_E,
        rule="§4",
        title_en="a binary floating-point artefact (a long decimal tail) in a number or text cell",
        title_zh="数值或文本单元格中的浮点运算误差（过长的小数尾数）",
        example_header="产权份额",
        example_cell="0.30000000000000004",
    ),
    LedgerCode(
        code="LED-108",
        kind="negative",
        severity=_E,
        rule="§4",
        title_en="a negative amount, rate or capacity",
        title_zh="金额、比率或容量为负",
        example_header="原值(元)",
        example_cell="-500",
    ),
    LedgerCode(
        code="LED-109",
        kind="not_finite",
        severity=_E,
        rule="§4",
        title_en="not a finite number",
        title_zh="不是有限数",
        example_header="原值(元)",
        example_cell="nan (a numeric cell)",
    ),
    LedgerCode(
        code="LED-110",
        kind="too_many_digits",
        severity=_E,
        rule="§4",
        title_en="too many digits for an amount",
        title_zh="位数过多，不是有效金额",
        example_header="原值(元)",
        example_cell="9" * 70,
    ),
    LedgerCode(
        code="LED-111",
        kind="bad_date",
        severity=_E,
        rule="§4",
        title_en="not a date; nothing is guessed",
        title_zh="不是有效日期，不做推测",
        example_header="竣工日期",
        example_cell="2024731日",
    ),
    LedgerCode(
        code="LED-112",
        kind="bad_range",
        severity=_E,
        rule="§4",
        title_en="not a date range (start–end)",
        title_zh="不是有效的起止日期",
        example_header="合同起止",
        example_cell="2023524—64",
    ),
    LedgerCode(
        code="LED-113",
        kind="end_before_start",
        severity=_E,
        rule="§4",
        title_en="a date range that ends before it starts",
        title_zh="结束日期早于开始日期",
        example_header="合同起止",
        example_cell="2024年12月25日至1月5日",
    ),
    LedgerCode(
        code="LED-114",
        kind="bad_rate",
        severity=_E,
        rule="P8",
        title_en="not a rate",
        title_zh="不是有效比率",
        example_header="保底收益率",
        example_cell="六个点",
    ),
    LedgerCode(
        code="LED-115",
        kind="rate_above_one",
        severity=_E,
        rule="P8",
        title_en="a rate above 1 without a % sign (not guessed to be a percentage)",
        title_zh="比率大于1且无百分号（不推测为百分比）",
        example_header="保底收益率",
        example_cell="6",
    ),
    LedgerCode(
        code="LED-116",
        kind="bad_share",
        severity=_E,
        rule="§6",
        title_en="not a share in (0, 1]",
        title_zh="不是 (0, 1] 之间的份额",
        example_header="产权份额",
        example_cell="一半",
    ),
    LedgerCode(
        code="LED-117",
        kind="bad_year",
        severity=_E,
        rule="§4",
        title_en="not a year such as 2021",
        title_zh="不是有效年度",
        example_header="建设年度",
        example_cell="二〇二一",
    ),
    LedgerCode(
        code="LED-118",
        kind="bad_count",
        severity=_E,
        rule="§4",
        title_en="not a whole count",
        title_zh="不是整数个数",
        example_header="个数",
        example_cell="约6个",
    ),
    LedgerCode(
        code="LED-119",
        kind="bad_quantity",
        severity=_E,
        rule="§4",
        title_en="not a quantity",
        title_zh="不是有效数量",
        example_header="数量",
        example_cell="若干",
    ),
    LedgerCode(
        code="LED-120",
        kind="bad_code",
        severity=_E,
        rule="§5",
        title_en="not an area code (12 digits, or 2/4/6/9 digits for a higher level)",
        title_zh="不是有效区划代码（12位，或上级区划的2/4/6/9位）",
        example_header="区划代码",
        example_cell="62042210020",
    ),
    LedgerCode(
        code="LED-121",
        kind="code_wrong_level",
        severity=_E,
        rule="§5",
        title_en="an area code of the wrong level for its column; never padded or truncated",
        title_zh="区划代码级别与列不符，不补零、不截断",
        example_header="村代码",
        example_cell="620422100",
    ),
    LedgerCode(
        code="LED-122",
        kind="unknown_label",
        severity=_E,
        rule="§2",
        title_en="a label not in the vocabulary",
        title_zh="不在词表中的取值",
        example_header="状态",
        example_cell="很好",
    ),
    LedgerCode(
        code="LED-123",
        kind="count_too_small",
        severity=_E,
        rule="§12",
        title_en="a count below its least value (a household without members)",
        title_zh="数量小于最小值（家庭人口为 0）",
        example_header="家庭人口",
        example_cell="0",
    ),
    LedgerCode(
        code="LED-126",
        kind="invalid_value",
        severity=_E,
        rule="§4",
        title_en="a value of the wrong shape",
        title_zh="取值格式错误",
        example_header="家庭人口",
        example_cell="三口",
    ),
    # -- funding (P2) -------------------------------------------------------------------
    LedgerCode(
        code="LED-131",
        kind="funding_amount_missing",
        severity=_E,
        rule="P2",
        title_en="a funding source without an amount on a row with several sources",
        title_zh="多个资金来源中有来源未写金额",
        example_header="资金来源",
        example_cell="财政专项扶贫资金;自筹资金396万元",
    ),
    LedgerCode(
        code="LED-132",
        kind="funding_mismatch",
        severity=_E,
        rule="P2",
        title_en="funding lines do not add up to the original value",
        title_zh="资金来源合计与原值不符",
        example_header="资金来源",
        example_cell="财政专项扶贫资金100万元;自筹资金30万元",
    ),
    LedgerCode(
        code="LED-133",
        kind="funding_single_source_applied",
        severity=_W,
        rule="P2",
        title_en="policy option applied: the single source without an amount takes the whole original value",
        title_zh="已按政策选项：未写金额的唯一资金来源记为原值全额",
        example_header="资金来源",
        example_cell="财政专项扶贫资金",
    ),
    LedgerCode(
        code="LED-134",
        kind="funding_amount_unknown",
        severity=_W,
        rule="P2",
        title_en="a single funding source without an amount: no funding line is recorded",
        title_zh="唯一资金来源未写金额：未登记资金来源明细",
        example_header="资金来源",
        example_cell="财政专项扶贫资金",
    ),
    LedgerCode(
        code="LED-135",
        kind="control_character",
        severity=_E,
        rule="§4",
        title_en="a control, escape or text-direction character in a cell (e.g. an ANSI escape, a bidi override)",
        title_zh="单元格含控制、转义或文字方向字符（如 ANSI 转义、双向覆盖字符）",
        example_header="资产名称",
        example_cell="村道\u202e路",
    ),
    LedgerCode(
        code="LED-136",
        kind="too_long",
        severity=_E,
        rule="§4",
        title_en="a code longer than the register stores (64 characters), or a name longer than 255",
        title_zh="代码超过可存储长度（64 个字符），或名称超过 255 个字符",
        example_header="资产编号",
        example_cell="PV-" + "0" * 62,
    ),
    LedgerCode(
        code="LED-137",
        kind="date_beyond_horizon",
        severity=_E,
        rule="§4",
        title_en="a date more than a year after the import (a typo such as 2999)",
        title_zh="日期晚于导入日期一年以上（如误填 2999 年）",
        example_header="登记日期",
        example_cell="2999-01-01",
    ),
    LedgerCode(
        code="LED-138",
        kind="amount_too_large",
        severity=_E,
        rule="§4",
        title_en="an amount larger than the register stores (2^63 - 1 fen)",
        title_zh="金额超出台账可存储的最大值（2^63 - 1 分）",
        example_header="原值(元)",
        example_cell="99999999999999999999",
    ),
    # -- rows ----------------------------------------------------------------------------
    LedgerCode(
        code="LED-201",
        kind="duplicate_asset_code",
        severity=_E,
        rule="§6",
        title_en="several rows share an asset code: every one of them is held back",
        title_zh="多行资产编号相同：这些行均不导入",
        example_header="资产编号",
        example_cell="ZK-2023-001",
    ),
    LedgerCode(
        code="LED-202",
        kind="code_in_register",
        severity=_E,
        rule="§6",
        title_en="the asset code is already in the register imported into",
        title_zh="资产编号已在目标台账中",
        example_header="资产编号",
        example_cell="ZK-2023-001",
    ),
    LedgerCode(
        code="LED-203",
        kind="invalid_asset",
        severity=_E,
        rule="§6",
        title_en="the row's cells are readable but do not make a valid asset",
        title_zh="该行不构成有效资产",
        example_header="资产编号",
        example_cell="ZK-2023-001",
    ),
    LedgerCode(
        code="LED-204",
        kind="unknown_party_kind",
        severity=_W,
        rule="P4",
        title_en="the kind of a named party cannot be told; that relation is not recorded",
        title_zh="无法判断主体类型，未登记该关系",
        example_header="产权归属",
        example_cell="张三",
    ),
    LedgerCode(
        code="LED-205",
        kind="partial_share",
        severity=_W,
        rule="P4",
        title_en="one owner with a share below 1 cannot be recorded from one row",
        title_zh="单行只列一个产权主体但份额小于1",
        example_header="产权份额",
        example_cell="1/3",
    ),
    LedgerCode(
        code="LED-206",
        kind="contract_incomplete",
        severity=_W,
        rule="§6",
        title_en="an operator without 经营方式 and 合同起止: the contract is not recorded",
        title_zh="有经营主体但缺经营方式或合同起止：未登记合同",
        example_header="合同起止",
        example_cell="",
    ),
    LedgerCode(
        code="LED-207",
        kind="operator_on_non_operating",
        severity=_E,
        rule="§6",
        title_en="an operating contract on an asset that is not operating",
        title_zh="非经营性资产不能签订经营合同",
        example_header="经营主体",
        example_cell="天香",
    ),
    LedgerCode(
        code="LED-208",
        kind="date_missing",
        severity=_E,
        rule="§4",
        title_en="no date to register the asset on (登记日期, 竣工日期 or 移交日期); none is invented",
        title_zh="没有可作登记日期的日期（登记日期、竣工日期或移交日期），不做推定",
        example_header="登记日期",
        example_cell="",
    ),
    LedgerCode(
        code="LED-209",
        kind="code_mismatch",
        severity=_E,
        rule="§5",
        title_en="two area-code columns of a row disagree",
        title_zh="同一行的两个区划代码列不一致",
        example_header="村代码",
        example_cell="620422100201",
    ),
    # -- columns and sheets ----------------------------------------------------------------
    LedgerCode(
        code="LED-301",
        kind="column_not_read",
        severity=_W,
        rule="§4",
        title_en="a column the importer does not read (reported once per sheet)",
        title_zh="导入时不读取的列（每表报告一次）",
        example_header="公告日期",
        example_cell="公告日期",
    ),
    LedgerCode(
        code="LED-302",
        kind="duplicate_column",
        severity=_W,
        rule="§4",
        title_en="two columns mean the same field; only the first is read",
        title_zh="两列含义相同，只读取前者",
        example_header="资产编码",
        example_cell="资产编码",
    ),
    LedgerCode(
        code="LED-303",
        kind="empty_sheet",
        severity=_E,
        rule="§4",
        title_en="the sheet is empty",
        title_zh="工作表为空",
        example_header="",
        example_cell="",
    ),
    LedgerCode(
        code="LED-304",
        kind="no_header",
        severity=_E,
        rule="§4",
        title_en="no header row in the first 10 rows",
        title_zh="前10行中找不到表头行",
        example_header="",
        example_cell="",
    ),
    LedgerCode(
        code="LED-305",
        kind="no_rows",
        severity=_W,
        rule="§4",
        title_en="a header row but no data rows",
        title_zh="只有表头，没有数据行",
        example_header="",
        example_cell="",
    ),
    LedgerCode(
        code="LED-306",
        kind="column_missing",
        severity=_E,
        rule="§4",
        title_en="a required column is missing",
        title_zh="缺少必需的列",
        example_header="原值",
        example_cell="",
    ),
    LedgerCode(
        code="LED-307",
        kind="hidden_sheet",
        severity=_W,
        rule="§4",
        title_en="a hidden or very hidden sheet, not read (name it to read it)",
        title_zh="隐藏或深度隐藏的工作表，未读取（指定表名可读取）",
        example_header="",
        example_cell="",
    ),
    # -- totals ----------------------------------------------------------------------------
    LedgerCode(
        code="LED-401",
        kind="total_mismatch",
        severity=_W,
        rule="§9",
        title_en="a 合计/小计 differs from the sum of its rows; reported, not corrected",
        title_zh="合计/小计与明细之和不符；仅报告，不作更正",
        example_header="原值(万元)",
        example_cell="1260",
    ),
    LedgerCode(
        code="LED-402",
        kind="total_not_checked",
        severity=_I,
        rule="§9",
        title_en="a 合计 that covers no detail rows; not checked",
        title_zh="合计行没有对应明细行，未核对",
        example_header="原值(万元)",
        example_cell="1259",
    ),
    # -- rosters and income ledgers ----------------------------------------------------------
    LedgerCode(
        code="LED-501",
        kind="duplicate_record",
        severity=_E,
        rule="§12",
        title_en="a roster or income record id used twice",
        title_zh="名单或收益记录编号重复",
        example_header="户编号",
        example_cell="LT001",
    ),
    LedgerCode(
        code="LED-502",
        kind="unknown_asset",
        severity=_E,
        rule="§12",
        title_en="an income record for an asset in neither the ledger nor the database; not stored",
        title_zh="收益记录所记资产既不在台账中也不在库中，未入库",
        example_header="资产编号",
        example_cell="LT-PV-999",
    ),
)

LEDGER_CODES: Final[Mapping[str, LedgerCode]] = MappingProxyType({entry.kind: entry for entry in _TABLE})
"""Problem kind → its :class:`LedgerCode`, in code order."""


def code_of(kind: str) -> LedgerCode | None:
    """The :class:`LedgerCode` of ``kind``, or ``None`` for a kind outside the table."""
    return LEDGER_CODES.get(kind)


def codes_markdown() -> str:
    """The code table as Markdown (the body of ``docs/ledger-codes.md``)."""
    lines = [
        "# Ledger problem codes (台账问题代码)",
        "",
        "<!-- generated by assetreg.adapters.ledger.codes.codes_markdown(); do not edit -->",
        "",
        "Every problem found while reading a county ledger (台账), a roster or an income ledger is an",
        "audit `Finding` whose subject is the cell (`台账!K7`), with the sheet, row, column header as",
        "written, raw text, what was expected and what was found in its evidence, and a message in",
        "English and Chinese. Errors hold the row back; every other row is imported. The code says",
        "what kind of problem it is and never changes meaning.",
        "",
        "| code | kind | severity | rule | meaning | 含义 | example column | example cell |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in sorted(_TABLE, key=lambda e: e.code):
        cell = f"`{entry.example_cell}`" if entry.example_cell else "(blank)"
        header = entry.example_header or "(sheet)"
        lines.append(
            f"| {entry.code} | `{entry.kind}` | {entry.severity.value} | {entry.rule} | {entry.title_en} "
            f"| {entry.title_zh} | {header} | {cell} |"
        )
    return "\n".join(lines) + "\n"
