"""Use cases of income (收益): distribute one asset's income for a period under a plan.

:func:`distribute_asset_income` is the computation behind ``assetreg allocate``,
``assetreg notice`` and the demo: from the register, the asset's revenue entries, the
deductions claimed and the beneficiary roster it computes the distributable income (P9:
the deductions the policy names, O&M capped per W per year), splits it among the owners by
their shares on the last day of the period, runs each owner's plan (a preset of
:data:`~assetreg.income.presets.PLAN_PRESETS`) and returns the
:class:`~assetreg.income.distribution.IncomeNotice`, reconciled to the fen, with its notice
period (P7).

:func:`allocate_stored` is the same for a register and revenue read from a unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Final

import attrs

from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetKind
from assetreg.errors import AllocationError, DistributionRefused
from assetreg.income.beneficiaries import Beneficiary
from assetreg.income.books import ClaimedDeduction, RosterHousehold
from assetreg.income.distribution import IncomeInputs, IncomeNotice, om_cap_for_period
from assetreg.income.notice import NoticeRule, notice_closing_date
from assetreg.income.plans import Base, DistributionPlan, run_owner_plans
from assetreg.income.presets import PLAN_PRESETS, PlanContext
from assetreg.income.revenue import Deduction, distributable_income, income_in_period
from assetreg.ports import UnitOfWork

__all__ = [
    "REFUSAL_REASONS",
    "PlanChooser",
    "StoredAllocation",
    "allocate_stored",
    "distribute_asset_income",
    "pays_households",
    "plan_base",
    "refusal",
]


def _payees(
    register: AssetRegister, roster: Sequence[RosterHousehold], asset_id: str, owner: str, operator: str | None
) -> list[Beneficiary]:
    party = register.parties.get(owner)  # type: ignore[call-overload]
    payees = [Beneficiary.collective(owner, party.name if party is not None else owner)]
    payees.append(Beneficiary.reserve(f"{owner}/development-fund", "贫困户生产发展资金"))
    if operator is not None and operator != owner:
        op = register.parties.get(operator)  # type: ignore[call-overload]
        payees.append(Beneficiary.party(operator, op.name if op is not None else operator))
    payees.extend(m.beneficiary() for m in roster if asset_id in m.asset_ids)
    return payees


def _deductions_for(claims: Sequence[ClaimedDeduction], asset_id: str, period: Period) -> list[Deduction]:
    return [c.as_deduction() for c in claims if c.asset_id == asset_id and period.covers(c.period)]


REFUSAL_REASONS: Final[Mapping[str, tuple[str, str]]] = {
    "no_income": ("no revenue stored for the period", "该期间没有收益记录"),
    "no_owner": ("no owner confirmed on the period's last day", "期末尚未确权"),
    "no_plan": ("no distribution plan in force for the asset and owner", "没有适用于该资产和产权主体的分配方案"),
    "ambiguous_plan": ("several plans in force for the same owner", "同一产权主体有多个同时生效的分配方案"),
    "plan_not_approved": ("the plan in force has no recorded approval", "适用的分配方案没有审批记录"),
    "no_roster": ("the plan pays households but no roster snapshot is in force", "方案分配到户，但没有适用的受益名单"),
    "partial_income_period": (
        "its revenue covers days outside the period; distribute it for the revenue's own period",
        "其收益期间超出本次分配期间，请按收益本身的期间分配",
    ),
    "already_paid": (
        "the books changed, but the stored distribution has payments recorded; record an adjustment instead",
        "账目已变更，但已存分配已有兑付记录，不能重算，请另行调整",
    ),
    "overlapping_distribution": (
        "a distribution of another period overlapping this one is stored: its income would be distributed twice",
        "已存在与本期间重叠的其他期间分配，收益将被重复分配",
    ),
    "no_deduction_record": (
        "the policy deducts from this asset's income but no deduction is recorded for the period",
        "政策规定须扣除费用，但该期间没有扣除记录（无扣除也须记录为零）",
    ),
}
"""Each refusal reason of :class:`~assetreg.errors.DistributionRefused`, in English and Chinese."""


def refusal(asset_id: str, reason: str, **details: object) -> DistributionRefused:
    """The :class:`~assetreg.errors.DistributionRefused` for ``asset_id`` with a reason of :data:`REFUSAL_REASONS`."""
    en, zh = REFUSAL_REASONS[reason]
    return DistributionRefused(
        f"cannot distribute {asset_id}: {en}",
        f"资产 {asset_id} 不能分配：{zh}",
        record=asset_id,
        field=reason.removeprefix("no_").removesuffix("_record"),
        details={"reason": reason, **details},
    )


def pays_households(plan: DistributionPlan) -> bool:
    """Whether a tier of ``plan`` selects households or post holders from a roster (not named payees)."""
    return any(tier.recipients.ids is None for tier in plan.tiers)


def plan_base(policy: Policy) -> Base:
    """The base of percentage tiers the policy sets (P9, ``Policy.distribution_base``)."""
    return policy.distribution_base


PlanChooser = Callable[[PlanContext], DistributionPlan]
"""Makes an owner's plan from its context (owner, operator, base): a preset, or a stored version."""


def distribute_asset_income(
    register: AssetRegister,
    income: IncomeInputs,
    roster: Sequence[RosterHousehold],
    policy: Policy,
    *,
    asset_id: str,
    plan: str | PlanChooser,
    period: Period | None = None,
    posted_on: date | None = None,
    holidays: frozenset[date] = frozenset(),
) -> IncomeNotice:
    """Distribute one asset's income for one period under a plan.

    Args:
        register: the register (owners are read on the period's last day).
        income: revenue entries and claimed deductions.
        roster: the beneficiary roster; households listed for ``asset_id`` are payees.
        policy: deductions (P9), O&M cap, base, rounding, prohibited purposes (P6), notice (P7).
        asset_id: the asset.
        plan: a name from :data:`~assetreg.income.presets.PLAN_PRESETS`, or a function
            giving each owner's plan from its :class:`~assetreg.income.presets.PlanContext`
            (it may raise :class:`~assetreg.errors.DistributionRefused` for an owner with none).
        period: the income period (half-open); by default the period of the asset's first entry.
        posted_on: the day the notice is posted; by default the day the last income arrived.
        holidays: public holidays, for notices counted in working days.

    Returns:
        The :class:`~assetreg.income.distribution.IncomeNotice`, reconciled to the fen.

    Raises:
        UnknownAsset: no such asset.
        AllocationError: unknown plan, no income recorded, or no owner confirmed.
        DistributionRefused: a PV station with no deduction recorded for the period while
            the policy deducts (P9), or a plan paying households with none of them on the
            roster — never a silent fall-back to the gross or to the collective.
        PlanRefused: the plan is refused (P6, P11, DESIGN §8).
    """
    history = register.history(asset_id)
    asset = history.asset()
    if isinstance(plan, str):
        if plan not in PLAN_PRESETS:
            raise AllocationError(
                f"unknown plan {plan!r}",
                f"未知的分配方案 {plan!r}",
                field="plan",
                actual=plan,
                expected=sorted(PLAN_PRESETS),
            )
        build: PlanChooser = PLAN_PRESETS[plan]
    else:
        build = plan
    entries = [e for e in income.entries if e.asset_id == asset_id]
    if not entries:
        raise AllocationError(
            f"no income recorded for {asset_id}", f"资产 {asset_id} 没有收益记录", record=asset_id, field="income"
        )
    period = period or entries[0].period
    claims = _deductions_for(income.deductions, asset_id, period)
    if asset.kind is AssetKind.PV_STATION and policy.pv_deductions and not claims:
        raise refusal(asset_id, "no_deduction_record", deductible=list(policy.pv_deductions))
    gross = income_in_period(entries, period, asset_id=asset_id)
    pool = distributable_income(
        gross,
        claims,
        deductible=policy.pv_deductions,
        om_cap=om_cap_for_period(asset.capacity_kw, policy, period),
    )
    state = register.state(asset_id, as_of=period.last)
    if state.ownership is None:
        raise AllocationError(
            f"{asset_id} has no confirmed owner on {period.last.isoformat()}",
            f"资产 {asset_id} 在 {period.last.isoformat()} 尚未确权",
            record=asset_id,
            field="ownership",
        )
    shares: dict[str, Fraction] = {str(h.holder): h.share for h in state.ownership.holders}
    # the operator (or, without a recorded contract, a custodian other than the owner)
    operator = state.operators[0] if state.operators else state.custodian
    if operator in shares:
        operator = None
    base = plan_base(policy)
    plans: dict[str, DistributionPlan] = {o: build(PlanContext(owner=o, operator=operator, base=base)) for o in shares}
    listed = [m for m in roster if asset_id in m.asset_ids]
    if not listed and any(pays_households(p) for p in plans.values()):
        raise refusal(asset_id, "no_roster", plan=next(iter(plans.values())).id)
    payees = {o: _payees(register, roster, asset_id, o, operator) for o in shares}
    allocations = run_owner_plans(
        pool,
        shares,
        plans,
        payees,
        as_of=period.last,
        period=period,
        prohibited_purposes=policy.prohibited_purposes,
        forbid_equal_cash=policy.forbid_equal_cash,
        priority_order=policy.priority_order,
        post_monthly_floor=policy.post_monthly_floor,
        post_monthly_ceiling=policy.post_monthly_ceiling,
        payable_unit=policy.payable_unit,
    )
    posted = posted_on or max(e.received for e in entries)
    first = next(iter(plans.values()))
    return IncomeNotice(
        asset_id=asset_id,
        asset_name=asset.name,
        plan=plan if isinstance(plan, str) else first.id,
        period=period,
        income=pool,
        allocations=allocations,
        posted_on=posted,
        closes_on=notice_closing_date(posted, NoticeRule.from_policy(policy), holidays=holidays),
        source=first.source,
    )


@attrs.frozen(kw_only=True)
class StoredAllocation:
    """An allocation computed from the store, and where its income came from.

    Attributes:
        notice: the distribution, ready to post.
        income_from_store: ``True`` when the revenue entries and the deductions claimed
            were read from the store (no income ledger supplied).
        roster_id: the stored roster snapshot the households were taken from, when no
            roster was supplied.
    """

    notice: IncomeNotice
    income_from_store: bool
    roster_id: str | None = None


def allocate_stored(
    uow: UnitOfWork,
    policy: Policy,
    *,
    asset_id: str,
    plan: str,
    roster: Sequence[RosterHousehold] = (),
    income: IncomeInputs | Callable[[AssetRegister], IncomeInputs] | None = None,
) -> StoredAllocation:
    """Distribute one stored asset's income under a plan preset (``assetreg allocate`` / ``notice``).

    Reads the register from ``uow`` (inside its scope) and, unless ``income`` is given, the
    asset's stored revenue entries and deduction records; without ``roster``, the stored
    roster snapshot covering the asset on the last day of its income period; then runs
    :func:`distribute_asset_income`. Nothing is written.

    Args:
        uow: the unit of work to read from (entered here).
        policy: the policy.
        asset_id: the asset.
        plan: a plan preset's name.
        roster: the beneficiary roster (default: the stored snapshot).
        income: revenue entries and deductions read elsewhere, or a function making them
            from the stored register (deduction records take their asset's area);
            ``None`` reads the stored entries.

    Raises:
        UnknownAsset, AllocationError, PlanRefused: as :func:`distribute_asset_income`.
        PersistenceError: the store cannot be read.
    """
    with uow:
        register = uow.load_register()
        if income is None:
            inputs = IncomeInputs(
                entries=tuple(uow.revenue.list(asset_id=asset_id)),
                deductions=tuple(uow.deductions.list(asset_id=asset_id)),
            )
        else:
            inputs = income(register) if callable(income) else income
        roster_id = None
        if not roster and inputs.entries:
            period = next(e.period for e in inputs.entries if e.asset_id == asset_id)
            location = register.history(asset_id).asset().location
            covering = [s for s in uow.rosters.list() if location.within(s.area) and s.known_on <= period.last]
            snapshot = max(covering, key=lambda s: (len(s.area.prefix), s.known_on, s.recorded_at, s.id), default=None)
            if snapshot is not None:
                roster, roster_id = snapshot.households, snapshot.id
    notice = distribute_asset_income(register, inputs, roster, policy, asset_id=asset_id, plan=plan)
    return StoredAllocation(notice=notice, income_from_store=income is None, roster_id=roster_id)
