"""``import assetreg`` stays light: no SQLAlchemy, no marshmallow (DESIGN §3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_import_assetreg_imports_neither_sqlalchemy_nor_marshmallow() -> None:
    result = _run("import assetreg, sys; assert 'sqlalchemy' not in sys.modules and 'marshmallow' not in sys.modules")
    assert result.returncode == 0, result.stderr


def test_domain_ports_and_memory_adapter_stay_free_of_adapter_libraries() -> None:
    result = _run(
        "import sys\n"
        "import assetreg.errors, assetreg.ports, assetreg.adapters.memory\n"
        "import assetreg.domain.history, assetreg.domain.policy, assetreg.domain.register\n"
        "bad = sorted(m for m in ('sqlalchemy', 'marshmallow', 'openpyxl', 'alembic') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    assert result.returncode == 0, result.stderr


def test_the_check_itself_can_fail() -> None:
    result = _run("import sys, json; assert 'json' not in sys.modules")
    assert result.returncode != 0
