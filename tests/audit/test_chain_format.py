"""The canonical event encoding is a stored format (chain v1): pin it, so a refactor cannot
silently change every stored hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from fractions import Fraction

from assetreg.audit.chain import CHAIN_VERSION, canonical_event, genesis_hash, link_hash
from assetreg.domain.events import OwnershipConfirmed
from assetreg.domain.rights import OwnerShare


def _event() -> OwnershipConfirmed:
    # a 联村 station owned 1/2, 1/3, 1/6 (DESIGN §6); ids invented for the test
    return OwnershipConfirmed(
        asset_id="PV-1",
        effective=date(2020, 1, 1),
        recorded_at=datetime(2020, 1, 2, 1, 2, 3, 456789, tzinfo=UTC),
        event_id="e2",
        holders=[OwnerShare("V1", Fraction(1, 2)), OwnerShare("V2", "1/3"), OwnerShare("V3", "1/6")],
    )


def test_canonical_encoding_is_sorted_compact_json():
    assert canonical_event(_event()).decode() == (
        '{"event":{"@type":"OwnershipConfirmed","asset_id":"PV-1","document":null,'
        '"effective":"2020-01-01","event_id":"e2","holders":['
        '{"@type":"OwnerShare","holder":"V1","share":"1/2"},'
        '{"@type":"OwnerShare","holder":"V2","share":"1/3"},'
        '{"@type":"OwnerShare","holder":"V3","share":"1/6"}],'
        '"note":null,"recorded_at":"2020-01-02T01:02:03.456789+00:00"},"kind":"ownership_confirmed"}'
    )


def test_link_hash_is_sha256_of_previous_position_and_event():
    previous = genesis_hash("620422")
    assert previous == hashlib.sha256(f"{CHAIN_VERSION}|620422".encode()).hexdigest()
    expected = hashlib.sha256(f"{previous}|1|".encode() + canonical_event(_event())).hexdigest()
    assert link_hash(previous, 1, _event()) == expected


def test_every_sample_event_is_in_sorted_key_order():
    import json

    from assetreg.demo import run_demo

    events = [e for h in run_demo().register.histories.values() for e in h.events]
    assert len(events) == 24
    for event in events:
        encoded = canonical_event(event)
        resorted = json.dumps(json.loads(encoded), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert encoded == resorted.encode("utf-8")
