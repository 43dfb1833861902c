"""Forms of the filings pages: the owner's monthly figures, the officer's review."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FilingForm(forms.Form):
    month = forms.CharField(
        label=_("Iranian month"),
        help_text=_("Year and month, e.g. 1405/08"),
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    production_value = forms.CharField(
        label=_("Production value (rials)"),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    capacity_utilisation = forms.CharField(
        label=_("Capacity utilisation (%)"),
        max_length=6,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    employees = forms.CharField(
        label=_("Employees"),
        max_length=10,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    energy_kwh = forms.CharField(
        label=_("Energy use (kWh)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    # What the page showed of a month, "YYYY/MM:versions": the same send arriving twice (a double
    # click, a reload that posts again) is told from identical figures typed again (filings/versions.py)
    seen = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return to the owner"))]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
