"""Income and its distribution (收益与收益分配): revenue, distributable income, plans, allocation.

Pure functions over domain values (DESIGN §7 P6–P11, §8). Nothing here does I/O or
reads the clock. The modules, one concept each:

- :mod:`~assetreg.income.allocate`: sum-preserving largest-remainder splits in fen;
- :mod:`~assetreg.income.revenue`: revenue entries, lump-sum spreading, distributable income;
- :mod:`~assetreg.income.contracts`: what an operating contract should pay, shortfall;
- :mod:`~assetreg.income.beneficiaries`: payees and the yearly-reviewed roster;
- :mod:`~assetreg.income.plans`: distribution plans and running them;
- :mod:`~assetreg.income.results`: the allocation, its records and notice rows;
- :mod:`~assetreg.income.books`: the income books' stored records (DESIGN §12);
- :mod:`~assetreg.income.purpose`: what a distribution's money is for;
- :mod:`~assetreg.income.notice`: public notice periods;
- :mod:`~assetreg.income.presets`: published splits and tables with their sources.
"""

from assetreg.income.allocate import CappedAllocation, allocate, allocate_capped
from assetreg.income.beneficiaries import Beneficiary, BeneficiaryKind, Roster, RosterEntry, rank_post_candidates
from assetreg.income.books import (
    ApprovalLevel,
    BookRecord,
    ClaimedDeduction,
    Distribution,
    DistributionStatus,
    NoticeChannel,
    NoticeLevel,
    Objection,
    ObjectionOutcome,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PlanApproval,
    PlanVersion,
    PublicNotice,
    RosterHousehold,
    RosterSnapshot,
    as_known_at,
    mask_account,
    roster_history,
)
from assetreg.income.contracts import (
    ExpectedIncome,
    Instalment,
    Shortfall,
    expected_income,
    floor_and_share,
    instalments,
    shortfall,
)
from assetreg.income.equity import EquityHolderKind, EquityHolding, EquityRegister, equity_from_snapshots
from assetreg.income.notice import (
    DayUnit,
    NoticeCheck,
    NoticeRule,
    check_notice,
    notice_closing_date,
)
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
    describe_percent,
    run_owner_plans,
    run_plan,
    split_by_owners,
)
from assetreg.income.results import Allocation, AllocationLine, NoticeRow
from assetreg.income.revenue import (
    Deduction,
    DeductionKind,
    DistributableIncome,
    RevenueEntry,
    RevenueKind,
    distributable_income,
    income_in_period,
    om_cap_amount,
    spread_by_year,
)

__all__ = [
    "Allocation",
    "AllocationLine",
    "ApprovalLevel",
    "Base",
    "Beneficiary",
    "BeneficiaryKind",
    "BookRecord",
    "CappedAllocation",
    "ClaimedDeduction",
    "DayUnit",
    "Deduction",
    "DeductionKind",
    "DistributableIncome",
    "Distribution",
    "DistributionPlan",
    "DistributionStatus",
    "EquityHolderKind",
    "EquityHolding",
    "EquityRegister",
    "ExpectedIncome",
    "Fixed",
    "HouseholdTable",
    "Instalment",
    "NoticeChannel",
    "NoticeCheck",
    "NoticeLevel",
    "NoticeRow",
    "NoticeRule",
    "Objection",
    "ObjectionOutcome",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "PerHousehold",
    "PerPost",
    "Percent",
    "PlanApproval",
    "PlanVersion",
    "PublicNotice",
    "Purpose",
    "RevenueEntry",
    "RevenueKind",
    "Roster",
    "RosterEntry",
    "RosterHousehold",
    "RosterSnapshot",
    "Selector",
    "Shortfall",
    "SplitMethod",
    "TableRow",
    "Tier",
    "allocate",
    "allocate_capped",
    "as_known_at",
    "check_notice",
    "describe_percent",
    "distributable_income",
    "equity_from_snapshots",
    "expected_income",
    "floor_and_share",
    "income_in_period",
    "instalments",
    "mask_account",
    "notice_closing_date",
    "om_cap_amount",
    "rank_post_candidates",
    "roster_history",
    "run_owner_plans",
    "run_plan",
    "shortfall",
    "split_by_owners",
    "spread_by_year",
]
