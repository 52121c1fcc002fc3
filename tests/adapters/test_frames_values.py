"""Book values in the register DataFrame: the same figures as ``register_values`` (issue 12)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from assetreg.adapters.frames import register_frame
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import book_values
from domain.builders import at
from domain.valuation_builders import GH, PLAN_GH, greenhouse_history


def test_register_frame_carries_book_values() -> None:
    history = greenhouse_history()
    register = AssetRegister(histories={GH: history})
    frame = register_frame(register, as_of=date(2024, 12, 31), policy=NATIONAL_2021, plans={GH: PLAN_GH})
    row = frame.iloc[0]
    expected = book_values(history, NATIONAL_2021, as_of=date(2024, 12, 31), plan=PLAN_GH)
    assert row["accumulated_depreciation_fen"] == expected.accumulated_depreciation.fen == 48_600_000
    assert row["net_book_value_yuan"] == expected.net_book_value.format_yuan()
    assert row["months_depreciated"] == 102
    earlier = register_frame(
        register, as_of=date(2024, 12, 31), known_at=at(2024, 7, 1), policy=NATIONAL_2021, plans={GH: PLAN_GH}
    )
    assert earlier.iloc[0]["net_book_value_fen"] == 11_550_000  # before the revaluation was recorded
    without = register_frame(register, as_of=date(2024, 12, 31))
    assert pd.isna(without.iloc[0]["net_book_value_fen"])
