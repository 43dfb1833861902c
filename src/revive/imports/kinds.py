"""What each import kind reads: its columns (Persian and English headers), its natural key, its checks."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from revive.core import calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, search_key, to_ascii_digits
from revive.imports import cells
from revive.imports.engine import Column, Kind, Preview, Row, _chunks, _in_scope
from revive.registry.models import (
    Band,
    IndustrialPark,
    MonthlyFiling,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    Sector,
    Utility,
)
from revive.registry.services import band_for_utilisation, clean_business_id

OUTSIDE = _("This record belongs to another province: you may import only your province's rows.")


def _code(value) -> str:
    return to_ascii_digits(cells.text(value)).strip().upper()


class _ParkLookup:
    def load_parks(self) -> None:
        self.parks = {p.code.upper(): p for p in IndustrialPark.objects.all()}

    def park(self, row: Row, key: str = "park"):
        code = row.get(key, _code)
        if code is None:
            return None
        park = self.parks.get(code)
        if park is None or not _in_scope(self.scope, park.province_id):
            row.fail(key, _("No industrial park with this code in your province."))
            return None
        return park


class Parks(Kind):
    name = "parks"
    label = _("Industrial parks")
    model = IndustrialPark
    key_columns = ("code",)
    columns = [
        Column(
            "code",
            "کد شهرک",
            "Park code",
            True,
            "P-20-003",
            _("Unique code of the park; existing codes are updated."),
        ),
        Column("name_fa", "نام فارسی", "Persian name", True, "شهرک صنعتی نمونه"),
        Column("name_en", "نام انگلیسی", "English name", False, "Sample Industrial Park"),
        Column(
            "province", "استان", "Province", True, "IR-20", _("ISO code (IR-20) or name of the province.")
        ),
        Column("kind", "نوع", "Kind", False, "park", _("park, zone or special.")),
        Column("ownership", "مالکیت", "Ownership", False, "state", _("state or non_state.")),
        Column("stage", "مرحله", "Stage", False, "operating", _("operating or developing.")),
        Column("area_ha", "مساحت (هکتار)", "Area (hectares)", False, 120.5),
    ]
    compare = ("name_fa", "name_en", "name_key", "province_id", "kind", "ownership", "stage", "area_ha")

    def prepare(self, rows):
        self.provinces = {}
        for p in Province.objects.all():
            for name in (p.code, p.name_fa, p.name_en):
                self.provinces[search_key(name)] = p
        self.current = {p.code.upper(): p.province_id for p in IndustrialPark.objects.all()}
        self.maps = {
            "kind": cells.choice_map(IndustrialPark.Kind.choices),
            "ownership": cells.choice_map(IndustrialPark.Ownership.choices),
            "stage": cells.choice_map(IndustrialPark.Stage.choices),
        }

    def parse(self, row):
        code = row.get("code", _code)
        if code is not None and len(code) > 12:
            row.fail("code", _("A park code has at most 12 characters."))
        name_fa = row.get("name_fa", default="")
        name_en = row.get("name_en", default="")
        province = None
        raw = row.get("province")
        if raw is not None:
            province = self.provinces.get(search_key(raw))
            if province is None:
                row.fail("province", _("Unknown province: give its ISO code, e.g. IR-20."))
            elif not _in_scope(self.scope, province.pk):
                row.fail("province", OUTSIDE)
        if code in self.current and not _in_scope(self.scope, self.current[code]):
            row.fail("code", OUTSIDE)
        values = {
            "name_fa": name_fa[:120],
            "name_en": name_en[:120],
            "name_key": search_key(f"{name_fa} {name_en}"),
        }
        if province is not None:
            values["province_id"] = province.pk
        for key in ("kind", "ownership", "stage"):
            if row.has(key):
                v = row.get(key, cells.choice, mapping=self.maps[key])
                if v is not None:
                    values[key] = v
        if row.has("area_ha"):
            values["area_ha"] = row.get("area_ha", cells.decimal, places=1)
        if row.failed:
            return None
        return code, values

    def existing(self, keys):
        found = {}
        for chunk in _chunks(keys):
            found |= {p.code.upper(): p for p in IndustrialPark.objects.filter(code__in=chunk)}
        return found

    def build(self, key, values):
        return IndustrialPark(code=key, **values)


class Infrastructure(_ParkLookup, Kind):
    name = "infrastructure"
    label = _("Park infrastructure")
    model = ParkInfrastructure
    key_columns = ("park", "utility")
    columns = [
        Column("park", "کد شهرک", "Park code", True, "P-20-001"),
        Column(
            "utility",
            "زیرساخت",
            "Utility",
            True,
            "electricity",
            _("electricity, gas, water, wastewater, telecom or road."),
        ),
        Column("status", "وضعیت", "Status", True, "insufficient", _("adequate, insufficient or absent.")),
        Column("capacity", "ظرفیت", "Capacity", False, 20),
        Column("capacity_unit", "واحد ظرفیت", "Capacity unit", False, "MW"),
    ]
    compare = ("status", "capacity", "capacity_unit")

    def prepare(self, rows):
        self.load_parks()
        self.utilities = cells.choice_map(Utility.choices)
        self.statuses = cells.choice_map(ParkInfrastructure.Status.choices)

    def parse(self, row):
        park = self.park(row)
        utility = row.get("utility", cells.choice, mapping=self.utilities)
        status = row.get("status", cells.choice, mapping=self.statuses)
        values = {
            "status": status,
            "park_id": getattr(park, "pk", None),
            "province_id": getattr(park, "province_id", None),
        }
        if row.has("capacity"):
            values["capacity"] = row.get("capacity", cells.decimal)
        if row.has("capacity_unit"):
            values["capacity_unit"] = (row.get("capacity_unit", default="") or "")[:12]
        if row.failed:
            return None
        return f"{park.code}|{utility}", values

    def key_label(self, key):
        return key.replace("|", " ")

    def existing(self, keys):
        found = {}
        for item in ParkInfrastructure.objects.select_related("park"):
            found[f"{item.park.code.upper()}|{item.utility}"] = item
        return found

    def build(self, key, values):
        return ParkInfrastructure(utility=key.split("|")[1], **values)


class Units(_ParkLookup, Kind):
    name = "units"
    label = _("Production units")
    model = ProductionUnit
    key_columns = ("business_id",)
    columns = [
        Column("business_id", "شناسه کسب‌وکار", "Business ID", True, "200000000099", _("Exactly 12 digits.")),
        Column("name_fa", "نام فارسی", "Persian name", True, "صنایع نمونه"),
        Column("name_en", "نام انگلیسی", "English name", False, "Sample Industries"),
        Column("park", "کد شهرک", "Park code", True, "P-20-001"),
        Column("sector", "بخش (ISIC)", "Sector (ISIC)", True, "24", _("ISIC Rev.4 division, two digits.")),
        Column("size_class", "اندازه", "Size class", True, "small", _("micro, small, medium or large.")),
        Column("employees", "شاغلان", "Employees", False, 25),
        Column("licensed_capacity", "ظرفیت پروانه", "Licensed capacity", False, "5000 t/yr"),
        Column(
            "operation_licence_no", "شماره پروانه بهره‌برداری", "Operation licence number", False, "123/45"
        ),
        Column("establishment_licence_no", "شماره جواز تأسیس", "Establishment licence number", False, ""),
    ]
    compare = (
        "name_fa",
        "name_en",
        "name_key",
        "park_id",
        "province_id",
        "sector_id",
        "size_class",
        "employees",
        "licensed_capacity",
        "operation_licence_no",
        "establishment_licence_no",
    )

    def prepare(self, rows):
        self.load_parks()
        self.sectors = {s.isic_division: s for s in Sector.objects.all()}
        self.sizes = cells.choice_map(ProductionUnit.Size.choices)
        ids = []
        for row in rows:
            try:
                ids.append(clean_business_id(cells.text(row.raw("business_id"))))
            except DomainError:
                pass
        self.current = {}
        for chunk in _chunks(ids):
            self.current |= dict(
                ProductionUnit.objects.filter(business_id__in=chunk).values_list("business_id", "province_id")
            )

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        if business_id in self.current and not _in_scope(self.scope, self.current[business_id]):
            row.fail("business_id", OUTSIDE)
        name_fa = row.get("name_fa", default="")
        name_en = row.get("name_en", default="")
        park = self.park(row)
        sector = None
        raw = row.get("sector", _code)
        if raw is not None:
            sector = self.sectors.get(raw.zfill(2))
            if sector is None:
                row.fail("sector", _("Unknown sector: give the two-digit ISIC division, e.g. 24."))
        size = row.get("size_class", cells.choice, mapping=self.sizes)
        values = {
            "name_fa": name_fa[:160],
            "name_en": name_en[:160],
            "name_key": search_key(f"{name_fa} {name_en}"),
            "park_id": getattr(park, "pk", None),
            "province_id": getattr(park, "province_id", None),
            "sector_id": getattr(sector, "pk", None),
            "size_class": size,
        }
        if row.has("employees"):
            values["employees"] = row.get("employees", cells.integer, default=0)
        for key, size_limit in (
            ("licensed_capacity", 120),
            ("operation_licence_no", 30),
            ("establishment_licence_no", 30),
        ):
            if row.has(key):
                values[key] = (row.get(key, default="") or "")[:size_limit]
        if row.failed:
            return None
        return business_id, values

    def existing(self, keys):
        found = {}
        for chunk in _chunks(keys):
            found |= {u.business_id: u for u in ProductionUnit.objects.filter(business_id__in=chunk)}
        return found

    def build(self, key, values):
        return ProductionUnit(business_id=key, current_band=Band.ABOVE_70, **values)


class Filings(Kind):
    name = "filings"
    label = _("Monthly filings")
    model = MonthlyFiling
    key_columns = ("business_id", "month")
    columns = [
        Column("business_id", "شناسه کسب‌وکار", "Business ID", True, "200000000011"),
        Column("month", "ماه", "Month", True, "1405/07", _("Iranian year and month, YYYY/MM.")),
        Column("production_value", "ارزش تولید (ریال)", "Production value (rials)", True, 12_500_000_000),
        Column("capacity_utilisation", "درصد ظرفیت", "Capacity utilisation (%)", True, 55, _("0 to 100.")),
        Column("employees", "شاغلان", "Employees", True, 18),
        Column("energy_kwh", "مصرف انرژی (کیلووات‌ساعت)", "Energy use (kWh)", False, 42000),
        Column(
            "filed_on",
            "تاریخ ثبت",
            "Filed on",
            False,
            "1405/08/08",
            _("Iranian (1405/08/08) or Gregorian (2026-10-30) date; empty means today."),
        ),
    ]
    compare = ("production_value", "capacity_utilisation", "employees", "energy_kwh", "filed_on")

    def prepare(self, rows):
        ids = set()
        for row in rows:
            try:
                ids.add(clean_business_id(cells.text(row.raw("business_id"))))
            except DomainError:
                pass
        self.units = {}
        for chunk in _chunks(list(ids)):
            self.units |= {
                u.business_id: u
                for u in ProductionUnit.objects.filter(business_id__in=chunk).only(
                    "id", "business_id", "province_id", "current_band", "park_id", "name_fa", "name_en"
                )
            }

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        unit = self.units.get(business_id) if business_id else None
        if business_id and (unit is None or not _in_scope(self.scope, unit.province_id)):
            row.fail("business_id", _("No unit with this business ID in your province."))
        month = row.get("month", cells.jalali_month)
        values = {
            "production_value": row.get("production_value", cells.integer),
            "capacity_utilisation": row.get("capacity_utilisation", cells.percent),
            "employees": row.get("employees", cells.integer),
        }
        if row.has("energy_kwh"):
            values["energy_kwh"] = row.get("energy_kwh", cells.integer)
        filed_on = row.get("filed_on", cells.any_date) if row.has("filed_on") else None
        if month is not None:
            start = calendar.from_jalali(month[0], month[1], 1)
            if start > self.today:
                row.fail("month", _("A month cannot be filed before it starts."))
            if filed_on is not None and filed_on < start:
                row.fail("filed_on", _("A month cannot be filed before it starts."))
        if filed_on is not None and filed_on > self.today:
            row.fail("filed_on", _("The filing date is in the future."))
        if row.failed:
            return None
        if filed_on is not None:
            values["filed_on"] = filed_on
        values["_unit"] = unit
        values["_month"] = month
        return f"{business_id}|{month[0]}/{month[1]:02d}", values

    def key_label(self, key):
        return key.replace("|", " ")

    def existing(self, keys):
        unit_ids = list({u.pk for u in self.units.values()})
        by_id = {u.pk: u.business_id for u in self.units.values()}
        found = {}
        for chunk in _chunks(unit_ids):
            for f in MonthlyFiling.objects.filter(unit_id__in=chunk):
                found[f"{by_id[f.unit_id]}|{f.jyear}/{f.jmonth:02d}"] = f
        self.latest_before = {}
        for f in found.values():
            ym = (f.jyear, f.jmonth)
            self.latest_before[f.unit_id] = max(self.latest_before.get(f.unit_id, ym), ym)
        return found

    def build(self, key, values):
        unit, (jyear, jmonth) = values.pop("_unit"), values.pop("_month")
        values.setdefault("filed_on", self.today)
        return MonthlyFiling(
            unit_id=unit.pk,
            province_id=unit.province_id,
            jyear=jyear,
            jmonth=jmonth,
            period_start=calendar.from_jalali(jyear, jmonth, 1),
            due_on=calendar.filing_due_date(jyear, jmonth),
            **values,
        )

    def after_write(self, preview: Preview, by) -> None:
        """A unit whose newest month changed moves to the band that month's figures put it in."""
        from revive.registry.models import UnitStatus
        from revive.registry.services import unit_status_record

        latest: dict[int, MonthlyFiling] = {}
        for change in preview.new + preview.changed:
            f = change.obj
            if f.unit_id not in latest or (f.jyear, f.jmonth) > (
                latest[f.unit_id].jyear,
                latest[f.unit_id].jmonth,
            ):
                latest[f.unit_id] = f
        units = {u.pk: u for u in self.units.values()}
        for unit_id, f in latest.items():
            before = getattr(self, "latest_before", {}).get(unit_id)
            if before is not None and before > (f.jyear, f.jmonth):
                continue
            unit = units[unit_id]
            band = band_for_utilisation(f.capacity_utilisation, f.production_value)
            if band != unit.current_band and unit.current_band != Band.CLOSED:
                unit_status_record(
                    unit=unit,
                    band=band,
                    effective_date=f.period_start,
                    source=UnitStatus.Source.FILING,
                    by=by,
                    employees=f.employees,
                )


KINDS: dict[str, type[Kind]] = {k.name: k for k in (Parks, Infrastructure, Units, Filings)}

__all__ = ["KINDS", "date", "lazy_message", "normalize"]
