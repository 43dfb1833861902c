"""Load test: 50 simulated users against Revive under gunicorn (2 workers) on PostgreSQL, on loopback only.

    .venv/bin/python bench/load.py [--seconds 120] [--users 50] [--think 1.0] [--restart-postgres]

The scratch database (REVIVE_LOAD_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/revive_load) is
created, migrated and filled with the demo data at scale 0.2 once (`revive demo-data --seed 1 --scale 0.2`)
and reused after that. Each run resets the demo users' password, makes an API token and makes sure each
simulated user has an open case of its own to edit (so edits never collide on a version number).

Each simulated user signs in, then loops until time is up: the overview, unit lists, a case page and an
obstacle added to its case (a POST with the CSRF token), and API reads with a bearer token; between two
requests it waits a random think time (mean --think seconds). Everything is bounded: at most 200 users
and 10 minutes, and gunicorn is stopped at the end whatever happens.

--restart-postgres restarts PostgreSQL in the middle of the run; requests are then counted before,
during and after the outage, and every failure must be "clean": a 503 page or 503 JSON, never a 500
or a dropped connection. A benchmark, not a test: it prints, it does not fail.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOAD_DIR = PROJECT_DIR / "var" / "load"
POSTGRES_URL = os.environ.get("REVIVE_LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/revive_load")
HOST = "127.0.0.1"  # loopback only, never anything else
PASSWORD = "load-test-password-0123"
ACCOUNTS = ["admin", "officer.tehran", "officer.semnan", "officer.isfahan"]
PROVINCE_OF = {"officer.tehran": "IR-23", "officer.semnan": "IR-20", "officer.isfahan": "IR-10"}
MAX_USERS, MAX_SECONDS = 200, 600
OBSTACLE_KINDS = ["market", "raw_materials", "machinery", "permit", "management", "working_capital"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="how long the users run (default 120)")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL halfway")
    parser.add_argument("--setup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_child:
        print("RESULT " + json.dumps(setup_child(args.users)))
        return
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.seconds <= MAX_SECONDS:
        raise SystemExit(f"--users must be 1-{MAX_USERS} and --seconds 1-{MAX_SECONDS}")
    if urlsplit(POSTGRES_URL).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load database must be on this machine (loopback only)")

    env = server_env()
    plan = prepare_database(env, args.users)
    port = free_port()
    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOAD_DIR / "gunicorn.log"
    server = None
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server = start_gunicorn(env, port, args.workers, log_path)
        results, outage = run_users(port, plan, args)
        report(results, outage, args, log_path)
    finally:
        stop(server)
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


# --- the database and the server ----------------------------------------------------------------------


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVIVE_")}
    env.update(
        {
            "REVIVE_DATABASE_URL": POSTGRES_URL,
            "REVIVE_DEBUG": "0",
            "REVIVE_SECRET_KEY": secrets.token_urlsafe(40),
            "REVIVE_ALLOWED_HOSTS": HOST,
            "REVIVE_SECURE_COOKIES": "0",  # plain HTTP on loopback
            "REVIVE_DEMO_PASSWORD": PASSWORD,
            "REVIVE_LOG_LEVEL": "ERROR",
        }
    )
    if "REVIVE_HOME" in os.environ:
        env["REVIVE_HOME"] = os.environ["REVIVE_HOME"]
    return env


def prepare_database(env: dict, users: int) -> dict:
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
    ) as c:
        if c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            c.execute(f'CREATE DATABASE "{name}"')
            print(f"created PostgreSQL database {name}")
    revive = str(BIN / "revive")
    subprocess.run([revive, "migrate", "--noinput", "-v0"], env=env, check=True)
    # Generated once (about 40 s) and reused: --if-empty keeps what is there.
    subprocess.run([revive, "demo-data", "--seed", "1", "--scale", "0.2", "--if-empty"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, __file__, "--setup-child", "--users", str(users)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise SystemExit("the setup printed no result:\n" + done.stdout)


def setup_child(users: int) -> dict:
    """In the load database: demo users, an API token, one open case per simulated user."""
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from revive.accounts.models import User
    from revive.accounts.services import token_create
    from revive.cases import services
    from revive.cases.models import OPEN_STATES, Case
    from revive.registry.models import Band, ProductionUnit

    call_command("demo", stdout=open(os.devnull, "w"))  # resets the demo users' password
    token = token_create(user=User.objects.get(username="admin"), by="load test")
    assignments = []
    taken: set[int] = set()
    for i in range(users):
        account = ACCOUNTS[i % len(ACCOUNTS)]
        province = PROVINCE_OF.get(account)
        cases = Case.objects.filter(state__in=OPEN_STATES).exclude(pk__in=taken).order_by("pk")
        if province:
            cases = cases.filter(province__code=province)
        case = cases.first()
        if case is None:
            units = ProductionUnit.objects.filter(current_band=Band.IDLE).exclude(
                cases__state__in=OPEN_STATES
            )
            if province:
                units = units.filter(province__code=province)
            unit = units.order_by("business_id").first()
            if unit is None:
                raise SystemExit(f"no idle unit left to open a case on for {account}")
            case = services.case_open(unit=unit, by="load test setup")
        taken.add(case.pk)
        assignments.append({"account": account, "case": case.pk})
    units = ProductionUnit.objects.count()
    return {"token": token, "users": assignments, "units": units}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--backlog",
            "256",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its workers
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log_path}")
        try:
            status, _body, _headers = request(port, "GET", "/login/")
            if status == 200:
                print(f"gunicorn: {workers} workers on http://{HOST}:{port}/ (pid {server.pid})")
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log_path}")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass
    print(f"gunicorn stopped (pid {server.pid})")


# --- HTTP ------------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, *, body: str | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, response.getheaders()
    finally:
        conn.close()


@dataclass
class Sample:
    kind: str
    started: float
    ms: float
    ok: bool
    status: int  # 0: no answer (refused, reset, timed out)
    clean: bool  # a failure that is a proper 503


@dataclass
class Browser:
    port: int
    cookies: dict = field(default_factory=dict)

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Host": HOST, "Accept-Language": "fa"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def call(self, method: str, path: str, form: dict | None = None, extra: dict | None = None):
        headers = self._headers(extra)
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        status, data, response_headers = request(self.port, method, path, body=body, headers=headers)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return status, data


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
OBSTACLE_FORM = re.compile(rb'action="/cases/\d+/obstacles/".*?name="version"[^>]*value="(\d+)"', re.S)
OBSTACLE_FORM_ALT = re.compile(rb'action="/cases/\d+/obstacles/".*?value="(\d+)"[^>]*name="version"', re.S)


class User(threading.Thread):
    def __init__(self, n: int, port: int, plan: dict, args, end: float, samples: list, lock):
        super().__init__(daemon=True, name=f"user-{n}")
        self.n, self.port, self.args, self.end = n, port, args, end
        self.account = plan["users"][n]["account"]
        self.case = plan["users"][n]["case"]
        self.token = plan["token"]
        self.samples, self.lock = samples, lock
        self.random = random.Random(n)
        self.browser = Browser(port)
        self.signed_in = False

    def timed(self, kind: str, fn, expect: tuple[int, ...]) -> tuple[int, bytes]:
        started = time.monotonic()
        try:
            status, data = fn()
        except OSError:
            status, data = 0, b""
        ms = (time.monotonic() - started) * 1000
        ok = status in expect
        clean = ok or (status == 503 and (b"<html" in data or b'"message"' in data))
        with self.lock:
            self.samples.append(Sample(kind, started, ms, ok, status, clean))
        return status, data

    def sign_in(self) -> None:
        status, page = self.timed("sign-in", lambda: self.browser.call("GET", "/login/"), (200,))
        match = CSRF_INPUT.search(page)
        if not match:
            return
        form = {"csrfmiddlewaretoken": match[1].decode(), "username": self.account, "password": PASSWORD}
        status, _ = self.timed("sign-in", lambda: self.browser.call("POST", "/login/", form), (302,))
        self.signed_in = status == 302

    def run(self) -> None:
        time.sleep(self.random.uniform(0, min(5.0, self.args.think * 3)))  # users arrive over a few seconds
        actions = [
            (self.overview, 2),
            (self.unit_list, 3),
            (self.case_edit, 2),
            (self.api_read, 3),
        ]
        weights = [w for _a, w in actions]
        while time.monotonic() < self.end:
            if not self.signed_in:
                self.sign_in()
            else:
                self.random.choices([a for a, _w in actions], weights)[0]()
            time.sleep(self.random.uniform(0.5, 1.5) * self.args.think)

    def overview(self) -> None:
        self.timed("overview", lambda: self.browser.call("GET", "/overview/"), (200,))

    def unit_list(self) -> None:
        params = {"page": self.random.randint(1, 20)}
        if self.random.random() < 0.5:
            params["band"] = self.random.choice(["idle", "below_50"])
        self.timed("unit list", lambda: self.browser.call("GET", "/units/?" + urlencode(params)), (200,))

    def case_edit(self) -> None:
        path = f"/cases/{self.case}/"
        status, page = self.timed("case page", lambda: self.browser.call("GET", path), (200,))
        csrf = CSRF_INPUT.search(page)
        version = OBSTACLE_FORM.search(page) or OBSTACLE_FORM_ALT.search(page)
        if status != 200 or not csrf or not version:
            return
        form = {
            "csrfmiddlewaretoken": csrf[1].decode(),
            "version": version[1].decode(),
            "kind": self.random.choice(OBSTACLE_KINDS),
            "note": f"load test user {self.n}",
        }
        self.timed("case edit (POST)", lambda: self.browser.call("POST", path + "obstacles/", form), (302,))

    def api_read(self) -> None:
        auth = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        path = self.random.choice(
            [
                "/api/v1/kpis/revivals",
                f"/api/v1/units?page={self.random.randint(1, 20)}",
                "/api/v1/units?band=idle&province=IR-20",
                "/api/v1/cases",
                "/api/v1/provinces",
            ]
        )
        self.timed("API read", lambda: Browser(self.port).call("GET", path, extra=auth), (200,))


def run_users(port: int, plan: dict, args) -> tuple[list[Sample], dict]:
    samples: list[Sample] = []
    lock = threading.Lock()
    start = time.monotonic()
    end = start + args.seconds
    users = [User(i, port, plan, args, end, samples, lock) for i in range(args.users)]
    print(
        f"{args.users} users for {args.seconds:.0f} s (think time {args.think:.1f} s on average), "
        f"{plan['units']} units in the database"
    )
    outage: dict = {}
    restarter = None
    if args.restart_postgres:
        restarter = threading.Thread(
            target=restart_postgres, args=(start + args.seconds / 2, outage), daemon=True
        )
        restarter.start()
    for u in users:
        u.start()
    for u in users:
        u.join(timeout=max(0.0, end - time.monotonic()) + 90)
    if restarter is not None:
        restarter.join(timeout=120)
    outage["start_offset"] = outage.get("start", start) - start
    outage["t0"] = start
    return samples, outage


def restart_postgres(at: float, outage: dict) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    outage["start"] = time.monotonic()
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        capture_output=True,
        text=True,
    )
    outage["end"] = time.monotonic()
    outage["returncode"] = done.returncode
    outage["stderr"] = done.stderr.strip()
    print(
        f"PostgreSQL {version} restarted in {outage['end'] - outage['start']:.1f} s (exit {done.returncode})"
    )


# --- the report ------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def table(samples: list[Sample], title: str) -> None:
    kinds = ["sign-in", "overview", "unit list", "case page", "case edit (POST)", "API read"]
    print(f"\n{title}")
    header = f"{'kind':<18}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}"
    print(header)
    print("-" * len(header))
    for kind in kinds + ["all"]:
        rows = samples if kind == "all" else [s for s in samples if s.kind == kind]
        if not rows:
            continue
        ok = [s.ms for s in rows if s.ok] or [0.0]
        print(
            f"{kind:<18}{len(rows):>9}{sum(not s.ok for s in rows):>8}{statistics.median(ok):>11.0f}"
            f"{percentile(ok, 95):>9.0f}{max(ok):>9.0f}"
        )


def report(samples: list[Sample], outage: dict, args, log_path: Path) -> None:
    seconds = args.seconds
    errors = [s for s in samples if not s.ok]
    print(
        f"\n{len(samples)} requests in {seconds:.0f} s ({len(samples) / seconds:.1f}/s), "
        f"{len(errors)} errors (goal 0); times are of successful requests"
    )
    table(samples, "All requests")
    if errors:
        by_status: dict[int, int] = {}
        for s in errors:
            by_status[s.status] = by_status.get(s.status, 0) + 1
        print(
            "errors by status (0 = no answer): "
            + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items()))
        )
    if "end" in outage:
        t_start, t_end = outage["start"], outage["end"]
        before = [s for s in samples if s.started + s.ms / 1000 < t_start]
        during = [s for s in samples if s not in before and s.started <= t_end + 2]
        after = [s for s in samples if s.started > t_end + 2]
        print(f"\nPostgreSQL restart from {t_start - outage['t0']:.1f} s to {t_end - outage['t0']:.1f} s")
        for name, rows in (("before", before), ("during", during), ("after", after)):
            failed = [s for s in rows if not s.ok]
            unclean = [s for s in failed if not s.clean]
            print(
                f"  {name:<7} {len(rows):>6} requests, {len(failed):>4} errors "
                f"({len(failed) - len(unclean)} clean 503, {len(unclean)} unclean)"
            )
        recovered = [s for s in after if s.ok]
        first_ok = min((s.started + s.ms / 1000 for s in samples if s.ok and s.started > t_end), default=None)
        if first_ok is not None:
            print(
                f"  first success {first_ok - t_end:.1f} s after PostgreSQL was back; {len(recovered)} after"
            )
        table(after, "After the restart")
    server_errors = sum(1 for line in open(log_path, errors="replace") if "Traceback" in line)
    print(f"\ntracebacks in {log_path.relative_to(PROJECT_DIR)}: {server_errors}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
