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
    p.add_argument("--objective", choices=["units", "jobs", "production"], default="jobs")
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
