"""The ledger code table: one stable code per kind, and docs/ledger-codes.md generated from it."""

from __future__ import annotations

from pathlib import Path

from assetreg.adapters.ledger.codes import LEDGER_CODES, code_of, codes_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger-codes.md"


def test_every_kind_has_its_own_code() -> None:
    codes = [entry.code for entry in LEDGER_CODES.values()]
    assert len(codes) == len(set(codes))
    assert all(code.startswith("LED-") and len(code) == 7 for code in codes)
    assert code_of("too_many_places") is not None
    assert code_of("too_many_places").code == "LED-106"  # type: ignore[union-attr]
    assert code_of("no such kind") is None


def test_every_code_has_an_example_and_both_titles() -> None:
    for entry in LEDGER_CODES.values():
        assert entry.title_en
        assert entry.title_zh
        assert entry.rule


def test_the_docs_table_is_generated_from_the_code() -> None:
    # regenerate with: python -c "from assetreg.adapters.ledger.codes import codes_markdown; print(codes_markdown(), end='')" > docs/ledger-codes.md
    assert DOC.read_text(encoding="utf-8") == codes_markdown()
    assert "| LED-121 | `code_wrong_level` | error | §5 |" in DOC.read_text(encoding="utf-8")
