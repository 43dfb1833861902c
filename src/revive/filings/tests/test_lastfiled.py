"""UnitLastFiling (filings/lastfiled.py), each unit's newest filed month, against the filings themselves after
writes through every writer of filings (the service, an expert's approval, the statistics system's batch, the
filings import, the demo), and the licence-suspension page, read from it, against the same list read from
every filing (suspension_candidates): never behind the filings."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import F, Max

from revive.core.scoping import NATION, Scope, ScopeKind, scope_for
from revive.filings import services
from revive.filings.models import MonthlyFiling, UnitLastFiling
from revive.filings.selectors import (
    suspension_candidates,
    suspension_ids,
    suspension_ids_kept,
    suspension_rows,
)
from revive.filings.versions import filings_receive
from revive.imports.engine import import_file
from revive.registry.models import ProductionUnit
from revive.registry.services import unit_status_record

pytestmark = pytest.mark.django_db

FIGURES = {"production_value": 100, "capacity_utilisation": 60, "employees": 5}
# The page's month (the month before the tests' today, 3 Azar 1405), and windows across Nowruz.
THROUGH = [(1405, 8), (1405, 2), (1405, 1), (1404, 11)]


def _stored() -> dict[int, int]:
    return dict(UnitLastFiling.objects.values_list("unit_id", "last_ym"))


def _from_filings() -> dict[int, int]:
    newest = (
        MonthlyFiling.objects.order_by().values("unit_id").annotate(ym=Max(F("jyear") * 100 + F("jmonth")))
    )
    return {r["unit_id"]: r["ym"] for r in newest}


def _as_the_page_reads_it(*, months, through, scope):
    return suspension_rows(suspension_ids(months=months, through=through, scope=scope), through=through)


def _assert_equal_to_the_filings(*scopes):
    assert _stored() == _from_filings()
    for through in THROUGH:
        for months in (1, 3, 6, 12):
            for scope in (NATION, *scopes):
                expected = suspension_candidates(months=months, through=through, scope=scope)
                assert _as_the_page_reads_it(months=months, through=through, scope=scope) == expected, (
                    through,
                    months,
                )


def test_every_writer_keeps_the_newest_month_and_the_page_equal_to_the_filings(
    world, officer_semnan, unit_owner
):
    units = world["units"]
    semnan = scope_for(officer_semnan)
    _assert_equal_to_the_filings(semnan)  # nothing filed: every open unit listed, none with a row
    assert not _stored()

    # the service: a month, then an older one filled in (the newest stays)
    tehran = units["230000000011"]
    services.filing_submit(unit=tehran, jyear=1404, jmonth=10, by=officer_semnan, **FIGURES)
    _assert_equal_to_the_filings(semnan)
    services.filing_submit(unit=tehran, jyear=1404, jmonth=5, by=officer_semnan, **FIGURES)
    assert _stored()[tehran.pk] == 140410
    _assert_equal_to_the_filings(semnan)

    # an expert approves what the owner sent (the review records it through the service)
    sent = services.submission_create(unit=unit_owner.unit, by=unit_owner, jyear=1405, jmonth=3, **FIGURES)
    _assert_equal_to_the_filings(semnan)  # waiting for review: not filed yet
    services.submission_review(submission=sent, by=officer_semnan, approve=True)
    assert _stored()[unit_owner.unit.pk] == 140503
    _assert_equal_to_the_filings(semnan)

    # the statistics system's batch: a unit's month, and another unit's current month only (after THROUGH[0])
    rows = [
        {"business_id": "230000000022", "month": "1405/07", **FIGURES},
        {"business_id": "200000000022", "month": "1405/09", **FIGURES},
        {"business_id": "230000000011", "month": "1405/01", **FIGURES},
    ]
    filings_receive(rows=rows, by=officer_semnan, units_allowed=ProductionUnit.objects.all(), record_new=True)
    assert _stored()[units["200000000022"].pk] == 140509
    _assert_equal_to_the_filings(semnan)

    # the filings import: a newer month for one unit, a first one for another
    content = (
        "business_id,month,production_value,capacity_utilisation,employees\n"
        "230000000011,1405/06,100,60,5\n"
        "100000000011,1403/12,100,60,5\n"
    )
    preview, _written = import_file(
        kind="filings", content=content.encode(), filename="f.csv", scope=NATION, by="test"
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert _stored()[tehran.pk] == 140506
    assert _stored()[units["100000000011"].pk] == 140312
    _assert_equal_to_the_filings(semnan)


def test_the_suspension_page_counts_and_pages_what_the_filings_say(client, world, officer_semnan):
    services.filing_submit(
        unit=world["units"]["200000000011"], jyear=1404, jmonth=1, by=officer_semnan, **FIGURES
    )
    client.force_login(officer_semnan)
    response = client.get("/filings/suspension/")
    assert response.status_code == 200
    expected = suspension_candidates(months=6, through=(1405, 8), scope=scope_for(officer_semnan))
    assert response.context["total"] == len(expected) == 2
    assert list(response.context["page"]) == expected
    assert expected[0]["missing"] is not None  # one of the two filed once, the other never


def test_the_suspension_page_kept_per_data_version_follows_every_write(client, world, officer_semnan):
    """The page reads its list once per data version: a filing, then a unit closed, show at once."""
    semnan = scope_for(officer_semnan)
    client.force_login(officer_semnan)

    def listed():
        response = client.get("/filings/suspension/")
        assert response.status_code == 200
        kept = suspension_ids_kept(months=6, through=(1405, 8), scope=semnan)
        assert kept == suspension_ids(months=6, through=(1405, 8), scope=semnan)
        expected = suspension_candidates(months=6, through=(1405, 8), scope=semnan)
        assert list(response.context["page"]) == expected
        assert response.context["total"] == len(expected)
        return [row["id"] for row in expected]

    before = listed()
    assert len(before) == 2 and listed() == before  # read again from the kept list
    unit = ProductionUnit.objects.get(pk=before[0])
    services.filing_submit(unit=unit, jyear=1405, jmonth=7, by=officer_semnan, **FIGURES)
    assert listed() == before[1:]
    unit_status_record(
        unit=ProductionUnit.objects.get(pk=before[1]), band="closed", effective_date=date(2026, 11, 1),
        source="officer", by=officer_semnan,
    )  # fmt: skip
    assert listed() == []


def test_the_demo_fills_the_newest_months_as_its_filings_say():
    from revive.demo import registry as demo

    with transaction.atomic():
        demo.generate(seed=1, scale=0.02, today=date(2026, 11, 24))
        assert UnitLastFiling.objects.exists()
        assert _stored() == _from_filings()
        province = ProductionUnit.objects.values_list("province", flat=True).first()
        scope = Scope(ScopeKind.PROVINCE, province_id=province)
        for through in THROUGH[:2]:
            for scope_ in (NATION, scope):
                expected = suspension_candidates(months=6, through=through, scope=scope_)
                assert expected
                assert _as_the_page_reads_it(months=6, through=through, scope=scope_) == expected
        demo.registry_clear()  # the summary goes with the units
        assert not UnitLastFiling.objects.exists()
