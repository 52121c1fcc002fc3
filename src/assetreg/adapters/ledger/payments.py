"""Payment lists (兑付清单) from .csv or .xlsx: what was paid against each distribution line.

Columns (first row; Chinese or English headers):

| column | field | notes |
|---|---|---|
| 兑付编号 | ``id`` | unique in the books |
| 分配编号 | ``distribution_id`` | as ``assetreg distribute`` / ``explain --asset`` print it |
| 明细行号 | ``line`` | the line's number in the distribution, from 1 |
| 收款人编号 | ``beneficiary_id`` | the line's payee |
| 兑付日期 | ``paid_on`` | the day paid (or attempted) |
| 金额 | ``amount`` | in 元 unless the cell or header says 万元 |
| 兑付方式 | ``method`` | 一卡通, 银行转账, 现金, 其他 |
| 账号 | ``account_ref`` | masked (at most 8 digits shown); an unmasked number holds the row back |
| 兑付状态 | ``status`` | required: 已兑付, 退回 or 失败 (a blank is not taken as paid) |
| 补发 | ``repays`` | the returned or failed payment this one pays again |
| 更正 | ``supersedes`` | the payment this record replaces (a return supersedes the payment) |
| 备注 | ``note`` | free text, without personal data |

Bad cells become :class:`~assetreg.adapters.ledger.issues.LedgerIssue` values naming the
row and column; the row is held back and the others are kept. Nothing is guessed: a blank
required cell is a problem, not a default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Final

import attrs

from assetreg.adapters.ledger.cells import parse_amount, parse_count, parse_date
from assetreg.adapters.ledger.issues import LedgerIssue
from assetreg.adapters.ledger.records import _Row, _Table
from assetreg.domain.codes import AdminCode
from assetreg.domain.money import Money
from assetreg.errors import AssetRegError, InvalidChoice
from assetreg.income.books import Payment, PaymentMethod, PaymentStatus

__all__ = ["PaymentList", "PaymentRow", "read_payments"]

_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("兑付编号", "payment_id", "id"),
    "distribution_id": ("分配编号", "distribution_id"),
    "line": ("明细行号", "行号", "line"),
    "beneficiary_id": ("收款人编号", "受益对象编号", "beneficiary_id"),
    "paid_on": ("兑付日期", "paid_on"),
    "amount": ("金额", "兑付金额", "金额(元)", "金额（元）", "金额(万元)", "金额（万元）", "amount"),
    "method": ("兑付方式", "method"),
    "account_ref": ("账号", "卡号", "account_ref"),
    "status": ("兑付状态", "状态", "status"),
    "repays": ("补发", "repays"),
    "supersedes": ("更正", "supersedes"),
    "note": ("备注", "note"),
}
_REQUIRED: Final = ("id", "distribution_id", "line", "beneficiary_id", "paid_on", "amount", "method", "status")
"""The columns a payment list must have (a missing one holds back every row)."""
_METHODS: Final[Mapping[str, PaymentMethod]] = {
    "一卡通": PaymentMethod.ONE_CARD,
    "惠民惠农一卡通": PaymentMethod.ONE_CARD,
    "银行转账": PaymentMethod.BANK_TRANSFER,
    "转账": PaymentMethod.BANK_TRANSFER,
    "现金": PaymentMethod.CASH,
    "其他": PaymentMethod.OTHER,
    **{m.value: m for m in PaymentMethod},
}
_STATUSES: Final[Mapping[str, PaymentStatus]] = {
    "已兑付": PaymentStatus.PAID,
    "已发放": PaymentStatus.PAID,
    "退回": PaymentStatus.RETURNED,
    "已退回": PaymentStatus.RETURNED,
    "失败": PaymentStatus.FAILED,
    "兑付失败": PaymentStatus.FAILED,
    **{s.value: s for s in PaymentStatus},
}


def _choice(table: Mapping[str, PaymentMethod] | Mapping[str, PaymentStatus], field: str) -> Callable[[object], object]:
    def parse(cell: object) -> object:
        text = str(cell).strip()
        if text in table:
            return table[text]
        raise InvalidChoice(
            f"expected one of {', '.join(k for k in table if not k.isascii())}, found {text!r}",
            f"应为 {'、'.join(k for k in table if not k.isascii())} 之一，实为 {text!r}",
            field=field,
            actual=text,
            expected=sorted(k for k in table if not k.isascii()),
            details={"kind": "unknown_label"},
        )

    return parse


_VISIBLE_DIGITS: Final = 8
"""The most digits a masked account reference shows (as :class:`~assetreg.income.books.Payment` checks)."""


def _hidden(account: str) -> str:
    """The account as the issue may show it: every digit but the last four hidden."""
    digits = [i for i, ch in enumerate(account) if ch.isdigit()]
    keep = set(digits[-4:])
    return "".join(ch if not ch.isdigit() or i in keep else "*" for i, ch in enumerate(account))


def _line(cell: object) -> int:
    number = parse_count(cell, field="明细行号")
    if number < 1:
        raise InvalidChoice(
            "expected a line number from 1, found 0",
            "明细行号应从 1 开始，实为 0",
            field="line",
            actual=number,
            details={"kind": "bad_count"},
        )
    return number


@attrs.frozen(kw_only=True)
class PaymentRow:
    """A payment as the list writes it, before the books give it its area.

    Attributes:
        row: the 1-based row of the file.
        id, distribution_id, beneficiary_id, paid_on, amount, method, account_ref,
        status, repays, supersedes, note: as :class:`~assetreg.income.books.Payment`.
        line_index: the line, 0-based (the file's 明细行号 minus one).
    """

    row: int
    id: str
    distribution_id: str
    line_index: int
    beneficiary_id: str
    paid_on: date
    amount: Money
    method: PaymentMethod
    account_ref: str
    status: PaymentStatus
    repays: str | None
    supersedes: str | None
    note: str

    def payment(self, area: AdminCode, recorded_at: datetime) -> Payment:
        """The payment record, in the distribution's ``area``, known at ``recorded_at``."""
        return Payment(
            id=self.id,
            area=area,
            recorded_at=recorded_at,
            supersedes=self.supersedes,
            distribution_id=self.distribution_id,
            line_index=self.line_index,
            beneficiary_id=self.beneficiary_id,
            paid_on=self.paid_on,
            amount=self.amount,
            method=self.method,
            account_ref=self.account_ref,
            status=self.status,
            repays=self.repays,
            note=self.note,
        )


@attrs.frozen(kw_only=True)
class PaymentList:
    """The rows read and the problems found (rows with a problem are not in ``rows``)."""

    rows: tuple[PaymentRow, ...]
    issues: tuple[LedgerIssue, ...]


def read_payments(path: str | Path) -> PaymentList:
    """Read a payment list (兑付清单) from ``.csv`` or ``.xlsx`` (first sheet); see the module.

    Raises:
        LedgerError: the file cannot be read at all.
    """
    table = _Table(path, _HEADERS)
    missing = [f for f in _REQUIRED if f not in table.columns]
    if missing:
        # one problem per missing column, not a blank cell on every row
        return PaymentList(
            rows=(),
            issues=tuple(
                table.issue(
                    1,
                    field,
                    None,
                    f"expected a column {' or '.join(_HEADERS[field][:2])}, found none",
                    f"缺少 {'或'.join(_HEADERS[field][:2])} 列",
                    kind="column_missing",
                )
                for field in missing
            ),
        )
    unit = "万元" if "万" in table.header_text.get("amount", "") else "元"
    rows: list[PaymentRow] = []
    issues: list[LedgerIssue] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows():
        before = len(issues)
        r = _Row(table, number, cells, issues)
        pid = r.read("id", lambda c: str(c).strip())
        dist = r.read("distribution_id", lambda c: str(c).strip())
        line = r.read("line", _line)
        payee = r.read("beneficiary_id", lambda c: str(c).strip())
        paid_on = r.read("paid_on", lambda c: parse_date(c, field="兑付日期"))
        amount = r.read("amount", lambda c: parse_amount(c, unit, field="金额", non_negative=True))
        method = r.read("method", _choice(_METHODS, "method"))
        status = r.read("status", _choice(_STATUSES, "status"))
        account = r.read("account_ref", lambda c: str(c).strip(), required=False) or ""
        if sum(ch.isdigit() for ch in account) > _VISIBLE_DIGITS:
            issues.append(
                table.issue(
                    number,
                    "account_ref",
                    _hidden(account),
                    "expected a masked account number such as 6228***********0018 (personal data), "
                    "found an unmasked one",
                    "账号应脱敏（如 6228***********0018），实为未脱敏的账号（个人信息）",
                    kind="invalid_value",
                )
            )
        if pid is not None and pid in seen:
            issues.append(
                table.issue(
                    number,
                    "id",
                    pid,
                    f"expected a payment id used once, found {pid} already on row {seen[pid]}",
                    f"兑付编号应唯一，实为与第{seen[pid]}行重复的 {pid}",
                    kind="duplicate_record",
                )
            )
        required = (pid, dist, line, payee, paid_on, amount, method, status)
        if len(issues) > before or any(value is None for value in required):
            continue
        if pid is None or dist is None or line is None or payee is None or paid_on is None or amount is None:
            continue  # (narrows the types; the line above already left these rows out)
        try:
            row = PaymentRow(
                row=number,
                id=pid,
                distribution_id=dist,
                line_index=line - 1,
                beneficiary_id=payee,
                paid_on=paid_on,
                amount=amount,
                method=method,  # type: ignore[arg-type]
                account_ref=account,
                status=status,  # type: ignore[arg-type]
                repays=str(cells.get("repays") or "").strip() or None,
                supersedes=str(cells.get("supersedes") or "").strip() or None,
                note=str(cells.get("note") or "").strip(),
            )
        except AssetRegError as exc:  # pragma: no cover - every field was checked above
            issues.append(table.issue(number, exc.field or "id", cells.get(exc.field or "id"), exc))
            continue
        seen[pid] = number
        rows.append(row)
    return PaymentList(rows=tuple(rows), issues=tuple(issues))
