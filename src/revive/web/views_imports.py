"""Import pages (upload, preview, confirm, blank templates) and owners' monthly filings with their review."""

import json
import secrets
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from revive.accounts.roles import Perm, has_perm
from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.core.text import parse_int
from revive.imports import selectors
from revive.imports.engine import import_write, preview_file
from revive.imports.kinds import KINDS
from revive.imports.models import FilingSubmission
from revive.imports.services import submission_create, submission_review
from revive.imports.templates import template_xlsx
from revive.registry.models import ProductionUnit
from revive.web.forms_imports import FilingForm, ImportForm, ReviewForm

SHOWN_CHANGES = 200


def _scope(request: HttpRequest):
    scope = scope_for(request.user)
    if not has_perm(request.user, Perm.EDIT_REGISTRY) or scope.kind not in (
        ScopeKind.NATION,
        ScopeKind.PROVINCE,
    ):
        raise Http404
    return scope


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "revive-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _keep(content: bytes, *, user_id: int, kind: str, filename: str) -> str:
    """Keep the checked upload until the user confirms; the token is random and tied to the user."""
    token = secrets.token_urlsafe(24)
    (_folder() / f"{token}.bin").write_bytes(content)
    (_folder() / f"{token}.json").write_text(
        json.dumps({"user": user_id, "kind": kind, "filename": filename})
    )
    return token


def _take(token: str, user_id: int) -> tuple[bytes, dict]:
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        raise Http404
    meta_path, data_path = _folder() / f"{token}.json", _folder() / f"{token}.bin"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        raise Http404 from None
    if meta.get("user") != user_id:
        raise Http404
    content = data_path.read_bytes()
    meta_path.unlink(missing_ok=True)
    data_path.unlink(missing_ok=True)
    return content, meta


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "kinds": KINDS, "shown": SHOWN_CHANGES}
    if request.method == "POST" and form.is_valid():
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        try:
            if upload.size > 50 * 1024 * 1024:
                raise DomainError(
                    _("The file is larger than %(mb)s MB: split it into smaller files.") % {"mb": 50}
                )
            if not has_perm(request.user, KINDS[kind].perm):
                raise DomainError(_("You may not import this kind."))
            content = upload.read()
            preview = preview_file(kind=kind, content=content, filename=upload.name, scope=scope)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            context["preview"] = preview
            changes = preview.changed + preview.new
            context["more"] = len(changes) > SHOWN_CHANGES
            context["changes"] = [
                {"row": c.row, "key": c.key.replace("|", " "), "fields": ", ".join(c.fields)}
                for c in sorted(changes[:SHOWN_CHANGES], key=lambda c: c.row)
            ]
            if preview.ok and (preview.new or preview.changed):
                context["token"] = _keep(content, user_id=request.user.pk, kind=kind, filename=upload.name)
    status = 400 if form.errors or (context.get("preview") and not context["preview"].ok) else 200
    return render(request, "web/imports/page.html", context, status=status)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    content, meta = _take(request.POST.get("token", ""), request.user.pk)
    # The database may have moved since the preview: check again, and write only a clean file.
    try:
        preview = preview_file(kind=meta["kind"], content=content, filename=meta["filename"], scope=scope)
        if not preview.ok:
            raise DomainError(
                _("Nothing was imported: the file no longer passes the checks; upload it again.")
            )
        counts = import_write(preview=preview, by=request.user, scope=scope)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % counts
        )
    return redirect("web:imports")


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _scope(request)
    if kind not in KINDS:
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
    scope, unit = _owner_unit(request)
    form = FilingForm(request.POST or None)
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
            submission_create(unit=unit, by=request.user, jyear=jyear, jmonth=jmonth, **values)
        except DomainError as exc:
            field = exc.details.get("field")
            form.add_error(field if field in form.fields else "month", str(exc.message))
        else:
            messages.success(request, _("Your filing was sent; a provincial expert will review it."))
            return redirect("web:filing_new")
    month = selectors.last_due_month(calendar.tehran_today())
    context = {
        "form": form,
        "unit": unit,
        "submissions": selectors.own_submissions(scope=scope),
        "due_month": month,
        "next_due": calendar.filing_due_date(*calendar.add_months(month, 1)),
    }
    return render(request, "web/imports/filing_new.html", context, status=400 if form.errors else 200)


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


def _dates(d) -> list[str]:
    """An Iranian and a Gregorian column for a date, as every export has."""
    return [calendar.format_jalali(d, lang="en"), d.isoformat()] if d else ["", ""]


def _filings_export(which: str, fmt: str, scope, month: tuple[int, int], today):
    """The officer's filing lists (missing, late, waiting for review) in full, as CSV or XLSX."""
    from revive.web.exports import table_response

    lang = "fa" if (get_language() or "fa").startswith("fa") else "en"
    month_label = f"{month[0]}/{month[1]:02d}"
    if which == "missing":
        _count, units = selectors.missing_filers(scope=scope, month=month, limit=None)
        due = calendar.filing_due_date(*month)
        header = [_("Business ID"), _("Unit"), _("Park code"), _("Province code"), _("Band"), _("Month"),
                  _("Due on (Iranian)"), _("Due on (Gregorian)")]  # fmt: skip
        rows = ([u.business_id, u.name(lang), u.park.code, u.park.province.code, u.get_current_band_display(),
                 month_label, *_dates(due)] for u in units)  # fmt: skip
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
