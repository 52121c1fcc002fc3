"""Evidence of events (档案佐证, issue 17): documents with a SHA-256, linked to events, AUD-961.

The hash vector is the FIPS 180-2 example ("abc" → ba7816bf…15ad, NIST CSRC examples
SHA256.pdf). The register is synthetic: a road handed over on 2022-03-01 whose handover deed
is filed, and a disposal approval without its approval document.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from audit_builders import AS_OF, PARTIES, POLICY, at, eid, kept, make_asset, owned, registered

from assetreg.audit import AuditBooks, run_checks
from assetreg.audit.catalogue import check_by_code
from assetreg.domain.assets import AssetId
from assetreg.domain.events import Approval, DisposalApproved, EvidenceAttached, HandedOver
from assetreg.domain.evidence import Evidence, EvidenceKind, content_hash
from assetreg.domain.parties import PartyId
from assetreg.domain.policy import Policy
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetStatus, DisposalMethod, DisposalTrigger
from assetreg.errors import InvalidChoice, InvalidValue

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
DEED = b"\xe7\xa7\xbb\xe4\xba\xa4\xe4\xb9\xa6 A-1"  # the bytes of a scanned deed (synthetic)

REQUIRE = attrs.evolve(
    POLICY,
    required_evidence=(
        ("handed_over", "handover_deed"),
        ("disposal_approved", "approval"),
        ("disposal_approved", "meeting_minutes"),
    ),
)


def test_content_hash_is_the_published_sha256_vector():
    assert content_hash(b"abc") == ABC_SHA256
    deed = Evidence(kind=EvidenceKind.HANDOVER_DEED, number="会师镇移交〔2022〕3号", sha256=content_hash(DEED))
    assert deed.matches(DEED)
    assert not deed.matches(DEED + b" ")
    assert not Evidence(kind=EvidenceKind.OTHER, number="n").matches(DEED)


def test_bad_evidence_is_refused():
    with pytest.raises(InvalidValue) as err:
        Evidence(kind=EvidenceKind.APPROVAL, number="X", sha256=ABC_SHA256.upper())
    assert (err.value.record, err.value.field) == ("X", "sha256")
    with pytest.raises(InvalidValue) as empty:
        Evidence(kind=EvidenceKind.APPROVAL, number=" ")
    assert empty.value.field == "number"
    with pytest.raises(InvalidValue) as none:
        EvidenceAttached(asset_id=AssetId("A-1"), effective=AS_OF, recorded_at=at(AS_OF), for_event="e1", documents=())
    assert none.value.field == "documents"
    with pytest.raises(InvalidChoice):
        attrs.evolve(POLICY, required_evidence=(("handed_over", "photo"),))


def _books() -> tuple[AuditBooks, HandedOver, DisposalApproved]:
    events = [registered(make_asset("A-1"), status=AssetStatus.COMPLETED), owned("A-1"), kept("A-1")]
    handed = HandedOver(
        asset_id=AssetId("A-1"),
        effective=date(2022, 3, 1),
        recorded_at=at(AS_OF),
        event_id=eid(),
        recipient=PartyId("VC-A"),
    )
    approved = DisposalApproved(
        asset_id=AssetId("A-1"),
        effective=date(2024, 6, 1),
        recorded_at=at(AS_OF),
        event_id=eid(),
        method=DisposalMethod.SCRAP,
        trigger=DisposalTrigger.END_OF_LIFE,
        approvals=(Approval(level="village_assembly", body="A村村民代表大会", approved_on=date(2024, 5, 20)),),
    )
    deed = EvidenceAttached(
        asset_id=AssetId("A-1"),
        effective=date(2022, 3, 2),
        recorded_at=at(AS_OF),
        event_id=eid(),
        for_event=handed.event_id,
        documents=(
            Evidence(kind=EvidenceKind.HANDOVER_DEED, number="会师镇移交〔2022〕3号", sha256=content_hash(DEED)),
        ),
    )
    minutes = EvidenceAttached(
        asset_id=AssetId("A-1"),
        effective=date(2024, 6, 2),
        recorded_at=at(AS_OF),
        event_id=eid(),
        for_event=approved.event_id,
        documents=(Evidence(kind=EvidenceKind.MEETING_MINUTES, number="A村会议纪要2024-5"),),
    )
    register = AssetRegister.of(
        PARTIES, sorted([*events, handed, deed, approved, minutes], key=lambda e: e.recorded_at)
    )
    return AuditBooks(register=register), handed, approved


def test_aud961_an_event_lacking_a_required_document():
    books, _handed, approved = _books()
    found = run_checks(books, as_of=AS_OF, policy=REQUIRE, checks=[check_by_code("AUD-961")])
    assert [(f.subject, f.evidence["event_id"], f.evidence["missing"]) for f in found] == [
        ("A-1", approved.event_id, ("approval",))
    ]
    assert found[0].message_zh == f"资产 A-1：2024-06-01 的变动（事件 {approved.event_id}）缺少批复文件"
    assert found[0].area == "620422100201"


def test_aud961_quiet_when_filed_or_when_the_policy_requires_nothing():
    books, _handed, _approved = _books()
    assert run_checks(books, as_of=AS_OF, policy=POLICY, checks=[check_by_code("AUD-961")]) == ()
    only_handover = attrs.evolve(POLICY, required_evidence=(("handed_over", "handover_deed"),))
    assert run_checks(books, as_of=AS_OF, policy=only_handover, checks=[check_by_code("AUD-961")]) == ()
    # before the disposal approval is effective there is nothing to lack
    assert run_checks(books, as_of=date(2024, 5, 31), policy=REQUIRE, checks=[check_by_code("AUD-961")]) == ()


def test_the_policy_names_required_evidence_as_data():
    policy = Policy.from_mapping({"preset": "national-2021", "required_evidence": [["handed_over", "handover_deed"]]})
    assert policy.required_evidence == (("handed_over", EvidenceKind.HANDOVER_DEED),)
    assert policy.to_mapping()["required_evidence"] == [["handed_over", "handover_deed"]]
