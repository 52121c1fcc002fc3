"""Errors raised by assetreg (错误).

Every error derives from :class:`AssetRegError`, carries a stable code (``AR-…``) that
never changes meaning between releases, structured fields naming the record, row and
field concerned, and a message in English and in Chinese.

Errors are for misuse of the API and for input that cannot be read. Problems found in
otherwise readable data are audit :class:`~assetreg.audit.Finding` values, not exceptions.

Personal data (names, resident ids, phone numbers) never goes into a message; callers
pass a masked form when they must name a household.

The codes:

========  ===========================  ==============================================
code      class                        meaning
========  ===========================  ==============================================
AR-100    InvalidValue                 a value of the wrong shape (generic)
AR-101    InvalidAmount                money with extra places, bad text, wrong unit
AR-102    InvalidCode                  area, credit or resident code refused
AR-103    InvalidShares                shares that do not add up to exactly 1
AR-104    InvalidPeriod                period with end not after start, bad date text
AR-105    InvalidType                  a value of the wrong type (a float for money…)
AR-106    InvalidChoice                a value outside a vocabulary (allowed values listed)
AR-200    HistoryError                 an event that cannot be applied (generic)
AR-201    IllegalTransition            lifecycle transition not allowed (DESIGN §6)
AR-202    UnknownAsset                 no asset with that id in the register
AR-203    DuplicateRecord              an id registered twice
AR-204    UnknownParty                 no party with that id
AR-205    AlreadyImported              a ledger's asset codes are already stored
AR-206    UnknownRecord                no income-books record with that id
AR-207    NotYetKnown                  state asked as known before the asset was recorded
AR-208    UnknownReference             a write names a party that is not stored
AR-209    AlreadyRegistered            registering an asset id that is already stored
AR-300    PolicyError                  policy file or value refused
AR-301    ContractRefused              operating contract terms the policy forbids (P8)
AR-400    AllocationError              an allocation that cannot be made
AR-401    PlanRefused                  distribution plan refused (P6, P11, DESIGN §8)
AR-402    DistributionRefused          an input the books must hold for a distribution is missing
AR-403    PaymentRefused               a payment that does not match its distribution line
AR-500    PersistenceError             database failure (cause kept)
AR-501    ConcurrencyError             stale expected version (optimistic locking)
AR-502    ScopeViolation               read or write outside the bound area prefix
AR-503    LostRace                     a race lost inside the database (actual version)
AR-504    DatabaseUnreachable          the database server cannot be reached
AR-505    DatabaseNotFound             the server holds no database of that name
AR-506    AuthenticationFailed         the server refused the user name or password
AR-507    DatabaseFileUnusable         a SQLite file whose folder is missing or unwritable
AR-600    PayloadError                 JSON payload refused (all field paths at once)
AR-700    LedgerError                  Excel/CSV ledger unreadable
========  ===========================  ==============================================

Each error has a :class:`Category` a service maps to its protocol:

* ``invalid`` (HTTP 400/422): InvalidValue and its subclasses, HistoryError,
  UnknownReference, PolicyError, ContractRefused, AllocationError, PlanRefused,
  DistributionRefused, PaymentRefused, PayloadError, LedgerError;
* ``not_found`` (HTTP 404): UnknownAsset, NotYetKnown, UnknownParty, UnknownRecord;
* ``conflict`` (HTTP 409): IllegalTransition, DuplicateRecord, AlreadyImported,
  AlreadyRegistered, ConcurrencyError, LostRace;
* ``forbidden`` (HTTP 403): ScopeViolation;
* ``unavailable`` (HTTP 503): PersistenceError.

Reads outside a unit of work's scope — and writes naming a stored record there —
raise :class:`UnknownAsset` (or :class:`UnknownParty`, :class:`UnknownRecord`) exactly
as for a missing record, so a caller cannot learn that a record exists in another area;
:class:`ScopeViolation` is raised for writes the caller's own input places outside the
scope, and for reads only when the unit of work is opened with
``explain_refusals=True`` (:func:`assetreg.ports.hidden_by_scope`). No message names
another area's codes or data.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar

__all__ = [
    "AllocationError",
    "AlreadyImported",
    "AlreadyRegistered",
    "AssetRegError",
    "AuthenticationFailed",
    "Category",
    "ConcurrencyError",
    "ContractRefused",
    "DatabaseFileUnusable",
    "DatabaseNotFound",
    "DatabaseUnreachable",
    "DistributionRefused",
    "DuplicateRecord",
    "HistoryError",
    "IllegalTransition",
    "InvalidAmount",
    "InvalidChoice",
    "InvalidCode",
    "InvalidPeriod",
    "InvalidShares",
    "InvalidType",
    "InvalidValue",
    "LedgerError",
    "LostRace",
    "NotYetKnown",
    "PayloadError",
    "PaymentRefused",
    "PersistenceError",
    "PlanRefused",
    "PolicyError",
    "ScopeViolation",
    "UnknownAsset",
    "UnknownParty",
    "UnknownRecord",
    "UnknownReference",
    "already_registered",
    "invalid_choice",
    "lost_race",
    "typed",
    "wrong_type",
]


class Category(enum.StrEnum):
    """What kind of refusal an error is, for a service to map to its protocol (错误类别)."""

    INVALID = "invalid"
    """The input is wrong; the same request will fail again (HTTP 400/422)."""
    NOT_FOUND = "not_found"
    """The record does not exist, or not for this caller (HTTP 404)."""
    CONFLICT = "conflict"
    """The input clashes with what is stored; re-read and retry or give up (HTTP 409)."""
    FORBIDDEN = "forbidden"
    """Outside what the caller may write (HTTP 403)."""
    UNAVAILABLE = "unavailable"
    """The store failed; the same request may succeed later (HTTP 503)."""


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data: text, whole numbers, booleans, lists, objects, ``None``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


class AssetRegError(Exception):
    """Root of every error assetreg raises (assetreg 错误的根类).

    Attributes:
        code: stable error code such as ``"AR-101"``.
        message_en: the English message.
        message_zh: the Chinese message (中文说明).
        record: id of the record concerned (asset id, party id, event id…), or ``None``.
        field: name of the field concerned, or ``None``.
        row: 1-based row of an input file, or ``None``.
        expected: what was expected, in words or as a value, or ``None``.
        actual: what was found (already masked when it is personal data), or ``None``.
        details: any further structured fields.
        category: the :class:`Category` of the class (``invalid``, ``not_found``…).

    ``str(error)`` gives ``"AR-101 <English> / <中文>"`` followed by the located fields.
    """

    code: ClassVar[str] = "AR-000"
    category: ClassVar[Category] = Category.INVALID

    def __init__(
        self,
        message_en: str,
        message_zh: str,
        *,
        record: str | None = None,
        field: str | None = None,
        row: int | None = None,
        expected: Any = None,
        actual: Any = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.message_en = message_en
        self.message_zh = message_zh
        self.record = record
        self.field = field
        self.row = row
        self.expected = expected
        self.actual = actual
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by the constructor's arguments and the instance's fields.

        (An error travels from a Dask worker to the client, :mod:`assetreg.batch`; the
        default pickling of exceptions would call the class with the message alone.)
        """
        fields: dict[str, Any] = {"record": self.record, "field": self.field, "row": self.row}
        fields |= {"expected": self.expected, "actual": self.actual, "details": self.details}
        return (functools.partial(type(self), **fields), (self.message_en, self.message_zh), self.__dict__)

    def _render(self) -> str:
        where = [
            f"{name}={value!r}"
            for name, value in (
                ("record", self.record),
                ("row", self.row),
                ("field", self.field),
                ("expected", self.expected),
                ("actual", self.actual),
            )
            if value is not None
        ]
        suffix = f" [{', '.join(where)}]" if where else ""
        return f"{self.code} {self.message_en} / {self.message_zh}{suffix}"

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (``"en"`` or ``"zh"``) without the code."""
        return self.message_zh if lang == "zh" else self.message_en

    def as_dict(self) -> dict[str, Any]:
        """Return the error as a JSON-ready mapping with stable keys.

        ``code``, ``category``, ``message_en``, ``message_zh``, ``record``, ``row``,
        ``field``, ``expected``, ``actual`` and ``details``. ``expected`` and ``actual``
        are text (or ``None``); ``details`` holds only text, whole numbers, booleans,
        lists, objects and ``None`` (Money, Fraction, Decimal and dates become text), so
        ``json.dumps(error.as_dict())`` always works.
        """
        return {
            "code": self.code,
            "category": self.category.value,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "record": None if self.record is None else str(self.record),
            "row": self.row if isinstance(self.row, int) else None,
            "field": None if self.field is None else str(self.field),
            "expected": None if self.expected is None else str(_plain(self.expected)),
            "actual": None if self.actual is None else str(_plain(self.actual)),
            "details": _plain(self.details),
        }


class InvalidValue(AssetRegError, ValueError):
    """A value of the wrong shape (值不合规)."""

    code: ClassVar[str] = "AR-100"


class InvalidAmount(InvalidValue):
    """Money refused: extra decimal places, unreadable text or an unknown unit (金额不合规)."""

    code: ClassVar[str] = "AR-101"


class InvalidCode(InvalidValue):
    """An area, credit or resident code refused: length, characters or check character (代码不合规)."""

    code: ClassVar[str] = "AR-102"


class InvalidShares(InvalidValue):
    """Shares of one right that do not add up to exactly 1, or a share outside (0, 1] (份额不合规)."""

    code: ClassVar[str] = "AR-103"


class InvalidPeriod(InvalidValue):
    """A period whose end is not after its start, or date text that cannot be read (期间或日期不合规)."""

    code: ClassVar[str] = "AR-104"


class InvalidType(InvalidValue, TypeError):
    """A value of the wrong Python type (类型不合规).

    A ``float`` for money, a share or a rate, text where a date is expected, a number
    where text is expected.

    It is also a :class:`TypeError`, as Python convention expects for a wrong type.
    ``expected`` names the accepted types, ``actual`` the type given (never the value,
    which may be personal data).
    """

    code: ClassVar[str] = "AR-105"


class InvalidChoice(InvalidValue):
    """A value outside a closed vocabulary (取值不在可选范围内).

    ``details["allowed"]`` lists every accepted value as ``{"value", "label_zh"}``; the
    messages list them too (value and Chinese label).
    """

    code: ClassVar[str] = "AR-106"


def wrong_type(
    field: str,
    value: object,
    expected: str,
    expected_zh: str | None = None,
    *,
    record: str | None = None,
    hint: str = "",
) -> InvalidType:
    """Build the :class:`InvalidType` for ``value`` given where ``expected`` belongs.

    Args:
        field: the field or argument read.
        value: what was given (only its type goes into the error).
        expected: the accepted types in English (``"int fen, Decimal or str yuan"``).
        expected_zh: the same in Chinese; ``expected`` is reused when ``None``.
        record: the record concerned, if known.
        hint: a further English sentence (``"use Money.yuan('12.30')"``).
    """
    got = type(value).__name__
    more = f"; {hint}" if hint else ""
    return InvalidType(
        f"{field}: expected {expected}, got {got}{more}",
        f"{field}：应为 {expected_zh or expected}，实际为 {got}",
        record=record,
        field=field,
        expected=expected,
        actual=got,
        details={"type": got},
    )


def typed(kind: type, expected_zh: str) -> Callable[[Any, Any, Any], None]:
    """An attrs validator: the value must be an instance of ``kind``, else :class:`InvalidType`.

    The coded counterpart of ``attrs.validators.instance_of``: the error names the field
    (and the record, from the instance's ``id`` or ``asset_id``) in English and Chinese.
    ``expected_zh`` is the Chinese name of ``kind`` (``"Money 金额"``).
    """

    def check(instance: object, attribute: Any, value: object) -> None:
        if not isinstance(value, kind):
            record = getattr(instance, "id", None) or getattr(instance, "asset_id", None)
            raise wrong_type(attribute.name, value, kind.__name__, expected_zh, record=record)

    return check


def invalid_choice(
    vocabulary: str,
    value: object,
    allowed: Iterable[tuple[str, str]],
    *,
    field: str | None = None,
    record: str | None = None,
) -> InvalidChoice:
    """Build the :class:`InvalidChoice` for ``value`` outside ``vocabulary``.

    Args:
        vocabulary: the vocabulary's name (``"AssetKind"``).
        value: the value given (shown with ``repr``).
        allowed: ``(value, Chinese label)`` of every member, in order.
        field: the field read (the vocabulary's name when ``None``).
        record: the record concerned, if known.
    """
    pairs = list(allowed)
    listing = ", ".join(f"{v} ({zh})" for v, zh in pairs)
    listing_zh = "、".join(f"{zh}（{v}）" for v, zh in pairs)
    return InvalidChoice(
        f"{vocabulary}: unknown value {value!r}; allowed: {listing}",
        f"{vocabulary}：未知取值 {value!r}；可选：{listing_zh}",
        record=record,
        field=field or vocabulary,
        expected=f"one of {', '.join(v for v, _ in pairs)}",
        actual=repr(value),
        details={"allowed": [{"value": v, "label_zh": zh} for v, zh in pairs]},
    )


class HistoryError(AssetRegError):
    """An event that cannot be applied to an asset's history (事件无法适用)."""

    code: ClassVar[str] = "AR-200"


class IllegalTransition(HistoryError):
    """A lifecycle transition that DESIGN §6 does not allow (状态变更不合规)."""

    code: ClassVar[str] = "AR-201"
    category: ClassVar[Category] = Category.CONFLICT


class UnknownAsset(HistoryError, LookupError):
    """No asset with that id (资产不存在)."""

    code: ClassVar[str] = "AR-202"
    category: ClassVar[Category] = Category.NOT_FOUND


class DuplicateRecord(HistoryError):
    """A record id that is already taken (编号重复)."""

    code: ClassVar[str] = "AR-203"
    category: ClassVar[Category] = Category.CONFLICT


class UnknownParty(HistoryError, LookupError):
    """No party with that id (主体不存在)."""

    code: ClassVar[str] = "AR-204"
    category: ClassVar[Category] = Category.NOT_FOUND


class AlreadyImported(DuplicateRecord):
    """A ledger whose asset codes are already in the store (台账已导入过); nothing was written.

    ``record`` names the first clashing asset code, ``actual`` the number of clashes.
    """

    code: ClassVar[str] = "AR-205"


class UnknownRecord(HistoryError, LookupError):
    """No income-books record (deduction, roster, plan, distribution, notice, payment) with that id (记录不存在)."""

    code: ClassVar[str] = "AR-206"
    category: ClassVar[Category] = Category.NOT_FOUND


class AlreadyRegistered(DuplicateRecord):
    """Registering an asset whose id is already stored (资产已登记); nothing was written.

    ``record`` is the asset id. Registration is not retried under a version: send a
    correction (or the same registration event again, which is a no-op) instead.
    """

    code: ClassVar[str] = "AR-209"


class NotYetKnown(UnknownAsset):
    """The asset's state asked as known at an instant before the register recorded it (尚未登记入库).

    ``actual`` is the instant asked (``known_at``), ``expected`` the first
    ``recorded_at``. It is an :class:`UnknownAsset`, with its own code.
    """

    code: ClassVar[str] = "AR-207"


class UnknownReference(UnknownParty):
    """A write names an owner, operator, custodian or other party that is not stored (引用的主体不存在).

    Nothing was written. ``record`` is the asset, ``field`` the role (``"holders"``,
    ``"custodian"``, ``"operator"``…), ``actual`` the party id. It is an
    :class:`UnknownParty`, but its category is ``invalid``: the request, not the
    lookup, is wrong.
    """

    code: ClassVar[str] = "AR-208"
    category: ClassVar[Category] = Category.INVALID


class PolicyError(AssetRegError, ValueError):
    """A policy value or policy file that cannot be used (政策参数不合规)."""

    code: ClassVar[str] = "AR-300"


class ContractRefused(PolicyError):
    """Operating-contract terms the policy forbids, refused at entry (合同条款不符合政策), P8.

    A guaranteed-return rate outside ``Policy.guaranteed_return_range`` (or below the
    configured bank benchmark in the special case); ``details`` names the contract, the
    rate, the band and the benchmark.
    """

    code: ClassVar[str] = "AR-301"


class AllocationError(AssetRegError, ValueError):
    """An allocation that cannot be made: no parts, negative or all-zero weights (分配无法计算)."""

    code: ClassVar[str] = "AR-400"


class PlanRefused(AllocationError):
    """A distribution plan refused, with a coded reason in ``details["reason"]`` (分配方案不合规)."""

    code: ClassVar[str] = "AR-401"


class DistributionRefused(AllocationError):
    """A stored asset's income cannot be distributed: an input the books must hold is missing (收益分配条件不足).

    ``details["reason"]`` says which: ``no_income``, ``no_owner``, ``no_plan``,
    ``ambiguous_plan``, ``plan_not_approved``, ``no_roster``, ``no_deduction_record``,
    ``partial_income_period``, ``overlapping_distribution`` or ``already_paid``;
    ``record`` is the asset. Never a silent fall-back to the gross or to the collective.
    """

    code: ClassVar[str] = "AR-402"


class PaymentRefused(AllocationError):
    """A payment that does not match its distribution line (兑付记录与分配明细不符).

    ``details["reason"]``: ``wrong_payee``, ``overpaid``, ``superseded`` (the distribution
    was replaced by a revision), ``repays_settled``, ``repays_other_line`` or
    ``repaid_twice``; ``record`` is the payment.
    """

    code: ClassVar[str] = "AR-403"


class PersistenceError(AssetRegError):
    """A database failure; the driver's exception is kept as ``__cause__`` (数据库操作失败)."""

    code: ClassVar[str] = "AR-500"
    category: ClassVar[Category] = Category.UNAVAILABLE


class ConcurrencyError(PersistenceError):
    """Writing with a stale expected version; nothing was written (并发冲突，未写入)."""

    code: ClassVar[str] = "AR-501"
    category: ClassVar[Category] = Category.CONFLICT


class ScopeViolation(PersistenceError):
    """Reading or writing outside the area-code prefix a unit of work is bound to (越权访问)."""

    code: ClassVar[str] = "AR-502"
    category: ClassVar[Category] = Category.FORBIDDEN


class LostRace(ConcurrencyError):
    """Another writer committed between this writer's read and its write (并发写入冲突，未写入).

    Raised when the database itself refuses the write (a conditional update that found
    another version, a duplicate event position, a serialization failure). ``expected``
    is the version this writer read, ``actual`` the version stored now (re-read after the
    failure) when it could be read. Re-read and retry the command.
    """

    code: ClassVar[str] = "AR-503"


class DatabaseUnreachable(PersistenceError):
    """The database server cannot be reached: refused, unknown host, timed out (无法连接数据库服务器).

    ``details["server"]`` names the host (and port) when the driver said it; never a password.
    """

    code: ClassVar[str] = "AR-504"


class DatabaseNotFound(PersistenceError):
    """The server is reached but holds no database of that name (数据库不存在).

    ``record`` is the database name when the driver said it. Create the database first
    (``CREATE DATABASE …``) or correct the URL.
    """

    code: ClassVar[str] = "AR-505"


class AuthenticationFailed(PersistenceError):
    """The server refused the user name or password of the URL (数据库拒绝登录).

    ``record`` is the user name when the driver said it; the password is never repeated.
    """

    code: ClassVar[str] = "AR-506"


class DatabaseFileUnusable(PersistenceError):
    """A SQLite database file that cannot be opened or created (数据库文件无法打开或创建).

    Its folder is missing or not writable; ``record`` is the path. No folder is created.
    """

    code: ClassVar[str] = "AR-507"


class PayloadError(AssetRegError, ValueError):
    """A JSON payload refused; ``details["errors"]`` maps every field path to its messages (报文不合规)."""

    code: ClassVar[str] = "AR-600"


class LedgerError(AssetRegError):
    """An Excel/CSV ledger that cannot be read at all (台账无法读取)."""

    code: ClassVar[str] = "AR-700"


def already_registered(asset_id: str, version: int | None) -> AlreadyRegistered:
    """Build the :class:`AlreadyRegistered` for registering ``asset_id`` again.

    Args:
        asset_id: the asset.
        version: the version it is stored at, when known.
    """
    at_en = f" (version {version})" if version is not None else ""
    at_zh = f"（版本 {version}）" if version is not None else ""
    return AlreadyRegistered(
        f"asset {asset_id} is already registered{at_en}; send a correction instead of registering it again",
        f"资产 {asset_id} 已登记{at_zh}，请提交更正而不是重复登记",
        record=asset_id,
        field="asset_id",
        expected="an asset id not yet stored",
        actual=version,
    )


def lost_race(asset_id: str, read: int | None, now: int | None) -> LostRace:
    """Build the :class:`LostRace` for ``asset_id``: another writer committed after ``read`` was read.

    Args:
        asset_id: the asset.
        read: the version this writer read (and expected), when known.
        now: the version stored now, or ``None`` when it could not be read; when it is
            still ``read``, the database refused the write for a lock (SQLite's single
            writer) and the message says so.
    """
    if read is not None and now == read:
        return LostRace(
            f"asset {asset_id}: another writer held the database (the version is still {now}); "
            "nothing was written, retry",
            f"资产 {asset_id}：数据库正被其他操作占用（版本仍为 {now}）；未写入，请重试",
            record=asset_id,
            field="version",
            expected=read,
            actual=now,
        )
    was = f" after version {read} was read" if read is not None else ""
    was_zh = f"在读取版本 {read} 后" if read is not None else ""
    is_now = f": it is now at version {now}" if now is not None else ""
    is_now_zh = f"，当前版本为 {now}" if now is not None else ""
    return LostRace(
        f"asset {asset_id} was changed by another writer{was}{is_now}; nothing was written, re-read and retry",
        f"资产 {asset_id} {was_zh}已被其他操作修改{is_now_zh}；未写入，请重新读取后再试",
        record=asset_id,
        field="version",
        expected=read,
        actual=now,
    )
