"""Plans checked against their policy at entry (issue 11): P5 post preference, P6 priority order.

Rules: DESIGN §7 P5 (public-welfare posts prefer marginal and unstable households, [cfg])
and P6 (income goes first to upkeep, then consolidation, posts, small public works, work
rewards; order [cfg]), after the 2021 national guidance 《关于加强扶贫项目资产后续管理的指导意见》.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs
import pytest

from assetreg.domain.money import Money
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.vocab import HouseholdStatus, MonitorType, Purpose
from assetreg.errors import InvalidValue, PlanRefused
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, rank_post_candidates
from assetreg.income.plans import DistributionPlan, Percent, Selector, Tier, run_plan

DAY = date(2024, 12, 31)


def _household(hid: str, status: HouseholdStatus, monitor: MonitorType | None = None) -> Beneficiary:
    return Beneficiary(id=hid, kind=BeneficiaryKind.HOUSEHOLD, size=3, status=status, monitor_type=monitor)


def test_post_candidates_follow_the_policy_preference():
    people = [
        _household("H-4", HouseholdStatus.LIFTED),
        _household("H-3", HouseholdStatus.MONITORED, MonitorType.UNSTABLE),
        _household("H-2", HouseholdStatus.MONITORED, MonitorType.SUDDEN_HARDSHIP),
        _household("H-1", HouseholdStatus.MONITORED, MonitorType.MARGINAL),
        _household("H-0", HouseholdStatus.MONITORED, MonitorType.UNSTABLE),
    ]
    ranked = [b.id for b in rank_post_candidates(people, NATIONAL_2021)]
    assert ranked == ["H-1", "H-0", "H-3", "H-2", "H-4"]
    unstable_first = attrs.evolve(NATIONAL_2021, post_preference=(MonitorType.UNSTABLE,))
    assert [b.id for b in rank_post_candidates(people, unstable_first)] == ["H-0", "H-3", "H-1", "H-2", "H-4"]
    with pytest.raises(InvalidValue):
        rank_post_candidates([Beneficiary.collective("VC-A")], NATIONAL_2021)


def _plan(*purposes: Purpose) -> DistributionPlan:
    return DistributionPlan(
        id="p",
        name="p",
        tiers=tuple(
            Tier(name=p.value, amount=Percent(Fraction(1, 10)), recipients=Selector.named("VC-A"), purpose=p)
            for p in purposes
        ),
        remainder_to="VC-A",
    )


def test_tiers_out_of_the_p6_order_are_refused():
    payees = [Beneficiary.collective("VC-A")]
    ok = run_plan(
        _plan(Purpose.UPKEEP, Purpose.COLLECTIVE_ACCUMULATION, Purpose.PUBLIC_WELFARE_POSTS),
        Money.yuan("1000"),
        payees,
        as_of=DAY,
        priority_order=NATIONAL_2021.priority_order,
    )
    assert ok.total == Money.yuan("1000")
    with pytest.raises(PlanRefused) as info:
        run_plan(
            _plan(Purpose.WORK_REWARDS, Purpose.UPKEEP),
            Money.yuan("1000"),
            payees,
            as_of=DAY,
            priority_order=NATIONAL_2021.priority_order,
        )
    error = info.value
    assert error.details["reason"] == "priority_order"
    assert error.field == "upkeep"
    assert error.details["after"] == "work_rewards"
    assert "upkeep > consolidation > public_welfare_posts" in error.message_en
