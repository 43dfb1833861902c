"""How long the national demo data set (seed 1, scale 1.0) takes to generate, and how many rows a second.

    .venv/bin/python bench/bench_demo.py [--scale 1.0] [--today 2026-11-24]

Each database runs in its own child process (Django is set up once per process, for one database):
a fresh SQLite file var/bench/demo.sqlite3, then PostgreSQL when REVIVE_BENCH_PG_URL is set (for
example postgres://postgres@127.0.0.1:5432/revive_demo_bench; the database is created if missing and
its registry emptied before the timed run). The budget is 120 s for the whole nation on SQLite.
A benchmark, not a test: it prints, it does not fail.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
SQLITE_URL = "sqlite:///var/bench/demo.sqlite3"
BUDGET_S = 120.0


def child(url: str, scale: float, today: str) -> None:
    os.environ["REVIVE_DATABASE_URL"] = url
    os.environ.setdefault("REVIVE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command
    from django.db import transaction

    from revive.demo import registry as demo

    call_command("migrate", verbosity=0, interactive=False)
    if demo.registry_has_data():
        with transaction.atomic():
            demo.registry_clear()
    started = time.monotonic()
    counts = demo.generate(seed=1, scale=scale, today=date.fromisoformat(today))
    elapsed = time.monotonic() - started
    rows = sum(counts[k] for k in ("parks", "infrastructure", "units", "statuses", "filings"))
    print(json.dumps({"elapsed": elapsed, "rows": rows, "counts": counts}))


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
    counts = data["counts"]
    verdict = "within" if data["elapsed"] <= BUDGET_S or label != "SQLite" else "OVER"
    print(
        f"{label:<10} {data['elapsed']:7.1f} s  {data['rows'] / data['elapsed']:>9,.0f} rows/s  "
        f"({data['rows']:,} rows: {counts['units']:,} units, {counts['statuses']:,} statuses, "
        f"{counts['filings']:,} filings){'  ' + verdict + ' the ' + str(int(BUDGET_S)) + ' s budget' if label == 'SQLite' else ''}"
    )
    print(
        f"{'':<10} idle {counts['idle_share_pct']}% of {counts['units_active']:,} active units; "
        f"revivals {counts['revivals_by_year']}"
    )


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
