"""Monthly figures sent more than once: the one "new version" rule of the owner's form and of
`POST /api/v1/filings`, and the API's batch.

Every figure sent for a unit's month is kept as a FilingSubmission, numbered 1, 2, ... The same
figures again change nothing (and say so). Different figures for a month that has a filing waiting
for review, or one already recorded in the registry, become the next version, waiting for review:
the one waiting is marked superseded, the recorded one stays until an expert approves the new one.
Nothing is ever overwritten silently. The owner's form shows what was sent and asks before sending
a change; the statistics system, whose experts approved the figures already, records a month that
Revive has never seen directly (band changes, revivals and cases follow, as on approval).

Measured on SQLite (`make bench`, bench/bench_filings.py): a batch of 5,000 new filings, 5% of them
moving their unit's band and opening cases, takes 1.3 s of CPU through the whole HTTP stack (10-15 s
of wall time on a 2-core machine shared with a dozen test runs); sending it again, 0.5 s, nothing
written. Plain many-row inserts (core/bulk.py) instead of bulk_create saved a third.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bounds, bulk, calendar
from revive.core.digits import range_pattern, to_ascii_digits
from revive.core.errors import DomainError, lazy_message
from revive.filings import lastfiled, totals
from revive.filings.models import FilingSubmission, MonthlyFiling
from revive.registry.models import Band, ProductionUnit

FIGURES = ("production_value", "capacity_utilisation", "employees", "energy_kwh")
MAX_BATCH = 5000

S = FilingSubmission.Status


@dataclass
class MonthRecord:
    """What Revive holds for one unit's month: its registry filing, the version waiting for review,
    and how many versions were sent."""

    filing: MonthlyFiling | None = None
    pending: FilingSubmission | None = None
    versions: int = 0

    @property
    def current(self):
        """The figures a new sending is compared with: the newest waiting version, else the registry's."""
        return self.pending or self.filing


def month_records(
    unit_ids: list[int], months: set[tuple[int, int]]
) -> dict[tuple[int, int, int], MonthRecord]:
    """(unit id, year, month) -> MonthRecord, for the given units and months, in a few queries."""
    found: dict[tuple[int, int, int], MonthRecord] = defaultdict(MonthRecord)
    years = {y for y, _m in months}
    numbers = {m for _y, m in months}
    for chunk in bulk.chunks(unit_ids):
        for f in MonthlyFiling.objects.filter(unit_id__in=chunk, jyear__in=years, jmonth__in=numbers):
            if (f.jyear, f.jmonth) in months:
                found[(f.unit_id, f.jyear, f.jmonth)].filing = f
        for s in FilingSubmission.objects.filter(unit_id__in=chunk, jyear__in=years, jmonth__in=numbers):
            if (s.jyear, s.jmonth) not in months:
                continue
            record = found[(s.unit_id, s.jyear, s.jmonth)]
            record.versions = max(record.versions, s.version)
            if s.status == S.PENDING:
                record.pending = s
    return found


def outcome(figures: dict[str, Any], record: MonthRecord) -> str:
    """ "new" (nothing held for the month), "unchanged" (the same figures) or "changed"."""
    current = record.current
    if current is None:
        return "new"
    if all(getattr(current, f) == figures.get(f) for f in FIGURES):
        return "unchanged"
    return "changed"


def next_version(record: MonthRecord) -> int:
    """A month recorded before versions were kept (an import, the demo) counts as version 1."""
    return (record.versions or (1 if record.filing is not None else 0)) + 1


def figures_of(obj) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in FIGURES}


class ChangeToConfirm(DomainError):
    """Different figures for a month already sent: the form shows both and asks before replacing."""

    status_code = 409


class AlreadySent(DomainError):
    """The figures sent are those the month already holds: nothing is written. Not a refusal: `repeat`
    says the owner's own send arrived again (a double click, a reload that posts again: the month holds a
    version newer than the page showed, by this owner, with these figures), which the form answers as
    the first time; otherwise the form says, as information, that nothing changed. `status` is
    "pending" (waiting for review) or "recorded" (the registry's figures)."""

    status_code = 200


def _submission(*, unit, by, ym, figures, version, source, today, status=S.PENDING) -> FilingSubmission:
    return FilingSubmission(
        unit=unit,
        province_id=unit.province_id,
        jyear=ym[0],
        jmonth=ym[1],
        submitted_on=today,
        due_on=calendar.filing_due_date(*ym),
        submitted_by=by,
        version=version,
        source=source,
        status=status,
        **figures,
    )


def _supersede(pending: list[FilingSubmission], *, by) -> None:
    if not pending:
        return
    for chunk in bulk.chunks([p.pk for p in pending]):
        FilingSubmission.objects.filter(pk__in=chunk, status=S.PENDING).update(status=S.SUPERSEDED)
    audit.record_many(
        actor=by,
        events=(
            {"action": "submission_supersede", "obj": p, "before": {"status": S.PENDING},
             "after": {"status": S.SUPERSEDED}}
            for p in pending
        ),
    )  # fmt: skip


def submission_new_version(
    *,
    unit: ProductionUnit,
    by,
    ym: tuple[int, int],
    figures: dict[str, Any],
    confirm_change: bool,
    seen_version: int | None = None,
) -> FilingSubmission:
    """The owner's form: a month's figures, a new version when they differ from what was sent.

    `seen_version`: how many versions of the month the owner's page showed (None: not known), which tells
    the same send arriving twice from identical figures typed again (AlreadySent.repeat)."""
    # one send of a unit at a time: the second request of a double click waits here, then finds the
    # first one's version instead of writing the same version number again (PostgreSQL; SQLite has one writer)
    list(ProductionUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    record = month_records([unit.pk], {ym}).get((unit.pk, *ym), MonthRecord())
    result = outcome(figures, record)
    if result == "unchanged":
        pending = record.pending
        raise AlreadySent(
            _("These figures were already sent for this month: nothing changed."),
            field="month",
            status="pending" if pending else "recorded",
            repeat=seen_version is not None
            and pending is not None
            and pending.version > seen_version
            and pending.submitted_by_id == getattr(by, "pk", None),
        )
    if result == "changed" and not confirm_change:
        raise ChangeToConfirm(
            _("Figures for this month were already sent: check the change and confirm it."),
            field="month",
            previous=figures_of(record.current),
            previous_version=record.versions,
            previous_status=record.pending.status if record.pending else "recorded",
        )
    _supersede([record.pending] if record.pending else [], by=by)
    submission = _submission(
        unit=unit,
        by=by,
        ym=ym,
        figures=figures,
        version=next_version(record),
        source=FilingSubmission.Source.PAGE,
        today=calendar.tehran_today(),
    )
    submission.save()
    audit.record(
        actor=by,
        obj=submission,
        action="submission_create",
        after=audit.snapshot(submission),
        note=f"replaces version {record.versions}" if record.current is not None else "",
    )
    return submission


# --- the API's batch ------------------------------------------------------------------------------------


# The exact shape of a row, which the API's schema states (api/filings_api.py builds it from these):
# every field below and no other, the business ID as 12 digits, the month as YYYY/MM from the first
# year with data to the current month, each figure a whole number within its bound (core/bounds.py).
# A row of that shape is refused only for what a schema cannot know: a unit that does not exist or
# is not the sender's (404), a closed unit or a month sent twice in the batch (409).
FIGURE_BOUNDS = {
    "production_value": bounds.RIALS,
    "capacity_utilisation": bounds.PERCENT,
    "employees": bounds.EMPLOYEES,
    "energy_kwh": bounds.ENERGY_KWH,
}
REQUIRED = ("business_id", "month", "production_value", "capacity_utilisation", "employees")
FIELDS = (*REQUIRED, "energy_kwh")
DIGIT = "[0-9۰-۹٠-٩]"
BUSINESS_ID_PATTERN = f"^{DIGIT}{{12}}$"


def month_pattern(today: date | None = None) -> str:
    """The months a row may name, as a regular expression: YYYY/MM (ASCII, Persian or Arabic-Indic
    digits) from FIRST_YEAR/01 to the current Iranian month."""
    year, month, _day = calendar.to_jalali(today or calendar.tehran_today())
    spans = [f"{range_pattern(year, year, 4)}/{range_pattern(1, month, 2)}"]
    if year > bounds.FIRST_YEAR:
        spans.insert(0, f"{range_pattern(bounds.FIRST_YEAR, year - 1, 4)}/{range_pattern(1, 12, 2)}")
    return "^(?:" + "|".join(spans) + ")$"


@dataclass
class Refusal:
    index: int
    field: str
    reason: Any
    status: int = 400  # 400: not the row's shape; 404: no such unit for the sender; 409: the data says no

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "reason": str(self.reason)}


def _parse_rows(rows: list, *, units_allowed, today: date) -> tuple[list[dict], list[Refusal]]:
    """Every row checked before anything is written; the refusals name the row, the field and why."""
    refusals: list[Refusal] = []
    shaped: list[tuple[int, dict]] = []
    for index, row in enumerate(rows):
        before = len(refusals)
        values = _shape(index, row, today, refusals)
        if len(refusals) == before:
            shaped.append((index, values))
    wanted = sorted({values["business_id"] for _i, values in shaped})
    units: dict[str, ProductionUnit] = {}
    for chunk in bulk.chunks(wanted):
        units |= {
            u.business_id: u
            for u in units_allowed.filter(business_id__in=chunk).only(
                "id", "business_id", "province_id", "park_id", "current_band", "employees", "band_since"
            )
        }
    parsed: list[dict] = []
    seen: dict[tuple[int, int, int], int] = {}
    for index, values in shaped:
        unit = units.get(values["business_id"])
        if unit is None:
            reason = _("No unit with this business ID that you may send figures for.")
            refusals.append(Refusal(index, "business_id", reason, status=404))
            continue
        if unit.current_band == Band.CLOSED:
            reason = _("This unit is closed and has left the programme.")
            refusals.append(Refusal(index, "business_id", reason, status=409))
            continue
        key = (unit.pk, *values["ym"])
        if key in seen:
            message = _("The same unit and month are already in row %(row)s.")
            refusals.append(Refusal(index, "month", lazy_message(message, row=seen[key]), status=409))
            continue
        seen[key] = index
        parsed.append({"index": index, "unit": unit, "ym": values["ym"], "figures": values["figures"]})
    return parsed, refusals


def _shape(index: int, row, today: date, refusals: list[Refusal]) -> dict:
    """A row's fields read strictly as the schema states them (JSON types, no other fields)."""
    if not isinstance(row, dict):
        refusals.append(Refusal(index, "", _("Each filing is an object with named fields.")))
        return {}
    values: dict[str, Any] = {"figures": {}}

    def fail(field: str, reason) -> None:
        refusals.append(Refusal(index, field, reason))

    for field in sorted(set(row) - set(FIELDS), key=str):
        fail(
            str(field),
            lazy_message(_("Unknown field; the fields are: %(fields)s."), fields=", ".join(FIELDS)),
        )
    for field in FIELDS:
        value = row.get(field)
        if value is None:
            if field in REQUIRED:
                fail(field, _("This is required."))
            elif field in FIGURE_BOUNDS:
                values["figures"][field] = None
            continue
        try:
            if field == "business_id":
                values[field] = _business_id(value)
            elif field == "month":
                values["ym"] = _month(value, today)
            else:
                values["figures"][field] = _whole_number(value, FIGURE_BOUNDS[field])
        except DomainError as exc:
            fail(field, exc.message)
    return values


def _business_id(value) -> str:
    if not isinstance(value, str) or not re.fullmatch(BUSINESS_ID_PATTERN, value):
        raise DomainError(
            lazy_message(_("“%(value)s” is not a business ID: it must be exactly 12 digits."), value=value)
        )
    return to_ascii_digits(value)


def _month(value, today: date) -> tuple[int, int]:
    text = to_ascii_digits(value) if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]{4}/[0-9]{2}", text):
        raise DomainError(
            lazy_message(
                _("“%(value)s” is not an Iranian month: expected YYYY/MM, e.g. 1405/08."), value=value
            )
        )
    ym = calendar.parse_jalali_month(text)  # a month from 01 to 12
    if ym[0] < bounds.FIRST_YEAR:
        raise DomainError(lazy_message(_("Filings start in %(year)s."), year=bounds.FIRST_YEAR))
    if calendar.from_jalali(ym[0], ym[1], 1) > today:
        raise DomainError(_("A month cannot be filed before it starts."))
    return ym


def _whole_number(value, bound: bounds.Bound) -> int:
    """A JSON whole number (12 or 12.0, as JSON Schema's integer), within `bound`; text is refused."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter a whole number, e.g. 1250000."))
    return bound.check(value)


@transaction.atomic
def filings_receive(*, rows: list, by, units_allowed, record_new: bool) -> dict:
    """A batch of monthly filings (1 to 5,000): all checked first, any refusal writes nothing.

    `units_allowed` is the queryset of units the sender may send for (the caller's scope);
    `record_new`: a month Revive has never seen goes straight into the registry (the statistics
    system, whose experts approved it) rather than waiting for review (an owner's own figures).
    """
    if not isinstance(rows, list) or not rows:
        raise DomainError(_("Send at least one filing."), field="filings")
    if len(rows) > MAX_BATCH:
        raise DomainError(
            lazy_message(_("A batch holds at most %(max)s filings; split it."), max=MAX_BATCH),
            field="filings",
        )
    today = calendar.tehran_today()
    parsed, refusals = _parse_rows(rows, units_allowed=units_allowed, today=today)
    if refusals:
        refused = DomainError(
            lazy_message(
                _("%(n)s of the %(total)s filings were refused; nothing was written."),
                n=len({r.index for r in refusals}),
                total=len(rows),
            ),
            errors=[r.as_dict() for r in sorted(refusals, key=lambda r: r.index)],
        )
        refused.status_code = min(r.status for r in refusals)  # any bad shape is a 400
        raise refused
    records = month_records(sorted({p["unit"].pk for p in parsed}), {p["ym"] for p in parsed})
    source = FilingSubmission.Source.API
    new_submissions: list[FilingSubmission] = []
    superseded: list[FilingSubmission] = []
    recorded: list[MonthlyFiling] = []
    items = []
    now = timezone.now()
    for p in parsed:
        unit, ym, figures = p["unit"], p["ym"], p["figures"]
        record = records.get((unit.pk, *ym), MonthRecord())
        result = outcome(figures, record)
        version = record.versions
        if result == "new" and record_new:
            version = next_version(record)
            submission = _submission(unit=unit, by=by, ym=ym, figures=figures, version=version, source=source,
                                     today=today, status=S.APPROVED)  # fmt: skip
            submission.reviewed_at = now
            new_submissions.append(submission)
            recorded.append(
                MonthlyFiling(
                    unit_id=unit.pk,
                    province_id=unit.province_id,
                    jyear=ym[0],
                    jmonth=ym[1],
                    period_start=calendar.from_jalali(ym[0], ym[1], 1),
                    filed_on=today,
                    due_on=calendar.filing_due_date(*ym),
                    **figures,
                )
            )
            result = "recorded"
        elif result in ("new", "changed"):
            if record.pending is not None:
                superseded.append(record.pending)
            version = next_version(record)
            new_submissions.append(
                _submission(
                    unit=unit, by=by, ym=ym, figures=figures, version=version, source=source, today=today
                )
            )
            result = "waiting_review"
        items.append(
            {"index": p["index"], "business_id": unit.business_id, "month": f"{ym[0]}/{ym[1]:02d}",
             "result": result, "version": version}
        )  # fmt: skip
    _supersede(superseded, by=by)
    # plain many-row inserts (core/bulk.py): bulk_create builds SQL value by value, 3x slower here
    bulk.create_objects(
        FilingSubmission, new_submissions, natural_key=("unit_id", "jyear", "jmonth", "version")
    )
    bulk.create_objects(MonthlyFiling, recorded, natural_key=("unit_id", "jyear", "jmonth"))
    if recorded:
        totals.refresh({(f.province_id, f.jyear, f.jmonth) for f in recorded})
        lastfiled.refresh({f.unit_id for f in recorded})
    audit.record_many(
        actor=by,
        events=(
            {"action": "submission_create", "obj": s, "after": {**figures_of(s), "month": f"{s.jyear}/{s.jmonth:02d}",
             "version": s.version, "status": s.status, "source": s.source}}
            for s in new_submissions
        ),
    )  # fmt: skip
    audit.record_many(
        actor=by,
        events=(
            {"action": "filing_submit", "obj": f, "after": {**figures_of(f), "month": f"{f.jyear}/{f.jmonth:02d}"}}
            for f in recorded
        ),
    )  # fmt: skip
    if recorded:
        _bands_follow(recorded, {p["unit"].pk: p["unit"] for p in parsed}, by=by)
    counts = {
        "received": len(rows),
        "recorded": sum(1 for i in items if i["result"] == "recorded"),
        "waiting_review": sum(1 for i in items if i["result"] == "waiting_review"),
        "unchanged": sum(1 for i in items if i["result"] == "unchanged"),
    }
    if counts["unchanged"] < counts["received"]:
        audit.record(
            actor=by,
            obj=None,
            action="filings_receive",
            object_type="imports.filingbatch",
            object_id=str(len(rows)),
            after=counts,
        )
    return {**counts, "items": items}


def _bands_follow(recorded: list[MonthlyFiling], units: dict[int, ProductionUnit], *, by) -> None:
    """A unit whose newest month is now one of these moves to the band its figures put it in."""
    from revive.filings.selectors import last_filed
    from revive.registry.models import UnitStatus
    from revive.registry.services import StatusEntry, band_for_utilisation, unit_statuses_record

    newest: dict[int, MonthlyFiling] = {}
    for f in recorded:
        if f.unit_id not in newest or (f.jyear, f.jmonth) > (
            newest[f.unit_id].jyear,
            newest[f.unit_id].jmonth,
        ):
            newest[f.unit_id] = f
    latest = last_filed(list(newest))  # after the insert: the batch's own months included
    entries = []
    for unit_id, f in newest.items():
        if latest.get(unit_id, (0, 0)) > (f.jyear, f.jmonth):
            continue  # an older month filled in: the unit's band follows its newest month
        unit = units[unit_id]
        band = band_for_utilisation(f.capacity_utilisation, f.production_value)
        if band != unit.current_band and unit.current_band != Band.CLOSED:
            entries.append(
                StatusEntry(unit=unit, band=band, effective_date=f.period_start, employees=f.employees)
            )
    for chunk in bulk.chunks(entries, 2000):
        unit_statuses_record(entries=chunk, source=UnitStatus.Source.FILING, by=by)
