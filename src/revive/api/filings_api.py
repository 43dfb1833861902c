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
from revive.core.errors import DomainError
from revive.core.scoping import scope_for
from revive.filings.versions import MAX_BATCH, filings_receive
from revive.registry.models import ProductionUnit

from .schemas import ErrorOut

router = Router(tags=["filings"])


class FilingIn(Schema):
    business_id: str = Field(description="The unit's 12-digit business ID.", examples=["200000000011"])
    month: str = Field(
        description="Iranian year and month, YYYY/MM (Persian digits too).", examples=["1405/08"]
    )
    production_value: int = Field(description="Production value in rials.", ge=0)
    capacity_utilisation: int = Field(description="Capacity utilisation, 0 to 100 (%).", ge=0, le=100)
    employees: int = Field(ge=0)
    energy_kwh: int | None = Field(default=None, ge=0)


class FilingBatchIn(Schema):
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
    batch, one = FilingBatchIn.model_json_schema(), FilingIn.model_json_schema()
    batch_props = dict(batch["properties"])
    batch_props["filings"] = {**batch_props["filings"], "items": one}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "object", "properties": batch_props, "required": ["filings"]},
                            one,
                        ]
                    }
                }
            },
        }
    }


def _rows(request) -> list:
    try:
        body: Any = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise DomainError(_("The request body is not valid JSON.")) from None
    if isinstance(body, dict) and "filings" in body:
        return body["filings"] if isinstance(body["filings"], list) else [body["filings"]]
    if isinstance(body, dict):
        return [body]
    raise DomainError(_('Send one filing as an object, or a batch as {"filings": [...]}.'), field="filings")


@router.post(
    "/filings",
    response={200: FilingBatchOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    openapi_extra=_body_schema(),
)
def filings_send(request):
    """Monthly filings: `{"filings": [...]}` (1 to 5,000) or one filing object. A month Revive has
    not seen is recorded (sent by the statistics system) or waits for review (sent by an owner); a
    changed figure for a month already sent becomes a new version waiting for review; the same
    figures again are `unchanged`. Any refused row (`details.errors`: index, field, reason) refuses
    the whole batch."""
    user = request.auth
    if not has_perm(user, Perm.SEND_FILINGS):
        raise Http404
    nationwide = has_perm(user, Perm.SEND_FILINGS_NATIONWIDE)
    units = ProductionUnit.objects.all() if nationwide else ProductionUnit.objects.visible_to(scope_for(user))
    result = filings_receive(rows=_rows(request), by=user, units_allowed=units, record_new=nationwide)
    changed = result["received"] - result["unchanged"]
    if changed:
        message = _("%(recorded)s recorded, %(review)s waiting for review, %(same)s unchanged.") % {
            "recorded": result["recorded"],
            "review": result["waiting_review"],
            "same": result["unchanged"],
        }
    else:
        message = _("Nothing changed: these figures had all been received already.")
    return {"message": message, **result}
