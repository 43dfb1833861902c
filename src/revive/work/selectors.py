"""What waits for each person: the task lists of the home page, of `GET /api/v1/me/tasks` and of
the menu counts, in one place so that they cannot drift apart.

`sections(user=, today=)` answers the home's lists: each section has a total and its first
`SHOWN` items, each item {kind, title, url, since, due, overdue}. Every list is one indexed query
(plus one COUNT); nothing is read row by row, so the home costs the same for Semnan's 563 open cases
as for an owner's one. `menu_counts` is cheaper still: one or two COUNTs for the header.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from revive.accounts.roles import Role
from revive.core import calendar
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.scoping import Scope, ScopeKind, scope_for

SHOWN = 10  # items shown per section; the section's total and its "see all" link give the rest
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    url: str
    since: date | None = None
    due: date | None = None
    overdue: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "since": self.since.isoformat() if self.since else None,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
        }


@dataclass
class Section:
    kind: str
    title: str
    total: int
    items: list[Task] = field(default_factory=list)
    more_url: str = ""  # the page that lists all of them
    empty: str = ""  # what the section says when nothing waits
    overdue: int = 0  # how many of all `total` (not only those shown) are overdue

    @property
    def has_due(self) -> bool:
        """Whether the list has a due date to show: a list without any (an introduction, a case) shows no
        column of dashes."""
        return any(t.due for t in self.items)

    @property
    def has_since(self) -> bool:
        """Likewise for the "since" column (a referral has a deadline, no start worth a column)."""
        return any(t.since for t in self.items)


def _month_label(ym: tuple[int, int]) -> str:
    return calendar.format_jalali(calendar.from_jalali(ym[0], ym[1], 1), lang=_lang())[:7]


def _id(value) -> str:
    """An identifier (case, loan, resolution number) in the page's digits, without grouping."""
    from revive.core.digits import to_persian_digits

    text = str(value)
    return to_persian_digits(text) if _lang() == "fa" else text


def resolution_url(pk: int) -> str:
    """Where a resolution task opens: the resolution list narrowed to that one resolution (its row, with
    the answer form, whatever its status and however long the list), not a page of a paged board."""
    return reverse("web:resolutions") + f"?status=all&id={pk}#resolution-{pk}"


def _section(kind: str, title: str, qs, make, more_url: str = "", empty: str = "", late=False) -> Section:
    """One list: its total (one COUNT) and its first SHOWN rows (one query), turned into tasks. `late`
    says how many of the total are overdue: True (all of them), False (none) or a queryset to count."""
    rows = list(qs[:SHOWN])
    total = len(rows) if len(rows) < SHOWN else qs.count()
    items = [make(r) for r in rows]
    if late is True or late is False:
        overdue = total if late else 0
    elif total == len(items):
        overdue = sum(1 for t in items if t.overdue)
    else:
        overdue = late.count()
    return Section(kind, title, total, items, more_url, empty, overdue)


# --- bank officers ------------------------------------------------------------------------------------


def bank_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    from revive.finance.models import Installment, LoanRequest, LoanState

    lang = _lang()
    loans = LoanRequest.objects.visible_to(scope).select_related("unit")
    waiting = loans.filter(state=LoanState.INTRODUCED).order_by("introduced_on", "id")
    undisbursed = loans.filter(
        state__in=[LoanState.PAID, LoanState.PARTLY_PAID], first_disbursed_on__isnull=True
    ).order_by("decided_on", "id")
    arrears = (
        Installment.objects.visible_to(scope)
        .filter(due_on__lt=today, paid_on__isnull=True)
        .select_related("loan__unit")
        .order_by("due_on", "id")
    )

    def loan_url(pk: int) -> str:
        return reverse("web:loan", args=[pk])

    return [
        _section(
            "loan_decision",
            _("Introductions waiting for your decision"),
            waiting,
            lambda r: Task(
                "loan_decision",
                _("Loan request #%(id)s: %(unit)s") % {"id": _id(r.pk), "unit": r.unit.name(lang)},
                loan_url(r.pk),
                since=r.introduced_on,
            ),
            more_url=reverse("web:loans") + "?state=introduced",
            empty=_("No introduction waits for your decision."),
        ),
        _section(
            "loan_disbursement",
            _("Approved but not disbursed"),
            undisbursed,
            lambda r: Task(
                "loan_disbursement",
                _("Loan request #%(id)s: %(unit)s") % {"id": _id(r.pk), "unit": r.unit.name(lang)},
                loan_url(r.pk),
                since=r.decided_on,
            ),
            empty=_("Every approved facility has been disbursed."),
        ),
        _section(
            "instalment_arrears",
            _("Instalments in arrears"),
            arrears,
            lambda i: Task(
                "instalment_arrears",
                _("Instalment %(n)s of loan #%(id)s: %(unit)s")
                % {"n": _id(i.number), "id": _id(i.loan_id), "unit": i.loan.unit.name(lang)},
                loan_url(i.loan_id),
                since=i.due_on,
                due=i.due_on,
                overdue=True,
            ),
            empty=_("No instalment is in arrears."),
            late=True,
        ),
        *_resolution_sections(scope=scope, today=today),
    ]


# --- agency liaisons (and banks: resolutions addressed to them) -----------------------------------------


def _resolution_sections(*, scope: Scope, today: date) -> list[Section]:
    from revive.cases.models import Resolution

    pending = (
        Resolution.objects.visible_to(scope)
        .filter(status=Resolution.Status.PENDING)
        .select_related("case__unit", "organisation")
        .order_by("deadline", "id")
    )
    soon = today + timedelta(days=DUE_SOON_DAYS)
    base = reverse("web:resolutions")

    def task(kind: str):
        def make(r) -> Task:
            about = r.case.unit.name(_lang()) if r.case_id else r.text[:60]
            return Task(
                kind,
                _("Resolution #%(id)s: %(about)s") % {"id": _id(r.pk), "about": about},
                resolution_url(r.pk),
                since=r.meeting.held_on,
                due=r.deadline,
                overdue=r.deadline < today,
            )

        return make

    pending = pending.select_related("meeting")
    return [
        _section(
            "resolution_overdue",
            _("Resolutions overdue"),
            pending.filter(deadline__lt=today),
            task("resolution_overdue"),
            more_url=f"{base}?overdue=1",
            empty=_("No resolution addressed to you is overdue."),
            late=True,
        ),
        _section(
            "resolution_due_soon",
            _("Resolutions due within 7 days"),
            pending.filter(deadline__gte=today, deadline__lte=soon),
            task("resolution_due_soon"),
            more_url=f"{base}?status=pending",
            empty=_("No resolution is due within 7 days."),
        ),
        _section(
            "resolution_waiting",
            _("Other resolutions waiting for your answer"),
            pending.filter(deadline__gt=soon),
            task("resolution_waiting"),
            more_url=f"{base}?status=pending",
            empty=_("No other resolution waits for your answer."),
        ),
    ]


def liaison_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    return _resolution_sections(scope=scope, today=today)


# --- provincial officers ---------------------------------------------------------------------------------


def officer_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    from revive.cases.models import OPEN_STATES, Case, Meeting, Resolution
    from revive.filings.models import FilingSubmission

    lang = _lang()
    cases_url = reverse("web:cases")
    open_cases = Case.objects.visible_to(scope).filter(state__in=OPEN_STATES).select_related("unit")
    mine = (
        open_cases.filter(officer=user)
        .annotate(last_activity=Max("events__on"))
        .order_by("last_activity", "id")
    )
    unassigned = open_cases.filter(officer__isnull=True).order_by("opened_on", "id")

    def case_task(kind: str):
        def make(c) -> Task:
            return Task(
                kind,
                _("Case #%(id)s: %(unit)s (%(state)s)")
                % {"id": _id(c.pk), "unit": c.unit.name(lang), "state": c.get_state_display()},
                reverse("web:case", args=[c.pk]),
                since=getattr(c, "last_activity", None) or c.opened_on,
            )

        return make

    filings = (
        FilingSubmission.objects.visible_to(scope)
        .filter(status=FilingSubmission.Status.PENDING)
        .select_related("unit")
        .order_by("submitted_on", "id")
    )
    overdue_by_org = (
        Resolution.objects.visible_to(scope)
        .filter(status=Resolution.Status.PENDING, deadline__lt=today)
        .values("organisation__code", "organisation__name_fa", "organisation__name_en")
        .annotate(n=Count("id"), oldest=Min("deadline"))
        .order_by("-n", "organisation__code")
    )
    overdue_url = reverse("web:overdue")
    next_meeting = Meeting.objects.visible_to(scope).filter(held_on__gte=today).order_by("held_on", "number")
    meetings_url = reverse("web:meetings")
    return [
        _section(
            "case_mine",
            _("Your cases, least recently worked on first"),
            mine,
            case_task("case_mine"),
            more_url=f"{cases_url}?officer=me&state=open",
            empty=_("No open case is assigned to you."),
        ),
        _section(
            "case_unassigned",
            _("Open cases with no officer"),
            unassigned,
            case_task("case_unassigned"),
            more_url=f"{cases_url}?officer=none&state=open",
            empty=_("Every open case has an officer."),
        ),
        _section(
            "filing_review",
            _("Monthly filings waiting for review"),
            filings,
            lambda s: Task(
                "filing_review",
                _("%(unit)s: %(month)s")
                % {"unit": s.unit.name(lang), "month": _month_label((s.jyear, s.jmonth))},
                reverse("web:filings") + f"#submission-{s.pk}",
                since=s.submitted_on,
            ),
            more_url=reverse("web:filings"),
            empty=_("No filing waits for review."),
        ),
        _section(
            "resolution_overdue_by_organisation",
            _("Overdue resolutions by organisation"),
            overdue_by_org,
            lambda r: Task(
                "resolution_overdue_by_organisation",
                _("%(organisation)s: %(n)s overdue")
                % {
                    "organisation": (
                        r["organisation__name_fa"] if lang == "fa" else r["organisation__name_en"]
                    )
                    or r["organisation__code"],
                    "n": _number(r["n"]),
                },
                f"{reverse('web:resolutions')}?overdue=1&organisation={r['organisation__code']}",
                since=r["oldest"],
                due=r["oldest"],
                overdue=True,
            ),
            more_url=overdue_url,
            empty=_("No resolution of your province is overdue."),
            late=True,
        ),
        _section(
            "meeting_next",
            _("Next workgroup meeting"),
            next_meeting,
            lambda m: Task(
                "meeting_next",
                _("Workgroup meeting no. %(n)s") % {"n": _number(m.number)},
                reverse("web:meeting", args=[m.pk]),
                due=m.held_on,
            ),
            more_url=meetings_url,
            empty=_("No meeting is scheduled."),
        ),
    ]


def _number(n: int) -> str:
    from revive.core import money

    return money.format_number(int(n), _lang())


# --- park managers ---------------------------------------------------------------------------------------


def park_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    from revive.filings.models import FilingSubmission, MonthlyFiling
    from revive.filings.selectors import last_due_month
    from revive.planning.models import InfraProject
    from revive.registry.models import Band, ProductionUnit

    lang = _lang()
    month = last_due_month(today)
    due = calendar.filing_due_date(*month)
    filed = MonthlyFiling.objects.filter(jyear=month[0], jmonth=month[1], unit__park_id=scope.park_id)
    waiting = FilingSubmission.objects.filter(
        jyear=month[0], jmonth=month[1], status=FilingSubmission.Status.PENDING, unit__park_id=scope.park_id
    )
    not_filed = (
        ProductionUnit.objects.visible_to(scope)
        .exclude(current_band=Band.CLOSED)
        .exclude(pk__in=filed.values("unit_id"))
        .exclude(pk__in=waiting.values("unit_id"))
        .order_by("business_id")
    )
    projects = (
        InfraProject.objects.visible_to(scope)
        .exclude(status=InfraProject.Status.DONE)
        .order_by("status", "id")
    )
    return [
        _section(
            "unit_not_filed",
            _("Units that have not filed %(month)s") % {"month": _month_label(month)},
            not_filed,
            lambda u: Task(
                "unit_not_filed",
                f"{u.name(lang)} ({_id(u.business_id)})",
                reverse("web:unit", args=[u.business_id]),
                due=due,
                overdue=due < today,
            ),
            more_url=reverse("web:park", args=[user.park.code]),
            empty=_("Every unit of your park has filed."),
            late=due < today,
        ),
        _section(
            "infra_project",
            _("Your park's infrastructure projects"),
            projects,
            lambda p: Task(
                "infra_project",
                f"{p.name_fa if lang == 'fa' or not p.name_en else p.name_en} ({p.get_status_display()})",
                reverse("web:park", args=[user.park.code]),
                since=p.created_at.date(),
            ),
            more_url=reverse("web:park", args=[user.park.code]),
            empty=_("No infrastructure project is open in your park."),
        ),
    ]


# --- unit owners ------------------------------------------------------------------------------------------


def owner_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    from revive.cases.models import OPEN_STATES, Case
    from revive.filings.selectors import months_to_file, returned_to_correct
    from revive.finance.models import PENDING_STATES, LoanRequest

    unit = user.unit
    filing_url = reverse("web:filing_new")
    due_months = months_to_file(unit=unit, today=today)
    months = [
        Task(
            "filing_due",
            _("Monthly figures of %(month)s") % {"month": _month_label(ym)},
            f"{filing_url}?month={ym[0]}/{ym[1]:02d}",
            due=calendar.filing_due_date(*ym),
            overdue=calendar.filing_due_date(*ym) < today,
        )
        for ym in due_months
    ]
    filings = Section(
        "filing_due",
        _("Months to file"),
        len(months),
        months[:SHOWN],
        filing_url,
        _("Your filings are up to date."),
        sum(1 for t in months if t.overdue),
    )
    # a returned filing waits for correction until a newer version of that month is sent
    returned = []
    for s in returned_to_correct(unit):
        returned.append(
            Task(
                "filing_returned",
                _("%(month)s returned: %(comment)s")
                % {"month": _month_label((s.jyear, s.jmonth)), "comment": s.comment},
                f"{filing_url}?month={s.jyear}/{s.jmonth:02d}",
                since=s.reviewed_at.astimezone(calendar.TEHRAN).date() if s.reviewed_at else s.submitted_on,
            )
        )
    loans = (
        LoanRequest.objects.visible_to(scope).filter(state__in=PENDING_STATES).order_by("registered_on", "id")
    )
    case = Case.objects.visible_to(scope).filter(state__in=OPEN_STATES).order_by("-opened_on")
    return [
        filings,
        Section(
            "filing_returned",
            _("Filings returned for correction"),
            len(returned),
            returned[:SHOWN],
            filing_url,
            _("No filing was returned to you."),
        ),
        _section(
            "loan_request",
            _("Your loan requests in progress"),
            loans,
            lambda r: Task(
                "loan_request",
                _("Loan request #%(id)s (%(state)s)") % {"id": _id(r.pk), "state": r.get_state_display()},
                reverse("web:loan", args=[r.pk]),
                since=r.registered_on,
            ),
            more_url=reverse("web:loans"),
            empty=_("You have no loan request in progress."),
        ),
        _section(
            "case",
            _("Your unit's revival case"),
            case,
            lambda c: Task(
                "case",
                _("Case #%(id)s (%(state)s)") % {"id": _id(c.pk), "state": c.get_state_display()},
                reverse("web:unit", args=[unit.business_id]),
                since=c.opened_on,
            ),
            empty=_("Your unit has no open revival case."),
        ),
    ]


# --- national staff ---------------------------------------------------------------------------------------


BEHIND_SHOWN = 5


def national_tasks(*, user, scope: Scope, today: date) -> list[Section]:
    from revive.cases.models import Resolution
    from revive.indicators.selectors import province_ranking

    lang = _lang()
    referrals = (
        Resolution.objects.visible_to(scope)
        .filter(status=Resolution.Status.PENDING, escalated=True)
        .select_related("province", "organisation", "case__unit")
        .order_by("deadline", "id")
    )
    year = calendar.current_jalali_year(today)
    ranking = [r for r in province_ranking(scope=scope, year=year, today=today) if r["progress"] is not None]
    behind = sorted(ranking, key=lambda r: (r["progress"], r["province"].code))[:BEHIND_SHOWN]
    return [
        _section(
            "referral",
            _("Resolutions referred to the national level"),
            referrals,
            lambda r: Task(
                "referral",
                _("Resolution #%(id)s: %(province)s, %(organisation)s")
                % {
                    "id": _id(r.pk),
                    "province": r.province.name(lang),
                    "organisation": r.organisation.name_fa if lang == "fa" else r.organisation.name_en,
                },
                resolution_url(r.pk),
                due=r.deadline,
                overdue=r.deadline < today,
            ),
            more_url=reverse("web:resolutions") + "?status=pending&escalated=1",
            empty=_("No resolution has been referred to the national level."),
            late=referrals.filter(deadline__lt=today),
        ),
        Section(
            "province_behind",
            _("Provinces furthest behind this year's target"),
            len(behind),
            [
                Task(
                    "province_behind",
                    _("%(province)s: %(n)s revived, %(pct)s of the target")
                    % {
                        "province": r["province"].name(lang),
                        "n": _number(r["revived_units"]),
                        "pct": _percent(r["progress"]),
                    },
                    reverse("web:province", args=[r["province"].code]),
                )
                for r in behind
            ],
            reverse("web:dashboard"),
            _("No province has a target this year."),
        ),
    ]


def _percent(value: float) -> str:
    from revive.core import money

    return money.format_percent(value, _lang(), 0)


# --- one entry point -----------------------------------------------------------------------------------------

BY_ROLE = {
    Role.NATIONAL_ADMIN: national_tasks,
    Role.NATIONAL_ANALYST: national_tasks,
    Role.PROVINCIAL_OFFICER: officer_tasks,
    Role.BANK_OFFICER: bank_tasks,
    Role.AGENCY_LIAISON: liaison_tasks,
    Role.PARK_MANAGER: park_tasks,
    Role.UNIT_OWNER: owner_tasks,
}

EXPECTED_SCOPE = {
    Role.NATIONAL_ADMIN: ScopeKind.NATION,
    Role.NATIONAL_ANALYST: ScopeKind.NATION,
    Role.PROVINCIAL_OFFICER: ScopeKind.PROVINCE,
    Role.BANK_OFFICER: ScopeKind.BANK,
    Role.AGENCY_LIAISON: ScopeKind.AGENCY,
    Role.PARK_MANAGER: ScopeKind.PARK,
    Role.UNIT_OWNER: ScopeKind.UNIT,
}


def sections(*, user, today: date | None = None) -> list[Section]:
    """The home's lists for this user; a role without a home (or without its record) has none."""
    scope = scope_for(user)
    role = getattr(user, "role", "")
    make = BY_ROLE.get(role)
    if make is None or EXPECTED_SCOPE.get(role) != scope.kind:
        return []
    return make(user=user, scope=scope, today=today or calendar.tehran_today())


def items(*, user, today: date | None = None) -> list[Task]:
    """The same tasks as one list (the API's `/me/tasks`), in the home's order."""
    return [task for section in sections(user=user, today=today) for task in section.items]


# --- the header's counts --------------------------------------------------------------------------------------


def menu_counts(*, user, today: date | None = None) -> dict[str, int]:
    """Counts beside the menu items: one or two indexed COUNTs, whatever the role."""
    from revive.cases.models import OPEN_STATES, Case, Resolution
    from revive.filings.models import FilingSubmission
    from revive.filings.selectors import months_to_file
    from revive.finance.models import LoanRequest, LoanState

    scope = scope_for(user)
    role = getattr(user, "role", "")
    if EXPECTED_SCOPE.get(role) != scope.kind:
        return {}
    today = today or calendar.tehran_today()
    counts: dict[str, int] = {}
    if role == Role.PROVINCIAL_OFFICER:
        counts["cases"] = Case.objects.filter(officer=user, state__in=OPEN_STATES).count()
        counts["filings"] = (
            FilingSubmission.objects.visible_to(scope).filter(status=FilingSubmission.Status.PENDING).count()
        )
    elif role in (Role.BANK_OFFICER, Role.AGENCY_LIAISON):
        counts["resolutions"] = (
            Resolution.objects.visible_to(scope).filter(status=Resolution.Status.PENDING).count()
        )
        if role == Role.BANK_OFFICER:
            counts["loans"] = LoanRequest.objects.visible_to(scope).filter(state=LoanState.INTRODUCED).count()
    elif role == Role.UNIT_OWNER:
        counts["filing"] = len(months_to_file(unit=user.unit, today=today))
    elif role in (Role.NATIONAL_ADMIN, Role.NATIONAL_ANALYST):
        counts["resolutions"] = Resolution.objects.filter(
            status=Resolution.Status.PENDING, escalated=True
        ).count()
    return {k: v for k, v in counts.items() if v}


__all__ = ["SHOWN", "Section", "Task", "items", "menu_counts", "sections"]
