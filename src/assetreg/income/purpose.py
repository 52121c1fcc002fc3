"""What a distribution's money is for (资金用途), P6.

:class:`Purpose` is named by every plan tier and by every line of the allocation it
produces, so that audit reads the same enum that the plan was written with. It is defined
in :mod:`assetreg.domain.vocab` (``Policy.priority_order`` and
``Policy.prohibited_purposes`` hold it) and re-exported here.
"""

from __future__ import annotations

from assetreg.domain.vocab import Purpose

__all__ = ["Purpose"]
