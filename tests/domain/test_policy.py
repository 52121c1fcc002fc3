"""Policy parameters: presets, TOML/JSON loading, scope (P1) and default class (P3)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest

from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.money import Money, RoundingMode
from assetreg.domain.policy import (
    DEFAULT_CLASS_BY_KIND,
    GANSU_COUNTY,
    GUANGXI_2016,
    NATIONAL_2021,
    PRESETS,
    DayUnit,
    Policy,
)
from assetreg.domain.vocab import AssetClass, AssetKind, Base, FundingSource, MonitorType, PartyKind
from assetreg.errors import PolicyError
from domain.builders import VILLAGE_HUISHI

F = FundingSource


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def to_toml(mapping: dict[str, Any]) -> str:
    """A tiny TOML writer for the plain values of ``Policy.to_mapping`` (tests only)."""
    lines = ["[policy]"]
    tables = []
    for key, value in mapping.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        lines.append(f"[policy.{key}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


class TestPresets:
    def test_presets_are_there(self) -> None:
        assert sorted(PRESETS) == ["gansu-county-2013", "guangxi-2016", "national-2021"]
        assert PRESETS["national-2021"] is NATIONAL_2021
        assert (NATIONAL_2021.scope_start_year, GANSU_COUNTY.scope_start_year, GUANGXI_2016.scope_start_year) == (
            2012,
            2013,
            2016,
        )
        assert GUANGXI_2016.excluded_funding_sources == frozenset({F.RELOCATION_FUND})
        for preset in PRESETS.values():
            assert preset.source.strip()

    def test_baseline_values(self) -> None:
        p = NATIONAL_2021
        assert p.notice_days == 10
        assert p.notice_unit is DayUnit.CALENDAR
        assert p.om_cap_per_watt_year == Money(3)
        assert p.guaranteed_return_range == (Fraction(6, 100), Fraction(10, 100))
        assert p.distribution_base is Base.NET
        assert p.fixed_asset_threshold == Money.yuan(500)
        assert p.biological_residual_rate == Fraction(1, 20)
        assert p.rounding is RoundingMode.HALF_UP
        assert p.disposal_approval_chain == (
            "village_assembly",
            "township",
            "county_rural_revitalisation",
            "county_finance",
        )
        assert p.post_preference == (MonitorType.MARGINAL, MonitorType.UNSTABLE)
        assert p.cross_township_owner is PartyKind.COUNTY_DEPARTMENT
        assert p.subsidy_deadline_for(2024) == date(2025, 3, 31)

    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_preset_by_name(self, name: str) -> None:
        assert Policy.from_mapping({"preset": name}) == PRESETS[name]
        assert Policy.from_toml(f'[policy]\npreset = "{name}"\n') == PRESETS[name]
        assert Policy.from_json(json.dumps({"preset": name})) == PRESETS[name]

    def test_preset_with_overrides(self) -> None:
        policy = Policy.from_toml(
            '[policy]\npreset = "gansu-county-2013"\nname = "会宁县"\nnotice_days = 7\n'
            'notice_unit = "working"\nom_cap_per_watt_year = "0.02元"\nrounding = "down"\n'
        )
        assert policy.name == "会宁县"
        assert policy.scope_start_year == 2013
        assert policy.notice_days == 7
        assert policy.notice_unit is DayUnit.WORKING
        assert policy.om_cap_per_watt_year == Money(2)
        assert policy.rounding is RoundingMode.DOWN


class TestRoundTrip:
    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_json(self, name: str) -> None:
        preset = PRESETS[name]
        mapping = preset.to_mapping()
        assert Policy.from_json(json.dumps(mapping, ensure_ascii=False)) == preset
        assert Policy.from_mapping(mapping) == preset

    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_toml(self, name: str) -> None:
        preset = PRESETS[name]
        assert Policy.from_toml(to_toml(preset.to_mapping())) == preset

    def test_mapping_is_plain(self) -> None:
        mapping = GUANGXI_2016.to_mapping()
        assert mapping["excluded_funding_sources"] == ["relocation_fund"]
        assert mapping["om_cap_per_watt_year"] == 3
        assert mapping["guaranteed_return_range"] == ["3/50", "1/10"]
        assert mapping["default_class_by_kind"]["pv_station"] == "operating"
        assert mapping["rounding"] == "half_up"
        assert json.loads(json.dumps(mapping)) == mapping

    def test_custom_class_map_round_trips(self) -> None:
        custom = attrs.evolve(
            NATIONAL_2021, name="custom", default_class_by_kind={AssetKind.GREENHOUSE: AssetClass.HOUSEHOLD}
        )
        again = Policy.from_toml(to_toml(custom.to_mapping()))
        assert again == custom
        assert again.default_class(AssetKind.GREENHOUSE) is AssetClass.HOUSEHOLD
        assert again.default_class(AssetKind.PV_STATION) is None


class TestRefusals:
    def test_unknown_keys(self) -> None:
        with pytest.raises(PolicyError) as info:
            Policy.from_toml('[policy]\npreset = "national-2021"\nnotice_dayz = 7\n')
        assert info.value.code == "AR-300"
        assert info.value.field == "notice_dayz"
        with pytest.raises(PolicyError):
            Policy.from_json('{"preset": "national-2021", "colour": "red"}')

    def test_stray_top_level_keys_next_to_the_policy_table(self) -> None:
        with pytest.raises(PolicyError):
            Policy.from_toml('notice_days = 7\n[policy]\npreset = "national-2021"\n')

    def test_unknown_preset(self) -> None:
        with pytest.raises(PolicyError) as info:
            Policy.from_mapping({"preset": "tibet-2099"})
        assert info.value.field == "preset"

    @pytest.mark.parametrize(
        "text",
        [
            '[policy]\npreset = "national-2021"\nbiological_residual_rate = 0.05\n',
            '[policy]\npreset = "national-2021"\nnotice_days = 10.0\n',
            '[policy]\npreset = "national-2021"\nom_cap_per_watt_year = 0.03\n',
        ],
    )
    def test_toml_floats(self, text: str) -> None:
        with pytest.raises(PolicyError):
            Policy.from_toml(text)

    @pytest.mark.parametrize(
        "text",
        [
            '{"preset": "national-2021", "biological_residual_rate": 0.05}',
            '{"preset": "national-2021", "notice_days": 10.5}',
            '{"preset": "national-2021", "guaranteed_return_range": [0.06, 0.1]}',
        ],
    )
    def test_json_floats(self, text: str) -> None:
        with pytest.raises(PolicyError):
            Policy.from_json(text)

    def test_mapping_floats(self) -> None:
        with pytest.raises(PolicyError):
            Policy.from_mapping({"preset": "national-2021", "fixed_asset_threshold": 500.0})
        with pytest.raises(PolicyError):
            Policy.from_mapping({"preset": "national-2021", "idle_limit_days": 180.0})
        with pytest.raises(PolicyError):
            Policy.from_mapping({"preset": "national-2021", "notice_days": True})

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("notice_days", 0),
            ("scope_start_year", 1900),
            ("accounting_regime", "2010"),
            ("idle_limit_days", 0),
            ("notice_unit", "fortnights"),
            ("excluded_funding_sources", ["lottery"]),
            ("fixed_asset_threshold", "500.001"),
            ("om_cap_per_watt_year", "three fen"),
        ],
    )
    def test_impossible_values(self, key: str, value: object) -> None:
        with pytest.raises(PolicyError):
            Policy.from_mapping({"preset": "national-2021", key: value})

    def test_bad_text(self) -> None:
        with pytest.raises(PolicyError):
            Policy.from_toml("[policy\n")
        with pytest.raises(PolicyError):
            Policy.from_json("{")

    def test_name_required(self) -> None:
        with pytest.raises(PolicyError):
            Policy.from_mapping({"source": "x"})


def _asset(year: int | None, sources: tuple[FundingSource, ...], *, completed: date | None = None) -> Asset:
    lines = tuple(FundingLine(s, Money.wan(10)) for s in sources)
    return Asset(
        id=AssetId("A-1"),
        name="安置区配套设施",
        asset_class=AssetClass.PUBLIC_WELFARE,
        kind=AssetKind.OTHER,
        location=VILLAGE_HUISHI,
        original_value=Money.wan(10 * len(sources)),
        funding=lines,
        project=Project(code="P-1", name="项目", year=year),
        completed_on=completed,
    )


class TestScope:
    """P1: Gansu counts from 2013; Guangxi from 2016 and excludes relocation housing."""

    @pytest.mark.parametrize(
        ("year", "sources", "national", "gansu", "guangxi"),
        [
            (2012, (F.SPECIAL_POVERTY_FUND,), True, False, False),
            (2013, (F.SPECIAL_POVERTY_FUND,), True, True, False),
            (2015, (F.SPECIAL_POVERTY_FUND,), True, True, False),
            (2016, (F.SPECIAL_POVERTY_FUND,), True, True, True),
            (2016, (F.RELOCATION_FUND,), True, True, False),
            (2018, (F.RELOCATION_FUND, F.SPECIAL_POVERTY_FUND), True, True, True),
            (2011, (F.RELOCATION_FUND,), False, False, False),
            (None, (F.RELOCATION_FUND,), True, True, False),
            (None, (), True, True, True),
        ],
    )
    def test_in_scope(
        self, year: int | None, sources: tuple[FundingSource, ...], national: bool, gansu: bool, guangxi: bool
    ) -> None:
        asset = _asset(year, sources)
        assert (NATIONAL_2021.in_scope(asset), GANSU_COUNTY.in_scope(asset), GUANGXI_2016.in_scope(asset)) == (
            national,
            gansu,
            guangxi,
        )

    def test_completion_year_when_the_project_has_none(self) -> None:
        asset = _asset(None, (F.SPECIAL_POVERTY_FUND,), completed=date(2014, 12, 1))
        assert GANSU_COUNTY.in_scope(asset)
        assert not GUANGXI_2016.in_scope(asset)


class TestDefaultClass:
    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (AssetKind.PV_STATION, AssetClass.OPERATING),
            (AssetKind.WORKSHOP, AssetClass.OPERATING),
            (AssetKind.PROCESSING_PLANT, AssetClass.OPERATING),
            (AssetKind.EQUITY, AssetClass.OPERATING),
            (AssetKind.ROAD, AssetClass.PUBLIC_WELFARE),
            (AssetKind.WATER_SUPPLY, AssetClass.PUBLIC_WELFARE),
            (AssetKind.SCHOOL, AssetClass.PUBLIC_WELFARE),
            (AssetKind.CLINIC, AssetClass.PUBLIC_WELFARE),
            (AssetKind.TOILET, AssetClass.PUBLIC_WELFARE),
            (AssetKind.CULTURE_SITE, AssetClass.PUBLIC_WELFARE),
            (AssetKind.LIVESTOCK, AssetClass.HOUSEHOLD),
            (AssetKind.HOUSEHOLD_SUBSIDY, AssetClass.HOUSEHOLD),
            (AssetKind.OTHER, None),
            (AssetKind.EQUIPMENT, None),
        ],
    )
    def test_p3_defaults(self, kind: AssetKind, expected: AssetClass | None) -> None:
        assert NATIONAL_2021.default_class(kind) is expected
        assert DEFAULT_CLASS_BY_KIND.get(kind) is expected

    def test_configurable(self) -> None:
        policy = Policy.from_toml(
            '[policy]\npreset = "national-2021"\n[policy.default_class_by_kind]\ngreenhouse = "household"\n'
        )
        assert policy.default_class(AssetKind.GREENHOUSE) is AssetClass.HOUSEHOLD
        assert policy.default_class(AssetKind.ROAD) is None
        with pytest.raises(PolicyError):
            Policy.from_toml(
                '[policy]\npreset = "national-2021"\n[policy.default_class_by_kind]\nspaceship = "household"\n'
            )

    def test_class_map_is_read_only_and_policies_hash(self) -> None:
        with pytest.raises(TypeError):
            NATIONAL_2021.default_class_by_kind[AssetKind.ROAD] = AssetClass.OPERATING  # type: ignore[index]
        assert hash(NATIONAL_2021) == hash(Policy.from_mapping({"preset": "national-2021"}))


class TestAccountingParameters:
    """P13 [cfg]: default useful lives by kind and the nominal amount for donated assets."""

    def test_defaults(self) -> None:
        lives = NATIONAL_2021.useful_life_months
        assert (lives[AssetKind.ROAD], lives[AssetKind.PV_STATION], lives[AssetKind.EQUIPMENT]) == (240, 240, 120)
        assert (lives[AssetKind.LIVESTOCK], lives[AssetKind.TREES]) == (36, 120)
        assert AssetKind.EQUITY not in lives
        assert NATIONAL_2021.donated_nominal_value == Money.yuan(1)

    def test_round_trip_of_custom_lives(self) -> None:
        custom = attrs.evolve(
            NATIONAL_2021,
            name="custom-lives",
            useful_life_months={AssetKind.GREENHOUSE: 180, AssetKind.LIVESTOCK: 48},
            donated_nominal_value=Money.yuan("0.01"),
        )
        mapping = custom.to_mapping()
        assert mapping["useful_life_months"] == {"greenhouse": 180, "livestock": 48}
        assert mapping["donated_nominal_value"] == 1
        assert Policy.from_toml(to_toml(mapping)) == custom
        assert Policy.from_json(json.dumps(mapping)) == custom
        assert hash(custom) == hash(Policy.from_mapping(mapping))

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("useful_life_months", {"road": 0}),
            ("useful_life_months", {"road": "20 years"}),
            ("useful_life_months", {"spaceship": 12}),
            ("biological_residual_rate", "100%"),
            ("biological_residual_rate", "-1/20"),
            ("donated_nominal_value", 0),
        ],
    )
    def test_impossible_values(self, key: str, value: object) -> None:
        with pytest.raises(PolicyError):
            Policy.from_mapping({"preset": "national-2021", key: value})
