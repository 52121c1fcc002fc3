"""The ``report`` fixture of the benchmarks and the results file (see ``bench_report.py``)."""

from __future__ import annotations

import pytest
from bench_report import Report, write_results


@pytest.fixture(scope="session")
def report() -> Report:
    """Record a figure (ours vs its anchor) for the results table."""
    return Report()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    write_results(session)
