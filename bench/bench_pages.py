"""Every page of the scope walk, timed as a national administrator and as Semnan's provincial officer on the
national demo; then the national units download (CSV and XLSX) and the monthly PDF.

    .venv/bin/python bench/bench_pages.py [--requests 7] [--only /filings/] [--no-downloads] [--demo FILE]
    REVIVE_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/revive_bench .venv/bin/python bench/bench_pages.py

SQLite: a copy of the national demo, var/revive.sqlite3 (`make demo` makes it; --demo FILE for another one),
in var/bench/pages.sqlite3, refreshed when the demo is newer; migrated, never written to otherwise (two bench
users are added).
PostgreSQL: only when REVIVE_BENCH_POSTGRES_URL is set (or --postgres, which uses the default URL below). A
database that already holds the demo is migrated and used as it is (point the URL at it to walk it again
without rebuilding). An empty one is filled from the SQLite copy with COPY (bench/sqlite_to_postgres.py,
about 2.5 minutes for the national demo) or, without a SQLite demo, generated (seed 1, scale 1.0: about 19
minutes). The default database is this benchmark's own: bench/bench_overview.py fills revive_bench with the
registry demo only (no cases, loans or meetings), and a walk of that would leave pages out; a database that
holds the registry without the rest is refused with a message, not walked.
On PostgreSQL the database server's CPU time for each page is read from /proc (the server runs on this
machine) and printed beside this process's: together they are what a page costs whatever else runs.

The pages are the ones test_scope_walk.py classifies: its list pages, and its object pages opened on one
demo record of Semnan (the biggest park, the meeting with most resolutions, ...). A page the walk knows but this
file cannot open (POST-only, another user's record) is named at the end, so nothing is skipped silently.

Server time is measured through Django's test Client (router, middleware, view, selectors, template; no
network). For each page and user: the median and p95 of --requests requests after one warm-up, and the number
of queries of one more request. A benchmark, not a test: it prints, it does not fail. The machine's load
average is printed at the end: other work on the machine shows up in the p95.
"""

import argparse
import json
import logging
import math
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEMO = PROJECT_DIR / "var" / "revive.sqlite3"
COPY = PROJECT_DIR / "var" / "bench" / "pages.sqlite3"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/revive_bench_pages"
GOAL_MS = 150.0
DOWNLOAD_GOALS_S = {
    "units CSV": 2.0,
    "units XLSX": 5.0,
    "monthly PDF": 2.0,
    "revive report": 2.0,
    "revive report, figures shared": 2.0,
}
SLOWEST = 10

# Object pages of the walk that answer a GET, and how to find their record in the demo (see object_kwargs).
# POST-only routes and records only their owner sees are listed so the closing note can tell them apart.
NOT_WALKED = {
    "unit_open_case": "POST only",
    "case_obstacle": "POST only",
    "obstacle_status": "POST only",
    "case_transition": "POST only",
    "case_visit": "POST only",
    "resolution_answer": "POST only",
    "resolution_escalate": "POST only",
    "lending_figure": "POST only",
    "lending_import": "POST only",
    "import_job_confirm": "POST only",
    "loan_step": "POST only",
    "loan_introduce": "POST only",
    "loan_decide": "POST only",
    "loan_disburse": "POST only",
    "loan_repay": "POST only",
    "scenario_run": "POST only",
    "filing_review": "POST only",
    "case_assign": "POST only",
    "holiday_remove": "POST only",
    "loan_document_add": "POST only",
    "notice_open": "POST only",
    "notices_read": "POST only",
    "plan_replan": "POST only",
    "watch_open_case": "POST only",
    "visit_photo": "a file download",
    "loan_document": "a file download",
    "filing_new": "a unit owner's page",
    "import_job": "its uploader's page",
    "import_job_status": "its uploader's page",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=7, help="timed requests per page and user (default 7)"
    )
    parser.add_argument(
        "--only", default="", help="only the pages whose path contains one of these, comma-separated"
    )
    parser.add_argument("--no-downloads", action="store_true", help="pages only: no CSV, XLSX or PDF")
    parser.add_argument(
        "--postgres", action="store_true", help=f"also PostgreSQL (default {POSTGRES_DEFAULT})"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--demo", type=Path, default=DEMO, help=f"the SQLite national demo (default {DEMO})")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(measure(args)))
        return

    postgres_url = os.environ.get("REVIVE_BENCH_POSTGRES_URL") or (POSTGRES_DEFAULT if args.postgres else "")
    results = []
    if not args.no_sqlite:
        if not args.demo.exists():
            raise SystemExit(f"{args.demo} is missing: `make demo` (or `revive demo-data --seed 1`) makes it")
        refresh_copy(args.demo)
        results.append(run_child("sqlite", f"sqlite:///{COPY}", args))
    if postgres_url:
        if (reason := postgres_unreachable(postgres_url)) is None:
            try:
                results.append(run_child("postgresql", postgres_url, args))
            except SystemExit as failed:  # SQLite's walk is still printed
                print(f"PostgreSQL not measured: {failed}", file=sys.stderr)
        else:
            print(f"PostgreSQL skipped: {reason}", file=sys.stderr)
    else:
        print("PostgreSQL not measured: set REVIVE_BENCH_POSTGRES_URL (or pass --postgres)", file=sys.stderr)
    for result in results:
        print_result(result)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


def refresh_copy(demo: Path) -> None:
    COPY.parent.mkdir(parents=True, exist_ok=True)
    if COPY.exists() and COPY.stat().st_mtime >= demo.stat().st_mtime:
        return
    print(f"copying {demo} to {COPY.relative_to(PROJECT_DIR)}", file=sys.stderr)
    for suffix in ("-wal", "-shm"):
        Path(str(COPY) + suffix).unlink(missing_ok=True)
    import sqlite3

    # The backup API copies a consistent database even while the demo server has it open.
    with sqlite3.connect(demo) as source, sqlite3.connect(COPY) as target:
        source.backup(target)


def run_child(backend: str, url: str, args) -> dict:
    env = dict(os.environ, REVIVE_DATABASE_URL=url)
    command = [sys.executable, __file__, "--child", backend, "--requests", str(args.requests)]
    command += ["--only", args.only, "--demo", str(args.demo)] + (
        ["--no-downloads"] if args.no_downloads else []
    )
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode:
        print(done.stdout, end="")
        raise SystemExit(f"the {backend} run failed (exit {done.returncode}); its error is above")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
        print(line)
    raise SystemExit(f"the {backend} run printed no result")


def postgres_unreachable(url: str) -> str | None:
    """None when the bench database answers (creating it if needed), else why not."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"created PostgreSQL database {name}", file=sys.stderr)
    except psycopg.Error as exc:
        return f"{url} does not answer ({str(exc).strip().splitlines()[0]})"
    return None


def print_result(r: dict) -> None:
    rows = sorted(r["pages"], key=lambda p: -p["p95"])
    print()
    print(
        f"{r['backend']}: {r['units']:,} units, {r['filings']:,} monthly filings; {r['requests']} requests a page"
    )
    header = f"{'page':<46}{'user':<10}{'status':>7}{'median':>10}{'p95':>10}{'cpu med':>10}{'db cpu':>9}{'queries':>9}"
    print(header)
    print("-" * len(header))
    for p in rows[:SLOWEST]:
        print(
            f"{p['path'][:45]:<46}{p['user']:<10}{p['status']:>7}{p['median']:>8.0f}ms{p['p95']:>8.0f}ms"
            f"{p['cpu']:>8.0f}ms{_db(p):>9}{p['queries']:>9}"
        )
    over = [p for p in rows if p["p95"] > GOAL_MS]
    print(
        f"{len(rows)} page visits; p95 at most {GOAL_MS:.0f} ms: "
        + (
            "every page"
            if not over
            else f"NO, {len(over)} over: " + ", ".join(f"{p['path']} ({p['user']})" for p in over)
        )
    )
    print(f"most queries on one page: {max((p['queries'] for p in rows), default=0)}")
    if failed := [f"{p['path']} ({p['user']})" for p in rows if p["status"] >= 500]:
        print("FAILED (not timed): " + ", ".join(failed))
    if r["downloads"]:
        print()
        print(
            f"{'download':<31}{'seconds':>9}{'cpu s':>7}{'db cpu s':>9}{'goal':>8}{'peak MB':>9}{'size MB':>9}"
            f"{'queries':>9}"
        )
        for d in r["downloads"]:
            goal = DOWNLOAD_GOALS_S[d["name"]]
            print(
                f"{d['name']:<31}{d['seconds']:>9.2f}{d['cpu']:>7.2f}"
                f"{'' if d.get('db_cpu') is None else format(d['db_cpu'], '.2f'):>9}"
                f"{goal:>7.0f}s{d['peak_mb']:>9.1f}{d['size_mb']:>9.1f}"
                f"{d['queries']:>9}  {'yes' if d['seconds'] <= goal else 'NO'}"
            )
    if r["not_walked"]:
        print()
        print("not walked: " + "; ".join(f"{name} ({why})" for name, why in sorted(r["not_walked"].items())))


def _db(p: dict) -> str:
    return "" if p.get("db_cpu") is None else f"{p['db_cpu']:.0f}ms"


# --- the child: one database ------------------------------------------------------------------------


def measure(args) -> dict:
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from revive.filings.models import MonthlyFiling
    from revive.registry.models import ProductionUnit

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s of pages a user may not open
    call_command("migrate", verbosity=0, interactive=False)
    ensure_demo_data(args.demo)
    users = bench_users()
    pages, not_walked = walk_pages()
    results = []
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        for path in pages[label]:
            if args.only and not any(part in path for part in args.only.split(",")):
                continue
            result = {"path": path, "user": label, **time_page(client, path, args.requests)}
            results.append(result)
            print(
                f"  {path:<45}{label:<10}{result['status']:>4}{result['median']:>8.0f} ms{result['p95']:>8.0f} ms"
                f"{result['cpu']:>8.0f} ms cpu{_db(result):>9}{result['queries']:>5} queries",
                file=sys.stderr,
            )
    downloads = [] if args.no_downloads else time_downloads(users["national"])
    return {
        "backend": os.environ["REVIVE_DATABASE_URL"].split(":", 1)[0].replace("postgres", "postgresql"),
        "units": ProductionUnit.objects.count(),
        "filings": MonthlyFiling.objects.count(),
        "requests": args.requests,
        "pages": [r for r in results if r["status"] != 404],
        "downloads": downloads,
        "not_walked": not_walked,
    }


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("REVIVE_SECRET_KEY", "bench-only-secret-key-not-for-any-server-0123456789")
    os.environ.setdefault("REVIVE_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("REVIVE_DEBUG", "0")
    import django

    django.setup()


def ensure_demo_data(sqlite_demo: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    from revive.demo import registry as demo

    if demo.registry_has_data():
        from revive.cases.models import Case
        from revive.finance.models import LoanRequest

        if not (Case.objects.exists() and LoanRequest.objects.exists()):
            raise SystemExit(
                f"{connection.settings_dict['NAME']} holds the registry demo only (bench_overview.py makes that): "
                "the walk needs the whole demo; point REVIVE_BENCH_POSTGRES_URL at an empty database"
            )
        return
    started = time.perf_counter()
    if connection.vendor == "postgresql" and sqlite_demo.exists():
        # The SQLite demo copied table by table: minutes, where generating it here takes about 19.
        print(f"postgresql: copying the national demo from {sqlite_demo}", file=sys.stderr)
        refresh_copy(sqlite_demo)  # (migrated, as the demo itself is never written to)
        env = dict(os.environ, REVIVE_DATABASE_URL=f"sqlite:///{COPY}")
        subprocess.run([sys.executable, "-m", "revive", "migrate", "--noinput"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        sys.path.insert(0, str(Path(__file__).parent))
        import sqlite_to_postgres

        sqlite_to_postgres.copy(
            str(COPY), os.environ["REVIVE_DATABASE_URL"], log=lambda line: print(line, file=sys.stderr)
        )
        return
    # The whole demo as `make demo` makes it (cases, loans, plans too), not the registry alone.
    print(f"{connection.vendor}: generating the national demo data (seed 1, scale 1.0)", file=sys.stderr)
    call_command("demo_data", seed=1, stdout=sys.stderr)
    print(f"  generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def bench_users() -> dict:
    from revive.accounts.models import User
    from revive.accounts.roles import Role
    from revive.registry.models import Province

    national = User.objects.filter(username="bench.national").first() or User.objects.create_user(
        username="bench.national", password=None, role=Role.NATIONAL_ADMIN
    )
    semnan = User.objects.filter(username="bench.semnan").first() or User.objects.create_user(
        username="bench.semnan", password=None, role=Role.PROVINCIAL_OFFICER,
        province=Province.objects.get(code="IR-20"),
    )  # fmt: skip
    return {"national": national, "semnan": semnan}


def walk_pages() -> tuple[dict[str, list[str]], dict[str, str]]:
    """The paths to time per user, and the walk's pages not timed with why."""
    from django.urls import reverse

    from revive.web.tests import test_scope_walk as walk

    objects = object_kwargs()
    paths, not_walked = [], {}
    for name in sorted(walk._web_url_names() - walk.PUBLIC):
        if name in walk.LISTS:
            paths.append(reverse(f"web:{name}"))
        elif name in objects:
            if objects[name] is None:
                not_walked[name] = "no such record in the demo"
                continue
            kwargs = dict(objects[name])
            query = kwargs.pop("_query", "")
            paths.append(reverse(f"web:{name}", kwargs=kwargs) + query)
        else:
            not_walked[name] = NOT_WALKED.get(name, "unknown to bench_pages.py: add it")
    return {"national": paths, "semnan": paths}, not_walked


def object_kwargs() -> dict:
    """One Semnan record per object page, the biggest where size matters; None when the demo has none."""
    from django.db.models import Count

    from revive.cases.models import Case, Meeting
    from revive.finance.models import LoanRequest
    from revive.planning.models import InfraProject, PlanRun
    from revive.registry.models import IndustrialPark, ProductionUnit

    semnan = {"province__code": "IR-20"}
    park = IndustrialPark.objects.filter(**semnan).annotate(n=Count("units")).order_by("-n").first()
    unit = ProductionUnit.objects.filter(**semnan).annotate(n=Count("statuses")).order_by("-n", "pk").first()
    case = Case.objects.filter(**semnan).order_by("pk").first()
    meeting = Meeting.objects.filter(**semnan).annotate(n=Count("resolutions")).order_by("-n").first()
    letter_to = meeting.resolutions.values_list("organisation_id", flat=True).first() if meeting else None
    loan = LoanRequest.objects.filter(**semnan).order_by("pk").first()
    run = PlanRun.objects.filter(**semnan).order_by("-pk").first()
    project = InfraProject.objects.filter(**semnan).order_by("pk").first()

    def pk(obj):
        return {"pk": obj.pk} if obj else None

    return {
        "province": {"code": "IR-20"},
        "park": {"code": park.code} if park else None,
        "unit": {"business_id": unit.business_id} if unit else None,
        "case": pk(case),
        "meeting": pk(meeting),
        "targets_edit": {"code": "revived_units"},
        "deadline_rules": {},
        "meeting_minutes": pk(meeting),
        "meeting_letter": {"pk": meeting.pk, "organisation_id": letter_to} if letter_to else None,
        "import_template": {"kind": "units"},
        "loan_new": {"_query": f"?unit={unit.business_id}"} if unit else None,
        "loan": pk(loan),
        "plan_run": pk(run),
        "plan_run_status": pk(run),
        "plan_compare": {"_query": f"?a={run.pk}&b={run.pk}"} if run else None,
        "infra_project": pk(project),
    }


def time_page(client, path: str, n: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response.status_code

    try:
        status = get()  # warm-up
    except Exception as exc:  # a page that fails is reported, and the walk goes on
        print(f"  {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return {"status": 500, "median": 0, "p95": 0, "cpu": 0, "db_cpu": None, "queries": 0}
    if status == 404:
        return {"status": 404, "median": 0, "p95": 0, "cpu": 0, "db_cpu": None, "queries": 0}
    times, cpu, db_cpu = [], [], 0.0
    for _ in range(n):
        started, started_cpu, started_db = time.perf_counter(), time.process_time(), db_server_cpu()
        get()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if started_db is not None and (ended_db := db_server_cpu()) is not None:
            db_cpu += ended_db - started_db
    with CaptureQueriesContext(connection) as captured:
        get()
    times.sort()
    return {
        "status": status,
        "median": statistics.median(times),
        "p95": times[max(math.ceil(0.95 * len(times)) - 1, 0)],
        # This process's CPU time (SQLite runs in it): what the page costs whatever else the machine runs.
        "cpu": statistics.median(cpu),
        # The PostgreSQL server's CPU time for the page (a mean: /proc counts in 10 ms ticks); None on SQLite.
        "db_cpu": db_cpu * 1000 / n if connection.vendor == "postgresql" else None,
        "queries": len(captured.captured_queries),
    }


def db_server_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL server process serving this connection, read from /proc
    (the bench's server runs on this machine); None on SQLite or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def time_downloads(user) -> list[dict]:
    """The national units list as CSV and XLSX through the page, and the monthly PDF as `revive report` makes it."""
    from django.core.cache import cache, caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from revive.core import calendar
    from revive.core.cache import SHARED
    from revive.core.scoping import NATION
    from revive.indicators import reports

    client = Client()
    client.force_login(user)

    def page(path):
        def download():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if getattr(response, "streaming", False):
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        return download

    year, month = calendar.add_months(calendar.month_of(calendar.tehran_today()), -1)

    def cold():
        """The figures cold in both levels (core/cache.py), as for the first reader after a write."""
        cache.clear()
        caches[SHARED].clear()

    def pdf():
        cold()
        with translation.override("fa"):
            data = reports.report_data(scope=NATION, year=year, month=month)
            return len(reports.render_pdf(data))

    def command(*, figures_shared: bool):
        """The same PDF from a fresh process, as `revive report` makes it (Django's start-up included), with
        the figures cold or as another process left them in the shared cache (figures_shared)."""

        def run():
            if not figures_shared:
                cold()
            out = COPY.parent / "report.pdf"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "revive",
                    "report",
                    "--month",
                    f"{year}/{month:02d}",
                    "--out",
                    str(out),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            return out.stat().st_size

        return run

    done = []
    for name, call in (
        ("units CSV", page("/units/?export=csv")),
        ("units XLSX", page("/units/?export=xlsx")),
        ("monthly PDF", pdf),
        ("revive report", command(figures_shared=False)),
        ("revive report, figures shared", command(figures_shared=True)),
    ):
        try:
            call()  # warm-up (fonts, templates, the database's cache)
        except Exception as exc:  # a benchmark reports what it could not measure and goes on
            print(f"{name}: failed ({exc})", file=sys.stderr)
            continue
        started, started_cpu, started_db = time.perf_counter(), _cpu(), db_server_cpu()
        call()
        seconds, cpu, ended_db = time.perf_counter() - started, _cpu() - started_cpu, db_server_cpu()
        # (`revive report` runs in its own process: its server time is not this connection's)
        db_cpu = (
            ended_db - started_db
            if None not in (started_db, ended_db) and not name.startswith("revive report")
            else None
        )
        # Peak Python memory in a separate, untimed run: tracemalloc slows everything down.
        tracemalloc.start()
        with CaptureQueriesContext(connection) as captured:
            size = call()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        done.append({"name": name, "seconds": seconds, "cpu": cpu, "db_cpu": db_cpu, "peak_mb": peak / 2**20,
                     "size_mb": size / 2**20, "queries": len(captured.captured_queries)})  # fmt: skip
    return done


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (`revive report`)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


if __name__ == "__main__":
    main()
