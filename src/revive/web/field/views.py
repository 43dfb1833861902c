"""Pages for work in the field: the Jalali date picker's month grid (calendar arithmetic stays on the server)."""

from datetime import date
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from revive.accounts.roles import Perm
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.text import to_persian_digits
from revive.web.access import page_scope
from revive.web.forms import sent_once


@require_safe
def calendar_month(request: HttpRequest) -> HttpResponse:
    """One Jalali month as a grid of day buttons (Saturday first), for the picker beside every date field.

    `month=YYYY/MM` shows that month; otherwise the month of `value` (what the field holds, in any digits),
    otherwise this month. Only days that exist are offered: Esfand 1403 has a 30th, Esfand 1404 does not.
    """
    lang = rules.language()
    selected: date | None = None
    try:
        selected = calendar.parse_jalali(request.GET.get("value", "")[:40])
    except DomainError:
        selected = None
    today = calendar.tehran_today()
    try:
        year, month = calendar.parse_jalali_month(request.GET.get("month", "")[:20])
    except DomainError:
        year, month = calendar.month_of(selected or today)

    def digits(s: str) -> str:
        return to_persian_digits(s) if lang == "fa" else s

    first = calendar.from_jalali(year, month, 1)
    lead = (first.weekday() - 5) % 7  # the Iranian week starts on Saturday (Python's weekday 5)
    cells: list[dict | None] = [None] * lead
    for day in range(1, calendar.month_length(year, month) + 1):
        value = f"{year:04d}/{month:02d}/{day:02d}"
        g = calendar.from_jalali(year, month, day)
        cells.append(
            {
                "day": digits(str(day)),
                "value": digits(value),
                "iso": g.isoformat(),
                "today": g == today,
                "selected": g == selected,
            }
        )
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]

    def neighbour(n: int) -> str:
        try:
            y, m = calendar.add_months((year, month), n)
            calendar.from_jalali(y, m, 1)
        except (DomainError, ValueError):
            return ""
        return f"{y:04d}/{m:02d}"

    return render(
        request,
        "web/field/calendar_month.html",
        {
            "title": digits(f"{calendar.month_name(month, lang)} {year}"),
            "weeks": weeks,
            "prev_month": neighbour(-1),
            "next_month": neighbour(1),
            "prev_year": neighbour(-12),
            "next_year": neighbour(12),
            "weekdays": WEEKDAYS[lang],
        },
    )


WEEKDAYS = {
    "fa": ("ش", "ی", "د", "س", "چ", "پ", "ج"),
    "en": ("Sa", "Su", "Mo", "Tu", "We", "Th", "Fr"),
}


FAVICON = Path(__file__).parents[1] / "static" / "revive" / "favicon.svg"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page; answer with the icon instead of a 404."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- minutes and letters ------------------------------------------------------------------------------


def _meeting_for(request: HttpRequest, pk: int):
    from revive.cases import selectors

    return selectors.meeting_get(scope=page_scope(request, Perm.VIEW_CASES), pk=pk)


def _document(request: HttpRequest, *, html, pdf, filename: str) -> HttpResponse:
    """The printable page, or with ?format=pdf the same document as PDF."""
    if request.GET.get("format") == "pdf":
        try:
            body = pdf()
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return HttpResponse(html(for_print=True))


@login_required
@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    from revive.cases import minutes

    meeting = _meeting_for(request, pk)
    return _document(
        request,
        html=lambda **kw: minutes.minutes_html(meeting, **kw),
        pdf=lambda: minutes.minutes_pdf(meeting),
        filename=f"minutes-{meeting.province.code}-{meeting.number}",
    )


@login_required
@require_safe
def meeting_letter(request: HttpRequest, pk: int, organisation_id: int) -> HttpResponse:
    from revive.cases import minutes

    meeting = _meeting_for(request, pk)
    organisation = next((o for o in minutes.addressees(meeting) if o.pk == organisation_id), None)
    if organisation is None:  # no resolution of this meeting is addressed to it: there is no letter
        raise Http404
    return _document(
        request,
        html=lambda **kw: minutes.letter_html(meeting, organisation, **kw),
        pdf=lambda: minutes.letter_pdf(meeting, organisation),
        filename=f"letter-{meeting.province.code}-{meeting.number}-{organisation.code}",
    )


# --- photos and documents: served by a view that checks the scope, never from a public media path -----

THUMB_SIZE = (320, 320)


def _file_response(field_file, content_type: str, *, filename: str = "") -> HttpResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _thumbnail(photo) -> Path | None:
    """A small JPEG of a visit photo, made once and kept beside the uploads (var/media/thumbs)."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    target = Path(settings.MEDIA_ROOT) / "thumbs" / f"{photo.pk}.jpg"
    if target.exists():
        return target
    try:
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail(THUMB_SIZE)
            target.parent.mkdir(parents=True, exist_ok=True)
            image.convert("RGB").save(target, "JPEG", quality=80)
    except (FileNotFoundError, ValueError, OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return target


@login_required
@require_safe
def visit_photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    """A visit photo of a case the user may see (404 otherwise); `?size=thumb` for the small version."""
    from revive.cases import selectors
    from revive.cases.models import VisitPhoto

    case = selectors.case_get(scope=page_scope(request, Perm.VIEW_CASES), pk=pk)
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit"), pk=photo_id, visit__case=case)
    if request.GET.get("size") == "thumb":
        thumb = _thumbnail(photo)
        if thumb is not None:
            response = FileResponse(thumb.open("rb"), content_type="image/jpeg")
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private, max-age=3600"
            return response
    return _file_response(photo.image, photo.content_type)


def may_attach_document(user) -> bool:
    """Officers who manage loans, the bank the loan was introduced to, and the unit's owner (their own loan)."""
    from revive.accounts.roles import has_perm

    return any(has_perm(user, p) for p in (Perm.MANAGE_LOANS, Perm.DECIDE_LOANS, Perm.REQUEST_LOAN))


def _loan_for(request: HttpRequest, pk: int):
    from revive.finance import selectors

    return selectors.loan_get(scope=page_scope(request, Perm.VIEW_FINANCE), pk=pk)


@login_required
@require_POST
def loan_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from revive.documents import services

    loan = _loan_for(request, pk)
    if not may_attach_document(request.user):
        raise Http404
    try:
        with sent_once(request):
            services.loan_document_attach(
                loan=loan,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                upload=request.FILES.get("file"),
                by=request.user,
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The document was attached."))
    return redirect(f"{reverse('web:loan', args=[loan.pk])}#documents")


@login_required
@require_safe
def loan_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """A document of a loan the user may see (404 otherwise)."""
    from revive.core.uploads import EXTENSIONS
    from revive.documents.models import LoanDocument

    loan = _loan_for(request, pk)
    document = get_object_or_404(LoanDocument, pk=document_id, loan=loan)
    name = f"loan-{loan.pk}-{document.kind}-{document.pk}{EXTENSIONS.get(document.content_type, '')}"
    return _file_response(document.file, document.content_type, filename=name)
