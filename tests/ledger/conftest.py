from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write an .xlsx fixture: ``make_xlsx("name", {"sheet": rows}, merges={"sheet": ["A2:A4"]})``."""

    def make(
        name: str,
        sheets: dict[str, Sequence[Sequence[object]]],
        *,
        merges: dict[str, list[str]] | None = None,
    ) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
            for ref in (merges or {}).get(title, []):
                sheet.merge_cells(ref)
        path = tmp_path / f"{name}.xlsx"
        book.save(path)
        return path

    return make
