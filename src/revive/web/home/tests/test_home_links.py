"""Every link of every role's home lands on what it names, in the reader's digits."""

import re
from datetime import date

import pytest
from django.urls import reverse

from revive.cases import services as cases
from revive.cases.models import Resolution
from revive.registry.models import Organisation
from revive.web.home.tests.test_home import PERSONAS, work  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    """The task links and the "see all" / "open the list" links of the home's sections."""
    tasks = re.findall(r'<tr data-kind="[^"]+"[^>]*>\s*<td><a href="([^"]+)"', html)
    more = re.findall(r'<p><a href="([^"]+)">', html.split('<div class="tasks">', 1)[-1])
    return [link.replace("&amp;", "&") for link in tasks + more]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_home_link_opens_and_its_anchor_is_on_the_page(login, request, work, persona):  # noqa: F811
    client = login(request.getfixturevalue(persona))
    links = _links(client.get(reverse("web:home")).content.decode())
    for link in links:
        path, _, fragment = link.partition("#")
        response = client.get(path)
        assert response.status_code == 200, (persona, link)
        if fragment:
            assert f'id="{fragment}"' in response.content.decode(), (persona, link)


def test_referred_resolutions_link_to_themselves_and_see_all_lists_only_referred(
    login,
    world,
    work,  # noqa: F811
    analyst,
    officer_semnan,
    monkeypatch,
):
    from revive.work import selectors

    monkeypatch.setattr(selectors, "SHOWN", 1)
    referred = work["resolution"]
    meeting = referred.meeting
    for n in range(2):  # one more referral (so "see all" shows) and one not referred
        r = cases.resolution_issue(
            meeting=meeting,
            organisation=Organisation.objects.get(code="gas-20"),
            text=f"مورد {n}",
            deadline=date(2026, 11, 2),
            case=referred.case,
            by=officer_semnan,
        )
        if n == 0:
            cases.resolution_escalate(resolution=r, by=officer_semnan)
    client = login(analyst)
    html = client.get(reverse("web:home")).content.decode()
    links = _links(html)
    assert any(f"id={referred.pk}#resolution-{referred.pk}" in link for link in links)
    see_all = [link for link in links if "escalated=1" in link]
    assert see_all, links
    page = client.get(see_all[0]).content.decode()
    shown = set(map(int, re.findall(r'<tr id="resolution-(\d+)"', page)))
    assert shown == set(
        Resolution.objects.filter(status=Resolution.Status.PENDING, escalated=True).values_list(
            "pk", flat=True
        )
    )


def test_task_titles_use_persian_digits_and_the_overdue_line_counts_all(login, work, analyst, monkeypatch):  # noqa: F811
    from revive.work import selectors

    monkeypatch.setattr(selectors, "SHOWN", 0)
    html = login(analyst).get(reverse("web:home")).content.decode()
    # nothing is shown, yet the referred resolution is overdue and the line says so
    assert re.search(r'<p class="second">\s*[۱-۹]', html), html
    monkeypatch.setattr(selectors, "SHOWN", 10)
    html = login(analyst).get(reverse("web:home")).content.decode()
    titles = re.findall(r'<tr data-kind="[^"]+"[^>]*>\s*<td><a href="[^"]+">([^<]+)</a>', html)
    assert titles and not any(re.search(r"[0-9]", t) for t in titles), titles


def test_lists_without_due_dates_have_no_due_column(login, work, bank_melli):  # noqa: F811
    html = login(bank_melli).get(reverse("web:home")).content.decode()
    section = re.search(r'<section class="task-section" id="tasks-loan_decision".*?</section>', html, re.S)
    assert section and "<tr data-kind" in section.group(0)
    assert section.group(0).count("<th ") == 2  # what, since: no column of dashes


def test_lists_without_start_dates_have_no_since_column(login, work, analyst):  # noqa: F811
    html = login(analyst).get(reverse("web:home")).content.decode()
    section = re.search(r'<section class="task-section" id="tasks-referral".*?</section>', html, re.S)
    assert section and "<tr data-kind" in section.group(0)
    assert section.group(0).count("<th ") == 2  # what, due
