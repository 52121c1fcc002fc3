"""Events of an asset's history (资产变动事件), DESIGN §4.

Every change to an asset is an immutable event with an **effective** date (when it is
true in the world) and a timezone-aware **recorded_at** instant (when the register
learned it, kept in UTC). Events are never edited or deleted: a :class:`Corrected` event
supersedes an earlier one, optionally with a replacement.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Final, NewType

import attrs

from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.evidence import Evidence
from assetreg.domain.fields import added_later
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import require_aware
from assetreg.domain.purchase import check_quantity
from assetreg.domain.rights import ContractId, OperatingContract, OwnerShare
from assetreg.domain.shares import check_shares_sum_to_one
from assetreg.domain.vocab import (
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    RestructureBasis,
    RestructureKind,
    member_of,
)
from assetreg.errors import (
    InvalidAmount,
    InvalidPeriod,
    InvalidShares,
    InvalidValue,
    UnknownReference,
    typed,
    wrong_type,
)

__all__ = [
    "Approval",
    "AssetEvent",
    "AssetRegistered",
    "ContractEnded",
    "ContractSigned",
    "Corrected",
    "CustodianAssigned",
    "CustodyEnded",
    "DisposalApproved",
    "Disposed",
    "EventId",
    "EvidenceAttached",
    "HandedOver",
    "OpeningBalanceRecorded",
    "OwnershipConfirmed",
    "PurchaseRecorded",
    "Restructured",
    "Revalued",
    "StatusChanged",
    "UsageRecorded",
    "hand_over_project",
    "new_event_id",
    "party_references",
    "refuse_unknown_references",
]

_NO_FEN: Final = Money(0)
"""Zero fen, the default of optional amounts (Money is immutable, so one value is shared)."""

EventId = NewType("EventId", str)
"""Unique id of an event; makes retries idempotent."""


def new_event_id() -> EventId:
    """Return a fresh random event id (32 hex digits)."""
    return EventId(uuid.uuid4().hex)


def _utc(instance: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    require_aware(value, field=attribute.name, record=getattr(instance, "asset_id", None))


def _to_utc(value: datetime) -> datetime:
    # Only aware instants are converted here; the validator refuses the rest naming the record.
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return require_aware(value)
    return value


def _shares_tuple(holders: Iterable[OwnerShare]) -> tuple[OwnerShare, ...]:
    return tuple(holders)


def _approvals_tuple(approvals: Iterable[Approval]) -> tuple[Approval, ...]:
    return tuple(approvals)


def _is_date(_instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise wrong_type(
            attribute.name, value, "a datetime.date", "日期 datetime.date", record=getattr(_instance, "asset_id", None)
        )


@attrs.frozen(kw_only=True)
class AssetEvent:
    """Fields common to every event.

    Attributes:
        asset_id: the asset the event belongs to.
        effective: the date from which the event is true in the world (生效日期).
        recorded_at: when the register learned it; timezone-aware, normalised to UTC.
        event_id: unique id (a random one by default).
        note: free text (说明).

    Raises:
        InvalidPeriod: ``recorded_at`` is naive.
        TypeError: ``effective`` is not a ``date``.
    """

    asset_id: AssetId
    effective: date = attrs.field(validator=_is_date)
    recorded_at: datetime = attrs.field(converter=_to_utc, validator=_utc)
    event_id: EventId = attrs.field(factory=new_event_id)
    note: str | None = None

    @property
    def kind(self) -> str:
        """The event type's stable name (``"asset_registered"``…), used at rest."""
        return _KIND_BY_TYPE[type(self)]


@attrs.frozen(kw_only=True)
class AssetRegistered(AssetEvent):
    """The asset enters the register (登记入账) with its description and initial status."""

    asset: Asset
    status: AssetStatus = attrs.field(default=AssetStatus.IN_USE, validator=member_of(AssetStatus))

    def __attrs_post_init__(self) -> None:
        if self.asset.id != self.asset_id:
            raise InvalidValue(
                "asset.id differs from the event's asset_id",
                "资产编号与事件资产编号不一致",
                record=self.asset_id,
                field="asset.id",
                actual=self.asset.id,
            )
        if self.status in {AssetStatus.DISPOSAL_APPROVED, AssetStatus.DISPOSED, AssetStatus.RESTRUCTURED}:
            raise InvalidValue(
                "an asset cannot be registered as disposed",
                "资产不能以已处置状态登记",
                record=self.asset_id,
                field="status",
                actual=self.status.value,
            )


@attrs.frozen(kw_only=True)
class StatusChanged(AssetEvent):
    """A lifecycle step: construction started, completed, in use, idle, damaged, repaired (状态变更).

    Disposal goes through :class:`DisposalApproved` and :class:`Disposed`, which carry the
    approvals and the proceeds (P12); a status change to either is refused with
    :class:`~assetreg.errors.IllegalTransition` when it is appended.
    """

    status: AssetStatus = attrs.field(validator=member_of(AssetStatus))
    reason: str | None = None


def _optional_date(instance: object, attribute: attrs.Attribute[date | None], value: object) -> None:
    if value is not None:
        _is_date(instance, attribute, value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class HandedOver(AssetEvent):
    """The completed asset is handed over (移交) to its future owner or user.

    A handover is a two-party act (issue 17): the ``giver`` (移交方, usually the project's
    implementing unit) hands over, the ``recipient`` (接收方) accepts on ``accepted_on``, the
    ``certificate_number`` is the ownership certificate issued with it (颁证), and the
    ``department`` is the county department responsible for the project (主管部门). One act
    can hand over many assets of a project (:func:`hand_over_project`); its events share
    ``act_id``. The new fields are optional, so handovers recorded before them stay valid.

    Raises:
        InvalidPeriod: ``accepted_on`` before the handover's effective date.
        InvalidValue: a giver equal to the recipient.
    """

    recipient: PartyId | None = None
    document: str | None = None
    giver: PartyId | None = attrs.field(default=None, metadata=added_later())
    accepted_on: date | None = attrs.field(default=None, validator=_optional_date, metadata=added_later())
    certificate_number: str | None = attrs.field(default=None, metadata=added_later())
    department: str | None = attrs.field(default=None, metadata=added_later())
    act_id: str | None = attrs.field(default=None, metadata=added_later())

    def __attrs_post_init__(self) -> None:
        if self.accepted_on is not None and self.accepted_on < self.effective:
            raise InvalidPeriod(
                f"accepted on {self.accepted_on} before the handover of {self.effective}",
                f"接收确认日期 {self.accepted_on} 早于移交日期 {self.effective}",
                record=self.asset_id,
                field="accepted_on",
                actual=self.accepted_on.isoformat(),
                expected=f">= {self.effective.isoformat()}",
            )
        if self.giver is not None and self.giver == self.recipient:
            raise InvalidValue(
                "the giver and the recipient of a handover are one party",
                "移交方与接收方为同一主体",
                record=self.asset_id,
                field="giver",
                actual=self.giver,
            )

    @property
    def accepted(self) -> bool:
        """Whether the recipient has accepted (接收方已确认)."""
        return self.accepted_on is not None


def hand_over_project(
    asset_ids: Iterable[AssetId],
    *,
    effective: date,
    recorded_at: datetime,
    act_id: str,
    recipient: PartyId,
    giver: PartyId | None = None,
    accepted_on: date | None = None,
    certificate_numbers: Mapping[str, str] | None = None,
    department: str | None = None,
    document: str | None = None,
) -> tuple[HandedOver, ...]:
    """One handover act over many assets of a project (项目资产批量移交), issue 17.

    Args:
        asset_ids: the assets handed over (e.g. every asset of a project); each once.
        effective: the handover day.
        recorded_at: when the register learns it (aware).
        act_id: the act's id, shared by its events.
        recipient: the receiving party.
        giver: the handing party, if recorded.
        accepted_on: the day the recipient accepted, if it has.
        certificate_numbers: certificate number per asset id (颁证编号), for those issued.
        department: the responsible department (主管部门).
        document: the handover deed's number (移交书).

    Returns:
        One :class:`HandedOver` per asset, in the order given.

    Raises:
        InvalidValue: no asset, an asset listed twice, or a certificate for an asset not handed over.
    """
    ids = list(asset_ids)
    numbers = dict(certificate_numbers or {})
    stray = sorted(set(numbers) - set(ids))
    if not ids or len(set(ids)) != len(ids) or stray:
        raise InvalidValue(
            "a handover act names each asset once, and certificates only for them",
            "批量移交须每项资产列出一次，颁证编号只对应所移交资产",
            record=act_id,
            field="certificate_numbers" if stray else "asset_ids",
            actual=stray or ids,
        )
    return tuple(
        HandedOver(
            asset_id=aid,
            effective=effective,
            recorded_at=recorded_at,
            recipient=recipient,
            giver=giver,
            accepted_on=accepted_on,
            certificate_number=numbers.get(aid),
            department=department,
            act_id=act_id,
            document=document,
        )
        for aid in ids
    )


@attrs.frozen(kw_only=True)
class OwnershipConfirmed(AssetEvent):
    """Ownership confirmed (确权): replaces all holders from ``effective`` on.

    Raises:
        InvalidShares: shares not adding up to exactly 1 or a holder listed twice.
    """

    holders: tuple[OwnerShare, ...] = attrs.field(converter=_shares_tuple)
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        check_shares_sum_to_one((h.share for h in self.holders), record=self.asset_id, field="holders")
        ids = [h.holder for h in self.holders]
        if len(set(ids)) != len(ids):
            raise InvalidShares("a holder is listed twice", "同一产权主体重复列出", record=self.asset_id)


@attrs.frozen(kw_only=True)
class CustodianAssigned(AssetEvent):
    """A custodian takes over upkeep (落实管护主体) from ``effective``, replacing any other.

    ``valid_to`` is the agreement's own end (first day without duty), if it has one.
    """

    custodian: PartyId
    method: CustodyMethod = attrs.field(validator=member_of(CustodyMethod))
    valid_to: date | None = None
    duties: str | None = None
    upkeep_budget: Money | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(Money, "金额 Money"))
    )
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.effective:
            raise InvalidPeriod(
                f"valid_to {self.valid_to} is not after the effective date {self.effective}",
                f"管护止日 {self.valid_to} 不晚于生效日 {self.effective}",
                record=self.asset_id,
                field="valid_to",
                actual=self.valid_to.isoformat(),
                expected=f"after {self.effective.isoformat()}",
            )


@attrs.frozen(kw_only=True)
class CustodyEnded(AssetEvent):
    """The current custodian's duty ends on ``effective`` (管护终止) with no successor yet."""


@attrs.frozen(kw_only=True)
class ContractSigned(AssetEvent):
    """An operating contract is signed (签订经营合同); it is live over its term."""

    contract: OperatingContract

    def __attrs_post_init__(self) -> None:
        if self.contract.asset_id != self.asset_id:
            raise InvalidValue(
                "contract.asset_id differs from the event's asset_id",
                "合同资产编号与事件资产编号不一致",
                record=self.asset_id,
                field="contract.asset_id",
                actual=self.contract.asset_id,
            )


@attrs.frozen(kw_only=True)
class ContractEnded(AssetEvent):
    """An operating contract ends early on ``effective`` (合同提前终止)."""

    contract_id: ContractId
    reason: str | None = None


@attrs.frozen(kw_only=True)
class Revalued(AssetEvent):
    """The asset's net book value is reassessed (资产重估/价值调整); the original value stays.

    The valuation takes effect prospectively (see
    :class:`~assetreg.domain.valuation.schedule.Revaluation`): the effective month is still
    charged on the old basis, then ``book_value`` less the residual is spread over the life
    left, or over ``remaining_life_months`` when given.
    """

    book_value: Money = attrs.field(validator=typed(Money, "金额 Money"))
    reason: str | None = None
    remaining_life_months: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.book_value.is_negative():
            raise InvalidAmount("book value is negative", "账面价值为负数", record=self.asset_id, field="book_value")
        months = self.remaining_life_months
        if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months < 0):
            raise InvalidValue(
                "remaining life must be whole months >= 0",
                "剩余使用月数须为非负整数",
                record=self.asset_id,
                field="remaining_life_months",
                actual=months,
            )


def _ids_tuple(ids: Iterable[AssetId]) -> tuple[AssetId, ...]:
    return tuple(ids)


@attrs.frozen(kw_only=True)
class OpeningBalanceRecorded(AssetEvent):
    """The balance an asset brings into the register mid-life (期初余额), as of ``effective``.

    A legacy asset registered years after it was built brings its 累计折旧 (and 减值准备)
    and the months already depreciated (已提折旧月数) from the county's ledger; an asset
    split off or merged from others brings what it carries over, naming its ``parents``.
    ``effective`` is the day the register takes the balance in (on or after the
    registration); ``as_of`` the ledger date at whose close the amounts hold (usually the
    month end before, or for a successor the close of the restructuring month). The
    schedule continues from the month after ``as_of``.

    Attributes:
        accumulated_depreciation: 累计折旧 at the close of ``as_of``, fen.
        months_depreciated: 已提折旧月数, when the ledger has it.
        impairment: 减值准备, fen (0 when none).
        revaluation: revaluation adjustment carried (signed), fen.
        units_used: work already done, for units-of-production.
        parents: the assets this one was split off or merged from (empty for legacy).
        as_of: the balance date; ``effective`` when not given.

    Raises:
        InvalidAmount: negative accumulated depreciation or impairment.
        InvalidValue: negative months or units.
    """

    accumulated_depreciation: Money
    months_depreciated: int | None = None
    impairment: Money = _NO_FEN
    revaluation: Money = _NO_FEN
    units_used: Decimal | None = None
    parents: tuple[AssetId, ...] = attrs.field(default=(), converter=_ids_tuple)
    as_of: date | None = None

    @property
    def balance_date(self) -> date:
        """The date at whose close the amounts hold (``as_of``, else ``effective``)."""
        return self.as_of or self.effective

    def __attrs_post_init__(self) -> None:
        for name in ("accumulated_depreciation", "impairment"):
            if getattr(self, name).is_negative():
                raise InvalidAmount(f"{name} is negative", "期初金额为负数", record=self.asset_id, field=name)
        months = self.months_depreciated
        if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months < 0):
            raise InvalidValue(
                "months depreciated must be whole months >= 0",
                "已提折旧月数须为非负整数",
                record=self.asset_id,
                field="months_depreciated",
                actual=months,
            )
        if self.units_used is not None and (not self.units_used.is_finite() or self.units_used < 0):
            raise InvalidValue(
                "units used must be >= 0", "已完成工作量须为非负数", record=self.asset_id, field="units_used"
            )


@attrs.frozen(kw_only=True)
class UsageRecorded(AssetEvent):
    """Work done in the calendar month holding ``effective`` (工作量记录), for units-of-production.

    Several records for one month add up; a wrong one is corrected, never edited.

    Raises:
        InvalidValue: negative or non-finite units.
    """

    units: Decimal
    unit: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.units, Decimal) or not self.units.is_finite() or self.units < 0:
            raise InvalidValue(
                "usage must be a finite Decimal >= 0",
                "工作量须为非负有限数",
                record=self.asset_id,
                field="units",
                actual=str(self.units),
            )


@attrs.frozen(kw_only=True)
class PurchaseRecorded(AssetEvent):
    """Produce bought from a household under a guaranteed purchase (保底收购记录), issue 17.

    ``effective`` is the purchase day. The contract's
    :class:`~assetreg.domain.purchase.PurchaseGuarantee` for ``product`` whose season holds
    the day sets the floor price and the committed quantity; the audit reports a purchase
    below the floor (AUD-621) and a household bought short of its commitment (AUD-622).

    Attributes:
        contract_id: the operating contract carrying the guarantee.
        household: the selling household (party id).
        product: what was bought, as the guarantee names it.
        quantity: quantity bought in the guarantee's unit, above zero (exact ``Decimal``).
        unit_price: price paid per unit, fen.
        document: the purchase voucher (收购凭证), if any.

    Raises:
        InvalidValue: a quantity that is not a positive finite ``Decimal``, an empty product.
        InvalidAmount: a negative unit price.
    """

    contract_id: ContractId
    household: PartyId
    product: str
    quantity: Decimal
    unit_price: Money
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        check_quantity(self.quantity, field="quantity", record=self.asset_id, positive=True)
        if not isinstance(self.product, str) or not self.product.strip():
            raise InvalidValue("product must not be empty", "收购品种不能为空", record=self.asset_id, field="product")
        if self.unit_price.is_negative():
            raise InvalidAmount("unit price is negative", "收购单价为负数", record=self.asset_id, field="unit_price")


def _evidence_tuple(documents: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(documents)


@attrs.frozen(kw_only=True)
class EvidenceAttached(AssetEvent):
    """Documents kept as evidence of an earlier event of the asset (附佐证材料), issue 17.

    ``effective`` is the day the documents were filed; ``for_event`` the event they support
    (its id). Several attachments to one event add up; a wrong one is corrected, never edited.

    Raises:
        InvalidValue: no document, or the event naming itself.
    """

    for_event: EventId
    documents: tuple[Evidence, ...] = attrs.field(converter=_evidence_tuple)

    def __attrs_post_init__(self) -> None:
        if not self.documents or self.for_event == self.event_id:
            raise InvalidValue(
                "evidence names at least one document and another event",
                "佐证材料须至少有一份，并指向另一事件",
                record=self.asset_id,
                field="documents" if not self.documents else "for_event",
            )


@attrs.frozen(kw_only=True)
class Restructured(AssetEvent):
    """The asset is split into or merged into new assets (资产分割/合并); its history closes.

    The parent's values go to ``successors`` (each registered with an
    :class:`OpeningBalanceRecorded` naming this asset among its parents). The parent is
    still depreciated in the month of the restructuring (当月减少，当月照提), and nothing
    may follow this event in its history.

    Raises:
        InvalidValue: no successor, or a successor listed twice or equal to the asset.
    """

    operation: RestructureKind
    basis: RestructureBasis
    successors: tuple[AssetId, ...] = attrs.field(converter=_ids_tuple)
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        ids = list(self.successors)
        if not ids or len(set(ids)) != len(ids) or self.asset_id in ids:
            raise InvalidValue(
                "successors must be distinct other assets, at least one",
                "承继资产须为至少一个互不相同的其他资产",
                record=self.asset_id,
                field="successors",
                actual=ids,
            )


@attrs.frozen(kw_only=True)
class Approval:
    """One approval in a disposal's chain (审批), P12.

    Attributes:
        level: the level's stable name, matching the policy's chain
            (``"village_assembly"``, ``"township"``, ``"county_rural_revitalisation"``,
            ``"county_finance"``).
        body: the approving body as written.
        approved_on: date of the approval.
        document: the approval document number (批复文号), if any.
    """

    level: str
    body: str
    approved_on: date
    document: str | None = None


@attrs.frozen(kw_only=True)
class DisposalApproved(AssetEvent):
    """Disposal approved (处置审批通过), with the trigger and the approval chain, P12."""

    method: DisposalMethod = attrs.field(validator=member_of(DisposalMethod))
    trigger: DisposalTrigger = attrs.field(validator=member_of(DisposalTrigger))
    approvals: tuple[Approval, ...] = attrs.field(converter=_approvals_tuple, default=())


@attrs.frozen(kw_only=True)
class Disposed(AssetEvent):
    """The asset leaves the register (已处置), with the proceeds and where they went, P12.

    Attributes:
        method: how it was disposed of.
        proceeds: proceeds in fen (处置收入), zero for a scrapped asset without any.
        proceeds_to: the party receiving them (village collective or county treasury).
        document: the disposal record.
        clearing_costs: clearing costs paid in fen (清理费用), zero by default.

    Raises:
        InvalidAmount: negative proceeds or clearing costs.
    """

    method: DisposalMethod = attrs.field(validator=member_of(DisposalMethod))
    proceeds: Money
    proceeds_to: PartyId | None = None
    document: str | None = None
    clearing_costs: Money = _NO_FEN

    def __attrs_post_init__(self) -> None:
        for name in ("proceeds", "clearing_costs"):
            if getattr(self, name).is_negative():
                raise InvalidAmount(f"{name} is negative", "处置金额为负数", record=self.asset_id, field=name)


@attrs.frozen(kw_only=True)
class Corrected(AssetEvent):
    """A correction (更正): supersedes an earlier event, optionally with a replacement.

    The superseded event stays in the history; folds known at or after this event's
    ``recorded_at`` ignore it and use ``replacement`` instead (when given). The
    replacement must belong to the same asset and carry this event's ``recorded_at``.

    Raises:
        InvalidValue: the replacement belongs to another asset or another instant.
    """

    supersedes: EventId
    replacement: AssetEvent | None = None
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        rep = self.replacement
        if rep is None:
            return
        if isinstance(rep, Corrected):
            raise InvalidValue("a replacement cannot be a correction", "更正的替代事件不能是更正", record=self.asset_id)
        if rep.asset_id != self.asset_id or rep.recorded_at != self.recorded_at:
            raise InvalidValue(
                "the replacement must have the correction's asset_id and recorded_at",
                "替代事件的资产编号和登记时点须与更正事件一致",
                record=self.asset_id,
                field="replacement",
            )


_KIND_BY_TYPE: dict[type[AssetEvent], str] = {
    AssetRegistered: "asset_registered",
    StatusChanged: "status_changed",
    HandedOver: "handed_over",
    OwnershipConfirmed: "ownership_confirmed",
    CustodianAssigned: "custodian_assigned",
    CustodyEnded: "custody_ended",
    ContractSigned: "contract_signed",
    ContractEnded: "contract_ended",
    Revalued: "revalued",
    OpeningBalanceRecorded: "opening_balance_recorded",
    UsageRecorded: "usage_recorded",
    PurchaseRecorded: "purchase_recorded",
    EvidenceAttached: "evidence_attached",
    Restructured: "restructured",
    DisposalApproved: "disposal_approved",
    Disposed: "disposed",
    Corrected: "corrected",
}

EVENT_TYPES: dict[str, type[AssetEvent]] = {v: k for k, v in _KIND_BY_TYPE.items()}
"""Event classes by their stable kind name (for adapters)."""


def party_references(event: AssetEvent) -> tuple[tuple[str, PartyId], ...]:  # noqa: PLR0911 - one branch per event type
    """The parties ``event`` names, as ``(field, party id)`` pairs in field order.

    ``holders`` (owners confirmed), ``custodian``, ``operator`` (of a contract signed),
    ``recipient`` (of a handover), ``household`` (of a guaranteed purchase) and
    ``proceeds_to`` (of a disposal); a correction names
    what its replacement names. Units of work refuse a write naming a party that is not
    stored (:class:`~assetreg.errors.UnknownReference`) unless told to skip the check.
    """
    if isinstance(event, OwnershipConfirmed):
        return tuple(("holders", h.holder) for h in event.holders)
    if isinstance(event, CustodianAssigned):
        return (("custodian", event.custodian),)
    if isinstance(event, ContractSigned):
        return (("operator", event.contract.operator),)
    if isinstance(event, HandedOver):
        named = (("giver", event.giver), ("recipient", event.recipient))
        return tuple((field, party) for field, party in named if party is not None)
    if isinstance(event, PurchaseRecorded):
        return (("household", event.household),)
    if isinstance(event, Disposed) and event.proceeds_to is not None:
        return (("proceeds_to", event.proceeds_to),)
    if isinstance(event, Corrected) and event.replacement is not None:
        return party_references(event.replacement)
    return ()


def refuse_unknown_references(events: Iterable[AssetEvent], known: Callable[[PartyId], bool]) -> None:
    """Refuse ``events`` when one names a party for which ``known`` is false.

    Args:
        events: the events about to be written.
        known: whether a party id is stored (or written in the same unit of work).

    Raises:
        UnknownReference: the first event naming an unknown party; ``record`` is the
            asset, ``field`` the role (``"holders"``, ``"custodian"``, ``"operator"``,
            ``"recipient"``, ``"proceeds_to"``), ``actual`` the party id.
    """
    for event in events:
        for field, party in party_references(event):
            if not known(party):
                en, zh = _ROLES[field]
                raise UnknownReference(
                    f"asset {event.asset_id}: {en} {party} is not a stored party; store the party first",
                    f"资产 {event.asset_id}：{zh} {party} 不在主体名录中，请先登记该主体",
                    record=event.asset_id,
                    field=field,
                    actual=party,
                    details={"event_kind": event.kind, "event_id": event.event_id},
                )


_ROLES: Final = {
    "holders": ("owner", "产权主体"),
    "custodian": ("custodian", "管护主体"),
    "operator": ("operator", "经营主体"),
    "recipient": ("handover recipient", "移交接收方"),
    "giver": ("handover giver", "移交方"),
    "proceeds_to": ("proceeds recipient", "处置收入接收方"),
    "household": ("selling household", "保底收购农户"),
}
