"""revive attribute: what each kind of intervention really does, from CSV files or the database."""

from django.core.management.base import BaseCommand

from revive.core.errors import DomainError
from revive.insight.engine import cli
from revive.insight.management.commands.risk import export_panel


class Command(BaseCommand):
    help = (
        "Staggered difference-in-differences (Callaway and Sant'Anna, not-yet-treated controls) per kind of "
        "intervention. --panel DIR: from units.csv, months.csv, interventions.csv (JSON with --json). "
        "--export-panel DIR: write the database's panel. --retrain: estimate on the database and store."
    )

    def run_from_argv(self, argv):
        if "--panel" in argv or any(a.startswith("--panel=") for a in argv):
            raise SystemExit(cli.run_attribute(argv[2:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        parser.add_argument("--panel", metavar="DIR", help="run on this folder of CSV files")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--jobs", type=int, default=2, help="with --panel: processes for the estimates")
        parser.add_argument("--export-panel", metavar="DIR", help="write the database's panel and stop")
        parser.add_argument("--province", help="with --export-panel: one province (ISO code, e.g. IR-20)")
        parser.add_argument(
            "--retrain", action="store_true", help="estimate on the database and store the results"
        )

    def handle(self, *args, **o):
        if o.get("panel"):
            raise SystemExit(cli.run_attribute(["--panel", o["panel"]] + (["--json"] if o["json"] else [])))
        if o.get("export_panel"):
            code = export_panel(self, o["export_panel"], o.get("province"))
            if code:
                raise SystemExit(code)
            return
        if o.get("retrain"):
            from revive.insight.services import attribution_retrain

            try:
                run = attribution_retrain(by="command")
            except DomainError as e:
                self.stderr.write(f"error: {e}")
                raise SystemExit(2) from None
            for e in run.effects.filter(province__isnull=True):
                self.stdout.write(
                    f"{e.kind}: {e.att_producing} [{e.ci_low}, {e.ci_high}], {e.units_treated} treated, "
                    f"pre-trends {'ok' if e.pretrend_ok else 'fail' if e.pretrend_ok is False else '-'} {e.note}"
                )
            self.stdout.write(f"{run.seconds} s")
            return
        self.stderr.write("error: give --panel DIR, --export-panel DIR or --retrain")
        raise SystemExit(2)
