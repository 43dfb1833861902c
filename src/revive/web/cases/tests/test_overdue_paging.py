"""The overdue board is paged: fifty resolutions a page, the longest overdue first; the download has them all."""

from datetime import date, timedelta

import pytest

from revive.cases import services
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db


def test_overdue_board_pages_fifty_at_a_time(login, world, officer_semnan):
    semnan = world["provinces"]["IR-20"]
    meeting = services.meeting_create(province=semnan, number=1, held_on=date(2026, 5, 1), by=officer_semnan)
    gas = Organisation.objects.get(code="gas-20")
    for i in range(60):  # deadlines from 1 June on: all past on the fixed today (1405/09/03)
        services.resolution_issue(meeting=meeting, organisation=gas, text=f"مصوبه {i}",
                                  deadline=date(2026, 6, 1) + timedelta(days=i), by=officer_semnan)  # fmt: skip
    client = login(officer_semnan)
    first = client.get("/resolutions/overdue/").content.decode()
    assert first.count("مصوبه ") == 50 and "مصوبه 0<" in first and "مصوبه 59<" not in first
    second = client.get("/resolutions/overdue/", {"page": 2}).content.decode()
    assert second.count("مصوبه ") == 10 and "مصوبه 59<" in second
    download = client.get("/resolutions/overdue/", {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert download.count("مصوبه ") == 60
