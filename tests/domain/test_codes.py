"""Area codes, credit codes and resident ids (DESIGN §5)."""

from __future__ import annotations

from datetime import date

import pytest

from assetreg.domain.codes import AdminCode, AdminLevel, CreditCode, ResidentId
from assetreg.errors import InvalidCode

# Baiyin (白银市) codes copied from github.com/modood/Administrative-divisions-of-China
# (commit 57a0aa9cef47169a2eb74cf057b0245052a34e8c; dist/provinces.csv, cities.csv,
# areas.csv, streets.csv), as listed in the project's shared Baiyin code table.
BAIYIN_CODES: dict[str, tuple[AdminLevel, str]] = {
    "62": (AdminLevel.PROVINCE, "甘肃省"),
    "6204": (AdminLevel.PREFECTURE, "白银市"),
    "620402": (AdminLevel.COUNTY, "白银区"),
    "620403": (AdminLevel.COUNTY, "平川区"),
    "620421": (AdminLevel.COUNTY, "靖远县"),
    "620422": (AdminLevel.COUNTY, "会宁县"),
    "620423": (AdminLevel.COUNTY, "景泰县"),
    "620402001": (AdminLevel.TOWNSHIP, "人民路街道"),
    "620402100": (AdminLevel.TOWNSHIP, "水川镇"),
    "620402201": (AdminLevel.TOWNSHIP, "强湾乡"),
    "620403100": (AdminLevel.TOWNSHIP, "王家山镇"),
    "620403101": (AdminLevel.TOWNSHIP, "水泉镇"),
    "620403102": (AdminLevel.TOWNSHIP, "共和镇"),
    "620403105": (AdminLevel.TOWNSHIP, "宝积镇"),
    "620403106": (AdminLevel.TOWNSHIP, "黄峤镇"),
    "620403203": (AdminLevel.TOWNSHIP, "种田乡"),
    "620421101": (AdminLevel.TOWNSHIP, "北湾镇"),
    "620421206": (AdminLevel.TOWNSHIP, "兴隆乡"),
    "620422100": (AdminLevel.TOWNSHIP, "会师镇"),
    "620422101": (AdminLevel.TOWNSHIP, "郭城驿镇"),
    "620422204": (AdminLevel.TOWNSHIP, "党家岘乡"),
    "620422225": (AdminLevel.TOWNSHIP, "土高山乡"),
    "620423100": (AdminLevel.TOWNSHIP, "一条山镇"),
    "620423207": (AdminLevel.TOWNSHIP, "漫水滩乡"),
}
# 平川区's towns, all of its 1xx blocks in the same source: 103 and 104 are not used.
PINGCHUAN_TOWN_BLOCKS = (100, 101, 102, 105, 106)


class TestAdminCode:
    def test_county_of_a_village_code(self) -> None:
        # 620422 会宁县, 100 会师镇 (real); village suffix 201 invented.
        code = AdminCode("620422100201")
        assert code.county == "620422"
        assert code.province == "62"
        assert code.prefecture == "6204"
        assert code.township == "620422100"
        assert code.village == "620422100201"
        assert code.level is AdminLevel.VILLAGE
        assert code.prefix == "620422100201"
        assert code.township_kind == "town"

    def test_parents_by_truncation(self) -> None:
        code = AdminCode("620422100201")
        assert code.parent() == AdminCode("620422100")
        assert code.parents() == (
            AdminCode("620422100"),
            AdminCode("620422"),
            AdminCode("6204"),
            AdminCode("62"),
        )
        assert [p.value for p in code.parents()] == [
            "620422100000",
            "620422000000",
            "620400000000",
            "620000000000",
        ]
        assert AdminCode("62").parent() is None
        assert AdminCode("62").parents() == ()

    @pytest.mark.parametrize(("text", "expected"), sorted(BAIYIN_CODES.items()))
    def test_baiyin_codes_are_accepted_with_their_level(self, text: str, expected: tuple[AdminLevel, str]) -> None:
        code = AdminCode(text)
        assert code.level is expected[0]
        assert code.prefix == text
        assert code.value == text.ljust(12, "0")
        assert len(code.value) == 12

    def test_levels_above_a_code_are_none(self) -> None:
        county = AdminCode("620421")
        assert county.level is AdminLevel.COUNTY
        assert county.county == "620421"
        assert county.township is None
        assert county.village is None
        assert county.township_kind is None
        assert AdminCode("6204").county is None
        assert AdminCode("62").prefecture is None

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("620402001", "subdistrict"),  # 人民路街道
            ("620421101", "town"),  # 靖远县 北湾镇
            ("620422204", "township"),  # 党家岘乡
            ("620422400", "other"),
        ],
    )
    def test_township_blocks(self, text: str, kind: str) -> None:
        assert AdminCode(text).township_kind == kind

    def test_sparse_codes(self) -> None:
        # Codes are sparse: 平川区 skips town blocks 103 and 104, 靖远县 starts at 101,
        # 会宁县's 乡 are 202, 204, 213, 225. Validation is by shape, never by a list of
        # names, so an unused block is still a well-formed code (revoked codes stay history).
        blocks = sorted(int(c[6:]) for c in BAIYIN_CODES if c.startswith("6204031") and len(c) == 9)
        assert tuple(blocks) == PINGCHUAN_TOWN_BLOCKS
        assert AdminCode("620403103").level is AdminLevel.TOWNSHIP
        assert AdminCode("620421100").township_kind == "town"
        assert AdminCode("620422213999").level is AdminLevel.VILLAGE

    def test_equality_order_and_text(self) -> None:
        assert AdminCode("620422") == AdminCode("620422000000")
        assert AdminCode("620421") < AdminCode("620422")
        assert str(AdminCode("620422")) == "620422000000"
        assert repr(AdminCode("6204")) == "AdminCode('620400000000')"
        assert AdminCode(" 620422 ").value == "620422000000"
        assert len({AdminCode("620422"), AdminCode("620422000000")}) == 1

    def test_within(self) -> None:
        village = AdminCode("620422100201")
        assert village.within("620422")
        assert village.within(AdminCode("6204"))
        assert village.within(AdminCode("620422100"))
        assert not village.within(AdminCode("620421"))
        assert not village.within("620423")

    @pytest.mark.parametrize(
        "text",
        [
            "62042210020",  # 11 digits
            "6204221002011",  # 13 digits
            "620",  # 3 digits
            "",
        ],
    )
    def test_wrong_length_is_refused_naming_the_field(self, text: str) -> None:
        with pytest.raises(InvalidCode) as info:
            AdminCode.parse(text, field="location", record="HN-PV-001")
        assert info.value.code == "AR-102"
        assert info.value.field == "location"
        assert info.value.record == "HN-PV-001"
        assert "digits" in info.value.message_en
        with pytest.raises(InvalidCode) as plain:
            AdminCode(text)
        assert plain.value.field == "admin_code"

    @pytest.mark.parametrize(
        "text",
        [
            "62042a",  # a letter
            "６２０４２２",  # full-width digits
            "٦٢٠٤٢٢",  # Arabic-Indic digits
            "990000",  # no such province
            "620400100000",  # county block zero under a township block
            "620022",  # prefecture zero under a county
            "620422600000",  # township block above 599
        ],
    )
    def test_malformed_codes_are_refused(self, text: str) -> None:
        with pytest.raises(InvalidCode) as info:
            AdminCode(text)
        assert info.value.field == "admin_code"

    def test_non_text_is_refused(self) -> None:
        with pytest.raises(InvalidCode):
            AdminCode(620422)  # type: ignore[arg-type]


# A credit code built for these tests (no published one is copied): registration authority
# 9 (market regulation), kind 1 (enterprise), area 620422 (会宁县), organisation code
# MA7123456. GB 32100-2015 check character, by hand, with weights 3^i mod 31 and the
# character values 0-9 → 0-9, A=10 … M=21 (I, O, S, V, Z are skipped):
#   9·1 + 1·3 + 6·9 + 2·27 + 0·19 + 4·26 + 2·16 + 2·17 + 21(M)·20 + 10(A)·29
#   + 7·25 + 1·13 + 2·8 + 3·24 + 4·10 + 5·30 + 6·28
#   = 9+3+54+54+0+104+32+34+420+290+175+13+16+72+40+150+168 = 1634
#   1634 mod 31 = 22; 31 − 22 = 9 → check character "9".
CREDIT = "91620422MA71234569"


class TestCreditCode:
    def test_valid_code(self) -> None:
        code = CreditCode(CREDIT)
        assert code.value == CREDIT
        assert code.area == "620422"
        assert str(code) == CREDIT
        assert repr(code) == f"CreditCode('{CREDIT}')"

    def test_lower_case_is_normalised(self) -> None:
        assert CreditCode(CREDIT.lower()).value == CREDIT
        assert CreditCode(CREDIT.lower()) == CreditCode(CREDIT)
        assert CreditCode.parse(f" {CREDIT.lower()} ").value == CREDIT

    def test_wrong_check_character_names_the_field(self) -> None:
        with pytest.raises(InvalidCode) as info:
            CreditCode.parse("91620422MA71234568", field="operator.credit_code", record="C-1")
        assert info.value.field == "operator.credit_code"
        assert info.value.record == "C-1"
        assert info.value.expected == "check character 9"
        with pytest.raises(InvalidCode) as plain:
            CreditCode("91620422MA71234568")
        assert plain.value.field == "credit_code"

    @pytest.mark.parametrize(
        "text",
        [
            "91620422MA7123456",  # 17 characters
            "91620422MA712345690",  # 19 characters
            "91620422MI71234569",  # I is not in the character set
            "91620422MA7123456Z",  # Z is not either
        ],
    )
    def test_malformed(self, text: str) -> None:
        with pytest.raises(InvalidCode):
            CreditCode(text)

    def test_non_text(self) -> None:
        with pytest.raises(InvalidCode):
            CreditCode.check(None)


# GB 11643-1999's own example. Check by hand: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
#   1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167
#   167 mod 11 = 2 → "10X98765432"[2] = "X".
RESIDENT = "11010519491231002X"


class TestResidentId:
    def test_standard_example_is_valid(self) -> None:
        rid = ResidentId(RESIDENT)
        assert rid.value == RESIDENT
        assert rid.birth_date == date(1949, 12, 31)
        assert rid.masked == "110105********002X"

    def test_lower_case_x(self) -> None:
        assert ResidentId(RESIDENT.lower()).value == RESIDENT

    def test_repr_and_str_are_masked(self) -> None:
        rid = ResidentId(RESIDENT)
        assert repr(rid) == "ResidentId('110105********002X')"
        assert str(rid) == "110105********002X"
        assert RESIDENT not in repr(rid)
        assert RESIDENT not in repr([rid])

    def test_wrong_check_character_is_refused_without_leaking_the_number(self) -> None:
        wrong = "110105194912310021"
        with pytest.raises(InvalidCode) as info:
            ResidentId.check(wrong, field="head_resident_id", record="HH-A")
        assert info.value.field == "head_resident_id"
        assert info.value.record == "HH-A"
        assert "check" in info.value.message_en
        assert wrong not in str(info.value)
        assert wrong not in repr(info.value.as_dict())
        with pytest.raises(InvalidCode) as plain:
            ResidentId(wrong)
        assert plain.value.field == "resident_id"

    @pytest.mark.parametrize(
        "text",
        [
            "11010519491231002",  # 17 characters
            "1101051949123100XX",  # X inside
            "110105194913310025",  # month 13
            "11010519490230002X",  # 30 February
            "１１0105194912310020",  # full-width digits
        ],
    )
    def test_malformed(self, text: str) -> None:
        with pytest.raises(InvalidCode) as info:
            ResidentId(text)
        assert text not in str(info.value)

    def test_non_text(self) -> None:
        with pytest.raises(InvalidCode):
            ResidentId.check(11010519491231002)
