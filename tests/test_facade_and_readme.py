"""The facade's public names and the README's examples."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import assetreg

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_every_name_exists():
    # isort-style order (ruff RUF022): CONSTANTS, then Classes, then functions
    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert list(assetreg.__all__) == sorted(assetreg.__all__, key=key)
    missing = [name for name in assetreg.__all__ if not hasattr(assetreg, name)]
    assert missing == []


def test_facade_imports_no_adapter_library():
    code = (
        "import sys, assetreg; "
        "bad = [m for m in ('sqlalchemy', 'marshmallow', 'alembic', 'openpyxl', 'typer', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == ""


def test_readme_quick_start_has_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```\n(.*?)```", text, re.DOTALL)
    assert first is not None
    lines = [line for line in first.group(1).splitlines() if line.strip()]
    assert lines == ['pip install ".[test]" && assetreg demo', "python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npython -m pytest" in ci


def test_readme_python_examples_print_what_they_say():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    for code in blocks:  # the blocks build on each other, as a reader runs them
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - running our own documentation
        assert out.getvalue().splitlines() == expected


def test_docs_examples_run():
    import doctest

    for page in sorted((ROOT / "docs").rglob("*.md")):  # the how-tos too
        result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, page.name
