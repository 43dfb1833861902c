"""The registry pages' downloads: the tables, column by column, as the pages show them (CSV and Excel)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from revive.core import rules
from revive.registry.models import Band, ProductionUnit
from revive.web.exports import date_cells, month_cell, table_response


def provinces_export(data: dict, fmt: str):
    lang = rules.language()
    header = [
        _("Province code"),
        _("Province"),
        _("Units"),
        _("Idle"),
        _("Below 50%"),
        _("Revived"),
        _("Jobs restored"),
    ]
    rows = (
        [
            r["province"].code,
            r["province"].name(lang),
            r["units"],
            r["idle"],
            r["below_50"],
            r["revived_units"],
            r["jobs_restored"],
        ]
        for r in data["provinces"]
    )
    return table_response(
        fmt=fmt, filename=f"revive-provinces-{data['year']}", header=header, rows=rows, rtl=lang == "fa"
    )


UNIT_EXPORT_LIMIT = 100_000


def unit_table(units):
    header = [
        _("Business ID"),
        _("Name (Persian)"),
        _("Name (English)"),
        _("Province code"),
        _("Province"),
        _("Park code"),
        _("Park"),
        _("ISIC division"),
        _("Sector"),
        _("Size class"),
        _("Employees"),
        _("Band"),
        _("In this band since (Iranian)"),
        _("In this band since (Gregorian)"),
    ]
    # Plain tuples and the labels translated once: model instances and a translated label per row were
    # most of a national download's time.
    sizes = {value: str(label) for value, label in ProductionUnit.Size.choices}
    bands = {value: str(label) for value, label in Band.choices}
    # Names beside the codes (IR-20 Semnan, P-20-019 ..., ISIC 10 Food products), in the page's language.
    n = "en" if (get_language() or "fa").startswith("en") else "fa"
    columns = ("business_id", "name_fa", "name_en", "province__code", f"province__name_{n}", "park__code",
               f"park__name_{n}", "sector__isic_division", f"sector__name_{n}", "size_class", "employees",
               "current_band", "band_since")  # fmt: skip
    rows = (
        [bid, fa, en, province, province_name, park, park_name, sector, sector_name, sizes.get(size, size),
         employees, bands.get(band, band), *date_cells(since)]  # fmt: skip
        for (bid, fa, en, province, province_name, park, park_name, sector, sector_name, size, employees, band,
             since) in units[:UNIT_EXPORT_LIMIT]
        .values_list(*columns)
        .iterator(chunk_size=2000)
    )
    return header, rows


def history_table(history):
    """A unit's status history, newest first, as its page lists it."""
    header = [_("Effective on (Iranian)"), _("Effective on (Gregorian)"), _("Band"), _("Source"), _("Event"),
              _("Relapse"), _("Jobs restored"), _("Employees"), _("Note")]  # fmt: skip
    rows = (
        [
            *date_cells(s.effective_date),
            s.get_band_display(),
            s.get_source_display(),
            s.get_event_display(),
            _("yes") if s.is_relapse else _("no"),
            s.jobs,
            s.employees,
            s.note,
        ]
        for s in history
    )
    return header, rows


def filing_table(filings):
    """A unit's monthly filings (the months its page shows), newest first; money in whole rials."""
    header = [_("Month"), _("Production value (rials)"), _("Capacity used"), _("Employees"),
              _("Filed on (Iranian)"), _("Filed on (Gregorian)"), _("Due on (Iranian)"), _("Due on (Gregorian)"),
              _("Late")]  # fmt: skip
    rows = (
        [
            month_cell(f.jyear, f.jmonth),
            f.production_value,
            f.capacity_utilisation,
            f.employees,
            *date_cells(f.filed_on),
            *date_cells(f.due_on),
            _("yes") if f.filed_on > f.due_on else _("no"),
        ]
        for f in filings
    )
    return header, rows


def parks_table(parks):
    """A province's parks, as its page lists them."""
    lang = rules.language()
    header = [_("Park code"), _("Park"), _("Kind"), _("Stage"), _("Units"), _("Idle")]
    rows = (
        [p.code, p.name(lang), p.get_kind_display(), p.get_stage_display(), p.unit_count, p.idle_count]
        for p in parks
    )
    return header, rows


def infrastructure_table(infrastructure):
    """A park's utilities, as its page lists them."""
    header = [_("Utility"), _("Status"), _("Capacity"), _("Capacity unit")]
    rows = (
        [i.get_utility_display(), i.get_status_display(), i.capacity, i.capacity_unit]
        for i in infrastructure
    )
    return header, rows
