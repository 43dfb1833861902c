"""Every role lands on its own work, and every menu link a role sees opens."""

import re
from datetime import date

import pytest
from django.urls import reverse

from revive.accounts.services import token_create
from revive.cases import services as cases
from revive.cases.models import Case, CaseState
from revive.finance.tests import factories
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db

PERSONAS = [
    "national_admin",
    "analyst",
    "officer_semnan",
    "bank_melli",
    "gas_semnan",
    "park_manager",
    "unit_owner",
]


@pytest.fixture
def work(world, officer_semnan):
    """Something waiting for every role: an unassigned case, a resolution to the gas company and one
    referred to the national level, an introduction to Bank Melli."""
    case = Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)
    meeting = cases.meeting_create(
        province=case.province, number=3, held_on=date(2026, 10, 1), by=officer_semnan, cases=[case]
    )
    overdue = cases.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز",
        deadline=date(2026, 11, 1),
        case=case,
        by=officer_semnan,
    )
    cases.resolution_escalate(resolution=overdue, by=officer_semnan)
    loan = factories.introduced(world, officer_semnan, business_id="200000000011")
    return {"case": case, "resolution": overdue, "loan": loan}


def _menu_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    assert nav, "the page has a main menu"
    return re.findall(r'href="([^"]+)"', nav.group(1))


def _task_links(html: str) -> list[str]:
    return re.findall(r'<tr data-kind="[^"]+"[^>]*>\s*<td><a href="([^"]+)"', html)


@pytest.mark.parametrize("persona", PERSONAS)
def test_sign_in_lands_on_the_home_and_every_menu_link_opens(client, request, work, persona):
    user = request.getfixturevalue(persona)
    response = client.post(
        reverse("web:login"), {"username": user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    links = _menu_links(home.content.decode())
    assert reverse("web:home") in links
    for link in links:
        assert client.get(link).status_code == 200, (persona, link)
    # the public page sends a signed-in user home rather than to a page they may not open
    assert client.get(reverse("web:public"))["Location"] == reverse("web:home")


@pytest.mark.parametrize("persona", ["park_manager", "unit_owner", "bank_melli", "gas_semnan"])
def test_roles_without_targets_have_no_targets_item(login, request, work, persona):
    html = login(request.getfixturevalue(persona)).get(reverse("web:home")).content.decode()
    assert reverse("web:dashboard") not in _menu_links(html)


def test_homes_list_real_tasks(login, work, bank_melli, gas_semnan, officer_semnan, analyst, park_manager):
    client = login(bank_melli)
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("web:loan", args=[work["loan"].pk]) in _task_links(html)
    client = login(gas_semnan)
    html = client.get(reverse("web:home")).content.decode()
    assert f"#resolution-{work['resolution'].pk}" in html and "overdue" in html or "دیرکرد" in html
    client = login(officer_semnan)
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("web:case", args=[work["case"].pk]) in _task_links(html)  # unassigned
    html = login(analyst).get(reverse("web:home")).content.decode()
    assert f"#resolution-{work['resolution'].pk}" in html  # referred to the national level
    html = login(park_manager).get(reverse("web:home")).content.decode()
    assert reverse("web:unit", args=["200000000011"]) in _task_links(html)  # has not filed


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_me_tasks_matches_the_home(client, request, work, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    home_links = _task_links(client.get(reverse("web:home")).content.decode())
    client.logout()
    token = token_create(user=user)
    body = client.get("/api/v1/me/tasks", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [i["url"] for i in body["items"]] == [link.replace("&amp;", "&") for link in home_links]
    assert body["count"] == len(body["items"])
    if persona in ("bank_melli", "gas_semnan", "officer_semnan", "analyst"):
        assert body["items"], persona
    for item in body["items"]:
        assert set(item) == {"kind", "title", "url", "since", "due", "overdue"}


def test_api_me_tasks_is_in_the_schema(client):
    assert "/api/v1/me/tasks" in client.get("/api/v1/openapi.json").json()["paths"]


def test_home_costs_a_handful_of_queries_whatever_the_number_of_cases(
    login, work, officer_semnan, django_assert_max_num_queries
):
    client = login(officer_semnan)
    with django_assert_max_num_queries(20):
        client.get(reverse("web:home"))


@pytest.mark.parametrize(
    "persona,label", [("park_manager", "شهرک صنعتی سمنان 1"), ("unit_owner", "ریخته‌گری سمنان")]
)
def test_owners_and_park_managers_get_an_overview_of_their_own_park_or_unit(
    login, request, world, persona, label
):
    html = login(request.getfixturevalue(persona)).get(reverse("web:overview")).content.decode()
    period = re.search(r'<p class="period">(.*?)</p>', html, re.S).group(1)
    assert label in period and "کل کشور" not in period


def test_a_liaisons_resolution_list_opens_on_what_waits_for_them_and_shows_their_answers(
    login, work, gas_semnan, officer_semnan
):
    answered = cases.resolution_issue(
        meeting=work["resolution"].meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="انشعاب گاز",
        deadline=date(2026, 12, 1),
        by=officer_semnan,
    )
    cases.resolution_mark(resolution=answered, status="done", by=gas_semnan, response="انشعاب وصل شد")
    client = login(gas_semnan)
    html = client.get(reverse("web:resolutions")).content.decode()
    assert f'id="resolution-{work["resolution"].pk}"' in html
    assert f'id="resolution-{answered.pk}"' not in html
    html = client.get(reverse("web:resolutions"), {"status": "all"}).content.decode()
    assert f'id="resolution-{answered.pk}"' in html and "انشعاب وصل شد" in html
