"""Query parameters shared by the API's operations, bounded by core/bounds.py so that the OpenAPI
schema shows each range and a value outside it answers 400 before any handler runs."""

from typing import Annotated

from pydantic import Field

from revive.core import bounds, rules

# page=<25 digits> used to reach the database as an OFFSET it cannot hold.
Page = Annotated[int, Field(**bounds.PAGE.schema())]
PageSize = Annotated[int, Field(**bounds.PAGE_SIZE.schema())]
YearQuery = Annotated[int | None, Field(**rules.year_schema())]
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
