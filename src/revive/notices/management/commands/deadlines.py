"""`revive deadlines [--today 2026-12-05 | 1405/09/14]`: the deadline pass, once, and how many notices
of each kind it made (the worker runs it every day on its own)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.text import to_ascii_digits
from revive.notices import deadlines
from revive.notices.models import Kind


def parse_day(text: str) -> date:
    """A Gregorian (2026-12-05) or an Iranian (1405/09/14, any digits) date."""
    clean = to_ascii_digits(text.strip())
    try:
        year = int(clean.replace("/", "-").split("-")[0])
    except ValueError as exc:
        raise CommandError(f"Not a date: {text}") from exc
    try:
        if year > 1700:
            return date.fromisoformat(clean.replace("/", "-"))
        return calendar.parse_jalali(clean)
    except (ValueError, DomainError) as exc:
        raise CommandError(f"Not a date: {text} ({exc})") from exc


class Command(BaseCommand):
    help = "Run the deadline pass: reminders, escalations, referrals, filings, sustained cases."

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="the day to run as: 2026-12-05 or 1405/09/14")
        parser.add_argument(
            "--force", action="store_true", help="chase even on a Friday or a holiday (normally they wait)"
        )

    def handle(self, *args, today, force, **options):
        day = parse_day(today) if today else calendar.tehran_today()
        p = deadlines.run(today=day, force=force)
        working = force or p.cal.is_working(day)
        self.stdout.write(
            f"Deadline pass for {day.isoformat()} ({calendar.format_jalali(day, lang='en')})"
            + ("" if working else ": not a working day, the chasing waits")
        )
        with translation.override("en"):
            labels = {k: str(v) for k, v in Kind.choices}
        for kind in Kind.values:
            if p.counts.get(kind):
                self.stdout.write(f"  {p.counts[kind]:>6}  {kind}  ({labels[kind]})")
        self.stdout.write(f"  {sum(p.counts.values()):>6}  notices in all")
        self.stdout.write(f"  {p.referred:>6}  resolutions referred to the national level")
        self.stdout.write(f"  {p.sustained:>6}  cases marked sustained")
