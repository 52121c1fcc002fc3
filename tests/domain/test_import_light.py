"""``import assetreg`` stays light: no SQLAlchemy, no marshmallow (DESIGN §3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_import_assetreg_loads_only_the_facade() -> None:
    result = _run(
        "import sys, assetreg\n"
        "ours = sorted(m for m in sys.modules if m.startswith('assetreg'))\n"
        "assert ours == ['assetreg'], ours\n"
        "heavy = sorted(m for m in ('attr', 'attrs', 'pendulum', 'typing', 'decimal', 'fractions') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    assert result.returncode == 0, result.stderr


def test_a_public_name_is_imported_on_first_use_and_kept() -> None:
    result = _run(
        "import sys, assetreg\n"
        "assert 'assetreg.domain.money' not in sys.modules\n"
        "money = assetreg.Money\n"
        "assert 'assetreg.domain.money' in sys.modules\n"
        "from assetreg.domain.money import Money\n"
        "assert money is Money and assetreg.Money is Money and vars(assetreg)['Money'] is Money\n"
        "from assetreg import verify_chain\n"
        "from assetreg.audit import verify\n"
        "assert verify_chain is verify\n"
        "assert 'Money' in dir(assetreg) and 'verify_chain' in dir(assetreg)\n"
    )
    assert result.returncode == 0, result.stderr


def test_an_unknown_name_is_an_attribute_error() -> None:
    import assetreg

    with pytest.raises(AttributeError, match="no_such_name"):
        assetreg.no_such_name  # noqa: B018 - the attribute access is the test
    assert not hasattr(assetreg, "_private")


def test_star_import_gives_every_public_name() -> None:
    result = _run(
        "import assetreg\nns = {}\nexec('from assetreg import *', ns)\n"
        "missing = [n for n in assetreg.__all__ if n not in ns]\nassert not missing, missing\n"
    )
    assert result.returncode == 0, result.stderr
