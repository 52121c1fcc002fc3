"""Audit findings through the JSON envelope: lossless, floats refused."""

from __future__ import annotations

import pytest

from assetreg.adapters.serde import dumps, loads
from assetreg.audit import Finding
from assetreg.demo import run_demo
from assetreg.errors import PayloadError


def test_demo_findings_round_trip():
    findings = run_demo().findings
    assert findings
    for finding in findings:
        assert loads(dumps(finding)) == finding


def test_evidence_refuses_floats_and_objects():
    finding = Finding(
        code="AUD-606",
        severity="error",
        subject="MC-2021-001",
        message_en="short",
        message_zh="不足",
        rule="P8",
        evidence={"expected": "510990.00", "quarters": 4, "periods": ("2023-11", "2024-01")},
    )
    text = dumps(finding)
    assert '"periods": ["2023-11", "2024-01"]' in text
    assert loads(text).evidence["periods"] == ("2023-11", "2024-01")
    with pytest.raises(PayloadError) as err:
        loads(text.replace('"quarters": 4', '"quarters": 4.5'))
    assert err.value.field == "data.evidence"
    with pytest.raises(PayloadError):
        loads(text.replace('"quarters": 4', '"quarters": {"a": 1}'))
