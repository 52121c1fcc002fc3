"""Allocation jobs (收益分配作业): one asset's income for one period, under a named plan.

This is what ``assetreg allocate`` / ``assetreg notice`` and the demo run: take the
register, the income ledger and the beneficiary roster, compute the distributable income
of an asset for a period (P9: deductions the policy names, O&M capped per W per year),
split it among the owners by their shares on the last day of the period, run each
owner's plan, and return a :class:`IncomeNotice` — the public-notice table (公示表)
reconciled to the fen, with its notice period (P7).

Plan presets (each cites its source in :mod:`assetreg.income.presets`):

==================  ===========================================================
name                plan
==================  ===========================================================
``pv-45-55``        after upkeep 45 % collective / 55 % households by days worked
``pv-80-gross``     ≥ 80 % of gross to posts and public-work labour
``pv-60-net``       ≥ 60 % of net to public-welfare posts
``pv-80-20``        80 % posts and labour / 20 % collective economy
``coop-55-30-15``   55 % household development fund / 30 % village / 15 % cooperative
``posts-500-12``    public-welfare posts at 500 元 a month for 12 months
``saga-2022-tiers`` per-household tiers of the 萨嘎县 2022 notice
==================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction

import attrs

from assetreg.adapters.ledger.records import IncomeLedger, Roster
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import DistributionBase, Policy
from assetreg.domain.register import AssetRegister
from assetreg.errors import AllocationError
from assetreg.income import (
    Allocation,
    Base,
    Beneficiary,
    BeneficiaryKind,
    DistributableIncome,
    NoticeRule,
    distributable_income,
    income_in_period,
    notice_closing_date,
    om_cap_amount,
    run_owner_plans,
)
from assetreg.income.plans import DistributionPlan
from assetreg.income.presets import (
    cooperative_55_30_15,
    monthly_posts,
    per_household_tiers,
    pv_collective_45_households_55,
    pv_posts_60_of_net,
    pv_posts_80_collective_20,
    pv_posts_80_of_gross,
)
from assetreg.income.revenue import DeductionKind

__all__ = ["PLAN_PRESETS", "IncomeNotice", "allocate_asset_income"]


@attrs.frozen(kw_only=True)
class _Context:
    owner: str
    operator: str | None
    base: Base


def _coop(ctx: _Context) -> DistributionPlan:
    return cooperative_55_30_15(f"{ctx.owner}/development-fund", ctx.owner, ctx.operator or ctx.owner)


PLAN_PRESETS: Mapping[str, Callable[[_Context], DistributionPlan]] = {
    "pv-45-55": lambda c: pv_collective_45_households_55(c.owner, base=c.base),
    "pv-80-gross": lambda c: pv_posts_80_of_gross(c.owner),
    "pv-60-net": lambda c: pv_posts_60_of_net(c.owner),
    "pv-80-20": lambda c: pv_posts_80_collective_20(c.owner, base=c.base),
    "coop-55-30-15": _coop,
    "posts-500-12": lambda c: monthly_posts(c.owner),
    "saga-2022-tiers": lambda c: per_household_tiers(remainder_to=c.owner),
}
"""Plan presets by name; each builds the plan for one owner."""


@attrs.frozen(kw_only=True)
class IncomeNotice:
    """One asset's income for one period, distributed and ready to post (公示).

    Attributes:
        asset_id: the asset.
        asset_name: its name.
        plan: the plan preset's name.
        period: the income period (half-open).
        income: gross income, deductions made and refused, and the pool.
        allocations: one allocation per owner.
        posted_on: the day the notice is posted.
        closes_on: the last day of the notice period (P7, inclusive counting).
        source: where the plan comes from.
    """

    asset_id: str
    asset_name: str
    plan: str
    period: Period
    income: DistributableIncome
    allocations: tuple[Allocation, ...]
    posted_on: date
    closes_on: date
    source: str

    @property
    def total(self) -> Money:
        """Sum of every line of every owner's allocation."""
        return Money(sum(line.amount.fen for a in self.allocations for line in a.lines))

    @property
    def reconciles(self) -> bool:
        """Whether the lines add up to the distributable income exactly (to the fen)."""
        return self.total == self.income.net

    def rows(self) -> list[dict[str, object]]:
        """The notice rows as plain values: 序号, 对象, 类型 (Chinese), 金额(元), 依据, plus ids."""
        out: list[dict[str, object]] = []
        for allocation in self.allocations:
            for row in allocation.notice_rows():
                record = row.as_record()
                record["类型"] = BeneficiaryKind(row.kind).label_zh
                out.append(
                    {
                        "序号": len(out) + 1,
                        "资产编号": self.asset_id,
                        "产权主体": allocation.owner_id,
                        **record,
                    }
                )
        return out


def _payees(
    register: AssetRegister, roster: Roster, asset_id: str, owner: str, operator: str | None
) -> list[Beneficiary]:
    party = register.parties.get(owner)  # type: ignore[call-overload]
    payees = [Beneficiary.collective(owner, party.name if party is not None else owner)]
    payees.append(Beneficiary.reserve(f"{owner}/development-fund", "贫困户生产发展资金"))
    if operator is not None and operator != owner:
        op = register.parties.get(operator)  # type: ignore[call-overload]
        payees.append(Beneficiary.party(operator, op.name if op is not None else operator))
    members = roster.for_asset(asset_id)
    payees.extend(Beneficiary.from_household(m.household, days_worked=m.days_worked, posts=m.posts) for m in members)
    return payees


def allocate_asset_income(
    register: AssetRegister,
    income: IncomeLedger,
    roster: Roster,
    policy: Policy,
    *,
    asset_id: str,
    plan: str,
    period: Period | None = None,
    posted_on: date | None = None,
    holidays: frozenset[date] = frozenset(),
) -> IncomeNotice:
    """Distribute one asset's income for one period under a plan preset.

    Args:
        register: the register (owners are read on the period's last day).
        income: the income ledger (revenue entries and claimed deductions).
        roster: the beneficiary roster; households listed for ``asset_id`` are payees.
        policy: the policy (deductions, O&M cap, base, rounding, prohibited purposes, notice).
        asset_id: the asset.
        plan: a name from :data:`PLAN_PRESETS`.
        period: the income period; by default the period of the asset's first entry.
        posted_on: the day the notice is posted; by default the day the income arrived.
        holidays: public holidays, for notices counted in working days.

    Returns:
        The :class:`IncomeNotice`, reconciled to the fen.

    Raises:
        UnknownAsset: no such asset.
        AllocationError: unknown plan, no income recorded, or no owner confirmed.
        PlanRefused: the plan is refused (P6, P11, DESIGN §8).
    """
    history = register.history(asset_id)
    asset = history.asset()
    if plan not in PLAN_PRESETS:
        raise AllocationError(
            f"unknown plan {plan!r}",
            f"未知的分配方案 {plan!r}",
            field="plan",
            actual=plan,
            expected=sorted(PLAN_PRESETS),
        )
    entries = income.for_asset(asset_id)
    if not entries:
        raise AllocationError(
            f"no income recorded for {asset_id}", f"资产 {asset_id} 没有收益记录", record=asset_id, field="income"
        )
    period = period or entries[0].period
    gross = income_in_period(entries, period, asset_id=asset_id)
    capacity_w = int((asset.capacity_kw or 0) * 1000)
    years = Fraction(period.days, 365) if period.days not in {365, 366} else Fraction(1)
    cap = (
        om_cap_amount(capacity_w, policy.om_cap_per_watt_year, years=years, mode=policy.rounding)
        if policy.om_cap_per_watt_year is not None and capacity_w
        else None
    )
    pool = distributable_income(
        gross,
        income.deductions_for(asset_id, period),
        deductible=[DeductionKind(d) for d in policy.pv_deductions],
        om_cap=cap,
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
    base = Base.GROSS if policy.distribution_base is DistributionBase.GROSS else Base.NET
    build = PLAN_PRESETS[plan]
    plans: dict[str, DistributionPlan] = {o: build(_Context(owner=o, operator=operator, base=base)) for o in shares}
    payees: dict[str, list[Beneficiary]] = {o: _payees(register, roster, asset_id, o, operator) for o in shares}
    allocations = run_owner_plans(
        pool,
        shares,
        plans,
        payees,
        as_of=period.last,
        period=period,
        prohibited_purposes=policy.prohibited_purposes,
        forbid_equal_cash=policy.forbid_equal_cash,
    )
    posted = posted_on or max(e.received for e in entries)
    return IncomeNotice(
        asset_id=asset_id,
        asset_name=asset.name,
        plan=plan,
        period=period,
        income=pool,
        allocations=allocations,
        posted_on=posted,
        closes_on=notice_closing_date(posted, NoticeRule.from_policy(policy), holidays=holidays),
        source=next(iter(plans.values())).source,
    )
