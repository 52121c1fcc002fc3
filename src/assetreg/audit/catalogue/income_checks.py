"""Checks over income, distributions and notices (收益、分配与公示检查), DESIGN §10.

They read the books' revenue entries (anything shaped like ``income.RevenueEntry``)
and the income books of DESIGN §12 — :class:`~assetreg.income.books.Distribution`,
:class:`~assetreg.income.books.PublicNotice`, :class:`~assetreg.income.books.Payment` and
:class:`~assetreg.income.books.RosterSnapshot`, the same values the store keeps — with the
register's facts folded once per ``as_of``. Revenue received and distributions computed
after ``as_of`` are not seen; a distribution's payment day is its first payment's.
"""

# ruff: noqa: ARG001 - every check has the (books, *, as_of, policy) shape

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from assetreg.audit.checks import check
from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.domain.money import Money
from assetreg.domain.parties import Household, PartyId
from assetreg.domain.periods import Period, add_months, add_years
from assetreg.domain.policy import Policy
from assetreg.domain.vocab import AssetClass, AssetKind, AssetStatus, HouseholdStatus
from assetreg.income.beneficiaries import BeneficiaryKind
from assetreg.income.contracts import instalments
from assetreg.income.notice import DayUnit as NoticeDayUnit
from assetreg.income.notice import counted_days
from assetreg.income.purpose import Purpose
from assetreg.income.revenue import RevenueKind, income_in_period, pass_on_deadline_for

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from assetreg.audit.books import AssetFacts, AuditBooks, RevenueLike
    from assetreg.domain.rights import OperatingContract
    from assetreg.income.books import Distribution
    from assetreg.income.results import AllocationLine

__all__ = ["EQUAL_CASH_MIN_HOUSEHOLDS", "INCOME_CHECKS"]

EQUAL_CASH_MIN_HOUSEHOLDS: Final = 5
"""Fewest household lines of one identical amount that make a distribution look like
equal cash to all (简单发钱, 一分了之); below that, equal amounts are common by chance."""

_CONTRACT_KINDS: Final = frozenset({"rent", "guaranteed_return", "profit_share", "land_rent"})
_CONTRACT_REVENUE_KINDS: Final = frozenset(
    {RevenueKind.RENT, RevenueKind.LAND_RENT, RevenueKind.GUARANTEED_RETURN, RevenueKind.PROFIT_SHARE}
)


def _kind(entry: RevenueLike) -> str:
    value = getattr(entry.kind, "value", entry.kind)
    return str(value)


def _seen(books: AuditBooks, as_of: date) -> Iterator[RevenueLike]:
    for entry in books.revenue:
        if entry.received <= as_of:
            yield entry


# -- revenue ---------------------------------------------------------------------------
@check(
    code="AUD-601",
    title_en="Revenue on a disposed asset",
    title_zh="已处置资产仍有收益",
    rule="P12",
    severity=Severity.ERROR,
    needs=("revenue",),
)
def revenue_after_disposal(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Income for a period starting on or after the asset's disposal date."""
    facts_all = books.facts(as_of)
    for entry in _seen(books, as_of):
        facts = facts_all.get(entry.asset_id)
        if facts is None or facts.disposal is None or facts.disposal.disposed_on is None:
            continue
        if entry.period.start >= facts.disposal.disposed_on:
            yield revenue_after_disposal_finding(
                entry.id,
                asset_id=entry.asset_id,
                amount=entry.amount,
                period=entry.period,
                disposed_on=facts.disposal.disposed_on,
                area=facts.area,
            )


def revenue_after_disposal_finding(
    entry_id: str, *, asset_id: str, amount: Money, period: Period, disposed_on: date, area: str
) -> Finding:
    """The AUD-601 finding (shared by the in-memory and the SQL versions)."""
    return revenue_after_disposal.finding(
        entry_id,
        f"revenue {entry_id} of {amount.to_json()} yuan is for {period} on asset {asset_id}, "
        f"disposed of on {disposed_on.isoformat()}",
        f"收益 {entry_id}（{amount.to_json()} 元，期间 {period}）所属资产 "
        f"{asset_id} 已于 {disposed_on.isoformat()} 处置",
        evidence={"asset_id": asset_id, "amount": amount, "period_start": period.start, "disposed_on": disposed_on},
        subject_kind=SubjectKind.REVENUE,
        area=area,
    )


@check(
    code="AUD-602",
    title_en="Revenue for an asset not in the register",
    title_zh="收益所属资产不在台账中",
    rule="§6",
    severity=Severity.ERROR,
    needs=("revenue",),
)
def revenue_unknown_asset(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Income booked to an asset id the register does not hold (or not registered by then)."""
    facts_all = books.facts(as_of)
    broken = {f.asset_id for f in facts_all.failures}
    for entry in _seen(books, as_of):
        if facts_all.get(entry.asset_id) is None and entry.asset_id not in broken:
            yield revenue_unknown_asset.finding(
                entry.id,
                f"revenue {entry.id} is booked to asset {entry.asset_id}, which is not in the register",
                f"收益 {entry.id} 记入的资产 {entry.asset_id} 不在台账中",
                evidence={
                    "asset_id": entry.asset_id,
                    "amount": entry.amount,
                    "received": entry.received,
                },
                subject_kind=SubjectKind.REVENUE,
            )


@check(
    code="AUD-603",
    title_en="Contract income after the contract ended",
    title_zh="合同到期后仍有合同收益",
    rule="P8",
    severity=Severity.ERROR,
    needs=("revenue",),
)
def revenue_after_contract(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Rent, floor return or profit share for a period after its contract ended.

    An entry naming a contract is compared with that contract's end (term end or early
    end); an entry naming none with the latest end of the asset's contracts.
    """
    facts_all = books.facts(as_of)
    for entry in _seen(books, as_of):
        facts = facts_all.get(entry.asset_id)
        if facts is None or not facts.contracts or _kind(entry) not in _CONTRACT_KINDS:
            continue
        contracts = [c for c, _ in facts.contracts]
        if entry.contract_id is not None:
            contracts = [c for c in contracts if c.id == entry.contract_id]
            if not contracts:
                continue
        end = max(facts.contract_end(c) for c in contracts)
        if entry.period.start >= end:
            yield revenue_after_contract.finding(
                entry.id,
                f"revenue {entry.id} ({_kind(entry)}) for {entry.period} on asset {entry.asset_id} "
                f"comes after its contract ended on {end.isoformat()}",
                f"资产 {entry.asset_id} 的合同已于 {end.isoformat()} 终止，仍有收益 {entry.id}（期间 {entry.period}）",
                evidence={
                    "asset_id": entry.asset_id,
                    "contract_id": entry.contract_id,
                    "contract_end": end,
                    "period_start": entry.period.start,
                    "amount": entry.amount,
                },
                subject_kind=SubjectKind.REVENUE,
                area=facts.area,
            )


@check(
    code="AUD-604",
    title_en="Collective income booked on a household asset",
    title_zh="到户类资产记入集体收益",
    rule="§6",
    severity=Severity.WARNING,
    needs=("revenue",),
)
def revenue_on_household_asset(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Household assets leave collective income distribution alone (DESIGN §6)."""
    facts_all = books.facts(as_of)
    for entry in _seen(books, as_of):
        facts = facts_all.get(entry.asset_id)
        if facts is not None and facts.asset.asset_class is AssetClass.HOUSEHOLD:
            yield household_revenue_finding(entry.id, asset_id=entry.asset_id, amount=entry.amount, area=facts.area)


def household_revenue_finding(entry_id: str, *, asset_id: str, amount: Money, area: str) -> Finding:
    """The AUD-604 finding (shared by the in-memory and the SQL versions)."""
    return revenue_on_household_asset.finding(
        entry_id,
        f"revenue {entry_id} is booked on household asset {asset_id}",
        f"收益 {entry_id} 记在到户类资产 {asset_id} 上",
        evidence={"asset_id": asset_id, "amount": amount},
        subject_kind=SubjectKind.REVENUE,
        area=area,
    )


@check(
    code="AUD-605",
    title_en="PV station without income for months",
    title_zh="光伏电站连续数月无收益",
    rule="P9",
    severity=Severity.WARNING,
    params=("pv_no_income_months",),
    needs=("revenue",),
)
def pv_without_income(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A PV station in use without income for ``policy.pv_no_income_months`` months.

    Only stations in use for at least that long are judged; income counts by the day
    it was received.
    """
    months = policy.pv_no_income_months
    window_start = add_months(as_of, -months)
    by_asset = books.revenue_by_asset()
    for facts in books.facts(as_of):
        if facts.asset.kind is not AssetKind.PV_STATION or facts.status is not AssetStatus.IN_USE:
            continue
        in_use_since = _in_use_since(facts)
        if in_use_since > window_start:
            continue
        received = [e.received for e in by_asset.get(facts.asset_id, ()) if e.received <= as_of]
        last = max(received, default=None)
        if last is None or last <= window_start:
            yield pv_no_income_finding(
                facts.asset_id, last=last, months=months, in_use_since=in_use_since, area=facts.area
            )


def pv_no_income_finding(asset_id: str, *, last: date | None, months: int, in_use_since: date, area: str) -> Finding:
    """The AUD-605 finding (shared by the in-memory and the SQL versions)."""
    return pv_without_income.finding(
        asset_id,
        f"PV station {asset_id} has received no income since "
        f"{last.isoformat() if last else 'it went into use'} (over {months} months)",
        f"光伏电站 {asset_id} 超过 {months} 个月无收益（最近到账 {last.isoformat() if last else '无'}）",
        evidence={"last_received": last, "months": months, "in_use_since": in_use_since},
        area=area,
    )


def _in_use_since(facts: AssetFacts) -> date:
    """Start of the current unbroken stretch of in-use status."""
    since = facts.status_since
    for span in reversed(facts.spans):
        if span.status is not AssetStatus.IN_USE:
            break
        since = span.start
    return since


@check(
    code="AUD-606",
    title_en="Contract income (rent, guaranteed return) unpaid or short",
    title_zh="合同租金或保底收益未足额到账",
    rule="P8",
    severity=Severity.ERROR,
    params=("rounding",),
    needs=("revenue",),
)
def contract_income_short(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Rent or floor return received below what the contract made fall due (P8).

    For each full contract year (anniversary to anniversary) ended by ``as_of`` and by
    the contract's end, what fell due (``income.contracts.instalments``: rent, escalation,
    guaranteed return by rate or amount, advances netted in due order) is compared with
    rent, land rent, floor return and profit share received for that year
    (``income.revenue.income_in_period``; lump sums spread). Receipts count when they
    name the contract, or name none on an asset with a single contract.
    """
    by_asset = books.revenue_by_asset()
    for facts in books.facts(as_of):
        if not facts.contracts:
            continue
        single = len(facts.contracts) == 1
        entries = by_asset.get(facts.asset_id, ())
        for contract, ended in facts.contracts:
            terms = contract.terms
            if terms.fixed_rent is None and terms.escalation is None and terms.guaranteed_return is None:
                continue
            mine = [
                e
                for e in entries
                if e.received <= as_of and (e.contract_id == contract.id or (single and e.contract_id is None))
            ]
            yield from _short_years(facts, contract=contract, ended=ended, entries=mine, as_of=as_of, policy=policy)


def _short_years(
    facts: AssetFacts,
    *,
    contract: OperatingContract,
    ended: date | None,
    entries: list[RevenueLike],
    as_of: date,
    policy: Policy,
) -> Iterator[Finding]:
    stop = min(contract.term.end, ended) if ended is not None else contract.term.end
    windows = []
    year = 0
    while True:
        window = Period(add_years(contract.term.start, year), add_years(contract.term.start, year + 1))
        if window.end > stop or window.end > as_of:
            break
        windows.append(window)
        year += 1
    if not windows:
        return
    due = _net_due_by_window(contract, windows, policy)
    for window, expected in zip(windows, due, strict=True):
        received = income_in_period(entries, window, kinds=_CONTRACT_REVENUE_KINDS).fen  # type: ignore[arg-type]
        if received < expected:
            last = window.last.isoformat()
            yield contract_income_short.finding(
                facts.asset_id,
                f"contract {contract.id} made {Money(expected).to_json()} yuan fall due for "
                f"{window.start.isoformat()}–{last}, {Money(received).to_json()} was received",
                f"合同 {contract.id} 在 {window.start.isoformat()} 至 {last} 应收 {Money(expected).to_json()} 元，"
                f"实收 {Money(received).to_json()} 元",
                evidence={
                    "contract_id": contract.id,
                    "year_start": window.start,
                    "expected": Money(expected),
                    "received": Money(received),
                    "short": Money(expected - received),
                },
                area=facts.area,
            )


def _net_due_by_window(contract: OperatingContract, windows: list[Period], policy: Policy) -> list[int]:
    """Net amount due in each window: instalments due in it less the advance they consumed."""
    advance_left = contract.terms.advance.fen if contract.terms.advance is not None else 0
    totals = [0] * len(windows)
    for item in instalments(contract, mode=policy.rounding):
        used = min(advance_left, item.amount.fen)
        advance_left -= used
        for i, window in enumerate(windows):
            if window.contains(item.due):
                totals[i] += item.amount.fen - used
                break
    return totals


@check(
    code="AUD-608",
    title_en="PV income passed on after its deadline",
    title_zh="光伏收益未按期拨付",
    rule="P9",
    severity=Severity.WARNING,
    params=("coal_part_within_days", "subsidy_part_deadline"),
    needs=("revenue",),
)
def pv_passed_on_late(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """PV electricity income that reached the village after its pass-on deadline (P9).

    The coal-benchmark part is due ``policy.coal_part_within_days`` days after its quarter;
    the subsidy part by ``policy.subsidy_part_deadline`` of the next year (see
    :func:`~assetreg.income.revenue.pass_on_deadline`). Only entries received by ``as_of``
    are judged; the evidence gives the deadline and the days late.
    """
    within, (month, day) = policy.coal_part_within_days, policy.subsidy_part_deadline
    facts_all = books.facts(as_of)
    for entry in _seen(books, as_of):
        kind = _kind(entry)
        if kind not in {RevenueKind.ELECTRICITY_BENCHMARK.value, RevenueKind.ELECTRICITY_SUBSIDY.value}:
            continue
        deadline = pass_on_deadline_for(RevenueKind(kind), entry.period, policy)
        if deadline is None or entry.received <= deadline:
            continue
        facts = facts_all.get(entry.asset_id)
        late = (entry.received - deadline).days
        rule_en = (
            f"within {within} days after the quarter"
            if kind == RevenueKind.ELECTRICITY_BENCHMARK.value
            else f"by {month:02d}-{day:02d} of the next year"
        )
        yield pv_passed_on_late.finding(
            entry.id,
            f"PV income {entry.id} ({kind}, {entry.amount.to_json()} yuan for {entry.period}) arrived on "
            f"{entry.received.isoformat()}, {late} days after its deadline {deadline.isoformat()} ({rule_en})",
            f"光伏收益 {entry.id}（{entry.amount.to_json()} 元，期间 {entry.period}）于 {entry.received.isoformat()} "
            f"到账，超过拨付期限 {deadline.isoformat()} {late} 天",
            evidence={
                "asset_id": entry.asset_id,
                "kind": kind,
                "amount": entry.amount,
                "received": entry.received,
                "deadline": deadline,
                "days_late": late,
            },
            subject_kind=SubjectKind.REVENUE,
            area=None if facts is None else facts.area,
        )


# -- distributions ---------------------------------------------------------------------
def _paid(books: AuditBooks, as_of: date) -> Iterator[tuple[Distribution, date | None]]:
    """Distributions computed by ``as_of`` and not paid after it, with their payment day."""
    for dist in books.distributions:
        if dist.as_of > as_of:
            continue
        paid_on = books.paid_on(dist)
        if paid_on is None or paid_on <= as_of:
            yield dist, paid_on


def _area(dist: Distribution) -> str:
    return dist.area.value


def _is_household(line: AllocationLine, parties: Mapping[PartyId, object]) -> bool:
    return line.beneficiary_kind is BeneficiaryKind.HOUSEHOLD or isinstance(
        parties.get(PartyId(line.beneficiary_id)), Household
    )


@check(
    code="AUD-607",
    title_en="Income not distributed within the limit",
    title_zh="收益未在规定期限内分配",
    rule="P6",
    severity=Severity.WARNING,
    params=("distribute_within_days",),
    needs=("revenue", "distributions", "payments"),
)
def undistributed_income(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Income not distributed within ``policy.distribute_within_days`` of receipt.

    An entry counts as distributed when a distribution paid by the deadline (its first
    payment) cites it, or names its asset with a period covering the entry's. Household
    assets are left out.
    """
    limit = policy.distribute_within_days
    facts_all = books.facts(as_of)
    by_revenue = books.distributions_by_revenue()
    by_asset = books.distributions_by_asset()
    for entry in _seen(books, as_of):
        deadline = entry.received + timedelta(days=limit)
        if deadline >= as_of:
            continue
        facts = facts_all.get(entry.asset_id)
        if facts is not None and facts.asset.asset_class is AssetClass.HOUSEHOLD:
            continue
        candidates = [
            *by_revenue.get(entry.id, ()),
            *(d for d in by_asset.get(entry.asset_id, ()) if d.period.covers(entry.period)),
        ]
        days = [day for day in (books.paid_on(d) for d in candidates) if day is not None]
        if not any(day <= deadline for day in days):
            late = min(days, default=None)
            yield undistributed_income.finding(
                entry.id,
                f"revenue {entry.id} received {entry.received.isoformat()} was not distributed by "
                f"{deadline.isoformat()} ({limit} days)",
                f"收益 {entry.id}（{entry.received.isoformat()} 到账）"
                f"未在 {limit} 天内（{deadline.isoformat()} 前）分配",
                evidence={
                    "asset_id": entry.asset_id,
                    "amount": entry.amount,
                    "received": entry.received,
                    "deadline": deadline,
                    "paid_late_on": late,
                },
                subject_kind=SubjectKind.REVENUE,
                area=facts.area if facts is not None else None,
            )


@check(
    code="AUD-701",
    title_en="Distribution lines do not add up",
    title_zh="分配明细合计与分配总额不符",
    rule="§8",
    severity=Severity.ERROR,
    needs=("distributions",),
)
def distribution_total(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """The lines of a distribution add up to its total, to the fen."""
    for dist, _ in _paid(books, as_of):
        if dist.lines_total != dist.total:
            yield distribution_total.finding(
                dist.id,
                f"distribution {dist.id} pays {dist.lines_total.to_json()} yuan in its lines, "
                f"its total is {dist.total.to_json()}",
                f"分配 {dist.id} 明细合计 {dist.lines_total.to_json()} 元，分配总额 {dist.total.to_json()} 元",
                evidence={
                    "total": dist.total,
                    "lines_total": dist.lines_total,
                    "difference": dist.total - dist.lines_total,
                },
                subject_kind=SubjectKind.ALLOCATION,
                area=_area(dist),
            )


@check(
    code="AUD-702",
    title_en="Payment to an ineligible or exited payee",
    title_zh="向不符合条件或已退出的对象分配",
    rule="P11",
    severity=Severity.ERROR,
    needs=("distributions",),
)
def ineligible_payees(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Payments to payees who are not eligible on the day paid.

    Household payees must be on the beneficiary list of the distribution's area (its
    roster snapshots) on the day the line was paid (or the distribution's first payment,
    or ``as_of`` while unpaid); an exited household stops receiving from the next period
    (P11). Payees unknown to the register are reported too; without a list, ordinary
    (non-lifted, non-monitored) households receiving household dividends are.
    """
    parties = books.register.parties
    # the ids on each area's list on each day paid, built once: asking the list payee by
    # payee scans it whole (lines × households at a county's size)
    listed: dict[tuple[str, date], frozenset[str]] = {}
    for dist, paid_on in _paid(books, as_of):
        roster = books.roster_of(dist.area.value)
        for index, line in enumerate(dist.lines):
            day = books.line_paid_on(dist, index) or paid_on or as_of
            payee = line.beneficiary_id
            party = parties.get(PartyId(payee))
            household = _is_household(line, parties)
            reason = None
            if household and roster is not None and (dist.area.value, day) not in listed:
                listed[dist.area.value, day] = roster.eligible_on(day)
            if party is None and line.beneficiary_kind not in _NOT_PARTIES:
                reason = "unknown_party"
            elif household and roster is not None and payee not in listed[dist.area.value, day]:
                reason = "exited" if payee in roster.exited_on(day) else "not_on_list"
            elif (
                roster is None
                and isinstance(party, Household)
                and party.status is HouseholdStatus.ORDINARY
                and line.purpose in _HOUSEHOLD_PURPOSES
            ):
                reason = "ordinary_household"
            if reason is not None:
                yield ineligible_payees.finding(
                    dist.id,
                    f"distribution {dist.id} pays {line.amount.to_json()} yuan to {payee} ({reason})",
                    f"分配 {dist.id} 向 {payee} 支付 {line.amount.to_json()} "
                    f"元，对象不符合条件（{_REASON_ZH[reason]}）",
                    evidence={
                        "beneficiary": payee,
                        "reason": reason,
                        "amount": line.amount,
                        "paid_on": day,
                    },
                    subject_kind=SubjectKind.ALLOCATION,
                    area=_area(dist),
                )


_NOT_PARTIES: Final = frozenset({BeneficiaryKind.RESERVE, BeneficiaryKind.COLLECTIVE})
_HOUSEHOLD_PURPOSES: Final = frozenset({Purpose.HOUSEHOLD_DIVIDEND, Purpose.CONSOLIDATION})

_REASON_ZH: Final = {
    "unknown_party": "不在主体名录中",
    "exited": "已退出受益名单",
    "not_on_list": "不在受益名单上",
    "ordinary_household": "一般农户",
}


@check(
    code="AUD-703",
    title_en="Equal cash handed to all",
    title_zh="简单发钱、一分了之",
    rule="P6",
    severity=Severity.ERROR,
    params=("forbid_equal_cash",),
    needs=("distributions",),
)
def equal_cash(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Equal cash to every household (简单发钱), reported when ``policy.forbid_equal_cash``.

    A distribution paying every household the same amount (at least
    :data:`EQUAL_CASH_MIN_HOUSEHOLDS` households, nothing to anyone else), or any line whose
    purpose is ``equal_cash``.
    """
    if not policy.forbid_equal_cash:
        return
    parties = books.register.parties
    for dist, _ in _paid(books, as_of):
        households = [line for line in dist.lines if _is_household(line, parties)]
        labelled = any(line.purpose is Purpose.EQUAL_CASH for line in dist.lines)
        amounts = {line.amount.fen for line in households}
        flat = len(households) >= EQUAL_CASH_MIN_HOUSEHOLDS and len(households) == len(dist.lines) and len(amounts) == 1
        if labelled or flat:
            each = Money(next(iter(amounts))) if len(amounts) == 1 else None
            yield equal_cash.finding(
                dist.id,
                f"distribution {dist.id} hands the same cash to {len(households)} households",
                f"分配 {dist.id} 向 {len(households)} 户平均发放现金，属于简单发钱",
                evidence={
                    "households": len(households),
                    "each": each,
                    "labelled_equal_cash": labelled,
                },
                subject_kind=SubjectKind.ALLOCATION,
                area=_area(dist),
            )


@check(
    code="AUD-704",
    title_en="Income spent on a prohibited purpose",
    title_zh="收益用于禁止用途",
    rule="P6",
    severity=Severity.ERROR,
    params=("prohibited_purposes",),
    needs=("distributions",),
)
def prohibited_purpose(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Lines whose purpose is in ``policy.prohibited_purposes``.

    Committee running costs, vehicles, allowances, debt repayment; equal cash is AUD-703.
    """
    banned = {p.value for p in policy.prohibited_purposes - {Purpose.EQUAL_CASH}}
    for dist, _ in _paid(books, as_of):
        bad: dict[str, int] = defaultdict(int)
        for line in dist.lines:
            if line.purpose.value in banned:
                bad[line.purpose.value] += line.amount.fen
        if bad:
            yield prohibited_purpose.finding(
                dist.id,
                f"distribution {dist.id} spends on prohibited purposes: {', '.join(sorted(bad))}",
                f"分配 {dist.id} 用于禁止用途：{'、'.join(sorted(bad))}",
                evidence={"purposes": tuple(sorted(bad)), "amount": Money(sum(bad.values()))},
                subject_kind=SubjectKind.ALLOCATION,
                area=_area(dist),
            )


# -- notices (P7) ----------------------------------------------------------------------
@check(
    code="AUD-801",
    title_en="Notice shorter than the minimum",
    title_zh="公示期短于规定天数",
    rule="P7",
    severity=Severity.ERROR,
    params=("notice_days", "notice_unit"),
    needs=("notices",),
)
def short_notice(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A notice posted fewer days than ``policy.notice_days`` in ``policy.notice_unit``.

    Counting is inclusive: a 10-day notice posted 2024-09-09 may close 2024-09-18.
    """
    for notice in books.notices:
        if notice.closes_on > as_of:
            continue
        days = counted_days(
            notice.posted_on,
            notice.closes_on,
            NoticeDayUnit(policy.notice_unit.value),
            holidays=books.holidays,
            workdays=books.workdays,
        )
        if days < policy.notice_days:
            posted, closed = notice.posted_on.isoformat(), notice.closes_on.isoformat()
            yield short_notice.finding(
                notice.id,
                f"notice {notice.id} was posted {days} {policy.notice_unit.value} days "
                f"({posted}–{closed}), the minimum is {policy.notice_days}",
                f"公示 {notice.id}（{posted} 至 {closed}）仅 {days} 天，少于规定的 {policy.notice_days} 天",
                evidence={
                    "posted": notice.posted_on,
                    "closed": notice.closes_on,
                    "days": days,
                    "minimum": policy.notice_days,
                    "unit": policy.notice_unit,
                },
                subject_kind=SubjectKind.NOTICE,
                area=notice.area.value,
            )


@check(
    code="AUD-802",
    title_en="Distribution paid without notice or before it closed",
    title_zh="分配未公示或公示期未满即兑付",
    rule="P7",
    severity=Severity.ERROR,
    needs=("distributions", "notices", "payments"),
)
def paid_before_notice(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A paid distribution that was not posted, or paid on or before its notice's last day.

    The payment day is the distribution's first payment; when it was posted more than once
    (village and township, say), it waits for the notice that closes last.
    """
    by_distribution = books.notices_by_distribution()
    for dist, paid_on in _paid(books, as_of):
        if paid_on is None:
            continue
        posted = [n for n in by_distribution.get(dist.id, ()) if n.posted_on <= paid_on]
        if not posted:
            yield paid_before_notice.finding(
                dist.id,
                f"distribution {dist.id} was paid on {paid_on.isoformat()} without a public notice",
                f"分配 {dist.id} 于 {paid_on.isoformat()} 兑付，未经公示",
                evidence={"paid_on": paid_on, "notice_id": None},
                subject_kind=SubjectKind.ALLOCATION,
                area=_area(dist),
            )
            continue
        notice = max(posted, key=lambda n: (n.closes_on, n.id))
        if paid_on <= notice.closes_on:
            closed = notice.closes_on.isoformat()
            yield paid_before_notice.finding(
                dist.id,
                f"distribution {dist.id} was paid on {paid_on.isoformat()}, "
                f"before notice {notice.id} closed on {closed}",
                f"分配 {dist.id} 于 {paid_on.isoformat()} 兑付，早于公示 {notice.id} 结束日 {closed}",
                evidence={"paid_on": paid_on, "notice_id": notice.id, "notice_closed": notice.closes_on},
                subject_kind=SubjectKind.ALLOCATION,
                area=_area(dist),
            )


INCOME_CHECKS = (
    revenue_after_disposal,
    revenue_unknown_asset,
    revenue_after_contract,
    revenue_on_household_asset,
    pv_without_income,
    contract_income_short,
    undistributed_income,
    pv_passed_on_late,
    distribution_total,
    ineligible_payees,
    equal_cash,
    prohibited_purpose,
    short_notice,
    paid_before_notice,
)
"""The checks that read income, distributions and notices, in code order."""
