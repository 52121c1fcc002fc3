"""Engines for the supported backends (数据库连接).

Supported, and tested by the repository contract suite:

* SQLite (embedded default): a file path, or ``":memory:"``. Foreign keys are enforced;
  files use WAL journaling (readers do not block the writer) with ``synchronous=NORMAL``.
  Transactions begin with an explicit ``BEGIN`` so reads inside a unit of work see one
  snapshot.
* PostgreSQL through psycopg 3: ``postgresql+psycopg://user@host:5432/db``.
* MariaDB / MySQL through PyMySQL: ``mysql+pymysql://user@host:3306/db`` (utf8mb4).

Bare ``postgresql://``, ``mysql://`` and ``mariadb://`` URLs are given those drivers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool

from assetreg.errors import DatabaseFileUnusable

__all__ = ["create_engine_for", "normalise_url"]

_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
}
# one encoder for every payload (json.dumps with options would build a new one per row)
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def normalise_url(url_or_path: str | Path | URL) -> URL:
    """Turn a path, ``":memory:"`` or a URL into a SQLAlchemy URL with an explicit driver.

    Args:
        url_or_path: ``"sqlite:///x.db"``, ``"postgresql+psycopg://…"``,
            ``"mysql+pymysql://…"``, a bare dialect URL, a filesystem path, or
            ``":memory:"`` (an in-memory SQLite database).
    """
    if isinstance(url_or_path, URL):
        url = url_or_path
    elif isinstance(url_or_path, Path) or "://" not in str(url_or_path):
        text = str(url_or_path)
        return make_url("sqlite+pysqlite://" if text in {"", ":memory:"} else f"sqlite+pysqlite:///{text}")
    else:
        url = make_url(str(url_or_path))
    if url.drivername in _DRIVERS:
        url = url.set(drivername=_DRIVERS[url.drivername])
    if url.drivername == "sqlite":
        url = url.set(drivername="sqlite+pysqlite")
    if url.get_backend_name() in {"mysql", "mariadb"} and "charset" not in url.query:
        url = url.update_query_dict({"charset": "utf8mb4"})
    return url


def create_engine_for(url_or_path: str | Path | URL, **kwargs: Any) -> Engine:
    """Create an engine for the register's database.

    Args:
        url_or_path: as for :func:`normalise_url`.
        **kwargs: passed to :func:`sqlalchemy.create_engine` (e.g. ``connect_args``).

    Raises:
        DatabaseFileUnusable: a SQLite file whose folder does not exist (no folder is
            created; nothing is written).

    Returns:
        An engine; for SQLite with foreign keys on, WAL for files, and transactional
        ``BEGIN``. An in-memory SQLite database lives in one shared connection (units of
        work on it are not isolated from one another).
    """
    url = normalise_url(url_or_path)
    kwargs.setdefault("json_serializer", _json)
    if url.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return sa.create_engine(url, **kwargs)
    memory = url.database in {None, "", ":memory:"}
    if not memory and url.database is not None and not url.database.startswith("file:"):
        _check_folder(Path(url.database))
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = sa.create_engine(url, **kwargs)
    _configure_sqlite(engine, wal=not memory)
    return engine


def _check_folder(path: Path) -> None:
    """Refuse a SQLite file in a folder that does not exist (SQLite would say only "unable to open")."""
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseFileUnusable(
            f"cannot create the database file {path}: the folder {folder} does not exist",
            f"无法创建数据库文件 {path}：文件夹 {folder} 不存在",
            record=str(path),
            field="db",
            details={"reason": "folder_missing", "folder": str(folder)},
        )


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # the driver's own transaction handling is off; "begin" below emits BEGIN
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # a unit of work that writes holds the write lock from its first write (see
        # SqlUnitOfWork.begin_write); others begin deferred, reading one snapshot
        immediate = connection.get_execution_options().get("assetreg_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
