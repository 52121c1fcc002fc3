"""Assets, the projects that formed them, and their funding (资产、项目、资金来源), DESIGN §6.

An :class:`Asset` is the registered description of one asset. Its status, ownership,
custody and operation are not fields: they are derived from its history of events
(:mod:`assetreg.domain.history`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, NewType

import attrs

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.vocab import AssetClass, AssetForm, AssetKind, FundingSource, member_of
from assetreg.errors import InvalidAmount, InvalidValue, typed, wrong_type

__all__ = [
    "Asset",
    "AssetId",
    "FundingLine",
    "Project",
    "check_funding",
    "funding_total",
]

AssetId = NewType("AssetId", str)
"""County-unique asset code (资产编号)."""


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # Any: PartyId, AssetId, str
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{type(instance).__name__}.{attribute.name} must be non-empty text",
            f"{type(instance).__name__}.{attribute.name} 不能为空",
            field=attribute.name,
            actual=value,
        )


def _decimal_or_none(instance: object, attribute: attrs.Attribute[Decimal | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, float):
        raise wrong_type(attribute.name, value, "Decimal or int", "Decimal 或整数")
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidValue(
            f"{attribute.name} must be a non-negative Decimal",
            f"{attribute.name} 应为非负数",
            record=getattr(instance, "id", None),
            field=attribute.name,
            actual=value,
        )


@attrs.frozen(kw_only=True)
class Project:
    """The funded project that formed an asset (项目).

    Attributes:
        code: project code (项目编号), unique in the county.
        name: project name (项目名称).
        year: construction year (建设年度).
        department: the implementing or supervising department (实施单位), if known.
    """

    code: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    year: int | None = None
    department: str | None = None


@attrs.frozen
class FundingLine:
    """One source of an asset's funds and its amount (资金来源及金额), P2.

    Attributes:
        source: the funding source.
        amount: the amount, at least 0 fen.
        note: the source's wording when it was more specific (e.g. 少数民族发展资金).

    Raises:
        InvalidAmount: a negative amount.
    """

    source: FundingSource = attrs.field(validator=member_of(FundingSource))
    amount: Money = attrs.field(validator=typed(Money, "金额 Money"))
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.amount.is_negative():
            raise InvalidAmount(
                "funding amount is negative",
                "资金金额为负数",
                field="funding.amount",
                actual=str(self.amount),
                expected=">= 0",
            )


def funding_total(lines: Iterable[FundingLine]) -> Money:
    """The sum of the funding lines' amounts."""
    return Money(sum(line.amount.fen for line in lines))


@attrs.frozen(kw_only=True)
class Asset:
    """One registered poverty-alleviation project asset (扶贫/帮扶项目资产), DESIGN §6.

    Attributes:
        id: county-unique asset code (资产编号).
        name: asset name (资产名称).
        asset_class: public welfare, operating or household (exactly one, P3).
        form: fixed, biological, equity or debt claim.
        kind: road, PV station, greenhouse … (drives the default class).
        location: area code of the asset (village or higher).
        original_value: original value (原值) in fen.
        funding: funding lines; when given they add up to ``original_value`` (P2),
            checked when the asset is registered (:func:`check_funding`).
        project: the project that formed it.
        quantity: quantity (数量) as an exact ``Decimal``, with ``unit`` (单位).
        capacity_kw: installed capacity in kW for PV stations (装机容量).
        completed_on: completion date (竣工日期).
        handed_over_on: hand-over date (移交日期).
        supervising_department: the county department that supervises it (主管部门).
        note: free text (备注).
    """

    id: AssetId = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    asset_class: AssetClass = attrs.field(validator=member_of(AssetClass))
    form: AssetForm = attrs.field(default=AssetForm.FIXED, validator=member_of(AssetForm))
    kind: AssetKind = attrs.field(default=AssetKind.OTHER, validator=member_of(AssetKind))
    location: AdminCode = attrs.field(validator=typed(AdminCode, "行政区划代码 AdminCode"))
    original_value: Money
    funding: tuple[FundingLine, ...] = attrs.field(default=(), converter=tuple)
    project: Project | None = None
    quantity: Decimal | None = attrs.field(default=None, validator=_decimal_or_none)
    unit: str | None = None
    capacity_kw: Decimal | None = attrs.field(default=None, validator=_decimal_or_none)
    completed_on: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(date, "日期 datetime.date"))
    )
    handed_over_on: date | None = attrs.field(
        default=None, validator=attrs.validators.optional(typed(date, "日期 datetime.date"))
    )
    supervising_department: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.original_value, Money):
            raise wrong_type("original_value", self.original_value, "Money", "金额 Money", record=self.id)
        if self.original_value.is_negative():
            raise InvalidAmount(
                "original value is negative",
                "原值为负数",
                record=self.id,
                field="original_value",
                actual=str(self.original_value),
                expected=">= 0",
            )

    @property
    def funding_total(self) -> Money:
        """The sum of the funding lines."""
        return funding_total(self.funding)

    @property
    def county(self) -> str | None:
        """The 6-digit county code of the asset's location."""
        return self.location.county


def check_funding(asset: Asset) -> None:
    """Refuse an asset whose funding lines do not add up to its original value (P2).

    An asset without funding lines passes (funding unknown); the audit catalogue reports
    those.

    Raises:
        InvalidAmount: the lines add up to a different amount, naming the asset.
    """
    if asset.funding and asset.funding_total != asset.original_value:
        raise InvalidAmount(
            f"funding lines add up to {asset.funding_total}, original value is {asset.original_value}",
            f"资金来源合计 {asset.funding_total} 与原值 {asset.original_value} 不符",
            record=asset.id,
            field="funding",
            expected=str(asset.original_value),
            actual=str(asset.funding_total),
        )
