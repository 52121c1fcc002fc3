"""Beneficiaries of a distribution and the yearly-reviewed roster (受益对象名单), P11.

A :class:`Beneficiary` is what a distribution plan selects over: a household with the
attributes tiers depend on (status, monitor type, labour capacity, size), a holder of
public-welfare posts, the village collective, a reserve fund, or another party. It is a
flat value built from the domain's parties (:meth:`Beneficiary.from_household`), so plans
run without the register.

A :class:`Roster` records who is on the beneficiary list and from when to when. Lists
are reviewed yearly (P11); a household that no longer qualifies stops receiving from the
next period and its share goes back into the pool — the plan simply no longer selects it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.fields import added_later
from assetreg.domain.vocab import HouseholdStatus, LaborCapacity, MonitorType, Vocabulary, member_of
from assetreg.errors import InvalidValue, wrong_type

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from assetreg.domain.parties import Household
    from assetreg.domain.policy import Policy

__all__ = ["Beneficiary", "BeneficiaryKind", "Roster", "RosterEntry", "rank_post_candidates"]


class BeneficiaryKind(Vocabulary):
    """What kind of payee a beneficiary is (受益对象类型)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _BENEFICIARY_KIND_ZH

    HOUSEHOLD = "household"
    """A household (农户)."""
    POST_HOLDER = "post_holder"
    """A person holding public-welfare posts (公益性岗位人员), not paid as a household."""
    COLLECTIVE = "collective"
    """The village collective economic organisation (村集体经济组织)."""
    RESERVE = "reserve"
    """A reserve or fund (预留/风险金/发展基金)."""
    PARTY = "party"
    """Any other party: cooperative, enterprise, fund account (其他主体)."""

    @property
    def label_zh(self) -> str:
        """The Chinese term used in notices (公示表)."""
        return _KIND_ZH[self.value]


_KIND_ZH = {
    "household": "农户",
    "post_holder": "公益性岗位人员",
    "collective": "村集体经济组织",
    "reserve": "专项资金",
    "party": "其他主体",
}


def _nonempty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{attribute.name} must be a non-empty string",
            f"{attribute.name} 不能为空",
            field=attribute.name,
            actual=value,
        )


def _not_negative(instance: Beneficiary, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(
            f"{attribute.name} must be a whole number, not negative",
            f"{attribute.name} 应为非负整数",
            record=instance.id,
            field=attribute.name,
            actual=value,
        )


def _weight(value: object) -> Fraction:
    if isinstance(value, float | bool):
        raise wrong_type("weight", value, "int, Fraction or text", "整数、分数或文本")
    if not isinstance(value, int | Fraction | str):
        raise wrong_type("weight", value, "int, Fraction or text", "整数、分数或文本")
    weight = Fraction(value)
    if weight < 0:
        raise InvalidValue("weight is negative", "权重为负数", field="weight", actual=str(weight))
    return weight


def _shares(value: object) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, float | bool) or not isinstance(value, int | Fraction | str):
        raise wrong_type("shares", value, "int, Fraction or text", "整数、分数或文本")
    shares = Fraction(value)
    if shares < 0:
        raise InvalidValue("shares are negative", "股份为负数", field="shares", actual=str(shares))
    return shares


@attrs.frozen(kw_only=True)
class Beneficiary:
    """A payee as a distribution plan sees it (受益对象).

    Attributes:
        id: the party id (ties in splits are decided by it).
        kind: household, post holder, collective, reserve or other party.
        name: display name for notices (already masked; no personal data needed).
        size: household members (家庭人口), 0 for non-households.
        status: household status (脱贫户/监测对象/一般户), ``None`` for non-households.
        monitor_type: kind of monitored household, or ``None``.
        labor_capacity: labour capacity, ``None`` for non-households.
        posts: public-welfare posts held (公益性岗位数).
        days_worked: days of public-welfare work done in the period (务工天数).
        weight: an exact weight for weight-based splits.
        shares: the members' quantified shares held (折股量化股份, a count or an exact
            fraction), read by the ``shares`` split; ``None`` when the payee holds no
            recorded shares (such a payee is refused by that split, never given 1).

    Raises:
        InvalidValue: empty id, negative counts, weight or shares.
        TypeError: a float weight or float shares.
    """

    id: str = attrs.field(validator=_nonempty)
    kind: BeneficiaryKind = attrs.field(validator=member_of(BeneficiaryKind))
    name: str = ""
    size: int = attrs.field(default=0, validator=_not_negative)
    status: HouseholdStatus | None = attrs.field(default=None, validator=member_of(HouseholdStatus, optional=True))
    monitor_type: MonitorType | None = attrs.field(default=None, validator=member_of(MonitorType, optional=True))
    labor_capacity: LaborCapacity | None = attrs.field(default=None, validator=member_of(LaborCapacity, optional=True))
    posts: int = attrs.field(default=0, validator=_not_negative)
    days_worked: int = attrs.field(default=0, validator=_not_negative)
    weight: Fraction = attrs.field(default=Fraction(1), converter=_weight)
    shares: Fraction | None = attrs.field(default=None, converter=_shares, metadata=added_later())

    @classmethod
    def from_household(
        cls,
        household: Household,
        *,
        posts: int = 0,
        days_worked: int = 0,
        weight: Fraction | int | str = 1,
        name: str | None = None,
    ) -> Beneficiary:
        """Build a household beneficiary from a domain :class:`~assetreg.domain.parties.Household`.

        Args:
            household: the household.
            posts: public-welfare posts held by its members.
            days_worked: days of public-welfare work in the period.
            weight: weight for weight-based splits.
            name: display name for notices; the household's name when ``None``.
        """
        return cls(
            id=household.id,
            kind=BeneficiaryKind.HOUSEHOLD,
            name=household.name if name is None else name,
            size=household.size,
            status=household.status,
            monitor_type=household.monitor_type,
            labor_capacity=household.labor_capacity,
            posts=posts,
            days_worked=days_worked,
            weight=Fraction(weight),
        )

    @classmethod
    def collective(
        cls,
        id: str,  # noqa: A002 - domain name
        name: str = "村集体",
        *,
        shares: Fraction | int | str | None = None,
    ) -> Beneficiary:
        """The village collective as a payee; ``shares`` is its collective share (集体股), if any."""
        return cls(id=id, kind=BeneficiaryKind.COLLECTIVE, name=name, shares=shares)

    @classmethod
    def reserve(cls, id: str, name: str = "预留资金") -> Beneficiary:  # noqa: A002 - domain name
        """A reserve or fund as a payee."""
        return cls(id=id, kind=BeneficiaryKind.RESERVE, name=name)

    @classmethod
    def party(cls, id: str, name: str) -> Beneficiary:  # noqa: A002 - domain name
        """Another party (cooperative, fund account) as a payee."""
        return cls(id=id, kind=BeneficiaryKind.PARTY, name=name)

    @property
    def is_household(self) -> bool:
        """Whether the payee is a household."""
        return self.kind is BeneficiaryKind.HOUSEHOLD


@attrs.frozen(kw_only=True)
class RosterEntry:
    """One stay of a beneficiary on the list, half-open ``[since, until)`` (名单记录).

    Attributes:
        beneficiary_id: the party id.
        since: first day eligible.
        until: first day no longer eligible (exited from), or ``None`` while on the list.
        reason: why the household entered or exited (e.g. review 2024, 不再符合条件).

    Raises:
        InvalidValue: ``until`` not after ``since``.
    """

    beneficiary_id: str = attrs.field(validator=_nonempty)
    since: date
    until: date | None = None
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        """Refuse an empty stay."""
        if self.until is not None and self.until <= self.since:
            raise InvalidValue(
                f"exit {self.until} is not after entry {self.since}",
                f"退出日期 {self.until} 不晚于纳入日期 {self.since}",
                record=self.beneficiary_id,
                field="until",
            )

    def covers(self, day: date) -> bool:
        """Whether the beneficiary is eligible on ``day``."""
        return self.since <= day and (self.until is None or day < self.until)


@attrs.frozen
class Roster:
    """The beneficiary list with its history (受益对象名单及动态调整), P11.

    Attributes:
        entries: stays on the list; a household may leave and come back.
    """

    entries: tuple[RosterEntry, ...] = ()

    @classmethod
    def of(cls, ids: Iterable[str], *, since: date, reason: str = "") -> Roster:
        """A roster on which every id is eligible from ``since``."""
        return cls(tuple(RosterEntry(beneficiary_id=i, since=since, reason=reason) for i in ids))

    def is_eligible(self, beneficiary_id: str, day: date) -> bool:
        """Whether ``beneficiary_id`` is on the list on ``day``."""
        return any(e.beneficiary_id == beneficiary_id and e.covers(day) for e in self.entries)

    def eligible_on(self, day: date) -> frozenset[str]:
        """Ids on the list on ``day``."""
        return frozenset(e.beneficiary_id for e in self.entries if e.covers(day))

    def exited_on(self, day: date) -> frozenset[str]:
        """Ids that were on the list before ``day`` and are not on it on ``day``."""
        before = frozenset(e.beneficiary_id for e in self.entries if e.since < day)
        return before - self.eligible_on(day)

    def review(
        self,
        *,
        effective: date,
        keep: Iterable[str],
        add: Iterable[str] = (),
        reason: str = "",
    ) -> Roster:
        """Apply a yearly review (年度动态调整): who stays, who joins, from ``effective``.

        Households on the list on the day before ``effective`` and not in ``keep`` exit
        from ``effective`` — normally the start of the next period, so they stop receiving
        from the next period (P11). Ids in ``add`` not already on the list join from
        ``effective``.

        Args:
            effective: first day the review applies (the next period's start).
            keep: ids that still qualify.
            add: ids that newly qualify.
            reason: recorded on exits and entries (e.g. ``"2024年度动态调整"``).

        Returns:
            The reviewed roster (a new value; history kept).
        """
        keep_ids = frozenset(keep)
        entries: list[RosterEntry] = []
        for entry in self.entries:
            ends_later = entry.until is None or entry.until > effective
            if entry.beneficiary_id not in keep_ids and entry.since < effective and ends_later:
                entries.append(attrs.evolve(entry, until=effective, reason=reason or entry.reason))
            else:
                entries.append(entry)
        current = frozenset(e.beneficiary_id for e in entries if e.covers(effective))
        entries.extend(
            RosterEntry(beneficiary_id=i, since=effective, reason=reason)
            for i in dict.fromkeys(add)
            if i not in current
        )
        return Roster(tuple(entries))


_BENEFICIARY_KIND_ZH: Final[Mapping[Any, str]] = {
    BeneficiaryKind.HOUSEHOLD: "农户",
    BeneficiaryKind.POST_HOLDER: "公益性岗位人员",
    BeneficiaryKind.COLLECTIVE: "村集体经济组织",
    BeneficiaryKind.RESERVE: "预留/风险金/发展基金",
    BeneficiaryKind.PARTY: "其他主体",
}


def rank_post_candidates(candidates: Iterable[Beneficiary], policy: Policy) -> tuple[Beneficiary, ...]:
    """Order households for public-welfare posts by the policy's preference (P5).

    Public-welfare assets may be kept through public-welfare posts, preferring marginal and
    unstable households (DESIGN §7 P5, after the 2021 national guidance) **[cfg]**: monitored
    households of the first preferred type come first, then the next type, then everyone
    else; ties are broken by id, so the order does not depend on the input order.

    Args:
        candidates: the households that may take a post (non-households are refused).
        policy: its ``post_preference`` (monitor types, in order) is read.

    Returns:
        The candidates, best first.

    Raises:
        InvalidValue: a candidate is not a household.
    """
    rank = {t: i for i, t in enumerate(policy.post_preference)}
    people = list(candidates)
    for b in people:
        if not b.is_household:
            raise InvalidValue(
                f"{b.id} is a {b.kind.value}, not a household; only households take posts",
                f"{b.id} 为{b.kind.label_zh}，不是农户，不能担任公益性岗位",
                record=b.id,
                field="kind",
                actual=b.kind.value,
            )

    def key(b: Beneficiary) -> tuple[int, str]:
        if b.status is HouseholdStatus.MONITORED and b.monitor_type in rank:
            return (rank[b.monitor_type], b.id)
        return (len(rank), b.id)

    return tuple(sorted(people, key=key))
