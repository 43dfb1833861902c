"""revive demo-data: generate the national demo registry (deterministic for a seed, scale and day)."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from revive.core.errors import DomainError
from revive.registry import demo


class Command(BaseCommand):
    help = (
        "Generate the national demo data set: about 1,000 parks, 50,000 units, their status histories since "
        "1398 and monthly filings (scale 1.0). Same seed, scale and --today give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the whole nation; 0.05 is 5%%")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today in Tehran)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the registry already has units"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the registry's parks and units first"
        )

    def handle(self, *args, seed, scale, today, if_empty, replace, **options):
        if demo.registry_has_data():
            if if_empty:
                self.stdout.write("The registry already has data; nothing to do (--if-empty).")
                return
            if not replace:
                raise CommandError(
                    "The registry already has parks or units: use --replace to delete them first."
                )
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  {time.monotonic() - started:6.1f}s  {message}")

        try:
            with transaction.atomic():
                if replace:
                    progress("deleting the registry")
                    demo.registry_clear()
                counts = demo.generate(seed=seed, scale=scale, today=today, progress=progress)
                progress("committing")
        except DomainError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        for key, value in counts.items():
            self.stdout.write(f"{key:>18}: {value}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data generated in {elapsed:.1f} s (seed {seed}, scale {scale}).")
        )
