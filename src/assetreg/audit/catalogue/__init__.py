"""The built-in check catalogue (内置检查目录), DESIGN §10.

:data:`CATALOGUE` is a tuple of :class:`~assetreg.audit.checks.Check` values in code
order; :func:`catalogue_table` lists their metadata.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetreg.audit.catalogue.evidence_checks import EVIDENCE_CHECKS
from assetreg.audit.catalogue.income_checks import INCOME_CHECKS
from assetreg.audit.catalogue.linkage_checks import LINKAGE_CHECKS
from assetreg.audit.catalogue.pv_checks import PV_CHECKS
from assetreg.audit.catalogue.register_checks import HELD, REGISTER_CHECKS

if TYPE_CHECKING:
    from assetreg.audit.checks import Check, CheckMeta

__all__ = ["CATALOGUE", "HELD", "catalogue_table", "check_by_code"]

CATALOGUE: tuple[Check, ...] = tuple(
    sorted((*REGISTER_CHECKS, *INCOME_CHECKS, *PV_CHECKS, *LINKAGE_CHECKS, *EVIDENCE_CHECKS), key=lambda c: c.code)
)
"""Every built-in check, sorted by code."""


def check_by_code(code: str) -> Check:
    """The built-in check with ``code``.

    Raises:
        KeyError: no built-in check has that code.
    """
    for item in CATALOGUE:
        if item.code == code:
            return item
    raise KeyError(code)


def catalogue_table() -> tuple[CheckMeta, ...]:
    """The metadata of every built-in check, sorted by code."""
    return tuple(c.meta for c in CATALOGUE)
