"""Closed vocabularies of the register (术语枚举), DESIGN §2.

Every enum's string value is what is persisted and serialised; values never change
meaning. ``label_zh`` gives the Chinese term used in ledgers and notices.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, Final, Self

from assetreg.errors import invalid_choice

__all__ = [
    "AccountingRegime",
    "AssetClass",
    "AssetForm",
    "AssetKind",
    "AssetStatus",
    "Base",
    "CustodyMethod",
    "DeductionKind",
    "DisposalMethod",
    "DisposalTrigger",
    "FloorSemantics",
    "FundingSource",
    "HouseholdStatus",
    "LaborCapacity",
    "MonitorType",
    "OperationMode",
    "PartyKind",
    "PayableUnit",
    "PaymentFrequency",
    "Purpose",
    "RestructureBasis",
    "RestructureKind",
    "Vocabulary",
    "member_of",
]


class Vocabulary(enum.Enum):
    """A closed vocabulary whose members carry a Chinese label (带中文名称的枚举).

    Looking up an unknown value (``AssetKind("spaceport")``) raises
    :class:`~assetreg.errors.InvalidChoice` (also a ``ValueError``) whose messages and
    ``details["allowed"]`` list every value with its Chinese label. Subclasses give
    their labels by overriding :meth:`labels_zh`.
    """

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member (the member's value when none is given)."""
        return {}

    @property
    def label_zh(self) -> str:
        """The Chinese term (中文名称)."""
        return type(self).labels_zh().get(self, str(self.value))

    @classmethod
    def choices(cls) -> tuple[tuple[str, str], ...]:
        """``(value, Chinese label)`` of every member, in definition order."""
        return tuple((str(m.value), m.label_zh) for m in cls)

    @classmethod
    def _missing_(cls, value: object) -> Self:
        raise invalid_choice(cls.__name__, value, cls.choices())

    @classmethod
    def parse(cls, text: object, *, field: str | None = None, record: str | None = None) -> Self:
        """Return the member whose value, name or Chinese label is ``text``.

        Raises:
            InvalidChoice: no member has that value, name or label (the allowed ones are listed).
        """
        if isinstance(text, cls):
            return text
        if isinstance(text, str):
            cleaned = text.strip()
            for member in cls:
                if cleaned in {member.value, member.name, member.label_zh}:
                    return member
        raise invalid_choice(cls.__name__, text, cls.choices(), field=field, record=record)


def member_of(vocabulary: type[Vocabulary], *, optional: bool = False) -> Callable[[Any, Any, Any], None]:
    """An attrs validator: the value must be a member of ``vocabulary`` (or ``None`` when optional).

    Raises:
        InvalidChoice: anything else, text included (the allowed values are listed; pass
            the member, or read text with :meth:`Vocabulary.parse`).
    """

    def check(instance: object, attribute: Any, value: object) -> None:
        if (optional and value is None) or isinstance(value, vocabulary):
            return
        raise invalid_choice(
            vocabulary.__name__,
            value,
            vocabulary.choices(),
            field=attribute.name,
            record=getattr(instance, "asset_id", None) or getattr(instance, "id", None),
        )

    return check


class _Labelled(Vocabulary):
    """A register vocabulary: Chinese labels and ledger aliases from this module's tables."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _ZH

    @classmethod
    def from_label(cls, text: str, *, field: str | None = None, record: str | None = None) -> Self:
        """Return the member whose value, name, Chinese label or ledger alias is ``text``.

        Raises:
            InvalidChoice: no member matches (also a ``ValueError``); the allowed values
                and labels are listed.
        """
        if isinstance(text, str):
            cleaned = text.strip()
            for member in cls:
                if cleaned in {member.value, _ZH[member], member.name}:
                    return member
            for member in cls:
                if cleaned in _ALIASES.get(member, ()):
                    return member
        raise invalid_choice(cls.__name__, text, cls.choices(), field=field, record=record)


class AssetClass(_Labelled):
    """Class of an asset (资产类别); exactly one per asset (P3)."""

    PUBLIC_WELFARE = "public_welfare"
    OPERATING = "operating"
    HOUSEHOLD = "household"


class AssetForm(_Labelled):
    """Form of an asset (资产形态)."""

    FIXED = "fixed"
    BIOLOGICAL = "biological"
    EQUITY = "equity"
    DEBT_CLAIM = "debt_claim"


class AssetKind(_Labelled):
    """Kind of an asset (资产种类); drives the default class (P3)."""

    ROAD = "road"
    BRIDGE = "bridge"
    WATER_SUPPLY = "water_supply"
    IRRIGATION = "irrigation"
    SCHOOL = "school"
    CLINIC = "clinic"
    TOILET = "toilet"
    CULTURE_SITE = "culture_site"
    PV_STATION = "pv_station"
    GREENHOUSE = "greenhouse"
    BARN = "barn"
    COLD_STORE = "cold_store"
    WORKSHOP = "workshop"
    PROCESSING_PLANT = "processing_plant"
    PRODUCTION_BASE = "production_base"
    TOURISM_FACILITY = "tourism_facility"
    ECOMMERCE_FACILITY = "ecommerce_facility"
    LIVESTOCK = "livestock"
    TREES = "trees"
    EQUIPMENT = "equipment"
    EQUITY = "equity"
    DEBT_CLAIM = "debt_claim"
    HOUSEHOLD_SUBSIDY = "household_subsidy"
    OTHER = "other"


class AssetStatus(_Labelled):
    """Lifecycle status of an asset (资产状态), DESIGN §6."""

    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under_construction"
    COMPLETED = "completed"
    HANDED_OVER = "handed_over"
    IN_USE = "in_use"
    IDLE = "idle"
    DAMAGED = "damaged"
    DISPOSAL_APPROVED = "disposal_approved"
    DISPOSED = "disposed"
    RESTRUCTURED = "restructured"
    """Split into or merged into other assets (已分割/合并); the history is closed."""


class FundingSource(_Labelled):
    """Source of funds (资金来源), P2."""

    SPECIAL_POVERTY_FUND = "special_poverty_fund"
    LINKAGE_FUND = "linkage_fund"
    INTEGRATED_AGRICULTURAL_FUND = "integrated_agricultural_fund"
    SECTOR_FUND = "sector_fund"
    LOCAL_GOVERNMENT_BOND = "local_government_bond"
    LAND_QUOTA_LINKAGE = "land_quota_linkage"
    EAST_WEST_COOPERATION = "east_west_cooperation"
    CENTRAL_UNIT_PAIRED_AID = "central_unit_paired_aid"
    PROVINCIAL_PAIRED_AID = "provincial_paired_aid"
    SOCIAL_DONATION = "social_donation"
    RELOCATION_FUND = "relocation_fund"
    MUTUAL_AID_FUND = "mutual_aid_fund"
    SELF_RAISED = "self_raised"
    OTHER = "other"


class OperationMode(_Labelled):
    """How an operating asset is run (经营方式)."""

    CONTRACTING = "contracting"
    TRUSTEESHIP = "trusteeship"
    LEASE = "lease"
    COOPERATION = "cooperation"
    SOLE = "sole"
    EQUITY = "equity"


class CustodyMethod(_Labelled):
    """How upkeep is done (管护方式), P5."""

    VILLAGE_COLLECTIVE = "village_collective"
    PUBLIC_WELFARE_POST = "public_welfare_post"
    PURCHASED_SERVICE = "purchased_service"
    DEPARTMENT = "department"
    OPERATOR = "operator"
    HOUSEHOLD = "household"


class HouseholdStatus(_Labelled):
    """Status of a household (农户类型)."""

    LIFTED = "lifted"
    MONITORED = "monitored"
    ORDINARY = "ordinary"


class MonitorType(_Labelled):
    """Kind of monitored household (监测对象类型)."""

    UNSTABLE = "unstable"
    MARGINAL = "marginal"
    SUDDEN_HARDSHIP = "sudden_hardship"


class LaborCapacity(_Labelled):
    """Labour capacity of a household (劳动能力)."""

    FULL = "full"
    WEAK = "weak"
    NONE = "none"


class DisposalMethod(_Labelled):
    """How an asset leaves the register (处置方式), P12."""

    SCRAP = "scrap"
    AUCTION = "auction"
    TRANSFER = "transfer"
    REPURPOSE = "repurpose"
    SUSPEND = "suspend"
    WRITE_OFF = "write_off"


class DisposalTrigger(_Labelled):
    """Why an asset may be disposed of (处置情形), P12."""

    DISASTER = "disaster"
    ACCIDENT = "accident"
    PLANNING = "planning"
    END_OF_LIFE = "end_of_life"
    IDLE_OR_FAILING = "idle_or_failing"
    EQUITY_EXPIRED = "equity_expired"
    REPLACED = "replaced"


class RestructureKind(_Labelled):
    """How an asset's record is restructured (资产分割/合并)."""

    SPLIT = "split"
    MERGE = "merge"


class RestructureBasis(_Labelled):
    """What a split or merge divides values by (分割依据)."""

    QUANTITY = "quantity"
    """By quantity (按数量): each part's share of the parent's quantity."""
    VALUE = "value"
    """By value (按价值): each part's original value as agreed."""


class PaymentFrequency(_Labelled):
    """How often a contractual amount is paid (支付周期)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    ONCE = "once"

    @property
    def months(self) -> int | None:
        """Months per payment; ``None`` for a single payment."""
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.value)


class FloorSemantics(_Labelled):
    """How a guaranteed floor combines with a profit share (保底与分红的关系), P8."""

    MAX = "max"
    """The holder gets ``max(floor, share)`` (保底与分红取高)."""
    ADD = "add"
    """The holder gets ``floor + share`` (保底收益 + 效益分红)."""


class PartyKind(_Labelled):
    """Kind of party (主体类型)."""

    VILLAGE_COLLECTIVE = "village_collective"
    TOWNSHIP = "township"
    COUNTY_DEPARTMENT = "county_department"
    HOUSEHOLD = "household"
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"


_ZH: dict[enum.Enum, str] = {
    AssetClass.PUBLIC_WELFARE: "公益性资产",
    AssetClass.OPERATING: "经营性资产",
    AssetClass.HOUSEHOLD: "到户类资产",
    AssetForm.FIXED: "固定资产",
    AssetForm.BIOLOGICAL: "生物资产",
    AssetForm.EQUITY: "股权",
    AssetForm.DEBT_CLAIM: "债权",
    AssetKind.ROAD: "道路",
    AssetKind.BRIDGE: "桥梁",
    AssetKind.WATER_SUPPLY: "供水",
    AssetKind.IRRIGATION: "水利灌溉",
    AssetKind.SCHOOL: "学校",
    AssetKind.CLINIC: "卫生室",
    AssetKind.TOILET: "厕所",
    AssetKind.CULTURE_SITE: "文体场所",
    AssetKind.PV_STATION: "光伏电站",
    AssetKind.GREENHOUSE: "温室大棚",
    AssetKind.BARN: "圈舍",
    AssetKind.COLD_STORE: "冷库",
    AssetKind.WORKSHOP: "帮扶车间",
    AssetKind.PROCESSING_PLANT: "加工厂",
    AssetKind.PRODUCTION_BASE: "生产基地",
    AssetKind.TOURISM_FACILITY: "旅游设施",
    AssetKind.ECOMMERCE_FACILITY: "电商设施",
    AssetKind.LIVESTOCK: "牲畜",
    AssetKind.TREES: "林木",
    AssetKind.EQUIPMENT: "设备",
    AssetKind.EQUITY: "股权",
    AssetKind.DEBT_CLAIM: "债权",
    AssetKind.HOUSEHOLD_SUBSIDY: "到户补助",
    AssetKind.OTHER: "其他",
    AssetStatus.PLANNED: "计划",
    AssetStatus.UNDER_CONSTRUCTION: "在建",
    AssetStatus.COMPLETED: "已竣工",
    AssetStatus.HANDED_OVER: "已移交",
    AssetStatus.IN_USE: "在用",
    AssetStatus.IDLE: "闲置",
    AssetStatus.DAMAGED: "损毁",
    AssetStatus.DISPOSAL_APPROVED: "处置已批准",
    AssetStatus.DISPOSED: "已处置",
    AssetStatus.RESTRUCTURED: "已分割合并",
    RestructureKind.SPLIT: "分割",
    RestructureKind.MERGE: "合并",
    RestructureBasis.QUANTITY: "按数量",
    RestructureBasis.VALUE: "按价值",
    FundingSource.SPECIAL_POVERTY_FUND: "财政专项扶贫资金",
    FundingSource.LINKAGE_FUND: "衔接推进乡村振兴补助资金",
    FundingSource.INTEGRATED_AGRICULTURAL_FUND: "统筹整合财政涉农资金",
    FundingSource.SECTOR_FUND: "行业扶贫资金",
    FundingSource.LOCAL_GOVERNMENT_BOND: "地方政府债券",
    FundingSource.LAND_QUOTA_LINKAGE: "土地增减挂钩",
    FundingSource.EAST_WEST_COOPERATION: "东西部扶贫协作",
    FundingSource.CENTRAL_UNIT_PAIRED_AID: "中央单位定点帮扶",
    FundingSource.PROVINCIAL_PAIRED_AID: "省内对口帮扶",
    FundingSource.SOCIAL_DONATION: "社会捐赠",
    FundingSource.RELOCATION_FUND: "易地扶贫搬迁资金",
    FundingSource.MUTUAL_AID_FUND: "互助资金",
    FundingSource.SELF_RAISED: "自筹资金",
    FundingSource.OTHER: "其他资金",
    OperationMode.CONTRACTING: "承包",
    OperationMode.TRUSTEESHIP: "托管",
    OperationMode.LEASE: "租赁",
    OperationMode.COOPERATION: "合作",
    OperationMode.SOLE: "独资",
    OperationMode.EQUITY: "入股",
    CustodyMethod.VILLAGE_COLLECTIVE: "村集体管护",
    CustodyMethod.PUBLIC_WELFARE_POST: "公益性岗位",
    CustodyMethod.PURCHASED_SERVICE: "购买服务",
    CustodyMethod.DEPARTMENT: "部门管护",
    CustodyMethod.OPERATOR: "经营主体管护",
    CustodyMethod.HOUSEHOLD: "农户自管",
    HouseholdStatus.LIFTED: "脱贫户",
    HouseholdStatus.MONITORED: "监测对象",
    HouseholdStatus.ORDINARY: "一般农户",
    MonitorType.UNSTABLE: "脱贫不稳定户",
    MonitorType.MARGINAL: "边缘易致贫户",
    MonitorType.SUDDEN_HARDSHIP: "突发严重困难户",
    LaborCapacity.FULL: "有劳动能力",
    LaborCapacity.WEAK: "弱劳动能力",
    LaborCapacity.NONE: "无劳动能力",
    DisposalMethod.SCRAP: "报废",
    DisposalMethod.AUCTION: "拍卖",
    DisposalMethod.TRANSFER: "转让",
    DisposalMethod.REPURPOSE: "转产",
    DisposalMethod.SUSPEND: "报停",
    DisposalMethod.WRITE_OFF: "报损",
    DisposalTrigger.DISASTER: "自然灾害",
    DisposalTrigger.ACCIDENT: "意外事故",
    DisposalTrigger.PLANNING: "规划调整",
    DisposalTrigger.END_OF_LIFE: "使用年限期满",
    DisposalTrigger.IDLE_OR_FAILING: "闲置或经营不善",
    DisposalTrigger.EQUITY_EXPIRED: "股权协议到期",
    DisposalTrigger.REPLACED: "被新项目替代",
    PaymentFrequency.MONTHLY: "按月",
    PaymentFrequency.QUARTERLY: "按季度",
    PaymentFrequency.HALF_YEARLY: "按半年",
    PaymentFrequency.YEARLY: "按年",
    PaymentFrequency.ONCE: "一次性",
    FloorSemantics.MAX: "保底与分红取高",
    FloorSemantics.ADD: "保底加分红",
    PartyKind.VILLAGE_COLLECTIVE: "村集体经济组织",
    PartyKind.TOWNSHIP: "乡镇",
    PartyKind.COUNTY_DEPARTMENT: "县直部门",
    PartyKind.HOUSEHOLD: "农户",
    PartyKind.COOPERATIVE: "合作社",
    PartyKind.ENTERPRISE: "企业",
}

_ALIASES: dict[enum.Enum, tuple[str, ...]] = {
    AssetClass.PUBLIC_WELFARE: ("公益性", "公益类"),
    AssetClass.OPERATING: ("经营性", "经营类"),
    AssetClass.HOUSEHOLD: ("到户类", "到户", "到户资产"),
    AssetStatus.IN_USE: ("正常", "正常使用", "使用中"),
    AssetStatus.DAMAGED: ("损坏", "毁损"),
    FundingSource.SPECIAL_POVERTY_FUND: ("财政扶贫资金", "专项扶贫资金", "财政投入"),
    FundingSource.LINKAGE_FUND: ("衔接资金", "衔接推进乡村振兴资金", "中央财政衔接资金", "省级财政衔接资金"),
    FundingSource.INTEGRATED_AGRICULTURAL_FUND: ("涉农整合资金", "统筹整合资金"),
    FundingSource.SOCIAL_DONATION: ("捐赠",),
    FundingSource.SELF_RAISED: ("自筹", "合作社投资"),
    HouseholdStatus.LIFTED: ("脱贫户", "稳定脱贫户", "建档立卡脱贫户"),
    HouseholdStatus.MONITORED: ("监测户", "防止返贫监测户"),
    MonitorType.MARGINAL: ("边缘易致贫", "边缘监测户"),
    MonitorType.UNSTABLE: ("脱贫不稳定",),
    MonitorType.SUDDEN_HARDSHIP: ("突发严重困难",),
}


# -- income and policy vocabularies (one enum per concept; Policy fields use these) ------
class _IncomeLabelled(Vocabulary):
    """An income or policy vocabulary: Chinese labels from this module's income table."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _INCOME_ZH

    @classmethod
    def from_label(cls, text: str, *, field: str | None = None, record: str | None = None) -> Self:
        """Return the member whose value, name or Chinese label is ``text`` (as :meth:`parse`).

        Raises:
            InvalidChoice: no member matches; the allowed values and labels are listed.
        """
        return cls.parse(text, field=field, record=record)


class Base(_IncomeLabelled):
    """What a percentage applies to (分配基数), P9 **[cfg]** (``Policy.distribution_base``).

    ``Policy.distribution_base`` takes ``GROSS`` or ``NET``; a plan tier may also take a
    percentage of what the earlier tiers left (``REMAINING``).
    """

    GROSS = "gross"
    """Gross income before deductions (收益总额)."""
    NET = "net"
    """Distributable income, the pool (可分配收益)."""
    REMAINING = "remaining"
    """What the earlier tiers left (剩余部分)."""


class DeductionKind(_IncomeLabelled):
    """A deduction from gross income before distribution (扣除项目), P9 (``Policy.pv_deductions``)."""

    LAND_RENT = "land_rent"
    """Land rent (土地租金)."""
    TAXES = "taxes"
    """Taxes (税费)."""
    INSURANCE = "insurance"
    """Insurance (保险)."""
    OPERATION_MAINTENANCE = "om"
    """Operation and maintenance (运维费), cappable per W per year."""
    UPKEEP = "upkeep"
    """Upkeep of the project (管护费)."""
    MANAGEMENT_FEE = "management_fee"
    """Management fee (管理费)."""
    OTHER = "other"
    """Anything else (其他)."""


class Purpose(_IncomeLabelled):
    """What a tier's money is for (资金用途), P6.

    Values of ``Policy.priority_order`` and ``Policy.prohibited_purposes``; an unknown
    value raises :class:`~assetreg.errors.InvalidChoice` listing every purpose.
    """

    UPKEEP = "upkeep"
    """Upkeep of the project (项目管护)."""
    CONSOLIDATION = "consolidation"
    """Consolidating poverty gains: help to monitored and no-labour households (巩固成果)."""
    PUBLIC_WELFARE_POSTS = "public_welfare_posts"
    """Village public-welfare posts (公益性岗位)."""
    SMALL_PUBLIC_WORKS = "small_public_works"
    """Small village public works (小型公益事业)."""
    WORK_REWARDS = "work_rewards"
    """Rewards for work and labour (奖励补助/以工代赈)."""
    HOUSEHOLD_DIVIDEND = "household_dividend"
    """Dividends to beneficiary households (收益分红)."""
    HOUSEHOLD_DEVELOPMENT = "household_development"
    """Household production development funds (生产发展资金)."""
    COLLECTIVE_ACCUMULATION = "collective_accumulation"
    """Village collective accumulation (村集体积累)."""
    OPERATING_COSTS = "operating_costs"
    """Running costs of the operator or cooperative (运营经费)."""
    RESERVE = "reserve"
    """Reserve or risk fund (预留/风险金)."""
    EQUAL_CASH = "equal_cash"
    """Equal cash to everyone (简单发钱) — prohibited (P6)."""
    COMMITTEE_RUNNING_COSTS = "committee_running_costs"
    """Village committee running costs (村委会运转) — prohibited (P6)."""
    VEHICLES = "vehicles"
    """Vehicles (车辆) — prohibited (P6)."""
    ALLOWANCES = "allowances"
    """Allowances and subsidies to officials (津补贴) — prohibited (P6)."""
    DEBT_REPAYMENT = "debt_repayment"
    """Repaying debts (偿还债务) — prohibited (P6)."""
    OTHER = "other"
    """Anything else (其他)."""


class AccountingRegime(_IncomeLabelled):
    """The village collective accounting rules in force (会计制度), P13 (``Policy.accounting_regime``)."""

    RULES_2004 = "2004"
    """《村集体经济组织会计制度》, 财会〔2004〕12号."""
    RULES_2023 = "2023"
    """《农村集体经济组织会计制度》, 财会〔2023〕14号, in force 2024-01-01."""


class PayableUnit(_IncomeLabelled):
    """The unit payables are rounded to (发放金额取整单位), ``Policy.payable_unit`` **[cfg]**.

    Counties pay to the fen (到分) or in whole 元 (取整到元); 角 is seen too.
    """

    FEN = "fen"
    """To the fen (分)."""
    JIAO = "jiao"
    """To the 角 (10 fen)."""
    YUAN = "yuan"
    """To the whole 元 (100 fen)."""

    @property
    def fen(self) -> int:
        """Fen in one unit: 1, 10 or 100."""
        return {"fen": 1, "jiao": 10, "yuan": 100}[self.value]


_INCOME_ZH: Final[Mapping[Any, str]] = {
    Base.GROSS: "收益总额",
    Base.NET: "可分配收益",
    Base.REMAINING: "剩余部分",
    DeductionKind.LAND_RENT: "土地租金",
    DeductionKind.TAXES: "税费",
    DeductionKind.INSURANCE: "保险",
    DeductionKind.OPERATION_MAINTENANCE: "运维费",
    DeductionKind.UPKEEP: "管护费",
    DeductionKind.MANAGEMENT_FEE: "管理费",
    DeductionKind.OTHER: "其他",
    Purpose.UPKEEP: "项目管护",
    Purpose.CONSOLIDATION: "巩固成果",
    Purpose.PUBLIC_WELFARE_POSTS: "公益性岗位",
    Purpose.SMALL_PUBLIC_WORKS: "小型公益事业",
    Purpose.WORK_REWARDS: "奖励补助",
    Purpose.HOUSEHOLD_DIVIDEND: "收益分红",
    Purpose.HOUSEHOLD_DEVELOPMENT: "生产发展资金",
    Purpose.COLLECTIVE_ACCUMULATION: "村集体积累",
    Purpose.OPERATING_COSTS: "运营经费",
    Purpose.RESERVE: "预留/风险金",
    Purpose.EQUAL_CASH: "简单发钱",
    Purpose.COMMITTEE_RUNNING_COSTS: "村委会运转",
    Purpose.VEHICLES: "车辆",
    Purpose.ALLOWANCES: "津补贴",
    Purpose.DEBT_REPAYMENT: "偿还债务",
    Purpose.OTHER: "其他",
    AccountingRegime.RULES_2004: "村集体经济组织会计制度(2004)",
    AccountingRegime.RULES_2023: "农村集体经济组织会计制度(2023)",
    PayableUnit.FEN: "分",
    PayableUnit.JIAO: "角",
    PayableUnit.YUAN: "元",
}
