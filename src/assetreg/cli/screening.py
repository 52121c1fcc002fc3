"""The ``pv-screening`` command: the monthly PV screening report of a county (光伏电站月度监测表).

It reads the stored register and revenue entries (or ``--income`` beside the database),
runs :func:`assetreg.audit.pv_screening.pv_screening` for one year and prints the table
(``--format table``) or CSV (``--format csv``); see the audit module for the fault kinds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from assetreg.cli.app import (
    DEFAULT_DB,
    AsOfOption,
    DbOption,
    Fail,
    Format,
    FormatOption,
    Lang,
    LangOption,
    PolicyOption,
    app,
    as_of_date,
    load_policy,
    open_store,
    run,
)
from assetreg.cli.register import read_income

__all__ = ["pv_screening_command"]


@app.command("pv-screening", short_help="光伏月度监测 Monthly PV screening report of a county.")
def pv_screening_command(  # noqa: PLR0917 - Typer passes options by keyword
    year: Annotated[int, typer.Option("--year", help="监测年度 The calendar year screened.")],
    db: DbOption = DEFAULT_DB,
    income: Annotated[
        Path | None,
        typer.Option(
            "--income", help="收益台账；不给时使用库中已存的收益记录。 Income ledger instead of the stored entries."
        ),
    ] = None,
    county: Annotated[
        str | None, typer.Option("--county", help="区划代码前缀，如 620422。 Area-code prefix (a county: 6 digits).")
    ] = None,
    as_of: AsOfOption = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
    lang: LangOption = Lang.ZH,
) -> None:
    """光伏电站月度监测表。 Print one line per PV station and month: kWh, expected kWh, income, faults.

    Faults: 缺月 (no income although the quarter's settlement is due), 发电量偏低 (below the
    policy's pv_low_output_ratio of capacity × pv_full_load_hours), 收益偏低 (below that share
    of the station's median month), 拨付逾期 (passed on after its deadline).

    Exit 0 when no station has a fault, 1 when any has, 2 when input cannot be read.

    Example: assetreg pv-screening --db county.sqlite --year 2024 --county 620422 --format csv
    """

    def body() -> None:
        from assetreg.adapters.sql import SqlUnitOfWork  # noqa: PLC0415
        from assetreg.audit import AuditBooks  # noqa: PLC0415
        from assetreg.audit.pv_screening import (  # noqa: PLC0415
            pv_screening,
            render_screening_csv,
            render_screening_table,
        )
        from assetreg.services.importing import stored_books  # noqa: PLC0415

        pol = load_policy(policy, lang)
        day = as_of_date(as_of, lang)
        income_ledger = read_income(income, lang)
        with open_store(db, lang) as engine:
            stored = stored_books(SqlUnitOfWork(engine), revenue=income_ledger is None, prefix=county)
        revenue = income_ledger.entries if income_ledger is not None else stored.revenue
        books = AuditBooks(register=stored.register, revenue=tuple(revenue))
        rows = pv_screening(books, year=year, as_of=day, policy=pol, area_prefix=county)
        if fmt is Format.CSV:
            sys.stdout.write(render_screening_csv(rows))
        else:
            sys.stdout.write(render_screening_table(rows) + "\n")
        if any(r.faults for r in rows):
            raise Fail(1)

    run(body, lang)
