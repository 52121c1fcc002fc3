"""Each register check: one case that triggers it and one that does not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from audit_builders import (
    AS_OF,
    COLLECTIVE_A,
    PARTIES,
    POLICY,
    VILLAGE_A,
    VILLAGE_B,
    at,
    contract,
    eid,
    good_pv,
    good_road,
    kept,
    make_asset,
    owned,
    registered,
)

from assetreg.audit import AuditBooks, Finding, Severity, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId, FundingLine, Project
from assetreg.domain.codes import AdminCode, CreditCode, ResidentId, _credit_check_char
from assetreg.domain.events import (
    Approval,
    CustodianAssigned,
    DisposalApproved,
    Disposed,
    StatusChanged,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import Enterprise, Household, PartyId
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import ContractTerms, GuaranteedReturn
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    FundingSource,
    HouseholdStatus,
)

SALE_PRICE = Money.yuan("20000")
CHAIN = ("village_assembly", "township", "county_rural_revitalisation", "county_finance")


def run(code: str, events, parties=PARTIES, as_of: date = AS_OF, policy=POLICY) -> tuple[Finding, ...]:
    register = AssetRegister.of(parties, events)
    return tuple(run_checks(register, as_of=as_of, policy=policy, checks=[check_by_code(code)]))


def subjects(findings) -> list[str]:
    return [f.subject for f in findings]


def status(asset_id: str, value: AssetStatus, on: date) -> StatusChanged:
    return StatusChanged(asset_id=AssetId(asset_id), effective=on, recorded_at=at(on), event_id=eid(), status=value)


def approvals(levels=CHAIN, on: date = date(2024, 3, 1)) -> tuple[Approval, ...]:
    return tuple(Approval(level=lv, body=lv, approved_on=on) for lv in levels)


def dispose(
    asset_id: str,
    method=DisposalMethod.AUCTION,
    proceeds=SALE_PRICE,
    to="VC-A",
    levels=CHAIN,
):
    return [
        DisposalApproved(
            asset_id=AssetId(asset_id),
            effective=date(2024, 3, 1),
            recorded_at=at(date(2024, 3, 1)),
            event_id=eid(),
            method=method,
            trigger=DisposalTrigger.END_OF_LIFE,
            approvals=approvals(levels),
        ),
        Disposed(
            asset_id=AssetId(asset_id),
            effective=date(2024, 4, 1),
            recorded_at=at(date(2024, 4, 1)),
            event_id=eid(),
            method=method,
            proceeds=proceeds,
            proceeds_to=None if to is None else PartyId(to),
        ),
    ]


def test_clean_register_has_no_findings_in_the_whole_catalogue():
    register = AssetRegister.of(PARTIES, [*good_road("R-1"), *good_pv("PV-1")])
    assert run_checks(register, as_of=AS_OF, policy=POLICY) == ()


# -- AUD-001 ---------------------------------------------------------------------------
def test_aud001_broken_history_becomes_a_finding():
    asset = make_asset("R-1")
    # built around the API: a status change before the registration cannot fold
    bad = AssetHistory(AssetId("R-1"), (status("R-1", AssetStatus.IDLE, date(2020, 1, 1)), registered(asset)))
    register = AssetRegister(parties={p.id: p for p in PARTIES}, histories={AssetId("R-1"): bad})
    found = run_checks(register, as_of=AS_OF, policy=POLICY, checks=[check_by_code("AUD-001")])
    assert [(f.code, f.subject, f.evidence["error_type"], f.evidence["error_code"]) for f in found] == [
        ("AUD-001", "R-1", "HistoryError", "AR-200")
    ]
    assert found[0].area == VILLAGE_A.value


def test_aud001_quiet_for_legal_histories():
    assert run("AUD-001", good_road()) == ()


# -- AUD-101 ---------------------------------------------------------------------------
def test_aud101_road_in_use_without_custodian():
    asset = make_asset("R-1")
    found = run("AUD-101", [registered(asset), owned("R-1")])
    assert subjects(found) == ["R-1"]
    assert found[0].severity is Severity.ERROR
    assert found[0].rule == "P5"
    assert found[0].evidence == {
        "asset_class": "public_welfare",
        "last_custodian": None,
        "last_custody_end": None,
        "status": "in_use",
    }


def test_aud101_expired_agreement_leaves_asset_without_custodian():
    asset = make_asset("R-1")
    events = [registered(asset), owned("R-1"), kept("R-1", valid_to=date(2024, 1, 1))]
    found = run("AUD-101", events)
    assert found[0].evidence["last_custodian"] == "VC-A"
    assert found[0].evidence["last_custody_end"] == "2024-01-01"
    assert run("AUD-101", events, as_of=date(2023, 12, 31)) == ()


def test_aud101_quiet_for_household_assets_and_kept_assets():
    livestock = make_asset("L-1", asset_class=AssetClass.HOUSEHOLD, kind=AssetKind.LIVESTOCK)
    assert run("AUD-101", [registered(livestock), owned("L-1", "H-1"), *good_road("R-1")]) == ()


# -- AUD-102 ---------------------------------------------------------------------------
def test_aud102_agreement_running_past_the_next_start():
    asset = make_asset("R-1")
    events = [
        registered(asset),
        owned("R-1"),
        kept("R-1", "VC-A", on=date(2021, 1, 1), valid_to=date(2023, 1, 1)),
        kept("R-1", "H-1", on=date(2022, 7, 1), method=CustodyMethod.PUBLIC_WELFARE_POST),
    ]
    found = run("AUD-102", events)
    assert subjects(found) == ["R-1"]
    assert found[0].evidence["overlap_days"] == 184
    assert found[0].evidence["second_custodian"] == "H-1"


def test_aud102_handover_after_open_agreement_is_not_an_overlap():
    asset = make_asset("R-1")
    events = [
        registered(asset),
        owned("R-1"),
        kept("R-1", "VC-A"),
        kept("R-1", "H-1", on=date(2022, 7, 1)),
    ]
    assert run("AUD-102", events) == ()


# -- AUD-103 ---------------------------------------------------------------------------
def test_aud103_unknown_custodian():
    found = run("AUD-103", [*good_road("R-1")[:2], kept("R-1", "NOBODY")])
    assert [(f.subject, f.evidence["role"], f.evidence["party"]) for f in found] == [("R-1", "custodian", "NOBODY")]


def test_aud103_quiet_when_parties_known():
    assert run("AUD-103", good_pv()) == ()


# -- AUD-201 ---------------------------------------------------------------------------
def test_aud201_in_use_without_ownership():
    asset = make_asset("R-1")
    found = run("AUD-201", [registered(asset), kept("R-1")])
    assert subjects(found) == ["R-1"]


def test_aud201_quiet_before_hand_over():
    asset = make_asset("R-1")
    assert run("AUD-201", [registered(asset, status=AssetStatus.UNDER_CONSTRUCTION)]) == ()


# -- AUD-202 ---------------------------------------------------------------------------
def test_aud202_public_welfare_owned_by_a_household():
    found = run("AUD-202", [registered(make_asset("R-1")), owned("R-1", "H-1"), kept("R-1")])
    assert [(f.subject, f.evidence["problem"]) for f in found] == [("R-1", "collective_asset_owned_by_household")]


def test_aud202_quiet_for_collective_owner():
    assert run("AUD-202", good_road()) == ()


# -- AUD-203 ---------------------------------------------------------------------------
def test_aud203_household_asset_owned_by_collective():
    cow = make_asset("L-1", asset_class=AssetClass.HOUSEHOLD, kind=AssetKind.LIVESTOCK, form=AssetForm.BIOLOGICAL)
    found = run("AUD-203", [registered(cow), owned("L-1", "VC-A")])
    assert [(f.subject, f.evidence["owners"], f.evidence["owner_kinds"]) for f in found] == [
        ("L-1", ("VC-A",), ("village_collective",))
    ]


def test_aud203_quiet_when_household_owns():
    cow = make_asset("L-1", asset_class=AssetClass.HOUSEHOLD, kind=AssetKind.LIVESTOCK, form=AssetForm.BIOLOGICAL)
    assert run("AUD-203", [registered(cow), owned("L-1", "H-1")]) == ()


# -- AUD-204 ---------------------------------------------------------------------------
def test_aud204_owned_by_another_village_collective():
    found = run("AUD-204", [registered(make_asset("R-1")), owned("R-1", "VC-B"), kept("R-1")])
    assert [(f.subject, f.evidence["owner_area"]) for f in found] == [("R-1", VILLAGE_B.value)]


def test_aud204_quiet_for_own_village():
    assert run("AUD-204", good_road()) == ()


# -- AUD-301 / AUD-302 -----------------------------------------------------------------
def test_aud301_funding_differs_from_original_value():
    asset = make_asset("R-1", funding=(FundingLine(FundingSource.LINKAGE_FUND, Money.yuan("90000")),))
    # AssetHistory(...) directly: as a loader that skips the API's funding check would
    register = AssetRegister(
        parties={p.id: p for p in PARTIES},
        histories={AssetId("R-1"): AssetHistory(AssetId("R-1"), (registered(asset), owned("R-1"), kept("R-1")))},
    )
    found = run_checks(register, as_of=AS_OF, policy=POLICY, checks=[check_by_code("AUD-301")])
    assert found[0].evidence == {
        "difference": "10000.00",
        "funding_total": "90000.00",
        "original_value": "100000.00",
    }


def test_aud301_quiet_when_lines_add_up():
    assert run("AUD-301", good_road()) == ()


def test_aud302_no_funding_lines():
    found = run("AUD-302", good_road(funding=()))
    assert subjects(found) == ["A-1"]


def test_aud302_quiet_with_funding():
    assert run("AUD-302", good_road()) == ()


# -- AUD-303 / AUD-304 / AUD-305 -------------------------------------------------------
def test_aud303_before_scope_start_year():
    old = good_road(project=Project(code="P-1", name="老项目", year=2010))
    found = run("AUD-303", old)
    assert found[0].evidence == {
        "scope_start_year": 2012,
        "sources": ("linkage_fund",),
        "year": 2010,
    }
    assert found[0].severity is Severity.INFO


def test_aud303_quiet_in_scope():
    assert run("AUD-303", good_road()) == ()


def test_aud304_pv_station_registered_as_public_welfare():
    found = run("AUD-304", good_road(kind=AssetKind.PV_STATION, capacity_kw=Decimal(100)))
    assert found[0].evidence == {
        "asset_class": "public_welfare",
        "default_class": "operating",
        "kind": "pv_station",
    }


def test_aud304_quiet_for_default_class():
    assert run("AUD-304", good_road()) == ()


def test_aud305_fixed_asset_under_500_yuan_per_unit():
    cheap = Money.yuan("4000")
    found = run(
        "AUD-305",
        good_road(
            original_value=cheap,
            quantity=Decimal(10),
            unit="台",
            funding=(FundingLine(FundingSource.LINKAGE_FUND, cheap),),
        ),
    )
    assert found[0].evidence == {
        "original_value": "4000.00",
        "quantity": "10",
        "threshold": "500.00",
    }


def test_aud305_quiet_at_500_yuan_per_unit():
    value = Money.yuan("5000")
    assert (
        run(
            "AUD-305",
            good_road(
                original_value=value,
                quantity=Decimal(10),
                funding=(FundingLine(FundingSource.LINKAGE_FUND, value),),
            ),
        )
        == ()
    )


# -- AUD-401 .. AUD-404 -------------------------------------------------------------------
def test_aud401_operating_asset_after_contract_term():
    events = [
        *good_pv()[:3],
        contract("PV-1", "C-1", term=Period(date(2019, 1, 1), date(2024, 1, 1)), on=date(2021, 1, 1)),
    ]
    found = run("AUD-401", events)
    assert found[0].evidence == {"contracts": 1, "last_contract_end": "2024-01-01"}
    assert run("AUD-401", events, as_of=date(2023, 12, 31)) == ()


def test_aud401_quiet_with_live_contract():
    assert run("AUD-401", good_pv()) == ()


def test_aud402_contract_without_money_terms():
    events = [*good_pv()[:3], contract("PV-1", "C-1", terms=ContractTerms())]
    assert subjects(run("AUD-402", events)) == ["PV-1"]


def test_aud402_quiet_with_rent():
    assert run("AUD-402", good_pv()) == ()


def test_aud403_floor_rate_below_six_percent():
    floor = GuaranteedReturn(rate="3%", base=Money.wan("100"))
    found = run(
        "AUD-403",
        [*good_pv()[:3], contract("PV-1", "C-1", terms=ContractTerms(guaranteed_return=floor))],
    )
    assert found[0].evidence == {"contract": "C-1", "high": "1/10", "low": "3/50", "rate": "3/100"}
    assert "3%" in found[0].message_en


def test_aud403_quiet_at_six_percent():
    floor = GuaranteedReturn(rate="6%", base=Money.wan("851.65"))
    assert (
        run(
            "AUD-403",
            [*good_pv()[:3], contract("PV-1", "C-1", terms=ContractTerms(guaranteed_return=floor))],
        )
        == ()
    )


def test_aud404_pv_without_capacity():
    assert subjects(run("AUD-404", good_pv(capacity_kw=None))) == ["PV-1"]


def test_aud404_quiet_with_capacity():
    assert run("AUD-404", good_pv()) == ()


# -- AUD-501 / AUD-502 ---------------------------------------------------------------
def test_aud501_idle_for_more_than_180_days():
    events = [*good_road(), status("A-1", AssetStatus.IDLE, date(2024, 6, 1))]
    found = run("AUD-501", events)
    assert found[0].evidence == {"days": 213, "limit_days": 180, "since": "2024-06-01"}
    assert run("AUD-501", events, as_of=date(2024, 11, 28)) == ()  # day 180


def test_aud501_quiet_after_return_to_use():
    events = [
        *good_road(),
        status("A-1", AssetStatus.IDLE, date(2023, 1, 1)),
        status("A-1", AssetStatus.IN_USE, date(2024, 1, 1)),
    ]
    assert run("AUD-501", events) == ()


def test_aud502_damaged_without_repair():
    events = [*good_road(), status("A-1", AssetStatus.DAMAGED, date(2023, 7, 1))]
    assert run("AUD-502", events)[0].evidence["days"] == 549


def test_aud502_quiet_after_repair():
    events = [
        *good_road(),
        status("A-1", AssetStatus.DAMAGED, date(2023, 7, 1)),
        status("A-1", AssetStatus.IN_USE, date(2023, 9, 1)),
    ]
    assert run("AUD-502", events) == ()


# -- AUD-503 .. AUD-505 ----------------------------------------------------------------
def test_aud503_county_finance_missing():
    found = run("AUD-503", [*good_road(), *dispose("A-1", levels=CHAIN[:3])])
    assert found[0].evidence["missing"] == ("county_finance",)
    assert found[0].evidence["out_of_order"] is False


def test_aud503_quiet_with_full_chain():
    assert run("AUD-503", [*good_road(), *dispose("A-1")]) == ()


def test_aud504_auction_without_proceeds():
    found = run("AUD-504", [*good_road(), *dispose("A-1", proceeds=Money(0))])
    assert found[0].evidence == {
        "disposed_on": "2024-04-01",
        "method": "auction",
        "proceeds": "0.00",
    }


def test_aud504_quiet_for_scrapping_without_proceeds():
    assert (
        run(
            "AUD-504",
            [*good_road(), *dispose("A-1", method=DisposalMethod.SCRAP, proceeds=Money(0))],
        )
        == ()
    )


def test_aud505_proceeds_to_an_enterprise():
    ent = Enterprise(id=PartyId("E-1"), name="某公司", admin_code=VILLAGE_A)
    found = run("AUD-505", [*good_road(), *dispose("A-1", to="E-1")], parties=(*PARTIES, ent))
    assert found[0].evidence == {
        "proceeds": "20000.00",
        "proceeds_to": "E-1",
        "recipient_kind": "enterprise",
    }


def test_aud505_proceeds_without_recipient_and_quiet_for_collective():
    assert subjects(run("AUD-505", [*good_road(), *dispose("A-1", to=None)])) == ["A-1"]
    assert run("AUD-505", [*good_road(), *dispose("A-1")]) == ()


# -- AUD-901 .. AUD-905 ----------------------------------------------------------------
VALID_CREDIT = "91350100M000100Y43"  # the GB 32100 example code
VALID_ID = "11010519491231002X"  # the GB 11643 example number


def _bypass(cls, **fields):
    """Build a code object around its validator, as a careless loader might."""
    obj = object.__new__(cls)
    for k, v in fields.items():
        object.__setattr__(obj, k, v)
    return obj


def test_aud901_invalid_credit_code():
    bad = _bypass(CreditCode, value="91350100M000100Y44")
    party = attrs.evolve(COLLECTIVE_A, credit_code=None)
    object.__setattr__(party, "credit_code", bad)
    found = run("AUD-901", good_road(), parties=(party, *PARTIES[1:]))
    assert [(f.subject, f.subject_kind.value, f.evidence["expected"]) for f in found] == [
        ("VC-A", "party", "check character 3")
    ]


def test_aud901_quiet_for_valid_code():
    party = attrs.evolve(COLLECTIVE_A, credit_code=CreditCode(VALID_CREDIT))
    assert run("AUD-901", good_road(), parties=(party, *PARTIES[1:])) == ()


def test_aud902_invalid_resident_id_is_reported_masked():
    bad = _bypass(ResidentId, value="110105194912310021")
    household = Household(id=PartyId("H-9"), name="农户C", admin_code=VILLAGE_A, size=1, status=HouseholdStatus.LIFTED)
    object.__setattr__(household, "head_resident_id", bad)
    found = run("AUD-902", good_road(), parties=(*PARTIES, household))
    assert subjects(found) == ["H-9"]
    text = found[0].message_en + found[0].message_zh + str(dict(found[0].evidence))
    assert "110105194912310021" not in text


def test_aud902_quiet_for_valid_id():
    household = Household(
        id=PartyId("H-9"),
        name="农户C",
        admin_code=VILLAGE_A,
        size=1,
        status=HouseholdStatus.LIFTED,
        head_resident_id=ResidentId(VALID_ID),
    )
    assert run("AUD-902", good_road(), parties=(*PARTIES, household)) == ()


def test_aud903_credit_code_from_another_area():
    party = attrs.evolve(COLLECTIVE_A, credit_code=CreditCode(VALID_CREDIT))  # issued in 350100 (福州市)
    found = run("AUD-903", good_road(), parties=(party, *PARTIES[1:]))
    assert found[0].evidence == {"admin_code": VILLAGE_A.value, "credit_code_area": "350100"}


def test_aud903_quiet_for_code_of_own_prefecture():
    body = "93620400MA0000001"  # a Baiyin (6204) cooperative-style code, check char computed
    party = attrs.evolve(COLLECTIVE_A, credit_code=CreditCode(body + _credit_check_char(body)))
    assert run("AUD-903", good_road(), parties=(party, *PARTIES[1:])) == ()


def test_aud904_invalid_area_code_on_asset():
    bad = _bypass(AdminCode, value="990422100201")
    asset = make_asset("R-1")
    object.__setattr__(asset, "location", bad)
    found = run("AUD-904", [registered(asset), owned("R-1"), kept("R-1")])
    assert [(f.subject, f.evidence["code"]) for f in found] == [("R-1", "990422100201")]


def test_aud904_quiet_for_valid_codes():
    assert run("AUD-904", good_road()) == ()


def test_aud905_same_resident_id_on_two_households():
    rid = ResidentId(VALID_ID)
    h1 = attrs.evolve(PARTIES[2], head_resident_id=rid)
    h2 = attrs.evolve(PARTIES[3], head_resident_id=rid)
    found = run("AUD-905", good_road(), parties=(PARTIES[0], PARTIES[1], h1, h2))
    assert subjects(found) == ["H-1", "H-2"]
    assert found[0].evidence == {"households": ("H-1", "H-2"), "masked_id": "110105********002X"}


def test_aud905_quiet_for_distinct_ids():
    h1 = attrs.evolve(PARTIES[2], head_resident_id=ResidentId(VALID_ID))
    assert run("AUD-905", good_road(), parties=(PARTIES[0], PARTIES[1], h1, PARTIES[3])) == ()


# -- AUD-951 ---------------------------------------------------------------------------
def test_aud951_same_name_place_value_project():
    project = Project(code="P-7", name="道路硬化", year=2020)
    events = [
        *good_road("R-1", name="通村路", project=project),
        *good_road("R-2", name="通村路 ", project=project),
    ]
    found = run("AUD-951", events)
    assert subjects(found) == ["R-1", "R-2"]
    assert found[0].evidence["assets"] == ("R-1", "R-2")


def test_aud951_quiet_when_values_differ():
    project = Project(code="P-7", name="道路硬化", year=2020)
    other = Money.yuan("100000.01")
    events = [
        *good_road("R-1", name="通村路", project=project),
        *good_road(
            "R-2",
            name="通村路",
            project=project,
            original_value=other,
            funding=(FundingLine(FundingSource.LINKAGE_FUND, other),),
        ),
    ]
    assert run("AUD-951", events) == ()


def test_custody_events_unused_import_guard():
    # CustodianAssigned is the event behind AUD-101/102; keep the import honest
    assert CustodianAssigned.__name__ == "CustodianAssigned"
    assert AuditBooks.of(AssetRegister.empty()).register == AssetRegister.empty()
