"""What an audit reads (审计对象): the register plus income, distributions and notices.

DESIGN §10 writes a check as ``(register, *, as_of, policy)``; revenue, distributions,
public notices and beneficiary lists are not part of the domain register, so checks
take :class:`AuditBooks` — the :class:`~assetreg.domain.register.AssetRegister` plus
those records, all optional. A bare register is wrapped with :meth:`AuditBooks.of`.

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
from assetreg.domain.events import AssetRegistered, CustodianAssigned
from assetreg.domain.history import DisposalRecord, StatusSpan, fold
from assetreg.domain.money import Money
from assetreg.domain.periods import Period, require_aware
from assetreg.domain.register import AssetRegister
from assetreg.domain.rights import Custodianship, OperatingContract, Ownership

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from datetime import date, datetime

    from assetreg.domain.codes import AdminCode
    from assetreg.domain.parties import Party, PartyId
    from assetreg.domain.vocab import AssetClass, AssetStatus

__all__ = [
    "AssetFacts",
    "AuditBooks",
    "BeneficiaryList",
    "Distribution",
    "DistributionLine",
    "FoldFailure",
    "NoticeRecord",
    "RegisterFacts",
    "RevenueLike",
    "RosterLike",
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
class DistributionLine:
    """One payment of a distribution (分配明细行).

    Attributes:
        beneficiary: the party paid.
        amount: amount paid (fen).
        tier: the plan tier the line cites (档次/用途).
        purpose: the purpose of the money (P6: ``"upkeep"``, ``"public_welfare_posts"``,
            ``"equal_cash"``…), if recorded.
        beneficiary_kind: ``"household"``, ``"collective"``, ``"reserve"``, ``"post_holder"``
            or ``"party"`` when recorded (as in ``income.AllocationLine``).
    """

    beneficiary: PartyId
    amount: Money
    tier: str = ""
    purpose: str | None = None
    beneficiary_kind: str | None = None

    @property
    def is_household(self) -> bool:
        """Whether the line says it pays a household (``beneficiary_kind == "household"``)."""
        return self.beneficiary_kind == "household"


@attrs.frozen(kw_only=True)
class Distribution:
    """A distribution carried out (收益分配记录): what was paid, when, from which income.

    Attributes:
        id: distribution id.
        total: the amount to distribute (fen); its lines must add up to it.
        lines: the payments.
        paid_on: the day the money was paid out (兑付日期), or ``None`` while pending.
        asset_ids: assets whose income it distributes.
        revenue_ids: revenue entries it distributes.
        period: the income period it covers, half-open.
        village: area code of the distributing village.
        notice_id: the public notice (公示) of the plan, if posted.
    """

    id: str
    total: Money
    lines: tuple[DistributionLine, ...] = attrs.field(converter=tuple)
    paid_on: date | None = None
    asset_ids: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    revenue_ids: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    period: Period | None = None
    village: AdminCode | None = None
    notice_id: str | None = None

    @property
    def lines_total(self) -> Money:
        """The sum of the lines (fen)."""
        return Money(sum(line.amount.fen for line in self.lines))


@attrs.frozen(kw_only=True)
class NoticeRecord:
    """A public notice as posted (公示记录), P7.

    Attributes:
        id: notice id.
        posted: first day posted (inclusive).
        closed: last day posted (inclusive).
        subject: what it announces (a distribution id, a disposal…).
        village: area code where it was posted.
    """

    id: str
    posted: date
    closed: date
    subject: str | None = None
    village: AdminCode | None = None


@runtime_checkable
class RosterLike(Protocol):
    """What audit reads of a beneficiary list with its history; ``income.Roster`` fits."""

    def is_eligible(self, beneficiary_id: str, day: date) -> bool:
        """Whether ``beneficiary_id`` is on the list on ``day``."""
        ...

    def exited_on(self, day: date) -> frozenset[str]:
        """Ids that were on the list before ``day`` and are not on it on ``day``."""
        ...


@attrs.frozen(kw_only=True)
class BeneficiaryList:
    """The reviewed beneficiary list of one village (受益对象名单), P11.

    Attributes:
        village: the village's area code.
        roster: the list with its history (``income.Roster`` or any :class:`RosterLike`).
    """

    village: AdminCode
    roster: RosterLike


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
    "distributions": "distribution_records",
    "notices": "notice_records",
    "beneficiaries": "beneficiary_records",
}


@attrs.frozen(kw_only=True)
class AuditBooks:
    """The books an audit reads (审计账册): the register plus optional income records.

    Attributes:
        register: the asset register.
        revenue_entries: revenue entries (``income.RevenueEntry`` or anything
            :class:`RevenueLike`); ``None`` when not supplied (init argument ``revenue``).
        distribution_records: distributions carried out (init ``distributions``).
        notice_records: public notices posted (init ``notices``).
        beneficiary_records: reviewed beneficiary lists, P11 (init ``beneficiary_lists``).
        known_at: audit the register as it was known at this instant (``None`` = all).
        party_scope: an area-code prefix limiting checks about parties (set by
            :meth:`restrict`).
        holidays: public holidays, for notices counted in working days (P7).
        workdays: weekend days worked in exchange for a holiday (调休上班日), likewise.
    """

    register: AssetRegister
    revenue_entries: tuple[RevenueLike, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="revenue"
    )
    distribution_records: tuple[Distribution, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="distributions"
    )
    notice_records: tuple[NoticeRecord, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="notices"
    )
    beneficiary_records: tuple[BeneficiaryList, ...] | None = attrs.field(
        default=None, converter=_frozen_tuple, alias="beneficiary_lists"
    )
    known_at: datetime | None = None
    party_scope: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_dates)
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Refuse a naive ``known_at``."""
        if self.known_at is not None:
            require_aware(self.known_at, field="known_at")

    @property
    def revenue(self) -> tuple[RevenueLike, ...]:
        """Revenue entries (empty when not supplied)."""
        return self.revenue_entries or ()

    @property
    def distributions(self) -> tuple[Distribution, ...]:
        """Distributions (empty when not supplied)."""
        return self.distribution_records or ()

    @property
    def notices(self) -> tuple[NoticeRecord, ...]:
        """Public notices (empty when not supplied)."""
        return self.notice_records or ()

    @property
    def beneficiary_lists(self) -> tuple[BeneficiaryList, ...]:
        """Beneficiary lists (empty when not supplied)."""
        return self.beneficiary_records or ()

    def supplies(self, part: str) -> bool:
        """Whether ``part`` was supplied to the books, even empty.

        ``part`` is ``"revenue"``, ``"distributions"``, ``"notices"`` or
        ``"beneficiaries"``. Checks needing a part that was not
        supplied are skipped by the runner: "no PV income" means nothing when income was
        never loaded.
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

        Revenue follows its asset; distributions and notices are kept when their village
        (or, failing that, one of their assets) lies inside ``prefix``. Parties are all
        kept (owners may sit above the area) but checks about parties only look inside
        ``prefix``.
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

        def inside(village: AdminCode | None, assets: Iterable[str]) -> bool:
            if village is not None:
                return prefix is None or village.value.startswith(prefix)
            ids = list(assets)
            return not ids or any(AssetId(a) in kept for a in ids)

        return AuditBooks(
            register=register,
            # a part that was not supplied stays "not supplied" (None), so that checks
            # needing it are still skipped: restricting must only ever remove findings
            revenue=None
            if self.revenue_entries is None
            else tuple(r for r in self.revenue_entries if AssetId(r.asset_id) in kept),
            distributions=None
            if self.distribution_records is None
            else tuple(d for d in self.distribution_records if inside(d.village, d.asset_ids)),
            notices=None
            if self.notice_records is None
            else tuple(n for n in self.notice_records if inside(n.village, ())),
            beneficiary_lists=None
            if self.beneficiary_records is None
            else tuple(b for b in self.beneficiary_records if prefix is None or b.village.value.startswith(prefix)),
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


def _location(history: Any) -> str | None:
    for event in history.events:
        if isinstance(event, AssetRegistered):
            return str(event.asset.location.value)
    return None
