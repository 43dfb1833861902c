"""Case pages: list and board, the case page with its timeline, meetings, resolutions, execution, survival."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from revive.accounts.roles import Perm, has_perm
from revive.cases import agenda, figures, minutes, selectors, services, workflow
from revive.cases.models import Case, CaseState, ObstacleKind, Resolution
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.core.selectors import audit_events
from revive.registry import selectors as registry_selectors
from revive.registry.models import Province
from revive.web import charts
from revive.web.access import form_of, page_scope
from revive.web.cases.exports import (
    cases_table,
    execution_tables,
    meetings_table,
    obstacle_table,
    resolution_table,
    survival_tables,
    timeline_table,
    workload_table,
)
from revive.web.cases.forms import (
    AnswerForm,
    MeetingForm,
    ObstacleForm,
    ObstacleStatusForm,
    ResolutionForm,
    TransitionForm,
    VisitForm,
)
from revive.web.exports import export_format, tables_response
from revive.web.forms import add_domain_error, sent_once
from revive.web.templatetags.revive import digits, name


def _province_of(request: HttpRequest, scope) -> Province | None:
    """The province a page is about: the officer's own, or ?province= for national users."""
    if scope.kind == ScopeKind.PROVINCE:
        return Province.objects.get(pk=scope.province_id)
    code = request.GET.get("province") or request.POST.get("province") or ""
    if not code:
        return None
    return registry_selectors.province_get(scope=scope, code=code)


WORKLOAD_SHOWN = 15  # the busiest officers the cases page lists, and its download


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    filters = selectors.CaseFilters(
        province=request.GET.get("province", ""),
        state=request.GET.get("state", ""),
        obstacle=request.GET.get("obstacle", ""),
        organisation=request.GET.get("organisation", ""),
        overdue=request.GET.get("overdue") == "1",
        officer=request.GET.get("officer", ""),
    )
    error = None
    try:
        qs = selectors.cases(scope=scope, filters=filters, user=request.user)
    except DomainError as exc:
        error, qs = exc, Case.objects.none()
    if export_format(request) and error is None:
        workload = selectors.workload(scope=scope)[:WORKLOAD_SHOWN]
        tables = {"cases": cases_table(qs), "workload": workload_table(workload)}
        return tables_response(request=request, filename="revive-cases", tables=tables)
    page = rules.paginate(request, qs, 50)
    counts, workload = selectors.list_boards(scope=scope)  # once per data version
    return render(
        request,
        "web/cases/list.html",
        {
            "page": page,
            "filters": filters,
            "error": error,
            "counts": counts,
            "states": CaseState.choices,
            "obstacles": ObstacleKind.choices,
            "provinces": registry_selectors.provinces(scope=scope),
            "workload": workload[:WORKLOAD_SHOWN],
        },
        status=400 if error else 200,
    )


def _case_context(request, scope, case: Case, **forms) -> dict:
    can_manage = has_perm(request.user, Perm.MANAGE_CASES)
    audit_rows = audit_events(scope=scope, object_type="cases.case", object_id=str(case.pk))
    context = {
        "case": case,
        "timeline": selectors.timeline(case=case),
        "obstacles": case.obstacles.select_related("organisation", "infrastructure"),
        "resolutions": case.resolutions.select_related("organisation", "meeting"),
        "visits": case.visits.prefetch_related("photos"),
        "audit": audit_rows[:50],
        "can_manage": can_manage and case.is_open or can_manage and case.state in (CaseState.REVIVED,),
        "next_states": [
            (s, CaseState(s).label) for s in sorted(workflow.allowed(case.state)) if s != CaseState.REVIVED
        ],
    }
    if can_manage:
        context.update(
            {
                "obstacle_form": forms.get("obstacle_form")
                or ObstacleForm(province_id=case.province_id, initial={"version": case.version}),
                "transition_form": forms.get("transition_form")
                or TransitionForm(initial={"version": case.version}),
                "visit_form": _with_figure_hint(forms.get("visit_form") or VisitForm(), case),
                "assign_officers": selectors.officers_of(province_id=case.province_id),
            }
        )
    return context


def _with_figure_hint(form, case: Case):
    """The visit form says which headline figure a verified revival of this unit counts in."""
    form.fields["verifies_revival"].help_text = figures.before_the_visit(case.unit.current_band)
    return form


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    if export_format(request):
        tables = {"obstacles": obstacle_table(case), "timeline": timeline_table(case)}
        return tables_response(request=request, filename=f"revive-case-{case.pk}", tables=tables)
    return render(request, "web/cases/detail.html", _case_context(request, scope, case))


@login_required
@form_of("web:unit", keep=("business_id",))
def case_open(request: HttpRequest, business_id: str) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    unit = registry_selectors.unit_get(scope=scope, business_id=business_id)
    try:
        case = services.case_open(unit=unit, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:unit", business_id=unit.business_id)
    messages.success(request, _("The case was opened."))
    return redirect("web:case", pk=case.pk)


@login_required
@form_of("web:case")
def case_obstacle_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    form = ObstacleForm(request.POST, province_id=case.province_id)
    if form.is_valid():
        try:
            services.obstacle_add(
                case=case,
                by=request.user,
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The obstacle was recorded."))
            return redirect("web:case", pk=case.pk)
    case.refresh_from_db()
    return render(
        request, "web/cases/detail.html", _case_context(request, scope, case, obstacle_form=form), status=400
    )


@login_required
@form_of("web:case")
def obstacle_status(request: HttpRequest, pk: int, obstacle_id: int) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    obstacle = case.obstacles.filter(pk=obstacle_id).first()
    if obstacle is None:
        raise Http404
    form = ObstacleStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            obstacle = services.obstacle_set_status(
                obstacle=obstacle,
                status=form.cleaned_data["status"],
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose a status.")
    obstacle.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(
            request,
            "web/cases/_obstacle_row.html",
            {"o": obstacle, "case": case, "error": error, "can_manage": True},
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("web:case", pk=case.pk)


@login_required
@form_of("web:case")
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.case_transition(
                case=case,
                to=form.cleaned_data["to"],
                by=request.user,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The case was updated."))
            return redirect("web:case", pk=case.pk)
    case.refresh_from_db()
    return render(
        request,
        "web/cases/detail.html",
        _case_context(request, scope, case, transition_form=form),
        status=400,
    )


@login_required
@form_of("web:case")
def case_visit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        band_before = case.unit.current_band
        try:
            with sent_once(request):
                services.visit_record(
                    case=case,
                    by=request.user,
                    visited_on=data["visited_on"],
                    findings=data["findings"],
                    capacity_observed=data["capacity_observed"],
                    inspector_name=data["inspector_name"],
                    employees_observed=data["employees_observed"],
                    verifies_revival=data["verifies_revival"],
                    photos=request.FILES.getlist("photos"),
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The visit was recorded."))
            if data["verifies_revival"]:
                figure = figures.revival_figure(band_before=band_before, capacity=data["capacity_observed"])
                level = messages.success if figure == figures.IDLE_REVIVED else messages.warning
                level(request, figures.after_the_visit(figure))
            return redirect("web:case", pk=case.pk)
    case.refresh_from_db()
    return render(
        request, "web/cases/detail.html", _case_context(request, scope, case, visit_form=form), status=400
    )


# --- meetings and resolutions ---------------------------------------------------------------------


# Case assignment: a provincial officer or national staff gives a case to an officer of its province.
@login_required
@form_of("web:case")
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    case = selectors.case_get(scope=scope, pk=pk)
    username = request.POST.get("officer", "").strip()
    officer = selectors.officers_of(province_id=case.province_id).filter(username=username).first()
    raw_version = request.POST.get("version", "")
    try:
        if username and officer is None:
            raise DomainError(_("Choose an officer of the case's province."), field="officer")
        services.case_assign(
            case=case,
            officer=officer,
            by=request.user,
            version=int(raw_version) if raw_version.isdecimal() else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The case was assigned.") if officer else _("The case is no longer assigned.")
        )
    return redirect("web:case", pk=case.pk)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    meetings = selectors.meetings(scope=scope)
    if export_format(request):
        return tables_response(
            request=request, filename="revive-meetings", tables={"meetings": meetings_table(meetings)}
        )
    page = rules.paginate(request, meetings, 30)
    return render(
        request,
        "web/cases/meetings.html",
        {"page": page, "can_manage": has_perm(request.user, Perm.MANAGE_CASES)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_CASES)
    province = _province_of(request, scope)
    if province is None:
        return render(
            request, "web/cases/pick_province.html", {"provinces": registry_selectors.provinces(scope=scope)}
        )
    data = request.POST if request.method == "POST" else request.GET
    # Searching and paging the agenda post the same form (so what is typed and ticked stays); only the
    # record button (or a plain submit) records the meeting.
    recording = request.method == "POST" and data.get("action") != "search" and not data.get("page")
    chosen = rules.record_ids(data.getlist("cases"))
    if recording:
        form = MeetingForm(data, province_id=province.id)
    else:
        # Searching the agenda keeps what was typed in the form without judging it yet.
        initial = {"number": data.get("number") or digits(agenda.next_meeting_number(province=province)),
                   "held_on": data.get("held_on", ""), "attendees": data.getlist("attendees")}  # fmt: skip
        form = MeetingForm(initial=initial, province_id=province.id)
    if recording and form.is_valid():
        try:
            chosen_cases = selectors.cases(scope=scope).filter(pk__in=chosen)
            meeting = services.meeting_create(
                province=province,
                number=form.cleaned_data["number"],
                held_on=form.cleaned_data["held_on"],
                by=request.user,
                attendees=form.cleaned_data["attendees"],
                cases=chosen_cases,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The meeting was recorded. Add its resolutions."))
            return redirect("web:meeting", pk=meeting.pk)
    filters = agenda.AgendaFilters(
        q=data.get("q", "")[:100],
        park=data.get("park", "")[:20],
        stage=data.get("stage", ""),
        obstacle=data.get("obstacle", ""),
        min_days=data.get("min_days", "")[:6],
        order=data.get("order", "oldest") or "oldest",
    )
    search_error = None
    try:
        found = agenda.agenda_search(scope=scope, province=province, filters=filters).exclude(pk__in=chosen)
    except DomainError as exc:
        search_error, found = exc, Case.objects.none()
    page = Paginator(found, 25).get_page(data.get("page"))
    on_agenda = selectors.cases(scope=scope).filter(pk__in=chosen).select_related("unit", "park")
    return render(
        request,
        "web/cases/meeting_new.html",
        {
            "form": form,
            "province": province,
            "page": page,
            "on_agenda": on_agenda,
            "filters": filters,
            "search_error": search_error,
            "stages": [(s.value, s.label) for s in agenda.AGENDA_STATES],
            "obstacles": ObstacleKind.choices,
            "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
        status=400 if (recording and request.method == "POST") or search_error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    meeting = selectors.meeting_get(scope=scope, pk=pk)
    if request.method == "GET" and export_format(request):
        resolutions = meeting.resolutions.select_related("organisation", "province", "case__unit")
        return tables_response(request=request, filename=f"revive-meeting-{meeting.pk}",
                               tables={"resolutions": resolution_table(resolutions)})  # fmt: skip
    can_manage = has_perm(request.user, Perm.MANAGE_CASES)
    # what the page and the form's case list show of each agenda case (a national meeting has hundreds);
    # the service reads the chosen case again itself
    agenda = list(
        meeting.cases.select_related("unit").only("state", "unit_id", "unit__name_fa", "unit__name_en")
    )
    form = (
        ResolutionForm(request.POST or None, province_id=meeting.province_id, cases=agenda)
        if can_manage
        else None
    )
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            case = next((c for c in agenda if c.pk == data["case"]), None)
            try:
                with sent_once(request):
                    services.resolution_issue(
                        meeting=meeting,
                        organisation=data["organisation"],
                        text=data["text"],
                        deadline=data["deadline"],
                        case=case,
                        by=request.user,
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The resolution was issued."))
                return redirect("web:meeting", pk=meeting.pk)
    return render(
        request,
        "web/cases/meeting.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "agenda_items": _agenda_items(agenda),
            "form": form,
            # 50 a page: the demo's biggest meeting has 291 (the download keeps them all)
            "page": rules.paginate(request, meeting.resolutions.select_related("organisation"), 50),
            "attendees": meeting.attendees.all(),
            "addressees": minutes.addressees(meeting),
        },
        status=400 if request.method == "POST" else 200,
    )


def _agenda_items(cases: list[Case]) -> SafeString:
    """The agenda's list items, written here rather than by a template loop: a national meeting has hundreds
    of cases, and the loop's tags (a URL, two filters, a label) were a fifth of the meeting page."""
    labels = {value: str(label) for value, label in CaseState.choices}
    return format_html_join(
        "",
        '<li><a href="{}">#{} {}</a> · {}</li>',
        ((reverse("web:case", args=[c.pk]), digits(c.pk), name(c.unit), labels[c.state]) for c in cases),
    )


@login_required
def resolution_list(request: HttpRequest) -> HttpResponse:
    if not (has_perm(request.user, Perm.VIEW_CASES) or has_perm(request.user, Perm.ANSWER_RESOLUTIONS)):
        raise Http404
    scope = scope_for(request.user)
    error = None
    # a bank or an agency opens the list on what waits for its answer; "all" shows every resolution
    status = request.GET.get("status")
    if status is None:
        status = "pending" if scope.kind in (ScopeKind.BANK, ScopeKind.AGENCY) else "all"
    try:
        qs = selectors.resolutions(
            scope=scope,
            status="" if status == "all" else status,
            overdue=request.GET.get("overdue") == "1",
            organisation=request.GET.get("organisation", ""),
            escalated=request.GET.get("escalated") == "1",
            pk=_resolution_id(request.GET.get("id")),
        )
    except DomainError as exc:
        error, qs = exc, Resolution.objects.none()
    qs = qs.order_by("status", "deadline", "id")
    if export_format(request) and error is None:
        return tables_response(request=request, filename="revive-resolutions",
                               tables={"resolutions": resolution_table(qs.iterator(chunk_size=2000))})  # fmt: skip
    page = rules.paginate(request, qs, 50)
    return render(
        request,
        "web/cases/resolutions.html",
        {
            "page": page,
            "error": error,
            "today": calendar.tehran_today(),
            "statuses": Resolution.Status.choices,
            "status": status,
            "can_answer": has_perm(request.user, Perm.ANSWER_RESOLUTIONS),
        },
        status=400 if error else 200,
    )


def _resolution_id(raw: str | None) -> int | None:
    """`?id=` of the resolution list (a home task's link): a number, else no filter."""
    return rules.record_id(raw)


@login_required
@form_of("web:resolutions", keep=())
def resolution_answer(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_perm(request.user, Perm.ANSWER_RESOLUTIONS):
        raise Http404
    resolution = selectors.resolution_get(scope=scope_for(request.user), pk=pk)
    form = AnswerForm(request.POST)
    error = None
    if form.is_valid():
        try:
            resolution = services.resolution_mark(
                resolution=resolution,
                status=form.cleaned_data["status"],
                by=request.user,
                response=form.cleaned_data["response"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose done or not done.")
    if request.headers.get("HX-Request"):
        resolution.refresh_from_db()
        return render(
            request,
            "web/cases/_resolution_row.html",
            {"r": resolution, "error": error, "can_answer": True, "today": calendar.tehran_today()},
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect(rules.safe_next(request, reverse("web:resolutions")))


@login_required
def overdue_board(request: HttpRequest) -> HttpResponse:
    if not (has_perm(request.user, Perm.VIEW_CASES) or has_perm(request.user, Perm.ANSWER_RESOLUTIONS)):
        raise Http404
    scope = scope_for(request.user)
    if export_format(request):
        board = selectors.overdue_board(scope=scope)
        days = {row["resolution"].pk: row["days_overdue"] for row in board}
        table = resolution_table((row["resolution"] for row in board), days_overdue=days)
        return tables_response(request=request, filename="revive-overdue", tables={"overdue": table})
    # Paged, the longest overdue first: a national board is thousands of rows (the download has them all).
    page = Paginator(selectors.overdue_resolutions(scope=scope), 50).get_page(request.GET.get("page"))
    today = calendar.tehran_today()
    return render(
        request,
        "web/cases/overdue.html",
        {
            "page": page,
            "rows": [{"resolution": r, "days_overdue": (today - r.deadline).days} for r in page],
            "can_escalate": has_perm(request.user, Perm.MANAGE_CASES),
        },
    )


@login_required
def execution(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    today = calendar.tehran_today()
    year = calendar.current_jalali_year(today)
    period = calendar.year_to_date(year, today)
    data = selectors.execution(scope=scope, period=period)
    if export_format(request):
        return tables_response(
            request=request, filename=f"revive-execution-{year}", tables=execution_tables(data)
        )
    return render(request, "web/cases/execution.html", {"data": data, "period": period})


@login_required
def survival(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_CASES)
    data = selectors.survival(scope=scope)
    if export_format(request):
        return tables_response(request=request, filename="revive-survival", tables=survival_tables(data))
    return render(request, "web/cases/survival.html", {"data": data, "chart": charts.survival(data["by_year"])})


@login_required
@form_of("web:resolutions", keep=())
def resolution_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer an unexecuted resolution to the national level (from the overdue board)."""
    scope = page_scope(request, Perm.MANAGE_CASES)
    resolution = selectors.resolution_get(scope=scope, pk=pk)
    try:
        services.resolution_escalate(
            resolution=resolution, by=request.user, version=rules.require_version(request.POST.get("version"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The resolution was referred to the national level."))
    return redirect("web:overdue")
