"""Hash chain over a county's event history: every kind of tampering is named with its position."""

from __future__ import annotations

from datetime import date

import attrs
from audit_builders import good_pv, good_road
from hypothesis import given, settings
from hypothesis import strategies as st

from assetreg.adapters.memory import MemoryStore
from assetreg.audit.chain import (
    ChainLink,
    HashChain,
    ProblemKind,
    canonical_event,
    genesis_hash,
    link_hash,
    verify,
)

COUNTY = "620422"


def stored_chain() -> list[ChainLink]:
    """Events appended through the memory adapter, chained as they are appended."""
    store = MemoryStore()
    chain = HashChain(COUNTY)
    links: list[ChainLink] = []
    for events in (good_road("R-1"), good_road("R-2"), good_pv("PV-1")):
        with store.unit_of_work(check_references=False) as uow:  # the chain, not the parties, is tested
            uow.assets.append(events[0].asset_id, events, expected_version=0)
            uow.commit()
        links.extend(chain.extend(events))
    return links


def kinds(report) -> list[tuple[str, int, int]]:
    return [(p.kind.value, p.position, p.count) for p in report.problems]


def renumber(links: list[ChainLink], start: int, delta: int) -> list[ChainLink]:
    return [attrs.evolve(x, seq=x.seq + delta) if i >= start else x for i, x in enumerate(links)]


def test_intact_chain_verifies_and_exposes_its_head():
    links = stored_chain()
    report = verify(links, county=COUNTY)
    assert report.ok
    assert report.length == 10
    assert report.head == links[-1].hash
    assert [x.seq for x in links] == list(range(1, 11))


def test_genesis_and_link_hash_are_sha256_hex_and_county_specific():
    assert genesis_hash(COUNTY) != genesis_hash("620421")
    links = stored_chain()
    assert len(links[0].hash) == 64
    assert links[0].hash == link_hash(genesis_hash(COUNTY), 1, links[0].event)


def test_canonical_encoding_is_stable_json_with_fen_and_utc():
    event = good_road("R-1")[0]
    text = canonical_event(event).decode()
    assert text.startswith('{"event":{"@type":"AssetRegistered"')
    assert '"original_value":{"fen":10000000}' in text
    assert '"recorded_at":"2025-01-01T' in text
    assert canonical_event(event) == canonical_event(attrs.evolve(event))


def test_edited_event_is_named_at_its_position():
    links = stored_chain()
    links[3] = attrs.evolve(links[3], event=attrs.evolve(links[3].event, note="改过"))
    report = verify(links, county=COUNTY)
    assert kinds(report) == [("edited", 4, 1)]
    assert report.problems[0].event_id == links[3].event.event_id


def test_edited_last_event():
    links = stored_chain()
    links[-1] = attrs.evolve(links[-1], event=attrs.evolve(links[-1].event, effective=date(2021, 1, 2)))
    assert kinds(verify(links, county=COUNTY)) == [("edited", 10, 1)]


def test_deleted_event_leaves_a_gap():
    links = stored_chain()
    del links[4]
    assert kinds(verify(links, county=COUNTY)) == [("deleted", 5, 1)]


def test_deleted_events_with_the_rest_renumbered():
    links = stored_chain()
    del links[4:6]
    links = renumber(links, 4, -2)
    assert kinds(verify(links, county=COUNTY)) == [("deleted", 5, 2)]


def test_inserted_event_claiming_a_taken_position():
    links = stored_chain()
    forged = attrs.evolve(links[2].event, event_id="forged", note="插入")
    links.insert(3, ChainLink(3, forged, "0" * 64))
    assert kinds(verify(links, county=COUNTY)) == [("inserted", 3, 1)]


def test_inserted_event_with_the_rest_renumbered():
    links = stored_chain()
    forged = attrs.evolve(links[2].event, event_id="forged")
    links = renumber(links, 3, +1)
    links.insert(3, ChainLink(4, forged, "0" * 64))
    assert kinds(verify(links, county=COUNTY)) == [("inserted", 4, 1)]


def test_inserted_event_with_a_correct_own_hash():
    links = stored_chain()
    forged = attrs.evolve(links[2].event, event_id="forged")
    links = renumber(links, 3, +1)
    links.insert(3, ChainLink(4, forged, link_hash(links[2].hash, 4, forged)))
    report = verify(links, county=COUNTY)
    assert kinds(report) == [("inserted", 4, 1)]
    assert report.problems[0].event_id == "forged"


def test_swapped_neighbours_are_reordered():
    links = stored_chain()
    a, b = links[5], links[6]
    links[5] = attrs.evolve(b, seq=a.seq)
    links[6] = attrs.evolve(a, seq=b.seq)
    assert kinds(verify(links, county=COUNTY)) == [("reordered", 6, 2)]


def test_position_out_of_order():
    links = stored_chain()
    moved = links.pop(2)
    links.insert(6, moved)
    report = verify(links, county=COUNTY)
    assert ("reordered", 3, 1) in kinds(report)
    assert not report.ok


def test_full_rewrite_is_caught_by_an_anchor_only():
    links = stored_chain()
    anchor = (10, links[-1].hash)
    events = [x.event for x in links]
    events[2] = attrs.evolve(events[2], note="全部重算")
    rewritten = list(HashChain(COUNTY).extend(events))
    assert verify(rewritten, county=COUNTY).ok
    report = verify(rewritten, county=COUNTY, anchor=anchor)
    assert kinds(report) == [("rewritten", 10, 1)]


def test_problems_become_findings():
    links = stored_chain()
    del links[4]
    findings = verify(links, county=COUNTY).to_findings()
    assert [(f.code, f.severity.value, f.evidence["kind"], f.evidence["position"]) for f in findings] == [
        ("AUD-990", "error", "deleted", 5)
    ]


def test_tuples_are_accepted():
    links = stored_chain()
    assert verify([(x.seq, x.event, x.hash) for x in links], county=COUNTY).ok


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=9), st.sampled_from(["edit", "delete"]))
def test_any_single_edit_or_delete_is_found_at_its_position(index, action):
    links = stored_chain()
    if action == "edit":
        links[index] = attrs.evolve(links[index], event=attrs.evolve(links[index].event, note="x"))
        expected = [(ProblemKind.EDITED.value, index + 1, 1)]
    else:
        del links[index]
        expected = [] if index == 9 else [(ProblemKind.DELETED.value, index + 1, 1)]
    assert kinds(verify(links, county=COUNTY)) == expected


def test_deleting_the_last_event_needs_an_anchor():
    links = stored_chain()
    anchor = (10, links[-1].hash)
    del links[-1]
    assert verify(links, county=COUNTY).ok  # nothing after it to notice
    assert kinds(verify(links, county=COUNTY, anchor=anchor)) == [("rewritten", 10, 1)]


def test_problem_messages_in_both_languages():
    links = stored_chain()
    del links[4:6]
    problem = verify(links, county=COUNTY).problems[0]
    assert problem.message("en") == "deleted at position 5 (2 events)"
    assert problem.message("zh") == "第 5 个事件被删除（共 2 个）"
