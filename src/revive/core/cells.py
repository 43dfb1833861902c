"""Turn one spreadsheet or CSV cell into a typed value, or raise DomainError with a message for people."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from revive.core import bounds, calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, parse_int, search_key, to_ascii_digits

_GREGORIAN = re.compile(r"(\d{4})\s*([/-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T].*)?", re.ASCII)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """A cell as normalised text; a whole number typed into a numeric cell loses its '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return normalize(str(value))


def integer(value, *, minimum: int | None = 0, bound: bounds.Bound | None = None) -> int:
    """A whole number; with `bound` (core/bounds.py) also within what the thing can be in the world."""
    if isinstance(value, bool):
        raise DomainError(_("Enter a whole number, e.g. 1,250,000."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise DomainError(lazy_message(_("“%(value)s” is not a whole number."), value=value))
        number = int(value)
    else:
        number = parse_int(str(value))
    if minimum is not None and number < minimum:
        raise DomainError(_("This cannot be negative."))
    if abs(number) >= 2**63:
        raise DomainError(_("This number is too large."))
    return bound.check(number) if bound is not None else number


def decimal(value, *, places: int = 2, minimum: Decimal | None = Decimal(0)) -> Decimal:
    raw = (
        value
        if isinstance(value, int | float) and not isinstance(value, bool)
        else to_ascii_digits(text(value))
    )
    try:
        number = Decimal(str(raw).replace(",", "").replace("٫", ".").strip())
    except InvalidOperation:
        raise DomainError(lazy_message(_("“%(value)s” is not a number, e.g. 12.5."), value=value)) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 9:
        raise DomainError(lazy_message(_("“%(value)s” is not a number, e.g. 12.5."), value=value))
    if minimum is not None and number < minimum:
        raise DomainError(_("This cannot be negative."))
    return number.quantize(Decimal(1).scaleb(-places))


def percent(value) -> int:
    if isinstance(value, float) and 0 <= value <= 1 and not value.is_integer():
        value = round(value * 100)  # a cell formatted as a percentage holds 0.45 for 45%
    if isinstance(value, str):
        value = value.strip().rstrip("%٪").strip()
    number = integer(value, minimum=None)
    if not 0 <= number <= 100:
        raise DomainError(_("Capacity utilisation must be between 0 and 100%."))
    return number


def any_date(value) -> date:
    """A Jalali date (1405/08/15) or a Gregorian one (2026-11-05, or a spreadsheet date cell)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = to_ascii_digits(text(value)).strip()
    match = _GREGORIAN.fullmatch(raw)
    if match and int(match[1]) >= 1900:
        try:
            return date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            raise DomainError(
                lazy_message(_("“%(value)s” is not a date in the Gregorian calendar."), value=value)
            ) from None
    return calendar.parse_jalali(raw)


def jalali_month(value) -> tuple[int, int]:
    if isinstance(value, datetime | date):
        y, m, _d = calendar.to_jalali(value if isinstance(value, date) else value.date())
        return y, m
    return calendar.parse_jalali_month(text(value))


def choice_map(choices) -> dict[str, str]:
    """Accept a choice by its code or by its label in English or Persian."""
    found: dict[str, str] = {}
    for value, label in choices:
        found[search_key(value)] = value
        for lang in ("en", "fa"):
            with override(lang):
                found[search_key(str(label))] = value
    return found


def choice(value, mapping: dict[str, str]) -> str:
    key = search_key(text(value))
    if key in mapping:
        return mapping[key]
    allowed = ", ".join(sorted(set(mapping.values())))
    raise DomainError(
        lazy_message(_("“%(value)s” is not one of: %(allowed)s."), value=value, allowed=allowed)
    )
