"""Working days: not Friday, not Thursday when the rules say so, not an official holiday."""

from __future__ import annotations

from datetime import date, timedelta

from revive.notices.models import DeadlineRules, Holiday

FRIDAY, THURSDAY = 4, 3  # date.weekday()


class Calendar:
    """The working-day arithmetic of one pass: holidays read once for the span it needs."""

    def __init__(self, *, rules: DeadlineRules, start: date, end: date):
        self.thursday_off = rules.thursday_off
        self.holidays = set(
            Holiday.objects.filter(
                day__gte=start - timedelta(days=400), day__lte=end + timedelta(days=400)
            ).values_list("day", flat=True)
        )

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
