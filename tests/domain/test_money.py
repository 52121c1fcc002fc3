"""Money: integer fen, exact parsing, explicit rounding, 元/万元 display (DESIGN §4, §9)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from assetreg.domain.money import FEN_PER_WAN, FEN_PER_YUAN, Money, RoundingMode, round_fen
from assetreg.errors import AssetRegError, InvalidAmount

M = RoundingMode


class TestConstruction:
    def test_wan_text_is_exact_and_formats_back(self) -> None:
        amount = Money.parse("851.65万元")
        assert amount == Money.yuan("8516500.00")
        assert amount.fen == 851_650_000
        assert amount.format_wan() == "851.6500万元"
        assert amount.format_yuan() == "8516500.00"
        assert amount.format_yuan(grouping=True, unit=True) == "8,516,500.00元"

    def test_unit_spellings(self) -> None:
        assert Money.wan("851.65") == Money.parse("851.65万") == Money.parse("851.65万元")
        assert Money.parse("851.65", default_unit="万元") == Money.wan("851.65")
        assert Money.parse("500元") == Money.yuan(500) == Money(50_000)
        assert Money.parse(" 1 234.5 元 ") == Money(123_450)
        assert Money.parse("104万") == Money(104 * FEN_PER_WAN)

    def test_bracketed_note_is_ignored(self) -> None:
        assert Money.parse("167万元(少数民族发展资金)") == Money.wan(167)
        assert Money.parse("167万元（少数民族发展资金）") == Money.wan(167)

    def test_constructors_agree(self) -> None:
        assert Money.from_fen(12) == Money(12)
        assert Money.zero() == Money(0)
        assert Money.yuan(Decimal("12.3")) == Money(1230)
        assert Money.yuan(Decimal("1E+2")) == Money(10_000)
        assert Money.yuan("-0.05") == Money(-5)
        assert Money.wan("0.000001") == Money(1)
        assert FEN_PER_YUAN == 100
        assert FEN_PER_WAN == 1_000_000

    def test_trailing_zeros_are_not_extra_places(self) -> None:
        assert Money.yuan("1.230") == Money(123)
        assert Money.parse("851.6500万元") == Money(851_650_000)

    @pytest.mark.parametrize(
        "build",
        [
            lambda: Money(0.1),
            lambda: Money.yuan(0.1),
            lambda: Money.wan(0.1),
            lambda: Money.parse(0.1),
            lambda: Money.from_fen(1.0),
            lambda: Money(1).times(0.06),
            lambda: Money(1) * 0.5,
            lambda: round_fen(0.5),
        ],
    )
    def test_float_is_refused_with_type_error(self, build: object) -> None:
        with pytest.raises(TypeError):
            build()  # type: ignore[operator]

    def test_bool_is_not_an_amount(self) -> None:
        with pytest.raises(TypeError):
            Money(True)
        with pytest.raises(TypeError):
            Money.yuan(True)

    @pytest.mark.parametrize(
        ("build", "places"),
        [
            (lambda: Money.yuan("0.001"), "2"),
            (lambda: Money.yuan(Decimal("1.005")), "2"),
            (lambda: Money.parse("1.234元"), "2"),
            (lambda: Money.wan("0.0000001"), "6"),
            (lambda: Money.parse("851.6500001万元"), "6"),
        ],
    )
    def test_extra_places_raise_invalid_amount(self, build: object, places: str) -> None:
        with pytest.raises(InvalidAmount) as info:
            build()  # type: ignore[operator]
        assert info.value.code == "AR-101"
        assert isinstance(info.value, AssetRegError)
        assert isinstance(info.value, ValueError)
        assert f"at most {places} decimal places" in str(info.value.expected)

    def test_error_names_the_field(self) -> None:
        with pytest.raises(InvalidAmount) as info:
            Money.yuan("12.345", field="original_value")
        assert info.value.field == "original_value"
        assert info.value.actual == "12.345"
        assert str(info.value).startswith("AR-101 ")
        assert "不做舍入" in info.value.message("zh")

    @pytest.mark.parametrize("text", ["abc", "", "元", "1e5", "NaN", "12,34.5", "1.2.3", "--1"])
    def test_unreadable_text(self, text: str) -> None:
        with pytest.raises(InvalidAmount):
            Money.parse(text)

    def test_non_finite_decimal(self) -> None:
        with pytest.raises(InvalidAmount):
            Money.yuan(Decimal("NaN"))
        with pytest.raises(InvalidAmount):
            Money.yuan(Decimal("Infinity"))

    def test_unknown_default_unit(self) -> None:
        with pytest.raises(InvalidAmount) as info:
            Money.parse("12", default_unit="美元")
        assert info.value.actual == "美元"

    def test_parse_takes_text_only(self) -> None:
        with pytest.raises(TypeError):
            Money.parse(12)  # type: ignore[arg-type]


class TestRounding:
    @pytest.mark.parametrize(
        ("value", "mode", "expected"),
        [
            (Fraction(5, 2), M.HALF_UP, 3),
            (Fraction(5, 2), M.HALF_EVEN, 2),
            (Fraction(7, 2), M.HALF_EVEN, 4),
            (Fraction(5, 2), M.DOWN, 2),
            (Fraction(5, 2), M.UP, 3),
            (Fraction(5, 2), M.FLOOR, 2),
            (Fraction(5, 2), M.CEILING, 3),
            (Fraction(-5, 2), M.HALF_UP, -3),
            (Fraction(-5, 2), M.HALF_EVEN, -2),
            (Fraction(-7, 2), M.HALF_EVEN, -4),
            (Fraction(-5, 2), M.DOWN, -2),
            (Fraction(-5, 2), M.UP, -3),
            (Fraction(-5, 2), M.FLOOR, -3),
            (Fraction(-5, 2), M.CEILING, -2),
            (Decimal("-0.5"), M.HALF_UP, -1),
            (Decimal("0.5"), M.HALF_EVEN, 0),
            (Decimal("-1.5"), M.HALF_EVEN, -2),
            (Fraction(12, 5), M.HALF_UP, 2),
            (Fraction(13, 5), M.HALF_UP, 3),
            (Fraction(-12, 5), M.HALF_UP, -2),
            (Fraction(-13, 5), M.HALF_EVEN, -3),
            (Fraction(-12, 5), M.UP, -3),
            (Fraction(-13, 5), M.DOWN, -2),
            (7, M.UP, 7),
            (-7, M.FLOOR, -7),
        ],
    )
    def test_modes(self, value: Fraction | Decimal | int, mode: RoundingMode, expected: int) -> None:
        assert round_fen(value, mode) == expected

    def test_default_is_half_up(self) -> None:
        assert round_fen(Fraction(1, 2)) == 1
        assert round_fen(Fraction(-1, 2)) == -1

    def test_mode_values_are_stable(self) -> None:
        assert [m.value for m in RoundingMode] == [
            "half_up",
            "half_even",
            "down",
            "up",
            "floor",
            "ceiling",
        ]


class TestDesignExample:
    def test_guaranteed_return_six_percent_paid_per_quarter(self) -> None:
        # DESIGN §9: 6 % a year on 851.65 万元 paid per quarter = 127,747.50 yuan = 12.7748 万元.
        base = Money.parse("851.65万元")
        quarter = base.times(Fraction(6, 100) / 4)
        assert quarter == Money.yuan("127747.50")
        assert quarter.fen == 12_774_750
        assert quarter.format_yuan(grouping=True) == "127,747.50"
        assert quarter.format_wan() == "12.7748万元"
        assert base.times("6%") == Money.yuan("510990.00")
        assert base.times("3/200") == quarter

    def test_display_rounding_mode_of_wan(self) -> None:
        quarter = Money.yuan("127747.50")
        assert quarter.format_wan(mode=M.HALF_EVEN) == "12.7748万元"
        assert quarter.format_wan(mode=M.DOWN) == "12.7747万元"
        assert quarter.format_wan(places=6) == "12.774750万元"
        assert quarter.format_wan(places=2, unit=False) == "12.77"
        assert quarter.format_wan(places=0) == "13万元"

    def test_times_rounds_once_with_the_mode(self) -> None:
        assert Money(1).times(Fraction(1, 2)) == Money(1)
        assert Money(1).times(Fraction(1, 2), RoundingMode.HALF_EVEN) == Money(0)
        assert Money(-1).times(Fraction(1, 2)) == Money(-1)
        assert Money(100).times(Decimal("0.333")) == Money(33)
        assert Money(100).times("33.5%") == Money(34)
        assert Money(100).times("33.5%", RoundingMode.DOWN) == Money(33)


class TestDisplay:
    @pytest.mark.parametrize(
        ("fen", "plain", "grouped"),
        [
            (0, "0.00", "0.00"),
            (5, "0.05", "0.05"),
            (-5, "-0.05", "-0.05"),
            (123_456_789, "1234567.89", "1,234,567.89"),
            (-123_450, "-1234.50", "-1,234.50"),
            (100_000, "1000.00", "1,000.00"),
        ],
    )
    def test_yuan(self, fen: int, plain: str, grouped: str) -> None:
        assert Money(fen).format_yuan() == plain
        assert Money(fen).format_yuan(grouping=True) == grouped
        assert Money.yuan(grouped) == Money(fen)

    def test_str_repr_json(self) -> None:
        amount = Money(123_456)
        assert str(amount) == "1234.56元"
        assert repr(amount) == "Money.yuan('1234.56')"
        assert amount.to_json() == "1234.56"
        assert amount.yuan_decimal == Decimal("1234.56")
        assert amount.wan_decimal == Decimal("0.123456")

    @pytest.mark.parametrize(
        ("fen", "text"),
        [
            (0, "0.0000万元"),
            (-50, "-0.0001万元"),
            (-49, "0.0000万元"),
            (851_650_000, "851.6500万元"),
            (-851_650_000, "-851.6500万元"),
            (3_086_261_470_000 // 100, "30862.6147万元"),
        ],
    )
    def test_wan(self, fen: int, text: str) -> None:
        assert Money(fen).format_wan() == text

    def test_wan_beyond_six_places_pads_exactly(self) -> None:
        assert Money(1).format_wan(places=8) == "0.00000100万元"

    def test_huge_amounts_format_exactly(self) -> None:
        big = Money(10**30 + 1)
        assert big.format_yuan() == "10000000000000000000000000000.01"
        assert big.yuan_decimal == Decimal("10000000000000000000000000000.01")
        assert Money.yuan(big.format_yuan()) == big


class TestArithmetic:
    def test_add_sub_neg_abs(self) -> None:
        a, b = Money.yuan("10.05"), Money.yuan("0.96")
        assert a + b == Money(1101)
        assert a - b == Money(909)
        assert b - a == Money(-909)
        assert -a == Money(-1005)
        assert abs(Money(-3)) == Money(3)

    def test_multiply_by_int_only(self) -> None:
        assert Money(250) * 3 == Money(750)
        assert 3 * Money(250) == Money(750)
        with pytest.raises(TypeError):
            Money(1) * Fraction(1, 2)  # type: ignore[operator]
        with pytest.raises(TypeError):
            Money(1) * True  # type: ignore[operator]

    def test_sum_starts_from_zero(self) -> None:
        assert sum([Money(1), Money(2), Money(3)]) == Money(6)
        assert sum([], Money(0)) == Money(0)

    def test_no_mixing_with_numbers(self) -> None:
        with pytest.raises(TypeError):
            Money(1) + 1  # type: ignore[operator]
        with pytest.raises(TypeError):
            1 + Money(1)  # type: ignore[operator]
        with pytest.raises(TypeError):
            Money(1) - 1  # type: ignore[operator]
        assert Money(100) != 100

    def test_order_and_truth(self) -> None:
        assert Money(-1) < Money(0) < Money(1)
        assert sorted([Money(3), Money(-2), Money(0)]) == [Money(-2), Money(0), Money(3)]
        assert not Money(0)
        assert Money(-1)
        assert Money(-1).is_negative()
        assert not Money(0).is_negative()

    def test_ratio_is_exact(self) -> None:
        assert Money(1).ratio_to(Money(3)) == Fraction(1, 3)
        with pytest.raises(ZeroDivisionError):
            Money(1).ratio_to(Money(0))

    def test_hashable_and_frozen(self) -> None:
        assert len({Money(1), Money(1), Money(2)}) == 2
        with pytest.raises(AttributeError):
            Money(1).fen = 2  # type: ignore[misc]


def test_unreadable_rate_text() -> None:
    for text in ("abc", "1/0", "NaN", "%"):
        with pytest.raises(InvalidAmount):
            Money(100).times(text)
    assert Money(100).times("6％") == Money(6)
