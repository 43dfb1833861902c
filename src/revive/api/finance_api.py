"""API for loan requests and the finance KPIs: the same selectors and services as the pages."""

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from revive.accounts.roles import PERMISSIONS, Perm, has_perm
from revive.api.params import In, Page, PageSize, Text, Version, WholeInt, YearQuery, one_of
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.scoping import ScopeKind, scope_for
from revive.finance import selectors, services, workflow
from revive.finance.models import LoanKind, LoanState
from revive.registry import selectors as registry_selectors

from .schemas import ErrorOut

router = Router(tags=["finance"])


class LoanOut(Schema):
    id: int
    business_id: str
    province: str
    park: str
    case: int | None
    kind: str
    state: str
    amount_requested: int
    registered_on: date
    registered_on_jalali: str
    bank: str | None
    letter_number: str
    introduced_on: date | None
    introduced_on_jalali: str | None
    amount: int | None
    term_months: int | None
    decided_on: date | None
    amount_paid: int | None
    reason: str
    version: int


class EventOut(Schema):
    on: date
    on_jalali: str
    actor: str
    kind: str
    from_state: str
    to_state: str
    amount: int | None
    text: str


class InstallmentOut(Schema):
    number: int
    due_on: date
    due_on_jalali: str
    amount: int
    paid_amount: int


class ArrearsOut(Schema):
    days: int
    amount: int
    bucket: str | None


class LoanDetail(LoanOut):
    allowed_transitions: list[str]
    disbursed: int
    events: list[EventOut]
    installments: list[InstallmentOut]
    arrears: ArrearsOut


class LoanList(Schema):
    items: list[LoanOut]
    count: int
    page: int
    page_size: int
    amount_requested: int
    amount_introduced: int
    amount_paid: int


class LoanTransitionIn(In):
    """`to` is a state (review, approved, introduced, paid, partly_paid, rejected, withdrawn) or
    `disbursement` / `repayment`; dates are Iranian (YYYY/MM/DD), amounts whole rials."""

    to: Text
    version: Version
    note: Text = ""
    reason: Text = ""
    on: Text | None = None
    amount: WholeInt | Text | None = None
    bank: Text | None = None
    letter_number: Text = ""
    kind: Text | None = None
    term_months: WholeInt | None = None


class MedianDays(Schema):
    registered_to_introduced: float | None
    introduced_to_decision: float | None
    decision_to_disbursement: float | None


class FunnelRow(Schema):
    key: str
    registered: int
    introduced: int
    paid: int
    amount_requested: int
    amount_introduced: int
    amount_paid: int
    introduced_rate: float | None
    paid_rate: float | None
    median_days: MedianDays


class BankRow(FunnelRow):
    rank: int


class FunnelOut(Schema):
    year: int
    since: date
    until: date
    province: str | None
    bank: str | None
    registered: int
    introduced: int
    paid: int
    amount_requested: int
    amount_introduced: int
    amount_paid: int
    introduced_rate: float | None
    paid_rate: float | None
    median_days: MedianDays
    by_province: list[FunnelRow]
    by_bank: list[BankRow]
    by_sector: list[FunnelRow]
    by_month: list[FunnelRow]


class ShareMonth(Schema):
    month: int
    total: int | None
    industry_mining: int | None
    share: float | None


class LendingShareOut(Schema):
    year: int
    bank: str | None
    share: float | None
    target: float
    total: int
    industry_mining: int
    by_month: list[ShareMonth]


def _jalali(d: date | None) -> str | None:
    return calendar.format_jalali(d, lang="en") if d else None


def _loan_out(r) -> dict:
    return {
        "id": r.pk,
        "business_id": r.unit.business_id,
        "province": r.province.code,
        "park": r.park.code,
        "case": r.case_id,
        "kind": r.kind,
        "state": r.state,
        "amount_requested": r.amount_requested,
        "registered_on": r.registered_on,
        "registered_on_jalali": _jalali(r.registered_on),
        "bank": r.bank.code if r.bank_id else None,
        "letter_number": r.letter_number,
        "introduced_on": r.introduced_on,
        "introduced_on_jalali": _jalali(r.introduced_on),
        "amount": r.amount,
        "term_months": r.term_months,
        "decided_on": r.decided_on,
        "amount_paid": r.amount_paid,
        "reason": r.reason,
        "version": r.version,
    }


def _scope(request, perm: str = Perm.VIEW_FINANCE):
    if not has_perm(request.auth, perm):
        raise Http404
    return scope_for(request.auth)


def _filters(scope, province: str, bank: str):
    """Unknown or out-of-scope province or bank: 404, the same as a missing record."""
    province_obj = registry_selectors.province_get(scope=scope, code=province) if province else None
    if province_obj is not None:
        scope.require_province(province_obj.pk)
    bank_obj = None
    if bank:
        try:
            bank_obj = selectors.bank_get(code=bank)
        except DomainError:
            raise Http404 from None
        if scope.kind == ScopeKind.BANK and bank_obj.pk != scope.organisation_id:
            raise Http404
    return province_obj, bank_obj


@router.get("/loan-requests", response={200: LoanList, 400: ErrorOut, 404: ErrorOut})
def loan_list(
    request,
    province: str = "",
    bank: str = "",
    state: one_of("pending", "lent", *LoanState.values) = "",
    kind: one_of(*LoanKind.values) = "",
    year: YearQuery = None,
    arrears: one_of(*(b[0] for b in selectors.ARREARS_BUCKETS)) = "",
    page: Page = 1,
    page_size: PageSize = 50,
):
    scope = _scope(request)
    _filters(scope, province, bank)
    start, end = rules.page_slice(page, page_size)
    filters = selectors.LoanFilters(
        province=province, bank=bank, state=state, kind=kind, year=year, arrears=arrears
    )
    qs = selectors.loan_requests(scope=scope, filters=filters).select_related("park")
    totals = selectors.totals(qs)
    return {
        "items": [_loan_out(r) for r in qs[start:end]],
        "count": totals["count"],
        "page": page,
        "page_size": page_size,
        "amount_requested": totals["requested"] or 0,
        "amount_introduced": totals["introduced"] or 0,
        "amount_paid": totals["granted"] or 0,
    }


def _detail(request, loan) -> dict:
    perms = PERMISSIONS.get(getattr(request.auth, "role", ""), frozenset())
    out = _loan_out(loan)
    out["allowed_transitions"] = workflow.allowed_for(loan.state, perms)
    out["disbursed"] = sum(d.amount for d in loan.disbursements.all())
    out["events"] = [
        {
            "on": e.on,
            "on_jalali": _jalali(e.on),
            "actor": e.actor_label,
            "kind": e.kind,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "amount": e.amount,
            "text": e.text,
        }
        for e in selectors.timeline(loan=loan)
    ]
    out["installments"] = [
        {"number": i.number, "due_on": i.due_on, "due_on_jalali": _jalali(i.due_on), "amount": i.amount,
         "paid_amount": i.paid_amount}
        for i in loan.installments.all()
    ]  # fmt: skip
    arrears = selectors.loan_arrears(loan=loan)
    out["arrears"] = {k: arrears[k] for k in ("days", "amount", "bucket")}
    return out


@router.get("/loan-requests/{loan_id}", response={200: LoanDetail, 404: ErrorOut})
def loan_detail(request, loan_id: int):
    return _detail(request, selectors.loan_get(scope=_scope(request), pk=loan_id))


@router.post(
    "/loan-requests/{loan_id}/transitions",
    response={200: LoanDetail, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def loan_transition(request, loan_id: int, body: LoanTransitionIn):
    """403 when the caller's role does not make this change (the service's refusal, as on the page)."""
    scope = _scope(request)
    loan = selectors.loan_get(scope=scope, pk=loan_id)
    bank = None
    if body.bank:
        try:
            bank = selectors.bank_get(code=body.bank)
        except DomainError as exc:
            raise DomainError(exc.message, field="bank") from None
    on = calendar.parse_jalali(body.on) if body.on else None
    loan = services.loan_transition(
        loan=loan, to=body.to, by=request.auth, version=body.version, note=body.note, reason=body.reason,
        on=on, amount=body.amount, bank=bank, letter_number=body.letter_number, kind=body.kind,
        term_months=body.term_months,
    )  # fmt: skip
    return _detail(request, selectors.loan_get(scope=scope, pk=loan.pk))


def _row(key: str, r: dict) -> dict:
    return {
        "key": key,
        **{k: v for k, v in r.items() if k not in ("province", "bank", "sector", "label", "code", "month")},
    }


@router.get("/kpis/funnel", response={200: FunnelOut, 400: ErrorOut, 404: ErrorOut}, tags=["kpis"])
def kpi_funnel(request, year: YearQuery = None, province: str = "", bank: str = ""):
    scope = _scope(request)
    year = rules.year(year)
    province_obj, bank_obj = _filters(scope, province, bank)
    data = selectors.funnel(scope=scope, year=year, province=province_obj, bank=bank_obj)
    return {
        **{k: v for k, v in data.items() if not k.startswith("by_") and k != "period"},
        "since": data["period"].start,
        "until": data["period"].end,
        "province": province_obj.code if province_obj else None,
        "bank": bank_obj.code if bank_obj else None,
        "by_province": [_row(r["code"], r) for r in data["by_province"]],
        "by_bank": [_row(r["code"], r) for r in data["by_bank"]],
        "by_sector": [_row(r["sector"], r) for r in data["by_sector"]],
        "by_month": [_row(str(r["month"]), r) for r in data["by_month"]],
    }


@router.get(
    "/kpis/lending-share", response={200: LendingShareOut, 400: ErrorOut, 404: ErrorOut}, tags=["kpis"]
)
def kpi_lending_share(request, year: YearQuery = None, bank: str = ""):
    scope = _scope(request)
    year = rules.year(year)
    _province, bank_obj = _filters(scope, "", bank)
    data = selectors.lending_share(scope=scope, year=year, bank=bank_obj)
    return {
        **{k: data[k] for k in ("year", "share", "target", "total", "industry_mining")},
        "bank": bank_obj.code if bank_obj else None,
        "by_month": [
            {k: m[k] for k in ("month", "total", "industry_mining", "share")} for m in data["by_month"]
        ],
    }
