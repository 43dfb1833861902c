"""Import throughput: a 50,000-unit registry XLSX and 600,000 monthly filings, validated in full and written.

    .venv/bin/python bench/bench_import.py [--units 50000] [--months 12] [--no-postgres]

Runs on a fresh SQLite database in var/bench/import.sqlite3, then on a fresh PostgreSQL database at
REVIVE_BENCH_IMPORT_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/revive_bench_import,
dropped and created again) when the server answers; each in its own process. Reference provinces and
sectors, 200 parks, then the units file and the filings file (units x months of 1404), each timed as
read + validate (preview) and write (one transaction, audit rows, band changes for the units whose
newest month moves them). A benchmark, not a test: it prints, it does not fail.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DB = PROJECT_DIR / "var" / "bench" / "import.sqlite3"
POSTGRES_URL = os.environ.get(
    "REVIVE_BENCH_IMPORT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/revive_bench_import"
)
GOAL = 5000


def fresh_postgres() -> str | None:
    """Drop and create the bench database; None when done, else why it could not be."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return f"{POSTGRES_URL} does not answer ({str(exc).strip().splitlines()[0]})"
    return None


def _xlsx(header: list[str], rows) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    size = ["--units", str(args.units), "--months", str(args.months)]
    for backend in ("sqlite", "postgresql"):
        if backend == "postgresql":
            why = "skipped (--no-postgres)" if args.no_postgres else fresh_postgres()
            if why:
                print(f"PostgreSQL: {why}")
                continue
        print(f"== {backend}", flush=True)
        subprocess.run([sys.executable, __file__, "--child", backend, *size], check=True)


def child(args) -> None:
    if args.child == "sqlite":
        DB.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
        os.environ["REVIVE_DATABASE_URL"] = f"sqlite:///{DB}"
    else:
        os.environ["REVIVE_DATABASE_URL"] = POSTGRES_URL
    os.environ.setdefault("REVIVE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from revive.core.scoping import NATION
    from revive.imports.engine import import_write, preview_file
    from revive.registry import reference
    from revive.registry.models import IndustrialPark, Province, Sector

    reference.reference_load()
    provinces = list(Province.objects.all())
    IndustrialPark.objects.bulk_create(
        IndustrialPark(
            code=f"B-{i:04d}",
            name_fa=f"شهرک {i}",
            name_en=f"Park {i}",
            name_key=f"park{i}",
            province=provinces[i % len(provinces)],
        )
        for i in range(200)
    )
    sectors = list(Sector.objects.values_list("isic_division", flat=True))
    rnd = random.Random(1)
    ids = [f"{900000000000 + i}" for i in range(args.units)]
    units = _xlsx(
        ["شناسه کسب‌وکار", "نام فارسی", "نام انگلیسی", "کد شهرک", "بخش (ISIC)", "اندازه", "شاغلان"],
        (
            [
                b,
                f"صنايع نمونه {i}",
                f"Sample {i}",
                f"B-{rnd.randrange(200):04d}",
                rnd.choice(sectors),
                rnd.choice(["micro", "small", "medium", "large"]),
                rnd.randrange(1, 400),
            ]
            for i, b in enumerate(ids)
        ),
    )
    report("units", units, "units.xlsx", len(ids), preview_file, import_write, NATION)

    def filings():
        for b in ids:
            idle = rnd.random() < 0.05  # about 5% go idle in the newest month: their band changes
            for m in range(1, args.months + 1):
                cap = 0 if idle and m == args.months else rnd.randrange(71, 100)
                yield [
                    b,
                    f"1404/{m:02d}",
                    cap * 10_000_000,
                    cap,
                    rnd.randrange(1, 400),
                    f"1404/{m:02d}/0{rnd.randrange(1, 10)}",
                ]

    content = _xlsx(
        ["business_id", "month", "production_value", "capacity_utilisation", "employees", "filed_on"],
        filings(),
    )
    report("filings", content, "filings.xlsx", len(ids) * args.months, preview_file, import_write, NATION)


def report(kind, content, name, n, preview_file, import_write, scope) -> None:
    t0 = time.perf_counter()
    preview = preview_file(kind=kind, content=content, filename=name, scope=scope)
    t1 = time.perf_counter()
    assert preview.ok, [e.as_dict() for e in preview.errors[:5]]
    counts = import_write(preview=preview, by="bench", scope=scope)
    t2 = time.perf_counter()
    total = t2 - t0
    print(
        f"{kind}: {n:,} rows, {len(content) / 2**20:.1f} MB; validate {t1 - t0:.1f} s ({n / (t1 - t0):,.0f} rows/s), "
        f"write {t2 - t1:.1f} s; total {total:.1f} s = {n / total:,.0f} rows/s "
        f"({'meets' if n / total >= GOAL else 'below'} the {GOAL:,} rows/s goal); {counts}",
        flush=True,
    )


if __name__ == "__main__":
    main()
