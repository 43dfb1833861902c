"""Case writes: open, diagnose, hold meetings, issue and follow up resolutions, visit, verify revival.

Each function is one business verb, atomic, audited, and refuses stale edits (version column).
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from revive.cases import timeline, workflow
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
    VisitPhoto,
)
from revive.core import audit, bounds, bulk, calendar, rules, uploads
from revive.core.errors import ConflictError, DomainError, lazy_message
from revive.core.text import require_fits
from revive.registry.hooks import BandChange
from revive.registry.models import PRODUCING_BANDS as PRODUCING
from revive.registry.models import Band, Organisation, ParkInfrastructure, ProductionUnit, UnitStatus

SUSTAIN_AFTER = timedelta(days=365)
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def _actor_fields(by) -> dict:
    return {"actor": rules.actor(by), "actor_label": rules.actor_label(by)}


def _event(
    case: Case, *, by, kind: str, on: date | None = None, text: str = "", from_state="", to_state=""
) -> None:
    CaseEvent.objects.create(
        case=case,
        on=on or calendar.tehran_today(),
        kind=kind,
        text=timeline.clip(text),
        from_state=from_state,
        to_state=to_state,
        **_actor_fields(by),
    )


def _lock(model, obj, version: int | None):
    """Re-read the row under a lock and refuse the write if someone saved it since `version` was read."""
    return rules.lock(model, obj, version)


def _bump(obj) -> None:
    obj.version += 1


def _transition(case: Case, to: str, *, by, on: date | None = None, note: str = "") -> None:
    workflow.require(case.state, to)
    before = case.state
    case.state = to
    _event(case, by=by, kind="transition", on=on, text=note, from_state=before, to_state=to)
    audit.record(
        actor=by, obj=case, action=f"case_{to}", before={"state": before}, after={"state": to}, note=note
    )


@transaction.atomic
def case_open(
    *,
    unit: ProductionUnit,
    by,
    origin: str = Case.Origin.OFFICER,
    opened_on: date | None = None,
    officer=None,
) -> Case:
    if unit.current_band == Band.CLOSED:
        raise DomainError(_("This unit is closed and has left the programme."), field="unit")
    if Case.objects.filter(unit=unit, state__in=OPEN_STATES).exists():
        raise ConflictError(_("This unit already has an open case."), field="unit")
    try:
        with transaction.atomic():
            case = Case.objects.create(
                unit=unit,
                province_id=unit.province_id,
                park_id=unit.park_id,
                origin=origin,
                opened_on=opened_on or calendar.tehran_today(),
                band_at_opening=unit.current_band,
                officer=officer if officer is not None else rules.actor(by),
            )
    except IntegrityError:  # a concurrent open won the race on the one-open-case constraint
        raise ConflictError(_("This unit already has an open case."), field="unit") from None
    _event(case, by=by, kind="opened", on=case.opened_on, to_state=case.state, text=case.get_origin_display())
    audit.record(actor=by, obj=case, action="case_open", after={"unit": unit.business_id, "origin": origin})
    return case


def _by_unit(queryset, unit_ids: list[int]) -> dict[int, list[Case]]:
    found: dict[int, list[Case]] = {}
    for chunk in bulk.chunks(unit_ids):
        for case in queryset.filter(unit_id__in=chunk).order_by("id"):
            found.setdefault(case.unit_id, []).append(case)
    return found


def on_units_band_changed(*, changes: Sequence[BandChange], by) -> None:
    """Cases follow their units' new bands (called by the registry inside its transaction).

    Idle or below 50% opens a case when none is open; going idle after a verified revival is a relapse;
    filings that show an idle unit producing again verify the revival of its open case.
    """
    ids = [c.unit.pk for c in changes]
    open_cases = _by_unit(Case.objects.select_for_update().filter(state__in=OPEN_STATES), ids)
    idle = [c.unit.pk for c in changes if c.band == Band.IDLE]
    revived_cases = _by_unit(
        Case.objects.select_for_update().filter(state__in=[CaseState.REVIVED, CaseState.SUSTAINED]), idle
    )
    to_open = []
    for c in changes:
        if c.previous == Band.IDLE and c.band in PRODUCING and c.source == UnitStatus.Source.FILING:
            for case in open_cases.pop(c.unit.pk, []):
                _transition(case, CaseState.REVIVED, by=by, on=c.on, note=str(timeline.REVIVAL_BY_FILING))
                case.revived_on, case.jobs_restored = c.on, c.jobs
                _bump(case)
                case.save()
        if c.band == Band.IDLE:
            for case in revived_cases.get(c.unit.pk, []):
                _transition(case, CaseState.RELAPSED, by=by, on=c.on, note=str(timeline.RELAPSE))
                case.version += 1
                case.save(update_fields=["state", "version", "updated_at"])
        if c.band in (Band.IDLE, Band.BELOW_50) and c.unit.pk not in open_cases:
            to_open.append(c)
    if to_open:
        _cases_open_from_bands(to_open, by=by)


def _cases_open_from_bands(changes: list[BandChange], *, by) -> None:
    """What case_open does, for every unit that the new bands put in the programme, in a few queries."""
    officer = rules.actor(by)
    cases = [
        Case(
            unit=c.unit,
            province_id=c.unit.province_id,
            park_id=c.unit.park_id,
            origin=Case.Origin.FILING if c.source == UnitStatus.Source.FILING else Case.Origin.OFFICER,
            opened_on=c.on,
            band_at_opening=c.unit.current_band,
            officer=officer,
        )
        for c in changes
    ]
    try:
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
    except IntegrityError:  # a concurrent open won the race on the one-open-case constraint
        raise ConflictError(_("This unit already has an open case."), field="unit") from None
    actor = _actor_fields(by)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                on=case.opened_on,
                kind="opened",
                text=str(case.get_origin_display())[:500],
                from_state="",
                to_state=case.state,
                **actor,
            )
            for case in cases
        ],
        batch_size=1000,
    )
    audit.record_many(
        actor=by,
        events=(
            {
                "action": "case_open",
                "obj": case,
                "after": {"unit": case.unit.business_id, "origin": case.origin},
            }
            for case in cases
        ),
    )


@transaction.atomic
def case_transition(*, case: Case, to: str, by, note: str = "", version: int | None = None) -> Case:
    """Officer transitions; revival goes through `case_verify_revival`, which needs evidence."""
    if to == CaseState.REVIVED:
        raise DomainError(
            _("A revival is verified by a field visit or by filings, not set by hand."), field="state"
        )
    # The note is kept on the case's timeline and, closing, as the reason: too long is refused, never cut.
    if to == CaseState.CLOSED:
        require_fits(note.strip(), model=Case, field="closed_reason", name="note")
    require_fits(note, model=CaseEvent, field="text", name="note")
    case = _lock(Case, case, version)
    if to == CaseState.CLOSED:
        if not note.strip():
            raise DomainError(_("Give the reason why the unit cannot be revived."), field="note")
        case.closed_reason = note.strip()
    _transition(case, to, by=by, note=note)
    _bump(case)
    case.save()
    return case


@transaction.atomic
def case_assign(*, case: Case, officer, by, version: int | None = None) -> Case:
    """Give a case to an officer of its own province (or take it back: officer None); audited, and
    the case's timeline says who assigned it to whom."""
    from revive.accounts.roles import Role

    case = _lock(Case, case, version)
    if officer is not None and (
        officer.role != Role.PROVINCIAL_OFFICER
        or officer.province_id != case.province_id
        or not officer.is_active
    ):
        raise DomainError(_("Choose an officer of the case's province."), field="officer")
    if case.officer_id == (officer.pk if officer else None):
        return case
    before = case.officer.get_username() if case.officer_id else ""
    after = officer.get_username() if officer else ""
    case.officer = officer
    _bump(case)
    case.save(update_fields=["officer", "version", "updated_at"])
    # the timeline's label ("Officer assigned") is translated when shown; the text is the name only
    _event(
        case,
        by=by,
        kind="assigned",
        text=timeline.assigned(officer.get_full_name(), after) if officer else "—",
    )
    audit.record(
        actor=by, obj=case, action="case_assign", before={"officer": before}, after={"officer": after}
    )
    return case


def _parse_amount(amount) -> int | None:
    if amount is None or amount == "":
        return None
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(_("Amounts are whole rials, without letters or a decimal point."), field="amount")
    if amount < 0:
        raise DomainError(_("An amount cannot be negative."), field="amount")
    return bounds.RIALS.check(amount, field="amount")


def _check_organisation(organisation: Organisation | None, province_id: int) -> None:
    if organisation is None:
        return
    if organisation.kind != Organisation.Kind.BANK and organisation.province_id != province_id:
        raise DomainError(
            lazy_message(
                _("%(organisation)s is not an organisation of this province."),
                organisation=str(organisation),
            ),
            field="organisation",
        )


@transaction.atomic
def obstacle_add(
    *,
    case: Case,
    by,
    kind: str,
    organisation: Organisation | None = None,
    amount=None,
    infrastructure: ParkInfrastructure | None = None,
    note: str = "",
    version: int | None = None,
) -> Obstacle:
    case = _lock(Case, case, version)
    if not case.is_open:
        raise ConflictError(_("Obstacles are recorded on open cases only."), field="kind")
    if kind not in ObstacleKind.values:
        raise DomainError(lazy_message(_("Unknown obstacle “%(value)s”."), value=kind), field="kind")
    amount = _parse_amount(amount)
    note = require_fits(note, model=Obstacle, field="note")
    _check_organisation(organisation, case.province_id)
    if infrastructure is not None:
        if infrastructure.park_id != case.park_id:
            raise DomainError(_("That infrastructure item belongs to another park."), field="infrastructure")
        if INFRASTRUCTURE_OBSTACLES.get(kind) != infrastructure.utility:
            raise DomainError(
                _("That infrastructure item is not the utility of this obstacle."), field="infrastructure"
            )
    elif kind in INFRASTRUCTURE_OBSTACLES:
        infrastructure = ParkInfrastructure.objects.filter(
            park_id=case.park_id, utility=INFRASTRUCTURE_OBSTACLES[kind]
        ).first()
    obstacle = Obstacle.objects.create(
        case=case,
        province_id=case.province_id,
        kind=kind,
        organisation=organisation,
        amount=amount,
        infrastructure=infrastructure,
        note=note,
    )
    _event(case, by=by, kind="obstacle_add", text=obstacle.get_kind_display())
    audit.record(actor=by, obj=obstacle, action="obstacle_add", after=audit.snapshot(obstacle))
    if case.state == CaseState.IDENTIFIED:
        _transition(case, CaseState.DIAGNOSED, by=by)
    _bump(case)
    case.save()
    return obstacle


@transaction.atomic
def obstacle_set_status(
    *, obstacle: Obstacle, status: str, by, note: str = "", version: int | None = None
) -> Obstacle:
    note = require_fits(note, model=Obstacle, field="note")
    obstacle = _lock(Obstacle, obstacle, version)
    if status not in Obstacle.Status.values:
        raise DomainError(lazy_message(_("Unknown status “%(value)s”."), value=status), field="status")
    before = audit.snapshot(obstacle, ["status", "note"])
    obstacle.status = status
    if note:
        obstacle.note = note
    _bump(obstacle)
    obstacle.save()
    _event(
        obstacle.case,
        by=by,
        kind="obstacle_update",
        text=timeline.obstacle_update(obstacle.get_kind_display(), obstacle.get_status_display()),
    )
    audit.record(actor=by, obj=obstacle, action="obstacle_status", before=before, after={"status": status})
    return obstacle


@transaction.atomic
def meeting_create(
    *,
    province,
    number: int,
    held_on: date,
    by,
    attendees: Iterable[Organisation] = (),
    cases: Iterable[Case] = (),
) -> Meeting:
    if number < 1:
        raise DomainError(_("The meeting number must be 1 or more."), field="number")
    bounds.MEETING_NUMBER.check(number, field="number")
    if held_on > calendar.tehran_today():
        raise DomainError(_("A meeting cannot be recorded before it is held."), field="held_on")
    if Meeting.objects.filter(province=province, number=number).exists():
        raise ConflictError(
            lazy_message(_("Meeting number %(n)s of this province is already recorded."), n=number),
            field="number",
        )
    attendees, cases = list(attendees), list(cases)
    for organisation in attendees:
        _check_organisation(organisation, province.id)
    for case in cases:
        if case.province_id != province.id:
            raise DomainError(_("A case of another province cannot be on this agenda."), field="cases")
    meeting = Meeting.objects.create(
        province=province,
        number=number,
        held_on=held_on,
        created_by=rules.actor(by),
    )
    meeting.attendees.set(attendees)
    meeting.cases.set(cases)
    for case in cases:
        _event(case, by=by, kind="meeting", on=held_on, text=timeline.meeting(province.code, number))
    audit.record(
        actor=by,
        obj=meeting,
        action="meeting_create",
        after={"number": number, "held_on": held_on.isoformat(), "cases": [c.pk for c in cases]},
    )
    return meeting


@transaction.atomic
def resolution_issue(
    *, meeting: Meeting, organisation: Organisation, text: str, deadline: date, by, case: Case | None = None
) -> Resolution:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what the resolution orders."), field="text")
    if deadline < meeting.held_on:
        raise DomainError(_("The deadline cannot be before the meeting."), field="deadline")
    _check_organisation(organisation, meeting.province_id)
    if case is not None:
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.province_id != meeting.province_id:
            raise DomainError(_("A case of another province cannot be on this agenda."), field="case")
        if not meeting.cases.filter(pk=case.pk).exists():
            meeting.cases.add(case)
    resolution = Resolution.objects.create(
        meeting=meeting,
        case=case,
        province_id=meeting.province_id,
        organisation=organisation,
        text=text,
        deadline=deadline,
    )
    audit.record(actor=by, obj=resolution, action="resolution_issue", after=audit.snapshot(resolution))
    if case is not None:
        _event(
            case,
            by=by,
            kind="resolution",
            on=meeting.held_on,
            text=timeline.resolution(organisation.name_fa, text),
        )
        if case.state == CaseState.DIAGNOSED:
            _transition(case, CaseState.IN_PROGRESS, by=by, on=meeting.held_on)
            _bump(case)
            case.save()
    return resolution


@transaction.atomic
def resolution_mark(
    *, resolution: Resolution, status: str, by, response: str = "", version: int | None = None
) -> Resolution:
    response = require_fits(response, model=Resolution, field="response")
    resolution = _lock(Resolution, resolution, version)
    if status not in (Resolution.Status.DONE, Resolution.Status.NOT_DONE):
        raise DomainError(_("A resolution is marked done or not done."), field="status")
    if resolution.status != Resolution.Status.PENDING:
        raise ConflictError(_("This resolution has already been answered."), field="status")
    before = {"status": resolution.status}
    resolution.status = status
    resolution.closed_on = calendar.tehran_today()
    resolution.response = response
    _bump(resolution)
    resolution.save()
    audit.record(
        actor=by,
        obj=resolution,
        action=f"resolution_{status}",
        before=before,
        after={"status": status, "response": resolution.response},
    )
    if resolution.case_id:
        _event(
            resolution.case,
            by=by,
            kind="resolution_answer",
            text=timeline.resolution_answer(
                resolution.organisation.name_fa, resolution.get_status_display(), response
            ),
        )
    return resolution


@transaction.atomic
def resolution_escalate(*, resolution: Resolution, by, version: int | None = None) -> Resolution:
    resolution = _lock(Resolution, resolution, version)
    if resolution.escalated:
        raise ConflictError(_("This resolution has already been escalated."))
    resolution.escalated = True
    _bump(resolution)
    resolution.save()
    audit.record(actor=by, obj=resolution, action="resolution_escalate", after={"escalated": True})
    return resolution


def _check_photo(upload) -> str:
    if upload.size > MAX_PHOTO_BYTES:
        raise DomainError(
            lazy_message(_("“%(name)s” is larger than 5 MB."), name=upload.name), field="photos"
        )
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in PHOTO_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    raise DomainError(
        lazy_message(_("“%(name)s” is not a JPEG, PNG or WebP photo."), name=upload.name), field="photos"
    )


@transaction.atomic
def visit_record(
    *,
    case: Case,
    by,
    visited_on: date,
    findings: str,
    capacity_observed: int,
    inspector_name: str = "",
    employees_observed: int | None = None,
    verifies_revival: bool = False,
    photos: Sequence = (),
) -> FieldVisit:
    if visited_on > calendar.tehran_today():
        raise DomainError(_("A visit cannot be recorded before it happens."), field="visited_on")
    if visited_on < case.opened_on:
        raise DomainError(_("A visit cannot be earlier than the case."), field="visited_on")
    if not 0 <= capacity_observed <= 100:
        raise DomainError(_("Capacity utilisation must be between 0 and 100%."), field="capacity_observed")
    if employees_observed is not None:
        bounds.EMPLOYEES.check(employees_observed, field="employees_observed")
    if not (findings or "").strip():
        raise DomainError(_("Write what the inspector found."), field="findings")
    inspector_name = require_fits(inspector_name, model=FieldVisit, field="inspector_name")
    checked = [(upload, _check_photo(upload)) for upload in photos]  # all checked before anything is written
    visit = FieldVisit.objects.create(
        case=case,
        province_id=case.province_id,
        visited_on=visited_on,
        inspector=rules.actor(by),
        inspector_name=inspector_name
        or (by.get_full_name() or by.get_username() if hasattr(by, "get_username") else str(by)),
        findings=findings.strip(),
        capacity_observed=capacity_observed,
        employees_observed=employees_observed,
        verifies_revival=verifies_revival,
    )
    for upload, content_type in checked:
        upload.name = uploads.generated_name(content_type)  # never the uploader's name (core/uploads.py)
        VisitPhoto.objects.create(visit=visit, image=upload, content_type=content_type, size=upload.size)
    _event(case, by=by, kind="visit", on=visited_on, text=timeline.visit(findings))
    audit.record(actor=by, obj=visit, action="visit_record", after=audit.snapshot(visit))
    if verifies_revival:
        case_verify_revival(
            case=case,
            by=by,
            on=visited_on,
            capacity=capacity_observed,
            employees=employees_observed,
            source=UnitStatus.Source.FIELD_VISIT,
        )
    return visit


@transaction.atomic
def case_verify_revival(
    *,
    case: Case,
    by,
    on: date,
    capacity: int,
    employees: int | None = None,
    source: str = UnitStatus.Source.FIELD_VISIT,
) -> Case:
    """The unit produces again: write its status history (so the headline counts it) and close the case."""
    from revive.registry.services import band_for_utilisation, unit_status_record

    case = _lock(Case, case, None)
    workflow.require(case.state, CaseState.REVIVED)
    band = band_for_utilisation(capacity, 1)
    if band == Band.IDLE:
        raise DomainError(_("A unit producing nothing is not revived."), field="capacity_observed")
    unit = case.unit
    status = unit_status_record(
        unit=unit,
        band=band,
        effective_date=on,
        source=source,
        by=by,
        employees=employees if employees is not None else unit.employees,
        note=str(_("Revival verified")),
    )
    case.refresh_from_db()
    if case.state != CaseState.REVIVED:  # the status change did not already close it
        _transition(case, CaseState.REVIVED, by=by, on=on)
    case.revived_on = on
    case.jobs_restored = status.jobs or status.employees
    _bump(case)
    case.save()
    return case


@transaction.atomic
def cases_mark_sustained(*, today: date, by="sustain command") -> int:
    """Revived cases whose unit is still producing 12 months later become sustained."""
    n = 0
    due = Case.objects.select_for_update().filter(
        state=CaseState.REVIVED, revived_on__lte=today - SUSTAIN_AFTER
    )
    for case in due.select_related("unit"):
        if case.unit.current_band in (Band.BELOW_50, Band.FROM_50_TO_70, Band.ABOVE_70):
            _transition(case, CaseState.SUSTAINED, by=by, on=case.revived_on + SUSTAIN_AFTER)
            _bump(case)
            case.save()
            n += 1
    return n


@transaction.atomic
def case_record_loan_event(
    *, case: Case, by, text: str, on: date | None = None, remove_obstacle: Obstacle | None = None
) -> None:
    """Called by finance: a loan event on the case's timeline; a paid working-capital loan removes its obstacle."""
    _event(case, by=by, kind="loan", on=on, text=text)
    if remove_obstacle is None:
        return
    obstacle = Obstacle.objects.select_for_update().get(pk=remove_obstacle.pk)
    if obstacle.status != Obstacle.Status.OPEN:
        return
    obstacle.status = Obstacle.Status.REMOVED
    _bump(obstacle)
    obstacle.save()
    _event(
        case,
        by=by,
        kind="obstacle_update",
        on=on,
        text=timeline.obstacle_update(obstacle.get_kind_display(), obstacle.get_status_display()),
    )
    audit.record(
        actor=by,
        obj=obstacle,
        action="obstacle_status",
        before={"status": "open"},
        after={"status": "removed"},
        note=text,
    )
