"""The bundled sample of real published projects used by ``assetreg demo`` (see README.md here)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["sample_path"]


def sample_path(name: str) -> Path:
    """Return the path of a bundled sample file (``"sample_ledger.csv"``…).

    Raises:
        FileNotFoundError: no such sample file.
    """
    path = Path(str(resources.files(__package__).joinpath(name)))
    if not path.is_file():
        raise FileNotFoundError(f"no bundled sample named {name!r}")
    return path
