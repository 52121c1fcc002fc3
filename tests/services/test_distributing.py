"""The county-year distribution, the income books' services and explain, on every backend.

Figures are the bundled sample's (灵台县 柳家铺村 PV station, http://pvnews.cn/a/news/reping/11988.html):
7.3万元 income, 0.9万元 O&M claimed of which 5,580.00 deductible under the cap (186 kW ×
0.03 元/W/yr), 67,420.00 distributable, 45 % (30,339.00) to the collective and 55 %
(37,081.00) to 61 households by 1,657 days of public labour — LT-H001's 23 days make 514.70.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import read_income_ledger, read_roster
from assetreg.demo import sample_plans, sample_snapshot
from assetreg.domain.money import Money
from assetreg.domain.periods import Period
from assetreg.domain.policy import GANSU_COUNTY
from assetreg.errors import DistributionRefused, PaymentRefused, UnknownRecord
from assetreg.income.books import (
    ClaimedDeduction,
    NoticeLevel,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from assetreg.income.presets import PlanSpec
from assetreg.samples import sample_path
from assetreg.services.books import record_income, record_payments, record_plans, record_roster
from assetreg.services.distributing import NoticePosting, distribute_period
from assetreg.services.explaining import explain_asset, explain_household
from assetreg.services.importing import import_register

SAMPLE_POLICY = attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)
RECORDED = datetime(2024, 12, 31, 1, tzinfo=UTC)
LATER = datetime(2025, 1, 6, 1, tzinfo=UTC)
LT_PERIOD = Period.inclusive(date(2019, 5, 1), date(2020, 4, 30))
LT_ID = "D/LT-PV-001/2019-05-01/2020-05-01"


@pytest.fixture(scope="module")
def sample():
    imported = import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=SAMPLE_POLICY)
    roster = read_roster(sample_path("sample_households.csv"))
    register = imported.register
    for household in roster.parties:
        register = register.add_party(household)
    return register, read_income_ledger(sample_path("sample_revenue.csv")), roster


def load(store, sample, *, deductions=True, roster=True, plans=None):
    """Store the sample's books, leaving out what a test wants missing."""
    register, income, people = sample
    import_register(store.uow(), register, revenue=income.entries)
    if deductions:
        record_income(store.uow(), (), income.deduction_records(register, RECORDED)[0])
    if roster:
        record_roster(store.uow(), sample_snapshot(people, RECORDED))
    record_plans(store.uow(), sample_plans() if plans is None else plans, SAMPLE_POLICY, recorded_at=RECORDED)


def corrected_om(sample):
    """灵台's O&M claim corrected to 3,000.00 (below the 5,580.00 cap: all of it is deducted)."""
    register, income, _ = sample
    return ClaimedDeduction(
        id="LT-OM-2019-c",
        area=register.history("LT-PV-001").asset().location,
        recorded_at=LATER,
        supersedes="LT-OM-2019",
        asset_id="LT-PV-001",
        kind=income.deduction_records(register, RECORDED)[0][0].kind,
        amount=Money.yuan("3000"),
        period=LT_PERIOD,
    )


def run(store, **options):
    options.setdefault("asset_ids", ("LT-PV-001",))
    return distribute_period(store.uow(), SAMPLE_POLICY, period=LT_PERIOD, recorded_at=RECORDED, **options)


def test_a_period_run_stores_the_distribution_reconciled_to_the_fen(store, sample):
    load(store, sample)
    first = run(store)
    assert first.refusals == ()
    assert first.stored == 1
    [outcome] = first.outcomes
    d = outcome.distribution
    assert (outcome.status, d.id, d.gross, d.deducted, d.pool) == (
        "new",
        LT_ID,
        Money.yuan("73000"),
        Money.yuan("5580"),
        Money.yuan("67420"),
    )
    assert d.lines_total == d.pool
    assert (d.plan_version_id, d.roster_id, d.deduction_ids, d.revenue_ids) == (
        "LT-PV-2019",
        "ROSTER-620822-2020-04-30",
        ("LT-OM-2019",),
        ("LT-R-2019",),  # the O&M row is a deduction, not revenue
    )
    by_payee = {line.beneficiary_id: line.amount for line in d.lines}
    assert by_payee["LT-H001"] == Money.yuan("514.70")
    with store.uow() as uow:
        assert uow.distributions.get(LT_ID) == d
    if store.engine is not None:  # every stored record agrees with its seal (issue 15)
        from assetreg.adapters.sql import verify_state

        assert verify_state(store.engine) == []


def test_re_running_with_the_same_books_stores_nothing(store, sample):
    load(store, sample)
    run(store)
    again = distribute_period(store.uow(), SAMPLE_POLICY, period=LT_PERIOD, recorded_at=LATER, asset_ids=("LT-PV-001",))
    assert [(o.status, o.distribution.id) for o in again.outcomes] == [("unchanged", LT_ID)]
    assert again.stored == 0
    with store.uow() as uow:
        assert [d.id for d in uow.distributions.list(current=False)] == [LT_ID]


def test_changed_books_store_a_revision_and_show_what_changed(store, sample):
    load(store, sample)
    run(store)
    record_income(store.uow(), (), [corrected_om(sample)])  # 3,000.00, below the 5,580.00 cap
    revised = distribute_period(
        store.uow(), SAMPLE_POLICY, period=LT_PERIOD, recorded_at=LATER, asset_ids=("LT-PV-001",)
    )
    [outcome] = revised.outcomes
    assert (outcome.status, outcome.distribution.id, outcome.distribution.supersedes) == (
        "changed",
        LT_ID + "/r2",
        LT_ID,
    )
    assert outcome.distribution.pool == Money.yuan("70000")
    changes = {c.beneficiary_id: (c.before, c.after) for c in outcome.changes}
    collective = next(c for c in outcome.changes if c.before == Money.yuan("30339"))  # 45 % of 67,420.00
    assert collective.after == Money.yuan("31500")  # 45 % of 70,000.00
    households = [c for c in outcome.changes if c.beneficiary_id.startswith("LT-H")]
    assert len(households) == 55  # every share by labour moved (6 of the 61 households worked no days)
    assert sum(c.after.fen for c in households) == Money.yuan("38500").fen  # 55 % of 70,000.00
    assert changes["LT-H001"][0] == Money.yuan("514.70")
    with store.uow() as uow:
        assert [d.id for d in uow.distributions.list()] == [LT_ID + "/r2"]
        assert [d.id for d in uow.distributions.list(current=False)] == [LT_ID, LT_ID + "/r2"]


@pytest.mark.parametrize(
    ("missing", "reason"),
    [
        ("plans", "no_plan"),
        ("approval", "plan_not_approved"),
        ("roster", "no_roster"),
        ("deductions", "no_deduction_record"),
    ],
)
def test_a_missing_input_is_a_coded_refusal_naming_the_asset(store, sample, missing, reason):
    plans = sample_plans()
    if missing == "plans":
        plans = tuple(p for p in plans if "LT-PV-001" not in p.asset_ids)
    if missing == "approval":
        plans = tuple(attrs.evolve(p, approval=None) if "LT-PV-001" in p.asset_ids else p for p in plans)
    load(store, sample, deductions=missing != "deductions", roster=missing != "roster", plans=plans)
    result = run(store, asset_ids=("LT-PV-001", "SZ-GH-001"))
    refusal, partial = result.refusals
    assert refusal.asset_id == "LT-PV-001"
    assert isinstance(refusal.error, DistributionRefused)
    assert (refusal.error.code, refusal.reason, refusal.error.record) == ("AR-402", reason, "LT-PV-001")
    assert "LT-PV-001" in refusal.error.message_en
    assert "LT-PV-001" in refusal.error.message_zh
    # 肃州's 2019 dividend reaches outside 灵台's income year: never a pro-rata share of it
    assert (partial.asset_id, partial.reason) == ("SZ-GH-001", "partial_income_period")
    assert partial.error.details["income_periods"] == ["2019-01-01..2019-12-31"]
    assert result.outcomes == ()


def test_the_other_assets_are_distributed_when_one_is_refused(store, sample):
    plans = tuple(p for p in sample_plans() if "LT-PV-001" not in p.asset_ids)
    load(store, sample, plans=plans)
    register = sample[0]
    both = Period.inclusive(date(2019, 1, 1), date(2020, 4, 30))  # covers both assets' income periods
    entries_lt = [e for e in sample[1].entries if e.asset_id == "LT-PV-001"]
    assert all(both.covers(e.period) for e in entries_lt)
    result = distribute_period(
        store.uow(), SAMPLE_POLICY, period=both, recorded_at=RECORDED, asset_ids=("LT-PV-001", "SZ-GH-001")
    )
    assert [(r.asset_id, r.reason) for r in result.refusals] == [("LT-PV-001", "no_plan")]
    [outcome] = result.outcomes
    assert (outcome.distribution.asset_ids, outcome.distribution.pool) == (("SZ-GH-001",), Money.yuan("45000"))
    assert register.history("SZ-GH-001").asset().name == outcome.notice.asset_name


def test_a_paid_distribution_is_never_recomputed(store, sample):
    load(store, sample)
    d = run(store).outcomes[0].distribution
    [(index, line)] = d.lines_of("LT-H001")
    record_payments(store.uow(), [_payment(d, index, "P-1", line.amount)])
    record_income(store.uow(), (), [corrected_om(sample)])  # 3,000.00, below the 5,580.00 cap
    again = run(store)
    assert [(r.asset_id, r.reason, r.error.details["paid"]) for r in again.refusals] == [
        ("LT-PV-001", "already_paid", [LT_ID])
    ]
    with store.uow() as uow:
        assert [x.id for x in uow.distributions.list()] == [LT_ID]


def test_a_payment_of_a_replaced_distribution_is_refused(store, sample):
    load(store, sample)
    d = run(store).outcomes[0].distribution
    record_income(store.uow(), (), [corrected_om(sample)])  # 3,000.00, below the 5,580.00 cap
    assert run(store).outcomes[0].status == "changed"
    [(index, line)] = d.lines_of("LT-H001")
    with pytest.raises(PaymentRefused) as refused:
        record_payments(store.uow(), [_payment(d, index, "P-old", line.amount)])
    assert (refused.value.details["reason"], refused.value.field) == ("superseded", "distribution_id")


def test_an_asset_without_income_in_the_period_is_refused(store, sample):
    load(store, sample)
    result = run(store, asset_ids=("MC-2021-001",))
    assert [(r.asset_id, r.reason) for r in result.refusals] == [("MC-2021-001", "no_income")]
    assert result.outcomes == ()


def test_posting_stores_one_notice_per_distribution_and_level_once(store, sample):
    load(store, sample)
    post = NoticePosting(posted_on=date(2020, 5, 9))
    first = run(store, post=post)
    [notice] = first.notices
    # the Gansu preset's notice is 7 days counted inclusively (P7): 2020-05-09 … 2020-05-15
    assert (notice.id, notice.distribution_id, notice.level, notice.posted_on) == (
        f"N/{LT_ID}/village",
        LT_ID,
        NoticeLevel.VILLAGE,
        date(2020, 5, 9),
    )
    assert notice.closes_on == first.outcomes[0].notice.closes_on
    again = run(store, post=post)
    assert again.notices == ()
    township = run(store, post=NoticePosting(posted_on=date(2020, 5, 20), level=NoticeLevel.TOWNSHIP))
    assert [n.id for n in township.notices] == [f"N/{LT_ID}/township"]
    with store.uow() as uow:
        assert len(uow.notices.list(distribution_id=LT_ID)) == 2


def test_a_dry_run_writes_nothing(store, sample):
    load(store, sample)
    result = run(store, dry_run=True, post=NoticePosting(posted_on=date(2020, 5, 9)))
    assert (result.dry_run, result.stored, [o.status for o in result.outcomes]) == (True, 0, ["new"])
    with store.uow() as uow:
        assert uow.distributions.list() == []
        assert uow.notices.list() == []


def test_explain_a_household_and_an_asset_to_the_fen(store, sample):
    load(store, sample)
    d = run(store).outcomes[0].distribution
    lt001 = explain_household(store.uow(), "LT-H001")
    [line] = lt001.lines
    assert (line.amount, line.weight, line.share, line.tier, line.pool, line.gross, line.deducted) == (
        Money.yuan("514.70"),
        23,
        line.share,
        "按劳分配",
        Money.yuan("67420"),
        Money.yuan("73000"),
        Money.yuan("5580"),
    )
    assert line.share.denominator == 1657 and line.share.numerator == 23
    assert line.tier_amount == Money.yuan("37081")  # 55 % of 67,420.00
    payees = {ln.beneficiary_id for ln in d.lines}
    explained = sum(explain_household(store.uow(), p).total.fen for p in payees)
    assert explained == Money.yuan("67420").fen
    asset = explain_asset(store.uow(), "LT-PV-001")
    assert (asset.gross, asset.pool, asset.lines_total) == (
        Money.yuan("73000"),
        Money.yuan("67420"),
        Money.yuan("67420"),
    )
    [book] = asset.distributions
    [deduction] = book.deductions
    assert (deduction.id, deduction.amount) == ("LT-OM-2019", Money.yuan("9000"))
    # 186 kW × 0.03 元/W/yr caps the O&M at 5,580.00 (P9): 3,420.00 of the claim is not deducted
    assert (book.claimed, book.distribution.deducted, book.not_deducted) == (
        Money.yuan("9000"),
        Money.yuan("5580"),
        Money.yuan("3420"),
    )
    assert explain_household(store.uow(), "LT-H001", period=Period.year(2022)).lines == ()


def _payment(d, index, pid, amount, **more):
    line = d.lines[index]
    fields = {
        "id": pid,
        "area": d.area,
        "recorded_at": RECORDED,
        "distribution_id": d.id,
        "line_index": index,
        "beneficiary_id": line.beneficiary_id,
        "paid_on": date(2020, 5, 20),
        "amount": amount,
        "method": PaymentMethod.ONE_CARD,
    }
    fields.update(more)
    return Payment(**fields)


def test_payments_are_checked_against_their_line(store, sample):
    load(store, sample)
    d = run(store).outcomes[0].distribution
    [(index, line)] = d.lines_of("LT-H001")
    paid = _payment(d, index, "P-1", line.amount)
    assert record_payments(store.uow(), [paid]) == 1
    assert record_payments(store.uow(), [paid]) == 0  # a retry is harmless
    with pytest.raises(PaymentRefused) as over:
        record_payments(store.uow(), [_payment(d, index, "P-2", Money(1))])
    assert (over.value.code, over.value.details["reason"]) == ("AR-403", "overpaid")
    with pytest.raises(PaymentRefused) as wrong:
        record_payments(store.uow(), [attrs.evolve(_payment(d, index, "P-3", Money(1)), beneficiary_id="LT-H002")])
    assert wrong.value.details["reason"] == "wrong_payee"
    with pytest.raises(PaymentRefused) as settled:
        record_payments(store.uow(), [_payment(d, index, "P-4", line.amount, repays="P-1")])
    assert settled.value.details["reason"] == "repays_settled"
    with pytest.raises(UnknownRecord):
        record_payments(store.uow(), [_payment(d, index, "P-5", line.amount, repays="P-none")])
    # the bank returns it (closed account); the money is paid again to the new account
    returned = _payment(
        d,
        index,
        "P-1-returned",
        line.amount,
        status=PaymentStatus.RETURNED,
        supersedes="P-1",
        paid_on=date(2020, 5, 25),
    )
    again = _payment(d, index, "P-6", line.amount, repays="P-1-returned", paid_on=date(2020, 6, 2))
    assert record_payments(store.uow(), [returned, again]) == 2
    explained = explain_household(store.uow(), "LT-H001")
    assert explained.paid == Money.yuan("514.70")
    assert [p.id for p in explained.lines[0].payments] == ["P-1-returned", "P-6"]
    assert explained.lines[0].outstanding == Money.zero()


def test_record_plans_refuses_an_unknown_preset_in_the_file():
    from assetreg.errors import PolicyError

    text = sample_path("sample_plans.toml").read_text(encoding="utf-8").replace('"pv-45-55"', '"pv-50-50"', 1)
    with pytest.raises(PolicyError) as refused:
        PlanSpec.from_toml(text)
    assert (refused.value.field, refused.value.row, refused.value.actual) == ("preset", 1, "pv-50-50")


def test_the_most_specific_roster_covering_an_asset_is_used():
    from assetreg.domain.codes import AdminCode
    from assetreg.income.books import RosterSnapshot
    from assetreg.services.distributing import roster_for

    def snapshot(area: str, known_on: date) -> RosterSnapshot:
        return RosterSnapshot(id=f"R-{area}-{known_on}", area=AdminCode(area), recorded_at=RECORDED, known_on=known_on)

    # 会宁县 (620422) and its town 会师镇 (620422100), real Baiyin codes; the village suffix is invented
    village = AdminCode("620422100201")
    county = snapshot("620422", date(2024, 1, 1))
    town = snapshot("620422100", date(2024, 6, 1))
    other = snapshot("620421", date(2024, 6, 1))  # 靖远县 covers nothing here
    assert roster_for([county, other], village, date(2024, 12, 31)) is county  # a county list covers its villages
    assert roster_for([county, town, other], village, date(2024, 12, 31)) is town
    assert roster_for([county, town], village, date(2024, 3, 31)) is county  # the town's list was not yet known
    assert roster_for([other], village, date(2024, 12, 31)) is None


def test_payment_corrections_and_repayments_are_checked(store, sample):
    from assetreg.errors import DuplicateRecord

    load(store, sample)
    d = run(store).outcomes[0].distribution
    [(index, line)] = d.lines_of("LT-H001")
    record_payments(store.uow(), [_payment(d, index, "P-1", Money.yuan("500"))])
    # a paid amount corrected by a paid record: the corrected one no longer counts
    fixed = _payment(d, index, "P-1b", line.amount, supersedes="P-1")
    assert record_payments(store.uow(), [fixed]) == 1
    with pytest.raises(DuplicateRecord):
        record_payments(store.uow(), [_payment(d, index, "P-1b", Money.yuan("1"))])
    other = d.lines[index + 1]
    failed = _payment(d, index + 1, "F-1", other.amount, status=PaymentStatus.FAILED)
    with pytest.raises(PaymentRefused) as wrong_line:
        record_payments(store.uow(), [failed, _payment(d, index, "R-0", Money(1), repays="F-1")])
    assert wrong_line.value.details["reason"] == "repays_other_line"
    with pytest.raises(PaymentRefused) as twice:
        record_payments(
            store.uow(),
            [
                failed,
                _payment(d, index + 1, "R-1", other.amount, repays="F-1"),
                _payment(d, index + 1, "R-2", Money(1), repays="F-1"),
            ],
        )
    assert twice.value.details["reason"] == "repaid_twice"
    assert explain_household(store.uow(), "LT-H001").paid == Money.yuan("514.70")


def test_a_notice_before_the_plan_was_approved_is_refused(store, sample):
    load(store, sample)
    early = run(store, post=NoticePosting(posted_on=date(2019, 5, 31)))  # the plan is approved 2019-06-01
    [refused] = early.refusals
    assert (refused.reason, refused.error.details["approved_on"]) == ("plan_not_approved", date(2019, 6, 1))
    assert early.notices == ()


def test_explaining_an_unknown_household_or_asset_is_an_error(store, sample):
    from assetreg.errors import UnknownAsset, UnknownParty

    load(store, sample)
    run(store)
    with pytest.raises(UnknownParty):
        explain_household(store.uow(), "NOPE")
    with pytest.raises(UnknownAsset):
        explain_asset(store.uow(), "NOPE")
    assert explain_household(store.uow(), "LT-H002", period=Period.year(2022)).lines == ()


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda t: t.replace('level = "village_assembly"', 'level = "emperor"', 1), "level"),
        (lambda t: t.replace("[plan.approval]", "[plan.aproval]", 1), "aproval"),
        (lambda t: "plan = 1\n", "plan"),
        (lambda t: t.replace('minutes_ref = "未公布', 'bogus = 1\nminutes_ref = "未公布', 1), "bogus"),
    ],
)
def test_a_plan_file_with_an_unknown_level_or_key_is_refused(edit, field):
    from assetreg.errors import PolicyError

    text = edit(sample_path("sample_plans.toml").read_text(encoding="utf-8"))
    with pytest.raises(PolicyError) as refused:
        PlanSpec.from_toml(text)
    assert refused.value.field == field
    assert refused.value.message_zh
