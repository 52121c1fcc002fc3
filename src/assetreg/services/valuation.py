"""Use cases of valuation (资产价值): the register's book values on a date, from the store.

:func:`stored_values` reads the stored register and computes 原值 / 累计折旧 / 净值 per asset
with :func:`~assetreg.domain.valuation.register_values` (opening balances, revaluations,
usage, disposals and splits read from each history, as known at ``known_at``); what the
``assetreg values`` command prints and what the API returns are the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from assetreg.domain.assets import AssetId
from assetreg.domain.policy import Policy
from assetreg.domain.valuation import AssetValues, DepreciationPlan, register_values
from assetreg.ports import UnitOfWork

__all__ = ["stored_values"]


def stored_values(
    uow: UnitOfWork,
    *,
    as_of: date,
    policy: Policy,
    known_at: datetime | None = None,
    prefix: str | None = None,
    plans: Mapping[AssetId, DepreciationPlan] | None = None,
) -> tuple[AssetValues, ...]:
    """The values of every stored asset registered by ``as_of`` (``assetreg values``).

    Args:
        uow: the unit of work to read from (entered here; nothing is written).
        as_of: the date; values at its close.
        policy: the policy (rounding, lives, regime, residual rates).
        known_at: the recorded instant; ``None`` = everything recorded.
        prefix: only assets inside this area-code prefix.
        plans: depreciation terms by asset id, where ``plan_for`` the asset is not wanted.

    Returns:
        One row per asset, in id order; a row that could not be valued carries the reason.

    Raises:
        PayloadError, PersistenceError: the store cannot be read.
        InvalidPeriod: ``known_at`` is naive.
    """
    with uow:
        register = uow.load_register(prefix)
    return register_values(register, policy, as_of=as_of, known_at=known_at, plans=plans)
