"""Schemas of the income values (收益与分配报文结构): revenue, plans, beneficiaries, allocations.

Registered payload types: ``revenue_entry``, ``deduction``, ``distributable_income``,
``beneficiary``, ``roster``, ``distribution_plan``, ``tier``, ``allocation``,
``allocation_line`` and ``notice_row``. A tier's ``amount`` is discriminated by
``"kind"``: ``fixed``, ``percent``, ``per_post`` or ``per_household``. Sets (the kinds and
statuses a selector picks) are JSON arrays sorted by value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.domain import PeriodSchema
from assetreg.adapters.serde.fields import (
    Bool,
    DateField,
    DecimalField,
    EnumField,
    FractionField,
    Int,
    ListOf,
    MoneyField,
    NestedOf,
    NonEmptyText,
    SetOf,
    Tagged,
    Text,
)
from assetreg.adapters.serde.registry import register_payload_type
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, Roster, RosterEntry
from assetreg.income.plans import (
    Base,
    DistributionPlan,
    Fixed,
    HouseholdTable,
    Percent,
    PerHousehold,
    PerPost,
    Purpose,
    Selector,
    SplitMethod,
    TableRow,
    Tier,
)
from assetreg.income.results import Allocation, AllocationLine, NoticeRow
from assetreg.income.revenue import (
    Deduction,
    DeductionKind,
    DistributableIncome,
    RevenueEntry,
    RevenueKind,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from marshmallow import Schema

__all__ = [
    "TIER_AMOUNT_SCHEMAS",
    "AllocationLineSchema",
    "AllocationSchema",
    "BeneficiarySchema",
    "DeductionSchema",
    "DistributableIncomeSchema",
    "DistributionPlanSchema",
    "NoticeRowSchema",
    "RevenueEntrySchema",
    "RosterSchema",
    "TierSchema",
]


class RevenueEntrySchema(ModelSchema):
    """``RevenueEntry`` (收益): amount in yuan text over a half-open period."""

    model = RevenueEntry
    id = NonEmptyText()
    asset_id = NonEmptyText()
    kind = EnumField(RevenueKind)
    amount = MoneyField()
    period = NestedOf(PeriodSchema)
    received = DateField()
    contract_id = NonEmptyText()
    note = Text()
    kwh = DecimalField()


class DeductionSchema(ModelSchema):
    """``Deduction`` (扣除项)."""

    model = Deduction
    kind = EnumField(DeductionKind)
    amount = MoneyField()
    note = Text()


class DistributableIncomeSchema(ModelSchema):
    """``DistributableIncome`` (可分配收益): gross, deductions made and not made, net."""

    model = DistributableIncome
    gross = MoneyField()
    deducted = ListOf(NestedOf(DeductionSchema))
    not_deducted = ListOf(NestedOf(DeductionSchema))
    net = MoneyField()


class BeneficiarySchema(ModelSchema):
    """``Beneficiary`` (受益对象)."""

    model = Beneficiary
    id = NonEmptyText()
    kind = EnumField(BeneficiaryKind)
    name = Text()
    size = Int()
    status = EnumField(HouseholdStatus)
    monitor_type = EnumField(MonitorType)
    labor_capacity = EnumField(LaborCapacity)
    posts = Int()
    days_worked = Int()
    weight = FractionField()
    shares = FractionField()


class RosterEntrySchema(ModelSchema):
    """``RosterEntry`` (名单条目), ``[since, until)``."""

    model = RosterEntry
    beneficiary_id = NonEmptyText()
    since = DateField()
    until = DateField()
    reason = Text()


class RosterSchema(ModelSchema):
    """``Roster`` (受益名单)."""

    model = Roster
    entries = ListOf(NestedOf(RosterEntrySchema))


class SelectorSchema(ModelSchema):
    """``Selector`` (受益对象条件); sets as arrays sorted by value."""

    model = Selector
    kinds = SetOf(EnumField(BeneficiaryKind))
    statuses = SetOf(EnumField(HouseholdStatus))
    monitor_types = SetOf(EnumField(MonitorType))
    labor = SetOf(EnumField(LaborCapacity))
    post_holders = Bool()
    ids = ListOf(NonEmptyText())


class TableRowSchema(ModelSchema):
    """``TableRow`` (分配标准行): amount per household of a group and size bracket."""

    model = TableRow
    label = Text()
    group = NestedOf(SelectorSchema)
    min_size = Int()
    max_size = Int()
    amount = MoneyField()
    extra = MoneyField()


class HouseholdTableSchema(ModelSchema):
    """``HouseholdTable`` (按户分配标准表)."""

    model = HouseholdTable
    rows = ListOf(NestedOf(TableRowSchema))
    source = Text()


class FixedSchema(ModelSchema):
    """``Fixed`` tier amount (固定金额), kind ``fixed``."""

    model = Fixed
    amount = MoneyField()


class PercentSchema(ModelSchema):
    """``Percent`` tier amount (比例), kind ``percent``: ``{"rate": "11/20", "of": "net"}``."""

    model = Percent
    rate = FractionField()
    of = EnumField(Base)


class PerPostSchema(ModelSchema):
    """``PerPost`` tier amount (按岗位), kind ``per_post``."""

    model = PerPost
    monthly = MoneyField()
    months = Int()


class PerHouseholdSchema(ModelSchema):
    """``PerHousehold`` tier amount (按户标准), kind ``per_household``."""

    model = PerHousehold
    table = NestedOf(HouseholdTableSchema)


TIER_AMOUNT_SCHEMAS: Final[Mapping[str, type[Schema]]] = {
    "fixed": FixedSchema,
    "percent": PercentSchema,
    "per_post": PerPostSchema,
    "per_household": PerHouseholdSchema,
}
"""Tier-amount schemas by ``kind``."""

_TIER_KIND: Final[Mapping[type, str]] = {
    Fixed: "fixed",
    Percent: "percent",
    PerPost: "per_post",
    PerHousehold: "per_household",
}


def _tier_amount_kind(amount: Any) -> str:
    return _TIER_KIND[type(amount)]


class TierSchema(ModelSchema):
    """``Tier`` (分配档次): how much, to whom, split how, for what."""

    model = Tier
    name = NonEmptyText()
    amount = Tagged(TIER_AMOUNT_SCHEMAS, _tier_amount_kind)
    recipients = NestedOf(SelectorSchema)
    split = EnumField(SplitMethod)
    purpose = EnumField(Purpose)
    cap = MoneyField()
    minimum = NestedOf(PercentSchema)
    maximum = NestedOf(PercentSchema)


class DistributionPlanSchema(ModelSchema):
    """``DistributionPlan`` (收益分配方案): ordered tiers."""

    model = DistributionPlan
    id = NonEmptyText()
    name = NonEmptyText()
    tiers = ListOf(NestedOf(TierSchema))
    remainder_to = NonEmptyText()
    source = Text()


class AllocationLineSchema(ModelSchema):
    """``AllocationLine`` (分配明细行): the tier, base, rate and beneficiary of each amount."""

    model = AllocationLine
    tier = Text()
    tier_index = Int()
    purpose = EnumField(Purpose)
    beneficiary_id = NonEmptyText()
    beneficiary_kind = EnumField(BeneficiaryKind)
    beneficiary_name = Text()
    amount = MoneyField()
    base = Text()
    base_amount = MoneyField()
    rate = FractionField(allow_none=True)
    tier_amount = MoneyField()
    share = FractionField()
    basis = Text()
    weight = Int(allow_none=True)


class NoticeRowSchema(ModelSchema):
    """``NoticeRow`` (公示行)."""

    model = NoticeRow
    beneficiary_id = NonEmptyText()
    name = Text()
    kind = Text()
    amount = MoneyField()
    reasons = ListOf(Text())


class AllocationSchema(ModelSchema):
    """``Allocation`` (分配结果): pool, gross and every line."""

    model = Allocation
    plan_id = NonEmptyText()
    plan_name = Text()
    as_of = DateField()
    pool = MoneyField()
    gross = MoneyField()
    lines = ListOf(NestedOf(AllocationLineSchema))
    period = NestedOf(PeriodSchema)
    owner_id = NonEmptyText()
    returned = ListOf(Text())


_ENTRIES: Final = (
    ("revenue_entry", RevenueEntry, RevenueEntrySchema, "income received from an asset (收益)"),
    ("deduction", Deduction, DeductionSchema, "a deduction from income (扣除项)"),
    ("distributable_income", DistributableIncome, DistributableIncomeSchema, "可分配收益"),
    ("beneficiary", Beneficiary, BeneficiarySchema, "a beneficiary (受益对象)"),
    ("roster", Roster, RosterSchema, "a reviewed beneficiary list (受益名单)"),
    ("tier", Tier, TierSchema, "one tier of a plan (分配档次)"),
    ("distribution_plan", DistributionPlan, DistributionPlanSchema, "收益分配方案"),
    ("allocation_line", AllocationLine, AllocationLineSchema, "one allocation line (分配明细)"),
    ("allocation", Allocation, AllocationSchema, "a computed allocation (分配结果)"),
    ("notice_row", NoticeRow, NoticeRowSchema, "one row of a public notice (公示行)"),
)
for _name, _cls, _schema, _description in _ENTRIES:
    register_payload_type(_name, _cls, _schema, description=_description)
