"""Formatting rials, numbers and percentages for people, in Persian or English; rials are ints."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from revive.core.text import lang_code, to_persian_digits

# Persian uses its own separators: U+066C between thousands, U+066B before decimals, U+066A for %.
_FA_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})

RIAL = "rial"
TOMAN = "toman"
BILLION_RIAL = "billion_rial"
HEMAT = "hemat"

_UNITS: dict[str, tuple[int, dict[str, str]]] = {
    RIAL: (1, {"fa": "ریال", "en": "rials"}),
    TOMAN: (10, {"fa": "تومان", "en": "tomans"}),
    BILLION_RIAL: (10**9, {"fa": "میلیارد ریال", "en": "billion rials"}),
    HEMAT: (10**13, {"fa": "همت", "en": "hemat"}),  # hezar milliard toman = 10^13 rials
}


def _format_decimal(value: Decimal, places: int, lang: str) -> str:
    # Round once, half up as people and accountants expect; format() alone would round half even.
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.0" for a tiny negative amount
    text = f"{rounded:,.{places}f}"
    if lang == "fa":
        return to_persian_digits(text.translate(_FA_SEPARATORS))
    return text


def _require_int(n: object) -> int:
    # Money passed as a float has already lost rials (10^16 is beyond a float's exact integers).
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"Expected an int number of rials, got {type(n).__name__}: {n!r}.")
    return n


def format_number(n: int, lang: str = "fa") -> str:
    """A whole number grouped by thousands: '۱٬۲۳۴٬۵۶۷' in Persian, '1,234,567' in English."""
    return _format_decimal(Decimal(_require_int(n)), 0, lang_code(lang))


def _places(value: Decimal, unit: str) -> int:
    # Large figures do not need decimals to be read; small ones lose too much without them.
    # Decided on the rounded value, so 99.96 billion reads "100", not "100.0".
    if unit == BILLION_RIAL:
        one = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return 1 if abs(one) < 100 else 0
    if unit == HEMAT:
        two = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return 2 if abs(two) < 10 else 1
    return 0  # rials are whole; tomans are rounded to whole tomans as people say them


def format_money(rials: int, unit: str = RIAL, lang: str = "fa") -> str:
    """An amount of rials in the unit people speak: rial, toman, billion_rial or hemat (10^13 rials).

    '12,345,000,000 rials' as billion_rial is '12.3 billion rials' (fa: '۱۲٫۳ میلیارد ریال').
    """
    lang = lang_code(lang)
    try:
        divisor, suffixes = _UNITS[unit]
    except KeyError:
        raise ValueError(f"Unknown money unit {unit!r}: expected one of {', '.join(_UNITS)}.") from None
    value = Decimal(_require_int(rials)) / divisor
    return f"{_format_decimal(value, _places(value, unit), lang)} {suffixes[lang]}"


def format_percent(
    fraction_or_none: float | Decimal | Fraction | int | None, lang: str = "fa", digits: int = 1
) -> str:
    """A fraction as a percentage: 0.314 is '۳۱٫۴٪' in Persian, '31.4%' in English; None is '—'."""
    lang = lang_code(lang)
    if fraction_or_none is None:
        return "—"
    if isinstance(fraction_or_none, Fraction):
        value = Decimal(fraction_or_none.numerator) / fraction_or_none.denominator
    elif isinstance(fraction_or_none, float):
        # Through repr, so 0.0005 rounds as the 0.0005 people see, not as its binary neighbour.
        value = Decimal(repr(fraction_or_none))
    else:
        value = Decimal(fraction_or_none)
    if not value.is_finite():
        return "—"  # 0/0 from an empty group: there is no figure to show
    text = _format_decimal(value * 100, digits, lang)
    return f"{text}\u066a" if lang == "fa" else f"{text}%"
