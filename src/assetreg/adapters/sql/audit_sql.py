"""Audit checks run inside the database (审计下推), DESIGN §10, §11.

SQL text is assembled from constants of this module and the policy's enum values only;
every value that comes from data or the caller (dates, prefixes) is a bound parameter.

The most expensive checks of the catalogue also run as SQL over the adapter's tables,
so that a province's register is audited where it lives. The fold of each asset's
history that matters to these checks — status and since when, ownership confirmed,
custody in force, the last declared custody, disposal — is computed with window
functions over ``asset_event`` into a temporary table ``audit_facts``; each check is
then one ``SELECT … WHERE`` over it (joined with ``revenue_entry`` for income checks).
Rows come back as plain values and become :class:`~assetreg.audit.Finding` values
through the **same builders** the in-memory checks use, so both versions return
identical findings (a contract test holds them to it on SQLite and PostgreSQL).

Assets whose history holds a correction (更正) are folded in Python instead (their
histories are read through the repository and the in-memory checks run on them): a
correction may replace any earlier event, which plain SQL would have to re-fold.
Histories are assumed legal (as the adapter stores them); an illegal history is only
reported by the in-memory ``AUD-001``.

Pushed down: AUD-101, AUD-201, AUD-301, AUD-302, AUD-304, AUD-404, AUD-501, AUD-502,
AUD-601, AUD-602, AUD-604, AUD-605 (see :data:`PUSHDOWN_CODES`).
"""

# ruff: noqa: S608, PERF401 - SQL built from module constants; findings appended per query

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from assetreg.adapters.sql.rows import revenue_from_row, revenue_row
from assetreg.adapters.sql.tables import revenue_entry_table
from assetreg.adapters.sql.uow import SqlUnitOfWork
from assetreg.audit import AuditBooks, Finding, run_checks, sort_findings
from assetreg.audit.catalogue.income_checks import (
    household_revenue_finding,
    pv_no_income_finding,
    revenue_after_disposal_finding,
    revenue_unknown_asset,
)
from assetreg.audit.catalogue.register_checks import (
    class_by_kind_finding,
    custodian_missing_finding,
    funding_mismatch_finding,
    funding_missing_finding,
    ownership_missing_finding,
    pv_capacity_finding,
    stuck_finding,
)
from assetreg.audit.findings import SubjectKind
from assetreg.domain.assets import AssetId
from assetreg.domain.money import Money
from assetreg.domain.periods import Period, add_months
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetClass, AssetKind, AssetStatus
from assetreg.income.revenue import RevenueEntry

__all__ = ["PUSHDOWN_CODES", "run_checks_in_db", "store_revenue"]

PUSHDOWN_CODES: tuple[str, ...] = (
    "AUD-101",
    "AUD-201",
    "AUD-301",
    "AUD-302",
    "AUD-304",
    "AUD-404",
    "AUD-501",
    "AUD-502",
    "AUD-601",
    "AUD-602",
    "AUD-604",
    "AUD-605",
)
"""Checks that run as SQL inside the database."""

_HELD = ("in_use", "idle", "damaged")
_FOLD_ORDER = "effective DESC, reg_first DESC, recorded_at DESC, event_id DESC"


class _Sql:
    """Dialect helpers: JSON paths, casts, array length and sums (SQLite, PostgreSQL)."""

    def __init__(self, dialect: str) -> None:
        if dialect not in {"sqlite", "postgresql"}:
            raise NotImplementedError(f"audit pushdown supports SQLite and PostgreSQL, not {dialect}")
        self.pg = dialect == "postgresql"

    def text(self, col: str, *path: str) -> str:
        if self.pg:
            return f"({col} #>> '{{{','.join(path)}}}')"
        return f"json_extract({col}, '$.{'.'.join(path)}')"

    def date(self, col: str, *path: str) -> str:
        return f"({self.text(col, *path)})::date" if self.pg else self.text(col, *path)

    def bigint(self, col: str, *path: str) -> str:
        return f"({self.text(col, *path)})::bigint" if self.pg else self.text(col, *path)

    def array_length(self, col: str, *path: str) -> str:
        if self.pg:
            return f"COALESCE(jsonb_array_length({col} #> '{{{','.join(path)}}}'), 0)"
        return f"COALESCE(json_array_length({col}, '$.{'.'.join(path)}'), 0)"

    def array_sum(self, col: str, field: str, *path: str) -> str:
        if self.pg:
            return (
                f"(SELECT COALESCE(SUM((j.value ->> '{field}')::bigint), 0) "
                f"FROM jsonb_array_elements({col} #> '{{{','.join(path)}}}') AS j(value))"
            )
        return (
            f"(SELECT COALESCE(SUM(json_extract(j.value, '$.{field}')), 0) "
            f"FROM json_each({col}, '$.{'.'.join(path)}') AS j)"
        )


def _facts_sql(q: _Sql) -> str:
    """The per-asset facts on ``:as_of`` for assets without corrections."""
    status = (
        f"CASE kind WHEN 'asset_registered' THEN {q.text('payload', 'status')} "
        f"WHEN 'status_changed' THEN {q.text('payload', 'status')} "
        "WHEN 'handed_over' THEN 'handed_over' WHEN 'disposal_approved' THEN 'disposal_approved' "
        "WHEN 'disposed' THEN 'disposed' END"
    )
    return f"""
WITH ev AS (
  SELECT e.asset_id, e.kind, e.effective, e.recorded_at, e.event_id, e.payload,
         CASE WHEN e.kind = 'asset_registered' THEN 0 ELSE 1 END AS reg_first
  FROM asset_event e
  WHERE e.effective <= :as_of
    AND e.asset_id NOT IN (SELECT c.asset_id FROM asset_event c WHERE c.kind = 'corrected')
),
st AS (
  SELECT asset_id, effective, {status} AS status,
         ROW_NUMBER() OVER (PARTITION BY asset_id ORDER BY {_FOLD_ORDER}) AS rn
  FROM ev WHERE kind IN ('asset_registered', 'status_changed', 'handed_over', 'disposal_approved', 'disposed')
),
cu AS (
  SELECT asset_id, kind, {q.date("payload", "valid_to")} AS valid_to,
         ROW_NUMBER() OVER (PARTITION BY asset_id ORDER BY {_FOLD_ORDER}) AS rn
  FROM ev WHERE kind IN ('custodian_assigned', 'custody_ended', 'disposed')
),
decl AS (
  SELECT asset_id, {q.text("payload", "custodian")} AS custodian, {q.date("payload", "valid_to")} AS valid_to,
         ROW_NUMBER() OVER (PARTITION BY asset_id ORDER BY {_FOLD_ORDER}) AS rn
  FROM ev WHERE kind = 'custodian_assigned'
),
own AS (SELECT DISTINCT asset_id FROM ev WHERE kind = 'ownership_confirmed'),
dis AS (SELECT asset_id, MIN(effective) AS disposed_on FROM ev WHERE kind = 'disposed' GROUP BY asset_id),
reg AS (SELECT asset_id, payload FROM ev WHERE kind = 'asset_registered')
SELECT reg.asset_id AS asset_id,
       {q.text("reg.payload", "asset", "asset_class")} AS asset_class,
       {q.text("reg.payload", "asset", "kind")} AS kind,
       {q.text("reg.payload", "asset", "location")} AS location,
       {q.bigint("reg.payload", "asset", "original_value")} AS original_value,
       {q.text("reg.payload", "asset", "capacity_kw")} AS capacity_kw,
       {q.array_length("reg.payload", "asset", "funding")} AS funding_lines,
       {q.array_sum("reg.payload", "amount", "asset", "funding")} AS funding_total,
       st.status AS status, st.effective AS status_since,
       CASE WHEN cu.kind = 'custodian_assigned' AND (cu.valid_to IS NULL OR cu.valid_to > :as_of)
            THEN 1 ELSE 0 END AS custody_active,
       decl.custodian AS last_custodian, decl.valid_to AS last_custody_end,
       CASE WHEN own.asset_id IS NULL THEN 0 ELSE 1 END AS has_owner,
       dis.disposed_on AS disposed_on
FROM reg
JOIN st ON st.asset_id = reg.asset_id AND st.rn = 1
LEFT JOIN cu ON cu.asset_id = reg.asset_id AND cu.rn = 1
LEFT JOIN decl ON decl.asset_id = reg.asset_id AND decl.rn = 1
LEFT JOIN own ON own.asset_id = reg.asset_id
LEFT JOIN dis ON dis.asset_id = reg.asset_id
"""


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def store_revenue(connection: sa.Connection, entries: Iterable[RevenueEntry]) -> int:
    """Insert revenue entries into ``revenue_entry`` (bulk, unchecked; rows by ``revenue_row``).

    Unlike :meth:`~assetreg.adapters.sql.uow.SqlRevenueRepository.add` it does not check
    assets, scopes or duplicates: it is the audit pushdown's bulk loader.

    Returns:
        The number of rows written (in the connection's transaction; the caller commits).
    """
    rows = [revenue_row(e) for e in entries]
    if rows:
        connection.execute(revenue_entry_table.insert(), rows)
    return len(rows)


def run_checks_in_db(  # noqa: C901, PLR0912 - one query per pushed-down check
    engine: sa.Engine,
    *,
    as_of: date,
    policy: Policy,
    codes: Iterable[str] | None = None,
    prefix: str | None = None,
) -> tuple[Finding, ...]:
    """Run the pushed-down checks inside the database and return their findings, sorted.

    Args:
        engine: an engine on the adapter's tables (SQLite or PostgreSQL).
        as_of: the audit date.
        policy: the policy whose parameters the checks read.
        codes: run only checks whose code starts with one of these (all of
            :data:`PUSHDOWN_CODES` when ``None``).
        prefix: audit only assets inside this area-code prefix.

    Returns:
        The same findings as ``run_checks(books, checks=<the same codes>)`` over the
        register and revenue stored (revenue checks run when revenue rows exist).

    Raises:
        NotImplementedError: another database (MariaDB pushdown is not written yet).
    """
    wanted = tuple(codes) if codes is not None else None
    selected = [c for c in PUSHDOWN_CODES if wanted is None or c.startswith(wanted)]
    q = _Sql(engine.dialect.name)
    findings: list[Finding] = []
    params = {"as_of": as_of}
    held = ", ".join(f"'{s}'" for s in _HELD)
    like = f"{prefix}%" if prefix else "%"
    with engine.connect() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS audit_facts"))
        conn.execute(sa.text("CREATE TEMPORARY TABLE audit_facts AS " + _facts_sql(q)), params)
        has_revenue = conn.execute(sa.select(sa.func.count()).select_from(revenue_entry_table)).scalar_one() > 0

        def rows(where: str, columns: str = "*", extra: Mapping[str, Any] | None = None) -> Iterator[Any]:
            sql = f"SELECT {columns} FROM audit_facts WHERE location LIKE :like AND ({where}) ORDER BY asset_id"
            yield from conn.execute(sa.text(sql), {"like": like, **params, **(extra or {})}).mappings()

        if "AUD-101" in selected:
            for r in rows(
                f"asset_class IN ('public_welfare', 'operating') AND status IN ({held}) AND custody_active = 0"
            ):
                findings.append(
                    custodian_missing_finding(
                        r["asset_id"],
                        asset_class=AssetClass(r["asset_class"]),
                        status=AssetStatus(r["status"]),
                        last_custodian=r["last_custodian"],
                        last_custody_end=_day(r["last_custody_end"]),
                        area=r["location"],
                        as_of=as_of,
                    )
                )
        if "AUD-201" in selected:
            for r in rows(f"status IN ({held}) AND has_owner = 0"):
                findings.append(
                    ownership_missing_finding(
                        r["asset_id"],
                        status=AssetStatus(r["status"]),
                        asset_class=AssetClass(r["asset_class"]),
                        area=r["location"],
                        as_of=as_of,
                    )
                )
        if "AUD-301" in selected:
            for r in rows("funding_lines > 0 AND funding_total <> original_value"):
                findings.append(
                    funding_mismatch_finding(
                        r["asset_id"],
                        funding_total=Money(int(r["funding_total"])),
                        original_value=Money(int(r["original_value"])),
                        area=r["location"],
                    )
                )
        if "AUD-302" in selected:
            for r in rows("funding_lines = 0"):
                findings.append(
                    funding_missing_finding(
                        r["asset_id"], original_value=Money(int(r["original_value"])), area=r["location"]
                    )
                )
        if "AUD-304" in selected:
            pairs = sorted(policy.default_class_by_kind.items(), key=lambda kv: kv[0].value)
            if pairs:
                mismatch = " OR ".join(f"(kind = '{k.value}' AND asset_class <> '{c.value}')" for k, c in pairs)
                for r in rows(mismatch):
                    kind = AssetKind(r["kind"])
                    default = policy.default_class(kind)
                    assert default is not None  # noqa: S101 - the query selected it
                    findings.append(
                        class_by_kind_finding(
                            r["asset_id"],
                            kind=kind,
                            asset_class=AssetClass(r["asset_class"]),
                            default=default,
                            area=r["location"],
                        )
                    )
        if "AUD-404" in selected:
            zero = "CAST(capacity_kw AS NUMERIC) = 0" if q.pg else "CAST(capacity_kw AS REAL) = 0"
            for r in rows(f"kind = 'pv_station' AND (capacity_kw IS NULL OR {zero})"):
                capacity = None if r["capacity_kw"] is None else Decimal(str(r["capacity_kw"]))
                findings.append(pv_capacity_finding(r["asset_id"], capacity_kw=capacity, area=r["location"]))
        limit = policy.idle_limit_days
        for code, status in (("AUD-501", AssetStatus.IDLE), ("AUD-502", AssetStatus.DAMAGED)):
            if code not in selected:
                continue
            cutoff = as_of - timedelta(days=limit)
            for r in rows(
                "status = :status AND status_since < :cutoff", extra={"status": status.value, "cutoff": cutoff}
            ):
                since = _day(r["status_since"])
                assert since is not None  # noqa: S101 - status events have dates
                findings.append(
                    stuck_finding(
                        status, r["asset_id"], since=since, days=(as_of - since).days, limit=limit, area=r["location"]
                    )
                )
        if has_revenue:
            findings.extend(_revenue_checks(conn, selected, as_of=as_of, policy=policy, like=like, prefix=prefix))
        conn.execute(sa.text("DROP TABLE audit_facts"))
        conn.rollback()
    findings.extend(_corrected_assets(engine, selected, as_of=as_of, policy=policy, prefix=prefix))
    return sort_findings(findings)


def _revenue_checks(
    conn: sa.Connection, selected: list[str], *, as_of: date, policy: Policy, like: str, prefix: str | None
) -> Iterator[Finding]:
    base = (
        "SELECT r.entry_id, r.asset_id, r.amount_fen, r.period_start, r.period_end, r.received_on, "
        "f.location, f.asset_class, f.disposed_on FROM revenue_entry r "
        "LEFT JOIN audit_facts f ON f.asset_id = r.asset_id WHERE r.received_on <= :as_of "
    )
    params = {"as_of": as_of, "like": like}
    if "AUD-601" in selected:
        sql = base + "AND f.location LIKE :like AND f.disposed_on IS NOT NULL AND r.period_start >= f.disposed_on"
        for r in conn.execute(sa.text(sql), params).mappings():
            disposed = _day(r["disposed_on"])
            start, end = _day(r["period_start"]), _day(r["period_end"])
            assert disposed is not None  # noqa: S101
            assert start is not None  # noqa: S101
            assert end is not None  # noqa: S101
            yield revenue_after_disposal_finding(
                r["entry_id"],
                asset_id=r["asset_id"],
                amount=Money(int(r["amount_fen"])),
                period=Period(start, end),
                disposed_on=disposed,
                area=r["location"],
            )
    if "AUD-602" in selected and prefix is None:
        sql = base + (
            "AND f.asset_id IS NULL "
            "AND r.asset_id NOT IN (SELECT c.asset_id FROM asset_event c WHERE c.kind = 'corrected')"
        )
        for r in conn.execute(sa.text(sql), params).mappings():
            received = _day(r["received_on"])
            yield revenue_unknown_asset.finding(
                r["entry_id"],
                f"revenue {r['entry_id']} is booked to asset {r['asset_id']}, which is not in the register",
                f"收益 {r['entry_id']} 记入的资产 {r['asset_id']} 不在台账中",
                evidence={"asset_id": r["asset_id"], "amount": Money(int(r["amount_fen"])), "received": received},
                subject_kind=SubjectKind.REVENUE,
            )
    if "AUD-604" in selected:
        sql = base + "AND f.location LIKE :like AND f.asset_class = 'household'"
        for r in conn.execute(sa.text(sql), params).mappings():
            yield household_revenue_finding(
                r["entry_id"], asset_id=r["asset_id"], amount=Money(int(r["amount_fen"])), area=r["location"]
            )
    if "AUD-605" in selected:
        months = policy.pv_no_income_months
        window_start = add_months(as_of, -months)
        sql = (
            "SELECT f.asset_id, f.location, f.status_since, "
            "(SELECT MAX(r.received_on) FROM revenue_entry r "
            "WHERE r.asset_id = f.asset_id AND r.received_on <= :as_of) AS last "
            "FROM audit_facts f WHERE f.location LIKE :like AND f.kind = 'pv_station' AND f.status = 'in_use' "
            "AND f.status_since <= :window_start ORDER BY f.asset_id"
        )
        for r in conn.execute(sa.text(sql), {**params, "window_start": window_start}).mappings():
            last = _day(r["last"])
            if last is None or last <= window_start:
                since = _day(r["status_since"])
                assert since is not None  # noqa: S101
                yield pv_no_income_finding(
                    r["asset_id"], last=last, months=months, in_use_since=since, area=r["location"]
                )


def _corrected_assets(
    engine: sa.Engine, selected: list[str], *, as_of: date, policy: Policy, prefix: str | None
) -> list[Finding]:
    """Fold assets with corrections in Python and run the in-memory checks on them."""
    with engine.connect() as conn:
        ids = [
            AssetId(i)
            for i in conn.execute(
                sa.text("SELECT DISTINCT asset_id FROM asset_event WHERE kind = 'corrected' ORDER BY asset_id")
            ).scalars()
        ]
        revenue = []
        if ids:
            table = revenue_entry_table
            for r in conn.execute(sa.select(table).where(table.c.asset_id.in_(ids))).mappings():
                revenue.append(revenue_from_row(r))
    if not ids:
        return []
    with SqlUnitOfWork(engine) as uow:
        histories = {aid: uow.assets.get(aid) for aid in ids}
        parties = {p.id: p for p in uow.parties.all()}
    books = AuditBooks(register=AssetRegister(parties=parties, histories=histories), revenue=revenue or None)
    from assetreg.audit.catalogue import check_by_code  # noqa: PLC0415 - avoid a cycle at import

    checks = [check_by_code(c) for c in selected if c != "AUD-602"]
    return list(run_checks(books, as_of=as_of, policy=policy, checks=checks, prefix=prefix))
