"""``assetreg pv-screening``: the monthly PV screening report (issue 11).

The bundled sample's 柳家铺村级光伏扶贫发电站 (灵台县, 186 kW, http://pvnews.cn/a/news/reping/11988.html)
earned 7.3 万元 from 2019-05-01 to 2020-04-30 (cumulative figure, period as the sample
infers it). Spread by year (8 of 12 months in 2019: 48,666.67 元) and then by day over the
245 days of 2019 it covers, May 2019 gets floor(4,866,667 fen × 31 / 245) = 6,157.82 元.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assetreg.cli import app


def test_pv_screening_prints_the_monthly_table_of_the_stored_books(runner: CliRunner, tmp_path: Path):
    db = tmp_path / "demo.sqlite"
    assert runner.invoke(app, ["demo", "--db", str(db), "--format", "json"]).exit_code == 0
    args = ["pv-screening", "--db", str(db), "--year", "2019", "--as-of", "2020-12-31", "--lang", "en"]
    csv_out = runner.invoke(app, [*args, "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    lines = csv_out.stdout.splitlines()
    assert (
        lines[0]
        == "区划代码,电站编号,电站名称,月份,装机容量(kW),发电量(kWh),应发电量(kWh),收益(元),月收益中位数(元),异常"
    )
    assert lines[1] == "620822000000,LT-PV-001,柳家铺村级光伏扶贫发电站,2019-05,186,,,6157.82,6157.82,"
    assert len(lines) == 9  # May to December 2019, the months it was in use
    # 2021 has no income: January to September are missing (their quarters' settlement was
    # due by 2021-12-29); Q4's is not due until 2022-03-31, so October to December are not yet
    table = runner.invoke(app, [*args[:4], "2021", "--as-of", "2021-12-31", "--lang", "en"])
    assert table.exit_code == 1
    assert table.stdout.count("缺月") == 9
