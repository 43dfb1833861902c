"""The audit page: who changed what, within the reader's scope (national: all; a province: its rows)."""

import json
from datetime import datetime, time, timedelta

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revive.accounts.roles import Perm, has_perm
from revive.core import calendar, rules
from revive.core.models import AuditEvent
from revive.core.scoping import scope_for
from revive.web.exports import table_response
from revive.web.forms import JalaliDateField

EXPORT_LIMIT = 100_000
_REVIVE_APPS = ("core", "accounts", "registry", "cases", "finance", "indicators", "planning")


def object_types() -> list[tuple[str, str]]:
    """Every model of Revive, as (label, its name in the page's language): what audit rows point at."""
    types = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model._meta.app_label in _REVIVE_APPS
    ]
    return sorted(types, key=lambda t: t[1].casefold())


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


def _tehran_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=calendar.TEHRAN)


def audit_events(*, scope, data: dict):
    """The rows the reader may see, filtered; a Tehran day is the reporting day."""
    qs = AuditEvent.objects.visible_to(scope).select_related("province")
    if data.get("object_type"):
        qs = qs.filter(object_type=data["object_type"])
    if data.get("action"):
        qs = qs.filter(action=data["action"].strip())
    if data.get("user"):
        qs = qs.filter(actor_label__iexact=data["user"].strip())
    if data.get("since"):
        qs = qs.filter(at__gte=_tehran_midnight(data["since"]))
    if data.get("until"):
        qs = qs.filter(at__lt=_tehran_midnight(data["until"] + timedelta(days=1)))
    return qs


def _json(value) -> str:
    return "" if value in (None, {}, []) else json.dumps(value, ensure_ascii=False, sort_keys=True)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.VIEW_AUDIT):
        raise Http404
    scope = scope_for(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        events = audit_events(scope=scope, data=form.cleaned_data if form.is_bound else {})
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx") and not form.errors:
        return _export(events, fmt)
    page = rules.paginate(request, events, 50)
    names = dict(object_types())
    rows = [
        {
            "event": e,
            "type": names.get(e.object_type, e.object_type),
            "before": _json(e.before),
            "after": _json(e.after),
        }
        for e in page
    ]
    return render(
        request,
        "web/audit.html",
        {"form": form, "page": page, "rows": rows},
        status=400 if form.errors else 200,
    )


def _export(events, fmt: str):
    lang = rules.language()
    header = [
        _("Time (Iranian)"),
        _("Time (UTC)"),
        _("User"),
        _("Action"),
        _("Record type"),
        _("Record ID"),
        _("Record"),
        _("Province code"),
        _("Before"),
        _("After"),
        _("Note"),
    ]
    rows = (
        [
            calendar.format_jalali(e.at.astimezone(calendar.TEHRAN).date(), lang="en")
            + e.at.astimezone(calendar.TEHRAN).strftime(" %H:%M"),
            e.at.isoformat(),
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.province.code if e.province else "",
            _json(e.before),
            _json(e.after),
            e.note,
        ]
        for e in events[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    return table_response(fmt=fmt, filename="revive-audit", header=header, rows=rows, rtl=lang == "fa")
