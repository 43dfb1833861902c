"""Sign-in throttling: after 5 failed attempts for one username from one address, that pair waits 15 minutes.

Counts live in Django's cache. With the default local-memory cache each server process counts on its
own (with 2 gunicorn workers an attacker gets at most 2 x 5 guesses per window); a shared cache
(database or Redis) makes the limit exact. The username is normalised as the sign-in form normalises it
before the password is checked (stripped, then NFKC as AbstractBaseUser.normalize_username does, so
"officer.isfahaｎ" with a full-width n is "officer.isfahan"), then case-folded (a wider net than the
backend's exact match: "Admin" counts against "admin"), and hashed, so the cache holds no usernames.
The app's sign-in and the admin's (/admin/login/) count and honour the same lock.
"""

import hashlib

from django.contrib.auth.base_user import AbstractBaseUser
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


def normalize(username: str) -> str:
    """The username as the form hands it to the backend (CharField strips, UsernameField applies NFKC)."""
    return AbstractBaseUser.normalize_username(str(username or "").strip()).strip().casefold()


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{normalize(username)}\x00{ip}".encode()).hexdigest()
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
