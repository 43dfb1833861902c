"""`revive demo-notices`: after `revive demo`, give each demo user something to be told, then run the
deadline pass (idempotent: a second run adds nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from revive.core import calendar
from revive.demo import notices as demo
from revive.notices import deadlines


class Command(BaseCommand):
    help = "Seed a few events due now for the demo users with nothing due, then run the deadline pass."

    def handle(self, *args, **options):
        today = calendar.tehran_today()
        # Two passes, both needed: the seed gives events only to the demo users the first pass left with
        # no notice, and the second pass tells what the seed made (resolutions due, the returned filing).
        # The second finds the first's notices already made (unique event keys), so it costs little.
        with transaction.atomic():
            first = deadlines.run(today=today)
            seeded = demo.seed(today=today)
        for line in seeded:
            self.stdout.write(f"demo: {line}")
        second = deadlines.run(today=today)
        made = sum(first.counts.values()) + sum(second.counts.values())
        self.stdout.write(
            f"Deadline pass {today.isoformat()}: {made} notices, {first.referred + second.referred} referred, "
            f"{first.sustained + second.sustained} cases sustained."
        )
        for kind, n in sorted((first.counts + second.counts).items()):
            self.stdout.write(f"  {n:>6}  {kind}")
