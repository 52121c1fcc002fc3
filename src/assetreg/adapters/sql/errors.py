"""Translation of database errors into assetreg errors (数据库错误转换).

Every SQLAlchemy/DBAPI error leaving the adapter becomes a
:class:`~assetreg.errors.PersistenceError` (or its subclass
:class:`~assetreg.errors.LostRace` for lost races), with the original
exception kept as ``__cause__``. Messages never repeat row contents (personal data).

A failure to connect says why (:func:`connection_error`): the server cannot be reached
(:class:`~assetreg.errors.DatabaseUnreachable`, AR-504), it holds no such database
(:class:`~assetreg.errors.DatabaseNotFound`, AR-505), it refused the user or password
(:class:`~assetreg.errors.AuthenticationFailed`, AR-506), or a SQLite file cannot be
opened (:class:`~assetreg.errors.DatabaseFileUnusable`, AR-507). Read from the driver's
error: PostgreSQL (psycopg, whose connection errors carry no SQLSTATE, so the server's
``FATAL`` text is read), MariaDB/MySQL (PyMySQL error numbers 1044/1045, 1049, 2003-2006)
and SQLite. Passwords are never repeated.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from assetreg.errors import (
    AssetRegError,
    AuthenticationFailed,
    ConcurrencyError,
    DatabaseFileUnusable,
    DatabaseNotFound,
    DatabaseUnreachable,
    LostRace,
    PersistenceError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["connection_error", "is_conflict", "translate_errors"]

_PG_CONFLICTS = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_MYSQL_CONFLICTS = {1205, 1213}  # lock wait timeout, deadlock


_MYSQL_AUTH = {1044, 1045, 1698}  # access denied to a database, for a user, auth plugin refused
_MYSQL_NO_DATABASE = 1049
_MYSQL_UNREACHABLE = {2002, 2003, 2005, 2006, 2013}  # socket, TCP, unknown host, gone away, lost
_PG_DATABASE = re.compile(r'database "([^"]*)" does not exist')
_PG_ROLE = re.compile(r'(?:password authentication failed for user|role) "([^"]*)"')
_PG_AUTH = ("password authentication failed", "no pg_hba.conf entry", "does not exist", "authentication failed")
_PG_UNREACHABLE = (
    "connection refused",
    "could not translate host name",
    "timeout expired",
    "no route to host",
    "name or service not known",
    "network is unreachable",
    "could not connect",
)
_SERVER = re.compile(r'(?:server at|server on) "?\'?([^"\',()]+)"?\'?(?:,? port (\d+))?')
_MYSQL_NAME = re.compile(r"'([^']*)'")


def _server(text: str) -> str | None:
    found = _SERVER.search(text)
    if found is None:
        return None
    host, port = found.group(1).strip(), found.group(2)
    return f"{host}:{port}" if port else host


def connection_error(exc: sa.exc.SQLAlchemyError) -> PersistenceError | None:
    """The coded error saying why a connection failed, or ``None`` when ``exc`` is no such failure.

    Returns:
        :class:`DatabaseUnreachable`, :class:`DatabaseNotFound`,
        :class:`AuthenticationFailed` or :class:`DatabaseFileUnusable` (message in English
        and Chinese, never a password), or ``None``.
    """
    if not isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        return None
    orig = exc.orig
    text = str(orig)
    lowered = text.lower()
    args = getattr(orig, "args", ())
    number = args[0] if args and isinstance(args[0], int) else None
    module = type(orig).__module__
    if module.startswith("sqlite3") and "unable to open database file" in lowered:
        return DatabaseFileUnusable(
            "cannot open or create the SQLite database file: its folder is missing or not writable",
            "无法打开或创建 SQLite 数据库文件：所在文件夹不存在或不可写",
            details={"reason": "unable_to_open"},
        )
    if number == _MYSQL_NO_DATABASE or _PG_DATABASE.search(text):
        found = _PG_DATABASE.search(text) or _MYSQL_NAME.search(text)
        name = found.group(1) if found else None
        shown = f" {name!r}" if name else ""
        return DatabaseNotFound(
            f"the server holds no database{shown}; create it (CREATE DATABASE) or correct the URL",
            f"服务器上没有数据库{shown}；请先建库（CREATE DATABASE）或更正连接地址",
            record=name,
            field="db",
        )
    if number in _MYSQL_AUTH or (
        module.startswith("psycopg") and "fatal" in lowered and any(t in lowered for t in _PG_AUTH)
    ):
        found = _PG_ROLE.search(text) or _MYSQL_NAME.search(text)
        user = found.group(1) if found else None
        shown = f" {user!r}" if user else ""
        return AuthenticationFailed(
            f"the database server refused the login of user{shown}: check the user name and password in the URL",
            f"数据库服务器拒绝用户{shown}登录：请检查连接地址中的用户名和密码",
            record=user,
            field="db",
        )
    if number in _MYSQL_UNREACHABLE or any(t in lowered for t in _PG_UNREACHABLE):
        server = _server(text)
        shown = f" at {server}" if server else ""
        shown_zh = f" {server}" if server else ""
        return DatabaseUnreachable(
            f"cannot reach the database server{shown}: is it running, and are the host and port right?",
            f"无法连接数据库服务器{shown_zh}：服务器是否已启动，主机和端口是否正确？",
            field="db",
            details={"server": server},
        )
    return None


def is_conflict(exc: sa.exc.DBAPIError) -> bool:
    """Whether ``exc`` means another writer won a race (lock, deadlock, busy snapshot)."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _PG_CONFLICTS:
        return True
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int) and args[0] in _MYSQL_CONFLICTS:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _is_busy(exc: sa.exc.DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text


@contextmanager
def translate_errors(action: str, *, record: str | None = None, conflicts: bool = False) -> Iterator[None]:
    """Turn database errors raised inside the block into assetreg errors.

    Args:
        action: what was being done, for the message (``"append events"``).
        record: the asset or party concerned.
        conflicts: whether integrity errors (a duplicate key) mean a lost race
            (:class:`LostRace`) rather than a plain :class:`PersistenceError`;
            deadlocks, serialization failures and lock timeouts are always a
            :class:`LostRace`, a busy SQLite database a :class:`ConcurrencyError`.

    Raises:
        LostRace: a lost race (a :class:`ConcurrencyError`; see ``conflicts``).
        ConcurrencyError: SQLite busy with another writer.
        PersistenceError: any other database error, ``from`` the original.
    """
    try:
        yield
    except AssetRegError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        refused = connection_error(exc)
        if refused is not None:
            raise refused from exc
        name = type(getattr(exc, "orig", None) or exc).__name__
        if isinstance(exc, sa.exc.DBAPIError) and _is_busy(exc):
            raise ConcurrencyError(
                f"{action}: the database is busy with another writer (SQLite lets one write at a "
                f"time); nothing was written, retry ({name})",
                f"{action}：数据库正被其他写入占用（SQLite 同一时间只允许一个写入），未写入，请重试（{name}）",
                record=record,
                field="version",
                details={"cause": name},
            ) from exc
        if isinstance(exc, sa.exc.DBAPIError) and (
            is_conflict(exc) or (conflicts and isinstance(exc, sa.exc.IntegrityError))
        ):
            raise LostRace(
                f"{action}: another writer changed {record or 'the data'} first ({name}); re-read and retry",
                f"{action}：{record or '数据'} 已被其他操作修改（{name}），请重新读取后再试",
                record=record,
                field="version",
                details={"cause": name},
            ) from exc
        raise PersistenceError(
            f"{action} failed: database error {name}",
            f"{action} 失败：数据库错误 {name}",
            record=record,
            details={"cause": name},
        ) from exc
