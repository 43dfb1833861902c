"""Benchmark of the year plan (issue 19): generated provincial, larger and national instances, 12 months.

For each instance: the proven gap and the time against the goal, the objective (job-months) and the two
baselines computed in the same run with the same time (greedy by month, HiGHS alone on the same model).
Every schedule is checked by the tests' independent checker.

Run: .venv/bin/python bench/bench_schedule.py [--only provincial,larger,national] [--seeds 0,1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from revive.planning.engine.generate import schedule_instance  # noqa: E402
from revive.planning.engine.schedule import solve_schedule  # noqa: E402
from revive.planning.tests.schedule_checker import check_schedule  # noqa: E402

# name: (units, projects, banks, provinces, time limit s, goal gap)
SIZES = {
    "provincial": (400, 150, 6, 1, 30.0, 0.0025),
    "larger": (2000, 600, 15, 8, 120.0, 0.005),
    "national": (9000, 3000, 15, 31, 300.0, 0.005),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="provincial,larger,national")
    ap.add_argument("--seeds", default="0")
    ap.add_argument(
        "--scale-time", type=float, default=1.0, help="multiply every time limit (e.g. 0.2 to try)"
    )
    args = ap.parse_args()
    print("Year plan (12 months, objective job-months): goal = proven gap within the time limit")
    print(
        f"{'instance':>10} {'seed':>4} {'units':>6} {'proj':>5} {'limit s':>7} {'seconds':>7} {'gap %':>7} "
        f"{'goal %':>6} {'met':>4} {'objective':>10} {'bound':>10} {'greedy/mo':>10} {'HiGHS':>10} {'status':>10}"
    )
    for name in args.only.split(","):
        n_units, n_projects, banks, provinces, limit, goal = SIZES[name]
        limit *= args.scale_time
        for seed in (int(s) for s in args.seeds.split(",")):
            inst, periods = schedule_instance(
                seed=seed, n_units=n_units, n_projects=n_projects, banks=banks, provinces=provinces
            )
            t0 = time.monotonic()
            s = solve_schedule(inst, periods, time_limit=limit)
            wall = time.monotonic() - t0
            errors, value = check_schedule(inst, periods.loan, periods.infra, s.as_json()["schedule"])
            assert not errors, errors[:3]
            assert abs(value - s.objective) <= 1e-6 * max(1.0, value)
            assert s.objective >= max(s.baselines.values()) - 1e-6, "worse than a baseline"
            met = "yes" if s.gap <= goal and wall <= limit * 1.05 else "no"
            print(
                f"{name:>10} {seed:>4} {len(inst.units):>6} {len(inst.projects):>5} {limit:>7.0f} {wall:>7.1f} "
                f"{100 * s.gap:>7.3f} {100 * goal:>6.2f} {met:>4} {s.objective:>10.0f} {s.bound:>10.0f} "
                f"{s.baselines['greedy_by_month']:>10.0f} {s.baselines.get('highs_alone', 0):>10.0f} {s.status:>10}",
                flush=True,
            )


if __name__ == "__main__":
    main()
