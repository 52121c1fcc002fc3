"""Backends for the repository contract suite and the services: memory, SQLite, PostgreSQL, MariaDB.

Loaded as a pytest plugin by ``tests/conftest.py``, so every test directory can use the
``store`` and ``*_engine`` fixtures.

PostgreSQL and MariaDB run when ASSETREG_TEST_POSTGRESQL_URL / ASSETREG_TEST_MARIADB_URL
are set (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test`` and
``mysql+pymysql://root@127.0.0.1:3306/test``); otherwise they are skipped with a reason.
Each test module gets its own schema (PostgreSQL), database (MariaDB) or file (SQLite),
dropped afterwards; each test starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from assetreg.adapters.memory import MemoryStore
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, metadata, upgrade

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from assetreg.ports import UnitOfWork

PG_ENV = "ASSETREG_TEST_POSTGRESQL_URL"
MARIADB_ENV = "ASSETREG_TEST_MARIADB_URL"
SQL_BACKENDS = ("sqlite", "postgresql", "mariadb")


_ANSWERS: dict[str, str | None] = {}


def _probe(url: str) -> str | None:
    """``None`` when a server answers at ``url``, else why not (cached per URL)."""
    if url not in _ANSWERS:
        try:
            engine = create_engine_for(url, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            engine.dispose()
            _ANSWERS[url] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "no server answers"
            _ANSWERS[url] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return _ANSWERS[url]


def server_url(backend: str) -> str:
    """The server URL for ``backend``; skips (or, under CI, fails) visibly when there is none.

    Unset variable: skip with the reason. Set but no server answers: skip with the reason on a
    user's machine; fail under CI, where the services must be up (a silent skip would hide a
    broken backend).
    """
    env = PG_ENV if backend == "postgresql" else MARIADB_ENV
    url = os.environ.get(env)
    if not url:
        pytest.skip(f"{backend}: set {env} to run the {backend} tests")
    problem = _probe(url)
    if problem is not None:
        message = f"{backend}: {env} is set but no server answers ({problem})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def fresh_engine(backend: str, tmp_dir: Path) -> Iterator[sa.Engine]:
    """An engine on an empty, private namespace of ``backend``; dropped on exit."""
    name = f"assetreg_t_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        engine = create_engine_for(tmp_dir / f"{name}.db")
        yield engine
        engine.dispose()
        return
    url = server_url(backend)
    admin = create_engine_for(url, isolation_level="AUTOCOMMIT")
    if backend == "postgresql":
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
        engine = create_engine_for(url, connect_args={"options": f"-c search_path={name}"})
        drop = f"DROP SCHEMA {name} CASCADE"
    else:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        engine = create_engine_for(sa.make_url(url).set(database=name))
        drop = f"DROP DATABASE {name}"
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(drop)
        admin.dispose()


@pytest.fixture(params=SQL_BACKENDS)
def sql_engine(request: pytest.FixtureRequest) -> sa.Engine:
    """A SQL backend's module-wide engine, tables created and emptied for the test."""
    engine: sa.Engine = request.getfixturevalue(f"{request.param}_engine")
    clear(engine)
    return engine


def clear(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def stored_rows(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table as the driver returns it (no SQLAlchemy type processing).

    Ordered by primary key, so two loads of the same register compare equal only if they
    stored the same values column by column (payload text, instants, chain hashes).
    """
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            select = sa.select(table).order_by(*table.primary_key.columns)
            sql = str(select.compile(dialect=conn.dialect))
            out[table.name] = [tuple(row) for row in conn.exec_driver_sql(sql)]
    return out


class Store:
    """A backend under test: makes units of work over one shared database.

    ``check_references=False`` makes units of work that accept events naming parties not
    stored (the bulk-migration option), for tests whose builders name such parties.
    """

    def __init__(
        self,
        name: str,
        make: Callable[..., UnitOfWork],
        engine: sa.Engine | None,
        *,
        check: bool = True,
    ) -> None:
        self.name = name
        self._make = make
        self.engine = engine
        self.check_references = check

    def uow(self, scope: str | None = None, *, explain: bool = False, write_scope: str | None = None) -> UnitOfWork:
        """A unit of work; ``explain=True`` reports out-of-scope records as ScopeViolation."""
        return self._make(scope, self.check_references, explain, write_scope=write_scope)

    def legacy(self) -> Store:
        """The same database, through units of work that skip the referential checks."""
        return Store(self.name, self._make, self.engine, check=False)


@pytest.fixture(params=("memory", *SQL_BACKENDS, "postgresql_partitioned"))
def store(request: pytest.FixtureRequest) -> Store:
    """The contract suite's backend: memory, or a SQL backend with empty tables.

    ``postgresql_partitioned`` is PostgreSQL with the schema built by the migrations, whose
    revision 0007 partitions the events by county (DESIGN §11); it answers as ``postgresql``.
    """
    if request.param == "memory":
        memory = MemoryStore()
        return Store(
            "memory",
            lambda scope, check, explain, write_scope=None: memory.unit_of_work(
                scope, write_scope=write_scope, check_references=check, explain_refusals=explain
            ),
            None,
        )
    engine = request.getfixturevalue(f"{request.param}_engine")
    clear(engine)
    return Store(
        request.param.removesuffix("_partitioned"),
        lambda scope, check, explain, write_scope=None: SqlUnitOfWork(
            engine, scope=scope, write_scope=write_scope, check_references=check, explain_refusals=explain
        ),
        engine,
    )


def _engine_fixture(backend: str) -> Callable[..., Iterator[sa.Engine]]:
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
        for engine in fresh_engine(backend, tmp_path_factory.mktemp("db")):
            metadata.create_all(engine)
            yield engine

    return fixture


@pytest.fixture(scope="module")
def postgresql_partitioned_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """PostgreSQL with the schema of the migrations (the events partitioned by county, 0005)."""
    for engine in fresh_engine("postgresql", tmp_path_factory.mktemp("db")):
        upgrade(engine)
        yield engine


sqlite_engine = _engine_fixture("sqlite")
postgresql_engine = _engine_fixture("postgresql")
mariadb_engine = _engine_fixture("mariadb")
