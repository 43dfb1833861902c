"""What other apps run when the registry changes units: explicit lists, not Django signals.

Two moments: a unit's band moved (cases open, close or revive cases), and units are about to change
sector or be deleted (filings recompute the production totals of their months).

The registry imports no other domain app. An app that follows units' bands (cases) registers its handler
in its AppConfig.ready(); `status_record_many` calls every handler inside its own transaction, in the order
they were registered, so a handler's refusal rolls the status rows back with it.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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


# Called as handler(unit_ids) before units change sector or are deleted; returns what to run after the
# change, in the same transaction (the filings app recomputes the production totals of their months).
UnitsRegroupingHandler = Callable[[Iterable[int]], Callable[[], None]]

_units_regrouping_handlers: list[UnitsRegroupingHandler] = []


def register_units_regrouping_handler(handler: UnitsRegroupingHandler) -> None:
    """Run `handler(unit_ids)` before units change sector or are deleted, and what it returns after."""
    if handler not in _units_regrouping_handlers:
        _units_regrouping_handlers.append(handler)


@contextmanager
def units_regrouping(unit_ids: Iterable[int]) -> Iterator[None]:
    """Wrap a change of these units' sector or their deletion, inside the caller's transaction."""
    ids = list(unit_ids)
    after = [handler(ids) for handler in tuple(_units_regrouping_handlers)]
    yield
    for run in after:
        run()


def units_regrouped(unit_ids: Iterable[int]) -> None:
    """After units changed sector (they still exist): what the handlers recompute, at once."""
    with units_regrouping(unit_ids):
        pass
