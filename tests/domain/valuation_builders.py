"""A legacy greenhouse base with an opening balance and a revaluation (issue 12 test data).

The asset is made up; the rules it exercises are P13's (see tests/domain/test_valuation.py).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from assetreg.domain.assets import Asset, AssetId, FundingLine
from assetreg.domain.events import OpeningBalanceRecorded, OwnershipConfirmed, Revalued
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.rights import OwnerShare
from assetreg.domain.valuation import DepreciationPlan
from assetreg.domain.vocab import AssetClass, AssetKind, FundingSource
from domain.builders import VC_GUOCHENGYI, VC_HUISHI, VILLAGE_HUISHI, at, registered


def yuan(text: str) -> Money:
    return Money.yuan(text)


PLAN_GH = DepreciationPlan(life_months=120, residual_rate=Fraction(5, 100))
GH = AssetId("GH-1")


def greenhouse_history() -> AssetHistory:
    base = Asset(
        id=GH,
        name="会师镇蔬菜大棚基地",
        asset_class=AssetClass.OPERATING,
        kind=AssetKind.GREENHOUSE,
        location=VILLAGE_HUISHI,
        original_value=yuan("600000"),
        funding=(
            FundingLine(source=FundingSource.SPECIAL_POVERTY_FUND, amount=yuan("400000")),
            FundingLine(source=FundingSource.INTEGRATED_AGRICULTURAL_FUND, amount=yuan("200000")),
        ),
        completed_on=date(2016, 6, 12),
    )
    return AssetHistory.of(
        [
            registered(base, effective=date(2024, 1, 10), recorded=at(2024, 1, 10)),
            OwnershipConfirmed(
                asset_id=GH,
                effective=date(2024, 1, 10),
                recorded_at=at(2024, 1, 10),
                holders=(OwnerShare(VC_HUISHI, Fraction(2, 3)), OwnerShare(VC_GUOCHENGYI, Fraction(1, 3))),
            ),
            # From the ledger: 累计折旧 427500.00 after 90 months (July 2016 – December 2023).
            OpeningBalanceRecorded(
                asset_id=GH,
                effective=date(2024, 1, 10),
                as_of=date(2023, 12, 31),
                recorded_at=at(2024, 1, 10),
                accumulated_depreciation=yuan("427500"),
                months_depreciated=90,
            ),
            Revalued(asset_id=GH, effective=date(2024, 6, 30), recorded_at=at(2024, 7, 15), book_value=yuan("150000")),
        ]
    )
