"""Audit checks run inside the database (审计下推), DESIGN §10, §11.

SQL text is assembled from constants of this module and the policy's enum values only;
every value that comes from data or the caller (dates, prefixes) is a bound parameter.

The most expensive checks of the catalogue also run as SQL over the adapter's tables,
so that a province's register is audited where it lives. The fold of each asset's
history that matters to these checks — status and since when, ownership confirmed,
custody in force, the last declared custody, disposal — is computed into a temporary
table ``audit_facts`` (one row per asset, keyed by asset id, analysed on PostgreSQL) by
**one** scan of ``asset_event``: window ranks in fold order and a ``GROUP BY`` — no join,
self-join or correlated scan, so the work grows linearly with the events (plus the sorts).
Each check is then one ``SELECT … WHERE`` over it (joined with ``revenue_entry``, or with
its per-asset ``GROUP BY``, for income checks). SQLite, PostgreSQL and MariaDB/MySQL
(``JSON_VALUE``/``JSON_TABLE``, MariaDB ≥ 10.6) are supported.
Rows come back as plain values and become :class:`~assetreg.audit.Finding` values
through the **same builders** the in-memory checks use, so both versions return
identical findings (a contract test holds them to it on SQLite, PostgreSQL and MariaDB).

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
from assetreg.adapters.sql.scope import connection_write_scope, validate_prefix
from assetreg.adapters.sql.state import fingerprint, seal_key, update_seals
from assetreg.adapters.sql.tables import asset_table, revenue_entry_table
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
from assetreg.errors import UnknownAsset
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import check_scope, narrow_prefix, validate_scope

__all__ = ["PUSHDOWN_CODES", "like_prefix", "run_checks_in_db", "store_revenue"]

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
    """Dialect helpers: JSON paths, casts, array length and sums (SQLite, PostgreSQL, MariaDB)."""

    def __init__(self, dialect: str) -> None:
        if dialect not in {"sqlite", "postgresql", "mysql", "mariadb"}:
            raise NotImplementedError(f"audit pushdown supports SQLite, PostgreSQL and MariaDB/MySQL, not {dialect}")
        self.pg = dialect == "postgresql"
        self.my = dialect in {"mysql", "mariadb"}

    @property
    def drop_facts(self) -> str:
        """Drop the session's facts table, never a permanent table of the same name."""
        if self.pg:
            return "DROP TABLE IF EXISTS pg_temp.audit_facts"
        if self.my:
            return "DROP TEMPORARY TABLE IF EXISTS audit_facts"
        return "DROP TABLE IF EXISTS temp.audit_facts"

    @property
    def decimal(self) -> str:
        """The type a decimal text is cast to for comparisons."""
        return "NUMERIC" if self.pg else "DECIMAL(38, 10)" if self.my else "REAL"

    @staticmethod
    def _path(path: tuple[str, ...]) -> str:
        return "$." + ".".join(path)

    def text(self, col: str, *path: str) -> str:
        if self.pg:
            return f"({col} #>> '{{{','.join(path)}}}')"
        if self.my:
            return f"JSON_VALUE({col}, '{self._path(path)}')"
        return f"json_extract({col}, '{self._path(path)}')"

    def date(self, col: str, *path: str) -> str:
        if self.pg:
            return f"({self.text(col, *path)})::date"
        if self.my:
            return f"CAST({self.text(col, *path)} AS DATE)"
        return self.text(col, *path)

    def bigint(self, col: str, *path: str) -> str:
        if self.pg:
            return f"({self.text(col, *path)})::bigint"
        if self.my:
            return f"CAST({self.text(col, *path)} AS SIGNED)"
        return self.text(col, *path)

    def array_length(self, col: str, *path: str) -> str:
        if self.pg:
            return f"COALESCE(jsonb_array_length({col} #> '{{{','.join(path)}}}'), 0)"
        if self.my:
            return f"COALESCE(JSON_LENGTH({col}, '{self._path(path)}'), 0)"
        return f"COALESCE(json_array_length({col}, '{self._path(path)}'), 0)"

    def array_sum(self, col: str, field: str, *path: str) -> str:
        if self.pg:
            return (
                f"(SELECT COALESCE(SUM((j.value ->> '{field}')::bigint), 0) "
                f"FROM jsonb_array_elements({col} #> '{{{','.join(path)}}}') AS j(value))"
            )
        if self.my:
            return (
                f"(SELECT COALESCE(SUM(j.v), 0) FROM JSON_TABLE({col}, '{self._path(path)}[*]' "
                f"COLUMNS (v BIGINT PATH '$.{field}')) AS j)"
            )
        return (
            f"(SELECT COALESCE(SUM(json_extract(j.value, '$.{field}')), 0) "
            f"FROM json_each({col}, '{self._path(path)}') AS j)"
        )


_STATUS_KINDS = "('asset_registered', 'status_changed', 'handed_over', 'disposal_approved', 'disposed')"
_CUSTODY_KINDS = "('custodian_assigned', 'custody_ended', 'disposed')"


def _facts_sql(q: _Sql) -> str:
    """One row per asset with its facts on ``:as_of``: one scan, window ranks, one ``GROUP BY``.

    No join and no correlated scan of the event table: the inner query reads each event once
    (JSON fields only from registrations), one window in fold order (newest first) counts
    the status, custody and declared-custody events of each asset seen so far (one sort),
    and the aggregate keeps the values of the rows where a count is first 1. Assets with a
    correction anywhere in their history keep a row with ``corrected = 1`` (checks skip
    them; they are folded in Python), so that revenue of such an asset is not reported as booked to an unknown asset.
    Assets not yet registered on ``:as_of`` (and without a correction) have no row.
    """
    seen = "e.effective <= :as_of"
    status = (
        f"CASE e.kind WHEN 'asset_registered' THEN {q.text('e.payload', 'status')} "
        f"WHEN 'status_changed' THEN {q.text('e.payload', 'status')} "
        "WHEN 'handed_over' THEN 'handed_over' WHEN 'disposal_approved' THEN 'disposal_approved' "
        "WHEN 'disposed' THEN 'disposed' END"
    )
    reg = f"e.kind = 'asset_registered' AND {seen}"
    decl = f"e.kind = 'custodian_assigned' AND {seen}"

    # one window (one sort): the running count of each kind of fact in fold order is 1
    # exactly at the asset's newest event of that kind
    window = f"PARTITION BY asset_id ORDER BY {_FOLD_ORDER} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"

    def on_reg(expr: str) -> str:
        return f"CASE WHEN {reg} THEN {expr} END"

    return f"""
SELECT asset_id,
       MAX(is_corrected) AS corrected,
       MAX(is_reg) AS registered,
       MAX(asset_class) AS asset_class, MAX(kind_value) AS kind, MAX(location) AS location,
       MAX(original_value) AS original_value, MAX(capacity_kw) AS capacity_kw,
       MAX(funding_lines) AS funding_lines, MAX(funding_total) AS funding_total,
       MAX(CASE WHEN is_st = 1 AND n_st = 1 THEN status END) AS status,
       MAX(CASE WHEN is_st = 1 AND n_st = 1 THEN effective END) AS status_since,
       MAX(CASE WHEN is_cu = 1 AND n_cu = 1 AND ev_kind = 'custodian_assigned'
                 AND (valid_to IS NULL OR valid_to > :as_of) THEN 1 ELSE 0 END) AS custody_active,
       MAX(CASE WHEN is_decl = 1 AND n_decl = 1 THEN custodian END) AS last_custodian,
       MAX(CASE WHEN is_decl = 1 AND n_decl = 1 THEN valid_to END) AS last_custody_end,
       MAX(is_owned) AS has_owner,
       MIN(disposed_on) AS disposed_on
FROM (
  SELECT b.*,
         SUM(is_st) OVER ({window}) AS n_st,
         SUM(is_cu) OVER ({window}) AS n_cu,
         SUM(is_decl) OVER ({window}) AS n_decl
  FROM (
    SELECT e.asset_id, e.kind AS ev_kind, e.effective, e.recorded_at, e.event_id,
           CASE WHEN e.kind = 'asset_registered' THEN 0 ELSE 1 END AS reg_first,
           CASE WHEN e.kind = 'corrected' THEN 1 ELSE 0 END AS is_corrected,
           CASE WHEN {reg} THEN 1 ELSE 0 END AS is_reg,
           CASE WHEN {seen} AND e.kind IN {_STATUS_KINDS} THEN 1 ELSE 0 END AS is_st,
           CASE WHEN {seen} AND e.kind IN {_CUSTODY_KINDS} THEN 1 ELSE 0 END AS is_cu,
           CASE WHEN {decl} THEN 1 ELSE 0 END AS is_decl,
           CASE WHEN e.kind = 'ownership_confirmed' AND {seen} THEN 1 ELSE 0 END AS is_owned,
           CASE WHEN e.kind = 'disposed' AND {seen} THEN e.effective END AS disposed_on,
           CASE WHEN {seen} AND e.kind IN {_STATUS_KINDS} THEN {status} END AS status,
           CASE WHEN {seen} AND e.kind IN {_CUSTODY_KINDS} THEN {q.date("e.payload", "valid_to")} END AS valid_to,
           CASE WHEN {decl} THEN {q.text("e.payload", "custodian")} END AS custodian,
           {on_reg(q.text("e.payload", "asset", "asset_class"))} AS asset_class,
           {on_reg(q.text("e.payload", "asset", "kind"))} AS kind_value,
           {on_reg(q.text("e.payload", "asset", "location"))} AS location,
           {on_reg(q.bigint("e.payload", "asset", "original_value"))} AS original_value,
           {on_reg(q.text("e.payload", "asset", "capacity_kw"))} AS capacity_kw,
           {on_reg(q.array_length("e.payload", "asset", "funding"))} AS funding_lines,
           {on_reg(q.array_sum("e.payload", "amount", "asset", "funding"))} AS funding_total
    FROM asset_event e
  ) b
) r
GROUP BY asset_id
HAVING MAX(is_reg) = 1 OR MAX(is_corrected) = 1
"""


_IN_AREA = "location LIKE :like ESCAPE '!'"
_CORRECTED_IDS = "SELECT asset_id FROM audit_facts WHERE corrected = 1 AND " + _IN_AREA + " ORDER BY asset_id"
_IN_CHUNK = 500


def like_prefix(prefix: str | None) -> str:
    """A ``LIKE … ESCAPE '!'`` pattern matching codes that start with ``prefix`` literally.

    ``%``, ``_`` and ``!`` in the prefix match only themselves (``"6204_"`` is not a
    wildcard); ``None`` or ``""`` matches every code.
    """
    text = prefix or ""
    for char in "!%_":
        text = text.replace(char, "!" + char)
    return text + "%"


def _build_facts(conn: sa.Connection, q: _Sql, as_of: date) -> None:
    """Create the session's temporary ``audit_facts`` table (keyed by asset, analysed)."""
    conn.execute(sa.text(q.drop_facts))
    conn.execute(sa.text("CREATE TEMPORARY TABLE audit_facts AS " + _facts_sql(q)), {"as_of": as_of})
    if q.my:
        conn.execute(sa.text("ALTER TABLE audit_facts ADD PRIMARY KEY (asset_id)"))
    else:
        conn.execute(sa.text("CREATE UNIQUE INDEX ix_audit_facts_asset_id ON audit_facts (asset_id)"))
    if q.pg:
        conn.execute(sa.text("ANALYZE audit_facts"))  # autovacuum never analyses temporary tables


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def store_revenue(connection: sa.Connection, entries: Iterable[RevenueEntry]) -> int:
    """Insert revenue entries into ``revenue_entry`` (bulk, unchecked; rows by ``revenue_row``).

    Unlike :meth:`~assetreg.adapters.sql.uow.SqlRevenueRepository.add` it does not check
    duplicates: it is the audit pushdown's bulk loader. On the connection of a unit of
    work bound to a scope, every entry's asset must be stored inside the scope. The
    entries join the revenue seals of their assets' counties (``state_seal``).

    Returns:
        The number of rows written (in the connection's transaction; the caller commits).

    Raises:
        ScopeViolation: a scoped connection and an entry's asset outside the scope.
        UnknownAsset: a scoped connection and an entry's asset not stored.
    """
    items = list(entries)
    locations = _locations(connection, items)
    scope = connection_write_scope(connection)
    if scope is not None:
        _check_revenue_scope(scope, items, locations)
    rows = [revenue_row(e) for e in items]
    if rows:
        connection.execute(revenue_entry_table.insert(), rows)
        update_seals(
            connection,
            ((seal_key("revenue_entry", locations.get(e.asset_id)), None, fingerprint(e)) for e in items),
        )
    return len(rows)


def _locations(connection: sa.Connection, entries: list[RevenueEntry]) -> dict[str, str]:
    ids = sorted({e.asset_id for e in entries})
    locations: dict[str, str] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        query = sa.select(asset_table.c.asset_id, asset_table.c.location_code).where(asset_table.c.asset_id.in_(chunk))
        locations.update({r.asset_id: r.location_code for r in connection.execute(query)})
    return locations


def _check_revenue_scope(scope: str, entries: list[RevenueEntry], locations: dict[str, str]) -> None:
    for entry in entries:
        location = locations.get(entry.asset_id)
        if location is None:
            raise UnknownAsset(
                f"revenue entry {entry.id} is booked to asset {entry.asset_id}, which is not stored",
                f"收益记录 {entry.id} 记入的资产 {entry.asset_id} 未入库",
                record=entry.id,
                field="asset_id",
                actual=entry.asset_id,
            )
        check_scope(scope, location, entry.asset_id)


def run_checks_in_db(  # noqa: C901, PLR0912 - one query per pushed-down check
    engine: sa.Engine,
    *,
    as_of: date,
    policy: Policy,
    codes: Iterable[str] | None = None,
    prefix: str | None = None,
    scope: str | None = None,
) -> tuple[Finding, ...]:
    """Run the pushed-down checks inside the database and return their findings, sorted.

    Args:
        engine: an engine on the adapter's tables (SQLite, PostgreSQL or MariaDB/MySQL).
        as_of: the audit date.
        policy: the policy whose parameters the checks read.
        codes: run only checks whose code starts with one of these (all of
            :data:`PUSHDOWN_CODES` when ``None``).
        prefix: audit only assets inside this area-code prefix (digits only, matched
            literally).
        scope: the caller's scope (a unit of work's ``scope``): nothing outside it is
            read; ``prefix`` must lie inside it (or contain it, then the scope is used).

    Returns:
        The same findings as ``run_checks(books, checks=<the same codes>)`` over the
        register and revenue stored (revenue checks run when revenue rows exist).

    Raises:
        NotImplementedError: another database.
        InvalidCode: ``prefix`` is not 1-12 digits.
        ScopeViolation: ``scope`` is malformed or ``prefix`` lies outside it.
    """
    scope = validate_scope(scope)
    prefix = narrow_prefix(validate_prefix(prefix), scope)
    wanted = tuple(codes) if codes is not None else None
    selected = [c for c in PUSHDOWN_CODES if wanted is None or c.startswith(wanted)]
    q = _Sql(engine.dialect.name)
    findings: list[Finding] = []
    params: dict[str, Any] = {"as_of": as_of, "like": like_prefix(prefix)}
    held = ", ".join(f"'{s}'" for s in _HELD)
    with engine.connect() as conn:
        _build_facts(conn, q, as_of)
        has_revenue = conn.execute(sa.select(sa.func.count()).select_from(revenue_entry_table)).scalar_one() > 0

        def rows(where: str, extra: Mapping[str, Any] | None = None) -> Iterator[Any]:
            sql = f"SELECT * FROM audit_facts WHERE corrected = 0 AND {_IN_AREA} AND ({where}) ORDER BY asset_id"
            yield from conn.execute(sa.text(sql), {**params, **(extra or {})}).mappings()

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
            zero = f"CAST(capacity_kw AS {q.decimal}) = 0"
            for r in rows(f"kind = 'pv_station' AND (capacity_kw IS NULL OR {zero})"):
                capacity = None if r["capacity_kw"] is None else Decimal(str(r["capacity_kw"]))
                findings.append(
                    pv_capacity_finding(
                        r["asset_id"], capacity_kw=capacity, area=r["location"], om_cap=policy.om_cap_per_watt_year
                    )
                )
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
            findings.extend(_revenue_checks(conn, selected, as_of=as_of, policy=policy, params=params, prefix=prefix))
        corrected = [AssetId(i) for i in conn.execute(sa.text(_CORRECTED_IDS), params).scalars()]
        conn.execute(sa.text(q.drop_facts))
        conn.rollback()
    findings.extend(
        _corrected_assets(engine, corrected, selected, as_of=as_of, policy=policy, prefix=prefix, scope=scope)
    )
    return sort_findings(findings)


def _revenue_checks(  # noqa: C901 - one query per pushed-down income check
    conn: sa.Connection, selected: list[str], *, as_of: date, policy: Policy, params: dict[str, Any], prefix: str | None
) -> Iterator[Finding]:
    base = (
        "SELECT r.entry_id, r.asset_id, r.amount_fen, r.period_start, r.period_end, r.received_on, "
        "f.location, f.asset_class, f.disposed_on FROM revenue_entry r "
        "LEFT JOIN audit_facts f ON f.asset_id = r.asset_id WHERE r.received_on <= :as_of "
    )
    in_area = _IN_AREA.replace("location", "f.location")
    if "AUD-601" in selected:
        sql = (
            base
            + f"AND f.corrected = 0 AND {in_area} AND f.disposed_on IS NOT NULL AND r.period_start >= f.disposed_on"
        )
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
    if "AUD-602" in selected:
        sql = base + "AND f.asset_id IS NULL"  # an asset with a correction has a row (corrected = 1)
        if prefix:  # as in memory: revenue of a stored asset of the area, not registered on as_of
            sql += " AND r.asset_id IN (SELECT a.asset_id FROM asset a WHERE a.location_code LIKE :like ESCAPE '!')"
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
        sql = base + f"AND f.corrected = 0 AND {in_area} AND f.asset_class = 'household'"
        for r in conn.execute(sa.text(sql), params).mappings():
            yield household_revenue_finding(
                r["entry_id"], asset_id=r["asset_id"], amount=Money(int(r["amount_fen"])), area=r["location"]
            )
    if "AUD-605" in selected:
        months = policy.pv_no_income_months
        window_start = add_months(as_of, -months)
        sql = (
            "SELECT f.asset_id, f.location, f.status_since, r.last FROM audit_facts f "
            "LEFT JOIN (SELECT asset_id, MAX(received_on) AS last FROM revenue_entry "
            "WHERE received_on <= :as_of GROUP BY asset_id) r ON r.asset_id = f.asset_id "
            f"WHERE f.corrected = 0 AND {in_area} AND f.kind = 'pv_station' AND f.status = 'in_use' "
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
    engine: sa.Engine,
    ids: list[AssetId],
    selected: list[str],
    *,
    as_of: date,
    policy: Policy,
    prefix: str | None,
    scope: str | None,
) -> list[Finding]:
    """Fold assets with corrections in Python and run the in-memory checks on them."""
    if not ids:
        return []
    revenue = []
    with engine.connect() as conn:
        table = revenue_entry_table
        for chunk in range(0, len(ids), _IN_CHUNK):
            part = ids[chunk : chunk + _IN_CHUNK]
            for r in conn.execute(sa.select(table).where(table.c.asset_id.in_(part))).mappings():
                revenue.append(revenue_from_row(r))
    with SqlUnitOfWork(engine, scope=scope) as uow:
        histories = {aid: uow.assets.get(aid) for aid in ids}
        parties = {p.id: p for p in uow.parties.all()}
    books = AuditBooks(register=AssetRegister(parties=parties, histories=histories), revenue=revenue or None)
    from assetreg.audit.catalogue import check_by_code  # noqa: PLC0415 - avoid a cycle at import

    checks = [check_by_code(c) for c in selected if c != "AUD-602"]
    return list(run_checks(books, as_of=as_of, policy=policy, checks=checks, prefix=prefix))
