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
from revive.filings.models import MonthlyFiling

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
    # A loan's timeline, written by every finance service next to the loan's audit row.
    "finance.loanevent": lambda o: {("finance.loanrequest", str(o.loan_id))},
    # Money on a loan: the loan's audit row of the same step records the date and amount.
    "finance.disbursement": lambda o: {("finance.loanrequest", str(o.loan_id))},
    "finance.repayment": lambda o: {("finance.loanrequest", str(o.loan_id))},
    # The instalment schedule, generated from the first disbursement audited on the loan.
    "finance.installment": lambda o: {("finance.loanrequest", str(o.loan_id))},
    # The production totals of a province's month (filings/totals.py), recomputed from its filings by the
    # writer of a filing: the audit row of a filing of that month covers them.
    "filings.filingtotal": lambda o: {
        ("filings.monthlyfiling", str(pk))
        for pk in MonthlyFiling.objects.filter(
            province_id=o.province_id, jyear=o.jyear, jmonth=o.jmonth
        ).values_list("pk", flat=True)
    },
    # A year's target and its split by province are audited as one row, keyed by indicator and year.
    "indicators.target": lambda o: {("indicators.target", f"{o.indicator.code}/{o.jyear}")},
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
    from revive.filings import services as filings
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
        filings.filing_submit(
            unit=new_unit,
            jyear=1405,
            jmonth=5,
            production_value=1_000_000_000,
            capacity_utilisation=30,
            employees=12,
            by=officer_semnan,
        )
    with audited("filing_submit: a correction"):
        filings.filing_submit(
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
    with audited("filings_receive: a batch from the statistics system"):
        from revive.filings.versions import filings_receive
        from revive.registry.models import ProductionUnit

        rows = [{"business_id": new_unit.business_id, "month": "1405/06", "production_value": 10**9,
                 "capacity_utilisation": 80, "employees": 12}]  # fmt: skip
        filings_receive(rows=rows, by=officer_semnan, units_allowed=ProductionUnit.objects.all(), record_new=True)
    with audited("filings_receive: a changed month waits for review as a new version"):
        rows[0]["production_value"] = 2 * 10**9
        filings_receive(rows=rows, by=officer_semnan, units_allowed=ProductionUnit.objects.all(), record_new=True)
    with audited("filings_receive: changed again, the waiting version superseded"):
        rows[0]["production_value"] = 3 * 10**9
        filings_receive(rows=rows, by=officer_semnan, units_allowed=ProductionUnit.objects.all(), record_new=True)
    with audited("case_assign"):
        cases.case_assign(case=case, officer=officer_semnan, by=officer_semnan)
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
        "filings.monthlyfiling",
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


def test_every_write_of_the_finance_planning_and_target_services_is_audited(
    world, officer_semnan, national_admin, bank_melli, audited
):
    from revive.core.scoping import scope_for
    from revive.finance import services as finance
    from revive.indicators import services as indicators
    from revive.planning import services as planning
    from revive.registry.models import IndustrialPark, Organisation

    unit = world["units"]["200000000011"]
    melli = Organisation.objects.get(code="melli")
    with audited("credit_line_set"):
        finance.credit_line_set(year=1405, bank=melli, amount=10**14, by=national_admin)
    with audited("loan_register"):
        loan = finance.loan_register(unit=unit, by=officer_semnan, kind="working_capital",
                                     amount_requested=20 * 10**9)  # fmt: skip
    with audited("loan_document_attach"):
        from revive.documents.services import loan_document_attach

        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", content_type="application/pdf")
        loan_document_attach(loan=loan, kind="application", upload=pdf, by=officer_semnan)
    with audited("loan_review"):
        loan = finance.loan_review(loan=loan, by=officer_semnan)
    with audited("loan_approve"):
        loan = finance.loan_approve(loan=loan, by=officer_semnan)
    with audited("loan_introduce"):
        loan = finance.loan_introduce(loan=loan, by=officer_semnan, bank=melli, letter_number="1405/77",
                                      letter_date=date(2026, 11, 24), amount=20 * 10**9)  # fmt: skip
    with audited("loan_decide"):
        loan = finance.loan_decide(loan=loan, by=bank_melli, decision="paid", on=date(2026, 11, 24))
    with audited("disbursement_record"):
        finance.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 11, 24), amount=20 * 10**9)
    loan.refresh_from_db()
    with audited("repayment_record"):
        finance.repayment_record(loan=loan, by=bank_melli, on=date(2026, 11, 24), amount=10**9)
    with audited("lending_figure_set"):
        finance.lending_figure_set(year=1405, month=7, bank=None, total=10**15, industry_mining=3 * 10**14,
                                   by=national_admin)  # fmt: skip

    with audited("project_create"):
        project = planning.project_create(park=IndustrialPark.objects.get(code="P-20-001"), utility="gas",
                                          name_fa="گازرسانی شهرک", cost=10**11, duration_months=4,
                                          by=officer_semnan)  # fmt: skip
    with audited("project_mark_done"):
        planning.project_mark_done(project=project, by=officer_semnan)
    with audited("scenario_save"):
        scenario = planning.scenario_save(scope=scope_for(officer_semnan), name="بودجه دوبرابر", by=officer_semnan,
                                          changes={})  # fmt: skip
    with audited("plan_run_start"):
        planning.plan_run_start(scope=scope_for(officer_semnan), by=officer_semnan, year=1405,
                                scenario=scenario, start=False)  # fmt: skip

    with audited("programme_create"):
        programme = indicators.programme_create(year=1405, axis_number=3, axis_fa="محور", axis_en="Axis",
                                                number=14, name_fa="برنامه", name_en="Programme",
                                                by=national_admin)  # fmt: skip
    with audited("indicator_create"):
        indicator = indicators.indicator_create(programme=programme, code="reported_demo", name_fa="شاخص",
                                                name_en="Indicator", by=national_admin)  # fmt: skip
    with audited("targets_set"):
        indicators.targets_set(indicator=indicator, national=10, provinces={"IR-23": 5, "IR-20": 3, "IR-10": 2},
                               by=national_admin)  # fmt: skip
    for label in [
        "finance.creditline",
        "finance.loanrequest",
        "finance.loanevent",
        "finance.disbursement",
        "finance.repayment",
        "finance.lendingfigure",
        "planning.infraproject",
        "planning.scenario",
        "planning.planrun",
        "indicators.axis",
        "indicators.programme",
        "indicators.indicator",
        "indicators.target",
    ]:
        assert audited.seen[label], label
