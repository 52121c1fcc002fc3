"""Income payloads: the published plans and DESIGN §9 allocations round-trip exactly."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.adapters.serde import dumps, from_payload, loads, to_payload
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import PayloadError
from assetreg.income import (
    Beneficiary,
    BeneficiaryKind,
    Deduction,
    DeductionKind,
    DistributionPlan,
    RevenueEntry,
    RevenueKind,
    Roster,
    RosterEntry,
    distributable_income,
    run_plan,
)
from assetreg.income.presets import (
    cooperative_55_30_15,
    monthly_posts,
    per_household_tiers,
    pv_collective_45_households_55,
    pv_posts_60_of_net,
    pv_posts_80_collective_20,
    pv_posts_80_of_gross,
)

AS_OF = date(2024, 12, 31)

PLANS = [
    per_household_tiers(),
    pv_posts_80_of_gross("C"),
    pv_posts_60_of_net("C"),
    pv_collective_45_households_55("C"),
    pv_posts_80_collective_20("C"),
    cooperative_55_30_15("FUND", "C", "COOP"),
    monthly_posts("C"),
]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.id)
def test_published_plans_round_trip(plan: DistributionPlan) -> None:
    text = dumps(plan)
    assert loads(text, "distribution_plan") == plan
    assert loads(text) == plan
    assert dumps(loads(text)) == text


def test_cooperative_dividend_allocation_round_trips_with_exact_lines() -> None:
    # DESIGN §9: 45,000 split 55 % / 30 % / 15 % → 24,750 / 13,500 / 6,750.
    payees = [
        Beneficiary.party("FUND", "贫困户生产发展资金"),
        Beneficiary.collective("C"),
        Beneficiary.party("COOP", "合作社"),
    ]
    result = run_plan(cooperative_55_30_15("FUND", "C", "COOP"), Money.yuan(45_000), payees, as_of=AS_OF)
    data = to_payload(result)["data"]
    assert [line["amount"] for line in data["lines"]] == ["24750.00", "13500.00", "6750.00"]
    assert [line["rate"] for line in data["lines"]] == ["11/20", "3/10", "3/20"]
    assert data["pool"] == "45000.00"
    assert loads(dumps(result), "allocation") == result


def test_household_tier_allocation_round_trips() -> None:
    # DESIGN §9: 4-person lifted 639, 3-person marginal 1,139, 2-person no-labour 500.
    people = [
        Beneficiary(
            id="lifted4",
            kind=BeneficiaryKind.HOUSEHOLD,
            size=4,
            status=HouseholdStatus.LIFTED,
            labor_capacity=LaborCapacity.FULL,
        ),
        Beneficiary(
            id="marginal3",
            kind=BeneficiaryKind.HOUSEHOLD,
            size=3,
            status=HouseholdStatus.MONITORED,
            monitor_type=MonitorType.MARGINAL,
            labor_capacity=LaborCapacity.FULL,
        ),
        Beneficiary(
            id="nolabour2",
            kind=BeneficiaryKind.HOUSEHOLD,
            size=2,
            status=HouseholdStatus.LIFTED,
            labor_capacity=LaborCapacity.NONE,
        ),
    ]
    result = run_plan(per_household_tiers(), Money.yuan(639 + 1_139 + 500), people, as_of=AS_OF)
    back = from_payload(to_payload(result))
    assert back == result
    assert back.by_beneficiary() == {
        "lifted4": Money.yuan(639),
        "marginal3": Money.yuan(1_139),
        "nolabour2": Money.yuan(500),
    }
    for person in people:
        assert loads(dumps(person), "beneficiary") == person


def test_revenue_and_distributable_income_round_trip() -> None:
    # DESIGN §9: PV income 120,000 yuan, O&M at the cap 9,000 → net 111,000.
    entry = RevenueEntry(
        id="R1",
        asset_id="PV1",
        kind=RevenueKind.ELECTRICITY_BENCHMARK,
        amount=Money.yuan(120_000),
        period=Period.year(2024),
        received=date(2025, 1, 15),
    )
    assert to_payload(entry)["data"]["period"] == {"start": "2024-01-01", "end": "2025-01-01"}
    assert loads(dumps(entry), "revenue_entry") == entry
    income = distributable_income(
        Money.yuan(120_000), [Deduction(DeductionKind.OPERATION_MAINTENANCE, Money.yuan(9_000))]
    )
    assert to_payload(income)["data"]["net"] == "111000.00"
    assert loads(dumps(income)) == income
    roster = Roster(
        (RosterEntry(beneficiary_id="H1", since=date(2024, 1, 1), until=date(2025, 1, 1), reason="review"),)
    )
    assert loads(dumps(roster)) == roster


def test_bad_tier_amount_kind_and_money_are_reported_by_path() -> None:
    payload = to_payload(cooperative_55_30_15("FUND", "C", "COOP"))
    payload["data"]["tiers"][0]["amount"]["kind"] = "lottery"
    payload["data"]["tiers"][1]["amount"]["rate"] = 0.3
    payload["data"]["tiers"][2]["cap"] = "1.005"
    with pytest.raises(PayloadError) as info:
        from_payload(payload, "distribution_plan")
    assert sorted(info.value.details["errors"]) == [
        "data.tiers.0.amount.kind",
        "data.tiers.1.amount.rate",
        "data.tiers.2.cap",
    ]
