"""Translation of database errors into assetreg errors (数据库错误转换).

Every SQLAlchemy/DBAPI error leaving the adapter becomes a
:class:`~assetreg.errors.PersistenceError` (or its subclass
:class:`~assetreg.errors.LostRace` for lost races), with the original
exception kept as ``__cause__``. Messages never repeat row contents (personal data).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from assetreg.errors import AssetRegError, LostRace, PersistenceError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["is_conflict", "translate_errors"]

_PG_CONFLICTS = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_MYSQL_CONFLICTS = {1205, 1213}  # lock wait timeout, deadlock


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


@contextmanager
def translate_errors(action: str, *, record: str | None = None, conflicts: bool = False) -> Iterator[None]:
    """Turn database errors raised inside the block into assetreg errors.

    Args:
        action: what was being done, for the message (``"append events"``).
        record: the asset or party concerned.
        conflicts: whether integrity, lock and deadlock errors mean a lost race
            (:class:`LostRace`) rather than a plain :class:`PersistenceError`.

    Raises:
        LostRace: with ``conflicts``, a lost race (a :class:`ConcurrencyError`).
        PersistenceError: any other database error, ``from`` the original.
    """
    try:
        yield
    except AssetRegError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        name = type(getattr(exc, "orig", None) or exc).__name__
        if (
            conflicts
            and isinstance(exc, sa.exc.DBAPIError)
            and (isinstance(exc, sa.exc.IntegrityError) or is_conflict(exc))
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
