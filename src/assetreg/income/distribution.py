"""One asset's income for one period, distributed (收益分配): inputs and the notice-ready result.

The values a distribution is computed from and what it yields, independent of where they
were read (a ledger file, the database) or how they are shown:

* :class:`ClaimedDeduction` — an expense claimed against an asset's income for a period
  (运维费, 土地租金, 税费 …; P9);
* :class:`IncomeInputs` — the revenue entries and claimed deductions a distribution reads;
* :class:`RosterHousehold` — a household on the beneficiary roster (受益农户名单), with its
  days of public labour, posts held and the assets whose income it shares;
* :class:`IncomeNotice` — the distribution of one asset's income for one period, one
  :class:`~assetreg.income.results.Allocation` per owner, ready to post (公示表), with its
  notice period (P7) and its reconciliation to the fen;
* :func:`om_cap_for_period` — the O&M cap of a PV station for a period under a policy.

The use case that computes an :class:`IncomeNotice` is
:func:`assetreg.services.income.distribute_asset_income`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs

from assetreg.domain.money import Money
from assetreg.domain.parties import Household
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.results import Allocation
from assetreg.income.revenue import Deduction, DistributableIncome, RevenueEntry, om_cap_amount

__all__ = ["ClaimedDeduction", "IncomeInputs", "IncomeNotice", "RosterHousehold", "om_cap_for_period"]

_W_PER_KW = 1000
_FULL_YEAR_DAYS = frozenset({365, 366})


@attrs.frozen(kw_only=True)
class ClaimedDeduction:
    """An expense claimed against an asset's income for a period (扣除项, P9).

    Attributes:
        asset_id: the asset whose income bears the expense.
        period: the period the expense covers (half-open ``[start, end)``).
        deduction: its kind and amount (fen); whether it may be deducted, and up to what
            cap, is decided when the income is distributed.
    """

    asset_id: str
    period: Period
    deduction: Deduction


@attrs.frozen(kw_only=True)
class IncomeInputs:
    """The income facts a distribution reads: revenue entries and claimed deductions.

    Attributes:
        entries: revenue entries (收益记录); only the asset's own are used.
        deductions: deductions claimed (扣除项); only the asset's own, for periods inside
            the income period, are used.
    """

    entries: tuple[RevenueEntry, ...] = ()
    deductions: tuple[ClaimedDeduction, ...] = ()


@attrs.frozen(kw_only=True)
class RosterHousehold:
    """A household on the beneficiary roster (受益农户), with its work and the assets it shares.

    Attributes:
        household: the domain household (status, monitoring type, labour capacity, size).
        days_worked: days of public-welfare labour in the period (公益劳动天数), ``>= 0``.
        posts: public-welfare posts held (公益性岗位数), ``>= 0``.
        assets: ids of the assets whose income it may share (受益资产).
    """

    household: Household
    days_worked: int = 0
    posts: int = 0
    assets: tuple[str, ...] = ()

    def shares(self, asset_id: str) -> bool:
        """Whether the household is listed for ``asset_id``'s income."""
        return asset_id in self.assets


def om_cap_for_period(capacity_kw: Decimal | None, policy: Policy, period: Period) -> Money | None:
    """The O&M cap of a PV station for ``period`` (运维费上限, P9), or ``None`` when none applies.

    The cap is the policy's rate per W per year × the capacity in W × the period in years:
    a full calendar year (365 or 366 days) counts as one year, any other period as its
    days / 365. 186 kW at 0.03 元/W for a year is 5,580.00 元.

    Args:
        capacity_kw: installed capacity in kW (``Asset.capacity_kw``); ``None`` or 0 means
            no cap (not a PV station, or capacity unknown).
        policy: ``om_cap_per_watt_year`` (fen per W per year, ``None`` for no cap) and
            ``rounding``.
        period: the income period.
    """
    if policy.om_cap_per_watt_year is None or not capacity_kw:
        return None
    capacity_w = int(capacity_kw * _W_PER_KW)
    years = Fraction(1) if period.days in _FULL_YEAR_DAYS else Fraction(period.days, 365)
    return om_cap_amount(capacity_w, policy.om_cap_per_watt_year, years=years, mode=policy.rounding)


@attrs.frozen(kw_only=True)
class IncomeNotice:
    """One asset's income for one period, distributed and ready to post (公示).

    Attributes:
        asset_id: the asset.
        asset_name: its name.
        plan: the plan preset's name.
        period: the income period (half-open).
        income: gross income, deductions made and refused, and the pool (fen).
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
