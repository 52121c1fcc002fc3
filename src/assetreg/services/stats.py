"""Use cases of statistics (统计): the published summary tables, from the store.

:func:`stored_stats` reads what a table needs from a unit of work — the register, the
revenue entries (``uow.revenue``), the distributions (``uow.distributions``) or the book
values (:func:`~assetreg.services.valuation.stored_values`) — and builds the exact table
with :mod:`assetreg.stats`; ``assetreg stats`` prints what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import attrs

from assetreg.domain.codes import AdminLevel
from assetreg.domain.policy import Policy
from assetreg.domain.vocab import FundingSource, Vocabulary
from assetreg.errors import InvalidValue
from assetreg.ports import UnitOfWork
from assetreg.services.valuation import stored_values
from assetreg.stats import (
    AssetDimension,
    IncomeDimension,
    IncomeSeries,
    IndustryShare,
    StatTable,
    StatusByClass,
    asset_table,
    distribution_table,
    income_series,
    income_table,
    industry_share,
    status_by_class,
    value_table,
)

__all__ = ["StatSubject", "StoredStats", "stored_income_series", "stored_stats", "stored_status_by_class"]


class StatSubject(Vocabulary):
    """What a summary counts (统计对象)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return {
            StatSubject.ASSETS: "资产",
            StatSubject.VALUES: "资产价值",
            StatSubject.INCOME: "收益",
            StatSubject.DISTRIBUTIONS: "收益分配",
        }

    ASSETS = "assets"
    """Number of assets and original value (:func:`~assetreg.stats.asset_table`)."""
    VALUES = "values"
    """Book values (:func:`~assetreg.stats.value_table`)."""
    INCOME = "income"
    """Income received (:func:`~assetreg.stats.income_table`)."""
    DISTRIBUTIONS = "distributions"
    """Distributions (:func:`~assetreg.stats.distribution_table`)."""


@attrs.frozen(kw_only=True)
class StoredStats:
    """A summary of the stored books.

    Attributes:
        table: the exact table.
        industry: for asset tables, the share of funds in industry projects (original
            values) and of the linkage fund (衔接资金) alone; empty otherwise.
    """

    table: StatTable
    industry: tuple[IndustryShare, ...] = ()


def _need_policy(policy: Policy | None) -> Policy:
    if policy is None:
        raise InvalidValue(
            "book values need a policy (rounding, lives, regime)",
            "计算账面价值需要政策参数（舍入、折旧年限、会计制度）",
            field="policy",
        )
    return policy


def stored_stats(
    uow: UnitOfWork,
    of: StatSubject | str,
    by: str,
    *,
    as_of: date,
    known_at: datetime | None = None,
    prefix: str | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
    policy: Policy | None = None,
) -> StoredStats:
    """One summary table of the stored books (``assetreg stats``).

    Args:
        uow: the unit of work to read from (entered here; nothing is written).
        of: assets, values, income or distributions.
        by: the dimension: for assets and values one of
            :class:`~assetreg.stats.AssetDimension`, for income and distributions one of
            :class:`~assetreg.stats.IncomeDimension`.
        as_of: assets and values: the date; income: received by then; distributions:
            judged by then.
        known_at: the register and the distributions as known at this instant (``None``
            = everything recorded). Revenue entries are never changed and carry no
            recording instant, so income is not filtered by it.
        prefix: only records inside this area-code prefix.
        level: the area level for ``by=area``.
        policy: for values, the policy (rounding, lives, regime).

    Raises:
        InvalidChoice: ``of`` or ``by`` is not a known choice.
        InvalidValue: values without a policy, or values by fund source.
        PayloadError, PersistenceError: the store cannot be read.
        InvalidPeriod: ``known_at`` is naive.
    """
    subject = StatSubject.parse(of, field="of")
    if subject is StatSubject.VALUES:
        rows = stored_values(uow, as_of=as_of, policy=_need_policy(policy), known_at=known_at, prefix=prefix)
        with uow:
            register = uow.load_register(prefix)
        return StoredStats(table=value_table(register, rows, by, as_of=as_of, known_at=known_at, level=level))
    with uow:
        register = uow.load_register(prefix)
        if subject is StatSubject.ASSETS:
            dimension = AssetDimension.parse(by, field="by")
            shares = (
                industry_share(register, as_of=as_of, known_at=known_at),
                industry_share(register, as_of=as_of, known_at=known_at, source=FundingSource.LINKAGE_FUND),
            )
            table = asset_table(register, dimension, as_of=as_of, known_at=known_at, level=level)
            return StoredStats(table=table, industry=shares)
        if subject is StatSubject.INCOME:
            entries = uow.revenue.list(prefix=prefix)
            return StoredStats(table=income_table(register, entries, by, as_of=as_of, level=level))
        records = uow.distributions.list(prefix=prefix, known_at=known_at, current=False)
    return StoredStats(table=distribution_table(records, by, as_of=as_of, known_at=known_at, level=level))


def stored_income_series(
    uow: UnitOfWork,
    by: IncomeDimension | str = IncomeDimension.CLASS,
    *,
    as_of: date | None = None,
    prefix: str | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> IncomeSeries:
    """Stored income per year and class, area or kind (for ``assetreg plot income``).

    Raises:
        InvalidChoice: ``by`` is not class, area or kind.
        PayloadError, PersistenceError: the store cannot be read.
    """
    with uow:
        register = uow.load_register(prefix)
        entries = uow.revenue.list(prefix=prefix)
    return income_series(register, entries, by, as_of=as_of, level=level)


def stored_status_by_class(
    uow: UnitOfWork, *, as_of: date, known_at: datetime | None = None, prefix: str | None = None
) -> StatusByClass:
    """Stored assets by status and class on ``as_of`` (for ``assetreg plot status``).

    Raises:
        PayloadError, PersistenceError: the store cannot be read.
        InvalidPeriod: ``known_at`` is naive.
    """
    with uow:
        register = uow.load_register(prefix)
    return status_by_class(register, as_of=as_of, known_at=known_at)
