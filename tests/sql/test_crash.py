"""A bulk load killed with SIGKILL half-way leaves none of its rows (one transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from builders import registered

import assetreg
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade

if TYPE_CHECKING:
    import sqlalchemy as sa

ASSETS = 1000
EVENTS_PER_ASSET = 4

LOADER = textwrap.dedent(
    f"""
    import sys, time
    from builders import back_in_use, idle, owned, registered
    from assetreg.adapters.sql import bulk_load, create_engine_for
    from assetreg.domain.history import AssetHistory

    histories = [
        AssetHistory.of([registered(f"B{{n:05d}}"), owned(f"B{{n:05d}}"), idle(f"B{{n:05d}}", minutes=5),
                         back_in_use(f"B{{n:05d}}", minutes=6)])
        for n in range({ASSETS})
    ]

    def progress(done, total):
        print(done, total, flush=True)
        time.sleep(0.05)

    bulk_load(create_engine_for(sys.argv[1]), histories, batch_size=250, progress=progress)
    print("finished", flush=True)
    """
)


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()  # noqa: S608 - fixed names


def test_killed_bulk_load_leaves_none_of_its_rows(tmp_path):
    path = tmp_path / "county.db"
    upgrade(path)
    engine = create_engine_for(path)
    with SqlUnitOfWork(engine) as uow:
        uow.assets.append("KEEP", [registered("KEEP")], expected_version=0)
        uow.commit()

    src = str(Path(assetreg.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, str(Path(__file__).parent)])}
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", LOADER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().split()
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    proc.stdout.close()

    assert proc.returncode == -signal.SIGKILL
    done, total = int(first[0]), int(first[1])
    assert 0 < done < total == ASSETS * (1 + EVENTS_PER_ASSET)
    # none of the load, and the earlier commit intact
    assert _count(engine, "asset") == 1
    assert _count(engine, "asset_event") == 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    with SqlUnitOfWork(engine) as uow:
        assert uow.assets.ids() == ["KEEP"]
        assert uow.assets.get("KEEP").version == 1
    engine.dispose()


def test_the_same_load_left_alone_writes_all(tmp_path):
    path = tmp_path / "county.db"
    upgrade(path)
    src = str(Path(assetreg.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, str(Path(__file__).parent)])}
    script = LOADER.replace("time.sleep(0.05)", "pass")
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    ).stdout.split("\n")
    assert "finished" in out
    engine = create_engine_for(path)
    assert _count(engine, "asset") == ASSETS
    assert _count(engine, "asset_event") == ASSETS * EVENTS_PER_ASSET
    engine.dispose()
