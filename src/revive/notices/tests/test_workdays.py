"""notices/workdays.py: working days skip Fridays, Thursdays when the rules say so, and the holidays table."""

from datetime import date

import pytest

from revive.notices.models import DeadlineRules, Holiday
from revive.notices.workdays import Calendar

pytestmark = pytest.mark.django_db

WED = date(2026, 11, 25)  # Wednesday 4 Azar 1405: Thursday 26, Friday 27, Saturday 28 follow


def _calendar(thursday_off: bool = False) -> Calendar:
    rules = DeadlineRules.current()
    rules.thursday_off = thursday_off
    return Calendar(rules=rules, start=WED, end=date(2026, 12, 31))


def test_friday_is_skipped_and_thursday_only_when_set():
    cal = _calendar()
    assert [cal.is_working(date(2026, 11, d)) for d in (25, 26, 27, 28)] == [True, True, False, True]
    assert cal.add(WED, 0) == WED
    assert cal.add(WED, 1) == date(2026, 11, 26) and cal.add(WED, 2) == date(2026, 11, 28)
    off = _calendar(thursday_off=True)
    assert not off.is_working(date(2026, 11, 26))
    assert off.add(WED, 1) == date(2026, 11, 28)


def test_a_holiday_is_not_a_working_day():
    Holiday.objects.create(day=date(2026, 11, 28), name_fa="تعطیل", name_en="Holiday")
    cal = _calendar()
    assert not cal.is_working(date(2026, 11, 28))
    assert cal.add(WED, 2) == date(2026, 11, 29)  # Thu 26, (Fri 27, holiday Sat 28), Sun 29


def test_subtract_and_between_agree_with_add():
    cal = _calendar(thursday_off=True)
    for n in (1, 5, 15):
        later = cal.add(WED, n)
        assert cal.between(WED, later) == n
        assert cal.subtract(later, n) == WED
    assert cal.between(WED, WED) == 0 and cal.between(date(2026, 12, 1), WED) == 0


def test_the_fixed_solar_holidays_count_in_every_year_not_only_the_preloaded_ones():
    """The holidays table was preloaded with the fixed holidays of 1404-1406 only: Nowruz 1407 (1-4
    Farvardin, 20-23 March 2028) and 29 Esfand 1403 (19 March 2025, a Wednesday) were working days for the
    deadline pass, which chased, escalated and referred on them."""
    cal = Calendar(rules=DeadlineRules.current(), start=date(2025, 3, 1), end=date(2028, 4, 30))
    nowruz_1407 = [date(2028, 3, d) for d in (20, 21, 22, 23)]
    assert not any(cal.is_working(d) for d in nowruz_1407)
    assert not cal.is_working(date(2028, 3, 31)) and not cal.is_working(date(2028, 4, 1))  # 12, 13 Farvardin
    assert not cal.is_working(date(2025, 3, 19))  # 29 Esfand 1403 (a leap year: 30 Esfand is a working day)
    assert cal.is_working(date(2025, 3, 20))
    # Sat 18 March 2028 -> (29 Esfand 1406, Nowruz Mon-Thu, Fri 24) Sat 25
    assert cal.add(date(2028, 3, 18), 1) == date(2028, 3, 25)
