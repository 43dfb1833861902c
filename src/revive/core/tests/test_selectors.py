"""core.selectors: the audit rows a reader may see, each filter, and the record types they point at."""

from datetime import date, datetime, timedelta

import pytest

from revive.core import calendar
from revive.core.models import AuditEvent
from revive.core.scoping import scope_for
from revive.core.selectors import audit_events, object_types

pytestmark = pytest.mark.django_db


@pytest.fixture
def edits(world, officer_semnan, officer_tehran):
    from revive.cases import services
    from revive.cases.models import Case

    for officer, code in ((officer_semnan, "IR-20"), (officer_tehran, "IR-23")):
        case = Case.objects.filter(province__code=code).first()
        services.obstacle_add(case=case, by=officer, kind="market")


def test_a_province_sees_only_its_rows_and_the_nation_all(edits, officer_tehran, analyst):
    tehran = audit_events(scope=scope_for(officer_tehran), action="obstacle_add")
    assert {e.actor_label for e in tehran} == {"officer.tehran"}
    nation = audit_events(scope=scope_for(analyst), action="obstacle_add")
    assert {e.actor_label for e in nation} == {"officer.tehran", "officer.semnan"}


def test_filters_by_type_record_and_user_ignoring_case(edits, analyst):
    scope = scope_for(analyst)
    event = AuditEvent.objects.filter(action="obstacle_add", actor_label="officer.semnan").get()
    found = audit_events(scope=scope, object_type=event.object_type, object_id=event.object_id)
    assert list(found) == [event]
    assert set(audit_events(scope=scope, user=" OFFICER.SEMNAN ", action="obstacle_add")) == {event}
    assert not audit_events(scope=scope, object_type="cases.meeting", object_id=event.object_id).exists()


def test_dates_are_tehran_days_and_until_is_included(edits, analyst):
    scope = scope_for(analyst)
    event = AuditEvent.objects.filter(action="obstacle_add").first()
    # 01:00 in Tehran is that day, though UTC still says the day before (21:30).
    day = date(2026, 10, 1)
    AuditEvent.objects.filter(pk=event.pk).update(at=datetime(2026, 10, 1, 1, 0, tzinfo=calendar.TEHRAN))
    assert event in audit_events(scope=scope, since=day, until=day)
    assert event not in audit_events(scope=scope, since=day + timedelta(days=1))
    assert event not in audit_events(scope=scope, until=day - timedelta(days=1))


def test_record_types_are_the_models_of_revive_sorted_by_name():
    types = object_types()
    labels = [label for label, _name in types]
    assert "cases.case" in labels and "registry.productionunit" in labels
    assert not any(label.startswith(("auth.", "sessions.", "admin.")) for label in labels)
    names = [name.casefold() for _label, name in types]
    assert names == sorted(names)
