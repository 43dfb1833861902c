"""Benchmark of the planning engine: national-like instance, dense generated instances, SUKP Set I.

Run: .venv/bin/python bench/bench_planning.py [--quick] [--only national,dense,sukp]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from revive.planning.engine.generate import dense_instance, national_like_instance  # noqa: E402
from revive.planning.engine.io import load_sukp  # noqa: E402
from revive.planning.engine.solver import check_plan, solve  # noqa: E402

SUKP = ROOT.parent / "shared" / "benchmarks" / "sukp"


def cbest_table() -> dict[str, int]:
    text = (SUKP / "README.md").read_text()
    return {m[1]: int(m[2]) for m in re.finditer(r"^\| (n[\d_.]+) \| \d+ \| \d+ \| (\d+)", text, re.M)}


def national(limit: float) -> None:
    inst = national_like_instance(seed=0)
    print(
        f"\nNational-like instance: {len(inst.units)} units, {len(inst.projects)} projects, time limit {limit:.0f} s"
    )
    print(
        f"{'target gap':>10} {'status':>10} {'seconds':>8} {'gap %':>7} {'objective':>10} {'best rule':>10} {'ratio':>6}"
    )
    for target in (0.005, 0.001):
        plan = solve(inst, time_limit=limit, mip_gap=target, threads=1)
        assert not check_plan(inst, plan)
        rule = max(plan.baselines.values())
        print(
            f"{100 * target:>9.1f}% {plan.status:>10} {plan.seconds:>8.2f} {100 * plan.gap:>7.3f} "
            f"{plan.objective:>10.0f} {rule:>10.0f} {plan.objective / rule:>6.3f}"
        )


def dense(limits: list[float], seeds: list[int]) -> None:
    print("\nDense generated instances: 2,000 units x 600 projects, 1-10 projects per unit")
    print(
        f"{'seed':>4} {'limit s':>7} {'status':>10} {'gap %':>7} {'objective':>10} {'bound':>10} {'best rule':>10} {'ratio':>6}"
    )
    for seed in seeds:
        inst = dense_instance(2000, 600, max_projects_per_unit=10, seed=seed)
        for limit in limits:
            plan = solve(inst, time_limit=limit, threads=1)
            assert not check_plan(inst, plan)
            rule = max(plan.baselines.values())
            print(
                f"{seed:>4} {limit:>7.0f} {plan.status:>10} {100 * plan.gap:>7.2f} {plan.objective:>10.0f} "
                f"{plan.bound:>10.0f} {rule:>10.0f} {plan.objective / rule:>6.3f}"
            )


def sukp(limit: float) -> None:
    table = cbest_table()
    print(f"\nSUKP Set I, {len(table)} instances, {limit:.0f} s each (share of the best known value Cbest)")
    print(
        f"{'instance':<20} {'Cbest':>6} {'found':>6} {'share %':>8} {'greedy %':>8} {'gap %':>7} {'seconds':>7}"
    )
    shares = []
    for name, cbest in table.items():
        inst = load_sukp(SUKP / "setI" / f"{name}.sukp")
        plan = solve(inst, time_limit=limit, threads=1)
        assert not check_plan(inst, plan)
        shares.append(plan.objective / cbest)
        print(
            f"{name:<20} {cbest:>6} {plan.objective:>6.0f} {100 * shares[-1]:>8.2f} "
            f"{100 * plan.baselines['greedy'] / cbest:>8.2f} {100 * plan.gap:>7.2f} {plan.seconds:>7.1f}",
            flush=True,
        )
    print(
        f"SUKP at {limit:.0f} s: mean {100 * statistics.mean(shares):.2f}%, worst {100 * min(shares):.2f}% of Cbest"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="short limits: a few minutes in all")
    parser.add_argument("--only", default="national,dense,sukp")
    parser.add_argument("--sukp-limit", type=float)
    args = parser.parse_args()
    parts = set(args.only.split(","))
    t0 = time.monotonic()
    if "national" in parts:
        national(10.0)
    if "dense" in parts:
        dense([10.0] if args.quick else [30.0, 120.0], [0] if args.quick else [0, 1])
    if "sukp" in parts:
        if SUKP.is_dir():
            sukp(args.sukp_limit or (5.0 if args.quick else 60.0))
        else:
            print(f"\nSUKP skipped: {SUKP} not found")
    print(f"\nTotal {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
