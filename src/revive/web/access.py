"""Who may open a page: a permission, and for some pages the kinds of reader; anyone else gets 404, like a
missing page. The scope itself comes from core.scoping.scope_for (the one place that decides it)."""

from collections.abc import Callable

from django.http import Http404, HttpRequest

from revive.accounts.roles import has_perm
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
