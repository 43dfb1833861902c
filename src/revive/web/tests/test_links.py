"""No dead ends: every link a reader is shown opens for that reader.

A crawl from the home page as each kind of reader (unit owner, park manager, bank officer, agency
liaison, provincial officer), following this site's links: none answers 403, 404 or 5xx. Found on
the demo: a unit owner's crumbs led to his province's and park's pages, a park manager's case page to
the meeting that issued a resolution, a bank officer's funnel to its provinces and a park manager's
to its banks, all 404 for them (scope.sees / the `sees` filter now decide whether a record is linked).
"""

from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlparse

import pytest

from revive.accounts.models import User
from revive.cases import services as case_services
from revive.cases.models import Case
from revive.core.roles import Role
from revive.finance.tests import factories
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db

SKIP = ("/logout/", "/i18n/", "/admin/", "/api/", "/static/", "/media/")
PER_KIND = 2  # pages of the same shape (ids and query values aside) that are opened
LIMIT = 150


class _Links(HTMLParser):
    """The page's links, and what its ids and labels say: ids used twice, labels for no element."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.label_for: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        href = a.get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            self.hrefs.append(href)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "label" and a.get("for"):
            self.label_for.append(a["for"])

    def id_problems(self) -> list[str]:
        seen, twice = set(), set()
        for i in self.ids:
            (twice if i in seen else seen).add(i)
        return [f"id {i!r} twice" for i in sorted(twice)] + [
            f"label for {f!r}: no such element" for f in self.label_for if f not in seen
        ]


def _kind(url: str) -> str:
    parts = urlparse(url)
    shape = "".join("#" if c.isdigit() else c for c in parts.path)
    return shape + "?" + ",".join(sorted(k for k, _ in parse_qsl(parts.query)))


def _dead_ends(client, id_problems: list | None = None) -> list[tuple[int, str, str]]:
    """(status, url, the page that linked it) for every link that does not open; the pages' id problems
    (an id used twice: a label or an error summary's link reaches the wrong field) into `id_problems`."""
    queue, seen, kinds, dead = [("/home/", "")], set(), {}, []
    while queue and len(seen) < LIMIT:
        url, came_from = queue.pop(0)
        parts = urlparse(url)
        if parts.netloc or url in seen or any(s in parts.path for s in SKIP) or "export=" in parts.query:
            continue
        kinds[_kind(url)] = kinds.get(_kind(url), 0) + 1
        if kinds[_kind(url)] > PER_KIND:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            dead.append((response.status_code, url, came_from))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        links = _Links()
        links.feed(response.content.decode())
        if id_problems is not None:
            id_problems.extend((url, p) for p in links.id_problems())
        for href in links.hrefs:
            target = urlparse(urljoin(url, href))
            if not target.netloc or target.netloc == "testserver":
                queue.append((target.path + ("?" + target.query if target.query else ""), url))
    return dead


@pytest.fixture
def linked_world(world, officer_semnan, officer_tehran, bank_melli):
    """Kavir Dairy's case (park P-20-002) with a resolution of a workgroup meeting; loans introduced to two
    banks from two provinces, so the funnel has rows of both to link."""
    case = Case.objects.get(unit=world["units"]["200000000022"])
    meeting = case_services.meeting_create(
        province=case.province, number=7, held_on=date(2026, 9, 1), by=officer_semnan
    )
    case_services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز",
        deadline=date(2026, 10, 1),
        case=case,
        by=officer_semnan,
    )
    factories.introduced(
        world, officer_semnan, to="melli", on=date(2026, 4, 10), registered_on=date(2026, 4, 1)
    )
    factories.introduced(
        world, officer_tehran, to="melli", business_id="230000000022", on=date(2026, 4, 10),
        registered_on=date(2026, 4, 1),
    )  # fmt: skip
    factories.introduced(
        world, officer_semnan, to="sepah", business_id="200000000011", on=date(2026, 4, 10),
        registered_on=date(2026, 4, 1),
    )  # fmt: skip
    return world


def _reader(world, kind: str, request):
    if kind == "park_manager":
        return User.objects.create_user(
            username="park.P-20-002", role=Role.PARK_MANAGER, park=world["parks"]["P-20-002"]
        )
    if kind == "unit_owner":
        return User.objects.create_user(
            username="owner.200000000022", role=Role.UNIT_OWNER, unit=world["units"]["200000000022"]
        )
    return request.getfixturevalue(kind)


@pytest.mark.parametrize("kind", ["unit_owner", "park_manager", "bank_melli", "gas_semnan", "officer_semnan"])
def test_every_link_a_reader_is_shown_opens(client, linked_world, kind, request):
    client.force_login(_reader(linked_world, kind, request))
    id_problems: list = []
    assert _dead_ends(client, id_problems) == []
    # and on every page opened, each id names one element and each label one field (the case page had two
    # fields with id_note: the transition's label led to the obstacle form's note)
    assert id_problems == [], id_problems


def test_the_address_of_a_forms_errors_opens_with_get(login, officer_semnan, world):
    """A form's errors are drawn at the form's own address (/cases/5/visits/); the language switch (its
    `next` is that address), a download link (?export=csv) or a reload then asked it with GET, and the
    POST-only view answered Django's empty 405. It now goes to the page the form belongs to, query kept."""
    case = Case.objects.get(unit=world["units"]["200000000022"])
    client = login(officer_semnan)
    failed = client.post(f"/cases/{case.pk}/visits/", {"visited_on": "1405/13/01", "findings": "x"})
    assert failed.status_code == 400
    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/cases/{case.pk}/visits/"})
    assert client.get(switched["Location"]).status_code == 302
    assert client.get(switched["Location"], follow=True).status_code == 200
    download = client.get(f"/cases/{case.pk}/visits/?export=csv")
    assert download.status_code == 302 and download["Location"] == f"/cases/{case.pk}/?export=csv"
    for address, page in [
        (f"/cases/{case.pk}/transition/", f"/cases/{case.pk}/"),
        (f"/units/{case.unit.business_id}/open-case/", f"/units/{case.unit.business_id}/"),
        ("/loans/lending-share/figures/", "/loans/lending-share/"),
    ]:
        assert client.get(address)["Location"] == page
    assert client.put(f"/cases/{case.pk}/visits/").status_code == 405
