"""The income books of 柳家铺村's PV station (灵台县, 620822), for the repository contract.

Figures: 灵台县 柳家铺村级光伏扶贫电站, 186 kW, 7.3万元 income for 2019-05 … 2020-04
(http://pvnews.cn/a/news/reping/11988.html, as in src/assetreg/samples/README.md); O&M of
0.9万元 claimed, capped at 186,000 W × 0.03 元/W/年 = 5,580.00 元 (P9), so 67,420.00 元 is
distributable; plan "45 % collective / 55 % households by days of public labour"; the
households and their days are the bundled sample roster (sample_households.csv, names
placeholders). Household LT001 worked 23 of the 1,657 days: 514.70 元.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import attrs

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.income import (
    ApprovalLevel,
    Beneficiary,
    ClaimedDeduction,
    DeductionKind,
    Distribution,
    NoticeChannel,
    NoticeLevel,
    Objection,
    ObjectionOutcome,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PlanApproval,
    PlanVersion,
    PublicNotice,
    RosterHousehold,
    RosterSnapshot,
    distributable_income,
    om_cap_amount,
    run_plan,
)
from assetreg.income.presets import pv_collective_45_households_55
from assetreg.samples import sample_path

LINGTAI = AdminCode("620822")  # 灵台县 (the sample keeps 柳家铺村 at county level)
HUINING = AdminCode("620422100201")  # a village of 会宁县, outside 灵台县
STATION = "LT-PV-001"
COLLECTIVE = "LT-VC-001"
PERIOD = Period(date(2019, 5, 1), date(2020, 5, 1))
T0 = datetime(2020, 5, 8, 1, 0, tzinfo=UTC)
LT001 = "LT-H001"


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def om_claim(**changes: object) -> ClaimedDeduction:
    claim = ClaimedDeduction(
        id="DED-LT-2019-OM",
        area=LINGTAI,
        recorded_at=at(0),
        asset_id=STATION,
        kind=DeductionKind.OPERATION_MAINTENANCE,
        amount=Money.parse("0.9万元"),
        period=PERIOD,
        evidence="运维合同 LT-OM-2019",
        cap=om_cap_amount(186_000, "0.03"),
        over_cap=Money.yuan("3420"),
    )
    return attrs.evolve(claim, **changes)


def sample_households() -> tuple[RosterHousehold, ...]:
    """The households of the bundled sample roster (sample_households.csv)."""
    with sample_path("sample_households.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        RosterHousehold(
            household_id=row["户编号"],
            name=row["户主"],
            members=int(row["家庭人口"]),
            status=HouseholdStatus.from_label(row["农户类型"]),
            monitor_type=MonitorType.from_label(row["监测类型"]) if row["监测类型"] else None,
            labor_capacity=LaborCapacity.from_label(row["劳动能力"]),
            days_worked=int(row["公益劳动天数"]),
            asset_ids=tuple(a for a in row["受益资产"].split(";") if a),
        )
        for row in rows
        if AdminCode(row["区划代码"]) == LINGTAI
    )


def roster(**changes: object) -> RosterSnapshot:
    snapshot = RosterSnapshot(
        id="RS-LT-2020",
        area=LINGTAI,
        recorded_at=at(1),
        known_on=date(2020, 4, 30),
        source_system="全国防止返贫监测信息系统",
        households=sample_households(),
    )
    return attrs.evolve(snapshot, **changes)


def plan_version(**changes: object) -> PlanVersion:
    version = PlanVersion(
        id="PLAN-LT-PV-1",
        area=LINGTAI,
        recorded_at=at(2),
        plan=pv_collective_45_households_55(COLLECTIVE),
        version=1,
        policy="gansu-county-2013",
        asset_ids=(STATION,),
        effective_from=date(2019, 5, 1),
        approval=PlanApproval(
            level=ApprovalLevel.VILLAGE_ASSEMBLY,
            body="柳家铺村村民代表会议",
            approved_on=date(2020, 5, 6),
            minutes_ref="柳村发〔2020〕3号",
        ),
    )
    return attrs.evolve(version, **changes)


def distribution(**changes: object) -> Distribution:
    version = plan_version()
    claim = om_claim()
    income = distributable_income(Money.parse("7.3万元"), [claim.as_deduction()], om_cap=om_cap_amount(186_000, "0.03"))
    snapshot = roster()
    payees = [Beneficiary.collective(COLLECTIVE, "柳家铺村集体经济组织"), *snapshot.beneficiaries(STATION)]
    allocation = run_plan(version.plan, income, payees, as_of=date(2020, 4, 30), period=PERIOD)
    record = Distribution.of(
        allocation,
        id="DIST-LT-2019",
        area=LINGTAI,
        recorded_at=at(3),
        plan_version=version,
        asset_ids=(STATION,),
        period=PERIOD,
        revenue_ids=("REV-LT-2019",),
        deductions=(claim,),
        roster_id=snapshot.id,
    )
    return attrs.evolve(record, **changes)


def notice(**changes: object) -> PublicNotice:
    posted = PublicNotice(
        id="NOT-LT-2019",
        area=LINGTAI,
        recorded_at=at(4),
        distribution_id="DIST-LT-2019",
        level=NoticeLevel.VILLAGE,
        channel=NoticeChannel.NOTICE_BOARD,
        posted_on=date(2020, 5, 9),
        closes_on=date(2020, 5, 18),
        objections=(
            Objection(
                raised_on=date(2020, 5, 11),
                summary="劳动天数少记2天",
                resolved_on=date(2020, 5, 13),
                outcome=ObjectionOutcome.DISMISSED,
                resolution="核对考勤表，天数无误",
            ),
        ),
    )
    return attrs.evolve(posted, **changes)


def lt001_payment(**changes: object) -> Payment:
    record = distribution()
    [(index, line)] = record.lines_of(LT001)
    payment = Payment(
        id="PAY-LT-2019-H001",
        area=LINGTAI,
        recorded_at=at(24 * 12),
        distribution_id=record.id,
        line_index=index,
        beneficiary_id=LT001,
        paid_on=date(2020, 5, 20),
        amount=line.amount,
        method=PaymentMethod.ONE_CARD,
        account_ref="6228***********0018",
    )
    return attrs.evolve(payment, **changes)


def returned_and_repaid() -> tuple[Payment, Payment, Payment]:
    """LT001's payment returned by the bank (closed card), then paid again to a new card."""
    paid = lt001_payment()
    returned = attrs.evolve(
        paid,
        id="PAY-LT-2019-H001-R",
        recorded_at=at(24 * 15),
        status=PaymentStatus.RETURNED,
        supersedes=paid.id,
        note="银行退回：卡已注销",
    )
    again = attrs.evolve(
        paid,
        id="PAY-LT-2019-H001-2",
        recorded_at=at(24 * 20),
        paid_on=date(2020, 6, 1),
        account_ref="6217***********4421",
        repays=returned.id,
    )
    return paid, returned, again
