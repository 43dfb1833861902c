"""A case's timeline shows, in the reader's language, the system's own words that events stored in the
writer's language: the origin of a case, obstacle kinds and statuses, resolution statuses, and organisation
names ("گشوده به دست کارشناس" on an English page read as untranslated). People's own words (notes,
findings, resolution texts) are shown as they wrote them."""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from revive.cases.models import Case, CaseState, Obstacle, ObstacleKind, Resolution
from revive.core.text import to_persian_digits
from revive.registry.models import Organisation

# Events whose text is made of system labels (see cases/services.py `_event` calls).
SYSTEM_KINDS = {"opened", "obstacle_add", "obstacle_status", "resolution", "resolution_answer", "meeting"}
_MEETING = re.compile(r"IR-\d+ #(\d+)")  # str(meeting), as the meeting event stores it
_LOAN = re.compile(r"#([0-9]+): ")  # the loan request's number that finance puts before its events' texts


def label_pairs() -> list[tuple[str, str]]:
    pairs = []
    for choices in (Case.Origin, ObstacleKind, Obstacle.Status, Resolution.Status, CaseState):
        for _value, label in choices.choices:
            with translation.override("fa"):
                fa = str(label)
            with translation.override("en"):
                en = str(label)
            if fa != en:
                pairs.append((fa, en))
    pairs += [
        (fa, en)
        for fa, en in Organisation.objects.values_list("name_fa", "name_en")
        if fa and en and fa != en
    ]
    return pairs


def in_language(text: str, kind: str, lang: str, pairs: list[tuple[str, str]] | None = None) -> str:
    """The event's text with the system's labels in `lang` (fa or en), read from where each kind puts them
    (see cases/services.py); other kinds, and whatever a person typed, unchanged."""
    if kind == "loan":  # "#137: ...": the request's number in the page's digits
        match = _LOAN.match(text)
        if match:
            number = match[1] if lang == "en" else to_persian_digits(match[1])
            return f"#{number}: {text[match.end() :]}"
        return text
    if kind not in SYSTEM_KINDS or not text:
        return text
    if kind == "meeting":
        match = _MEETING.fullmatch(text)
        if not match:
            return text
        number = match[1] if lang == "en" else to_persian_digits(match[1])
        with translation.override(lang):
            return _("Workgroup meeting %(n)s") % {"n": number}
    pairs = label_pairs() if pairs is None else pairs
    to_lang = {fa: en for fa, en in pairs} if lang == "en" else {en: fa for fa, en in pairs}
    if kind in ("opened", "obstacle_add"):  # the whole text is one label
        return to_lang.get(text, text)
    # "resolution": "<addressee>: <the resolution as written>"; "resolution_answer": "<addressee>: <status>
    # <the response as written>". Only the addressee and the status are the system's words: what a person
    # wrote is shown as typed, never partly replaced.
    head, sep, rest = text.partition(": ")
    if not sep or head not in to_lang and head not in to_lang.values():
        return text
    head = to_lang.get(head, head)
    if kind == "resolution_answer":
        for source, target in sorted(_status_pairs(lang), key=lambda p: -len(p[0])):
            if rest == source or rest.startswith(source + " "):
                rest = target + rest[len(source) :]
                break
    return f"{head}: {rest}"


def _status_pairs(lang: str) -> list[tuple[str, str]]:
    """(label in the other language, label in `lang`) of each resolution status."""
    pairs = []
    for _value, label in Resolution.Status.choices:
        with translation.override("fa"):
            fa = str(label)
        with translation.override("en"):
            en = str(label)
        pairs.append((fa, en) if lang == "en" else (en, fa))
    return pairs
