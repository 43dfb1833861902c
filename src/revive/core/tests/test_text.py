"""Tests for Persian text normalisation, search keys, digits and whole-number parsing."""

import unicodedata

import pytest
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.text import (
    lang_code,
    normalize,
    parse_int,
    search_key,
    to_ascii_digits,
    to_persian_digits,
)

ZWNJ = "\u200c"


# --- normalize -------------------------------------------------------------------------------


def test_arabic_yeh_and_kaf_become_persian() -> None:
    # "کارخانه یزد" typed on an Arabic keyboard: Arabic kaf and Arabic yeh.
    assert normalize("\u0643\u0627\u0631\u062e\u0627\u0646\u0647 \u064a\u0632\u062f") == "کارخانه یزد"
    assert normalize("علي") == "علی"
    assert normalize("موسى") == "موسی"  # alef maksura
    assert normalize("كيان") == "کیان"


def test_normal_form_uses_no_arabic_letters() -> None:
    result = normalize("شركت صنايع كاشي")
    assert "\u064a" not in result and "\u0643" not in result and "\u0649" not in result
    assert result == "شرکت صنایع کاشی"


def test_digits_become_ascii() -> None:
    assert normalize("واحد ۱۲۳") == "واحد 123"
    assert normalize("واحد ١٢٣") == "واحد 123"
    assert normalize("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩") == "01234567890123456789"


def test_tatweel_and_vowel_signs_are_removed() -> None:
    assert normalize("صنــــایع") == "صنایع"
    assert normalize("مُحَمَّد") == "محمد"
    assert normalize("کتاباً") == "کتابا"
    assert normalize("ایرانْ") == "ایران"


def test_letters_made_with_maddah_or_hamza_keep_them() -> None:
    assert normalize("آب") == "آب"
    assert normalize("مسئول") == "مسئول"
    # Alef followed by a combining maddah is the same letter as the precomposed alef with maddah.
    assert normalize("\u0627\u0653ب") == "\u0622ب"
    assert normalize("مؤسسه") == "مؤسسه"


def test_whitespace_runs_become_one_space_and_ends_are_trimmed() -> None:
    assert normalize("  پارک   صنعتی\t\nسمنان  ") == "پارک صنعتی سمنان"
    assert normalize("پارک\u00a0صنعتی") == "پارک صنعتی"  # no-break space from Word


def test_zwnj_runs_collapse_and_zwnj_beside_a_space_is_dropped() -> None:
    assert normalize(f"می{ZWNJ}{ZWNJ}{ZWNJ}خواهم") == f"می{ZWNJ}خواهم"
    assert normalize(f"می{ZWNJ} خواهم") == "می خواهم"
    assert normalize(f"می {ZWNJ}خواهم") == "می خواهم"
    assert normalize(f"می{ZWNJ} {ZWNJ} خواهم") == "می خواهم"
    assert normalize(f"{ZWNJ}کارخانه{ZWNJ}") == "کارخانه"


def test_invisible_bidi_marks_are_removed() -> None:
    assert normalize("\u200fصنایع\u200e فولاد\ufeff") == "صنایع فولاد"
    assert normalize("صنایع\u200bفولاد") == "صنایعفولاد"


def test_result_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Café آب")
    result = normalize(decomposed)
    assert result == "Café آب"
    assert unicodedata.is_normalized("NFC", result)


def test_empty_and_none_are_empty() -> None:
    assert normalize(None) == ""
    assert normalize("") == ""
    assert normalize(f"  {ZWNJ} ") == ""


def test_latin_text_is_left_alone_except_spaces() -> None:
    assert normalize("  Iran  Khodro Co. ") == "Iran Khodro Co."


def test_normalize_is_idempotent() -> None:
    samples = ["شركت  صنايع\u200c\u200cكاشي ١٢٣", f"  می{ZWNJ} خواهم ", "مُحَمَّد\u0640"]
    for text in samples:
        once = normalize(text)
        assert normalize(once) == once


# --- search_key ------------------------------------------------------------------------------


def test_the_three_spellings_of_a_word_have_one_search_key() -> None:
    keys = {search_key(f"می{ZWNJ}خواهم"), search_key("می خواهم"), search_key("ميخواهم")}
    assert keys == {"میخواهم"}


def test_arabic_letters_in_a_search_find_the_persian_name() -> None:
    assert search_key("شركت كاشي يزد") == search_key("شرکت کاشی یزد")
    assert search_key("صنايع ١٢٣") == search_key("صنایع 123")


def test_search_key_ignores_case_spaces_and_diacritics() -> None:
    assert search_key("Iran Khodro") == search_key("IRANKHODRO") == "irankhodro"
    assert search_key("مُحَمَّد  رضا") == search_key("محمدرضا")


def test_search_key_keeps_different_words_different() -> None:
    assert search_key("کاشی") != search_key("کاشان")
    assert search_key("سمنان") != search_key("سمنانی")


def test_search_key_of_nothing_is_empty() -> None:
    assert search_key(None) == ""
    assert search_key(f" {ZWNJ} ") == ""


# --- digits ----------------------------------------------------------------------------------


def test_to_persian_digits() -> None:
    assert to_persian_digits("1404/12/29") == "۱۴۰۴/۱۲/۲۹"
    assert to_persian_digits("١٤٠٤") == "۱۴۰۴"  # Arabic-Indic digits become Persian ones
    assert to_persian_digits("abc") == "abc"


def test_to_ascii_digits() -> None:
    assert to_ascii_digits("۱۴۰۴/۱۲/۲۹") == "1404/12/29"
    assert to_ascii_digits("١٤٠٤/١٢/٢٩") == "1404/12/29"
    assert to_ascii_digits("واحد 7") == "واحد 7"


def test_digit_conversions_round_trip() -> None:
    assert to_ascii_digits(to_persian_digits("0123456789")) == "0123456789"


# --- parse_int -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("1250000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("۱٬۲۵۰٬۰۰۰", 1_250_000),
        ("١٬٢٥٠٬٠٠٠", 1_250_000),
        ("۱,۲۵۰,۰۰۰", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("  ۴۲  ", 42),
        ("-15", -15),
        ("-۱۵", -15),
        ("\u221215", -15),
        ("-1,000", -1000),
        ("\u200f۱۲۳\u200f", 123),
        ("12345678901234567", 12_345_678_901_234_567),  # rials run to 10^16 and beyond
        ("007", 7),
    ],
)
def test_parse_int_accepts_what_people_type(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12.5",
        "۱۲٫۵",
        "1,5",  # a decimal comma elsewhere: refused rather than read as 15
        "1,25,000",
        ",100",
        "100,",
        "1 2",
        "--5",
        "5-",
        "+5",
        "1e6",
        "۱۲ میلیون",
        "9" * 31,
    ],
)
def test_parse_int_refuses_anything_else(text: str) -> None:
    with pytest.raises(DomainError):
        parse_int(text)


def test_parse_int_message_names_the_value() -> None:
    with pytest.raises(DomainError) as excinfo:
        parse_int("12.5")
    assert excinfo.value.details == {"value": "12.5"}
    with translation.override("en"):
        assert "“12.5” is not a whole number" in str(excinfo.value.message)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_int_of_nothing_asks_for_a_number(text: str | None) -> None:
    with pytest.raises(DomainError) as excinfo:
        parse_int(text)
    with translation.override("en"):
        assert "Enter a whole number" in str(excinfo.value.message)


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "code"), [("fa", "fa"), ("en", "en"), ("en-us", "en"), ("fa-IR", "fa"), ("en_GB", "en")]
)
def test_lang_code(lang: str, code: str) -> None:
    assert lang_code(lang) == code


@pytest.mark.parametrize("lang", ["ar", "de", ""])
def test_lang_code_refuses_other_languages(lang: str) -> None:
    with pytest.raises(ValueError):
        lang_code(lang)
