"""Monthly filings: the owner's form (figures sent, a change confirmed), the officer's lists (waiting for
review, missing and late filers) with their downloads, and the review of a submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from revive.accounts.roles import Perm
from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind
from revive.core.text import parse_int
from revive.filings import selectors
from revive.filings.models import FilingSubmission
from revive.filings.selectors import months_to_file, returned_to_correct
from revive.filings.services import submission_create, submission_review
from revive.filings.versions import AlreadySent, ChangeToConfirm, MonthRecord, month_records
from revive.registry.models import ProductionUnit
from revive.web.access import page_scope, staff
from revive.web.filings import exports
from revive.web.filings.forms import FilingForm, ReviewForm
from revive.web.templatetags.revive import jmonth as month_text


def _owner_unit(request: HttpRequest):
    scope = page_scope(request, Perm.FILE_MONTHLY, allow=lambda s: s.kind == ScopeKind.UNIT)
    return scope, ProductionUnit.objects.visible_to(scope).select_related("park", "province").get()


@login_required
@require_http_methods(["GET", "POST"])
def filing_new(request: HttpRequest) -> HttpResponse:
    scope, unit = _owner_unit(request)
    today = calendar.tehran_today()
    to_file = months_to_file(unit=unit, today=today)
    returned = returned_to_correct(unit)  # an expert asked for these again: not "nothing is due"
    # the form opens on the month asked for, else on the oldest month still due, else one to correct
    first = to_file[0] if to_file else (returned[0].jyear, returned[0].jmonth) if returned else None
    oldest = f"{first[0]}/{first[1]:02d}" if first else ""
    initial = {"month": request.GET.get("month", "")[:10] or oldest}
    if request.method != "POST":  # what the page shows of the month the form opens on
        initial["seen"] = _seen_of(unit, initial["month"])
    form = FilingForm(request.POST or None, initial=initial)
    change = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            jyear, jmonth = calendar.parse_jalali_month(d["month"])
            values = {
                "production_value": _number(d["production_value"], "production_value"),
                "capacity_utilisation": _number(d["capacity_utilisation"], "capacity_utilisation"),
                "employees": _number(d["employees"], "employees"),
                "energy_kwh": _number(d["energy_kwh"], "energy_kwh") if d["energy_kwh"].strip() else None,
            }
            submission_create(
                unit=unit,
                by=request.user,
                jyear=jyear,
                jmonth=jmonth,
                confirm_change=request.POST.get("confirm_change") == "1",
                seen_version=_seen_version(d["seen"], (jyear, jmonth)),
                **values,
            )
        except AlreadySent as exc:
            # Not an error: the month holds these figures. The same send arriving again (a double click on
            # "Send", a reload that posts again) gets the first answer; identical figures typed again are told
            # that nothing changed. Either way a redirect, so a reload does not post a third time.
            if exc.details["repeat"]:
                messages.success(request, _("Your filing was sent; a provincial expert will review it."))
            elif exc.details["status"] == "pending":
                text = _(
                    "Nothing changed: these are already the figures sent for %(month)s, waiting for review."
                )
                messages.info(request, text % {"month": month_text((jyear, jmonth))})
            else:
                text = _("Nothing changed: these are already the figures on record for %(month)s.")
                messages.info(request, text % {"month": month_text((jyear, jmonth))})
            return redirect("web:filing_new")
        except ChangeToConfirm as exc:
            # what was sent beside what is being sent; the same form, with a confirmation button
            change = {"month": (jyear, jmonth), "previous": exc.details["previous"], "new": values,
                      "version": exc.details["previous_version"], "status": exc.details["previous_status"]}  # fmt: skip
            form.data = form.data.copy()  # the confirmation carries the versions the owner has now seen
            form.data["seen"] = f"{jyear}/{jmonth:02d}:{change['version']}"
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else "month", str(exc.message))
        else:
            messages.success(request, _("Your filing was sent; a provincial expert will review it."))
            return redirect("web:filing_new")
    month = selectors.last_due_month(today)
    due_months = [{"month": ym, "due": calendar.filing_due_date(*ym)} for ym in to_file]
    context = {
        "form": form,
        "unit": unit,
        "change": change,
        "due_months": due_months,
        "returned": returned,
        "submissions": selectors.own_submissions(scope=scope),
        "due_month": month,
        "next_due": calendar.filing_due_date(*calendar.add_months(month, 1)),
    }
    status = 409 if change else 400 if form.errors else 200
    return render(request, "web/filings/filing_new.html", context, status=status)


def _seen_of(unit: ProductionUnit, month: str) -> str:
    """The form's `seen` for the month it opens on: "YYYY/MM:versions sent" ("" for no valid month)."""
    try:
        ym = calendar.parse_jalali_month(month)
    except DomainError:
        return ""
    record = month_records([unit.pk], {ym}).get((unit.pk, *ym), MonthRecord())
    return f"{ym[0]}/{ym[1]:02d}:{record.versions}"


def _seen_version(seen: str, ym: tuple[int, int]) -> int | None:
    """The versions the page showed of the month sent, or None when it showed another month (or nothing)."""
    month, _sep, count = (seen or "").partition(":")
    try:
        return int(count) if calendar.parse_jalali_month(month) == ym else None
    except (DomainError, ValueError):
        return None


def _number(raw: str, field: str) -> int:
    try:
        return parse_int(raw)
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None


@login_required
def filings(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.EDIT_REGISTRY, allow=staff)
    today = calendar.tehran_today()
    month = selectors.last_due_month(today)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return exports.filings_export(request.GET.get("list", ""), fmt, scope, month, today)
    missing_count, missing = selectors.missing_filers_kept(scope=scope, month=month)
    exports.with_last_filed(missing, month)
    late_count, late = selectors.late_filings(scope=scope, year=calendar.current_jalali_year(today))
    context = {
        "pending": selectors.pending_submissions(scope=scope)[:500],
        "month": month,
        "due": calendar.filing_due_date(*month),
        "missing": missing,
        "missing_count": missing_count,
        "late": late,
        "late_count": late_count,
        "review_form": ReviewForm(),
    }
    return render(request, "web/filings/filings.html", context)


@login_required
@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.EDIT_REGISTRY)
    submission = get_object_or_404(FilingSubmission.objects.visible_to(scope), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or return."))
        return redirect("web:filings")
    try:
        submission_review(
            submission=submission,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The filing was reviewed."))
    return redirect("web:filings")
