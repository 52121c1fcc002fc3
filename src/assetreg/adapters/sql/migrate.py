"""Schema migrations (数据库迁移) with the Alembic scripts shipped in the package.

``upgrade(url)`` brings a database to the newest schema; the ``assetreg db upgrade``
command calls it. ``downgrade(url, revision)`` takes it back (``"base"``: no tables).
Alembic's bookkeeping lives in the table :data:`VERSION_TABLE`, so an application
embedding assetreg can keep its own Alembic history next to ours.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import URL, Connection, Engine

from assetreg.adapters.sql.engine import create_engine_for
from assetreg.adapters.sql.errors import translate_errors

__all__ = ["HEAD", "MIGRATIONS", "VERSION_TABLE", "alembic_config", "current_revision", "downgrade", "upgrade"]

HEAD = "0007"
"""The newest revision shipped."""

VERSION_TABLE = "assetreg_alembic_version"
"""Alembic's version table for assetreg's migrations."""

MIGRATIONS = Path(__file__).with_name("migrations")
"""The directory holding ``env.py`` and ``versions/``."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` pointing at the shipped scripts (and at ``connection``, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(target: str | Path | URL | Engine, revision: str = "head") -> None:
    """Upgrade the database at ``target`` to ``revision`` (default: the newest).

    Args:
        target: an engine, or anything :func:`~assetreg.adapters.sql.create_engine_for`
            accepts (URL or SQLite path).
        revision: an Alembic revision id, or ``"head"``.

    Raises:
        PersistenceError: a database error while migrating.
    """
    engine = target if isinstance(target, Engine) else create_engine_for(target)
    try:
        with translate_errors("upgrade the schema"), engine.connect() as conn:
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
    finally:
        if engine is not target:
            engine.dispose()


def downgrade(target: str | Path | URL | Engine, revision: str) -> None:
    """Downgrade the database at ``target`` to ``revision`` (``"base"``: before 0001).

    Rows of the tables a step drops are lost: downgrading is for taking a release back,
    not for everyday use.

    Raises:
        PersistenceError: a database error while migrating.
    """
    engine = target if isinstance(target, Engine) else create_engine_for(target)
    try:
        with translate_errors("downgrade the schema"), engine.connect() as conn:
            command.downgrade(alembic_config(conn), revision)
            conn.commit()
    finally:
        if engine is not target:
            engine.dispose()


def current_revision(target: str | Path | URL | Engine) -> str | None:
    """The revision the database at ``target`` is at, or ``None`` before any migration."""
    engine = target if isinstance(target, Engine) else create_engine_for(target)
    try:
        with translate_errors("read the schema revision"), engine.connect() as conn:
            return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()
    finally:
        if engine is not target:
            engine.dispose()
