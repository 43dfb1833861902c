from datetime import date

import pytest

from revive.cases import services
from revive.cases.models import Case, CaseState, Obstacle, Resolution
from revive.core.models import AuditEvent
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def semnan_case(world):
    return Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)


@pytest.fixture
def semnan_meeting(semnan_case, officer_semnan):
    meeting = services.meeting_create(
        province=semnan_case.province,
        number=7,
        held_on=date(2026, 9, 1),
        by=officer_semnan,
        cases=[semnan_case],
    )
    services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز",
        deadline=date(2026, 10, 1),
        case=semnan_case,
        by=officer_semnan,
    )
    return meeting


def test_officer_sees_their_cases_in_persian(login, officer_semnan, semnan_case):
    body = login(officer_semnan).get("/cases/").content.decode()
    assert "لبنیات کویر" in body and "فولاد" not in body


def test_case_pages_of_another_province_answer_404(login, officer_tehran, semnan_case, semnan_meeting):
    client = login(officer_tehran)
    resolution = Resolution.objects.get()
    for url in [f"/cases/{semnan_case.pk}/", f"/meetings/{semnan_meeting.pk}/"]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/cases/{semnan_case.pk}/obstacles/", {"kind": "market"}),
        (f"/cases/{semnan_case.pk}/transition/", {"to": "closed", "note": "x"}),
        (
            f"/cases/{semnan_case.pk}/visits/",
            {"visited_on": "1405/08/01", "findings": "x", "capacity_observed": "10"},
        ),
        (f"/resolutions/{resolution.pk}/answer/", {"status": "done"}),
        ("/units/200000000022/open-case/", {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert not Obstacle.objects.exists()
    assert Resolution.objects.get().status == "pending"


def test_liaison_of_another_agency_cannot_answer(login, gas_tehran, bank_melli, semnan_meeting):
    resolution = Resolution.objects.get()
    for user in (gas_tehran, bank_melli):
        client = login(user)
        assert client.post(f"/resolutions/{resolution.pk}/answer/", {"status": "done"}).status_code == 404
        assert "اتصال گاز" not in client.get("/resolutions/").content.decode()
        assert client.get("/cases/").status_code == 404


def test_liaison_answers_in_place_with_htmx(login, gas_semnan, semnan_meeting):
    resolution = Resolution.objects.get()
    client = login(gas_semnan)
    assert "اتصال گاز" in client.get("/resolutions/").content.decode()
    response = client.post(
        f"/resolutions/{resolution.pk}/answer/",
        {"status": "done", "version": resolution.version, "response": "انجام شد"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and f'id="resolution-{resolution.pk}"' in response.content.decode()
    resolution.refresh_from_db()
    assert resolution.status == "done"
    assert AuditEvent.objects.filter(action="resolution_done", actor=gas_semnan).exists()


def test_stale_answer_gets_a_conflict_message(login, gas_semnan, officer_semnan, semnan_meeting):
    resolution = Resolution.objects.get()
    stale = resolution.version
    services.resolution_escalate(resolution=resolution, by=officer_semnan)
    response = login(gas_semnan).post(
        f"/resolutions/{resolution.pk}/answer/", {"status": "done", "version": stale}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    resolution.refresh_from_db()
    assert resolution.status == "pending"


def test_obstacle_with_letters_in_amount_keeps_form_and_writes_nothing(login, officer_semnan, semnan_case):
    response = login(officer_semnan).post(
        f"/cases/{semnan_case.pk}/obstacles/",
        {"kind": "working_capital", "amount": "25e9", "version": semnan_case.version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "25e9" in body
    assert not Obstacle.objects.exists()


def test_obstacle_in_persian_digits_is_recorded(login, officer_semnan, semnan_case):
    response = login(officer_semnan).post(
        f"/cases/{semnan_case.pk}/obstacles/",
        {
            "kind": "working_capital",
            "amount": "۲۵٬۰۰۰٬۰۰۰٬۰۰۰",
            "organisation": Organisation.objects.get(code="melli").pk,
            "version": semnan_case.version,
        },
    )
    assert response.status_code == 302
    assert Obstacle.objects.get().amount == 25_000_000_000


def test_meeting_agenda_builder_and_resolution_form(login, officer_semnan, semnan_case):
    client = login(officer_semnan)
    page = client.get("/meetings/new/").content.decode()
    assert f'value="{semnan_case.pk}"' in page
    response = client.post(
        "/meetings/new/", {"number": "۹", "held_on": "1405/06/10", "cases": [semnan_case.pk]}
    )
    assert response.status_code == 302
    meeting_url = response["Location"]
    bad = client.post(
        meeting_url,
        {
            "organisation": Organisation.objects.get(code="gas-20").pk,
            "case": semnan_case.pk,
            "text": "x",
            "deadline": "1405/05/01",
        },
    )
    assert bad.status_code == 400 and not Resolution.objects.exists()


def test_visit_verifies_revival_from_the_page(login, officer_semnan, semnan_case):
    client = login(officer_semnan)
    response = client.post(
        f"/cases/{semnan_case.pk}/visits/",
        {
            "visited_on": "۱۴۰۵/۰۸/۲۰",
            "findings": "تولید برقرار است",
            "capacity_observed": "60",
            "verifies_revival": "on",
        },
    )
    assert response.status_code == 302
    semnan_case.refresh_from_db()
    assert semnan_case.state == CaseState.REVIVED


def test_execution_and_survival_pages(login, national_admin, semnan_meeting):
    client = login(national_admin)
    assert 'data-figure="execution_rate"' in client.get("/resolutions/execution/").content.decode()
    assert client.get("/resolutions/overdue/").status_code == 200
    assert "<svg" in client.get("/cases/survival/").content.decode()


def test_park_manager_reads_but_cannot_change_cases(login, park_manager, world):
    case = Case.objects.filter(unit__park__code="P-20-001").first()
    client = login(park_manager)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.post(f"/cases/{case.pk}/obstacles/", {"kind": "market"}).status_code == 404


def test_overdue_resolution_is_referred_to_the_national_level(login, officer_semnan, semnan_meeting):
    resolution = Resolution.objects.get()  # deadline 1405/07/09, overdue on 1405/09/03
    client = login(officer_semnan)
    assert f"/resolutions/{resolution.pk}/escalate/" in client.get("/resolutions/overdue/").content.decode()
    response = client.post(f"/resolutions/{resolution.pk}/escalate/", {"version": resolution.version})
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.escalated
    assert AuditEvent.objects.filter(action="resolution_escalate").exists()
    again = client.post(f"/resolutions/{resolution.pk}/escalate/", {"version": resolution.version})
    assert again.status_code == 302 and Resolution.objects.get().version == resolution.version


def test_meeting_resolutions_are_paged_and_the_download_keeps_them_all(login, officer_semnan, semnan_meeting):
    gas = Organisation.objects.get(code="gas-20")
    for i in range(59):  # 60 with the fixture's
        services.resolution_issue(
            meeting=semnan_meeting,
            organisation=gas,
            text=f"مصوبه {i}",
            deadline=date(2026, 10, 2),
            by=officer_semnan,
        )
    client = login(officer_semnan)
    first = client.get(f"/meetings/{semnan_meeting.pk}/")
    second = client.get(f"/meetings/{semnan_meeting.pk}/", {"page": "2"})
    shown = [r.pk for r in first.context["page"]] + [r.pk for r in second.context["page"]]
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 10
    assert sorted(shown) == sorted(semnan_meeting.resolutions.values_list("pk", flat=True))
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    rows = b"".join(client.get(f"/meetings/{semnan_meeting.pk}/", {"export": "csv"}).streaming_content)
    text = rows.decode("utf-8-sig")
    assert all(f",مصوبه {i}," in text for i in range(59)) and len(text.strip().splitlines()) == 1 + 60


def test_a_long_agenda_is_folded_a_short_one_shown(login, officer_semnan, semnan_meeting, semnan_case):
    """A demo meeting had ~600 agenda cases listed in full: a 19,500 px page above the paged resolutions."""
    client = login(officer_semnan)
    short = client.get(f"/meetings/{semnan_meeting.pk}/").content.decode()
    assert '<details class="agenda">' not in short and f"/cases/{semnan_case.pk}/" in short
    closed = [
        Case(
            unit=semnan_case.unit,
            province=semnan_case.province,
            park=semnan_case.park,
            state=CaseState.CLOSED,
            origin=semnan_case.origin,
            opened_on=date(2025, 1, 1),
            band_at_opening="idle",
        )
        for _ in range(20)
    ]
    semnan_meeting.cases.add(*Case.objects.bulk_create(closed))
    long = client.get(f"/meetings/{semnan_meeting.pk}/").content.decode()
    folded = long.split('<details class="agenda">', 1)[1].split("</details>", 1)[0]
    assert all(f"/cases/{c.pk}/" in folded for c in [semnan_case, *closed])
    assert '<p class="count">۲۱</p>' in long


def test_agenda_items_as_the_template_wrote_them(login, officer_semnan, semnan_meeting, semnan_case):
    """The agenda's items are written in Python (_agenda_items): the same HTML the template loop wrote, in
    both languages, names escaped; an empty agenda says so."""
    from django.template import Context, Template
    from django.utils import translation

    from revive.web.cases.views import _agenda_items

    unit = semnan_case.unit
    unit.name_en = "Tom & <Jerry> 3"
    unit.save(update_fields=["name_en"])
    loop = Template(
        "{% load revive %}{% for c in agenda %}<li><a href=\"{% url 'web:case' c.pk %}\">#{{ c.pk|digits }} "
        "{{ c.unit|name }}</a> · {{ c.get_state_display }}</li>{% endfor %}"
    )
    agenda = list(semnan_meeting.cases.select_related("unit"))
    assert agenda
    for lang in ("fa", "en"):
        with translation.override(lang):
            assert _agenda_items(agenda) == loop.render(Context({"agenda": agenda}))
    with translation.override("en"):
        assert "Tom &amp; &lt;Jerry&gt; 3" in _agenda_items(agenda)
    semnan_meeting.cases.clear()
    page = login(officer_semnan).get(f"/meetings/{semnan_meeting.pk}/").content.decode()
    assert "<ul><li>پرونده‌ای در دستور جلسه نیست.</li></ul>" in page
