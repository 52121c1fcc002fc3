"""Reading single ledger cells (台账单元格解析): amounts, dates, ranges, rates, shares, codes.

Pure functions, usable without openpyxl. Each takes the raw cell as a spreadsheet or CSV
reader returns it (``str``, ``int``, ``Decimal``, ``date``/``datetime`` or, from an
.xlsx numeric cell, ``float``) and returns a domain value or raises a coded
:class:`~assetreg.errors.AssetRegError` whose ``details["kind"]`` says why. Nothing is
guessed: a date that lost characters (``2024731日``) is refused, not repaired; a float
that is not exactly a number of fen (``0.30000000000000004``) is refused, not rounded.

Floats are accepted only here, at the edge, and are converted through their shortest
``repr`` (``repr(851.65) == "851.65"``) to ``Decimal``; binary rounding never happens.

Text is normalised with Unicode NFKC first, so full-width ``，（）：％`` and digits read
as their ASCII forms (the stored copies of the sources mix both).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from assetreg.domain.money import FEN_PER_WAN, FEN_PER_YUAN, Money, exact_fraction
from assetreg.domain.periods import Period
from assetreg.domain.shares import parse_share as _parse_share
from assetreg.errors import InvalidAmount, InvalidPeriod, InvalidShares, InvalidValue

__all__ = [
    "BLANK_MARKERS",
    "SHARE_PLACES",
    "UNIT_FEN",
    "exact_decimal",
    "is_blank",
    "normalise_text",
    "parse_amount",
    "parse_count",
    "parse_date",
    "parse_date_range",
    "parse_rate",
    "parse_share",
    "parse_year",
]

UNIT_FEN: Final[dict[str, int]] = {"元": FEN_PER_YUAN, "万元": FEN_PER_WAN, "万": FEN_PER_WAN}
"""Fen per unit for the money units a ledger may name (元, 万元; ``万`` alone means 万元)."""

BLANK_MARKERS: Final = frozenset({"", "/", "-", "--", "—", "——", "无"})
"""Cell texts that mean "no value" (a missing value, never zero)."""

_PLACES_IN_UNIT: Final = {FEN_PER_YUAN: 2, FEN_PER_WAN: 6}
_FAST_DIGITS: Final = 20
_ARTEFACT_DIGITS: Final = 15
_NOTE = re.compile(r"\s*\(.*\)\s*$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_CURRENCY = ("¥", "￥")
_AMOUNT_TEXT = re.compile(r"(?P<number>[+-]?[\d.,\s]*\d[\d.,\s]*)(?P<unit>\D*)")


@functools.lru_cache(maxsize=65536)
def normalise_text(value: str) -> str:
    """Return ``value`` in NFKC form with surrounding whitespace removed.

    NFKC turns full-width ``（）：，％`` and full-width digits into ASCII; the minus sign
    U+2212 becomes ``-``.
    """
    return unicodedata.normalize("NFKC", value).replace("\u2212", "-").strip()


def is_blank(value: object) -> bool:
    """Whether a raw cell holds no value (``None``, empty or a :data:`BLANK_MARKERS` text)."""
    if value is None:
        return True
    if isinstance(value, str):
        # fast path: the markers are at most 2 characters; a longer text with no space at its
        # ends cannot normalise to one
        if (len(value) > 2 and not value[0].isspace() and not value[-1].isspace()) or value.isdigit():  # noqa: PLR2004
            return False
        return normalise_text(value) in BLANK_MARKERS
    return False


_AMOUNT_FORMS_EN: Final = "an amount such as 851.65, 851.65元, 851.65万元, 104万, 1,234.50元 or ¥500"
_AMOUNT_FORMS_ZH: Final = "金额，如 851.65、851.65元、851.65万元、104万、1,234.50元 或 ¥500"

_EXPECTED: Final[dict[str, tuple[str, str]]] = {
    "blank": ("a value", "有值"),
    "not_a_number": (_AMOUNT_FORMS_EN, _AMOUNT_FORMS_ZH),
    "amount_form": (_AMOUNT_FORMS_EN, _AMOUNT_FORMS_ZH),
    "unknown_unit": ("an amount in 元 or 万元", "以元或万元为单位的金额"),
    "unit_conflict": ("an amount in the unit of the column header", "与列标题单位一致的金额"),
    "too_many_places": ("at most 2 decimal places in 元 (6 in 万元)", "元最多2位小数（万元最多6位）"),
    "float_artefact": ("an exact number", "准确的数值"),
    "negative": ("zero or more", "不小于零的数"),
    "not_finite": ("a finite number", "有限数"),
    "too_many_digits": ("an amount with at most 64 digits", "不超过64位数字的金额"),
    "bad_date": (
        "a date such as 2024年9月9日, 2024.09.09, 2024-9-9 or 20240909",
        "日期，如 2024年9月9日、2024.09.09、2024-9-9 或 20240909",
    ),
    "bad_range": (
        "a date range such as 2024年9月9日至9月18日 or 2023.11-2024.01",
        "起止日期，如 2024年9月9日至9月18日 或 2023.11-2024.01",
    ),
    "end_before_start": ("a range whose end is not before its start", "结束不早于开始的起止日期"),
    "bad_rate": ("a rate such as 6%, 6％ or 0.06", "比率，如 6%、6％ 或 0.06"),
    "rate_above_one": (
        "a rate of at most 1, or a percentage written with % (6%)",
        "不大于1的比率，或带%的百分比（6%）",
    ),
    "bad_share": ("a share in (0, 1] such as 1/3, 0.25 or 25%", "(0, 1] 之间的份额，如 1/3、0.25 或 25%"),
    "bad_year": ("a year from 1949 to 2100 such as 2021 or 2021年", "1949至2100之间的年度，如 2021 或 2021年"),
    "bad_count": ("a whole count such as 6, 6个 or 6项", "整数个数，如 6、6个 或 6项"),
    "bad_capacity": ("a capacity such as 186, 186千瓦 or 30MW", "装机容量，如 186、186千瓦 或 30MW"),
}


def _found(value: object) -> tuple[str, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "a blank cell", "空白单元格"
    if isinstance(value, float | bool | int | Decimal):
        shown = repr(value) if isinstance(value, float) else str(value)
        return f"the number {shown}", f"数值 {shown}"
    if isinstance(value, str):
        return repr(value), repr(value)
    return f"a {type(value).__name__} cell ({value})", f"{type(value).__name__} 类型的单元格（{value}）"


def _error(
    cls: type[InvalidValue],
    kind: str,
    *,
    value: object,
    field: str | None,
    note_en: str = "",
    note_zh: str = "",
    expected: tuple[str, str] | None = None,
    **extra: object,
) -> InvalidValue:
    """A coded error whose message says what was expected and what was found."""
    expected_en, expected_zh = expected or _EXPECTED.get(kind, ("a valid value", "有效值"))
    found_en, found_zh = _found(value)
    en = f"expected {expected_en}, found {found_en}" + (f"; {note_en}" if note_en else "")
    zh = f"应为{expected_zh}，实为{found_zh}" + (f"；{note_zh}" if note_zh else "")
    shown = repr(value) if isinstance(value, float) else value
    return cls(en, zh, field=field, actual=shown, expected=expected_en, details={"kind": kind, **extra})


def exact_decimal(value: float, *, field: str | None = None) -> Decimal:
    """Convert a float read from a spreadsheet to ``Decimal`` through its shortest repr.

    ``exact_decimal(851.65) == Decimal("851.65")`` (not the binary expansion
    ``851.649999…``). The result may still carry an artefact of a spreadsheet formula
    (``0.30000000000000004``); callers check the number of places.

    Raises:
        InvalidAmount: ``value`` is NaN or infinite (``kind="not_finite"``).
    """
    if math.isnan(value) or value in {float("inf"), float("-inf")}:
        raise _error(
            InvalidAmount,
            "not_finite",
            value=value,
            field=field,
        )
    return Decimal(repr(value))


def _looks_like_artefact(value: Decimal) -> bool:
    digits = value.as_tuple().digits
    return len(digits) >= _ARTEFACT_DIGITS


def _decimal_from_text(text: str) -> Decimal | None:
    compact = text.replace(" ", "")
    if _GROUPED.fullmatch(compact):
        compact = compact.replace(",", "")
    if not _NUMBER.fullmatch(compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None


def parse_amount(  # noqa: C901, PLR0912 - one branch per accepted cell type
    cell: object,
    unit_hint: str | None = None,
    *,
    field: str | None = None,
    non_negative: bool = False,
) -> Money:
    """Read a money cell (金额) into :class:`~assetreg.domain.money.Money`.

    The unit comes from the cell (``"851.65万元"``, ``"104万"``, ``"500元"``) or, when the
    cell has none, from ``unit_hint`` (the unit found in the column header, e.g.
    ``原值(万元)``). A cell unit that contradicts the header unit (``"500元"`` under
    ``金额(万元)``) is refused: which one is right cannot be known. Thousands separators
    (``"12,345.6万"`` = 123,456,000 元), a currency sign and a trailing bracketed note
    (``"167万元(少数民族发展资金)"``) are accepted.

    Args:
        cell: ``str``, ``int``, ``Decimal`` or, from an .xlsx numeric cell, ``float``
            (converted through its shortest repr, see :func:`exact_decimal`).
        unit_hint: the unit named by the column header, ``"元"`` or ``"万元"`` (``"万"``),
            or ``None`` when the header names none: then a bare number is in 元 and any
            unit written in the cell is accepted.
        field: the field being read, for messages.
        non_negative: refuse amounts below zero (original value, funding lines).

    Returns:
        The amount in fen.

    Raises:
        InvalidAmount: with ``details["kind"]`` one of ``"blank"``, ``"not_a_number"``,
            ``"unknown_unit"``, ``"unit_conflict"``, ``"too_many_places"``,
            ``"float_artefact"``, ``"negative"``, ``"not_finite"``, ``"too_many_digits"``.
    """
    hint = unit_hint
    if hint is not None and hint not in UNIT_FEN:
        raise _error(
            InvalidAmount,
            "unknown_unit",
            value=cell,
            field=field,
        )
    scale = UNIT_FEN[hint or "元"]
    from_float = False
    if isinstance(cell, bool):
        raise _error(
            InvalidAmount,
            "not_a_number",
            value=cell,
            field=field,
        )
    if isinstance(cell, float):
        number = exact_decimal(cell, field=field)
        from_float = True
    elif isinstance(cell, int):
        number = Decimal(cell)
    elif isinstance(cell, Decimal):
        number = cell
    elif isinstance(cell, str):
        number, scale = _amount_text(cell, hint, field)
    elif cell is None:
        raise _error(InvalidAmount, "blank", value=cell, field=field)
    else:
        raise _error(
            InvalidAmount,
            "not_a_number",
            value=cell,
            field=field,
        )
    if not number.is_finite():
        raise _error(
            InvalidAmount,
            "not_finite",
            value=cell,
            field=field,
        )
    shape = number.as_tuple()
    if len(shape.digits) <= _FAST_DIGITS and isinstance(shape.exponent, int) and -_FAST_DIGITS <= shape.exponent <= 0:
        # fast path: a product of at most 20 + 7 digits is exact in the default 28-digit context
        scaled = number * scale
        if scaled == scaled.to_integral_value() and not (non_negative and scaled < 0):
            return Money(int(scaled))
    fen = _exact_fen(number, scale, cell, field)
    unit = "万元" if scale == FEN_PER_WAN else "元"
    if fen.denominator != 1:
        places = _PLACES_IN_UNIT[scale]
        if from_float and _looks_like_artefact(number):
            raise _error(
                InvalidAmount,
                "float_artefact",
                value=cell,
                field=field,
                note_en="a binary floating-point artefact with more places than a fen; not rounded, correct the cell",
                note_zh="浮点运算误差，小数位超过分；不做舍入，请更正单元格",
            )
        raise _error(
            InvalidAmount,
            "too_many_places",
            value=cell,
            field=field,
            expected=(f"at most {places} decimal places in {unit}", f"{unit}最多{places}位小数"),
            note_en="not rounded",
            note_zh="不做舍入",
        )
    if non_negative and fen < 0:
        raise _error(
            InvalidAmount,
            "negative",
            value=cell,
            field=field,
        )
    return Money(fen.numerator)


def _exact_fen(number: Decimal, scale: int, cell: object, field: str | None) -> Fraction:
    try:
        return exact_fraction(number) * scale
    except ValueError:  # an exponent beyond ±64 (a billion-digit integer otherwise)
        raise _error(
            InvalidAmount,
            "too_many_digits",
            value=cell,
            field=field,
        ) from None


def _check_amount_form(cell: str, written: str, unit_text: str, field: str | None) -> None:
    """Refuse amount text outside the documented forms, suggesting the reading meant.

    Documented: a plain number (``851.65``), a number with 元/万元/万 (``851.65万元``,
    ``104万``), thousands separators only in 元 (``1,234.50`` or ``1,234.50元``), a leading
    ¥ with an amount in 元. Refused: spaces inside the number (``1 234``), separators with
    万/万元 (``12,345.6万``: write ``12345.6万元``), separators not in groups of three.
    """
    compact = written.replace(" ", "")
    suggestion: str | None = None
    if " " in written and _NUMBER.fullmatch(compact.replace(",", "")):
        suggestion = compact.replace(",", "") + (unit_text if unit_text != "万" else "万元")
    elif "," in compact:
        plain = compact.replace(",", "")
        if _GROUPED.fullmatch(compact) is None and _NUMBER.fullmatch(plain):
            suggestion = plain + (unit_text if unit_text != "万" else "万元")
        elif unit_text in {"万", "万元"} and _NUMBER.fullmatch(plain):
            suggestion = f"{plain}万元"
    if suggestion is not None:
        raise _error(
            InvalidAmount,
            "amount_form",
            value=cell,
            field=field,
            note_en=f"not a documented amount form; if {suggestion} is meant, write it so",
            note_zh=f"不是台账说明所列的金额写法；如指 {suggestion}，请照此填写",
            suggestion=suggestion,
        )


def _amount_text(cell: str, hint: str | None, field: str | None) -> tuple[Decimal, int]:
    text = normalise_text(cell)
    if text in BLANK_MARKERS:
        raise _error(InvalidAmount, "blank", value=cell, field=field)
    body = _NOTE.sub("", text).strip()
    for sign in _CURRENCY:
        body = body.removeprefix(sign)
    match = _AMOUNT_TEXT.fullmatch(body.strip())
    if match is None:
        raise _error(
            InvalidAmount,
            "not_a_number",
            value=cell,
            field=field,
        )
    written = match["number"].strip()
    unit_text = match["unit"].strip()
    _check_amount_form(cell, written, unit_text, field)
    number = _decimal_from_text(written)
    if number is None:
        raise _error(
            InvalidAmount,
            "not_a_number",
            value=cell,
            field=field,
        )
    if unit_text and unit_text not in UNIT_FEN:
        raise _error(
            InvalidAmount,
            "unknown_unit",
            value=cell,
            field=field,
        )
    cell_unit = unit_text or None
    if cell_unit is None:
        return number, UNIT_FEN[hint or "元"]
    if hint is not None and UNIT_FEN[cell_unit] != UNIT_FEN[hint]:
        raise _error(
            InvalidAmount,
            "unit_conflict",
            value=cell,
            field=field,
            expected=(f"an amount in {hint} (the column header's unit)", f"以{hint}为单位的金额（列标题单位）"),
            note_en=f"the cell says {cell_unit}; which one is meant cannot be known",
            note_zh=f"单元格写的是{cell_unit}，无法确定以哪个为准",
        )
    return number, UNIT_FEN[cell_unit]


# -- dates -------------------------------------------------------------------------------

_DAY_FORMS: Final = (
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_MONTH_FORMS: Final = (
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:份)?"),
    re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})"),
)
_PARTIAL_DAY_FORMS: Final = (
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日?"),
    re.compile(r"(?P<m>\d{1,2})[./](?P<d>\d{1,2})"),
    re.compile(r"(?P<d>\d{1,2})日"),
)
_PARTIAL_MONTH_FORMS: Final = (re.compile(r"(?P<m>\d{1,2})月(?:份)?"),)
_MIDNIGHT = re.compile(r"(?P<day>.+?)T?00:00(?::00)?")
_RANGE_SEPARATOR = re.compile(r"—+|–|~|〜|-|起?至|起?到")

# A token: (year, month, day, is_month_level); year/month may be None on the right side.
_Token = tuple[int | None, int | None, int | None, bool]


def _match_token(text: str, *, partial: bool) -> _Token | None:
    for form in _DAY_FORMS:
        if found := form.fullmatch(text):
            return int(found["y"]), int(found["m"]), int(found["d"]), False
    for form in _MONTH_FORMS:
        if found := form.fullmatch(text):
            return int(found["y"]), int(found["m"]), None, True
    if partial:
        for form in _PARTIAL_DAY_FORMS:
            if found := form.fullmatch(text):
                groups = found.groupdict()
                month = int(groups["m"]) if groups.get("m") else None
                return None, month, int(groups["d"]), False
        for form in _PARTIAL_MONTH_FORMS:
            if found := form.fullmatch(text):
                return None, int(found["m"]), None, True
    return None


def _make_date(year: int, month: int, day: int, cell: object, field: str | None, kind: str) -> date:  # noqa: PLR0917 - private helper
    try:
        return date(year, month, day)
    except ValueError:
        raise _error(
            InvalidPeriod,
            kind,
            value=cell,
            field=field,
        ) from None


def _date_text(cell: object, field: str | None) -> str | date:
    if isinstance(cell, datetime):
        if cell.time() != datetime.min.time():
            raise _error(
                InvalidPeriod,
                "bad_date",
                value=cell,
                field=field,
            )
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise _error(
            InvalidPeriod,
            "bad_date",
            value=cell,
            field=field,
        )
    if isinstance(cell, float):
        number = exact_decimal(cell, field=field)
        if number != number.to_integral_value():
            raise _error(
                InvalidPeriod,
                "bad_date",
                value=cell,
                field=field,
            )
        return str(int(number))
    if isinstance(cell, int | Decimal):
        return str(cell)
    if isinstance(cell, str):
        return re.sub(r"\s+", "", normalise_text(cell))
    raise _error(
        InvalidPeriod,
        "bad_date",
        value=cell,
        field=field,
    )


def parse_date(cell: object, *, field: str | None = None) -> date:
    """Read a date cell (日期): ``2024年9月9日``, ``2024.09.09``, ``2024-9-9``, ``2024/9/9``, ``20240909``.

    A ``date`` or a midnight ``datetime`` (as openpyxl returns date cells) is taken as
    is. Text that lost characters (``2024731日``, ``年7月9日``) is refused; nothing is
    guessed.

    Raises:
        InvalidPeriod: ``details["kind"]`` is ``"blank"`` or ``"bad_date"``.
    """
    if is_blank(cell):
        raise _error(InvalidPeriod, "blank", value=cell, field=field)
    text = _date_text(cell, field)
    if isinstance(text, date):
        return text
    if midnight := _MIDNIGHT.fullmatch(text):
        text = midnight["day"]
    token = _match_token(text, partial=False)
    if token is None or token[3]:
        raise _error(
            InvalidPeriod,
            "bad_date",
            value=cell,
            field=field,
        )
    year, month, day, _ = token
    assert year is not None  # noqa: S101 - narrowing after validation
    assert month is not None  # noqa: S101 - narrowing after validation
    assert day is not None  # noqa: S101 - narrowing after validation
    return _make_date(year, month, day, cell, field, "bad_date")


def parse_date_range(cell: object, *, field: str | None = None) -> Period:
    """Read a printed date range (起止日期) into a half-open :class:`~assetreg.domain.periods.Period`.

    The printed range is inclusive; the result is ``Period.inclusive(first, last)``, so
    ``2024年9月9日至9月18日(公示10天)`` is ``[2024-09-09, 2024-09-19)`` (10 days). Accepted:

    * day ranges with the separators 至, 到, —, –, ~, -: ``2023年6月9日—6月19日`` (the end
      takes the year of the start), ``2024年7月31日—2024年8月9日``, ``2024.9.9-2024.9.18``;
    * month ranges: ``2023.11-2024.01`` and ``2024年8月-2025年7月`` cover whole months,
      ``[2023-11-01, 2024-02-01)``;
    * a trailing bracketed note (``(公示10天)``) is ignored.

    Nothing is guessed: ``2023524—64`` and ``20248月-2025年7月`` are refused, and so is a
    range whose end comes before its start (``12月25日至1月5日`` is not assumed to cross
    a year).

    Raises:
        InvalidPeriod: ``details["kind"]`` is ``"blank"``, ``"bad_range"`` or ``"bad_date"``.
    """
    if is_blank(cell):
        raise _error(
            InvalidPeriod,
            "blank",
            value=cell,
            field=field,
        )
    if not isinstance(cell, str):
        raise _error(
            InvalidPeriod,
            "bad_range",
            value=cell,
            field=field,
        )
    text = re.sub(r"\s+", "", _NOTE.sub("", normalise_text(cell)))
    candidates: list[tuple[_Token, _Token]] = []
    for separator in _RANGE_SEPARATOR.finditer(text):
        left = _match_token(text[: separator.start()], partial=False)
        right = _match_token(text[separator.end() :], partial=True)
        if left is not None and right is not None:
            candidates.append((left, right))
    if len(candidates) != 1:
        raise _error(
            InvalidPeriod,
            "bad_range",
            value=cell,
            field=field,
        )
    (y1, m1, d1, month_level), (y2, m2, d2, right_month_level) = candidates[0]
    assert y1 is not None  # noqa: S101 - narrowing after validation
    assert m1 is not None  # noqa: S101 - narrowing after validation
    if month_level != right_month_level:
        raise _error(
            InvalidPeriod,
            "bad_range",
            value=cell,
            field=field,
        )
    year2 = y1 if y2 is None else y2
    month2 = m1 if m2 is None else m2
    if month_level:
        first = _make_date(y1, m1, 1, cell, field, "bad_range")
        last_month = _make_date(year2, month2, 1, cell, field, "bad_range")
        end = date(last_month.year + (last_month.month == 12), last_month.month % 12 + 1, 1)  # noqa: PLR2004
        if end <= first:
            raise _end_before_start(cell, field)
        return Period(first, end)
    assert d1 is not None  # noqa: S101 - narrowing after validation
    assert d2 is not None  # noqa: S101 - narrowing after validation
    first = _make_date(y1, m1, d1, cell, field, "bad_date")
    last = _make_date(year2, month2, d2, cell, field, "bad_date")
    if last < first:
        raise _end_before_start(cell, field)
    return Period.inclusive(first, last)


def _end_before_start(cell: object, field: str | None) -> InvalidValue:
    return _error(
        InvalidPeriod,
        "end_before_start",
        value=cell,
        field=field,
    )


# -- rates, shares, years, counts ----------------------------------------------------------


_MAX_EXPONENT: Final = 64
SHARE_PLACES: Final = 6
"""Default decimal places a share or rate cell may have (``Policy.share_places``)."""


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _exact_number(  # noqa: PLR0917 - private helper
    cell: object, field: str | None, kind: str, what_en: str, what_zh: str, max_places: int
) -> tuple[Fraction, bool]:
    """Return (value, had_percent_sign) for a rate or share cell.

    A number written with more than ``max_places`` decimal places (as text or as a
    spreadsheet number) is refused the same way: ``"too_many_places"``, or
    ``"float_artefact"`` for the long tail a binary float leaves (``0.30000000000000004``).
    """
    cls: type[InvalidValue] = InvalidShares if kind == "bad_share" else InvalidValue
    if isinstance(cell, bool) or cell is None:
        raise _error(cls, kind, value=cell, field=field)
    percent = False
    if isinstance(cell, float):
        number: Decimal | None = exact_decimal(cell, field=field)
    elif isinstance(cell, int | Fraction):
        return Fraction(cell), False
    elif isinstance(cell, Decimal | str):
        text = re.sub(r"\s+", "", _NOTE.sub("", normalise_text(str(cell))))
        percent = text.endswith("%")
        body = text[:-1] if percent else text
        number = None
        try:
            if "/" in body:
                value = Fraction(body)
                return (value / 100 if percent else value), percent
            number = Decimal(body)
            if not number.is_finite():
                raise InvalidOperation
        except (ValueError, ArithmeticError, ZeroDivisionError):
            raise _error(cls, kind, value=cell, field=field) from None
    else:
        raise _error(cls, kind, value=cell, field=field)
    assert number is not None  # noqa: S101 - narrowing after the branches
    if not -_MAX_EXPONENT <= number.adjusted() <= _MAX_EXPONENT:
        raise _error(cls, kind, value=cell, field=field, note_en="too many digits", note_zh="位数过多")
    places = _places(number)
    if places > max_places:
        artefact = _looks_like_artefact(number)
        raise _error(
            cls,
            "float_artefact" if artefact else "too_many_places",
            value=cell,
            field=field,
            expected=(
                f"{what_en} with at most {max_places} decimal places (or a fraction such as 1/3)",
                f"最多{max_places}位小数的{what_zh}（或分数，如 1/3）",
            ),
            note_en=(f"{places} places{', a binary floating-point artefact' if artefact else ''}; not rounded"),
            note_zh=f"{places}位小数{'，浮点运算误差' if artefact else ''}；不做舍入",
        )
    value = exact_fraction(number)
    return (value / 100 if percent else value), percent


def parse_rate(
    cell: object, unit_hint: str | None = None, *, field: str | None = None, max_places: int = SHARE_PLACES
) -> Fraction:
    """Read a rate cell (比率，如保底收益率) as an exact ``Fraction``: ``"6%"`` → ``3/50``.

    ``"6%"``, ``"6％"``, ``"0.06"``, ``Decimal("0.06")`` and a percent-formatted .xlsx
    cell (float ``0.06``) all give ``Fraction(3, 50)``. Under a header that names ``%``
    (``保底收益率(%)``) a bare ``6`` means 6 %. A bare number above 1 elsewhere is
    refused rather than guessed to be a percentage.

    Raises:
        InvalidValue: ``details["kind"]`` is ``"bad_rate"``, ``"negative"``,
            ``"rate_above_one"`` or ``"float_artefact"``.
    """
    if is_blank(cell):
        raise _error(InvalidValue, "blank", value=cell, field=field)
    value, percent = _exact_number(cell, field, "bad_rate", "a rate", "比率", max_places)
    if unit_hint == "%" and not percent:
        value /= 100
        percent = True
    if value < 0:
        raise _error(
            InvalidValue,
            "negative",
            value=cell,
            field=field,
        )
    if value > 1 and not percent:
        raise _error(
            InvalidValue,
            "rate_above_one",
            value=cell,
            field=field,
            note_en=f"write {cell}% if a percentage is meant",
            note_zh=f"如指百分比请写作 {cell}%",
        )
    return value


def parse_share(cell: object, *, field: str | None = None, max_places: int = SHARE_PLACES) -> Fraction:
    """Read an ownership share cell (份额/持股比例) as an exact ``Fraction`` in (0, 1].

    Accepts ``"1/3"``, ``"25%"``, ``"0.25"``, ``int``, ``Decimal`` and an .xlsx float
    converted exactly (a float artefact is refused).

    Raises:
        InvalidShares: ``details["kind"]`` is ``"bad_share"`` or ``"float_artefact"``,
            or the share lies outside (0, 1].
    """
    if is_blank(cell):
        raise _error(InvalidShares, "blank", value=cell, field=field)
    value, _ = _exact_number(cell, field, "bad_share", "a share", "份额", max_places)
    if not 0 < value <= 1:
        raise _error(
            InvalidShares,
            "bad_share",
            value=cell,
            field=field,
            note_en=f"{value} is outside (0, 1]",
            note_zh=f"{value} 不在 (0, 1] 区间内",
        )
    return _parse_share(value, field=field)


def parse_equity_shares(cell: object, *, field: str | None = None, max_places: int = SHARE_PLACES) -> Fraction:
    """Read a members' shares cell (股份/股数, 折股量化) as an exact ``Fraction`` >= 0.

    Accepts a count (``12``, ``"12股"``), an exact fraction (``"1/3"``), a decimal
    (``"2.5"``) and an .xlsx float converted exactly (a float artefact is refused).

    Raises:
        InvalidValue: ``details["kind"]`` is ``"invalid_value"``, ``"too_many_places"``
            or ``"float_artefact"``; a negative number is ``"negative"``.
    """
    text = re.sub(r"股$", "", normalise_text(cell).strip()) if isinstance(cell, str) else cell
    expected = ("a number of shares such as 12, 12股 or 1/3", "股数，如 12、12股 或 1/3")
    try:
        value, percent = _exact_number(text, field, "invalid_value", "a number of shares", "股数", max_places)
    except InvalidValue as exc:
        if exc.details.get("kind") != "invalid_value":
            raise
        raise _error(InvalidValue, "invalid_value", value=cell, field=field, expected=expected) from None
    if percent:
        raise _error(InvalidValue, "invalid_value", value=cell, field=field, expected=expected)
    if value < 0:
        raise _error(InvalidValue, "negative", value=cell, field=field)
    return value


def parse_year(cell: object, *, field: str | None = None) -> int:
    """Read a year cell (年度): ``2021``, ``"2021"``, ``"2021年"``, ``2021.0``.

    Raises:
        InvalidValue: ``details["kind"] == "bad_year"`` for anything else or a year
            outside 1949–2100.
    """
    text = cell
    if isinstance(cell, float):
        number = exact_decimal(cell, field=field)
        text = str(int(number)) if number == number.to_integral_value() else str(number)
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if isinstance(text, str) and (found := re.fullmatch(r"(\d{4})(?:年度?)?", normalise_text(text))):
        year = int(found[1])
        if 1949 <= year <= 2100:  # noqa: PLR2004 - plausible register years
            return year
    raise _error(
        InvalidValue,
        "bad_year",
        value=cell,
        field=field,
    )


def parse_count(cell: object, *, field: str | None = None) -> int:
    """Read a count cell (个数/户数): ``624``, ``"624 个"``, ``"11项"``, ``"6个项目"``, ``624.0``.

    Raises:
        InvalidValue: ``details["kind"] == "bad_count"`` for anything else, a negative
            or a fractional count.
    """
    if isinstance(cell, bool):
        text: object = None
    elif isinstance(cell, float):
        number = exact_decimal(cell, field=field)
        text = str(int(number)) if number == number.to_integral_value() else None
    elif isinstance(cell, int):
        text = str(cell)
    else:
        text = cell
    if isinstance(text, str) and (
        found := re.fullmatch(r"(\d+)\s*(?:[个项户人座块台套头只株亩]|个项目|个村)?", normalise_text(text))
    ):
        return int(found[1])
    raise _error(
        InvalidValue,
        "bad_count",
        value=cell,
        field=field,
    )


_CAPACITY = re.compile(r"(\d+(?:\.\d+)?)\s*(千瓦|兆瓦|kw|mw|kwp|mwp)(?![a-z])", re.IGNORECASE)


def parse_capacity_kw(cell: object, *, field: str | None = None) -> Decimal | None:
    """Find an installed capacity in kW in a cell: ``"186千瓦"``, ``"装机总容量186千瓦"``, ``"30MW"`` (= 30,000 kW).

    A bare number is taken as kW. Returns ``None`` when the text names no capacity
    (``"日光温室31座"``).

    Raises:
        InvalidValue: a bare value that is not a non-negative number.
    """
    if is_blank(cell):
        return None
    if isinstance(cell, int | Decimal) and not isinstance(cell, bool):
        return Decimal(cell)
    if isinstance(cell, float):
        return exact_decimal(cell, field=field)
    text = normalise_text(str(cell))
    match = _CAPACITY.search(text)
    if match is None:
        bare = _decimal_from_text(text)
        if bare is None:
            return None
        if bare < 0:
            raise _error(InvalidValue, "negative", value=cell, field=field)
        return bare
    value = Decimal(match.group(1))
    return value * 1000 if match.group(2).lower().startswith(("m", "兆")) else value
