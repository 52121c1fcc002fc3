"""The county map: one Dask task per county, each with its own scoped unit of work.

(See the package docstring.) Every task function here is module-level so that Dask can
send it to a worker by reference; it receives only picklable values (the store's URL, the
county code, the policy, dates) and returns values (findings, distributions, rows).
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import sqlalchemy as sa

from assetreg.adapters.sql import (
    SqlUnitOfWork,
    asset_table,
    create_engine_for,
    deduction_table,
    distribution_table,
    notice_table,
    payment_table,
    plan_table,
    revenue_entry_table,
    roster_table,
)
from assetreg.audit import CATALOGUE, AuditReport
from assetreg.audit.findings import sort_findings
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.valuation import AssetValues
from assetreg.services.auditing import audit_store
from assetreg.services.distributing import NoticePosting, PeriodRun, distribute_period
from assetreg.services.valuation import stored_values

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "PROVINCE_CHECKS",
    "SqlStore",
    "audit_counties",
    "distribute_counties",
    "merge_period_runs",
    "merge_reports",
    "stored_counties",
    "value_counties",
]

_T = TypeVar("_T")

COUNTY_DIGITS = 6  # a county (县级) code is the first 6 digits of an area code (GB/T 2260)


@functools.cache
def _engine(url: str) -> sa.Engine:
    """One engine per URL and worker process (its pool serves the worker's tasks)."""
    return create_engine_for(url)


@attrs.frozen
class SqlStore:
    """The address of a SQL store a Dask worker can open (picklable: only the URL travels).

    Attributes:
        url: the SQLAlchemy URL (``postgresql+psycopg://…``, ``mysql+pymysql://…``,
            ``sqlite:////abs/path.db``); every worker must reach it. An in-memory SQLite
            database cannot be shared with workers.
    """

    url: str

    def uow(self, scope: str | None = None) -> SqlUnitOfWork:
        """A new unit of work on the store, scoped to ``scope`` (a county code) when given."""
        return SqlUnitOfWork(_engine(self.url), scope=scope)


# Which table holds each part of the books audit_store reads (see BOOK_PARTS).
_PART_TABLES = {
    "revenue": revenue_entry_table,
    "deductions": deduction_table,
    "rosters": roster_table,
    "plans": plan_table,
    "distributions": distribution_table,
    "notices": notice_table,
    "payments": payment_table,
}


def _held_parts(store: SqlStore) -> frozenset[str]:
    """The parts of the books the store holds any record of (one ``EXISTS`` each)."""
    with _engine(store.url).connect() as conn:
        return frozenset(
            part
            for part, table in _PART_TABLES.items()
            if conn.execute(sa.select(sa.exists().select_from(table))).scalar()
        )


def stored_counties(store: SqlStore) -> tuple[str, ...]:
    """The 6-digit county codes (县级) the store holds assets or income-book records in, sorted.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the store cannot be read.
    """
    queries = [sa.select(sa.func.substr(asset_table.c.location_code, 1, COUNTY_DIGITS))]
    queries += [
        sa.select(sa.func.substr(t.c.area_code, 1, COUNTY_DIGITS))
        for t in (deduction_table, roster_table, plan_table, distribution_table, notice_table, payment_table)
    ]
    with _engine(store.url).connect() as conn:
        return tuple(sorted({row[0] for row in conn.execute(sa.union(*queries))}))


def _counties(store: SqlStore, counties: Iterable[str] | None) -> tuple[str, ...]:
    chosen = stored_counties(store) if counties is None else tuple(sorted(set(counties)))
    for code in chosen:
        if len(code) != COUNTY_DIGITS or not code.isdigit():
            msg = f"a county code has {COUNTY_DIGITS} digits, not {code!r}"
            raise ValueError(msg)
    return chosen


def _map(client: Client, task: Callable[..., _T], counties: Sequence[str], **kwargs: Any) -> list[_T]:
    """Run ``task(county, **kwargs)`` per county on the cluster; the results in county order."""
    futures = client.map(task, counties, pure=False, **kwargs)
    results: list[_T] = client.gather(futures)  # type: ignore[no-untyped-call]  # distributed's gather is untyped
    return results


# -- audit ---------------------------------------------------------------------------------


PROVINCE_CHECKS = ("AUD-905",)
"""Checks that compare records of different counties (a head's resident id on households of
two counties): they run in one task over the whole store, the others county by county."""


def _audit_county(
    county: str | None, *, store: SqlStore, as_of: date, policy: Policy, supplied: frozenset[str]
) -> AuditReport:
    """The county's audit without :data:`PROVINCE_CHECKS`; with ``None``, those checks alone, unscoped."""
    if county is None:
        chosen = tuple(c for c in CATALOGUE if c.code in PROVINCE_CHECKS)
    else:
        chosen = tuple(c for c in CATALOGUE if c.code not in PROVINCE_CHECKS)
    return audit_store(store.uow(county), as_of=as_of, policy=policy, supplied=supplied, checks=chosen)


def merge_reports(reports: Iterable[AuditReport]) -> AuditReport:
    """One report from the reports of disjoint scopes: every finding, sorted as a single run sorts.

    A check is reported as not run when it did not run in any of the scopes (each scope
    was given the same parts of the books, so they agree); duplicates are dropped.
    """
    reports = tuple(reports)
    findings = sort_findings(f for r in reports for f in r.findings)
    not_run = {n.code: n for r in reports for n in r.not_run}
    return AuditReport(findings=findings, not_run=tuple(not_run[c] for c in sorted(not_run)))


def audit_counties(
    client: Client,
    store: SqlStore,
    *,
    as_of: date,
    policy: Policy,
    counties: Iterable[str] | None = None,
) -> AuditReport:
    """Audit the store county by county on the cluster (``assetreg check`` over a province).

    Each task runs :func:`~assetreg.services.auditing.audit_store` in a unit of work scoped
    to its county, with the parts of the books the whole store holds marked supplied, so
    the merged report has the findings and skipped checks of one run over the whole store.
    The checks of :data:`PROVINCE_CHECKS`, which compare counties, run in one more task
    over the whole store (keeping, when ``counties`` is given, the findings inside them).

    Args:
        client: a Dask ``distributed.Client``.
        store: the store's address.
        as_of: the audit date.
        policy: the policy.
        counties: the 6-digit county codes to audit; ``None`` = :func:`stored_counties`.

    Returns:
        The merged report (:func:`merge_reports`).

    Raises:
        ValueError: a county code is not 6 digits.
        PayloadError, PersistenceError: a county's books cannot be read (raised from the
            task that read them).
    """
    chosen = _counties(store, counties)
    supplied = _held_parts(store)
    reports = _map(client, _audit_county, chosen, store=store, as_of=as_of, policy=policy, supplied=supplied)
    whole = client.submit(
        _audit_province, chosen, store=store, as_of=as_of, policy=policy, supplied=supplied, everything=counties is None
    )
    return merge_reports([*reports, whole.result()])


def _audit_province(
    counties: Sequence[str], *, store: SqlStore, as_of: date, policy: Policy, supplied: frozenset[str], everything: bool
) -> AuditReport:
    """The :data:`PROVINCE_CHECKS` over the whole store; findings of ``counties`` only unless ``everything``."""
    report = _audit_county(None, store=store, as_of=as_of, policy=policy, supplied=supplied)
    if everything:
        return report
    wanted = tuple(counties)
    kept = tuple(f for f in report.findings if f.area is not None and f.area.startswith(wanted))
    return attrs.evolve(report, findings=kept)


# -- distribution --------------------------------------------------------------------------


def _distribute_county(
    county: str,
    *,
    store: SqlStore,
    policy: Policy,
    period: Period,
    recorded_at: datetime,
    post: NoticePosting | None,
    dry_run: bool,
) -> PeriodRun:
    return distribute_period(
        store.uow(county), policy, period=period, recorded_at=recorded_at, area=county, post=post, dry_run=dry_run
    )


def merge_period_runs(runs: Sequence[PeriodRun], *, period: Period, dry_run: bool) -> PeriodRun:
    """One run from the runs of disjoint counties, ordered as a single run orders (by asset).

    Raises:
        ValueError: a run is of another period.
    """
    if any(r.period != period for r in runs):
        msg = f"every county run must be of the period {period}"
        raise ValueError(msg)
    # each run is in asset order (a distribution is of one asset, asset_ids[0]); a stable
    # merge keeps each asset's owners in the order its county's run gave them
    outcomes = heapq.merge(*(r.outcomes for r in runs), key=lambda o: o.distribution.asset_ids[0])
    refusals = heapq.merge(*(r.refusals for r in runs), key=lambda x: x.asset_id)
    notices = sorted((n for r in runs for n in r.notices), key=lambda n: n.id)
    return PeriodRun(
        period=period,
        area=None,
        outcomes=tuple(outcomes),
        refusals=tuple(refusals),
        notices=tuple(notices),
        stored=sum(r.stored for r in runs),
        dry_run=dry_run,
    )


def distribute_counties(
    client: Client,
    store: SqlStore,
    policy: Policy,
    *,
    period: Period,
    recorded_at: datetime,
    counties: Collection[str] | None = None,
    post: NoticePosting | None = None,
    dry_run: bool = False,
) -> PeriodRun:
    """Distribute a period's income county by county on the cluster (``assetreg distribute``).

    Each task runs :func:`~assetreg.services.distributing.distribute_period` with
    ``area=`` its county in its own unit of work scoped to the county, and commits it:
    a county's distributions are stored all or nothing, independently of the others'.

    Args:
        client: a Dask ``distributed.Client``.
        store: the store's address.
        policy: the policy.
        period: the income period (half-open).
        recorded_at: when the books learn the drafts (aware; the caller's clock).
        counties: the 6-digit county codes; ``None`` = :func:`stored_counties`.
        post: post the notices (as for ``distribute_period``).
        dry_run: compute and compare, write nothing.

    Returns:
        The merged run (:func:`merge_period_runs`): outcomes and refusals by asset.

    Raises:
        ValueError: a county code is not 6 digits.
        PersistenceError: a county's store failed (that county wrote nothing; counties
            already committed stay committed, and re-running is idempotent).
    """
    chosen = _counties(store, counties)
    runs = _map(
        client,
        _distribute_county,
        chosen,
        store=store,
        policy=policy,
        period=period,
        recorded_at=recorded_at,
        post=post,
        dry_run=dry_run,
    )
    return merge_period_runs(runs, period=period, dry_run=dry_run)


# -- values --------------------------------------------------------------------------------


def _value_county(
    county: str, *, store: SqlStore, as_of: date, policy: Policy, known_at: datetime | None
) -> tuple[AssetValues, ...]:
    return stored_values(store.uow(county), as_of=as_of, policy=policy, known_at=known_at)


def value_counties(
    client: Client,
    store: SqlStore,
    *,
    as_of: date,
    policy: Policy,
    known_at: datetime | None = None,
    counties: Iterable[str] | None = None,
) -> tuple[AssetValues, ...]:
    """The book values of every stored asset, county by county on the cluster (``assetreg values``).

    Args:
        client: a Dask ``distributed.Client``.
        store: the store's address.
        as_of: the date; values at its close.
        policy: the policy (rounding, lives, regime, residual rates).
        known_at: the recorded instant; ``None`` = everything recorded.
        counties: the 6-digit county codes; ``None`` = :func:`stored_counties`.

    Returns:
        One row per asset, in id order (as :func:`~assetreg.services.valuation.stored_values`).

    Raises:
        ValueError: a county code is not 6 digits.
        PayloadError, PersistenceError: a county's store cannot be read.
    """
    chosen = _counties(store, counties)
    parts = _map(client, _value_county, chosen, store=store, as_of=as_of, policy=policy, known_at=known_at)
    return tuple(sorted((row for part in parts for row in part), key=lambda row: row.asset_id))
