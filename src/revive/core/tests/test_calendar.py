"""Tests for Jalali dates and periods, checked against the official calendar table."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from revive.core import calendar as cal
from revive.core.calendar import (
    TEHRAN,
    InvalidJalaliDate,
    Period,
    add_months,
    current_jalali_year,
    filing_due_date,
    format_jalali,
    from_jalali,
    is_leap,
    iter_months,
    jalali_month,
    jalali_quarter,
    jalali_year,
    month_length,
    month_name,
    month_of,
    nowruz,
    parse_jalali,
    parse_jalali_month,
    tehran_today,
    to_jalali,
    year_to_date,
)
from revive.core.errors import DomainError

# Gregorian date of 1 Farvardin, from the official table (University of Tehran calendar centre).
OFFICIAL_NOWRUZ = {
    1390: date(2011, 3, 21),
    1391: date(2012, 3, 20),
    1392: date(2013, 3, 21),
    1393: date(2014, 3, 21),
    1394: date(2015, 3, 21),
    1395: date(2016, 3, 20),
    1396: date(2017, 3, 21),
    1397: date(2018, 3, 21),
    1398: date(2019, 3, 21),
    1399: date(2020, 3, 20),
    1400: date(2021, 3, 21),
    1401: date(2022, 3, 21),
    1402: date(2023, 3, 21),
    1403: date(2024, 3, 20),
    1404: date(2025, 3, 21),
    1405: date(2026, 3, 21),
    1406: date(2027, 3, 21),
    1407: date(2028, 3, 20),
    1408: date(2029, 3, 20),
    1409: date(2030, 3, 21),
    1410: date(2031, 3, 21),
    1411: date(2032, 3, 20),
    1412: date(2033, 3, 20),
    1413: date(2034, 3, 21),
    1414: date(2035, 3, 21),
    1415: date(2036, 3, 20),
    1416: date(2037, 3, 20),
    1417: date(2038, 3, 21),
    1418: date(2039, 3, 21),
    1419: date(2040, 3, 20),
    1420: date(2041, 3, 20),
}
OFFICIAL_LEAP_YEARS = {1391, 1395, 1399, 1403, 1408, 1412, 1416, 1420}


# --- the calendar itself ---------------------------------------------------------------------


@pytest.mark.parametrize(("year", "gregorian"), sorted(OFFICIAL_NOWRUZ.items()))
def test_nowruz_matches_the_official_table(year: int, gregorian: date) -> None:
    assert nowruz(year) == gregorian


@pytest.mark.parametrize("year", range(1390, 1421))
def test_leap_years_are_the_official_ones(year: int) -> None:
    assert is_leap(year) == (year in OFFICIAL_LEAP_YEARS)


@pytest.mark.parametrize("year", range(1390, 1420))
def test_a_year_is_366_days_exactly_when_it_is_leap(year: int) -> None:
    length = (nowruz(year + 1) - nowruz(year)).days
    assert length == (366 if year in OFFICIAL_LEAP_YEARS else 365)
    assert jalali_year(year).days == length


def test_the_2820_year_rule_would_be_wrong_for_1403_and_1404() -> None:
    # The 2820-year rule makes 1404 leap and starts 1404 on 2025-03-20; the official calendar does not.
    assert is_leap(1403) and not is_leap(1404)
    assert nowruz(1404) == date(2025, 3, 21)
    assert nowruz(1405) == date(2026, 3, 21)


@pytest.mark.parametrize(("year", "exists"), [(1403, True), (1404, False), (1407, False), (1408, True)])
def test_esfand_30_exists_only_in_leap_years(year: int, exists: bool) -> None:
    assert (month_length(year, 12) == 30) == exists
    if exists:
        assert from_jalali(year, 12, 30) == nowruz(year + 1) - timedelta(days=1)
    else:
        with pytest.raises(InvalidJalaliDate):
            from_jalali(year, 12, 30)


def test_month_lengths() -> None:
    assert [month_length(1404, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [29]
    assert month_length(1403, 12) == 30


@pytest.mark.parametrize("month", [0, 13, -1])
def test_there_are_twelve_months(month: int) -> None:
    with pytest.raises(InvalidJalaliDate):
        month_length(1404, month)
    with pytest.raises(InvalidJalaliDate):
        from_jalali(1404, month, 1)


@pytest.mark.parametrize("day", [0, 32])
def test_days_outside_the_month_are_refused(day: int) -> None:
    with pytest.raises(InvalidJalaliDate):
        from_jalali(1404, 1, day)


def test_years_outside_the_official_table_are_refused() -> None:
    with pytest.raises(InvalidJalaliDate):
        from_jalali(1600, 1, 1)
    with pytest.raises(InvalidJalaliDate):
        is_leap(1100)


def test_invalid_date_is_a_domain_error_with_a_readable_message() -> None:
    with pytest.raises(DomainError) as excinfo, translation.override("en"):
        from_jalali(1404, 12, 30)
    assert isinstance(excinfo.value, InvalidJalaliDate)
    with translation.override("en"):
        assert str(excinfo.value.message) == "1404/12/30 is not a date: Esfand 1404 has 29 days."
    assert excinfo.value.details == {"year": 1404, "month": 12, "day": 30}


def test_month_name_in_the_message_follows_the_language_it_is_shown_in() -> None:
    with pytest.raises(InvalidJalaliDate) as excinfo:
        from_jalali(1404, 7, 31)
    # The message stays lazy: it is rendered in whatever language is active when shown.
    with translation.override("en"):
        assert "Mehr 1404 has 30 days" in str(excinfo.value.message)
    with translation.override("fa"):
        assert "مهر" in str(excinfo.value.message)


# --- conversions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1404, 1, 1), date(2025, 3, 21)),
        ((1404, 12, 29), date(2026, 3, 20)),
        ((1403, 12, 30), date(2025, 3, 20)),
        ((1405, 8, 1), date(2026, 10, 23)),
        ((1401, 6, 31), date(2022, 9, 22)),
        ((1402, 10, 11), date(2024, 1, 1)),
    ],
)
def test_known_dates_convert_both_ways(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert from_jalali(*jalali) == gregorian
    assert to_jalali(gregorian) == jalali


def test_every_day_of_three_decades_round_trips() -> None:
    day = nowruz(1390)
    last = nowruz(1421)
    previous = to_jalali(day - timedelta(days=1))
    while day < last:
        jalali = to_jalali(day)
        assert from_jalali(*jalali) == day
        assert jalali > previous  # Jalali dates only move forward, one day at a time
        previous = jalali
        day += timedelta(days=1)


def test_an_aware_datetime_belongs_to_its_tehran_day() -> None:
    # 21:00 UTC on 20 March 2025 is 00:30 on 21 March in Tehran: Nowruz 1404 already.
    evening_utc = datetime(2025, 3, 20, 21, 0, tzinfo=UTC)
    assert to_jalali(evening_utc) == (1404, 1, 1)
    assert format_jalali(evening_utc, lang="en") == "1404/01/01"


def test_a_naive_datetime_has_no_tehran_day() -> None:
    with pytest.raises(ValueError):
        to_jalali(datetime(2025, 3, 20, 21, 0))


# --- Tehran day ------------------------------------------------------------------------------


def test_tehran_is_three_and_a_half_hours_ahead_of_utc_all_year() -> None:
    for month in (1, 4, 7, 10):  # summer too: no daylight saving since 2022
        moment = datetime(2025, month, 15, 12, tzinfo=UTC)
        assert moment.astimezone(TEHRAN).utcoffset() == timedelta(hours=3, minutes=30)


def test_tehran_day_starts_at_20_30_utc() -> None:
    assert tehran_today(datetime(2025, 7, 1, 20, 29, tzinfo=UTC)) == date(2025, 7, 1)
    assert tehran_today(datetime(2025, 7, 1, 20, 30, tzinfo=UTC)) == date(2025, 7, 2)


def test_tehran_today_defaults_to_now() -> None:
    before = datetime.now(UTC).astimezone(TEHRAN).date()
    today = tehran_today()
    after = datetime.now(UTC).astimezone(TEHRAN).date()
    assert before <= today <= after


def test_tehran_today_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        tehran_today(datetime(2025, 7, 1, 12))


def test_current_jalali_year() -> None:
    assert current_jalali_year(date(2026, 3, 20)) == 1404
    assert current_jalali_year(date(2026, 3, 21)) == 1405
    assert current_jalali_year() == to_jalali(tehran_today())[0]


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1404/12/29",
        "۱۴۰۴/۱۲/۲۹",
        "١٤٠٤/١٢/٢٩",
        "1404-12-29",
        "۱۴۰۴-۱۲-۲۹",
        "  1404/12/29 ",
        "\u200f۱۴۰۴/۱۲/۲۹\u200f",  # right-to-left marks from copied Persian text
        "1404 / 12 / 29",
    ],
)
def test_parse_jalali_accepts_what_people_type(text: str) -> None:
    assert parse_jalali(text) == date(2026, 3, 20)


def test_parse_jalali_accepts_one_digit_month_and_day() -> None:
    assert parse_jalali("1405/8/3") == from_jalali(1405, 8, 3)
    assert parse_jalali("۱۴۰۵/۱/۱") == nowruz(1405)


def test_parse_jalali_of_esfand_30_in_a_common_year_says_why() -> None:
    with pytest.raises(InvalidJalaliDate) as excinfo, translation.override("en"):
        parse_jalali("1404/12/30")
    with translation.override("en"):
        assert str(excinfo.value.message) == "1404/12/30 is not a date: Esfand 1404 has 29 days."
    assert parse_jalali("1403/12/30") == date(2025, 3, 20)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "   ",
        "abc",
        "1404/12",
        "1404/12/29/1",
        "04/12/29",
        "1404.12.29",
        "1404/12-29",
        "29/12/1404",
        "1404/123/1",
    ],
)
def test_parse_jalali_refuses_other_text_and_says_what_was_expected(text: str | None) -> None:
    with pytest.raises(InvalidJalaliDate) as excinfo:
        parse_jalali(text)
    with translation.override("en"):
        assert "YYYY/MM/DD" in str(excinfo.value.message)


@pytest.mark.parametrize("text", ["1404/13/01", "1404/00/10", "1404/07/31", "1404/01/00"])
def test_parse_jalali_refuses_dates_that_do_not_exist(text: str) -> None:
    with pytest.raises(InvalidJalaliDate):
        parse_jalali(text)


def test_parse_jalali_recognises_a_gregorian_date_typed_by_mistake() -> None:
    with pytest.raises(InvalidJalaliDate) as excinfo:
        parse_jalali("2025/03/21")
    with translation.override("en"):
        assert "Gregorian" in str(excinfo.value.message)


@pytest.mark.parametrize("text", ["1405/08", "1405/8", "۱۴۰۵/۰۸", "١٤٠٥-٠٨", " 1405-08 "])
def test_parse_jalali_month(text: str) -> None:
    assert parse_jalali_month(text) == (1405, 8)


@pytest.mark.parametrize("text", ["1405/13", "1405/0", "1405", "1405/08/01", "", "Aban 1405", "2026/03"])
def test_parse_jalali_month_refuses_bad_text(text: str) -> None:
    with pytest.raises(InvalidJalaliDate):
        parse_jalali_month(text)


# --- formatting ------------------------------------------------------------------------------


def test_format_jalali_numeric() -> None:
    esfand_29 = date(2026, 3, 20)
    assert format_jalali(esfand_29) == "۱۴۰۴/۱۲/۲۹"
    assert format_jalali(esfand_29, lang="en") == "1404/12/29"
    assert format_jalali(nowruz(1405), lang="en") == "1405/01/01"


def test_format_jalali_long() -> None:
    esfand_29 = date(2026, 3, 20)
    assert format_jalali(esfand_29, style="long") == "۲۹ اسفند ۱۴۰۴"
    assert format_jalali(esfand_29, lang="en", style="long") == "29 Esfand 1404"
    assert format_jalali(nowruz(1405), lang="en", style="long") == "1 Farvardin 1405"


def test_format_jalali_accepts_django_language_codes() -> None:
    assert format_jalali(date(2026, 3, 20), lang="en-us") == "1404/12/29"


def test_format_jalali_refuses_unknown_style_and_language() -> None:
    with pytest.raises(ValueError):
        format_jalali(date(2026, 3, 20), style="short")
    with pytest.raises(ValueError):
        format_jalali(date(2026, 3, 20), lang="de")


def test_formatted_dates_parse_back() -> None:
    day = date(2025, 11, 24)
    assert parse_jalali(format_jalali(day)) == day
    assert parse_jalali(format_jalali(day, lang="en")) == day


def test_month_names() -> None:
    assert [month_name(m, "en") for m in range(1, 13)] == [
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
    ]
    assert [month_name(m, "fa") for m in range(1, 13)] == [
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
    ]
    # Stored names use Persian yeh and kaf, never the Arabic letters.
    assert not any(ch in "".join(cal.MONTH_NAMES["fa"]) for ch in "\u064a\u0643")
    with pytest.raises(ValueError):
        month_name(13, "en")


# --- periods ---------------------------------------------------------------------------------


def test_month_period() -> None:
    aban = jalali_month(1405, 8)
    assert aban.kind == "month"
    assert aban.start == from_jalali(1405, 8, 1)
    assert aban.end == from_jalali(1405, 8, 30)
    assert aban.end_exclusive == from_jalali(1405, 9, 1)
    assert aban.days == 30
    assert aban.label("en") == "Aban 1405"
    assert aban.label("fa") == "آبان ۱۴۰۵"


def test_esfand_period_in_leap_and_common_years() -> None:
    assert jalali_month(1403, 12).days == 30
    assert jalali_month(1404, 12).days == 29
    assert jalali_month(1404, 12).end_exclusive == nowruz(1405)


@pytest.mark.parametrize(
    ("quarter", "first", "last", "days"),
    [
        (1, (1405, 1, 1), (1405, 3, 31), 93),
        (2, (1405, 4, 1), (1405, 6, 31), 93),
        (3, (1405, 7, 1), (1405, 9, 30), 90),
        (4, (1405, 10, 1), (1405, 12, 29), 89),
    ],
)
def test_quarter_boundaries(quarter: int, first: tuple, last: tuple, days: int) -> None:
    period = jalali_quarter(1405, quarter)
    assert period.kind == "quarter"
    assert period.start == from_jalali(*first)
    assert period.end == from_jalali(*last)
    assert period.days == days


def test_fourth_quarter_of_a_leap_year_ends_on_esfand_30() -> None:
    q4 = jalali_quarter(1403, 4)
    assert q4.end == from_jalali(1403, 12, 30)
    assert q4.end_exclusive == nowruz(1404)
    assert q4.days == 90


def test_quarters_tile_the_year() -> None:
    quarters = [jalali_quarter(1408, q) for q in range(1, 5)]
    year = jalali_year(1408)
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for earlier, later in zip(quarters, quarters[1:], strict=False):
        assert earlier.end_exclusive == later.start
    assert sum(q.days for q in quarters) == year.days == 366


@pytest.mark.parametrize("quarter", [0, 5])
def test_there_are_four_quarters(quarter: int) -> None:
    with pytest.raises(InvalidJalaliDate):
        jalali_quarter(1405, quarter)


def test_quarter_labels() -> None:
    assert jalali_quarter(1405, 3).label("en") == "Q3 1405"
    assert jalali_quarter(1405, 3).label("fa") == "فصل ۳ ۱۴۰۵"


def test_year_period() -> None:
    year = jalali_year(1404)
    assert year.kind == "year"
    assert year.start == date(2025, 3, 21)
    assert year.end == date(2026, 3, 20)
    assert year.end_exclusive == date(2026, 3, 21)
    assert year.days == 365
    assert year.label("en") == "1404"
    assert year.label("fa") == "۱۴۰۴"


def test_year_to_date_runs_from_nowruz_to_today() -> None:
    today = from_jalali(1405, 9, 3)
    ytd = year_to_date(1405, today)
    assert ytd.kind == "ytd"
    assert ytd.start == nowruz(1405)
    assert ytd.end == today
    assert ytd.contains(today)
    assert not ytd.contains(today + timedelta(days=1))
    assert ytd.label("en") == "since 1 Farvardin 1405 to 3 Azar 1405"
    assert ytd.label("fa") == "از ۱ فروردین ۱۴۰۵ تا ۳ آذر ۱۴۰۵"


def test_year_to_date_on_nowruz_is_one_day() -> None:
    assert year_to_date(1405, nowruz(1405)).days == 1


def test_year_to_date_of_a_past_year_is_clipped_to_its_end() -> None:
    ytd = year_to_date(1404, from_jalali(1405, 9, 3))
    assert ytd.start == nowruz(1404)
    assert ytd.end == from_jalali(1404, 12, 29)
    assert ytd.days == 365


def test_year_to_date_of_a_year_not_yet_started_is_refused() -> None:
    with pytest.raises(InvalidJalaliDate):
        year_to_date(1406, from_jalali(1405, 12, 29))


def test_year_to_date_with_an_aware_datetime_uses_the_tehran_day() -> None:
    # 20:45 UTC on 20 March 2026 is already 1 Farvardin 1405 in Tehran.
    ytd = year_to_date(1405, datetime(2026, 3, 20, 20, 45, tzinfo=UTC))
    assert ytd.start == ytd.end == nowruz(1405)


def test_period_contains_both_ends_and_nothing_outside() -> None:
    aban = jalali_month(1405, 8)
    assert aban.contains(aban.start)
    assert aban.contains(aban.end)
    assert not aban.contains(aban.start - timedelta(days=1))
    assert not aban.contains(aban.end_exclusive)


def test_period_is_immutable_and_hashable() -> None:
    aban = jalali_month(1405, 8)
    assert aban == jalali_month(1405, 8)
    assert len({aban, jalali_month(1405, 8)}) == 1
    with pytest.raises(AttributeError):
        aban.end = aban.start  # type: ignore[misc]


def test_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period("month", date(2026, 1, 2), date(2026, 1, 1))


# --- months arithmetic -----------------------------------------------------------------------


def test_month_of() -> None:
    assert month_of(date(2026, 3, 20)) == (1404, 12)
    assert month_of(date(2026, 3, 21)) == (1405, 1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ((1404, 12), 1, (1405, 1)),
        ((1405, 1), -1, (1404, 12)),
        ((1405, 8), 0, (1405, 8)),
        ((1405, 8), 12, (1406, 8)),
        ((1405, 8), -20, (1403, 12)),
        ((1405, 8), 29, (1408, 1)),
    ],
)
def test_add_months(start: tuple[int, int], n: int, expected: tuple[int, int]) -> None:
    assert add_months(start, n) == expected


def test_iter_months_across_the_year_end_includes_both_ends() -> None:
    assert list(iter_months((1404, 11), (1405, 2))) == [(1404, 11), (1404, 12), (1405, 1), (1405, 2)]
    assert list(iter_months((1405, 8), (1405, 8))) == [(1405, 8)]
    assert len(list(iter_months((1405, 1), (1405, 12)))) == 12


def test_iter_months_backwards_is_empty() -> None:
    assert list(iter_months((1405, 2), (1404, 11))) == []


def test_iter_months_refuses_month_13() -> None:
    with pytest.raises(InvalidJalaliDate):
        list(iter_months((1405, 1), (1405, 13)))


@pytest.mark.parametrize(
    ("month", "due"),
    [
        ((1404, 12), (1405, 1, 10)),  # Esfand's filings are due after Nowruz
        ((1403, 12), (1404, 1, 10)),
        ((1405, 1), (1405, 2, 10)),
        ((1405, 6), (1405, 7, 10)),
        ((1405, 11), (1405, 12, 10)),
    ],
)
def test_filing_due_date_is_the_10th_of_the_next_month(month: tuple[int, int], due: tuple) -> None:
    assert filing_due_date(*month) == from_jalali(*due)


def test_esfand_1404_filings_are_due_on_30_march_2026() -> None:
    assert filing_due_date(1404, 12) == date(2026, 3, 30)
