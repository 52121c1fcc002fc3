"""The ``assetreg`` command (命令行): parse, call one service, render.

Commands: ``import``, ``export``, ``values``, ``stats``, ``plot``, ``check``, ``verify``,
``allocate``, ``notice``, ``plans``, ``distribute``, ``pay``, ``explain``, ``demo``, ``schema``,
``pv-screening``
and ``db upgrade``. Exit codes: 0 clean; 1 findings (or rejected rows) at error severity; 2
bad usage or unreadable input. ``--lang zh`` (the default, or ``ASSETREG_LANG``) prints
Chinese messages and headers; ``--db`` defaults to ``assetreg.sqlite`` or ``ASSETREG_DB``.

Data goes to standard output (``--format table|json|csv``); progress and status lines go
to standard error, so ``--format json`` output can be piped. Errors never print a Python
traceback unless ``assetreg --debug`` (or ``ASSETREG_DEBUG=1``) asks for one. Resident ids
(公民身份号码) are never printed in full. See ``docs/cli.md``.

Modules: :mod:`~assetreg.cli.app` (root, options, errors), :mod:`~assetreg.cli.register`
(import, export, values, db upgrade), :mod:`~assetreg.cli.income` (allocate, notice, demo),
:mod:`~assetreg.cli.audit` (check, verify), :mod:`~assetreg.cli.books` (plans, distribute,
pay, explain), :mod:`~assetreg.cli.stats` (stats, plot), :mod:`~assetreg.cli.schema` (schema),
:mod:`~assetreg.cli.render` (tables, JSON, CSV).
"""

from assetreg.cli import audit as _audit
from assetreg.cli import books as _books
from assetreg.cli import income as _income
from assetreg.cli import register as _register
from assetreg.cli import schema as _schema
from assetreg.cli import screening as _screening
from assetreg.cli import stats as _stats
from assetreg.cli.app import DEFAULT_DB, app, main

__all__ = ["DEFAULT_DB", "app", "main"]

del (
    _audit,
    _books,
    _income,
    _register,
    _schema,
    _screening,
    _stats,
)  # imported for their commands, which register on ``app``
