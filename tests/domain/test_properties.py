"""Property tests: money is exact; folding a history does not depend on input order."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetreg.domain.assets import AssetId
from assetreg.domain.events import (
    AssetEvent,
    Corrected,
    CustodianAssigned,
    CustodyEnded,
    DisposalApproved,
    Disposed,
    EventId,
    HandedOver,
    OwnershipConfirmed,
    Revalued,
    StatusChanged,
)
from assetreg.domain.history import ALLOWED_TRANSITIONS, AssetHistory, AssetState
from assetreg.domain.money import Money, RoundingMode, round_fen
from assetreg.domain.parties import PartyId
from assetreg.domain.rights import OwnerShare
from assetreg.domain.vocab import AssetStatus, CustodyMethod, DisposalMethod, DisposalTrigger
from assetreg.errors import UnknownAsset
from domain.builders import at, pv_asset, registered

S = AssetStatus
fen = st.integers(min_value=-(10**15), max_value=10**15)


class TestMoneyIsExact:
    @given(fen, fen, fen)
    def test_addition_and_subtraction_match_int_fen(self, a: int, b: int, c: int) -> None:
        x, y, z = Money(a), Money(b), Money(c)
        assert (x + y) + z == x + (y + z)
        assert (x + y).fen == a + b
        assert (x - y).fen == a - b
        assert (x - y) + y == x
        assert x + y == y + x
        negated = -x
        assert -negated == x
        assert x - x == Money(0)
        assert (x - y) == -(y - x)
        assert sum([x, y, z]) == Money(a + b + c)

    @given(fen, st.integers(min_value=-1000, max_value=1000))
    def test_integer_multiplication(self, a: int, k: int) -> None:
        assert (Money(a) * k).fen == a * k
        assert Money(a).times(k) == Money(a) * k

    @given(fen)
    def test_yuan_round_trip(self, a: int) -> None:
        m = Money(a)
        assert Money.yuan(m.format_yuan()) == m
        assert Money.yuan(m.format_yuan(grouping=True)) == m
        assert Money.parse(m.format_yuan(grouping=True, unit=True)) == m
        assert Money.parse(str(m)) == m
        assert Money.yuan(m.yuan_decimal) == m
        assert Money.yuan(m.to_json()) == m

    @given(fen)
    def test_wan_round_trip(self, a: int) -> None:
        m = Money(a)
        assert Money.wan(m.format_wan(places=6, unit=False)) == m
        assert Money.parse(m.format_wan(places=6)) == m
        assert Money.wan(m.wan_decimal) == m
        # four places is a display rounding: within half a yuan (50 fen)
        assert abs(Money.parse(m.format_wan()).fen - a) <= 50

    @given(fen, st.fractions(min_value=-10, max_value=10, max_denominator=10**6))
    def test_times_rounds_to_the_nearest_fen(self, a: int, rate: Fraction) -> None:
        exact = rate * a
        for mode in (RoundingMode.HALF_UP, RoundingMode.HALF_EVEN):
            assert abs(Money(a).times(rate, mode).fen - exact) <= Fraction(1, 2)
        assert Money(a).times(rate, RoundingMode.FLOOR).fen <= exact <= Money(a).times(rate, RoundingMode.CEILING).fen
        assert (
            abs(Money(a).times(rate, RoundingMode.DOWN).fen)
            <= abs(exact)
            <= abs(Money(a).times(rate, RoundingMode.UP).fen)
        )

    @given(st.fractions(min_value=-(10**6), max_value=10**6))
    def test_half_up_mirrors_negatives(self, value: Fraction) -> None:
        assert round_fen(-value) == -round_fen(value)
        assert round_fen(-value, RoundingMode.HALF_EVEN) == -round_fen(value, RoundingMode.HALF_EVEN)


# -- random legal histories ---------------------------------------------------------------

AID = AssetId("HN-PV-001")
D0 = date(2018, 1, 1)
T0 = at(2018, 1, 1)
VILLAGES = [PartyId("VC-A"), PartyId("VC-B"), PartyId("VC-C")]
SHARE_SETS = [
    ((VILLAGES[0], "1"),),
    ((VILLAGES[0], "1/2"), (VILLAGES[1], "1/2")),
    ((VILLAGES[0], "1/2"), (VILLAGES[1], "1/3"), (VILLAGES[2], "1/6")),
    ((VILLAGES[2], "2/3"), (VILLAGES[1], "1/3")),
]
RANK = {s: i for i, s in enumerate(S)}


def _instant(batch: int) -> datetime:
    return T0 + timedelta(hours=batch)


@st.composite
def legal_histories(draw: st.DrawFn) -> list[tuple[int, AssetEvent]]:  # noqa: PLR0912 - one generator draws the whole history
    """A legal history as (batch, event) pairs; events of one batch share ``recorded_at``.

    Status steps are recorded in effective order; same-day steps within one batch only
    move forward in the lifecycle. Other facts (ownership, custody, revaluation) get any
    effective date up to the end and any batch, and some are corrected later.
    """
    counter = iter(range(10_000))

    def eid() -> EventId:
        # a random prefix, so that id order says nothing about generation order
        return EventId(f"{draw(st.integers(0, 999)):03d}-{next(counter)}")

    start = draw(st.sampled_from([S.PLANNED, S.COMPLETED, S.IN_USE, S.IDLE]))
    events: list[tuple[int, AssetEvent]] = [
        (0, registered(pv_asset(), effective=D0, recorded=_instant(0), status=start))
    ]
    status, day, batch = start, D0, 0
    status_days = [D0]
    disposed_on: date | None = None
    for _ in range(draw(st.integers(0, 6))):
        options = sorted(
            (t for t in ALLOWED_TRANSITIONS[status] if t not in {S.DISPOSAL_APPROVED, S.DISPOSED, S.RESTRUCTURED}),
            key=lambda t: t.value,
        )
        choice = draw(st.sampled_from([*options, "dispose"])) if options else "dispose"
        gap = draw(st.one_of(st.just(0), st.integers(1, 400)))
        target = S.DISPOSAL_APPROVED if choice == "dispose" else choice
        assert isinstance(target, AssetStatus)
        if gap == 0 and choice != "dispose" and RANK[target] <= RANK[status]:
            gap = 1  # same-day steps recorded together fold in lifecycle order
        day += timedelta(days=gap)
        batch += draw(st.integers(0, 2))
        when = _instant(batch)
        if choice == "dispose":
            events.append(
                (
                    batch,
                    DisposalApproved(
                        asset_id=AID,
                        effective=day,
                        recorded_at=when,
                        event_id=eid(),
                        method=DisposalMethod.SCRAP,
                        trigger=DisposalTrigger.END_OF_LIFE,
                    ),
                )
            )
            if draw(st.booleans()):
                day += timedelta(days=draw(st.one_of(st.just(0), st.integers(1, 100))))
                batch += draw(st.integers(0, 2))
                events.append(
                    (
                        batch,
                        Disposed(
                            asset_id=AID,
                            effective=day,
                            recorded_at=_instant(batch),
                            event_id=eid(),
                            method=DisposalMethod.SCRAP,
                            proceeds=Money(draw(st.integers(0, 10**6))),
                        ),
                    )
                )
                disposed_on = day
            break
        if target is S.HANDED_OVER and draw(st.booleans()):
            event: AssetEvent = HandedOver(asset_id=AID, effective=day, recorded_at=when, event_id=eid())
        else:
            event = StatusChanged(asset_id=AID, effective=day, recorded_at=when, event_id=eid(), status=target)
        events.append((batch, event))
        status_days.append(day)
        status = target
    last = disposed_on or day + timedelta(days=200)
    span = (last - D0).days
    max_batch = batch + 3

    def some_day() -> date:
        # often a day on which something else happened too
        return draw(
            st.one_of(
                st.sampled_from(status_days), st.just(last), st.integers(0, span).map(lambda n: D0 + timedelta(days=n))
            )
        )

    def other_fact(effective: date, when: datetime, event_id: EventId) -> AssetEvent:
        kind = draw(st.sampled_from(["own", "custody", "end", "revalue"]))
        if kind == "own":
            holders = tuple(OwnerShare(p, s) for p, s in draw(st.sampled_from(SHARE_SETS)))
            return OwnershipConfirmed(
                asset_id=AID, effective=effective, recorded_at=when, event_id=event_id, holders=holders
            )
        if kind == "custody":
            return CustodianAssigned(
                asset_id=AID,
                effective=effective,
                recorded_at=when,
                event_id=event_id,
                custodian=draw(st.sampled_from(VILLAGES)),
                method=CustodyMethod.VILLAGE_COLLECTIVE,
            )
        if kind == "end":
            return CustodyEnded(asset_id=AID, effective=effective, recorded_at=when, event_id=event_id)
        return Revalued(
            asset_id=AID,
            effective=effective,
            recorded_at=when,
            event_id=event_id,
            book_value=Money(draw(st.integers(0, 10**9))),
        )

    facts: list[tuple[int, AssetEvent]] = []
    for _ in range(draw(st.integers(0, 8))):
        effective = some_day()
        b = draw(st.integers(0, max_batch))
        facts.append((b, other_fact(effective, _instant(b), eid())))
    for fact_batch, target_event in list(facts) + list(facts):  # some are corrected twice
        if draw(st.integers(0, 3)) == 0:
            b = max(
                fact_batch,
                *(cb for cb, e in facts if isinstance(e, Corrected) and e.supersedes == target_event.event_id),
                0,
            )
            cb = draw(st.integers(b + 1, b + 3))
            when = _instant(cb)
            replacement = None
            if draw(st.booleans()):
                effective = some_day()
                replacement = other_fact(effective, when, eid())
            facts.append(
                (
                    cb,
                    Corrected(
                        asset_id=AID,
                        effective=target_event.effective,
                        recorded_at=when,
                        event_id=eid(),
                        supersedes=target_event.event_id,
                        replacement=replacement,
                    ),
                )
            )
    for b, correction in [f for f in facts if isinstance(f[1], Corrected)]:
        if draw(st.integers(0, 3)) == 0:  # a correction of a correction
            cb = draw(st.integers(b + 1, b + 3))
            when = _instant(cb)
            replacement = None
            if draw(st.booleans()):
                effective = some_day()
                replacement = other_fact(effective, when, eid())
            facts.append(
                (
                    cb,
                    Corrected(
                        asset_id=AID,
                        effective=correction.effective,
                        recorded_at=when,
                        event_id=eid(),
                        supersedes=correction.event_id,
                        replacement=replacement,
                    ),
                )
            )
    return events + facts


def _states(history: AssetHistory, probes: list[tuple[date, datetime | None]]) -> list[AssetState | None]:
    out: list[AssetState | None] = []
    for as_of, known_at in probes:
        try:
            out.append(history.state(as_of=as_of, known_at=known_at))
        except UnknownAsset:
            out.append(None)
    return out


def _probes(pairs: list[tuple[int, AssetEvent]]) -> list[tuple[date, datetime | None]]:
    days = sorted({e.effective for _, e in pairs} | {D0 - timedelta(days=1)})
    days += [d + timedelta(days=1) for d in days[-2:]] + [d - timedelta(days=1) for d in days[1:3]]
    instants: list[datetime | None] = [None, *sorted({_instant(b) for b, _ in pairs})]
    instants.append(T0 - timedelta(hours=1))
    return [(d, k) for d in days for k in instants]


class TestFoldOrder:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(legal_histories(), st.randoms(use_true_random=False))
    def test_any_recording_order_gives_the_same_state(self, pairs: list[tuple[int, AssetEvent]], rnd: object) -> None:
        assert isinstance(rnd, random.Random)
        by_batch: dict[int, list[AssetEvent]] = {}
        for b, e in pairs:
            by_batch.setdefault(b, []).append(e)
        canonical = [e for b in sorted(by_batch) for e in by_batch[b]]
        reference = AssetHistory(AID).extend(canonical)
        # one batch per recorded_at, each shuffled: what an importer appending batches does
        appended = AssetHistory(AID)
        for b in sorted(by_batch):
            group = list(by_batch[b])
            rnd.shuffle(group)
            appended = appended.extend(group)
        probes = _probes(pairs)
        expected = _states(reference, probes)
        assert _states(appended, probes) == expected
        everything = list(canonical)
        rnd.shuffle(everything)
        assert _states(AssetHistory(AID, everything), probes) == expected
        assert reference.ownerships() == AssetHistory(AID, everything).ownerships()
        assert reference.custodianships() == appended.custodianships()
        assert reference.status_spans() == appended.status_spans()
        # custody is one at a time, ownership shares always add up to 1
        spans = reference.custodianships()
        for a, b in itertools.pairwise(spans):
            assert a.valid_to is not None
            assert a.valid_to <= b.valid_from
        for ownership in reference.ownerships():
            assert sum(h.share for h in ownership.holders) == 1
