"""Asset value over its life (资产价值): depreciation, book values, regimes, disposal, split and merge.

Issue 12, DESIGN §7 P13. The modules:

- :mod:`~assetreg.domain.valuation.plans`: the terms (methods, start rules, residues, residuals);
- :mod:`~assetreg.domain.valuation.schedule`: the schedule engine, opening balances, revaluations;
- :mod:`~assetreg.domain.valuation.opening`: opening balances from ledger columns;
- :mod:`~assetreg.domain.valuation.book`: book values of an asset or a history (bitemporal);
- :mod:`~assetreg.domain.valuation.regimes`: the 2004 and 2023 accounting rules as parameters;
- :mod:`~assetreg.domain.valuation.postings`: the lines a village accountant enters per period;
- :mod:`~assetreg.domain.valuation.disposal`: disposal accounting (清理, gain or loss);
- :mod:`~assetreg.domain.valuation.restructure`: split and merge with exact carry-over;
- :mod:`~assetreg.domain.valuation.table`: the register's values on a date (资产价值表).
"""

from assetreg.domain.valuation.book import (
    BIOLOGICAL_KINDS,
    BookValues,
    ValuationFacts,
    asset_schedule,
    book_values,
    donated_book_value,
    is_biological,
    is_depreciable,
    is_fixed_asset,
    months_depreciated,
    plan_for,
    valuation_facts,
    yearly,
)
from assetreg.domain.valuation.disposal import DisposalAccount, disposal_account
from assetreg.domain.valuation.opening import ledger_opening
from assetreg.domain.valuation.plans import (
    ContinuationRule,
    DepreciationMethod,
    DepreciationPlan,
    ResidualTreatment,
    ResidueRule,
    StartRule,
    Units,
)
from assetreg.domain.valuation.postings import asset_postings, period_postings
from assetreg.domain.valuation.regimes import (
    RULES_2004,
    RULES_2023,
    Account,
    AccountingRegime,
    AccountRole,
    Posting,
    RegimeRules,
    depreciates,
    is_nominal,
    rules_for,
)
from assetreg.domain.valuation.restructure import Restructuring, SplitPart, merge_assets, split_asset
from assetreg.domain.valuation.schedule import (
    DepreciationRow,
    OpeningBalance,
    Revaluation,
    depreciation_schedule,
)
from assetreg.domain.valuation.table import AssetValues, ValueTotals, register_values, value_totals

__all__ = [
    "BIOLOGICAL_KINDS",
    "RULES_2004",
    "RULES_2023",
    "Account",
    "AccountRole",
    "AccountingRegime",
    "AssetValues",
    "BookValues",
    "ContinuationRule",
    "DepreciationMethod",
    "DepreciationPlan",
    "DepreciationRow",
    "DisposalAccount",
    "OpeningBalance",
    "Posting",
    "RegimeRules",
    "ResidualTreatment",
    "ResidueRule",
    "Restructuring",
    "Revaluation",
    "SplitPart",
    "StartRule",
    "Units",
    "ValuationFacts",
    "ValueTotals",
    "asset_postings",
    "asset_schedule",
    "book_values",
    "depreciates",
    "depreciation_schedule",
    "disposal_account",
    "donated_book_value",
    "is_biological",
    "is_depreciable",
    "is_fixed_asset",
    "is_nominal",
    "ledger_opening",
    "merge_assets",
    "months_depreciated",
    "period_postings",
    "plan_for",
    "register_values",
    "rules_for",
    "split_asset",
    "valuation_facts",
    "value_totals",
    "yearly",
]
