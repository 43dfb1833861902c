"""SMS through a provider adapter chosen by REVIVE_SMS_URL.

log://                                 (default) the message is written to the log
https://API-KEY@sms.example.ir/send    POST {"to": "09...", "text": "..."} as JSON with
                                       "Authorization: Bearer API-KEY"; any 2xx answer is success
"""

from __future__ import annotations

import json
import logging
import urllib.request
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings

log = logging.getLogger("revive.sms")


class SmsError(Exception):
    pass


def send(to: str, text: str, *, url: str | None = None) -> None:
    url = url or settings.SMS_URL
    parts = urlsplit(url)
    if parts.scheme == "log":
        log.warning("SMS to %s: %s", to, text)
        return
    if parts.scheme not in ("http", "https"):
        raise SmsError(f"unknown SMS backend {parts.scheme}://")
    key = unquote(parts.username or "")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    endpoint = urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
    body = json.dumps({"to": to, "text": text}).encode()
    request = urllib.request.Request(endpoint, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - the configured provider
            if not 200 <= response.status < 300:
                raise SmsError(f"the SMS provider answered {response.status}")
    except OSError as exc:
        raise SmsError(str(exc)) from exc
