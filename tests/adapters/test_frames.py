"""The pandas frames (analyst's path, DESIGN §1) on the bundled sample: exact figures, exact dtypes.

Figures come from the published notices the sample is built from (sources in
src/assetreg/samples/README.md):
- 灵台县 柳家铺村 PV station: income 7.3万元, O&M 0.9万元 → 67,420.00 yuan distributable after
  the capped O&M, 45 % (30,339.00) to the collective and 55 % (37,081.00) to households by
  labour: http://pvnews.cn/a/news/reping/11988.html
- 肃州区 cooperative dividend 4.5万元 split 55/30/15 = 24,750 / 13,500 / 6,750 (DESIGN §9):
  http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml
- 满城区 2021年资产收益项目(天香), 851.65万元 at 6 % a year; the quarter's return 127,747.50 yuan:
  http://mancheng.gov.cn/show-19993.html
The small register at the end uses the real Baiyin township codes of tests/domain/builders.py
(会宁县 会师镇 620422100 etc., with invented village suffixes).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from assetreg.adapters.frames import (
    COLUMNS_ZH,
    Table,
    allocation_frame,
    allocation_table,
    events_frame,
    findings_frame,
    findings_table,
    register_frame,
    register_table,
    revenue_frame,
    yuan,
)
from assetreg.demo import DEMO_AS_OF, DemoResult, run_demo
from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import AssetRegistered, Corrected, EventId, OwnershipConfirmed, Revalued
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId, VillageCollective
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import AssetClass, AssetKind

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def demo() -> DemoResult:
    return run_demo()


@pytest.fixture(scope="module")
def frames(demo: DemoResult) -> dict[str, pd.DataFrame]:
    return {
        "register": register_frame(demo.register, as_of=DEMO_AS_OF),
        "allocation": allocation_frame(demo.notices),
        "findings": findings_frame(demo.findings),
        "revenue": revenue_frame(demo.income.entries),
        "events": events_frame(demo.register),
    }


def _money_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.endswith(("_fen", "_yuan"))]


# -- allocations: who received what from which asset under which rule ---------------------------


def test_pv_allocation_sums_to_the_distributable_income(frames):
    alloc = frames["allocation"]
    pv = alloc[alloc.asset_id == "LT-PV-001"]
    assert int(pv.amount_fen.sum()) == 6_742_000
    assert yuan(pv.amount_fen.sum()) == Decimal("67420.00")  # the exact accessor
    with pytest.raises(TypeError):  # yuan text does not average into a float
        pv.amount_yuan.mean()
    assert len(pv) == 1 + 55  # the collective and the 55 households with days worked


def test_pv_allocation_grouped_by_beneficiary_kind(frames):
    alloc = frames["allocation"]
    pv = alloc[alloc.asset_id == "LT-PV-001"]
    by_kind = pv.groupby("beneficiary_kind")["amount_fen"].sum()
    assert by_kind.to_dict() == {"collective": 3_033_900, "household": 3_708_100}
    by_kind_yuan = yuan(pv.groupby("beneficiary_kind")["amount_fen"].sum())
    assert by_kind_yuan["collective"] == Decimal("30339.00")
    assert by_kind_yuan["household"] == Decimal("37081.00")
    by_group = pv.groupby("recipient_group")["amount_fen"].sum()
    assert by_group.to_dict() == {"collective": 3_033_900, "households": 3_708_100}


def test_pv_allocation_cites_rule_and_rate(frames):
    alloc = frames["allocation"]
    row = alloc[(alloc.asset_id == "LT-PV-001") & (alloc.beneficiary_kind == "collective")].iloc[0]
    assert row.asset_name == "柳家铺村级光伏扶贫发电站"
    assert row.plan_id == "pv-45-55"
    assert row.rate == "9/20"
    assert row.base == "net"
    assert row.base_amount_fen == 6_742_000
    assert row.base_amount_yuan == "67420.00"
    assert row.tier_amount_yuan == "30339.00"
    assert row.basis == "45% × 可分配收益 67420.00元"
    assert row.period_start == pd.Timestamp("2019-05-01")
    assert row.period_end == pd.Timestamp("2020-05-01")  # half-open: first day after the period


def test_household_shares_are_exact_and_within_a_fen(frames):
    alloc = frames["allocation"]
    households = alloc[(alloc.asset_id == "LT-PV-001") & (alloc.beneficiary_kind == "household")]
    assert sum(Fraction(s) for s in households.share) == 1
    for amount, share in zip(households.amount_fen, households.share, strict=True):
        assert abs(Fraction(amount) - Fraction(share) * 3_708_100) < 1


def test_cooperative_dividend_by_tier(frames):
    alloc = frames["allocation"]
    coop = alloc[alloc.asset_id == "SZ-GH-001"]
    by_rate = dict(zip(coop.rate, coop.amount_fen, strict=True))
    assert by_rate == {"11/20": 2_475_000, "3/10": 1_350_000, "3/20": 675_000}
    assert list(coop.beneficiary_kind) == ["reserve", "collective", "party"]


def test_bare_allocation_has_no_asset(demo):
    allocation = demo.notices[1].allocations[0]
    frame = allocation_frame(allocation)
    assert len(frame) == 3
    assert frame.asset_id.isna().all()
    assert int(frame.amount_fen.sum()) == 4_500_000
    mixed = allocation_frame([allocation, demo.notices[0]])
    assert len(mixed) == 3 + 56
    assert mixed.asset_id.isna().sum() == 3


def test_empty_frames_keep_their_columns_and_dtypes(frames):
    empty = allocation_frame([])
    assert list(empty.columns) == list(frames["allocation"].columns)
    assert dict(empty.dtypes) == dict(frames["allocation"].dtypes)
    assert list(revenue_frame([]).columns) == list(frames["revenue"].columns)
    assert list(findings_frame([]).columns) == list(frames["findings"].columns)
    assert list(register_frame(AssetRegister.empty(), as_of=DEMO_AS_OF).columns) == list(frames["register"].columns)
    assert str(empty.amount_fen.dtype) == "Int64"


# -- the register --------------------------------------------------------------------------------


def test_register_frame_rows_and_values(frames):
    reg = frames["register"].set_index("asset_id")
    assert len(reg) == 8
    mc = reg.loc["MC-2021-001"]
    assert mc.original_value_fen == 851_650_000
    assert mc.original_value_yuan == "8516500.00"
    assert mc.county == "130607"
    assert mc.location == "130607000000"
    assert mc.owners == "county_department:满城区农业农村局"
    assert mc.owner_shares == "1"
    assert mc.asset_class == "operating"
    assert mc.status == "in_use"
    assert mc.status_since == pd.Timestamp("2021-11-01")
    assert reg.loc["LT-PV-001"].capacity_kw == Decimal(186)
    assert reg.loc["SZ-GH-001"].custodian == "cooperative:酒泉巧姑娘蔬菜农民专业合作社"
    assert reg.original_value_fen.sum() == 137_640_000 + 851_650_000 + 530_000_000 + 1_245_000_000
    assert set(reg.status) == {"in_use", "planned"}


def test_register_frame_before_registration_is_smaller(demo):
    frame = register_frame(demo.register, as_of=date(2020, 1, 1))
    assert list(frame.asset_id) == ["LT-PV-001", "SZ-GH-001"]  # registered 2019-05-01 and 2019-01-01
    assert list(register_frame(demo.register, as_of=date(2019, 3, 1)).asset_id) == ["SZ-GH-001"]


# -- findings, revenue, events -------------------------------------------------------------------


def test_findings_frame(frames):
    findings = frames["findings"]
    assert len(findings) == 7
    assert findings.severity.value_counts().to_dict() == {"warning": 7}
    first = findings.iloc[0]
    assert first.code == "AUD-302"  # 柳家铺 PV station: the source prints no funding source
    assert first.county == "620822"
    evidence = json.loads(first.evidence)
    assert evidence["original_value"] == "1376400.00"  # 137.64万元


def test_revenue_frame(frames):
    rev = frames["revenue"].set_index("entry_id")
    assert len(rev) == 3
    q = rev.loc["MC-R-2023Q4"]
    assert q.amount_fen == 12_774_750
    assert q.amount_yuan == "127747.50"
    assert q.kind == "guaranteed_return"
    assert q.period_start == pd.Timestamp("2023-11-01")
    assert q.period_end == pd.Timestamp("2024-02-01")
    assert q.received == pd.Timestamp("2024-09-09")
    assert pd.isna(q.contract_id)
    in_2019 = rev[rev.period_start.dt.year == 2019]
    assert yuan(in_2019.amount_fen.sum()) == Decimal("118000.00")  # 7.3万 PV + 4.5万 cooperative


def test_events_frame_instants(frames):
    events = frames["events"]
    assert len(events) == 24  # the 满城 contract has no published dates and is not registered
    assert events.kind.value_counts().to_dict() == {
        "asset_registered": 8,
        "custodian_assigned": 8,
        "ownership_confirmed": 8,
    }
    first = events.iloc[0]
    assert first.recorded_at_utc == pd.Timestamp("2024-12-31 01:00", tz="UTC")
    assert first.recorded_at_shanghai.hour == 9
    assert first.recorded_at_shanghai == first.recorded_at_utc
    assert str(events.recorded_at_utc.dtype) == "datetime64[us, UTC]"
    assert str(events.recorded_at_shanghai.dtype) == "datetime64[us, Asia/Shanghai]"
    assert str(events.effective.dtype) == "datetime64[us]"
    owner = events[(events.kind == "ownership_confirmed") & (events.asset_id == "MC-2021-001")].iloc[0]
    assert owner.parties == "county_department:满城区农业农村局"
    assert not events.superseded.any()


# -- exactness of every frame --------------------------------------------------------------------


def test_no_float_anywhere(frames):
    for name, frame in frames.items():
        money = _money_columns(frame)
        assert money or name == "findings", name
        for column in frame.columns:
            assert not pd.api.types.is_float_dtype(frame[column].dtype), (name, column)
        for column in money:
            if column.endswith("_fen"):
                assert str(frame[column].dtype) == "Int64", (name, column)
            else:
                assert str(frame[column].dtype) == "string", (name, column)
                fen = frame[column.removesuffix("_yuan") + "_fen"]
                for text, cents in zip(frame[column], fen, strict=True):
                    if pd.isna(cents):
                        assert pd.isna(text), (name, column)
                    else:  # two places, and exactly the fen column's amount
                        assert re.fullmatch(r"-?\d+\.\d\d", text), (name, column, text)
                        assert Decimal(text) == Decimal(int(cents)).scaleb(-2), (name, column)


def test_csv_export_keeps_exact_text(frames):
    alloc = frames["allocation"]
    text = alloc.rename(columns=COLUMNS_ZH).to_csv(index=False)
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back["金额(元)"].iloc[0] == "30339.00"
    assert back["资产编号"].iloc[0] == "LT-PV-001"
    reg = frames["register"].to_csv(index=False)
    assert pd.read_csv(io.StringIO(reg), dtype=str).location.iloc[0] == "620822000000"


def test_chinese_headers_cover_every_column(frames):
    for frame in frames.values():
        assert set(frame.columns) <= set(COLUMNS_ZH)


# -- a small register: joint ownership, township codes, corrections -----------------------------

HUISHI_VILLAGE = AdminCode("620422100201")  # real town 会宁县 会师镇 (620422100); invented village suffix


def _at(day: int, hour: int = 1) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def _joint_register() -> AssetRegister:
    aid = AssetId("HN-PV-J01")
    asset = Asset(
        id=aid,
        name="联村光伏电站",
        asset_class=AssetClass.OPERATING,
        kind=AssetKind.PV_STATION,
        location=HUISHI_VILLAGE,
        original_value=Money.wan("851.65"),
    )
    own = OwnershipConfirmed(
        asset_id=aid,
        effective=date(2024, 1, 1),
        recorded_at=_at(1),
        event_id=EventId("own-1"),
        holders=(OwnerShare(PartyId("VC-A"), Fraction(1, 2)), OwnerShare(PartyId("VC-B"), Fraction(1, 2))),
    )
    fixed = OwnershipConfirmed(
        asset_id=aid,
        effective=date(2024, 1, 1),
        recorded_at=_at(5),
        holders=(
            OwnerShare(PartyId("VC-A"), Fraction(1, 2)),
            OwnerShare(PartyId("VC-B"), Fraction(1, 3)),
            OwnerShare(PartyId("VC-C"), Fraction(1, 6)),
        ),
    )
    return AssetRegister.of(
        events=[
            AssetRegistered(
                asset_id=aid, effective=date(2024, 1, 1), recorded_at=_at(1), event_id=EventId("reg"), asset=asset
            ),
            own,
            Corrected(
                asset_id=aid,
                effective=date(2024, 1, 1),
                recorded_at=_at(5),
                event_id=EventId("fix-own"),
                supersedes=EventId("own-1"),
                replacement=fixed,
            ),
            Revalued(
                asset_id=aid,
                effective=date(2024, 6, 30),
                recorded_at=_at(6),
                event_id=EventId("rev"),
                book_value=Money.yuan("7000000.05"),
            ),
        ]
    )


def test_joint_ownership_shares_as_fraction_text_and_township_code():
    register = _joint_register()
    row = register_frame(register, as_of=date(2024, 12, 31)).iloc[0]
    assert row.owners == "VC-A; VC-B; VC-C"
    assert row.owner_shares == "1/2; 1/3; 1/6"
    assert sum(Fraction(s) for s in row.owner_shares.split("; ")) == 1
    assert row.township == "620422100"
    assert row.county == "620422"
    assert row.original_value_fen == 851_650_000
    assert row.book_value_fen == 700_000_005
    assert row.book_value_yuan == "7000000.05"
    before = register_frame(register, as_of=date(2024, 12, 31), known_at=_at(2)).iloc[0]
    assert before.owner_shares == "1/2; 1/2"
    assert before.book_value_fen == 851_650_000


def test_events_frame_flags_superseded_events():
    register = _joint_register()
    events = events_frame(register).set_index("event_id")
    assert events.loc["own-1"].superseded
    assert events.loc["own-1"].parties == "VC-A; VC-B"
    fix = events.loc["fix-own"]
    assert fix.kind == "corrected"
    assert fix.supersedes == "own-1"
    assert fix.replacement_kind == "ownership_confirmed"
    assert not fix.superseded
    assert events.loc["rev"].amount_fen == 700_000_005
    assert events.loc["rev"].amount_yuan == "7000000.05"
    early = events_frame(register, known_at=_at(2))
    assert list(early.event_id) == ["reg", "own-1"]
    assert not early.superseded.any()


# -- optional dependency -------------------------------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_without_pandas_tables_give_records_and_frames_say_what_to_install():
    result = _run(
        "import sys\n"
        "sys.modules['pandas'] = None\n"
        "from datetime import date\n"
        "from assetreg.adapters.frames import revenue_table, revenue_frame\n"
        "from assetreg.domain.money import Money\n"
        "from assetreg.domain.periods import Period\n"
        "from assetreg.income.revenue import RevenueEntry, RevenueKind\n"
        "entry = RevenueEntry(id='R1', asset_id='A1', kind=RevenueKind.RENT, amount=Money.yuan('127747.50'),\n"
        "                     period=Period.year(2023), received=date(2024, 1, 5))\n"
        "(record,) = revenue_table([entry]).as_records()\n"
        "print(record['amount_fen'], record['amount_yuan'], record['period_end'])\n"
        "try:\n"
        "    revenue_frame([entry])\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc.name, exc)\n"
        "else:\n"
        "    raise SystemExit('a frame without pandas')\n"
        "assert 'pandas' not in sys.modules or sys.modules['pandas'] is None\n"
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first == "12774750 127747.50 2024-01-01"
    assert second.startswith("ImportError pandas ")
    assert 'pip install "assetreg[frames]"' in second


def test_import_assetreg_does_not_import_pandas():
    result = _run("import sys, assetreg, assetreg.demo; assert 'pandas' not in sys.modules")
    assert result.returncode == 0, result.stderr
    check = _run("import sys, assetreg.adapters.frames; assert 'pandas' not in sys.modules")
    assert check.returncode == 0, check.stderr  # pandas is imported only for a DataFrame


def test_naive_known_at_is_refused():
    from assetreg.errors import InvalidPeriod

    with pytest.raises(InvalidPeriod):
        events_frame(_joint_register(), known_at=datetime(2024, 3, 2))  # noqa: DTZ001 - the naive instant under test
    with pytest.raises(InvalidPeriod):
        register_frame(_joint_register(), as_of=date(2024, 12, 31), known_at=datetime(2024, 3, 2))  # noqa: DTZ001


# -- tables without pandas, areas and names, recipient groups --------------------------------------


def _no_float(value: object) -> bool:
    return not isinstance(value, float)


def test_tables_give_the_frames_rows_as_plain_records(demo, frames):
    tables = {
        "register": register_table(demo.register, as_of=DEMO_AS_OF),
        "allocation": allocation_table(demo.notices),
        "findings": findings_table(demo.findings),
    }
    for name, table in tables.items():
        assert isinstance(table, Table)
        records = table.as_records()
        assert len(records) == len(table) == len(frames[name]), name
        assert list(records[0]) == list(frames[name].columns), name
        assert all(_no_float(v) for record in records for v in record.values()), name
    pv = [r for r in tables["allocation"].as_records() if r["asset_id"] == "LT-PV-001"]
    assert sum(r["amount_fen"] for r in pv) == 6_742_000
    assert {r["amount_yuan"] for r in pv if r["recipient_group"] == "collective"} == {"30339.00"}
    assert pv[0]["period_end"] == date(2020, 5, 1)


def test_register_names_parties_and_areas_from_an_official_code_list():
    register = _joint_register()
    for party_id, name in (("VC-A", "甲村股份经济合作社"), ("VC-B", "乙村股份经济合作社")):
        register = register.add_party(VillageCollective(id=PartyId(party_id), name=name, admin_code=HUISHI_VILLAGE))
    codes = {"620422000000": "会宁县", "620422100000": "会师镇", HUISHI_VILLAGE.value: "某村"}
    row = register_frame(register, as_of=date(2024, 12, 31), area_names=codes).iloc[0]
    assert (row.county, row.township, row.village) == ("620422", "620422100", HUISHI_VILLAGE.value)
    assert (row.county_name, row.township_name, row.village_name) == ("会宁县", "会师镇", "某村")
    assert row.owner_names == "甲村股份经济合作社; 乙村股份经济合作社; VC-C"  # VC-C is not stored: its id
    plain = register_frame(register, as_of=date(2024, 12, 31))
    assert "village_name" not in plain.columns  # no code list, no name columns
    assert set(COLUMNS_ZH) >= set(register_frame(register, as_of=date(2024, 12, 31), area_names=codes).columns)


def test_findings_have_township_and_village_columns(demo, frames):
    findings = frames["findings"]
    located = findings[findings.area.notna()]
    assert len(located) > 0
    for area, county, township, village in zip(
        located.area, located.county, located.township, located.village, strict=True
    ):
        assert county == area[:6]
        assert township == area[:9] if area[6:9] != "000" else pd.isna(township)
        assert village == area if area[9:] != "000" else pd.isna(village)
    named = findings_table([f for f in demo.findings if f.area], area_names={"620822000000": "灵台县"}).as_records()
    assert named
    assert all(r["county_name"] == ("灵台县" if r["county"] == "620822" else None) for r in named)


def test_recipient_groups_follow_kind_and_purpose():
    from assetreg.income.beneficiaries import BeneficiaryKind
    from assetreg.income.purpose import Purpose
    from assetreg.income.results import RecipientGroup, recipient_group

    assert recipient_group(BeneficiaryKind.HOUSEHOLD, Purpose.HOUSEHOLD_DIVIDEND) is RecipientGroup.HOUSEHOLDS
    assert recipient_group(BeneficiaryKind.POST_HOLDER, Purpose.PUBLIC_WELFARE_POSTS) is RecipientGroup.HOUSEHOLDS
    assert recipient_group(BeneficiaryKind.COLLECTIVE, Purpose.COLLECTIVE_ACCUMULATION) is RecipientGroup.COLLECTIVE
    assert recipient_group(BeneficiaryKind.RESERVE, Purpose.HOUSEHOLD_DEVELOPMENT) is RecipientGroup.FUND
    assert recipient_group(BeneficiaryKind.PARTY, Purpose.OPERATING_COSTS) is RecipientGroup.OPERATOR
    assert recipient_group(BeneficiaryKind.PARTY, Purpose.RESERVE) is RecipientGroup.FUND
    assert RecipientGroup.OPERATOR.label_zh == "经营主体"


def test_yuan_is_exact_and_refuses_floats():
    from assetreg.errors import InvalidType

    assert yuan(6_742_000) == Decimal("67420.00")
    series = pd.Series([1, None, 12_774_750], dtype="Int64")
    assert yuan(series).tolist()[::2] == [Decimal("0.01"), Decimal("127747.50")]
    assert pd.isna(yuan(series)[1])
    with pytest.raises(InvalidType):
        yuan(0.1)
