"""A bounded retry of a unit of work that lost a race (并发冲突的有限重试).

Concurrency in the store is optimistic: a unit of work that loses a race (another writer
moved an asset's version first, a deadlock, a serialization failure, a busy SQLite file)
fails with :class:`~assetreg.errors.ConcurrencyError` and keeps nothing. The remedy is to
read again and redo the work; :func:`with_retry` does that a bounded number of times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from assetreg.errors import ConcurrencyError, InvalidValue

if TYPE_CHECKING:
    from collections.abc import Callable

    from assetreg.ports import UnitOfWork

__all__ = ["with_retry"]

T = TypeVar("T")


def with_retry(
    new_uow: Callable[[], UnitOfWork],
    work: Callable[[UnitOfWork], T],
    *,
    attempts: int = 3,
    on_retry: Callable[[int, ConcurrencyError], None] | None = None,
) -> T:
    """Run ``work`` in a fresh unit of work and commit it, again when it loses a race.

    Each attempt opens a new unit of work from ``new_uow``, calls ``work(uow)`` (which
    must read what it needs from ``uow``: a retry re-reads) and commits. Only a
    :class:`~assetreg.errors.ConcurrencyError` is retried; any other error propagates
    at once, and nothing of a failed attempt is kept.

    Args:
        new_uow: makes a unit of work (``lambda: SqlUnitOfWork(engine, scope=...)``).
        work: the work; its result is returned after the commit.
        attempts: at most this many attempts (1 to 20).
        on_retry: called as ``on_retry(attempt, error)`` before each retry (e.g. to log
            or to wait; the library itself never sleeps).

    Returns:
        What ``work`` returned in the attempt that committed.

    Raises:
        ConcurrencyError: every attempt lost its race (the last error).
        InvalidValue: ``attempts`` outside 1 to 20.
    """
    if not isinstance(attempts, int) or not 1 <= attempts <= 20:  # noqa: PLR2004 - a bound, not a tuning knob
        raise InvalidValue(
            f"attempts must be an integer from 1 to 20, not {attempts!r}",
            f"重试次数须为 1 至 20 的整数，而不是 {attempts!r}",
            field="attempts",
            expected="1-20",
            actual=repr(attempts),
        )
    for attempt in range(1, attempts + 1):
        try:
            with new_uow() as uow:
                result = work(uow)
                uow.commit()
                return result
        except ConcurrencyError as exc:
            if attempt == attempts:
                raise
            if on_retry is not None:
                on_retry(attempt, exc)
    raise AssertionError("unreachable")  # pragma: no cover
