"""Case assignment: a provincial officer or national staff gives a case to an officer of its province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revive.accounts.roles import Perm
from revive.cases import selectors, services
from revive.core.errors import DomainError
from revive.web.views_cases import _scope


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    username = request.POST.get("officer", "").strip()
    officer = selectors.officers_of(province_id=case.province_id).filter(username=username).first()
    raw_version = request.POST.get("version", "")
    try:
        if username and officer is None:
            raise DomainError(_("Choose an officer of the case's province."), field="officer")
        services.case_assign(
            case=case,
            officer=officer,
            by=request.user,
            version=int(raw_version) if raw_version.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The case was assigned.") if officer else _("The case is no longer assigned.")
        )
    return redirect("web:case", pk=case.pk)
