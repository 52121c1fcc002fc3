"""Every Policy field is typed, refused at entry when wrong, and read by a rule or a check (issue 11).

Sources: DESIGN §7 P1–P13 (the rules each field configures); the deduction kinds and the
gross/net base are P9, the purposes and their order P6, the accounting regimes P13
(财会〔2004〕12号 and 财会〔2023〕14号).
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import attrs
import pytest

from assetreg.audit import CATALOGUE
from assetreg.audit.checks import Check
from assetreg.domain.policy import NATIONAL_2021, PRESETS, Policy
from assetreg.domain.vocab import AccountingRegime, Base, DeductionKind, Purpose
from assetreg.errors import InvalidChoice, PolicyError

SRC = Path(__file__).resolve().parents[2] / "src" / "assetreg"


_NOT_RULES = frozenset({"_check_types", "_check_values", "__attrs_post_init__", "from_mapping", "to_mapping"})


def _attributes_read() -> set[str]:
    """Attribute names read in code (not docstrings) anywhere in the package.

    In the policy module itself only its rule methods count, not its validation or loading.
    """
    names: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots: list[ast.AST] = [tree]
        if path.name == "policy.py" and path.parent.name == "domain":
            policy_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Policy")
            roots = [n for n in policy_class.body if isinstance(n, ast.FunctionDef) and n.name not in _NOT_RULES]
        for root in roots:
            names.update(n.attr for n in ast.walk(root) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load))
    return names


def _check_source(chk: Check) -> str:
    """The check function's source with the module helpers (transitively) and Policy methods it calls."""
    module = inspect.getmodule(chk.func)
    sources = [inspect.getsource(chk.func)]
    seen = {chk.func.__name__}
    methods: set[str] = set()
    todo = [sources[0]]
    while todo:
        source = todo.pop()
        for called in set(re.findall(r"\b(\w+)\(", source)) - seen:
            seen.add(called)
            helper = getattr(module, called, None)
            if inspect.isfunction(helper):
                sources.append(inspect.getsource(helper))
                todo.append(sources[-1])
        for method in set(re.findall(r"policy\.(\w+)\(", source)) - methods:
            methods.add(method)
            sources.append(inspect.getsource(getattr(Policy, method)).replace("self.", "policy."))
    return "\n".join(sources)


class TestEveryFieldIsRead:
    @pytest.mark.parametrize("name", sorted(PRESETS))
    def test_every_field_of_every_preset_is_read_by_code(self, name: str) -> None:
        read = _attributes_read()
        preset = PRESETS[name]
        unread = [f.name for f in attrs.fields(type(preset)) if f.name not in {"name", "source"} and f.name not in read]
        assert unread == []

    def test_each_check_reads_the_parameters_it_declares(self) -> None:
        lazy = []
        for chk in CATALOGUE:
            source = _check_source(chk)
            lazy.extend((chk.code, p) for p in chk.meta.params if not re.search(rf"policy\.{p}\b", source))
        assert lazy == []

    def test_removed_field_is_refused(self) -> None:
        # beneficiary_review_months configured nothing (P11 reviews are dated roster entries)
        with pytest.raises(PolicyError) as info:
            Policy.from_mapping({"preset": "national-2021", "beneficiary_review_months": 12})
        assert info.value.field == "beneficiary_review_months"


class TestRefusedAtEntry:
    def test_unknown_deduction_is_an_invalid_choice_at_construction(self) -> None:
        with pytest.raises(InvalidChoice) as info:
            Policy(name="t", source="t", pv_deductions=("bogus",))
        error = info.value
        assert error.code == "AR-106"
        assert error.field == "pv_deductions"
        assert error.actual == "'bogus'"
        assert [a["value"] for a in error.details["allowed"]] == [
            "land_rent",
            "taxes",
            "insurance",
            "om",
            "upkeep",
            "management_fee",
            "other",
        ]

    def test_unknown_deduction_in_a_file_names_key_and_allowed_values(self) -> None:
        with pytest.raises(PolicyError) as info:
            Policy.from_toml('[policy]\npreset = "national-2021"\nname = "会宁县"\npv_deductions = ["bogus"]\n')
        error = info.value
        assert error.code == "AR-500" or error.code.startswith("AR-")
        assert error.field == "pv_deductions"
        assert error.record == "会宁县"
        assert error.expected == "one of land_rent, taxes, insurance, om, upkeep, management_fee, other"
        assert "pv_deductions" in error.message_en
        assert "pv_deductions" in error.message_zh

    def test_text_values_become_members(self) -> None:
        policy = Policy(
            name="t",
            source="t",
            pv_deductions=("land_rent", "运维费"),
            distribution_base="gross",
            accounting_regime="2004",
            priority_order=("upkeep", "public_welfare_posts"),
            prohibited_purposes=("vehicles",),
        )
        assert policy.pv_deductions == (DeductionKind.LAND_RENT, DeductionKind.OPERATION_MAINTENANCE)
        assert policy.distribution_base is Base.GROSS
        assert policy.accounting_regime is AccountingRegime.RULES_2004
        assert policy.priority_order == (Purpose.UPKEEP, Purpose.PUBLIC_WELFARE_POSTS)
        assert policy.prohibited_purposes == frozenset({Purpose.VEHICLES})

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("distribution_base", "remaining"),  # a tier base, not a policy base (P9: gross or net)
            ("distribution_base", "half"),
            ("accounting_regime", "2010"),
            ("priority_order", ["upkeep", "parties"]),
            ("prohibited_purposes", ["fireworks"]),
        ],
    )
    def test_outside_the_vocabulary(self, field: str, value: object) -> None:
        with pytest.raises(InvalidChoice) as info:
            Policy(name="t", source="t", **{field: value})
        assert info.value.field == field

    def test_one_enum_for_the_base(self) -> None:
        from assetreg.income.plans import Base as PlanBase

        assert PlanBase is Base
        assert NATIONAL_2021.distribution_base is Base.NET
