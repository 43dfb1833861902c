"""What other apps run when the registry changes a unit's band: an explicit list, not Django signals.

The registry imports no other domain app. An app that follows units' bands (cases) registers its handler
in its AppConfig.ready(); `status_record_many` calls every handler inside its own transaction, in the order
they were registered, so a handler's refusal rolls the status rows back with it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from revive.registry.models import ProductionUnit


@dataclass(frozen=True)
class BandChange:
    """A unit's current band moved: from `previous` to `band`, on a date, shown by a source."""

    unit: ProductionUnit
    band: str
    previous: str | None
    on: date
    source: str
    jobs: int = 0


BandChangeHandler = Callable[..., None]  # called as handler(changes=[BandChange, ...], by=actor)

_band_change_handlers: list[BandChangeHandler] = []


def register_band_change_handler(handler: BandChangeHandler) -> None:
    """Run `handler(changes=..., by=...)` whenever units' bands move; registering twice keeps one entry."""
    if handler not in _band_change_handlers:
        _band_change_handlers.append(handler)


def band_change_handlers() -> tuple[BandChangeHandler, ...]:
    """The registered handlers, in registration order."""
    return tuple(_band_change_handlers)


def run_band_change_handlers(*, changes: Sequence[BandChange], by: object) -> None:
    """Every registered handler, with the same changes; the caller's transaction holds them all."""
    for handler in band_change_handlers():
        handler(changes=changes, by=by)
