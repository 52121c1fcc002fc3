"""The income books (收益台账): the stored records of the money's journey, DESIGN §12.

After the revenue entry (:class:`~assetreg.income.revenue.RevenueEntry`) the books keep

=================================  ===========================================================
record                             holds
=================================  ===========================================================
:class:`ClaimedDeduction` (扣除)    asset, kind, amount claimed, period, evidence, part over a cap
:class:`RosterSnapshot` (受益名单)  households with members, status, labour, days, posts, assets
:class:`PlanVersion` (分配方案)     the :class:`~assetreg.income.plans.DistributionPlan`, its
                                   policy and its approval (:class:`PlanApproval`)
:class:`Distribution` (分配)        the plan version, the income and deductions used, and the
                                   :class:`~assetreg.income.results.AllocationLine` lines
:class:`PublicNotice` (公示)        distribution, level, channel, posted/closing days, objections
:class:`Payment` (兑付)             line, paid on, amount, method, masked account, status, re-payment
=================================  ===========================================================

Every record is a :class:`BookRecord`: an ``id``, the ``area`` it belongs to (the
:class:`~assetreg.domain.codes.AdminCode` that scopes it), the instant the books learned
it (``recorded_at``, aware, normalised to UTC) and, for a correction, the id of the record
it ``supersedes``. Records are append-only and bitemporal like asset events: a correction
is a new record, never an edit, and :func:`as_known_at` reads the books as they stood at
any instant. Each record also has an ``effective`` date: when it is true in the world.

Pure values: nothing here does I/O or reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from assetreg.domain.codes import AdminCode
from assetreg.domain.fields import added_later
from assetreg.domain.money import Money
from assetreg.domain.periods import Period, require_aware
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType, Vocabulary, member_of
from assetreg.errors import AllocationError, InvalidValue, typed, wrong_type
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, Roster, RosterEntry
from assetreg.income.plans import DistributionPlan
from assetreg.income.results import Allocation, AllocationLine
from assetreg.income.revenue import Deduction, DeductionKind

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ApprovalLevel",
    "BookRecord",
    "ClaimedDeduction",
    "Distribution",
    "DistributionStatus",
    "NoticeChannel",
    "NoticeLevel",
    "Objection",
    "ObjectionOutcome",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "PlanApproval",
    "PlanVersion",
    "PublicNotice",
    "RosterHousehold",
    "RosterSnapshot",
    "as_known_at",
    "mask_account",
    "roster_history",
]

R = TypeVar("R", bound="BookRecord")


# -- validators ----------------------------------------------------------------------------
def _nonempty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{attribute.name} must be a non-empty string",
            f"{attribute.name} 不能为空",
            field=attribute.name,
            actual=value,
        )


def _record_id(instance: object) -> str | None:
    return getattr(instance, "id", None)


def _aware(instance: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    require_aware(value, field=attribute.name, record=_record_id(instance))


def _to_utc(value: datetime) -> datetime:
    # only aware instants are converted; the validator refuses the rest naming the record
    if isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None:
        return require_aware(value)
    return value


def _day(instance: object, attribute: attrs.Attribute[date], value: date) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise wrong_type(attribute.name, value, "datetime.date", "日期 (datetime.date)", record=_record_id(instance))


def _optional_day(instance: object, attribute: attrs.Attribute[date | None], value: date | None) -> None:
    if value is not None:
        _day(instance, attribute, value)  # type: ignore[arg-type]


def _money(instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    if not isinstance(value, Money):
        raise wrong_type(attribute.name, value, "Money", "Money 金额", record=_record_id(instance))


def _not_negative_money(instance: object, attribute: attrs.Attribute[Money], value: Money) -> None:
    _money(instance, attribute, value)
    if value.is_negative():
        raise InvalidValue(
            f"{attribute.name} must not be negative",
            f"{attribute.name} 不能为负数",
            record=_record_id(instance),
            field=attribute.name,
            actual=str(value),
            expected=">= 0",
        )


def _count(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(
            f"{attribute.name} must be a whole number, not negative",
            f"{attribute.name} 应为非负整数",
            record=getattr(instance, "household_id", _record_id(instance)),
            field=attribute.name,
            actual=value,
        )


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


# -- the common part -----------------------------------------------------------------------
@attrs.frozen(kw_only=True)
class BookRecord:
    """Fields every record of the income books has (台账记录).

    Attributes:
        id: the record's id, unique within its kind (a retry with the same content is a
            no-op for the repositories; other content under the id is refused).
        area: the area the record belongs to: the village (12 digits) or a higher level;
            a unit of work bound to an area-code prefix sees only records inside it.
        recorded_at: when the books learned it; timezone-aware, normalised to UTC.
        supersedes: for a correction, the id of the record (of the same kind) it replaces.

    Raises:
        InvalidValue: an empty id.
        InvalidPeriod: a naive ``recorded_at``.
    """

    id: str = attrs.field(validator=_nonempty)
    area: AdminCode = attrs.field(validator=typed(AdminCode, "AdminCode 行政区划代码"))
    recorded_at: datetime = attrs.field(converter=_to_utc, validator=_aware)
    supersedes: str | None = None

    @property
    def effective(self) -> date:
        """The day the record is true in the world (each kind says which of its dates)."""
        raise NotImplementedError  # pragma: no cover - every record kind defines it


def as_known_at(records: Iterable[R], known_at: datetime | None = None) -> list[R]:
    """The records in force as the books stood at ``known_at`` (bitemporal read).

    A record counts when it was recorded at or before ``known_at`` and no record recorded
    at or before ``known_at`` supersedes it. ``None`` reads everything recorded.

    Args:
        records: records of one kind (any order).
        known_at: the instant (aware), or ``None``.

    Returns:
        The records in force, in the order given.

    Raises:
        InvalidPeriod: a naive ``known_at``.
    """
    if known_at is not None:
        require_aware(known_at, field="known_at")
    seen = [r for r in records if known_at is None or r.recorded_at <= known_at]
    replaced = {r.supersedes for r in seen if r.supersedes is not None}
    return [r for r in seen if r.id not in replaced]


# -- 扣除 claimed deductions -----------------------------------------------------------------
@attrs.frozen(kw_only=True)
class ClaimedDeduction(BookRecord):
    """An amount claimed against an asset's income for a period (扣除), P9.

    柳家铺 PV 2019-05 … 2020-04: O&M of 9,000.00 元 claimed, the cap 186,000 W × 0.03 元/W/年
    is 5,580.00 元, so ``over_cap`` is 3,420.00 and 5,580.00 is deducted.

    Attributes:
        asset_id: the asset whose income it is claimed against.
        kind: what it is for (O&M, land rent, taxes, insurance…).
        amount: the amount claimed (fen, not negative).
        period: the half-open income period ``[start, end)`` it is claimed for.
        evidence: reference to the voucher, invoice or contract (凭证号), ``""`` if none.
        cap: the cap that applied to the period (fen), ``None`` when no cap applies.
        over_cap: the part of the claim above the cap, not deducted (fen, 0 ≤ over_cap ≤
            amount).

    Raises:
        InvalidValue: a negative amount, or ``over_cap`` outside ``[0, amount]``.
    """

    asset_id: str = attrs.field(validator=_nonempty)
    kind: DeductionKind = attrs.field(validator=member_of(DeductionKind))
    amount: Money = attrs.field(validator=_not_negative_money)
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    evidence: str = ""
    cap: Money | None = None
    over_cap: Money = attrs.field(factory=Money.zero, validator=_not_negative_money)

    def __attrs_post_init__(self) -> None:
        """Refuse a part over the cap larger than the claim."""
        if self.over_cap > self.amount:
            raise InvalidValue(
                f"the part over the cap {self.over_cap} exceeds the claim {self.amount}",
                f"超出上限部分 {self.over_cap} 大于申报金额 {self.amount}",
                record=self.id,
                field="over_cap",
                actual=str(self.over_cap),
                expected=f"<= {self.amount}",
            )

    @property
    def effective(self) -> date:
        """The first day of the period claimed for."""
        return self.period.start

    @property
    def deducted(self) -> Money:
        """What is deducted: the claim less the part over the cap (fen)."""
        return self.amount - self.over_cap

    def as_deduction(self) -> Deduction:
        """The claim as a :class:`~assetreg.income.revenue.Deduction` (the whole amount claimed).

        Pass it to :func:`~assetreg.income.revenue.distributable_income`, which applies the cap.
        """
        return Deduction(self.kind, self.amount, self.evidence)


def _optional_shares(instance: object, attribute: attrs.Attribute[Fraction | None], value: Fraction | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{attribute.name} of {_record_id(instance)} must be an int or Fraction")
    if value < 0:
        raise InvalidValue(
            f"{attribute.name} must not be negative",
            f"{attribute.name} 不能为负数",
            record=getattr(instance, "household_id", None),
            field=attribute.name,
            actual=str(value),
        )


# -- 受益名单 roster snapshots -----------------------------------------------------------------
@attrs.frozen(kw_only=True)
class RosterHousehold:
    """One household on a beneficiary list as exported (受益农户).

    Attributes:
        household_id: the household's party id.
        name: display name for notices, already masked (``"农户LT001"``); no personal data.
        members: household members (家庭人口), at least 1.
        status: lifted, monitored or ordinary (脱贫户/监测对象/一般户).
        monitor_type: the kind of monitored household, ``None`` otherwise.
        labor_capacity: full, weak or none (劳动能力).
        days_worked: days of public-welfare labour in the period (务工天数).
        posts: public-welfare posts held by its members (公益性岗位数).
        asset_ids: the assets whose income it benefits from.
        shares: its members' quantified shares (折股量化股份, 股数 or an exact fraction)
            as of the list's day, ``None`` when the list does not record shares; read by
            the ``shares`` split of a plan (issue 17).

    Raises:
        InvalidValue: an empty id, a negative count or shares, or no members.
    """

    household_id: str = attrs.field(validator=_nonempty)
    name: str = ""
    members: int = attrs.field(validator=_count)
    status: HouseholdStatus = attrs.field(validator=member_of(HouseholdStatus))
    monitor_type: MonitorType | None = None
    labor_capacity: LaborCapacity = attrs.field(validator=member_of(LaborCapacity))
    days_worked: int = attrs.field(default=0, validator=_count)
    posts: int = attrs.field(default=0, validator=_count)
    asset_ids: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    shares: Fraction | None = attrs.field(default=None, validator=_optional_shares, metadata=added_later())

    def __attrs_post_init__(self) -> None:
        """Refuse a household without members."""
        if self.members < 1:
            raise InvalidValue(
                "a household has at least one member",
                "家庭人口至少为1人",
                record=self.household_id,
                field="members",
                actual=self.members,
            )

    def beneficiary(self) -> Beneficiary:
        """The household as a plan sees it (:class:`~assetreg.income.beneficiaries.Beneficiary`)."""
        return Beneficiary(
            id=self.household_id,
            kind=BeneficiaryKind.HOUSEHOLD,
            name=self.name,
            size=self.members,
            status=self.status,
            monitor_type=self.monitor_type,
            labor_capacity=self.labor_capacity,
            posts=self.posts,
            days_worked=self.days_worked,
            shares=self.shares,
        )


def _households(values: Iterable[RosterHousehold]) -> tuple[RosterHousehold, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class RosterSnapshot(BookRecord):
    """The beneficiary list of an area as known on a day (受益名单快照), P11.

    Attributes:
        known_on: the day the list is as of (名单截止日); a household on it is eligible from
            then until the next snapshot of the area that leaves it out.
        source_system: where the list comes from (e.g. ``"全国防止返贫监测信息系统"``).
        households: the households, each at most once.

    Raises:
        InvalidValue: a household listed twice.
    """

    known_on: date = attrs.field(validator=_day)
    source_system: str = ""
    households: tuple[RosterHousehold, ...] = attrs.field(default=(), converter=_households)

    def __attrs_post_init__(self) -> None:
        """Refuse a household listed twice."""
        seen: set[str] = set()
        for household in self.households:
            if household.household_id in seen:
                raise InvalidValue(
                    f"household {household.household_id} is listed twice",
                    f"农户 {household.household_id} 重复列入名单",
                    record=self.id,
                    field="households",
                    actual=household.household_id,
                )
            seen.add(household.household_id)

    @property
    def effective(self) -> date:
        """The day the list is as of."""
        return self.known_on

    @property
    def ids(self) -> tuple[str, ...]:
        """Household ids, in list order."""
        return tuple(h.household_id for h in self.households)

    def get(self, household_id: str) -> RosterHousehold | None:
        """The household ``household_id`` on the list, or ``None``."""
        return next((h for h in self.households if h.household_id == household_id), None)

    def beneficiaries(self, asset_id: str | None = None) -> tuple[Beneficiary, ...]:
        """The households as payees, optionally only those benefiting from ``asset_id``."""
        return tuple(h.beneficiary() for h in self.households if asset_id is None or asset_id in h.asset_ids)


def roster_history(snapshots: Iterable[RosterSnapshot]) -> Roster:
    """The list with its history (:class:`~assetreg.income.beneficiaries.Roster`) from snapshots.

    Snapshots are taken in ``known_on`` order (then ``recorded_at``, then id); a household
    enters on the first snapshot that lists it and exits on the first later one that does
    not (it may come back). Pass the snapshots of one area, as known at one instant
    (:func:`as_known_at`).
    """
    ordered = sorted(snapshots, key=lambda s: (s.known_on, s.recorded_at, s.id))
    open_since: dict[str, tuple[date, str]] = {}
    entries: list[RosterEntry] = []
    for snap in ordered:
        listed = set(snap.ids)
        for household_id in [h for h in open_since if h not in listed]:
            since, _ = open_since.pop(household_id)
            if since < snap.known_on:
                entries.append(
                    RosterEntry(beneficiary_id=household_id, since=since, until=snap.known_on, reason=snap.id)
                )
        for household_id in snap.ids:
            open_since.setdefault(household_id, (snap.known_on, snap.id))
    entries.extend(
        RosterEntry(beneficiary_id=household_id, since=since, reason=source)
        for household_id, (since, source) in open_since.items()
    )
    return Roster(tuple(sorted(entries, key=lambda e: (e.beneficiary_id, e.since))))


# -- 分配方案 plan versions --------------------------------------------------------------------
class ApprovalLevel(Vocabulary):
    """A step of the village procedure a plan passes (四议两公开) and its filing, P7."""

    PARTY_BRANCH_PROPOSAL = "party_branch_proposal"
    """Proposed by the village Party organisation (村党组织提议)."""
    TWO_COMMITTEES = "two_committees"
    """Discussed by the village "two committees" (村"两委"会议商议)."""
    PARTY_MEMBERS = "party_members"
    """Reviewed by the Party members' meeting (党员大会审议)."""
    VILLAGE_ASSEMBLY = "village_assembly"
    """Decided by the villagers' (representative) assembly (村民会议或村民代表会议决议)."""
    TOWNSHIP = "township"
    """Reviewed by the township government (乡镇审核)."""
    COUNTY_FILING = "county_filing"
    """Filed with the county (县级备案)."""


@attrs.frozen(kw_only=True)
class PlanApproval:
    """The approval a plan version rests on (方案审批).

    Attributes:
        level: the step that approved it (normally the village assembly's decision).
        body: the approving body as written (``"柳家铺村村民代表会议"``).
        approved_on: the day of the decision.
        minutes_ref: the minutes or resolution number (会议纪要/决议编号).
    """

    level: ApprovalLevel = attrs.field(validator=member_of(ApprovalLevel))
    body: str = attrs.field(validator=_nonempty)
    approved_on: date = attrs.field(validator=_day)
    minutes_ref: str = ""


@attrs.frozen(kw_only=True)
class PlanVersion(BookRecord):
    """One version of a distribution plan as adopted for some assets (收益分配方案版本).

    Attributes:
        plan: the plan as data (tiers, remainder, source).
        version: 1 for the first version of ``plan.id``, then 2, 3…
        policy: the name of the policy it was written under (``Policy.name``,
            e.g. ``"gansu-county-2013"``).
        asset_ids: the assets whose income it distributes.
        effective_from: the first day it applies.
        approval: the approval it rests on, ``None`` while not yet approved.

    Raises:
        InvalidValue: a version below 1.
    """

    plan: DistributionPlan = attrs.field(validator=attrs.validators.instance_of(DistributionPlan))
    version: int = attrs.field(default=1, validator=_count)
    policy: str = attrs.field(validator=_nonempty)
    asset_ids: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    effective_from: date = attrs.field(validator=_day)
    approval: PlanApproval | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse version 0."""
        if self.version < 1:
            raise InvalidValue("a plan version starts at 1", "方案版本号从1开始", record=self.id, field="version")

    @property
    def effective(self) -> date:
        """The first day the version applies."""
        return self.effective_from

    @property
    def approved(self) -> bool:
        """Whether the version has an approval."""
        return self.approval is not None


# -- 分配 distributions -----------------------------------------------------------------------
class DistributionStatus(Vocabulary):
    """Where a distribution stands (分配状态)."""

    DRAFT = "draft"
    """Computed, not yet adopted (草案)."""
    ADOPTED = "adopted"
    """Adopted for notice and payment (定稿)."""


def _lines(values: Iterable[AllocationLine]) -> tuple[AllocationLine, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Distribution(BookRecord):
    """A distribution of one pool under one plan version (收益分配记录).

    The lines are the :class:`~assetreg.income.results.AllocationLine` values the plan
    produced; each cites tier, base, rate and weight. The record itself does not insist
    that the lines add up to ``pool``: a stored record that does not reconcile is a
    finding of the audit (AUD-701), and :attr:`allocation` refuses it.

    Attributes:
        plan_version_id: the :class:`PlanVersion` run.
        plan_id: the plan's id (``plan_version.plan.id``).
        plan_name: the plan's name, for the notice.
        asset_ids: the assets whose income it distributes.
        period: the half-open income period ``[start, end)``.
        revenue_ids: the revenue entries used.
        deduction_ids: the :class:`ClaimedDeduction` records used.
        roster_id: the :class:`RosterSnapshot` the payees were taken from, if any.
        gross: income before deductions (fen).
        deducted: deductions applied (fen).
        pool: the distributable income (fen): ``gross - deducted`` when computed.
        as_of: the day eligibility was judged.
        lines: the lines, in tier order then beneficiary id.
        owner_id: the owner whose share this is (several owners), or ``None``.
        returned: payees selected but not eligible on ``as_of`` (their share stayed in the pool).
        status: draft or adopted.
    """

    plan_version_id: str = attrs.field(validator=_nonempty)
    plan_id: str = attrs.field(validator=_nonempty)
    plan_name: str = ""
    asset_ids: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    revenue_ids: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    deduction_ids: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    roster_id: str | None = None
    gross: Money = attrs.field(validator=_money)
    deducted: Money = attrs.field(factory=Money.zero, validator=_money)
    pool: Money = attrs.field(validator=_money)
    as_of: date = attrs.field(validator=_day)
    lines: tuple[AllocationLine, ...] = attrs.field(default=(), converter=_lines)
    owner_id: str | None = None
    returned: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    status: DistributionStatus = DistributionStatus.DRAFT

    @classmethod
    def of(
        cls,
        allocation: Allocation,
        *,
        id: str,  # noqa: A002 - the record's field name
        area: AdminCode,
        recorded_at: datetime,
        plan_version: PlanVersion,
        asset_ids: Iterable[str],
        period: Period,
        revenue_ids: Iterable[str] = (),
        deductions: Iterable[ClaimedDeduction] = (),
        roster_id: str | None = None,
        status: DistributionStatus = DistributionStatus.DRAFT,
        supersedes: str | None = None,
    ) -> Distribution:
        """Record ``allocation`` (from :func:`~assetreg.income.plans.run_plan`) as a distribution.

        ``deducted`` is ``allocation.gross - allocation.pool``; the plan id and name come
        from ``plan_version``.
        """
        return cls(
            id=id,
            area=area,
            recorded_at=recorded_at,
            supersedes=supersedes,
            plan_version_id=plan_version.id,
            plan_id=plan_version.plan.id,
            plan_name=plan_version.plan.name,
            asset_ids=tuple(asset_ids),
            period=period,
            revenue_ids=tuple(revenue_ids),
            deduction_ids=tuple(d.id for d in deductions),
            roster_id=roster_id,
            gross=allocation.gross,
            deducted=allocation.gross - allocation.pool,
            pool=allocation.pool,
            as_of=allocation.as_of,
            lines=allocation.lines,
            owner_id=allocation.owner_id,
            returned=allocation.returned,
            status=status,
        )

    @property
    def effective(self) -> date:
        """The day eligibility was judged."""
        return self.as_of

    @property
    def total(self) -> Money:
        """The amount to distribute (the pool, fen)."""
        return self.pool

    @property
    def lines_total(self) -> Money:
        """The sum of the lines (fen)."""
        return Money(sum(line.amount.fen for line in self.lines))

    @property
    def allocation(self) -> Allocation:
        """The lines as an :class:`~assetreg.income.results.Allocation`.

        Raises:
            AllocationError: the lines do not add up to the pool.
        """
        return Allocation(
            plan_id=self.plan_id,
            plan_name=self.plan_name,
            as_of=self.as_of,
            pool=self.pool,
            gross=self.gross,
            lines=self.lines,
            period=self.period,
            owner_id=self.owner_id,
            returned=self.returned,
        )

    def lines_of(self, beneficiary_id: str) -> tuple[tuple[int, AllocationLine], ...]:
        """``(index, line)`` of every line paying ``beneficiary_id``."""
        return tuple((i, line) for i, line in enumerate(self.lines) if line.beneficiary_id == beneficiary_id)

    def line(self, index: int) -> AllocationLine:
        """The line at ``index`` (0-based, as payments cite it).

        Raises:
            AllocationError: no such line.
        """
        if not 0 <= index < len(self.lines):
            # said as the payment list and ``explain --asset`` number lines: from 1
            raise AllocationError(
                f"distribution {self.id} has no line {index + 1} (it has lines 1 to {len(self.lines)})",
                f"分配 {self.id} 没有第 {index + 1} 行（共 {len(self.lines)} 行）",
                record=self.id,
                field="line_index",
                actual=index + 1,
                expected=f"1..{len(self.lines)}",
            )
        return self.lines[index]


# -- 公示 notices -----------------------------------------------------------------------------
class NoticeLevel(Vocabulary):
    """Where a notice is posted, by level of government (公示层级), P7."""

    VILLAGE = "village"
    """In the village (村级公示)."""
    TOWNSHIP = "township"
    """By the township (乡镇公示)."""
    COUNTY = "county"
    """By the county (县级公示)."""


class NoticeChannel(Vocabulary):
    """How a notice is posted (公示方式)."""

    NOTICE_BOARD = "notice_board"
    """The village affairs notice board (村务公开栏)."""
    WEBSITE = "website"
    """A government website (政府网站)."""
    MESSAGING_GROUP = "messaging_group"
    """The village's messaging group (微信群等)."""
    MEETING = "meeting"
    """Read out at a villagers' meeting (会议公布)."""
    OTHER = "other"
    """Anything else (其他)."""


class ObjectionOutcome(Vocabulary):
    """How an objection to a notice was resolved (异议处理结果)."""

    UPHELD = "upheld"
    """Founded: the distribution is corrected (异议成立，予以更正)."""
    DISMISSED = "dismissed"
    """Unfounded, explained to the objector (异议不成立，已解释)."""


@attrs.frozen(kw_only=True)
class Objection:
    """An objection raised during a notice (公示异议).

    Attributes:
        raised_on: the day it was raised.
        summary: what it says, without personal data.
        raised_by: the party id of the objector, ``None`` when anonymous.
        resolved_on: the day it was resolved, ``None`` while open.
        outcome: how it was resolved, ``None`` while open.
        resolution: what was done, in words.

    Raises:
        InvalidValue: only one of ``resolved_on`` and ``outcome``, or resolved before raised.
    """

    raised_on: date = attrs.field(validator=_day)
    summary: str = attrs.field(validator=_nonempty)
    raised_by: str | None = None
    resolved_on: date | None = attrs.field(default=None, validator=_optional_day)
    outcome: ObjectionOutcome | None = None
    resolution: str = ""

    def __attrs_post_init__(self) -> None:
        """Refuse half a resolution, or one before the objection."""
        if (self.resolved_on is None) != (self.outcome is None):
            raise InvalidValue(
                "an objection is resolved with both a date and an outcome",
                "异议处理须同时填写处理日期和处理结果",
                field="outcome" if self.outcome is None else "resolved_on",
            )
        if self.resolved_on is not None and self.resolved_on < self.raised_on:
            raise InvalidValue(
                f"objection resolved on {self.resolved_on}, before it was raised on {self.raised_on}",
                f"异议处理日期 {self.resolved_on} 早于提出日期 {self.raised_on}",
                field="resolved_on",
            )

    @property
    def is_open(self) -> bool:
        """Whether the objection is still unresolved."""
        return self.outcome is None


def _objections(values: Iterable[Objection]) -> tuple[Objection, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PublicNotice(BookRecord):
    """A distribution posted for public notice (收益分配公示), P7.

    A 10-day notice posted 2020-05-09 may close 2020-05-18 (inclusive counting, as
    notices publish it). Objections raised later are recorded by a new notice record that
    supersedes this one.

    Attributes:
        distribution_id: the :class:`Distribution` posted.
        level: village, township or county.
        channel: how it was posted.
        posted_on: first day posted (inclusive).
        closes_on: last day posted (inclusive).
        objections: objections raised and their resolution.

    Raises:
        InvalidValue: ``closes_on`` before ``posted_on``.
    """

    distribution_id: str = attrs.field(validator=_nonempty)
    level: NoticeLevel = attrs.field(validator=member_of(NoticeLevel))
    channel: NoticeChannel = attrs.field(validator=member_of(NoticeChannel))
    posted_on: date = attrs.field(validator=_day)
    closes_on: date = attrs.field(validator=_day)
    objections: tuple[Objection, ...] = attrs.field(default=(), converter=_objections)

    def __attrs_post_init__(self) -> None:
        """Refuse a notice that closes before it is posted."""
        if self.closes_on < self.posted_on:
            raise InvalidValue(
                f"notice closes {self.closes_on} before it is posted {self.posted_on}",
                f"公示结束日 {self.closes_on} 早于开始日 {self.posted_on}",
                record=self.id,
                field="closes_on",
                actual=self.closes_on.isoformat(),
                expected=f">= {self.posted_on.isoformat()}",
            )

    @property
    def effective(self) -> date:
        """The first day posted."""
        return self.posted_on

    @property
    def open_objections(self) -> tuple[Objection, ...]:
        """Objections not yet resolved."""
        return tuple(o for o in self.objections if o.is_open)


# -- 兑付 payments ----------------------------------------------------------------------------
class PaymentMethod(Vocabulary):
    """How money reached the payee (兑付方式)."""

    ONE_CARD = "one_card"
    """The subsidy "one card" account (惠民惠农财政补贴资金"一卡通")."""
    BANK_TRANSFER = "bank_transfer"
    """A bank transfer to the payee's account (银行转账)."""
    CASH = "cash"
    """Cash against signature (现金)."""
    OTHER = "other"
    """Anything else (其他)."""


class PaymentStatus(Vocabulary):
    """What became of a payment (兑付状态)."""

    PAID = "paid"
    """Paid out (已兑付)."""
    RETURNED = "returned"
    """Paid, then returned by the bank (退回), e.g. a closed account."""
    FAILED = "failed"
    """Could not be paid (失败)."""


_VISIBLE_DIGITS: Final = 8
"""The most digits a stored account reference may show (4 leading + 4 trailing)."""


def mask_account(number: str, *, head: int = 4, tail: int = 4) -> str:
    """Mask an account or card number for storage (``"6228480402564890018"`` → ``"6228***********0018"``).

    Raises:
        InvalidValue: ``number`` is too short to mask.
    """
    digits = number.replace(" ", "")
    if len(digits) <= head + tail:
        raise InvalidValue("account number too short to mask", "账号过短，无法脱敏", field="account_ref")
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def _masked(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str")
    if sum(ch.isdigit() for ch in value) > _VISIBLE_DIGITS:
        raise InvalidValue(
            "the account reference is not masked (personal data)",
            "账号未脱敏（个人信息）",
            record=_record_id(instance),
            field=attribute.name,
            expected="a masked reference such as 6228***********0018",
        )


@attrs.frozen(kw_only=True)
class Payment(BookRecord):
    """A payment of one distribution line (兑付记录).

    A payment the bank returns, or one that fails, is recorded as a new record with status
    ``RETURNED``/``FAILED`` that supersedes the ``PAID`` one (or stands alone for a
    failure); the money paid again is a new ``PAID`` record whose ``repays`` names it.

    Attributes:
        distribution_id: the :class:`Distribution` whose line is paid.
        line_index: the line paid (0-based position in ``Distribution.lines``).
        beneficiary_id: the payee (the line's ``beneficiary_id``).
        paid_on: the day the money was paid out (or the attempt, for a failure).
        amount: the amount (fen, not negative).
        method: how it was paid.
        account_ref: the account paid into, masked (at most 8 digits shown); ``""`` for cash.
        status: paid, returned or failed.
        repays: the id of the returned or failed payment this one pays again.
        note: free text, without personal data.

    Raises:
        InvalidValue: a negative amount or line index, an unmasked account number.
    """

    distribution_id: str = attrs.field(validator=_nonempty)
    line_index: int = attrs.field(validator=_count)
    beneficiary_id: str = attrs.field(validator=_nonempty)
    paid_on: date = attrs.field(validator=_day)
    amount: Money = attrs.field(validator=_not_negative_money)
    method: PaymentMethod = attrs.field(validator=member_of(PaymentMethod))
    account_ref: str = attrs.field(default="", validator=_masked)
    status: PaymentStatus = PaymentStatus.PAID
    repays: str | None = None
    note: str = ""

    @property
    def effective(self) -> date:
        """The day paid (or attempted)."""
        return self.paid_on

    @property
    def settled(self) -> bool:
        """Whether the money reached the payee (status ``PAID``)."""
        return self.status is PaymentStatus.PAID
