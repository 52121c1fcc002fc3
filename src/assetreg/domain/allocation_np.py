"""The largest-remainder split vectorised with numpy (向量化分配), DESIGN §8, §11.

An optional fast path under :func:`assetreg.income.allocate` for large splits (a county's
10^5–10^6 payees). It computes exactly what the pure path computes — the same floors,
the same remainders, the same cut-off and the same tie-break by key — in ``int64``
arrays, so it is used only when every intermediate value fits: ``amount × max(weight)``
and ``Σ weights`` below 2^63. The cut-off (the remainder of the last part that gets a
leftover fen) is found by selection (``numpy.partition``, linear time), not by sorting.
Only the parts tied exactly at the cut-off are looked at one by one, by key, with the
pure path's own rule.

numpy is an optional dependency (``pip install "assetreg[fast]"``); without it, or when
the numbers do not fit, :func:`split_int64` returns ``None`` and the pure path runs.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from assetreg.domain.allocation import Key

__all__ = ["INT64_MAX", "numpy_available", "split_int64"]

INT64_MAX = 2**63 - 1
"""The largest value an ``int64`` holds; products and sums must stay below it."""


def numpy_available() -> bool:
    """Whether numpy can be imported (the ``fast`` extra is installed)."""
    return find_spec("numpy") is not None


def split_int64(
    amount: int,
    weights: Sequence[int],
    whole: int,
    keys: Sequence[Key] | None,
    break_ties: Callable[[list[int], int, Sequence[Key] | None], list[int]],
) -> list[int] | None:
    """Split ``amount`` (>= 0 fen) by non-negative integer ``weights`` summing to ``whole``.

    Args:
        amount: the non-negative amount in fen.
        weights: integer weights (validated by the caller), ``sum(weights) == whole > 0``.
        whole: their sum.
        keys: tie-break keys, as for :func:`~assetreg.income.allocate`.
        break_ties: the pure path's rule choosing ``need`` winners among tied positions.

    Returns:
        The parts (Python ints), identical to the pure path's; ``None`` when numpy is
        missing or a product ``amount × weight`` could pass ``int64``.

    Raises:
        AllocationError: from ``break_ties`` (equal keys deciding a tie).
    """
    try:
        import numpy as np  # noqa: PLC0415 - optional dependency, imported on first use
    except ImportError:  # pragma: no cover - numpy is installed with the test extra
        return None
    if whole > INT64_MAX or amount > INT64_MAX:
        return None
    w = np.asarray(weights, dtype=np.int64)
    top = int(w.max())
    if top and amount > INT64_MAX // top:
        return None
    products = w * amount
    parts = products // whole
    left = amount - int(parts.sum())
    if left:
        remainders = products - parts * whole
        n = len(remainders)
        cut = int(np.partition(remainders, n - left)[n - left])  # the left-th largest
        above = remainders > cut
        parts[above] += 1
        tied = np.flatnonzero(remainders == cut).tolist()
        winners = break_ties(tied, left - int(above.sum()), keys)
        parts[winners] += 1
    out: list[int] = parts.tolist()
    return out
