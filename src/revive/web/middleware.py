"""Security headers that Django 5.2 does not set itself: a Content-Security-Policy with no inline script."""

from django.conf import settings

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin uses inline scripts of its own; everything else is held to the strict policy.
        if not request.path.startswith("/admin/") and not request.path.startswith(settings.API_DOCS_PREFIX):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class PersianFirstLocaleMiddleware:
    """Persian unless the user chose English (language cookie); the API also honours Accept-Language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on most government
    machines says English even for Persian-speaking users.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        supported = {code for code, _ in settings.LANGUAGES}
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in supported and request.path.startswith("/api/"):
            lang = translation.get_language_from_request(request)
        if lang not in supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        if request.path.startswith("/api/"):
            from django.utils.cache import patch_vary_headers

            patch_vary_headers(response, ("Accept-Language",))
        return response
