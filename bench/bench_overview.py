"""How long the national overview takes to serve, against the floor of the one aggregate behind its headline;
and the targets dashboard, cold and warm.

    .venv/bin/python bench/bench_overview.py [--requests 50] [--cold-requests 10] [--no-postgres] [--queries]

Each database runs in its own child process (Django is set up once per process, for one database):
SQLite in var/bench/overview.sqlite3, then PostgreSQL at REVIVE_BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/revive_bench) when it answers; the database is created if missing.
The national demo data (seed 1, scale 1.0) is generated once per database and reused after that.

The dashboard's figures are cached until the next write (core/cache.py), so it is timed three ways:
cold (the cache cleared before each request, as after a restart), after a write (an audit row added
in a transaction rolled back after the request: what the first visitor after any edit waits for; the
figures that read only past years keep their cache) and warm (cached).

Server time is measured through Django's test Client: the URL router, the middleware, the view, the
selectors, the template; no network and no WSGI server. A benchmark, not a test: it prints, it does not fail.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "var" / "bench"
SQLITE_URL = "sqlite:///var/bench/overview.sqlite3"
POSTGRES_URL = os.environ.get("REVIVE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/revive_bench")
BUDGET_MS = 300.0
WARMUP = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per URL (default 50)")
    parser.add_argument(
        "--cold-requests", type=int, default=10, help="timed cold dashboard requests per way (default 10)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one overview, slowest first")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure(args.child, args.requests, args.queries, args.cold_requests)
        print("RESULT " + json.dumps(result))
        return

    results = [run_child("sqlite", args)]
    if args.no_postgres:
        pass
    elif (reason := postgres_unreachable()) is None:
        results.append(run_child("postgresql", args))
    else:
        print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
    print_table(results)
    # Other work on the machine shows up in the p95: say how busy it was.
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


# --- the parent: one child per database, then the table ---------------------------------------------


def run_child(backend: str, args) -> dict:
    env = dict(os.environ)
    env["REVIVE_DATABASE_URL"] = SQLITE_URL if backend == "sqlite" else POSTGRES_URL
    command = [sys.executable, __file__, "--child", backend, "--requests", str(args.requests)]
    command += ["--cold-requests", str(args.cold_requests)]
    if args.queries:
        command.append("--queries")
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode:
        print(done.stdout, end="")
        raise SystemExit(f"the {backend} run failed (exit {done.returncode}); its error is above")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
        print(line)
    raise SystemExit(f"the {backend} run printed no result")


def postgres_unreachable() -> str | None:
    """None when the bench database answers (creating it if needed), else why not."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"created PostgreSQL database {name}", file=sys.stderr)
    except psycopg.Error as exc:
        return f"{POSTGRES_URL} does not answer ({str(exc).strip().splitlines()[0]})"
    return None


def print_table(results: list[dict]) -> None:
    header = (
        f"{'database':<11}{'units':>8}{'statuses':>10} | {'overview med':>12}{'p95':>8} | "
        f"{'floor med':>10}{'p95/floor':>10} | {'api med':>8}{'p95':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['backend']:<11}{r['units']:>8}{r['statuses']:>10} | {r['overview']['median']:>10.1f}ms"
            f"{r['overview']['p95']:>6.1f}ms | {r['floor']['median']:>8.2f}ms{r['ratio']:>9.0f}x | "
            f"{r['api']['median']:>6.1f}ms{r['api']['p95']:>6.1f}ms"
        )
    print()
    verdicts = ", ".join(
        f"{r['backend']} {r['overview']['p95']:.0f} ms ({'yes' if r['overview']['p95'] < BUDGET_MS else 'NO'})"
        for r in results
    )
    every = all(r["overview"]["p95"] < BUDGET_MS for r in results)
    print(f"overview p95 < {BUDGET_MS:.0f} ms: {'yes' if every else 'NO'} — {verdicts}")
    print()
    header = (
        f"{'database':<11}| {'dashboard cold med':>18}{'p95':>8} | {'after a write med':>17}{'p95':>8} | "
        f"{'warm med':>9}{'p95':>8} | {'cold/warm':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        d = r["dashboard"]
        print(
            f"{r['backend']:<11}| {d['cold']['median']:>16.0f}ms{d['cold']['p95']:>6.0f}ms | "
            f"{d['after_write']['median']:>15.0f}ms{d['after_write']['p95']:>6.0f}ms | "
            f"{d['warm']['median']:>7.1f}ms{d['warm']['p95']:>6.1f}ms | {d['ratio']:>8.0f}x"
        )


# --- the child: one database ------------------------------------------------------------------------


def measure(backend: str, n: int, show_queries: bool, n_cold: int) -> dict:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Sum
    from django.test import Client

    from revive.core import calendar
    from revive.registry.models import ProductionUnit, UnitStatus

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    today = calendar.tehran_today()
    ensure_demo_data(backend, today)

    client = Client()
    client.force_login(national_admin())
    overview = time_requests(client, "/overview/", n)
    api = time_requests(client, "/api/v1/kpis/revivals", n)

    period = calendar.year_to_date(calendar.current_jalali_year(today), today)
    headline = UnitStatus.objects.filter(
        event=UnitStatus.Event.REVIVED, effective_date__gte=period.start, effective_date__lte=period.end
    )

    def floor_query():
        return headline.aggregate(n=Count("id"), jobs=Sum("jobs"))

    floor = time_calls(floor_query, n)
    dashboard = time_dashboard(client, n, n_cold)
    if show_queries or overview["p95"] >= BUDGET_MS:
        print_queries(client, connection)
    return {
        "backend": backend,
        "units": ProductionUnit.objects.count(),
        "statuses": UnitStatus.objects.count(),
        "headline": floor_query(),
        "overview": overview,
        "floor": floor,
        "ratio": overview["p95"] / floor["median"] if floor["median"] else float("nan"),
        "api": api,
        "dashboard": dashboard,
    }


def setup_django() -> None:
    # The database URL is in the environment before Django reads its settings; the rest as in production.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("REVIVE_SECRET_KEY", "bench-only-secret-key-not-for-any-server-0123456789")
    os.environ.setdefault("REVIVE_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("REVIVE_DEBUG", "0")
    import django

    django.setup()


def ensure_demo_data(backend: str, today) -> None:
    from django.db import connection

    try:
        from revive.demo import registry as demo
    except ImportError as exc:
        raise SystemExit(
            f"revive.demo.registry is missing ({exc}); the bench needs the demo generator"
        ) from exc
    if demo.registry_has_data():
        return
    print(f"{backend}: generating the national demo data (seed 1, scale 1.0)", file=sys.stderr)
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"  {time.perf_counter() - started:6.0f} s  {message}", file=sys.stderr)

    counts = demo.generate(seed=1, scale=1.0, today=today, progress=progress)
    print(f"  {counts}", file=sys.stderr)
    if connection.vendor == "postgresql":
        # What autovacuum does to freshly loaded tables soon after: statistics for the planner, and the
        # visibility map that lets counts come from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{backend}: generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def national_admin():
    from revive.accounts.models import User
    from revive.accounts.roles import Role

    user = User.objects.filter(username="bench.national").first()
    if user is None:
        user = User.objects.create_user(username="bench.national", password=None, role=Role.NATIONAL_ADMIN)
    return user


def time_requests(client, url: str, n: int) -> dict:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    return time_calls(get, n)


def time_calls(call, n: int, warmup: int = WARMUP) -> dict:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(math.ceil(0.95 * len(times)) - 1, 0)],
        "max": times[-1],
    }


def time_dashboard(client, n: int, n_cold: int) -> dict:
    """The targets dashboard: cold (cache cleared), after a write (rolled back) and warm; medians in ms."""
    from django.core.cache import cache
    from django.db import transaction

    from revive.core import audit

    url = "/dashboard/"

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    def cold():
        cache.clear()
        get()

    def after_write():
        # The same connection serves the request, so it sees the audit row; nothing is kept.
        with transaction.atomic():
            audit.record(actor=None, obj=None, action="bench", object_type="bench", object_id="dashboard")
            get()
            transaction.set_rollback(True)

    cold_times = time_calls(cold, n_cold, warmup=1)
    cache.clear()
    get()  # the past figures cached once, as on a server that has served the page today
    written = time_calls(after_write, n_cold, warmup=1)
    warm = time_calls(get, n)
    return {
        "cold": cold_times,
        "after_write": written,
        "warm": warm,
        "ratio": cold_times["median"] / warm["median"] if warm["median"] else float("nan"),
    }


def print_queries(client, connection) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/overview/")
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"{connection.vendor}: one overview, {len(queries)} queries, {total:.1f} ms in the database")
    for q in queries[:8]:
        print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:220]}")


if __name__ == "__main__":
    main()
