"""Iranian (Solar Hijri) dates and reporting periods: Gregorian dates inside, Jalali labels outside."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal

import jdatetime
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from revive.core.errors import DomainError
from revive.core.text import lang_code, to_ascii_digits, to_persian_digits

# Iran dropped daylight saving in 2022, so a fixed offset is right for every day Revive records,
# and unlike zoneinfo it cannot be wrong on a server with tzdata older than 2022b. (Timestamps from
# summers before 2022 were at +04:30; Revive only imports dates from that era, not times.)
TEHRAN = timezone(timedelta(hours=3, minutes=30), "+0330")

# jdatetime follows the 33-year rule, which matches the official table (University of Tehran
# calendar centre) for 1206-1498; outside it neither the rule nor the table is trustworthy.
MIN_YEAR = 1206
MAX_YEAR = 1498

MONTH_NAMES = {
    "fa": (
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "شهریور",
        "مهر",
        "آبان",
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
    ),
    "en": (
        "Farvardin",
        "Ordibehesht",
        "Khordad",
        "Tir",
        "Mordad",
        "Shahrivar",
        "Mehr",
        "Aban",
        "Azar",
        "Dey",
        "Bahman",
        "Esfand",
    ),
}

YearMonth = tuple[int, int]
PeriodKind = Literal["year", "quarter", "month", "ytd"]


class InvalidJalaliDate(DomainError):
    """A Jalali date, month or period that does not exist, or text that is not one."""


def _active_lang() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "fa"


# Error messages are lazy, so the month name in them must follow the language they are shown in.
_month_name_lazy = lazy(lambda month: month_name(month, _active_lang()), str)
# ... and so must the digits of the numbers in them ("ماه ۱۳", not "ماه 13").
_digits_lazy = lazy(lambda n: to_persian_digits(str(n)) if _active_lang() == "fa" else str(n), str)


def _as_date(d: date) -> date:
    # An aware datetime belongs to the Tehran day it falls on, not to its UTC (or server) date.
    if isinstance(d, datetime):
        if d.tzinfo is None or d.utcoffset() is None:
            raise ValueError("A naive datetime has no Tehran day; pass a date or an aware datetime.")
        return d.astimezone(TEHRAN).date()
    return d


def tehran_today(now: datetime | None = None) -> date:
    """The Tehran calendar day of `now` (default: this instant); reports count Tehran days."""
    if now is None:
        now = datetime.now(UTC)
    return _as_date(now)


def _check_month(year: int, month: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidJalaliDate(
            format_lazy(
                _("{year} is outside the supported Iranian years {min_year}-{max_year}."),
                year=_digits_lazy(year),
                min_year=_digits_lazy(MIN_YEAR),
                max_year=_digits_lazy(MAX_YEAR),
            ),
            year=year,
        )
    if not 1 <= month <= 12:
        raise InvalidJalaliDate(
            format_lazy(
                _("There is no month {month}: months run from 1 (Farvardin) to 12 (Esfand)."),
                month=_digits_lazy(month),
            ),
            year=year,
            month=month,
        )


@lru_cache(maxsize=512)
def is_leap(year: int) -> bool:
    """Whether Esfand of this Iranian year has 30 days."""
    _check_month(year, 1)
    return jdatetime.date(year, 1, 1).isleap()


def month_length(year: int, month: int) -> int:
    """Days in a Jalali month: 31 in months 1-6, 30 in 7-11, Esfand 29 or 30 in a leap year."""
    _check_month(year, month)
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


# Pure and called once or twice per imported row (600,000 rows a file): a cache makes it a dict lookup.
# A date that does not exist raises, and raising is never cached.
@lru_cache(maxsize=65536)
def from_jalali(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali date; InvalidJalaliDate if it does not exist."""
    _check_month(year, month)
    days = month_length(year, month)
    if not 1 <= day <= days:
        raise InvalidJalaliDate(
            format_lazy(
                _("{date} is not a date: {month} {year} has {days} days."),
                date=_digits_lazy(f"{year:04d}/{month:02d}/{day:02d}"),
                month=_month_name_lazy(month),
                year=_digits_lazy(year),
                days=_digits_lazy(days),
            ),
            year=year,
            month=month,
            day=day,
        )
    return jdatetime.date(year, month, day).togregorian()


def to_jalali(d: date) -> tuple[int, int, int]:
    """(year, month, day) in the Iranian calendar; an aware datetime counts as its Tehran day."""
    j = jdatetime.date.fromgregorian(date=_as_date(d))
    return j.year, j.month, j.day


def nowruz(year: int) -> date:
    """1 Farvardin of an Iranian year, as a Gregorian date (20 or 21 March)."""
    return from_jalali(year, 1, 1)


def month_name(month: int, lang: str = "fa") -> str:
    """Farvardin ... Esfand in English transliteration, or فروردین ... اسفند."""
    if not 1 <= month <= 12:
        raise ValueError(f"There is no month {month}.")
    return MONTH_NAMES[lang_code(lang)][month - 1]


# People copy dates out of Persian text with bidi marks around them, which they cannot see.
_INVISIBLE = dict.fromkeys([0x200E, 0x200F, 0x061C, 0x200C, 0xFEFF])
_DATE = re.compile(r"(\d{4})\s*([/-])\s*(\d{1,2})\s*\2\s*(\d{1,2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})\s*[/-]\s*(\d{1,2})", re.ASCII)


def _clean(text: str | None) -> str:
    return to_ascii_digits(text or "").translate(_INVISIBLE).strip()


def _check_parsed_year(year: int, text: str | None) -> None:
    # A Gregorian date typed by mistake (2025/03/21) is a valid Jalali date six centuries ahead;
    # say what went wrong instead of storing it.
    if year >= 1900:
        raise InvalidJalaliDate(
            format_lazy(
                _("“{value}” looks like a Gregorian date; enter the Iranian date, e.g. 1404/12/29."),
                value=text,
            ),
            value=text,
        )


@lru_cache(maxsize=8192)
def parse_jalali(text: str | None) -> date:
    """A Jalali date typed as YYYY/MM/DD (or with '-'), in ASCII, Persian or Arabic-Indic digits."""
    match = _DATE.fullmatch(_clean(text))
    if not match:
        raise InvalidJalaliDate(
            format_lazy(
                _(
                    "“{value}” is not an Iranian date: expected year/month/day as YYYY/MM/DD, e.g. 1404/12/29."
                ),
                value=text or "",
            ),
            value=text,
        )
    year, month, day = int(match[1]), int(match[3]), int(match[4])
    _check_parsed_year(year, text)
    return from_jalali(year, month, day)


@lru_cache(maxsize=4096)
def parse_jalali_month(text: str | None) -> YearMonth:
    """An Iranian year and month typed as YYYY/MM (or with '-'), e.g. 1405/08."""
    match = _MONTH.fullmatch(_clean(text))
    if not match:
        raise InvalidJalaliDate(
            format_lazy(
                _("“{value}” is not an Iranian month: expected year/month as YYYY/MM, e.g. 1405/08."),
                value=text or "",
            ),
            value=text,
        )
    year, month = int(match[1]), int(match[2])
    _check_parsed_year(year, text)
    _check_month(year, month)
    return year, month


def _digits(s: str, lang: str) -> str:
    return to_persian_digits(s) if lang == "fa" else s


def format_jalali(d: date, *, lang: str = "fa", style: str = "numeric") -> str:
    """A Gregorian date as a Jalali label: '۱۴۰۴/۱۲/۲۹' or '1404/12/29'; long: '29 Esfand 1404'."""
    lang = lang_code(lang)
    y, m, day = to_jalali(d)
    if style == "numeric":
        return _digits(f"{y:04d}/{m:02d}/{day:02d}", lang)
    if style == "long":
        return _digits(f"{day} {month_name(m, lang)} {y}", lang)
    raise ValueError(f"Unknown date style {style!r}: expected 'numeric' or 'long'.")


def month_of(d: date) -> YearMonth:
    """The Iranian (year, month) a date falls in."""
    y, m, _day = to_jalali(d)
    return y, m


def current_jalali_year(today: date | None = None) -> int:
    """The Iranian year of `today` (default: today in Tehran)."""
    return to_jalali(today if today is not None else tehran_today())[0]


def add_months(ym: YearMonth, n: int) -> YearMonth:
    """The Iranian month `n` months after (or before, if negative) `ym`."""
    year, month = ym
    _check_month(year, month)
    years, month0 = divmod(month - 1 + n, 12)
    return year + years, month0 + 1


def iter_months(start: YearMonth, end: YearMonth) -> Iterator[YearMonth]:
    """Every Iranian month from `start` to `end`, both included; nothing if end is before start."""
    _check_month(*start)
    _check_month(*end)
    ym = start
    while ym <= end:
        yield ym
        ym = add_months(ym, 1)


@lru_cache(maxsize=4096)
def filing_due_date(year: int, month: int) -> date:
    """When a unit's production filing for a month is due: the 10th of the next Iranian month."""
    next_year, next_month = add_months((year, month), 1)
    return from_jalali(next_year, next_month, 10)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period of Gregorian days; `end` is the last day, included."""

    kind: PeriodKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")

    @property
    def end_exclusive(self) -> date:
        """The day after the last day, for half-open queries (`date__lt=period.end_exclusive`)."""
        return self.end + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        return self.start <= _as_date(d) <= self.end

    def label(self, lang: str = "fa") -> str:
        """What people call the period: 'Aban 1405', 'Q3 1405', '1405', 'since 1 Farvardin 1405 to ...'."""
        lang = lang_code(lang)
        year, month = month_of(self.start)
        if self.kind == "year":
            return _digits(str(year), lang)
        if self.kind == "quarter":
            quarter = (month - 1) // 3 + 1
            return _digits(f"فصل {quarter} {year}" if lang == "fa" else f"Q{quarter} {year}", lang)
        if self.kind == "month":
            return _digits(f"{month_name(month, lang)} {year}", lang)
        start = format_jalali(self.start, lang=lang, style="long")
        end = format_jalali(self.end, lang=lang, style="long")
        return f"از {start} تا {end}" if lang == "fa" else f"since {start} to {end}"


def jalali_month(year: int, month: int) -> Period:
    """One Iranian month, e.g. Aban 1405."""
    start = from_jalali(year, month, 1)
    return Period("month", start, from_jalali(year, month, month_length(year, month)))


def jalali_quarter(year: int, quarter: int) -> Period:
    """Q1 is Farvardin-Khordad, Q2 Tir-Shahrivar, Q3 Mehr-Azar, Q4 Dey-Esfand."""
    if not 1 <= quarter <= 4:
        raise InvalidJalaliDate(
            format_lazy(_("There is no quarter {quarter}: quarters run from 1 to 4."), quarter=quarter),
            year=year,
            quarter=quarter,
        )
    first = jalali_month(year, 3 * quarter - 2)
    last = jalali_month(year, 3 * quarter)
    return Period("quarter", first.start, last.end)


def jalali_year(year: int) -> Period:
    """A whole Iranian year, 1 Farvardin to the last day of Esfand."""
    return Period("year", nowruz(year), from_jalali(year, 12, month_length(year, 12)))


def year_to_date(year: int, today: date) -> Period:
    """From 1 Farvardin of `year` to `today`, or to the year's end once it is over."""
    whole = jalali_year(year)
    today = _as_date(today)
    if today < whole.start:
        raise InvalidJalaliDate(
            format_lazy(_("The year {year} has not started yet."), year=year),
            year=year,
            today=today,
        )
    return Period("ytd", whole.start, min(today, whole.end))
