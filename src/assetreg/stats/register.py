"""Register summaries (资产统计): counts and original or book values by class, owner level, area, fund, year, status.

The tables counties and provinces publish of their registers (the 掇刀区 2021 summary: 624
assets, 30862.6147万元, by class and by owner level) as exact :class:`~assetreg.stats.tables.StatTable`
values, for any date (``as_of``) as known at any instant (``known_at``). Assets disposed of
(已处置) or split/merged into others (已分割合并) have left the books and are counted only in
the status table; counting a split parent beside its parts would count its value twice.

The share of funds in industry projects (产业项目资金占比) is :func:`industry_share`; the
national target of 2023 is at least 60 % of the central linkage fund (:data:`INDUSTRY_SHARE_TARGET_2023`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Final

import attrs

from assetreg.domain.codes import AdminCode, AdminLevel
from assetreg.domain.history import AssetState
from assetreg.domain.money import Money, round_fen
from assetreg.domain.register import AssetRegister
from assetreg.domain.valuation import AssetValues
from assetreg.domain.vocab import AssetClass, AssetStatus, FundingSource, PartyKind, Vocabulary
from assetreg.errors import InvalidValue
from assetreg.stats.tables import AmountColumn, StatRow, StatTable

__all__ = [
    "INDUSTRY_CLASSES",
    "INDUSTRY_SHARE_TARGET_2023",
    "AssetDimension",
    "IndustryShare",
    "OwnerLevel",
    "StatusByClass",
    "area_group",
    "asset_table",
    "industry_share",
    "owner_level",
    "status_by_class",
    "value_table",
]

INDUSTRY_SHARE_TARGET_2023: Final = Fraction(60, 100)
"""At least 60 % of the central linkage fund for industry (衔接资金用于产业发展的比重力争提高到60%以上).

Source: 中共中央 国务院关于做好2023年全面推进乡村振兴重点工作的意见 (2023年中央一号文件), part 五.
"""

INDUSTRY_CLASSES: Final = frozenset({AssetClass.OPERATING, AssetClass.HOUSEHOLD})
"""The classes formed by industry projects (产业项目): operating assets and household assets
(livestock, trees, equipment given to households to produce); public-welfare assets are
infrastructure. The 泽库县 2023 plan's 产业发展项目 (307万元) are exactly its operating assets."""

_CLOSED: Final = frozenset({AssetStatus.DISPOSED, AssetStatus.RESTRUCTURED})
_UNKNOWN = ("unknown", "未载", "not recorded")


class AssetDimension(Vocabulary):
    """What a register summary groups by (统计口径)."""

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _DIMENSION_ZH

    CLASS = "class"
    """Asset class (资产类别): public welfare, operating, household."""
    OWNER_LEVEL = "owner_level"
    """Owner level (确权层级): county, township, village, household (:class:`OwnerLevel`)."""
    AREA = "area"
    """Area (区划), at a chosen level down to the village."""
    FUND_SOURCE = "fund_source"
    """Source of funds (资金来源), by funding line."""
    YEAR = "year"
    """Project year (建设年度)."""
    STATUS = "status"
    """Lifecycle status (资产状态) on the date."""


_DIMENSION_ZH: Mapping[Any, str] = {
    AssetDimension.CLASS: "资产类别",
    AssetDimension.OWNER_LEVEL: "确权层级",
    AssetDimension.AREA: "区划",
    AssetDimension.FUND_SOURCE: "资金来源",
    AssetDimension.YEAR: "建设年度",
    AssetDimension.STATUS: "资产状态",
}
_DIMENSION_EN: Mapping[AssetDimension, str] = {
    AssetDimension.CLASS: "class",
    AssetDimension.OWNER_LEVEL: "owner level",
    AssetDimension.AREA: "area",
    AssetDimension.FUND_SOURCE: "fund source",
    AssetDimension.YEAR: "project year",
    AssetDimension.STATUS: "status",
}


class OwnerLevel(Vocabulary):
    """The level an asset's ownership is confirmed at (确权层级).

    Read from the kind of each owner on the date: a county department is the county
    level, a township government the township, a village collective the village, a
    household the household. Cooperatives and enterprises are ``OTHER``; an owner that is
    not a party of the register is ``UNREGISTERED_OWNER``; owners of different levels
    together are ``MIXED``; an asset not yet confirmed is ``UNCONFIRMED``.
    Village groups (村民小组) are not a party kind of the register and have no level here.
    """

    @classmethod
    def labels_zh(cls) -> Mapping[Any, str]:
        """Chinese label of each member."""
        return _LEVEL_ZH

    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    HOUSEHOLD = "household"
    OTHER = "other"
    UNREGISTERED_OWNER = "unregistered_owner"
    MIXED = "mixed"
    UNCONFIRMED = "unconfirmed"


_LEVEL_ZH: Mapping[Any, str] = {
    OwnerLevel.COUNTY: "县(区)",
    OwnerLevel.TOWNSHIP: "乡(镇)",
    OwnerLevel.VILLAGE: "村",
    OwnerLevel.HOUSEHOLD: "户",
    OwnerLevel.OTHER: "其他主体",
    OwnerLevel.UNREGISTERED_OWNER: "产权主体未登记",
    OwnerLevel.MIXED: "多层级共有",
    OwnerLevel.UNCONFIRMED: "未确权",
}
_LEVEL_OF_KIND: Mapping[PartyKind, OwnerLevel] = {
    PartyKind.COUNTY_DEPARTMENT: OwnerLevel.COUNTY,
    PartyKind.TOWNSHIP: OwnerLevel.TOWNSHIP,
    PartyKind.VILLAGE_COLLECTIVE: OwnerLevel.VILLAGE,
    PartyKind.HOUSEHOLD: OwnerLevel.HOUSEHOLD,
    PartyKind.COOPERATIVE: OwnerLevel.OTHER,
    PartyKind.ENTERPRISE: OwnerLevel.OTHER,
}
_AREA_LEVEL_ZH: Mapping[AdminLevel, str] = {
    AdminLevel.PROVINCE: "省",
    AdminLevel.PREFECTURE: "市",
    AdminLevel.COUNTY: "县",
    AdminLevel.TOWNSHIP: "乡镇",
    AdminLevel.VILLAGE: "村",
}


def owner_level(state: AssetState, register: AssetRegister) -> OwnerLevel:
    """The :class:`OwnerLevel` of one asset state."""
    if state.ownership is None:
        return OwnerLevel.UNCONFIRMED
    levels = set()
    for holder in state.owners:
        party = register.parties.get(holder)
        levels.add(OwnerLevel.UNREGISTERED_OWNER if party is None else _LEVEL_OF_KIND[party.kind])
    return levels.pop() if len(levels) == 1 else OwnerLevel.MIXED


Group = tuple[str, str, str]
"""A group's key, Chinese label and English label."""


def _vocab_group(member: Vocabulary) -> Group:
    return (str(member.value), member.label_zh, str(member.value).replace("_", " "))


def area_group(code_value: str, level: AdminLevel) -> Group:
    """The area group of a 12-digit code at ``level`` (its own prefix when located above ``level``)."""
    code = AdminCode(code_value)
    part = {
        AdminLevel.PROVINCE: code.province,
        AdminLevel.PREFECTURE: code.prefecture,
        AdminLevel.COUNTY: code.county,
        AdminLevel.TOWNSHIP: code.township,
        AdminLevel.VILLAGE: code.village,
    }[level]
    if part is not None:
        return (part, part, part)
    own = code.level
    return (
        code.prefix,
        f"{code.prefix}(登记在{_AREA_LEVEL_ZH[own]}级)",
        f"{code.prefix} (located at {own.value} level)",
    )


def _order(dimension: AssetDimension) -> Callable[[str], tuple[int, str]]:
    vocabularies: Mapping[AssetDimension, type[Vocabulary]] = {
        AssetDimension.CLASS: AssetClass,
        AssetDimension.OWNER_LEVEL: OwnerLevel,
        AssetDimension.FUND_SOURCE: FundingSource,
        AssetDimension.STATUS: AssetStatus,
    }
    members: Sequence[Vocabulary] = list(vocabularies[dimension]) if dimension in vocabularies else []
    position = {str(m.value): i for i, m in enumerate(members)}

    def key(value: str) -> tuple[int, str]:
        if value == _UNKNOWN[0]:
            return (len(position) + 1, value)
        return (position.get(value, 0), value)

    return key


def _parts(  # noqa: PLR0911 - one return per dimension reads best
    state: AssetState, register: AssetRegister, dimension: AssetDimension, level: AdminLevel
) -> list[tuple[Group, Money]]:
    """The groups one asset falls in, with the part of its original value in each."""
    asset = state.asset
    if dimension is AssetDimension.CLASS:
        return [(_vocab_group(asset.asset_class), asset.original_value)]
    if dimension is AssetDimension.OWNER_LEVEL:
        return [(_vocab_group(owner_level(state, register)), asset.original_value)]
    if dimension is AssetDimension.STATUS:
        return [(_vocab_group(state.status), asset.original_value)]
    if dimension is AssetDimension.AREA:
        return [(area_group(asset.location.value, level), asset.original_value)]
    if dimension is AssetDimension.YEAR:
        year = asset.project.year if asset.project is not None else None
        return [((str(year), str(year), str(year)) if year is not None else _UNKNOWN, asset.original_value)]
    if not asset.funding:
        return [(_UNKNOWN, asset.original_value)]
    by_source: dict[FundingSource, int] = defaultdict(int)
    for line in asset.funding:
        by_source[line.source] += line.amount.fen
    return [(_vocab_group(source), Money(fen)) for source, fen in by_source.items()]


def _states(register: AssetRegister, *, as_of: date, known_at: datetime | None, closed: bool) -> Iterator[AssetState]:
    for state in register.states(as_of=as_of, known_at=known_at):
        if closed or state.status not in _CLOSED:
            yield state


def _build(
    groups: Mapping[Group, tuple[set[str], list[int]]],
    dimension: AssetDimension,
) -> tuple[list[StatRow], list[int]]:
    order = _order(dimension)
    rows = []
    width = len(next(iter(groups.values()))[1]) if groups else 0
    totals = [0] * width
    for group in sorted(groups, key=lambda g: order(g[0])):
        ids, fens = groups[group]
        rows.append(
            StatRow(key=group[0], zh=group[1], en=group[2], count=len(ids), amounts=tuple(Money(f) for f in fens))
        )
        totals = [t + f for t, f in zip(totals, fens, strict=True)]
    return rows, totals


def _check_dimension(dimension: object) -> AssetDimension:
    return AssetDimension.parse(dimension, field="by")


def asset_table(
    register: AssetRegister,
    by: AssetDimension | str,
    *,
    as_of: date,
    known_at: datetime | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> StatTable:
    """Number of assets and original value (资产个数、原值) by ``by``, on ``as_of`` as known at ``known_at``.

    Args:
        register: the register.
        by: class, owner level, area, fund source, project year or status.
        as_of: the date: assets registered by then, in the state they were in.
        known_at: the recorded instant (``None`` = everything recorded).
        level: for ``by=area``, the level of the groups (province … village); an asset
            located above that level is its own group (labelled so).

    Returns:
        A table with one amount column, ``original_value`` (fen); by fund source the
        amounts are the funding lines' (an asset without lines is 未载 with its whole
        value) and the 合计 row counts each asset once.

    Raises:
        InvalidChoice: ``by`` is not a dimension.
        InvalidPeriod: ``known_at`` is naive.
    """
    dimension = _check_dimension(by)
    groups: dict[Group, tuple[set[str], list[int]]] = {}
    items: set[str] = set()
    for state in _states(register, as_of=as_of, known_at=known_at, closed=dimension is AssetDimension.STATUS):
        items.add(state.asset_id)
        for group, amount in _parts(state, register, dimension, level):
            ids, fens = groups.setdefault(group, (set(), [0]))
            ids.add(state.asset_id)
            fens[0] += amount.fen
    rows, totals = _build(groups, dimension)
    notes: list[tuple[str, str]] = []
    if dimension is not AssetDimension.STATUS:
        notes.append(("disposed and split/merged assets are not counted", "已处置、已分割合并的资产不计入"))
    if dimension is AssetDimension.FUND_SOURCE:
        notes.append(
            (
                "an asset funded from several sources is counted under each; the total counts it once",
                "多来源资产在各来源下分别计数，合计行只计一次",
            )
        )
    zh, en = _DIMENSION_ZH[dimension], _DIMENSION_EN[dimension]
    return StatTable(
        name="assets",
        dimension=dimension.value,
        title_zh=f"扶贫项目资产统计表(按{zh}) {as_of}",
        title_en=f"Assets by {en}, {as_of}",
        dimension_zh=zh,
        dimension_en=en,
        count_zh="资产个数",
        count_en="assets",
        columns=(AmountColumn("original_value", "原值", "original value"),),
        rows=rows,
        total=StatRow(
            key="total", zh="合计", en="total", count=len(items), amounts=(Money(totals[0] if totals else 0),)
        ),
        as_of=as_of,
        known_at=known_at,
        notes=notes,
    )


_VALUE_COLUMNS: Final = (
    AmountColumn("original_value", "原值", "original value"),
    AmountColumn("accumulated_depreciation", "累计折旧", "accumulated depreciation"),
    AmountColumn("net_book_value", "净值", "net book value"),
)


def value_table(
    register: AssetRegister,
    values: Iterable[AssetValues],
    by: AssetDimension | str,
    *,
    as_of: date,
    known_at: datetime | None = None,
    level: AdminLevel = AdminLevel.COUNTY,
) -> StatTable:
    """Book values (原值、累计折旧、净值) by ``by``, from the rows of ``register_values``/``stored_values``.

    Args:
        register: the register the values were computed from (for owners, areas, years).
        values: one :class:`~assetreg.domain.valuation.AssetValues` per asset, for ``as_of``
            and ``known_at``.
        by: class, owner level, area, project year or status (not fund source: a book
            value is not split by the funds that paid for it).
        as_of: the date the values are for.
        known_at: the recorded instant they reflect.
        level: for ``by=area``, the level of the groups.

    Returns:
        A table with three amount columns (fen). Assets that could not be valued are left
        out of the rows and named in a note; closed assets as in :func:`asset_table`.

    Raises:
        InvalidChoice: ``by`` is not a dimension.
        InvalidValue: ``by`` is fund source.
    """
    dimension = _check_dimension(by)
    if dimension is AssetDimension.FUND_SOURCE:
        raise InvalidValue(
            "book values are not split by fund source; use asset_table for original values by fund source",
            "账面价值不按资金来源拆分；按资金来源统计原值请用 asset_table",
            field="by",
            actual=dimension.value,
        )
    states = {
        s.asset_id: s
        for s in _states(register, as_of=as_of, known_at=known_at, closed=dimension is AssetDimension.STATUS)
    }
    groups: dict[Group, tuple[set[str], list[int]]] = {}
    items: set[str] = set()
    unvalued: list[str] = []
    for row in values:
        state = states.get(row.asset_id)
        if state is None:
            continue
        if row.values is None:
            unvalued.append(row.asset_id)
            continue
        items.add(row.asset_id)
        ((group, _),) = _parts(state, register, dimension, level)
        ids, fens = groups.setdefault(group, (set(), [0, 0, 0]))
        ids.add(row.asset_id)
        book = row.values
        for index, amount in enumerate((book.original_value, book.accumulated_depreciation, book.net_book_value)):
            fens[index] += amount.fen
    rows, totals = _build(groups, dimension)
    notes: list[tuple[str, str]] = []
    if dimension is not AssetDimension.STATUS:
        notes.append(("disposed and split/merged assets are not counted", "已处置、已分割合并的资产不计入"))
    if unvalued:
        names = ", ".join(sorted(unvalued))
        notes.append((f"not valued, left out: {names}", f"无法计算价值、未计入：{names}"))
    zh, en = _DIMENSION_ZH[dimension], _DIMENSION_EN[dimension]
    return StatTable(
        name="values",
        dimension=dimension.value,
        title_zh=f"资产价值统计表(按{zh}) {as_of}",
        title_en=f"Book values by {en}, {as_of}",
        dimension_zh=zh,
        dimension_en=en,
        count_zh="资产个数",
        count_en="assets",
        columns=_VALUE_COLUMNS,
        rows=rows,
        total=StatRow(
            key="total", zh="合计", en="total", count=len(items), amounts=tuple(Money(t) for t in totals or [0, 0, 0])
        ),
        as_of=as_of,
        known_at=known_at,
        notes=notes,
    )


@attrs.frozen(kw_only=True)
class IndustryShare:
    """The share of funds in industry projects (产业项目资金占比).

    Attributes:
        source: the fund measured (``None`` = original values of all assets).
        year: the project year measured (``None`` = every year).
        industry: the funds in industry projects (operating and household assets), fen.
        total: all the funds measured, fen.
        share: ``industry / total`` exactly, ``None`` when nothing was measured.
        target: the target share (:data:`INDUSTRY_SHARE_TARGET_2023`).
        unattributed: original value of assets in scope without funding lines, which a
            fund-specific share cannot count (fen; 0 when ``source`` is ``None``).
    """

    source: FundingSource | None
    year: int | None
    industry: Money
    total: Money
    share: Fraction | None
    target: Fraction
    unattributed: Money

    @property
    def meets_target(self) -> bool | None:
        """Whether the share reaches the target (``None`` when nothing was measured)."""
        return None if self.share is None else self.share >= self.target

    def percent(self, places: int = 2) -> str | None:
        """The share as a percentage with ``places`` decimals, half-up (``"24.66"``)."""
        if self.share is None:
            return None
        units = round_fen(self.share * 100 * 10**places)
        whole, frac = divmod(units, 10**places)
        return f"{whole}.{frac:0{places}d}" if places else str(whole)


def industry_share(
    register: AssetRegister,
    *,
    as_of: date,
    known_at: datetime | None = None,
    source: FundingSource | None = None,
    year: int | None = None,
    target: Fraction = INDUSTRY_SHARE_TARGET_2023,
) -> IndustryShare:
    """The share of funds in industry projects (产业项目资金占比) on ``as_of``.

    Industry projects are the assets of :data:`INDUSTRY_CLASSES` (operating and household);
    closed assets are left out as in :func:`asset_table`.

    Args:
        register: the register.
        as_of: the date.
        known_at: the recorded instant (``None`` = everything recorded).
        source: measure only the funding lines of this source (the 2023 target is about
            :attr:`~assetreg.domain.vocab.FundingSource.LINKAGE_FUND`); ``None`` measures
            original values.
        year: only assets whose project year is ``year``.
        target: the target share (60 % by default, the 2023 national target).

    Raises:
        InvalidPeriod: ``known_at`` is naive.
    """
    industry = total = unattributed = 0
    for state in _states(register, as_of=as_of, known_at=known_at, closed=False):
        asset = state.asset
        if year is not None and (asset.project is None or asset.project.year != year):
            continue
        if source is None:
            amount = asset.original_value.fen
        elif not asset.funding:
            unattributed += asset.original_value.fen
            continue
        else:
            amount = sum(line.amount.fen for line in asset.funding if line.source is source)
        total += amount
        if asset.asset_class in INDUSTRY_CLASSES:
            industry += amount
    return IndustryShare(
        source=source,
        year=year,
        industry=Money(industry),
        total=Money(total),
        share=Fraction(industry, total) if total else None,
        target=target,
        unattributed=Money(unattributed),
    )


@attrs.frozen(kw_only=True)
class StatusByClass:
    """Number of assets by status and class on a date (资产状态×类别), for plots.

    Attributes:
        as_of: the date.
        statuses: the statuses present, in lifecycle order.
        classes: the classes present, in vocabulary order.
        counts: per status, one count per class (aligned with ``classes``).
        values: per status, the original value per class (fen).
    """

    as_of: date
    statuses: tuple[AssetStatus, ...]
    classes: tuple[AssetClass, ...]
    counts: tuple[tuple[int, ...], ...]
    values: tuple[tuple[Money, ...], ...]


def status_by_class(register: AssetRegister, *, as_of: date, known_at: datetime | None = None) -> StatusByClass:
    """Assets by status and class on ``as_of`` as known at ``known_at`` (closed assets included).

    Raises:
        InvalidPeriod: ``known_at`` is naive.
    """
    counts: dict[tuple[AssetStatus, AssetClass], int] = defaultdict(int)
    fens: dict[tuple[AssetStatus, AssetClass], int] = defaultdict(int)
    for state in _states(register, as_of=as_of, known_at=known_at, closed=True):
        key = (state.status, state.asset.asset_class)
        counts[key] += 1
        fens[key] += state.asset.original_value.fen
    statuses = tuple(s for s in AssetStatus if any(k[0] is s for k in counts))
    classes = tuple(c for c in AssetClass if any(k[1] is c for k in counts))
    return StatusByClass(
        as_of=as_of,
        statuses=statuses,
        classes=classes,
        counts=tuple(tuple(counts.get((s, c), 0) for c in classes) for s in statuses),
        values=tuple(tuple(Money(fens.get((s, c), 0)) for c in classes) for s in statuses),
    )
