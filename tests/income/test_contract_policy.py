"""Operating contracts checked against the policy at entry (issue 11, P8).

DESIGN §7 P8: guaranteed returns seen at 6–10 % a year ("not below the bank benchmark rate
in special cases"), 6 % paid quarterly, 3 % a year with an advance of two thirds; whether
the floor is max(floor, share) or floor + share is a contract term. The 6 % on 851.65 万元 is
满城区 2021年资产收益项目(天香), http://mancheng.gov.cn/show-19993.html ("资产收益为6%",
shared/data/real/published_projects.csv row 1). The 1.5 % benchmark below is the People's
Bank of China one-year deposit benchmark rate in force since 2015-10-24 (a configured value,
not a preset: no county rule naming its benchmark was found).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.domain.assets import AssetId
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.rights import ContractId, ContractTerms, GuaranteedReturn, OperatingContract
from assetreg.domain.vocab import OperationMode, PaymentFrequency
from assetreg.errors import ContractRefused

BASE = Money.wan("851.65")
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "assetreg" / "samples" / "sample_ledger.csv"


def _contract(rate: str, *, tied: bool = False) -> OperatingContract:
    floor = GuaranteedReturn(rate=Fraction(rate), base=BASE, frequency=PaymentFrequency.QUARTERLY, benchmark_tied=tied)
    return OperatingContract(
        id=ContractId("MC-2021-001/contract"),
        asset_id=AssetId("MC-2021-001"),
        operator=PartyId("天香"),
        mode=OperationMode.EQUITY,
        term=Period(date(2021, 11, 1), date(2024, 11, 1)),
        terms=ContractTerms(guaranteed_return=floor),
    )


def test_rates_inside_the_band_are_accepted():
    for rate in ("6/100", "10/100", "8/100"):
        NATIONAL_2021.check_contract(_contract(rate))
    assert _contract("6/100").terms.guaranteed_return.payment() == Money.yuan("127747.50")  # DESIGN §9


@pytest.mark.parametrize(
    ("rate", "reason", "shown"),
    [("599/10000", "rate_below_band", "5.99%"), ("1001/10000", "rate_above_band", "10.01%")],
)
def test_rates_outside_the_band_are_refused(rate: str, reason: str, shown: str):
    with pytest.raises(ContractRefused) as info:
        NATIONAL_2021.check_contract(_contract(rate))
    error = info.value
    assert error.code == "AR-301"
    assert (error.details["reason"], error.actual, error.expected) == (reason, shown, "6%–10%")
    assert error.record == "MC-2021-001/contract"
    assert error.field == "guaranteed_return.rate"


def test_the_bank_benchmark_special_case_is_configurable():
    three = _contract("3/100", tied=True)  # P8: 3 % a year, tied to the benchmark
    with pytest.raises(ContractRefused) as info:
        NATIONAL_2021.check_contract(three)
    assert info.value.details["reason"] == "no_benchmark_configured"
    deposit = attrs.evolve(NATIONAL_2021, guaranteed_return_benchmark="1.5%")
    deposit.check_contract(three)
    loan = attrs.evolve(NATIONAL_2021, guaranteed_return_benchmark="4.35%")
    with pytest.raises(ContractRefused) as below:
        loan.check_contract(three)
    assert (below.value.details["reason"], below.value.details["benchmark"]) == ("below_benchmark", "87/2000")
    # without the tie the special case does not apply
    with pytest.raises(ContractRefused):
        deposit.check_contract(_contract("3/100"))


def test_the_ledger_import_refuses_a_row_whose_rate_is_outside_the_band(tmp_path: Path):
    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    head, row = rows[0], rows[1]  # 满城区 MC-2021-001, 6 %
    row[head.index("合同起止")] = "2021年11月1日—2024年10月31日"
    results = {}
    for rate in ("6%", "5%"):
        row[head.index("保底收益率")] = rate
        out = io.StringIO()
        csv.writer(out).writerows([head, row])
        path = tmp_path / f"ledger-{rate[0]}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        results[rate] = import_ledger(path, recorded_at=datetime(2025, 1, 1, tzinfo=UTC), policy=NATIONAL_2021)
    assert (len(results["6%"].rejected), len(results["5%"].rejected)) == (0, 1)
    refused = [i for i in results["5%"].issues if i.field == "guaranteed_rate"]
    assert len(refused) == 1
    assert "5%" in refused[0].message_en
    assert "below the policy's band 6%–10%" in refused[0].message_en
