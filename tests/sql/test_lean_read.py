"""The lean read path: trusted decoding of rows the adapter wrote, and the compiled read.

Rows stamped with the codec's payload version decode to exactly the events written
(equal, and with the same canonical form the hash chain uses); rows without the stamp,
or with a payload the codec never writes, go through the checking decoder.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from builders import at, full_history, kept, registered

from assetreg.adapters.sql import SqlUnitOfWork, bulk_load
from assetreg.adapters.sql.codec import (
    PAYLOAD_VERSION,
    PAYLOAD_VERSION_KEY,
    event_from_payload,
    event_payload,
)
from assetreg.adapters.sql.rows import event_from_row, stored_payload
from assetreg.adapters.sql.trusted import trusted_event_from_payload
from assetreg.audit.chain import canonical_event
from assetreg.domain.events import (
    Approval,
    ContractEnded,
    CustodyEnded,
    DisposalApproved,
    Disposed,
    HandedOver,
)
from assetreg.domain.history import AssetHistory
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.rights import ContractId
from assetreg.domain.vocab import DisposalMethod, DisposalTrigger
from assetreg.errors import PayloadError, UnknownAsset


def _more_kinds(asset_id: str) -> list:
    common = {"asset_id": asset_id, "effective": date(2024, 3, 1)}
    return [
        HandedOver(**common, recorded_at=at(20), recipient=PartyId("VC-201"), document="移交书 2024-3"),
        HandedOver(**common, recorded_at=at(21)),
        CustodyEnded(**common, recorded_at=at(22)),
        ContractEnded(**common, recorded_at=at(23), contract_id=ContractId("C-1"), reason="到期"),
        DisposalApproved(
            **common,
            recorded_at=at(24),
            method=DisposalMethod.AUCTION,
            trigger=DisposalTrigger.END_OF_LIFE,
            approvals=(Approval(level="township", body="会师镇人民政府", approved_on=date(2024, 2, 1)),),
        ),
        Disposed(**common, recorded_at=at(25), method=DisposalMethod.AUCTION, proceeds=Money(123_456)),
    ]


EVENTS = [*full_history("A1"), *_more_kinds("A1")]


def _columns(event):
    return {
        "event_id": event.event_id,
        "asset_id": event.asset_id,
        "effective": event.effective,
        "recorded_at": event.recorded_at,
        "supersedes": getattr(event, "supersedes", None),
    }


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.kind)
def test_trusted_decoding_gives_back_the_event_written(event):
    payload = json.loads(json.dumps(stored_payload(event)))  # as read back from a JSON column
    assert payload[PAYLOAD_VERSION_KEY] == PAYLOAD_VERSION
    trusted = trusted_event_from_payload(event.kind, payload, **_columns(event))
    checked = event_from_payload(event.kind, payload, **_columns(event))
    assert trusted == checked == event
    assert type(trusted) is type(event)
    assert canonical_event(trusted) == canonical_event(event)  # the chain hashes the same bytes


def test_the_version_is_stamped_only_in_the_stored_row():
    event = kept("A1")
    assert PAYLOAD_VERSION_KEY not in event_payload(event)
    assert stored_payload(event) == {**event_payload(event), PAYLOAD_VERSION_KEY: PAYLOAD_VERSION}


def _row(event, payload):
    return {"kind": event.kind, "payload": payload, **_columns(event)}


def test_a_row_without_the_version_is_checked():
    event = kept("A1")
    bad = {**event_payload(event), "upkeep_budget": "12.00"}  # not fen: the checking decoder refuses it
    with pytest.raises(PayloadError, match="upkeep_budget"):
        event_from_row(_row(event, bad))
    assert event_from_row(_row(event, event_payload(event))) == event


def test_a_stamped_row_the_codec_never_wrote_is_checked_and_refused():
    event = kept("A1")
    odd = {**stored_payload(event), "colour": "red"}
    with pytest.raises(PayloadError, match="unknown field"):
        event_from_row(_row(event, odd))


def test_chain_verification_reads_with_the_checking_decoder():
    event = kept("A1")
    bad = {**stored_payload(event), "upkeep_budget": "12.00"}
    assert event_from_row(_row(event, bad)).upkeep_budget.fen == "12.00"  # trusted: taken as written
    with pytest.raises(PayloadError):
        event_from_row(_row(event, bad), trusted=False)


def test_get_reads_the_history_through_the_compiled_read(sql_engine):
    history = AssetHistory.of(full_history("A1"))
    other = AssetHistory.of([registered("A2")])
    bulk_load(sql_engine, [history, other])
    with SqlUnitOfWork(sql_engine) as uow:
        for _ in range(2):  # the second read reuses the compiled statement
            assert uow.assets.get("A1") == history
        assert uow.assets.get("A2") == other
        with pytest.raises(UnknownAsset):
            uow.assets.get("A3")
    state = history.state(as_of=date(2024, 12, 31))
    with SqlUnitOfWork(sql_engine) as uow:
        assert uow.assets.get("A1").state(as_of=date(2024, 12, 31)) == state


def test_a_stamped_row_missing_a_field_is_checked_and_refused():
    event = kept("A1")
    with pytest.raises(PayloadError, match="custodian"):
        event_from_row(_row(event, {PAYLOAD_VERSION_KEY: PAYLOAD_VERSION, "method": "village_collective"}))
