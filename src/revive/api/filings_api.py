"""API for monthly filings sent by the statistics system (or by an owner for their own unit).

One filing or a batch of up to 5,000; every row is checked first and a batch with any refused row
writes nothing; the same batch sent again changes nothing and says so. The "new version" rule is the
owner's form's (filings/versions.py).
"""

import json
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from revive.accounts.roles import Perm, has_perm
from revive.api.params import BODY_SCHEMAS, In
from revive.core import bounds
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import scope_for
from revive.filings import versions
from revive.filings.versions import MAX_BATCH, filings_receive
from revive.registry.models import ProductionUnit

from .schemas import ErrorOut

router = Router(tags=["filings"])


class FilingIn(In):
    """One row, exactly as filings/versions.py checks it (the month's pattern is set when the schema is
    served: it ends at the current month)."""

    business_id: str = Field(
        description="The unit's 12-digit business ID (ASCII, Persian or Arabic-Indic digits).",
        pattern=versions.BUSINESS_ID_PATTERN,
        examples=["200000000011"],
    )
    month: str = Field(
        description=f"Iranian year and month, YYYY/MM, from {bounds.FIRST_YEAR}/01 to the current month "
        "(Persian digits too).",
        examples=["1405/08"],
    )
    production_value: int = Field(description="Production value in rials.", **bounds.RIALS.schema())
    capacity_utilisation: int = Field(description="Capacity utilisation, 0 to 100 (%).", **bounds.PERCENT.schema())
    employees: int = Field(description="Employees.", **bounds.EMPLOYEES.schema())
    energy_kwh: int | None = Field(default=None, description="Energy used, kWh.", **bounds.ENERGY_KWH.schema())


class FilingBatchIn(In):
    filings: list[FilingIn] = Field(min_length=1, max_length=MAX_BATCH)


class FilingResultOut(Schema):
    index: int
    business_id: str
    month: str
    result: str = Field(description="recorded, waiting_review or unchanged")
    version: int


class FilingBatchOut(Schema):
    message: str
    received: int
    recorded: int
    waiting_review: int
    unchanged: int
    items: list[FilingResultOut]


def _body_schema() -> dict:
    """The request body: a batch or one row (a row never has `filings`, so exactly one matches)."""
    one = FilingIn.model_json_schema()
    one["properties"]["month"]["pattern"] = versions.month_pattern()
    batch = FilingBatchIn.model_json_schema()
    batch.pop("$defs", None)
    batch["properties"]["filings"]["items"] = one
    return {"required": True, "content": {"application/json": {"schema": {"oneOf": [batch, one]}}}}


BODY_SCHEMAS["post /filings"] = _body_schema


def _rows(request) -> list:
    try:
        body: Any = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise DomainError(_("The request body is not valid JSON.")) from None
    if isinstance(body, dict) and "filings" in body:
        if set(body) == {"filings"} and isinstance(body["filings"], list):
            return body["filings"]
    elif isinstance(body, dict):
        return [body]
    raise DomainError(_('Send one filing as an object, or a batch as {"filings": [...]}.'), field="filings")


@router.post("/filings", response={200: FilingBatchOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def filings_send(request):
    """Monthly filings: `{"filings": [...]}` (1 to 5,000) or one filing object. A month Revive has
    not seen is recorded (sent by the statistics system) or waits for review (sent by an owner); a
    changed figure for a month already sent becomes a new version waiting for review; the same
    figures again are `unchanged`. Any refused row (`details.errors`: index, field, reason) refuses
    the whole batch: 400 when a row is not of the schema's shape, else 404 when a business ID names no
    unit the caller may send for, else 409 (a closed unit, or a unit's month twice in the batch)."""
    user = request.auth
    if not has_perm(user, Perm.SEND_FILINGS):
        raise Http404
    nationwide = has_perm(user, Perm.SEND_FILINGS_NATIONWIDE)
    units = ProductionUnit.objects.all() if nationwide else ProductionUnit.objects.visible_to(scope_for(user))
    result = filings_receive(rows=_rows(request), by=user, units_allowed=units, record_new=nationwide)
    changed = result["received"] - result["unchanged"]
    if changed:
        # the counts in the message's digits (Persian digits in Persian), as every other message's numbers
        message = str(
            lazy_message(
                _("%(recorded)s recorded, %(review)s waiting for review, %(same)s unchanged."),
                recorded=result["recorded"],
                review=result["waiting_review"],
                same=result["unchanged"],
            )
        )
    else:
        message = _("Nothing changed: these figures had all been received already.")
    return {"message": message, **result}
