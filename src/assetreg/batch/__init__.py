"""County batches on Dask distributed (DESIGN §3, §11): audit, distribution and values by county.

A province's batch work is a map over its counties: each task opens its own unit of work on
the store, scoped to its county (:class:`~assetreg.adapters.sql.SqlUnitOfWork` with
``scope=`` the 6-digit county code), runs the service of one county and returns values;
the results are gathered and merged in county order, so that the merged result is the one
a single-process run over the whole store gives (the tests hold :func:`audit_counties`,
:func:`distribute_counties` and :func:`value_counties` to it on SQLite and PostgreSQL).

Scheduling is Dask's (``pip install "assetreg[batch]"``): pass a
:class:`distributed.Client` — ``Client(LocalCluster(n_workers=4))`` on one machine, or
``Client("tcp://scheduler:8786")`` for a real cluster whose workers have ``assetreg`` and
the database driver installed and can reach the database URL. No home-made scheduler,
queue or worker pool.

* :class:`SqlStore` — a picklable address of the store (its SQLAlchemy URL); each worker
  opens one engine per URL and a unit of work per task.
* :func:`stored_counties` — the 6-digit county codes the store holds assets or books in.
* :func:`audit_counties`, :func:`distribute_counties`, :func:`value_counties` — the batches.
"""

from __future__ import annotations

from assetreg.batch.counties import (
    SqlStore,
    audit_counties,
    distribute_counties,
    merge_period_runs,
    merge_reports,
    stored_counties,
    value_counties,
)

__all__ = [
    "SqlStore",
    "audit_counties",
    "distribute_counties",
    "merge_period_runs",
    "merge_reports",
    "stored_counties",
    "value_counties",
]
