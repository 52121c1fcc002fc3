"""Tamper evidence for event histories (防篡改哈希链).

Each county's events form a chain in the order they were appended: link ``n`` stores

    hash_n = sha256(hash_{n-1} "|" n "|" canonical(event_n))

with ``hash_0`` a genesis value derived from the county code. Editing, deleting,
inserting or reordering a stored event breaks the chain at that position;
:func:`verify` walks a stored chain and names each break with its position and kind.

A chain detects tampering with stored rows; someone able to rewrite *every* later hash
is only caught by comparing the head with a copy kept elsewhere (``anchor=``).

Everything here is pure: adapters store ``(seq, event, hash)`` rows and call
:class:`HashChain` when appending and :func:`verify` when asked.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final

import attrs

from assetreg.audit.findings import Finding, Severity, SubjectKind
from assetreg.domain.codes import AdminCode, CreditCode, ResidentId
from assetreg.domain.fields import ADDED_LATER
from assetreg.domain.money import Money
from assetreg.domain.periods import Period

if TYPE_CHECKING:
    from assetreg.domain.events import AssetEvent

__all__ = [
    "CHAIN_VERSION",
    "ChainLink",
    "ChainProblem",
    "ChainReport",
    "HashChain",
    "ProblemKind",
    "canonical_event",
    "canonical_record",
    "genesis_hash",
    "link_hash",
    "verify",
]

CHAIN_VERSION: Final = "assetreg/chain/v1"
_MAX_SHIFT: Final = 64


def _encoder_for(tp: type) -> Callable[[Any], Any]:  # noqa: C901, PLR0911, PLR0912 - one branch per value type
    """The canonical encoder of values of exactly type ``tp`` (chosen once per type)."""
    if tp is type(None) or (issubclass(tp, bool | int | str) and not issubclass(tp, enum.Enum)):
        return _identity
    if issubclass(tp, float):
        return _refuse_float
    if issubclass(tp, Money):
        return lambda v: {"fen": v.fen}
    if issubclass(tp, date):  # datetime too: both as ISO text
        return lambda v: v.isoformat()
    if issubclass(tp, enum.Enum):
        return lambda v: v.value
    if issubclass(tp, Fraction):
        return lambda v: f"{v.numerator}/{v.denominator}"
    if issubclass(tp, Decimal):
        return lambda v: format(v.normalize(), "f")
    if issubclass(tp, AdminCode | CreditCode | ResidentId):
        return lambda v: v.value
    if issubclass(tp, Period):
        return lambda v: [v.start.isoformat(), v.end.isoformat()]
    if attrs.has(tp):
        return _record_encoder(tp)
    if issubclass(tp, Mapping):
        return lambda v: {k: _canon(x) for k, x in sorted((str(k), x) for k, x in v.items())}
    if issubclass(tp, tuple | list):
        return lambda v: [_canon(x) for x in v]
    if issubclass(tp, frozenset | set):
        return lambda v: sorted((_canon(x) for x in v), key=lambda c: json.dumps(c, sort_keys=True))
    return _no_form


def _field_default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    factory = getattr(default, "factory", None)  # an attrs.Factory (no takes_self on these fields)
    return factory() if callable(factory) else default


def _record_encoder(tp: type) -> Callable[[Any], Any]:
    """An attrs record as ``{"@type": name, field: canonical value…}``, keys in sorted order.

    A field marked :func:`~assetreg.domain.fields.added_later` is left out while it holds
    its default, so records hashed before it existed keep their hashes.
    """
    name = tp.__name__
    fields = {field.name: field for field in attrs.fields(tp)}
    names = tuple(sorted(fields))  # keys in JSON's sorted order
    later = {n: _field_default(f) for n, f in fields.items() if f.metadata.get(ADDED_LATER)}
    if len(names) > 1:
        values: Callable[[Any], Any] = attrgetter(*names)
    else:  # attrgetter of one name returns the value, not a tuple
        values = (lambda v: (getattr(v, names[0]),)) if names else (lambda _v: ())
    plain = (str, int, type(None))  # exactly these types are their own canonical form

    def record(v: Any) -> Any:
        out: dict[str, Any] = {"@type": name}
        for field, x in zip(names, values(v), strict=True):
            if later and field in later and x == later[field]:
                continue
            out[field] = x if type(x) in plain else _canon(x)
        return out

    return record


def _identity(value: Any) -> Any:
    return value


def _refuse_float(value: Any) -> Any:  # noqa: ARG001 - an encoder's signature
    raise TypeError("float has no canonical form in an event")


def _no_form(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} has no canonical form")


_ENCODERS: dict[type, Callable[[Any], Any]] = {}
# one encoder for every event (json.dumps with options builds a new one per call)
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _canon(value: Any) -> Any:
    """The canonical (JSON-ready) form of one value; encoders are cached per exact type."""
    tp = type(value)
    encoder = _ENCODERS.get(tp)
    if encoder is None:
        encoder = _ENCODERS[tp] = _encoder_for(tp)
    return encoder(value)


def canonical_event(event: AssetEvent) -> bytes:
    """The canonical encoding of an event: compact JSON, keys sorted, UTF-8.

    Every field takes part (ids, effective date, ``recorded_at`` in UTC, the payload);
    money as integer fen, dates ISO, fractions ``n/d``, decimals without exponent.

    Raises:
        TypeError: a field value with no canonical form (e.g. a ``float``).
    """
    document = {"event": _canon(event), "kind": event.kind}
    # every dict is built with its keys already in sorted order ("@type" sorts first), so the
    # output equals json.dumps(..., sort_keys=True) without paying for the sort
    return _ENCODER.encode(document).encode("utf-8")


def canonical_record(value: Any) -> bytes:
    """The canonical encoding of any record of the register (a party, an asset…), as for events.

    Compact JSON of ``{"@type": class name, field: value…}``, keys sorted, UTF-8, with the
    value encodings of :func:`canonical_event`.

    Raises:
        TypeError: a field value with no canonical form.
    """
    return _ENCODER.encode({"record": _canon(value)}).encode("utf-8")


def genesis_hash(county: str) -> str:
    """The hash before the first link of ``county``'s chain (64 hex digits)."""
    return hashlib.sha256(f"{CHAIN_VERSION}|{county}".encode()).hexdigest()


def link_hash(previous: str, seq: int, event: AssetEvent) -> str:
    """``sha256(previous | seq | canonical(event))`` as 64 hex digits."""
    digest = hashlib.sha256()
    digest.update(f"{previous}|{seq}|".encode("ascii"))
    digest.update(canonical_event(event))
    return digest.hexdigest()


@attrs.frozen
class ChainLink:
    """One stored link: position in the county chain (1-based), the event and its hash."""

    seq: int
    event: AssetEvent
    hash: str


class HashChain:
    """The running chain of one county, fed as events are appended (mutable, no I/O).

    Args:
        county: the 6-digit county code.
        head: the last stored hash (``None`` for an empty chain).
        seq: the last stored position (0 for an empty chain).
    """

    def __init__(self, county: str, *, head: str | None = None, seq: int = 0) -> None:
        """Start from the genesis of ``county`` or resume after ``head`` at ``seq``."""
        self.county = county
        self.head = head if head is not None else genesis_hash(county)
        self.seq = seq

    def append(self, event: AssetEvent) -> ChainLink:
        """Chain ``event`` after the head and return its link."""
        self.seq += 1
        self.head = link_hash(self.head, self.seq, event)
        return ChainLink(self.seq, event, self.head)

    def extend(self, events: Iterable[AssetEvent]) -> tuple[ChainLink, ...]:
        """Chain several events in order."""
        return tuple(self.append(e) for e in events)


class ProblemKind(enum.Enum):
    """What a break in the chain looks like (篡改类型)."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    REWRITTEN = "rewritten"


_KIND_ZH: Final = {
    ProblemKind.EDITED: "被修改",
    ProblemKind.DELETED: "被删除",
    ProblemKind.INSERTED: "被插入",
    ProblemKind.REORDERED: "顺序被调换",
    ProblemKind.REWRITTEN: "哈希链被重写",
}


@attrs.frozen(kw_only=True)
class ChainProblem:
    """One break in a county chain.

    Attributes:
        kind: edited, deleted, inserted, reordered, or rewritten (head differs from anchor).
        position: the chain position (1-based) where it shows.
        count: how many positions it spans (events deleted, rows swapped).
        event_id: the event stored at that position, when there is one.
        asset_id: its asset, when there is one.
    """

    kind: ProblemKind
    position: int
    count: int = 1
    event_id: str | None = None
    asset_id: str | None = None

    def message(self, lang: str = "en") -> str:
        """The description in ``lang`` (``"en"`` or ``"zh"``), as error messages give it."""
        return self.describe(lang)

    def describe(self, lang: str = "en") -> str:
        """A one-line description in ``lang``."""
        if lang == "zh":
            return f"第 {self.position} 个事件{_KIND_ZH[self.kind]}" + (
                f"（共 {self.count} 个）" if self.count > 1 else ""
            )
        return f"{self.kind.value} at position {self.position}" + (f" ({self.count} events)" if self.count > 1 else "")


@attrs.frozen(kw_only=True)
class ChainReport:
    """The result of :func:`verify`.

    Attributes:
        county: the county verified.
        length: links read.
        head: the last stored hash read (compare with a copy kept elsewhere).
        problems: the breaks found, in chain order.
    """

    county: str
    length: int
    head: str
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether the chain is intact."""
        return not self.problems

    def to_findings(self) -> tuple[Finding, ...]:
        """The problems as audit findings (code ``AUD-990``, error)."""
        return tuple(
            Finding(
                code="AUD-990",
                severity=Severity.ERROR,
                subject=p.event_id or f"{self.county}#{p.position}",
                subject_kind=SubjectKind.ASSET if p.asset_id else SubjectKind.CHECK,
                message_en=f"event history of county {self.county}: {p.describe('en')}",
                message_zh=f"县 {self.county} 的资产变动记录：{p.describe('zh')}",
                rule="§4",
                evidence={
                    "county": self.county,
                    "kind": p.kind,
                    "position": p.position,
                    "count": p.count,
                    "asset_id": p.asset_id,
                },
            )
            for p in self.problems
        )


def _as_links(links: Iterable[ChainLink | tuple[int, AssetEvent, str]]) -> list[ChainLink]:
    return [item if isinstance(item, ChainLink) else ChainLink(*item) for item in links]


def _problem(kind: ProblemKind, position: int, link: ChainLink | None, count: int = 1) -> ChainProblem:
    return ChainProblem(
        kind=kind,
        position=position,
        count=count,
        event_id=link.event.event_id if link else None,
        asset_id=link.event.asset_id if link else None,
    )


def verify(  # noqa: C901, PLR0915 - one walk, one branch per kind of break
    links: Iterable[ChainLink | tuple[int, AssetEvent, str]],
    *,
    county: str,
    anchor: tuple[int, str] | None = None,
) -> ChainReport:
    """Verify a county's stored chain and name every break with its position.

    Links are read in stored order (normally by position). Recognised breaks:

    * **edited** — an event changed while its stored hash was kept (the next link still
      verifies); also reported where a hash was recomputed over an edited event, at the
      first link that no longer verifies;
    * **deleted** — positions missing (a gap), or events removed and the rest renumbered;
    * **inserted** — a second event claiming a position, or a foreign event slipped in
      and the rest renumbered;
    * **reordered** — two neighbouring events swapped, or a position out of order;
    * **rewritten** — the link at ``anchor``'s position differs from the anchor hash.

    Args:
        links: ``ChainLink`` values or ``(seq, event, hash)`` tuples.
        county: the county code (it fixes the genesis hash).
        anchor: ``(position, hash)`` kept elsewhere (e.g. a published head).

    Returns:
        A :class:`ChainReport`; ``report.ok`` when nothing was found.
    """
    items = _as_links(links)
    problems: list[ChainProblem] = []
    prev_hash = genesis_hash(county)
    before_prev = prev_hash
    prev_seq = 0
    offset = 0  # stored seq minus the seq that was hashed (after renumbering)
    seen: set[int] = set()
    i = 0
    n = len(items)
    while i < n:
        link = items[i]
        nxt = items[i + 1] if i + 1 < n else None
        if link.seq <= prev_seq:
            kind = ProblemKind.INSERTED if link.seq in seen else ProblemKind.REORDERED
            problems.append(_problem(kind, link.seq, link))
            i += 1
            continue
        seen.add(link.seq)
        if link.seq > prev_seq + 1:
            problems.append(_problem(ProblemKind.DELETED, prev_seq + 1, None, link.seq - prev_seq - 1))
            before_prev, prev_hash, prev_seq = prev_hash, link.hash, link.seq
            i += 1
            continue
        hashed = link.seq - offset
        if link_hash(prev_hash, hashed, link.event) == link.hash:
            before_prev, prev_hash, prev_seq = prev_hash, link.hash, link.seq
            i += 1
            continue
        # -- the link does not verify: explain it -------------------------------------
        if (
            nxt is not None
            and nxt.seq == link.seq + 1
            and link_hash(prev_hash, hashed, nxt.event) == nxt.hash
            and link_hash(nxt.hash, hashed + 1, link.event) == link.hash
        ):
            problems.append(_problem(ProblemKind.REORDERED, link.seq, link, 2))
            seen.add(nxt.seq)
            before_prev, prev_hash, prev_seq = nxt.hash, link.hash, nxt.seq
            i += 2
            continue
        if nxt is not None and link_hash(prev_hash, hashed, nxt.event) == nxt.hash:
            problems.append(_problem(ProblemKind.INSERTED, link.seq, link))
            offset += 1
            prev_seq = link.seq
            i += 1
            continue
        if prev_seq > 0 and link_hash(before_prev, hashed - 1, link.event) == link.hash:
            problems.append(_problem(ProblemKind.INSERTED, prev_seq, items[i - 1]))
            offset += 1
            before_prev, prev_hash, prev_seq = prev_hash, link.hash, link.seq
            i += 1
            continue
        if nxt is None or link_hash(link.hash, nxt.seq - offset, nxt.event) == nxt.hash:
            problems.append(_problem(ProblemKind.EDITED, link.seq, link))
            before_prev, prev_hash, prev_seq = prev_hash, link.hash, link.seq
            i += 1
            continue
        shift = next(
            (m for m in range(1, _MAX_SHIFT + 1) if link_hash(link.hash, nxt.seq - offset + m, nxt.event) == nxt.hash),
            None,
        )
        if shift is not None:
            problems.append(_problem(ProblemKind.DELETED, link.seq, None, shift))
            offset -= shift
        else:
            problems.append(_problem(ProblemKind.EDITED, link.seq, link))
        before_prev, prev_hash, prev_seq = prev_hash, link.hash, link.seq
        i += 1
    if anchor is not None:
        position, expected = anchor
        stored = next((x for x in items if x.seq == position), None)
        if stored is None or stored.hash != expected:
            problems.append(_problem(ProblemKind.REWRITTEN, position, stored))
    head = items[-1].hash if items else genesis_hash(county)
    return ChainReport(county=county, length=n, head=head, problems=tuple(problems))


def chain_of(county: str, events: Sequence[AssetEvent]) -> tuple[ChainLink, ...]:
    """The links of ``events`` chained from the genesis of ``county``."""
    return HashChain(county).extend(events)
