"""Forms of the targets pages: the year's national target and its split by province; hand-reported figures."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TargetsForm(forms.Form):
    national = forms.CharField(label=_("National target"), max_length=30)

    def __init__(self, *args, provinces=(), split: bool = True, lang: str = "fa", **kwargs):
        super().__init__(*args, **kwargs)
        self.province_codes = []
        if split:
            for p in provinces:
                name = f"province_{p.code}"
                self.fields[name] = forms.CharField(label=p.name(lang), max_length=30, required=False)
                self.province_codes.append(p.code)

    def provinces(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"province_{code}", "") for code in self.province_codes}


class ReportedValueForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    month = forms.CharField(label=_("Month (YYYY/MM)"), max_length=10, help_text=_("For example 1405/08."))
    value = forms.CharField(label=_("Value"), max_length=30)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    # The version of the month's figure this form showed (0: none); see core.rules.confirm_replacing.
    version = forms.IntegerField(required=False, min_value=0, max_value=10**9, widget=forms.HiddenInput)

    def __init__(self, *args, indicators=(), lang="fa", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.name(lang)) for i in indicators]


class ReportForm(forms.Form):
    month = forms.CharField(label=_("Month (YYYY/MM)"), max_length=10, help_text=_("For example 1405/08."))
    province = forms.ChoiceField(label=_("Province"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")])

    def __init__(self, *args, provinces=(), lang="fa", national=True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Nationwide"))] if national else []
        self.fields["province"].choices = choices + [(p.code, p.name(lang)) for p in provinces]
