"""Clocks for the write commands (时钟): the system's, and a fixed one for tests and replays.

The core never reads the time (:class:`assetreg.ports.Clock` is only a protocol); a
service passes one of these, or its own, to :mod:`assetreg.services.commands`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assetreg.domain.periods import require_aware

__all__ = ["FixedClock", "SystemClock"]


class SystemClock:
    """The system clock, in UTC (``datetime.now(UTC)``)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that reads a set instant and moves only when told (测试用时钟).

    Args:
        at: the instant to return, timezone-aware.
        step: added after each reading (zero by default: every reading is the same).

    Raises:
        InvalidPeriod: ``at`` is naive.
        InvalidType: ``at`` is not a datetime.
    """

    def __init__(self, at: datetime, *, step: timedelta = timedelta(0)) -> None:
        """Start the clock at ``at``."""
        self._at = require_aware(at, field="at")
        self._step = step

    def now(self) -> datetime:
        """The set instant (then moved on by ``step``)."""
        current = self._at
        self._at = current + self._step
        return current

    def set(self, at: datetime) -> None:
        """Read ``at`` from now on (timezone-aware)."""
        self._at = require_aware(at, field="at")

    def advance(self, by: timedelta) -> None:
        """Move the clock on by ``by``."""
        self._at += by
