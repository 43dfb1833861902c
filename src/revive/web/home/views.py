"""Where sign-in lands: the lists of what waits for this person (work/selectors.py), per role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from revive.core import calendar
from revive.core.scoping import scope_for
from revive.web.access import scope_label
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
            "scope_label": scope_label(request.user, scope),
            "overdue": sum(s.overdue for s in sections),
        },
    )


