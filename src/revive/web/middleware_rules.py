"""Two rules every page follows, enforced once here rather than in each view.

- A DomainError that leaves a page's view (a year out of range, a value a service refuses, a stale
  version) answers its status (400; 409 for a conflict; 403 for a change the user's role does not
  make) with its message in the user's language, never a server
  error. Views still show errors next to their form fields when they catch them; this is the net
  under every query parameter and every value a view passes on unchecked.
- A request carrying a NUL byte (in its path, query, form fields or JSON body) answers 400 before any
  view runs: PostgreSQL cannot store or even compare such text and answered 500, SQLite stored it.
- A request past Django's limits (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, more fields or files than
  allowed) answers 400 with a message in the user's language, in the API's JSON shape under /api/:
  Django's own answer was an English HTML "Bad Request (400)", even to an API client.
- Responses to a signed-in user, or to an API token, carry `Cache-Control: no-store`: pages and
  downloads hold scoped figures and must not stay in a shared or browser cache after sign-out.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from revive.core.errors import ConflictError, DomainError, PermissionRefused


class RequestRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            if _holds_nul(request):
                return _refuse_nul(request)
        except TOO_MUCH:
            return _refuse(request, _too_much_message())
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


# What reading a request's body or form raises past Django's limits (settings DATA_UPLOAD_MAX_*).
TOO_MUCH = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _too_much_message() -> str:
    from django.utils.translation import gettext as _

    return _("The request is too large to be read: send less at once (fewer rows, fields or files).")


def _refuse_nul(request):
    from django.utils.translation import gettext as _

    message = _("The request holds a NUL character, which cannot be stored. Remove it and try again.")
    return _refuse(request, message)


def _refuse(request, message: str):
    """400 with `message`: the API's {"message", "details"} under /api/, else the page for a bad request."""
    from django.http import JsonResponse

    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "details": {}}, status=400)
    return render(request, "web/bad_request.html", {"message": message, "back": ""}, status=400)
