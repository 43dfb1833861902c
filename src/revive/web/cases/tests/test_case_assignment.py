"""Case assignment: an officer of the case's province only, audited, on the timeline, filtered."""

import pytest
from django.urls import reverse

from revive.cases import selectors, services
from revive.cases.models import Case, CaseEvent, CaseState
from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import scope_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def semnan_case(world):
    return Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)


def test_assigning_a_case_is_audited_and_on_its_timeline(semnan_case, officer_semnan, national_admin):
    services.case_assign(case=semnan_case, officer=officer_semnan, by=national_admin)
    semnan_case.refresh_from_db()
    assert semnan_case.officer == officer_semnan
    event = AuditEvent.objects.get(action="case_assign", object_id=str(semnan_case.pk))
    assert event.after == {"officer": "officer.semnan"} and event.before == {"officer": ""}
    assert CaseEvent.objects.filter(case=semnan_case, kind="assigned").count() == 1


def test_an_officer_of_another_province_cannot_be_assigned(semnan_case, officer_tehran, national_admin):
    with pytest.raises(DomainError):
        services.case_assign(case=semnan_case, officer=officer_tehran, by=national_admin)
    semnan_case.refresh_from_db()
    assert semnan_case.officer is None


def test_the_case_page_assigns_and_the_list_filters_mine_and_unassigned(login, semnan_case, officer_semnan):
    client = login(officer_semnan)
    page = client.get(reverse("web:case", args=[semnan_case.pk])).content.decode()
    assert reverse("web:case_assign", args=[semnan_case.pk]) in page
    unassigned = client.get(reverse("web:cases"), {"officer": "none"}).content.decode()
    assert f'href="{reverse("web:case", args=[semnan_case.pk])}"' in unassigned
    response = client.post(
        reverse("web:case_assign", args=[semnan_case.pk]),
        {"officer": "officer.semnan", "version": semnan_case.version},
    )
    assert response.status_code == 302
    mine = client.get(reverse("web:cases"), {"officer": "me"}).content.decode()
    assert f'href="{reverse("web:case", args=[semnan_case.pk])}"' in mine
    unassigned = client.get(reverse("web:cases"), {"officer": "none"}).content.decode()
    assert f'href="{reverse("web:case", args=[semnan_case.pk])}"' not in unassigned
    timeline = client.get(reverse("web:case", args=[semnan_case.pk])).content.decode()
    assert "officer.semnan" in timeline
    workload = selectors.workload(scope=scope_for(officer_semnan))
    assert {"officer": "officer.semnan", "open_cases": 1} in workload


def test_another_provinces_officer_cannot_assign(login, semnan_case, officer_tehran):
    response = login(officer_tehran).post(
        reverse("web:case_assign", args=[semnan_case.pk]), {"officer": "officer.tehran"}
    )
    assert response.status_code == 404


def test_a_liaison_cannot_assign(login, semnan_case, gas_semnan):
    response = login(gas_semnan).post(reverse("web:case_assign", args=[semnan_case.pk]), {"officer": ""})
    assert response.status_code == 404
