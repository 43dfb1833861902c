"""Tests for formatting rials, numbers and percentages in Persian and English."""

from decimal import Decimal
from fractions import Fraction

import pytest

from revive.core.money import format_money, format_number, format_percent

# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "fa", "en"),
    [
        (0, "۰", "0"),
        (7, "۷", "7"),
        (999, "۹۹۹", "999"),
        (1000, "۱٬۰۰۰", "1,000"),
        (1_234_567, "۱٬۲۳۴٬۵۶۷", "1,234,567"),
        (-1_234_567, "-۱٬۲۳۴٬۵۶۷", "-1,234,567"),
        (12_345_678_901_234_567, "۱۲٬۳۴۵٬۶۷۸٬۹۰۱٬۲۳۴٬۵۶۷", "12,345,678,901,234,567"),
    ],
)
def test_format_number(n: int, fa: str, en: str) -> None:
    assert format_number(n) == fa
    assert format_number(n, lang="fa") == fa
    assert format_number(n, lang="en") == en


def test_format_number_is_exact_beyond_float_precision() -> None:
    assert format_number(10**17 + 1, lang="en") == "100,000,000,000,000,001"


@pytest.mark.parametrize("bad", [1.5, 1e16, Decimal("10"), "1000", True, None])
def test_format_number_refuses_anything_but_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_number(bad)  # type: ignore[arg-type]


# --- money -----------------------------------------------------------------------------------


def test_rials() -> None:
    assert format_money(1_250_000) == "۱٬۲۵۰٬۰۰۰ ریال"
    assert format_money(1_250_000, "rial", "en") == "1,250,000 rials"
    assert format_money(0, lang="en") == "0 rials"


def test_tomans_are_tenths_of_rials() -> None:
    assert format_money(1_250_000, "toman") == "۱۲۵٬۰۰۰ تومان"
    assert format_money(1_250_000, "toman", "en") == "125,000 tomans"


def test_tomans_round_half_up_to_whole_tomans() -> None:
    assert format_money(15, "toman", "en") == "2 tomans"
    assert format_money(14, "toman", "en") == "1 tomans"
    assert format_money(25, "toman", "en") == "3 tomans"  # half up, not to even


@pytest.mark.parametrize(
    ("rials", "fa", "en"),
    [
        (12_345_000_000, "۱۲٫۳ میلیارد ریال", "12.3 billion rials"),
        (12_350_000_000, "۱۲٫۴ میلیارد ریال", "12.4 billion rials"),  # half up
        (12_250_000_000, "۱۲٫۳ میلیارد ریال", "12.3 billion rials"),  # half up, not to even
        (5_000_000_000, "۵٫۰ میلیارد ریال", "5.0 billion rials"),
        (400_000_000, "۰٫۴ میلیارد ریال", "0.4 billion rials"),
        (99_940_000_000, "۹۹٫۹ میلیارد ریال", "99.9 billion rials"),
        (99_960_000_000, "۱۰۰ میلیارد ریال", "100 billion rials"),  # rounds up to 100: no decimal
        (100_000_000_000, "۱۰۰ میلیارد ریال", "100 billion rials"),
        (250_400_000_000, "۲۵۰ میلیارد ریال", "250 billion rials"),
        (250_500_000_000, "۲۵۱ میلیارد ریال", "251 billion rials"),
        (1_234_000_000_000, "۱٬۲۳۴ میلیارد ریال", "1,234 billion rials"),
        (-12_345_000_000, "-۱۲٫۳ میلیارد ریال", "-12.3 billion rials"),
    ],
)
def test_billion_rials(rials: int, fa: str, en: str) -> None:
    assert format_money(rials, "billion_rial") == fa
    assert format_money(rials, "billion_rial", "en") == en


def test_a_tiny_negative_amount_is_not_minus_zero() -> None:
    assert format_money(-1_000_000, "billion_rial", "en") == "0.0 billion rials"


@pytest.mark.parametrize(
    ("rials", "en"),
    [
        (10**13, "1.00 hemat"),
        (12_345_000_000_000, "1.23 hemat"),
        (12_355_000_000_000, "1.24 hemat"),  # half up
        (99_950_000_000_000, "10.0 hemat"),  # 9.995 rounds to 10.00: shown with one decimal
        (123_450_000_000_000, "12.3 hemat"),
        (1_234_560_000_000_000, "123.5 hemat"),
        (50_000_000_000_000_000, "5,000.0 hemat"),
    ],
)
def test_hemat(rials: int, en: str) -> None:
    assert format_money(rials, "hemat", "en") == en


def test_hemat_in_persian() -> None:
    assert format_money(12_345_000_000_000, "hemat") == "۱٫۲۳ همت"
    assert format_money(123_450_000_000_000, "hemat", "fa") == "۱۲٫۳ همت"


def test_large_amounts_are_exact() -> None:
    # 10^16 + 1 rials is not representable as a float; the last rial must survive.
    assert format_money(10**16 + 1, lang="en") == "10,000,000,000,000,001 rials"
    assert format_money(10**16 + 10, "toman", "en") == "1,000,000,000,000,001 tomans"


def test_format_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_money(1.5e10, "billion_rial")  # type: ignore[arg-type]


def test_format_money_refuses_unknown_units_and_languages() -> None:
    with pytest.raises(ValueError):
        format_money(10, "dollar")
    with pytest.raises(ValueError):
        format_money(10, lang="de")


def test_format_money_accepts_django_language_codes() -> None:
    assert format_money(1000, lang="en-us") == "1,000 rials"


# --- percentages -----------------------------------------------------------------------------


def test_percent_in_persian_and_english() -> None:
    assert format_percent(0.314) == "۳۱٫۴٪"
    assert format_percent(0.314, lang="fa") == "\u06f3\u06f1\u066b\u06f4\u066a"
    assert format_percent(0.314, lang="en") == "31.4%"


def test_missing_percent_is_a_dash() -> None:
    assert format_percent(None) == "—"
    assert format_percent(None, lang="en") == "—"
    assert format_percent(float("nan"), lang="en") == "—"


@pytest.mark.parametrize(
    ("fraction", "digits", "en"),
    [
        (0.4, 1, "40.0%"),
        (0.4, 0, "40%"),
        (1, 1, "100.0%"),
        (0, 1, "0.0%"),
        (0.31, 2, "31.00%"),
        (0.0005, 1, "0.1%"),  # half up on the value as written, not on its binary neighbour
        (0.00049, 1, "0.0%"),
        (0.12345, 2, "12.35%"),
        (-0.05, 1, "-5.0%"),
        (12.5, 1, "1,250.0%"),
        (Decimal("0.3145"), 2, "31.45%"),
        (Fraction(1, 3), 1, "33.3%"),
        (Fraction(2, 3), 2, "66.67%"),
    ],
)
def test_percent_rounding_and_digits(
    fraction: float | Decimal | Fraction | int, digits: int, en: str
) -> None:
    assert format_percent(fraction, lang="en", digits=digits) == en


def test_percent_of_revivals_against_target() -> None:
    # "1,344 revived, 67.2% of the year's target of 2,000"
    assert format_percent(Fraction(1344, 2000)) == "۶۷٫۲٪"
