"""A database that cannot be opened says why, with its own code, in English and Chinese.

Each cause is provoked for real: a SQLite path in a folder that does not exist, a database
name the PostgreSQL server does not hold, a wrong MariaDB password, a port where no server
listens (on the loopback address). An empty workbook exits 2 and creates no database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl
import pytest
import sqlalchemy as sa

from assetreg.adapters.sql import create_engine_for, upgrade
from assetreg.cli import app
from assetreg.errors import AuthenticationFailed, DatabaseFileUnusable, DatabaseNotFound, DatabaseUnreachable
from backends import server_url

if TYPE_CHECKING:
    from pathlib import Path

    from typer.testing import CliRunner


def _import(runner: CliRunner, ledger: Path, db: str, lang: str) -> object:
    return runner.invoke(app, ["import", str(ledger), "--db", db, "--lang", lang])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "AR-507 cannot create the database file {db}: the folder {folder} does not exist"),
        ("zh", "AR-507 无法创建数据库文件 {db}：文件夹 {folder} 不存在"),
    ],
)
def test_a_database_file_in_a_missing_folder(
    runner: CliRunner, clean_ledger: Path, tmp_path: Path, lang: str, expected: str
) -> None:
    db = tmp_path / "no-such-folder" / "county.sqlite"
    result = _import(runner, clean_ledger, str(db), lang)
    assert result.exit_code == 2
    assert expected.format(db=db, folder=db.parent) in result.stderr
    assert not db.parent.exists()  # no folder is made
    with pytest.raises(DatabaseFileUnusable) as info:
        create_engine_for(db)
    assert info.value.details["reason"] == "folder_missing"


def _server_with(backend: str, **parts: str) -> str:
    url = sa.engine.make_url(server_url(backend))
    return url.set(**parts).render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "AR-505 the server holds no database 'assetreg_no_such_db'; create it (CREATE DATABASE)"),
        ("zh", "AR-505 服务器上没有数据库 'assetreg_no_such_db'；请先建库（CREATE DATABASE）"),
    ],
)
def test_a_missing_postgresql_database(runner: CliRunner, clean_ledger: Path, lang: str, expected: str) -> None:
    db = _server_with("postgresql", database="assetreg_no_such_db")
    result = _import(runner, clean_ledger, db, lang)
    assert result.exit_code == 2
    assert expected in result.stderr
    with pytest.raises(DatabaseNotFound) as info:
        upgrade(db)
    assert info.value.record == "assetreg_no_such_db"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "AR-506 the database server refused the login of user 'root': check the user name and password"),
        ("zh", "AR-506 数据库服务器拒绝用户 'root'登录：请检查连接地址中的用户名和密码"),
    ],
)
def test_a_wrong_mariadb_password(runner: CliRunner, clean_ledger: Path, lang: str, expected: str) -> None:
    db = _server_with("mariadb", username="root", password="assetreg-wrong-password")  # noqa: S106 - deliberately wrong
    result = _import(runner, clean_ledger, db, lang)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "assetreg-wrong-password" not in result.output  # never repeated
    with pytest.raises(AuthenticationFailed) as info:
        upgrade(db)
    assert info.value.code == "AR-506"


def test_a_missing_mariadb_database_and_a_postgresql_login_refused(runner: CliRunner, clean_ledger: Path) -> None:
    no_db = _server_with("mariadb", database="assetreg_no_such_db")
    result = _import(runner, clean_ledger, no_db, "en")
    assert "AR-505 the server holds no database 'assetreg_no_such_db'" in result.stderr
    no_role = _server_with("postgresql", username="assetreg_no_such_role", password="x")  # noqa: S106 - deliberately wrong
    result = _import(runner, clean_ledger, no_role, "en")
    assert "AR-506 the database server refused the login of user 'assetreg_no_such_role'" in result.stderr


@pytest.mark.parametrize(("backend", "server"), [("postgresql", "127.0.0.1:1"), ("mariadb", "127.0.0.1")])
def test_no_server_listening(runner: CliRunner, clean_ledger: Path, backend: str, server: str) -> None:
    db = _server_with(backend, host="127.0.0.1").replace(":5432/", ":1/").replace(":3306/", ":1/")
    result = _import(runner, clean_ledger, db, "en")
    assert result.exit_code == 2
    assert f"AR-504 cannot reach the database server at {server}: is it running" in result.stderr
    result = _import(runner, clean_ledger, db, "zh")
    assert f"AR-504 无法连接数据库服务器 {server}：服务器是否已启动" in result.stderr
    with pytest.raises(DatabaseUnreachable):
        upgrade(db)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_empty_workbook_exits_2_and_creates_no_database(runner: CliRunner, tmp_path: Path, lang: str) -> None:
    workbook = tmp_path / "空台账.xlsx"
    openpyxl.Workbook().save(workbook)
    db = tmp_path / "county.sqlite"
    result = _import(runner, workbook, str(db), lang)
    assert result.exit_code == 2
    message = (
        "空台账.xlsx holds no asset rows; nothing imported, no database created"
        if lang == "en"
        else "空台账.xlsx 中没有资产行；未导入任何数据，未建立数据库"
    )
    assert message in result.stderr
    assert "LED-303" in result.stdout
    assert not db.exists()
