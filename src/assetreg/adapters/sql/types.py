"""Column types of the SQL adapter (列类型): UTC instants, stored enums.

* :class:`UTCDateTime` stores timezone-aware instants in UTC and hands back aware UTC
  ``datetime`` values. It refuses naive values: SQLite (and MySQL ``DATETIME``) keep no
  offset, so a naive value would silently change meaning. PostgreSQL gets
  ``TIMESTAMP WITH TIME ZONE``; MariaDB/MySQL ``DATETIME(6)`` (microseconds); SQLite text.
* Money is stored as ``BIGINT`` fen (plain :class:`~sqlalchemy.BigInteger` columns named
  ``*_fen``); enums as their stable string values (``String`` columns).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.types import TypeEngine

__all__ = ["UTCDateTime"]


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware instant kept in UTC (UTC 时点).

    Bind: an aware ``datetime`` → UTC (naive UTC on SQLite and MariaDB/MySQL, aware on
    PostgreSQL). Result: always an aware ``datetime`` in UTC, to the microsecond.

    Raises:
        TypeError: binding a naive ``datetime`` or a non-datetime (wrapped by SQLAlchemy
            in a ``StatementError``; the adapters check instants before they get here).
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """``DATETIME(6)`` on MariaDB/MySQL, ``TIMESTAMPTZ`` elsewhere."""
        if dialect.name in {"mysql", "mariadb"}:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive instants; convert to UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a timezone-aware datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError("refusing a naive datetime: give it a time zone (e.g. UTC)")
        utc = value.astimezone(UTC)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        """Return an aware UTC ``datetime``."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
