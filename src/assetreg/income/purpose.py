"""What a distribution's money is for (资金用途), P6.

:class:`Purpose` is named by every plan tier and by every line of the allocation it
produces, so that audit reads the same enum that the plan was written with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from assetreg.domain.vocab import Vocabulary

__all__ = ["Purpose"]


class Purpose(Vocabulary):
    """What a tier's money is for (资金用途), P6.

    Values match ``Policy.priority_order`` and ``Policy.prohibited_purposes``; an unknown
    value raises :class:`~assetreg.errors.InvalidChoice` listing every purpose.
    """

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _PURPOSE_ZH

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


_PURPOSE_ZH: Final[Mapping[Any, str]] = {
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
}
