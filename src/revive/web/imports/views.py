"""Import pages (upload, preview, confirm, blank templates) and owners' monthly filings with their review."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from revive.accounts.roles import Perm, has_perm
from revive.core import calendar, importing, rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.core.text import parse_int
from revive.filings import selectors
from revive.filings.models import FilingSubmission
from revive.filings.services import submission_create, submission_review
from revive.imports import tasks
from revive.imports.models import ImportJob
from revive.imports.reading import MAX_BYTES
from revive.imports.services import import_job_confirm as confirm_job
from revive.imports.services import import_job_start
from revive.imports.templates import template_xlsx
from revive.registry.models import ProductionUnit
from revive.web.exports import export_format, table_response
from revive.web.imports.forms import FilingForm, ImportForm, ReviewForm


def _kind_label(name: str):
    """The kind's label; a job of a kind no longer registered shows its name."""
    kind = importing.kinds().get(name)
    return kind.label if kind is not None else name


def _scope(request: HttpRequest):
    scope = scope_for(request.user)
    if not has_perm(request.user, Perm.EDIT_REGISTRY) or scope.kind not in (
        ScopeKind.NATION,
        ScopeKind.PROVINCE,
    ):
        raise Http404
    return scope


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload: the file is kept server-side and checked in the background; the job page follows it."""
    scope = _scope(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        try:
            if upload.size > MAX_BYTES:
                raise DomainError(
                    _("The file is larger than %(mb)s MB: split it into smaller files.")
                    % {"mb": MAX_BYTES // 2**20},
                    field="file",
                )
            job = import_job_start(
                user=request.user, scope=scope, kind=kind, filename=upload.name, content=upload.read()
            )
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else "file", str(exc.message))
        else:
            return redirect("web:import_job", pk=job.pk)
    jobs = list(ImportJob.objects.filter(user=request.user).order_by("-created_at", "-id")[:10])
    for j in jobs:
        j.kind_label = _kind_label(j.kind)
    # (code, label) pairs: a template would call a Kind class it was given, and show nothing
    context = {
        "form": form,
        "kinds": [(k, kind.label) for k, kind in importing.kinds().items()],
        "jobs": jobs,
    }
    return render(request, "web/imports/page.html", context, status=400 if form.errors else 200)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _scope(request)
    # Only the uploader sees a job: anyone else, whatever their role, gets 404 as for a missing one.
    return get_object_or_404(ImportJob.objects.filter(user=request.user), pk=pk)


# Where an imported kind shows once it is in: (URL name, label).
_SEE = {
    "parks": ("web:overview", gettext_lazy("See the overview")),
    "infrastructure": ("web:overview", gettext_lazy("See the overview")),
    "units": ("web:units", gettext_lazy("See the units")),
    "filings": ("web:filings", gettext_lazy("See the monthly filings")),
    "loans": ("web:loans", gettext_lazy("See the loan requests")),
    "lending": ("web:lending_share", gettext_lazy("See industry's share of lending")),
    "targets": ("web:dashboard", gettext_lazy("See the targets dashboard")),
}
SHOWN_ERRORS = 200  # on the page; the download has every stored error
_PERSIAN = re.compile("[\u0600-\u06ff]")


def _in(text, lang: str) -> str:
    """A stored {fa, en} text in the page's language (a plain string is shown as it is)."""
    return text.get(lang, "") if isinstance(text, dict) else str(text)


def _job_context(job: ImportJob) -> dict:
    lang = rules.language()
    percent, step = tasks.progress_of(job)
    return {
        "job": job,
        "percent": percent,
        "step": step,
        "kind_label": _kind_label(job.kind),
        "message": (job.message or {}).get(lang, ""),
        "errors_shown": SHOWN_ERRORS,
        "errors": [
            {
                **e,
                "column": _in(e["column"], lang),
                "message": _in(e["message"], lang),
                # a value without Persian letters (a code, a number, "-4") reads left to right
                "dir": "rtl" if _PERSIAN.search(e["value"]) else "ltr",
            }
            for e in job.errors[:SHOWN_ERRORS]
        ],
        "changes": [
            {**c, "fields": ("، " if lang == "fa" else ", ").join(_in(f, lang) for f in c["fields"])}
            for c in job.changes
        ],
        "more": job.counts.get("new", 0) + job.counts.get("changed", 0) > len(job.changes),
        "shown": tasks.SHOWN_CHANGES,
        "see": _SEE.get(job.kind),
    }


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    fmt = export_format(request)
    if fmt:
        return _errors_export(job, fmt)
    status = 400 if job.status == ImportJob.Status.REJECTED else 200
    return render(request, "web/imports/job.html", _job_context(job), status=status)


def _errors_export(job: ImportJob, fmt: str) -> HttpResponse:
    """Every stored error of a file, to work through in a spreadsheet beside the file itself."""
    lang = rules.language()
    header = [_("Row"), _("Column"), _("Value"), _("What is wrong")]
    rows = ([e["row"], _in(e["column"], lang), e["value"], _in(e["message"], lang)] for e in job.errors)
    return table_response(fmt=fmt, filename=f"revive-import-{job.pk}-errors", header=header, rows=rows,
                          rtl=lang == "fa")  # fmt: skip


@login_required
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state as an htmx fragment; it polls itself while the job is working."""
    return render(request, "web/imports/_job.html", _job_context(_job(request, pk)))


@login_required
@require_POST
def import_job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        confirm_job(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("web:import_job", pk=job.pk)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _scope(request)
    if kind not in importing.kinds():
        raise Http404
    response = HttpResponse(
        template_xlsx(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="revive-{kind}-template.xlsx"'
    return response


# --- monthly filings by unit owners ----------------------------------------------------------------


def _owner_unit(request: HttpRequest):
    scope = scope_for(request.user)
    if not has_perm(request.user, Perm.FILE_MONTHLY) or scope.kind != ScopeKind.UNIT:
        raise Http404
    return scope, ProductionUnit.objects.visible_to(scope).select_related("park", "province").get()


@login_required
@require_http_methods(["GET", "POST"])
def filing_new(request: HttpRequest) -> HttpResponse:
    from revive.filings.versions import ChangeToConfirm
    from revive.work.selectors import months_to_file

    scope, unit = _owner_unit(request)
    today = calendar.tehran_today()
    to_file = months_to_file(unit=unit, today=today)
    # the form opens on the month asked for, else on the oldest month still due
    oldest = f"{to_file[0][0]}/{to_file[0][1]:02d}" if to_file else ""
    initial = {"month": request.GET.get("month", "")[:10] or oldest}
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
                **values,
            )
        except ChangeToConfirm as exc:
            # what was sent beside what is being sent; the same form, with a confirmation button
            change = {"month": (jyear, jmonth), "previous": exc.details["previous"], "new": values,
                      "version": exc.details["previous_version"], "status": exc.details["previous_status"]}  # fmt: skip
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
        "submissions": selectors.own_submissions(scope=scope),
        "due_month": month,
        "next_due": calendar.filing_due_date(*calendar.add_months(month, 1)),
    }
    status = 409 if change else 400 if form.errors else 200
    return render(request, "web/imports/filing_new.html", context, status=status)


def _number(raw: str, field: str) -> int:
    try:
        return parse_int(raw)
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None


@login_required
def filings(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not has_perm(request.user, Perm.EDIT_REGISTRY) or scope.kind not in (
        ScopeKind.NATION,
        ScopeKind.PROVINCE,
    ):
        raise Http404
    today = calendar.tehran_today()
    month = selectors.last_due_month(today)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return _filings_export(request.GET.get("list", ""), fmt, scope, month, today)
    missing_count, missing = selectors.missing_filers(scope=scope, month=month)
    _with_last_filed(missing, month)
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
    return render(request, "web/imports/filings.html", context)


@login_required
@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    if not has_perm(request.user, Perm.EDIT_REGISTRY):
        raise Http404
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


def _with_last_filed(units: list, month: tuple[int, int]) -> None:
    """Each missing filer's newest filed month and how many months it is behind (None: never filed)."""
    last = selectors.last_filed([u.pk for u in units])
    for u in units:
        u.last_filed = last.get(u.pk)
        u.months_missing = selectors.months_missing(u.last_filed, month)


def _dates(d) -> list[str]:
    """An Iranian and a Gregorian column for a date, as every export has."""
    return [calendar.format_jalali(d, lang="en"), d.isoformat()] if d else ["", ""]


def _filings_export(which: str, fmt: str, scope, month: tuple[int, int], today):
    """The officer's filing lists (missing, late, waiting for review) in full, as CSV or XLSX."""
    lang = rules.language()
    month_label = f"{month[0]}/{month[1]:02d}"
    if which == "missing":
        _count, units = selectors.missing_filers(scope=scope, month=month, limit=None)
        _with_last_filed(units, month)
        due = calendar.filing_due_date(*month)
        header = [_("Business ID"), _("Unit"), _("Park code"), _("Province code"), _("Band"), _("Month"),
                  _("Due on (Iranian)"), _("Due on (Gregorian)"), _("Last filed month"),
                  _("Months past due")]  # fmt: skip
        rows = ([u.business_id, u.name(lang), u.park.code, u.park.province.code, u.get_current_band_display(),
                 month_label, *_dates(due), f"{u.last_filed[0]}/{u.last_filed[1]:02d}" if u.last_filed else "",
                 u.months_missing if u.months_missing is not None else ""] for u in units)  # fmt: skip
    elif which == "late":
        _count, late = selectors.late_filings(
            scope=scope, year=calendar.current_jalali_year(today), limit=None
        )
        header = [_("Business ID"), _("Unit"), _("Month"), _("Due on (Iranian)"), _("Due on (Gregorian)"),
                  _("Filed on (Iranian)"), _("Filed on (Gregorian)"), _("Days late")]  # fmt: skip
        rows = ([f.unit.business_id, f.unit.name(lang), f"{f.jyear}/{f.jmonth:02d}", *_dates(f.due_on),
                 *_dates(f.filed_on), (f.filed_on - f.due_on).days] for f in late)  # fmt: skip
    elif which == "pending":
        pending = selectors.pending_submissions(scope=scope)
        header = [_("Business ID"), _("Unit"), _("Month"), _("Production value (rials)"), _("Capacity used"),
                  _("Employees"), _("Submitted on (Iranian)"), _("Submitted on (Gregorian)")]  # fmt: skip
        rows = ([p.unit.business_id, p.unit.name(lang), f"{p.jyear}/{p.jmonth:02d}", p.production_value,
                 p.capacity_utilisation, p.employees, *_dates(p.submitted_on)] for p in pending)  # fmt: skip
    else:
        raise Http404
    return table_response(fmt=fmt, filename=f"revive-filings-{which}", header=header, rows=rows,
                          rtl=lang == "fa")  # fmt: skip
