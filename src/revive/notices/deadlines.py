"""The deadline pass: who must be reminded, told or escalated to today, once.

Run daily by the worker and by `revive deadlines [--today]`. Every notice has an event key; with the
recipient it is unique, so a second run on the same day (or a later run) makes nothing new. Delays are
counted in working days (revive.notices.workdays); on a day that is not a working day the chasing
waits, only events (a returned filing, a finished job, sustained cases) are told.

A stage that came due long ago (a backlog, the first run over old data) is not told one by one:
reminders and escalations go out for stages that came due in the last CATCH_UP days; older ones are
summed up in one notice per person a month (overdue resolutions, also referred: an action, audited;
introductions still without a bank's decision, to the bank and to the province).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from revive.accounts.roles import Role
from revive.core import audit, calendar
from revive.core.text import to_persian_digits
from revive.notices.models import DeadlineRules, Kind
from revive.notices.services import message, notify
from revive.notices.workdays import Calendar

CATCH_UP = timedelta(days=30)
BY = "deadline pass"


def _jdate(d: date):
    return lambda lang: calendar.format_jalali(d, lang=lang, style="long")


def _month(y: int, m: int):
    return lambda lang: f"{calendar.month_name(m, lang)} {to_persian_digits(str(y)) if lang == 'fa' else y}"


def _name(obj):
    return lambda lang: obj.name(lang) if hasattr(obj, "name") and callable(obj.name) else str(obj)


def _count(n: int):
    return lambda lang: to_persian_digits(str(n)) if lang == "fa" else str(n)


class People:
    """The active users the pass tells, read once and grouped by what they are tied to."""

    def __init__(self):
        users = get_user_model().objects.filter(is_active=True).exclude(role="")
        self.by_org: dict[int, list] = defaultdict(list)
        self.officers: dict[int, list] = defaultdict(list)
        self.managers: dict[int, list] = defaultdict(list)
        self.owners: dict[int, list] = defaultdict(list)
        self.national_staff: list = []
        for u in users:
            if u.role in (Role.BANK_OFFICER, Role.AGENCY_LIAISON) and u.organisation_id:
                self.by_org[u.organisation_id].append(u)
            elif u.role == Role.PROVINCIAL_OFFICER and u.province_id:
                self.officers[u.province_id].append(u)
            elif u.role == Role.PARK_MANAGER and u.park_id:
                self.managers[u.park_id].append(u)
            elif u.role == Role.UNIT_OWNER and u.unit_id:
                self.owners[u.unit_id].append(u)
            elif u.role in (Role.NATIONAL_ADMIN, Role.NATIONAL_ANALYST):
                self.national_staff.append(u)


class Pass:
    def __init__(self, *, today: date, rules: DeadlineRules | None = None):
        self.today = today
        self.rules = rules or DeadlineRules.current()
        self.cal = Calendar(rules=self.rules, start=today - timedelta(days=400), end=today)
        self.people = People()
        self.counts: Counter[str] = Counter()
        self.referred = 0
        self.sustained = 0

    def tell(self, recipients, kind, event, text, url="", obj=None) -> None:
        made = notify(recipients=recipients, kind=kind, event=event, text=text, url=url, obj=obj)
        self.counts[kind] += len(made)

    def recent(self, fired: date) -> bool:
        return self.today - CATCH_UP <= fired <= self.today

    # --- resolutions --------------------------------------------------------------------------

    def resolutions(self) -> None:
        from revive.cases.models import Resolution
        from revive.cases.services import resolution_escalate

        r = self.rules
        referred: Counter[int] = Counter()
        backlog: dict[int, list] = defaultdict(list)  # organisation -> overdue ones not told one by one
        horizon = self.cal.add(self.today, r.remind_before)
        pending = (
            Resolution.objects.filter(status=Resolution.Status.PENDING, deadline__lte=horizon)
            .select_related("organisation", "meeting")
            .order_by("deadline", "id")
        )
        for res in pending:
            d = res.deadline
            addressees = self.people.by_org.get(res.organisation_id, [])
            # the addressee's list, at the resolution's row where they answer it (as their home page links)
            answer = f"{reverse('web:resolutions')}?status=pending#resolution-{res.pk}"
            meeting = reverse("web:meeting", args=[res.meeting_id])
            params = {"org": _name(res.organisation), "deadline": _jdate(d), "text": res.text[:120]}
            late = self.cal.between(d, self.today) if self.today > d else 0
            if self.today < d:
                stage, fired = "soon", self.cal.subtract(d, r.remind_before)
                text = _("Reminder: the resolution to %(org)s is due on %(deadline)s: %(text)s")
                kind = Kind.RESOLUTION_DUE
            elif self.today == d:
                stage, fired, kind = "today", d, Kind.RESOLUTION_DUE
                text = _("Today (%(deadline)s) is the deadline of the resolution to %(org)s: %(text)s")
            else:
                stage, fired, kind = "overdue", self.cal.add(d, 1), Kind.RESOLUTION_OVERDUE
                text = _("Overdue since %(deadline)s: the resolution to %(org)s: %(text)s")
            if (stage != "overdue" or late >= 1) and self.recent(fired):
                self.tell(
                    addressees, kind, f"resolution:{res.pk}:{stage}", message(text, **params), answer, res
                )
            elif stage == "overdue" and late >= 1:
                backlog[res.organisation_id].append(res)
            if late >= r.escalate_after and self.recent(self.cal.add(d, r.escalate_after)):
                self.tell(
                    self.people.officers.get(res.province_id, []),
                    Kind.RESOLUTION_ESCALATED,
                    f"resolution:{res.pk}:escalated",
                    message(
                        _(
                            "Escalated to the secretariat: %(org)s has not carried out the resolution due %(deadline)s: %(text)s"
                        ),
                        **params,
                    ),
                    meeting,
                    res,
                )
            if late >= r.refer_after and not res.escalated:
                resolution_escalate(resolution=res, by=BY)  # the referral the page offers, audited
                referred[res.province_id] += 1
                if self.recent(self.cal.add(d, r.refer_after)):
                    self.tell(
                        addressees,
                        Kind.RESOLUTION_REFERRED,
                        f"resolution:{res.pk}:referred",
                        message(
                            _(
                                "Referred to the national level: the resolution to %(org)s due %(deadline)s: %(text)s"
                            ),
                            **params,
                        ),
                        answer,
                        res,
                    )
        jy, jm, _d = calendar.to_jalali(self.today)
        for org_id, items in backlog.items():
            # long overdue: one reminder a month to the addressee, listing how many and since when
            self.tell(
                self.people.by_org.get(org_id, []),
                Kind.RESOLUTION_OVERDUE,
                f"backlog:{org_id}:{jy}-{jm:02d}",
                message(
                    ngettext_lazy(
                        "%(count)s resolution addressed to %(org)s is overdue and waits for your answer; it was due %(oldest)s.",
                        "%(count)s resolutions addressed to %(org)s are overdue and wait for your answer; the oldest was due %(oldest)s.",
                        "n",
                    ),
                    count=_count(len(items)),
                    n=len(items),
                    org=_name(items[0].organisation),
                    oldest=_jdate(min(x.deadline for x in items)),
                ),
                reverse("web:resolutions"),
            )
        overdue = reverse("web:overdue")
        for province_id, n in referred.items():
            self.tell(
                self.people.officers.get(province_id, []),
                Kind.RESOLUTION_REFERRED,
                f"referred:{province_id}:{self.today.isoformat()}",
                message(
                    ngettext_lazy(
                        "%(count)s overdue resolution of your province was referred to the national level.",
                        "%(count)s overdue resolutions of your province were referred to the national level.",
                        "n",
                    ),
                    count=_count(n),
                    n=n,
                ),
                overdue,
            )
        if referred:
            total = sum(referred.values())
            self.tell(
                self.people.national_staff,
                Kind.RESOLUTION_REFERRED,
                f"referred:national:{self.today.isoformat()}",
                message(
                    ngettext_lazy(
                        "%(count)s overdue resolution was referred to the national level today.",
                        "%(count)s overdue resolutions were referred to the national level today.",
                        "n",
                    ),
                    count=_count(total),
                    n=total,
                ),
                overdue,
            )
        self.referred = sum(referred.values())

    # --- bank introductions -------------------------------------------------------------------

    def introductions(self) -> None:
        from revive.finance.models import LoanRequest, LoanState

        r = self.rules
        waiting = LoanRequest.objects.filter(
            state=LoanState.INTRODUCED, decided_on__isnull=True, introduced_on__isnull=False
        ).select_related("bank", "unit")
        # long waiting (their stage came due before the catch-up window): one summary a month each
        banks: dict[int, list] = defaultdict(list)
        provinces: dict[int, list] = defaultdict(list)
        for loan in waiting.order_by("introduced_on", "id"):
            days = self.cal.between(loan.introduced_on, self.today)
            url = reverse("web:loan", args=[loan.pk])
            params = {"bank": _name(loan.bank), "unit": _name(loan.unit), "since": _jdate(loan.introduced_on)}
            if days >= r.introduction_remind_after and not self.recent(
                self.cal.add(loan.introduced_on, r.introduction_remind_after)
            ):
                banks[loan.bank_id].append(loan)
            elif days >= r.introduction_remind_after:
                self.tell(
                    self.people.by_org.get(loan.bank_id, []),
                    Kind.INTRODUCTION_WAITING,
                    f"loan:{loan.pk}:waiting",
                    message(
                        _(
                            "The introduction of %(unit)s to %(bank)s on %(since)s waits for the bank's decision."
                        ),
                        **params,
                    ),
                    url,
                    loan,
                )
            if days >= r.introduction_escalate_after and not self.recent(
                self.cal.add(loan.introduced_on, r.introduction_escalate_after)
            ):
                provinces[loan.province_id].append(loan)
            elif days >= r.introduction_escalate_after:
                self.tell(
                    self.people.officers.get(loan.province_id, []),
                    Kind.INTRODUCTION_ESCALATED,
                    f"loan:{loan.pk}:escalated",
                    message(
                        _("Escalated: %(bank)s has not decided on %(unit)s, introduced on %(since)s."),
                        **params,
                    ),
                    url,
                    loan,
                )
        jy, jm, _d = calendar.to_jalali(self.today)
        listed = f"{reverse('web:loans')}?state={LoanState.INTRODUCED}"
        for bank_id, loans in banks.items():
            self.tell(
                self.people.by_org.get(bank_id, []),
                Kind.INTRODUCTION_WAITING,
                f"loan-backlog:bank:{bank_id}:{jy}-{jm:02d}",
                message(
                    ngettext_lazy(
                        "%(count)s introduction to %(bank)s waits for your decision; it was introduced on %(oldest)s.",
                        "%(count)s introductions to %(bank)s wait for your decision; the oldest was introduced on %(oldest)s.",
                        "n",
                    ),
                    count=_count(len(loans)),
                    n=len(loans),
                    bank=_name(loans[0].bank),
                    oldest=_jdate(loans[0].introduced_on),
                ),
                listed,
            )
        for province_id, loans in provinces.items():
            self.tell(
                self.people.officers.get(province_id, []),
                Kind.INTRODUCTION_ESCALATED,
                f"loan-backlog:province:{province_id}:{jy}-{jm:02d}",
                message(
                    ngettext_lazy(
                        "%(count)s introduction of your province has waited long for a bank's decision; it was introduced on %(oldest)s.",
                        "%(count)s introductions of your province have waited long for a bank's decision; the oldest was introduced on %(oldest)s.",
                        "n",
                    ),
                    count=_count(len(loans)),
                    n=len(loans),
                    oldest=_jdate(loans[0].introduced_on),
                ),
                listed,
            )

    # --- monthly filings ----------------------------------------------------------------------

    def filings(self, *, chase: bool) -> None:
        from revive.filings.selectors import not_filed, returned_since
        from revive.registry.models import IndustrialPark, ProductionUnit

        cy, cm, cd = calendar.to_jalali(self.today)
        y, m = calendar.add_months((cy, cm), -1)
        due = calendar.filing_due_date(y, m)  # the 10th, as the filing pages, lists and stored due dates say
        filings = reverse("web:filings")
        # an owner files on their own form (the filings page is the staff's: 404 for an owner), at the month
        own_form = reverse("web:filing_new")
        if chase:
            missing = not_filed((y, m), known_before=calendar.from_jalali(cy, cm, 1))
            month = _month(y, m)
            owned = ProductionUnit.objects.in_bulk(
                [u["id"] for u in missing if u["id"] in self.people.owners]
            )
            for unit in owned.values():
                owners = self.people.owners[unit.pk]
                if self.today <= due:
                    self.tell(
                        owners,
                        Kind.FILING_REMINDER,
                        f"filing:{unit.pk}:{y}-{m:02d}:reminder",
                        message(
                            _("Your production filing for %(month)s is due by %(due)s."),
                            month=month,
                            due=_jdate(due),
                        ),
                        f"{own_form}?month={y}/{m:02d}",
                        unit,
                    )
                else:
                    self.tell(
                        owners,
                        Kind.FILING_MISSING,
                        f"filing:{unit.pk}:{y}-{m:02d}:missing",
                        message(
                            _(
                                "Your production filing for %(month)s was due on %(due)s and is missing: the unit is flagged."
                            ),
                            month=month,
                            due=_jdate(due),
                        ),
                        f"{own_form}?month={y}/{m:02d}",
                        unit,
                    )
            if self.today > due:
                by_park = Counter(u["park_id"] for u in missing)
                by_province = Counter(u["province_id"] for u in missing)
                parks = IndustrialPark.objects.in_bulk(list(by_park))
                for park_id, n in by_park.items():
                    self.tell(
                        self.people.managers.get(park_id, []),
                        Kind.FILING_MISSING,
                        f"filings-missing:park:{park_id}:{y}-{m:02d}",
                        message(
                            ngettext_lazy(
                                "%(count)s unit of %(park)s has not filed for %(month)s (due %(due)s); it is flagged.",
                                "%(count)s units of %(park)s have not filed for %(month)s (due %(due)s); they are flagged.",
                                "n",
                            ),
                            count=_count(n),
                            n=n,
                            park=_name(parks[park_id]),
                            month=month,
                            due=_jdate(due),
                        ),
                        reverse("web:park", args=[parks[park_id].code]),
                        parks[park_id],
                    )
                for province_id, n in by_province.items():
                    self.tell(
                        self.people.officers.get(province_id, []),
                        Kind.FILING_MISSING,
                        f"filings-missing:province:{province_id}:{y}-{m:02d}",
                        message(
                            ngettext_lazy(
                                "%(count)s unit of your province has not filed for %(month)s (due %(due)s); it is flagged.",
                                "%(count)s units of your province have not filed for %(month)s (due %(due)s); they are flagged.",
                                "n",
                            ),
                            count=_count(n),
                            n=n,
                            month=month,
                            due=_jdate(due),
                        ),
                        filings,
                    )
                self.suspension(y, m)
        for sub in returned_since(self.today - CATCH_UP):
            self.tell(
                [sub.submitted_by],
                Kind.FILING_RETURNED,
                f"submission:{sub.pk}:returned",
                message(
                    _("Your filing for %(month)s was returned for correction: %(comment)s"),
                    month=_month(sub.jyear, sub.jmonth),
                    comment=sub.comment or "—",
                ),
                f"{own_form}?month={sub.jyear}/{sub.jmonth:02d}",
                sub,
            )

    def suspension(self, y: int, m: int) -> None:
        from revive.filings.selectors import suspension_candidates

        units = suspension_candidates(months=self.rules.suspension_months, through=(y, m))
        by_province = Counter(u["province_id"] for u in units)
        url = reverse("web:suspension_list")
        for province_id, n in by_province.items():
            self.tell(
                self.people.officers.get(province_id, []),
                Kind.FILING_SUSPENSION,
                f"suspension:{province_id}:{y}-{m:02d}",
                message(
                    ngettext_lazy(
                        "%(count)s unit of your province has not filed for %(months)s months or more: the licence-suspension warning list.",
                        "%(count)s units of your province have not filed for %(months)s months or more: the licence-suspension warning list.",
                        "n",
                    ),
                    count=_count(n),
                    n=n,
                    months=_count(self.rules.suspension_months),
                ),
                url,
            )
        if units:
            self.tell(
                self.people.national_staff,
                Kind.FILING_SUSPENSION,
                f"suspension:national:{y}-{m:02d}",
                message(
                    ngettext_lazy(
                        "%(count)s unit has not filed for %(months)s months or more: the licence-suspension warning list.",
                        "%(count)s units have not filed for %(months)s months or more: the licence-suspension warning list.",
                        "n",
                    ),
                    count=_count(len(units)),
                    n=len(units),
                    months=_count(self.rules.suspension_months),
                ),
                url,
            )

    # --- sustained cases, finished jobs -------------------------------------------------------

    def sustained_cases(self) -> None:
        from revive.cases.models import Case, CaseState
        from revive.cases.services import SUSTAIN_AFTER, cases_mark_sustained

        due = list(
            Case.objects.filter(
                state=CaseState.REVIVED, revived_on__lte=self.today - SUSTAIN_AFTER
            ).values_list("pk", flat=True)
        )
        self.sustained = cases_mark_sustained(today=self.today, by=BY)
        if not self.sustained:
            return
        now_sustained = Case.objects.filter(pk__in=due, state=CaseState.SUSTAINED).select_related(
            "unit", "officer"
        )
        by_province: Counter[int] = Counter()
        for case in now_sustained:
            by_province[case.province_id] += 1
            if case.officer_id:
                self.tell(
                    [case.officer],
                    Kind.CASE_SUSTAINED,
                    f"case:{case.pk}:sustained",
                    message(
                        _("%(unit)s is still producing a year after its revival: the case is sustained."),
                        unit=_name(case.unit),
                    ),
                    reverse("web:case", args=[case.pk]),
                    case,
                )
        for province_id, n in by_province.items():
            self.tell(
                self.people.officers.get(province_id, []),
                Kind.CASE_SUSTAINED,
                f"sustained:{province_id}:{self.today.isoformat()}",
                message(
                    ngettext_lazy(
                        "%(count)s revived case of your province is now sustained (producing a year after revival).",
                        "%(count)s revived cases of your province are now sustained (producing a year after revival).",
                        "n",
                    ),
                    count=_count(n),
                    n=n,
                ),
                reverse("web:survival"),
            )

    def finished_jobs(self) -> None:
        from revive.imports.models import ImportJob
        from revive.notices.jobs import tell_import_finished, tell_plan_run_finished
        from revive.planning.models import PlanRun

        since = self.today - timedelta(days=2)
        for run in PlanRun.objects.filter(finished_at__date__gte=since, author__isnull=False).select_related(
            "author"
        ):
            self.counts[Kind.JOB_FINISHED] += tell_plan_run_finished(run)
        for job in ImportJob.objects.filter(finished_at__date__gte=since).select_related("user"):
            self.counts[Kind.JOB_FINISHED] += tell_import_finished(job)

    def run(self, *, force: bool = False) -> Counter[str]:
        working = force or self.cal.is_working(self.today)
        with transaction.atomic():
            if working:
                self.resolutions()
                self.introductions()
            self.filings(chase=working)
            self.sustained_cases()
            self.finished_jobs()
            audit.record(
                actor=BY,
                obj=None,
                object_type="notices.deadlinepass",
                object_id=self.today.isoformat(),
                action="deadline_pass",
                after={
                    "working_day": working,
                    "notices": dict(self.counts),
                    "referred": self.referred,
                    "sustained": self.sustained,
                },
            )
        return self.counts


def run(*, today: date | None = None, force: bool = False) -> Pass:
    p = Pass(today=today or calendar.tehran_today())
    p.run(force=force)
    return p
