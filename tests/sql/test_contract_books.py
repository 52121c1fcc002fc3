"""The income books' repository contract (收益台账仓储契约), run unchanged on every backend.

Backends: memory, SQLite, PostgreSQL, MariaDB (the ``store`` fixture of conftest.py). The
records are 柳家铺村's PV books (book_builders.py): 7.3万元 income, O&M 0.9万元 claimed and
capped at 5,580.00, 67,420.00 distributable, 514.70 to household LT001.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs
import pytest
from book_builders import (
    COLLECTIVE,
    HUINING,
    LINGTAI,
    LT001,
    PERIOD,
    STATION,
    at,
    distribution,
    lt001_payment,
    notice,
    om_claim,
    plan_version,
    returned_and_repaid,
    roster,
)

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import GANSU_COUNTY
from assetreg.domain.register import AssetRegister
from assetreg.errors import AllocationError, DuplicateRecord, ScopeViolation, UnknownRecord
from assetreg.income import DistributionStatus, PaymentStatus, Purpose
from assetreg.ports import (
    DeductionRepository,
    DistributionRepository,
    NoticeRepository,
    PaymentRepository,
    PlanRepository,
    RosterRepository,
)

KINDS = {
    "deductions": om_claim,
    "rosters": roster,
    "plans": plan_version,
    "distributions": distribution,
    "notices": notice,
    "payments": lt001_payment,
}
"""Each repository and a builder of one of its records (keyword changes apply)."""


def repo(uow, kind):
    return getattr(uow, kind)


def test_the_income_books_repositories_are_implemented(store):
    with store.uow() as uow:
        assert isinstance(uow.deductions, DeductionRepository)
        assert isinstance(uow.rosters, RosterRepository)
        assert isinstance(uow.plans, PlanRepository)
        assert isinstance(uow.distributions, DistributionRepository)
        assert isinstance(uow.notices, NoticeRepository)
        assert isinstance(uow.payments, PaymentRepository)


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_is_exact(store, kind):
    record = KINDS[kind]()
    with store.uow() as uow:
        assert repo(uow, kind).add([record]) == 1
        uow.commit()
    with store.uow() as uow:
        assert repo(uow, kind).get(record.id) == record
        assert repo(uow, kind).list() == [record]
        assert repo(uow, kind).list(prefix="620822") == [record]
        assert repo(uow, kind).list(prefix="620422") == []


def test_the_lingtai_figures_survive_the_store(store):
    with store.uow() as uow:
        uow.deductions.add([om_claim()])
        uow.distributions.add([distribution()])
        uow.payments.add([lt001_payment()])
        uow.commit()
    with store.uow() as uow:
        [claim] = uow.deductions.list(asset_id=STATION)
        [dist] = uow.distributions.list(household_id=LT001)
        [paid] = uow.payments.list(household_id=LT001)
    assert (claim.amount, claim.cap, claim.deducted) == (Money.yuan("9000"), Money.yuan("5580"), Money.yuan("5580"))
    assert (dist.gross, dist.deducted, dist.pool) == (Money.yuan("73000"), Money.yuan("5580"), Money.yuan("67420"))
    assert dist.allocation.by_beneficiary()[COLLECTIVE] == Money.yuan("30339")
    [(index, line)] = dist.lines_of(LT001)
    assert (line.amount, line.weight, line.share, line.purpose) == (
        Money.yuan("514.70"),
        23,
        dist.lines[index].share,
        Purpose.WORK_REWARDS,
    )
    assert str(line.share) == "23/1657"
    assert (paid.line_index, paid.amount, paid.account_ref) == (index, Money.yuan("514.70"), "6228***********0018")


@pytest.mark.parametrize("kind", KINDS)
def test_retry_is_idempotent_and_other_content_is_refused(store, kind):
    make = KINDS[kind]
    record = make()
    with store.uow() as uow:
        assert repo(uow, kind).add([record]) == 1
        assert repo(uow, kind).add([record, record]) == 0
        uow.commit()
    changed = make(recorded_at=at(99))
    with store.uow() as uow:
        with pytest.raises(DuplicateRecord) as info:
            repo(uow, kind).add([make(id="NEW-1"), changed])  # all or nothing
        assert info.value.record == record.id
        with pytest.raises(DuplicateRecord):
            repo(uow, kind).add([make(id="NEW-2"), make(id="NEW-2", recorded_at=at(98))])  # twice in one batch
        uow.commit()
    with store.uow() as uow:
        assert repo(uow, kind).list() == [record]


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_ids_and_corrections_of_nothing_are_refused(store, kind):
    with store.uow() as uow:
        with pytest.raises(UnknownRecord):
            repo(uow, kind).get("NOPE")
        with pytest.raises(UnknownRecord):
            repo(uow, kind).add([KINDS[kind](id="FIX-1", supersedes="NOPE")])


@pytest.mark.parametrize("kind", KINDS)
def test_a_correction_supersedes_and_the_books_read_as_known_at(store, kind):
    make = KINDS[kind]
    original = make()
    fixed = make(id=f"{original.id}-FIX", recorded_at=at(500), supersedes=original.id)
    with store.uow() as uow:
        repo(uow, kind).add([original])
        uow.commit()
    with store.uow() as uow:
        repo(uow, kind).add([fixed])
        uow.commit()
    with store.uow() as uow:
        books = repo(uow, kind)
        assert books.list() == [fixed]
        assert books.list(known_at=at(499)) == [original]
        assert books.list(known_at=original.recorded_at) == [original]
        assert books.list(known_at=at(-1)) == []
        assert {r.id for r in books.list(current=False)} == {original.id, fixed.id}
        assert books.get(original.id) == original  # never edited, still readable
        with pytest.raises(DuplicateRecord):  # a record is corrected once; correct the correction
            books.add([make(id="FIX-2", recorded_at=at(600), supersedes=original.id)])
        assert books.add([make(id="FIX-2", recorded_at=at(600), supersedes=fixed.id)]) == 1


def test_two_writers_cannot_both_correct_one_record(store):
    with store.uow() as uow:
        uow.deductions.add([om_claim()])
        uow.commit()
    first = om_claim(id="FIX-A", recorded_at=at(10), supersedes="DED-LT-2019-OM", evidence="发票 A")
    second = om_claim(id="FIX-B", recorded_at=at(11), supersedes="DED-LT-2019-OM", evidence="发票 B")
    with store.uow() as one:
        one.deductions.add([first])
        one.commit()
    with store.uow() as two, pytest.raises(DuplicateRecord):
        two.deductions.add([second])
    with store.uow() as uow:
        assert uow.deductions.list() == [first]


@pytest.mark.parametrize("kind", KINDS)
def test_scope_refuses_reads_and_writes_outside(store, kind):
    make = KINDS[kind]
    inside, outside = make(), make(id="HN-1", area=HUINING)
    with store.uow() as uow:
        repo(uow, kind).add([inside, outside])
        uow.commit()
    with store.uow(scope="620822") as clerk:
        books = repo(clerk, kind)
        assert books.list() == [inside]
        assert books.list(prefix="620422") == []
        with pytest.raises(UnknownRecord) as hidden:  # another area's record looks missing
            books.get("HN-1")
        with pytest.raises(UnknownRecord) as missing:
            books.get("HN-9")
        assert hidden.value.as_dict() == {**missing.value.as_dict(), "record": "HN-1"} | {
            k: missing.value.as_dict()[k].replace("HN-9", "HN-1") for k in ("message_en", "message_zh")
        }
        with pytest.raises(ScopeViolation):  # the caller's own area, outside: told so
            books.add([make(id="NEW-1"), make(id="HN-2", area=HUINING)])
        with pytest.raises(UnknownRecord):  # nor correct what it cannot see
            books.add([make(id="HN-FIX", recorded_at=at(9), supersedes="HN-1")])
        clerk.commit()
    with store.uow(scope="620822", explain=True) as admin, pytest.raises(ScopeViolation):
        repo(admin, kind).get("HN-1")
    with store.uow() as uow:
        assert {r.id for r in repo(uow, kind).list()} == {"HN-1", inside.id}


@pytest.mark.parametrize("kind", KINDS)
def test_rollback_discards_and_uncommitted_work_is_private(store, kind):
    record = KINDS[kind]()
    with store.uow() as uow:
        assert repo(uow, kind).add([record]) == 1
        with store.uow() as other:
            assert repo(other, kind).list() == []
        uow.rollback()
        assert repo(uow, kind).list() == []
        repo(uow, kind).add([record])
    with store.uow() as uow:
        assert repo(uow, kind).list() == []


def test_deductions_filter_by_asset_period_and_area(store):
    later = om_claim(id="DED-LT-2020-OM", period=Period(date(2020, 5, 1), date(2021, 5, 1)), recorded_at=at(30))
    other = om_claim(id="DED-X", asset_id="LT-PV-002", recorded_at=at(31))
    far = om_claim(id="DED-HN", asset_id="HN-PV-1", area=HUINING)
    with store.uow() as uow:
        uow.deductions.add([later, other, far, om_claim()])
        uow.commit()
    with store.uow() as uow:
        books = uow.deductions
        assert [d.id for d in books.list()] == ["DED-HN", "DED-LT-2019-OM", "DED-LT-2020-OM", "DED-X"]
        assert [d.id for d in books.list(asset_id=STATION)] == ["DED-LT-2019-OM", "DED-LT-2020-OM"]
        assert [d.id for d in books.list(asset_id=STATION, period=Period.year(2020))] == [
            "DED-LT-2019-OM",
            "DED-LT-2020-OM",
        ]
        assert [d.id for d in books.list(period=Period(date(2020, 5, 1), date(2020, 6, 1)))] == ["DED-LT-2020-OM"]
        assert [d.id for d in books.list(prefix="620422")] == ["DED-HN"]


def test_rosters_filter_by_household_and_asset_and_give_the_latest(store):
    spring = roster()
    review = roster(
        id="RS-LT-2021",
        recorded_at=at(40),
        known_on=date(2021, 1, 1),
        households=[h for h in spring.households if h.household_id != LT001],
    )
    with store.uow() as uow:
        uow.rosters.add([review, spring])
        uow.commit()
    with store.uow() as uow:
        books = uow.rosters
        assert [r.id for r in books.list()] == ["RS-LT-2020", "RS-LT-2021"]
        assert [r.id for r in books.list(household_id=LT001)] == ["RS-LT-2020"]
        assert [r.id for r in books.list(asset_id=STATION)] == ["RS-LT-2020", "RS-LT-2021"]
        assert books.list(asset_id="NO-SUCH-ASSET") == []
        assert books.latest(LINGTAI.value, on=date(2020, 12, 31)) == spring
        assert books.latest(LINGTAI.value, on=date(2021, 1, 1)) == review
        assert books.latest(LINGTAI.value, on=date(2021, 1, 1), known_at=at(39)) == spring
        assert books.latest(LINGTAI.value, on=date(2020, 4, 29)) is None
        assert books.latest(HUINING.value, on=date(2021, 1, 1)) is None
    assert len(spring.households) == 61
    assert sum(h.days_worked for h in spring.households) == 1657


def test_plans_filter_by_asset_and_plan(store):
    second = plan_version(id="PLAN-LT-PV-2", version=2, recorded_at=at(50), effective_from=date(2020, 5, 1))
    other = plan_version(id="PLAN-X", asset_ids=("LT-PV-002",), approval=None)
    with store.uow() as uow:
        uow.plans.add([second, other, plan_version()])
        uow.commit()
    with store.uow() as uow:
        books = uow.plans
        assert [p.id for p in books.list(asset_id=STATION)] == ["PLAN-LT-PV-1", "PLAN-LT-PV-2"]
        assert [p.id for p in books.list(plan_id="pv-45-55")] == [
            "PLAN-LT-PV-1",
            "PLAN-X",
            "PLAN-LT-PV-2",
        ]  # by version
        assert [p.approved for p in books.list(asset_id="LT-PV-002")] == [False]


def test_distributions_filter_by_asset_period_household_and_plan(store):
    next_year = distribution(
        id="DIST-LT-2020",
        recorded_at=at(60),
        period=Period(date(2020, 5, 1), date(2021, 5, 1)),
        plan_version_id="PLAN-LT-PV-2",
        status=DistributionStatus.ADOPTED,
    )
    with store.uow() as uow:
        uow.distributions.add([next_year, distribution()])
        uow.commit()
    with store.uow() as uow:
        books = uow.distributions
        assert [d.id for d in books.list(asset_id=STATION)] == ["DIST-LT-2019", "DIST-LT-2020"]
        assert [d.id for d in books.list(period=Period.year(2021))] == ["DIST-LT-2020"]
        assert [d.id for d in books.list(period=PERIOD, household_id=LT001)] == ["DIST-LT-2019"]
        assert books.list(household_id="LT-H999") == []
        assert [d.id for d in books.list(plan_version_id="PLAN-LT-PV-2")] == ["DIST-LT-2020"]
        assert books.get("DIST-LT-2020").status is DistributionStatus.ADOPTED


def test_a_stored_distribution_that_does_not_add_up_is_kept_for_the_audit(store):
    good = distribution()
    short = attrs.evolve(good, id="DIST-BAD", lines=good.lines[1:])  # the collective's line lost
    with store.uow() as uow:
        uow.distributions.add([short])
        uow.commit()
    with store.uow() as uow:
        [stored] = uow.distributions.list()
    assert stored.lines_total == Money.yuan("37081")
    with pytest.raises(AllocationError):
        _ = stored.allocation


def test_notices_and_payments_filter_by_distribution_household_and_period(store):
    paid, returned, again = returned_and_repaid()
    other = lt001_payment(id="PAY-X", distribution_id="DIST-X", beneficiary_id="LT-H002", recorded_at=at(70))
    with store.uow() as uow:
        uow.notices.add(
            [
                notice(),
                notice(id="NOT-X", distribution_id="DIST-X", posted_on=date(2021, 5, 9), closes_on=date(2021, 5, 18)),
            ]
        )
        uow.payments.add([paid, returned, again, other])
        uow.commit()
    with store.uow() as uow:
        assert [n.id for n in uow.notices.list(distribution_id="DIST-LT-2019")] == ["NOT-LT-2019"]
        assert [n.id for n in uow.notices.list(period=Period.year(2021))] == ["NOT-X"]
        assert [p.id for p in uow.payments.list(household_id=LT001)] == ["PAY-LT-2019-H001-R", "PAY-LT-2019-H001-2"]
        assert [p.id for p in uow.payments.list(household_id=LT001, known_at=at(24 * 13))] == ["PAY-LT-2019-H001"]
        assert [p.id for p in uow.payments.list(distribution_id="DIST-X")] == ["PAY-X"]
        assert [p.id for p in uow.payments.list(period=Period.month(2020, 6))] == ["PAY-LT-2019-H001-2"]
        current = uow.payments.list(household_id=LT001)
    assert [p.status for p in current] == [PaymentStatus.RETURNED, PaymentStatus.PAID]
    assert current[1].repays == "PAY-LT-2019-H001-R"
    assert sum(p.amount.fen for p in current if p.settled) == 51_470  # 514.70 元 reached LT001 once


def test_what_the_store_keeps_is_what_the_audit_checks(store):
    early = lt001_payment(paid_on=date(2020, 5, 15))  # before the notice closed on 2020-05-18
    with store.uow() as uow:
        uow.distributions.add([distribution()])
        uow.notices.add([notice()])
        uow.payments.add([early])
        uow.commit()
    with store.uow() as uow:
        books = AuditBooks(
            register=AssetRegister(),
            distributions=uow.distributions.list(),
            notices=uow.notices.list(),
            payments=uow.payments.list(),
        )
    found = run_checks(books, as_of=date(2020, 12, 31), policy=GANSU_COUNTY, checks=[check_by_code("AUD-802")])
    assert [(f.subject, f.evidence["paid_on"], f.evidence["notice_closed"]) for f in found] == [
        ("DIST-LT-2019", "2020-05-15", "2020-05-18")
    ]


def test_a_roster_with_members_shares_round_trips_exactly(store):
    # 柳家铺村 allotted shares to its 61 households (配股, published_projects.csv row 2): one
    # share each; LT001's 4/3 and the last household's none are synthetic, for the exact text
    spring = roster()
    households = [attrs.evolve(h, shares=Fraction(1)) for h in spring.households]
    households[0] = attrs.evolve(households[0], shares=Fraction(4, 3))
    households[-1] = attrs.evolve(households[-1], shares=None)
    shared = roster(id="RS-LT-2020-EQ", households=households)
    with store.uow() as uow:
        uow.rosters.add([shared])
        uow.commit()
    with store.uow() as uow:
        back = uow.rosters.get("RS-LT-2020-EQ")
    assert back == shared
    assert [h.shares for h in back.households[:2]] == [Fraction(4, 3), Fraction(1)]
    assert back.households[-1].shares is None
    assert sum((h.shares or 0 for h in back.households), Fraction(0)) == Fraction(181, 3)  # 59 × 1 + 4/3
