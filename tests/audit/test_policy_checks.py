"""Checks that read the policy fields of issue 11: P4 owners, the O&M cap (P9), PV pass-on deadlines (P9).

Rules: DESIGN §7 P4 (cross-village projects → township, cross-township projects → county
department, [cfg]) and P9 (O&M cap 0.03 元/W/年; coal-benchmark part passed on quarterly,
subsidy part before the end of Q1 of the next year). Area codes as in ``audit_builders``;
620422101201 (a village under a second township block of 会宁县) is made up for the test.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs
from audit_builders import AS_OF, PARTIES, POLICY, VILLAGE_B, at, eid, good_pv, kept, make_asset, owned, registered

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.events import OwnershipConfirmed
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId, VillageCollective
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import PartyKind
from assetreg.income.revenue import RevenueEntry, RevenueKind

COLLECTIVE_C = VillageCollective(id=PartyId("VC-C"), name="C村股份经济合作社", admin_code=AdminCode("620422101201"))


def run(code, events, *, policy=POLICY, parties=PARTIES, revenue=(), as_of=AS_OF):
    register = AssetRegister.of(parties, events)
    books = AuditBooks(register=register, revenue=tuple(revenue)) if revenue else register
    return tuple(run_checks(books, as_of=as_of, policy=policy, checks=[check_by_code(code)]))


def test_aud204_names_the_policy_owner_and_is_quiet_when_the_county_gives_cross_village_projects_to_villages():
    events = [registered(make_asset("R-1")), owned("R-1", "VC-B"), kept("R-1")]
    (finding,) = run("AUD-204", events)
    assert finding.evidence["owner_area"] == VILLAGE_B.value
    assert finding.evidence["cross_village_owner"] == "township"
    assert "goes to a township" in finding.message_en
    assert "跨村项目应归乡镇" in finding.message_zh
    assert run("AUD-204", events, policy=attrs.evolve(POLICY, cross_village_owner=PartyKind.VILLAGE_COLLECTIVE)) == ()


def _joint(asset_id: str, *holders: str) -> OwnershipConfirmed:
    share = Fraction(1, len(holders))
    return OwnershipConfirmed(
        asset_id=AssetId(asset_id),
        effective=date(2021, 1, 1),
        recorded_at=at(date(2021, 1, 1)),
        event_id=eid(),
        holders=tuple(OwnerShare(PartyId(h), share) for h in holders),
    )


def test_aud202_cross_township_project_owned_by_villages_goes_to_the_policy_owner():
    parties = (*PARTIES, COLLECTIVE_C)
    events = [registered(make_asset("R-1")), _joint("R-1", "VC-A", "VC-C"), kept("R-1")]
    (finding,) = run("AUD-202", events, parties=parties)
    assert finding.evidence["problem"] == "cross_township_owned_by_villages"
    assert finding.evidence["cross_township_owner"] == "county_department"
    assert "goes to a county_department" in finding.message_en
    # villages of one township share a joint project pro rata: no rule broken
    same = [registered(make_asset("R-2")), _joint("R-2", "VC-A", "VC-B"), kept("R-2")]
    assert run("AUD-202", same, parties=parties) == ()
    # a county whose rule gives cross-township projects to the villages
    lenient = attrs.evolve(POLICY, cross_township_owner=PartyKind.VILLAGE_COLLECTIVE)
    assert run("AUD-202", events, parties=parties, policy=lenient) == ()


def test_aud404_evidence_carries_the_om_cap_it_cannot_apply():
    (finding,) = run("AUD-404", good_pv(capacity_kw=None))
    assert finding.evidence["om_cap_per_watt_year"] == "0.03"
    assert "0.03 元/W/year" in finding.message_en
    (uncapped,) = run("AUD-404", good_pv(capacity_kw=None), policy=attrs.evolve(POLICY, om_cap_per_watt_year=None))
    assert uncapped.evidence["om_cap_per_watt_year"] is None
    assert "expected output cannot be computed" in uncapped.message_en


def _pv(entry_id: str, kind: RevenueKind, period: Period, received: date) -> RevenueEntry:
    return RevenueEntry(
        id=entry_id, asset_id="PV-1", kind=kind, amount=Money.yuan("1000"), period=period, received=received
    )


def test_aud608_parts_passed_on_after_their_deadline():
    q3 = Period.quarter(2024, 3)
    revenue = [
        # coal-benchmark part of Q3 2024: due 90 days after 2024-09-30, i.e. 2024-12-29
        _pv("B-ontime", RevenueKind.ELECTRICITY_BENCHMARK, q3, date(2024, 12, 29)),
        _pv("B-late", RevenueKind.ELECTRICITY_BENCHMARK, q3, date(2024, 12, 30)),
        # subsidy part of 2023: due by 2024-03-31
        _pv("S-ontime", RevenueKind.ELECTRICITY_SUBSIDY, Period.year(2023), date(2024, 3, 31)),
        _pv("S-late", RevenueKind.ELECTRICITY_SUBSIDY, Period.year(2023), date(2024, 6, 30)),
    ]
    found = run("AUD-608", good_pv(), revenue=revenue)
    assert [(f.subject, f.evidence["deadline"], f.evidence["days_late"]) for f in found] == [
        ("B-late", "2024-12-29", 1),
        ("S-late", "2024-03-31", 91),
    ]
    # a county allowing the subsidy part until the end of June
    june = attrs.evolve(POLICY, subsidy_part_deadline=(6, 30))
    assert [f.subject for f in run("AUD-608", good_pv(), revenue=revenue, policy=june)] == ["B-late"]
