"""Checks of an asset's paper trail (档案佐证), issue 17.

``Policy.required_evidence`` names, per kind of event, the documents it needs (an approval
for a disposal approval, a handover deed for a handover…); documents reach an event through
:class:`~assetreg.domain.events.EvidenceAttached` events naming it. AUD-961 reports each
event effective by ``as_of`` that lacks a required kind of document. The policy presets name
none (no public rule lists them per event), so the check is quiet until a county sets them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from assetreg.audit.checks import check
from assetreg.audit.findings import Finding, Severity
from assetreg.domain.events import AssetRegistered, EvidenceAttached

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from assetreg.audit.books import AuditBooks
    from assetreg.domain.evidence import EvidenceKind
    from assetreg.domain.policy import Policy

__all__ = ["EVIDENCE_CHECKS"]


@check(
    code="AUD-961",
    title_en="Event without the evidence its policy requires",
    title_zh="资产变动缺少规定的佐证材料",
    rule="§4",
    severity=Severity.WARNING,
    params=("required_evidence",),
)
def evidence_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Each event of a kind ``policy.required_evidence`` names, lacking a required document."""
    required: dict[str, set[EvidenceKind]] = defaultdict(set)
    for event_kind, evidence_kind in policy.required_evidence:
        required[event_kind].add(evidence_kind)
    if not required:
        return
    for asset_id in sorted(books.register):
        history = books.register.history(asset_id)
        events = [e for e in history.known(books.known_at) if e.effective <= as_of]
        attached: dict[str, set[EvidenceKind]] = defaultdict(set)
        for e in events:
            if isinstance(e, EvidenceAttached):
                attached[e.for_event].update(d.kind for d in e.documents)
        area = next((e.asset.location.value for e in events if isinstance(e, AssetRegistered)), None)
        for e in events:
            missing = sorted(required.get(e.kind, set()) - attached[e.event_id], key=lambda k: k.value)
            if not missing:
                continue
            yield evidence_missing.finding(
                asset_id,
                f"asset {asset_id}: {e.kind} of {e.effective.isoformat()} (event {e.event_id}) lacks "
                f"{', '.join(k.value for k in missing)}",
                f"资产 {asset_id}：{e.effective.isoformat()} 的变动（事件 {e.event_id}）缺少"
                f"{'、'.join(k.label_zh for k in missing)}",
                evidence={"event_id": e.event_id, "event_kind": e.kind, "missing": [k.value for k in missing]},
                area=area,
            )


EVIDENCE_CHECKS = (evidence_missing,)
"""The paper-trail checks, in code order."""
