"""The filings page's downloads: its three lists in full (missing filers, late filings, waiting for review)."""

from django.http import Http404
from django.utils.translation import gettext as _

from revive.core import calendar, rules
from revive.filings import selectors
from revive.web.exports import date_cells, month_cell, table_response


def with_last_filed(units: list, month: tuple[int, int]) -> None:
    """Each missing filer's newest filed month and how many months it is behind (None: never filed)."""
    last = selectors.last_filed([u.pk for u in units])
    for u in units:
        u.last_filed = last.get(u.pk)
        u.months_missing = selectors.months_missing(u.last_filed, month)


def filings_export(which: str, fmt: str, scope, month: tuple[int, int], today):
    """The officer's filing lists (missing, late, waiting for review) in full, as CSV or XLSX."""
    lang = rules.language()
    month_label = month_cell(*month)
    if which == "missing":
        _count, units = selectors.missing_filers(scope=scope, month=month, limit=None)
        with_last_filed(units, month)
        due = calendar.filing_due_date(*month)
        header = [_("Business ID"), _("Unit"), _("Park code"), _("Province code"), _("Band"), _("Month"),
                  _("Due on (Iranian)"), _("Due on (Gregorian)"), _("Last filed month"),
                  _("Months past due")]  # fmt: skip
        rows = ([u.business_id, u.name(lang), u.park.code, u.park.province.code, u.get_current_band_display(),
                 month_label, *date_cells(due), month_cell(*u.last_filed) if u.last_filed else "",
                 u.months_missing if u.months_missing is not None else ""] for u in units)  # fmt: skip
    elif which == "late":
        _count, late = selectors.late_filings(
            scope=scope, year=calendar.current_jalali_year(today), limit=None
        )
        header = [_("Business ID"), _("Unit"), _("Month"), _("Due on (Iranian)"), _("Due on (Gregorian)"),
                  _("Filed on (Iranian)"), _("Filed on (Gregorian)"), _("Days late")]  # fmt: skip
        rows = ([f.unit.business_id, f.unit.name(lang), month_cell(f.jyear, f.jmonth), *date_cells(f.due_on),
                 *date_cells(f.filed_on), (f.filed_on - f.due_on).days] for f in late)  # fmt: skip
    elif which == "pending":
        pending = selectors.pending_submissions(scope=scope)
        header = [_("Business ID"), _("Unit"), _("Month"), _("Production value (rials)"), _("Capacity used"),
                  _("Employees"), _("Submitted on (Iranian)"), _("Submitted on (Gregorian)")]  # fmt: skip
        rows = ([p.unit.business_id, p.unit.name(lang), month_cell(p.jyear, p.jmonth), p.production_value,
                 p.capacity_utilisation, p.employees, *date_cells(p.submitted_on)] for p in pending)  # fmt: skip
    else:
        raise Http404
    return table_response(fmt=fmt, filename=f"revive-filings-{which}", header=header, rows=rows,
                          rtl=lang == "fa")  # fmt: skip
