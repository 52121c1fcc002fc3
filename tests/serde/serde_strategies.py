"""Hypothesis strategies building legal registers for the serde round-trip tests."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from assetreg.domain.assets import Asset, FundingLine, Project
from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.events import (
    Approval,
    AssetEvent,
    AssetRegistered,
    ContractEnded,
    ContractSigned,
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
from assetreg.domain.money import Money
from assetreg.domain.parties import (
    Cooperative,
    CountyDepartment,
    Enterprise,
    Household,
    Party,
    PartyId,
    Township,
    VillageCollective,
)
from assetreg.domain.periods import Period
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import (
    ContractId,
    ContractTerms,
    EscalationSchedule,
    GuaranteedReturn,
    OperatingContract,
    OwnerShare,
    ProfitShare,
)
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    CustodyMethod,
    DisposalMethod,
    DisposalTrigger,
    FloorSemantics,
    FundingSource,
    HouseholdStatus,
    LaborCapacity,
    MonitorType,
    OperationMode,
    PaymentFrequency,
)

# Village codes under 会宁县 会师镇 (620422100), shape per DESIGN §5.
VILLAGES = ("620422100201", "620422100202", "620422101203", "620423100204")

text = st.text(alphabet="光伏电站村集体道路大棚 AB-_/\"\\'\n\t1é😀", min_size=1, max_size=12).filter(
    lambda s: s.strip() != ""
)
maybe_text = st.none() | text
fen = st.integers(min_value=0, max_value=10**13)
money = fen.map(Money)
maybe_money = st.none() | money
dates = st.dates(min_value=date(2013, 1, 1), max_value=date(2030, 12, 31))
decimals = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
fractions = st.fractions(min_value=0, max_value=1, max_denominator=1000)
advance_fractions = fractions.filter(lambda f: f > 0)  # GuaranteedReturn takes an advance in (0, 1]
offsets = st.integers(min_value=-14 * 4, max_value=14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))


def resident_id(area: str, birth: date, seq: int) -> ResidentId:
    """Build a valid GB 11643 number (check character computed)."""
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return ResidentId(body + check)


def credit_code(body: str) -> CreditCode:
    """Build a valid GB 32100 code from its first 17 characters (check computed)."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(charset.index(c) * w for c, w in zip(body, weights, strict=True))
    return CreditCode(body + charset[(31 - total % 31) % 31])


@st.composite
def shares(draw: st.DrawFn, holders: list[PartyId]) -> tuple[OwnerShare, ...]:
    """1–3 distinct holders with positive Fraction shares adding up to exactly 1."""
    chosen = draw(st.lists(st.sampled_from(holders), min_size=1, max_size=3, unique=True))
    weights = draw(st.lists(st.integers(1, 97), min_size=len(chosen), max_size=len(chosen)))
    total = sum(weights)
    return tuple(OwnerShare(h, Fraction(w, total)) for h, w in zip(chosen, weights, strict=True))


@st.composite
def parties(draw: st.DrawFn) -> list[Party]:
    out: list[Party] = []
    n_villages = draw(st.integers(1, 3))
    for i in range(n_villages):
        code = draw(st.none() | st.just(credit_code(f"N2620422MA{i:07d}")))
        out.append(
            VillageCollective(id=PartyId(f"V{i}"), name=draw(text), admin_code=AdminCode(VILLAGES[i]), credit_code=code)
        )
    out.append(Township(id=PartyId("T0"), name="会师镇人民政府", admin_code=AdminCode("620422100")))
    out.append(CountyDepartment(id=PartyId("D0"), name="会宁县农业农村局", admin_code=AdminCode("620422")))
    out.append(Cooperative(id=PartyId("C0"), name=draw(text), admin_code=AdminCode(VILLAGES[0])))
    out.append(
        Enterprise(
            id=PartyId("E0"),
            name=draw(text),
            admin_code=AdminCode("620422"),
            credit_code=credit_code("91620422MA7300001"),
        )
    )
    for i in range(draw(st.integers(0, 3))):
        status = draw(st.sampled_from(HouseholdStatus))
        monitor = (
            draw(st.sampled_from(MonitorType)) if status is HouseholdStatus.MONITORED and draw(st.booleans()) else None
        )
        rid = resident_id("620422", draw(st.dates(date(1940, 1, 1), date(2005, 12, 31))), draw(st.integers(0, 999)))
        out.append(
            Household(
                id=PartyId(f"H{i}"),
                name=draw(st.text(max_size=6)),
                admin_code=AdminCode(VILLAGES[0]),
                size=draw(st.integers(1, 12)),
                status=status,
                monitor_type=monitor,
                labor_capacity=draw(st.sampled_from(LaborCapacity)),
                head_resident_id=draw(st.none() | st.just(rid)),
            )
        )
    return out


@st.composite
def funding(draw: st.DrawFn, total: int) -> tuple[FundingLine, ...]:
    if draw(st.booleans()):
        return ()
    cuts = sorted(draw(st.lists(st.integers(0, total), max_size=2)))
    bounds = [0, *cuts, total]
    return tuple(
        FundingLine(draw(st.sampled_from(FundingSource)), Money(b - a), draw(maybe_text))
        for a, b in itertools.pairwise(bounds)
    )


@st.composite
def assets(draw: st.DrawFn, asset_id: str) -> Asset:
    value = draw(fen)
    project = draw(
        st.none()
        | st.builds(Project, code=text, name=text, year=st.none() | st.integers(2013, 2030), department=maybe_text)
    )
    return Asset(
        id=asset_id,
        name=draw(text),
        asset_class=draw(st.sampled_from(AssetClass)),
        form=draw(st.sampled_from(AssetForm)),
        kind=draw(st.sampled_from(AssetKind)),
        location=AdminCode(draw(st.sampled_from(VILLAGES))),
        original_value=Money(value),
        funding=draw(funding(value)),
        project=project,
        quantity=draw(st.none() | decimals),
        unit=draw(maybe_text),
        capacity_kw=draw(st.none() | decimals),
        completed_on=draw(st.none() | dates),
        handed_over_on=draw(st.none() | dates),
        supervising_department=draw(maybe_text),
        note=draw(maybe_text),
    )


@st.composite
def terms(draw: st.DrawFn) -> ContractTerms:
    escalation = None
    fixed = None
    if draw(st.booleans()):
        escalation = EscalationSchedule(
            start_rate=draw(money),
            step=draw(money),
            every_years=draw(st.integers(1, 10)),
            cap=draw(maybe_money),
            units=draw(decimals),
            unit=draw(st.sampled_from(["亩", "平方米"])),
        )
    else:
        fixed = draw(maybe_money)
    floor = None
    if draw(st.booleans()):
        if draw(st.booleans()):
            floor = GuaranteedReturn(
                rate=draw(fractions),
                base=draw(money),
                frequency=draw(st.sampled_from(PaymentFrequency)),
                advance_fraction=draw(st.none() | advance_fractions),
            )
        else:
            floor = GuaranteedReturn(amount=draw(money), frequency=draw(st.sampled_from(PaymentFrequency)))
    share = draw(st.none() | st.builds(ProfitShare, rate=fractions, semantics=st.sampled_from(FloorSemantics)))
    return ContractTerms(
        fixed_rent=fixed,
        rent_frequency=draw(st.sampled_from(PaymentFrequency)),
        escalation=escalation,
        guaranteed_return=floor,
        profit_share=share,
        advance=draw(maybe_money),
    )


class _Clock:
    """Recorded instants moving forward by random steps, shown in random UTC offsets."""

    def __init__(self, draw: st.DrawFn, start: datetime) -> None:
        self.draw = draw
        self.now = start

    def tick(self) -> datetime:
        step = self.draw(st.integers(0, 10**11))  # microseconds, up to ~28 hours
        self.now += timedelta(microseconds=step)
        return self.now.astimezone(self.draw(offsets))


@st.composite
def histories(draw: st.DrawFn, asset_id: str, holders: list[PartyId], start: datetime) -> list[AssetEvent]:
    """A legal history: registration, then rights, contracts, changes, a correction, maybe disposal."""
    asset = draw(assets(asset_id))
    clock = _Clock(draw, start)
    d0 = draw(st.dates(date(2014, 1, 1), date(2024, 12, 31)))
    n = 0

    def eid() -> EventId:
        nonlocal n
        n += 1
        return EventId(f"{asset_id}-e{n}")

    def common(offset: int) -> dict[str, Any]:
        return {
            "asset_id": asset_id,
            "effective": d0 + timedelta(days=offset),
            "recorded_at": clock.tick(),
            "event_id": eid(),
            "note": draw(maybe_text),
        }

    out: list[AssetEvent] = []
    staged = draw(st.booleans())
    out.append(
        AssetRegistered(asset=asset, status=AssetStatus.COMPLETED if staged else AssetStatus.IN_USE, **common(0))
    )
    if staged:
        out.append(
            HandedOver(recipient=draw(st.none() | st.sampled_from(holders)), document=draw(maybe_text), **common(1))
        )
        out.append(StatusChanged(status=AssetStatus.IN_USE, reason=draw(maybe_text), **common(2)))
    if draw(st.booleans()):
        out.append(OwnershipConfirmed(holders=draw(shares(holders)), document=draw(maybe_text), **common(3)))
    if draw(st.booleans()):
        out.append(
            CustodianAssigned(
                custodian=draw(st.sampled_from(holders)),
                method=draw(st.sampled_from(CustodyMethod)),
                valid_to=draw(st.none() | st.just(d0 + timedelta(days=900))),
                duties=draw(maybe_text),
                upkeep_budget=draw(maybe_money),
                document=draw(maybe_text),
                **common(4),
            )
        )
        if draw(st.booleans()):
            out.append(CustodyEnded(**common(5)))
    if asset.asset_class is AssetClass.OPERATING and draw(st.booleans()):
        start_day = d0 + timedelta(days=draw(st.integers(0, 30)))
        contract = OperatingContract(
            id=ContractId(f"{asset_id}-c1"),
            asset_id=asset_id,
            operator=draw(st.sampled_from(holders)),
            mode=draw(st.sampled_from(OperationMode)),
            term=Period(start_day, start_day + timedelta(days=draw(st.integers(1, 3650)))),
            terms=draw(terms()),
            document=draw(maybe_text),
        )
        out.append(ContractSigned(contract=contract, **common(6)))
        if draw(st.booleans()):
            out.append(ContractEnded(contract_id=contract.id, reason=draw(maybe_text), **common(7)))
    if draw(st.booleans()):
        out.append(StatusChanged(status=AssetStatus.IDLE, reason=draw(maybe_text), **common(8)))
    revalued = Revalued(book_value=draw(money), reason=draw(maybe_text), **common(9))
    out.append(revalued)
    if draw(st.booleans()):
        fields = common(10)
        replacement = None
        if draw(st.booleans()):
            replacement = Revalued(
                asset_id=asset_id,
                effective=revalued.effective,
                recorded_at=fields["recorded_at"],
                event_id=eid(),
                book_value=draw(money),
                reason=draw(maybe_text),
            )
        out.append(Corrected(supersedes=revalued.event_id, replacement=replacement, reason=draw(maybe_text), **fields))
    if asset.asset_class is not AssetClass.HOUSEHOLD and draw(st.booleans()):
        approvals = tuple(
            Approval(level=level, body=draw(text), approved_on=d0 + timedelta(days=1990), document=draw(maybe_text))
            for level in draw(
                st.lists(st.sampled_from(["village_assembly", "township", "county_finance"]), unique=True)
            )
        )
        out.append(
            DisposalApproved(
                method=draw(st.sampled_from(DisposalMethod)),
                trigger=draw(st.sampled_from(DisposalTrigger)),
                approvals=approvals,
                **common(2000),
            )
        )
        if draw(st.booleans()):
            out.append(
                Disposed(
                    method=draw(st.sampled_from(DisposalMethod)),
                    proceeds=draw(money),
                    proceeds_to=draw(st.none() | st.sampled_from(holders)),
                    document=draw(maybe_text),
                    **common(2001),
                )
            )
    return out


@st.composite
def registers(draw: st.DrawFn) -> AssetRegister:
    """A legal register of a few parties and 0–4 assets with varied histories."""
    people = draw(parties())
    holders = [p.id for p in people]
    start = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(microseconds=draw(st.integers(0, 10**14)))
    events: list[AssetEvent] = []
    for i in range(draw(st.integers(0, 4))):
        events.extend(draw(histories(f"620422-{i:04d}", holders, start)))
    return AssetRegister.of(people, events)
