"""Handover as a two-party act with acceptance and certificates, one act over a project's
assets (移交与颁证, issue 17). Synthetic figures: project P-2021-07 in 会师镇 with three assets
handed by the town (TS-100) to village collective VC-A on 2022-03-01, accepted 2022-03-05.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from assetreg.audit.chain import canonical_event
from assetreg.domain.assets import AssetId
from assetreg.domain.events import HandedOver, hand_over_project, party_references
from assetreg.domain.parties import PartyId
from assetreg.errors import InvalidPeriod, InvalidValue

AT = datetime(2022, 3, 6, 1, 0, tzinfo=UTC)
ASSETS = [AssetId("P7-ROAD"), AssetId("P7-WATER"), AssetId("P7-BARN")]


def _act(**changes: object) -> tuple[HandedOver, ...]:
    fields: dict[str, object] = {
        "effective": date(2022, 3, 1),
        "recorded_at": AT,
        "act_id": "会师镇移交〔2022〕3号",
        "recipient": PartyId("VC-A"),
        "giver": PartyId("TS-100"),
        "accepted_on": date(2022, 3, 5),
        "certificate_numbers": {"P7-ROAD": "会确〔2022〕0107", "P7-BARN": "会确〔2022〕0109"},
        "department": "会宁县乡村振兴局",
        "document": "移交书 2022-3",
    }
    fields.update(changes)
    return hand_over_project(ASSETS, **fields)  # type: ignore[arg-type]


def test_one_act_hands_over_every_asset_of_the_project():
    act = _act()
    assert [(e.asset_id, e.certificate_number) for e in act] == [
        ("P7-ROAD", "会确〔2022〕0107"),
        ("P7-WATER", None),
        ("P7-BARN", "会确〔2022〕0109"),
    ]
    assert {(e.act_id, e.giver, e.recipient, e.accepted_on, e.department) for e in act} == {
        ("会师镇移交〔2022〕3号", "TS-100", "VC-A", date(2022, 3, 5), "会宁县乡村振兴局")
    }
    assert all(e.accepted for e in act)
    assert len({e.event_id for e in act}) == 3
    assert party_references(act[0]) == (("giver", "TS-100"), ("recipient", "VC-A"))


def test_bad_acts_are_refused():
    with pytest.raises(InvalidPeriod) as early:
        _act(accepted_on=date(2022, 2, 28))
    assert (early.value.record, early.value.field) == ("P7-ROAD", "accepted_on")
    with pytest.raises(InvalidValue) as same:
        _act(giver=PartyId("VC-A"))
    assert same.value.field == "giver"
    with pytest.raises(InvalidValue) as stray:
        _act(certificate_numbers={"P9-OTHER": "x"})
    assert (stray.value.field, stray.value.actual) == ("certificate_numbers", ["P9-OTHER"])
    with pytest.raises(InvalidValue):
        hand_over_project([], effective=date(2022, 3, 1), recorded_at=AT, act_id="a", recipient=PartyId("VC-A"))


def test_a_handover_recorded_before_the_new_fields_keeps_its_hash():
    old = HandedOver(
        asset_id=AssetId("A1"), effective=date(2022, 3, 1), recorded_at=AT, event_id="e1", recipient=PartyId("VC-A")
    )
    assert canonical_event(old) == (
        b'{"event":{"@type":"HandedOver","asset_id":"A1","document":null,"effective":"2022-03-01",'
        b'"event_id":"e1","note":null,"recipient":"VC-A","recorded_at":"2022-03-06T01:00:00+00:00"},'
        b'"kind":"handed_over"}'
    )
    assert b'"giver":"TS-100"' in canonical_event(attrs.evolve(old, giver=PartyId("TS-100")))
