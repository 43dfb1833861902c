"""What each import kind reads: its columns (Persian and English headers), its natural key, its checks."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar
from revive.core.errors import DomainError, lazy_message
from revive.core.text import normalize, search_key, to_ascii_digits
from revive.imports import cells
from revive.imports.engine import Column, Kind, Preview, Row, _chunks, _in_scope
from revive.registry import totals
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


def _units_named_in(rows, queryset) -> dict:
    """The units a file names by business ID, read in chunks; malformed IDs are reported by parse()."""
    ids = set()
    for row in rows:
        try:
            ids.add(clean_business_id(cells.text(row.raw("business_id"))))
        except DomainError:
            pass
    units: dict = {}
    for chunk in _chunks(list(ids)):
        units |= {u.business_id: u for u in queryset.filter(business_id__in=chunk)}
    return units


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
    natural_key = ("code",)
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
        values = {"name_fa": name_fa[:120]}
        if row.has("name_en"):  # a file without the column keeps the English names as they are
            values["name_en"] = name_en[:120]
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

    def derived(self, obj):
        return {"name_key": search_key(f"{obj.name_fa} {obj.name_en}")}


class Infrastructure(_ParkLookup, Kind):
    name = "infrastructure"
    label = _("Park infrastructure")
    model = ParkInfrastructure
    natural_key = ("park_id", "utility")
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
    natural_key = ("business_id",)
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
        Column(
            "band",
            "وضعیت",
            "Band",
            False,
            "idle",
            _(
                "New units only: idle, below_50, 50_70 or above_70 (the default). A registered unit's band "
                "changes through its monthly filings or a status recorded on its page."
            ),
        ),
        Column(
            "band_since",
            "از تاریخ",
            "Band since",
            False,
            "1404/11/01",
            _("New units only: Iranian or Gregorian date; the unit's status history starts on that day."),
        ),
    ]
    audited = ("current_band", "band_since")
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
        self.bands = cells.choice_map([(v, label) for v, label in Band.choices if v != Band.CLOSED])
        self.current, self.current_band = {}, {}
        for chunk in _chunks(ids):
            for bid, province_id, band in ProductionUnit.objects.filter(business_id__in=chunk).values_list(
                "business_id", "province_id", "current_band"
            ):
                self.current[bid], self.current_band[bid] = province_id, band

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
            "park_id": getattr(park, "pk", None),
            "province_id": getattr(park, "province_id", None),
            "sector_id": getattr(sector, "pk", None),
            "size_class": size,
        }
        if row.has("name_en"):  # a file without the column keeps the English names as they are
            values["name_en"] = name_en[:160]
        if row.has("employees"):
            values["employees"] = row.get("employees", cells.integer, default=0, bound=bounds.EMPLOYEES)
        for key, size_limit in (
            ("licensed_capacity", 120),
            ("operation_licence_no", 30),
            ("establishment_licence_no", 30),
        ):
            if row.has(key):
                values[key] = (row.get(key, default="") or "")[:size_limit]
        band = row.get("band", cells.choice, mapping=self.bands) if row.has("band") else None
        since = row.get("band_since", cells.any_date) if row.has("band_since") else None
        if since is not None and since > self.today:
            row.fail("band_since", _("This date is in the future."))
        if business_id in self.current_band and band is not None and band != self.current_band[business_id]:
            row.fail(
                "band",
                _(
                    "A registered unit's band changes through its monthly filings or a status recorded on its "
                    "page, not through the registry file."
                ),
            )
        values["_band"], values["_since"] = band, since  # new units only; not compared
        if row.failed:
            return None
        return business_id, values

    def existing(self, keys):
        found = {}
        for chunk in _chunks(keys):
            found |= {u.business_id: u for u in ProductionUnit.objects.filter(business_id__in=chunk)}
        return found

    def build(self, key, values):
        band, since = values.pop("_band") or Band.ABOVE_70, values.pop("_since")
        return ProductionUnit(business_id=key, current_band=band, band_since=since, **values)

    def after_write(self, preview, by) -> None:
        """A new unit with a band date starts its status history there, as a unit registered on its page."""
        from revive.registry.models import UnitStatus

        UnitStatus.objects.bulk_create(
            [
                UnitStatus(
                    unit_id=u.pk,
                    province_id=u.province_id,
                    band=u.current_band,
                    effective_date=u.band_since,
                    source=UnitStatus.Source.OFFICER,
                    employees=u.employees,
                )
                for u in (c.obj for c in preview.new)
                if u.band_since is not None
            ],
            batch_size=2000,
        )
        # A unit that changed sector takes its filings to the other sector's production totals.
        moved = [c.obj.pk for c in preview.changed if "sector_id" in c.fields]
        if moved:
            totals.refresh(totals.keys_of_units(moved))

    def derived(self, obj):
        return {"name_key": search_key(f"{obj.name_fa} {obj.name_en}")}


class Filings(Kind):
    name = "filings"
    label = _("Monthly filings")
    model = MonthlyFiling
    natural_key = ("unit_id", "jyear", "jmonth")
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
        self.units = _units_named_in(
            rows,
            ProductionUnit.objects.only(
                "id", "business_id", "province_id", "current_band", "park_id", "name_fa", "name_en"
            ),
        )

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        unit = self.units.get(business_id) if business_id else None
        if business_id and (unit is None or not _in_scope(self.scope, unit.province_id)):
            row.fail("business_id", _("No unit with this business ID in your province."))
        month = row.get("month", cells.jalali_month)
        values = {
            "production_value": row.get("production_value", cells.integer, bound=bounds.RIALS),
            "capacity_utilisation": row.get("capacity_utilisation", cells.percent),
            "employees": row.get("employees", cells.integer, bound=bounds.EMPLOYEES),
        }
        if row.has("energy_kwh"):
            values["energy_kwh"] = row.get("energy_kwh", cells.integer, bound=bounds.ENERGY_KWH)
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
        from revive.registry.services import StatusEntry, unit_statuses_record

        latest: dict[int, MonthlyFiling] = {}
        for change in preview.new + preview.changed:
            f = change.obj
            if f.unit_id not in latest or (f.jyear, f.jmonth) > (
                latest[f.unit_id].jyear,
                latest[f.unit_id].jmonth,
            ):
                latest[f.unit_id] = f
        units = {u.pk: u for u in self.units.values()}
        entries = []
        for unit_id, f in latest.items():
            before = getattr(self, "latest_before", {}).get(unit_id)
            if before is not None and before > (f.jyear, f.jmonth):
                continue
            unit = units[unit_id]
            band = band_for_utilisation(f.capacity_utilisation, f.production_value)
            if band != unit.current_band and unit.current_band != Band.CLOSED:
                entries.append(
                    StatusEntry(unit=unit, band=band, effective_date=f.period_start, employees=f.employees)
                )
        for chunk in _chunks(entries, 2000):
            unit_statuses_record(entries=chunk, source=UnitStatus.Source.FILING, by=by)
        totals.refresh({(c.obj.province_id, c.obj.jyear, c.obj.jmonth) for c in preview.new + preview.changed})


def _fail_domain(row: Row, exc: DomainError, fields: dict[str, str], default: str) -> None:
    """Put a service's refusal on the column it is about."""
    column = fields.get(str(exc.details.get("field", "")), default)
    row.fail(column, exc.message)


class Lending(Kind):
    name = "lending"
    label = _("Sector lending figures")
    model = None  # set below: finance is imported lazily
    key_columns = ("month",)
    perm = "finance.manage"
    national_only = True
    columns = [
        Column("year", "سال", "Year", True, 1405, _("Iranian year, e.g. 1405.")),
        Column("month", "ماه", "Month", True, 7, _("1 to 12.")),
        Column(
            "bank",
            "بانک",
            "Bank",
            False,
            "melli",
            _("Bank code (e.g. melli); empty for the whole banking system."),
        ),
        Column("total", "کل تسهیلات (ریال)", "All facilities (rials)", True, 950_000_000_000_000),
        Column(
            "industry_mining",
            "صنعت و معدن (ریال)",
            "Industry and mining (rials)",
            True,
            310_000_000_000_000,
            _("Cannot be more than all facilities."),
        ),
    ]
    compare = ("total", "industry_mining")

    def prepare(self, rows):
        from revive.registry.models import Organisation

        self.banks = {}
        for o in Organisation.objects.filter(kind=Organisation.Kind.BANK):
            for name in (o.code, o.name_fa, o.name_en):
                if name:
                    self.banks[search_key(name)] = o

    def parse(self, row):
        from revive.finance.importers import SYSTEM
        from revive.finance.services import check_lending_figure

        year = row.get("year", cells.integer)
        month = row.get("month", cells.integer)
        raw = row.get("bank", default="") or ""
        bank = None
        if normalize(raw).strip().casefold() not in SYSTEM:
            bank = self.banks.get(search_key(raw))
            if bank is None:
                row.fail(
                    "bank",
                    _("Unknown bank: give its code (e.g. melli) or leave it empty for the banking system."),
                )
        total = row.get("total", cells.integer, bound=bounds.RIALS)
        industry = row.get("industry_mining", cells.integer, bound=bounds.RIALS)
        if row.failed:
            return None
        try:
            total, industry = check_lending_figure(
                year=year, month=month, total=total, industry_mining=industry, today=self.today
            )
        except DomainError as exc:
            _fail_domain(
                row, exc, {"month": "month", "total": "total", "industry_mining": "industry_mining"}, "month"
            )
            return None
        return f"{year}/{month:02d}|{bank.code if bank else ''}", {
            "total": total,
            "industry_mining": industry,
            "_bank": bank,
        }

    def key_label(self, key):
        return key.replace("|", " ").strip()

    def existing(self, keys):
        from revive.finance.models import LendingFigure

        years = {int(k.split("/")[0]) for k in keys}
        return {
            f"{f.jyear}/{f.jmonth:02d}|{f.bank.code if f.bank else ''}": f
            for f in LendingFigure.objects.filter(jyear__in=years).select_related("bank")
        }

    def build(self, key, values):
        from revive.finance.models import LendingFigure

        ym = key.split("|")[0]
        bank = values.pop("_bank")
        return LendingFigure(jyear=int(ym[:4]), jmonth=int(ym[5:]), bank=bank, **values)

    def write(self, preview, by, report=lambda done, total: None):
        from revive.finance.services import lending_figure_set

        changes = preview.new + preview.changed
        for i, change in enumerate(changes, 1):
            if i % 100 == 0:
                report(i, len(changes))
            f = change.obj
            lending_figure_set(
                year=f.jyear,
                month=f.jmonth,
                bank=f.bank,
                total=f.total,
                industry_mining=f.industry_mining,
                by=by,
            )
        return True


class Targets(Kind):
    name = "targets"
    label = _("Targets")
    model = None
    key_columns = ("indicator",)
    perm = "indicators.set_targets"
    national_only = True
    columns = [
        Column("indicator", "کد شاخص", "Indicator code", True, "units-revived", _("The indicator's code.")),
        Column("year", "سال", "Year", True, 1405, _("Iranian year; years that are over are locked.")),
        Column(
            "province",
            "استان",
            "Province",
            False,
            "IR-20",
            _("ISO code of the province; empty for the national target. The provinces must add up to it."),
        ),
        Column("value", "مقدار", "Value", True, 120),
    ]
    compare = ("value",)

    def prepare(self, rows):
        from revive.indicators.models import Indicator

        self.indicators = {(i.code.lower(), i.jyear): i for i in Indicator.objects.all()}
        self.provinces = {}
        for p in Province.objects.all():
            for name in (p.code, p.name_fa, p.name_en):
                self.provinces[search_key(name)] = p

    def parse(self, row):
        from revive.indicators.services import check_target_year

        code = row.get("indicator", lambda v: to_ascii_digits(cells.text(v)).strip().lower())
        year = row.get("year", cells.integer)
        if year is not None:
            try:
                check_target_year(year, self.today)
            except DomainError as exc:
                row.fail("year", exc.message)
        indicator = None
        if code is not None and year is not None and not row.failed:
            indicator = self.indicators.get((code, year))
            if indicator is None:
                row.fail("indicator", _("No indicator with this code in that year."))
        province = None
        raw = row.get("province")
        if raw is not None:
            province = self.provinces.get(search_key(raw))
            if province is None:
                row.fail("province", _("Unknown province: give its ISO code, e.g. IR-20."))
            elif indicator is not None and indicator.national_only:
                row.fail(
                    "province",
                    _(
                        "This figure is published for the whole banking system only; it has no province targets."
                    ),
                )
        value = row.get("value", cells.decimal)
        if row.failed:
            return None
        return f"{code}|{year}|{province.code if province else ''}", {
            "value": value,
            "_indicator": indicator,
            "_province": province,
        }

    def key_label(self, key):
        return key.replace("|", " ").strip()

    def check_all(self, parsed, preview):
        """Per indicator: the national value and the provinces (the file's over those already set) must agree."""
        from decimal import Decimal

        from revive.imports.engine import RowError
        from revive.indicators.models import Target

        groups: dict[int, dict] = {}
        for _key, (number, values) in parsed.items():
            ind = values["_indicator"]
            g = groups.setdefault(
                ind.pk, {"indicator": ind, "national": None, "provinces": {}, "row": number}
            )
            if values["_province"] is None:
                g["national"], g["row"] = values["value"], number
            else:
                g["provinces"][values["_province"].code] = values["value"]
        self.groups = list(groups.values())
        for g in self.groups:
            ind = g["indicator"]
            stored = Target.objects.filter(indicator=ind, jyear=ind.jyear).select_related("province", "park")
            g["parks"], by_province = {}, {}
            merged = {}
            for t in stored:
                if t.province_id is None:
                    if g["national"] is None:
                        g["national"] = t.value
                elif t.park_id is None:
                    merged[t.province.code] = t.value
                else:
                    g["parks"][t.park.code] = t.value
                    by_province[t.province.code] = by_province.get(t.province.code, Decimal(0)) + t.value
            merged |= g["provinces"]
            g["provinces"] = merged
            column = f"{self.columns[3].fa} ({self.columns[3].en})"
            if g["national"] is None:
                preview.errors.append(
                    RowError(g["row"], column, ind.code, _("Give the national target (empty province) too."))
                )
                continue
            if ind.is_rate:
                continue
            total = sum(merged.values(), Decimal(0))
            if merged and total != g["national"]:
                gap = g["national"] - total
                preview.errors.append(
                    RowError(
                        g["row"],
                        column,
                        f"{ind.code} {ind.jyear}",
                        lazy_message(
                            _("The province targets add up to %(total)s, not %(national)s: %(gap)s %(dir)s."),
                            total=total,
                            national=g["national"],
                            gap=abs(gap),
                            dir=_("short") if gap > 0 else _("too many"),
                        ),
                    )
                )
            for code, park_total in by_province.items():
                if merged.get(code) != park_total:
                    preview.errors.append(
                        RowError(
                            g["row"],
                            column,
                            f"{ind.code} {code}",
                            lazy_message(
                                _(
                                    "The park targets of %(province)s add up to %(total)s, not to its target %(target)s."
                                ),
                                province=code,
                                total=park_total,
                                target=merged.get(code, "—"),
                            ),
                        )
                    )

    def existing(self, keys):
        from revive.indicators.models import Target

        ids = {g["indicator"].pk for g in self.groups}
        return {
            f"{t.indicator.code.lower()}|{t.jyear}|{t.province.code if t.province else ''}": t
            for t in Target.objects.filter(indicator_id__in=ids, park__isnull=True).select_related(
                "indicator", "province"
            )
        }

    def build(self, key, values):
        from revive.indicators.models import Target

        ind, province = values.pop("_indicator"), values.pop("_province")
        return Target(indicator=ind, jyear=ind.jyear, province=province, **values)

    def write(self, preview, by, report=lambda done, total: None):
        from revive.indicators import services

        touched = {c.obj.indicator_id for c in preview.new + preview.changed}
        for g in self.groups:
            ind = g["indicator"]
            if ind.pk not in touched:
                continue
            kwargs = dict(
                indicator=ind,
                national=g["national"],
                provinces=g["provinces"],
                parks=g["parks"],
                by=by,
                today=self.today,
            )
            services.targets_set(**kwargs)
        return True


class Loans(Kind):
    name = "loans"
    label = _("Loan requests")
    model = None
    key_columns = ("business_id",)
    perm = "finance.manage"
    columns = [
        Column("business_id", "شناسه کسب‌وکار", "Business ID", True, "200000000011"),
        Column(
            "kind",
            "نوع تسهیلات",
            "Type",
            True,
            "working_capital",
            _("working_capital, fixed_capital or rescheduling."),
        ),
        Column("amount_requested", "مبلغ درخواستی (ریال)", "Amount requested (rials)", True, 25_000_000_000),
        Column(
            "registered_on",
            "تاریخ ثبت",
            "Registered on",
            True,
            "1405/08/08",
            _("Iranian (1405/08/08) or Gregorian (2026-10-30) date."),
        ),
        Column("purpose", "هدف", "Purpose", False, "خرید مواد اولیه"),
        Column(
            "project_progress",
            "پیشرفت پروژه (٪)",
            "Project progress (%)",
            False,
            "",
            _("Required for fixed capital: more than 60%."),
        ),
    ]
    compare = ()

    def prepare(self, rows):
        from revive.finance.models import LoanKind

        self.kinds = cells.choice_map(LoanKind.choices)
        self.units = _units_named_in(rows, ProductionUnit.objects.select_related("sector"))

    def parse(self, row):
        from revive.finance.models import FIXED_CAPITAL_MIN_PROGRESS, LoanKind
        from revive.finance.services import rials

        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        unit = self.units.get(business_id) if business_id else None
        if business_id and (unit is None or not _in_scope(self.scope, unit.province_id)):
            row.fail("business_id", _("No unit with this business ID in your province."))
        elif unit is not None and unit.current_band == Band.CLOSED:
            row.fail("business_id", _("This unit is closed and has left the programme."))
        kind = row.get("kind", cells.choice, mapping=self.kinds)
        amount = row.get("amount_requested", lambda v: rials(cells.integer(v), field="amount_requested"))
        registered_on = row.get("registered_on", cells.any_date)
        if registered_on is not None and registered_on > self.today:
            row.fail("registered_on", _("This date is in the future."))
        purpose = (row.get("purpose", default="") or "")[:300]
        progress = row.get("project_progress", cells.percent) if row.has("project_progress") else None
        if kind == LoanKind.FIXED_CAPITAL and (progress or 0) <= FIXED_CAPITAL_MIN_PROGRESS:
            row.fail(
                "project_progress" if row.has("project_progress") else "kind",
                lazy_message(
                    _("Fixed-capital facilities are only for projects more than %(n)s%% built."),
                    n=FIXED_CAPITAL_MIN_PROGRESS,
                ),
            )
        if row.failed:
            return None
        return f"{business_id}|{kind}|{registered_on.isoformat()}|{amount}", {
            "purpose": purpose,
            "_unit": unit,
            "_progress": progress,
        }

    def key_label(self, key):
        return key.replace("|", " ")

    def existing(self, keys):
        from revive.finance.models import LoanRequest

        by_id = {u.pk: u.business_id for u in self.units.values()}
        found = {}
        for chunk in _chunks(list(by_id)):
            for loan in LoanRequest.objects.filter(unit_id__in=chunk):
                key = f"{by_id[loan.unit_id]}|{loan.kind}|{loan.registered_on.isoformat()}|{loan.amount_requested}"
                found.setdefault(key, loan)
        return found

    def build(self, key, values):
        from revive.finance.models import LoanRequest

        _bid, kind, on, amount = key.split("|")
        unit = values.pop("_unit")
        loan = LoanRequest(
            unit=unit,
            province_id=unit.province_id,
            park_id=unit.park_id,
            kind=kind,
            amount_requested=int(amount),
            registered_on=date.fromisoformat(on),
            project_progress=values.pop("_progress"),
            **values,
        )
        return loan

    def write(self, preview, by, report=lambda done, total: None):
        from revive.finance.services import loan_register

        for i, change in enumerate(preview.new, 1):
            if i % 100 == 0:
                report(i, len(preview.new))
            loan = change.obj
            loan_register(
                unit=loan.unit,
                by=by,
                kind=loan.kind,
                amount_requested=loan.amount_requested,
                purpose=loan.purpose,
                project_progress=loan.project_progress,
                registered_on=loan.registered_on,
            )
        return True


def _bind_models() -> None:
    from revive.finance.models import LendingFigure, LoanRequest
    from revive.indicators.models import Target

    Lending.model, Targets.model, Loans.model = LendingFigure, Target, LoanRequest


_bind_models()

KINDS: dict[str, type[Kind]] = {
    k.name: k for k in (Parks, Infrastructure, Units, Filings, Lending, Targets, Loans)
}

__all__ = ["KINDS", "date", "lazy_message", "normalize"]
