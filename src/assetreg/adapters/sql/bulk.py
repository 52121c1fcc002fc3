"""Bulk loading of a whole county (批量导入): set-based inserts in one transaction.

A county holds ~10^5 assets and ~10^6 events. :func:`bulk_load` turns them into plain
row dicts (:mod:`assetreg.adapters.sql.rows`) and writes them with ``executemany`` of a
Core ``insert`` in batches, inside **one** transaction: a load that fails or is killed
leaves none of its rows behind.

Each ``insert`` is compiled once per table for the connection's dialect, and each row is
converted to driver values by the bind processors SQLAlchemy itself would apply (the
column types' ``dialect_impl(dialect).bind_processor(dialect)``: UTC instants, dates on
SQLite, JSON/JSONB payloads), then handed to the driver's ``executemany`` through
``exec_driver_sql`` — on PostgreSQL with psycopg, to ``COPY … FROM STDIN`` instead
(``cursor.copy().write_row``), several times faster than ``executemany``. That skips
SQLAlchemy's per-row parameter assembly, about a quarter of the load's time, and sends
the driver exactly the values ``conn.execute(insert, rows)`` would. Where that shortcut
does not apply (a dialect that rewrites bulk inserts as multi-row ``VALUES``, a schema
translation map, escaped parameter names, Python-side defaults), the Core ``insert`` is
executed as is.

What a load still costs beyond the driver's own work, per event (2-core machine): the
canonical encoding and SHA-256 of the hash chain link (~10 µs), the payload dict and its
JSON text (~8 µs) and the bind processors (~2 µs); the chain's canonical form and the
stored payload are different encodings (the chain's format is versioned), so each event
is encoded twice, once for each.

The histories are taken as already checked (an :class:`AssetRegister` or histories
built with ``AssetHistory.of``/``extend`` are); the load does not fold them again.
Assets or parties already stored make the whole load fail (``PersistenceError``).

Events are linked into their county hash chains (:mod:`assetreg.adapters.sql.chain`) in
the same pass, continuing after each county's stored head: the heads are locked at the
start of the load and moved at its end, so concurrent appends in those counties wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from assetreg.adapters.sql.chain import chain_county, link_columns, lock_heads, move_head
from assetreg.adapters.sql.errors import translate_errors
from assetreg.adapters.sql.rows import asset_row, event_rows, party_row
from assetreg.adapters.sql.scope import connection_write_scope
from assetreg.adapters.sql.state import seal_key, update_seals
from assetreg.adapters.sql.tables import asset_event_table, asset_table, party_table
from assetreg.audit.seal import party_fingerprint
from assetreg.domain.register import AssetRegister
from assetreg.ports import check_scope

if TYPE_CHECKING:
    from assetreg.audit.chain import HashChain
    from assetreg.domain.history import AssetHistory
    from assetreg.domain.parties import Party

__all__ = ["DEFAULT_BATCH_SIZE", "BulkLoadResult", "Progress", "bulk_load"]

DEFAULT_BATCH_SIZE = 10_000
"""Rows per ``executemany`` call."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``: rows written so far and rows to write (parties + assets + events)."""


@attrs.frozen
class BulkLoadResult:
    """What a bulk load wrote: numbers of parties, assets and events."""

    parties: int
    assets: int
    events: int

    @property
    def rows(self) -> int:
        """All rows written."""
        return self.parties + self.assets + self.events


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Insert:
    """A Core ``insert`` into ``table`` of rows with the keys ``columns``, for one connection.

    Compiled once; rows are converted by the columns' bind processors and sent to the
    driver's ``executemany`` (:meth:`write`), or, where that does not apply (see the
    module docstring), executed as a Core ``insert``.
    """

    def __init__(self, conn: Connection, table: sa.Table, columns: Sequence[str]) -> None:
        self._conn = conn
        self._statement = sa.insert(table)
        dialect = conn.dialect
        compiled = self._statement.compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
        names: Sequence[str] = compiled.positiontup or () if compiled.positional else list(compiled.params)
        self._direct = (
            len(names) > 1  # an itemgetter of one name gives no tuple
            and not dialect.use_insertmanyvalues_wo_returning
            and not compiled.escaped_bind_names
            and not compiled.literal_execute_params
            and not compiled.post_compile_params
            and not compiled.insert_prefetch
            and not compiled.postfetch
            and not compiled.effective_returning
            and not conn.get_execution_options().get("schema_translate_map")
            and sorted(names) == sorted(columns)
            and sorted(compiled.bind_names.values()) == sorted(columns)
        )
        self._sql = compiled.string
        self._names = tuple(names)
        self._positional = compiled.positional
        self._values = itemgetter(*self._names) if self._direct else None
        self._processors = tuple(
            (i, processor)
            for i, name in enumerate(self._names)
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
        )
        self._copy: str | None = None
        if self._direct and dialect.name == "postgresql" and dialect.driver == "psycopg":
            quote = dialect.identifier_preparer
            columns_sql = ", ".join(quote.quote(name) for name in self._names)
            self._copy = f"COPY {quote.format_table(table)} ({columns_sql}) FROM STDIN"
        self._error = dialect.loaded_dbapi.Error

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (dicts with exactly the keys given at construction)."""
        values, processors = self._values, self._processors
        if values is None:
            self._conn.execute(self._statement, rows)
            return
        try:
            converted: list[tuple[Any, ...]] = []
            for row in rows:
                out = list(values(row))
                for i, processor in processors:
                    out[i] = processor(out[i])
                converted.append(tuple(out))
        except Exception as exc:  # as SQLAlchemy wraps a failing bind processor
            raise sa.exc.StatementError(str(exc), self._sql, None, exc) from exc
        if self._copy is not None:
            self._copy_rows(converted)
        elif self._positional:
            self._conn.exec_driver_sql(self._sql, converted)
        else:
            names = self._names
            self._conn.exec_driver_sql(self._sql, [dict(zip(names, v, strict=True)) for v in converted])

    def _copy_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """PostgreSQL: send ``rows`` with ``COPY … FROM STDIN`` (psycopg) in the transaction."""
        assert self._copy is not None  # noqa: S101 - only called on the COPY path
        if not self._conn.in_transaction():
            self._conn.begin()
        driver = self._conn.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(self._copy) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        except self._error as exc:  # as SQLAlchemy wraps driver errors (translate_errors reads them)
            raise sa.exc.DBAPIError.instance(self._copy, None, exc, self._error) from exc


def _history_rows(
    histories: list[AssetHistory], chains: Callable[[Iterable[str]], dict[str, HashChain]]
) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]], dict[str, HashChain], dict[str, int]]:
    """Asset rows, event rows (linked into the county chains, lazily) and the chains."""
    assets = [asset_row(h) for h in histories]
    counties = [chain_county(row["location_code"]) for row in assets]
    heads = chains(counties)
    before = {county: chain.seq for county, chain in heads.items()}

    def events() -> Iterator[dict[str, Any]]:
        for history, row, county in zip(histories, assets, counties, strict=True):
            rows = event_rows(
                history.events,
                first_sequence=1,
                area_code=row["location_code"],
                county_code=row["county_code"],
            )
            links = heads[county].extend(history.events)
            for event_row, columns in zip(rows, link_columns(county, links), strict=True):
                event_row.update(columns)
                yield event_row

    return assets, events(), heads, before


def _check_load_scope(engine: Engine | Connection, parties: list[Party], histories: list[AssetHistory]) -> None:
    """Handed a scoped unit of work's connection: the repositories' rule, before any write."""
    scope = connection_write_scope(engine) if isinstance(engine, Connection) else None
    if scope is None:
        return
    for party in parties:
        check_scope(scope, party.admin_code.value, party.id)
    for history in histories:
        check_scope(scope, asset_row(history)["location_code"], history.asset_id)


def bulk_load(
    engine: Engine | Connection,
    source: AssetRegister | Iterable[AssetHistory],
    parties: Iterable[Party] | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> BulkLoadResult:
    """Insert parties, assets and events in batches (``COPY`` on PostgreSQL), all in one transaction.

    Args:
        engine: an engine (a transaction is begun and committed here) or a connection
            (the rows are written in its current transaction; the caller commits).
        source: a register, or asset histories (each non-empty).
        parties: parties to insert; by default the register's (none for histories).
        batch_size: rows per ``executemany``, at least 1.
        progress: called after each batch with ``(done, total)`` rows.

    Returns:
        The numbers of parties, assets and events written.

    Raises:
        ValueError: ``batch_size`` below 1.
        UnknownAsset: an empty history.
        ScopeViolation: ``engine`` is the connection of a unit of work bound to a scope
            and a party or asset lies outside it; nothing is written.
        PersistenceError: a database error (e.g. an asset already stored); nothing of the
            load is kept.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if isinstance(source, AssetRegister):
        histories = [source.histories[aid] for aid in sorted(source.histories)]
        party_list = list(source.parties.values() if parties is None else parties)
    else:
        histories = list(source)
        party_list = list(parties or ())
    _check_load_scope(engine, party_list, histories)
    n_events = sum(len(h.events) for h in histories)
    total = len(party_list) + len(histories) + n_events
    done = 0

    def write(conn: Connection) -> None:
        nonlocal done
        asset_rows, events, heads, before = _history_rows(histories, lambda counties: lock_heads(conn, counties))
        plan: list[tuple[sa.Table, Iterable[dict[str, Any]]]] = [
            (party_table, (party_row(p) for p in party_list)),
            (asset_table, asset_rows),
            (asset_event_table, events),
        ]
        for table, rows in plan:
            insert: _Insert | None = None
            for batch in _batches(rows, batch_size):
                if insert is None:
                    insert = _Insert(conn, table, sorted(batch[0]))
                insert.write(batch)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        for county in sorted(heads):
            move_head(conn, heads[county], from_seq=before[county])
        update_seals(conn, ((seal_key("party", p.admin_code.value), None, party_fingerprint(p)) for p in party_list))

    with translate_errors("bulk load"):
        if isinstance(engine, Connection):
            write(engine)
        else:
            with engine.begin() as conn:
                write(conn)
    return BulkLoadResult(parties=len(party_list), assets=len(histories), events=n_events)
