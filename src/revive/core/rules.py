"""The rules every page, API handler and service used to copy, in one place.

Six year parsers with six ranges, four paging implementations, fourteen "user or label" checks and
seven version checks had drifted apart (some answered 500 on `?year=abc`, one let a 25-digit page
number reach the database). Each rule now lives here once:

- `year`: the Iranian year of a request, from `bounds.FIRST_YEAR` to next year; empty means this
  year; anything else is a DomainError (field "year"), which pages and the API answer with 400.
- `page_slice` (API) and `paginate` (pages): bounded paging; a page past the last answers an empty
  list (API) or the last page (pages), never an offset the database cannot hold.
- `actor` / `actor_label`: the signed-in user behind a write, or None for the system, commands and
  imports run without a user (their label is kept in the audit trail).
- `check_version`: optimistic locking. A person's write must carry the version of the record it
  read: page forms send it in a hidden field (a form without it is refused) and the API's write
  bodies require it; a stale version answers 409. Services accept `version=None` only from callers
  that read nothing first (imports, commands, the demo).
- `language`: "fa" or "en", the language of the current request.
- `safe_next`: where to go back to after a form: a path on this site, never another host or scheme.
- `record_id` / `record_ids`: a record's id sent in a query or a form (`?case=`, ticked boxes): digits
  that fit the id column, else no record. Django answers `pk=<25 digits>` with no row, but passes
  `pk__in=[<25 digits>]` to the database (SQLite: OverflowError; PostgreSQL: bigint out of range).
"""

import re
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar
from revive.core.digits import range_pattern
from revive.core.errors import ConflictError, DomainError, lazy_message
from revive.core.text import to_ascii_digits

# --- the year --------------------------------------------------------------------------------------


def last_year(today=None) -> int:
    return calendar.current_jalali_year(today) + 1


def year(raw: Any, today=None) -> int:
    """An Iranian year typed in a query or a form (Persian or ASCII digits); empty is this year."""
    current = calendar.current_jalali_year(today)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return current
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = to_ascii_digits(str(raw)).strip()
        # Only ASCII, Persian and Arabic-Indic digits: str.isdigit() also passes "²" (int() then fails)
        # and full-width or Devanagari digits (which no schema pattern here admits).
        value = int(text) if re.fullmatch(r"[0-9]{1,4}", text) else -1
    if not bounds.FIRST_YEAR <= value <= current + 1:
        raise DomainError(
            lazy_message(
                _("Choose an Iranian year from %(first)s to %(last)s."),
                first=bounds.FIRST_YEAR,
                last=current + 1,
            ),
            field="year",
        )
    return value


def year_text_schema() -> dict:
    """Query(...) keyword arguments of an API `year` given as text (Persian digits too): the pattern
    matches exactly the years `year` accepts, in ASCII, Persian or Arabic-Indic digits (read when the
    API is built, like `year_schema`)."""
    return {"pattern": "^" + range_pattern(bounds.FIRST_YEAR, last_year(), 4) + "$"}


def year_schema() -> dict:
    """Query(...) keyword arguments of an API `year`: its range shows in the OpenAPI schema (read when
    the API is built: a server running across Nowruz still checks the new range in `year`)."""
    return {"ge": bounds.FIRST_YEAR, "le": last_year()}


# --- paging ----------------------------------------------------------------------------------------


def page_slice(page: int, page_size: int) -> tuple[int, int]:
    """(start, end) of an API page; both numbers checked against their bounds."""
    bounds.PAGE.check(page, field="page")
    bounds.PAGE_SIZE.check(page_size, field="page_size")
    return (page - 1) * page_size, page * page_size


def paginate(request, items, per_page: int):
    """A page of `items` for a page's table: `?page=` that is not a number gives the first page, one past
    the last (however large) the last page."""
    from django.core.paginator import Paginator

    raw = to_ascii_digits(str(request.GET.get("page") or "1")).strip()
    number = int(raw) if raw.isdecimal() and len(raw) <= 7 else (bounds.PAGE.maximum if raw.isdecimal() else 1)
    return Paginator(items, per_page).get_page(number)


# --- record ids from a query or a form -------------------------------------------------------------


def record_id(raw: Any) -> int | None:
    """The id of a record named in a query or a form (any digits, spaces around), or None when it cannot be
    one: not a whole number, zero, or past the id column (bigint). None is "no such record" to the caller."""
    text = to_ascii_digits(str(raw if raw is not None else "")).strip()
    if not re.fullmatch(r"[0-9]{1,19}", text):
        return None
    value = int(text)
    return value if 1 <= value <= bounds.BIGINT else None


def record_ids(raws: Any) -> list[int]:
    """The ids among several values (a form's ticked boxes, `getlist`), in order, each once; values that
    cannot be an id are left out."""
    return list(dict.fromkeys(i for i in map(record_id, raws) if i is not None))


# --- the acting user -------------------------------------------------------------------------------


def actor(by: Any):
    """The signed-in user behind `by`, or None when a command, an import or the system acts."""
    return by if getattr(by, "is_authenticated", False) else None


def actor_label(by: Any) -> str:
    user = actor(by)
    return user.get_username() if user is not None else (str(by) if by else "system")


# --- optimistic locking ----------------------------------------------------------------------------


def check_version(current: int, sent: int | None) -> None:
    """Refuse a write made on a stale copy of the record; `sent=None` is an internal caller."""
    if sent is not None and current != sent:
        raise ConflictError(
            _(
                "Someone else changed this record after you opened it. Reload the page to see their changes, "
                "then make yours again."
            ),
            expected_version=sent,
            current_version=current,
        )


def confirm_replacing(current: int, sent: int | None, message, *, field: str = "amount") -> None:
    """A record found by its key (a bank's credit line for a year, a month's lending figures, a hand-reported
    figure) is replaced only by someone who saw it: the form carries the version it showed (0 when it showed
    none). A stale or missing one is refused with `message` (saying what is there now) and the record's
    current version, which the redisplayed form then carries, so sending again is the confirmation.
    `sent=None` is an internal caller (imports, commands, the demo)."""
    if sent is not None and sent != current:
        raise ConflictError(message, field=field, current_version=current)


def require_version(sent: Any) -> int:
    """A version a person's write must carry (the hidden field of a page's form)."""
    if isinstance(sent, int) and not isinstance(sent, bool):
        value = sent
    else:
        text = to_ascii_digits(str(sent or "")).strip()
        value = int(text) if text.isdecimal() and len(text) <= 9 else -1
    if value < 0:
        raise ConflictError(
            _("This form is out of date or incomplete. Reload the page and make your change again."),
            field="version",
        )
    return value


# --- the language ----------------------------------------------------------------------------------


def language() -> str:
    return "en" if (get_language() or "fa").startswith("en") else "fa"


# --- where to go back to ---------------------------------------------------------------------------


def safe_next(request, fallback: str) -> str:
    """`next` from the form or the query when it is a path on this site; otherwise `fallback`."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return target
    return fallback


def lock(model, obj, version: int | None):
    """Re-read `obj` under a row lock and refuse the write if someone saved it since `version` was read."""
    fresh = model.objects.select_for_update().get(pk=obj.pk)
    check_version(fresh.version, version)
    return fresh
