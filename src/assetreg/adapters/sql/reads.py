"""The lean read path of one asset's history (单资产快速读取), DESIGN §11.

Reading one asset is the adapter's hottest query (an as-of state, an append's checks).
:class:`HistoryReader` prepares it once per dialect: the ``SELECT`` of the asset's
location and its events (joined on the primary key, ordered by sequence) is compiled
once, the column types' result processors are looked up once, and each call hands the
SQL string straight to the driver's cursor on the unit of work's connection (same
transaction) — no statement building, cache-key generation or result-row wrapping per
call. Rows the adapter wrote with the current payload version are decoded by the
trusting decoder (:func:`~assetreg.adapters.sql.codec.trusted_event_from_payload`);
other rows are checked field by field.

Where the shortcut does not apply (a schema translation map on the connection), the
same statement is executed through SQLAlchemy Core.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from assetreg.adapters.sql.codec import PAYLOAD_VERSION, PAYLOAD_VERSION_KEY, event_from_payload
from assetreg.adapters.sql.tables import asset_event_table, asset_table
from assetreg.adapters.sql.trusted import trusted_event_from_payload as _trusted

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy.engine import Connection, Dialect

    from assetreg.domain.events import AssetEvent

__all__ = ["HistoryReader", "reader_for"]

_COLUMNS = (
    asset_table.c.location_code,
    asset_event_table.c.event_id,
    asset_event_table.c.kind,
    asset_event_table.c.effective,
    asset_event_table.c.recorded_at,
    asset_event_table.c.supersedes,
    asset_event_table.c.payload,
)
_STATEMENT = (
    sa.select(*_COLUMNS)
    .select_from(asset_table.join(asset_event_table, asset_event_table.c.asset_id == asset_table.c.asset_id))
    .where(asset_table.c.asset_id == sa.bindparam("asset_id"))
    .order_by(asset_event_table.c.sequence)
)


class HistoryReader:
    """The compiled one-asset read for one dialect.

    Call :meth:`read` with a connection and an asset id; it returns the asset's location
    code and its events in stored order, or ``None`` when the asset is not stored.
    """

    def __init__(self, dialect: Dialect) -> None:
        compiled = _STATEMENT.compile(dialect=dialect)
        self._sql = compiled.string
        self._positional = bool(compiled.positional)
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in _COLUMNS]
        self._processors: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
            (i, p) for i, p in enumerate(processors) if p is not None
        )
        self._error = dialect.loaded_dbapi.Error

    def _fetch(self, conn: Connection, asset_id: str) -> Sequence[Any]:
        if conn.get_execution_options().get("schema_translate_map"):
            return conn.execute(_STATEMENT, {"asset_id": asset_id}).all()
        params: Any = (asset_id,) if self._positional else {"asset_id": asset_id}
        if not conn.in_transaction():
            conn.begin()  # as Core's autobegin would: the read belongs to the unit of work's transaction
        cursor = conn.connection.cursor()
        try:
            cursor.execute(self._sql, params)
            return cursor.fetchall()
        except self._error as exc:  # as SQLAlchemy would wrap it, for translate_errors
            raise sa.exc.DBAPIError.instance(self._sql, params, exc, self._error) from exc
        finally:
            cursor.close()

    def read(self, conn: Connection, asset_id: str) -> tuple[str, tuple[AssetEvent, ...]] | None:
        """The location code and stored events of ``asset_id`` (``None``: not stored).

        Raises:
            PayloadError: a stored event cannot be read.
            sqlalchemy.exc.DBAPIError: a database error.
        """
        raw = self._fetch(conn, asset_id)
        if not raw:
            return None
        processors = self._processors
        events = []
        for row in raw:
            values = list(row)
            for i, processor in processors:
                values[i] = processor(values[i])
            _, event_id, kind, effective, recorded_at, supersedes, payload = values
            trusted = isinstance(payload, dict) and payload.get(PAYLOAD_VERSION_KEY) == PAYLOAD_VERSION
            decode = _trusted if trusted else event_from_payload
            events.append(
                decode(
                    kind,
                    payload,
                    event_id=event_id,
                    asset_id=asset_id,
                    effective=effective,
                    recorded_at=recorded_at,
                    supersedes=supersedes,
                )
            )
        return raw[0][0], tuple(events)


_READERS: weakref.WeakKeyDictionary[Dialect, HistoryReader] = weakref.WeakKeyDictionary()


def reader_for(dialect: Dialect) -> HistoryReader:
    """The :class:`HistoryReader` of ``dialect`` (built once per dialect object)."""
    reader = _READERS.get(dialect)
    if reader is None:
        reader = _READERS[dialect] = HistoryReader(dialect)
    return reader
