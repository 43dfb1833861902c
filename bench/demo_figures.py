"""The figures of a demo database, as JSON: what the overview, the targets and production dashboards and
the API's KPIs show to the national admin and to a provincial officer, the row count of every model and a
checksum of every table's contents. Two builds of the demo are the same when their outputs are.

    REVIVE_DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python bench/demo_figures.py \
        [--today 2026-12-05] [--officer officer.semnan] [--no-checksums] > figures.json

Run it on a copy of the database (the figures are read only; the cache of figures lives in memory).
The checksums leave out what a build cannot repeat: the moments rows were written or acted on (every
date-time column; the business dates are date columns and are compared), password hashes (salted), the
last login and the sessions (this script signs in).
"""

import argparse
import dataclasses
import hashlib
import json
import os
import sys
from datetime import date, datetime
from decimal import Decimal

PAST_YEAR = 1403  # a year that is over, beside the current one


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("REVIVE_SECRET_KEY", "figures-only-secret-key-not-for-any-server-0123456789")
    os.environ.setdefault("REVIVE_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("REVIVE_DEBUG", "0")
    import django

    django.setup()


def plain(value):
    """JSON-ready: model instances as their label and key, dataclasses and mappings field by field."""
    from django.db.models import Model

    if isinstance(value, Model):
        code = getattr(value, "code", None)
        return f"{value._meta.label}:{value.pk}" + (f":{code}" if code else "")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "start") and hasattr(value, "end"):  # calendar.Period
        return {"start": plain(value.start), "end": plain(value.end)}
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def page_figures(user, today: date) -> dict:
    """The selectors the overview page and the two dashboards call, as the views call them."""
    from revive.core import calendar
    from revive.core.scoping import scope_for
    from revive.indicators import selectors as indicators
    from revive.registry import selectors as registry

    scope = scope_for(user)
    current = calendar.current_jalali_year(today)
    latest = calendar.add_months(calendar.month_of(today), -1)
    if calendar.filing_due_date(*latest) > today:
        latest = calendar.add_months(latest, -1)
    province = indicators.scoped_province(scope, "")
    out = {}
    for year in (current, PAST_YEAR):
        out[f"overview {year}"] = registry.overview(scope=scope, year=year, today=today)
        figures = indicators.figures(scope=scope, year=year, today=today, province=province)
        out[f"dashboard {year}"] = {
            "figures": figures,
            "head": indicators.headline(figures["rows"]),
            "jobs": indicators.headline(figures["rows"], "jobs_restored"),
            "ranking": indicators.province_ranking(scope=scope, year=year, today=today),
        }
    out[f"production {latest[0]}/{latest[1]:02d}"] = indicators.production_index(
        scope=scope, year=latest[0], month=latest[1], province=province
    )
    out[f"production {PAST_YEAR}/12"] = indicators.production_index(
        scope=scope, year=PAST_YEAR, month=12, province=province
    )
    return plain(out)


def api_figures(user, today: date) -> dict:
    from django.test import Client

    from revive.core import calendar

    client = Client()
    client.force_login(user)
    out = {}
    for year in (calendar.current_jalali_year(today), PAST_YEAR):
        for kpi in ("revivals", "resolutions", "funnel", "lending-share", "targets"):
            response = client.get(f"/api/v1/kpis/{kpi}", {"year": year})
            out[f"{kpi} {year}"] = (
                response.json() if response.status_code == 200 else {"status": response.status_code}
            )
    return out


LEFT_OUT = {"password", "last_login"}
# This script's own sign-ins (random keys), and Django's tables of the apps' models and permissions
# (they change when a model moves between apps, not with the data).
COUNT_ONLY = {"sessions.Session", "contenttypes.ContentType", "auth.Permission"}


def _left_out(field) -> bool:
    from django.db import models

    # Business dates are DateFields; a DateTimeField records when a row was written or acted on.
    return field.name in LEFT_OUT or isinstance(field, models.DateTimeField)


def tables(checksums: bool) -> dict:
    from django.apps import apps

    out = {}
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.label):
        if model._meta.proxy or not model._meta.managed:
            continue
        qs = model._base_manager.order_by("pk")
        row = {"rows": qs.count()}
        if checksums and model._meta.label not in COUNT_ONLY:
            names = [f.attname for f in model._meta.concrete_fields if not _left_out(f)]
            digest = hashlib.sha256()
            for values in qs.values_list(*names).iterator(chunk_size=20_000):
                digest.update(repr(values).encode())
            row["sha256"] = digest.hexdigest()[:16]
            row["left_out"] = sorted(f.name for f in model._meta.concrete_fields if _left_out(f))
        out[model._meta.db_table] = row  # a model moved to another app keeps its table
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today in Tehran)"
    )
    parser.add_argument(
        "--officer", default="officer.semnan", help="the provincial user (default officer.semnan)"
    )
    parser.add_argument("--admin", default="admin", help="the national user (default admin)")
    parser.add_argument("--no-checksums", action="store_true", help="row counts only")
    args = parser.parse_args()
    setup_django()
    from unittest import mock

    from revive.accounts.models import User
    from revive.core import calendar

    today = args.today or calendar.tehran_today()
    result = {"today": today.isoformat()}
    # The API's handlers read today in Tehran themselves: the same day for them as for the selectors.
    with mock.patch.object(calendar, "tehran_today", lambda: today):
        for username in (args.admin, args.officer):
            user = User.objects.get(username=username)
            result[username] = {"pages": page_figures(user, today), "api": api_figures(user, today)}
    result["tables"] = tables(not args.no_checksums)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
