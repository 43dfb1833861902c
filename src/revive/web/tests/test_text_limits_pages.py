"""Page forms refuse text longer than the field that keeps it, beside the field, and write nothing.

The services refuse it too (core/text.py require_fits, walked in core/tests/test_text_limits.py); a page
form's max_length must be the model field's, so the form's own refusal and the service's agree."""

import pytest

from revive.cases.models import Case, CaseState

pytestmark = pytest.mark.django_db


def _forms():
    from revive.cases.models import FieldVisit, Obstacle, Resolution
    from revive.filings.models import FilingSubmission
    from revive.finance.models import CreditLine, LoanRequest
    from revive.indicators.models import ReportedValue
    from revive.notices.models import Holiday
    from revive.planning.models import Scenario
    from revive.web.cases import forms as cases
    from revive.web.filings import forms as filings
    from revive.web.finance import forms as finance
    from revive.web.indicators import forms as indicators
    from revive.web.notices import forms as notices
    from revive.web.planning import forms as planning

    return [
        (cases.ObstacleForm, "note", Obstacle, "note"),
        (cases.TransitionForm, "note", Case, "closed_reason"),
        (cases.VisitForm, "inspector_name", FieldVisit, "inspector_name"),
        (cases.AnswerForm, "response", Resolution, "response"),
        (finance.LoanRequestForm, "purpose", LoanRequest, "purpose"),
        (finance.StepForm, "note", LoanRequest, "reason"),
        (finance.IntroduceForm, "letter_number", LoanRequest, "letter_number"),
        (finance.DecisionForm, "reason", LoanRequest, "reason"),
        (finance.CreditLineForm, "note", CreditLine, "note"),
        (planning.ScenarioForm, "name", Scenario, "name"),
        (indicators.ReportedValueForm, "note", ReportedValue, "note"),
        (filings.ReviewForm, "comment", FilingSubmission, "comment"),
        (notices.HolidayForm, "name_fa", Holiday, "name_fa"),
        (notices.HolidayForm, "name_en", Holiday, "name_en"),
    ]


def test_each_page_form_allows_what_its_model_field_keeps():
    for form, name, model, field in _forms():
        declared = form.base_fields.get(name) or form.declared_fields[name]
        assert declared.max_length == model._meta.get_field(field).max_length, (form.__name__, name)


def test_a_closing_reason_one_character_too_long_is_shown_beside_the_field(login, world, officer_semnan):
    case = Case.objects.get(unit=world["units"]["200000000022"], state=CaseState.IDENTIFIED)
    client = login(officer_semnan)
    data = {"to": "closed", "note": "ب" * 301, "version": case.version}
    response = client.post(f"/cases/{case.pk}/transition/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    form = response.context["transition_form"]
    assert list(form.errors) == ["note"] and "300" in form.errors["note"][0]
    case.refresh_from_db()
    assert (case.state, case.closed_reason) == (CaseState.IDENTIFIED, "")
    data["note"] = "ب" * 300
    assert client.post(f"/cases/{case.pk}/transition/", data).status_code == 302
    case.refresh_from_db()
    assert (case.state, case.closed_reason) == (CaseState.CLOSED, "ب" * 300)
