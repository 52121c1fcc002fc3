"""Codes: area codes (统计用区划代码), credit codes (统一社会信用代码), resident ids (公民身份号码).

DESIGN §5. Key everything on codes, never on names: names drift, codes are sparse and
revoked codes stay valid history.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

import attrs

from assetreg.domain.vocab import Vocabulary
from assetreg.errors import InvalidCode

__all__ = ["AdminCode", "AdminLevel", "CreditCode", "ResidentId", "mask_id_text", "mask_resident_ids"]

# Province-level prefixes in use (GB/T 2260): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82.
_PROVINCES: Final = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)


class AdminLevel(Vocabulary):
    """Level of an area code (区划级别)."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


_SIGNIFICANT: Final = {
    AdminLevel.PROVINCE: 2,
    AdminLevel.PREFECTURE: 4,
    AdminLevel.COUNTY: 6,
    AdminLevel.TOWNSHIP: 9,
    AdminLevel.VILLAGE: 12,
}


def _bad(  # noqa: PLR0917 - private helper; the arguments mirror the error's fields
    field: str, value: object, en: str, zh: str, expected: str, record: str | None
) -> InvalidCode:
    return InvalidCode(
        f"{field} {value!r}: {en}",
        f"{field} {value!r}：{zh}",
        field=field,
        record=record,
        actual=value,
        expected=expected,
    )


@attrs.frozen(order=True, repr=False)
class AdminCode:
    """A 12-digit statistical area code (统计用区划代码), DESIGN §5.

    Layout: province 2 + prefecture 2 + county 2 (the 6-digit administrative code) +
    township 3 + village 3. Township blocks: 001–099 sub-districts (街道), 100–199 towns
    (镇), 200–399 townships (乡), 400–599 other units. Shorter forms of 2, 4, 6 or 9 digits
    are accepted and padded with zeros, so ``AdminCode("620422")`` is the county
    ``620422000000``.

    Attributes:
        value: the 12-digit code.

    Raises:
        InvalidCode: wrong length, non-digits, unknown province, a zero block above a
            non-zero one, or a township block above 599.
    """

    value: str = attrs.field()

    @classmethod
    def parse(cls, text: object, *, field: str = "admin_code", record: str | None = None) -> AdminCode:
        """Validate ``text`` and name ``field``/``record`` in the error.

        Raises:
            InvalidCode: as for the constructor, naming the field.
        """
        if not isinstance(text, str):
            raise _bad(field, text, "an area code is text", "区划代码应为文本", "12 digits", record)
        digits = text.strip()
        if not re.fullmatch(r"[0-9]+", digits):  # ASCII only: \d would take full-width digits
            raise _bad(field, text, "only digits are allowed", "只能包含数字", "12 digits", record)
        if len(digits) not in {2, 4, 6, 9, 12}:
            raise _bad(
                field,
                text,
                f"has {len(digits)} digits",
                f"长度为{len(digits)}位",
                "12 digits (or 2, 4, 6, 9 for a higher level)",
                record,
            )
        padded = digits.ljust(12, "0")
        if int(padded[:2]) not in _PROVINCES:
            raise _bad(field, text, "unknown province prefix", "省级代码不存在", "a province prefix 11–82", record)
        blocks = [padded[2:4], padded[4:6], padded[6:9], padded[9:12]]
        seen_zero = False
        for block in blocks:
            if int(block) == 0:
                seen_zero = True
            elif seen_zero:
                raise _bad(
                    field,
                    text,
                    "a lower level is set under a zero level",
                    "上级层次为零而下级不为零",
                    "levels filled from the left",
                    record,
                )
        if int(padded[6:9]) > 599:  # noqa: PLR2004 - township block limit (DESIGN §5)
            raise _bad(field, text, "township block above 599", "乡级代码超过599", "township block 001–599", record)
        return cls.__new_unchecked(padded)

    @classmethod
    def __new_unchecked(cls, padded: str) -> AdminCode:
        code = object.__new__(cls)
        object.__setattr__(code, "value", padded)
        return code

    def __attrs_post_init__(self) -> None:
        checked = AdminCode.parse(self.value)
        object.__setattr__(self, "value", checked.value)

    @property
    def level(self) -> AdminLevel:
        """The level: province, prefecture, county, township or village."""
        v = self.value
        if v[9:] != "000":
            return AdminLevel.VILLAGE
        if v[6:9] != "000":
            return AdminLevel.TOWNSHIP
        if v[4:6] != "00":
            return AdminLevel.COUNTY
        if v[2:4] != "00":
            return AdminLevel.PREFECTURE
        return AdminLevel.PROVINCE

    @property
    def prefix(self) -> str:
        """The significant digits: ``"620422"`` for a county, ``"620422100"`` for a town."""
        return self.value[: _SIGNIFICANT[self.level]]

    def _part(self, level: AdminLevel) -> str | None:
        n = _SIGNIFICANT[level]
        if _SIGNIFICANT[self.level] < n:
            return None
        return self.value[:n]

    @property
    def province(self) -> str:
        """The 2-digit province code (``"62"`` for 甘肃省)."""
        return self.value[:2]

    @property
    def prefecture(self) -> str | None:
        """The 4-digit prefecture code (``"6204"`` for 白银市), or ``None`` above that level."""
        return self._part(AdminLevel.PREFECTURE)

    @property
    def county(self) -> str | None:
        """The 6-digit county code (``"620422"`` for 会宁县), or ``None`` above that level."""
        return self._part(AdminLevel.COUNTY)

    @property
    def township(self) -> str | None:
        """The 9-digit township code, or ``None`` above that level."""
        return self._part(AdminLevel.TOWNSHIP)

    @property
    def village(self) -> str | None:
        """The 12-digit village code, or ``None`` above that level."""
        return self._part(AdminLevel.VILLAGE)

    @property
    def township_kind(self) -> str | None:
        """The township block's kind, for township-level codes and below, else ``None``.

        ``"subdistrict"`` (街道, 001–099), ``"town"`` (镇, 100–199), ``"township"`` (乡,
        200–399) or ``"other"`` (400–599), DESIGN §5.
        """
        if self.township is None:
            return None
        block = int(self.value[6:9])
        if block < 100:  # noqa: PLR2004
            return "subdistrict"
        if block < 200:  # noqa: PLR2004
            return "town"
        if block < 400:  # noqa: PLR2004
            return "township"
        return "other"

    def parent(self) -> AdminCode | None:
        """The code one level up (village → township → county → prefecture → province)."""
        order = list(_SIGNIFICANT)
        index = order.index(self.level)
        if index == 0:
            return None
        return AdminCode(self.value[: _SIGNIFICANT[order[index - 1]]])

    def parents(self) -> tuple[AdminCode, ...]:
        """All codes above this one, nearest first."""
        out: list[AdminCode] = []
        code = self.parent()
        while code is not None:
            out.append(code)
            code = code.parent()
        return tuple(out)

    def within(self, prefix: str | AdminCode) -> bool:
        """Whether this code lies inside ``prefix`` (a code or its significant digits)."""
        p = prefix.prefix if isinstance(prefix, AdminCode) else prefix
        return self.value.startswith(p)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"AdminCode('{self.value}')"


# GB 32100-2015: 31 characters, without I, O, Z, S, V.
_CREDIT_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _credit_check_char(body: str) -> str:
    total = sum(_CREDIT_CHARSET.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARSET[(31 - total % 31) % 31]


@attrs.frozen(order=True, repr=False)
class CreditCode:
    """An 18-character unified social credit code (统一社会信用代码), GB 32100-2015.

    Layout: registration authority (1) + organisation kind (1) + area code (6) +
    organisation code (9) + check character (1), over the 31-character set
    ``0-9 A-H J-N P-R T U W-Y``. The check character is verified.

    Raises:
        InvalidCode: wrong length, a character outside the set, or a wrong check character.
    """

    value: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "value", CreditCode.check(self.value))

    @staticmethod
    def check(text: object, *, field: str = "credit_code", record: str | None = None) -> str:
        """Return the normalised code (upper case) or raise, naming ``field``.

        Raises:
            InvalidCode: wrong length, bad character or wrong check character.
        """
        if not isinstance(text, str):
            raise _bad(field, text, "a credit code is text", "信用代码应为文本", "18 characters", record)
        code = text.strip().upper()
        if len(code) != 18:  # noqa: PLR2004
            raise _bad(field, text, f"has {len(code)} characters", f"长度为{len(code)}位", "18 characters", record)
        bad = [c for c in code if c not in _CREDIT_CHARSET]
        if bad:
            raise _bad(
                field,
                text,
                f"character {bad[0]!r} is not allowed",
                f"含非法字符 {bad[0]!r}",
                "digits and A-H J-N P-R T U W-Y",
                record,
            )
        expected = _credit_check_char(code[:17])
        if code[17] != expected:
            raise _bad(
                field,
                text,
                f"check character should be {expected!r}",
                f"校验码应为 {expected!r}",
                f"check character {expected}",
                record,
            )
        return code

    @classmethod
    def parse(cls, text: object, *, field: str = "credit_code", record: str | None = None) -> CreditCode:
        """Validate ``text`` naming ``field``/``record`` in the error."""
        return cls(cls.check(text, field=field, record=record))

    @property
    def area(self) -> str:
        """The 6-digit administrative area code inside the credit code."""
        return self.value[2:8]

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"CreditCode('{self.value}')"


_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"


@attrs.frozen(repr=False, eq=True, order=False)
class ResidentId:
    """An 18-character citizen identity number (公民身份号码), GB 11643-1999. Personal data.

    Layout: area (6) + birth date (8, ``YYYYMMDD``) + sequence (3) + check character
    (``0-9`` or ``X``, ISO 7064 MOD 11-2). ``repr`` and ``str`` are masked
    (``620422********1234``); :attr:`value` holds the full number for callers that must.

    Raises:
        InvalidCode: wrong length, characters, birth date or check character. The
            message never repeats the number in full.
    """

    value: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "value", ResidentId.check(self.value))

    @staticmethod
    def check(text: object, *, field: str = "resident_id", record: str | None = None) -> str:
        """Return the normalised number or raise, with a masked value in the error."""
        if not isinstance(text, str):
            raise _bad(field, "<not text>", "a resident id is text", "身份号码应为文本", "18 characters", record)
        code = text.strip().upper()
        shown = _mask(code)
        if len(code) != 18:  # noqa: PLR2004
            raise _bad(field, shown, f"has {len(code)} characters", f"长度为{len(code)}位", "18 characters", record)
        if not re.fullmatch(r"[0-9]{17}[0-9X]", code):
            raise _bad(
                field, shown, "only digits and a final X are allowed", "只能为数字和末位X", "17 digits + check", record
            )
        try:
            date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
        except ValueError:
            raise _bad(field, shown, "the birth date is not a date", "出生日期无效", "YYYYMMDD", record) from None
        total = sum(int(c) * w for c, w in zip(code[:17], _ID_WEIGHTS, strict=True))
        expected = _ID_CHECK[total % 11]
        if code[17] != expected:
            raise _bad(field, shown, "wrong check character", "校验码错误", "a valid GB 11643 check character", record)
        return code

    @property
    def masked(self) -> str:
        """The masked form: first 6 and last 4 characters kept (``620422********1234``)."""
        return _mask(self.value)

    @property
    def birth_date(self) -> date:
        """The date of birth encoded in the number."""
        return date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"ResidentId('{self.masked}')"


_RESIDENT_ID_SHAPE: Final = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_resident_ids(text: str) -> str:
    """Mask everything in ``text`` shaped like an 18-character resident id (公民身份号码).

    A run of 17 digits and a digit or ``X`` whose characters 7-14 are a real date of birth
    becomes ``620422********1234`` (first 6 and last 4 kept, DESIGN §4 "Personal data"),
    wherever it stands in free text; other text is returned unchanged. The one masking
    rule of every output (exports, rejects files, JSON, CSV, findings).
    """

    def mask(match: re.Match[str]) -> str:
        born = match.group(2)
        try:
            date(int(born[:4]), int(born[4:6]), int(born[6:]))
        except ValueError:
            return match.group(0)
        return f"{match.group(1)}********{match.group(3)[-4:]}"

    return _RESIDENT_ID_SHAPE.sub(mask, text)


def mask_id_text(text: str) -> str:
    """Mask a whole cell of a resident-id column, well-formed or not.

    First 6 and last 4 characters kept, the rest starred (``620422********1234``); a value
    of 10 characters or fewer is starred entirely. Surrounding blanks are dropped.
    """
    return _mask(text.strip())


def _mask(code: str) -> str:
    if len(code) <= 10:  # noqa: PLR2004
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]
