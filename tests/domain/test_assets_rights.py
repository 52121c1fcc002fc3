"""Assets, funding, custody and contracts (DESIGN §6, P2, P8)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.domain.assets import Asset, AssetId, FundingLine, check_funding, funding_total
from assetreg.domain.events import CustodianAssigned, CustodyEnded
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    Custodianship,
    EscalationSchedule,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
    Ownership,
    ProfitShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    CustodyMethod,
    FloorSemantics,
    FundingSource,
    OperationMode,
    PaymentFrequency,
)
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidValue
from domain.builders import VC_HUISHI, VILLAGE_HUISHI, at, pv_asset, registered

D = date
F = FundingSource


class TestFunding:
    def test_lines_add_up(self) -> None:
        lines = (
            FundingLine(F.SPECIAL_POVERTY_FUND, Money.wan("600")),
            FundingLine(F.EAST_WEST_COOPERATION, Money.wan("251.65"), note="东西部协作资金"),
        )
        asset = pv_asset(funding=lines)
        assert funding_total(lines) == Money.wan("851.65")
        assert asset.funding_total == asset.original_value
        check_funding(asset)

    def test_no_lines_pass(self) -> None:
        check_funding(pv_asset(funding=()))

    def test_mismatch_names_the_asset(self) -> None:
        asset = pv_asset(funding=(FundingLine(F.SPECIAL_POVERTY_FUND, Money.wan("851.64")),))
        with pytest.raises(InvalidAmount) as info:
            check_funding(asset)
        assert info.value.code == "AR-101"
        assert info.value.record == "HN-PV-001"
        assert info.value.field == "funding"
        assert info.value.expected == "8516500.00元"
        assert info.value.actual == "8516400.00元"

    def test_mismatch_refused_when_registering_in_a_history(self) -> None:
        asset = pv_asset(funding=(FundingLine(F.SPECIAL_POVERTY_FUND, Money.wan("800")),))
        with pytest.raises(InvalidAmount) as info:
            AssetHistory.of([registered(asset)])
        assert info.value.record == "HN-PV-001"

    def test_mismatch_refused_when_registering_in_a_register(self) -> None:
        asset = pv_asset(funding=(FundingLine(F.SPECIAL_POVERTY_FUND, Money.wan("800")),))
        with pytest.raises(InvalidAmount) as info:
            AssetRegister.empty().record(registered(asset))
        assert info.value.record == "HN-PV-001"
        assert info.value.field == "funding"

    def test_negative_amounts(self) -> None:
        with pytest.raises(InvalidAmount):
            FundingLine(F.SPECIAL_POVERTY_FUND, Money(-1))
        with pytest.raises(InvalidAmount) as info:
            pv_asset(value=Money(-1), funding=())
        assert info.value.field == "original_value"

    def test_asset_fields(self) -> None:
        asset = pv_asset()
        assert asset.county == "620422"
        assert asset.capacity_kw == Decimal(300)
        with pytest.raises(TypeError):
            Asset(
                id=AssetId("X"),
                name="x",
                asset_class=AssetClass.OPERATING,
                location=VILLAGE_HUISHI,
                original_value=Money(1),
                capacity_kw=300.0,  # type: ignore[arg-type]
            )
        with pytest.raises(InvalidValue):
            Asset(
                id=AssetId("X"),
                name="x",
                asset_class=AssetClass.OPERATING,
                location=VILLAGE_HUISHI,
                original_value=Money(1),
                quantity=Decimal(-1),
            )
        with pytest.raises(InvalidValue):
            Asset(
                id=AssetId(""),
                name="x",
                asset_class=AssetClass.OPERATING,
                location=VILLAGE_HUISHI,
                original_value=Money(1),
            )
        with pytest.raises(TypeError):
            Asset(
                id=AssetId("X"), name="x", asset_class=AssetClass.OPERATING, location=VILLAGE_HUISHI, original_value=100
            )  # type: ignore[arg-type]


class TestCustody:
    def test_one_custodian_at_a_time(self) -> None:
        asset = pv_asset()
        first = PartyId("VC-HS")
        second = PartyId("SVC-1")
        history = AssetHistory.of(
            [
                registered(asset),
                CustodianAssigned(
                    asset_id=asset.id,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 2),
                    custodian=first,
                    method=CustodyMethod.VILLAGE_COLLECTIVE,
                    valid_to=D(2025, 1, 1),
                    upkeep_budget=Money.yuan(9000),
                ),
                CustodianAssigned(
                    asset_id=asset.id,
                    effective=D(2021, 7, 1),
                    recorded_at=at(2021, 7, 2),
                    custodian=second,
                    method=CustodyMethod.PURCHASED_SERVICE,
                ),
                CustodyEnded(asset_id=asset.id, effective=D(2023, 1, 1), recorded_at=at(2023, 1, 2)),
            ]
        )
        assert history.state(as_of=D(2021, 6, 30)).custodian == first
        assert history.state(as_of=D(2021, 7, 1)).custodian == second
        assert history.state(as_of=D(2022, 12, 31)).custodian == second
        assert history.state(as_of=D(2023, 1, 1)).custodian is None
        spans = history.custodianships()
        assert [(c.custodian, c.valid_from, c.valid_to) for c in spans] == [
            (first, D(2019, 1, 1), D(2021, 7, 1)),
            (second, D(2021, 7, 1), D(2023, 1, 1)),
        ]
        assert spans[0].upkeep_budget == Money(900_000)
        for a, b in itertools.pairwise(spans):
            assert a.valid_to is not None
            assert a.valid_to <= b.valid_from
        # As declared, the first agreement ran to 2025: the overlap shows there.
        declared = history.custody_as_declared()
        assert [(c.custodian, c.valid_to) for c in declared] == [(first, D(2025, 1, 1)), (second, None)]

    def test_agreement_expiring_leaves_no_custodian(self) -> None:
        asset = pv_asset()
        history = AssetHistory.of(
            [
                registered(asset),
                CustodianAssigned(
                    asset_id=asset.id,
                    effective=D(2019, 1, 1),
                    recorded_at=at(2019, 1, 2),
                    custodian=VC_HUISHI,
                    method=CustodyMethod.VILLAGE_COLLECTIVE,
                    valid_to=D(2020, 1, 1),
                ),
            ]
        )
        assert history.state(as_of=D(2019, 12, 31)).custodian == VC_HUISHI
        assert history.state(as_of=D(2020, 1, 1)).custodian is None

    def test_period_must_be_positive(self) -> None:
        with pytest.raises(InvalidPeriod):
            Custodianship(
                asset_id=AssetId("A"),
                custodian=VC_HUISHI,
                method=CustodyMethod.DEPARTMENT,
                valid_from=D(2020, 1, 1),
                valid_to=D(2020, 1, 1),
            )
        with pytest.raises(InvalidPeriod):
            Ownership(
                asset_id=AssetId("A"),
                holders=(OwnerShare(VC_HUISHI, 1),),
                valid_from=D(2020, 1, 1),
                valid_to=D(2019, 1, 1),
            )
        with pytest.raises(InvalidPeriod):
            CustodianAssigned(
                asset_id=AssetId("A"),
                effective=D(2020, 1, 1),
                recorded_at=at(2020, 1, 1),
                custodian=VC_HUISHI,
                method=CustodyMethod.DEPARTMENT,
                valid_to=D(2019, 12, 31),
            )

    def test_active_on_is_half_open(self) -> None:
        custody = Custodianship(
            asset_id=AssetId("A"),
            custodian=VC_HUISHI,
            method=CustodyMethod.DEPARTMENT,
            valid_from=D(2020, 1, 1),
            valid_to=D(2021, 1, 1),
        )
        assert custody.active_on(D(2020, 1, 1))
        assert custody.active_on(D(2020, 12, 31))
        assert not custody.active_on(D(2021, 1, 1))
        assert not custody.active_on(D(2019, 12, 31))


class TestGuaranteedReturn:
    def test_six_percent_quarterly_on_851_65_wan(self) -> None:
        # DESIGN §9: 127,747.50 yuan a quarter, published as 12.7748 万元.
        floor = GuaranteedReturn(rate="6%", base=Money.wan("851.65"), frequency=PaymentFrequency.QUARTERLY)
        assert floor.rate == Fraction(3, 50)
        assert floor.yearly_exact() == Fraction(51_099_000)
        payment = floor.payment()
        assert payment == Money.yuan("127747.50")
        assert payment.format_wan() == "12.7748万元"
        assert PaymentFrequency.QUARTERLY.months == 3

    def test_three_percent_with_two_thirds_in_advance(self) -> None:
        floor = GuaranteedReturn(rate=Fraction(3, 100), base=Money.wan("100"), advance_fraction="2/3")
        assert floor.yearly_exact() == Fraction(3_000_000)
        assert floor.advance_fraction == Fraction(2, 3)
        assert floor.advance() == Money.yuan("20000.00")
        assert floor.payment() == Money.yuan("30000.00")

    def test_fixed_amount(self) -> None:
        floor = GuaranteedReturn(amount=Money.yuan("10000"), frequency=PaymentFrequency.MONTHLY)
        assert floor.yearly_exact() == Fraction(1_000_000)
        assert floor.payment() == Money.yuan("833.33")
        assert floor.payment(RoundingMode.UP) == Money.yuan("833.34")
        assert GuaranteedReturn(amount=Money(100), frequency=PaymentFrequency.ONCE).payment() == Money(100)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {},
            {"rate": "6%", "base": Money(100), "amount": Money(100)},
            {"rate": "6%"},
            {"rate": "-1%", "base": Money(100)},
        ],
    )
    def test_rate_or_amount(self, kwargs: dict[str, object]) -> None:
        with pytest.raises(InvalidValue):
            GuaranteedReturn(**kwargs)  # type: ignore[arg-type]

    def test_negative_amount_and_base(self) -> None:
        with pytest.raises(InvalidAmount):
            GuaranteedReturn(amount=Money(-100))
        with pytest.raises(InvalidAmount):
            GuaranteedReturn(rate="6%", base=Money(-100))

    @pytest.mark.parametrize("advance", ["3/2", "0", "-1/3"])
    def test_advance_fraction_in_range(self, advance: str) -> None:
        with pytest.raises(InvalidValue):
            GuaranteedReturn(rate="3%", base=Money(100), advance_fraction=advance)

    def test_unreadable_rate(self) -> None:
        with pytest.raises(InvalidValue):
            GuaranteedReturn(rate="six percent", base=Money(100))
        with pytest.raises(TypeError):
            GuaranteedReturn(rate=0.06, base=Money(100))  # type: ignore[arg-type]


class TestEscalation:
    def test_rent_per_mu_rises_every_five_years_to_a_cap(self) -> None:
        schedule = EscalationSchedule(
            start_rate=Money.yuan(500),
            step=Money.yuan(50),
            every_years=5,
            cap=Money.yuan(600),
            units=Decimal("5.2"),
        )
        rates = [schedule.rate_for_year(n).format_yuan() for n in range(16)]
        assert rates == ["500.00"] * 5 + ["550.00"] * 5 + ["600.00"] * 6
        assert schedule.rent_for_year(0) == Money.yuan(2600)
        assert schedule.rent_for_year(5) == Money.yuan(2860)
        assert schedule.rent_for_year(15) == Money.yuan(3120)

    def test_without_cap(self) -> None:
        schedule = EscalationSchedule(start_rate=Money.yuan(500), step=Money.yuan(50), every_years=5)
        assert schedule.rate_for_year(15) == Money.yuan(650)
        assert schedule.unit == "亩"

    def test_fractional_units_round_once(self) -> None:
        schedule = EscalationSchedule(
            start_rate=Money.yuan("333.33"), step=Money(0), every_years=1, units=Decimal("0.5")
        )
        assert schedule.rent_for_year(0) == Money.yuan("166.67")
        assert schedule.rent_for_year(0, RoundingMode.HALF_EVEN) == Money.yuan("166.66")

    def test_refusals(self) -> None:
        with pytest.raises(InvalidValue):
            EscalationSchedule(start_rate=Money(1), step=Money(1), every_years=0)
        with pytest.raises(TypeError):
            EscalationSchedule(start_rate=Money(1), step=Money(1), every_years=1, units=5.2)  # type: ignore[arg-type]
        schedule = EscalationSchedule(start_rate=Money(1), step=Money(1), every_years=1)
        with pytest.raises(InvalidValue):
            schedule.rate_for_year(-1)
        with pytest.raises(InvalidAmount):
            EscalationSchedule(start_rate=Money(-1), step=Money(1), every_years=1)


class TestContracts:
    def test_contract_with_terms(self) -> None:
        terms = ContractTerms(
            fixed_rent=Money.yuan(120_000),
            rent_frequency=PaymentFrequency.HALF_YEARLY,
            guaranteed_return=GuaranteedReturn(rate="8%", base=Money.wan(50)),
            profit_share=ProfitShare(rate="20%", semantics=FloorSemantics.MAX),
            advance=Money.yuan(40_000),
        )
        contract = OperatingContract(
            id=ContractId("C-1"),
            asset_id=AssetId("HN-GH-001"),
            operator=PartyId("ENT-1"),
            mode=OperationMode.LEASE,
            term=Period.inclusive(D(2020, 1, 1), D(2024, 12, 31)),
            terms=terms,
        )
        assert contract.terms.profit_share is not None
        assert contract.terms.profit_share.rate == Fraction(1, 5)
        assert contract.live_on(D(2024, 12, 31))
        assert not contract.live_on(D(2025, 1, 1))
        # floor semantics is a required contract term (P8): never defaulted
        with pytest.raises(TypeError, match="semantics"):
            ProfitShare(rate="1/5")  # type: ignore[call-arg]

    def test_negative_rent_or_advance(self) -> None:
        with pytest.raises(InvalidAmount):
            ContractTerms(fixed_rent=Money(-1))
        with pytest.raises(InvalidAmount):
            ContractTerms(advance=Money(-1))

    def test_default_class_kinds_used_here(self) -> None:
        assert pv_asset().kind is AssetKind.PV_STATION
