"""The income books' records (收益台账记录): invariants, bitemporal reads, rosters over time.

Figures: 灵台县 柳家铺村 PV station (http://pvnews.cn/a/news/reping/11988.html): 7.3万元
income for 2019-05 … 2020-04, O&M 0.9万元 claimed and capped at 186,000 W × 0.03 元/W/年
= 5,580.00 元, 67,420.00 元 distributable; the 10-day notice counting of DESIGN §9.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import attrs
import pytest

from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType
from assetreg.errors import AllocationError, InvalidPeriod, InvalidValue
from assetreg.income import (
    Beneficiary,
    BeneficiaryKind,
    ClaimedDeduction,
    DeductionKind,
    Distribution,
    NoticeChannel,
    NoticeLevel,
    Objection,
    ObjectionOutcome,
    Payment,
    PaymentMethod,
    PlanVersion,
    PublicNotice,
    RosterHousehold,
    RosterSnapshot,
    as_known_at,
    distributable_income,
    mask_account,
    om_cap_amount,
    roster_history,
    run_plan,
)
from assetreg.income.presets import pv_collective_45_households_55

LINGTAI = AdminCode("620822")
PERIOD = Period(date(2019, 5, 1), date(2020, 5, 1))
T0 = datetime(2020, 5, 8, 9, 0, tzinfo=timezone(timedelta(hours=8)))  # Asia/Shanghai


def claim(**changes):
    base = ClaimedDeduction(
        id="DED-1",
        area=LINGTAI,
        recorded_at=T0,
        asset_id="LT-PV-001",
        kind=DeductionKind.OPERATION_MAINTENANCE,
        amount=Money.parse("0.9万元"),
        period=PERIOD,
        cap=om_cap_amount(186_000, "0.03"),
        over_cap=Money.yuan("3420"),
    )
    return attrs.evolve(base, **changes)


def household(hid, days=0, **changes):
    base = RosterHousehold(
        household_id=hid,
        members=3,
        status=HouseholdStatus.LIFTED,
        labor_capacity=LaborCapacity.FULL,
        days_worked=days,
        asset_ids=("LT-PV-001",),
    )
    return attrs.evolve(base, **changes)


def snapshot(sid, known_on, *households, recorded_at=T0):
    return RosterSnapshot(id=sid, area=LINGTAI, recorded_at=recorded_at, known_on=known_on, households=households)


def test_a_claim_keeps_what_was_claimed_and_what_the_cap_left():
    c = claim()
    assert c.recorded_at == datetime(2020, 5, 8, 1, 0, tzinfo=UTC)  # normalised to UTC
    assert c.recorded_at.tzinfo is UTC
    assert (c.amount, c.cap, c.deducted, c.effective) == (
        Money.yuan("9000"),
        Money.yuan("5580"),
        Money.yuan("5580"),
        date(2019, 5, 1),
    )
    income = distributable_income(Money.parse("7.3万元"), [c.as_deduction()], om_cap=c.cap)
    assert income.net == Money.yuan("67420")
    assert income.not_deducted[0].amount == c.over_cap


def test_a_claim_refuses_nonsense():
    with pytest.raises(InvalidValue):
        claim(over_cap=Money.yuan("9000.01"))
    with pytest.raises(InvalidValue):
        claim(amount=Money.yuan("-1"))
    with pytest.raises(InvalidValue):
        claim(id=" ")
    with pytest.raises(InvalidPeriod):
        claim(recorded_at=datetime(2020, 5, 8, 9, 0))  # noqa: DTZ001 - the naive instant under test
    with pytest.raises(TypeError):
        claim(amount=9000)


def test_as_known_at_reads_the_books_as_they_stood():
    original = claim()
    fixed = claim(id="DED-1b", recorded_at=T0 + timedelta(days=3), supersedes="DED-1", evidence="发票 0012")
    again = claim(id="DED-1c", recorded_at=T0 + timedelta(days=5), supersedes="DED-1b", amount=Money.yuan("5580"))
    books = [again, original, fixed]
    assert as_known_at(books) == [again]
    assert as_known_at(books, T0 + timedelta(days=4)) == [fixed]
    assert as_known_at(books, T0) == [original]
    assert as_known_at(books, T0 - timedelta(seconds=1)) == []
    with pytest.raises(InvalidPeriod):
        as_known_at(books, datetime(2020, 5, 9))  # noqa: DTZ001 - the naive instant under test


def test_roster_history_enters_exits_and_comes_back():
    # P11: a household that no longer qualifies stops receiving from the next period
    snaps = [
        snapshot("RS-2021", date(2022, 1, 1), household("H-1"), household("H-3")),
        snapshot("RS-2019", date(2020, 1, 1), household("H-1"), household("H-2")),
        snapshot("RS-2020", date(2021, 1, 1), household("H-1")),
    ]
    roster = roster_history(snaps)
    assert [(e.beneficiary_id, e.since, e.until) for e in roster.entries] == [
        ("H-1", date(2020, 1, 1), None),
        ("H-2", date(2020, 1, 1), date(2021, 1, 1)),
        ("H-3", date(2022, 1, 1), None),
    ]
    assert roster.exited_on(date(2021, 6, 1)) == frozenset({"H-2"})
    assert roster.is_eligible("H-3", date(2021, 12, 31)) is False
    back = roster_history([*snaps, snapshot("RS-2022", date(2023, 1, 1), household("H-2"))])
    assert back.is_eligible("H-2", date(2023, 1, 1)) and not back.is_eligible("H-1", date(2023, 1, 1))


def test_a_snapshot_gives_the_payees_of_an_asset():
    s = snapshot(
        "RS",
        date(2020, 4, 30),
        household("LT-H001", 23, name="农户LT001"),
        household("LT-H009", 45, status=HouseholdStatus.MONITORED, monitor_type=MonitorType.UNSTABLE),
        household("SZ-H001", 10, asset_ids=("SZ-GH-001",)),
    )
    assert [b.id for b in s.beneficiaries("LT-PV-001")] == ["LT-H001", "LT-H009"]
    first = s.beneficiaries()[0]
    assert first == Beneficiary(
        id="LT-H001",
        kind=BeneficiaryKind.HOUSEHOLD,
        name="农户LT001",
        size=3,
        status=HouseholdStatus.LIFTED,
        labor_capacity=LaborCapacity.FULL,
        days_worked=23,
    )
    assert s.get("LT-H009").monitor_type is MonitorType.UNSTABLE
    assert s.get("LT-H404") is None
    with pytest.raises(InvalidValue):
        snapshot("RS", date(2020, 4, 30), household("H-1"), household("H-1"))
    with pytest.raises(InvalidValue):
        household("H-0", members=0)


def test_a_distribution_records_the_allocation_and_refuses_lines_that_do_not_add_up():
    plan = PlanVersion(
        id="PLAN-1",
        area=LINGTAI,
        recorded_at=T0,
        plan=pv_collective_45_households_55("VC"),
        policy="gansu-county-2013",
        asset_ids=("LT-PV-001",),
        effective_from=date(2019, 5, 1),
    )
    assert plan.approved is False
    income = distributable_income(Money.parse("7.3万元"), [claim().as_deduction()], om_cap=claim().cap)
    households = [household("LT-H001", 23).beneficiary(), household("LT-H002", 1634).beneficiary()]
    allocation = run_plan(plan.plan, income, [Beneficiary.collective("VC"), *households], as_of=date(2020, 4, 30))
    record = Distribution.of(
        allocation,
        id="DIST-1",
        area=LINGTAI,
        recorded_at=T0,
        plan_version=plan,
        asset_ids=("LT-PV-001",),
        period=PERIOD,
        deductions=[claim()],
    )
    assert (record.gross, record.deducted, record.pool, record.plan_id) == (
        Money.yuan("73000"),
        Money.yuan("5580"),
        Money.yuan("67420"),
        "pv-45-55",
    )
    assert record.deduction_ids == ("DED-1",)
    assert record.allocation == attrs.evolve(allocation, period=PERIOD)
    assert [(line.beneficiary_id, line.amount, line.weight) for line in record.lines] == [
        ("VC", Money.yuan("30339"), 1),
        ("LT-H001", Money.yuan("514.70"), 23),  # 37,081.00 × 23/1,657, largest remainder
        ("LT-H002", Money.yuan("36566.30"), 1634),
    ]
    assert record.line(1).beneficiary_id == "LT-H001"
    with pytest.raises(AllocationError):
        record.line(3)
    broken = attrs.evolve(record, lines=record.lines[1:])
    assert broken.lines_total == Money.yuan("37081")
    with pytest.raises(AllocationError):
        _ = broken.allocation


def test_a_notice_and_its_objections():
    notice = PublicNotice(
        id="N-1",
        area=LINGTAI,
        recorded_at=T0,
        distribution_id="DIST-1",
        level=NoticeLevel.VILLAGE,
        channel=NoticeChannel.NOTICE_BOARD,
        posted_on=date(2020, 5, 9),
        closes_on=date(2020, 5, 18),
        objections=[
            Objection(raised_on=date(2020, 5, 11), summary="天数少记"),
            Objection(
                raised_on=date(2020, 5, 12),
                summary="户数有误",
                resolved_on=date(2020, 5, 13),
                outcome=ObjectionOutcome.DISMISSED,
            ),
        ],
    )
    assert [o.summary for o in notice.open_objections] == ["天数少记"]
    assert notice.effective == date(2020, 5, 9)
    with pytest.raises(InvalidValue):
        attrs.evolve(notice, closes_on=date(2020, 5, 8))
    with pytest.raises(InvalidValue):
        Objection(raised_on=date(2020, 5, 11), summary="x", outcome=ObjectionOutcome.UPHELD)
    with pytest.raises(InvalidValue):
        Objection(
            raised_on=date(2020, 5, 11), summary="x", resolved_on=date(2020, 5, 10), outcome=ObjectionOutcome.UPHELD
        )


def test_payments_keep_only_masked_accounts():
    assert mask_account("6228 4804 0256 4890 018") == "6228***********0018"
    with pytest.raises(InvalidValue):
        mask_account("62284804")

    def pay(account):
        return Payment(
            id="P-1",
            area=LINGTAI,
            recorded_at=T0,
            distribution_id="DIST-1",
            line_index=1,
            beneficiary_id="LT-H001",
            paid_on=date(2020, 5, 20),
            amount=Money.yuan("514.70"),
            method=PaymentMethod.ONE_CARD,
            account_ref=account,
        )

    assert pay(mask_account("6228480402564890018")).settled
    with pytest.raises(InvalidValue) as info:
        pay("6228480402564890018")
    assert "6228480402564890018" not in str(info.value)  # personal data stays out of the message
