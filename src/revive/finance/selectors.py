"""Loan reads, scoped: lists and the pipeline board, arrears, credit lines, the funnel and the industry share."""

import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from revive.core import calendar, rules
from revive.core.errors import DomainError, lazy_message
from revive.core.scoping import Scope
from revive.core.sqldates import DaysBetween
from revive.finance.models import (
    INDUSTRY_SHARE_TARGET,
    LENT_STATES,
    PENDING_STATES,
    RELEASED_STATES,
    CreditLine,
    Installment,
    LendingFigure,
    LoanKind,
    LoanRequest,
    LoanState,
)
from revive.registry.models import Organisation, Province, SectorGroup

FIRST_YEAR = 1390

# Days past the due date of the oldest unpaid instalment: (key, first day, last day or None).
ARREARS_BUCKETS = [("1-30", 1, 30), ("31-90", 31, 90), ("91-180", 91, 180), ("180+", 181, None)]
ARREARS_LABELS = {
    "1-30": _("1-30 days"),
    "31-90": _("31-90 days"),
    "91-180": _("91-180 days"),
    "180+": _("over 180 days"),
}


@dataclass(frozen=True)
class LoanFilters:
    province: str = ""
    bank: str = ""
    state: str = ""
    kind: str = ""
    year: int | None = None
    arrears: str = ""
    q: str = ""
    sort: str = ""


SORTS = {
    "registered": "registered_on",
    "requested": "amount_requested",
    "introduced": "amount",
    "granted": "amount_paid",
    "state": "state",
}


def _bad(field: str, value) -> DomainError:
    return DomainError(
        lazy_message(_("Unknown %(field)s: “%(value)s”."), field=field, value=value), field=field
    )


def bank_get(*, code: str) -> Organisation:
    bank = Organisation.objects.filter(code=code.strip().lower(), kind=Organisation.Kind.BANK).first()
    if bank is None:
        raise _bad("bank", code)
    return bank


def banks() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.BANK).order_by("name_en")


def _oldest_unpaid_due():
    return Subquery(
        Installment.objects.filter(loan=OuterRef("pk"), paid_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def loan_requests(*, scope: Scope, filters: LoanFilters = LoanFilters()) -> QuerySet[LoanRequest]:
    qs = LoanRequest.objects.visible_to(scope).select_related("unit", "province", "bank")
    if filters.province:
        province = Province.objects.filter(code=filters.province.strip().upper()).first()
        if province is None:
            raise _bad("province", filters.province)
        qs = qs.filter(province=province)
    if filters.bank:
        qs = qs.filter(bank=bank_get(code=filters.bank))
    if filters.state:
        if filters.state == "pending":
            qs = qs.filter(state__in=PENDING_STATES)
        elif filters.state == "lent":
            qs = qs.filter(state__in=LENT_STATES)
        elif filters.state in LoanState.values:
            qs = qs.filter(state=filters.state)
        else:
            raise _bad("state", filters.state)
    if filters.kind:
        if filters.kind not in LoanKind.values:
            raise _bad("type", filters.kind)
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        period = calendar.jalali_year(rules.year(filters.year))
        qs = qs.filter(registered_on__gte=period.start, registered_on__lte=period.end)
    if filters.q:
        from revive.core.text import search_key, to_ascii_digits

        text = to_ascii_digits(filters.q.strip())
        qs = qs.filter(
            Q(unit__business_id=text) | Q(unit__name_key__contains=search_key(text)) | Q(letter_number=text)
        )
    if filters.arrears:
        bucket = next((b for b in ARREARS_BUCKETS if b[0] == filters.arrears), None)
        if bucket is None:
            raise _bad("arrears", filters.arrears)
        today = calendar.tehran_today()
        _key, first, last = bucket
        qs = qs.filter(state__in=(LoanState.PAID, LoanState.PARTLY_PAID)).annotate(
            oldest_due=_oldest_unpaid_due()
        )
        qs = qs.filter(oldest_due__lte=today.fromordinal(today.toordinal() - first))
        if last is not None:
            qs = qs.filter(oldest_due__gte=today.fromordinal(today.toordinal() - last))
    order = filters.sort.lstrip("-")
    if order in SORTS:
        field = SORTS[order]
        return qs.order_by(
            F(field).desc(nulls_last=True) if filters.sort.startswith("-") else F(field).asc(nulls_last=True),
            "-id",
        )
    return qs.order_by("-registered_on", "-id")


def loan_get(*, scope: Scope, pk: int) -> LoanRequest:
    return get_object_or_404(
        LoanRequest.objects.visible_to(scope).select_related(
            "unit", "province", "park", "bank", "case", "obstacle", "unit__sector"
        ),
        pk=pk,
    )


def totals(qs: QuerySet[LoanRequest], *, by_state: dict[str, dict] | None = None) -> dict:
    """The count and amounts of the requests; `by_state` (state_sums of the same requests) adds up its rows
    instead of reading every request again."""
    if by_state is not None:
        out = {"count": sum(r["n"] for r in by_state.values())}
        for key in _AMOUNTS:  # as SQL sums: None when no request has the amount
            amounts = [r[key] for r in by_state.values() if r[key] is not None]
            out[key] = sum(amounts) if amounts else None
        return out
    return qs.order_by().aggregate(
        count=Count("id"),
        requested=Sum("amount_requested"),
        introduced=Sum("amount"),
        granted=Sum("amount_paid"),
    )


_AMOUNTS = ("requested", "introduced", "granted")


def state_sums(qs: QuerySet[LoanRequest]) -> dict[str, dict]:
    """Per state: the number of requests and the sums of the amounts asked, introduced and granted."""
    return {
        r["state"]: r
        for r in qs.order_by()
        .values("state")
        .annotate(
            # COUNT(*), not COUNT(id): PostgreSQL then reads the (state, amounts) index alone (id is not in it)
            n=Count("*"),
            requested=Sum("amount_requested"),
            introduced=Sum("amount"),
            granted=Sum("amount_paid"),
        )
    }


def pipeline(
    *, scope: Scope, qs: QuerySet[LoanRequest] | None = None, by_state: dict[str, dict] | None = None
) -> list[dict]:
    """Counts and amounts per state; the amount is what is at stake at that stage (asked, introduced, granted)."""
    if by_state is None:
        by_state = state_sums(LoanRequest.objects.visible_to(scope) if qs is None else qs)
    rows = by_state
    out = []
    for state, label in LoanState.choices:
        r = rows.get(state, {})
        if state in LENT_STATES:
            amount = r.get("granted")
        elif state in (LoanState.INTRODUCED, *RELEASED_STATES) and r.get("introduced"):
            amount = r.get("introduced")
        else:
            amount = r.get("requested")
        out.append({"state": state, "label": label, "count": r.get("n", 0), "amount": amount or 0})
    return out


def boards(*, scope: Scope, today: date | None = None) -> tuple[dict[str, dict], list[dict]]:
    """The loans page's two boards for the whole scope, whatever the list's filters: (state_sums, arrears).
    Computed once per data version (core/cache.py: every write leaves an audit row): the sums read every
    request of the scope (96,703 nationally) and the arrears every unpaid instalment past due."""
    from revive.core.cache import memoize_on_data

    today = today or calendar.tehran_today()
    return memoize_on_data(
        "finance.boards",
        (scope, today),
        lambda: (state_sums(LoanRequest.objects.visible_to(scope)), arrears(scope=scope, today=today)),
    )


def timeline(*, loan: LoanRequest) -> list:
    return list(loan.events.order_by("on", "at", "id"))


def loan_arrears(*, loan: LoanRequest, today: date | None = None) -> dict:
    """What one loan owes past its due dates, and for how many days."""
    today = today or calendar.tehran_today()
    due = loan.installments.filter(paid_on__isnull=True, due_on__lt=today).order_by("due_on")
    rows = list(due.values_list("due_on", "amount", "paid_amount"))
    if not rows or loan.state not in (LoanState.PAID, LoanState.PARTLY_PAID):
        return {"days": 0, "amount": 0, "bucket": None, "instalments": 0}
    days = (today - rows[0][0]).days
    return {
        "days": days,
        "amount": sum(a - p for _d, a, p in rows),
        "bucket": bucket_of(days),
        "instalments": len(rows),
    }


def bucket_of(days: int) -> str | None:
    for key, first, last in ARREARS_BUCKETS:
        if days >= first and (last is None or days <= last):
            return key
    return None


def arrears(
    *, scope: Scope, today: date | None = None, qs: QuerySet[LoanRequest] | None = None
) -> list[dict]:
    """Loans in arrears by bucket (age of the oldest unpaid instalment), with the amount past due."""
    today = today or calendar.tehran_today()
    loans = (LoanRequest.objects.visible_to(scope) if qs is None else qs).filter(
        state__in=(LoanState.PAID, LoanState.PARTLY_PAID)
    )
    rows = (
        Installment.objects.filter(
            loan__in=loans.order_by().values("pk"), paid_on__isnull=True, due_on__lt=today
        )
        .order_by()
        .values("loan_id")
        .annotate(oldest=Min("due_on"), owed=Sum(F("amount") - F("paid_amount")))
    )
    # Counted per bucket by the database over the loans' rows (6,124 loans nationally were read into Python):
    # a bucket is a range of the oldest unpaid due date, bucket_of's days counted back from today.
    sums = {}
    for key, first, last in ARREARS_BUCKETS:
        oldest = Q(oldest__lte=today - timedelta(days=first))
        if last is not None:
            oldest &= Q(oldest__gte=today - timedelta(days=last))
        sums[f"count_{key}"] = Count("loan_id", filter=oldest)
        sums[f"amount_{key}"] = Sum("owed", filter=oldest)
    counted = rows.aggregate(**sums)
    return [
        {
            "key": key,
            "label": ARREARS_LABELS[key],
            "count": counted[f"count_{key}"],
            "amount": counted[f"amount_{key}"] or 0,
        }
        for key, *_r in ARREARS_BUCKETS
    ]


def credit_lines(*, scope: Scope, year: int) -> list[dict]:
    """Each visible line with what is used (introductions not rejected or withdrawn) and what remains.

    A quota is shared by everyone introducing against it, so its use counts every introduction, not
    only the ones the reader may open.
    """
    lines = list(CreditLine.objects.visible_to(scope).filter(jyear=year).select_related("bank", "province"))
    period = calendar.jalali_year(year)
    used: dict[tuple, int] = defaultdict(int)
    for r in (
        LoanRequest.objects.filter(introduced_on__gte=period.start, introduced_on__lte=period.end)
        .exclude(state__in=RELEASED_STATES)
        .order_by()
        .values("bank_id", "province_id")
        .annotate(s=Sum("amount"))
    ):
        used[(r["bank_id"], r["province_id"])] += r["s"] or 0
        used[(r["bank_id"], None)] += r["s"] or 0
    out = []
    for line in lines:
        u = used[(line.bank_id, line.province_id)]
        out.append(
            {
                "line": line,
                "bank": line.bank,
                "province": line.province,
                "amount": line.amount,
                "used": u,
                "remaining": line.amount - u,
                "share_used": u / line.amount if line.amount else None,
            }
        )
    out.sort(
        key=lambda r: (
            r["bank"].name_en,
            r["province"] is not None,
            r["province"].code if r["province"] else "",
        )
    )
    return out


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _rate(a: int, b: int) -> float | None:
    return a / b if b else None


def _blank() -> dict:
    return {
        "registered": 0,
        "introduced": 0,
        "paid": 0,
        "amount_requested": 0,
        "amount_introduced": 0,
        "amount_paid": 0,
        "_days": ([], [], []),
    }


def _finish(row: dict) -> dict:
    days = row.pop("_days")
    row["introduced_rate"] = _rate(row["introduced"], row["registered"])
    row["paid_rate"] = _rate(row["paid"], row["introduced"])
    row["median_days"] = {
        "registered_to_introduced": _median(days[0]),
        "introduced_to_decision": _median(days[1]),
        "decision_to_disbursement": _median(days[2]),
    }
    return row


def funnel(
    *, scope: Scope, year: int, province: Province | None = None, bank: Organisation | None = None
) -> dict:
    """Requests registered in the year, how many were introduced and paid (counts and amounts), and how fast.

    A cohort: the introductions and payments are those of the requests registered in the year, so the
    rates read "of the requests registered in 1405, 45% were introduced". Computed once per data version
    (core/cache.py: every write leaves an audit row): each of the year's requests (9,131 nationally in
    1405) is added to its groups and its waits to their medians in Python.
    """
    from revive.core.cache import memoize_on_data

    return memoize_on_data(
        "finance.funnel",
        (scope, year, province.pk if province else None, bank.pk if bank else None),
        lambda: _funnel_now(scope=scope, year=year, province=province, bank=bank),
    )


def _funnel_now(*, scope: Scope, year: int, province: Province | None, bank: Organisation | None) -> dict:
    period = calendar.jalali_year(year)
    qs = LoanRequest.objects.visible_to(scope).filter(
        registered_on__gte=period.start, registered_on__lte=period.end
    )
    if province is not None:
        qs = qs.filter(province=province)
    if bank is not None:
        qs = qs.filter(bank=bank)
    month_starts = [calendar.from_jalali(year, m, 1) for m in range(1, 13)]
    total = _blank()
    groups: dict[str, dict] = {"province": {}, "bank": {}, "sector": {}, "month": {}}
    by_province, by_bank, by_sector, by_month = groups.values()
    # The waits in whole days from the database (NULL where a date is missing): plain numbers to add up
    # instead of four dates to convert per request (9,131 requests nationally in 1405).
    rows = qs.order_by().values_list(
        "province_id", "bank_id", "sector_group", "registered_on",
        DaysBetween(F("introduced_on"), F("registered_on")),
        DaysBetween(F("decided_on"), F("introduced_on")),
        DaysBetween(F("first_disbursed_on"), F("decided_on")),
        "amount_requested", "amount", "amount_paid",
    )  # fmt: skip
    for p, b, sector, reg, to_intro, to_decision, to_payment, requested, amount, paid in rows:
        month = bisect_right(month_starts, reg)
        targets = [
            total,
            by_province.get(p) or by_province.setdefault(p, _blank()),
            by_month.get(month) or by_month.setdefault(month, _blank()),
        ]
        if b is not None:
            targets.append(by_bank.get(b) or by_bank.setdefault(b, _blank()))
        if sector is not None:
            targets.append(by_sector.get(sector) or by_sector.setdefault(sector, _blank()))
        for row in targets:
            row["registered"] += 1
            row["amount_requested"] += requested
            if to_intro is not None:  # introduced
                row["introduced"] += 1
                row["amount_introduced"] += amount or 0
                row["_days"][0].append(to_intro)
                if to_decision is not None:
                    row["_days"][1].append(to_decision)
            if paid:
                row["paid"] += 1
                row["amount_paid"] += paid
                if to_payment is not None:
                    row["_days"][2].append(to_payment)
    provinces = {p.pk: p for p in Province.objects.filter(pk__in=groups["province"].keys())}
    bank_objs = {o.pk: o for o in Organisation.objects.filter(pk__in=groups["bank"].keys())}
    by_bank = [
        {"bank": bank_objs[k], "code": bank_objs[k].code, **_finish(v)} for k, v in groups["bank"].items()
    ]
    # Ranking: the share of introductions the bank paid, then the speed of its decision.
    by_bank.sort(
        key=lambda r: (-(r["paid_rate"] or 0), r["median_days"]["introduced_to_decision"] or 10**6, r["code"])
    )
    for rank, row in enumerate(by_bank, start=1):
        row["rank"] = rank
    return {
        "year": year,
        "period": period,
        **_finish(total),
        "by_province": sorted(
            (
                {"province": provinces[k], "code": provinces[k].code, **_finish(v)}
                for k, v in groups["province"].items()
            ),
            key=lambda r: r["code"],
        ),
        "by_bank": by_bank,
        "by_sector": [
            {"sector": k, "label": SectorGroup(k).label if k in SectorGroup.values else k, **_finish(v)}
            for k, v in sorted(groups["sector"].items(), key=lambda kv: -kv[1]["registered"])
        ],
        "by_month": [{"month": m, **_finish(groups["month"].get(m, _blank()))} for m in range(1, 13)],
    }


def lending_share(
    *, scope: Scope, year: int, bank: Organisation | None = None, today: date | None = None
) -> dict:
    """The share of facilities going to industry and mining, by month and year to date, against the target."""
    today = today or calendar.tehran_today()
    qs = LendingFigure.objects.visible_to(scope).filter(jyear=year)
    qs = qs.filter(bank=bank) if bank is not None else qs.filter(bank__isnull=True)
    figures = {f.jmonth: f for f in qs}
    by_month = []
    total = industry = 0
    for month in range(1, 13):
        f = figures.get(month)
        if f is not None:
            total += f.total
            industry += f.industry_mining
        by_month.append(
            {
                "month": month,
                "total": f.total if f else None,
                "industry_mining": f.industry_mining if f else None,
                "share": f.industry_mining / f.total if f and f.total else None,
                "figure": f,
            }
        )
    return {
        "year": year,
        "bank": bank,
        "share": industry / total if total else None,
        "total": total,
        "industry_mining": industry,
        "months": len(figures),
        "target": INDUSTRY_SHARE_TARGET,
        "by_month": by_month,
    }


def lending_series(*, scope: Scope, bank: Organisation | None = None) -> list[dict]:
    """Every month's share on record, oldest first, for the chart."""
    qs = LendingFigure.objects.visible_to(scope)
    qs = qs.filter(bank=bank) if bank is not None else qs.filter(bank__isnull=True)
    return [
        {"year": y, "month": m, "share": i / t if t else None}
        for y, m, t, i in qs.order_by("jyear", "jmonth").values_list(
            "jyear", "jmonth", "total", "industry_mining"
        )
    ]


def lending_share_by_bank(*, scope: Scope, year: int) -> list[dict]:
    """Year-to-date share per bank, highest first."""
    rows = (
        LendingFigure.objects.visible_to(scope)
        .filter(jyear=year, bank__isnull=False)
        .order_by()
        .values("bank_id")
        .annotate(total=Sum("total"), industry=Sum("industry_mining"))
    )
    bank_objs = {o.pk: o for o in Organisation.objects.filter(kind=Organisation.Kind.BANK)}
    out = [
        {"bank": bank_objs[r["bank_id"]], "total": r["total"], "industry_mining": r["industry"],
         "share": r["industry"] / r["total"] if r["total"] else None}
        for r in rows
    ]  # fmt: skip
    return sorted(out, key=lambda r: -(r["share"] or 0))
