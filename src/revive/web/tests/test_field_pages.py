"""Field pages (issue 14): the date picker's month grid, the meeting agenda at national scale, minutes and letters,
photos and documents, and the walk-through fixes."""

from datetime import date

import pytest

from revive.cases import services
from revive.cases.models import CaseState, Meeting
from revive.registry import services as registry_services
from revive.registry.models import Band, Sector

pytestmark = pytest.mark.django_db


# --- the date picker ---------------------------------------------------------------------------------


def test_picker_offers_esfand_30_in_1403_and_not_in_1404(client):
    leap = client.get("/calendar/month/", {"month": "1403/12"}).content.decode()
    assert 'data-value="۱۴۰۳/۱۲/۳۰"' in leap
    common = client.get("/calendar/month/", {"month": "۱۴۰۴/۱۲"}).content.decode()
    assert 'data-value="۱۴۰۴/۱۲/۲۹"' in common and "۱۴۰۴/۱۲/۳۰" not in common


def test_picker_opens_on_the_typed_date_and_starts_the_week_on_saturday(client):
    grid = client.get("/calendar/month/", {"value": "١٤٠٣/١٢/٣٠"}).content.decode()  # Arabic-Indic digits
    assert "اسفند ۱۴۰۳" in grid and 'aria-pressed="true"' in grid
    # 1 Esfand 1403 was Wednesday 19 February 2025: four empty cells (Sat..Tue) before it.
    first_row = grid.split("<tbody><tr>")[1].split("</tr>")[0]
    assert first_row.count("<td></td>") == 4 and 'data-iso="2025-02-19"' in first_row


def test_picker_in_english_has_ascii_digits(client):
    client.cookies["django_language"] = "en"
    grid = client.get("/calendar/month/", {"month": "1404/01"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Farvardin 1404" in grid and 'data-value="1404/01/01"' in grid


def test_every_date_field_carries_the_picker(login, officer_semnan):
    from revive.web import forms, forms_cases, forms_finance

    found = []
    for module in (forms, forms_cases, forms_finance):
        for form_class in vars(module).values():
            if isinstance(form_class, type) and hasattr(form_class, "base_fields"):
                for name, field in form_class.base_fields.items():
                    if isinstance(field, forms.JalaliDateField):
                        found.append(name)
                        assert "data-jdate" in field.widget.attrs, (form_class, name)
    assert {"visited_on", "held_on", "deadline", "effective_date"} <= set(found)


def test_favicon_is_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


# --- the agenda --------------------------------------------------------------------------------------


@pytest.fixture
def crowded_semnan(world, officer_semnan):
    """Thirty older cases in Semnan waiting for a decision, then one diagnosed today."""
    metal = Sector.objects.get(isic_division="24")
    park = world["parks"]["P-20-001"]
    for i in range(30):
        unit = registry_services.unit_create(
            by="test", business_id=f"2099000000{i:02d}", name_fa=f"کارگاه قدیمی {i}", name_en=f"Old works {i}",
            park=park, sector=metal, size_class="small", employees=5, band=Band.IDLE, since=date(2024, 1, 1),
        )  # fmt: skip
        services.case_open(unit=unit, by=officer_semnan, opened_on=date(2025, 1, 1))
    fresh = registry_services.unit_create(
        by="test", business_id="209900000099", name_fa="کاشی یزدان", name_en="Yazdan Tiles",
        park=world["parks"]["P-20-002"], sector=metal, size_class="small", employees=9, band=Band.IDLE,
        since=date(2026, 3, 1),
    )  # fmt: skip
    case = services.case_open(unit=fresh, by=officer_semnan)
    return services.case_transition(case=case, to=CaseState.DIAGNOSED, by=officer_semnan)


def test_case_diagnosed_today_is_put_on_the_agenda_by_searching_for_it(login, officer_semnan, crowded_semnan):
    client = login(officer_semnan)
    first = client.get("/meetings/new/").content.decode()
    # Oldest first, 25 a page: today's case is not on the first page, and the next number is suggested.
    assert f'value="{crowded_semnan.pk}"' not in first
    assert 'id="id_number"' in first and 'value="1"' in first
    found = client.post(
        "/meetings/new/", {"action": "search", "q": "كاشي يزدان", "number": "۴", "held_on": "۱۴۰۵/۰۹/۰۲"}
    ).content.decode()  # Arabic yeh and kaf find the Persian name
    assert f'value="{crowded_semnan.pk}"' in found and "کارگاه قدیمی" not in found
    assert 'value="۱۴۰۵/۰۹/۰۲"' in found  # what was typed stays
    response = client.post(
        "/meetings/new/",
        {"action": "record", "number": "۴", "held_on": "۱۴۰۵/۰۹/۰۲", "cases": [crowded_semnan.pk]},
    )
    assert response.status_code == 302
    assert list(Meeting.objects.get(number=4).cases.all()) == [crowded_semnan]


def test_agenda_filters_newest_first_park_stage_and_days_waiting(login, officer_semnan, crowded_semnan):
    client = login(officer_semnan)

    def ids(**params) -> set[int]:
        from revive.cases.agenda import AgendaFilters, agenda_search
        from revive.core.scoping import scope_for

        qs = agenda_search(scope=scope_for(officer_semnan), province=crowded_semnan.province,
                           filters=AgendaFilters(**params))  # fmt: skip
        return list(qs.values_list("pk", flat=True))

    assert ids(order="newest")[0] == crowded_semnan.pk
    assert crowded_semnan.pk in ids(park="P-۲۰-۰۰۲")
    assert ids(stage="diagnosed") == [crowded_semnan.pk]
    assert crowded_semnan.pk not in ids(min_days="۳۰") and len(ids(min_days="30")) >= 30
    assert ids(q="2099000000") and crowded_semnan.pk in ids(q="۲۰۹۹۰۰۰۰۰۰۹۹")
    page = client.get("/meetings/new/", {"min_days": "چند"})
    assert page.status_code == 400 and "Days waiting" not in page.content.decode()
    # paging shows numbers: 31 cases, page 2 exists
    assert 'name="page" value="2"' in client.get("/meetings/new/").content.decode()


def test_next_meeting_number_follows_the_provinces_highest(login, officer_semnan, crowded_semnan):
    services.meeting_create(
        province=crowded_semnan.province, number=41, held_on=date(2026, 9, 1), by=officer_semnan
    )
    page = login(officer_semnan).get("/meetings/new/").content.decode()
    assert 'value="42"' in page
