"""POST /api/v1/filings: a batch of 5,000 monthly filings from the statistics system, then the same
batch again, then one with a tenth of the figures changed.

    .venv/bin/python bench/bench_filings.py [--units 5000]

A fresh SQLite database in var/bench/filings.sqlite3: the reference provinces and sectors, 200
parks, N units producing above 70%. The batches go through the whole HTTP stack (Django's test
client, bearer token, JSON) as the integration user. About 5% of the units report an idle month, so
their bands change and cases open, as they would for filings approved on the page. The goal (issue
12): 5,000 filings accepted in under 10 s on SQLite, and the same batch again changes nothing. A
benchmark, not a test: it prints, it does not fail. The CPU time beside the wall time tells a busy
machine from a slow batch.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DB = PROJECT_DIR / "var" / "bench" / "filings.sqlite3"
GOAL_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    args = parser.parse_args()
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["REVIVE_DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("REVIVE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from revive.accounts.models import User
    from revive.accounts.roles import Role
    from revive.accounts.services import token_create
    from revive.cases.models import Case
    from revive.filings.models import FilingSubmission, MonthlyFiling
    from revive.registry import reference
    from revive.registry.models import IndustrialPark, ProductionUnit, Province, Sector

    reference.reference_load()
    provinces = list(Province.objects.all())
    parks = IndustrialPark.objects.bulk_create(
        IndustrialPark(code=f"B-{i:04d}", name_fa=f"شهرک {i}", name_en=f"Park {i}", name_key=f"park{i}",
                       province=provinces[i % len(provinces)])
        for i in range(200)
    )  # fmt: skip
    sectors = list(Sector.objects.all())
    rnd = random.Random(1)
    units = []
    for i in range(args.units):
        park = parks[rnd.randrange(len(parks))]
        units.append(
            ProductionUnit(business_id=f"{900000000000 + i}", name_fa=f"واحد {i}", name_en=f"Unit {i}",
                           name_key=f"unit{i}", park=park, province_id=park.province_id,
                           sector=rnd.choice(sectors), size_class="small", employees=20,
                           current_band="above_70", band_since=date(2024, 3, 20))
        )  # fmt: skip
    ProductionUnit.objects.bulk_create(units, batch_size=2000)
    user = User.objects.create_user(username="integration.statistics", role=Role.INTEGRATION)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")

    def row(unit, capacity):
        return {"business_id": unit.business_id, "month": "1405/07", "production_value": capacity * 10**8,
                "capacity_utilisation": capacity, "employees": rnd.randrange(1, 400)}  # fmt: skip

    batch = [row(u, 0 if rnd.random() < 0.05 else rnd.randrange(71, 100)) for u in units]
    changed = [
        dict(r, production_value=r["production_value"] + 1) if i % 10 == 0 else r for i, r in enumerate(batch)
    ]

    def send(label: str, rows: list) -> None:
        body = json.dumps({"filings": rows})
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.post("/api/v1/filings", body, content_type="application/json")
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert response.status_code == 200, (response.status_code, response.content[:2000])
        data = response.json()
        verdict = "meets" if seconds < GOAL_SECONDS else "misses"
        print(
            f"{label}: {len(rows):,} filings in {seconds:.2f} s, {cpu:.2f} s of CPU ({len(rows) / seconds:,.0f}/s, {verdict} the "
            f"{GOAL_SECONDS:.0f} s goal): recorded {data['recorded']:,}, waiting for review "
            f"{data['waiting_review']:,}, unchanged {data['unchanged']:,}",
            flush=True,
        )

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx('send("new month", batch)', globals(), locals(), "/tmp/h12/prof")
        pstats.Stats("/tmp/h12/prof").sort_stats("cumulative").print_stats(45)
        return
    send("new month", batch)
    print(f"  filings {MonthlyFiling.objects.count():,}, cases opened {Case.objects.count():,}")
    send("same batch again", batch)
    send("a tenth changed", changed)
    print(f"  versions waiting for review {FilingSubmission.objects.filter(status='pending').count():,}")


if __name__ == "__main__":
    main()
