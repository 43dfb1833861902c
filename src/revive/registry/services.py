"""Registry writes: each function is one business verb, atomic, and leaves an audit row."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revive.core import audit, bounds, bulk
from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, search_key, to_ascii_digits
from revive.registry import hooks
from revive.registry.models import (
    PRODUCING_BANDS,
    Band,
    IndustrialPark,
    ParkInfrastructure,
    ProductionUnit,
    Sector,
    UnitStatus,
)

RELAPSE_WINDOW = timedelta(days=365)


def clean_business_id(raw: str) -> str:
    """Business IDs are exactly 12 digits; Persian and Arabic digits, spaces and dashes are accepted."""
    value = to_ascii_digits(raw or "").replace(" ", "").replace("-", "").strip()
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        raise DomainError(
            lazy_message(_("“%(value)s” is not a business ID: it must be exactly 12 digits."), value=raw),
            field="business_id",
        )
    return value


def band_for_utilisation(capacity_utilisation: int, production_value: int) -> str:
    """The monthly classification: no production is idle; then below 50%, 50-70%, above 70%."""
    if production_value <= 0 or capacity_utilisation <= 0:
        return Band.IDLE
    if capacity_utilisation < 50:
        return Band.BELOW_50
    if capacity_utilisation <= 70:
        return Band.FROM_50_TO_70
    return Band.ABOVE_70


def derive_events(history: list[UnitStatus]) -> list[UnitStatus]:
    """Set event / jobs / is_relapse on a unit's ordered history; returns the rows that changed.

    A revival is idle -> producing (any producing band); jobs restored = employees at revival.
    Going idle within 12 months of a revival is a relapse.
    """
    changed = []
    previous_band: str | None = None
    last_revival: date | None = None
    for row in history:
        event, jobs, relapse = "", 0, False
        if previous_band == Band.IDLE and row.band in PRODUCING_BANDS:
            event, jobs = UnitStatus.Event.REVIVED, row.employees
            last_revival = row.effective_date
        elif row.band == Band.IDLE and previous_band != Band.IDLE:
            event = UnitStatus.Event.WENT_IDLE
            relapse = last_revival is not None and row.effective_date - last_revival <= RELAPSE_WINDOW
        if (row.event, row.jobs, row.is_relapse) != (event, jobs, relapse):
            row.event, row.jobs, row.is_relapse = event, jobs, relapse
            changed.append(row)
        previous_band = row.band
    return changed


@dataclass(frozen=True)
class StatusEntry:
    """One new entry of a unit's status history, for unit_statuses_record."""

    unit: ProductionUnit
    band: str
    effective_date: date
    employees: int | None = None


@transaction.atomic
def unit_status_record(
    *,
    unit: ProductionUnit,
    band: str,
    effective_date: date,
    source: str,
    by: object,
    employees: int | None = None,
    note: str = "",
) -> UnitStatus:
    """Add an entry to a unit's status history and re-derive its events and current band."""
    entry = StatusEntry(unit=unit, band=band, effective_date=effective_date, employees=employees)
    return unit_statuses_record(entries=[entry], source=source, by=by, note=note)[0]


@transaction.atomic
def unit_statuses_record(
    *, entries: Sequence[StatusEntry], source: str, by: object, note: str = ""
) -> list[UnitStatus]:
    """unit_status_record for many units at once (an import of monthly filings): each unit's history
    gets its entry, its events and current band are derived again, cases follow the new bands, one
    audit row per unit; a few queries per thousand units instead of a dozen per unit."""
    if source not in UnitStatus.Source.values:
        raise DomainError(lazy_message(_("Unknown source “%(source)s”."), source=source), field="source")
    for e in entries:
        if e.band not in Band.values:
            raise DomainError(lazy_message(_("Unknown band “%(band)s”."), band=e.band), field="band")
        if e.employees is not None and e.employees < 0:
            raise DomainError(_("Employees cannot be negative."), field="employees")
        if e.employees is not None:
            bounds.EMPLOYEES.check(e.employees, field="employees")
    ids = [e.unit.pk for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("one entry per unit")
    units: dict[int, ProductionUnit] = {}
    for chunk in bulk.chunks(ids):
        units |= {u.pk: u for u in ProductionUnit.objects.select_for_update().filter(pk__in=chunk)}
    for e in entries:
        if units[e.unit.pk].current_band == Band.CLOSED and e.band != Band.CLOSED:
            raise DomainError(_("This unit is closed and has left the programme."), field="band")
    before = {
        pk: {"current_band": u.current_band, "band_since": str(u.band_since)} for pk, u in units.items()
    }
    created = UnitStatus.objects.bulk_create(
        [
            UnitStatus(
                unit_id=e.unit.pk,
                province_id=units[e.unit.pk].province_id,
                band=e.band,
                effective_date=e.effective_date,
                source=source,
                employees=units[e.unit.pk].employees if e.employees is None else e.employees,
                note=note,
            )
            for e in entries
        ],
        batch_size=2000,
    )
    history: dict[int, list[UnitStatus]] = {pk: [] for pk in ids}
    for chunk in bulk.chunks(ids):
        for row in UnitStatus.objects.filter(unit_id__in=chunk).order_by("unit_id", "effective_date", "id"):
            history[row.unit_id].append(row)
    changed, latest_of, new_of = [], {}, {}
    for pk, rows in history.items():
        changed += derive_events(rows)
        latest_of[pk] = rows[-1]
    for status in created:
        # the saved row with its derived event (the object bulk_create returned has none yet)
        new_of[status.unit_id] = next(r for r in history[status.unit_id] if r.pk == status.pk)
    if changed:
        # plain UPDATEs by primary key (core/bulk.py): bulk_update's CASE expressions took seconds here
        bulk.update_rows(UnitStatus, ["event", "jobs", "is_relapse"], [(r.event, r.jobs, r.is_relapse, r.pk) for r in changed])
    now = timezone.now()
    moved = []
    for e in entries:
        unit, latest = units[e.unit.pk], latest_of[e.unit.pk]
        unit.current_band, unit.band_since, unit.updated_at = latest.band, latest.effective_date, now
        if e.employees is not None and latest.pk == new_of[unit.pk].pk:
            unit.employees = e.employees
        if unit.current_band != before[unit.pk]["current_band"]:
            moved.append(unit)
        # the caller's object follows the database, as it did when each unit was saved on its own
        e.unit.current_band, e.unit.band_since, e.unit.employees = (
            unit.current_band,
            unit.band_since,
            unit.employees,
        )
    bulk.update_rows(
        ProductionUnit,
        ["current_band", "band_since", "employees", "updated_at"],
        [(u.current_band, u.band_since, u.employees, u.updated_at, u.pk) for u in units.values()],
    )
    if moved:
        # Apps that follow units' bands run here, in this transaction (cases registers its handler:
        # open on idle or below 50%, relapse, revival by filings); see registry/hooks.py.
        hooks.run_band_change_handlers(
            changes=[
                hooks.BandChange(
                    unit=u,
                    band=u.current_band,
                    previous=before[u.pk]["current_band"],
                    on=latest_of[u.pk].effective_date,
                    source=latest_of[u.pk].source,
                    jobs=latest_of[u.pk].jobs,
                )
                for u in moved
            ],
            by=by,
        )
    audit.record_many(
        actor=by,
        events=(
            {
                "action": "status_record",
                "obj": units[e.unit.pk],
                "before": before[e.unit.pk],
                "after": {
                    "band": e.band,
                    "effective_date": e.effective_date.isoformat(),
                    "source": source,
                    "event": new_of[e.unit.pk].event,
                },
                "note": note,
            }
            for e in entries
        ),
    )
    return [new_of[e.unit.pk] for e in entries]


@transaction.atomic
def unit_create(
    *,
    by: object,
    business_id: str,
    name_fa: str,
    park: IndustrialPark,
    sector: Sector,
    size_class: str,
    employees: int = 0,
    name_en: str = "",
    band: str = Band.ABOVE_70,
    since: date | None = None,
    licensed_capacity: str = "",
    operation_licence_no: str = "",
    establishment_licence_no: str = "",
) -> ProductionUnit:
    business_id = clean_business_id(business_id)
    if ProductionUnit.objects.filter(business_id=business_id).exists():
        raise DomainError(
            lazy_message(_("A unit with business ID %(id)s is already registered."), id=business_id),
            field="business_id",
        )
    name_fa = normalize(name_fa)
    if not name_fa:
        raise DomainError(_("The Persian name is required."), field="name_fa")
    if size_class not in ProductionUnit.Size.values:
        raise DomainError(
            lazy_message(_("Unknown size class “%(value)s”."), value=size_class), field="size_class"
        )
    if employees < 0:
        raise DomainError(_("Employees cannot be negative."), field="employees")
    bounds.EMPLOYEES.check(employees, field="employees")
    name_en = normalize(name_en)
    unit = ProductionUnit.objects.create(
        business_id=business_id,
        name_fa=name_fa,
        name_en=name_en,
        name_key=search_key(f"{name_fa} {name_en}"),
        park=park,
        province_id=park.province_id,
        sector=sector,
        size_class=size_class,
        employees=employees,
        current_band=band,
        band_since=since,
        licensed_capacity=normalize(licensed_capacity),
        operation_licence_no=normalize(operation_licence_no),
        establishment_licence_no=normalize(establishment_licence_no),
    )
    audit.record(actor=by, obj=unit, action="unit_create", after=audit.snapshot(unit))
    if since is not None:
        UnitStatus.objects.create(
            unit=unit,
            province_id=unit.province_id,
            band=band,
            effective_date=since,
            source=UnitStatus.Source.OFFICER,
            employees=employees,
        )
    return unit


@transaction.atomic
def infrastructure_set(
    *, park: IndustrialPark, utility: str, status: str, by: object, capacity=None, capacity_unit: str = ""
) -> ParkInfrastructure:
    item, created = ParkInfrastructure.objects.get_or_create(
        park=park, utility=utility, defaults={"status": status, "province_id": park.province_id}
    )
    before = None if created else audit.snapshot(item)
    item.status, item.capacity, item.capacity_unit = status, capacity, capacity_unit
    item.full_clean(exclude=["park", "province"])
    item.save()
    audit.record(actor=by, obj=item, action="infrastructure_set", before=before, after=audit.snapshot(item))
    return item
