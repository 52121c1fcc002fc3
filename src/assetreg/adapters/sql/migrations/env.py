"""Alembic environment for assetreg's tables (run by assetreg.adapters.sql.migrate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import context

from assetreg.adapters.sql.engine import create_engine_for
from assetreg.adapters.sql.migrate import VERSION_TABLE
from assetreg.adapters.sql.tables import metadata

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine_for(config.get_main_option("sqlalchemy.url") or ":memory:")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


_main()
