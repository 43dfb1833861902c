"""When the database is unreachable (a restart, a failover), answer 503 instead of a server error.

Pages get a short page in the user's language that does not touch the database; the API gets
{"message"} JSON. Both say when to retry. Nothing is retried here: the next request opens a fresh
connection (CONN_HEALTH_CHECKS), so the app recovers by itself when the database is back.
"""

import logging

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("revive.db")
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
_FLAG = "_revive_database_error"


def _language(request) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if lang not in supported and request.path.startswith("/api/"):
        lang = translation.get_language_from_request(request)
    return lang if lang in supported else settings.LANGUAGE_CODE


def unavailable_response(request) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "message": _("The database is unavailable for a moment. Try again in a minute."),
                    "details": {},
                },
                status=503,
            )
        else:
            # A template without the request: context processors would ask the database for the user.
            body = render_to_string(
                "web/unavailable.html", {"lang": lang, "dir": "rtl" if lang == "fa" else "ltr"}
            )
            response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = lang
    return response


class DatabaseUnavailableMiddleware:
    """Place right after SecurityMiddleware, so it also sees failures of the session and auth layers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An inner middleware (sessions, auth) failed: Django already turned it into a 500; say 503.
        if response.status_code == 500 and getattr(request, _FLAG, False):
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


@receiver(got_request_exception)
def _remember_database_error(sender, request=None, **kwargs) -> None:
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _FLAG, True)
