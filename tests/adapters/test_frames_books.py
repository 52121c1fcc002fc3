"""Frames of the stored income books: distributions, payments and household income, exact to the fen.

The books are the demo's (the bundled sample, sources in src/assetreg/samples/README.md):
灵台县 柳家铺村 PV station, 67,420.00 distributable — 30,339.00 (45 %) to the collective,
37,081.00 (55 %) to 55 households by 1,657 days of labour, LT-H001 514.70 for 23 days
(http://pvnews.cn/a/news/reping/11988.html); 肃州区 cooperative 45,000.00 split 55/30/15
(http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from assetreg.adapters.frames import (
    COLUMNS_ZH,
    distribution_frame,
    distribution_table,
    household_income_frame,
    household_income_table,
    payment_frame,
    yuan,
)
from assetreg.adapters.sql import SqlUnitOfWork, create_engine_for
from assetreg.demo import run_demo
from assetreg.domain.money import Money
from assetreg.income.books import Payment, PaymentMethod, PaymentStatus
from assetreg.services.books import record_payments

LT = "D/LT-PV-001/2019-05-01/2020-05-01"
AT = datetime(2025, 1, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    db = tmp_path_factory.mktemp("books") / "d.sqlite"
    run_demo(db)
    engine = create_engine_for(db)
    with SqlUnitOfWork(engine) as uow:
        distributions = uow.distributions.list()
    lt = next(d for d in distributions if d.id == LT)
    [(index, line)] = lt.lines_of("LT-H001")
    paid = Payment(
        id="P-1",
        area=lt.area,
        recorded_at=AT,
        distribution_id=LT,
        line_index=index,
        beneficiary_id="LT-H001",
        paid_on=date(2020, 5, 25),
        amount=line.amount,
        method=PaymentMethod.ONE_CARD,
        account_ref="6228***********0018",
    )
    returned = Payment(
        id="P-2",
        area=lt.area,
        recorded_at=AT,
        distribution_id=LT,
        line_index=index + 1,
        beneficiary_id=lt.lines[index + 1].beneficiary_id,
        paid_on=date(2020, 5, 25),
        amount=lt.lines[index + 1].amount,
        method=PaymentMethod.BANK_TRANSFER,
        status=PaymentStatus.FAILED,
    )
    record_payments(SqlUnitOfWork(engine), [paid, returned])
    with SqlUnitOfWork(engine) as uow:
        payments = uow.payments.list()
    engine.dispose()
    return distributions, payments


def test_distribution_lines_add_up_to_each_pool(books):
    distributions, _ = books
    frame = distribution_frame(distributions)
    assert len(frame) == 56 + 3  # 灵台: the collective and 55 households; 肃州: three funds
    sums = frame.groupby("distribution_id").amount_fen.sum().to_dict()
    pools = frame.groupby("distribution_id").pool_fen.first().to_dict()
    assert sums == pools == {LT: 6_742_000, "D/SZ-GH-001/2019-01-01/2020-01-01": 4_500_000}
    assert yuan(frame.amount_fen.sum()) == Decimal("112420.00")
    row = frame[frame.beneficiary_id == "LT-H001"].iloc[0]
    assert (row.amount_yuan, row.weight, row.share, row.rate, row.tier_amount_yuan) == (
        "514.70",
        23,
        "23/1657",
        "11/20",
        "37081.00",
    )
    assert (row.county, row.period_start, row.period_end) == ("620822", pd_ts("2019-05-01"), pd_ts("2020-05-01"))
    assert str(frame.amount_fen.dtype) == "Int64"
    assert all(str(frame[c].dtype) != "float64" for c in frame.columns)
    assert set(frame.columns) <= set(COLUMNS_ZH) | {"township", "county", "village"}


def pd_ts(day: str):
    import pandas as pd

    return pd.Timestamp(day)


def test_records_without_pandas_are_plain_values(books):
    distributions, _ = books
    records = distribution_table(distributions).as_records()
    first = next(r for r in records if r["beneficiary_id"] == "LT-H001")
    assert (first["amount_fen"], first["amount_yuan"], first["period_start"], first["line_index"]) == (
        51470,
        "514.70",
        date(2019, 5, 1),
        1,
    )
    assert not any(isinstance(v, float) for r in records for v in r.values())


def test_payments_and_household_income(books):
    distributions, payments = books
    pays = payment_frame(payments)
    assert list(zip(pays.payment_id, pays.status, pays.amount_yuan, strict=True)) == [
        ("P-1", "paid", "514.70"),
        ("P-2", "failed", pays.amount_yuan.iloc[1]),
    ]
    income = household_income_frame(distributions, payments)
    assert len(income) == 55  # the households that did public labour (the funds and the collective are not households)
    lt001 = income[income.beneficiary_id == "LT-H001"].iloc[0]
    assert (lt001.amount_yuan, lt001.paid_yuan, lt001.outstanding_yuan, lt001.asset_ids) == (
        "514.70",
        "514.70",
        "0.00",
        "LT-PV-001",
    )
    assert int(income.amount_fen.sum()) == 3_708_100  # 55 % of 67,420.00
    failed = income[income.beneficiary_id == pays.beneficiary_id.iloc[1]].iloc[0]
    assert failed.paid_fen == 0  # a failed payment pays nothing
    assert failed.outstanding_fen == failed.amount_fen
    records = household_income_table(distributions).as_records()
    assert sum(r["paid_fen"] for r in records) == 0  # no payments given: nothing paid
    assert Money(sum(r["amount_fen"] for r in records)) == Money.yuan("37081")
