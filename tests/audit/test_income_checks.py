"""Each income, distribution and notice check: one case that triggers it, one that does not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import attrs
from audit_builders import (
    AS_OF,
    PARTIES,
    POLICY,
    VILLAGE_A,
    at,
    contract,
    eid,
    good_pv,
    good_road,
    make_asset,
    owned,
    registered,
)

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId
from assetreg.domain.events import Approval, DisposalApproved, Disposed
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.periods import Period
from assetreg.domain.policy import DayUnit
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import ContractTerms, GuaranteedReturn
from assetreg.domain.vocab import (
    AssetClass,
    AssetKind,
    DisposalMethod,
    DisposalTrigger,
    HouseholdStatus,
    LaborCapacity,
    PaymentFrequency,
)
from assetreg.income import (
    AllocationLine,
    BeneficiaryKind,
    Distribution,
    NoticeChannel,
    NoticeLevel,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PublicNotice,
    Purpose,
    RevenueEntry,
    RevenueKind,
    RosterHousehold,
    RosterSnapshot,
)

Kind = RevenueKind


Q1_2024 = Period.quarter(2024, 1)


def rev(
    rid,
    *,
    asset="PV-1",
    kind=Kind.ELECTRICITY_BENCHMARK,
    amount="30000",
    period=Q1_2024,
    received=date(2024, 4, 15),
    contract_id=None,
):
    return RevenueEntry(
        id=rid,
        asset_id=asset,
        kind=kind,
        amount=Money.yuan(amount),
        period=period,
        received=received,
        contract_id=contract_id,
    )


def books(events, **kw):
    parties = kw.pop("parties", PARTIES)
    return AuditBooks(register=AssetRegister.of(parties, events), **kw)


def run(code, b, as_of=AS_OF, policy=POLICY):
    return run_checks(b, as_of=as_of, policy=policy, checks=[check_by_code(code)])


def subjects(found):
    return [f.subject for f in found]


RECORDED = datetime(2024, 12, 1, 8, 0, tzinfo=UTC)


def line(who, amount, purpose=Purpose.HOUSEHOLD_DIVIDEND, kind=BeneficiaryKind.HOUSEHOLD, tier="dividend"):
    money = Money.yuan(amount)
    return AllocationLine(
        tier=tier,
        tier_index=0,
        purpose=purpose,
        beneficiary_id=who,
        beneficiary_kind=kind,
        beneficiary_name=who,
        amount=money,
        base="table",
        base_amount=money,
        rate=None,
        tier_amount=money,
        share=Fraction(1),
        basis="",
    )


def dist(did="D-1", lines=(), total=None, **kw):
    lines = tuple(lines)
    total = total if total is not None else Money(sum(x.amount.fen for x in lines))
    kw.setdefault("area", VILLAGE_A)
    kw.setdefault("period", Period.year(2023))
    return Distribution(
        id=did,
        recorded_at=kw.pop("recorded_at", RECORDED),
        plan_version_id="PV-PLAN-1",
        plan_id="plan-1",
        gross=total,
        pool=total,
        as_of=date(2024, 3, 1),
        lines=lines,
        **kw,
    )


def pay(d, on=date(2024, 10, 10)):
    """One payment per line of ``d``, paid on ``on``."""
    return [
        Payment(
            id=f"{d.id}-P{i}",
            area=d.area,
            recorded_at=RECORDED,
            distribution_id=d.id,
            line_index=i,
            beneficiary_id=ln.beneficiary_id,
            paid_on=on,
            amount=ln.amount,
            method=PaymentMethod.ONE_CARD,
            account_ref="6228***********0018",
        )
        for i, ln in enumerate(d.lines)
    ]


def notice(nid="N-1", posted=date(2024, 9, 9), closes=date(2024, 9, 18), of="D-1", area=VILLAGE_A):
    return PublicNotice(
        id=nid,
        area=area,
        recorded_at=RECORDED,
        distribution_id=of,
        level=NoticeLevel.VILLAGE,
        channel=NoticeChannel.NOTICE_BOARD,
        posted_on=posted,
        closes_on=closes,
    )


def snapshot(sid, known_on, *ids):
    return RosterSnapshot(
        id=sid,
        area=VILLAGE_A,
        recorded_at=RECORDED,
        known_on=known_on,
        source_system="全国防止返贫监测信息系统",
        households=[
            RosterHousehold(household_id=i, members=3, status=HouseholdStatus.LIFTED, labor_capacity=LaborCapacity.FULL)
            for i in ids
        ],
    )


def disposed_pv():
    approvals = tuple(
        Approval(level=lv, body=lv, approved_on=date(2024, 3, 1)) for lv in POLICY.disposal_approval_chain
    )
    return [
        *good_pv(),
        DisposalApproved(
            asset_id=AssetId("PV-1"),
            effective=date(2024, 3, 1),
            recorded_at=at(date(2024, 3, 1)),
            event_id=eid(),
            method=DisposalMethod.AUCTION,
            trigger=DisposalTrigger.END_OF_LIFE,
            approvals=approvals,
        ),
        Disposed(
            asset_id=AssetId("PV-1"),
            effective=date(2024, 4, 1),
            recorded_at=at(date(2024, 4, 1)),
            event_id=eid(),
            method=DisposalMethod.AUCTION,
            proceeds=Money.yuan("1000"),
            proceeds_to=PartyId("VC-A"),
        ),
    ]


# -- AUD-601 ---------------------------------------------------------------------------
def test_aud601_revenue_after_disposal():
    b = books(
        disposed_pv(),
        revenue=[rev("R1"), rev("R2", period=Period.quarter(2024, 2), received=date(2024, 7, 10))],
    )
    found = run("AUD-601", b)
    assert [(f.subject, f.subject_kind.value, f.evidence["disposed_on"]) for f in found] == [
        ("R2", "revenue", "2024-04-01")
    ]


def test_aud601_quiet_for_income_earned_before_disposal():
    assert run("AUD-601", books(disposed_pv(), revenue=[rev("R1")])) == ()


# -- AUD-602 ---------------------------------------------------------------------------
def test_aud602_revenue_for_unknown_asset():
    found = run("AUD-602", books(good_pv(), revenue=[rev("R1", asset="GHOST")]))
    assert [(f.subject, f.evidence["asset_id"]) for f in found] == [("R1", "GHOST")]


def test_aud602_quiet_for_known_asset():
    assert run("AUD-602", books(good_pv(), revenue=[rev("R1")])) == ()


# -- AUD-603 ---------------------------------------------------------------------------
def short_lease():
    return [*good_pv()[:3], contract("PV-1", "C-1", term=Period(date(2021, 1, 1), date(2024, 1, 1)))]


def test_aud603_rent_after_contract_end():
    b = books(
        short_lease(),
        revenue=[
            rev(
                "R1",
                kind=Kind.RENT,
                period=Period.year(2024),
                received=date(2024, 2, 1),
                contract_id="C-1",
            )
        ],
    )
    found = run("AUD-603", b)
    assert found[0].evidence == {
        "amount": "30000.00",
        "asset_id": "PV-1",
        "contract_end": "2024-01-01",
        "contract_id": "C-1",
        "period_start": "2024-01-01",
    }


def test_aud603_quiet_for_rent_inside_the_term_and_for_sales():
    b = books(
        short_lease(),
        revenue=[
            rev("R1", kind=Kind.RENT, period=Period.year(2023), received=date(2023, 2, 1)),
            rev("R2", kind=Kind.ELECTRICITY_BENCHMARK, period=Period.quarter(2024, 1)),
        ],
    )
    assert run("AUD-603", b) == ()


# -- AUD-604 ---------------------------------------------------------------------------
def household_cow():
    cow = make_asset("L-1", asset_class=AssetClass.HOUSEHOLD, kind=AssetKind.LIVESTOCK)
    return [registered(cow), owned("L-1", "H-1")]


def test_aud604_income_on_household_asset():
    assert subjects(run("AUD-604", books(household_cow(), revenue=[rev("R1", asset="L-1")]))) == ["R1"]


def test_aud604_quiet_for_collective_asset():
    assert run("AUD-604", books(good_pv(), revenue=[rev("R1")])) == ()


# -- AUD-605 ---------------------------------------------------------------------------
def test_aud605_pv_without_income_for_six_months():
    found = run("AUD-605", books(good_pv(), revenue=[rev("R1", received=date(2024, 4, 15))]))
    assert found[0].evidence == {
        "in_use_since": "2021-01-01",
        "last_received": "2024-04-15",
        "months": 6,
    }


def test_aud605_quiet_with_recent_income():
    assert run("AUD-605", books(good_pv(), revenue=[rev("R1", received=date(2024, 7, 15))])) == ()


# -- AUD-606 ---------------------------------------------------------------------------
def floored_pv(advance=None, rent=None):
    # DESIGN §9: 6 % a year on 851.65 万元 paid per quarter = 127,747.50 yuan a quarter
    floor = GuaranteedReturn(rate="6%", base=Money.wan("851.65"), frequency=PaymentFrequency.QUARTERLY)
    terms = ContractTerms(guaranteed_return=floor, advance=advance, fixed_rent=rent)
    return [*good_pv()[:3], contract("PV-1", "C-1", term=Period(date(2022, 1, 1), date(2032, 1, 1)), terms=terms)]


def quarters(year, amount="127747.50", n=4, kind=Kind.GUARANTEED_RETURN):
    return [
        rev(
            f"G{year}{q}{kind.value}",
            kind=kind,
            amount=amount,
            period=Period.quarter(year, q),
            received=Period.quarter(year, q).end,
            contract_id="C-1",
        )
        for q in range(1, n + 1)
    ]


def test_aud606_one_quarter_of_the_floor_missing():
    found = run("AUD-606", books(floored_pv(), revenue=[*quarters(2022), *quarters(2023, n=3)]))
    assert [
        (f.subject, f.evidence["year_start"], f.evidence["expected"], f.evidence["received"], f.evidence["short"])
        for f in found
    ] == [("PV-1", "2023-01-01", "510990.00", "383242.50", "127747.50")]


def test_aud606_rent_not_received():
    revenue = [
        *quarters(2022),
        *quarters(2023),
        rev(
            "RENT22",
            kind=Kind.RENT,
            amount="5000",
            period=Period.year(2022),
            received=date(2022, 12, 31),
            contract_id="C-1",
        ),
    ]
    found = run("AUD-606", books(floored_pv(rent=Money.yuan("5000")), revenue=revenue))
    assert [(f.evidence["year_start"], f.evidence["short"]) for f in found] == [("2023-01-01", "5000.00")]


def test_aud606_quiet_when_paid_in_full_or_advanced():
    assert run("AUD-606", books(floored_pv(), revenue=[*quarters(2022), *quarters(2023)])) == ()
    advance = Money.yuan("510990")
    assert run("AUD-606", books(floored_pv(advance), revenue=quarters(2023))) == ()


# -- AUD-607 ---------------------------------------------------------------------------
def test_aud607_income_not_distributed_within_a_year():
    d = dist(lines=[line("H-1", "100")], revenue_ids=("R1",))
    b = books(
        good_pv(),
        revenue=[rev("R1", received=date(2023, 7, 15))],
        distributions=[d],
        payments=pay(d, date(2024, 8, 1)),
    )
    found = run("AUD-607", b)
    assert found[0].evidence == {
        "amount": "30000.00",
        "asset_id": "PV-1",
        "deadline": "2024-07-14",
        "paid_late_on": "2024-08-01",
        "received": "2023-07-15",
    }


def test_aud607_quiet_when_distributed_in_time_by_period():
    d = dist(lines=[line("H-1", "100")], asset_ids=("PV-1",), period=Period.year(2023))
    b = books(
        good_pv(),
        revenue=[rev("R1", received=date(2023, 7, 15), period=Period.quarter(2023, 2))],
        distributions=[d],
        payments=pay(d, date(2024, 2, 1)),
    )
    assert run("AUD-607", b) == ()


def test_aud607_needs_the_payments_and_a_failed_payment_does_not_count():
    d = dist(lines=[line("H-1", "100")], revenue_ids=("R1",))
    revenue = [rev("R1", received=date(2023, 7, 15))]
    assert run("AUD-607", books(good_pv(), revenue=revenue, distributions=[d])) == ()  # not run: no payments
    failed = [attrs.evolve(p, status=PaymentStatus.FAILED) for p in pay(d, date(2024, 2, 1))]
    found = run("AUD-607", books(good_pv(), revenue=revenue, distributions=[d], payments=failed))
    assert [(f.subject, f.evidence["paid_late_on"]) for f in found] == [("R1", None)]


# -- AUD-701 ---------------------------------------------------------------------------
def test_aud701_lines_short_of_total():
    found = run(
        "AUD-701",
        books(
            good_pv(),
            distributions=[dist(lines=[line("H-1", "639"), line("H-2", "500")], total=Money.yuan("1200"))],
        ),
    )
    assert found[0].evidence == {
        "difference": "61.00",
        "lines_total": "1139.00",
        "total": "1200.00",
    }


def test_aud701_quiet_when_lines_add_up():
    assert (
        run(
            "AUD-701",
            books(good_pv(), distributions=[dist(lines=[line("H-1", "639"), line("H-2", "500")])]),
        )
        == ()
    )


# -- AUD-702 ---------------------------------------------------------------------------
def test_aud702_exited_household_and_unknown_payee():
    # the 2024 review (2023年度动态调整) leaves H-2 off the list from 2024-01-01
    rosters = [snapshot("RS-2021", date(2021, 1, 1), "H-1", "H-2"), snapshot("RS-2024", date(2024, 1, 1), "H-1")]
    d = dist(lines=[line("H-1", "500"), line("H-2", "500"), line("H-X", "500")])
    b = books(good_pv(), distributions=[d], rosters=rosters, payments=pay(d))
    found = run("AUD-702", b)
    assert [(f.evidence["beneficiary"], f.evidence["reason"]) for f in found] == [
        ("H-2", "exited"),
        ("H-X", "unknown_party"),
    ]


def test_aud702_ordinary_household_without_a_list_and_quiet_for_eligible():
    ordinary = Household(
        id=PartyId("H-3"),
        name="农户C",
        admin_code=VILLAGE_A,
        size=3,
        status=HouseholdStatus.ORDINARY,
    )
    b = books(
        good_pv(),
        parties=(*PARTIES, ordinary),
        distributions=[dist(lines=[line("H-1", "500"), line("H-3", "500")])],
    )
    assert [f.evidence["reason"] for f in run("AUD-702", b)] == ["ordinary_household"]
    b = books(
        good_pv(),
        distributions=[
            dist(
                lines=[
                    line("H-1", "500"),
                    line("VC-A", "900", Purpose.COLLECTIVE_ACCUMULATION, BeneficiaryKind.COLLECTIVE),
                ]
            )
        ],
    )
    assert run("AUD-702", b) == ()


# -- AUD-703 ---------------------------------------------------------------------------
def many_households(n):
    return tuple(
        Household(
            id=PartyId(f"HH-{i}"),
            name=f"户{i}",
            admin_code=VILLAGE_A,
            size=3,
            status=HouseholdStatus.LIFTED,
        )
        for i in range(n)
    )


def test_aud703_same_cash_to_every_household():
    hh = many_households(5)
    b = books(
        good_pv(),
        parties=(*PARTIES, *hh),
        distributions=[dist(lines=[line(h.id, "200") for h in hh])],
    )
    assert run("AUD-703", b)[0].evidence == {
        "each": "200.00",
        "households": 5,
        "labelled_equal_cash": False,
    }


def test_aud703_quiet_for_tiered_dividends_and_when_policy_allows():
    hh = many_households(5)
    tiered = [line(h.id, "639" if i % 2 else "1139") for i, h in enumerate(hh)]
    assert run("AUD-703", books(good_pv(), parties=(*PARTIES, *hh), distributions=[dist(lines=tiered)])) == ()
    flat = books(
        good_pv(),
        parties=(*PARTIES, *hh),
        distributions=[dist(lines=[line(h.id, "200") for h in hh])],
    )
    assert run("AUD-703", flat, policy=attrs.evolve(POLICY, forbid_equal_cash=False)) == ()


# -- AUD-704 ---------------------------------------------------------------------------
def test_aud704_committee_running_costs():
    b = books(
        good_pv(),
        distributions=[
            dist(
                lines=[
                    line("H-1", "500"),
                    line("VC-A", "3000", Purpose.COMMITTEE_RUNNING_COSTS, BeneficiaryKind.COLLECTIVE),
                ]
            )
        ],
    )
    assert run("AUD-704", b)[0].evidence == {
        "amount": "3000.00",
        "purposes": ("committee_running_costs",),
    }


def test_aud704_quiet_for_upkeep():
    b = books(good_pv(), distributions=[dist(lines=[line("VC-A", "9000", Purpose.UPKEEP, BeneficiaryKind.COLLECTIVE)])])
    assert run("AUD-704", b) == ()


# -- AUD-801 / AUD-802 -----------------------------------------------------------------
def test_aud801_nine_day_notice():
    n = notice(closes=date(2024, 9, 17))
    found = run("AUD-801", books(good_pv(), notices=[n]))
    assert [(f.subject, f.area) for f in found] == [("N-1", VILLAGE_A.value)]
    assert found[0].evidence == {
        "closed": "2024-09-17",
        "days": 9,
        "minimum": 10,
        "posted": "2024-09-09",
        "unit": "calendar",
    }


def test_aud801_quiet_for_ten_days_posted_2024_09_09_closing_09_18():
    # DESIGN §9: a 10-day notice posted 2024-09-09 may close 2024-09-18 (inclusive counting)
    assert run("AUD-801", books(good_pv(), notices=[notice()])) == ()


def test_aud801_working_days_skip_weekends_and_holidays():
    working = attrs.evolve(POLICY, notice_unit=DayUnit.WORKING)
    n = notice(closes=date(2024, 9, 20))  # Mon..Fri next week: 10 working days
    assert run("AUD-801", books(good_pv(), notices=[n]), policy=working) == ()
    with_holiday = books(good_pv(), notices=[n], holidays={date(2024, 9, 16)})  # 中秋节
    assert run("AUD-801", with_holiday, policy=working)[0].evidence["days"] == 9


def test_aud801_reads_the_notices_as_known_at():
    short = notice(closes=date(2024, 9, 17))
    corrected = attrs.evolve(
        notice("N-1b", closes=date(2024, 9, 18)), supersedes="N-1", recorded_at=datetime(2024, 12, 5, tzinfo=UTC)
    )
    assert run("AUD-801", books(good_pv(), notices=[short, corrected])) == ()
    before = books(good_pv(), notices=[short, corrected], known_at=datetime(2024, 12, 2, tzinfo=UTC))
    assert subjects(run("AUD-801", before)) == ["N-1"]


def test_aud802_paid_before_notice_closed_and_without_notice():
    d1 = dist("D-1", [line("H-1", "500")])
    d2 = dist("D-2", [line("H-1", "500")])
    b = books(
        good_pv(),
        notices=[notice()],
        distributions=[d1, d2],
        payments=[*pay(d1, date(2024, 9, 18)), *pay(d2, date(2024, 9, 30))],
    )
    assert [(f.subject, f.evidence["notice_id"]) for f in run("AUD-802", b)] == [
        ("D-1", "N-1"),
        ("D-2", None),
    ]


def test_aud802_quiet_when_paid_after_notice():
    d = dist(lines=[line("H-1", "500")])
    b = books(good_pv(), notices=[notice()], distributions=[d], payments=pay(d, date(2024, 9, 19)))
    assert run("AUD-802", b) == ()


def test_aud701_reads_the_distributions_as_known_at():
    wrong = dist(lines=[line("H-1", "639"), line("H-2", "500")], total=Money.yuan("1200"))
    fixed = attrs.evolve(
        dist("D-1b", lines=[line("H-1", "639"), line("H-2", "561")]),
        supersedes="D-1",
        recorded_at=datetime(2024, 12, 5, tzinfo=UTC),
    )
    assert run("AUD-701", books(good_pv(), distributions=[wrong, fixed])) == ()
    before = books(good_pv(), distributions=[wrong, fixed], known_at=datetime(2024, 12, 2, tzinfo=UTC))
    assert subjects(run("AUD-701", before)) == ["D-1"]


def test_road_has_no_income_findings():
    assert run_checks(books(good_road()), as_of=AS_OF, policy=POLICY, codes=["AUD-6", "AUD-7", "AUD-8"]) == ()
