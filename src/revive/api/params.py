"""Query parameters shared by the API's operations, bounded by core/bounds.py so that the OpenAPI
schema shows each range and a value outside it answers 400 before any handler runs."""

from collections.abc import Callable
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictInt

from revive.core import bounds, rules

# page=<25 digits> used to reach the database as an OFFSET it cannot hold.
Page = Annotated[int, Field(**bounds.PAGE.schema())]
PageSize = Annotated[int, Field(**bounds.PAGE_SIZE.schema())]
YearQuery = Annotated[int | None, Field(**rules.year_schema())]
# The same years as text, in ASCII, Persian or Arabic-Indic digits ("۱۴۰۵"): the pattern admits
# exactly what rules.year accepts, so the schema and the check agree.
YearText = Annotated[str | None, Field(**rules.year_text_schema())]
# The version of the record the caller read (its GET answers `version`): a write without it, or with
# an older one, would overwrite someone else's change, so it is required (400 without, 409 if stale).
Version = Annotated[
    int,
    Field(
        ge=0,
        le=bounds.INTEGER,
        description="The record's `version` as the caller read it; 409 when someone changed it since.",
    ),
]


def one_of(*values: str):
    """A query parameter that takes one of `values` (or is left empty): the schema lists them, so a
    value the API would refuse is not a request the schema calls valid."""
    from typing import Literal

    return Annotated[Literal[("", *values)], Field()]  # type: ignore[misc]


def _whole(value):
    """JSON Schema's `integer` is any number with no fraction: 40.0 is one, so it is taken as 40;
    true and false are not numbers here (Python would count them as 1 and 0)."""
    if isinstance(value, bool):
        raise ValueError("a whole number, not true or false")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A whole number in a request body, strict (a string stays a string, for a union with Text) but, as the
# schema's `integer` says, 40.0 is the whole number 40.
WholeInt = Annotated[StrictInt, BeforeValidator(_whole)]

# Text in a request body: anything but a NUL character, which no column can hold (middleware_rules
# refuses it with 400 before the handler; the schema says so).
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]


# Request bodies whose schema depends on the day (a filing's month ends at the current month): built
# each time the schema is served (ReviveAPI.get_openapi_schema), keyed "method /path" under /api/v1.
BODY_SCHEMAS: dict[str, Callable[[], dict]] = {}


class In(Schema):
    """A request body: its fields and nothing else (the schema says `additionalProperties: false`), so a
    misspelt field is refused with its name instead of being ignored."""

    model_config = ConfigDict(extra="forbid")
