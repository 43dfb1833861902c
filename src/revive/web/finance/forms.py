"""Forms of the finance pages: amounts are read by the services (whole rials, Persian digits), dates are Jalali."""

from django import forms
from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar
from revive.core.errors import DomainError
from revive.finance.models import LoanKind, LoanState
from revive.registry.models import Organisation, Province
from revive.web.cases.forms import VersionedForm
from revive.web.forms import JalaliDateField, LocalIntegerField

AMOUNT_HINT = _("Whole rials; Persian or English digits, e.g. ۲۵٬۰۰۰٬۰۰۰٬۰۰۰")
DATE_HINT = _("Iranian date, for example 1405/08/15")


def _amount(label, required: bool = True) -> forms.CharField:
    # Kept as text: the service says what is wrong with "25.5" or "12a" in the reader's language.
    return forms.CharField(
        label=label,
        required=required,
        help_text=AMOUNT_HINT,
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )


def _date(label, required: bool = True) -> JalaliDateField:
    return JalaliDateField(
        label=label,
        required=required,
        help_text=DATE_HINT,
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": 20, "inputmode": "numeric"}),
    )


def _banks():
    return Organisation.objects.filter(kind=Organisation.Kind.BANK).order_by("name_en")


class LoanRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of facility"), choices=LoanKind.choices)
    amount_requested = _amount(_("Amount requested (rials)"))
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=300)
    project_progress = LocalIntegerField(
        bound=bounds.PERCENT,
        label=_("Project progress (%)"),
        required=False,
        help_text=_("For fixed capital: how far the project is built; it must be over 60%."),
    )
    registered_on = _date(_("Registered on"), required=False)
    obstacle = forms.TypedChoiceField(
        label=_("Obstacle it removes"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, obstacles=(), owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # the obstacle's number in the page's digits, as the resolution form's case numbers
        from revive.web.templatetags.revive import digits

        self.fields["obstacle"].choices = [("", "—")] + [
            (o.pk, f"{o.get_kind_display()} (#{digits(o.pk)})") for o in obstacles
        ]
        if not obstacles:
            del self.fields["obstacle"]
        if owner:  # an owner's request is registered on the day they send it
            del self.fields["registered_on"]


class StepForm(VersionedForm):
    """Expert review, workgroup approval or withdrawal: a note (the reason for a withdrawal) and a date."""

    to = forms.ChoiceField(
        label=_("Next step"),
        choices=[("", "—")]  # nothing preselected: withdrawing is one of the steps
        + [(s, LoanState(s).label) for s in (LoanState.REVIEW, LoanState.APPROVED, LoanState.WITHDRAWN)],
    )
    on = _date(_("Date"), required=False)
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=300)


class IntroduceForm(VersionedForm):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Organisation.objects.none())
    letter_number = forms.CharField(label=_("Letter number"), max_length=40)
    on = _date(_("Letter date"))
    amount = _amount(_("Amount introduced (rials)"))
    kind = forms.ChoiceField(label=_("Type of facility"), choices=LoanKind.choices)
    term_months = LocalIntegerField(
        bound=bounds.MONTHS,
        label=_("Term (months)"),
        required=False,
        help_text=_("Working capital: up to 12 months; fixed capital and rescheduling: up to 60."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = _banks()


class DecisionForm(VersionedForm):
    to = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—")]  # nothing preselected: the bank says what it decided
        + [(s, LoanState(s).label) for s in (LoanState.PAID, LoanState.PARTLY_PAID, LoanState.REJECTED)],
    )
    amount = _amount(_("Amount granted (rials), if partly paid"), required=False)
    reason = forms.CharField(label=_("Reason, if rejected"), required=False, max_length=300)
    on = _date(_("Date of the decision"))


class MoneyForm(VersionedForm):
    """A disbursement or a repayment."""

    on = _date(_("Date"))
    amount = _amount(_("Amount (rials)"))


class CreditLineForm(forms.Form):
    year = LocalIntegerField(label=_("Iranian year"))
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=Organisation.objects.none())
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("code"),
        required=False,
        empty_label=_("National line (all provinces)"),
    )
    amount = _amount(_("Amount (rials)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    # The version of the line this form showed (0: none); see finance.services._confirm_replacing.
    version = forms.IntegerField(required=False, min_value=0, max_value=10**9, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = _banks()


class JalaliMonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return calendar.parse_jalali_month(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None


class LendingFigureForm(forms.Form):
    month = JalaliMonthField(
        label=_("Month"),
        help_text=_("Iranian year and month, for example 1405/08"),
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": 10, "inputmode": "numeric"}),
    )
    bank = forms.ModelChoiceField(
        label=_("Bank"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The whole banking system"),
    )
    total = _amount(_("All facilities granted (rials)"))
    industry_mining = _amount(_("Of which to industry and mining (rials)"))
    # The version of the month's figures this form showed (0: none); see finance.services._confirm_replacing.
    version = forms.IntegerField(required=False, min_value=0, max_value=10**9, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = _banks()


class LendingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: year, month, bank (code, empty for the banking system), total, industry_mining."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
