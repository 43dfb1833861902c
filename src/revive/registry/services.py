"""Registry writes: each function is one business verb, atomic, and leaves an audit row."""

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.core import audit
from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, search_key, to_ascii_digits
from revive.registry.models import (
    PRODUCING_BANDS,
    Band,
    IndustrialPark,
    MonthlyFiling,
    ParkInfrastructure,
    ProductionUnit,
    Sector,
    UnitStatus,
)

RELAPSE_WINDOW = timedelta(days=365)


def clean_business_id(raw: str) -> str:
    """Business IDs are exactly 12 digits; Persian and Arabic digits, spaces and dashes are accepted."""
    value = to_ascii_digits(raw or "").replace(" ", "").replace("-", "").strip()
    if len(value) != 12 or not value.isdigit():
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
    if band not in Band.values:
        raise DomainError(lazy_message(_("Unknown band “%(band)s”."), band=band), field="band")
    if source not in UnitStatus.Source.values:
        raise DomainError(lazy_message(_("Unknown source “%(source)s”."), source=source), field="source")
    if employees is not None and employees < 0:
        raise DomainError(_("Employees cannot be negative."), field="employees")
    unit = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.current_band == Band.CLOSED and band != Band.CLOSED:
        raise DomainError(_("This unit is closed and has left the programme."), field="band")
    before = {"current_band": unit.current_band, "band_since": str(unit.band_since)}
    status = UnitStatus.objects.create(
        unit=unit,
        province_id=unit.province_id,
        band=band,
        effective_date=effective_date,
        source=source,
        employees=unit.employees if employees is None else employees,
        note=note,
    )
    history = list(unit.statuses.order_by("effective_date", "id"))
    changed = derive_events(history)
    if changed:
        UnitStatus.objects.bulk_update(changed, ["event", "jobs", "is_relapse"])
    latest = history[-1]
    unit.current_band, unit.band_since = latest.band, latest.effective_date
    if employees is not None and latest.pk == status.pk:
        unit.employees = employees
    unit.save(update_fields=["current_band", "band_since", "employees", "updated_at"])
    status.refresh_from_db()
    if unit.current_band != before["current_band"]:
        # Cases follow the unit's band (open on idle or below 50%, relapse, revival by filings).
        from revive.cases.services import on_unit_band_changed

        on_unit_band_changed(
            unit=unit,
            band=unit.current_band,
            previous=before["current_band"],
            on=latest.effective_date,
            by=by,
            source=latest.source,
            jobs=latest.jobs,
        )
    audit.record(
        actor=by,
        obj=unit,
        action="status_record",
        before=before,
        after={
            "band": band,
            "effective_date": effective_date.isoformat(),
            "source": source,
            "event": status.event,
        },
        note=note,
    )
    return status


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


@transaction.atomic
def filing_submit(
    *,
    unit: ProductionUnit,
    jyear: int,
    jmonth: int,
    production_value: int,
    capacity_utilisation: int,
    employees: int,
    by: object,
    energy_kwh: int | None = None,
    filed_on: date | None = None,
) -> MonthlyFiling:
    """Record (or correct) a monthly filing; a change of band goes into the status history."""
    from revive.core.calendar import filing_due_date, from_jalali, tehran_today

    if not 0 <= capacity_utilisation <= 100:
        raise DomainError(_("Capacity utilisation must be between 0 and 100%."), field="capacity_utilisation")
    if production_value < 0:
        raise DomainError(_("Production value cannot be negative."), field="production_value")
    if employees < 0:
        raise DomainError(_("Employees cannot be negative."), field="employees")
    period_start = from_jalali(jyear, jmonth, 1)
    filed_on = filed_on or tehran_today()
    if period_start > filed_on:
        raise DomainError(_("A month cannot be filed before it starts."), field="jmonth")
    filing, created = MonthlyFiling.objects.update_or_create(
        unit=unit,
        jyear=jyear,
        jmonth=jmonth,
        defaults={
            "province_id": unit.province_id,
            "period_start": period_start,
            "production_value": production_value,
            "capacity_utilisation": capacity_utilisation,
            "employees": employees,
            "energy_kwh": energy_kwh,
            "filed_on": filed_on,
            "due_on": filing_due_date(jyear, jmonth),
        },
    )
    audit.record(
        actor=by,
        obj=filing,
        action="filing_submit" if created else "filing_correct",
        after=audit.snapshot(filing),
    )
    band = band_for_utilisation(capacity_utilisation, production_value)
    if band != unit.current_band and unit.current_band != Band.CLOSED:
        unit_status_record(
            unit=unit,
            band=band,
            effective_date=period_start,
            source=UnitStatus.Source.FILING,
            by=by,
            employees=employees,
        )
    return filing
