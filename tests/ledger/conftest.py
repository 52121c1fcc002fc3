from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

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


@pytest.fixture
def patch_xlsx() -> Callable[[Path, bytes, bytes], None]:
    return _patch_sheet_xml


def _patch_sheet_xml(path: Path, old: bytes, new: bytes) -> None:
    """Replace bytes in every worksheet XML of an .xlsx (openpyxl writes floats to 15 digits;
    Excel stores 17, so a formula result such as 0.1 + 0.2 is stored as 0.30000000000000004)."""
    with zipfile.ZipFile(path) as package:
        members = {info.filename: package.read(info.filename) for info in package.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            patched = data.replace(old, new) if name.startswith("xl/worksheets/") else data
            package.writestr(name, patched)
