"""Digits both ways (Persian, Arabic-Indic, ASCII); imports nothing of the project, so core/errors.py
and core/text.py can both use it without importing each other."""

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_ASCII_DIGITS = "0123456789"

TO_ASCII_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, _ASCII_DIGITS * 2)
TO_PERSIAN_DIGITS = str.maketrans(_ASCII_DIGITS + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits as Persian digits, for display in Persian pages."""
    return s.translate(TO_PERSIAN_DIGITS)


def to_ascii_digits(s: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits, for parsing and storing."""
    return s.translate(TO_ASCII_DIGITS)
