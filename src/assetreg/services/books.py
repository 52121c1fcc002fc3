"""Use cases of the income books (收益台账): record income, deductions, rosters, plans and payments.

Each writes in one unit of work (all or nothing) and returns how many records were new: a
record already stored with the same content (whenever it was recorded) is not stored
again, so re-running an import is harmless (DESIGN §12). Nothing here reads the clock: ``recorded_at`` is the caller's.

- :func:`record_income`: revenue entries and the deductions claimed against them (P9);
- :func:`record_roster`: a roster snapshot (受益名单) taken from the monitoring system;
- :func:`record_plans`: plan versions with their approval, from :class:`~assetreg.income.presets.PlanSpec`;
- :func:`record_payments`: payments of distribution lines (兑付), returned and failed ones
  and their re-payment, each checked against its line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

import attrs

from assetreg.domain.assets import AssetId
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.domain.parties import PartyId
from assetreg.domain.periods import Period
from assetreg.domain.policy import Policy
from assetreg.errors import DuplicateRecord, PaymentRefused, UnknownRecord
from assetreg.income.books import (
    ApprovalLevel,
    BookRecord,
    ClaimedDeduction,
    Distribution,
    Payment,
    PlanApproval,
    PlanVersion,
    RosterSnapshot,
)
from assetreg.income.presets import PLAN_PRESETS, PlanContext, PlanSpec
from assetreg.income.revenue import RevenueEntry
from assetreg.ports import UnitOfWork
from assetreg.services.distributing import refusal
from assetreg.services.income import plan_base

__all__ = [
    "IncomeRecorded",
    "distribution_areas",
    "record_income",
    "record_payments",
    "record_plans",
    "record_roster",
]


@attrs.frozen(kw_only=True)
class IncomeRecorded:
    """What :func:`record_income` stored: new revenue entries and new deduction records."""

    revenue_entries: int
    deductions: int


_B = TypeVar("_B", bound=BookRecord)


def _unseen(get: Callable[[str], _B], records: Sequence[_B]) -> list[_B]:
    """``records`` without those stored before with the same content (a re-import at another instant).

    A record stored under the same id with other content is kept, so the repository
    refuses it (``DuplicateRecord``): a correction is a new record that supersedes.
    """
    fresh = []
    for record in records:
        try:
            old = get(record.id)
        except UnknownRecord:
            fresh.append(record)
            continue
        if attrs.evolve(record, recorded_at=old.recorded_at) != old:
            fresh.append(record)
    return fresh


def record_income(
    uow: UnitOfWork, entries: Sequence[RevenueEntry], deductions: Sequence[ClaimedDeduction] = ()
) -> IncomeRecorded:
    """Store revenue entries and claimed deductions (收益与扣除).

    Every asset named must be stored (and inside the scope).

    Raises:
        UnknownAsset: an entry or deduction names an asset not stored (or out of scope).
        DuplicateRecord: an id stored with other content.
        ScopeViolation: a deduction's area lies outside the scope.
        PersistenceError: the store failed (nothing was written).
    """
    with uow:
        for asset_id in sorted({e.asset_id for e in entries} | {d.asset_id for d in deductions}):
            uow.assets.get(AssetId(asset_id))
        stored = IncomeRecorded(
            revenue_entries=uow.revenue.add(entries),
            deductions=uow.deductions.add(_unseen(uow.deductions.get, deductions)),
        )
        uow.commit()
    return stored


def record_roster(uow: UnitOfWork, snapshot: RosterSnapshot) -> int:
    """Store a roster snapshot (受益名单); returns 1 when new, 0 when already stored.

    Raises:
        DuplicateRecord, ScopeViolation, UnknownRecord, PersistenceError: as the repository.
    """
    with uow:
        count = uow.rosters.add(_unseen(uow.rosters.get, [snapshot]))
        uow.commit()
    return count


def record_plans(
    uow: UnitOfWork, specs: Sequence[PlanSpec], policy: Policy, *, recorded_at: datetime
) -> tuple[PlanVersion, ...]:
    """Store plan versions with their approvals, one per owner of each spec's assets.

    The preset is built for each owner in force on ``effective_from`` (its operator, and
    the policy's base, P9); an asset with several owners gets one version per owner, with
    the owner's id appended to the version id (``LT-PV-2019/V1``).

    Returns:
        The versions (stored now or before).

    Raises:
        UnknownAsset: an asset not stored (or out of scope).
        DistributionRefused: an asset has no owner on ``effective_from``.
        InvalidChoice: an approval level outside :class:`~assetreg.income.books.ApprovalLevel`.
        DuplicateRecord, ScopeViolation, PersistenceError: as the repository.
    """
    base = plan_base(policy)
    versions: list[PlanVersion] = []
    with uow:
        for spec in specs:
            owners: dict[str, PartyId | None] = {}
            area = None
            for asset_id in spec.asset_ids:
                history = uow.assets.get(AssetId(asset_id))
                state = history.state(as_of=spec.effective_from)
                if state.ownership is None:
                    raise refusal(asset_id, "no_owner", on=spec.effective_from)
                operator = state.operators[0] if state.operators else state.custodian
                for holder in state.ownership.holders:
                    owners[str(holder.holder)] = None if operator == holder.holder else operator
                area = area or state.asset.location
            approval = None
            if spec.approval is not None:
                approval = PlanApproval(
                    level=ApprovalLevel(spec.approval.level),
                    body=spec.approval.body,
                    approved_on=spec.approval.approved_on,
                    minutes_ref=spec.approval.minutes_ref,
                )
            build = PLAN_PRESETS[spec.preset]
            for owner, operator in owners.items():
                plan = build(PlanContext(owner=owner, operator=operator, base=base))
                if spec.source:
                    plan = attrs.evolve(plan, source=f"{plan.source}; {spec.source}" if plan.source else spec.source)
                assert area is not None  # noqa: S101 - a spec lists at least one asset
                versions.append(
                    PlanVersion(
                        id=spec.id if len(owners) == 1 else f"{spec.id}/{owner}",
                        area=area,
                        recorded_at=recorded_at,
                        plan=plan,
                        version=spec.version,
                        policy=policy.name,
                        asset_ids=spec.asset_ids,
                        effective_from=spec.effective_from,
                        approval=approval,
                    )
                )
        uow.plans.add(_unseen(uow.plans.get, versions))
        uow.commit()
    return tuple(versions)


def _refuse(
    payment: Payment, reason: str, en: str, zh: str, *, field: str = "amount", **details: object
) -> PaymentRefused:
    return PaymentRefused(en, zh, record=payment.id, field=field, details={"reason": reason, **details})


class _Ledger:
    """The money settled on each line so far, and the payments known, while a batch is checked."""

    def __init__(self, uow: UnitOfWork, payments: Sequence[Payment]) -> None:
        self.uow = uow
        self.settled: dict[tuple[str, int], int] = {}
        self.known: dict[str, Payment] = {}
        for distribution_id in sorted({p.distribution_id for p in payments}):
            for stored in uow.payments.list(distribution_id=distribution_id):
                self.known[stored.id] = stored
                if stored.settled:
                    key = (stored.distribution_id, stored.line_index)
                    self.settled[key] = self.settled.get(key, 0) + stored.amount.fen
        self.batch = {p.id: p for p in payments}
        self.current_ids: dict[tuple[str, Period], set[str]] = {}
        self.repaid_by: dict[str, str] = {p.repays: p.id for p in self.known.values() if p.repays is not None}
        self.superseded = {p.supersedes for p in payments if p.supersedes}

    def check(self, payment: Payment) -> None:
        if self.known.get(payment.id) == payment:
            return  # stored before with the same content: the retry is harmless
        if payment.id in self.known:
            raise DuplicateRecord(
                f"payment {payment.id} is already recorded with other content; record a correction under a new id",
                f"兑付 {payment.id} 已以不同内容记录，请以新编号记录更正",
                record=payment.id,
                field="id",
            )
        distribution = self.uow.distributions.get(payment.distribution_id)
        if distribution.id not in self._current(distribution):
            raise _refuse(
                payment,
                "superseded",
                f"payment {payment.id} pays distribution {distribution.id}, which a revision replaced",
                f"兑付 {payment.id} 对应的分配 {distribution.id} 已被更正版本替代",
                field="distribution_id",
            )
        line = distribution.line(payment.line_index)
        number = payment.line_index + 1  # as the payment list and explain --asset number lines
        if line.beneficiary_id != payment.beneficiary_id:
            raise _refuse(
                payment,
                "wrong_payee",
                f"payment {payment.id} pays {payment.beneficiary_id}, line {number} of {distribution.id} pays "
                f"{line.beneficiary_id}",
                f"兑付 {payment.id} 的收款人 {payment.beneficiary_id} 与分配 {distribution.id} 第 {number} 行的 "
                f"{line.beneficiary_id} 不符",
                field="beneficiary_id",
            )
        key = (payment.distribution_id, payment.line_index)
        replaced = self.known.get(payment.supersedes or "")
        if replaced is not None and replaced.settled:
            # the corrected payment no longer counts (a return, or a paid amount corrected)
            self.settled[key] = self.settled.get(key, 0) - replaced.amount.fen
        if payment.repays is not None:
            self._check_repaid(payment)
        if payment.settled:
            total = self.settled.get(key, 0) + payment.amount.fen
            if total > line.amount.fen:
                raise _refuse(
                    payment,
                    "overpaid",
                    f"payment {payment.id} brings line {number} of {payment.distribution_id} to "
                    f"{Money(total).format_yuan()} yuan, above its {line.amount.format_yuan()}",
                    f"兑付 {payment.id} 使分配 {payment.distribution_id} 第 {number} 行累计兑付 "
                    f"{Money(total).format_yuan()} 元，超过应付 {line.amount.format_yuan()} 元",
                    line_amount=line.amount,
                    settled=Money(total),
                )
            self.settled[key] = total
        self.known[payment.id] = payment

    def _current(self, distribution: Distribution) -> set[str]:
        """Ids of the current (not superseded) distributions of ``distribution``'s asset and period."""
        key = (distribution.asset_ids[0] if distribution.asset_ids else "", distribution.period)
        if key not in self.current_ids:
            listed = self.uow.distributions.list(asset_id=key[0] or None, period=distribution.period)
            self.current_ids[key] = {d.id for d in listed}
        return self.current_ids[key]

    def _check_repaid(self, payment: Payment) -> None:
        repays = payment.repays or ""
        repaid = self.known.get(repays) or self.batch.get(repays)
        if repaid is None:
            raise UnknownRecord(
                f"payment {payment.id} repays {repays}, which is not recorded",
                f"兑付 {payment.id} 补发的 {repays} 没有记录",
                record=payment.id,
                field="repays",
            )
        if repaid.settled and repaid.id not in self.superseded:
            raise _refuse(
                payment,
                "repays_settled",
                f"payment {payment.id} repays {repaid.id}, which was paid, not returned or failed",
                f"兑付 {payment.id} 补发的 {repaid.id} 已兑付，并非退回或失败",
                field="repays",
            )
        if (repaid.distribution_id, repaid.line_index) != (payment.distribution_id, payment.line_index):
            raise _refuse(
                payment,
                "repays_other_line",
                f"payment {payment.id} repays {repaid.id}, a payment of another line",
                f"兑付 {payment.id} 补发的 {repaid.id} 属于其他分配明细行",
                field="repays",
            )
        earlier = self.repaid_by.get(repaid.id)
        if earlier is not None and earlier != payment.id:
            raise _refuse(
                payment,
                "repaid_twice",
                f"payment {payment.id} repays {repaid.id}, which {earlier} already repays",
                f"兑付 {payment.id} 补发的 {repaid.id} 已由 {earlier} 补发",
                field="repays",
            )
        self.repaid_by[repaid.id] = payment.id


def record_payments(uow: UnitOfWork, payments: Sequence[Payment]) -> int:
    """Store payments of distribution lines (兑付), each checked against its line; returns how many were new.

    A payment must name the line's payee; the money settled on a line (``PAID`` payments
    not superseded by a return) may not exceed the line's amount; a re-payment
    (``repays``) must name a returned or failed payment of the same line. A returned
    payment is a ``RETURNED`` record superseding the ``PAID`` one.

    Raises:
        UnknownRecord: the distribution (or the payment repaid) is not stored.
        AllocationError: no such line.
        DuplicateRecord: a payment id already recorded with other content.
        PaymentRefused: wrong payee, overpaid, a distribution replaced by a revision, or a
            re-payment of a payment that was not returned or failed, of another line, or
            already repaid (``details["reason"]``).
        DuplicateRecord, ScopeViolation, PersistenceError: as the repository.
    """
    with uow:
        fresh = _unseen(uow.payments.get, payments)
        ledger = _Ledger(uow, fresh)
        for payment in fresh:
            ledger.check(payment)
        count = uow.payments.add(fresh)
        uow.commit()
    return count


def distribution_areas(uow: UnitOfWork, distribution_ids: Iterable[str]) -> dict[str, AdminCode]:
    """The area of each stored distribution (a payment is booked in its distribution's area).

    Raises:
        UnknownRecord: a distribution is not stored (or out of scope).
    """
    with uow:
        return {i: uow.distributions.get(i).area for i in sorted(set(distribution_ids))}
