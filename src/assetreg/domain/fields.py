"""Metadata of record fields added after records were chained or sealed (issue 17).

The hash chain of events and the seals of stored records hash a canonical form in which
every field takes part (:mod:`assetreg.audit.chain`). A field added to a record type later
would change the canonical form, and so the hashes, of every record stored before it. A
field declared with :func:`added_later` is left out of the canonical form while it holds
its default (``None``, ``()``), so that earlier records keep their hashes and a record
that uses the new field is covered by it.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ADDED_LATER", "added_later"]

ADDED_LATER: Final = "assetreg.added_later"
"""The attrs metadata key marking a field added after records were hashed."""


def added_later() -> dict[str, bool]:
    """Metadata for ``attrs.field(metadata=...)``: the field is left out of canonical forms at its default."""
    return {ADDED_LATER: True}
