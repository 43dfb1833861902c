"""API authentication: a bearer token from `revive create-token`, or the browser session."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from revive.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            row = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash(token), revoked=False)
        except ApiToken.DoesNotExist:
            return None
        if not row.user.is_active:
            return None
        # Touch last_used at most once a minute, so reads do not turn into writes.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class Session(SessionAuth):
    """The signed-in page user may call the API from the browser; CSRF applies to writes.

    Without a signed-in user there is nothing for CSRF to protect: the caller is anonymous and answers
    401 like a GET (the README's "401 not signed in"), not the CSRF check's 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)
