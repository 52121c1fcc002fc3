"""Statistics as counties publish them (统计): register, value, income and distribution summaries.

Pure functions from domain values to exact :class:`StatTable` values (amounts in fen); a
table is rounded for display once, in 元 or 万元 with stated decimals
(:meth:`StatTable.shown`), with a :class:`Reconciliation` wherever the rounded rows do not
add up to the rounded 合计 — shown, never forced. No pandas, no I/O: the use case reading a
unit of work is :mod:`assetreg.services.stats`, the command ``assetreg stats``.

- :func:`asset_table`: number of assets and original value by class, owner level, area
  (down to the village), fund source, project year or status, on any date as known at
  any instant;
- :func:`value_table`: 原值 / 累计折旧 / 净值 by the same dimensions, from the valuation rows;
- :func:`status_by_class`: assets by status and class (for plots);
- :func:`industry_share`: the share of funds in industry projects against the 2023 target (≥ 60 %);
- :func:`income_table`, :func:`income_series`: income by year, area, kind or class;
- :func:`distribution_table`: distributions by year, area or beneficiary kind.
"""

from assetreg.stats.income import IncomeDimension, IncomeSeries, distribution_table, income_series, income_table
from assetreg.stats.register import (
    INDUSTRY_CLASSES,
    INDUSTRY_SHARE_TARGET_2023,
    AssetDimension,
    IndustryShare,
    OwnerLevel,
    StatusByClass,
    area_group,
    asset_table,
    industry_share,
    owner_level,
    status_by_class,
    value_table,
)
from assetreg.stats.tables import (
    AmountColumn,
    AmountUnit,
    Reconciliation,
    ShownRow,
    ShownTable,
    StatRow,
    StatTable,
    shown_amount,
)

__all__ = [
    "INDUSTRY_CLASSES",
    "INDUSTRY_SHARE_TARGET_2023",
    "AmountColumn",
    "AmountUnit",
    "AssetDimension",
    "IncomeDimension",
    "IncomeSeries",
    "IndustryShare",
    "OwnerLevel",
    "Reconciliation",
    "ShownRow",
    "ShownTable",
    "StatRow",
    "StatTable",
    "StatusByClass",
    "area_group",
    "asset_table",
    "distribution_table",
    "income_series",
    "income_table",
    "industry_share",
    "owner_level",
    "shown_amount",
    "status_by_class",
    "value_table",
]
