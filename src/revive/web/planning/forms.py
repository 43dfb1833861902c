"""Forms of the planning pages: start a plan, save a scenario, report a project's progress."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar
from revive.core.text import to_ascii_digits
from revive.planning.instance import MAX_MULTIPLIER
from revive.planning.models import InfraProject
from revive.registry.models import Organisation, Province
from revive.web.forms import LocalIntegerField, VersionField

OBJECTIVE_CHOICES = [
    ("jobs", _("Jobs restored")),
    ("units", _("Units revived")),
    ("production", _("Production restored")),
]


class MultiplierField(forms.CharField):
    """A factor such as 1.5 or ۰٫۸ (Persian digits and decimal separator accepted)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        text = to_ascii_digits(value).replace("\u066b", ".").replace("/", ".").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number such as 1.5.")) from None
        if not number.is_finite() or number < 0:
            raise forms.ValidationError(_("Enter a number that is zero or more."))
        if number > MAX_MULTIPLIER:
            raise forms.ValidationError(_("A multiplier above 100 is not a plan."))
        return number


class PlanForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("The whole country"),
        to_field_name="code",
    )
    year = LocalIntegerField(
        label=_("Iranian year"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "size": 6}),
    )
    objective = forms.ChoiceField(label=_("Revive the most"), choices=OBJECTIVE_CHOICES, initial="jobs")
    scenario = forms.ModelChoiceField(
        label=_("Scenario"), queryset=None, required=False, empty_label=_("None: today's budgets")
    )
    loan_budget = LocalIntegerField(
        label=_("Loan budget (rials)"),
        bound=bounds.RIALS,
        required=False,
        help_text=_("Leave empty to use the banks' credit lines as they are."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 20}),
    )
    infra_budget = LocalIntegerField(
        label=_("Infrastructure budget (rials)"),
        bound=bounds.RIALS,
        required=False,
        help_text=_("Leave empty to use the year's infrastructure budget lines."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 20}),
    )
    time_limit = LocalIntegerField(
        label=_("Time limit (seconds)"),
        help_text=_("The plan stops searching after this time and says how close to the best it is."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 3, "size": 6}),
    )

    def __init__(self, *args, provinces, scenarios, national: bool, **kwargs):
        kwargs.setdefault(
            "initial", {"year": calendar.current_jalali_year(calendar.tehran_today()), "time_limit": 10}
        )
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios
        if national:
            self.fields["province"].queryset = provinces
        else:
            del self.fields["province"]

    def clean_time_limit(self):
        value = self.cleaned_data["time_limit"]
        if value is None or not 1 <= value <= 120:
            raise forms.ValidationError(_("Between 1 and 120 seconds."))
        return value


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("The whole country"),
        to_field_name="code",
    )
    loan_multiplier = MultiplierField(
        label=_("Multiply the banks' credit by"), required=False, help_text=_("e.g. 1.2 for 20% more")
    )
    infra_multiplier = MultiplierField(label=_("Multiply the infrastructure budget by"), required=False)
    loan_total = LocalIntegerField(
        bound=bounds.RIALS,
        label=_("Cap on all loans (rials)"),
        required=False,
        help_text=_("Whole rials; leave empty for no cap"),
    )
    infra_total = LocalIntegerField(bound=bounds.RIALS, label=_("National infrastructure budget (rials)"), required=False)
    delay_project = LocalIntegerField(label=_("Delay project number"), required=False)
    delay_months = LocalIntegerField(bound=bounds.MONTHS, label=_("by months"), required=False)
    drop_bank = forms.ModelChoiceField(
        label=_("Drop this bank's quota"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.BANK).order_by("name_en"),
        required=False,
        empty_label=_("No bank"),
        to_field_name="code",
    )
    drop_province = forms.ModelChoiceField(
        label=_("in province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("every province (the whole line)"),
        to_field_name="code",
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, provinces, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop_province"].queryset = provinces
        if national:
            self.fields["province"].queryset = provinces
        else:
            del self.fields["province"]

    def clean(self):
        data = super().clean()
        if (data.get("delay_project") is None) != (data.get("delay_months") is None):
            raise forms.ValidationError(_("To delay a project, give both its number and the months."))
        if data.get("drop_province") and not data.get("drop_bank"):
            self.add_error("drop_bank", _("Choose the bank whose quota is dropped."))
        return data

    def changes(self) -> dict:
        d = self.cleaned_data
        out: dict = {}
        for key in ("loan_multiplier", "infra_multiplier"):
            if d.get(key) is not None:
                out[key] = str(d[key])
        for key in ("loan_total", "infra_total"):
            if d.get(key) is not None:
                out[key] = d[key]
        if d.get("delay_project") is not None:
            out["delays"] = {str(d["delay_project"]): d["delay_months"]}
        if d.get("drop_bank"):
            out["drop_quotas"] = [
                [d["drop_bank"].code, d["drop_province"].code if d.get("drop_province") else ""]
            ]
        return out


class ProjectStatusForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("Status"), choices=InfraProject.Status.choices)
    progress = LocalIntegerField(
        bound=bounds.PERCENT,
        label=_("Progress (%)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 3, "size": 4}),
    )
