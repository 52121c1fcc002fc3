"""Policy parameters (政策参数): the configurable side of rules P1–P13, DESIGN §7.

Rules marked **[cfg]** in DESIGN §7 differ between provinces and counties. They are
fields of a frozen :class:`Policy`, never constants in code. A policy is read from TOML
or JSON text with :meth:`Policy.from_toml` / :meth:`Policy.from_json` (file reading is
an adapter's job: :func:`assetreg.adapters.policy_files.load_policy`).

Presets, each value with its source:

* :data:`NATIONAL_2021` — national baseline.
* :data:`GANSU_COUNTY` — a Gansu county (Baiyin area) with the 2013 start year.
* :data:`GUANGXI_2016` — Guangxi's 2016 start year, relocation housing excluded.
"""

from __future__ import annotations

import enum
import json
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from assetreg.domain.assets import Asset
from assetreg.domain.evidence import EvidenceKind
from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.vocab import (
    AccountingRegime,
    AssetClass,
    AssetKind,
    Base,
    DeductionKind,
    FundingSource,
    MonitorType,
    PartyKind,
    PayableUnit,
    Purpose,
    Vocabulary,
)
from assetreg.errors import AssetRegError, ContractRefused, InvalidChoice, PolicyError, invalid_choice, wrong_type

if TYPE_CHECKING:
    from assetreg.domain.rights import OperatingContract

__all__ = [
    "DEFAULT_CLASS_BY_KIND",
    "DEFAULT_USEFUL_LIFE_MONTHS",
    "GANSU_COUNTY",
    "GUANGXI_2016",
    "NATIONAL_2021",
    "PRESETS",
    "ClassMap",
    "DayUnit",
    "LifeMap",
    "Policy",
]


class DayUnit(Vocabulary):
    """How a notice period is counted (公示期计算单位), P7."""

    CALENDAR = "calendar"
    WORKING = "working"


class ClassMap(Mapping[AssetKind, AssetClass]):
    """A read-only, hashable mapping of asset kind to default class (P3)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[AssetKind, AssetClass]) -> None:
        """Copy ``data``."""
        self._data = dict(data)

    def __getitem__(self, key: AssetKind) -> AssetClass:
        """The class for ``key``."""
        return self._data[key]

    def __iter__(self) -> Iterator[AssetKind]:
        """The kinds, in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """The number of kinds mapped."""
        return len(self._data)

    def __hash__(self) -> int:
        """Hash of the items (order does not matter)."""
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same items."""
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        """``ClassMap({...})`` with enum values."""
        return f"ClassMap({ {k.value: v.value for k, v in self._data.items()}!r})"


DEFAULT_CLASS_BY_KIND: Mapping[AssetKind, AssetClass] = ClassMap(
    {
        AssetKind.PV_STATION: AssetClass.OPERATING,
        AssetKind.WORKSHOP: AssetClass.OPERATING,
        AssetKind.PROCESSING_PLANT: AssetClass.OPERATING,
        AssetKind.EQUITY: AssetClass.OPERATING,
        AssetKind.DEBT_CLAIM: AssetClass.OPERATING,
        AssetKind.GREENHOUSE: AssetClass.OPERATING,
        AssetKind.COLD_STORE: AssetClass.OPERATING,
        AssetKind.PRODUCTION_BASE: AssetClass.OPERATING,
        AssetKind.TOURISM_FACILITY: AssetClass.OPERATING,
        AssetKind.ECOMMERCE_FACILITY: AssetClass.OPERATING,
        AssetKind.BARN: AssetClass.OPERATING,
        AssetKind.ROAD: AssetClass.PUBLIC_WELFARE,
        AssetKind.BRIDGE: AssetClass.PUBLIC_WELFARE,
        AssetKind.WATER_SUPPLY: AssetClass.PUBLIC_WELFARE,
        AssetKind.IRRIGATION: AssetClass.PUBLIC_WELFARE,
        AssetKind.SCHOOL: AssetClass.PUBLIC_WELFARE,
        AssetKind.CLINIC: AssetClass.PUBLIC_WELFARE,
        AssetKind.TOILET: AssetClass.PUBLIC_WELFARE,
        AssetKind.CULTURE_SITE: AssetClass.PUBLIC_WELFARE,
        AssetKind.LIVESTOCK: AssetClass.HOUSEHOLD,
        AssetKind.TREES: AssetClass.HOUSEHOLD,
        AssetKind.HOUSEHOLD_SUBSIDY: AssetClass.HOUSEHOLD,
    }
)
"""Default class by kind (P3): PV station, workshop, processing plant, equity → operating;
road, water, school, clinic, toilet, culture site → public welfare; livestock and household
subsidies → household. Source: DESIGN §7 P3, after the 2021 national guidance
《关于加强扶贫项目资产后续管理的指导意见》, which names these examples for each class."""


class LifeMap(Mapping[AssetKind, int]):
    """A read-only, hashable mapping of asset kind to useful life in months (P13).

    Raises:
        TypeError: a life is not a whole number of months (``float`` and ``bool`` refused).
        ValueError: a life is under one month.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[AssetKind, int]) -> None:
        """Copy ``data``, checking every life."""
        for kind, months in data.items():
            if isinstance(months, bool) or not isinstance(months, int):
                raise TypeError(f"useful life of {kind.value} must be whole months, got {months!r}")
            if months < 1:
                raise ValueError(f"useful life of {kind.value} must be at least one month, got {months}")
        self._data = dict(data)

    def __getitem__(self, key: AssetKind) -> int:
        """The life in months for ``key``."""
        return self._data[key]

    def __iter__(self) -> Iterator[AssetKind]:
        """The kinds, in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """The number of kinds mapped."""
        return len(self._data)

    def __hash__(self) -> int:
        """Hash of the items (order does not matter)."""
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same items."""
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        """``LifeMap({...})`` with enum values."""
        return f"LifeMap({ {k.value: v for k, v in self._data.items()}!r})"


_BUILDING_MONTHS: Final = 20 * 12
_EQUIPMENT_MONTHS: Final = 10 * 12

DEFAULT_USEFUL_LIFE_MONTHS: Mapping[AssetKind, int] = LifeMap(
    {
        **dict.fromkeys(
            (
                AssetKind.ROAD,
                AssetKind.BRIDGE,
                AssetKind.WATER_SUPPLY,
                AssetKind.IRRIGATION,
                AssetKind.SCHOOL,
                AssetKind.CLINIC,
                AssetKind.TOILET,
                AssetKind.CULTURE_SITE,
                AssetKind.BARN,
                AssetKind.COLD_STORE,
                AssetKind.WORKSHOP,
                AssetKind.PROCESSING_PLANT,
                AssetKind.PRODUCTION_BASE,
                AssetKind.TOURISM_FACILITY,
                AssetKind.ECOMMERCE_FACILITY,
                AssetKind.PV_STATION,
            ),
            _BUILDING_MONTHS,
        ),
        AssetKind.GREENHOUSE: _EQUIPMENT_MONTHS,
        AssetKind.EQUIPMENT: _EQUIPMENT_MONTHS,
        AssetKind.LIVESTOCK: 3 * 12,
        AssetKind.TREES: 10 * 12,
    }
)
"""Default useful life by kind in months (P13 [cfg]: the accounting rules leave lives to the
organisation). County practice, configurable: the minimum lives of the Enterprise Income Tax
Law Implementation Regulations (《企业所得税法实施条例》, 2007, art. 60 and 64) — buildings and
structures 20 years, machinery and production equipment (greenhouses counted here) 10 years,
livestock 3 years, trees 10 years; PV stations 20 years, the operating period that
poverty-alleviation PV rules plan their income for. Equity, claims, household subsidies and
other kinds have no default: give the life in the depreciation plan."""


def _life_map(values: Mapping[AssetKind | str, int]) -> LifeMap:
    return LifeMap({(k if isinstance(k, AssetKind) else AssetKind(k)): v for k, v in dict(values).items()})


def _funding_sources(values: Iterable[FundingSource | str]) -> frozenset[FundingSource]:
    return frozenset(v if isinstance(v, FundingSource) else FundingSource(v) for v in values)


def _monitor_types(values: Iterable[MonitorType | str]) -> tuple[MonitorType, ...]:
    return tuple(v if isinstance(v, MonitorType) else MonitorType(v) for v in values)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a list of names, got one string")
    return tuple(values)


def _evidence_pairs(values: Iterable[Iterable[object]]) -> tuple[tuple[str, EvidenceKind], ...]:
    """``(event kind, evidence kind)`` pairs; an unknown evidence kind is an InvalidChoice."""
    out: list[tuple[str, EvidenceKind]] = []
    for pair in _str_tuple(values):  # type: ignore[arg-type]
        event_kind, evidence_kind = _str_tuple(pair)
        out.append((str(event_kind), EvidenceKind.parse(evidence_kind, field="required_evidence")))
    return tuple(out)


_V = TypeVar("_V", bound=Vocabulary)
_T = TypeVar("_T")


def _choices(vocabulary: type[_V], field: str, values: Iterable[_V | str]) -> tuple[_V, ...]:
    """Values of ``vocabulary`` (each refused with an InvalidChoice naming ``field``)."""
    return tuple(vocabulary.parse(v, field=field) for v in _str_tuple(values))  # type: ignore[arg-type]


def _priority_order(values: Iterable[Purpose | str]) -> tuple[Purpose, ...]:
    return _choices(Purpose, "priority_order", values)


def _pv_deductions(values: Iterable[DeductionKind | str]) -> tuple[DeductionKind, ...]:
    return _choices(DeductionKind, "pv_deductions", values)


def _payable_unit(value: PayableUnit | str) -> PayableUnit:
    return PayableUnit.parse(value, field="payable_unit")


def _accounting_regime(value: AccountingRegime | str) -> AccountingRegime:
    return AccountingRegime.parse(value, field="accounting_regime")


def _purpose_set(values: Iterable[Purpose | str]) -> frozenset[Purpose]:
    return frozenset(_choices(Purpose, "prohibited_purposes", values))


def _distribution_base(value: Base | str) -> Base:
    base = Base.parse(value, field="distribution_base")
    if base is Base.REMAINING:
        raise invalid_choice(
            "distribution_base",
            value,
            [(b.value, b.label_zh) for b in (Base.GROSS, Base.NET)],
            field="distribution_base",
        )
    return base


def _rate_pair(pair: Iterable[Any]) -> tuple[Fraction, Fraction]:
    low, high = pair
    return (_fraction(low), _fraction(high))


def _month_day(pair: Iterable[Any]) -> tuple[int, int]:
    month, day = pair
    return (_whole(month), _whole(day))


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {type(value).__name__} {value!r}")
    return value


def _class_map(values: Mapping[AssetKind | str, AssetClass | str]) -> ClassMap:
    return ClassMap(
        {
            (k if isinstance(k, AssetKind) else AssetKind(k)): (v if isinstance(v, AssetClass) else AssetClass(v))
            for k, v in dict(values).items()
        }
    )


def _named(convert: Callable[[Any], _T], value: Any, field: str) -> _T:
    """Run ``convert`` on ``value``; its coded error is raised again naming the policy ``field``."""
    try:
        return convert(value)
    except AssetRegError as error:
        raise type(error)(
            error.message_en,
            error.message_zh,
            record=error.record,
            field=field,
            row=error.row,
            expected=error.expected,
            actual=error.actual,
            details=error.details,
        ) from error


def _cross_village_owner(value: Any) -> PartyKind:
    return _named(PartyKind, value, "cross_village_owner")


def _cross_township_owner(value: Any) -> PartyKind:
    return _named(PartyKind, value, "cross_township_owner")


def _notice_unit(value: Any) -> DayUnit:
    return _named(DayUnit, value, "notice_unit")


def _rounding(value: Any) -> RoundingMode:
    return _named(RoundingMode, value, "rounding")


def _om_cap(value: Any) -> Money | None:
    return _named(_money_or_none, value, "om_cap_per_watt_year")


def _post_floor(value: Any) -> Money | None:
    return _named(_money_or_none, value, "post_monthly_floor")


def _post_ceiling(value: Any) -> Money | None:
    return _named(_money_or_none, value, "post_monthly_ceiling")


def _fixed_asset_threshold(value: Any) -> Money:
    return _named(_money, value, "fixed_asset_threshold")


def _donated_nominal_value(value: Any) -> Money:
    return _named(_money, value, "donated_nominal_value")


def _money_or_none(value: Any) -> Money | None:
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, float):
        raise wrong_type("amount", value, "text or whole fen", "文本金额或整数分", hint="write it as text")
    if isinstance(value, int):
        return Money(value)
    return Money.parse(str(value))


def _money(value: Any) -> Money:
    money = _money_or_none(value)
    if money is None:
        raise TypeError("an amount is required")
    return money


def _monthly_hours(values: Iterable[Any] | None) -> tuple[Decimal, ...] | None:
    if values is None:
        return None
    hours = []
    for value in _str_tuple(values):
        if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
            raise TypeError(f"full-load hours must be text or whole numbers, got {type(value).__name__}")
        hours.append(Decimal(value))
    if len(hours) != 12 or any(not h.is_finite() or h < 0 for h in hours):  # noqa: PLR2004 - months
        raise ValueError(f"pv_full_load_hours needs 12 monthly values of 0 or more, got {len(hours)}")
    return tuple(hours)


def _optional_fraction(value: Any) -> Fraction | None:
    return None if value is None else _fraction(value)


def _fraction(value: Any) -> Fraction:
    if isinstance(value, float | bool):
        raise TypeError("float is not accepted for a rate in a policy; write it as text")
    if isinstance(value, str) and value.strip().endswith("%"):
        return Fraction(Decimal(value.strip()[:-1])) / 100
    return Fraction(value)


@attrs.frozen(kw_only=True)
class Policy:
    """The parameters of rules P1–P13 for one province or county (政策参数).

    Attributes:
        name: a short name for the policy.
        source: where the values come from (document titles, notices).
        scope_start_year: assets formed from this year on are in scope (P1).
        excluded_funding_sources: assets funded only from these are out of scope (P1).
        default_class_by_kind: default class of each kind (P3).
        cross_village_owner: who owns cross-village assets (P4) [cfg].
        cross_township_owner: who owns cross-township assets (P4) [cfg].
        post_preference: monitored kinds preferred for public-welfare posts, in order (P5).
        priority_order: purposes of collective operating income, in priority order (P6);
            a plan whose tiers serve them out of this order is refused.
        prohibited_purposes: purposes income may not be spent on (P6); a plan tier for one
            is refused.
        forbid_equal_cash: refuse plans handing equal cash to everyone (简单发钱, P6).
        notice_days: minimum public notice length (P7).
        notice_unit: calendar or working days (P7).
        guaranteed_return_range: (low, high) yearly guaranteed-return rates a contract may
            carry (P8, 6–10 % seen); a contract outside it is refused at entry
            (:meth:`check_contract`, :class:`~assetreg.errors.ContractRefused`).
        guaranteed_return_benchmark: the bank benchmark rate of P8's special case ("not
            below the bank benchmark rate"), or ``None`` when the special case is not
            allowed: a rate tied to the benchmark may then lie in [benchmark, high] [cfg].
        pv_deductions: deductions from PV income before distribution (P9), as
            :class:`~assetreg.domain.vocab.DeductionKind` values; an unknown one raises
            :class:`~assetreg.errors.InvalidChoice` at construction.
        om_cap_per_watt_year: O&M cap in fen per W per year (0.03 元 = 3 fen), or ``None`` (P9).
        distribution_base: gross or net income as the base of percentage splits (P9),
            :attr:`Base.GROSS` or :attr:`Base.NET`.
        coal_part_within_days: days after quarter end to pass on the coal-benchmark part (P9).
        subsidy_part_deadline: (month, day) of the next year by which the subsidy part is
            passed on (P9: before the end of Q1 → (3, 31)).
        distribute_within_days: days after receipt within which income must be distributed.
        post_monthly_floor: the least a public-welfare post may be paid a month (fen), or
            ``None``; a plan paying less per post is refused (``post_pay_below_floor``)
            [cfg]. 乌拉特前旗 2024 pays 每人每月500元、年收益不低于6000元.
        post_monthly_ceiling: the most a post may be paid a month, or ``None`` [cfg].
        disposal_approval_chain: approval levels in order (P12) [cfg].
        accounting_regime: the 2004 or 2023 village collective accounting rules (P13),
            an :class:`~assetreg.domain.vocab.AccountingRegime`.
        fixed_asset_threshold: unit value from which an item is a fixed asset (P13).
        biological_residual_rate: residual rate of draught animals and productive trees (P13).
        useful_life_months: default useful life in months by kind (P13 [cfg]).
        donated_nominal_value: the nominal amount (名义金额) at which a donated asset without
            any value evidence is booked (P13), 1 元 by default.
        idle_limit_days: days an asset may stay idle before it is reported.
        pv_no_income_months: months without income after which a PV station is reported.
        pv_full_load_hours: equivalent full-load hours (等效满负荷小时数) for January to
            December, twelve exact ``Decimal`` values, or ``None``; a station's expected
            monthly output is its capacity (kW) × the month's hours (AUD-609) [cfg]. No
            preset sets them: they depend on the site's irradiation.
        pv_low_output_ratio: a PV month below this share of its expected output, or of the
            station's own median month of income, is reported (monthly screening, AUD-609)
            [cfg], one half by default (county practice).
        rounding: rounding mode of computed amounts (DESIGN §4).
        payable_unit: the unit distributions are paid in (fen, 角 or whole 元) [cfg]; the
            allocation rounds each tier down to it by largest remainder in whole units and
            routes what rounding leaves to the plan's remainder payee, shown on its line.
        single_funding_source_takes_value: a ledger row naming one funding source without
            an amount records that source for the whole 原值 (P2, county practice [cfg]; off
            by default: nothing is guessed, and a warning says when it was applied).
        share_places: decimal places a share or rate cell may have (``0.333333`` has 6);
            more is refused, never rounded (write ``1/3``) [cfg].
        required_evidence: the documents each kind of event needs, as ``(event kind,
            evidence kind)`` pairs (e.g. ``("disposal_approved", "approval")``), read by
            AUD-961 (issue 17) [cfg]; none preset: no public rule found lists them per event.
    """

    name: str
    source: str
    scope_start_year: int = 2012
    excluded_funding_sources: frozenset[FundingSource] = attrs.field(factory=frozenset, converter=_funding_sources)
    default_class_by_kind: Mapping[AssetKind, AssetClass] = attrs.field(
        factory=lambda: ClassMap(DEFAULT_CLASS_BY_KIND), converter=_class_map
    )
    cross_village_owner: PartyKind = attrs.field(default=PartyKind.TOWNSHIP, converter=_cross_village_owner)
    cross_township_owner: PartyKind = attrs.field(default=PartyKind.COUNTY_DEPARTMENT, converter=_cross_township_owner)
    post_preference: tuple[MonitorType, ...] = attrs.field(
        default=(MonitorType.MARGINAL, MonitorType.UNSTABLE),
        converter=_monitor_types,
    )
    priority_order: tuple[Purpose, ...] = attrs.field(
        default=(
            Purpose.UPKEEP,
            Purpose.CONSOLIDATION,
            Purpose.PUBLIC_WELFARE_POSTS,
            Purpose.SMALL_PUBLIC_WORKS,
            Purpose.WORK_REWARDS,
        ),
        converter=_priority_order,
    )
    prohibited_purposes: frozenset[Purpose] = attrs.field(
        default=frozenset(
            {
                Purpose.EQUAL_CASH,
                Purpose.COMMITTEE_RUNNING_COSTS,
                Purpose.VEHICLES,
                Purpose.ALLOWANCES,
                Purpose.DEBT_REPAYMENT,
            }
        ),
        converter=_purpose_set,
    )
    forbid_equal_cash: bool = True
    notice_days: int = 10
    notice_unit: DayUnit = attrs.field(default=DayUnit.CALENDAR, converter=_notice_unit)
    guaranteed_return_range: tuple[Fraction, Fraction] = attrs.field(
        default=(Fraction(6, 100), Fraction(10, 100)),
        converter=_rate_pair,
    )
    guaranteed_return_benchmark: Fraction | None = attrs.field(default=None, converter=_optional_fraction)
    pv_deductions: tuple[DeductionKind, ...] = attrs.field(
        default=(
            DeductionKind.LAND_RENT,
            DeductionKind.TAXES,
            DeductionKind.INSURANCE,
            DeductionKind.OPERATION_MAINTENANCE,
        ),
        converter=_pv_deductions,
    )
    om_cap_per_watt_year: Money | None = attrs.field(default=Money(3), converter=_om_cap)
    distribution_base: Base = attrs.field(default=Base.NET, converter=_distribution_base)
    coal_part_within_days: int = 90
    subsidy_part_deadline: tuple[int, int] = attrs.field(default=(3, 31), converter=_month_day)
    distribute_within_days: int = 365
    post_monthly_floor: Money | None = attrs.field(default=None, converter=_post_floor)
    post_monthly_ceiling: Money | None = attrs.field(default=None, converter=_post_ceiling)
    disposal_approval_chain: tuple[str, ...] = attrs.field(
        default=("village_assembly", "township", "county_rural_revitalisation", "county_finance"),
        converter=_str_tuple,
    )
    accounting_regime: AccountingRegime = attrs.field(default=AccountingRegime.RULES_2023, converter=_accounting_regime)
    fixed_asset_threshold: Money = attrs.field(default=Money(50_000), converter=_fixed_asset_threshold)
    biological_residual_rate: Fraction = attrs.field(default=Fraction(5, 100), converter=_fraction)
    useful_life_months: Mapping[AssetKind, int] = attrs.field(
        factory=lambda: LifeMap(DEFAULT_USEFUL_LIFE_MONTHS), converter=_life_map
    )
    donated_nominal_value: Money = attrs.field(default=Money(100), converter=_donated_nominal_value)
    idle_limit_days: int = 180
    pv_no_income_months: int = 6
    pv_full_load_hours: tuple[Decimal, ...] | None = attrs.field(default=None, converter=_monthly_hours)
    pv_low_output_ratio: Fraction = attrs.field(default=Fraction(1, 2), converter=_fraction)
    rounding: RoundingMode = attrs.field(default=RoundingMode.HALF_UP, converter=_rounding)
    payable_unit: PayableUnit = attrs.field(default=PayableUnit.FEN, converter=_payable_unit)
    single_funding_source_takes_value: bool = False
    share_places: int = 6
    required_evidence: tuple[tuple[str, EvidenceKind], ...] = attrs.field(default=(), converter=_evidence_pairs)

    def __attrs_post_init__(self) -> None:
        self._check_types()
        self._check_values()

    def _check_types(self) -> None:
        problems: list[tuple[str, object]] = [
            (name, getattr(self, name))
            for name in _WHOLE_FIELDS
            if isinstance(getattr(self, name), bool) or not isinstance(getattr(self, name), int)
        ]
        problems.extend(
            (name, getattr(self, name))
            for name in ("forbid_equal_cash", "single_funding_source_takes_value")
            if not isinstance(getattr(self, name), bool)
        )
        if problems:
            field, value = problems[0]
            raise PolicyError(
                f"policy {self.name!r}: {field} must be a whole number (or true/false), got {value!r}",
                f"政策 {self.name!r}：参数 {field} 应为整数（或真/假），实际为 {value!r}",
                record=self.name,
                field=field,
                actual=value,
            )

    def _rate_problems(self) -> list[tuple[str, object]]:
        problems: list[tuple[str, object]] = []
        low, high = self.guaranteed_return_range
        if not 0 <= low <= high:
            problems.append(("guaranteed_return_range", self.guaranteed_return_range))
        benchmark = self.guaranteed_return_benchmark
        if benchmark is not None and not 0 <= benchmark <= high:
            problems.append(("guaranteed_return_benchmark", benchmark))
        if not 0 < self.pv_low_output_ratio <= 1:
            problems.append(("pv_low_output_ratio", self.pv_low_output_ratio))
        return problems

    def _check_values(self) -> None:
        problems: list[tuple[str, object]] = []
        if not 1949 < self.scope_start_year < 2100:  # noqa: PLR2004
            problems.append(("scope_start_year", self.scope_start_year))
        if self.notice_days < 1:
            problems.append(("notice_days", self.notice_days))
        if not 0 <= self.biological_residual_rate < 1:
            problems.append(("biological_residual_rate", self.biological_residual_rate))
        if self.donated_nominal_value.fen < 1:
            problems.append(("donated_nominal_value", self.donated_nominal_value))
        floor, ceiling = self.post_monthly_floor, self.post_monthly_ceiling
        if floor is not None and (floor.fen < 0 or (ceiling is not None and floor > ceiling)):
            problems.append(("post_monthly_floor", floor))
        problems.extend((name, getattr(self, name)) for name in _WHOLE_FIELDS[2:] if getattr(self, name) < 1)
        problems.extend(self._rate_problems())
        month, day = self.subsidy_part_deadline
        try:
            date(2001, month, day)
        except ValueError:
            problems.append(("subsidy_part_deadline", self.subsidy_part_deadline))
        if problems:
            field, value = problems[0]
            raise PolicyError(
                f"policy {self.name!r}: {field} has an impossible value {value!r}",
                f"政策 {self.name!r}：参数 {field} 的取值 {value!r} 不合理",
                record=self.name,
                field=field,
                actual=value,
            )

    # -- rules ---------------------------------------------------------------------------
    def default_class(self, kind: AssetKind) -> AssetClass | None:
        """The default class for ``kind`` (P3), or ``None`` when the policy names none."""
        return self.default_class_by_kind.get(kind)

    def in_scope(self, asset: Asset) -> bool:
        """Whether ``asset`` is in scope (P1).

        In scope: formed from ``scope_start_year`` on (the project's year, else the
        completion year) and not funded only from excluded sources. Assets without a
        known year are in scope.
        """
        year = asset.project.year if asset.project and asset.project.year else None
        if year is None and asset.completed_on is not None:
            year = asset.completed_on.year
        if year is not None and year < self.scope_start_year:
            return False
        sources = {line.source for line in asset.funding}
        return not (sources and sources <= self.excluded_funding_sources)

    def check_contract(self, contract: OperatingContract) -> None:
        """Refuse an operating contract whose guaranteed return the policy forbids (P8), at entry.

        The yearly rate must lie in ``guaranteed_return_range`` (inclusive). A rate marked
        ``benchmark_tied`` may instead lie in [``guaranteed_return_benchmark``, high] — the
        special case "not below the bank benchmark rate" — when the policy configures a
        benchmark. A floor given as a fixed amount has no rate to check.

        Raises:
            ContractRefused: the rate is outside the band (``details``: contract, rate,
                low, high, benchmark, reason ``rate_below_band`` / ``rate_above_band`` /
                ``below_benchmark`` / ``no_benchmark_configured``).
        """
        floor = contract.terms.guaranteed_return
        if floor is None or floor.rate is None:
            return
        low, high = self.guaranteed_return_range
        rate, benchmark = floor.rate, self.guaranteed_return_benchmark
        if low <= rate <= high:
            return
        if rate > high:
            reason = "rate_above_band"
        elif not floor.benchmark_tied:
            reason = "rate_below_band"
        elif benchmark is None:
            reason = "no_benchmark_configured"
        elif rate < benchmark:
            reason = "below_benchmark"
        else:
            return
        band = f"{_pct(low)}–{_pct(high)}"
        why = {
            "rate_above_band": (f"above the policy's band {band}", f"高于政策区间 {band}"),
            "rate_below_band": (f"below the policy's band {band}", f"低于政策区间 {band}"),
            "no_benchmark_configured": (
                f"below {band}, tied to the bank benchmark, but the policy configures no benchmark",
                f"低于 {band}，约定不低于银行基准利率，但政策未配置基准利率",
            ),
            "below_benchmark": (
                f"below the bank benchmark {_pct(benchmark or Fraction(0))} of the policy's special case",
                f"低于政策特例的银行基准利率 {_pct(benchmark or Fraction(0))}",
            ),
        }[reason]
        raise ContractRefused(
            f"contract {contract.id}: guaranteed return {_pct(rate)} a year is {why[0]} (P8)",
            f"合同 {contract.id}：保底收益率 {_pct(rate)}，{why[1]}",
            record=str(contract.id),
            field="guaranteed_return.rate",
            expected=band,
            actual=_pct(rate),
            details={
                "reason": reason,
                "contract": str(contract.id),
                "rate": str(rate),
                "low": str(low),
                "high": str(high),
                "benchmark": None if benchmark is None else str(benchmark),
                "benchmark_tied": floor.benchmark_tied,
            },
        )

    def subsidy_deadline_for(self, income_year: int) -> date:
        """Last day to pass on the subsidy part of ``income_year``'s PV income (P9)."""
        month, day = self.subsidy_part_deadline
        return date(income_year + 1, month, day)

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Policy:
        """Build a policy from a mapping (keys as the attribute names).

        Money values are text (``"0.03元"``, ``"500"`` yuan) or int fen; rates are text
        (``"6%"``, ``"1/20"``). A ``preset`` key starts from a named preset.

        Raises:
            PolicyError: an unknown key, an unknown preset, or a value that cannot be used.
        """
        items = dict(data)
        base: dict[str, Any] = {}
        preset = items.pop("preset", None)
        if preset is not None:
            if preset not in PRESETS:
                raise PolicyError(
                    f"unknown preset {preset!r}",
                    f"未知的预置政策 {preset!r}",
                    field="preset",
                    actual=preset,
                    expected=sorted(PRESETS),
                )
            base = {f.name: getattr(PRESETS[preset], f.name) for f in attrs.fields(cls)}
        names = {f.name for f in attrs.fields(cls)}
        unknown = sorted(set(items) - names)
        if unknown:
            raise PolicyError(
                f"unknown policy keys: {', '.join(unknown)}",
                f"未知的政策参数：{'、'.join(unknown)}",
                field=unknown[0],
                expected=sorted(names),
            )
        base.update(items)
        try:
            return cls(**base)
        except PolicyError:
            raise
        except InvalidChoice as exc:
            raise PolicyError(
                f"policy {base.get('name')!r}: {exc.field} = {exc.actual} is not allowed; {exc.expected}",
                f"政策 {base.get('name')!r}：参数 {exc.field} 的取值 {exc.actual} 不在可选范围内；{exc.message_zh}",
                record=str(base.get("name")),
                field=exc.field,
                expected=exc.expected,
                actual=exc.actual,
                details=exc.details,
            ) from exc
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise PolicyError(
                f"policy value refused: {exc}", f"政策参数不合规：{exc}", record=str(base.get("name"))
            ) from exc

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        """Build a policy from TOML text (see :meth:`from_mapping`).

        Raises:
            PolicyError: invalid TOML or values.
        """
        try:
            data = tomllib.loads(text, parse_float=_refuse_float)
        except (tomllib.TOMLDecodeError, TypeError) as exc:
            raise PolicyError(f"policy TOML is invalid: {exc}", f"政策 TOML 格式错误：{exc}") from exc
        return cls.from_mapping(_policy_table(data))

    @classmethod
    def from_json(cls, text: str) -> Policy:
        """Build a policy from JSON text (see :meth:`from_mapping`); floats are refused.

        Raises:
            PolicyError: invalid JSON or values.
        """
        try:
            data = json.loads(text, parse_float=_refuse_float)
        except (json.JSONDecodeError, TypeError) as exc:
            raise PolicyError(f"policy JSON is invalid: {exc}", f"政策 JSON 格式错误：{exc}") from exc
        if not isinstance(data, dict):
            raise PolicyError("policy JSON must be an object", "政策 JSON 须为对象")
        return cls.from_mapping(_policy_table(data))

    def to_mapping(self) -> dict[str, Any]:
        """Return the policy as plain values (strings, ints, lists) for TOML or JSON.

        Optional fields that are ``None`` by default and unset are left out (TOML has no null).
        """
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            if value is None and f.default is None:
                continue  # TOML has no null; the field loads back as its default, None
            out[f.name] = _plain(value)
        return out


_WHOLE_FIELDS: Final = (
    "scope_start_year",
    "notice_days",
    "distribute_within_days",
    "idle_limit_days",
    "pv_no_income_months",
    "share_places",
    "coal_part_within_days",
)


def _policy_table(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``policy`` table when there is one (then nothing may stand beside it), else ``data``."""
    if "policy" not in data:
        return data
    stray = sorted(set(data) - {"policy"})
    if stray:
        raise PolicyError(
            f"keys outside the policy table: {', '.join(stray)}",
            f"政策表之外的参数：{'、'.join(stray)}",
            field=stray[0],
        )
    table = data["policy"]
    if not isinstance(table, Mapping):
        raise PolicyError("policy must be a table", "policy 须为表", field="policy")
    return table


def _pct(rate: Fraction) -> str:
    value = rate * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).normalize()}%"


def _refuse_float(text: str) -> Any:
    raise TypeError(f"float {text} is not accepted in a policy; write money and rates as text")


def _plain(value: Any) -> Any:  # noqa: PLR0911 - one return per plain type
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Money):
        return value.fen
    if isinstance(value, Fraction | Decimal):
        return str(value)
    if isinstance(value, frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(_plain(kv[0])))}
    return value


NATIONAL_2021 = Policy(
    name="national-2021",
    source=(
        "National baseline. Scope from 2012 (党的十八大以来) and the class examples (P1, P3), "
        "ownership, custody, income and disposal rules (P4–P6, P12) follow the 2021 national guidance "
        "《关于加强扶贫项目资产后续管理的指导意见》 as summarised in DESIGN §7; notice 10 calendar "
        "days (P7, seen in several provinces); O&M cap 0.03 元/W/年 and net base (P9, seen in county "
        "PV rules); accounting per the 2023 revision of the village collective accounting rules, in "
        "force 2024-01-01 (P13); default useful lives and the 1 元 nominal amount for donated assets "
        "without value evidence are county practice, configurable (see DEFAULT_USEFUL_LIFE_MONTHS). "
        "Approval chain village assembly → township → county (P12) is "
        "county practice, configurable."
    ),
)
"""National baseline preset (scope 2012, 10 calendar-day notice)."""

GANSU_COUNTY = attrs.evolve(
    NATIONAL_2021,
    name="gansu-county-2013",
    scope_start_year=2013,
    source=(
        "A Gansu county (DESIGN §7 P1: scope from 2013, seen in a Gansu county's rules); other "
        "values as the national baseline. Used by the bundled demo (`assetreg demo`)."
    ),
)
"""Gansu county preset (scope 2013)."""

GUANGXI_2016 = attrs.evolve(
    NATIONAL_2021,
    name="guangxi-2016",
    scope_start_year=2016,
    excluded_funding_sources=frozenset({FundingSource.RELOCATION_FUND}),
    source=(
        "Guangxi (DESIGN §7 P1: scope from 2016, relocation-housing assets excluded); other values "
        "as the national baseline."
    ),
)
"""Guangxi preset (scope 2016, relocation funds excluded)."""

PRESETS: Mapping[str, Policy] = {p.name: p for p in (NATIONAL_2021, GANSU_COUNTY, GUANGXI_2016)}
"""Presets by name."""
