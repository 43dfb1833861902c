from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from revive.cases import selectors, services
from revive.cases.models import Case, CaseState, Obstacle, Resolution
from revive.core.calendar import year_to_date
from revive.core.errors import ConflictError, DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.registry import selectors as registry_selectors
from revive.registry import services as registry_services
from revive.registry.models import Band, Organisation, UnitStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _open_case(world):
    return Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)


def test_going_idle_opens_one_case_automatically(world):
    unit = world["units"]["200000000022"]
    case = _open_case(world)
    assert case.origin == Case.Origin.FILING and case.province.code == "IR-20"
    registry_services.unit_status_record(
        unit=unit,
        band=Band.BELOW_50,
        effective_date=date(2026, 2, 1),
        source=UnitStatus.Source.OFFICER,
        by="test",
    )
    registry_services.unit_status_record(
        unit=unit, band=Band.IDLE, effective_date=date(2026, 3, 1), source=UnitStatus.Source.FILING, by="test"
    )
    assert Case.objects.filter(unit=unit, state__in=["identified", "diagnosed", "in_progress"]).count() == 1


def test_second_open_case_for_a_unit_is_refused(world):
    with pytest.raises(ConflictError):
        services.case_open(unit=world["units"]["200000000022"], by="test")


def test_full_case_flow_counts_in_the_headline(world, officer_semnan, gas_semnan):
    case = _open_case(world)
    gas = Organisation.objects.get(code="gas-20")
    services.obstacle_add(
        case=case,
        by=officer_semnan,
        kind="working_capital",
        organisation=Organisation.objects.get(code="melli"),
        amount=25_000_000_000,
    )
    services.obstacle_add(case=case, by=officer_semnan, kind="gas", organisation=gas)
    case.refresh_from_db()
    assert case.state == CaseState.DIAGNOSED
    meeting = services.meeting_create(
        province=case.province,
        number=12,
        held_on=date(2026, 9, 1),
        by=officer_semnan,
        attendees=[gas],
        cases=[case],
    )
    resolution = services.resolution_issue(
        meeting=meeting,
        organisation=gas,
        text="اتصال گاز واحد",
        deadline=date(2026, 10, 1),
        case=case,
        by=officer_semnan,
    )
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    services.resolution_mark(resolution=resolution, status="done", by=gas_semnan, version=resolution.version)
    before = registry_selectors.revivals(scope=NATION, period=year_to_date(1405, date(2026, 11, 24)))[
        "revived_units"
    ]
    services.visit_record(
        case=case,
        by=officer_semnan,
        visited_on=date(2026, 11, 10),
        findings="خط تولید فعال است",
        capacity_observed=55,
        employees_observed=10,
        verifies_revival=True,
        photos=[SimpleUploadedFile("line.png", PNG, content_type="image/png")],
    )
    case.refresh_from_db()
    assert case.state == CaseState.REVIVED and case.jobs_restored == 10
    after = registry_selectors.revivals(scope=NATION, period=year_to_date(1405, date(2026, 11, 24)))[
        "revived_units"
    ]
    assert after == before + 1
    kinds = [e.kind for e in selectors.timeline(case=case)]
    assert kinds[0] == "opened" and "resolution" in kinds and "visit" in kinds
    assert AuditEvent.objects.filter(action="resolution_done").count() == 1


def test_transition_not_allowed_is_refused_and_nothing_written(world, officer_semnan):
    case = _open_case(world)
    with pytest.raises(ConflictError):
        services.case_transition(case=case, to=CaseState.SUSTAINED, by=officer_semnan)
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED and case.events.filter(kind="transition").count() == 0


def test_closing_needs_a_reason(world, officer_semnan):
    with pytest.raises(DomainError):
        services.case_transition(case=_open_case(world), to=CaseState.CLOSED, by=officer_semnan, note=" ")


def test_stale_edit_gets_a_conflict_not_an_overwrite(world, officer_semnan):
    case = _open_case(world)
    stale = case.version
    services.obstacle_add(case=case, by=officer_semnan, kind="market", version=stale)
    with pytest.raises(ConflictError):
        services.obstacle_add(case=case, by=officer_semnan, kind="tax_debt", version=stale)
    assert Obstacle.objects.filter(case=case).count() == 1


def test_negative_amount_is_refused(world, officer_semnan):
    with pytest.raises(DomainError):
        services.obstacle_add(case=_open_case(world), by=officer_semnan, kind="bank_debt", amount=-5)
    assert not Obstacle.objects.exists()


def test_deadline_before_meeting_is_refused(world, officer_semnan):
    case = _open_case(world)
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    with pytest.raises(DomainError):
        services.resolution_issue(
            meeting=meeting,
            organisation=Organisation.objects.get(code="gas-20"),
            text="x",
            deadline=date(2026, 8, 1),
            case=case,
            by=officer_semnan,
        )
    assert not Resolution.objects.exists()


def test_resolution_to_an_organisation_of_another_province_is_refused(world, officer_semnan):
    case = _open_case(world)
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    with pytest.raises(DomainError):
        services.resolution_issue(
            meeting=meeting,
            organisation=Organisation.objects.get(code="gas-23"),
            text="x",
            deadline=date(2026, 10, 1),
            case=case,
            by=officer_semnan,
        )


def test_photo_that_is_not_an_image_writes_no_visit(world, officer_semnan):
    case = _open_case(world)
    with pytest.raises(DomainError):
        services.visit_record(
            case=case,
            by=officer_semnan,
            visited_on=date(2026, 11, 1),
            findings="x",
            capacity_observed=0,
            photos=[SimpleUploadedFile("a.png", b"MZ\x90\x00 not a png")],
        )
    assert not case.visits.exists()


def test_relapse_after_verified_revival(world, officer_semnan):
    case = _open_case(world)
    services.visit_record(
        case=case,
        by=officer_semnan,
        visited_on=date(2026, 10, 1),
        findings="ok",
        capacity_observed=60,
        verifies_revival=True,
    )
    registry_services.unit_status_record(
        unit=case.unit,
        band=Band.IDLE,
        effective_date=date(2026, 11, 1),
        source=UnitStatus.Source.FILING,
        by="test",
    )
    case.refresh_from_db()
    assert case.state == CaseState.RELAPSED
    assert Case.objects.filter(
        unit=case.unit, state=CaseState.IDENTIFIED
    ).exists()  # a new case for the relapse
