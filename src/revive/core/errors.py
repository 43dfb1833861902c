"""Domain errors: raised by services and parsers, shown to people in their language."""

from typing import Any


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


def lazy_message(template: Any, **params: Any) -> Any:
    """A translated message with %(name)s parameters, rendered in the language active when it is shown."""
    from django.utils.functional import lazy

    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()
