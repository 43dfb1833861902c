"""Forms parse what people type (Jalali dates, Persian digits) and keep it when there are errors."""

import re
from contextlib import contextmanager
from datetime import timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar, rules
from revive.core.errors import ConflictError, DomainError, PermissionRefused
from revive.core.text import parse_int
from revive.registry.models import Band, UnitStatus


class JalaliDateInput(forms.TextInput):
    """A text field for an Iranian date; app.js puts the month-grid picker beside it (typing still works)."""

    def __init__(self, attrs=None):
        super().__init__({"maxlength": 20, **(attrs or {})})


class JalaliDateField(forms.CharField):
    """Every Iranian date in every form: typed in any digits, or picked from the calendar beside it."""

    widget = JalaliDateInput

    def widget_attrs(self, widget):
        # On whatever widget a form passes, so that no date field is left without its picker.
        return {**super().widget_attrs(widget), "data-jdate": "", "dir": "ltr", "autocomplete": "off"}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return calendar.parse_jalali(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None


class LocalIntegerField(forms.CharField):
    """Accepts Persian, Arabic and ASCII digits and thousands separators, within its real-world bound
    (core/bounds.py; by default any count that fits the database's integer column)."""

    def __init__(self, *args, bound: bounds.Bound = bounds.ANY_COUNT, **kwargs):
        self.bound = bound
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            number = parse_int(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc)) from None
        if number < 0 and self.bound.minimum >= 0:
            raise forms.ValidationError(_("Enter a number that is zero or more."))
        try:
            return self.bound.check(number)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


class VersionField(forms.CharField):
    """The version of the record the page showed, sent back in a hidden field; required, so that a
    write made without reading the record is refused instead of overwriting someone else's (core/rules.py)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        try:
            return rules.require_version(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


class StatusForm(forms.Form):
    # Nothing preselected: the first band, idle, would record a relapse of a revived unit.
    band = forms.ChoiceField(label=_("New band"), choices=[("", "—"), *Band.choices])
    effective_date = JalaliDateField(
        label=_("Effective date"),
        help_text=_("Iranian date, for example 1405/08/15"),
        widget=forms.TextInput(attrs={"maxlength": 20, "dir": "ltr", "inputmode": "numeric"}),
    )
    source = forms.ChoiceField(label=_("Source"), choices=UnitStatus.Source.choices)
    employees = LocalIntegerField(
        bound=bounds.EMPLOYEES,
        label=_("Employees at this date"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 12, "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_effective_date(self):
        value = self.cleaned_data["effective_date"]
        if value and value > calendar.tehran_today():
            raise forms.ValidationError(_("The effective date cannot be in the future."))
        return value


def carry_current_version(form: forms.Form, exc: DomainError) -> None:
    """After a refusal that names the record's current version, the redisplayed form carries it: the person
    has now seen what is there, and sending again replaces it."""
    if "current_version" in exc.details and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(exc.details["current_version"])


def refusal_status(exc: DomainError) -> int:
    """The status of a page that shows a service's refusal on its form: 403 when the user's role may not
    make the change (PermissionRefused, as the API answers), else 400 (the form is shown again)."""
    return 403 if isinstance(exc, PermissionRefused) else 400


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal next to the field it names (or at the top), keeping what was typed."""
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, str(exc.message))


# --- a form that creates a record, sent once ---------------------------------------------------------

ONCE = "once"  # the hidden field `{% once %}` writes into a form (templatetags/revive.py)
_TOKEN = re.compile(r"[0-9a-f]{32}")


@contextmanager
def sent_once(request):
    """Around the service call of a form that creates a record (a loan request, a visit, a resolution, a
    document): the form's one-time token is kept with the write, in its transaction, so the same form sent
    again (a double click on a slow connection, a reload that posts again) is refused instead of writing a
    second record; the two requests of a double click wait for each other on the token's key. A form
    without a token (an older page) is not checked. The refusal is a ConflictError the views show as the
    form's error; a write that fails takes its token back with it, so the form can be sent again."""
    from revive.core.models import SentForm

    token = request.POST.get(ONCE, "")
    with transaction.atomic():
        if _TOKEN.fullmatch(token):
            try:
                with transaction.atomic():
                    SentForm.objects.create(token=token)
            except IntegrityError:
                raise ConflictError(
                    _(
                        "This form was already sent and its record made (a second click or a reload). "
                        "Reload the page to see it."
                    )
                ) from None
            SentForm.objects.filter(sent_at__lt=timezone.now() - timedelta(days=2)).delete()
        yield
