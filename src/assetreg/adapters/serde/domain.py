"""Schemas of the domain values (领域对象报文结构): assets, parties, rights, events, register.

One :class:`~assetreg.adapters.serde.base.ModelSchema` per attrs class, with fields named
like the attributes. Parties and events are discriminated by ``"kind"`` (the
``PartyKind`` value, the event's stable kind name); a
correction's ``replacement`` is itself a discriminated event.

Required keys are the attributes without a default; a key with a default may be left out
(the default applies), and is ``null`` only where ``None`` is the default. Dumps always
write every key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from marshmallow import Schema, ValidationError

from assetreg.adapters.serde.base import ModelSchema
from assetreg.adapters.serde.fields import (
    AdminCodeField,
    Bool,
    CreditCodeField,
    DateField,
    DecimalField,
    EnumField,
    FractionField,
    Int,
    ListOf,
    MoneyField,
    NestedOf,
    NonEmptyText,
    ResidentIdField,
    Tagged,
    Text,
    UtcDateTimeField,
    bilingual,
)
from assetreg.adapters.serde.registry import register_payload_type
from assetreg.domain.assets import Asset, FundingLine, Project
from assetreg.domain.events import (
    EVENT_TYPES,
    Approval,
    AssetEvent,
    AssetRegistered,
    ContractEnded,
    ContractSigned,
    Corrected,
    CustodianAssigned,
    CustodyEnded,
    DisposalApproved,
    Disposed,
    EvidenceAttached,
    HandedOver,
    OpeningBalanceRecorded,
    OwnershipConfirmed,
    PurchaseRecorded,
    Restructured,
    Revalued,
    StatusChanged,
    UsageRecorded,
)
from assetreg.domain.evidence import Evidence, EvidenceKind
from assetreg.domain.history import AssetHistory, AssetState, DisposalRecord, StatusSpan
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Enterprise,
    Household,
    Party,
    Township,
    VillageCollective,
)
from assetreg.domain.periods import Period
from assetreg.domain.purchase import PurchaseCommitment, PurchaseGuarantee
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractTerms,
    Custodianship,
    EscalationSchedule,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
    Ownership,
    ProfitShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    FloorSemantics,
    FundingSource,
    HouseholdStatus,
    LaborCapacity,
    MonitorType,
    OperationMode,
    PartyKind,
    PaymentFrequency,
    RestructureBasis,
    RestructureKind,
)
from assetreg.errors import AssetRegError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "EVENT_SCHEMAS",
    "PARTY_SCHEMAS",
    "ApprovalSchema",
    "AssetHistorySchema",
    "AssetRegisterSchema",
    "AssetSchema",
    "AssetStateSchema",
    "ContractTermsSchema",
    "CustodianshipSchema",
    "DisposalRecordSchema",
    "EscalationScheduleSchema",
    "FundingLineSchema",
    "GuaranteedReturnSchema",
    "OperatingContractSchema",
    "OwnerShareSchema",
    "OwnershipSchema",
    "PeriodSchema",
    "ProfitShareSchema",
    "ProjectSchema",
    "StatusSpanSchema",
    "event_field",
    "event_kind",
    "party_field",
]


# -- assets ------------------------------------------------------------------------------------


class ProjectSchema(ModelSchema):
    """``Project`` (项目)."""

    model = Project
    code = NonEmptyText()
    name = NonEmptyText()
    year = Int()
    department = Text()


class FundingLineSchema(ModelSchema):
    """``FundingLine`` (资金来源): source, amount in yuan text."""

    model = FundingLine
    source = EnumField(FundingSource)
    amount = MoneyField()
    note = Text()


class AssetSchema(ModelSchema):
    """``Asset`` (资产).

    Example: ``{"id": "HN-PV-001", ..., "original_value": "1376400.00", "funding":
    [{"source": "special_poverty_fund", "amount": "1376400.00", "note": null}], ...}``.
    """

    model = Asset
    id = NonEmptyText()
    name = NonEmptyText()
    asset_class = EnumField(AssetClass)
    form = EnumField(AssetForm)
    kind = EnumField(AssetKind)
    location = AdminCodeField()
    original_value = MoneyField()
    funding = ListOf(NestedOf(FundingLineSchema))
    project = NestedOf(ProjectSchema)
    quantity = DecimalField()
    unit = Text()
    capacity_kw = DecimalField()
    completed_on = DateField()
    handed_over_on = DateField()
    supervising_department = Text()
    note = Text()


# -- parties -----------------------------------------------------------------------------------


class _OrganisationSchema(ModelSchema):
    id = NonEmptyText()
    name = NonEmptyText()
    admin_code = AdminCodeField()
    credit_code = CreditCodeField()


class VillageCollectiveSchema(_OrganisationSchema):
    """``VillageCollective`` (村集体经济组织)."""

    model = VillageCollective


class TownshipSchema(_OrganisationSchema):
    """``Township`` (乡镇)."""

    model = Township


class CountyDepartmentSchema(_OrganisationSchema):
    """``CountyDepartment`` (县直部门)."""

    model = CountyDepartment


class CooperativeSchema(_OrganisationSchema):
    """``Cooperative`` (合作社)."""

    model = Cooperative


class EnterpriseSchema(_OrganisationSchema):
    """``Enterprise`` (企业)."""

    model = Enterprise


class HouseholdSchema(ModelSchema):
    """``Household`` (农户); the resident id is masked unless revealed."""

    model = Household
    id = NonEmptyText()
    name = Text()
    admin_code = AdminCodeField()
    size = Int()
    status = EnumField(HouseholdStatus)
    monitor_type = EnumField(MonitorType)
    labor_capacity = EnumField(LaborCapacity)
    head_resident_id = ResidentIdField()


PARTY_SCHEMAS: Final[Mapping[str, type[Schema]]] = {
    PartyKind.VILLAGE_COLLECTIVE.value: VillageCollectiveSchema,
    PartyKind.TOWNSHIP.value: TownshipSchema,
    PartyKind.COUNTY_DEPARTMENT.value: CountyDepartmentSchema,
    PartyKind.HOUSEHOLD.value: HouseholdSchema,
    PartyKind.COOPERATIVE.value: CooperativeSchema,
    PartyKind.ENTERPRISE.value: EnterpriseSchema,
}
"""Party schemas by their ``kind`` (the :class:`PartyKind` value)."""


def _party_kind(party: Party) -> str:
    return party.kind.value


def party_field(**kwargs: Any) -> Tagged:
    """A field holding any party, discriminated by ``"kind"`` (``"village_collective"``…)."""
    return Tagged(PARTY_SCHEMAS, _party_kind, **kwargs)


# -- rights ------------------------------------------------------------------------------------


class PeriodSchema(ModelSchema):
    """``Period``, half-open: ``{"start": ..., "end": ...}`` (``end`` excluded)."""

    model = Period
    start = DateField()
    end = DateField()


class OwnerShareSchema(ModelSchema):
    """``OwnerShare``: ``{"holder": "V1", "share": "1/3"}``."""

    model = OwnerShare
    holder = NonEmptyText()
    share = FractionField()


class OwnershipSchema(ModelSchema):
    """``Ownership`` (确权), validity half-open."""

    model = Ownership
    asset_id = NonEmptyText()
    holders = ListOf(NestedOf(OwnerShareSchema))
    valid_from = DateField()
    valid_to = DateField()
    document = Text()


class CustodianshipSchema(ModelSchema):
    """``Custodianship`` (管护), validity half-open."""

    model = Custodianship
    asset_id = NonEmptyText()
    custodian = NonEmptyText()
    method = EnumField(CustodyMethod)
    valid_from = DateField()
    valid_to = DateField()
    duties = Text()
    upkeep_budget = MoneyField()
    document = Text()


class GuaranteedReturnSchema(ModelSchema):
    """``GuaranteedReturn`` (保底收益): rate ``"3/50"`` on a base, or an amount."""

    model = GuaranteedReturn
    rate = FractionField()
    base = MoneyField()
    amount = MoneyField()
    frequency = EnumField(PaymentFrequency)
    advance_fraction = FractionField()
    benchmark_tied = Bool()


class ProfitShareSchema(ModelSchema):
    """``ProfitShare`` (效益分红)."""

    model = ProfitShare
    rate = FractionField()
    semantics = EnumField(FloorSemantics)


class EscalationScheduleSchema(ModelSchema):
    """``EscalationSchedule`` (租金递增): rates in yuan per unit per year."""

    model = EscalationSchedule
    start_rate = MoneyField()
    step = MoneyField()
    every_years = Int()
    cap = MoneyField()
    units = DecimalField()
    unit = Text()


class PurchaseCommitmentSchema(ModelSchema):
    """``PurchaseCommitment`` (承诺收购量); ``quantity`` is an exact decimal string."""

    model = PurchaseCommitment
    household = NonEmptyText()
    quantity = DecimalField()


class PurchaseGuaranteeSchema(ModelSchema):
    """``PurchaseGuarantee`` (保底收购条款); ``floor_price`` is fen per unit, ``season`` half-open."""

    model = PurchaseGuarantee
    product = NonEmptyText()
    unit = NonEmptyText()
    floor_price = MoneyField()
    season = NestedOf(PeriodSchema)
    commitments = ListOf(NestedOf(PurchaseCommitmentSchema))


class ContractTermsSchema(ModelSchema):
    """``ContractTerms`` (合同条款)."""

    model = ContractTerms
    fixed_rent = MoneyField()
    rent_frequency = EnumField(PaymentFrequency)
    escalation = NestedOf(EscalationScheduleSchema)
    guaranteed_return = NestedOf(GuaranteedReturnSchema)
    profit_share = NestedOf(ProfitShareSchema)
    advance = MoneyField()
    purchase_guarantees = ListOf(NestedOf(PurchaseGuaranteeSchema))


class OperatingContractSchema(ModelSchema):
    """``OperatingContract`` (经营合同); ``term`` is half-open."""

    model = OperatingContract
    id = NonEmptyText()
    asset_id = NonEmptyText()
    operator = NonEmptyText()
    mode = EnumField(OperationMode)
    term = NestedOf(PeriodSchema)
    terms = NestedOf(ContractTermsSchema)
    document = Text()


# -- events ------------------------------------------------------------------------------------


class ApprovalSchema(ModelSchema):
    """``Approval`` (审批)."""

    model = Approval
    level = NonEmptyText()
    body = Text()
    approved_on = DateField()
    document = Text()


class _EventSchema(ModelSchema):
    """Fields common to every event; ``recorded_at`` is an aware instant kept in UTC."""

    asset_id = NonEmptyText()
    effective = DateField()
    recorded_at = UtcDateTimeField()
    event_id = NonEmptyText(required=True)  # a random id by default, but never on load
    note = Text()


class AssetRegisteredSchema(_EventSchema):
    """``AssetRegistered`` (登记入账), kind ``asset_registered``."""

    model = AssetRegistered
    asset = NestedOf(AssetSchema)
    status = EnumField(AssetStatus)


class StatusChangedSchema(_EventSchema):
    """``StatusChanged`` (状态变更), kind ``status_changed``."""

    model = StatusChanged
    status = EnumField(AssetStatus)
    reason = Text()


class HandedOverSchema(_EventSchema):
    """``HandedOver`` (移交), kind ``handed_over``."""

    model = HandedOver
    recipient = NonEmptyText()
    document = Text()
    giver = NonEmptyText()
    accepted_on = DateField()
    certificate_number = Text()
    department = Text()
    act_id = Text()


class OwnershipConfirmedSchema(_EventSchema):
    """``OwnershipConfirmed`` (确权), kind ``ownership_confirmed``."""

    model = OwnershipConfirmed
    holders = ListOf(NestedOf(OwnerShareSchema))
    document = Text()


class CustodianAssignedSchema(_EventSchema):
    """``CustodianAssigned`` (落实管护主体), kind ``custodian_assigned``."""

    model = CustodianAssigned
    custodian = NonEmptyText()
    method = EnumField(CustodyMethod)
    valid_to = DateField()
    duties = Text()
    upkeep_budget = MoneyField()
    document = Text()


class CustodyEndedSchema(_EventSchema):
    """``CustodyEnded`` (管护终止), kind ``custody_ended``."""

    model = CustodyEnded


class ContractSignedSchema(_EventSchema):
    """``ContractSigned`` (签订经营合同), kind ``contract_signed``."""

    model = ContractSigned
    contract = NestedOf(OperatingContractSchema)


class ContractEndedSchema(_EventSchema):
    """``ContractEnded`` (合同提前终止), kind ``contract_ended``."""

    model = ContractEnded
    contract_id = NonEmptyText()
    reason = Text()


class RevaluedSchema(_EventSchema):
    """``Revalued`` (价值调整), kind ``revalued``."""

    model = Revalued
    book_value = MoneyField()
    reason = Text()
    remaining_life_months = Int()


class OpeningBalanceRecordedSchema(_EventSchema):
    """``OpeningBalanceRecorded`` (期初余额), kind ``opening_balance_recorded``."""

    model = OpeningBalanceRecorded
    accumulated_depreciation = MoneyField()
    months_depreciated = Int()
    impairment = MoneyField()
    revaluation = MoneyField()
    units_used = DecimalField()
    parents = ListOf(NonEmptyText())
    as_of = DateField()


class UsageRecordedSchema(_EventSchema):
    """``UsageRecorded`` (工作量记录), kind ``usage_recorded``."""

    model = UsageRecorded
    units = DecimalField()
    unit = Text()


class EvidenceSchema(ModelSchema):
    """``Evidence`` (佐证材料); ``sha256`` is 64 lowercase hex digits."""

    model = Evidence
    kind = EnumField(EvidenceKind)
    number = NonEmptyText()
    issued_on = DateField()
    issuer = Text()
    sha256 = Text()
    kept_at = Text()


class EvidenceAttachedSchema(_EventSchema):
    """``EvidenceAttached`` (附佐证材料), kind ``evidence_attached``."""

    model = EvidenceAttached
    for_event = NonEmptyText()
    documents = ListOf(NestedOf(EvidenceSchema))


class PurchaseRecordedSchema(_EventSchema):
    """``PurchaseRecorded`` (保底收购记录), kind ``purchase_recorded``."""

    model = PurchaseRecorded
    contract_id = NonEmptyText()
    household = NonEmptyText()
    product = NonEmptyText()
    quantity = DecimalField()
    unit_price = MoneyField()
    document = Text()


class RestructuredSchema(_EventSchema):
    """``Restructured`` (资产分割/合并), kind ``restructured``."""

    model = Restructured
    operation = EnumField(RestructureKind)
    basis = EnumField(RestructureBasis)
    successors = ListOf(NonEmptyText())
    document = Text()


class DisposalApprovedSchema(_EventSchema):
    """``DisposalApproved`` (处置审批), kind ``disposal_approved``."""

    model = DisposalApproved
    method = EnumField(DisposalMethod)
    trigger = EnumField(DisposalTrigger)
    approvals = ListOf(NestedOf(ApprovalSchema))


class DisposedSchema(_EventSchema):
    """``Disposed`` (已处置), kind ``disposed``."""

    model = Disposed
    method = EnumField(DisposalMethod)
    proceeds = MoneyField()
    proceeds_to = NonEmptyText()
    document = Text()
    clearing_costs = MoneyField()


def event_kind(event: AssetEvent) -> str:
    """The stable kind name of ``event`` (``"asset_registered"``…)."""
    return event.kind


def _replacement_schemas() -> Mapping[str, type[Schema]]:
    return {k: v for k, v in EVENT_SCHEMAS.items() if k != "corrected"}


class CorrectedSchema(_EventSchema):
    """``Corrected`` (更正), kind ``corrected``; ``replacement`` is a tagged event."""

    model = Corrected
    supersedes = NonEmptyText()
    replacement = Tagged(_replacement_schemas, event_kind)
    reason = Text()


EVENT_SCHEMAS: Final[Mapping[str, type[Schema]]] = {
    "asset_registered": AssetRegisteredSchema,
    "status_changed": StatusChangedSchema,
    "handed_over": HandedOverSchema,
    "ownership_confirmed": OwnershipConfirmedSchema,
    "custodian_assigned": CustodianAssignedSchema,
    "custody_ended": CustodyEndedSchema,
    "contract_signed": ContractSignedSchema,
    "contract_ended": ContractEndedSchema,
    "revalued": RevaluedSchema,
    "opening_balance_recorded": OpeningBalanceRecordedSchema,
    "usage_recorded": UsageRecordedSchema,
    "purchase_recorded": PurchaseRecordedSchema,
    "evidence_attached": EvidenceAttachedSchema,
    "restructured": RestructuredSchema,
    "disposal_approved": DisposalApprovedSchema,
    "disposed": DisposedSchema,
    "corrected": CorrectedSchema,
}
"""Event schemas by the event's stable kind name (the keys of ``EVENT_TYPES``)."""

if set(EVENT_SCHEMAS) != set(EVENT_TYPES):  # pragma: no cover - guards a new event type
    missing = sorted(set(EVENT_TYPES) ^ set(EVENT_SCHEMAS))
    raise ImportError(f"event kinds without a schema (or stale): {missing}")


def event_field(**kwargs: Any) -> Tagged:
    """A field holding any event, discriminated by ``"kind"``."""
    return Tagged(EVENT_SCHEMAS, event_kind, **kwargs)


# -- history and register ----------------------------------------------------------------------


class AssetHistorySchema(ModelSchema):
    """``AssetHistory`` (资产履历): the asset id and its events in recorded order.

    Loading appends the events through the domain's checks (same asset, unique ids,
    recorded time moving forward, legal lifecycle); a refusal is reported on ``events``.
    """

    model = AssetHistory
    asset_id = NonEmptyText()
    events = ListOf(event_field())

    def build(self, data: dict[str, Any]) -> Any:
        """Build the history by appending every event (each checked)."""
        try:
            return AssetHistory(data["asset_id"]).extend(data["events"])
        except AssetRegError as exc:
            detail = f" ({exc.record})" if exc.record else ""
            message = bilingual(exc.message_en + detail, exc.message_zh + detail)
            raise ValidationError({"events": [message]}) from exc


def _unique(items: list[Any], key: str, what_en: str, what_zh: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    for index, item in enumerate(items):
        ident = getattr(item, key)
        if ident in out:
            errors[index] = {key: [bilingual(f"{what_en} {ident} listed twice", f"{what_zh} {ident} 重复")]}
        out[ident] = item
    if errors:
        raise ValidationError(errors)
    return out


class AssetRegisterSchema(ModelSchema):
    """``AssetRegister`` (资产台账): parties and histories, both sorted by id on dump."""

    model = AssetRegister
    parties = ListOf(party_field())
    histories = ListOf(NestedOf(AssetHistorySchema))

    def prepare_dump(self, obj: Any) -> Any:
        """Present the register's mappings as lists sorted by id."""
        if not isinstance(obj, AssetRegister):
            return obj
        return {
            "parties": [obj.parties[k] for k in sorted(obj.parties)],
            "histories": [obj.histories[k] for k in sorted(obj.histories)],
        }

    def build(self, data: dict[str, Any]) -> Any:
        """Build the register; a party or an asset listed twice is refused."""
        try:
            parties = _unique(list(data["parties"]), "id", "party", "主体")
        except ValidationError as exc:
            raise ValidationError({"parties": exc.messages}) from None
        try:
            histories = _unique(list(data["histories"]), "asset_id", "asset", "资产")
        except ValidationError as exc:
            raise ValidationError({"histories": exc.messages}) from None
        return AssetRegister(parties=parties, histories=histories)


# -- derived read models (dump-and-load for exports) --------------------------------------------


class StatusSpanSchema(ModelSchema):
    """``StatusSpan``: a status over ``[start, end)``."""

    model = StatusSpan
    status = EnumField(AssetStatus)
    start = DateField()
    end = DateField(allow_none=True)


class DisposalRecordSchema(ModelSchema):
    """``DisposalRecord`` (处置记录)."""

    model = DisposalRecord
    method = EnumField(DisposalMethod)
    trigger = EnumField(DisposalTrigger)
    approvals = ListOf(NestedOf(ApprovalSchema))
    approved_on = DateField()
    disposed_on = DateField()
    proceeds = MoneyField()
    proceeds_to = NonEmptyText()


class AssetStateSchema(ModelSchema):
    """``AssetState`` (资产状态) on ``as_of`` as known at ``known_at``."""

    model = AssetState
    asset = NestedOf(AssetSchema)
    as_of = DateField()
    known_at = UtcDateTimeField(allow_none=True)
    status = EnumField(AssetStatus)
    status_since = DateField()
    ownership = NestedOf(OwnershipSchema, allow_none=True)
    custodianship = NestedOf(CustodianshipSchema, allow_none=True)
    contracts = ListOf(NestedOf(OperatingContractSchema))
    book_value = MoneyField()
    disposal = NestedOf(DisposalRecordSchema, allow_none=True)
    version = Int()


# -- registrations -------------------------------------------------------------------------------

register_payload_type("asset", Asset, AssetSchema, description="an asset's description (资产)")
register_payload_type("project", Project, ProjectSchema, description="a funded project (项目)")
register_payload_type("funding_line", FundingLine, FundingLineSchema, description="a funding line (资金来源)")
register_payload_type(
    "party",
    (VillageCollective, Township, CountyDepartment, Household, Cooperative, Enterprise),
    field=party_field,
    description="a party, discriminated by kind (产权主体)",
)
register_payload_type("period", Period, PeriodSchema, description="a half-open period (期间)")
register_payload_type("owner_share", OwnerShare, OwnerShareSchema, description="a holder's share (产权份额)")
register_payload_type("ownership", Ownership, OwnershipSchema, description="ownership over a period (确权)")
register_payload_type("custodianship", Custodianship, CustodianshipSchema, description="custody over a period (管护)")
register_payload_type(
    "guaranteed_return",
    GuaranteedReturn,
    GuaranteedReturnSchema,
    description="a floor return (保底收益)",
)
register_payload_type("profit_share", ProfitShare, ProfitShareSchema, description="a profit share (效益分红)")
register_payload_type(
    "escalation_schedule",
    EscalationSchedule,
    EscalationScheduleSchema,
    description="rent steps (租金递增)",
)
register_payload_type("contract_terms", ContractTerms, ContractTermsSchema, description="contract terms (合同条款)")
register_payload_type(
    "operating_contract",
    OperatingContract,
    OperatingContractSchema,
    description="an operating contract (经营合同)",
)
register_payload_type("approval", Approval, ApprovalSchema, description="one disposal approval (审批)")
register_payload_type(
    "event",
    tuple(EVENT_TYPES.values()),
    field=event_field,
    description="an asset event, discriminated by kind (资产变动事件)",
)
register_payload_type("history", AssetHistory, AssetHistorySchema, description="an asset's history (资产履历)")
register_payload_type(
    "register",
    AssetRegister,
    AssetRegisterSchema,
    description="a whole register: parties and histories (资产台账)",
)
register_payload_type("status_span", StatusSpan, StatusSpanSchema, description="a status over a span (状态区间)")
register_payload_type(
    "disposal_record",
    DisposalRecord,
    DisposalRecordSchema,
    description="a disposal as known (处置记录)",
)
register_payload_type("asset_state", AssetState, AssetStateSchema, description="an asset's folded state (资产状态)")
