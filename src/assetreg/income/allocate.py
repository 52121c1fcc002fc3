"""Sum-preserving splits in integer fen (按比例分配，以分计) — the income layer's import path.

The implementation moved to :mod:`assetreg.domain.allocation` so that the domain (the
split and merge of assets, issue 12) can use the same largest-remainder rule; this module
re-exports it unchanged.
"""

from assetreg.domain.allocation import CappedAllocation, Key, Weight, allocate, allocate_capped, integer_weights

__all__ = ["CappedAllocation", "Key", "Weight", "allocate", "allocate_capped", "integer_weights"]
