"""The audit page's filter: record type, action, user and a Tehran date range."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revive.core.selectors import object_types
from revive.web.forms import JalaliDateField


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    action = forms.CharField(
        label=gettext_lazy("Action"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("For example case_open or status_record"),
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 16}),
    )
    user = forms.CharField(
        label=gettext_lazy("User"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 16}),
    )
    since = JalaliDateField(
        label=gettext_lazy("From"),
        required=False,
        help_text=gettext_lazy("Iranian date, for example 1405/08/15"),
        widget=forms.TextInput(attrs={"maxlength": 20, "dir": "ltr", "inputmode": "numeric", "size": 11}),
    )
    until = JalaliDateField(
        label=gettext_lazy("To"),
        required=False,
        help_text=gettext_lazy("Iranian date, for example 1405/09/03"),
        widget=forms.TextInput(attrs={"maxlength": 20, "dir": "ltr", "inputmode": "numeric", "size": 11}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All"))] + object_types()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date cannot be before the start date."))
        return data
