"""revive risk: the early-warning model on a folder of CSV files, or retrained on the database."""

import sys

from django.core.management.base import BaseCommand

from revive.core.errors import DomainError
from revive.insight.engine import cli


class Command(BaseCommand):
    help = (
        "Which producing units may stop within the horizon. --panel DIR: from units.csv, months.csv and "
        "interventions.csv (the engine's own options, JSON with --json). --export-panel DIR: write the "
        "database's panel. --retrain: backtest and score the database's units and store the watch list."
    )

    def run_from_argv(self, argv):
        # --panel goes straight to the engine's own command line, with its options and exit codes.
        if "--panel" in argv or any(a.startswith("--panel=") for a in argv):
            raise SystemExit(cli.run_risk(argv[2:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        parser.add_argument("--panel", metavar="DIR", help="run on this folder of CSV files")
        parser.add_argument("--horizon", type=int, default=6, help="months ahead (default 6)")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--export-panel", metavar="DIR", help="write the database's panel and stop")
        parser.add_argument("--province", help="with --export-panel: one province (ISO code, e.g. IR-20)")
        parser.add_argument(
            "--retrain", action="store_true", help="retrain on the database and store the results"
        )
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--jobs", type=int, default=2, help="with --panel: processes for the fits")

    def handle(self, *args, **o):
        if o.get("panel"):  # call_command path
            argv = ["--panel", o["panel"], "--horizon", str(o["horizon"])] + (["--json"] if o["json"] else [])
            raise SystemExit(cli.run_risk(argv))
        if o.get("export_panel"):
            code = export_panel(self, o["export_panel"], o.get("province"))
            if code:
                raise SystemExit(code)
            return
        if o.get("retrain"):
            from revive.insight.services import risk_retrain

            if not 1 <= o["horizon"] <= 24:
                self.stderr.write("error: --horizon must be 1 to 24 months")
                raise SystemExit(2)
            try:
                run = risk_retrain(by="command", horizon=o["horizon"], threads=o["threads"])
            except DomainError as e:
                self.stderr.write(f"error: {e}")
                raise SystemExit(2) from None
            b = run.backtest
            self.stdout.write(
                f"risk model as of {run.as_of}: {run.units} producing units scored, trained on "
                f"{run.train_first}..{run.train_last} ({run.train_rows} rows); backtest AUC {b.get('auc')}, "
                f"office rule {b.get('baseline_auc')}, logistic {b.get('logit_auc')}; {run.seconds} s"
            )
            return
        self.stderr.write("error: give --panel DIR, --export-panel DIR or --retrain")
        raise SystemExit(2)


def export_panel(cmd, directory: str, province: str | None) -> int:
    from revive.insight import dbpanel
    from revive.insight.engine.panel import write_panel
    from revive.registry.models import Province

    province_id = None
    if province:
        province_id = Province.objects.filter(code=province.upper()).values_list("pk", flat=True).first()
        if province_id is None:
            print(f"error: no province {province!r}", file=sys.stderr)
            return 2
    panel, _meta = dbpanel.build(province_id=province_id)
    write_panel(panel, directory)
    cmd.stdout.write(
        f"wrote {panel.n_units} units x {panel.n_months} months ({panel.label(0)} to "
        f"{panel.label(panel.n_months - 1)}) and {len(panel.iv_unit)} interventions to {directory}"
    )
    return 0
