"""The filings' import kind: monthly filings (production, capacity used, employees) by business ID and month.

Registered by FilingsConfig.ready(); the engine (revive.imports.engine) finds it through core.importing.
"""

from django.utils.translation import gettext_lazy as _

from revive.core import bounds, calendar, cells
from revive.core.bulk import chunks
from revive.core.importing import Column, Kind, Preview, in_scope
from revive.filings import lastfiled, totals
from revive.filings.models import MonthlyFiling
from revive.registry.importers import units_named_in
from revive.registry.models import Band, ProductionUnit, UnitStatus
from revive.registry.services import (
    StatusEntry,
    band_for_utilisation,
    clean_business_id,
    unit_statuses_record,
)


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
        self.units = units_named_in(
            rows,
            ProductionUnit.objects.only(
                "id", "business_id", "province_id", "current_band", "park_id", "name_fa", "name_en"
            ),
        )

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        unit = self.units.get(business_id) if business_id else None
        if business_id and (unit is None or not in_scope(self.scope, unit.province_id)):
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

    def existing(self, keys):
        unit_ids = list({u.pk for u in self.units.values()})
        by_id = {u.pk: u.business_id for u in self.units.values()}
        found = {}
        for chunk in chunks(unit_ids):
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
        for chunk in chunks(entries, 2000):
            unit_statuses_record(entries=chunk, source=UnitStatus.Source.FILING, by=by)
        totals.refresh(
            {(c.obj.province_id, c.obj.jyear, c.obj.jmonth) for c in preview.new + preview.changed}
        )
        lastfiled.refresh({c.obj.unit_id for c in preview.new + preview.changed})


KINDS = (Filings,)
