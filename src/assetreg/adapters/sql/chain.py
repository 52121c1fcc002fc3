"""The county hash chains in the database (数据库中的防篡改哈希链), DESIGN §4.

Every event row carries its link of :mod:`assetreg.audit.chain`: the county chain it
belongs to (``chain_county``, the first 6 digits of the asset's location), its 1-based
position there (``chain_position``) and the link hash (``chain_hash``). The table
``chain_head`` holds the last link of each chain.

Writing (:func:`lock_heads`, :func:`move_head`), in the transaction that inserts the
events, at its commit (:meth:`~assetreg.adapters.sql.uow.SqlUnitOfWork.commit`):

1. the head rows of every county the transaction touched are read with one
   ``SELECT … ORDER BY county FOR UPDATE`` (PostgreSQL, MariaDB: a second writer in the
   same county waits until the first commits, then reads the new head; locks taken in
   sorted order cannot deadlock; SQLite has one writer at a time anyway);
2. the links are computed in Python from the head;
3. the head is moved with ``UPDATE … WHERE county = ? AND position = old`` (or
   inserted for a new county); no row moved, or a duplicate key, is a
   :class:`~assetreg.errors.ConcurrencyError` (retry the unit of work).

The unique index on ``(chain_county, chain_position)`` makes a forked chain impossible
even for writers that bypass the head.

Reading (:func:`verify_chains`): each county's rows are read in position order, decoded
with the SQL codec and walked once, streaming; only a county whose walk finds a break
is read again in full and explained by :func:`assetreg.audit.chain.verify` (positions
and kinds). The head row is the anchor: links past it are *inserted*, a chain ending
before it lost its newest events (*deleted*), and an event row without a link is
*inserted*.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, cast

import attrs
import sqlalchemy as sa

from assetreg.adapters.sql.errors import translate_errors
from assetreg.adapters.sql.rows import event_from_row
from assetreg.adapters.sql.scope import connection_scope
from assetreg.adapters.sql.tables import asset_event_table, chain_head_table
from assetreg.audit.chain import (
    ChainLink,
    ChainProblem,
    ChainReport,
    HashChain,
    ProblemKind,
    genesis_hash,
    link_hash,
    verify,
)
from assetreg.errors import ConcurrencyError, InvalidValue, PayloadError, ScopeViolation
from assetreg.ports import check_scope, validate_scope

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence

    from sqlalchemy.engine import Connection, Engine

    from assetreg.domain.events import AssetEvent


__all__ = [
    "Checkpoint",
    "chain_county",
    "chain_unchained_events",
    "check_anchor",
    "checkpoint_of",
    "link_columns",
    "lock_head",
    "lock_heads",
    "move_head",
    "verify_chains",
]

_IN_CHUNK = 500
_COUNTY_DIGITS = 6
_STREAM = 2_000
_UPDATE_BATCH = 5_000

_CHAIN_COLUMNS = tuple(
    asset_event_table.c[name]
    for name in (
        "asset_id",
        "event_id",
        "kind",
        "effective",
        "recorded_at",
        "supersedes",
        "payload",
        "chain_county",
        "chain_position",
        "chain_hash",
    )
)


def chain_county(location_code: str) -> str:
    """The chain an event at ``location_code`` (12 digits) joins: its first 6 digits.

    That is the county code (``"620422"`` for 会宁县); an asset located above county
    level joins the chain of its prefecture's or province's 6-digit code.
    """
    return location_code[:6]


def _head_conflict(county: str, expected: int | None) -> ConcurrencyError:
    return ConcurrencyError(
        f"the event chain of county {county} moved on (another writer appended first)",
        f"县 {county} 的事件哈希链已被其他写入推进",
        record=county,
        field="chain_position",
        expected=expected,
    )


def lock_head(conn: Connection, county: str) -> HashChain:
    """Read and lock the head of ``county``'s chain; a :class:`HashChain` resuming there.

    The lock (``FOR UPDATE``) lasts until the transaction ends.
    """
    row = conn.execute(
        sa.select(chain_head_table.c.position, chain_head_table.c.hash)
        .where(chain_head_table.c.county == county)
        .with_for_update()
    ).first()
    if row is None:
        return HashChain(county)
    return HashChain(county, head=row.hash, seq=row.position)


def lock_heads(conn: Connection, counties: Iterable[str]) -> dict[str, HashChain]:
    """:func:`lock_head` for several counties at once (locked in sorted order)."""
    wanted = sorted(set(counties))
    chains = {c: HashChain(c) for c in wanted}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        rows = conn.execute(
            sa.select(chain_head_table)
            .where(chain_head_table.c.county.in_(chunk))
            .order_by(chain_head_table.c.county)
            .with_for_update()
        )
        for row in rows:
            chains[row.county] = HashChain(row.county, head=row.hash, seq=row.position)
    return chains


def move_head(conn: Connection, chain: HashChain, *, from_seq: int) -> None:
    """Store ``chain``'s head, which was at ``from_seq`` (0: no head row yet).

    Raises:
        ConcurrencyError: the stored head is no longer at ``from_seq``.
    """
    if chain.seq == from_seq:
        return
    values = {"position": chain.seq, "hash": chain.head}
    if from_seq == 0:
        conn.execute(sa.insert(chain_head_table), [{"county": chain.county, **values}])
        return
    done = conn.execute(
        sa.update(chain_head_table)
        .where(chain_head_table.c.county == chain.county, chain_head_table.c.position == from_seq)
        .values(values)
    )
    if done.rowcount != 1:
        raise _head_conflict(chain.county, from_seq)


def link_columns(county: str, links: Sequence[ChainLink]) -> Iterator[dict[str, Any]]:
    """The ``chain_*`` column values of ``links`` in ``county``'s chain."""
    for link in links:
        yield {"chain_county": county, "chain_position": link.seq, "chain_hash": link.hash}


def chain_unchained_events(conn: Connection) -> int:
    """Chain every event row that has no link yet, after its county's head; return how many.

    Used by migration 0002 for rows stored before the chains existed, in the order
    county, asset, sequence. Not for normal use: an event without a link is reported as
    inserted by :func:`verify_chains`, and chaining it here would hide that.
    """
    ev = asset_event_table.c
    rows = conn.execute(
        sa.select(*_CHAIN_COLUMNS, ev.area_code, ev.sequence)
        .where(ev.chain_position.is_(None))
        .order_by(ev.area_code, ev.asset_id, ev.sequence)
    ).mappings()
    pending = sorted(
        ((chain_county(r["area_code"]), r["asset_id"], r["sequence"], event_from_row(r, trusted=False)) for r in rows),
        key=lambda t: (t[0], t[1], t[2]),
    )
    if not pending:
        return 0
    chains = lock_heads(conn, (t[0] for t in pending))
    before = {c: chain.seq for c, chain in chains.items()}
    statement = (
        sa.update(asset_event_table)
        .where(ev.event_id == sa.bindparam("b_event_id"))
        .values(
            chain_county=sa.bindparam("b_county"),
            chain_position=sa.bindparam("b_position"),
            chain_hash=sa.bindparam("b_hash"),
        )
    )
    batch: list[dict[str, Any]] = []
    for county, _, _, event in pending:
        link = chains[county].append(event)
        batch.append({"b_event_id": event.event_id, "b_county": county, "b_position": link.seq, "b_hash": link.hash})
        if len(batch) >= _UPDATE_BATCH:
            conn.execute(statement, batch)
            batch = []
    if batch:
        conn.execute(statement, batch)
    for county, chain in chains.items():
        move_head(conn, chain, from_seq=before[county])
    return len(pending)


# -- verification ---------------------------------------------------------------------------
@attrs.frozen
class _Unreadable:
    """Stands for a stored event the codec cannot read (a tampered kind or payload).

    Its canonical form can never produce the stored hash, so the walk reports the
    position as edited.
    """

    event_id: str
    asset_id: str
    kind: str = "unreadable"


def _event(row: Mapping[Any, Any]) -> AssetEvent:
    try:
        return event_from_row(row, trusted=False)
    except PayloadError:
        return cast("AssetEvent", _Unreadable(row["event_id"], row["asset_id"]))


def _links(conn: Connection, county: str) -> Generator[ChainLink]:
    ev = asset_event_table.c
    result = conn.execute(
        sa.select(*_CHAIN_COLUMNS)
        .where(ev.chain_county == county, ev.chain_position.is_not(None))
        .order_by(ev.chain_position),
        execution_options={"yield_per": _STREAM},
    )
    try:
        for row in result.mappings():
            yield ChainLink(row["chain_position"], _event(row), row["chain_hash"] or "")
    finally:
        result.close()  # an unbuffered MariaDB cursor must be closed before the next query


def _intact(links: Iterable[ChainLink], county: str, head: tuple[int, str] | None) -> bool:
    """One streaming pass: positions 1, 2, … each verifying, ending at ``head``."""
    previous, seq = genesis_hash(county), 0
    for link in links:
        seq += 1
        if link.seq != seq or link_hash(previous, seq, link.event) != link.hash:
            return False
        previous = link.hash
    return head == (seq, previous) if seq else head is None


def _explain(links: list[ChainLink], county: str, head: tuple[int, str] | None) -> ChainReport:
    """The positions and kinds of the breaks, the head row taken as anchor.

    The link holding the head hash ends the chain: links stored after it at positions
    past the head's are *inserted*. Without such a link, a chain ending before the
    head's position lost its newest events (*deleted*); otherwise the link at the
    head's position was recomputed (*rewritten*, reported by :func:`verify`).
    """
    extra: list[ChainProblem] = []
    anchor: tuple[int, str] | None = None
    inside, beyond = links, []
    if head is None:
        if links:
            extra.append(ChainProblem(kind=ProblemKind.REWRITTEN, position=links[-1].seq))
    else:
        last, last_hash = head
        found = max((i for i, x in enumerate(links) if x.hash == last_hash), default=None)
        if found is not None:
            beyond = [x for x in links[found + 1 :] if x.seq > last]
            inside = links[: found + 1] + [x for x in links[found + 1 :] if x.seq <= last]
        elif max((x.seq for x in links), default=0) < last:
            # the newest events are gone: nothing holds the head's position
            top = max((x.seq for x in links), default=0)
            extra.append(ChainProblem(kind=ProblemKind.DELETED, position=top + 1, count=last - top))
        else:
            anchor = head
    extra.extend(
        ChainProblem(
            kind=ProblemKind.INSERTED,
            position=x.seq,
            event_id=x.event.event_id,
            asset_id=x.event.asset_id,
        )
        for x in beyond
    )
    report = verify(inside, county=county, anchor=anchor)
    problems = sorted((*report.problems, *extra), key=lambda p: p.position)
    return ChainReport(county=county, length=len(links), head=report.head, problems=tuple(problems))


def _unchained(conn: Connection, county: str | None) -> dict[str, list[tuple[str, str]]]:
    """Event rows without a link, by the county of their area code: ``(event_id, asset_id)``."""
    ev = asset_event_table.c
    query = sa.select(ev.area_code, ev.event_id, ev.asset_id).where(
        sa.or_(ev.chain_position.is_(None), ev.chain_county.is_(None))
    )
    if county is not None:
        query = query.where(ev.area_code.startswith(county, autoescape=True))
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in conn.execute(query.order_by(ev.recorded_at, ev.event_id)):
        out[chain_county(row.area_code)].append((row.event_id, row.asset_id))
    return out


def _report(conn: Connection, county: str, head: tuple[int, str] | None) -> ChainReport:
    links = _links(conn, county)
    try:
        intact = _intact(links, county, head)
    finally:
        links.close()
    if intact:
        length = head[0] if head is not None else 0
        return ChainReport(
            county=county,
            length=length,
            head=head[1] if head is not None else genesis_hash(county),
            problems=(),
        )
    return _explain(list(_links(conn, county)), county, head)


def verify_chains(
    engine: Engine | Connection, *, county: str | None = None, scope: str | None = None
) -> list[ChainReport]:
    """Verify the hash chain of every county (or of ``county``) and report each break.

    Every stored event must sit in its county chain at its position with a hash that
    follows from the previous link; the ``chain_head`` row anchors the end. Edited,
    deleted, inserted and reordered events are named by position and kind
    (:class:`~assetreg.audit.chain.ChainProblem`); an event row without a link is
    *inserted* just past the head; a chain whose head row is missing is *rewritten*.
    ``report.to_findings()`` turns the problems into ``AUD-990`` findings.

    Args:
        engine: an engine or a connection (read in one transaction). The connection of
            a unit of work bound to a scope verifies only inside that scope.
        county: a 6-digit chain county code; by default every county holding events.
        scope: verify only the chains of counties inside this area-code prefix (a
            province, prefecture or county); a chain holds a whole county, so a scope
            narrower than a county cannot verify one.

    Returns:
        One :class:`~assetreg.audit.chain.ChainReport` per county, sorted by county.

    Raises:
        PayloadError: a stored event cannot be decoded.
        PersistenceError: a database error (e.g. a schema older than revision 0002).
        ScopeViolation: ``scope`` (or the connection's) is malformed or narrower than a
            county, or ``county`` lies outside it.
    """
    if isinstance(engine, sa.Connection):
        scope = scope if scope is not None else connection_scope(engine)
    county = _scoped_county(county, validate_scope(scope))
    with translate_errors("verify the event chains"):
        if isinstance(engine, sa.Connection):
            return _verify(engine, county, scope)
        # one snapshot: appends committed meanwhile must not look like insertions
        # (SQLite: the explicit BEGIN of the engine already gives one snapshot)
        with engine.connect() as conn:
            if engine.dialect.name != "sqlite":
                conn.execution_options(isolation_level="REPEATABLE READ")
            return _verify(conn, county, scope)


def _scoped_county(county: str | None, scope: str | None) -> str | None:
    if scope is None:
        return county
    if len(scope) > _COUNTY_DIGITS:
        raise ScopeViolation(
            f"a chain holds a whole county: the scope {scope} is narrower than a county and cannot verify one",
            f"哈希链覆盖整个县：授权范围 {scope} 小于一个县，不能校验",
            field="scope",
            expected=f"at most {_COUNTY_DIGITS} digits",
            actual=scope,
        )
    if county is not None:
        check_scope(scope, county, county, field="county")
    return county


def _verify(conn: Connection, county: str | None, scope: str | None = None) -> list[ChainReport]:
    ev, hd = asset_event_table.c, chain_head_table.c
    heads_q = sa.select(hd.county, hd.position, hd.hash)
    counties_q = sa.select(ev.chain_county).where(ev.chain_county.is_not(None)).distinct()
    if county is not None:
        heads_q = heads_q.where(hd.county == county)
        counties_q = counties_q.where(ev.chain_county == county)
    if scope is not None:
        heads_q = heads_q.where(hd.county.startswith(scope, autoescape=True))
        counties_q = counties_q.where(ev.chain_county.startswith(scope, autoescape=True))
    heads = {r.county: (r.position, r.hash) for r in conn.execute(heads_q)}
    unchained = {c: v for c, v in _unchained(conn, county).items() if scope is None or c.startswith(scope)}
    counties = sorted({*heads, *conn.execute(counties_q).scalars(), *unchained})
    reports = []
    for code in counties:
        report = _report(conn, code, heads.get(code))
        loose = unchained.get(code, [])
        if loose:
            after = heads[code][0] if code in heads else report.length
            extra = tuple(
                ChainProblem(kind=ProblemKind.INSERTED, position=after + 1, event_id=eid, asset_id=aid)
                for eid, aid in loose
            )
            report = ChainReport(
                county=code,
                length=report.length + len(loose),
                head=report.head,
                problems=(*report.problems, *extra),
            )
        reports.append(report)
    return reports


# -- checkpoints ----------------------------------------------------------------------------
@attrs.frozen
class Checkpoint:
    """A county chain's head as kept elsewhere (检查点): ``county:position:hash``.

    Printed by ``assetreg verify``; given back with ``--anchor``, it proves the stored
    chain still *descends* from it: the link at ``position`` holds ``hash`` and every
    link after it follows from it. Whoever rewrites the history before the checkpoint,
    even recomputing every later hash, cannot make the stored link match.
    """

    county: str
    position: int
    hash: str

    def __str__(self) -> str:
        """The short text form ``county:position:hash``."""
        return f"{self.county}:{self.position}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read the text form.

        Raises:
            InvalidValue: not ``6 digits:position:64 hex digits``.
        """
        parts = text.strip().split(":")
        ok = (
            len(parts) == 3  # noqa: PLR2004 - county, position, hash
            and len(parts[0]) == _COUNTY_DIGITS
            and parts[0].isascii()
            and parts[0].isdigit()
            and parts[1].isascii()
            and parts[1].isdigit()
            and int(parts[1]) >= 0
            and len(parts[2]) == 64  # noqa: PLR2004 - SHA-256 in hex
            and all(c in "0123456789abcdef" for c in parts[2])
        )
        if not ok:
            raise InvalidValue(
                f"checkpoint {text.strip()[:80]!r} is not COUNTY:POSITION:HASH (6 digits, a number, 64 hex digits)",
                f"检查点 {text.strip()[:80]!r} 格式应为 县代码:位置:哈希（6 位数字、整数、64 位十六进制）",
                field="checkpoint",
                expected="COUNTY:POSITION:HASH",
                actual=text.strip()[:80],
            )
        return cls(parts[0], int(parts[1]), parts[2])


def checkpoint_of(report: ChainReport) -> Checkpoint:
    """The checkpoint of a verified chain (its length and head)."""
    return Checkpoint(report.county, report.length, report.head)


def check_anchor(engine: Engine | Connection, anchor: Checkpoint) -> str | None:
    """Why the stored chain of ``anchor.county`` does not descend from ``anchor`` (``None`` if it does).

    The chain must verify intact (see :func:`verify_chains`) and hold ``anchor.hash`` at
    ``anchor.position`` (position 0 is the genesis of an empty chain).

    Raises:
        PersistenceError: a database error.
    """
    reports = verify_chains(engine, county=anchor.county)
    report = (
        reports[0]
        if reports
        else ChainReport(county=anchor.county, length=0, head=genesis_hash(anchor.county), problems=())
    )
    if not report.ok:
        return f"the chain of {anchor.county} is broken ({len(report.problems)} problems)"
    if anchor.position > report.length:
        return f"the chain of {anchor.county} has {report.length} links, fewer than the checkpoint's {anchor.position}"
    held: str | None
    if anchor.position == 0:
        held = genesis_hash(anchor.county)
    else:
        with translate_errors("read a chain link"):
            query = sa.select(asset_event_table.c.chain_hash).where(
                asset_event_table.c.chain_county == anchor.county,
                asset_event_table.c.chain_position == anchor.position,
            )
            if isinstance(engine, sa.Connection):
                held = engine.execute(query).scalar_one_or_none()
            else:
                with engine.connect() as conn:
                    held = conn.execute(query).scalar_one_or_none()
    if held != anchor.hash:
        return (
            f"the link at position {anchor.position} of {anchor.county} is not the checkpoint's: history was rewritten"
        )
    return None
