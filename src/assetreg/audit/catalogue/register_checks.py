"""Checks over the register alone (台账检查), DESIGN §10.

Custody, ownership, funding, operation, status, disposal, codes and duplicates.

Each check reads :meth:`AuditBooks.facts` (every history folded once per ``as_of``) and
makes one pass over it.
"""

# ruff: noqa: ARG001 - every check has the (books, *, as_of, policy) shape

from __future__ import annotations

import itertools
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from assetreg.audit.checks import check
from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.history import AssetState
from assetreg.domain.money import Money
from assetreg.domain.parties import Household
from assetreg.domain.register import owner_rule_problem
from assetreg.domain.vocab import (
    AssetClass,
    AssetForm,
    AssetKind,
    AssetStatus,
    DisposalMethod,
    PartyKind,
)
from assetreg.errors import InvalidCode

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from assetreg.audit.books import AssetFacts, AuditBooks
    from assetreg.domain.policy import Policy

__all__ = ["HELD", "REGISTER_CHECKS"]

HELD: Final = frozenset({AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.DAMAGED})
"""Statuses of an asset held and kept after hand-over (在用、闲置、损毁): it needs an owner
and, unless it belongs to a household, a custodian."""

_KEPT_CLASSES: Final = frozenset({AssetClass.PUBLIC_WELFARE, AssetClass.OPERATING})
_SALES: Final = frozenset({DisposalMethod.AUCTION, DisposalMethod.TRANSFER})


# -- history ---------------------------------------------------------------------------
@check(
    code="AUD-001",
    title_en="History cannot be folded",
    title_zh="资产履历无法还原",
    rule="§4",
    severity=Severity.ERROR,
)
def history_folds(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """An asset whose stored events do not form a legal history (e.g. loaded around the API)."""
    for failure in books.facts(as_of).failures:
        yield history_folds.finding(
            failure.asset_id,
            f"the events of asset {failure.asset_id} do not fold into a legal history ({failure.error_type})",
            f"资产 {failure.asset_id} 的变动事件无法还原为合法履历（{failure.error_type}）",
            evidence={"error_type": failure.error_type, "error_code": failure.error_code},
            area=failure.location,
        )


# -- custody (P5) ----------------------------------------------------------------------
@check(
    code="AUD-101",
    title_en="Asset in use without a custodian",
    title_zh="在用资产未落实管护主体",
    rule="P5",
    severity=Severity.ERROR,
)
def custodian_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Public-welfare and operating assets held (in use, idle, damaged) need one custodian."""
    for facts in books.facts(as_of):
        if facts.asset.asset_class in _KEPT_CLASSES and facts.status in HELD and facts.custodianship is None:
            last = facts.declared_custody[-1] if facts.declared_custody else None
            yield custodian_missing_finding(
                facts.asset_id,
                asset_class=facts.asset.asset_class,
                status=facts.status,
                last_custodian=last.custodian if last else None,
                last_custody_end=last.valid_to if last else None,
                area=facts.area,
                as_of=as_of,
            )


def custodian_missing_finding(
    asset_id: str,
    *,
    asset_class: AssetClass,
    status: AssetStatus,
    last_custodian: str | None,
    last_custody_end: date | None,
    area: str,
    as_of: date,
) -> Finding:
    """The AUD-101 finding (shared by the in-memory and the SQL versions)."""
    return custodian_missing.finding(
        asset_id,
        f"{asset_class.value} asset {asset_id} is {status.value} on {as_of.isoformat()} with no custodian",
        f"{asset_class.label_zh} {asset_id} 在 {as_of.isoformat()} 处于“{status.label_zh}”状态，未落实管护主体",
        evidence={
            "status": status,
            "asset_class": asset_class,
            "last_custodian": last_custodian,
            "last_custody_end": last_custody_end,
        },
        area=area,
    )


@check(
    code="AUD-102",
    title_en="Overlapping custody agreements",
    title_zh="管护协议期间重叠",
    rule="P5",
    severity=Severity.WARNING,
)
def custody_overlaps(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Two declared custody agreements claim the same days (custody_as_declared).

    An open-ended agreement followed by a new one is a hand-over, not an overlap; an
    overlap is an agreement with its own end date running past the next one's start, or
    two agreements starting the same day with different custodians.
    """
    for facts in books.facts(as_of):
        declared = facts.declared_custody
        for first, second in itertools.pairwise(declared):
            same_day = first.valid_from == second.valid_from and first.custodian != second.custodian
            runs_past = first.valid_to is not None and first.valid_to > second.valid_from
            if same_day or runs_past:
                end = first.valid_to if first.valid_to is not None else second.valid_from
                days = (min(end, second.valid_to or end) - second.valid_from).days if runs_past else 1
                yield custody_overlaps.finding(
                    facts.asset_id,
                    f"custody of {first.custodian} (from {first.valid_from.isoformat()}) overlaps custody of "
                    f"{second.custodian} (from {second.valid_from.isoformat()}) on asset {facts.asset_id}",
                    f"资产 {facts.asset_id} 的管护协议重叠：{first.custodian}（{first.valid_from.isoformat()} 起）"
                    f"与 {second.custodian}（{second.valid_from.isoformat()} 起）",
                    evidence={
                        "first_custodian": first.custodian,
                        "first_from": first.valid_from,
                        "first_to": first.valid_to,
                        "second_custodian": second.custodian,
                        "second_from": second.valid_from,
                        "overlap_days": max(days, 1),
                    },
                    area=facts.area,
                )


@check(
    code="AUD-103",
    title_en="Reference to a party not in the register",
    title_zh="引用的主体不在台账中",
    rule="§6",
    severity=Severity.ERROR,
)
def unknown_parties(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Owners, custodians, operators and proceeds recipients must be registered parties."""
    parties = books.register.parties
    for facts in books.facts(as_of):
        roles: list[tuple[str, str]] = [("owner", p) for p in facts.owners]
        if facts.custodianship is not None:
            roles.append(("custodian", facts.custodianship.custodian))
        roles.extend(("operator", c.operator) for c in facts.live_contracts(as_of))
        if facts.disposal is not None and facts.disposal.proceeds_to is not None:
            roles.append(("proceeds_to", facts.disposal.proceeds_to))
        for role, party in sorted(set(roles)):
            if party not in parties:
                yield unknown_parties.finding(
                    facts.asset_id,
                    f"asset {facts.asset_id} names {role} {party}, who is not in the register",
                    f"资产 {facts.asset_id} 的{_ROLE_ZH[role]} {party} 不在主体名录中",
                    evidence={"role": role, "party": party},
                    area=facts.area,
                )


_ROLE_ZH: Final = {
    "owner": "产权主体",
    "custodian": "管护主体",
    "operator": "经营主体",
    "proceeds_to": "处置收入接收方",
}


# -- ownership (P4) --------------------------------------------------------------------
@check(
    code="AUD-201",
    title_en="Asset held without confirmed ownership",
    title_zh="资产未确权",
    rule="P4",
    severity=Severity.WARNING,
)
def ownership_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Assets held (in use, idle, damaged) need ownership confirmed (确权)."""
    for facts in books.facts(as_of):
        if facts.status in HELD and facts.ownership is None:
            yield ownership_missing_finding(
                facts.asset_id, status=facts.status, asset_class=facts.asset.asset_class, area=facts.area, as_of=as_of
            )


def ownership_missing_finding(
    asset_id: str, *, status: AssetStatus, asset_class: AssetClass, area: str, as_of: date
) -> Finding:
    """The AUD-201 finding (shared by the in-memory and the SQL versions)."""
    return ownership_missing.finding(
        asset_id,
        f"asset {asset_id} is {status.value} on {as_of.isoformat()} without confirmed ownership",
        f"资产 {asset_id} 在 {as_of.isoformat()} 处于“{status.label_zh}”状态，尚未确权",
        evidence={"status": status, "asset_class": asset_class},
        area=area,
    )


@check(
    code="AUD-202",
    title_en="Owner breaks the ownership rules",
    title_zh="产权归属不符合规定",
    rule="P4",
    severity=Severity.ERROR,
    params=("cross_township_owner",),
)
def owner_rule(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Collective (public-welfare, operating) assets owned by households alone (owner_rule_problem).

    Household assets owned by others are AUD-203.
    """
    for facts in books.facts(as_of):
        if facts.ownership is None or facts.asset.asset_class is AssetClass.HOUSEHOLD:
            continue
        problem = owner_rule_problem(_state(facts, as_of), books.register, policy)
        if problem is None:
            continue
        if problem == "cross_township_owned_by_villages":
            expected = policy.cross_township_owner
            en = (
                f"{facts.asset.asset_class.value} asset {facts.asset_id} is owned by village collectives of "
                f"several townships; a cross-township project goes to a {expected.value} ({problem})"
            )
            zh = (
                f"{facts.asset.asset_class.label_zh} {facts.asset_id} 由多个乡镇的村集体共有，"
                f"跨乡镇项目应归{expected.label_zh}"
            )
        else:
            en = f"{facts.asset.asset_class.value} asset {facts.asset_id} is owned by households only ({problem})"
            zh = f"{facts.asset.asset_class.label_zh} {facts.asset_id} 仅归农户所有，不符合产权归属规定"
        yield owner_rule.finding(
            facts.asset_id,
            en,
            zh,
            evidence={"problem": problem, "owners": facts.owners, "cross_township_owner": policy.cross_township_owner},
            area=facts.area,
        )


@check(
    code="AUD-203",
    title_en="Household asset owned by a collective or another party",
    title_zh="到户类资产未归农户所有",
    rule="P4",
    severity=Severity.ERROR,
)
def household_asset_owner(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Household assets belong to the household (到户类资产归农户所有)."""
    parties = books.register.parties
    for facts in books.facts(as_of):
        if facts.asset.asset_class is not AssetClass.HOUSEHOLD or facts.ownership is None:
            continue
        others = []
        for owner in facts.owners:
            party = parties.get(owner)
            if party is not None and party.kind is not PartyKind.HOUSEHOLD:
                others.append((owner, party.kind.value))
        if others:
            yield household_asset_owner.finding(
                facts.asset_id,
                f"household asset {facts.asset_id} is owned by {', '.join(f'{p} ({k})' for p, k in others)}",
                f"到户类资产 {facts.asset_id} 归 {'、'.join(p for p, _ in others)} 所有，应归农户",
                evidence={
                    "owners": tuple(p for p, _ in others),
                    "owner_kinds": tuple(k for _, k in others),
                },
                area=facts.area,
            )


@check(
    code="AUD-204",
    title_en="Village asset owned by another village's collective",
    title_zh="资产归属于其他村集体",
    rule="P4",
    severity=Severity.WARNING,
    params=("cross_village_owner",),
)
def owner_other_village(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """An asset in one village owned wholly by a single collective of another village.

    Joint stations owned pro rata by several villages are fine. A project that is not the
    owning village's own goes to ``policy.cross_village_owner`` (P4 **[cfg]**: a township
    by default); when a county's rule gives cross-village projects to a village collective
    (``cross_village_owner = "village_collective"``) nothing is reported.
    """
    parties = books.register.parties
    expected = policy.cross_village_owner
    if expected is PartyKind.VILLAGE_COLLECTIVE:
        return
    for facts in books.facts(as_of):
        village = facts.asset.location.village
        if village is None or facts.ownership is None or len(facts.owners) != 1:
            continue
        owner = parties.get(facts.owners[0])
        if owner is None or owner.kind is not PartyKind.VILLAGE_COLLECTIVE:
            continue
        if owner.admin_code.village is not None and owner.admin_code.village != village:
            yield owner_other_village.finding(
                facts.asset_id,
                f"asset {facts.asset_id} in village {village} is owned by the collective of "
                f"{owner.admin_code.value}; a cross-village project goes to a {expected.value}",
                f"资产 {facts.asset_id} 位于 {village}，却归 {owner.admin_code.value} 的村集体所有；"
                f"跨村项目应归{expected.label_zh}",
                evidence={
                    "owner": owner.id,
                    "owner_area": owner.admin_code,
                    "asset_area": village,
                    "cross_village_owner": expected,
                },
                area=facts.area,
            )


# -- funding, scope, class (P1–P3, P13) ------------------------------------------------
@check(
    code="AUD-301",
    title_en="Funding lines do not add up to the original value",
    title_zh="资金来源合计与原值不符",
    rule="P2",
    severity=Severity.ERROR,
)
def funding_mismatch(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """The funding lines of an asset add up to its original value (exactly, in fen)."""
    for facts in books.facts(as_of):
        asset = facts.asset
        if asset.funding and asset.funding_total != asset.original_value:
            yield funding_mismatch_finding(
                facts.asset_id, funding_total=asset.funding_total, original_value=asset.original_value, area=facts.area
            )


def funding_mismatch_finding(asset_id: str, *, funding_total: Money, original_value: Money, area: str) -> Finding:
    """The AUD-301 finding (shared by the in-memory and the SQL versions)."""
    return funding_mismatch.finding(
        asset_id,
        f"funding of {asset_id} adds up to {funding_total.to_json()} yuan, "
        f"original value is {original_value.to_json()} yuan",
        f"资产 {asset_id} 资金来源合计 {funding_total.to_json()} 元，原值 {original_value.to_json()} 元",
        evidence={
            "funding_total": funding_total,
            "original_value": original_value,
            "difference": original_value - funding_total,
        },
        area=area,
    )


@check(
    code="AUD-302",
    title_en="No funding lines recorded",
    title_zh="未登记资金来源",
    rule="P2",
    severity=Severity.WARNING,
)
def funding_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Every asset names where its money came from."""
    for facts in books.facts(as_of):
        if not facts.asset.funding:
            yield funding_missing_finding(facts.asset_id, original_value=facts.asset.original_value, area=facts.area)


def funding_missing_finding(asset_id: str, *, original_value: Money, area: str) -> Finding:
    """The AUD-302 finding (shared by the in-memory and the SQL versions)."""
    return funding_missing.finding(
        asset_id,
        f"asset {asset_id} has no funding lines",
        f"资产 {asset_id} 未登记资金来源",
        evidence={"original_value": original_value},
        area=area,
    )


@check(
    code="AUD-303",
    title_en="Asset outside the policy's scope",
    title_zh="资产不在政策认定范围内",
    rule="P1",
    severity=Severity.INFO,
    params=("scope_start_year", "excluded_funding_sources"),
)
def out_of_scope(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Assets formed before ``policy.scope_start_year`` or funded only from excluded sources."""
    for facts in books.facts(as_of):
        asset = facts.asset
        if not policy.in_scope(asset):
            year = asset.project.year if asset.project and asset.project.year else None
            if year is None and asset.completed_on is not None:
                year = asset.completed_on.year
            yield out_of_scope.finding(
                facts.asset_id,
                f"asset {facts.asset_id} is outside the scope of policy {policy.name}",
                f"资产 {facts.asset_id} 不在政策“{policy.name}”认定的扶贫项目资产范围内",
                evidence={
                    "year": year,
                    "scope_start_year": policy.scope_start_year,
                    "sources": tuple(sorted({line.source.value for line in asset.funding})),
                },
                area=facts.area,
            )


@check(
    code="AUD-304",
    title_en="Class differs from the default for its kind",
    title_zh="资产类别与其种类的默认类别不一致",
    rule="P3",
    severity=Severity.WARNING,
    params=("default_class_by_kind",),
)
def class_by_kind(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """The class differs from ``policy.default_class_by_kind`` (possible misclassification)."""
    for facts in books.facts(as_of):
        asset = facts.asset
        default = policy.default_class(asset.kind)
        if default is not None and default is not asset.asset_class:
            yield class_by_kind_finding(
                facts.asset_id, kind=asset.kind, asset_class=asset.asset_class, default=default, area=facts.area
            )


def class_by_kind_finding(
    asset_id: str, *, kind: AssetKind, asset_class: AssetClass, default: AssetClass, area: str
) -> Finding:
    """The AUD-304 finding (shared by the in-memory and the SQL versions)."""
    return class_by_kind.finding(
        asset_id,
        f"{kind.value} {asset_id} is registered as {asset_class.value}, policy default is {default.value}",
        f"{kind.label_zh} {asset_id} 登记为{asset_class.label_zh}，政策默认为{default.label_zh}",
        evidence={"kind": kind, "asset_class": asset_class, "default_class": default},
        area=area,
    )


@check(
    code="AUD-305",
    title_en="Fixed asset below the unit-value threshold",
    title_zh="固定资产单位价值低于起点",
    rule="P13",
    severity=Severity.INFO,
    params=("fixed_asset_threshold",),
)
def below_fixed_threshold(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A fixed asset whose unit value (original value / quantity) is under the threshold (500 yuan)."""
    threshold = policy.fixed_asset_threshold
    for facts in books.facts(as_of):
        asset = facts.asset
        if asset.form is not AssetForm.FIXED:
            continue
        quantity = Fraction(asset.quantity) if asset.quantity else Fraction(1)
        unit_value = Fraction(asset.original_value.fen) / quantity
        if unit_value < threshold.fen:
            yield below_fixed_threshold.finding(
                facts.asset_id,
                f"fixed asset {facts.asset_id} has a unit value under {threshold.to_json()} yuan",
                f"固定资产 {facts.asset_id} 单位价值低于 {threshold.to_json()} 元",
                evidence={
                    "original_value": asset.original_value,
                    "quantity": asset.quantity,
                    "threshold": threshold,
                },
                area=facts.area,
            )


# -- operation (§6, P8, P9) ------------------------------------------------------------
@check(
    code="AUD-401",
    title_en="Operating asset in use without a live contract",
    title_zh="经营性资产无有效经营合同",
    rule="§6",
    severity=Severity.WARNING,
)
def contract_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Operating assets in use are run under a live operating contract."""
    for facts in books.facts(as_of):
        if (
            facts.asset.asset_class is AssetClass.OPERATING
            and facts.status is AssetStatus.IN_USE
            and not facts.live_contracts(as_of)
        ):
            last = max((facts.contract_end(c) for c, _ in facts.contracts), default=None)
            yield contract_missing.finding(
                facts.asset_id,
                f"operating asset {facts.asset_id} is in use on {as_of.isoformat()} without a live contract",
                f"经营性资产 {facts.asset_id} 在 {as_of.isoformat()} 在用，但无有效经营合同",
                evidence={"contracts": len(facts.contracts), "last_contract_end": last},
                area=facts.area,
            )


@check(
    code="AUD-402",
    title_en="Live contract without money terms",
    title_zh="经营合同无收益条款",
    rule="P8",
    severity=Severity.WARNING,
)
def contract_without_terms(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A live contract with no rent, escalation, guaranteed return or profit share."""
    for facts in books.facts(as_of):
        for contract in facts.live_contracts(as_of):
            t = contract.terms
            if t.fixed_rent is None and t.escalation is None and t.guaranteed_return is None and t.profit_share is None:
                yield contract_without_terms.finding(
                    facts.asset_id,
                    f"contract {contract.id} on {facts.asset_id} names no rent, floor return or profit share",
                    f"资产 {facts.asset_id} 的经营合同 {contract.id} 未约定租金、保底收益或分红",
                    evidence={
                        "contract": contract.id,
                        "operator": contract.operator,
                        "mode": contract.mode,
                    },
                    area=facts.area,
                )


@check(
    code="AUD-403",
    title_en="Guaranteed return rate outside the usual range",
    title_zh="保底收益率超出常见区间",
    rule="P8",
    severity=Severity.WARNING,
    params=("guaranteed_return_range",),
)
def guaranteed_rate_range(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """A live contract's floor rate outside ``policy.guaranteed_return_range`` (6–10 % seen)."""
    low, high = policy.guaranteed_return_range
    for facts in books.facts(as_of):
        for contract in facts.live_contracts(as_of):
            floor = contract.terms.guaranteed_return
            if floor is None or floor.rate is None:
                continue
            if not low <= floor.rate <= high:
                yield guaranteed_rate_range.finding(
                    facts.asset_id,
                    f"contract {contract.id} guarantees {_percent(floor.rate)} a year, outside "
                    f"{_percent(low)}–{_percent(high)}",
                    f"合同 {contract.id} 保底收益率 {_percent(floor.rate)}，不在 {_percent(low)}–{_percent(high)} 之间",
                    evidence={
                        "contract": contract.id,
                        "rate": floor.rate,
                        "low": low,
                        "high": high,
                    },
                    area=facts.area,
                )


def _percent(rate: Fraction) -> str:
    value = rate * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{(Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal('0.01'))}%"


@check(
    code="AUD-404",
    title_en="PV station without installed capacity",
    title_zh="光伏电站未登记装机容量",
    rule="P9",
    severity=Severity.WARNING,
    params=("om_cap_per_watt_year",),
)
def pv_capacity_missing(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """PV stations need their capacity in kW: the O&M cap per watt (P9) depends on it.

    The finding's evidence carries ``policy.om_cap_per_watt_year`` (the cap that cannot be
    applied); with no cap configured the capacity is still needed for expected output.
    """
    cap = policy.om_cap_per_watt_year
    for facts in books.facts(as_of):
        if facts.asset.kind is AssetKind.PV_STATION and not facts.asset.capacity_kw:
            yield pv_capacity_finding(facts.asset_id, capacity_kw=facts.asset.capacity_kw, area=facts.area, om_cap=cap)


def pv_capacity_finding(asset_id: str, *, capacity_kw: Decimal | None, area: str, om_cap: Money | None) -> Finding:
    """The AUD-404 finding (shared by the in-memory and the SQL versions).

    Args:
        asset_id: the station.
        capacity_kw: what the register holds (``None`` or zero).
        area: the station's area code.
        om_cap: ``Policy.om_cap_per_watt_year`` (fen per W per year), or ``None``.
    """
    if om_cap is None:
        why_en, why_zh = "its expected output cannot be computed", "无法测算应发电量"
    else:
        why_en = f"the O&M cap of {om_cap.format_yuan()} 元/W/year cannot be applied"
        why_zh = f"无法按每瓦每年 {om_cap.format_yuan()} 元核定运维费上限"
    return pv_capacity_missing.finding(
        asset_id,
        f"PV station {asset_id} has no installed capacity; {why_en}",
        f"光伏电站 {asset_id} 未登记装机容量，{why_zh}",
        evidence={"capacity_kw": capacity_kw, "om_cap_per_watt_year": om_cap},
        area=area,
    )


# -- status (risks) ------------------------------------------------------------------
def _stuck(books: AuditBooks, as_of: date, status: AssetStatus, limit: int) -> Iterator[tuple[AssetFacts, int]]:
    for facts in books.facts(as_of):
        if facts.status is status:
            days = (as_of - facts.status_since).days
            if days > limit:
                yield facts, days


@check(
    code="AUD-501",
    title_en="Idle beyond the limit",
    title_zh="资产闲置超过期限",
    rule="§6",
    severity=Severity.WARNING,
    params=("idle_limit_days",),
)
def idle_too_long(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """An asset idle for more than ``policy.idle_limit_days`` (status spans)."""
    for facts, days in _stuck(books, as_of, AssetStatus.IDLE, policy.idle_limit_days):
        yield stuck_finding(
            AssetStatus.IDLE,
            facts.asset_id,
            since=facts.status_since,
            days=days,
            limit=policy.idle_limit_days,
            area=facts.area,
        )


@check(
    code="AUD-502",
    title_en="Damaged beyond the limit without repair",
    title_zh="资产损毁超过期限未修复",
    rule="§6",
    severity=Severity.WARNING,
    params=("idle_limit_days",),
)
def damaged_too_long(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """An asset damaged for more than ``policy.idle_limit_days``, neither repaired nor disposed of."""
    for facts, days in _stuck(books, as_of, AssetStatus.DAMAGED, policy.idle_limit_days):
        yield stuck_finding(
            AssetStatus.DAMAGED,
            facts.asset_id,
            since=facts.status_since,
            days=days,
            limit=policy.idle_limit_days,
            area=facts.area,
        )


def stuck_finding(status: AssetStatus, asset_id: str, *, since: date, days: int, limit: int, area: str) -> Finding:
    """The AUD-501 (idle) or AUD-502 (damaged) finding, shared by the in-memory and SQL versions."""
    evidence = {"since": since, "days": days, "limit_days": limit}
    if status is AssetStatus.IDLE:
        return idle_too_long.finding(
            asset_id,
            f"asset {asset_id} has been idle since {since.isoformat()} ({days} days)",
            f"资产 {asset_id} 自 {since.isoformat()} 起闲置 {days} 天",
            evidence=evidence,
            area=area,
        )
    return damaged_too_long.finding(
        asset_id,
        f"asset {asset_id} has been damaged since {since.isoformat()} ({days} days)",
        f"资产 {asset_id} 自 {since.isoformat()} 起损毁 {days} 天未修复",
        evidence=evidence,
        area=area,
    )


# -- disposal (P12) --------------------------------------------------------------------
@check(
    code="AUD-503",
    title_en="Disposal without the full approval chain",
    title_zh="资产处置审批程序不完整",
    rule="P12",
    severity=Severity.ERROR,
    params=("disposal_approval_chain",),
)
def disposal_approvals(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Every level of ``policy.disposal_approval_chain`` approves, in order, before disposal."""
    chain = policy.disposal_approval_chain
    for facts in books.facts(as_of):
        record = facts.disposal
        if record is None:
            continue
        approvals = sorted(record.approvals, key=lambda a: a.approved_on)
        levels = [a.level for a in approvals]
        missing = tuple(level for level in chain if level not in levels)
        present = [level for level in levels if level in chain]
        out_of_order = present != sorted(present, key=chain.index)
        late = tuple(
            a.level for a in approvals if record.approved_on is not None and a.approved_on > record.approved_on
        )
        if missing or out_of_order or late:
            yield disposal_approvals.finding(
                facts.asset_id,
                f"disposal of {facts.asset_id} lacks approvals: missing {list(missing)}, "
                f"out of order {out_of_order}, dated after the approval {list(late)}",
                f"资产 {facts.asset_id} 的处置审批不完整：缺少 {'、'.join(missing) or '无'}，"
                f"顺序{'有误' if out_of_order else '无误'}，晚于批准日的审批 {'、'.join(late) or '无'}",
                evidence={
                    "missing": missing,
                    "out_of_order": out_of_order,
                    "dated_after_approval": late,
                    "required": chain,
                    "approved_on": record.approved_on,
                },
                area=facts.area,
            )


@check(
    code="AUD-504",
    title_en="Sale without proceeds recorded",
    title_zh="资产出售未记录处置收入",
    rule="P12",
    severity=Severity.ERROR,
)
def disposal_without_proceeds(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """An asset auctioned or transferred with zero proceeds."""
    for facts in books.facts(as_of):
        record = facts.disposal
        if record is None or record.disposed_on is None or record.method not in _SALES:
            continue
        if record.proceeds is None or record.proceeds.fen <= 0:
            yield disposal_without_proceeds.finding(
                facts.asset_id,
                f"asset {facts.asset_id} was disposed of by {record.method.value} with no proceeds",
                f"资产 {facts.asset_id} 以{record.method.label_zh}方式处置，未记录处置收入",
                evidence={
                    "method": record.method,
                    "disposed_on": record.disposed_on,
                    "proceeds": record.proceeds,
                },
                area=facts.area,
            )


@check(
    code="AUD-505",
    title_en="Disposal proceeds not returned to the collective or county",
    title_zh="处置收入未回归村集体或县级财政",
    rule="P12",
    severity=Severity.WARNING,
)
def proceeds_recipient(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Proceeds go back to the village collective or the county (P12); a missing or other recipient."""
    parties = books.register.parties
    allowed = {PartyKind.VILLAGE_COLLECTIVE, PartyKind.TOWNSHIP, PartyKind.COUNTY_DEPARTMENT}
    for facts in books.facts(as_of):
        record = facts.disposal
        if record is None or record.proceeds is None or record.proceeds.fen <= 0:
            continue
        party = parties.get(record.proceeds_to) if record.proceeds_to is not None else None
        if record.proceeds_to is None or (party is not None and party.kind not in allowed):
            kind = party.kind.value if party is not None else None
            yield proceeds_recipient.finding(
                facts.asset_id,
                f"proceeds of {record.proceeds.to_json()} yuan from {facts.asset_id} went to "
                f"{record.proceeds_to or 'nobody recorded'}",
                f"资产 {facts.asset_id} 处置收入 {record.proceeds.to_json()} 元去向"
                f"{'未记录' if record.proceeds_to is None else '为' + record.proceeds_to}，应回归村集体或县级财政",
                evidence={
                    "proceeds": record.proceeds,
                    "proceeds_to": record.proceeds_to,
                    "recipient_kind": kind,
                },
                area=facts.area,
            )


# -- codes (§5) ------------------------------------------------------------------------
def _party_finding_area(party: object) -> str | None:
    code = getattr(party, "admin_code", None)
    return code.value if isinstance(code, AdminCode) else None


@check(
    code="AUD-901",
    title_en="Invalid credit code on a party",
    title_zh="主体统一社会信用代码无效",
    rule="§5",
    severity=Severity.ERROR,
)
def credit_code_invalid(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Credit codes re-checked (GB 32100 check character); catches data loaded around validation."""
    for party in books.parties():
        code = getattr(party, "credit_code", None)
        if code is None:
            continue
        try:
            CreditCode.check(code.value if isinstance(code, CreditCode) else code)
        except InvalidCode as exc:
            yield credit_code_invalid.finding(
                party.id,
                f"party {party.id} has an invalid credit code: {exc.message_en}",
                f"主体 {party.id} 的统一社会信用代码无效：{exc.message_zh}",
                evidence={"expected": None if exc.expected is None else str(exc.expected)},
                subject_kind=SubjectKind.PARTY,
                area=_party_finding_area(party),
            )


@check(
    code="AUD-902",
    title_en="Invalid resident id on a household",
    title_zh="农户身份号码无效",
    rule="§5",
    severity=Severity.ERROR,
)
def resident_id_invalid(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Resident ids re-checked (GB 11643); messages carry the masked number only."""
    for party in books.parties():
        if not isinstance(party, Household) or party.head_resident_id is None:
            continue
        raw = party.head_resident_id
        try:
            ResidentId.check(raw.value if isinstance(raw, ResidentId) else raw)
        except InvalidCode as exc:
            yield resident_id_invalid.finding(
                party.id,
                f"household {party.id} has an invalid resident id: {exc.message_en}",
                f"农户 {party.id} 的身份号码无效：{exc.message_zh}",
                evidence={"expected": None if exc.expected is None else str(exc.expected)},
                subject_kind=SubjectKind.PARTY,
                area=_party_finding_area(party),
            )


@check(
    code="AUD-903",
    title_en="Credit code area outside the party's area",
    title_zh="信用代码登记地与主体所在地不符",
    rule="§5",
    severity=Severity.WARNING,
)
def credit_code_area(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """The 6-digit area inside a credit code lies outside the party's area code."""
    for party in books.parties():
        code = getattr(party, "credit_code", None)
        if not isinstance(code, CreditCode):
            continue
        area = code.area
        prefix = area
        while prefix.endswith("00") and len(prefix) > 2:  # noqa: PLR2004
            prefix = prefix[:-2]
        if not party.admin_code.value.startswith(prefix):
            yield credit_code_area.finding(
                party.id,
                f"credit code of party {party.id} was issued in {area}, party sits in {party.admin_code.value}",
                f"主体 {party.id} 的信用代码登记地 {area} 与其所在地 {party.admin_code.value} 不符",
                evidence={"credit_code_area": area, "admin_code": party.admin_code},
                subject_kind=SubjectKind.PARTY,
                area=party.admin_code.value,
            )


@check(
    code="AUD-904",
    title_en="Invalid area code",
    title_zh="区划代码无效",
    rule="§5",
    severity=Severity.ERROR,
)
def area_code_invalid(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Area codes of assets and parties re-checked (shape, province, levels)."""
    for facts in books.facts(as_of):
        problem = _admin_problem(facts.asset.location)
        if problem is not None:
            yield area_code_invalid.finding(
                facts.asset_id,
                f"asset {facts.asset_id} has an invalid location code: {problem[0]}",
                f"资产 {facts.asset_id} 的区划代码无效：{problem[1]}",
                evidence={"code": facts.asset.location.value},
            )
    for party in books.parties():
        problem = _admin_problem(party.admin_code)
        if problem is not None:
            yield area_code_invalid.finding(
                party.id,
                f"party {party.id} has an invalid area code: {problem[0]}",
                f"主体 {party.id} 的区划代码无效：{problem[1]}",
                evidence={"code": party.admin_code.value},
                subject_kind=SubjectKind.PARTY,
            )


def _admin_problem(code: AdminCode) -> tuple[str, str] | None:
    try:
        AdminCode.parse(code.value)
    except InvalidCode as exc:
        return exc.message_en, exc.message_zh
    return None


@check(
    code="AUD-905",
    title_en="Resident id shared by several households",
    title_zh="身份号码在多个农户中重复",
    rule="§5",
    severity=Severity.ERROR,
)
def resident_id_duplicate(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """The same head resident id on two households (evidence shows the masked id)."""
    seen: dict[str, list[Household]] = defaultdict(list)
    for party in books.parties():
        if isinstance(party, Household) and party.head_resident_id is not None:
            seen[party.head_resident_id.value].append(party)
    for households in seen.values():
        if len(households) < 2:  # noqa: PLR2004
            continue
        ids = tuple(sorted(h.id for h in households))
        for household in households:
            assert household.head_resident_id is not None  # noqa: S101
            yield resident_id_duplicate.finding(
                household.id,
                f"household {household.id} shares its head's resident id with {len(ids) - 1} other household(s)",
                f"农户 {household.id} 的户主身份号码与其他 {len(ids) - 1} 户重复",
                evidence={"masked_id": household.head_resident_id.masked, "households": ids},
                subject_kind=SubjectKind.PARTY,
                area=household.admin_code.value,
            )


# -- duplicates ------------------------------------------------------------------------
@check(
    code="AUD-951",
    title_en="Possible duplicate asset",
    title_zh="疑似重复登记资产",
    rule="§6",
    severity=Severity.WARNING,
)
def duplicate_assets(books: AuditBooks, *, as_of: date, policy: Policy) -> Iterator[Finding]:
    """Assets with the same name, location, original value and project."""
    # one dict entry per asset, a list only for keys seen twice: a million one-element lists
    # would keep the garbage collector busy at province scale
    first: dict[tuple[str, str, int, str | None], AssetFacts] = {}
    groups: dict[tuple[str, str, int, str | None], list[AssetFacts]] = {}
    for facts in books.facts(as_of):
        asset = facts.asset
        key = (
            asset.name.strip(),
            asset.location.value,
            asset.original_value.fen,
            asset.project.code if asset.project else None,
        )
        seen = first.setdefault(key, facts)
        if seen is not facts:
            groups.setdefault(key, [seen]).append(facts)
    for (name, _, value, project), members in groups.items():
        ids = tuple(sorted(m.asset_id for m in members))
        for facts in members:
            yield duplicate_assets.finding(
                facts.asset_id,
                f"asset {facts.asset_id} has the same name, location, value and project as {len(ids) - 1} other(s)",
                f"资产 {facts.asset_id} 与其他 {len(ids) - 1} 项资产名称、位置、原值、项目相同，疑似重复登记",
                evidence={
                    "assets": ids,
                    "name": name,
                    "original_value": Money(value),
                    "project": project,
                },
                area=facts.area,
            )


def _state(facts: AssetFacts, as_of: date) -> AssetState:
    """The :class:`AssetState` view of ``facts`` (for domain rules that take a state)."""
    return AssetState(
        asset=facts.asset,
        as_of=as_of,
        known_at=None,
        status=facts.status,
        status_since=facts.status_since,
        ownership=facts.ownership,
        custodianship=facts.custodianship,
        contracts=facts.live_contracts(as_of),
        book_value=facts.book_value,
        disposal=facts.disposal,
        version=0,
    )


REGISTER_CHECKS = (
    history_folds,
    custodian_missing,
    custody_overlaps,
    unknown_parties,
    ownership_missing,
    owner_rule,
    household_asset_owner,
    owner_other_village,
    funding_mismatch,
    funding_missing,
    out_of_scope,
    class_by_kind,
    below_fixed_threshold,
    contract_missing,
    contract_without_terms,
    guaranteed_rate_range,
    pv_capacity_missing,
    idle_too_long,
    damaged_too_long,
    disposal_approvals,
    disposal_without_proceeds,
    proceeds_recipient,
    credit_code_invalid,
    resident_id_invalid,
    credit_code_area,
    area_code_invalid,
    resident_id_duplicate,
    duplicate_assets,
)
"""The register-only checks, in code order."""
