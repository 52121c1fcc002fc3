"""Members' quantified shares (折股量化) of a collective or cooperative, issue 17.

The village equity model of the seed plan (ch.4 §1: ownership with the village, operation
by a market entity, income shared by equity) quantifies the collective's operating assets
into shares (股份) held by member households or persons, and often a collective share
(集体股) kept by the village. An :class:`EquityRegister` is the dated register of those
holdings: each :class:`EquityHolding` holds a number of shares (a count or an exact
fraction, never a float) over a half-open span ``[since, until)``; a change closes the
holder's span and opens a new one, so the register keeps its history (append-only, like
the roster of P11).

Income is distributed by equity with a plan tier whose split is
:attr:`~assetreg.income.plans.SplitMethod.SHARES`: :meth:`EquityRegister.payees` gives
each beneficiary its shares on the day of the distribution, and the tier splits its amount
with :func:`~assetreg.income.allocate.allocate` (largest remainder to the fen, ties keyed
by payee id, DESIGN §8). The village's collective share and the members' shares can be in
one tier (the collective is a payee holding shares) or the collective can take a
percentage tier first.

The stored form of a holding is the roster snapshot's 股份 column
(:class:`~assetreg.income.books.RosterHousehold` ``shares``), dated by the snapshot's
``known_on``; :func:`equity_from_snapshots` rebuilds the register from stored snapshots.

Pure values: nothing here does I/O or reads the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.domain.vocab import Vocabulary, member_of
from assetreg.errors import InvalidPeriod, InvalidValue, UnknownReference, wrong_type

if TYPE_CHECKING:
    from collections.abc import Iterable

    from assetreg.income.beneficiaries import Beneficiary
    from assetreg.income.books import RosterSnapshot

__all__ = ["EquityHolderKind", "EquityHolding", "EquityRegister", "equity_from_snapshots"]


class EquityHolderKind(Vocabulary):
    """Who a quantified share is held by (持股对象)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _HOLDER_KIND_ZH

    HOUSEHOLD = "household"
    """Quantified to a household (折股量化到户)."""
    PERSON = "person"
    """Quantified to a person (折股量化到人); paid through the person's household."""
    COLLECTIVE = "collective"
    """The collective share kept by the village (集体股)."""


_HOLDER_KIND_ZH: Final[Mapping[Any, str]] = {
    EquityHolderKind.HOUSEHOLD: "到户",
    EquityHolderKind.PERSON: "到人",
    EquityHolderKind.COLLECTIVE: "集体股",
}


def _text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            f"{attribute.name} must be a non-empty string",
            f"{attribute.name} 不能为空",
            record=getattr(instance, "holder_id", None),
            field=attribute.name,
            actual=value,
        )


def _day(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise wrong_type(
            attribute.name, value, "a datetime.date", "日期 datetime.date", record=getattr(instance, "holder_id", None)
        )


def _shares(value: object) -> Fraction:
    if isinstance(value, float | bool) or not isinstance(value, int | Fraction | str):
        raise wrong_type("shares", value, "int, Fraction or text", "整数、分数或文本")
    return Fraction(value)


@attrs.frozen(kw_only=True)
class EquityHolding:
    """Shares held by one holder over ``[since, until)`` (股权登记).

    Attributes:
        holder_id: the household's, person's or collective's id.
        kind: household, person or collective share.
        shares: shares held, a count (``12``) or an exact fraction (``Fraction(1, 3)``),
            greater than zero.
        since: first day held.
        until: first day no longer held, ``None`` while held.
        household_id: for a person, the household through which the person is paid;
            ``None`` for the others (a household or the collective is paid itself).
        document: the quantification record (折股量化方案/股权证号), if any.

    Raises:
        InvalidValue: an empty id, shares not above zero, a person without a household.
        InvalidPeriod: ``until`` not after ``since``.
        TypeError: float shares or a datetime for a date.
    """

    holder_id: str = attrs.field(validator=_text)
    kind: EquityHolderKind = attrs.field(validator=member_of(EquityHolderKind))
    shares: Fraction = attrs.field(converter=_shares)
    since: date = attrs.field(validator=_day)
    until: date | None = None
    household_id: str | None = None
    document: str | None = None

    def __attrs_post_init__(self) -> None:
        """Refuse empty holdings, empty spans and a person paid through no household."""
        if self.shares <= 0:
            raise InvalidValue(
                f"shares must be above zero, found {self.shares}",
                f"股份须大于零，实为 {self.shares}",
                record=self.holder_id,
                field="shares",
                actual=str(self.shares),
            )
        if self.until is not None and self.until <= self.since:
            raise InvalidPeriod(
                f"until {self.until} is not after since {self.since}",
                f"止日 {self.until} 不晚于起日 {self.since}",
                record=self.holder_id,
                field="until",
                actual=self.until.isoformat(),
            )
        if (self.kind is EquityHolderKind.PERSON) != (self.household_id is not None):
            raise InvalidValue(
                "a person's shares name the household paid for them; other holders name none",
                "到人股份须注明所在农户，其他持股对象不注明",
                record=self.holder_id,
                field="household_id",
                actual=self.household_id,
            )

    def covers(self, day: date) -> bool:
        """Whether the holding is held on ``day``."""
        return self.since <= day and (self.until is None or day < self.until)

    @property
    def payee_id(self) -> str:
        """Who is paid for the shares: the person's household, else the holder itself."""
        return self.household_id or self.holder_id


def _holdings(values: Iterable[EquityHolding]) -> tuple[EquityHolding, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class EquityRegister:
    """The dated register of members' quantified shares of one organisation (成员股权登记簿).

    Attributes:
        organisation: the collective economic organisation or cooperative whose shares
            these are (e.g. a 股份经济合作社), by party id.
        holdings: the holdings with their spans; one holder's spans never overlap.

    Raises:
        InvalidValue: an empty organisation, or two overlapping spans of one holder.
    """

    organisation: str
    holdings: tuple[EquityHolding, ...] = attrs.field(default=(), converter=_holdings)

    def __attrs_post_init__(self) -> None:
        """Refuse overlapping spans of one holder."""
        if not isinstance(self.organisation, str) or not self.organisation.strip():
            raise InvalidValue("organisation must be a non-empty string", "组织不能为空", field="organisation")
        by_holder: dict[str, list[EquityHolding]] = {}
        for h in self.holdings:
            by_holder.setdefault(h.holder_id, []).append(h)
        for holder, spans in by_holder.items():
            ordered = sorted(spans, key=lambda h: h.since)
            for before, after in pairwise(ordered):
                if before.until is None or before.until > after.since:
                    raise InvalidValue(
                        f"holder {holder}: a holding from {after.since} overlaps one from {before.since}",
                        f"持股对象 {holder}：{after.since} 起的股份与 {before.since} 起的股份重叠",
                        record=self.organisation,
                        field="holdings",
                        actual=holder,
                    )

    def shares_on(self, day: date) -> dict[str, Fraction]:
        """Shares held on ``day`` by holder id (holders with none are left out)."""
        return {h.holder_id: h.shares for h in self.holdings if h.covers(day)}

    def total_on(self, day: date) -> Fraction:
        """All shares outstanding on ``day`` (总股本)."""
        return sum(self.shares_on(day).values(), Fraction(0))

    def payee_shares_on(self, day: date) -> dict[str, Fraction]:
        """Shares on ``day`` by payee: a person's shares are added to the household's."""
        out: dict[str, Fraction] = {}
        for h in self.holdings:
            if h.covers(day):
                out[h.payee_id] = out.get(h.payee_id, Fraction(0)) + h.shares
        return out

    def change(
        self,
        *,
        effective: date,
        holder_id: str,
        shares: Fraction | int | str,
        kind: EquityHolderKind = EquityHolderKind.HOUSEHOLD,
        household_id: str | None = None,
        document: str | None = None,
    ) -> EquityRegister:
        """Record a change of one holder's shares from ``effective`` on (股权变更).

        The holder's current span ends on ``effective``; ``shares`` above zero open a new
        span, zero only ends the holding (退股). History is kept: a new register is returned.

        Raises:
            InvalidValue: negative shares, or a change dated before the holder's current span.
        """
        amount = _shares(shares)
        if amount < 0:
            raise InvalidValue(
                f"shares must not be negative, found {amount}",
                f"股份不能为负数，实为 {amount}",
                record=holder_id,
                field="shares",
                actual=str(amount),
            )
        kept: list[EquityHolding] = []
        for h in self.holdings:
            if h.holder_id == holder_id and (h.until is None or h.until > effective):
                if h.since == effective:  # replaced the same day: it never held
                    continue
                if h.since > effective:
                    raise InvalidValue(
                        f"holder {holder_id}: a change on {effective} does not follow the holding from {h.since}",
                        f"持股对象 {holder_id}：{effective} 的变更早于 {h.since} 起的股份",
                        record=self.organisation,
                        field="effective",
                        actual=effective.isoformat(),
                    )
                kept.append(attrs.evolve(h, until=effective))
            else:
                kept.append(h)
        if amount > 0:
            kept.append(
                EquityHolding(
                    holder_id=holder_id,
                    kind=kind,
                    shares=amount,
                    since=effective,
                    household_id=household_id,
                    document=document,
                )
            )
        return EquityRegister(organisation=self.organisation, holdings=tuple(kept))

    def payees(self, beneficiaries: Iterable[Beneficiary], day: date) -> tuple[Beneficiary, ...]:
        """The beneficiaries with their shares on ``day``, for a ``shares`` split.

        Each beneficiary gets the shares held for it on ``day`` (``None`` when it holds
        none, which a ``shares`` split refuses); every payee of a holding must be among
        the beneficiaries, so no share's income is silently shared out among the others.

        Raises:
            UnknownReference: a payee holding shares on ``day`` is not a beneficiary.
        """
        people = list(beneficiaries)
        held = self.payee_shares_on(day)
        known = {b.id for b in people}
        for payee in sorted(held):
            if payee not in known:
                raise UnknownReference(
                    f"{payee} holds {held[payee]} shares of {self.organisation} on {day} but is not a beneficiary",
                    f"{payee} 于 {day} 持有 {self.organisation} 股份 {held[payee]}，但不在受益对象中",
                    record=self.organisation,
                    field="holdings",
                    actual=payee,
                )
        return tuple(attrs.evolve(b, shares=held.get(b.id)) for b in people)


def equity_from_snapshots(organisation: str, snapshots: Iterable[RosterSnapshot]) -> EquityRegister:
    """The equity register recorded by stored roster snapshots' 股份 column.

    Snapshots are taken in ``known_on`` order (then ``recorded_at``, then id, as
    :func:`~assetreg.income.books.roster_history` does); a household's shares hold from the
    first snapshot that lists them until one that lists other shares or none. Households
    listed without shares hold none. Pass one area's snapshots as known at one instant
    (:func:`~assetreg.income.books.as_known_at`).
    """
    register = EquityRegister(organisation=organisation)
    current: dict[str, Fraction] = {}
    for snap in sorted(snapshots, key=lambda s: (s.known_on, s.recorded_at, s.id)):
        listed = {h.household_id: h.shares for h in snap.households if h.shares}
        for holder in sorted(set(current) | set(listed)):
            if current.get(holder) != listed.get(holder):
                register = register.change(
                    effective=snap.known_on, holder_id=holder, shares=listed.get(holder) or 0, document=snap.id
                )
        current = {k: v for k, v in listed.items() if v is not None}
    return register
