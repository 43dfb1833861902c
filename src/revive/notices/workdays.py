"""Working days: not Friday, not Thursday when the rules say so, not an official holiday.

The fixed holidays of the solar calendar fall on the same Iranian day every year, so they are counted
for every year here; the holidays table adds the lunar ones, entered each year (its preloaded fixed
rows, 1404-1406 only, changed nothing but the page's list)."""

from __future__ import annotations

from datetime import date, timedelta

from revive.core import calendar
from revive.notices.models import DeadlineRules, Holiday

FRIDAY, THURSDAY = 4, 3  # date.weekday()

# (month, day): Nowruz 1-4 Farvardin, 12 and 13 Farvardin, 14 and 15 Khordad, 22 Bahman, 29 Esfand
FIXED_HOLIDAYS = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 12), (1, 13), (3, 14), (3, 15), (11, 22), (12, 29))


class Calendar:
    """The working-day arithmetic of one pass: holidays read once for the span it needs."""

    def __init__(self, *, rules: DeadlineRules, start: date, end: date):
        self.thursday_off = rules.thursday_off
        first, last = start - timedelta(days=400), end + timedelta(days=400)
        self.holidays = set(
            Holiday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
        )
        for year in range(calendar.to_jalali(first)[0], calendar.to_jalali(last)[0] + 1):
            self.holidays.update(calendar.from_jalali(year, m, d) for m, d in FIXED_HOLIDAYS)

    def is_working(self, d: date) -> bool:
        wd = d.weekday()
        if wd == FRIDAY or (self.thursday_off and wd == THURSDAY):
            return False
        return d not in self.holidays

    def add(self, d: date, n: int) -> date:
        """The n-th working day after d (n >= 0; add(d, 0) is d itself)."""
        while n > 0:
            d += timedelta(days=1)
            if self.is_working(d):
                n -= 1
        return d

    def subtract(self, d: date, n: int) -> date:
        """The n-th working day before d."""
        while n > 0:
            d -= timedelta(days=1)
            if self.is_working(d):
                n -= 1
        return d

    def between(self, start: date, end: date) -> int:
        """Working days after start up to and including end (0 when end <= start)."""
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if self.is_working(d):
                n += 1
        return n
