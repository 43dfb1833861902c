"""Every write leaves an audit row: a representative scenario drives the services, and each object
written in a step (one service call, one transaction) must have its own audit row in that step, or be
a child or a parent that the step's audit rows cover (the tables below, each entry with its reason).

A new model written by a service without `audit.record` fails here; so does a service that forgets it.
"""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_delete, post_save

from revive.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Key = tuple[str, str]  # (model label, primary key), as AuditEvent stores them

# Children written together with their parent, whose audit row describes them.
COVERED_BY_PARENT: dict[str, Callable] = {
    # The case's timeline, written by every case service next to the audit row of the case or of the
    # obstacle, resolution or visit the event is about.
    "cases.caseevent": lambda o: {("cases.case", str(o.case_id))},
    # A unit's status history: unit_status_record and unit_create audit the unit (band before/after).
    "registry.unitstatus": lambda o: {("registry.productionunit", str(o.unit_id))},
    # Photos of a visit: checked and stored by visit_record, audited on the visit.
    "cases.visitphoto": lambda o: {("cases.fieldvisit", str(o.visit_id))},
}

# An audit row on a child also covers the version and state bump it makes on its parent (the case).
COVERS_PARENT: dict[str, Callable] = {
    "cases.obstacle": lambda o: {("cases.case", str(o.case_id))},
    "cases.resolution": lambda o: {("cases.case", str(o.case_id))} if o.case_id else set(),
    "cases.fieldvisit": lambda o: {("cases.case", str(o.case_id))},
    "cases.meeting": lambda o: {("cases.case", str(pk)) for pk in o.cases.values_list("pk", flat=True)},
}


def _is_bookkeeping(label: str, kwargs: dict) -> bool:
    """Django's own last_login stamp on sign-in: not a change anyone makes (locked sign-ins are audited)."""
    return label == "accounts.user" and set(kwargs.get("update_fields") or ()) == {"last_login"}


class Writes:
    def __init__(self):
        self.objects: dict[Key, object] = {}

    def receiver(self, sender, instance, **kwargs):
        if not sender.__module__.startswith("revive.") or sender is AuditEvent:
            return
        label = sender._meta.label_lower
        if _is_bookkeeping(label, kwargs):
            return
        self.objects[(label, str(instance.pk))] = instance


@pytest.fixture
def audited():
    """`with audited("what the step does"):` around one service call; fails on an unaudited write."""
    steps: list[str] = []
    seen: dict[str, set] = defaultdict(set)

    @contextmanager
    def step(name: str):
        writes = Writes()
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        post_save.connect(writes.receiver, weak=False, dispatch_uid="audit-coverage-save")
        post_delete.connect(writes.receiver, weak=False, dispatch_uid="audit-coverage-delete")
        try:
            yield
        finally:
            post_save.disconnect(dispatch_uid="audit-coverage-save")
            post_delete.disconnect(dispatch_uid="audit-coverage-delete")
        covered: set[Key] = set()
        for event in AuditEvent.objects.filter(id__gt=last):
            key = (event.object_type, event.object_id)
            covered.add(key)
            obj = writes.objects.get(key)
            if obj is not None and event.object_type in COVERS_PARENT:
                covered |= COVERS_PARENT[event.object_type](obj)
        missing = []
        for (label, pk), obj in writes.objects.items():
            seen[label].add(name)
            if (label, pk) in covered:
                continue
            parent = COVERED_BY_PARENT.get(label)
            if parent is not None and parent(obj) & covered:
                continue
            missing.append(f"{label}#{pk}")
        assert not missing, f"{name}: written without an audit row: {', '.join(sorted(missing))}"
        steps.append(name)

    step.seen = seen
    return step


def test_every_write_of_the_registry_and_case_services_is_audited(
    world, officer_semnan, national_admin, audited, client, settings, tmp_path
):
    from revive.accounts.services import token_create
    from revive.cases import services as cases
    from revive.cases.models import Case, CaseState
    from revive.registry import services as registry
    from revive.registry.models import Band, Organisation, UnitStatus

    settings.MEDIA_ROOT = tmp_path
    semnan = world["provinces"]["IR-20"]
    park = world["parks"]["P-20-002"]
    unit = world["units"]["200000000022"]  # idle since 1404, with an open case

    with audited("unit_create"):
        new_unit = registry.unit_create(
            by=officer_semnan,
            business_id="200000000033",
            name_fa="کاشی کویر",
            name_en="Kavir Tiles",
            park=park,
            sector=unit.sector,
            size_class="small",
            employees=15,
            since=date(2020, 3, 20),
        )
    with audited("infrastructure_set"):
        registry.infrastructure_set(
            park=park, utility="electricity", status="insufficient", by=officer_semnan
        )
    with audited("unit_status_record: idle opens a case"):
        registry.unit_status_record(
            unit=new_unit,
            band=Band.IDLE,
            effective_date=date(2026, 6, 1),
            source=UnitStatus.Source.OFFICER,
            by=officer_semnan,
        )
    with audited("filing_submit: below 50%"):
        registry.filing_submit(
            unit=new_unit,
            jyear=1405,
            jmonth=5,
            production_value=1_000_000_000,
            capacity_utilisation=30,
            employees=12,
            by=officer_semnan,
        )
    with audited("filing_submit: a correction"):
        registry.filing_submit(
            unit=new_unit,
            jyear=1405,
            jmonth=5,
            production_value=1_200_000_000,
            capacity_utilisation=35,
            employees=12,
            by=officer_semnan,
        )

    case = Case.objects.get(unit=unit, state__in=["identified", "diagnosed", "in_progress"])
    gas = Organisation.objects.get(code="gas-20")
    with audited("obstacle_add"):
        obstacle = cases.obstacle_add(case=case, by=officer_semnan, kind="gas", organisation=gas)
    with audited("obstacle_add with an amount"):
        cases.obstacle_add(case=case, by=officer_semnan, kind="working_capital", amount=25_000_000_000)
    with audited("obstacle_set_status"):
        cases.obstacle_set_status(obstacle=obstacle, status="removed", by=officer_semnan)
    with audited("meeting_create"):
        meeting = cases.meeting_create(
            province=semnan,
            number=7,
            held_on=date(2026, 9, 1),
            by=officer_semnan,
            attendees=[gas],
            cases=[case],
        )
    with audited("resolution_issue"):
        resolution = cases.resolution_issue(
            meeting=meeting,
            organisation=gas,
            text="Connect gas",
            deadline=date(2026, 10, 1),
            case=case,
            by=officer_semnan,
        )
    with audited("resolution_escalate"):
        cases.resolution_escalate(resolution=resolution, by=officer_semnan)
    with audited("resolution_mark"):
        cases.resolution_mark(resolution=resolution, status="done", by=officer_semnan, response="Connected")
    with audited("visit_record with a photo, verifying the revival"):
        cases.visit_record(
            case=case,
            by=officer_semnan,
            visited_on=date(2026, 11, 1),
            findings="Producing again",
            capacity_observed=60,
            employees_observed=8,
            verifies_revival=True,
            photos=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")],
        )
    case.refresh_from_db()
    assert case.state == CaseState.REVIVED
    with audited("relapse: the unit goes idle again"):
        registry.unit_status_record(
            unit=unit,
            band=Band.IDLE,
            effective_date=date(2026, 11, 20),
            source=UnitStatus.Source.FILING,
            by=officer_semnan,
        )
    other = Case.objects.get(unit=new_unit, state__in=["identified", "diagnosed", "in_progress"])
    with audited("case_transition: closed"):
        cases.case_transition(
            case=other, to=CaseState.CLOSED, by=officer_semnan, note="Owner left the country"
        )
    with audited("token_create"):
        token_create(user=officer_semnan, by=national_admin)
    client.force_login(officer_semnan)  # last_login: bookkeeping, see _is_bookkeeping
    with audited("password change page"):
        response = client.post(
            "/account/password/",
            {
                "old_password": "correct-horse-battery",
                "new_password1": "another-long-passphrase",
                "new_password2": "another-long-passphrase",
            },
        )
        assert response.status_code == 302

    # The scenario did write these models, so the checks and the allow-lists above are exercised, not dead.
    for label in [
        "registry.productionunit",
        "registry.unitstatus",
        "registry.monthlyfiling",
        "registry.parkinfrastructure",
        "cases.case",
        "cases.caseevent",
        "cases.obstacle",
        "cases.meeting",
        "cases.resolution",
        "cases.fieldvisit",
        "cases.visitphoto",
        "accounts.apitoken",
        "accounts.user",
    ]:
        assert audited.seen[label], label


def test_an_unaudited_write_is_caught(world, audited):
    """The check itself: a model saved outside a service, with no audit row, fails the step."""
    from revive.registry.models import Sector

    with pytest.raises(AssertionError, match="registry.sector#"):
        with audited("a write that forgets the audit row"):
            sector = Sector.objects.first()
            sector.name_en = "Changed behind the audit's back"
            sector.save()


def test_a_child_without_its_parents_audit_row_is_caught(world, audited):
    from revive.cases.models import Case, CaseEvent

    case = Case.objects.first()
    with pytest.raises(AssertionError, match="cases.caseevent#"):
        with audited("a timeline entry without the case's audit row"):
            CaseEvent.objects.create(case=case, on=date(2026, 11, 1), kind="note", text="x")
