"""Text a person typed is refused when longer than its field, never cut to fit (core/text.py require_fits).

Every service that keeps user-typed text in a CharField is walked: one character over the model field's
max_length is a DomainError on the form field that holds it, in the reader's language, and nothing is
written (no row changed, no audit row); exactly the limit is kept whole."""

from datetime import date

import pytest
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.text import require_fits

pytestmark = pytest.mark.django_db

LETTER = "ب"  # a Persian letter: the limit counts characters, not bytes


def _case(world, state="identified"):
    from revive.cases.models import Case

    return Case.objects.get(unit=world["units"]["200000000022"], state=state)


def _loan(world, by):
    from revive.finance.tests.factories import introduced

    return introduced(world, by)


# Each entry: (name, model path, model field, error field, setup(ctx) -> (write(text), stored())).


def _project_name(field):
    def setup(ctx):
        from revive.planning import services
        from revive.planning.models import InfraProject

        def write(text):
            names = {"name_fa": "اتصال گاز", "name_en": "Gas connection", field: text}
            services.project_create(park=ctx["world"]["parks"]["P-20-001"], utility="gas", cost=10**9,
                                    duration_months=2, by=ctx["national_admin"], **names)  # fmt: skip

        return write, lambda: list(InfraProject.objects.values_list(field, flat=True))

    return setup


def _scenario(field):
    def setup(ctx):
        from revive.core.scoping import NATION
        from revive.planning import services
        from revive.planning.models import Scenario

        def write(text):
            values = {"name": "No Sepah", "note": "", field: text}
            services.scenario_save(scope=NATION, by=ctx["national_admin"], changes={}, **values)

        return write, lambda: list(Scenario.objects.values_list(field, flat=True))

    return setup


def _case_close(ctx):
    from revive.cases import services
    from revive.cases.models import Case

    case = _case(ctx["world"])

    def write(text):
        services.case_transition(case=case, to="closed", by=ctx["officer_semnan"], note=text)

    return write, lambda: list(Case.objects.filter(pk=case.pk).values_list("state", "closed_reason"))


def _case_note(ctx):
    from revive.cases import services
    from revive.cases.models import CaseEvent

    case = _case(ctx["world"])

    def write(text):
        services.case_transition(case=case, to="diagnosed", by=ctx["officer_semnan"], note=text)

    return write, lambda: list(CaseEvent.objects.filter(case=case).values_list("kind", "text"))


def _obstacle_add(ctx):
    from revive.cases import services
    from revive.cases.models import Obstacle

    case = _case(ctx["world"])

    def write(text):
        services.obstacle_add(case=case, by=ctx["officer_semnan"], kind="gas", note=text)

    return write, lambda: list(Obstacle.objects.filter(case=case).values_list("note", flat=True))


def _obstacle_status(ctx):
    from revive.cases import services
    from revive.cases.models import Obstacle

    obstacle = services.obstacle_add(case=_case(ctx["world"]), by=ctx["officer_semnan"], kind="gas", note="n")

    def write(text):
        services.obstacle_set_status(
            obstacle=obstacle, status="cannot_remove", by=ctx["officer_semnan"], note=text
        )

    return write, lambda: list(Obstacle.objects.filter(pk=obstacle.pk).values_list("status", "note"))


def _visit_inspector(ctx):
    from revive.cases import services
    from revive.cases.models import FieldVisit

    case = _case(ctx["world"])

    def write(text):
        services.visit_record(case=case, by=ctx["officer_semnan"], visited_on=date(2026, 9, 1), findings="idle",
                              capacity_observed=10, inspector_name=text)  # fmt: skip

    return write, lambda: list(FieldVisit.objects.values_list("inspector_name", flat=True))


def _resolution(ctx):
    from revive.cases import services
    from revive.cases.models import Resolution
    from revive.registry.models import Organisation

    case = _case(ctx["world"])
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=ctx["officer_semnan"]
    )
    resolution = services.resolution_issue(meeting=meeting, organisation=Organisation.objects.get(code="gas-20"),
                                           text="gas", deadline=date(2026, 10, 1), case=case, by=ctx["officer_semnan"])  # fmt: skip

    def write(text):
        services.resolution_mark(
            resolution=resolution, status="not_done", by=ctx["gas_semnan"], response=text
        )

    return write, lambda: list(Resolution.objects.filter(pk=resolution.pk).values_list("status", "response"))


def _reported_note(ctx):
    from revive.indicators import services
    from revive.indicators.models import ReportedValue

    admin = ctx["national_admin"]
    programme = services.programme_create(year=1405, axis_number=3, axis_fa="زیرساخت", axis_en="Infrastructure",
                                          number=14, name_fa="شهرک‌ها", name_en="Parks", by=admin)  # fmt: skip
    land = services.indicator_create(
        programme=programme, code="land", name_fa="زمین", name_en="Land", by=admin
    )
    officer = ctx["officer_semnan"]

    def write(text):
        services.reported_value_enter(indicator=land, year=1405, month=7, value=12, province=officer.province,
                                      by=officer, note=text)  # fmt: skip

    return write, lambda: list(ReportedValue.objects.values_list("value", "note"))


def _loan_purpose(ctx):
    from revive.finance.models import LoanRequest
    from revive.finance.tests.factories import registered

    def write(text):
        registered(ctx["world"], ctx["officer_semnan"], purpose=text)

    return write, lambda: list(LoanRequest.objects.values_list("purpose", flat=True))


def _loan_reject(ctx):
    from revive.finance import services
    from revive.finance.models import LoanRequest

    loan = _loan(ctx["world"], ctx["officer_semnan"])

    def write(text):
        services.loan_decide(loan=loan, by=ctx["bank_melli"], decision="rejected", reason=text)

    return write, lambda: list(LoanRequest.objects.values_list("state", "reason"))


def _loan_withdraw(ctx):
    from revive.finance import services
    from revive.finance.models import LoanRequest
    from revive.finance.tests.factories import registered

    loan = registered(ctx["world"], ctx["officer_semnan"])

    def write(text):
        services.loan_withdraw(loan=loan, by=ctx["officer_semnan"], reason=text)

    return write, lambda: list(LoanRequest.objects.values_list("state", "reason"))


def _loan_review_note(ctx):
    from revive.finance import services
    from revive.finance.models import LoanEvent
    from revive.finance.tests.factories import registered

    loan = registered(ctx["world"], ctx["officer_semnan"])

    def write(text):
        services.loan_review(loan=loan, by=ctx["officer_semnan"], note=text, on=loan.registered_on)

    return write, lambda: list(LoanEvent.objects.values_list("kind", "text"))


def _letter_number(ctx):
    from revive.finance import services
    from revive.finance.models import LoanRequest
    from revive.finance.tests.factories import approved, bank

    loan = approved(ctx["world"], ctx["officer_semnan"])

    def write(text):
        services.loan_introduce(loan=loan, by=ctx["officer_semnan"], bank=bank("melli"), letter_number=text,
                                letter_date=date(2026, 7, 1), amount=loan.amount_requested)  # fmt: skip

    return write, lambda: list(LoanRequest.objects.values_list("state", "letter_number"))


def _document_title(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from revive.documents import services
    from revive.documents.models import LoanDocument
    from revive.finance.tests.factories import registered

    loan = registered(ctx["world"], ctx["officer_semnan"])

    def write(text):
        pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n% a letter\n", content_type="application/pdf")
        services.loan_document_attach(
            loan=loan, kind="bank_letter", upload=pdf, by=ctx["officer_semnan"], title=text
        )

    return write, lambda: list(LoanDocument.objects.values_list("title", flat=True))


def _credit_line(update):
    def setup(ctx):
        from revive.finance import services
        from revive.finance.models import CreditLine
        from revive.finance.tests.factories import bank

        admin = ctx["national_admin"]
        line = None
        if update:
            line = services.credit_line_set(
                year=1405, bank=bank("melli"), amount=10**12, by=admin, note="first"
            )

        def write(text):
            services.credit_line_set(year=1405, bank=bank("melli"), amount=2 * 10**12, by=admin, note=text,
                                     version=line.version if line else None)  # fmt: skip

        return write, lambda: list(CreditLine.objects.values_list("amount", "note"))

    return setup


def _filing_comment(ctx):
    from revive.accounts.models import User
    from revive.filings import services
    from revive.filings.models import FilingSubmission

    unit = ctx["world"]["units"]["200000000022"]
    owner = User.objects.create_user(username="owner.y", role="unit_owner", unit=unit)
    sent = services.submission_create(unit=unit, by=owner, jyear=1405, jmonth=7, production_value=10,
                                      capacity_utilisation=60, employees=3)  # fmt: skip

    def write(text):
        services.submission_review(submission=sent, by=ctx["officer_semnan"], approve=False, comment=text)

    return write, lambda: list(FilingSubmission.objects.values_list("status", "comment"))


def _holiday(field):
    def setup(ctx):
        from revive.notices import services
        from revive.notices.models import Holiday

        def write(text):
            names = {"name_fa": "تعطیل", "name_en": "Holiday", field: text}
            services.holiday_add(by=ctx["national_admin"], day=date(2026, 12, 1), **names)

        return write, lambda: list(Holiday.objects.values_list(field, flat=True))

    return setup


CASES = [
    ("project name_fa", "planning.InfraProject", "name_fa", "name_fa", _project_name("name_fa")),
    ("project name_en", "planning.InfraProject", "name_en", "name_en", _project_name("name_en")),
    ("scenario name", "planning.Scenario", "name", "name", _scenario("name")),
    ("scenario note", "planning.Scenario", "note", "note", _scenario("note")),
    ("case closing reason", "cases.Case", "closed_reason", "note", _case_close),
    ("case transition note", "cases.CaseEvent", "text", "note", _case_note),
    ("obstacle note (add)", "cases.Obstacle", "note", "note", _obstacle_add),
    ("obstacle note (status)", "cases.Obstacle", "note", "note", _obstacle_status),
    ("visit inspector", "cases.FieldVisit", "inspector_name", "inspector_name", _visit_inspector),
    ("resolution response", "cases.Resolution", "response", "response", _resolution),
    ("reported figure note", "indicators.ReportedValue", "note", "note", _reported_note),
    ("loan purpose", "finance.LoanRequest", "purpose", "purpose", _loan_purpose),
    ("loan refusal reason", "finance.LoanRequest", "reason", "reason", _loan_reject),
    ("loan withdrawal reason", "finance.LoanRequest", "reason", "reason", _loan_withdraw),
    ("loan review note", "finance.LoanEvent", "text", "note", _loan_review_note),
    ("loan letter number", "finance.LoanRequest", "letter_number", "letter_number", _letter_number),
    ("loan document title", "documents.LoanDocument", "title", "title", _document_title),
    ("credit line note (new)", "finance.CreditLine", "note", "note", _credit_line(update=False)),
    ("credit line note (change)", "finance.CreditLine", "note", "note", _credit_line(update=True)),
    ("filing review comment", "filings.FilingSubmission", "comment", "comment", _filing_comment),
    ("holiday name_fa", "notices.Holiday", "name_fa", "name_fa", _holiday("name_fa")),
    ("holiday name_en", "notices.Holiday", "name_en", "name_en", _holiday("name_en")),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ctx(world, national_admin, officer_semnan, bank_melli, gas_semnan):
    return {
        "world": world,
        "national_admin": national_admin,
        "officer_semnan": officer_semnan,
        "bank_melli": bank_melli,
        "gas_semnan": gas_semnan,
    }


def _limit(model_path, field):
    from django.apps import apps

    return apps.get_model(model_path)._meta.get_field(field).max_length


@pytest.mark.parametrize(("name", "model", "field", "error_field", "setup"), CASES, ids=[c[0] for c in CASES])
def test_one_character_over_the_limit_is_refused_and_nothing_is_written(
    ctx, name, model, field, error_field, setup
):
    write, stored = setup(ctx)
    limit = _limit(model, field)
    before, audits = stored(), AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        write(LETTER * (limit + 1))
    assert caught.value.details.get("field") == error_field
    with translation.override("en"):
        assert str(caught.value.message) == (
            f"Longer than {limit} characters (this one has {limit + 1}): shorten it."
        )
    with translation.override("fa"):
        assert "کوتاهش کنید" in str(caught.value.message)
    assert stored() == before, "nothing is written"
    assert AuditEvent.objects.count() == audits, "no audit row"


@pytest.mark.parametrize(("name", "model", "field", "error_field", "setup"), CASES, ids=[c[0] for c in CASES])
def test_exactly_the_limit_is_kept_whole(ctx, name, model, field, error_field, setup):
    write, stored = setup(ctx)
    text = LETTER * _limit(model, field)
    write(text)
    assert any(text == v or (isinstance(v, tuple) and text in v) for v in stored()), stored()


def test_require_fits_takes_the_limit_from_the_model_and_names_the_field():
    from revive.cases.models import Obstacle

    assert require_fits("x" * 300, model=Obstacle, field="note") == "x" * 300
    assert require_fits(None, model=Obstacle, field="note") == ""
    with pytest.raises(DomainError) as caught:
        require_fits("x" * 301, model=Obstacle, field="note", name="obstacle_note")
    assert caught.value.details == {"field": "obstacle_note"}
    with translation.override("fa"):
        assert str(caught.value.message) == "بیش از ۳۰۰ نویسه است (این یکی ۳۰۱ نویسه دارد): کوتاهش کنید."
