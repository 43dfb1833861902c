"""cases/agenda.py: finding a province's waiting cases for a meeting's agenda, and the next meeting number."""

from datetime import date

import pytest
from django.utils import translation

from revive.cases import services
from revive.cases.agenda import AgendaFilters, agenda_search, next_meeting_number
from revive.cases.models import Case
from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.registry.models import Province

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # Semnan's foundry case opened 2024-06-01, the dairy's 2026-01-05 (323 days)


def _found(**filters) -> list[str]:
    semnan = Province.objects.get(code="IR-20")
    qs = agenda_search(scope=NATION, province=semnan, filters=AgendaFilters(**filters), today=TODAY)
    return [c.unit.business_id for c in qs]


def test_the_province_waiting_cases_oldest_first_or_newest(world):
    assert _found() == ["200000000011", "200000000022"]
    assert _found(order="newest") == ["200000000022", "200000000011"]


def test_search_by_name_business_id_park_stage_obstacle_and_days_waiting(world, officer_semnan):
    dairy = Case.objects.get(unit__business_id="200000000022")
    services.obstacle_add(case=dairy, by=officer_semnan, kind="market")
    assert _found(q="kavir") == ["200000000022"]
    assert _found(q="۲۰۰۰۰۰۰۰۰۰۱") == ["200000000011"]  # the start of a business ID, in Persian digits
    assert _found(park="P-۲۰-۰۰۲") == ["200000000022"]
    assert _found(stage="diagnosed") == ["200000000022"] and _found(stage="identified") == ["200000000011"]
    assert _found(obstacle="market") == ["200000000022"] and _found(obstacle="gas") == []
    assert _found(min_days="323") == ["200000000011", "200000000022"]
    assert _found(min_days="۳۲۴") == ["200000000011"]


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"stage": "revived"}, "stage"),
        ({"obstacle": "weather"}, "obstacle"),
        ({"min_days": "a month"}, "min_days"),
        ({"min_days": "99999"}, "min_days"),
        ({"order": "random"}, "order"),
    ],
)
def test_a_bad_filter_value_is_refused_by_name(world, filters, field):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _found(**filters)
    assert refused.value.details["field"] == field


def test_the_next_meeting_number_follows_the_provinces_highest(world, officer_semnan):
    semnan = Province.objects.get(code="IR-20")
    assert next_meeting_number(province=semnan) == 1
    services.meeting_create(province=semnan, number=12, held_on=date(2026, 9, 1), by=officer_semnan)
    assert next_meeting_number(province=semnan) == 13
    assert next_meeting_number(province=Province.objects.get(code="IR-23")) == 1
