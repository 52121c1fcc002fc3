"""The services on every backend: the in-memory fake first, then SQLite, PostgreSQL and MariaDB.

The inputs are the bundled sample (sources in src/assetreg/samples/README.md): the 灵台县
柳家铺村 PV station (186 kW, income 7.3万元, O&M paid 0.9万元 against a cap of
186,000 W × 0.03 元 = 5,580.00 元, distributable 67,420.00 元; 45 % collective / 55 % by
days of public labour, http://pvnews.cn/a/news/reping/11988.html) and the 肃州区 cooperative
dividend of 4.5万元 split 55/30/15 (http://gansu.gansudaily.com.cn/system/2020/04/08/017401795.shtml).
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
from assetreg.domain.register import AssetRegister
from assetreg.errors import AlreadyImported, DistributionRefused, DuplicateRecord, ScopeViolation
from assetreg.income.distribution import IncomeInputs
from assetreg.income.revenue import RevenueEntry
from assetreg.samples import sample_path
from assetreg.services import (
    allocate_stored,
    audit_store,
    import_register,
    run_demo_books,
    stored_books,
)
from assetreg.services.books import record_income

# the sample ledger names single funding sources without amounts; its policy takes 原值 for them
SAMPLE_POLICY = attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)

AS_OF = date(2024, 12, 31)
RECORDED = datetime(2024, 12, 31, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample():
    imported = import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=SAMPLE_POLICY)
    roster = read_roster(sample_path("sample_households.csv"))
    register = imported.register
    for household in roster.parties:
        register = register.add_party(household)
    return register, read_income_ledger(sample_path("sample_revenue.csv")), roster


@pytest.fixture(scope="module")
def ledger_register():
    """The sample ledger's register alone (the demo adds the roster's households itself)."""
    return import_ledger(sample_path("sample_ledger.csv"), recorded_at=RECORDED, policy=SAMPLE_POLICY).register


def test_import_into_an_empty_store_takes_the_bulk_path_and_keeps_everything(store, sample):
    register, income, _ = sample
    outcome = import_register(store.uow(), register, revenue=income.entries)
    assert (outcome.assets, outcome.revenue_entries, outcome.bulk) == (8, 3, True)
    assert outcome.unknown_asset_entries == ()
    books = stored_books(store.uow())
    assert books.register == register
    assert sorted(e.id for e in books.revenue) == sorted(e.id for e in income.entries)


def test_progress_reports_every_row_of_a_bulk_import(store, sample):
    register, _, _ = sample
    seen: list[tuple[int, int]] = []
    import_register(store.uow(), register, progress=lambda done, total: seen.append((done, total)))
    rows = len(register.parties) + len(register.histories) + sum(h.version for h in register.histories.values())
    assert seen[-1] == (rows, rows)


def test_importing_the_same_register_again_is_refused_and_writes_nothing(store, sample):
    register, income, _ = sample
    import_register(store.uow(), register, revenue=income.entries)
    with pytest.raises(AlreadyImported) as info:
        import_register(store.uow(), register, revenue=income.entries)
    assert info.value.code == "AR-205"
    assert (info.value.record, info.value.actual) == ("LT-PV-001", 8)
    assert "8 个资产编号已在库中（如 LT-PV-001）" in info.value.message_zh
    assert stored_books(store.uow()).register == register


def test_reimporting_the_same_register_with_its_date_records_nothing(store, sample):
    register, income, _ = sample
    import_register(store.uow(), register, revenue=income.entries)
    later = datetime(2025, 1, 6, 1, tzinfo=UTC)
    outcome = import_register(store.uow(), register, revenue=income.entries, effective=AS_OF, recorded_at=later)
    assert outcome.diff is not None
    assert outcome.diff.empty
    assert (outcome.added, outcome.events, outcome.revenue_entries) == (0, 0, 0)
    assert len(outcome.diff.unchanged) == 8
    assert stored_books(store.uow()).register == register


def test_a_reimport_records_the_differences_and_a_dry_run_writes_nothing(store, sample):
    register, _, _ = sample
    first_ids = {"LT-PV-001", "MC-2021-001"}
    import_register(
        store.uow(), AssetRegister(parties=register.parties, histories={a: register.histories[a] for a in first_ids})
    )
    later = datetime(2025, 1, 6, 1, tzinfo=UTC)
    dry = import_register(store.uow(), register, effective=AS_OF, recorded_at=later, dry_run=True)
    assert (dry.dry_run, dry.added, dry.events) == (
        True,
        6,
        sum(register.histories[a].version for a in register.histories if a not in first_ids),
    )
    assert sorted(stored_books(store.uow()).register.histories) == sorted(first_ids)
    real = import_register(store.uow(), register, effective=AS_OF, recorded_at=later)
    assert (real.dry_run, real.added, real.events) == (False, 6, dry.events)
    stored = stored_books(store.uow()).register
    assert sorted(stored.histories) == sorted(register.histories)
    for asset_id, history in register.histories.items():  # the same events (the diff lists them as known)
        assert sorted(stored.histories[asset_id].events, key=lambda e: e.event_id) == sorted(
            history.events, key=lambda e: e.event_id
        )


def test_a_second_ledger_is_added_event_by_event_with_its_revenue(store, sample):
    register, income, _ = sample
    first_ids = {"LT-PV-001", "MC-2021-001"}
    first = AssetRegister(parties=register.parties, histories={a: register.histories[a] for a in first_ids})
    rest = AssetRegister(
        parties=register.parties, histories={a: h for a, h in register.histories.items() if a not in first_ids}
    )
    pv_entries = [e for e in income.entries if e.asset_id == "LT-PV-001"]
    assert import_register(store.uow(), first, revenue=pv_entries).bulk is True
    outcome = import_register(store.uow(), rest, revenue=income.entries)
    assert outcome.bulk is False
    assert (outcome.assets, outcome.revenue_entries) == (6, len(income.entries) - len(pv_entries))
    assert stored_books(store.uow()).register == register


def test_revenue_for_an_asset_in_neither_the_ledger_nor_the_store_is_returned_not_stored(store, sample):
    register, income, _ = sample
    stray = RevenueEntry(
        id="NO-SUCH-1",
        asset_id="NO-SUCH",
        kind=income.entries[0].kind,
        amount=Money.yuan("1"),
        period=income.entries[0].period,
        received=income.entries[0].received,
    )
    outcome = import_register(store.uow(), register, revenue=[*income.entries, stray])
    assert [e.id for e in outcome.unknown_asset_entries] == ["NO-SUCH-1"]
    assert outcome.revenue_entries == len(income.entries)
    assert "NO-SUCH-1" not in {e.id for e in stored_books(store.uow()).revenue}


def test_a_register_outside_the_scope_is_refused_whole(store, sample):
    register, _, _ = sample
    with pytest.raises(ScopeViolation):
        import_register(store.uow(scope="620822"), register)  # the sample spans several counties
    assert len(stored_books(store.uow()).register) == 0


def test_add_register_refuses_records_already_stored(store, sample):
    register, _, _ = sample
    import_register(store.uow(), register)
    with store.uow() as uow, pytest.raises(DuplicateRecord):
        uow.add_register(register)


def test_allocating_stored_revenue_without_its_deduction_record_is_refused(store, sample):
    register, income, roster = sample
    import_register(store.uow(), register, revenue=income.entries)
    with pytest.raises(DistributionRefused) as refused:
        allocate_stored(store.uow(), GANSU_COUNTY, asset_id="LT-PV-001", plan="pv-45-55", roster=roster.households)
    assert (refused.value.record, refused.value.details["reason"]) == ("LT-PV-001", "no_deduction_record")
    # once the claim is recorded, the store's books give the capped O&M, never the gross
    record_income(store.uow(), (), income.deduction_records(register, RECORDED)[0])
    result = allocate_stored(store.uow(), GANSU_COUNTY, asset_id="LT-PV-001", plan="pv-45-55", roster=roster.households)
    assert result.income_from_store is True
    assert result.notice.income.net == Money.yuan("67420")
    assert result.notice.reconciles


def test_allocating_with_the_income_ledger_applies_the_capped_om(store, sample):
    register, income, roster = sample
    import_register(store.uow(), register)
    result = allocate_stored(
        store.uow(),
        GANSU_COUNTY,
        asset_id="LT-PV-001",
        plan="pv-45-55",
        roster=roster.households,
        income=income.inputs(register, RECORDED),
    )
    notice = result.notice
    assert result.income_from_store is False
    assert (notice.income.gross, notice.income.total_deducted, notice.income.net) == (
        Money.yuan("73000"),
        Money.yuan("5580"),
        Money.yuan("67420"),
    )
    by_payee = {line.beneficiary_id: line.amount for a in notice.allocations for line in a.lines}
    assert by_payee["LT-H001"] == Money.yuan("514.70")  # 农户LT001: 23 of 1,657 days of 55 %
    assert notice.total == notice.income.net


def test_audit_of_the_store_reads_the_stored_revenue(store, sample):
    register, income, _ = sample
    import_register(store.uow(), register)
    without = audit_store(store.uow(), as_of=AS_OF, policy=GANSU_COUNTY)
    assert "AUD-605" not in {f.code for f in without.findings}  # no revenue stored: the PV-income check
    assert "AUD-605" in {n.code for n in without.not_run}  # ... does not run, and says why
    assert next(n for n in without.not_run if n.code == "AUD-605").reason("zh") == "缺少收益记录"
    with store.uow() as uow:
        uow.revenue.add(income.entries)
        uow.commit()
    report = audit_store(store.uow(), as_of=AS_OF, policy=GANSU_COUNTY)
    assert [(f.code, f.subject) for f in report.findings] == [
        ("AUD-302", "LT-PV-001"),
        ("AUD-401", "LT-PV-001"),
        ("AUD-401", "MC-2021-001"),
        ("AUD-401", "SZ-GH-001"),
        ("AUD-605", "LT-PV-001"),
    ]


def test_the_demo_books_give_the_same_results_on_every_backend(store, sample, ledger_register):
    _, income, roster = sample
    run = run_demo_books(
        store.uow,
        ledger_register,
        roster=sample_snapshot(roster, RECORDED),
        households=roster.parties,
        income=income.inputs(ledger_register, RECORDED),
        plans=sample_plans(),
        policy=GANSU_COUNTY,
        recorded_at=RECORDED,
    )
    assert [f.code for f in run.findings] == [
        "AUD-302",
        "AUD-401",
        "AUD-401",
        "AUD-401",
        "AUD-605",
        "AUD-607",
        "AUD-607",
    ]
    assert run.report.not_run == ()
    assert [(n.asset_id, n.total) for n in run.notices] == [
        ("LT-PV-001", Money.yuan("67420")),
        ("SZ-GH-001", Money.yuan("45000")),
    ]
    assert all(n.reconciles for n in run.notices)
    assert run.revenue_entries == len(income.entries)
    assert income.inputs(ledger_register, RECORDED) == IncomeInputs(
        entries=income.entries, deductions=income.deduction_records(ledger_register, RECORDED)[0]
    )
    with store.uow() as uow:
        stored = uow.distributions.list()
        assert [d.id for d in stored] == [
            "D/SZ-GH-001/2019-01-01/2020-01-01",
            "D/LT-PV-001/2019-05-01/2020-05-01",
        ]
        assert [d.pool for d in stored] == [Money.yuan("45000"), Money.yuan("67420")]
        assert [n.distribution_id for n in uow.notices.list()] == [d.id for d in stored]
        assert len(uow.plans.list()) == 2
        assert len(uow.deductions.list()) == 1


def _distribution(register, *, lines_total_fen: int, pool_fen: int, did: str = "D-LT-2019"):
    from fractions import Fraction

    from assetreg.income import AllocationLine, BeneficiaryKind, Distribution, Purpose

    area = register.history("LT-PV-001").asset().location
    line = AllocationLine(
        tier="按劳分配",
        tier_index=0,
        purpose=Purpose.HOUSEHOLD_DIVIDEND,
        beneficiary_id="LT-H001",
        beneficiary_kind=BeneficiaryKind.HOUSEHOLD,
        beneficiary_name="农户LT001",
        amount=Money(lines_total_fen),
        base="net",
        base_amount=Money(pool_fen),
        rate=None,
        tier_amount=Money(lines_total_fen),
        share=Fraction(1),
        basis="",
    )
    return Distribution(
        id=did,
        area=area,
        recorded_at=RECORDED,
        plan_version_id="PV-LT-1",
        plan_id="pv-45-55",
        asset_ids=("LT-PV-001",),
        period=Period(date(2019, 5, 1), date(2020, 5, 1)),
        gross=Money(pool_fen),
        pool=Money(pool_fen),
        as_of=date(2020, 4, 30),
        lines=(line,),
    )


def test_audit_of_the_store_runs_the_distribution_checks_once_distributions_are_kept(store, sample):
    register, income, _ = sample
    import_register(store.uow(), register, revenue=income.entries)
    from assetreg.income import Payment, PaymentMethod

    # 514.70 元 recorded against a pool of 67,420.00 元: the lines do not add up, and it was
    # paid out without any notice posted
    distribution = _distribution(register, lines_total_fen=51470, pool_fen=6742000)
    payment = Payment(
        id="P-LT-2019-0",
        area=distribution.area,
        recorded_at=RECORDED,
        distribution_id=distribution.id,
        line_index=0,
        beneficiary_id="LT-H001",
        paid_on=date(2020, 5, 10),
        amount=Money(51470),
        method=PaymentMethod.ONE_CARD,
        account_ref="6228***********0018",
    )
    with store.uow() as uow:
        uow.distributions.add([distribution])
        uow.payments.add([payment])
        uow.commit()
    report = audit_store(store.uow(), as_of=AS_OF, policy=GANSU_COUNTY)
    found = {(f.code, f.subject) for f in report.findings}
    assert ("AUD-701", "D-LT-2019") in found  # lines ≠ pool
    assert any(code == "AUD-802" for code, _ in found)  # paid without a notice
    assert {n.code for n in report.not_run} == set()  # every part of the books is supplied now


def test_audit_of_the_store_is_quiet_on_a_distribution_that_adds_up_and_was_posted(store, sample):
    from assetreg.income import NoticeChannel, NoticeLevel, PublicNotice

    register, income, _ = sample
    import_register(store.uow(), register, revenue=income.entries)
    distribution = _distribution(register, lines_total_fen=6742000, pool_fen=6742000)
    notice = PublicNotice(
        id="N-LT-2019",
        area=distribution.area,
        recorded_at=RECORDED,
        distribution_id=distribution.id,
        level=NoticeLevel.VILLAGE,
        channel=NoticeChannel.NOTICE_BOARD,
        posted_on=date(2020, 5, 9),
        closes_on=date(2020, 5, 18),  # 10 days, inclusive counting (P7)
    )
    with store.uow() as uow:
        uow.distributions.add([distribution])
        uow.notices.add([notice])
        uow.commit()
    report = audit_store(store.uow(), as_of=AS_OF, policy=GANSU_COUNTY)
    codes = {f.code for f in report.findings}
    assert not codes & {"AUD-701", "AUD-801", "AUD-802"}
