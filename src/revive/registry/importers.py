"""The registry's import kinds: industrial parks, their infrastructure, production units.

Registered by RegistryConfig.ready(); the engine (revive.imports.engine) finds them through core.importing.
"""

from django.utils.translation import gettext_lazy as _

from revive.core import bounds, cells
from revive.core.bulk import chunks
from revive.core.errors import DomainError
from revive.core.importing import Column, Kind, Row, in_scope
from revive.core.text import search_key, to_ascii_digits
from revive.registry import hooks
from revive.registry.models import (
    Band,
    IndustrialPark,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    Sector,
    UnitStatus,
    Utility,
)
from revive.registry.services import clean_business_id

OUTSIDE = _("This record belongs to another province: you may import only your province's rows.")


def _code(value) -> str:
    return to_ascii_digits(cells.text(value)).strip().upper()


def units_named_in(rows, queryset) -> dict:
    """The units a file names by business ID, read in chunks; malformed IDs are reported by parse()."""
    ids = set()
    for row in rows:
        try:
            ids.add(clean_business_id(cells.text(row.raw("business_id"))))
        except DomainError:
            pass
    units: dict = {}
    for chunk in chunks(list(ids)):
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
        if park is None or not in_scope(self.scope, park.province_id):
            row.fail(key, _("No industrial park with this code in your province."))
            return None
        return park


class ProvinceLookup:
    """A `province` column given as the ISO code (IR-20) or the Persian or English name."""

    def load_provinces(self) -> None:
        self.provinces = {
            search_key(name): p for p in Province.objects.all() for name in (p.code, p.name_fa, p.name_en)
        }

    def province(self, row: Row, key: str = "province"):
        raw = row.get(key)
        if raw is None:
            return None
        province = self.provinces.get(search_key(raw))
        if province is None:
            row.fail(key, _("Unknown province: give its ISO code, e.g. IR-20."))
        return province


class Parks(ProvinceLookup, Kind):
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
        self.load_provinces()
        self.current = {p.code.upper(): p.province_id for p in IndustrialPark.objects.all()}
        self.maps = {
            "kind": cells.choice_map(IndustrialPark.Kind.choices),
            "ownership": cells.choice_map(IndustrialPark.Ownership.choices),
            "stage": cells.choice_map(IndustrialPark.Stage.choices),
        }

    def parse(self, row):
        code = row.get("code", _code)  # more than the field's 12 characters: a row error (Row.get)
        name_fa = row.get("name_fa", default="")
        name_en = row.get("name_en", default="")
        province = self.province(row)
        if province is not None and not in_scope(self.scope, province.pk):
            row.fail("province", OUTSIDE)
        if code in self.current and not in_scope(self.scope, self.current[code]):
            row.fail("code", OUTSIDE)
        values = {"name_fa": name_fa}
        if row.has("name_en"):  # a file without the column keeps the English names as they are
            values["name_en"] = name_en
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
        for chunk in chunks(keys):
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
            values["capacity_unit"] = row.get("capacity_unit", default="") or ""
        if row.failed:
            return None
        return f"{park.code}|{utility}", values

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
        for chunk in chunks(ids):
            for bid, province_id, band in ProductionUnit.objects.filter(business_id__in=chunk).values_list(
                "business_id", "province_id", "current_band"
            ):
                self.current[bid], self.current_band[bid] = province_id, band

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        if business_id in self.current and not in_scope(self.scope, self.current[business_id]):
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
            "name_fa": name_fa,
            "park_id": getattr(park, "pk", None),
            "province_id": getattr(park, "province_id", None),
            "sector_id": getattr(sector, "pk", None),
            "size_class": size,
        }
        if row.has("name_en"):  # a file without the column keeps the English names as they are
            values["name_en"] = name_en
        if row.has("employees"):
            values["employees"] = row.get("employees", cells.integer, default=0, bound=bounds.EMPLOYEES)
        for key in ("licensed_capacity", "operation_licence_no", "establishment_licence_no"):
            if row.has(key):  # a text longer than its field is a row error (Row.get), never cut
                values[key] = row.get(key, default="") or ""
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
        for chunk in chunks(keys):
            found |= {u.business_id: u for u in ProductionUnit.objects.filter(business_id__in=chunk)}
        return found

    def build(self, key, values):
        band, since = values.pop("_band") or Band.ABOVE_70, values.pop("_since")
        return ProductionUnit(business_id=key, current_band=band, band_since=since, **values)

    def after_write(self, preview, by) -> None:
        """A new unit with a band date starts its status history there, as a unit registered on its page."""
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
        # A unit that changed sector takes its filings to the other sector's production totals (the filings
        # app recomputes the months of those units' filings; registry/hooks.py).
        moved = [c.obj.pk for c in preview.changed if "sector_id" in c.fields]
        if moved:
            hooks.units_regrouped(moved)

    def derived(self, obj):
        return {"name_key": search_key(f"{obj.name_fa} {obj.name_en}")}


KINDS = (Parks, Infrastructure, Units)
