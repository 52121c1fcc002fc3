"""Careless custom checks and arguments: a finding or a coded error, never a traceback from the runner."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from assetreg.audit import CATALOGUE, CRASH_CODE, Finding, run_checks, select_checks
from assetreg.domain.policy import NATIONAL_2021
from assetreg.domain.register import AssetRegister
from assetreg.errors import InvalidValue

if TYPE_CHECKING:
    from collections.abc import Iterable

AS_OF = date(2024, 12, 31)
EMPTY = AssetRegister.of([], [])


def _run(check: Any) -> tuple[Finding, ...]:
    return run_checks(EMPTY, as_of=AS_OF, policy=NATIONAL_2021, checks=[], extra=[check])


def returns_text(books: object, *, as_of: date, policy: object) -> Iterable[Any]:
    return "oops"


def returns_dicts(books: object, *, as_of: date, policy: object) -> Iterable[Any]:
    return [{"code": "X-1"}]


def finding_then_number(books: object, *, as_of: date, policy: object) -> Iterable[Any]:
    yield Finding(code="X-1", severity="warning", subject="A-1", message_en="a", message_zh="甲", rule="custom")
    yield 42


@pytest.mark.parametrize(("check", "yielded"), [(returns_text, "str"), (returns_dicts, "dict")])
def test_a_check_yielding_non_findings_becomes_a_crash_finding(check: Any, yielded: str) -> None:
    # Used to escape the runner as AttributeError: 'str' object has no attribute 'severity'.
    (crash,) = _run(check)
    assert crash.code == CRASH_CODE
    assert crash.subject == f"CUSTOM-{check.__name__}"
    assert dict(crash.evidence) == {"check": f"CUSTOM-{check.__name__}", "exception": "TypeError", "yielded": yielded}
    assert f"yielded a {yielded}, not a Finding" in crash.message_en
    assert "不是检查发现" in crash.message_zh


def test_findings_before_a_bad_item_are_kept() -> None:
    found = _run(finding_then_number)
    assert [(f.code, f.subject) for f in found] == [(CRASH_CODE, "CUSTOM-finding_then_number"), ("X-1", "A-1")]
    assert found[0].evidence["yielded"] == "int"


def test_unknown_class_is_a_coded_error() -> None:
    # Used to be a bare ValueError from the enum.
    with pytest.raises(InvalidValue) as caught:
        run_checks(EMPTY, as_of=AS_OF, policy=NATIONAL_2021, classes=["bogus"])
    assert caught.value.code == "AR-100"
    assert caught.value.field == "classes"
    assert caught.value.actual == "bogus"
    assert caught.value.expected == "public_welfare, operating, household"


def test_unknown_min_severity_is_a_coded_error() -> None:
    with pytest.raises(InvalidValue) as caught:
        run_checks(EMPTY, as_of=AS_OF, policy=NATIONAL_2021, min_severity="fatal")
    assert caught.value.field == "min_severity"
    assert caught.value.expected == "error, warning, info"


def test_one_code_as_text_is_one_prefix_not_its_characters() -> None:
    # codes="AUD-1" used to be read as the prefixes "A", "U", "D", "-", "1": every check.
    assert select_checks(CATALOGUE, "AUD-1") == select_checks(CATALOGUE, ["AUD-1"])
    assert all(c.code.startswith("AUD-1") for c in select_checks(CATALOGUE, "AUD-1"))
    assert select_checks(CATALOGUE, "AUD-1") != select_checks(CATALOGUE, None)


def test_empty_register_gives_no_findings() -> None:
    assert run_checks(EMPTY, as_of=AS_OF, policy=NATIONAL_2021) == ()
