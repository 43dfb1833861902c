from datetime import date

import pytest
from django.db import transaction

from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.demo import finance as demo
from revive.finance import selectors
from revive.finance.models import CreditLine, LoanRequest

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def national_demo(django_db_setup, django_db_blocker):
    """The registry demo at scale 0.05 and its finance, shared by the module (the tests only read it) and
    rolled back at its end."""
    from revive.demo.registry import generate

    with django_db_blocker.unblock(), transaction.atomic():
        generate(seed=1, scale=0.05, today=TODAY)
        yield demo.generate(seed=1, today=TODAY)
        transaction.set_rollback(True)


def test_demo_follows_the_published_funnel(national_demo):
    funnel = national_demo["funnel"]
    assert set(funnel) == {str(y) for y in range(1398, 1406)}
    for year in range(1398, 1405):
        row = funnel[str(year)]
        assert 0.33 <= row["introduced"] / row["registered"] <= 0.62, (year, row)
        assert 0.35 <= row["paid"] / row["introduced"] <= 0.64, (year, row)  # 39-61%, give or take sampling
    # 1399 at 5% of the nation: about 720 registered a year (9,585 in 8 months).
    assert 550 <= funnel["1399"]["registered"] <= 900
    data = selectors.funnel(scope=NATION, year=1399)
    assert (data["registered"], data["introduced"], data["paid"]) == tuple(
        funnel["1399"][k] for k in ("registered", "introduced", "paid")
    )


def test_demo_loan_sizes_rise_with_prices(national_demo):
    def median_requested(year):
        from revive.core import calendar

        p = calendar.jalali_year(year)
        values = sorted(
            LoanRequest.objects.filter(
                registered_on__range=(p.start, p.end), kind="working_capital", case__isnull=True
            ).values_list("amount_requested", flat=True)
        )
        return values[len(values) // 2]

    assert 10 * 10**9 <= median_requested(1399) <= 60 * 10**9
    assert median_requested(1404) > 3 * median_requested(1399)


def test_demo_introductions_respect_every_credit_line(national_demo):
    assert CreditLine.objects.exists()
    for year in (1399, 1403, 1405):
        for row in selectors.credit_lines(scope=NATION, year=year):
            assert row["used"] <= row["amount"], row


def test_demo_has_arrears_and_a_lending_series_near_31_percent(national_demo):
    buckets = {b["key"]: b["count"] for b in selectors.arrears(scope=NATION, today=TODAY)}
    assert sum(buckets.values()) > 0 and buckets["180+"] > 0
    first = selectors.lending_share(scope=NATION, year=1398, today=TODAY)
    now = selectors.lending_share(scope=NATION, year=1405, today=TODAY)
    assert 0.27 <= first["share"] <= 0.32 and 0.30 <= now["share"] <= 0.34 and now["months"] == 9
    assert AuditEvent.objects.filter(action="demo_finance").count() == 1
