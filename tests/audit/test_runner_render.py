"""The runner (ordering, crashes, filters, custom checks) and the renderers."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from audit_builders import AS_OF, PARTIES, POLICY, good_pv, good_road, make_asset, owned, registered
from hypothesis import given, settings
from hypothesis import strategies as st

from assetreg.audit import (
    CATALOGUE,
    AuditBooks,
    Finding,
    Severity,
    catalogue_table,
    check,
    findings_from_json,
    has_errors,
    render_csv,
    render_json,
    render_table,
    run_checks,
)
from assetreg.domain.codes import AdminCode
from assetreg.domain.register import AssetRegister
from assetreg.domain.vocab import AssetClass, AssetKind


def messy_register() -> AssetRegister:
    other_town = AdminCode("620422200201")
    return AssetRegister.of(
        PARTIES,
        [
            registered(make_asset("R-9")),  # no owner (AUD-201), no custodian (AUD-101)
            *good_road("R-2", funding=()),  # AUD-302
            registered(make_asset("R-5", location=other_town)),  # AUD-101, AUD-201 in another town
            *good_pv("PV-1", capacity_kw=None),  # AUD-404
        ],
    )


def test_catalogue_has_unique_codes_and_bilingual_titles():
    metas = catalogue_table()
    codes = [m.code for m in metas]
    assert len(codes) == len(set(codes)) >= 25
    assert codes == sorted(codes)
    assert all(m.title_en and m.title_zh and m.rule for m in metas)
    assert len(CATALOGUE) == len(metas)


def test_findings_are_sorted_by_severity_code_subject():
    found = run_checks(messy_register(), as_of=AS_OF, policy=POLICY)
    assert [(f.severity.value, f.code, f.subject) for f in found] == [
        ("error", "AUD-101", "R-5"),
        ("error", "AUD-101", "R-9"),
        ("warning", "AUD-201", "R-5"),
        ("warning", "AUD-201", "R-9"),
        ("warning", "AUD-302", "R-2"),
        ("warning", "AUD-404", "PV-1"),
    ]
    assert has_errors(found)


def test_filters_by_area_prefix_class_and_code():
    register = messy_register()
    in_town = run_checks(register, as_of=AS_OF, policy=POLICY, prefix="620422100")
    assert "R-5" not in {f.subject for f in in_town}
    operating = run_checks(register, as_of=AS_OF, policy=POLICY, classes=[AssetClass.OPERATING])
    assert {f.subject for f in operating} == {"PV-1"}
    only_2 = run_checks(register, as_of=AS_OF, policy=POLICY, codes=["AUD-2"])
    assert {f.code for f in only_2} == {"AUD-201"}
    errors_only = run_checks(register, as_of=AS_OF, policy=POLICY, min_severity="error")
    assert {f.severity for f in errors_only} == {Severity.ERROR}


def test_as_of_before_registration_sees_nothing():
    assert run_checks(messy_register(), as_of=date(2020, 12, 31), policy=POLICY) == ()


def test_crashing_check_becomes_a_finding_and_keeps_earlier_findings():
    @check(code="X-1", title_en="Explodes", title_zh="出错", rule="custom", severity="warning")
    def explodes(books, *, as_of, policy):
        yield explodes.finding("R-9", "first", "第一条")
        raise KeyError("boom 620422********1234")

    found = run_checks(messy_register(), as_of=AS_OF, policy=POLICY, checks=[explodes])
    assert [(f.code, f.subject, f.severity.value) for f in found] == [
        ("AUD-000", "X-1", "error"),
        ("X-1", "R-9", "warning"),
    ]
    crash = found[0]
    assert crash.evidence == {"check": "X-1", "exception": "KeyError"}
    assert "1234" not in crash.message_en + crash.message_zh


def test_custom_check_next_to_the_catalogue():
    @check(
        code="CUST-001",
        title_en="Roads over 50,000 yuan",
        title_zh="原值超过5万元的道路",
        rule="custom",
        severity="info",
    )
    def big_roads(books, *, as_of, policy):
        for facts in books.facts(as_of):
            if facts.asset.kind is AssetKind.ROAD and facts.asset.original_value.fen > 5_000_000:
                yield big_roads.finding(
                    facts.asset_id,
                    "big road",
                    "大额道路",
                    evidence={"value": facts.asset.original_value},
                )

    register = AssetRegister.of(PARTIES, good_road("R-1"))
    found = run_checks(register, as_of=AS_OF, policy=POLICY, extra=[big_roads])
    assert [(f.code, f.subject, f.rule, f.evidence["value"]) for f in found] == [
        ("CUST-001", "R-1", "custom", "100000.00")
    ]


def test_plain_function_as_a_check():
    def no_owner_anywhere(books, *, as_of, policy):
        """Assets without owners."""
        for facts in books.facts(as_of):
            if not facts.owners:
                yield Finding(
                    code="MY-1",
                    severity="info",
                    subject=facts.asset_id,
                    message_en="x",
                    message_zh="x",
                    rule="P4",
                )

    register = AssetRegister.of(PARTIES, [registered(make_asset("R-1"))])
    found = run_checks(register, as_of=AS_OF, policy=POLICY, checks=[no_owner_anywhere])
    assert [(f.code, f.subject) for f in found] == [("MY-1", "R-1")]


def test_books_wrap_a_register_and_known_at_limits_what_is_seen():
    register = AssetRegister.of(PARTIES, [registered(make_asset("R-1")), owned("R-1")])
    books = AuditBooks.of(register)
    assert AuditBooks.of(books) is books
    first = register.history("R-1").events[0].recorded_at
    found = run_checks(books, as_of=AS_OF, policy=POLICY, codes=["AUD-201"], known_at=first)
    assert [f.subject for f in found] == ["R-1"]  # the ownership was not yet recorded
    assert run_checks(books, as_of=AS_OF, policy=POLICY, codes=["AUD-201"]) == ()
    with pytest.raises(TypeError):
        AuditBooks.of("register")  # type: ignore[arg-type]


def test_float_evidence_is_refused():
    with pytest.raises(TypeError):
        Finding(
            code="X",
            severity="info",
            subject="s",
            message_en="",
            message_zh="",
            rule="r",
            evidence={"v": 0.1},
        )


# -- renderers -------------------------------------------------------------------------
def test_table_aligns_columns_in_english_and_chinese():
    found = run_checks(messy_register(), as_of=AS_OF, policy=POLICY, codes=["AUD-101", "AUD-302"])
    en = render_table(found, lang="en").splitlines()
    assert en[0].split() == ["Severity", "Code", "Subject", "Rule", "Message"]
    assert en[1].startswith("error     AUD-101  R-5      P5    public_welfare asset R-5 is in_use")
    assert en[-1] == "3 findings: 2 errors, 1 warnings, 0 info"
    zh = render_table(found, lang="zh").splitlines()
    assert zh[0] == "级别  代码     对象  规则  说明"
    assert zh[1].startswith("错误  AUD-101  R-5   P5    公益性资产 R-5 在 2024-12-31")
    assert zh[-1] == "共 3 条：错误 2，警告 1，提示 0"
    with pytest.raises(ValueError):
        render_table(found, lang="fr")


def test_json_schema_and_round_trip():
    found = run_checks(messy_register(), as_of=AS_OF, policy=POLICY)
    text = render_json(found, as_of=AS_OF, policy=POLICY.name)
    doc = json.loads(text)
    assert list(doc) == ["schema", "version", "as_of", "policy", "summary", "findings", "not_run"]
    assert (doc["schema"], doc["version"], doc["as_of"]) == ("assetreg/findings", 1, "2024-12-31")
    assert doc["summary"] == {"error": 2, "warning": 4, "info": 0, "total": 6}
    assert sorted(doc["findings"][0]) == [
        "area",
        "code",
        "evidence",
        "message_en",
        "message_zh",
        "rule",
        "severity",
        "subject",
        "subject_kind",
    ]
    assert findings_from_json(text) == found


def test_csv_has_header_and_one_row_per_finding():
    found = run_checks(messy_register(), as_of=AS_OF, policy=POLICY)
    rows = list(csv.reader(io.StringIO(render_csv(found))))
    assert rows[0] == [
        "code",
        "severity",
        "subject",
        "subject_kind",
        "area",
        "rule",
        "message_en",
        "message_zh",
        "evidence",
    ]
    assert len(rows) == 7
    assert rows[1][:6] == ["AUD-101", "error", "R-5", "asset", "620422200201", "P5"]
    assert json.loads(rows[1][8]) == {
        "asset_class": "public_welfare",
        "last_custodian": None,
        "last_custody_end": None,
        "status": "in_use",
    }


def test_has_errors_is_false_without_errors():
    assert not has_errors(
        run_checks(messy_register(), as_of=AS_OF, policy=POLICY, min_severity="warning", codes=["AUD-3"])
    )


def test_checks_needing_income_run_only_when_income_is_supplied():
    register = AssetRegister.of(PARTIES, good_pv("PV-1"))
    assert run_checks(register, as_of=AS_OF, policy=POLICY, codes=["AUD-605"]) == ()
    supplied_empty = AuditBooks(register=register, revenue=[])
    assert [f.code for f in run_checks(supplied_empty, as_of=AS_OF, policy=POLICY, codes=["AUD-605"])] == ["AUD-605"]
    assert not AuditBooks.of(register).supplies("revenue")
    assert supplied_empty.supplies("revenue")


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(CATALOGUE)))
def test_findings_do_not_depend_on_check_order(order):
    register = messy_register()
    assert run_checks(register, as_of=AS_OF, policy=POLICY, checks=order) == run_checks(
        register, as_of=AS_OF, policy=POLICY
    )


def test_checks_lacking_their_inputs_are_reported_not_silently_skipped():
    from assetreg.audit import AuditBooks, run_audit

    register = AssetRegister.of(PARTIES, [*good_pv("PV-1")])
    bare = run_audit(register, as_of=AS_OF, policy=POLICY)
    missing = {n.code: n.missing for n in bare.not_run}
    assert missing["AUD-605"] == ("revenue",)  # PV station without income needs revenue entries
    assert all(n.code not in {f.code for f in bare.findings} for n in bare.not_run)
    with_revenue = run_audit(AuditBooks(register=register, revenue=()), as_of=AS_OF, policy=POLICY)
    assert "AUD-605" not in {n.code for n in with_revenue.not_run}  # supplied (empty): the check ran
    doc = json.loads(render_json(bare.findings, as_of=AS_OF, not_run=bare.not_run))
    entry = next(n for n in doc["not_run"] if n["code"] == "AUD-605")
    assert entry == {
        "code": "AUD-605",
        "reason": "no revenue entries supplied",
        "reason_zh": "缺少收益记录",
        "missing": ["revenue"],
    }
    table = render_table(bare.findings, lang="zh", not_run=bare.not_run)
    assert f"未运行的检查 {len(bare.not_run)} 项：" in table
    assert "AUD-605" in table.split("未运行的检查")[1]
