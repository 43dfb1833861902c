"""revive run-plans: compute the queued plan runs (those whose background thread did not start or died)."""

import time

from django.core.management.base import BaseCommand

from revive.planning import tasks


class Command(BaseCommand):
    help = "Compute queued plan runs, oldest first. With --loop, keep watching for new ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="keep running, checking every --every seconds"
        )
        parser.add_argument("--every", type=float, default=2.0, metavar="SECONDS")

    def handle(self, *args, loop, every, **options):
        while True:
            n = tasks.run_queued()
            if n:
                self.stdout.write(f"Computed {n} plan run(s).")
            if not loop:
                return
            time.sleep(every)
