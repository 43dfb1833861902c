"""The cached figures serve each language its own words: the English dashboard after a Persian one shows
no Persian stage label."""

import pytest
from django.utils import translation

from revive.cases.models import CaseState
from revive.finance.models import LoanState

pytestmark = pytest.mark.django_db


def _persian_labels() -> set[str]:
    with translation.override("fa"):
        return {str(label) for _, label in [*CaseState.choices, *LoanState.choices]}


def test_dashboard_in_english_after_persian_has_no_persian_stage_labels(client, programme_1405, national_admin):
    client.force_login(national_admin)
    persian = _persian_labels()
    client.cookies["django_language"] = "fa"
    fa_page = client.get("/dashboard/").content.decode()
    assert any(label in fa_page for label in persian)  # the stages are on the page at all
    client.cookies["django_language"] = "en"
    en_page = client.get("/dashboard/").content.decode()
    assert not [label for label in persian if label in en_page]
