"""Parties (产权主体): holders of rights and bearers of duties, DESIGN §2.

Each party has a register-unique :data:`PartyId`, a name and the area code where it sits.
Households carry personal data (the head's resident id): it is masked in ``repr`` and
never written to messages.
"""

from __future__ import annotations

from typing import Any, NewType

import attrs

from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType, PartyKind, member_of
from assetreg.errors import InvalidValue, typed

__all__ = [
    "Cooperative",
    "CountyDepartment",
    "Enterprise",
    "Household",
    "Party",
    "PartyId",
    "Township",
    "VillageCollective",
    "party_kind",
]

PartyId = NewType("PartyId", str)
"""Register-unique id of a party (主体编号)."""


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # Any: PartyId, AssetId, str
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{type(instance).__name__}.{attribute.name} must be non-empty text",
            f"{type(instance).__name__}.{attribute.name} 不能为空",
            field=attribute.name,
            actual=value,
        )


@attrs.frozen(kw_only=True)
class _Organisation:
    """The fields every organisation party has (id, name, area code, optional credit code)."""

    id: PartyId = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    admin_code: AdminCode = attrs.field(validator=typed(AdminCode, "行政区划代码 AdminCode"))
    credit_code: CreditCode | None = None


@attrs.frozen(kw_only=True)
class VillageCollective(_Organisation):
    """A village collective economic organisation (村集体经济组织), owner of most village assets.

    Attributes:
        id: party id.
        name: registered name.
        admin_code: the village's area code (12 digits).
        credit_code: its unified social credit code, when registered.
    """

    kind = PartyKind.VILLAGE_COLLECTIVE


@attrs.frozen(kw_only=True)
class Township(_Organisation):
    """A township or town government (乡镇人民政府), owner of cross-village assets (P4)."""

    kind = PartyKind.TOWNSHIP


@attrs.frozen(kw_only=True)
class CountyDepartment(_Organisation):
    """A county department (县直部门), supervisor or owner of cross-township assets (P4)."""

    kind = PartyKind.COUNTY_DEPARTMENT


@attrs.frozen(kw_only=True, repr=False)
class Household:
    """A rural household (农户), owner of household assets and a beneficiary of income.

    Attributes:
        id: party id (often the household number in the monitoring system).
        name: a display name; use a placeholder such as ``农户A`` in shared data.
        admin_code: the village's area code.
        size: household members (家庭人口), at least 1.
        status: lifted (脱贫户), monitored (监测对象) or ordinary.
        monitor_type: for monitored households, which kind (P11 tiers).
        labor_capacity: full, weak or none (劳动能力).
        head_resident_id: the head's resident id (personal data; masked in ``repr``).

    Raises:
        InvalidValue: ``size`` below 1, or a monitor type on a household that is not monitored.
    """

    id: PartyId = attrs.field(validator=_nonempty)
    name: str
    admin_code: AdminCode = attrs.field(validator=typed(AdminCode, "行政区划代码 AdminCode"))
    size: int
    status: HouseholdStatus = attrs.field(validator=member_of(HouseholdStatus))
    monitor_type: MonitorType | None = attrs.field(default=None, validator=member_of(MonitorType, optional=True))
    labor_capacity: LaborCapacity = attrs.field(default=LaborCapacity.FULL, validator=member_of(LaborCapacity))
    head_resident_id: ResidentId | None = None

    kind = PartyKind.HOUSEHOLD

    def __attrs_post_init__(self) -> None:
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 1:
            raise InvalidValue(
                "household size must be a whole number of at least 1",
                "家庭人口应为不小于1的整数",
                record=self.id,
                field="size",
                actual=self.size,
                expected=">= 1",
            )
        if self.monitor_type is not None and self.status is not HouseholdStatus.MONITORED:
            raise InvalidValue(
                "only monitored households have a monitor type",
                "只有监测对象才有监测类型",
                record=self.id,
                field="monitor_type",
                actual=self.monitor_type.value,
                expected="status monitored",
            )

    def __repr__(self) -> str:
        rid = self.head_resident_id.masked if self.head_resident_id else None
        return (
            f"Household(id={self.id!r}, admin_code={self.admin_code!r}, size={self.size}, "
            f"status={self.status.value}, monitor_type="
            f"{self.monitor_type.value if self.monitor_type else None}, "
            f"labor_capacity={self.labor_capacity.value}, head_resident_id={rid!r})"
        )


@attrs.frozen(kw_only=True)
class Cooperative(_Organisation):
    """A farmers' cooperative (农民专业合作社), often an operator or an equity holder."""

    kind = PartyKind.COOPERATIVE


@attrs.frozen(kw_only=True)
class Enterprise(_Organisation):
    """An enterprise (企业), often an operator under contract."""

    kind = PartyKind.ENTERPRISE


Party = VillageCollective | Township | CountyDepartment | Household | Cooperative | Enterprise
"""Any party of the register."""


def party_kind(party: Party) -> PartyKind:
    """Return the :class:`PartyKind` of ``party``."""
    return party.kind
