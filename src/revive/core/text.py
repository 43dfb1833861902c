"""Persian text normalisation: one canonical form for names, one search key, digits both ways."""

import re
import unicodedata

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from revive.core.digits import TO_ASCII_DIGITS, to_ascii_digits, to_persian_digits  # noqa: F401 (text's public names)
from revive.core.errors import DomainError, lazy_message

ZWNJ = "\u200c"

# Arabic keyboards (and old Windows Persian layouts) type these; they look the same to people, so
# they must be the same to the database.
_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Persian yeh
        "\u0649": "\u06cc",  # alef maksura -> Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf -> Persian kaf
    }
)

# Invisible characters that copy-paste from Word, PDFs and web pages brings along (bidi marks,
# zero-width space, ZWJ, byte order mark): they never carry meaning in a name but break equality.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)

# Maddah and hamza above/below are kept: unlike vowel signs they change which letter it is.
_KEPT_MARKS = {"\u0653", "\u0654", "\u0655"}

_SPACE_RUN = re.compile(rf"[\s{ZWNJ}]*\s[\s{ZWNJ}]*")
_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
_SPACES_AND_ZWNJ = re.compile(rf"[\s{ZWNJ}]+")


def _is_removable_mark(ch: str) -> bool:
    # Harakat, tanwin, shadda, sukun, superscript alef and Quranic annotation marks are all
    # combining marks in the Arabic blocks: optional in writing, so they must not split a name.
    return (
        "\u0610" <= ch <= "\u06ff"
        and ch not in _KEPT_MARKS
        and (ch == "\u0640" or unicodedata.category(ch) == "Mn")  # U+0640 is tatweel
    )


# The same marks as a translation table: one C-level pass instead of a Python test per character.
_REMOVABLE_MARKS = dict.fromkeys(c for c in range(0x0610, 0x0700) if _is_removable_mark(chr(c)))


def normalize(text: str | None) -> str:
    """The canonical stored form of a name or other Persian text typed by a person."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_INVISIBLE).translate(_LETTERS).translate(TO_ASCII_DIGITS)
    text = text.translate(_REMOVABLE_MARKS)
    # A ZWNJ beside a space joins nothing, so a run of spaces and ZWNJs is one space.
    text = _SPACE_RUN.sub(" ", text)
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = text.strip(" " + ZWNJ)
    return unicodedata.normalize("NFC", text)


def search_key(text: str | None) -> str:
    """A key under which spellings people consider the same word are equal (search, unique keys).

    People write "می‌خواهم", "می خواهم" and "ميخواهم" for the same word, so spaces and ZWNJs go.
    """
    return _SPACES_AND_ZWNJ.sub("", normalize(text).casefold())


def lang_code(lang: str) -> str:
    """'fa' or 'en' for a Django language code such as 'fa', 'en' or 'en-us'.

    Any other language is a programming error: Revive only speaks these two.
    """
    code = (lang or "").lower().replace("_", "-").split("-")[0]
    if code not in ("fa", "en"):
        raise ValueError(f"Unsupported language {lang!r}: expected 'fa' or 'en'.")
    return code


# Separators people put between thousands: ASCII comma, Arabic thousands separator (U+066C), and
# spaces (plain, no-break, thin, narrow no-break) as spreadsheets export them.
_THOUSANDS = ",\u066c \u00a0\u2009\u202f"
# Bounded so a pasted wall of digits is refused here rather than by int()'s own digit limit.
_INTEGER = re.compile(rf"-?(?:\d{{1,30}}|\d{{1,3}}(?:[{_THOUSANDS}]\d{{3}}){{1,9}})", re.ASCII)


def parse_int(text: str | None) -> int:
    """A whole number typed by a person, in any digits, with optional thousands separators.

    Groups must be of three digits, so "1,5" (a decimal comma in some locales) is refused rather
    than read as 15.
    """
    cleaned = to_ascii_digits(text or "").translate(_INVISIBLE).strip()
    if not cleaned:
        raise DomainError(_("Enter a whole number, e.g. 1,250,000."), value=text)
    cleaned = cleaned.replace("\u2212", "-")  # the typographic minus sign from word processors
    if not _INTEGER.fullmatch(cleaned):
        raise DomainError(
            format_lazy(
                _(
                    "“{value}” is not a whole number: use digits, optionally grouped by thousands, e.g. 1,250,000."
                ),
                value=text,
            ),
            value=text,
        )
    return int(re.sub(f"[{_THOUSANDS}]", "", cleaned))


def require_fits(value: str | None, *, model, field: str, name: str | None = None) -> str:
    """`value` as given, if it fits `model.field`'s max_length; else a DomainError on the form field `name`
    (default: `field`). Text a person typed is never cut to fit: the rest of what they sent would be lost
    in silence. The limit is the model field's, so the number lives in one place."""
    value = value or ""
    limit = model._meta.get_field(field).max_length
    if len(value) > limit:
        raise DomainError(too_long(limit, len(value)), field=name or field)
    return value


def too_long(limit: int, length: int):
    """The message for a text past its limit, the same for a form, the API and an import's row."""
    return lazy_message(
        _("Longer than %(max)s characters (this one has %(length)s): shorten it."), max=limit, length=length
    )
