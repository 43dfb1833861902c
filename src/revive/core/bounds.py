"""Real-world bounds of every number people type, in one place: forms, API schemas and imports use them.

Each bound is what the thing can be in the world (a unit's employees, a meeting's number, a share of
capacity), and it always fits the PostgreSQL column that stores it: a 25-digit "employees" is refused
with a message in the user's language instead of overflowing `integer` (SQLite would store it, so a
test on SQLite alone would not notice).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from revive.core.errors import DomainError, lazy_message

# PostgreSQL column limits.
SMALLINT = 32_767
INTEGER = 2_147_483_647
BIGINT = 9_223_372_036_854_775_807


@dataclass(frozen=True)
class Bound:
    minimum: int
    maximum: int
    column: int  # the largest value the column holds; the bound must fit in it

    def __post_init__(self) -> None:
        assert self.maximum <= self.column, self

    def check(self, value: int, *, field: str | None = None) -> int:
        """The value, or DomainError naming the range (in the reader's digits)."""
        if not self.minimum <= value <= self.maximum:
            raise DomainError(self.message(), **({"field": field} if field else {}))
        return value

    def message(self) -> Any:
        return lazy_message(
            _("Enter a number from %(minimum)s to %(maximum)s."), minimum=self.minimum, maximum=self.maximum
        )

    def schema(self) -> dict:
        """Keyword arguments for a ninja/pydantic Field or Query: the bound shows in the OpenAPI schema."""
        return {"ge": self.minimum, "le": self.maximum}


# Employees of one production unit (the largest Iranian plants have a few tens of thousands).
EMPLOYEES = Bound(0, 200_000, INTEGER)
# Money in whole rials: 10^17 rials is twice the state's whole yearly budget.
RIALS = Bound(0, 10**17, BIGINT)
# A share of capacity, a project's progress, a utilisation.
PERCENT = Bound(0, 100, SMALLINT)
# A workgroup meeting's number within its province.
MEETING_NUMBER = Bound(1, 100_000, INTEGER)
# Loan terms and project durations.
MONTHS = Bound(1, 360, SMALLINT)
# A unit's monthly energy use.
ENERGY_KWH = Bound(0, 10**13, BIGINT)
# Paging: a page past the last one answers the last page (pages) or an empty list (API), never an
# offset the database cannot hold.
PAGE = Bound(1, 1_000_000, INTEGER)
PAGE_SIZE = Bound(1, 500, INTEGER)
# Any other whole number a person types (a fall-back so no form field can overflow its column).
ANY_COUNT = Bound(0, INTEGER, INTEGER)
# Iranian years: from the first year with any data to next year (plans and targets are made ahead).
FIRST_YEAR = 1390
