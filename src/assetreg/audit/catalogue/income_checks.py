"""Checks over income, distributions and notices (收益与分配检查), DESIGN §10."""

from __future__ import annotations

from assetreg.audit.checks import Check

__all__ = ["INCOME_CHECKS"]

INCOME_CHECKS: tuple[Check, ...] = ()
