"""Use cases of distributing (收益分配): a county's year of income, from the stored books.

:func:`distribute_period` is ``assetreg distribute --period 2024 [--area CODE]``: for every
income-earning asset in scope (an asset with revenue stored for the period) it reads what
the books hold — the revenue entries, the deductions claimed (:class:`ClaimedDeduction`),
the plan version in force with its approval (:class:`PlanVersion`), the roster snapshot in
force (:class:`RosterSnapshot`) —, computes the distribution under the policy (P6, P9,
P11, DESIGN §8), stores it as a draft :class:`Distribution` and, when asked, posts its
notice (:class:`PublicNotice`, P7). All in one unit of work: everything or nothing.

Rules (DESIGN §12):

- **Never twice, never a part.** An asset with a stored distribution of another period
  overlapping this one is refused (``overlapping_distribution``): its income would be
  distributed twice; so is one whose revenue entries reach outside the period
  (``partial_income_period``): an entry is distributed for its own period, never as a
  pro-rata share. A distribution with payments recorded is never recomputed
  (``already_paid``).
- **Nothing falls back.** A missing plan, roster, deduction record or approval is a
  :class:`~assetreg.errors.DistributionRefused` naming the asset (``details["reason"]``);
  the asset is left out, the others go on, and the run lists the refusals.
- **Idempotent.** A distribution's id is made from its asset, period and owner
  (``D/LT-PV-001/2019-05-01/2020-05-01``). Re-running with the same books stores nothing;
  when the books changed (a new deduction, a corrected roster), the new distribution gets
  the next revision id (``…/r2``) and supersedes the earlier one, and the run shows what
  changed, line by line.
- **No clock.** ``recorded_at`` (when the books learn the drafts) and the notice's posting
  day are the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

import attrs

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.errors import AllocationError, AssetRegError, DistributionRefused, UnknownAsset
from assetreg.income.books import (
    ClaimedDeduction,
    Distribution,
    DistributionStatus,
    NoticeChannel,
    NoticeLevel,
    PlanVersion,
    PublicNotice,
    RosterHousehold,
    RosterSnapshot,
)
from assetreg.income.distribution import IncomeInputs, IncomeNotice
from assetreg.income.notice import NoticeRule, notice_closing_date
from assetreg.income.plans import DistributionPlan
from assetreg.income.presets import PlanContext
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork
from assetreg.services.income import REFUSAL_REASONS, distribute_asset_income, pays_households, refusal

__all__ = [
    "REFUSAL_REASONS",
    "AssetRefusal",
    "DistributionOutcome",
    "LineChange",
    "NoticePosting",
    "PeriodRun",
    "distribute_period",
    "distribution_id",
    "refusal",
    "roster_for",
]


def distribution_id(asset_id: str, period: Period, owner_id: str | None = None, revision: int = 1) -> str:
    """The id of an asset's distribution for a period (``D/LT-PV-001/2019-05-01/2020-05-01``).

    ``owner_id`` is added for an asset with several owners; revisions after the first end
    in ``/r2``, ``/r3``…
    """
    parts = ["D", asset_id, period.start.isoformat(), period.end.isoformat()]
    if owner_id is not None:
        parts.append(owner_id)
    if revision > 1:
        parts.append(f"r{revision}")
    return "/".join(parts)


@attrs.frozen(kw_only=True)
class NoticePosting:
    """How the run's notices are posted (公示).

    Attributes:
        posted_on: the first day posted (inclusive).
        level: village, township or county (P7).
        channel: notice board, website…
        holidays: public holidays, for notices counted in working days.
    """

    posted_on: date
    level: NoticeLevel = NoticeLevel.VILLAGE
    channel: NoticeChannel = NoticeChannel.NOTICE_BOARD
    holidays: frozenset[date] = frozenset()


@attrs.frozen(kw_only=True)
class AssetRefusal:
    """An asset the run could not distribute, and why.

    Attributes:
        asset_id: the asset.
        error: the refusal (a :class:`~assetreg.errors.DistributionRefused`, or the
            allocation's own refusal such as :class:`~assetreg.errors.PlanRefused`).
    """

    asset_id: str
    error: AssetRegError

    @property
    def reason(self) -> str:
        """The coded reason (``no_plan``…), or the error's code."""
        return str(self.error.details.get("reason", self.error.code))

    def as_record(self) -> dict[str, object]:
        """The refusal as plain values."""
        return {"asset_id": self.asset_id, "reason": self.reason, **self.error.as_dict()}


@attrs.frozen(kw_only=True)
class LineChange:
    """One payee whose amount differs from the earlier run (fen; ``None`` = no line then/now)."""

    beneficiary_id: str
    beneficiary_name: str
    before: Money | None
    after: Money | None

    def as_record(self) -> dict[str, object]:
        """The change as plain values (元 as ``Decimal``)."""
        return {
            "beneficiary_id": self.beneficiary_id,
            "beneficiary_name": self.beneficiary_name,
            "before_yuan": None if self.before is None else self.before.yuan_decimal,
            "after_yuan": None if self.after is None else self.after.yuan_decimal,
        }


@attrs.frozen(kw_only=True)
class DistributionOutcome:
    """What the run did with one distribution.

    Attributes:
        distribution: the distribution as computed (the stored one when unchanged).
        status: ``"new"`` (first run), ``"unchanged"`` (nothing stored) or ``"changed"``
            (stored as a revision superseding ``replaces``).
        replaces: the earlier distribution, for a change.
        changes: the payees whose amounts changed.
        notice: the notice computed for it (lines and reconciliation, for printing).
    """

    distribution: Distribution
    status: str
    replaces: Distribution | None
    changes: tuple[LineChange, ...]
    notice: IncomeNotice


@attrs.frozen(kw_only=True)
class PeriodRun:
    """The result of :func:`distribute_period`.

    Attributes:
        period: the income period.
        area: the area-code prefix run (``None`` = the whole scope).
        outcomes: one per distribution, by asset then owner.
        refusals: the assets left out, by asset.
        notices: the notices newly posted.
        stored: distributions newly stored.
        dry_run: nothing was written.
    """

    period: Period
    area: str | None
    outcomes: tuple[DistributionOutcome, ...]
    refusals: tuple[AssetRefusal, ...]
    notices: tuple[PublicNotice, ...]
    stored: int
    dry_run: bool

    @property
    def total(self) -> Money:
        """Everything distributed (the pools, fen)."""
        return Money(sum(o.distribution.pool.fen for o in self.outcomes))


def _names(plan: DistributionPlan) -> set[str]:
    named = {plan.remainder_to} if plan.remainder_to else set()
    for tier in plan.tiers:
        named.update(tier.recipients.ids or ())
    return named


def _in_force(versions: Iterable[PlanVersion], asset_id: str, day: date) -> list[PlanVersion]:
    """The latest version of each plan governing ``asset_id`` effective by ``day``."""
    latest: dict[str, PlanVersion] = {}
    for version in versions:
        if asset_id not in version.asset_ids or version.effective_from > day:
            continue
        held = latest.get(version.plan.id)
        if held is None or (version.version, version.effective_from) > (held.version, held.effective_from):
            latest[version.plan.id] = version
    return list(latest.values())


class _Chooser:
    """Picks each owner's stored plan version; remembers which it used."""

    def __init__(
        self,
        asset_id: str,
        versions: Sequence[PlanVersion],
        roster: RosterSnapshot | None,
        posted_on: date | None = None,
    ) -> None:
        self.asset_id = asset_id
        self.posted_on = posted_on
        self.versions = versions
        self.roster = roster
        self.used: dict[str, PlanVersion] = {}

    def __call__(self, context: PlanContext) -> DistributionPlan:
        owner = context.owner
        naming = [v for v in self.versions if owner in _names(v.plan)]
        candidates = naming or (list(self.versions) if len(self.versions) == 1 else [])
        if not candidates:
            raise refusal(self.asset_id, "no_plan", owner=owner)
        newest = max(v.effective_from for v in candidates)
        candidates = [v for v in candidates if v.effective_from == newest]
        if len(candidates) > 1:
            raise refusal(self.asset_id, "ambiguous_plan", owner=owner, plans=sorted(v.id for v in candidates))
        version = candidates[0]
        if not version.approved:
            raise refusal(self.asset_id, "plan_not_approved", owner=owner, plan_version=version.id)
        approval = version.approval
        if self.posted_on is not None and approval is not None and approval.approved_on > self.posted_on:
            # a notice may not be posted for a plan approved later (P7: approve, then post)
            raise refusal(
                self.asset_id,
                "plan_not_approved",
                owner=owner,
                plan_version=version.id,
                approved_on=approval.approved_on,
                posted_on=self.posted_on,
            )
        if self.roster is None and pays_households(version.plan):
            raise refusal(self.asset_id, "no_roster", owner=owner, plan_version=version.id)
        self.used[owner] = version
        return version.plan


def roster_for(snapshots: Sequence[RosterSnapshot], location: AdminCode, day: date) -> RosterSnapshot | None:
    """The most specific snapshot covering ``location`` in force on ``day``.

    A village's own list wins over its township's, which wins over its county's (a county
    list ``620822`` covers a village asset ``620822100201``); of one area, the latest
    ``known_on`` not after ``day``.
    """
    covering = [s for s in snapshots if location.within(s.area) and s.known_on <= day]
    return max(covering, key=lambda s: (len(s.area.prefix), s.known_on, s.recorded_at, s.id), default=None)


def _same(new: Distribution, old: Distribution) -> bool:
    return attrs.evolve(new, id=old.id, recorded_at=old.recorded_at, supersedes=old.supersedes) == old


def _changes(new: Distribution, old: Distribution) -> tuple[LineChange, ...]:
    def totals(d: Distribution) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        for line in d.lines:
            name, fen = out.get(line.beneficiary_id, (line.beneficiary_name, 0))
            out[line.beneficiary_id] = (name, fen + line.amount.fen)
        return out

    before, after = totals(old), totals(new)
    changes = []
    for payee in sorted(before.keys() | after.keys()):
        was, now = before.get(payee), after.get(payee)
        if was is None or now is None or was[1] != now[1]:
            changes.append(
                LineChange(
                    beneficiary_id=payee,
                    beneficiary_name=(now or was or (payee, 0))[0],
                    before=None if was is None else Money(was[1]),
                    after=None if now is None else Money(now[1]),
                )
            )
    return tuple(changes)


def _revision(record_id: str) -> int:
    last = record_id.rsplit("/", 1)[-1]
    return int(last[1:]) if last.startswith("r") and last[1:].isdigit() else 1


class _Listed:
    """The households of each roster snapshot by asset, indexed once per snapshot.

    (Filtering a snapshot's households asset by asset would cost assets × households for
    a county's year.) The households of an asset keep the snapshot's order.
    """

    def __init__(self) -> None:
        # keyed by identity: the run holds every snapshot it read until it ends
        self._by_snapshot: dict[int, dict[str, list[RosterHousehold]]] = {}

    def __call__(self, snapshot: RosterSnapshot, asset_id: str) -> Sequence[RosterHousehold]:
        index = self._by_snapshot.get(id(snapshot))
        if index is None:
            index = {}
            for household in snapshot.households:
                for listed_for in dict.fromkeys(household.asset_ids):
                    index.setdefault(listed_for, []).append(household)
            self._by_snapshot[id(snapshot)] = index
        return index.get(asset_id, [])


def _distribute_one(  # noqa: PLR0917 - the books of one asset
    register: AssetRegister,
    policy: Policy,
    asset_id: str,
    period: Period,
    entries: Sequence[RevenueEntry],
    claims: Sequence[ClaimedDeduction],
    versions: Sequence[PlanVersion],
    snapshots: Sequence[RosterSnapshot],
    recorded_at: datetime,
    posted_on: date | None,
    holidays: frozenset[date],
    listed: _Listed,
) -> tuple[IncomeNotice, list[Distribution]]:
    state = register.state(asset_id, as_of=period.last)
    own_claims = [c for c in claims if c.asset_id == asset_id and period.covers(c.period)]
    if state.ownership is None:
        raise refusal(asset_id, "no_owner", on=period.last)
    roster = roster_for(snapshots, state.asset.location, period.last)
    chooser = _Chooser(asset_id, _in_force(versions, asset_id, period.last), roster, posted_on)
    notice = distribute_asset_income(
        register,
        IncomeInputs(entries=tuple(entries), deductions=tuple(own_claims)),
        listed(roster, asset_id) if roster is not None else (),
        policy,
        asset_id=asset_id,
        plan=chooser,
        period=period,
        posted_on=posted_on,
        holidays=holidays,
    )
    several = len(notice.allocations) > 1
    records = []
    for allocation in notice.allocations:
        owner = allocation.owner_id
        version = chooser.used[owner] if owner is not None else next(iter(chooser.used.values()))
        records.append(
            Distribution.of(
                allocation,
                id=distribution_id(asset_id, period, owner if several else None),
                area=state.asset.location,
                recorded_at=recorded_at,
                plan_version=version,
                asset_ids=(asset_id,),
                period=period,
                revenue_ids=sorted(e.id for e in entries),
                deductions=sorted(own_claims, key=lambda c: c.id),
                roster_id=roster.id if roster is not None else None,
                status=DistributionStatus.DRAFT,
            )
        )
    return notice, records


def _compare(
    records: Sequence[Distribution], stored: Sequence[Distribution], notice: IncomeNotice
) -> list[DistributionOutcome]:
    """Each computed record against the stored one of the same owner: new, unchanged or a revision."""
    several = len(records) > 1
    by_owner = {(d.owner_id if several else None): d for d in stored}
    outcomes = []
    for record in records:
        key = record.owner_id if several else None
        old = by_owner.get(key)
        if old is None:
            outcomes.append(
                DistributionOutcome(distribution=record, status="new", replaces=None, changes=(), notice=notice)
            )
        elif _same(record, old):
            outcomes.append(
                DistributionOutcome(distribution=old, status="unchanged", replaces=None, changes=(), notice=notice)
            )
        else:
            revised = attrs.evolve(
                record,
                id=distribution_id(record.asset_ids[0], record.period, key, _revision(old.id) + 1),
                supersedes=old.id,
            )
            outcomes.append(
                DistributionOutcome(
                    distribution=revised, status="changed", replaces=old, changes=_changes(revised, old), notice=notice
                )
            )
    return outcomes


def _notices(
    uow: UnitOfWork, outcomes: Sequence[DistributionOutcome], post: NoticePosting, policy: Policy, recorded_at: datetime
) -> list[PublicNotice]:
    """A notice at ``post.level`` for every distribution without one (P7)."""
    closes = notice_closing_date(post.posted_on, NoticeRule.from_policy(policy), holidays=post.holidays)
    posted = []
    for outcome in outcomes:
        dist = outcome.distribution
        if outcome.status == "unchanged" and any(
            n.level is post.level for n in uow.notices.list(distribution_id=dist.id)
        ):
            continue
        posted.append(
            PublicNotice(
                id=f"N/{dist.id}/{post.level.value}",
                area=dist.area,
                recorded_at=recorded_at,
                distribution_id=dist.id,
                level=post.level,
                channel=post.channel,
                posted_on=post.posted_on,
                closes_on=closes,
            )
        )
    return posted


_T = TypeVar("_T")


def _index(items: Iterable[_T], assets: Callable[[_T], Iterable[str]]) -> dict[str, list[_T]]:
    """``items`` by each asset id ``assets`` gives for them, in their order."""
    out: dict[str, list[_T]] = {}
    for item in items:
        for asset_id in assets(item):
            out.setdefault(asset_id, []).append(item)
    return out


def _checked_first(
    stored: Sequence[Distribution], asset_id: str, period: Period, entries: Sequence[RevenueEntry]
) -> DistributionRefused | None:
    """The refusals that come before any computation: income only partly inside the period, or already distributed."""
    partial = sorted({f"{e.period.start}..{e.period.last}" for e in entries if not period.covers(e.period)})
    if partial:
        # never a silent pro-rata share of an entry: its deductions and notice follow its own period
        return refusal(asset_id, "partial_income_period", income_periods=partial)
    other = sorted(d.id for d in stored if d.period != period)
    if other:
        return refusal(asset_id, "overlapping_distribution", stored=other)
    return None


def distribute_period(
    uow: UnitOfWork,
    policy: Policy,
    *,
    period: Period,
    recorded_at: datetime,
    area: str | None = None,
    asset_ids: Sequence[str] | None = None,
    post: NoticePosting | None = None,
    dry_run: bool = False,
) -> PeriodRun:
    """Distribute the period's income of every income-earning asset in scope (``assetreg distribute``).

    Args:
        uow: the unit of work (entered here; its scope applies; committed unless ``dry_run``).
        policy: the policy (deductions P9, base, rounding, prohibited purposes P6, notice P7).
        period: the income period (half-open); income is attributed to it by days.
        recorded_at: when the books learn the drafts and notices (aware; the caller's clock).
        area: only assets inside this area-code prefix (and the scope).
        asset_ids: only these assets (each must have revenue in the period).
        post: post a notice for every distribution stored (or already stored without a
            notice at that level); ``None`` stores drafts only.
        dry_run: compute and compare, write nothing.

    Returns:
        What was distributed, what changed against the earlier run, what was refused.

    Raises:
        UnknownAsset: an asset of ``asset_ids`` is not in scope.
        PersistenceError: the store failed (nothing was written).
    """
    with uow:
        register = uow.load_register(area)
        entries = [e for e in uow.revenue.list(prefix=area) if e.period.overlaps(period)]
        wanted = None if asset_ids is None else set(asset_ids)
        by_asset: dict[str, list[RevenueEntry]] = {}
        for entry in entries:
            if wanted is None or entry.asset_id in wanted:
                by_asset.setdefault(entry.asset_id, []).append(entry)
        claims = uow.deductions.list(period=period, prefix=area)
        versions = uow.plans.list(prefix=area)
        snapshots = uow.rosters.list(prefix=None)
        claims_of = _index(claims, lambda c: (c.asset_id,))
        listed = _Listed()
        refusals: list[AssetRefusal] = []
        outcomes: list[DistributionOutcome] = []
        for asset_id in sorted(wanted - by_asset.keys() if wanted is not None else ()):
            register.history(asset_id)  # UnknownAsset when not in scope
            refusals.append(AssetRefusal(asset_id=asset_id, error=refusal(asset_id, "no_income")))
        # every stored distribution overlapping the period, read once and indexed by asset
        stored_of = _index(uow.distributions.list(period=period, prefix=area), lambda d: d.asset_ids)
        for asset_id in sorted(by_asset):
            found = _checked_first(stored_of.get(asset_id, []), asset_id, period, by_asset[asset_id])
            if found is not None:
                refusals.append(AssetRefusal(asset_id=asset_id, error=found))
                continue
            try:
                notice, records = _distribute_one(
                    register,
                    policy,
                    asset_id,
                    period,
                    by_asset[asset_id],
                    claims_of.get(asset_id, []),
                    versions,
                    snapshots,
                    recorded_at,
                    post.posted_on if post is not None else None,
                    post.holidays if post is not None else frozenset(),
                    listed,
                )
            except (AllocationError, UnknownAsset) as error:
                # the asset's own refusal (no plan, a plan refused, revenue of an unknown
                # asset): the others go on
                refusals.append(AssetRefusal(asset_id=asset_id, error=error))
                continue
            stored = [d for d in stored_of.get(asset_id, []) if d.period == period]
            compared = _compare(records, stored, notice)
            replaced = [o.replaces.id for o in compared if o.replaces is not None]
            paid = sorted(i for i in replaced if uow.payments.list(distribution_id=i))
            if paid:
                refusals.append(AssetRefusal(asset_id=asset_id, error=refusal(asset_id, "already_paid", paid=paid)))
                continue
            outcomes.extend(compared)
        fresh = [o.distribution for o in outcomes if o.status != "unchanged"]
        posted = _notices(uow, outcomes, post, policy, recorded_at) if post is not None else []
        count = 0
        if not dry_run:
            count = uow.distributions.add(fresh)
            uow.notices.add(posted)
            uow.commit()
    return PeriodRun(
        period=period,
        area=area,
        outcomes=tuple(outcomes),
        refusals=tuple(refusals),
        notices=tuple(posted),
        stored=count,
        dry_run=dry_run,
    )
