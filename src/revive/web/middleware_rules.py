"""Two rules every page follows, enforced once here rather than in each view.

- A DomainError that leaves a page's view (a year out of range, a value a service refuses, a stale
  version) answers 400 (409 for a conflict) with its message in the user's language, never a server
  error. Views still show errors next to their form fields when they catch them; this is the net
  under every query parameter and every value a view passes on unchecked.
- Responses to a signed-in user, or to an API token, carry `Cache-Control: no-store`: pages and
  downloads hold scoped figures and must not stay in a shared or browser cache after sign-out.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from revive.core.errors import ConflictError, DomainError


class RequestRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
            status=exception.status_code if conflict else 400,
        )
