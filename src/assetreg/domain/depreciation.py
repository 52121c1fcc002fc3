"""Depreciation and book values (折旧与账面价值) — kept as the stable import path.

The implementation lives in :mod:`assetreg.domain.valuation` (issue 12); this module
re-exports the names it always had, so ``from assetreg.domain.depreciation import
book_values`` keeps working.
"""

from assetreg.domain.valuation import (
    BIOLOGICAL_KINDS,
    BookValues,
    DepreciationMethod,
    DepreciationPlan,
    DepreciationRow,
    ResidualTreatment,
    StartRule,
    Units,
    book_values,
    depreciation_schedule,
    donated_book_value,
    is_biological,
    is_depreciable,
    is_fixed_asset,
    plan_for,
    yearly,
)

__all__ = [
    "BIOLOGICAL_KINDS",
    "BookValues",
    "DepreciationMethod",
    "DepreciationPlan",
    "DepreciationRow",
    "ResidualTreatment",
    "StartRule",
    "Units",
    "book_values",
    "depreciation_schedule",
    "donated_book_value",
    "is_biological",
    "is_depreciable",
    "is_fixed_asset",
    "plan_for",
    "yearly",
]
