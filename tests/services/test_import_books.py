"""Income ledgers and rosters imported on their own, on every backend: idempotent, corrections superseding.

The inputs are the bundled sample (src/assetreg/samples/README.md): the 灵台县 柳家铺村 PV
station's income 7.3万元 and O&M claim 0.9万元 for 2019-05-01 … 2020-04-30
(http://pvnews.cn/a/news/reping/11988.html), the 肃州区 cooperative dividend 4.5万元 and the
满城区 guaranteed return 127,747.50 元, and the synthetic roster of 61 households of 灵台县 (620822).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from assetreg.adapters.ledger.importer import import_ledger
from assetreg.adapters.ledger.records import DeductionRow, read_income_ledger, read_roster
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.policy import GANSU_COUNTY
from assetreg.errors import InvalidValue
from assetreg.income.revenue import DeductionKind
from assetreg.samples import sample_path
from assetreg.services.importing import import_income, import_register, import_roster, roster_snapshots

FIRST = datetime(2024, 12, 31, 1, tzinfo=UTC)
LATER = datetime(2025, 3, 1, 1, tzinfo=UTC)
POLICY = attrs.evolve(GANSU_COUNTY, single_funding_source_takes_value=True)


@pytest.fixture
def stored(store):
    register = import_ledger(sample_path("sample_ledger.csv"), recorded_at=FIRST, policy=POLICY).register
    import_register(store.uow(), register)
    return store


def test_an_income_ledger_imports_on_its_own_and_again_stores_nothing(stored) -> None:
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    first = import_income(stored.uow(), income.entries, income.deductions, recorded_at=FIRST)
    assert (first.revenue_entries, first.deductions, first.corrections) == (3, 1, 0)
    assert (first.unknown_asset_entries, first.unknown_asset_claims) == ((), ())
    with stored.uow() as uow:
        (claim,) = uow.deductions.list()
    assert (claim.id, claim.asset_id, claim.kind, claim.amount) == (
        "LT-OM-2019",
        "LT-PV-001",
        DeductionKind.OPERATION_MAINTENANCE,
        Money.yuan("9000"),
    )
    assert claim.area == AdminCode.parse("620822")  # the asset's location
    again = import_income(stored.uow(), income.entries, income.deductions, recorded_at=LATER)
    assert (again.revenue_entries, again.deductions, again.corrections) == (0, 0, 0)


def test_a_changed_claim_is_stored_as_a_correction_superseding_the_one_in_force(stored) -> None:
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    import_income(stored.uow(), income.entries, income.deductions, recorded_at=FIRST)
    (om,) = income.deductions
    audited = attrs.evolve(om, amount=Money.yuan("8500"))
    dry = import_income(stored.uow(), (), (audited,), recorded_at=LATER, dry_run=True)
    assert (dry.deductions, dry.corrections, dry.dry_run) == (1, 1, True)
    with stored.uow() as uow:
        assert [c.id for c in uow.deductions.list()] == ["LT-OM-2019"]  # the dry run wrote nothing
    real = import_income(stored.uow(), (), (audited,), recorded_at=LATER)
    assert (real.deductions, real.corrections) == (1, 1)
    with stored.uow() as uow:
        (current,) = uow.deductions.list()
        assert (current.id, current.supersedes, current.amount) == ("LT-OM-2019@2", "LT-OM-2019", Money.yuan("8500"))
        (before,) = uow.deductions.list(known_at=FIRST)
        assert before.amount == Money.yuan("9000")
    assert import_income(stored.uow(), (), (audited,), recorded_at=LATER).deductions == 0
    back = import_income(stored.uow(), (), (om,), recorded_at=datetime(2025, 4, 1, tzinfo=UTC))
    assert back.corrections == 1  # back to 9,000.00: a third version
    with stored.uow() as uow:
        assert [(c.id, c.amount) for c in uow.deductions.list()] == [("LT-OM-2019@3", Money.yuan("9000"))]


def test_records_of_assets_not_stored_are_returned_not_stored(stored) -> None:
    income = read_income_ledger(sample_path("sample_revenue.csv"))
    stray_entry = attrs.evolve(income.entries[0], id="NO-R-1", asset_id="NO-SUCH")
    stray_claim = DeductionRow(
        id="NO-OM-1",
        asset_id="NO-SUCH",
        kind=DeductionKind.OPERATION_MAINTENANCE,
        amount=Money.yuan("1"),
        period=income.deductions[0].period,
    )
    outcome = import_income(stored.uow(), [stray_entry], [stray_claim], recorded_at=FIRST)
    assert (outcome.revenue_entries, outcome.deductions) == (0, 0)
    assert [e.id for e in outcome.unknown_asset_entries] == ["NO-R-1"]
    assert [c.id for c in outcome.unknown_asset_claims] == ["NO-OM-1"]


def _pairs():
    roster = read_roster(sample_path("sample_households.csv"))
    return [(p.admin_code, h) for p, h in zip(roster.parties, roster.households, strict=True)]


def test_a_roster_imports_as_snapshots_and_again_stores_nothing(stored) -> None:
    snapshots = roster_snapshots(_pairs(), known_on=date(2020, 4, 30), recorded_at=FIRST)
    assert [(s.id, len(s.households)) for s in snapshots] == [("ROSTER-620822000000-2020-04-30", 61)]
    first = import_roster(stored.uow(), snapshots)
    assert (first.stored, first.corrections) == (1, 0)
    later = roster_snapshots(_pairs(), known_on=date(2020, 4, 30), recorded_at=LATER)
    assert import_roster(stored.uow(), later).stored == 0
    with stored.uow() as uow:
        in_force = uow.rosters.latest("620822000000", on=date(2020, 5, 1))
        assert in_force is not None
        assert in_force.get("LT-H001").days_worked == 23


def test_a_changed_roster_of_the_same_day_is_a_correction(stored) -> None:
    import_roster(stored.uow(), roster_snapshots(_pairs(), known_on=date(2020, 4, 30), recorded_at=FIRST))
    pairs = _pairs()
    code, household = pairs[0]
    pairs[0] = (code, attrs.evolve(household, days_worked=24))  # the clerk corrects LT-H001's days
    changed = roster_snapshots(pairs, known_on=date(2020, 4, 30), recorded_at=LATER)
    outcome = import_roster(stored.uow(), changed)
    assert (outcome.stored, outcome.corrections) == (1, 1)
    with stored.uow() as uow:
        (current,) = uow.rosters.list()
        assert (current.id, current.supersedes) == (
            "ROSTER-620822000000-2020-04-30@2",
            "ROSTER-620822000000-2020-04-30",
        )
        assert current.get("LT-H001").days_worked == 24
        (before,) = uow.rosters.list(known_at=FIRST)
        assert before.get("LT-H001").days_worked == 23


def test_a_roster_for_a_stated_area_refuses_a_household_outside_it() -> None:
    with pytest.raises(InvalidValue) as info:
        roster_snapshots(_pairs(), known_on=date(2020, 4, 30), recorded_at=FIRST, area=AdminCode.parse("620422"))
    assert info.value.message_en == "household LT-H001 lives in 620822000000, outside the roster's area 620422000000"
    (one,) = roster_snapshots(_pairs(), known_on=date(2020, 4, 30), recorded_at=FIRST, area=AdminCode.parse("6208"))
    assert (one.id, one.area.value, len(one.households)) == ("ROSTER-620800000000-2020-04-30", "620800000000", 61)
