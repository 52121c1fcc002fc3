"""Start-up cost: ``import assetreg`` vs ``python -c pass`` (CPU of the child processes).

Interleaved runs (``ASSETREG_BENCH_IMPORT_RUNS``, default 15) of ``python -c pass``,
``python -c "import assetreg"`` and, for reference, an import that uses the library
(``from assetreg import Money, run_checks``). Printed: min and median CPU (user + system)
of each and the ratio of the medians (target: ``import assetreg`` within 3x).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys

from bench_report import size

RUNS = int(size("ASSETREG_BENCH_IMPORT_RUNS", "15", "5"))
CODES = {
    "python -c pass": "pass",
    "import assetreg": "import assetreg",
    "from assetreg import Money, run_checks": "from assetreg import Money, run_checks",
}


def _cpu(code: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - our interpreter, fixed code
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_import_cpu_against_python_pass(benchmark, report) -> None:
    seconds: dict[str, list[float]] = {label: [] for label in CODES}
    for _ in range(RUNS):
        for label, code in CODES.items():
            seconds[label].append(_cpu(code))
    benchmark.pedantic(lambda: _cpu("import assetreg"), rounds=3)
    anchor = statistics.median(seconds["python -c pass"])
    for label, limit in (("import assetreg", 3.0), ("from assetreg import Money, run_checks", None)):
        report(
            f"start-up: {label}",
            size="CPU of a child process",
            anchor="python -c pass",
            ours=seconds[label],
            theirs=seconds["python -c pass"],
            goal="" if limit is None else f"<= {limit:g}x",
            limit=limit,
        )
    for label, values in seconds.items():
        print(
            f"\n[import] {label}: CPU min {min(values) * 1000:.1f} ms median {statistics.median(values) * 1000:.1f} ms "
            f"ratio {statistics.median(values) / anchor:.2f}x"
        )
    assert statistics.median(seconds["import assetreg"]) > 0
