"""Notices: the inbox, the preferences page, the deadline rules and holidays (national administrators),
and the licence-suspension warning list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revive.accounts.roles import Perm, Role, has_perm
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.scoping import scope_for
from revive.filings import selectors as filing_selectors
from revive.notices import selectors, services
from revive.notices.models import DEFAULT_CHANNELS, Channel, Contact, DeadlineRules, Holiday, Kind, Preference
from revive.web.forms import add_domain_error
from revive.web.notices.forms import HolidayForm, RulesForm


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notices = selectors.inbox(user=request.user, unread_only=unread_only).prefetch_related("deliveries")
    page = rules.paginate(request, notices, 30)
    lang = rules.language()
    rows = [{"n": n, "text": n.text(lang)} for n in page]
    return render(
        request,
        "web/notices/inbox.html",
        {
            "page": page,
            "rows": rows,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    ids = rules.record_ids(request.POST.getlist("notice"))
    if request.POST.get("all"):
        services.notice_mark_read(user=request.user)
    elif ids:
        services.notice_mark_read(user=request.user, notice_ids=ids)
    return redirect(rules.safe_next(request, "/notices/"))


@login_required
@require_POST
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read and go to its object's page (another person's notice: 404)."""
    notice = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.notice_mark_read(user=request.user, notice_ids=[notice.pk])
    return redirect(notice.url or "web:notices")


def _preference_rows(user) -> tuple[list[dict], set[tuple[str, str]]]:
    chosen = {(k, c) for c, kinds in DEFAULT_CHANNELS.items() for k in kinds}
    for kind, channel, enabled in Preference.objects.filter(user=user).values_list(
        "kind", "channel", "enabled"
    ):
        (chosen.add if enabled else chosen.discard)((kind, channel))
    rows = [
        {
            "kind": kind,
            "label": label,
            "channels": [
                {"name": f"{kind}:{c}", "channel": c, "label": clabel, "on": (kind, c) in chosen}
                for c, clabel in Channel.choices
            ],
        }
        for kind, label in Kind.choices
    ]
    return rows, chosen


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    contact = Contact.objects.filter(user=request.user).first()
    language = contact.language if contact else rules.language()
    mobile = contact.mobile if contact else ""
    error = None
    if request.method == "POST":
        chosen = {
            tuple(v.split(":", 1))
            for v in request.POST.getlist("on")
            if ":" in v and v.split(":", 1)[0] in Kind.values and v.split(":", 1)[1] in Channel.values
        }
        language, mobile = request.POST.get("language", "fa"), request.POST.get("mobile", "")[:30]
        try:
            services.preferences_save(user=request.user, chosen=chosen, language=language, mobile=mobile)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Your notice preferences are saved."))
            return redirect("web:notice_preferences")
    rows, _chosen = _preference_rows(request.user)
    return render(
        request,
        "web/notices/preferences.html",
        {
            "rows": rows,
            "channels": Channel.choices,
            "language": language,
            "mobile": mobile,
            "error": error,
            "languages": Contact.Language.choices,
        },
        status=400 if error else 200,
    )


def _require_national_admin(request: HttpRequest) -> None:
    if getattr(request.user, "role", "") != Role.NATIONAL_ADMIN:
        raise Http404


@login_required
def deadline_rules(request: HttpRequest) -> HttpResponse:
    _require_national_admin(request)
    current = DeadlineRules.current()
    form = RulesForm(instance=current, initial={"version": current.version})
    holiday_form = HolidayForm()
    status = 200
    if request.method == "POST" and request.POST.get("form") == "rules":
        form = RulesForm(request.POST, instance=DeadlineRules.current())
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in services.RULE_FIELDS}
            try:
                services.rules_update(by=request.user, version=form.cleaned_data["version"], **values)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The deadline rules are saved."))
                return redirect("web:deadline_rules")
        status = 400
    elif request.method == "POST" and request.POST.get("form") == "holiday":
        holiday_form = HolidayForm(request.POST)
        if holiday_form.is_valid():
            try:
                services.holiday_add(by=request.user, **holiday_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(holiday_form, exc)
            else:
                messages.success(request, _("The holiday is added."))
                return redirect("web:deadline_rules")
        status = 400
    today = calendar.tehran_today()
    holidays = Holiday.objects.filter(day__gte=today.replace(month=1, day=1))
    failed = selectors.failed_deliveries().order_by("-id")[:50]
    return render(
        request,
        "web/notices/rules.html",
        {"form": form, "holiday_form": holiday_form, "holidays": holidays, "failed": failed},
        status=status,
    )


@login_required
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_national_admin(request)
    services.holiday_remove(by=request.user, holiday=get_object_or_404(Holiday, pk=pk))
    messages.success(request, _("The holiday is removed."))
    return redirect("web:deadline_rules")


@login_required
def suspension_list(request: HttpRequest) -> HttpResponse:
    """Units whose filings are missing for the configured number of months, in the reader's scope."""
    if not has_perm(request.user, Perm.VIEW_REGISTRY):
        raise Http404
    scope = scope_for(request.user)
    months = DeadlineRules.current().suspension_months
    through = filing_selectors.suspension_through(calendar.tehran_today())
    # the units listed (ids, in order; once per data version) from each unit's newest filed month, then the
    # rows of one page
    ids = filing_selectors.suspension_ids_kept(months=months, through=through, scope=scope)
    page = rules.paginate(request, ids, 100)
    page.object_list = filing_selectors.suspension_rows(list(page.object_list), through=through)
    return render(
        request,
        "web/notices/suspension.html",
        {"page": page, "months": months, "through": calendar.from_jalali(*through, 1), "total": len(ids)},
    )
