"""Developer sessions: ``nox`` runs the tests; ``nox -s lint typecheck arch`` the checks.

``nox -s bench`` runs the heavy benchmarks (not part of CI); sizes can be lowered with the
``ASSETREG_BENCH_*`` environment variables documented in ``tests/bench/README.md``.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = ["3.11", "3.12", "3.13"]


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """Run the test suite in the current environment (as CI and the README do)."""
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def tests_isolated(session: nox.Session) -> None:
    """Install the package in a fresh virtualenv and run the suite there."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff: every rule on, each ignore justified in pyproject.toml; formatting checked too."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, on ``src/``."""
    session.install("-e", ".[test]", "mypy>=1.10")
    session.run("mypy", "src/assetreg")


@nox.session
def arch(session: nox.Session) -> None:
    """Import-linter: the layer contracts of DESIGN §3."""
    session.install("-e", ".", "import-linter>=2.0")
    session.run("lint-imports", "--no-cache")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks (pytest-benchmark); heavy, not run in CI.

    Writes the table of every figure against its anchor (min and median of interleaved
    runs, ratio, goal) to ``bench-results.md`` here, or to ``ASSETREG_BENCH_RESULTS``.
    ``ASSETREG_BENCH_QUICK=1 nox -s bench`` runs small sizes in a few minutes; the sizes of
    each benchmark are in ``tests/bench/README.md``.
    """
    session.install("-e", ".[test]")
    session.run(
        "python",
        "-m",
        "pytest",
        "tests/bench",
        "--benchmark-enable",
        "-s",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        *session.posargs,
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors, and run the docs' Python examples.

    ``mkdocs build --strict`` renders docs/ (tutorial, how-tos, the reference generated from
    the docstrings, the glossary) and draws the tutorial's plots from the bundled sample
    (tools/mkdocs_plots.py); the examples in docs/*.md run as doctests.
    """
    session.install("-e", ".[docs,test]")
    session.run("mkdocs", "build", "--strict", "--site-dir", session.create_tmp() + "/site")
    session.run("python", "-m", "pytest", "--doctest-glob=*.md", "docs", "-o", "addopts=")
