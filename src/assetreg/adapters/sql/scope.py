"""The unit of work's scope on its connection (连接上的授权范围).

A :class:`~assetreg.adapters.sql.uow.SqlUnitOfWork` bound to an area-code prefix marks its
connection with that scope (execution option :data:`SCOPE_OPTION`), so that the helpers
one can hand ``uow.connection`` to — :func:`~assetreg.adapters.sql.bulk_load`,
:func:`~assetreg.adapters.sql.store_revenue`, :func:`~assetreg.adapters.sql.verify_chains`
— honour the scope exactly as the repositories do. A connection taken from an engine
directly carries none (unrestricted: whoever holds the engine holds the database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from assetreg.ports import validate_prefix, validate_scope, write_scope_within

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "SCOPE_OPTION",
    "WRITE_SCOPE_OPTION",
    "check_write_scope",
    "connection_scope",
    "connection_write_scope",
    "validate_prefix",
]

SCOPE_OPTION: Final = "assetreg_scope"
"""The execution option under which a unit of work's connection carries its (read) scope."""
WRITE_SCOPE_OPTION: Final = "assetreg_write_scope"
"""The execution option under which it carries its write scope."""


def connection_scope(conn: Connection) -> str | None:
    """The scope of the unit of work that owns ``conn`` (``None``: unrestricted).

    Raises:
        ScopeViolation: the option holds something that is not a valid scope.
    """
    return validate_scope(conn.get_execution_options().get(SCOPE_OPTION))


def connection_write_scope(conn: Connection) -> str | None:
    """The write scope of the unit of work that owns ``conn`` (its scope when it has none of its own).

    Raises:
        ScopeViolation: the option holds something that is not a valid scope.
    """
    options = conn.get_execution_options()
    if options.get(WRITE_SCOPE_OPTION) is not None:
        return validate_scope(options[WRITE_SCOPE_OPTION])
    return connection_scope(conn)


check_write_scope = write_scope_within
