"""The import page's form: what the file holds, and the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from revive.core import importing


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=lambda: [(k, v.label) for k, v in importing.kinds().items()]
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx) or CSV, at most 50 MB; download the template for the columns."),
    )
