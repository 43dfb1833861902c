"""Command line of the planning engine: plan from a folder of CSV files, print a summary or JSON."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from .io import InstanceError, load_instance
from .model import Instance
from .solver import solve


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="revive plan", description="Choose the units to revive within the budgets."
    )
    p.add_argument(
        "--instance",
        required=True,
        metavar="DIR",
        help="folder with units.csv, projects.csv, requirements.csv",
    )
    p.add_argument("--budget", type=int, help="one budget over loans and projects together, in rials")
    p.add_argument("--loan-budget", type=int, help="budget for loans, in rials")
    p.add_argument("--infra-budget", type=int, help="budget for infrastructure projects, in rials")
    p.add_argument(
        "--months",
        type=int,
        metavar="N",
        help="plan month by month over N months, with the money released each month in periods.csv",
    )
    p.add_argument(
        "--objective",
        choices=["units", "jobs", "production", "job-months"],
        help="jobs (default), units or production; with --months: job-months (default), units or jobs",
    )
    p.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    return p


def _with_objective(instance: Instance, objective: str) -> Instance:
    if objective != "units":
        return instance
    units = [dataclasses.replace(u, value=1.0) for u in instance.units]
    return dataclasses.replace(instance, units=units)


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        instance = load_instance(
            args.instance, budget=args.budget, loan_budget=args.loan_budget, infra_budget=args.infra_budget
        )
    except InstanceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.time_limit <= 0:
        print("error: --time-limit must be above zero", file=sys.stderr)
        return 2
    if args.months is not None:
        return _run_schedule(args, instance)
    args.objective = args.objective or "jobs"
    if args.objective not in ("units", "jobs", "production"):
        print("error: --objective job-months needs --months", file=sys.stderr)
        return 2
    plan = solve(
        _with_objective(instance, args.objective),
        time_limit=args.time_limit,
        seed=args.seed,
        threads=args.threads,
    )
    if args.json:
        print(json.dumps(dataclasses.asdict(plan), indent=1))
        return 0
    word = {"units": "units", "jobs": "jobs", "production": "of production"}[args.objective]
    best_rule, best_value = max(plan.baselines.items(), key=lambda kv: kv[1], default=("none", 0.0))
    print(
        f"The plan revives {len(plan.selected_units)} units ({plan.objective:,.0f} {word}) "
        f"and builds {len(plan.selected_projects)} projects; the best simple rule ({best_rule}) gets "
        f"{best_value:,.0f} {word}; proven within {100 * plan.gap:.2f}% of the best possible "
        f"({plan.status}, {plan.seconds:.1f} s)."
    )
    if plan.message:
        print(f"Note: {plan.message}.")
    return 0


def _run_schedule(args, instance: Instance) -> int:
    from .io import load_periods
    from .schedule import OBJECTIVES, solve_schedule

    objective = args.objective or "job-months"
    if objective not in OBJECTIVES:
        print(f"error: with --months the objective is one of {', '.join(OBJECTIVES)}", file=sys.stderr)
        return 2
    try:
        periods = load_periods(args.instance, args.months)
        schedule = solve_schedule(
            instance,
            periods,
            objective=objective,
            time_limit=args.time_limit,
            seed=args.seed,
            threads=args.threads,
        )
    except InstanceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(schedule.as_json(), indent=1))
        return 0
    word = {"job-months": "job-months", "units": "units", "jobs": "jobs"}[objective]
    by_month: dict[int, int] = {}
    for u in schedule.units:
        by_month[u["month"]] = by_month.get(u["month"], 0) + 1
    print(
        f"The plan revives {len(schedule.units)} units over {args.months} months ({schedule.objective:,.0f} {word}) "
        f"and starts {len(schedule.projects)} projects; proven within {100 * schedule.gap:.2f}% of the best "
        f"possible ({schedule.status}, {schedule.seconds:.1f} s)."
    )
    print(
        "Units revived by month: "
        + ", ".join(f"{m}: {by_month.get(m, 0)}" for m in range(1, args.months + 1))
    )
    print("Baselines: " + ", ".join(f"{k.replace('_', ' ')} {v:,.0f}" for k, v in schedule.baselines.items()))
    if schedule.message:
        print(f"Note: {schedule.message}.")
    return 0
