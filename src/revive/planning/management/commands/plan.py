"""revive plan: choose the units to revive within the budgets, from a folder of CSV files or the database."""

import dataclasses
import json
import sys

from django.core.management.base import BaseCommand
from django.utils import translation

from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.planning import yearplan
from revive.planning.engine import cli
from revive.planning.engine.io import write_instance, write_periods
from revive.planning.engine.solver import solve
from revive.planning.instance import OBJECTIVES, build_instance
from revive.registry.models import Province


class Command(BaseCommand):
    help = (
        "Plan which loans and park projects revive the most units or jobs. With --instance DIR, plan from "
        "units.csv, projects.csv and requirements.csv (the engine's options); without it, from the open cases "
        "of the nation or --province. --export-instance DIR writes the database's instance as CSV files."
    )

    def run_from_argv(self, argv):
        # --instance goes straight to the engine's own command line, with its options and exit codes.
        if "--instance" in argv or any(a.startswith("--instance=") for a in argv):
            raise SystemExit(cli.run(argv[2:]))
        super().run_from_argv(argv)

    def add_arguments(self, parser):
        parser.add_argument(
            "--instance", metavar="DIR", help="plan from this folder of CSV files (see the engine)"
        )
        parser.add_argument(
            "--budget", type=int, help="with --instance: one cap on loans and projects, rials"
        )
        parser.add_argument("--loan-budget", type=int, help="with --instance: budget for loans, rials")
        parser.add_argument("--infra-budget", type=int, help="with --instance: budget for projects, rials")
        parser.add_argument("--province", help="ISO code, e.g. IR-20 (default: the nation)")
        parser.add_argument("--year", type=int, help="Iranian year (default: the current one)")
        parser.add_argument("--objective", choices=OBJECTIVES, default="jobs")
        parser.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
        parser.add_argument("--json", action="store_true", help="print the plan as JSON")
        parser.add_argument(
            "--export-instance", metavar="DIR", help="write the instance as CSV files and stop"
        )

    def handle(self, *args, **o):
        if o.get("instance"):  # call_command(...) path; the shell goes through run_from_argv
            argv = [
                "--instance",
                o["instance"],
                "--objective",
                o["objective"],
                "--time-limit",
                str(o["time_limit"]),
            ]
            for name in ("budget", "loan_budget", "infra_budget"):
                if o.get(name) is not None:
                    argv += ["--" + name.replace("_", "-"), str(o[name])]
            raise SystemExit(cli.run(argv + (["--json"] if o["json"] else [])))
        with translation.override("en"):
            code = self._from_database(o)
        if code:
            raise SystemExit(code)

    def _fail(self, message) -> int:
        self.stderr.write(f"error: {message}")
        return 2

    def _from_database(self, o) -> int:
        if o["time_limit"] <= 0:
            return self._fail("--time-limit must be above zero")
        province = None
        if o.get("province"):
            province = Province.objects.filter(code=o["province"].upper()).first()
            if province is None:
                return self._fail(f"unknown province {o['province']!r} (use an ISO code such as IR-20)")
        year = o.get("year") or calendar.current_jalali_year(calendar.tehran_today())
        try:
            instance, context = build_instance(
                scope=NATION, province=province, year=year, objective=o["objective"]
            )
        except DomainError as exc:
            return self._fail(str(exc.message))
        if o.get("export_instance"):
            write_instance(instance, o["export_instance"])
            first, months = yearplan.plan_months(year, calendar.tehran_today())
            periods = yearplan.periods_for(
                instance, first_month=first, months=months, province=province.code if province else None
            )
            write_periods(periods, o["export_instance"])
            self.stdout.write(
                f"Wrote {len(instance.units)} units and {len(instance.projects)} projects to {o['export_instance']}, "
                f"with the money released in each of the {months} months left (periods.csv: --months {months})."
            )
            return 0
        plan = solve(instance, time_limit=o["time_limit"])
        if o["json"]:
            data = dataclasses.asdict(plan)
            data.update(
                scope=context["scope"],
                year=year,
                months_left=context["months_left"],
                excluded=context["excluded"],
            )
            self.stdout.write(json.dumps(data, indent=1))
            return 0
        word = {"units": "units", "jobs": "jobs", "production": "billion rials of production"}[o["objective"]]
        best_rule, best_value = max(plan.baselines.items(), key=lambda kv: kv[1], default=("none", 0.0))
        self.stdout.write(
            f"{context['scope']} {year}: {len(instance.units)} candidate units, {len(instance.projects)} projects, "
            f"{context['months_left']} months left in the year."
        )
        self.stdout.write(
            f"The plan revives {len(plan.selected_units)} units ({plan.objective:,.0f} {word}) "
            f"and builds {len(plan.selected_projects)} projects; the best simple rule ({best_rule}) gets "
            f"{best_value:,.0f} {word}; proven within {100 * plan.gap:.2f}% of the best possible "
            f"({plan.status}, {plan.seconds:.1f} s)."
        )
        if plan.message:
            self.stdout.write(f"Note: {plan.message}.")
        sys.stdout.flush()
        return 0
