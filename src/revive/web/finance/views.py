"""Finance pages: loan requests (list, board, request page), credit lines, the funnel and the industry share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from revive.accounts.roles import PERMISSIONS, Perm, has_perm
from revive.cases import selectors as case_selectors
from revive.core import calendar, money, rules
from revive.core.errors import DomainError, PermissionRefused
from revive.core.scoping import ScopeKind, scope_for
from revive.finance import selectors, services, workflow
from revive.finance.labels import state_label
from revive.finance.models import LoanKind, LoanState
from revive.imports.engine import import_file
from revive.registry import selectors as registry_selectors
from revive.web import charts
from revive.web.access import form_of, page_scope, scope_label
from revive.web.exports import export_format, tables_response
from revive.web.finance.exports import (
    credit_lines_table,
    funnel_tables,
    lending_tables,
    loan_requests_export,
    loan_tables,
)
from revive.web.finance.forms import (
    CreditLineForm,
    DecisionForm,
    IntroduceForm,
    LendingFigureForm,
    LendingImportForm,
    LoanRequestForm,
    MoneyForm,
    StepForm,
)
from revive.web.forms import add_domain_error, carry_current_version, refusal_status, sent_once
from revive.web.templatetags.revive import num

UNITS = [
    (money.RIAL, "Rials"),
    (money.TOMAN, "Tomans"),
    (money.BILLION_RIAL, "Billion rials"),
    (money.HEMAT, "Hemat"),
]


def _unit(request: HttpRequest) -> str:
    unit = request.GET.get("unit", money.BILLION_RIAL)
    return unit if unit in dict(UNITS) else money.BILLION_RIAL


# The readers who may narrow a finance page to a bank (their own, for a bank); a park's or a unit's
# requests are not split by bank. A province filter follows the province's visibility (scope.sees).
BANK_FILTER = (ScopeKind.NATION, ScopeKind.PROVINCE, ScopeKind.BANK)


def check_filters(scope, *, province: str = "", bank: str = ""):
    """A filter on a province or bank outside the reader's scope answers 404, like a missing record."""
    province_obj = registry_selectors.province_get(scope=scope, code=province) if province else None
    if province_obj is not None:
        scope.require_province(province_obj.pk)
    bank_obj = selectors.bank_get(code=bank) if bank else None
    if bank_obj is not None and scope.kind == ScopeKind.BANK and bank_obj.pk != scope.organisation_id:
        raise Http404
    if bank_obj is not None and scope.kind not in BANK_FILTER:
        raise Http404
    return province_obj, bank_obj


# --- requests: list and board ---------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.LoanFilters:
    year = request.GET.get("year", "")
    return selectors.LoanFilters(
        province=request.GET.get("province", ""),
        bank=request.GET.get("bank", ""),
        state=request.GET.get("state", ""),
        kind=request.GET.get("kind", ""),
        year=rules.year(year) if year.strip() else None,
        arrears=request.GET.get("arrears", ""),
        q=request.GET.get("q", ""),
        sort=request.GET.get("sort", ""),
    )


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_FINANCE)
    filters = _filters(request)
    check_filters(scope, province=filters.province, bank=filters.bank)
    error, qs = None, None
    try:
        qs = selectors.loan_requests(scope=scope, filters=filters)
    except DomainError as exc:
        error, qs = exc, selectors.LoanRequest.objects.none()
    fmt = export_format(request)
    if fmt and error is None:
        return loan_requests_export(fmt, qs, rules.language())
    # the boards (sums per state, arrears), once per data version: without a filter the list's totals add
    # up the sums
    by_state, arrears = selectors.boards(scope=scope)
    unfiltered = error is None and filters == selectors.LoanFilters(sort=filters.sort)
    context = {
        "page": rules.paginate(request, qs, 50),
        "filters": filters,
        "error": error,
        "totals": selectors.totals(qs, by_state=by_state if unfiltered else None),
        "board": selectors.pipeline(scope=scope, by_state=by_state),
        "arrears": arrears,
        "states": LoanState.choices,
        "kinds": LoanKind.choices,
        "provinces": registry_selectors.provinces(scope=scope) if scope.kind != ScopeKind.BANK else [],
        "banks": selectors.banks() if scope.kind != ScopeKind.BANK else [],
        "buckets": selectors.ARREARS_LABELS.items(),
        "unit": _unit(request),
        "units": [(k, _(v)) for k, v in UNITS],
        "can_register": has_perm(request.user, Perm.MANAGE_LOANS),
        "can_request": has_perm(request.user, Perm.REQUEST_LOAN) and scope.kind == ScopeKind.UNIT,
    }
    return render(request, "web/finance/list.html", context, status=400 if error else 200)


# --- a new request --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def loan_new(request: HttpRequest) -> HttpResponse:
    owner = has_perm(request.user, Perm.REQUEST_LOAN) and scope_for(request.user).kind == ScopeKind.UNIT
    scope = scope_for(request.user) if owner else page_scope(request, Perm.MANAGE_LOANS)
    case_id = None if owner else rules.record_id(request.GET.get("case") or request.POST.get("case"))
    case = case_selectors.case_get(scope=scope, pk=case_id) if case_id else None
    # An owner asks for their own unit only, dated today; officers name the unit (or come from a case).
    business_id = request.user.unit.business_id if owner else request.GET.get("unit") or request.POST.get("unit") or ""
    unit = case.unit if case else registry_selectors.unit_get(scope=scope, business_id=business_id)
    obstacles = list(case.obstacles.filter(status="open")) if case else []
    form = LoanRequestForm(request.POST or None, obstacles=obstacles, owner=owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with sent_once(request):
                loan = services.loan_register(
                    unit=unit,
                    by=request.user,
                    kind=data["kind"],
                    amount_requested=data["amount_requested"],
                    purpose=data["purpose"],
                    project_progress=data["project_progress"],
                    registered_on=None if owner else data["registered_on"],
                    case=case,
                    obstacle=next((o for o in obstacles if o.pk == data.get("obstacle")), None),
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The loan request was registered."))
            return redirect("web:loan", pk=loan.pk)
    context = {"form": form, "unit": unit, "case": case}
    return render(request, "web/finance/new.html", context, status=400 if request.method == "POST" else 200)


# --- the request page and its forms ---------------------------------------------------------------


EVENT_LABELS = {
    "registered": gettext_lazy("Request registered"),
    "transition": gettext_lazy("State changed"),
    "disbursement": gettext_lazy("Disbursement"),
    "repayment": gettext_lazy("Repayment"),
}


def _timeline(loan) -> list[dict]:
    def label(state: str) -> str:
        return state_label(state)

    return [
        {
            "on": e.on,
            "kind": e.kind,
            "actor_label": e.actor_label,
            "label": EVENT_LABELS.get(e.kind, e.kind),
            "from_label": label(e.from_state) if e.from_state else "",
            "to_label": label(e.to_state) if e.to_state and e.kind == "transition" else "",
            "amount": e.amount,
            "text": e.text,
        }
        for e in selectors.timeline(loan=loan)
    ]


def _detail_context(request: HttpRequest, scope, loan, **forms) -> dict:
    perms = PERMISSIONS.get(getattr(request.user, "role", ""), frozenset())
    may_decide = (
        Perm.DECIDE_LOANS in perms and scope.kind == ScopeKind.BANK and loan.bank_id == scope.organisation_id
    )
    may_manage = Perm.MANAGE_LOANS in perms
    steps = [
        s
        for s in workflow.allowed_for(loan.state, perms)
        if s in (LoanState.REVIEW, LoanState.APPROVED, LoanState.WITHDRAWN)
    ]
    initial = {"version": loan.version}
    lent = loan.state in (LoanState.PAID, LoanState.PARTLY_PAID)
    context = {
        "loan": loan,
        "timeline": _timeline(loan),
        "disbursements": list(loan.disbursements.all()),
        "installments": list(loan.installments.all()),
        "repayments": list(loan.repayments.all()),
        "arrears": selectors.loan_arrears(loan=loan),
        "disbursed": sum(d.amount for d in loan.disbursements.all()),
        "steps": [(s, state_label(s)) for s in steps] if may_manage else [],
        "step_form": forms.get("step_form") or StepForm(initial=initial),
        "unit": _unit(request),
    }
    if may_manage and LoanState.INTRODUCED in workflow.allowed(loan.state):
        context["introduce_form"] = forms.get("introduce_form") or IntroduceForm(
            initial={**initial, "amount": loan.amount_requested, "kind": loan.kind}
        )
    if may_decide and loan.state == LoanState.INTRODUCED:
        context["decision_form"] = forms.get("decision_form") or DecisionForm(initial=initial)
    if may_decide and lent:
        context["disburse_form"] = forms.get("disburse_form") or MoneyForm(initial=initial, prefix="d")
        if loan.first_disbursed_on:
            context["repay_form"] = forms.get("repay_form") or MoneyForm(initial=initial, prefix="r")
    return context


@login_required
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_FINANCE)
    loan = selectors.loan_get(scope=scope, pk=pk)
    if export_format(request):
        return tables_response(request=request, filename=f"revive-loan-{loan.pk}", tables=loan_tables(loan, _timeline(loan)))
    return render(request, "web/finance/detail.html", _detail_context(request, scope, loan))


def _act(request: HttpRequest, pk: int, *, target: str, form, key: str, run, done: str) -> HttpResponse:
    """Run one service with a bound form; on error show the request page again with the form's errors.
    Who may make the change is the service's rule (finance.workflow.require_role, which the service
    applies again): asked before the form is read, so a role that may not gets the API's refusal (403,
    the same message) whatever it sent."""
    scope = page_scope(request, Perm.VIEW_FINANCE)
    loan = selectors.loan_get(scope=scope, pk=pk)
    status = 400
    try:
        workflow.require_role(request.user, target)
        if form.is_valid():
            run(loan, form.cleaned_data)
            messages.success(request, done)
            return redirect("web:loan", pk=loan.pk)
    except PermissionRefused as exc:  # above the forms, which this role is not shown
        messages.error(request, exc.message)
        status = refusal_status(exc)
    except DomainError as exc:
        add_domain_error(form, exc)
    loan.refresh_from_db()
    context = _detail_context(request, scope, loan, **{key: form})
    return render(request, "web/finance/detail.html", context, status=status)


@login_required
@form_of("web:loan")
def loan_step(request: HttpRequest, pk: int) -> HttpResponse:
    def run(loan, d):
        services.loan_transition(
            loan=loan, to=d["to"], by=request.user, version=d["version"], note=d["note"], on=d["on"]
        )

    form = StepForm(request.POST)
    return _act(request, pk, target=LoanState.REVIEW, form=form, key="step_form", run=run, done=_("Saved."))


@login_required
@form_of("web:loan")
def loan_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    def run(loan, d):
        services.loan_introduce(
            loan=loan, by=request.user, bank=d["bank"], letter_number=d["letter_number"], letter_date=d["on"],
            amount=d["amount"], kind=d["kind"], term_months=d["term_months"], version=d["version"],
        )  # fmt: skip

    form = IntroduceForm(request.POST)
    done = _("The introduction letter was recorded.")
    return _act(request, pk, target=LoanState.INTRODUCED, form=form, key="introduce_form", run=run, done=done)


@login_required
@form_of("web:loan")
def loan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def run(loan, d):
        services.loan_decide(
            loan=loan, by=request.user, decision=d["to"], amount_paid=d["amount"], reason=d["reason"],
            on=d["on"], version=d["version"],
        )  # fmt: skip

    form = DecisionForm(request.POST)
    done = _("The bank's decision was recorded.")
    return _act(request, pk, target=LoanState.PAID, form=form, key="decision_form", run=run, done=done)


@login_required
@form_of("web:loan")
def loan_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    def run(loan, d):
        services.disbursement_record(
            loan=loan, by=request.user, on=d["on"], amount=d["amount"], version=d["version"]
        )

    form = MoneyForm(request.POST, prefix="d")
    done = _("The disbursement was recorded.")
    return _act(request, pk, target="disbursement", form=form, key="disburse_form", run=run, done=done)


@login_required
@form_of("web:loan")
def loan_repay(request: HttpRequest, pk: int) -> HttpResponse:
    def run(loan, d):
        services.repayment_record(
            loan=loan, by=request.user, on=d["on"], amount=d["amount"], version=d["version"]
        )

    form = MoneyForm(request.POST, prefix="r")
    done = _("The repayment was recorded.")
    return _act(request, pk, target="repayment", form=form, key="repay_form", run=run, done=done)


# --- credit lines ---------------------------------------------------------------------------------


def programme_reader(scope) -> bool:
    """Credit lines and lending figures are the programme's and the banks': a park or a unit sees none of
    them (the models show them nothing), so their pages are not theirs (a headline of zeros misleads)."""
    return scope.kind in (ScopeKind.NATION, ScopeKind.PROVINCE, ScopeKind.BANK)


@login_required
@require_http_methods(["GET", "POST"])
def credit_lines(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_FINANCE, allow=programme_reader)
    year = rules.year(request.GET.get("year"))
    can_set = has_perm(request.user, Perm.MANAGE_LOANS) and scope.is_nation  # the form is offered
    posted = request.method == "POST"  # who may set a line is the service's rule: its refusal is shown
    form = CreditLineForm(request.POST, initial={"year": year}) if posted else None
    form = form or (CreditLineForm(initial={"year": year}) if can_set else None)
    status = 400
    if posted:
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.credit_line_set(
                    year=d["year"], bank=d["bank"], province=d["province"], amount=d["amount"], note=d["note"],
                    by=request.user, version=d.get("version") or 0,
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
                carry_current_version(form, exc)
                status = refusal_status(exc)
            else:
                messages.success(request, _("The credit line was saved."))
                return redirect(f"{reverse('web:credit_lines')}?year={d['year']}")
    rows = selectors.credit_lines(scope=scope, year=year)
    if request.method == "GET" and export_format(request):
        return tables_response(
            request=request, filename=f"revive-credit-lines-{year}", tables={"lines": credit_lines_table(rows)}
        )
    totals = {k: sum(r[k] for r in rows if r["province"] is None) for k in ("amount", "used", "remaining")}
    context = {"rows": rows, "year": year, "form": form, "totals": totals, "unit": _unit(request)}
    return render(request, "web/finance/credit_lines.html", context, status=status if posted else 200)


# --- funnel ---------------------------------------------------------------------------------------


@login_required
def funnel(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_FINANCE)
    year = rules.year(request.GET.get("year"))
    province, bank = check_filters(
        scope, province=request.GET.get("province", ""), bank=request.GET.get("bank", "")
    )
    data = selectors.funnel(scope=scope, year=year, province=province, bank=bank)
    if export_format(request):
        return tables_response(request=request, filename=f"revive-funnel-{year}", tables=funnel_tables(data))
    chart = charts.loan_funnel(data["by_month"])
    context = {
        "data": data,
        "year": year,
        "years": range(calendar.current_jalali_year(), selectors.FIRST_YEAR + 7, -1),
        "province": province,
        "bank": bank,
        "chart": chart,
        "provinces": registry_selectors.provinces(scope=scope) if scope.kind != ScopeKind.BANK else [],
        "banks": selectors.banks() if scope.kind != ScopeKind.BANK else [],
        # the tables link a bank's row to the funnel narrowed to it only for readers who may narrow it
        "bank_links": scope.kind in BANK_FILTER,
        "unit": _unit(request),
        # a park's or a unit's own requests: named, not "whole country"
        "scope_label": scope_label(request.user, scope) if scope.kind in (ScopeKind.PARK, ScopeKind.UNIT) else "",
    }
    return render(request, "web/finance/funnel.html", context)


# --- industry share of lending --------------------------------------------------------------------


def _lending_context(request: HttpRequest, scope, year: int, bank, **forms) -> dict:
    can_enter = has_perm(request.user, Perm.MANAGE_LOANS) and scope.is_nation
    data = selectors.lending_share(scope=scope, year=year, bank=bank)
    series = selectors.lending_series(scope=scope, bank=bank)
    title = _("Share of bank facilities going to industry and mining, by month")
    return {
        "data": data,
        "year": year,
        "bank": bank,
        "chart": charts.share_line(series=series, target=data["target"], title=title, rtl=rules.language() == "fa")
        if series
        else "",
        "by_bank": selectors.lending_share_by_bank(scope=scope, year=year) if bank is None else [],
        "banks": selectors.banks()
        if scope.kind != ScopeKind.BANK
        else selectors.banks().filter(pk=scope.organisation_id),
        "years": range(calendar.current_jalali_year(), selectors.FIRST_YEAR + 7, -1),
        "unit": request.GET.get("unit") if request.GET.get("unit") in dict(UNITS) else money.HEMAT,
        "figure_form": forms.get("figure_form") or (LendingFigureForm() if can_enter else None),
        "import_form": forms.get("import_form") or (LendingImportForm() if can_enter else None),
        "import_errors": forms.get("import_errors") or [],
    }


@login_required
def lending_share(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.VIEW_FINANCE, allow=programme_reader)
    year = rules.year(request.GET.get("year"))
    _province, bank = check_filters(scope, bank=request.GET.get("bank", ""))
    if export_format(request):
        return _lending_export(request, scope, year, bank)
    return render(request, "web/finance/lending_share.html", _lending_context(request, scope, year, bank))


def _lending_export(request: HttpRequest, scope, year: int, bank):
    data = selectors.lending_share(scope=scope, year=year, bank=bank)
    by_bank = selectors.lending_share_by_bank(scope=scope, year=year) if bank is None else []
    tables = lending_tables(data, by_bank, year)
    suffix = f"-{bank.code}" if bank else ""
    return tables_response(request=request, filename=f"revive-lending-share-{year}{suffix}", tables=tables)


@login_required
@form_of("web:lending_share", keep=())
def lending_figure(request: HttpRequest) -> HttpResponse:
    """The form is national staff's (who else posts gets 404, as the scope walk checks); the service
    applies the same rule itself (finance.services.lending_figure_set)."""
    scope = page_scope(request, Perm.MANAGE_LOANS)
    if not scope.is_nation:
        raise Http404
    form = LendingFigureForm(request.POST)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.lending_figure_set(
                year=d["month"][0], month=d["month"][1], bank=d["bank"], total=d["total"],
                industry_mining=d["industry_mining"], by=request.user, version=d.get("version") or 0,
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
            carry_current_version(form, exc)
            status = refusal_status(exc)
        else:
            messages.success(request, _("The figures were saved."))
            return redirect(f"{reverse('web:lending_share')}?year={d['month'][0]}")
    context = _lending_context(request, scope, rules.year(None), None, figure_form=form)
    return render(request, "web/finance/lending_share.html", context, status=status)


@login_required
@form_of("web:lending_share", keep=())
def lending_import(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.MANAGE_LOANS)
    if not scope.is_nation:
        raise Http404
    form = LendingImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # The one lending importer: the `lending` import kind, as `revive import lending FILE` runs it.
            preview, written = import_file(
                kind="lending", content=upload.read(), filename=upload.name, scope=scope, by=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if written is not None:
                messages.success(
                    request,
                    _("%(rows)s rows imported: %(created)s new, %(updated)s corrected.")
                    % {
                        "rows": num(written["rows"]),
                        "created": num(written["new"]),
                        "updated": num(written["changed"]),
                    },
                )
                return redirect("web:lending_share")
            en = rules.language() == "en"
            errors = [
                {
                    "row": e.row,
                    "column": e.column_en if en else e.column_fa,
                    "value": e.value,
                    "message": e.message,
                }
                for e in preview.errors
            ]
            form.add_error("file", _("Nothing was imported: correct the rows below and send the file again."))
    context = _lending_context(
        request, scope, rules.year(None), None, import_form=form, import_errors=errors
    )
    return render(request, "web/finance/lending_share.html", context, status=400)
