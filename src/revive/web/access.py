"""Who may open a page: a permission, and for some pages the kinds of reader; anyone else gets 404, like a
missing page. The scope itself comes from core.scoping.scope_for (the one place that decides it). And the
reader's scope in words, for page headings."""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from revive.accounts.roles import has_perm
from revive.core import rules
from revive.core.scoping import Scope, ScopeKind, scope_for


def page_scope(request: HttpRequest, perm: str, *, allow: Callable[[Scope], bool] | None = None) -> Scope:
    """The reader's scope for a page that needs `perm` (and, given `allow`, a reader it allows); else 404."""
    if not has_perm(request.user, perm):
        raise Http404
    scope = scope_for(request.user)
    if allow is not None and not allow(scope):
        raise Http404
    return scope


def staff(scope: Scope) -> bool:
    """National and provincial staff (a provincial officer sees their province)."""
    return scope.kind in (ScopeKind.NATION, ScopeKind.PROVINCE)


def registry_reader(scope: Scope) -> bool:
    """Who reads the registry: the nation, a province, a park, a unit (not a bank or an agency)."""
    return scope.sees_registry


def scope_label(user, scope: Scope) -> str:
    """Whose work or figures these are, spelled out: a province, a park, a unit, a bank or an agency."""
    if scope.kind == "nation":
        return _("nationwide")
    if scope.kind == "park" and user.park_id:
        return str(user.park.name_fa if rules.language() == "fa" else user.park.name_en)
    if scope.kind == "unit" and user.unit_id:
        return user.unit.name(rules.language())
    if scope.kind in ("bank", "agency") and user.organisation_id:
        return str(user.organisation)
    if scope.kind == "province" and user.province_id:
        return str(user.province)
    return ""


def form_of(page: str, *, keep: tuple[str, ...] = ("pk",)):
    """For a view that only receives a page's form (POST): a GET or HEAD at its address goes to the page
    (`page`, with the view's `keep` arguments and the query) instead of Django's blank 405. When a form's
    errors are shown, the browser's address is the form's (/cases/5/visits/), so the language switch, a
    download link (?export=csv), a pager link or a reload on that page asked it with GET and found an
    empty page. Replaces require_POST."""
    from functools import wraps

    from django.http import HttpResponseNotAllowed
    from django.shortcuts import redirect
    from django.urls import reverse

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                url = reverse(page, kwargs={k: kwargs[k] for k in keep if k in kwargs})
                query = request.META.get("QUERY_STRING", "")
                return redirect(f"{url}?{query}" if query else url)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
