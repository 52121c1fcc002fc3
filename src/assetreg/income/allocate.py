"""Sum-preserving splits in integer fen (按比例分配，以分计) — the income layer's import path.

The implementation lives in :mod:`assetreg.domain.allocation` so that the domain (the
split and merge of assets) uses the same largest-remainder rule; this module re-exports it
unchanged, with the exact numpy path of :mod:`assetreg.domain.allocation_np`.
"""

from assetreg.domain.allocation import (
    VECTOR_FROM,
    CappedAllocation,
    Key,
    Weight,
    allocate,
    allocate_capped,
    integer_weights,
)

__all__ = ["VECTOR_FROM", "CappedAllocation", "Key", "Weight", "allocate", "allocate_capped", "integer_weights"]
