"""Forms of the notice pages: the deadline rules and a holiday (national administrators)."""

from django import forms
from django.utils.translation import gettext_lazy

from revive.notices import services
from revive.notices.models import DeadlineRules
from revive.web.forms import JalaliDateField


class RulesForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = DeadlineRules
        fields = services.RULE_FIELDS
        widgets = {f: forms.NumberInput(attrs={"min": 0, "max": 365}) for f in services.RULE_FIELDS[:-1]}


class HolidayForm(forms.Form):
    day = JalaliDateField(
        label=gettext_lazy("Date"),
        help_text=gettext_lazy("Iranian date, for example 1405/01/13"),
        widget=forms.TextInput(attrs={"maxlength": 20, "dir": "ltr", "inputmode": "numeric", "size": 11}),
    )
    name_fa = forms.CharField(label=gettext_lazy("Name (Persian)"), max_length=120)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=120, required=False)
