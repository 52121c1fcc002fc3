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
* **parties, revenue entries and the income books** are sealed per kind and county
  (:mod:`assetreg.audit.seal`, table ``state_seal``, maintained at every commit and bulk
  load): each seal is recomputed from the stored rows and compared, and each party row's
  ``county_code`` must be its area's first 6 digits.

Problems are :class:`StateProblem` values; :func:`state_findings` turns them into
``AUD-991`` findings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from assetreg.adapters.sql.book_rows import BOOK_CODECS, BookCodec
from assetreg.adapters.sql.errors import translate_errors
from assetreg.adapters.sql.rows import asset_row, event_from_row, party_from_row, revenue_from_row
from assetreg.adapters.sql.scope import connection_scope
from assetreg.adapters.sql.tables import (
    asset_event_table,
    asset_table,
    party_table,
    revenue_entry_table,
    state_seal_table,
)
from assetreg.audit.chain import canonical_record
from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.audit.seal import MultisetHash, party_fingerprint
from assetreg.domain.events import AssetRegistered, Corrected
from assetreg.domain.history import AssetHistory
from assetreg.errors import AssetRegError, ScopeViolation
from assetreg.ports import validate_scope

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from sqlalchemy.engine import Connection, Engine

    from assetreg.domain.events import AssetEvent

__all__ = [
    "StateProblem",
    "fingerprint",
    "seal_key",
    "seal_stored_records",
    "state_findings",
    "update_seals",
    "verify_state",
]

_STREAM = 2_000
_COUNTY_DIGITS = 6
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


def seal_key(kind: str, area: str | None) -> str:
    """The seal a record of ``kind`` (``"party"``, a book table, ``"revenue_entry"``) at ``area`` joins."""
    return f"{kind}:{area[:6] if area else 'none'}"


def fingerprint(record: Any) -> bytes:
    """The canonical form of a stored record that its seal covers."""
    try:
        return canonical_record(record)
    except TypeError:  # a value with no canonical form: its repr, stable for equal records
        return repr(record).encode("utf-8")


def update_seals(conn: Connection, changes: Iterable[tuple[str, bytes | None, bytes | None]]) -> None:
    """Apply record changes to their seals, in this transaction.

    Args:
        conn: the writing transaction's connection.
        changes: ``(seal key, removed fingerprint or None, added fingerprint or None)``.

    The seal rows are locked in one pass in sorted order (``SELECT … FOR UPDATE``),
    updated, and inserted where there was none.
    """
    by_key: dict[str, list[tuple[bytes | None, bytes | None]]] = defaultdict(list)
    for key, removed, added in changes:
        by_key[key].append((removed, added))
    if not by_key:
        return
    st = state_seal_table.c
    keys = sorted(by_key)
    stored = {
        r.seal: MultisetHash.from_hex(r.state, r.records)
        for r in conn.execute(
            sa.select(st.seal, st.records, st.state).where(st.seal.in_(keys)).order_by(st.seal).with_for_update()
        )
    }
    for key in keys:
        seal = stored.get(key, MultisetHash())
        for removed, added in by_key[key]:
            if removed is not None:
                seal.remove(removed)
            if added is not None:
                seal.add(added)
        values = {"records": seal.count, "state": seal.hex()}
        if key in stored:
            conn.execute(sa.update(state_seal_table).where(st.seal == key).values(values))
        else:
            conn.execute(sa.insert(state_seal_table), [{"seal": key, **values}])


def _book_records(conn: Connection, codec: BookCodec[Any], where: list[Any]) -> Iterator[tuple[str, Any]]:
    """``(record_id, record or None when unreadable)`` of one kind of the income books."""
    mains = [dict(r) for r in conn.execute(sa.select(codec.table).where(*where)).mappings()]
    children: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for child, position in codec.children:
        for row in conn.execute(sa.select(child).order_by(child.c.record_id, child.c[position])).mappings():
            children[row["record_id"]][child.name].append(dict(row))
    for main in mains:
        try:
            yield main["record_id"], codec.from_rows(main, children[main["record_id"]])
        except AssetRegError:
            yield main["record_id"], None


def _recomputed(conn: Connection, scope: str | None) -> tuple[dict[str, MultisetHash], list[StateProblem]]:
    """Every seal recomputed from the stored rows (inside ``scope``), with the unreadable rows."""
    seals: dict[str, MultisetHash] = defaultdict(MultisetHash)
    problems: list[StateProblem] = []
    pt = party_table.c
    for row in conn.execute(sa.select(party_table).where(*_within(pt.admin_code, scope))).mappings():
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
            party = party_from_row(row)
        except AssetRegError as exc:
            problems.append(
                StateProblem(table="party", record=row["party_id"], field="row", expected="a party", actual=exc.code)
            )
            seals[seal_key("party", county)].add(repr(dict(row)).encode())
            continue
        seals[seal_key("party", county)].add(party_fingerprint(party))
    for codec in BOOK_CODECS:
        name = codec.table.name
        for record_id, record in _book_records(conn, codec, _within(codec.table.c.area_code, scope)):
            if record is None:
                problems.append(
                    StateProblem(table=name, record=record_id, field="row", expected="a record", actual="unreadable")
                )
                seals[seal_key(name, None)].add(record_id.encode())
                continue
            seals[seal_key(name, record.area.value)].add(fingerprint(record))
    at, rt = asset_table.c, revenue_entry_table.c
    query = sa.select(revenue_entry_table, at.location_code).select_from(
        revenue_entry_table.outerjoin(asset_table, at.asset_id == rt.asset_id)
    )
    if scope is not None:
        query = query.where(*_within(at.location_code, scope))
    for row in conn.execute(query).mappings():
        try:
            entry = revenue_from_row(row)
        except AssetRegError:
            problems.append(
                StateProblem(
                    table="revenue_entry", record=row["entry_id"], field="row", expected="an entry", actual="unreadable"
                )
            )
            continue
        seals[seal_key("revenue_entry", row["location_code"])].add(fingerprint(entry))
    return dict(seals), problems


def _within(column: Any, scope: str | None) -> list[Any]:
    return [column.startswith(scope, autoescape=True)] if scope else []


def seal_stored_records(conn: Connection) -> int:
    """Seal every stored party, revenue entry and income-books record afresh; return how many.

    For migration 0006, and to re-seal after a deliberate repair. Not for normal use: it
    makes the seals agree with whatever the rows hold now.
    """
    conn.execute(sa.delete(state_seal_table))
    seals, _ = _recomputed(conn, None)
    for key in sorted(seals):
        conn.execute(
            sa.insert(state_seal_table), [{"seal": key, "records": seals[key].count, "state": seals[key].hex()}]
        )
    return sum(seal.count for seal in seals.values())


def _seals(conn: Connection, scope: str | None) -> list[StateProblem]:
    found, problems = _recomputed(conn, scope)
    st = state_seal_table.c
    query = sa.select(st.seal, st.records, st.state)
    stored = {
        r.seal: MultisetHash.from_hex(r.state, r.records)
        for r in conn.execute(query)
        if scope is None or r.seal.split(":")[-1].startswith(scope)
    }
    for key in sorted(set(found) | set(stored)):
        got, kept = found.get(key, MultisetHash()), stored.get(key, MultisetHash())
        if got != kept:
            kind, _, county = key.partition(":")
            problems.append(
                StateProblem(
                    table=kind,
                    record=county,
                    field="seal",
                    expected=f"{kept.count} records sealed as {kept.digest()[:16]}…",
                    actual=f"{got.count} records hashing to {got.digest()[:16]}…",
                )
            )
    return problems


def verify_state(engine: Engine | Connection, *, scope: str | None = None) -> list[StateProblem]:
    """Check every stored fact beyond the event payloads (see the module) and list the problems.

    Args:
        engine: an engine or a connection (read in one transaction); a scoped unit of
            work's connection checks only inside its scope.
        scope: check only inside this area-code prefix (a province, prefecture or
            county: a seal covers a whole county).

    Returns:
        The problems, assets first (by asset id), then parties; empty when all agree.

    Raises:
        ScopeViolation: a malformed scope, or one narrower than a county.
        PersistenceError: a database error (e.g. a schema older than revision 0006).
    """
    if isinstance(engine, sa.Connection):
        scope = scope if scope is not None else connection_scope(engine)
    scope = validate_scope(scope)
    if scope is not None and len(scope) > _COUNTY_DIGITS:
        raise ScopeViolation(
            f"a seal covers a whole county: the scope {scope} is narrower than a county and cannot verify one",
            f"封印覆盖整个县：授权范围 {scope} 小于一个县，不能校验",
            field="scope",
            expected=f"at most {_COUNTY_DIGITS} digits",
            actual=scope,
        )
    with translate_errors("verify the stored state"):
        if isinstance(engine, sa.Connection):
            return _assets(engine, scope) + _seals(engine, scope)
        with engine.connect() as conn:
            if engine.dialect.name != "sqlite":
                conn.execution_options(isolation_level="REPEATABLE READ")
            return _assets(conn, scope) + _seals(conn, scope)


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
