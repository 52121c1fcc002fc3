"""Register summaries: the published 掇刀区 tables reproduced from a register with those totals.

Published figures (copied from /work/shared/data/real/duodao_register_summary.csv): the 2021
poverty-asset register of 掇刀区 (荆门市, Hubei), news report of 2021-12-13,
https://hb.cri.cn/2021-12-13/d850cbe0-51f6-c4fa-4ca6-c9c464ab2ecf.html:

- by class (4 decimals, 万元): 到户类 89 / 1839.2229, 公益性 502 / 26045.5340, 经营性 33 /
  2977.8578, 合计 624 / 30862.6147;
- by owner level (1–2 decimals): 区 19 / 3214.4, 镇 28 / 1327.5, 村 488 / 24481.49, 户 89 /
  1839.22, 合计 624 / 30862.61 (47 元 below the class table: rounding, not a missing asset).

The register below is SYNTHETIC: 624 assets whose class and owner-level totals are those
figures (the 区/镇 amounts taken as exact, the 村 amount the remainder, 24481.4918, which the
source prints as 24481.49); each group's amount is split evenly with the sum-preserving
``allocate``. 掇刀区's code 420804 is real (GB/T 2260); the village suffixes are invented.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from assetreg.domain.assets import Asset, AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode, AdminLevel
from assetreg.domain.events import AssetRegistered, DisposalApproved, Disposed, OwnershipConfirmed, StatusChanged
from assetreg.domain.money import Money
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Household,
    Party,
    PartyId,
    Township,
    VillageCollective,
)
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    AssetStatus,
    DisposalMethod,
    DisposalTrigger,
    FundingSource,
    HouseholdStatus,
)
from assetreg.errors import InvalidChoice, InvalidValue
from assetreg.income.allocate import allocate
from assetreg.stats import (
    AmountUnit,
    AssetDimension,
    OwnerLevel,
    asset_table,
    industry_share,
    shown_amount,
)

RECORDED = datetime(2021, 12, 1, tzinfo=UTC)
AS_OF = date(2021, 12, 13)
DISTRICT = AdminCode("420804")  # 掇刀区
TOWN = AdminCode("420804100")  # a town of the district (suffix invented)
VILLAGE = AdminCode("420804100201")  # a village (suffix invented)


def _parties() -> list[Party]:
    return [
        CountyDepartment(id=PartyId("DD-NY"), name="掇刀区农业农村局", admin_code=DISTRICT),
        Township(id=PartyId("DD-TOWN"), name="某镇人民政府", admin_code=TOWN),
        VillageCollective(id=PartyId("DD-VC"), name="某村股份经济合作社", admin_code=VILLAGE),
        *(
            Household(
                id=PartyId(f"DD-H{i:03d}"), name=f"农户{i}", admin_code=VILLAGE, size=3, status=HouseholdStatus.LIFTED
            )
            for i in range(89)
        ),
    ]


# (class, owner party or None for the households, count, total 万元)
GROUPS = (
    (AssetClass.PUBLIC_WELFARE, "DD-NY", 19, "3214.4"),
    (AssetClass.PUBLIC_WELFARE, "DD-TOWN", 28, "1327.5"),
    (AssetClass.PUBLIC_WELFARE, "DD-VC", 455, "21503.634"),  # 26045.5340 − 3214.4 − 1327.5
    (AssetClass.OPERATING, "DD-VC", 33, "2977.8578"),
    (AssetClass.HOUSEHOLD, None, 89, "1839.2229"),
)
KIND = {
    AssetClass.PUBLIC_WELFARE: AssetKind.ROAD,
    AssetClass.OPERATING: AssetKind.GREENHOUSE,
    AssetClass.HOUSEHOLD: AssetKind.LIVESTOCK,
}
LOCATION = {"DD-NY": DISTRICT, "DD-TOWN": TOWN, "DD-VC": VILLAGE, None: VILLAGE}


def duodao_register() -> AssetRegister:
    events = []
    number = 0
    for asset_class, owner, count, wan in GROUPS:
        for index, amount in enumerate(allocate(Money.wan(wan), [1] * count)):
            number += 1
            asset_id = AssetId(f"DD-{number:04d}")
            asset = Asset(
                id=asset_id,
                name=f"资产{number}",
                asset_class=asset_class,
                kind=KIND[asset_class],
                location=LOCATION[owner],
                original_value=amount,
                funding=(FundingLine(FundingSource.SPECIAL_POVERTY_FUND, amount),),
                project=Project(code=f"P{number}", name=f"项目{number}", year=2016 + number % 5),
            )
            holder = PartyId(owner if owner is not None else f"DD-H{index:03d}")
            events += [
                AssetRegistered(
                    asset_id=asset_id,
                    effective=date(2021, 1, 1),
                    recorded_at=RECORDED,
                    asset=asset,
                    status=AssetStatus.IN_USE,
                ),
                OwnershipConfirmed(
                    asset_id=asset_id,
                    effective=date(2021, 6, 30),
                    recorded_at=RECORDED,
                    holders=[OwnerShare(holder, Fraction(1))],
                ),
            ]
    return AssetRegister.of(_parties(), events)


@pytest.fixture(scope="module")
def duodao() -> AssetRegister:
    return duodao_register()


def _shown(table, places):
    shown = table.shown(AmountUnit.WAN, places)
    return [(r.zh, r.count, r.amounts[0]) for r in (*shown.rows, shown.total)], shown.reconciliations


def test_by_class_reproduces_the_published_class_table(duodao: AssetRegister) -> None:
    rows, problems = _shown(asset_table(duodao, "class", as_of=AS_OF), 4)
    assert rows == [
        ("公益性资产", 502, "26045.5340"),
        ("经营性资产", 33, "2977.8578"),
        ("到户类资产", 89, "1839.2229"),
        ("合计", 624, "30862.6147"),
    ]
    assert problems == ()


def test_by_owner_level_reproduces_the_published_owner_table(duodao: AssetRegister) -> None:
    table = asset_table(duodao, AssetDimension.OWNER_LEVEL, as_of=AS_OF)
    rows, problems = _shown(table, 2)
    assert rows == [
        ("县(区)", 19, "3214.40"),
        ("乡(镇)", 28, "1327.50"),
        ("村", 488, "24481.49"),
        ("户", 89, "1839.22"),
        ("合计", 624, "30862.61"),
    ]
    assert problems == ()
    # The published owner-level total is 47 元 short of the exact (class) total: rounding.
    assert table.total.amounts[0] - Money.wan("30862.61") == Money.yuan("47")
    assert table.row("village").amounts[0] == Money.wan("24481.4918")


def test_rounding_to_whole_wan_shows_a_reconciliation_line_and_forces_nothing(duodao: AssetRegister) -> None:
    table = asset_table(duodao, "owner_level", as_of=AS_OF)
    rows, problems = _shown(table, 0)
    # 3214 + 1328 (1327.5 half-up) + 24481 + 1839 = 30862, the total 30862.6147 shows 30863.
    assert rows == [
        ("县(区)", 19, "3214"),
        ("乡(镇)", 28, "1328"),
        ("村", 488, "24481"),
        ("户", 89, "1839"),
        ("合计", 624, "30863"),
    ]
    (line,) = problems
    assert (line.column, line.rows_sum, line.total, line.difference, line.exact) == (
        "original_value",
        "30862",
        "30863",
        "1",
        "308626147.00",
    )
    assert line.message("zh") == (
        "核对：原值(万元)各行显示值合计 30862，合计行 30863，相差 1（四舍五入所致，精确合计 308626147.00 元；各行未作调整）"
    )
    assert "rows not adjusted" in line.message("en")
    # In 元 with 2 places every row is exact: nothing to reconcile.
    assert table.shown(AmountUnit.YUAN).reconciliations == ()
    assert table.shown(AmountUnit.YUAN).total.amounts == ("308626147.00",)


def test_by_area_down_to_the_village(duodao: AssetRegister) -> None:
    by_village = asset_table(duodao, "area", as_of=AS_OF, level=AdminLevel.VILLAGE)
    assert [(r.key, r.zh, r.count) for r in by_village.rows] == [
        ("420804", "420804(登记在县级)", 19),
        ("420804100", "420804100(登记在乡镇级)", 28),
        ("420804100201", "420804100201", 577),
    ]
    assert by_village.row("420804100201").amounts[0] == Money.wan("21503.634") + Money.wan("2977.8578") + Money.wan(
        "1839.2229"
    )
    by_county = asset_table(duodao, "area", as_of=AS_OF)
    assert [(r.key, r.count, r.amounts[0]) for r in by_county.rows] == [("420804", 624, Money.wan("30862.6147"))]


def test_by_fund_source_year_and_status(duodao: AssetRegister) -> None:
    (row,) = asset_table(duodao, "fund_source", as_of=AS_OF).rows
    assert (row.zh, row.count, row.amounts[0]) == ("财政专项扶贫资金", 624, Money.wan("30862.6147"))
    years = asset_table(duodao, "year", as_of=AS_OF)
    assert [r.key for r in years.rows] == ["2016", "2017", "2018", "2019", "2020"]
    assert [r.count for r in years.rows] == [124, 125, 125, 125, 125]  # numbers 1..624 mod 5
    assert sum((r.amounts[0] for r in years.rows), Money(0)) == years.total.amounts[0]
    status = asset_table(duodao, "status", as_of=AS_OF)
    assert [(r.zh, r.count) for r in status.rows] == [("在用", 624)]


def _small_register() -> AssetRegister:
    """Four assets of 会宁县 (620422, real code; village suffixes invented) with known totals."""
    village = AdminCode("620422100201")
    vc = VillageCollective(id=PartyId("VC"), name="某村股份经济合作社", admin_code=village)
    coop_party = PartyId("COOP")
    coop = Cooperative(id=coop_party, name="某合作社", admin_code=village)
    recorded = datetime(2023, 1, 5, tzinfo=UTC)

    def asset(n: str, cls: AssetClass, wan: str, funding: tuple[FundingLine, ...] = ()) -> Asset:
        return Asset(
            id=AssetId(n),
            name=n,
            asset_class=cls,
            kind=KIND[cls],
            location=village,
            original_value=Money.wan(wan),
            funding=funding,
            project=Project(code=n, name=n, year=2023),
        )

    road = asset("ROAD", AssetClass.PUBLIC_WELFARE, "100", (FundingLine(FundingSource.LINKAGE_FUND, Money.wan("100")),))
    shed = asset(
        "SHED",
        AssetClass.OPERATING,
        "200",
        (
            FundingLine(FundingSource.LINKAGE_FUND, Money.wan("150")),
            FundingLine(FundingSource.SELF_RAISED, Money.wan("50")),
        ),
    )
    barn = asset("BARN", AssetClass.OPERATING, "40")
    old = asset("OLD", AssetClass.OPERATING, "60", (FundingLine(FundingSource.LINKAGE_FUND, Money.wan("60")),))
    events = [
        *(
            AssetRegistered(
                asset_id=a.id, effective=date(2023, 1, 1), recorded_at=recorded, asset=a, status=AssetStatus.IN_USE
            )
            for a in (road, shed, barn, old)
        ),
        OwnershipConfirmed(
            asset_id=road.id, effective=date(2023, 1, 1), recorded_at=recorded, holders=[OwnerShare(vc.id, 1)]
        ),
        OwnershipConfirmed(
            asset_id=shed.id,
            effective=date(2023, 1, 1),
            recorded_at=recorded,
            holders=[OwnerShare(vc.id, Fraction(1, 2)), OwnerShare(coop_party, Fraction(1, 2))],
        ),
        StatusChanged(
            asset_id=barn.id,
            effective=date(2023, 6, 1),
            recorded_at=datetime(2023, 6, 2, tzinfo=UTC),
            status=AssetStatus.IDLE,
        ),
        DisposalApproved(
            asset_id=old.id,
            effective=date(2023, 9, 1),
            recorded_at=datetime(2023, 9, 2, tzinfo=UTC),
            method=DisposalMethod.SCRAP,
            trigger=DisposalTrigger.DISASTER,
        ),
        Disposed(
            asset_id=old.id,
            effective=date(2023, 10, 1),
            recorded_at=datetime(2023, 10, 2, tzinfo=UTC),
            method=DisposalMethod.SCRAP,
            proceeds=Money(0),
        ),
    ]
    return AssetRegister.of([vc, coop], events)


def test_owner_levels_mixed_other_and_unconfirmed_and_closed_assets() -> None:
    register = _small_register()
    table = asset_table(register, "owner_level", as_of=date(2023, 12, 31))
    assert [(r.key, r.count, r.amounts[0]) for r in table.rows] == [
        ("village", 1, Money.wan("100")),
        ("mixed", 1, Money.wan("200")),
        ("unconfirmed", 1, Money.wan("40")),
    ]
    assert table.notes[0] == ("disposed and split/merged assets are not counted", "已处置、已分割合并的资产不计入")
    # Before the disposal the scrapped asset is on the books (unconfirmed: no 确权).
    before = asset_table(register, "owner_level", as_of=date(2023, 8, 31))
    assert before.row("unconfirmed").count == 2
    # The status table counts the disposed one too.
    status = asset_table(register, "status", as_of=date(2023, 12, 31))
    assert [(r.key, r.count) for r in status.rows] == [("in_use", 2), ("idle", 1), ("disposed", 1)]
    assert status.total.amounts[0] == Money.wan("400")
    # As known on 2023-06-01 (before the idle status was recorded) the barn is still in use.
    known = asset_table(register, "status", as_of=date(2023, 12, 31), known_at=datetime(2023, 6, 1, tzinfo=UTC))
    assert [(r.key, r.count) for r in known.rows] == [("in_use", 4)]


def test_fund_source_counts_each_source_and_the_total_counts_assets_once() -> None:
    table = asset_table(_small_register(), "fund_source", as_of=date(2023, 12, 31))
    assert [(r.key, r.count, r.amounts[0]) for r in table.rows] == [
        ("linkage_fund", 2, Money.wan("250")),
        ("self_raised", 1, Money.wan("50")),
        ("unknown", 1, Money.wan("40")),
    ]
    assert (table.total.count, table.total.amounts[0]) == (3, Money.wan("340"))


def test_industry_share_against_the_2023_target() -> None:
    register = _small_register()
    overall = industry_share(register, as_of=date(2023, 12, 31))
    assert (overall.industry, overall.total, overall.share) == (Money.wan("240"), Money.wan("340"), Fraction(12, 17))
    assert (overall.percent(), overall.meets_target) == ("70.59", True)
    linkage = industry_share(register, as_of=date(2023, 12, 31), source=FundingSource.LINKAGE_FUND, year=2023)
    assert (linkage.industry, linkage.total, linkage.share) == (Money.wan("150"), Money.wan("250"), Fraction(3, 5))
    assert linkage.meets_target is True  # exactly 60 % meets "≥ 60 %"
    assert linkage.unattributed == Money.wan("40")  # the barn has no funding lines
    assert industry_share(register, as_of=date(2023, 12, 31), year=2019).share is None


def test_bad_choices_and_places_are_refused() -> None:
    register = _small_register()
    with pytest.raises(InvalidChoice) as caught:
        asset_table(register, "colour", as_of=date(2023, 12, 31))
    assert caught.value.field == "by"
    with pytest.raises(InvalidValue):
        shown_amount(Money(1), AmountUnit.YUAN, 3)
    with pytest.raises(InvalidValue):
        asset_table(register, "class", as_of=date(2023, 12, 31)).shown(AmountUnit.WAN, 7)
    with pytest.raises(InvalidValue):
        asset_table(register, "class", as_of=date(2023, 12, 31)).row("nothing")
    assert shown_amount(Money.yuan("127747.50"), AmountUnit.WAN) == "12.7748"
    assert shown_amount(Money.yuan("127747.50"), AmountUnit.WAN, 6) == "12.774750"
    assert OwnerLevel.COUNTY.label_zh == "县(区)"
