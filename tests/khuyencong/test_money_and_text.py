"""Money is read and shown the Vietnamese way; text is searched without diacritics."""

import unicodedata

import pytest

from khuyencong.money import format_vnd, parse_vnd
from khuyencong.text import nfc, search_key


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("1.200.000.000", 1_200_000_000),
        ("1200000000", 1_200_000_000),
        ("1,2 tỷ", 1_200_000_000),
        ("65 tr.đ", 65_000_000),
        ("35 triệu", 35_000_000),
        ("1.200.000.000 đ", 1_200_000_000),
        (" 500 000 ", 500_000),
    ],
)
def test_it_reads_amounts_as_people_type_them(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("typed", ["abc", "1,5", "1.2.3", "-100", "1,0000000001 tỷ", ""])
def test_it_refuses_what_is_not_an_amount_in_vietnamese(typed):
    with pytest.raises(ValueError) as error:
        parse_vnd(typed)
    assert "Số tiền" in str(error.value)


def test_it_shows_amounts_with_dots():
    assert format_vnd(1_200_000_000) == "1.200.000.000 đ"
    assert format_vnd(0) == "0 đ"


def test_search_key_ignores_case_and_diacritics():
    assert search_key("Huyện BẮC Quang", "Đồng Văn") == "huyen bac quang dong van"


@pytest.mark.parametrize(
    "text",
    [
        "Hợp tác xã CHẾ BIẾN dược liệu Nà Khương",
        "Hà Giang".replace("à", "a\u0300"),  # marks typed apart from their letter
        "a\u0323\u0302 ệ\u0301",  # marks in another order, and one left over
        "한국어 İstanbul Ørsted ﬁ ǅ",  # Hangul, a capital whose lower case has a mark, ligatures
        "\u0301 đĐ\t\n  x",
    ],
)
def test_search_key_is_the_text_decomposed_without_its_marks(text):
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert search_key(text) == " ".join(bare.lower().split())


def test_nfc_composes_decomposed_vietnamese():
    decomposed = "Hà Giang".replace("à", "a\u0300")
    assert nfc(decomposed) == "Hà Giang"
    assert len(nfc(decomposed)) == len("Hà Giang")


def test_a_money_form_field_reads_vietnamese_amounts_and_refuses_negatives():
    from django.core.exceptions import ValidationError

    from khuyencong.fields import MoneyFormField

    field = MoneyFormField()
    assert field.clean("1,2 tỷ") == 1_200_000_000
    with pytest.raises(ValidationError, match="không hợp lệ"):
        field.clean("-5")


@pytest.mark.parametrize("typed", ["²", "١٢٣", "9" * 5000, "1.000.000.000.000.001", 10**16])
def test_it_refuses_other_digits_and_amounts_beyond_a_million_billion_in_vietnamese(typed):
    with pytest.raises(ValueError) as error:
        parse_vnd(typed)
    assert "Số tiền" in str(error.value)


def test_nfc_drops_invisible_control_characters_but_keeps_line_breaks_and_joiners():
    assert nfc(" Chè\x00 Shan\x1b tuyết\u202e\u200b ") == "Chè Shan tuyết"
    assert nfc("dòng 1\r\ndòng 2\tcột") == "dòng 1\r\ndòng 2\tcột"
    assert nfc("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"
