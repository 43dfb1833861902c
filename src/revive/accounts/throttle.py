"""Sign-in throttling: after 5 failed attempts for one username from one address, that pair waits 15 minutes.

Counts live in Django's cache. With the default local-memory cache each server process counts on its
own (with 2 gunicorn workers an attacker gets at most 2 x 5 guesses per window); a shared cache
(database or Redis) makes the limit exact. The username is normalised and hashed, so the cache holds
no usernames and "Admin" and "admin " share one counter.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60

LOCKED_MESSAGE = _(
    "Too many failed sign-in attempts for this username. Wait 15 minutes and try again, "
    "or ask your administrator to reset your password."
)


def client_ip(request) -> str:
    """The peer address. Behind nginx this is the proxy's, so the limit becomes per username: stricter, never looser.

    X-Forwarded-For is not read: anyone can send it, and trusting it would let them reset their counter.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}\x00{ip}".encode()).hexdigest()
    return f"revive:login-failures:{digest}"


def failures(*, username: str, ip: str) -> int:
    return cache.get(_key(username, ip), 0)


def is_locked(*, username: str, ip: str) -> bool:
    return failures(username=username, ip=ip) >= MAX_FAILURES


def register_failure(*, username: str, ip: str) -> int:
    """Count one failed attempt; the lock lasts LOCK_SECONDS from the attempt that reached the limit."""
    key = _key(username, ip)
    if cache.add(key, 1, LOCK_SECONDS):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, LOCK_SECONDS)
        return 1
    if count == MAX_FAILURES:
        cache.set(key, count, LOCK_SECONDS)
    return count


def reset(*, username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
