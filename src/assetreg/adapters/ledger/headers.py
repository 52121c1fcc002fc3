"""Ledger column headers (台账列标题): normalisation, aliases and units.

County ledgers name the same column many ways (``原值``, ``金额``, ``投资额``,
``建设/投资金额``…) and put the unit in the header (``原值(万元)``, ``金额（元）``,
``投资额/万元``). :func:`match_header` maps a header as written to a canonical field
name (the English names used across assetreg) and the unit it names.

Pure; usable without openpyxl.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from typing import Final

import attrs

__all__ = [
    "CODE_LEVELS",
    "FIELDS",
    "FUNDING_COLUMN_PREFIX",
    "FieldKind",
    "HeaderMatch",
    "match_header",
    "normalise_header",
]


class FieldKind(enum.Enum):
    """How the cells of a canonical field are read."""

    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    DATE_RANGE = "date_range"
    RATE = "rate"
    SHARE = "share"
    YEAR = "year"
    COUNT = "count"
    CODE = "code"


# canonical field -> (kind, Chinese header used when writing, aliases).
_TABLE: Final[dict[str, tuple[FieldKind, str, tuple[str, ...]]]] = {
    "seq": (FieldKind.TEXT, "序号", ("序号", "行号", "no", "no.", "seq", "#")),
    "row_kind": (FieldKind.TEXT, "行类型", ("行类型", "row_kind", "row_type")),
    "source_seq": (FieldKind.TEXT, "原序号", ("原序号", "source_seq")),
    "asset_code": (
        FieldKind.TEXT,
        "资产编号",
        ("资产编号", "资产编码", "资产代码", "资产id", "asset_code", "asset_id", "assetid"),
    ),
    "asset_name": (FieldKind.TEXT, "资产名称", ("资产名称", "资产项目名称", "asset_name", "asset")),
    "asset_class": (
        FieldKind.TEXT,
        "资产类别",
        ("资产类别", "资产类型", "资产分类", "资产性质", "asset_class", "class"),
    ),
    "asset_form": (FieldKind.TEXT, "资产形态", ("资产形态", "资产形式", "asset_form", "form")),
    "asset_kind": (FieldKind.TEXT, "资产种类", ("资产种类", "资产品种", "asset_kind", "kind")),
    "quantity": (FieldKind.TEXT, "数量", ("数量", "quantity")),
    "quantity_unit": (FieldKind.TEXT, "计量单位", ("计量单位", "单位", "unit")),
    "scale": (
        FieldKind.TEXT,
        "规模/容量",
        ("规模/容量", "规模", "建设规模", "容量", "scale", "capacity"),
    ),
    "capacity_kw": (
        FieldKind.TEXT,
        "装机容量(kW)",
        ("装机容量", "装机规模", "装机容量(kw)", "装机容量(千瓦)", "capacity_kw"),
    ),
    "item_count": (
        FieldKind.COUNT,
        "个数",
        ("个数", "项目个数", "资产个数", "item_count", "count"),
    ),
    "project_code": (
        FieldKind.TEXT,
        "项目编号",
        ("项目编号", "项目编码", "项目代码", "project_code"),
    ),
    "project_name": (FieldKind.TEXT, "项目名称", ("项目名称", "项目", "project_name", "project")),
    "project_category": (
        FieldKind.TEXT,
        "项目类别",
        ("项目类别", "项目类型", "project_category", "project_type"),
    ),
    "project_year": (
        FieldKind.YEAR,
        "建设年度",
        ("建设年度", "实施年度", "项目年度", "年度", "建设年份", "project_year", "year"),
    ),
    "funding_source": (
        FieldKind.TEXT,
        "资金来源",
        ("资金来源", "资金性质", "funding_source", "funding", "source_of_funds"),
    ),
    "original_value": (
        FieldKind.MONEY,
        "原值",
        (
            "原值",
            "资产原值",
            "账面原值",
            "金额",
            "资产金额",
            "投资",
            "投资额",
            "投资金额",
            "总投资",
            "建设金额",
            "建设/投资金额",
            "项目资金",
            "资金规模",
            "确权金额",
            "original_value",
            "amount",
            "value",
        ),
    ),
    "net_book_value": (FieldKind.MONEY, "净值", ("净值", "账面净值", "资产净值", "net_book_value")),
    "province": (FieldKind.TEXT, "省份", ("省份", "省", "province")),
    "county": (FieldKind.TEXT, "县区", ("县区", "县(区)", "县(市、区)", "县", "county")),
    "township": (FieldKind.TEXT, "乡镇", ("乡镇", "乡(镇)", "所在乡镇", "乡镇(街道)", "township")),
    "village": (FieldKind.TEXT, "村", ("村", "村名", "所在村", "行政村", "村(社区)", "village")),
    "admin_code": (
        FieldKind.CODE,
        "区划代码",
        ("区划代码", "行政区划代码", "统计用区划代码", "admin_code", "area_code"),
    ),
    "village_code": (
        FieldKind.CODE,
        "村代码",
        ("村代码", "村级区划代码", "行政村代码", "村区划代码", "village_code"),
    ),
    "township_code": (
        FieldKind.CODE,
        "乡镇代码",
        ("乡镇代码", "乡镇区划代码", "乡(镇)代码", "township_code"),
    ),
    "county_code": (
        FieldKind.CODE,
        "县区代码",
        ("县区代码", "县级区划代码", "县代码", "county_code"),
    ),
    "funding_amount": (
        FieldKind.MONEY,
        "资金金额",
        ("资金金额", "来源金额", "资金来源金额", "各来源金额", "funding_amount"),
    ),
    "owner": (
        FieldKind.TEXT,
        "产权归属",
        ("产权归属", "所有权人", "产权主体", "产权所有人", "确权主体", "产权单位", "owner"),
    ),
    "owner_share": (
        FieldKind.SHARE,
        "产权份额",
        ("产权份额", "产权比例", "所占份额", "owner_share", "share"),
    ),
    "owner_credit_code": (
        FieldKind.TEXT,
        "统一社会信用代码",
        ("统一社会信用代码", "信用代码", "owner_credit_code", "credit_code"),
    ),
    "owner_resident_id": (
        FieldKind.TEXT,
        "身份证号码",
        ("身份证号码", "身份证号", "公民身份号码", "owner_resident_id", "resident_id"),
    ),
    "owner_kind": (FieldKind.TEXT, "产权主体类型", ("产权主体类型", "所有权人类型", "owner_kind")),
    "custodian_kind": (FieldKind.TEXT, "管护主体类型", ("管护主体类型", "custodian_kind")),
    "operator_kind": (FieldKind.TEXT, "经营主体类型", ("经营主体类型", "operator_kind")),
    "custodian": (
        FieldKind.TEXT,
        "管护主体",
        ("管护主体", "管护责任人", "管护单位", "管护责任主体", "custodian"),
    ),
    "custody_method": (FieldKind.TEXT, "管护方式", ("管护方式", "管护模式", "custody_method")),
    "operator": (
        FieldKind.TEXT,
        "经营主体",
        ("经营主体", "运营主体", "经营单位", "承包方", "operator"),
    ),
    "operation_mode": (
        FieldKind.TEXT,
        "经营方式",
        ("经营方式", "运营方式", "经营模式", "operation_mode"),
    ),
    "contract_period": (
        FieldKind.DATE_RANGE,
        "合同起止",
        ("合同起止", "合同起止时间", "合同起止日期", "合同期限", "合同期", "contract_period"),
    ),
    "guaranteed_rate": (
        FieldKind.RATE,
        "保底收益率",
        ("保底收益率", "保底收益比例", "收益率", "guaranteed_rate"),
    ),
    "status": (FieldKind.TEXT, "状态", ("状态", "资产状态", "使用状态", "运行状态", "status")),
    "completed_on": (
        FieldKind.DATE,
        "竣工日期",
        ("竣工日期", "完工日期", "建成日期", "建成时间", "竣工时间", "completed_on"),
    ),
    "handed_over_on": (
        FieldKind.DATE,
        "移交日期",
        ("移交日期", "移交时间", "交付日期", "handed_over_on"),
    ),
    "registered_on": (
        FieldKind.DATE,
        "登记日期",
        ("登记日期", "入账日期", "登记时间", "registered_on"),
    ),
    "department": (FieldKind.TEXT, "主管部门", ("主管部门", "行业主管部门", "department")),
    "implementer": (FieldKind.TEXT, "实施单位", ("实施单位", "项目实施单位", "implementer")),
    "notice_period": (
        FieldKind.DATE_RANGE,
        "公示期",
        ("公示期", "公告期", "公示时间", "公告时间", "notice_period"),
    ),
    "published_on": (FieldKind.DATE, "发布日期", ("发布日期", "published_on")),
    "signed_on": (FieldKind.DATE, "落款日期", ("落款日期", "signed_on")),
    "remarks": (FieldKind.TEXT, "备注", ("备注", "说明", "remarks", "notes", "note")),
    "source": (FieldKind.TEXT, "来源", ("来源", "数据来源", "source", "source_url")),
}

FIELDS: Final[dict[str, FieldKind]] = {name: spec[0] for name, spec in _TABLE.items()}
"""Canonical field name → how its cells are read (per-source columns aside, see :func:`field_kind`)."""

CODE_LEVELS: Final[dict[str, str | None]] = {
    "admin_code": None,
    "village_code": "village",
    "township_code": "township",
    "county_code": "county",
}
"""Area-code field → the level its column holds (``None``: any level, written at its length)."""

FUNDING_COLUMN_PREFIX: Final = "funding:"
"""Prefix of the field of a per-source amount column: ``"funding:中央衔接资金"``."""

_FUNDING_COLUMNS: Final = (
    "中央衔接资金",
    "省级衔接资金",
    "市县级衔接资金",
    "市级衔接资金",
    "县级衔接资金",
    "中央财政衔接资金",
    "省级财政衔接资金",
    "市县级财政衔接资金",
    "财政专项扶贫资金",
    "中央财政专项扶贫资金",
    "省级财政专项扶贫资金",
    "市县级财政专项扶贫资金",
    "统筹整合财政涉农资金",
    "涉农整合资金",
    "行业扶贫资金",
    "地方政府债券",
    "东西部扶贫协作资金",
    "东西部协作资金",
    "定点帮扶资金",
    "社会捐赠",
    "社会捐赠资金",
    "自筹资金",
    "群众自筹",
    "互助资金",
    "其他",
    "其他资金",
)
"""Headers (before any unit) of the one-amount-column-per-source layout (county practice)."""


def field_kind(field: str) -> FieldKind:
    """How the cells of ``field`` are read; per-source amount columns are money.

    Raises:
        KeyError: an unknown field.
    """
    if field.startswith(FUNDING_COLUMN_PREFIX):
        return FieldKind.MONEY
    return FIELDS[field]


HEADER_ZH: Final[dict[str, str]] = {name: spec[1] for name, spec in _TABLE.items()}
"""Canonical field name → the Chinese header the writer uses."""

_UNITS: Final[dict[str, str]] = {
    "元": "元",
    "万元": "万元",
    "万": "万元",
    "yuan": "元",
    "cny": "元",
    "rmb": "元",
    "wan": "万元",
    "wanyuan": "万元",
    "10kyuan": "万元",
    "%": "%",
    "percent": "%",
}
_UNIT_IN_BRACKETS = re.compile(r"(?P<name>.+?)[(\[](?P<unit>[^()\[\]]+)[)\]]")
_UNIT_AFTER_SLASH = re.compile(r"(?P<name>.+?)/(?P<unit>[^/]+)")
_UNIT_AFTER_UNDERSCORE = re.compile(r"(?P<name>.+?)_(?P<unit>yuan|wan|percent)")


def normalise_header(text: object) -> str:
    r"""Normalise a header cell for matching.

    NFKC (full-width brackets and slashes become ASCII), whitespace and line breaks
    removed, required-field stars (``*``) dropped, English lower-cased.
    ``"原值\\n（万元）"`` → ``"原值(万元)"``.
    """
    if text is None:
        return ""
    raw = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*]+", "", raw).lower()


_ALIASES: Final[dict[str, str]] = {normalise_header(alias): name for name, spec in _TABLE.items() for alias in spec[2]}


@attrs.frozen
class HeaderMatch:
    """A header recognised as a canonical field.

    Attributes:
        field: the canonical field name (``"original_value"``).
        unit: the unit the header names: ``"元"``, ``"万元"``, ``"%"`` or ``None``.
    """

    field: str
    unit: str | None


def match_header(text: object) -> HeaderMatch | None:
    """Return the canonical field and unit of a header, or ``None`` if it is not known.

    ``原值(万元)`` → ``("original_value", "万元")``; ``金额（元）`` → ``("original_value",
    "元")``; ``投资额/万元`` → ``("original_value", "万元")``; ``保底收益率(%)`` →
    ``("guaranteed_rate", "%")``; ``建设/投资金额`` → ``("original_value", None)``;
    ``amount_wan`` → ``("original_value", "万元")``; a per-source amount column such as
    ``中央衔接资金(万元)`` → ``("funding:中央衔接资金", "万元")``.
    """
    name = normalise_header(text)
    if not name:
        return None
    if name in _ALIASES:
        return HeaderMatch(_ALIASES[name], None)
    if name in _FUNDING_NAMES:
        return HeaderMatch(FUNDING_COLUMN_PREFIX + name, None)
    for pattern in (_UNIT_IN_BRACKETS, _UNIT_AFTER_SLASH, _UNIT_AFTER_UNDERSCORE):
        found = pattern.fullmatch(name)
        if found and found["unit"] in _UNITS:
            if found["name"] in _ALIASES:
                return HeaderMatch(_ALIASES[found["name"]], _UNITS[found["unit"]])
            if found["name"] in _FUNDING_NAMES and _UNITS[found["unit"]] != "%":
                return HeaderMatch(FUNDING_COLUMN_PREFIX + found["name"], _UNITS[found["unit"]])
    return None


_FUNDING_NAMES: Final = frozenset(normalise_header(name) for name in _FUNDING_COLUMNS)
