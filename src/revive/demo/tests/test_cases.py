"""Demo cases: consistent with the units' status histories, calibrated to the published figures, deterministic."""

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import F

from revive.cases import selectors, workflow
from revive.cases.models import (
    INFRASTRUCTURE_OBSTACLES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseState,
    FieldVisit,
    Meeting,
    Obstacle,
    ObstacleKind,
    Resolution,
)
from revive.cases.reference import AGENCY_KINDS, agencies_load
from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.demo import cases as demo
from revive.demo import registry as registry_demo
from revive.registry.models import (
    PRODUCING_BANDS,
    Band,
    Organisation,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    UnitStatus,
)
from revive.registry.reference import reference_load

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # 3 Azar 1405


@pytest.fixture(scope="module")
def nation(django_db_setup, django_db_blocker):
    """The registry demo at scale 0.05 and its cases, shared by the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        registry_demo.generate(seed=1, scale=0.05, today=TODAY)
        counts = demo.generate(seed=1, today=TODAY)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def on_demo_day(monkeypatch):
    """The selectors judge deadlines against today: make it the demo's day."""
    monkeypatch.setattr(calendar, "tehran_today", lambda now=None: TODAY)


def fingerprint() -> str:
    digest = hashlib.sha256()
    queries = [
        Case.objects.order_by("unit__business_id", "opened_on", "revived_on").values_list(
            "unit__business_id", "state", "origin", "opened_on", "band_at_opening", "revived_on", "jobs_restored",
            "version",
        ),
        Obstacle.objects.order_by("case__unit__business_id", "case__opened_on", "id").values_list(
            "case__unit__business_id", "kind", "organisation__code", "amount", "status", "infrastructure__utility"
        ),
        Meeting.objects.order_by("province__code", "number").values_list("province__code", "number", "held_on"),
        Resolution.objects.order_by("meeting__province__code", "meeting__number", "id").values_list(
            "meeting__number", "case__unit__business_id", "organisation__code", "text", "deadline", "status",
            "closed_on", "escalated", "response",
        ),
        FieldVisit.objects.order_by("case__unit__business_id", "visited_on", "id").values_list(
            "case__unit__business_id", "visited_on", "capacity_observed", "employees_observed", "verifies_revival"
        ),
        CaseEvent.objects.order_by("case__unit__business_id", "case__opened_on", "on", "at", "id").values_list(
            "case__unit__business_id", "on", "kind", "from_state", "to_state", "text"
        ),
    ]  # fmt: skip
    for query in queries:
        for row in query.iterator(chunk_size=20_000):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_every_idle_or_weak_unit_has_exactly_one_open_case_and_no_other_unit_has_one(nation):
    open_cases = Counter(Case.objects.filter(state__in=OPEN_STATES).values_list("unit_id", flat=True))
    weak = set(
        ProductionUnit.objects.filter(current_band__in=[Band.IDLE, Band.BELOW_50]).values_list(
            "id", flat=True
        )
    )
    assert set(open_cases) == weak and set(open_cases.values()) == {1}
    states = Counter(Case.objects.filter(state__in=OPEN_STATES).values_list("state", flat=True))
    assert 0.33 <= states[CaseState.IN_PROGRESS] / len(weak) <= 0.45
    assert 0.20 <= states[CaseState.IDENTIFIED] / len(weak) <= 0.30
    since = dict(ProductionUnit.objects.values_list("id", "band_since"))
    intake = calendar.nowruz(1398)
    for unit_id, opened_on in Case.objects.filter(state__in=OPEN_STATES).values_list("unit_id", "opened_on"):
        assert opened_on == since[unit_id] or (since[unit_id] < intake and opened_on < intake)


def test_revived_cases_match_the_revival_events_one_to_one(nation):
    events = Counter(
        UnitStatus.objects.filter(event=UnitStatus.Event.REVIVED).values_list(
            "unit_id", "effective_date", "jobs"
        )
    )
    cases = Counter(
        Case.objects.exclude(revived_on=None).values_list("unit_id", "revived_on", "jobs_restored")
    )
    assert cases == events and sum(events.values()) > 300
    assert not Case.objects.exclude(revived_on=None).filter(state__in=OPEN_STATES).exists()


def test_sustained_and_relapsed_cases_follow_the_status_history(nation):
    history = defaultdict(list)
    for unit_id, on, band in UnitStatus.objects.order_by("unit_id", "effective_date", "id").values_list(
        "unit_id", "effective_date", "band"
    ):
        history[unit_id].append((on, band))
    for case in Case.objects.exclude(revived_on=None):
        later = [(on, band) for on, band in history[case.unit_id] if on > case.revived_on]
        went_idle = any(band == Band.IDLE for _on, band in later)
        assert (case.state == CaseState.RELAPSED) == went_idle, case.pk
        if case.state == CaseState.SUSTAINED:
            due = case.revived_on + demo.SUSTAIN_AFTER
            in_force = [band for on, band in history[case.unit_id] if on <= due][-1]
            assert due <= TODAY and in_force in PRODUCING_BANDS


def test_each_timeline_replays_the_workflow_to_the_case_state(nation):
    events = defaultdict(list)
    for row in CaseEvent.objects.order_by("on", "at", "id").values_list(
        "case_id", "on", "kind", "from_state", "to_state", "actor_label"
    ):
        events[row[0]].append(row[1:])
    for case in Case.objects.all():
        state, last = None, case.opened_on
        for on, kind, from_state, to_state, actor in events[case.pk]:
            assert last <= on <= TODAY and actor == "demo"
            last = on
            if kind == "opened":
                state = to_state
            elif kind == "transition":
                assert from_state == state
                workflow.require(state, to_state)
                state = to_state
        assert state == case.state, case.pk
    assert not Case.objects.filter(state=CaseState.IN_PROGRESS, resolutions=None).exists()
    assert not Case.objects.filter(state=CaseState.IDENTIFIED).exclude(obstacles=None).exists()
    done_after_revival = Resolution.objects.filter(
        status=Resolution.Status.DONE, case__revived_on__isnull=False, closed_on__gt=F("case__revived_on")
    )
    assert not done_after_revival.exists()


def test_execution_rates_by_province_land_in_the_published_range(nation, on_demo_day):
    result = selectors.execution(scope=NATION)
    judged = 0
    for row in result["by_province"]:
        due = row["done"] + row["not_done"] + row["overdue"]
        if due >= 20:
            judged += 1
            assert 0.35 <= row["execution_rate"] <= 0.92, row["province"].code
    assert judged >= 10
    assert 0 < result["overdue"] < result["pending"]


def test_about_55_percent_of_resolutions_are_addressed_to_banks(nation):
    kinds = Counter(Resolution.objects.values_list("organisation__kind", flat=True))
    assert 0.45 <= kinds[Organisation.Kind.BANK] / sum(kinds.values()) <= 0.65
    mismatched = Resolution.objects.exclude(organisation__kind=Organisation.Kind.BANK).exclude(
        organisation__province=F("province")
    )
    assert not mismatched.exists()


def test_obstacles_follow_the_published_causes_and_the_parks_infrastructure(nation):
    kinds_by_case = defaultdict(set)
    for case_id, kind in Obstacle.objects.values_list("case_id", "kind"):
        kinds_by_case[case_id].add(kind)
    share = Counter(kind for kinds in kinds_by_case.values() for kind in kinds)
    assert 0.50 <= share[ObstacleKind.WORKING_CAPITAL] / len(kinds_by_case) <= 0.80
    assert 0.35 <= share[ObstacleKind.BANK_DEBT] / len(kinds_by_case) <= 0.65
    for obstacle in Obstacle.objects.filter(kind__in=INFRASTRUCTURE_OBSTACLES).select_related(
        "infrastructure", "case"
    ):
        infrastructure = obstacle.infrastructure
        assert infrastructure.park_id == obstacle.case.park_id
        assert infrastructure.utility == INFRASTRUCTURE_OBSTACLES[obstacle.kind]
        assert infrastructure.status != ParkInfrastructure.Status.ADEQUATE
    money = Obstacle.objects.filter(kind=ObstacleKind.WORKING_CAPITAL)
    assert not money.filter(amount=None).exists() and not money.filter(organisation__kind="tax").exists()
    revived = Obstacle.objects.exclude(case__revived_on=None)
    assert not revived.exclude(status=Obstacle.Status.REMOVED).exists()


def test_each_revival_is_verified_by_a_field_visit_inside_the_band_it_restarted_in(nation):
    revivals = UnitStatus.objects.filter(event=UnitStatus.Event.REVIVED)
    bands = {(u, on): band for u, on, band in revivals.values_list("unit_id", "effective_date", "band")}
    visits = FieldVisit.objects.filter(verifies_revival=True).select_related("case")
    assert visits.count() == Case.objects.exclude(revived_on=None).count()
    for visit in visits:
        assert visit.visited_on == visit.case.revived_on
        band = bands[(visit.case.unit_id, visit.visited_on)]
        low, high = {Band.BELOW_50: (1, 49), Band.FROM_50_TO_70: (50, 70), Band.ABOVE_70: (71, 100)}[band]
        assert low <= visit.capacity_observed <= high


def test_meetings_are_numbered_from_one_in_each_province(nation):
    numbers = defaultdict(list)
    for code, number, held_on in Meeting.objects.order_by("held_on", "number").values_list(
        "province__code", "number", "held_on"
    ):
        assert calendar.nowruz(1398) <= held_on <= TODAY + timedelta(days=21)
        numbers[code].append(number)
    assert all(found == list(range(1, len(found) + 1)) for found in numbers.values())
    assert not Meeting.objects.filter(cases=None, held_on__lte=TODAY).exists()


def test_each_province_has_its_next_meeting_called_and_nothing_decided_at_it(nation):
    upcoming = Meeting.objects.filter(held_on__gt=TODAY)
    assert sorted(upcoming.values_list("province__code", flat=True)) == sorted(
        Province.objects.values_list("code", flat=True)
    )
    for meeting in upcoming:
        assert TODAY + timedelta(days=5) <= meeting.held_on <= TODAY + timedelta(days=21)
        assert meeting.held_on.weekday() not in (3, 4)  # not on the Iranian weekend
        assert not meeting.cases.exists() and not meeting.resolutions.exists()
        held = Meeting.objects.filter(province=meeting.province, held_on__lte=TODAY)
        assert meeting.number == held.count() + 1


def test_numbers_in_the_persian_texts_are_written_in_persian_digits(nation):
    texts = [*Resolution.objects.values_list("text", flat=True)]
    texts += FieldVisit.objects.values_list("findings", flat=True)
    assert any("۰" <= ch <= "۹" for text in texts for ch in text)
    assert not [text for text in texts if any(ch.isascii() and ch.isdigit() for ch in text)][:3]


def test_the_agenda_offers_open_cases_without_a_pending_resolution(nation):
    semnan = Province.objects.get(code="IR-20")
    candidates = selectors.agenda_candidates(scope=NATION, province=semnan)
    open_cases = Case.objects.filter(province=semnan, state__in=OPEN_STATES)
    assert 0 < candidates.count() <= open_cases.count()


def test_generation_is_recorded_once_in_the_audit_trail(nation):
    event = AuditEvent.objects.get(action="demo_cases")
    assert event.object_id == "1" and event.after["cases"] == nation["cases"] == Case.objects.count()


def test_same_seed_and_day_give_identical_cases(nation):
    first = fingerprint()
    with pytest.raises(DomainError):
        demo.generate(seed=1, today=TODAY)
    demo.cases_clear()
    AuditEvent.objects.filter(action="demo_cases").delete()
    again = demo.generate(seed=1, today=TODAY)
    assert again == nation
    assert fingerprint() == first


def test_agencies_load_is_idempotent():
    reference_load()
    agencies_load()
    before = list(Organisation.objects.order_by("code").values_list("code", "kind", "name_fa", "name_en"))
    agencies_load()
    after = list(Organisation.objects.order_by("code").values_list("code", "kind", "name_fa", "name_en"))
    assert after == before
    assert Organisation.objects.exclude(kind=Organisation.Kind.BANK).count() == 31 * len(AGENCY_KINDS)
    gas = Organisation.objects.get(code="gas-20")
    assert (gas.name_fa, gas.name_en, gas.province.code) == (
        "شرکت گاز استان سمنان",
        "Semnan Province Gas Company",
        "IR-20",
    )
    assert Organisation.objects.get(code="social-security-20").kind == Organisation.Kind.SOCIAL_SECURITY
    assert Organisation.objects.get(code="parks-company-20").kind == Organisation.Kind.PARKS_COMPANY


def test_demo_cases_are_worked_on_with_the_services_as_usual(nation, on_demo_day):
    from revive.cases import services

    case = Case.objects.filter(state=CaseState.IDENTIFIED).order_by("id").first()
    obstacle = services.obstacle_add(case=case, by="officer", kind=ObstacleKind.MARKET, version=case.version)
    case.refresh_from_db()
    assert case.state == CaseState.DIAGNOSED and obstacle.pk > 0
    last = Meeting.objects.filter(province=case.province).order_by("-number").first()
    meeting = services.meeting_create(
        province=case.province, number=last.number + 1, held_on=TODAY, by="officer", cases=[case]
    )
    agency = Organisation.objects.get(code=f"parks-company-{case.province.code[-2:]}")
    resolution = services.resolution_issue(
        meeting=meeting, organisation=agency, text="پیگیری", deadline=TODAY, by="officer", case=case
    )
    assert resolution.pk > Resolution.objects.exclude(pk=resolution.pk).order_by("-pk").first().pk
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS


def test_most_open_cases_are_assigned_unevenly_and_on_their_timelines(nation):
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    assigned = open_cases.filter(officer__isnull=False)
    assert 0.7 < assigned.count() / open_cases.count() < 0.95
    for case in assigned.select_related("officer")[:50]:
        assert case.officer.province_id == case.province_id
        assert case.events.filter(kind="assigned", text=case.officer.username).exists()
    semnan = Province.objects.get(code="IR-20")
    loads = Counter(assigned.filter(province=semnan).values_list("officer__username", flat=True))
    assert loads.most_common(1)[0][0] == "officer.semnan"
    assert len(loads) >= 2 and min(loads.values()) < max(loads.values())
    assert nation["cases_assigned"] == assigned.count()
