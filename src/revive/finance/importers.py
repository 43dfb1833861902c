"""Finance's import kinds: monthly bank lending figures and loan requests, written through finance's services.

Registered by FinanceConfig.ready(); the engine (revive.imports.engine) finds them through core.importing.
`revive import lending FILE` and the lending page's upload both read lending figures through the `lending` kind.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from revive.core import cells
from revive.core.bulk import chunks
from revive.core.errors import DomainError, lazy_message
from revive.core.importing import Column, Kind, in_scope
from revive.core.text import normalize, search_key
from revive.finance.models import FIXED_CAPITAL_MIN_PROGRESS, LendingFigure, LoanKind, LoanRequest
from revive.finance.services import check_lending_figure, lending_figure_set, loan_register, rials
from revive.registry.importers import units_named_in
from revive.registry.models import Band, Organisation, ProductionUnit
from revive.registry.services import clean_business_id

# What people write in the bank column for the whole banking system.
SYSTEM = {"", "system", "all", "banking system", "کل", "شبکه بانکی", "نظام بانکی"}


def _spreadsheet_number(value):
    """A whole number stored by a spreadsheet as 1000.0 becomes 1000; anything else goes to finance's
    `rials` as it is (Persian digits and thousands separators read there, decimals refused there)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Lending(Kind):
    name = "lending"
    label = _("Sector lending figures")
    model = LendingFigure
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
        Column(
            "total",
            "کل تسهیلات (ریال)",
            "All facilities (rials)",
            True,
            950_000_000_000_000,
            aliases=("کل", "کل تسهیلات"),
        ),
        Column(
            "industry_mining",
            "صنعت و معدن (ریال)",
            "Industry and mining (rials)",
            True,
            310_000_000_000_000,
            _("Cannot be more than all facilities."),
            aliases=("صنعت و معدن", "industry"),
        ),
    ]
    compare = ("total", "industry_mining")

    def prepare(self, rows):
        self.banks = {}
        for o in Organisation.objects.filter(kind=Organisation.Kind.BANK):
            for name in (o.code, o.name_fa, o.name_en):
                if name:
                    self.banks[search_key(name)] = o

    def parse(self, row):
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
        total = row.get("total", _spreadsheet_number)
        industry = row.get("industry_mining", _spreadsheet_number)
        if row.failed:
            return None
        try:  # finance's own rule reads the amounts (whole rials, within bounds) and compares them
            total, industry = check_lending_figure(
                year=year, month=month, total=total, industry_mining=industry, today=self.today
            )
        except DomainError as exc:
            row.fail_domain(
                exc, {"month": "month", "total": "total", "industry_mining": "industry_mining"}, "month"
            )
            return None
        return f"{year}/{month:02d}|{bank.code if bank else ''}", {
            "total": total,
            "industry_mining": industry,
            "_bank": bank,
        }

    def existing(self, keys):
        years = {int(k.split("/")[0]) for k in keys}
        return {
            f"{f.jyear}/{f.jmonth:02d}|{f.bank.code if f.bank else ''}": f
            for f in LendingFigure.objects.filter(jyear__in=years).select_related("bank")
        }

    def build(self, key, values):
        ym = key.split("|")[0]
        bank = values.pop("_bank")
        return LendingFigure(jyear=int(ym[:4]), jmonth=int(ym[5:]), bank=bank, **values)

    def write(self, preview, by, report=lambda done, total: None):
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


class Loans(Kind):
    name = "loans"
    label = _("Loan requests")
    model = LoanRequest
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
        self.kinds = cells.choice_map(LoanKind.choices)
        self.units = units_named_in(rows, ProductionUnit.objects.select_related("sector"))

    def parse(self, row):
        business_id = row.get("business_id", lambda v: clean_business_id(cells.text(v)))
        unit = self.units.get(business_id) if business_id else None
        if business_id and (unit is None or not in_scope(self.scope, unit.province_id)):
            row.fail("business_id", _("No unit with this business ID in your province."))
        elif unit is not None and unit.current_band == Band.CLOSED:
            row.fail("business_id", _("This unit is closed and has left the programme."))
        kind = row.get("kind", cells.choice, mapping=self.kinds)
        amount = row.get("amount_requested", lambda v: rials(cells.integer(v), field="amount_requested"))
        registered_on = row.get("registered_on", cells.any_date)
        if registered_on is not None and registered_on > self.today:
            row.fail("registered_on", _("This date is in the future."))
        purpose = row.get("purpose", default="") or ""
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

    def existing(self, keys):
        by_id = {u.pk: u.business_id for u in self.units.values()}
        found = {}
        for chunk in chunks(list(by_id)):
            for loan in LoanRequest.objects.filter(unit_id__in=chunk):
                key = f"{by_id[loan.unit_id]}|{loan.kind}|{loan.registered_on.isoformat()}|{loan.amount_requested}"
                found.setdefault(key, loan)
        return found

    def build(self, key, values):
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


KINDS = (Lending, Loans)
