"""Verification of the whole stored state (存储状态校验), beyond the event chains.

:func:`~assetreg.adapters.sql.verify_chains` proves the event payloads, in chain order, are
those appended. Readers rely on more than the payloads; :func:`verify_state` checks the
rest, so that a row changed with raw SQL is reported:

* **current-state asset rows** (``asset``: version, location — which drives scopes —,
  county, class, kind, original value, registration date, last recorded instant) are
  re-derived from the stored events and compared column by column;
* **the per-asset sequence**: an asset's events, in ``sequence`` order, must stand in
  increasing chain positions (swapping two events' sequences reorders the history the
  adapter reads, though no hash changes);
* **the events' area columns**: each event's ``area_code`` must be a location the asset
  held at or after that event, its ``county_code`` and ``chain_county`` the area's first 6
  digits;
* **parties** are sealed per county (:mod:`assetreg.audit.seal`, table ``party_seal``,
  maintained at every commit and bulk load): the seal is recomputed from the stored rows
  and compared, and each row's ``county_code`` must be its area's first 6 digits.

Problems are :class:`StateProblem` values; :func:`state_findings` turns them into
``AUD-991`` findings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from assetreg.adapters.sql.errors import translate_errors
from assetreg.adapters.sql.rows import asset_row, event_from_row, party_from_row
from assetreg.adapters.sql.scope import connection_scope
from assetreg.adapters.sql.tables import asset_event_table, asset_table, party_seal_table, party_table
from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.audit.seal import MultisetHash, party_fingerprint
from assetreg.domain.events import AssetRegistered, Corrected
from assetreg.domain.history import AssetHistory
from assetreg.errors import AssetRegError
from assetreg.ports import validate_scope

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sqlalchemy.engine import Connection, Engine

    from assetreg.domain.events import AssetEvent

__all__ = ["StateProblem", "seal_stored_parties", "state_findings", "update_seals", "verify_state"]

_STREAM = 2_000
_COMPARED = (
    "version",
    "location_code",
    "county_code",
    "asset_class",
    "kind",
    "original_value_fen",
    "registered_on",
    "last_recorded_at",
)
_EVENT_COLUMNS = tuple(
    asset_event_table.c[name]
    for name in (
        "asset_id",
        "sequence",
        "event_id",
        "kind",
        "effective",
        "recorded_at",
        "supersedes",
        "payload",
        "area_code",
        "county_code",
        "chain_county",
        "chain_position",
    )
)


@attrs.frozen(kw_only=True)
class StateProblem:
    """One stored fact that disagrees with what the logs and seals say.

    Attributes:
        table: ``"asset"``, ``"asset_event"`` or ``"party"``.
        record: the asset, event, party or county concerned.
        field: the column (or ``"seal"``, ``"sequence"``, ``"row"``).
        expected: what the events or the seal imply (text).
        actual: what is stored (text).
    """

    table: str
    record: str
    field: str
    expected: str
    actual: str

    def describe(self, lang: str = "en") -> str:
        """A one-line description in ``lang`` (``"en"`` or ``"zh"``)."""
        if lang == "zh":
            return f"{self.table} 表 {self.record} 的 {self.field} 与记录不符：应为 {self.expected}，实为 {self.actual}"
        return f"{self.table} {self.record}: {self.field} is {self.actual}, the records say {self.expected}"


def _text(value: Any) -> str:
    return "none" if value is None else str(value)


def _locations(events: list[AssetEvent]) -> list[str | None]:
    """For each event, the location the asset has once it is applied (last registration so far)."""
    out: list[str | None] = []
    current: str | None = None
    for event in events:
        registration = event.replacement if isinstance(event, Corrected) else event
        if isinstance(registration, AssetRegistered):
            current = registration.asset.location.value
        out.append(current)
    return out


def _check_asset(  # noqa: C901 - one branch per stored fact compared
    asset_id: str, rows: list[Mapping[str, Any]], stored: Mapping[str, Any] | None
) -> list[StateProblem]:
    problems: list[StateProblem] = []
    if stored is None:
        return [StateProblem(table="asset", record=asset_id, field="row", expected="a row", actual="none")]
    sequences = [r["sequence"] for r in rows]
    if sequences != list(range(1, len(rows) + 1)):
        problems.append(
            StateProblem(
                table="asset_event",
                record=asset_id,
                field="sequence",
                expected=f"1..{len(rows)}",
                actual=",".join(map(str, sequences)),
            )
        )
    positions = [(r["chain_county"], r["chain_position"]) for r in rows]
    for (c1, p1), (c2, p2), row in zip(positions, positions[1:], rows[1:], strict=False):
        if c1 == c2 and p1 is not None and p2 is not None and p2 <= p1:
            problems.append(
                StateProblem(
                    table="asset_event",
                    record=row["event_id"],
                    field="sequence",
                    expected=f"after chain position {p1}",
                    actual=f"chain position {p2} at sequence {row['sequence']}",
                )
            )
    try:
        events = [event_from_row(r, trusted=False) for r in rows]
        derived = asset_row(AssetHistory.of(events))
    except AssetRegError as exc:  # a history the domain refuses: the chain names edited events
        return [
            *problems,
            StateProblem(
                table="asset_event", record=asset_id, field="history", expected="a valid history", actual=exc.code
            ),
        ]
    for name in _COMPARED:
        if derived[name] != stored[name]:
            problems.append(  # noqa: PERF401 - one problem per column, named
                StateProblem(
                    table="asset",
                    record=asset_id,
                    field=name,
                    expected=_text(derived[name]),
                    actual=_text(stored[name]),
                )
            )
    held = _locations(events)
    for i, row in enumerate(rows):
        later = {loc for loc in held[i:] if loc is not None}
        area = row["area_code"]
        if area not in later:
            problems.append(
                StateProblem(
                    table="asset_event",
                    record=row["event_id"],
                    field="area_code",
                    expected=" or ".join(sorted(later)),
                    actual=_text(area),
                )
            )
        for name in ("county_code", "chain_county"):
            if area is not None and row[name] != area[:6]:
                problems.append(  # noqa: PERF401 - one problem per column, named
                    StateProblem(
                        table="asset_event",
                        record=row["event_id"],
                        field=name,
                        expected=area[:6],
                        actual=_text(row[name]),
                    )
                )
    return problems


def _assets(conn: Connection, scope: str | None) -> list[StateProblem]:
    at, ev = asset_table.c, asset_event_table.c
    where = [at.location_code.startswith(scope, autoescape=True)] if scope else []
    stored = {r["asset_id"]: dict(r) for r in conn.execute(sa.select(asset_table).where(*where)).mappings()}
    query = sa.select(*_EVENT_COLUMNS).order_by(ev.asset_id, ev.sequence)
    if scope:
        query = query.where(ev.asset_id.in_(sa.select(at.asset_id).where(*where)))
    problems: list[StateProblem] = []
    seen: set[str] = set()
    current: str | None = None
    rows: list[Mapping[str, Any]] = []
    result = conn.execute(query, execution_options={"yield_per": _STREAM})
    try:
        for row in result.mappings():
            if row["asset_id"] != current:
                if current is not None:
                    problems.extend(_check_asset(current, rows, stored.get(current)))
                    seen.add(current)
                current, rows = row["asset_id"], []
            rows.append(dict(row))
    finally:
        result.close()
    if current is not None:
        problems.extend(_check_asset(current, rows, stored.get(current)))
        seen.add(current)
    problems.extend(
        StateProblem(table="asset", record=aid, field="row", expected="events of the asset", actual="no events")
        for aid in sorted(set(stored) - seen)
    )
    return problems


def update_seals(conn: Connection, changes: Iterable[tuple[str, bytes | None, bytes | None]]) -> None:
    """Apply party changes to the seals of their counties, in this transaction.

    Args:
        conn: the writing transaction's connection.
        changes: ``(county, removed fingerprint or None, added fingerprint or None)``.

    The seal rows are locked in one pass in sorted county order (``SELECT … FOR
    UPDATE``), updated, and inserted for a county that had none.
    """
    by_county: dict[str, list[tuple[bytes | None, bytes | None]]] = defaultdict(list)
    for county, removed, added in changes:
        by_county[county].append((removed, added))
    if not by_county:
        return
    st = party_seal_table.c
    counties = sorted(by_county)
    stored = {
        r.county: MultisetHash.from_hex(r.state, r.parties)
        for r in conn.execute(
            sa.select(st.county, st.parties, st.state)
            .where(st.county.in_(counties))
            .order_by(st.county)
            .with_for_update()
        )
    }
    for county in counties:
        seal = stored.get(county, MultisetHash())
        for removed, added in by_county[county]:
            if removed is not None:
                seal.remove(removed)
            if added is not None:
                seal.add(added)
        values = {"parties": seal.count, "state": seal.hex()}
        if county in stored:
            conn.execute(sa.update(party_seal_table).where(st.county == county).values(values))
        else:
            conn.execute(sa.insert(party_seal_table), [{"county": county, **values}])


def seal_stored_parties(conn: Connection) -> int:
    """Seal every stored party afresh (migration 0005); return how many were sealed.

    Not for normal use: it makes the seals agree with whatever the rows hold now.
    """
    conn.execute(sa.delete(party_seal_table))
    changes = [
        (str(r["admin_code"])[:6], None, party_fingerprint(party_from_row(r)))
        for r in conn.execute(sa.select(party_table)).mappings()
    ]
    update_seals(conn, changes)
    return len(changes)


def _parties(conn: Connection, scope: str | None) -> list[StateProblem]:
    pt, st = party_table.c, party_seal_table.c
    where = [pt.admin_code.startswith(scope, autoescape=True)] if scope else []
    problems: list[StateProblem] = []
    seals: dict[str, MultisetHash] = defaultdict(MultisetHash)
    for row in conn.execute(sa.select(party_table).where(*where)).mappings():
        county = str(row["admin_code"])[:6]
        if row["county_code"] != county:
            problems.append(
                StateProblem(
                    table="party",
                    record=row["party_id"],
                    field="county_code",
                    expected=county,
                    actual=_text(row["county_code"]),
                )
            )
        try:
            seals[county].add(party_fingerprint(party_from_row(row)))
        except AssetRegError as exc:
            problems.append(
                StateProblem(table="party", record=row["party_id"], field="row", expected="a party", actual=exc.code)
            )
            seals[county].add(repr(dict(row)).encode())
    seal_where = [st.county.startswith(scope[:6], autoescape=True)] if scope else []
    stored = {
        r.county: MultisetHash.from_hex(r.state, r.parties)
        for r in conn.execute(sa.select(st.county, st.parties, st.state).where(*seal_where))
    }
    for county in sorted(set(seals) | set(stored)):
        found, kept = seals.get(county, MultisetHash()), stored.get(county, MultisetHash())
        if found != kept:
            problems.append(
                StateProblem(
                    table="party",
                    record=county,
                    field="seal",
                    expected=f"{kept.count} parties sealed as {kept.digest()[:16]}…",
                    actual=f"{found.count} parties hashing to {found.digest()[:16]}…",
                )
            )
    return problems


def verify_state(engine: Engine | Connection, *, scope: str | None = None) -> list[StateProblem]:
    """Check every stored fact beyond the event payloads (see the module) and list the problems.

    Args:
        engine: an engine or a connection (read in one transaction); a scoped unit of
            work's connection checks only inside its scope.
        scope: check only assets and parties inside this area-code prefix (at least a
            county: a party seal covers a whole county).

    Returns:
        The problems, assets first (by asset id), then parties; empty when all agree.

    Raises:
        ScopeViolation: a malformed scope.
        PersistenceError: a database error (e.g. a schema older than revision 0005).
    """
    if isinstance(engine, sa.Connection):
        scope = scope if scope is not None else connection_scope(engine)
    scope = validate_scope(scope)
    with translate_errors("verify the stored state"):
        if isinstance(engine, sa.Connection):
            return _assets(engine, scope) + _parties(engine, scope)
        with engine.connect() as conn:
            if engine.dialect.name != "sqlite":
                conn.execution_options(isolation_level="REPEATABLE READ")
            return _assets(conn, scope) + _parties(conn, scope)


def state_findings(problems: Iterable[StateProblem]) -> tuple[Finding, ...]:
    """The problems as audit findings (code ``AUD-991``, error)."""
    return tuple(
        Finding(
            code="AUD-991",
            severity=Severity.ERROR,
            subject=p.record,
            subject_kind=SubjectKind.ASSET if p.table.startswith("asset") else SubjectKind.CHECK,
            message_en=f"stored state: {p.describe('en')}",
            message_zh=f"存储状态：{p.describe('zh')}",
            rule="§4",
            evidence={"table": p.table, "field": p.field, "expected": p.expected, "actual": p.actual},
        )
        for p in problems
    )
