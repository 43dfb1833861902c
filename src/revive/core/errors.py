"""Domain errors: raised by services and parsers, shown to people in their language."""

from typing import Any

from revive.core.digits import to_persian_digits


class DomainError(Exception):
    """A rule of the domain was broken; `message` is a (lazy) translated string meant for people.

    Pages show it next to the field, the API answers 400/409 with {"message", "details"}.
    """

    status_code = 400

    def __init__(self, message: Any, **details: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return str(self.message)


class ConflictError(DomainError):
    status_code = 409


class PermissionRefused(DomainError):
    """The caller sees the record but their role may not make this change. Services raise it, so a
    page and the API get the same refusal (403 with the message); a record outside the caller's scope
    stays a 404, as if it did not exist."""

    status_code = 403


def _shown(value: Any, persian: bool) -> str:
    """A parameter as the message's reader expects it: numbers in Persian digits inside Persian text,
    grouped by thousands from five digits on (so years, rows and days stay as they are written)."""
    from decimal import Decimal

    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        text = f"{value:,}"
    else:
        text = str(value)
    if not persian:
        return text
    return to_persian_digits(text.replace(",", "\u066c").replace(".", "\u066b"))


def lazy_message(template: Any, **params: Any) -> Any:
    """A translated message with %(name)s parameters, rendered in the language active when it is shown.

    Numeric parameters follow the language: '۱۲۰' in Persian, '120' in English. Text parameters (what a
    user typed, a code) are shown as they are."""
    from django.utils.functional import lazy
    from django.utils.translation import get_language

    def render() -> str:
        persian = (get_language() or "fa").startswith("fa")
        return str(template) % {k: _shown(v, persian) for k, v in params.items()}

    return lazy(render, str)()
