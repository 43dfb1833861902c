"""The version rule (filings/versions.py): a month already in the registry counts as version 1; new figures
become the next version, waiting for review, and reach the registry only when an expert approves them."""

from datetime import date

import pytest

from revive.core.errors import DomainError
from revive.filings import services
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.filings.versions import ChangeToConfirm

pytestmark = pytest.mark.django_db

FIGURES = {"capacity_utilisation": 60, "employees": 20}


def test_new_figures_for_a_recorded_month_wait_for_review_as_version_2(unit_owner, officer_semnan):
    unit = unit_owner.unit
    services.filing_submit(unit=unit, jyear=1405, jmonth=7, production_value=500, by=officer_semnan,
                           filed_on=date(2026, 11, 1), **FIGURES)  # fmt: skip
    with pytest.raises(ChangeToConfirm) as refused:
        services.submission_create(
            unit=unit, by=unit_owner, jyear=1405, jmonth=7, production_value=700, **FIGURES
        )
    assert refused.value.details["previous"]["production_value"] == 500
    assert refused.value.details["previous_status"] == "recorded"

    sent = services.submission_create(unit=unit, by=unit_owner, jyear=1405, jmonth=7, production_value=700,
                                      confirm_change=True, **FIGURES)  # fmt: skip
    assert (sent.version, sent.status) == (2, FilingSubmission.Status.PENDING)
    assert MonthlyFiling.objects.get(unit=unit, jyear=1405, jmonth=7).production_value == 500  # not yet

    services.submission_review(submission=sent, by=officer_semnan, approve=True)
    assert MonthlyFiling.objects.get(unit=unit, jyear=1405, jmonth=7).production_value == 700


def test_the_same_figures_again_are_refused_and_write_nothing(unit_owner):
    unit = unit_owner.unit
    services.submission_create(
        unit=unit, by=unit_owner, jyear=1405, jmonth=7, production_value=500, **FIGURES
    )
    with pytest.raises(DomainError):
        services.submission_create(
            unit=unit, by=unit_owner, jyear=1405, jmonth=7, production_value=500, **FIGURES
        )
    assert FilingSubmission.objects.count() == 1
