"""Forms of the case work: obstacles, transitions, meetings, resolutions, visits."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from revive.cases.models import CaseState, Obstacle, ObstacleKind, Resolution
from revive.core import bounds
from revive.registry.models import Organisation
from revive.web.forms import JalaliDateField, LocalIntegerField, VersionField


class VersionedForm(forms.Form):
    """Carries the version the user saw, so a stale save is refused instead of overwriting."""

    version = VersionField()


def organisations_for(province_id: int):
    from django.db.models import Q

    return Organisation.objects.filter(Q(kind=Organisation.Kind.BANK) | Q(province_id=province_id)).order_by(
        "kind", "name_en"
    )


class ObstacleForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Obstacle"), choices=ObstacleKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation that can remove it"), queryset=Organisation.objects.none(), required=False
    )
    amount = LocalIntegerField(
        bound=bounds.RIALS,
        label=_("Estimated amount (rials)"),
        required=False,
        help_text=_("Whole rials; Persian or English digits, e.g. ۲۵٬۰۰۰٬۰۰۰٬۰۰۰"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, province_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(province_id)


class ObstacleStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=Obstacle.Status.choices)


class TransitionForm(VersionedForm):
    # No state is chosen until the officer picks one: the first of the list may be closing the case.
    to = forms.ChoiceField(label=_("New state"), choices=[("", "—"), *CaseState.choices])
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        # its own ids: the case page also shows the obstacle form, whose note would be id_note too
        kwargs.setdefault("auto_id", "transition_%s")
        super().__init__(*args, **kwargs)


class VisitForm(forms.Form):
    visited_on = JalaliDateField(
        label=_("Date of visit"),
        help_text=_("Iranian date, for example 1405/08/15"),
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": 20}),
    )
    inspector_name = forms.CharField(label=_("Inspector"), required=False, max_length=120)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    capacity_observed = LocalIntegerField(bound=bounds.PERCENT, label=_("Capacity observed (%)"))
    employees_observed = LocalIntegerField(bound=bounds.EMPLOYEES, label=_("Employees observed"), required=False)
    verifies_revival = forms.BooleanField(
        label=_("The unit is producing again: verify the revival"), required=False
    )
    # Photos come as request.FILES.getlist("photos"); the service checks each before anything is written.


class MeetingForm(forms.Form):
    number = LocalIntegerField(bound=bounds.MEETING_NUMBER, label=_("Meeting number"))
    held_on = JalaliDateField(
        label=_("Date of the meeting"),
        help_text=_("Iranian date, for example 1405/08/15"),
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": 20}),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attending organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, province_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = organisations_for(province_id)


class OptionsSelect(forms.Select):
    """forms.Select with its options written here instead of through one template include each: the
    meeting page's case list (one option per agenda case, hundreds on a national demo meeting) spent ~50 ms
    in Django's option template. The same HTML as forms.Select; option groups go through forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _choices, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n', str(o["value"]), _attrs(o["attrs"]), o["label"]
            )
            for _group, choices, _index in widget["optgroups"]
            for o in choices
        )
        attrs_html = _attrs(widget["attrs"])
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], attrs_html, mark_safe(options)
        )


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False left out, True as a bare name
    html = ""
    for key, value in attrs.items():
        if value is True:
            html += format_html(" {}", key)
        elif value is not False:
            html += format_html(' {}="{}"', key, str(value))
    return mark_safe(html)


class ResolutionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Addressee"), queryset=Organisation.objects.none())
    case = forms.TypedChoiceField(
        label=_("Case"), coerce=int, required=False, empty_value=None, widget=OptionsSelect
    )
    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    deadline = JalaliDateField(
        label=_("Deadline"),
        help_text=_("Iranian date, for example 1405/08/15"),
        widget=forms.TextInput(attrs={"dir": "ltr", "maxlength": 20}),
    )

    def __init__(self, *args, province_id: int, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(province_id)
        # The unit's name and the case number in the page's language and digits.
        from revive.web.templatetags.revive import digits, name

        self.fields["case"].choices = [("", "—")] + [(c.pk, f"{digits(c.pk)} · {name(c.unit)}") for c in cases]


class AnswerForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Resolution.Status.DONE, Resolution.Status.DONE.label),
            (Resolution.Status.NOT_DONE, Resolution.Status.NOT_DONE.label),
        ],
    )
    response = forms.CharField(label=_("Response"), required=False, max_length=500)
