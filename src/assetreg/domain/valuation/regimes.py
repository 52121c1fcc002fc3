"""Accounting regimes (会计制度): what is depreciated and which account each amount goes to.

Two regimes govern village collective books (DESIGN §7 P13):

* **2004** — 《村集体经济组织会计制度》 (财会〔2004〕12号, in force 2005-01-01 to 2023-12-31).
  Verified from the published chart of accounts (e.g. https://360docs.net/doc/4510968765.html,
  "村集体会计制度科目(正式表)"): 102 银行存款, 151 固定资产, 152 累计折旧, 153 固定资产清理,
  202 应付款, 311 公积公益金, 401 生产(劳务)成本, 502 经营支出. From the same chart (its
  published excerpt breaks off after 531), not re-verified here: 531 其他收入, 541 管理费用,
  551 其他支出. From the rules' text (fsou.net copy of 财会〔2004〕12号 §二十四): the
  difference between a reassessed value and the book value goes to 公积公益金.
* **2023** — 《农村集体经济组织会计制度》 (财会〔2023〕14号, in force 2024-01-01). Its full
  text and chart were **not available** to us: the account names below follow the 2004
  chart plus the 公益支出 account that the 2023 rules introduce for public-welfare spending
  (named in issue 12); codes are left empty. Every account is a parameter: pass your own
  :class:`RegimeRules` (``attrs.evolve(RULES_2023, accounts=...)``) where a province's chart
  differs.

Depreciation charges follow the asset's use (2004 rules, county practice, configurable):
production and operating assets → 生产(劳务)成本 (or 经营支出), management assets → 管理费用,
public-welfare assets → 其他支出 (2004) / 公益支出 (2023). A disposal goes through
固定资产清理; a gain to 其他收入, a loss to 其他支出.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from assetreg.domain.assets import Asset
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.domain.vocab import AccountingRegime, AssetClass, AssetForm, AssetKind, FundingSource
from assetreg.errors import InvalidValue

__all__ = [
    "RULES_2004",
    "RULES_2023",
    "Account",
    "AccountRole",
    "AccountingRegime",
    "Posting",
    "RegimeRules",
    "depreciates",
    "is_nominal",
    "rules_for",
]

_FIVE_HUNDRED_YUAN: Final = Money(50_000)
"""The fixed-asset threshold of both regimes (P13), 500 元."""


class AccountRole(enum.Enum):
    """What an account is used for in the valuation's postings (科目用途)."""

    FIXED_ASSETS = "fixed_assets"
    ACCUMULATED_DEPRECIATION = "accumulated_depreciation"
    IMPAIRMENT = "impairment"
    CLEARING = "clearing"
    BANK = "bank"
    PAYABLE = "payable"
    RESERVE = "reserve"
    PRODUCTION_COST = "production_cost"
    MANAGEMENT_EXPENSE = "management_expense"
    PUBLIC_WELFARE_EXPENSE = "public_welfare_expense"
    OTHER_INCOME = "other_income"
    OTHER_EXPENSE = "other_expense"


@attrs.frozen
class Account:
    """A ledger account (会计科目): its code where verified, and its name."""

    code: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


def _accounts(value: Mapping[AccountRole, Account]) -> Mapping[AccountRole, Account]:
    missing = sorted(role.value for role in AccountRole if role not in value)
    if missing:
        raise InvalidValue(f"accounts missing for {missing}", f"缺少科目：{missing}", field="accounts", actual=missing)
    return MappingProxyType(dict(value))


def _frozen_classes(value: frozenset[AssetClass] | set[AssetClass]) -> frozenset[AssetClass]:
    return frozenset(value)


def _charge_roles(value: Mapping[AssetKind, AccountRole]) -> Mapping[AssetKind, AccountRole]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class RegimeRules:
    """The parameters of one accounting regime (typed; every field is read by the valuation).

    Attributes:
        regime: the regime they implement.
        fixed_asset_threshold: unit value from which an item is a fixed asset (500 元 in
            both regimes, P13); cheaper items are expensed, not depreciated.
        depreciated_classes: asset classes on the collective's books that are depreciated.
        depreciate_nominal: whether assets booked at a nominal amount are depreciated (no:
            a nominal amount is not a value to spread).
        accounts: the account for each role.
        charge_role_by_class: where each class's depreciation charge goes.
        charge_role_by_kind: overrides by kind (e.g. an office building → management).
    """

    regime: AccountingRegime
    fixed_asset_threshold: Money = _FIVE_HUNDRED_YUAN
    depreciated_classes: frozenset[AssetClass] = attrs.field(default=frozenset(AssetClass), converter=_frozen_classes)
    depreciate_nominal: bool = False
    accounts: Mapping[AccountRole, Account] = attrs.field(converter=_accounts)
    charge_role_by_class: Mapping[AssetClass, AccountRole]
    charge_role_by_kind: Mapping[AssetKind, AccountRole] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_charge_roles
    )

    def account(self, role: AccountRole) -> Account:
        """The account for ``role``."""
        return self.accounts[role]

    def charge_account(self, asset: Asset) -> Account:
        """The account a depreciation charge of ``asset`` is debited to (折旧费用科目)."""
        role = self.charge_role_by_kind.get(asset.kind) or self.charge_role_by_class[asset.asset_class]
        return self.accounts[role]


_COMMON_2004: dict[AccountRole, Account] = {
    AccountRole.BANK: Account("102", "银行存款"),
    AccountRole.FIXED_ASSETS: Account("151", "固定资产"),
    AccountRole.ACCUMULATED_DEPRECIATION: Account("152", "累计折旧"),
    AccountRole.IMPAIRMENT: Account(None, "减值准备"),  # not in the 2004 chart; legacy balances only
    AccountRole.CLEARING: Account("153", "固定资产清理"),
    AccountRole.PAYABLE: Account("202", "应付款"),
    AccountRole.RESERVE: Account("311", "公积公益金"),
    AccountRole.PRODUCTION_COST: Account("401", "生产(劳务)成本"),
    AccountRole.OTHER_INCOME: Account("531", "其他收入"),
    AccountRole.MANAGEMENT_EXPENSE: Account("541", "管理费用"),
    AccountRole.OTHER_EXPENSE: Account("551", "其他支出"),
}

RULES_2004: RegimeRules = RegimeRules(
    regime=AccountingRegime.RULES_2004,
    accounts={**_COMMON_2004, AccountRole.PUBLIC_WELFARE_EXPENSE: Account("551", "其他支出")},
    charge_role_by_class={
        AssetClass.OPERATING: AccountRole.PRODUCTION_COST,
        AssetClass.PUBLIC_WELFARE: AccountRole.PUBLIC_WELFARE_EXPENSE,
        AssetClass.HOUSEHOLD: AccountRole.OTHER_EXPENSE,
    },
)
"""财会〔2004〕12号: public-welfare depreciation to 551 其他支出 (the chart has no 公益支出)."""

RULES_2023: RegimeRules = RegimeRules(
    regime=AccountingRegime.RULES_2023,
    accounts={
        **{role: attrs.evolve(account, code=None) for role, account in _COMMON_2004.items()},
        AccountRole.PUBLIC_WELFARE_EXPENSE: Account(None, "公益支出"),
    },
    charge_role_by_class={
        AssetClass.OPERATING: AccountRole.PRODUCTION_COST,
        AssetClass.PUBLIC_WELFARE: AccountRole.PUBLIC_WELFARE_EXPENSE,
        AssetClass.HOUSEHOLD: AccountRole.OTHER_EXPENSE,
    },
)
"""财会〔2023〕14号 as far as verified: public-welfare depreciation to 公益支出; codes not
verified (empty); names otherwise as in 2004. Configure where your chart differs."""

_PRESETS: Mapping[AccountingRegime, RegimeRules] = MappingProxyType(
    {AccountingRegime.RULES_2004: RULES_2004, AccountingRegime.RULES_2023: RULES_2023}
)


def rules_for(policy: Policy) -> RegimeRules:
    """The preset rules of ``policy.accounting_regime``, with the policy's fixed-asset threshold.

    The regime is an :class:`AccountingRegime` (``Policy`` refuses anything else at entry).
    """
    regime = policy.accounting_regime
    key = (regime, policy.fixed_asset_threshold)
    rules = _BY_POLICY.get(key)
    if rules is None:
        rules = _BY_POLICY[key] = attrs.evolve(_PRESETS[regime], fixed_asset_threshold=policy.fixed_asset_threshold)
    return rules


_BY_POLICY: dict[tuple[AccountingRegime, Money], RegimeRules] = {}  # immutable values, built once per key


def is_nominal(asset: Asset, policy: Policy) -> bool:
    """Whether ``asset`` is booked at the nominal amount (名义金额) for donations without evidence (P13).

    True when its original value is the policy's ``donated_nominal_value`` and all its
    funding (if any is recorded) is social donation.
    """
    if asset.original_value != policy.donated_nominal_value:
        return False
    return all(line.source is FundingSource.SOCIAL_DONATION for line in asset.funding)


def depreciates(asset: Asset, policy: Policy, rules: RegimeRules) -> bool:
    """Whether ``asset`` is depreciated under ``rules`` (P13).

    Fixed and biological forms only (equity and claims never); the class must be among
    ``rules.depreciated_classes``; nominal-amount assets only if the rules say so; the unit
    value (原值 ÷ 数量, or the original value without a quantity) must reach the fixed-asset
    threshold.
    """
    if asset.form not in {AssetForm.FIXED, AssetForm.BIOLOGICAL}:
        return False
    if asset.asset_class not in rules.depreciated_classes:
        return False
    if not rules.depreciate_nominal and is_nominal(asset, policy):
        return False
    if asset.form is AssetForm.FIXED and asset.quantity is not None and asset.quantity > 0:
        unit_value = Fraction(asset.original_value.fen) / Fraction(asset.quantity)  # fen per unit
        return unit_value >= rules.fixed_asset_threshold.fen
    return asset.original_value >= rules.fixed_asset_threshold or asset.form is AssetForm.BIOLOGICAL


@attrs.frozen(kw_only=True)
class Posting:
    """One line a village accountant enters (记账凭证分录).

    Attributes:
        period: the period the entry belongs to (half-open).
        asset_id: the asset it concerns.
        account: the account.
        debit: debit amount (借方), fen; 0 on a credit line.
        credit: credit amount (贷方), fen; 0 on a debit line.
        memo: what the entry is (计提折旧, 资产重估, 转入清理, 清理费用, 处置收入, 处置净收益/净损失).
    """

    period: Period
    asset_id: str
    account: Account
    debit: Money
    credit: Money
    memo: str
