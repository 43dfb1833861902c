"""revive demo-data: generate the national demo data set (deterministic for a seed, scale and day).

The registry comes first; each later part (cases, finance, planning, indicators) builds on what the
earlier ones wrote, all in one transaction: the demo is there whole or not at all.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from revive.core.errors import DomainError
from revive.demo import cases, finance, indicators, planning
from revive.demo import registry as demo
from revive.demo.writing import check_foreign_keys, fast_build, large_cache

# (module, what it adds), in the order they are generated; cleared in the reverse order.
STAGES = [
    (cases, "cases, obstacles, meetings, resolutions, visits"),
    (finance, "loan requests, credit lines, lending figures"),
    (planning, "infrastructure projects and budget lines"),
    (indicators, "programmes, indicators and targets"),
]
CLEARED_APPS = ["indicators", "planning", "finance", "cases"]


def _clear_domain_data() -> None:
    """Delete the rows of the parts built on the registry (for --replace), then unlink demo users."""
    from django.apps import apps

    from revive.accounts.models import User

    User.objects.update(park=None, unit=None)
    with connection.cursor() as cursor:
        for label in CLEARED_APPS:
            models = list(apps.get_app_config(label).get_models(include_auto_created=True))
            for model in reversed(models):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = (
        "Generate the national demo data set: about 1,000 parks, 50,000 units, their status histories since "
        "1398 and monthly filings (scale 1.0), then cases, loans, infrastructure projects and targets. "
        "Same seed, scale and --today give the same data."
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
        parser.add_argument("--replace", action="store_true", help="delete the existing demo data first")
        parser.add_argument("--registry-only", action="store_true", help="generate only the registry")

    def handle(self, *args, seed, scale, today, if_empty, replace, registry_only, **options):
        if demo.registry_has_data():
            if if_empty:
                self.stdout.write("The registry already has data; nothing to do (--if-empty).")
                return
            if not replace:
                raise CommandError(
                    "The registry already has parks or units: use --replace to delete them first."
                )
        started, cpu = time.monotonic(), time.process_time()

        def progress(message: str) -> None:  # the time so far, and this process's CPU time (a busy machine)
            self.stdout.write(
                f"  {time.monotonic() - started:6.1f}s {time.process_time() - cpu:6.1f}s cpu  {message}"
            )

        counts: dict = {}
        try:
            with fast_build(), large_cache(), transaction.atomic():
                if replace:
                    progress("deleting the existing demo data")
                    _clear_domain_data()
                    demo.registry_clear()
                counts.update(demo.generate(seed=seed, scale=scale, today=today, progress=progress))
                if not registry_only:
                    for module, label in STAGES:
                        progress(label)
                        counts.update(
                            {
                                f"{module.__name__.split('.')[-1]}.{k}": v
                                for k, v in module.generate(seed=seed, today=today).items()
                            }
                        )
                progress("checking foreign keys")
                check_foreign_keys()  # fast_build leaves them to the end
                progress("committing")
        except DomainError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        for key, value in counts.items():
            self.stdout.write(f"{key:>28}: {value}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data generated in {elapsed:.1f} s, {time.process_time() - cpu:.1f} s of CPU "
                f"(seed {seed}, scale {scale})."
            )
        )
