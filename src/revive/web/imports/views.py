"""Import pages: upload, the job checked in the background, confirm, the blank templates."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from revive.accounts.roles import Perm
from revive.core import importing, rules
from revive.core.errors import DomainError
from revive.imports import tasks
from revive.imports.models import ImportJob
from revive.imports.reading import MAX_BYTES
from revive.imports.services import import_job_confirm as confirm_job
from revive.imports.services import import_job_start
from revive.imports.templates import template_xlsx
from revive.web.access import page_scope, staff
from revive.web.exports import export_format
from revive.web.imports.exports import errors_export, in_language
from revive.web.imports.forms import ImportForm


def _kind_label(name: str):
    """The kind's label; a job of a kind no longer registered shows its name."""
    kind = importing.kinds().get(name)
    return kind.label if kind is not None else name


def _scope(request: HttpRequest):
    return page_scope(request, Perm.EDIT_REGISTRY, allow=staff)


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
                "column": in_language(e["column"], lang),
                "message": in_language(e["message"], lang),
                # a value without Persian letters (a code, a number, "-4") reads left to right
                "dir": "rtl" if _PERSIAN.search(e["value"]) else "ltr",
            }
            for e in job.errors[:SHOWN_ERRORS]
        ],
        "changes": [
            {**c, "fields": ("، " if lang == "fa" else ", ").join(in_language(f, lang) for f in c["fields"])}
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
        return errors_export(job, fmt)
    status = 400 if job.status == ImportJob.Status.REJECTED else 200
    return render(request, "web/imports/job.html", _job_context(job), status=status)


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
