"""The audit page: who changed what, within the reader's scope (national: all; a province: its rows)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revive.accounts.roles import Perm
from revive.core import rules
from revive.core.models import AuditEvent
from revive.core.selectors import audit_events, object_types
from revive.web.access import page_scope
from revive.web.audit.exports import audit_export, json_text
from revive.web.audit.forms import AuditFilterForm


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        events = audit_events(scope=scope, **(form.cleaned_data if form.is_bound else {}))
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx") and not form.errors:
        return audit_export(events, fmt)
    page = rules.paginate(request, events, 50)
    names = dict(object_types())
    rows = [
        {
            "event": e,
            "type": names.get(e.object_type, e.object_type),
            "before": json_text(e.before),
            "after": json_text(e.after),
        }
        for e in page
    ]
    return render(
        request,
        "web/audit.html",
        {"form": form, "page": page, "rows": rows},
        status=400 if form.errors else 200,
    )
