"""REVIVE_EMAIL_URL -> Django's e-mail settings.

    console://                         (default) messages are written to the worker's output
    smtp://user:password@host:25       plain SMTP (a relay on the same network)
    smtp+tls://user:password@host:587  SMTP with STARTTLS
    smtps://user:password@host:465     SMTP over TLS from the first byte
    file:///path/to/folder             one file per message (for inspection)

User name and password are percent-decoded (a password with @ is written %40).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from config.env import ConfigError

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def email_from_url(url: str, *, name: str = "REVIVE_EMAIL_URL") -> dict:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ConfigError(f"{name} must start with one of {', '.join(s + '://' for s in BACKENDS)}")
    out: dict = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme.startswith("smtp"):
        if not parts.hostname:
            raise ConfigError(f"{name}: the SMTP server's host name is missing")
        out.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[scheme],
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_TIMEOUT=20,
        )
    elif scheme == "file":
        out["EMAIL_FILE_PATH"] = unquote(parts.path) or "var/mail"
    return out
