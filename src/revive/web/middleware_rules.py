"""Two rules every page follows, enforced once here rather than in each view.

- A DomainError that leaves a page's view (a year out of range, a value a service refuses, a stale
  version) answers its status (400; 409 for a conflict; 403 for a change the user's role does not
  make) with its message in the user's language, never a server
  error. Views still show errors next to their form fields when they catch them; this is the net
  under every query parameter and every value a view passes on unchecked.
- A request carrying a NUL byte (in its path, query, form fields or JSON body) answers 400 before any
  view runs: PostgreSQL cannot store or even compare such text and answered 500, SQLite stored it.
- Responses to a signed-in user, or to an API token, carry `Cache-Control: no-store`: pages and
  downloads hold scoped figures and must not stay in a shared or browser cache after sign-out.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from revive.core.errors import ConflictError, DomainError, PermissionRefused


class RequestRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return _refuse_nul(request)
        response = self.get_response(request)
        # Read without touching the session store again: the database may be the reason the view
        # failed (middleware_db answers 503 then), and a session cookie alone means a signed-in browser.
        user = getattr(request, "_cached_user", None)
        if (
            (user is not None and user.is_authenticated)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
        ):
            add_never_cache_headers(response)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        conflict = isinstance(exception, ConflictError)
        return render(
            request,
            "web/bad_request.html",
            {"message": exception.message, "conflict": conflict, "back": request.path},
            status=exception.status_code if isinstance(exception, ConflictError | PermissionRefused) else 400,
        )


def _holds_nul(request) -> bool:
    from urllib.parse import unquote

    if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body.lower()
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    return False


def _refuse_nul(request):
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    message = _("The request holds a NUL character, which cannot be stored. Remove it and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "details": {}}, status=400)
    return render(request, "web/bad_request.html", {"message": message, "back": ""}, status=400)
