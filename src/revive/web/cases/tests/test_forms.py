"""The resolution form's case list: written without Django's per-option template, the same HTML."""

import pytest
from django import forms

from revive.web.cases.forms import OptionsSelect

CHOICES = [("", "—"), (1, "۱ · <b>Tom & Jerry</b>"), (22, 'a "quoted" name'), (3, "c")]


@pytest.mark.parametrize("value", [None, "", 22, "22", 3, "not a choice"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_case", "required": True, "disabled": False, "class": 'a"b', "data-n": 5}]
)
def test_options_select_writes_the_html_of_forms_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("case", value, attrs)
    assert OptionsSelect(choices=CHOICES).render("case", value, attrs) == expected


def test_options_select_without_choices_and_with_groups_as_forms_select():
    assert OptionsSelect(choices=[]).render("case", None) == forms.Select(choices=[]).render("case", None)
    grouped = [("Semnan", [(1, "one"), (2, "two")]), ("Tehran", [(3, "three")])]
    assert OptionsSelect(choices=grouped).render("case", 2) == forms.Select(choices=grouped).render("case", 2)
