"""What an audit reads (审计对象): the register plus the income books.

DESIGN §10 writes a check as ``(register, *, as_of, policy)``; revenue and the income
books (DESIGN §12: deductions, roster snapshots, plan versions, distributions, notices,
payments) are not part of the domain register, so checks take :class:`AuditBooks` — the
:class:`~assetreg.domain.register.AssetRegister` plus those records, all optional. The
records are the very values :mod:`assetreg.income.books` defines and the store keeps:
one model, no audit-only copies. A bare register is wrapped with :meth:`AuditBooks.of`.

Checks stay single-pass through :meth:`AuditBooks.facts`: every asset's history is
folded **once** per ``as_of`` into an :class:`AssetFacts` (status spans, ownership,
custody as folded and as declared, contracts, disposal), and indexes of revenue and
distributions by asset are built once and shared by every check.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from assetreg.domain.assets import Asset, AssetId
from assetreg.domain.events import AssetRegistered, CustodianAssigned, PurchaseRecorded
from assetreg.domain.history import DisposalRecord, StatusSpan, fold
from assetreg.domain.money import Money
from assetreg.domain.periods import Period, require_aware
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import Custodianship, OperatingContract, Ownership
from assetreg.income.books import (
    ClaimedDeduction,
    Distribution,
    Payment,
    PaymentStatus,
    PlanVersion,
    PublicNotice,
    RosterSnapshot,
    as_known_at,
    roster_history,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from datetime import date, datetime

    from assetreg.domain.parties import Party, PartyId
    from assetreg.domain.vocab import AssetClass, AssetStatus
    from assetreg.income.beneficiaries import Roster

__all__ = [
    "AssetFacts",
    "AuditBooks",
    "FoldFailure",
    "RegisterFacts",
    "RevenueLike",
]


@runtime_checkable
class RevenueLike(Protocol):
    """What audit reads of a revenue entry (收益记录); ``income.RevenueEntry`` fits.

    Attributes:
        id: entry id.
        asset_id: the asset that earned it.
        kind: an enum whose ``value`` names the kind (``"guaranteed_return"``…).
        amount: amount received (fen).
        period: the half-open period the income is for.
        received: the day it arrived (到账日期).
        contract_id: the contract it was paid under, if any.
    """

    @property
    def id(self) -> str:
        """Entry id."""
        ...

    @property
    def asset_id(self) -> str:
        """The asset that earned it."""
        ...

    @property
    def kind(self) -> Any:
        """An enum whose ``value`` names the kind."""
        ...

    @property
    def amount(self) -> Money:
        """Amount received (fen)."""
        ...

    @property
    def period(self) -> Period:
        """The half-open period the income is for."""
        ...

    @property
    def received(self) -> date:
        """The day it arrived."""
        ...

    @property
    def contract_id(self) -> str | None:
        """The contract it was paid under, or ``None``."""
        ...


@attrs.frozen(kw_only=True)
class FoldFailure:
    """An asset whose history cannot be folded (履历无法还原)."""

    asset_id: AssetId
    location: str | None
    error_type: str
    error_code: str | None


@attrs.frozen(kw_only=True, eq=False)
class AssetFacts:
    """One asset as seen on ``as_of`` (资产在审计日的事实), folded once.

    Attributes:
        asset: the description (corrections applied).
        status: status on ``as_of``.
        status_since: effective date of the last status change.
        spans: statuses held up to ``as_of``, half-open; the last has ``end=None``.
        ownership: the ownership in force on ``as_of``, or ``None``.
        custodianship: the custody in force on ``as_of`` (as folded), or ``None``.
        declared_custody: custody agreements as declared (not cut), in effective order.
        contracts: every contract signed by ``as_of`` with its early end (or ``None``).
        disposal: the disposal record, if any.
        book_value: book value on ``as_of`` (fen).
        purchases: guaranteed purchases (保底收购) made by ``as_of``, in effective order.
    """

    asset: Asset
    status: AssetStatus
    status_since: date
    spans: tuple[StatusSpan, ...]
    ownership: Ownership | None
    custodianship: Custodianship | None
    declared_custody: tuple[Custodianship, ...]
    contracts: tuple[tuple[OperatingContract, date | None], ...]
    disposal: DisposalRecord | None
    book_value: Money
    purchases: tuple[PurchaseRecorded, ...] = ()

    @property
    def asset_id(self) -> AssetId:
        """The asset's id."""
        return self.asset.id

    @property
    def area(self) -> str:
        """The asset's 12-digit area code."""
        return self.asset.location.value

    def live_contracts(self, on: date) -> tuple[OperatingContract, ...]:
        """Contracts whose term covers ``on`` and that had not ended early by then."""
        return tuple(c for c, ended in self.contracts if c.live_on(on) and (ended is None or on < ended))

    def contract_end(self, contract: OperatingContract) -> date:
        """First day the contract no longer runs (term end or early end)."""
        ended = {c.id: e for c, e in self.contracts}.get(contract.id)
        return min(contract.term.end, ended) if ended is not None else contract.term.end

    @property
    def owners(self) -> tuple[PartyId, ...]:
        """Owners on ``as_of``."""
        return tuple(h.holder for h in self.ownership.holders) if self.ownership else ()


def _facts(history_events: Sequence[Any], asset_id: AssetId, as_of: date) -> AssetFacts | None:
    events = [e for e in history_events if e.effective <= as_of]
    if not any(isinstance(e, AssetRegistered) for e in events):
        return None
    folder = fold(asset_id, events)
    assert folder.asset is not None  # noqa: S101 - a registration was folded
    ownership = folder.ownerships[-1] if folder.ownerships and folder.ownerships[-1].active_on(as_of) else None
    custody = folder.custody[-1] if folder.custody and folder.custody[-1].active_on(as_of) else None
    declared = tuple(
        Custodianship(
            asset_id=asset_id,
            custodian=e.custodian,
            method=e.method,
            valid_from=e.effective,
            valid_to=e.valid_to,
        )
        for e in events
        if isinstance(e, CustodianAssigned)
    )
    return AssetFacts(
        asset=folder.asset,
        status=folder.status,
        status_since=folder.status_since or as_of,
        spans=tuple(folder.spans),
        ownership=ownership,
        custodianship=custody,
        declared_custody=declared,
        contracts=tuple((c, folder.ended.get(cid)) for cid, c in sorted(folder.contracts.items())),
        disposal=folder.disposal,
        book_value=folder.book_value,
        purchases=tuple(e for e in events if isinstance(e, PurchaseRecorded)),
    )


class RegisterFacts:
    """Every asset's :class:`AssetFacts` on one date, with indexes shared by checks."""

    def __init__(self, facts: Mapping[AssetId, AssetFacts], failures: Sequence[FoldFailure]) -> None:
        """Hold ``facts`` by asset id (in id order) and the assets that failed to fold."""
        self.by_id: Mapping[AssetId, AssetFacts] = facts
        self.failures: tuple[FoldFailure, ...] = tuple(failures)

    def __iter__(self) -> Iterator[AssetFacts]:
        """Facts in asset-id order."""
        return iter(self.by_id.values())

    def __len__(self) -> int:
        """Number of assets folded."""
        return len(self.by_id)

    def get(self, asset_id: str) -> AssetFacts | None:
        """The facts of ``asset_id`` or ``None`` (unknown, not yet registered, or broken)."""
        return self.by_id.get(AssetId(asset_id))

    def of_class(self, *classes: AssetClass) -> Iterator[AssetFacts]:
        """Facts of assets of the given classes."""
        wanted = frozenset(classes)
        return (f for f in self.by_id.values() if f.asset.asset_class in wanted)


def _frozen_tuple(value: Iterable[Any] | None) -> tuple[Any, ...] | None:
    return None if value is None else tuple(value)


def _dates(values: Iterable[date]) -> frozenset[date]:
    return frozenset(values)


_PARTS: dict[str, str] = {
    "revenue": "revenue_entries",
    "deductions": "deduction_records",
    "rosters": "roster_records",
    "plans": "plan_records",
    "distributions": "distribution_records",
    "notices": "notice_records",
    "payments": "payment_records",
}
"""Parts of the books a check may need (``check(needs=...)``) and the attribute holding each."""


@attrs.frozen(kw_only=True)
class AuditBooks:
    """The books an audit reads (审计账册): the register plus the optional income books.

    Every income-books part is the tuple of records of :mod:`assetreg.income.books` as
    stored — corrections included; the properties (:attr:`distributions`…) give the
    records in force as known at :attr:`known_at` (:func:`~assetreg.income.books.as_known_at`).

    Attributes:
        register: the asset register.
        revenue_entries: revenue entries (``income.RevenueEntry`` or anything
            :class:`RevenueLike`); ``None`` when not supplied (init argument ``revenue``).
        deduction_records: claimed deductions (init ``deductions``).
        roster_records: beneficiary-list snapshots, P11 (init ``rosters``).
        plan_records: plan versions with their approvals (init ``plans``).
        distribution_records: distributions (init ``distributions``).
        notice_records: public notices posted (init ``notices``).
        payment_records: payments of distribution lines (init ``payments``).
        known_at: audit the books as they were known at this instant (``None`` = all).
        party_scope: an area-code prefix limiting checks about parties (set by
            :meth:`restrict`).
        holidays: public holidays, for notices counted in working days (P7).
        workdays: weekend days worked in exchange for a holiday (调休上班日), likewise.
    """

    register: AssetRegister
    revenue_entries: tuple[RevenueLike, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="revenue"
    )
    deduction_records: tuple[ClaimedDeduction, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="deductions"
    )
    roster_records: tuple[RosterSnapshot, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="rosters"
    )
    plan_records: tuple[PlanVersion, ...] | None = attrs.field(default=None, converter=_frozen_tuple, alias="plans")
    distribution_records: tuple[Distribution, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="distributions"
    )
    notice_records: tuple[PublicNotice, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="notices"
    )
    payment_records: tuple[Payment, ...] | None = attrs.field(default=None, converter=_frozen_tuple, alias="payments")
    known_at: datetime | None = None
    party_scope: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Refuse a naive ``known_at``."""
        if self.known_at is not None:
            require_aware(self.known_at, field="known_at")

    def _known(self, attribute: str) -> tuple[Any, ...]:
        key = ("known", attribute)
        cached = self._cache.get(key)
        if cached is None:
            cached = tuple(as_known_at(getattr(self, attribute) or (), self.known_at))
            self._cache[key] = cached
        return cached

    @property
    def revenue(self) -> tuple[RevenueLike, ...]:
        """Revenue entries (empty when not supplied)."""
        return self.revenue_entries or ()

    @property
    def deductions(self) -> tuple[ClaimedDeduction, ...]:
        """Claimed deductions in force as known at :attr:`known_at` (empty when not supplied)."""
        return self._known("deduction_records")

    @property
    def rosters(self) -> tuple[RosterSnapshot, ...]:
        """Roster snapshots in force as known at :attr:`known_at`."""
        return self._known("roster_records")

    @property
    def plans(self) -> tuple[PlanVersion, ...]:
        """Plan versions in force as known at :attr:`known_at`."""
        return self._known("plan_records")

    @property
    def distributions(self) -> tuple[Distribution, ...]:
        """Distributions in force as known at :attr:`known_at`."""
        return self._known("distribution_records")

    @property
    def notices(self) -> tuple[PublicNotice, ...]:
        """Public notices in force as known at :attr:`known_at`."""
        return self._known("notice_records")

    @property
    def payments(self) -> tuple[Payment, ...]:
        """Payments in force as known at :attr:`known_at`."""
        return self._known("payment_records")

    def supplies(self, part: str) -> bool:
        """Whether ``part`` was supplied to the books, even empty.

        ``part`` is one of :data:`_PARTS`' keys (``"revenue"``, ``"deductions"``,
        ``"rosters"``, ``"plans"``, ``"distributions"``, ``"notices"``, ``"payments"``).
        Checks needing a part that was not supplied are skipped by the runner: "no PV
        income" means nothing when income was never loaded.
        """
        attribute = _PARTS.get(part)
        if attribute is None:
            return True
        return getattr(self, attribute) is not None

    @classmethod
    def of(cls, target: AuditBooks | AssetRegister) -> AuditBooks:
        """Return ``target`` as books (a bare register is wrapped).

        Raises:
            TypeError: ``target`` is neither.
        """
        if isinstance(target, AuditBooks):
            return target
        if isinstance(target, AssetRegister):
            return cls(register=target)
        raise TypeError(f"cannot audit a {type(target).__name__}; pass an AssetRegister or AuditBooks")

    # -- narrowing -----------------------------------------------------------------------
    def restrict(self, *, prefix: str | None = None, classes: Iterable[AssetClass] | None = None) -> AuditBooks:
        """Books limited to assets inside an area-code ``prefix`` and of ``classes``.

        Revenue follows its asset; income-books records are kept when their area lies
        inside ``prefix``. Parties are all kept (owners may sit above the area) but checks
        about parties only look inside ``prefix``.
        """
        if prefix is None and classes is None:
            return self
        wanted = None if classes is None else frozenset(classes)
        histories = {}
        for aid, history in self.register.histories.items():
            try:
                asset = history.asset(self.known_at)
            except Exception:  # noqa: BLE001 - broken histories stay visible to the audit
                histories[aid] = history
                continue
            if prefix is not None and not asset.location.value.startswith(prefix):
                continue
            if wanted is not None and asset.asset_class not in wanted:
                continue
            histories[aid] = history
        register = AssetRegister(parties=self.register.parties, histories=histories)
        kept = frozenset(histories)

        def inside(records: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
            # a part that was not supplied stays "not supplied" (None), so that checks
            # needing it are still skipped: restricting must only ever remove findings
            if records is None or prefix is None:
                return records
            return tuple(r for r in records if r.area.value.startswith(prefix))

        return AuditBooks(
            register=register,
            revenue=None
            if self.revenue_entries is None
            else tuple(r for r in self.revenue_entries if AssetId(r.asset_id) in kept),
            deductions=inside(self.deduction_records),
            rosters=inside(self.roster_records),
            plans=inside(self.plan_records),
            distributions=inside(self.distribution_records),
            notices=inside(self.notice_records),
            payments=inside(self.payment_records),
            known_at=self.known_at,
            party_scope=prefix if prefix is not None else self.party_scope,
            holidays=self.holidays,
            workdays=self.workdays,
        )

    # -- indexes (built once, shared by every check) -----------------------------------
    def facts(self, as_of: date) -> RegisterFacts:
        """Every asset registered by ``as_of``, folded once (cached per ``as_of``)."""
        key = ("facts", as_of)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._build_facts(as_of)
            self._cache[key] = cached
        return cached

    def _build_facts(self, as_of: date) -> RegisterFacts:
        facts: dict[AssetId, AssetFacts] = {}
        failures: list[FoldFailure] = []
        for aid in sorted(self.register.histories):
            history = self.register.histories[aid]
            try:
                found = _facts(history.known(self.known_at), aid, as_of)
            except Exception as exc:  # noqa: BLE001 - a broken history is a finding, not a crash
                failures.append(
                    FoldFailure(
                        asset_id=aid,
                        location=_location(history),
                        error_type=type(exc).__name__,
                        error_code=getattr(exc, "code", None),
                    )
                )
                continue
            if found is not None:
                facts[aid] = found
        return RegisterFacts(facts, failures)

    def parties(self) -> Iterator[Party]:
        """Parties inside :attr:`party_scope`, sorted by id."""
        scope = self.party_scope
        for _, party in sorted(self.register.parties.items()):
            if scope is None or party.admin_code.value.startswith(scope):
                yield party

    def revenue_by_asset(self) -> Mapping[str, tuple[RevenueLike, ...]]:
        """Revenue entries grouped by asset id, each group sorted by (received, id)."""
        cached = self._cache.get("revenue_by_asset")
        if cached is None:
            grouped: dict[str, list[RevenueLike]] = defaultdict(list)
            for entry in self.revenue:
                grouped[entry.asset_id].append(entry)
            cached = {k: tuple(sorted(v, key=lambda e: (e.received, e.id))) for k, v in grouped.items()}
            self._cache["revenue_by_asset"] = cached
        return cached

    def distributions_by_revenue(self) -> Mapping[str, tuple[Distribution, ...]]:
        """Distributions grouped by the revenue entries they cite."""
        cached = self._cache.get("distributions_by_revenue")
        if cached is None:
            grouped: dict[str, list[Distribution]] = defaultdict(list)
            for dist in self.distributions:
                for rid in dist.revenue_ids:
                    grouped[rid].append(dist)
            cached = {k: tuple(v) for k, v in grouped.items()}
            self._cache["distributions_by_revenue"] = cached
        return cached

    def payments_by_distribution(self) -> Mapping[str, tuple[Payment, ...]]:
        """Payments in force grouped by distribution id, each group sorted by (paid_on, id)."""
        cached = self._cache.get("payments_by_distribution")
        if cached is None:
            grouped: dict[str, list[Payment]] = defaultdict(list)
            for payment in self.payments:
                grouped[payment.distribution_id].append(payment)
            cached = {k: tuple(sorted(v, key=lambda p: (p.paid_on, p.id))) for k, v in grouped.items()}
            self._cache["payments_by_distribution"] = cached
        return cached

    def paid_on(self, distribution: Distribution) -> date | None:
        """The first day money of ``distribution`` was paid out (兑付日期), ``None`` while unpaid.

        Payments that failed do not count; returned ones do (the money left).
        """
        return _first_paid(self.payments_by_distribution().get(distribution.id, ()))

    def line_paid_on(self, distribution: Distribution, index: int) -> date | None:
        """The first day line ``index`` of ``distribution`` was paid, ``None`` when no payment says."""
        return _first_paid(p for p in self.payments_by_distribution().get(distribution.id, ()) if p.line_index == index)

    def notices_by_distribution(self) -> Mapping[str, tuple[PublicNotice, ...]]:
        """Notices in force grouped by the distribution they post, sorted by (posted_on, id)."""
        cached = self._cache.get("notices_by_distribution")
        if cached is None:
            grouped: dict[str, list[PublicNotice]] = defaultdict(list)
            for notice in self.notices:
                grouped[notice.distribution_id].append(notice)
            cached = {k: tuple(sorted(v, key=lambda n: (n.posted_on, n.id))) for k, v in grouped.items()}
            self._cache["notices_by_distribution"] = cached
        return cached

    def roster_of(self, area: str) -> Roster | None:
        """The beneficiary list of ``area`` with its history, from the snapshots of that area.

        ``None`` when no snapshot of ``area`` is in the books.
        """
        cached = self._cache.get("rosters_by_area")
        if cached is None:
            grouped: dict[str, list[RosterSnapshot]] = defaultdict(list)
            for snap in self.rosters:
                grouped[snap.area.value].append(snap)
            cached = {k: roster_history(v) for k, v in grouped.items()}
            self._cache["rosters_by_area"] = cached
        roster: Roster | None = cached.get(area)
        return roster

    def distributions_by_asset(self) -> Mapping[str, tuple[Distribution, ...]]:
        """Distributions grouped by the assets they name."""
        cached = self._cache.get("distributions_by_asset")
        if cached is None:
            grouped: dict[str, list[Distribution]] = defaultdict(list)
            for dist in self.distributions:
                for aid in dist.asset_ids:
                    grouped[aid].append(dist)
            cached = {k: tuple(v) for k, v in grouped.items()}
            self._cache["distributions_by_asset"] = cached
        return cached


def _first_paid(payments: Iterable[Payment]) -> date | None:
    return min((p.paid_on for p in payments if p.status is not PaymentStatus.FAILED), default=None)


def _location(history: Any) -> str | None:
    for event in history.events:
        if isinstance(event, AssetRegistered):
            return str(event.asset.location.value)
    return None
