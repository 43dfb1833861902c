"""How long the national demo takes to build (seed 1, scale 1.0): `revive demo-data`, `revive demo` and
`revive demo-notices`, as `make demo` runs them, each step's time and CPU time.

    .venv/bin/python bench/bench_demo.py [--scale 1.0] [--today 2026-11-24]

Each database runs in its own child process (Django is set up once per process, for one database):
a fresh SQLite file var/bench/demo.sqlite3, then PostgreSQL when REVIVE_BENCH_PG_URL is set (for
example postgres://postgres@127.0.0.1:5432/revive_demo_bench; the database is created if missing and
its demo data cleared before the timed run). The goal is 60 s for the whole nation on SQLite (issue 15).
On a busy machine the time says little: the CPU time (this process's) is printed beside it, and the
load average; then demo-data's phases as its progress lines time them (parks and units, filings, their
indexes, cases, finance...). A benchmark, not a test: it prints, it does not fail.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
SQLITE_URL = "sqlite:///var/bench/demo.sqlite3"
BUDGET_S = 60.0
PROGRESS = re.compile(r"^\s*([\d.]+)s\s+([\d.]+)s cpu  (.+)$")  # demo-data's "  12.3s  10.1s cpu  what"
DONE = re.compile(r"generated in ([\d.]+) s, ([\d.]+) s of CPU")


def phases(output: str) -> list[tuple[str, float, float]]:
    """demo-data's progress lines as (phase, seconds, CPU seconds): each lasts until the next one starts,
    the last until the end the command prints."""
    marks = [(m[3], float(m[1]), float(m[2])) for m in map(PROGRESS.match, output.splitlines()) if m]
    end = DONE.search(output)
    if end:
        marks.append(("", float(end[1]), float(end[2])))
    return [
        (label, wall_next - wall, cpu_next - cpu)
        for (label, wall, cpu), (_next, wall_next, cpu_next) in zip(marks, marks[1:], strict=False)
    ]


def child(url: str, scale: float, today: str) -> None:
    os.environ["REVIVE_DATABASE_URL"] = url
    os.environ.setdefault("REVIVE_DEBUG", "1")
    os.environ.setdefault("REVIVE_DEMO_PASSWORD", "bench-demo-password")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    from revive.demo import registry as demo
    from revive.demo.management.commands.demo_data import _clear_domain_data

    call_command("migrate", verbosity=0, interactive=False)
    if demo.registry_has_data():
        with transaction.atomic():
            _clear_domain_data()
            demo.registry_clear()
    steps = {}
    for name, args in (
        ("demo-data", ["demo_data", "--seed", "1", "--scale", str(scale), "--today", today]),
        ("demo", ["demo"]),
        ("demo-notices", ["demo_notices"]),
    ):
        started, cpu, out = time.monotonic(), time.process_time(), StringIO()
        call_command(*args, stdout=out)
        steps[name] = {"elapsed": time.monotonic() - started, "cpu": time.process_time() - cpu}
        if name == "demo-data":
            steps[name]["phases"] = phases(out.getvalue())
    print(json.dumps({"steps": steps, "load": os.getloadavg()}))


def ensure_postgres_database(url: str) -> None:
    from urllib.parse import unquote, urlsplit

    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname or "",
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(label: str, url: str, scale: float, today: str) -> None:
    result = subprocess.run(
        [sys.executable, __file__, "--child", url, "--scale", str(scale), "--today", today],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(f"{label}: failed\n{result.stderr[-3000:]}")
        return
    data = json.loads(result.stdout.strip().splitlines()[-1])
    steps = data["steps"]
    total = sum(step["elapsed"] for step in steps.values())
    cpu = sum(step["cpu"] for step in steps.values())
    parts = ", ".join(
        f"{name} {step['elapsed']:.1f} s ({step['cpu']:.1f} s CPU)" for name, step in steps.items()
    )
    verdict = ""
    if label == "SQLite":
        verdict = f"  {'within' if total <= BUDGET_S else 'OVER'} the {BUDGET_S:.0f} s goal"
    print(f"{label:<10} {total:7.1f} s, {cpu:.1f} s CPU{verdict}: {parts}")
    print(f"{'':<10} load average during the run: {', '.join(f'{x:.1f}' for x in data['load'])}")
    for label, elapsed, cpu in steps["demo-data"].get("phases", []):
        print(f"{'':<10} {elapsed:6.1f} s {cpu:6.1f} s CPU  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--today", default="2026-11-24")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.scale, args.today)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (BENCH_DIR / f"demo.sqlite3{suffix}").unlink(missing_ok=True)
    print(f"national demo data, seed 1, scale {args.scale}, today {args.today}")
    run("SQLite", SQLITE_URL, args.scale, args.today)
    pg_url = os.environ.get("REVIVE_BENCH_PG_URL")
    if pg_url:
        ensure_postgres_database(pg_url)
        run("PostgreSQL", pg_url, args.scale, args.today)
    else:
        print("PostgreSQL: skipped (set REVIVE_BENCH_PG_URL to measure it)")


if __name__ == "__main__":
    main()
