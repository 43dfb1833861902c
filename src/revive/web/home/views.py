"""Where sign-in lands: the lists of what waits for this person (work/selectors.py), per role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revive.core import calendar
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.scoping import scope_for
from revive.work import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = calendar.tehran_today()
    sections = selectors.sections(user=request.user, today=today)
    scope = scope_for(request.user)
    return render(
        request,
        "web/home/home.html",
        {
            "sections": sections,
            "today": today,
            "scope_label": _scope_label(request.user, scope),
            "overdue": sum(s.overdue for s in sections),
        },
    )


def _scope_label(user, scope) -> str:
    """Whose work this is, spelled out: a province, a park, a unit, a bank or an agency."""
    from django.utils.translation import gettext as _

    if scope.kind == "nation":
        return _("nationwide")
    if scope.kind == "park" and user.park_id:
        return str(user.park.name_fa if _lang() == "fa" else user.park.name_en)
    if scope.kind == "unit" and user.unit_id:
        return user.unit.name(_lang())
    if scope.kind in ("bank", "agency") and user.organisation_id:
        return str(user.organisation)
    if scope.kind == "province" and user.province_id:
        return str(user.province)
    return ""


