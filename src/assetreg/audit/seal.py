"""Seals over stored records that are not events (存储状态封印): a multiset hash.

The event histories are under the county hash chains (:mod:`assetreg.audit.chain`);
derived rows (an asset's current-state row) are re-derived from them and compared. Some
stored facts are neither: the parties (主体) are kept as current records, replaced in
place, and the income books and revenue entries are not chained. They are sealed per kind
and county by a **multiset hash**: each record's canonical form is expanded with SHAKE-256
to a 4096-bit number, and the seal is the sum of those numbers modulo ``2**4096``
(AdHash, Bellare and Micciancio 1997, "A New Paradigm for Collision-free Hashing";
Wagner's generalized-birthday attack on it costs about ``2**(2*sqrt(4096)) = 2**128``
steps at this width). Adding or replacing one record updates the seal with an addition
and a subtraction, with no need to read the other records; verifying recomputes the sum
from the stored rows. An addition costs well under a microsecond, so a bulk load of 10⁵
parties pays milliseconds for its seals.

What a seal proves: a stored row changed, added or deleted *without* the seal being
recomputed is detected. Whoever can also rewrite the seal (it holds no secret) is only
caught by comparing it with a copy kept elsewhere — print it with ``assetreg verify``
and keep it, as with a chain head.

Everything here is pure: adapters store :meth:`MultisetHash.hex` and call
:func:`party_fingerprint`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Final

from assetreg.audit.chain import canonical_record

if TYPE_CHECKING:
    from assetreg.domain.parties import Party

__all__ = ["SEAL_BITS", "SEAL_VERSION", "MultisetHash", "party_fingerprint"]

SEAL_VERSION: Final = "assetreg/seal/v1"
SEAL_BITS: Final = 4096
_MODULUS: Final = 1 << SEAL_BITS
_BYTES: Final = SEAL_BITS // 8
_HEX: Final = SEAL_BITS // 4


def _element(data: bytes) -> int:
    return int.from_bytes(hashlib.shake_256(SEAL_VERSION.encode("ascii") + b"|" + data).digest(_BYTES), "little")


class MultisetHash:
    """An AdHash multiset hash modulo ``2**4096`` (mutable; no I/O).

    Args:
        state: the running sum modulo ``2**4096`` (0 for the empty set).
        count: how many elements it holds.
    """

    def __init__(self, state: int = 0, count: int = 0) -> None:
        """Start from ``state`` holding ``count`` elements."""
        self.state = state % _MODULUS
        self.count = count

    @classmethod
    def from_hex(cls, text: str, count: int) -> MultisetHash:
        """The hash stored as :meth:`hex`."""
        return cls(int(text, 16), count)

    def add(self, data: bytes) -> None:
        """Add one element."""
        self.state = (self.state + _element(data)) % _MODULUS
        self.count += 1

    def remove(self, data: bytes) -> None:
        """Remove one element (added before)."""
        self.state = (self.state - _element(data)) % _MODULUS
        self.count -= 1

    def hex(self) -> str:
        """The full state as 1024 hex digits (what is stored)."""
        return f"{self.state:0{_HEX}x}"

    def digest(self) -> str:
        """A short form to print and keep: SHA-256 of the state and the count (64 hex digits)."""
        return hashlib.sha256(f"{SEAL_VERSION}|{self.count}|{self.hex()}".encode("ascii")).hexdigest()

    def __eq__(self, other: object) -> bool:
        """Same elements (the same sum and count)."""
        return isinstance(other, MultisetHash) and (self.state, self.count) == (other.state, other.count)

    def __hash__(self) -> int:
        """Hash of the state."""
        return hash((self.state, self.count))


def party_fingerprint(party: Party) -> bytes:
    """The canonical form of a party that its seal covers (every field, the id included)."""
    return canonical_record(party)
