"""The deadline pass on fixed dates over the small world: the right people, once; escalation after the
delay in working days (Fridays and holidays skipped); referral to the national level; filings; sustained
cases."""

from datetime import date

import pytest
from django.core.management import call_command

from revive.cases.models import Case, CaseState, Meeting, Resolution
from revive.core import calendar
from revive.core.models import AuditEvent
from revive.filings.models import MonthlyFiling
from revive.notices import deadlines
from revive.notices.models import Holiday, Kind, Notice
from revive.notices.workdays import Calendar
from revive.registry.models import Organisation, ProductionUnit

pytestmark = pytest.mark.django_db

# Deadline on Wednesday 4 Azar 1405; Friday 27 November is the weekend.
DEADLINE = date(2026, 11, 25)


@pytest.fixture
def people(
    world, gas_semnan, gas_tehran, officer_semnan, officer_tehran, national_admin, park_manager, unit_owner
):
    return {
        "gas": gas_semnan,
        "gas_tehran": gas_tehran,
        "officer": officer_semnan,
        "officer_tehran": officer_tehran,
        "admin": national_admin,
        "manager": park_manager,
        "owner": unit_owner,
    }


@pytest.fixture
def resolution(world, people):
    province = world["provinces"]["IR-20"]
    meeting = Meeting.objects.create(province=province, number=1, held_on=date(2026, 11, 1))
    return Resolution.objects.create(
        meeting=meeting,
        province=province,
        organisation=Organisation.objects.get(code="gas-20"),
        text="Connect the foundry to the gas network",
        deadline=DEADLINE,
    )


def _run(day: date):
    return deadlines.run(today=day)


def _kinds(user) -> list[tuple[str, str]]:
    return sorted(Notice.objects.filter(recipient=user).values_list("kind", "event"))


def _filed_everything(world):
    """Every unit filed every month of 1405 up to Azar, so only the resolution is chased."""
    for unit in world["units"].values():
        for month in range(1, 10):
            MonthlyFiling.objects.create(
                unit=unit,
                province=unit.province,
                jyear=1405,
                jmonth=month,
                period_start=calendar.from_jalali(1405, month, 1),
                production_value=1,
                capacity_utilisation=60,
                employees=5,
                filed_on=calendar.filing_due_date(1405, month),
                due_on=calendar.filing_due_date(1405, month),
            )


def test_resolution_reminders_go_to_the_addressee_once_then_escalate_after_working_days(
    world, people, resolution
):
    _filed_everything(world)
    Holiday.objects.create(day=date(2026, 11, 29), name_fa="تعطیل آزمون", name_en="Test holiday")
    gas = people["gas"]

    assert sum(_run(date(2026, 11, 21)).counts.values()) == 0  # Saturday: 3 working days before is Sunday
    assert _run(date(2026, 11, 22)).counts[Kind.RESOLUTION_DUE] == 1
    assert _kinds(gas) == [(Kind.RESOLUTION_DUE, f"resolution:{resolution.pk}:soon")]
    assert sum(_run(date(2026, 11, 22)).counts.values()) == 0  # the same day again: nothing new
    assert sum(_run(date(2026, 11, 23)).counts.values()) == 0  # still "soon": told already

    _run(DEADLINE)
    _run(date(2026, 11, 26))
    assert sorted(e for _k, e in _kinds(gas)) == sorted(
        f"resolution:{resolution.pk}:{s}" for s in ("soon", "today", "overdue")
    )
    # Friday: not a working day, nothing is chased
    assert sum(_run(date(2026, 11, 27)).counts.values()) == 0
    # Nobody else hears of it: the other province's liaison and officer, the park manager
    for other in ("gas_tehran", "officer_tehran", "manager", "officer", "admin"):
        assert not Notice.objects.filter(recipient=people[other], kind__startswith="resolution").exists()

    # 5 working days after the deadline: Thu 26, Sat 28, (Sun 29 holiday), Mon 30, Tue 1, Wed 2
    assert _run(date(2026, 12, 1)).counts[Kind.RESOLUTION_ESCALATED] == 0
    assert _run(date(2026, 12, 2)).counts[Kind.RESOLUTION_ESCALATED] == 1
    assert _kinds(people["officer"]) == [(Kind.RESOLUTION_ESCALATED, f"resolution:{resolution.pk}:escalated")]
    assert not Notice.objects.filter(recipient=people["officer_tehran"]).exists()
    assert _run(date(2026, 12, 2)).counts[Kind.RESOLUTION_ESCALATED] == 0

    # 15 working days: ... Thu 3, Sat 5 ... Thu 10, Sat 12, Sun 13, Mon 14 -> referred, audited
    cal = Calendar(rules=deadlines.DeadlineRules.current(), start=DEADLINE, end=date(2026, 12, 31))
    assert cal.add(DEADLINE, 15) == date(2026, 12, 14)
    _run(date(2026, 12, 13))
    resolution.refresh_from_db()
    assert not resolution.escalated
    p = _run(date(2026, 12, 14))
    resolution.refresh_from_db()
    assert resolution.escalated and p.referred == 1
    assert AuditEvent.objects.filter(action="resolution_escalate", object_id=str(resolution.pk)).count() == 1
    assert Notice.objects.filter(recipient=people["admin"], kind=Kind.RESOLUTION_REFERRED).count() == 1
    assert Notice.objects.filter(recipient=people["officer"], kind=Kind.RESOLUTION_REFERRED).count() == 1
    assert _run(date(2026, 12, 14)).referred == 0  # once


def test_the_addressee_is_named_in_each_notice_language(world, people, resolution):
    """A bank or agency is named in the notice's own language (the English text had the Persian name)."""
    _filed_everything(world)
    _run(date(2026, 11, 22))
    notice = Notice.objects.get(recipient=people["gas"], kind=Kind.RESOLUTION_DUE)
    org = resolution.organisation
    assert org.name_en in notice.text_en and org.name_fa not in notice.text_en
    assert org.name_fa in notice.text_fa and org.name_en not in notice.text_fa


def test_an_answered_resolution_is_not_chased(world, people, resolution):
    _filed_everything(world)
    Resolution.objects.filter(pk=resolution.pk).update(status=Resolution.Status.DONE)
    assert sum(_run(date(2026, 12, 20)).counts.values()) == 0


def test_thursday_off_is_a_setting(world, people, resolution):
    rules = deadlines.DeadlineRules.current()
    cal = Calendar(rules=rules, start=DEADLINE, end=DEADLINE)
    assert cal.is_working(date(2026, 11, 26))
    rules.thursday_off = True
    rules.save()
    assert not Calendar(rules=rules, start=DEADLINE, end=DEADLINE).is_working(date(2026, 11, 26))


def test_fixed_holidays_are_preloaded():
    # 1 Farvardin 1405 and 22 Bahman 1404 are in the table the migration fills
    assert Holiday.objects.filter(day=date(2026, 3, 21)).exists()
    assert Holiday.objects.filter(day=date(2026, 2, 11)).exists()
    assert Holiday.objects.count() == 30


def test_filings_remind_the_owner_then_flag_to_park_manager_and_officer(world, people):
    owner, manager, officer = people["owner"], people["manager"], people["officer"]
    # 3 Azar: Aban's filing is due by 10 Azar (1 December)
    assert _run(date(2026, 11, 24)).counts[Kind.FILING_REMINDER] == 1
    assert _kinds(owner) == [(Kind.FILING_REMINDER, f"filing:{owner.unit_id}:1405-08:reminder")]
    assert not Notice.objects.filter(recipient__in=[manager, officer]).exists()
    # 11 Azar: missing -> the owner, the park's manager, each province's officer (one notice each)
    p = _run(date(2026, 12, 2))
    assert p.counts[Kind.FILING_MISSING] == 4  # owner, P-20-001's manager, Semnan's and Tehran's officers
    assert Notice.objects.filter(recipient=people["officer_tehran"], kind=Kind.FILING_MISSING).count() == 1
    assert Notice.objects.get(recipient=manager).kind == Kind.FILING_MISSING
    text = Notice.objects.get(recipient=officer, kind=Kind.FILING_MISSING).text_en
    assert text.startswith("2 units of your province")  # both Semnan units
    assert sum(_run(date(2026, 12, 3)).counts.values()) == 0


def test_six_months_without_filing_makes_the_suspension_list(world, people, national_admin, login):
    from revive.filings.selectors import suspension_candidates

    semnan = world["units"]["200000000011"]
    rows = suspension_candidates(months=6, through=(1405, 8))
    assert {r["business_id"] for r in rows} == set(world["units"])  # no unit of the world ever filed
    MonthlyFiling.objects.create(
        unit=semnan,
        province=semnan.province,
        jyear=1405,
        jmonth=5,
        period_start=date(2026, 7, 23),
        production_value=1,
        capacity_utilisation=60,
        employees=5,
        filed_on=date(2026, 8, 25),
        due_on=date(2026, 8, 31),
    )
    rows = suspension_candidates(months=6, through=(1405, 8))
    assert semnan.business_id not in {r["business_id"] for r in rows}
    _run(date(2026, 12, 2))
    assert Notice.objects.filter(recipient=people["officer"], kind=Kind.FILING_SUSPENSION).count() == 1
    page = login(people["officer"]).get("/filings/suspension/")
    assert page.status_code == 200
    assert "200000000022" in page.content.decode() and "230000000011" not in page.content.decode()


def test_revived_cases_a_year_on_are_marked_sustained(world, people):
    _filed_everything(world)
    unit = world["units"]["100000000011"]  # revived 2025-02-01, producing since
    case = Case.objects.create(
        unit=unit,
        province=unit.province,
        park=unit.park,
        state=CaseState.REVIVED,
        origin=Case.Origin.OFFICER,
        opened_on=date(2024, 7, 1),
        band_at_opening="idle",
        revived_on=date(2025, 2, 1),
        officer=people["officer"],
    )
    p = _run(date(2026, 11, 24))
    case.refresh_from_db()
    assert case.state == CaseState.SUSTAINED and p.sustained == 1
    assert Notice.objects.filter(recipient=people["officer"], kind=Kind.CASE_SUSTAINED).count() == 1
    assert _run(date(2026, 11, 24)).sustained == 0


def test_the_command_takes_an_iranian_date_and_prints_counts(world, people, resolution, capsys):
    ProductionUnit.objects.update()  # nothing: the world as it is
    call_command("deadlines", today="۱۴۰۵/۰۹/۰۴")  # 4 Azar 1405 = the deadline
    out = capsys.readouterr().out
    assert "2026-11-25" in out and "resolution_due" in out
    call_command("deadlines", today="2026-11-25")
    assert "0  notices in all" in capsys.readouterr().out


def test_every_filing_notice_opens_a_page_its_recipient_can_open(world, people, client):
    """The owner's reminder, missing and returned notices linked the staff's filings page (/filings/), 404
    for an owner: "Open the page" (and the link in the SMS or e-mail) led nowhere. They now open the owner's
    own filing form at the month; the park manager's and the officers' notices keep the filings page."""
    from revive.filings.services import submission_create, submission_review

    owner = people["owner"]
    submission = submission_create(unit=owner.unit, by=owner, jyear=1405, jmonth=7, production_value=10**9,
                                   capacity_utilisation=40, employees=20)  # fmt: skip
    submission_review(submission=submission, by=people["officer"], approve=False, comment="برق نمی‌خواند")
    _run(date(2026, 11, 24))  # Aban's reminder; Mehr's returned filing
    _run(date(2026, 12, 2))  # Aban missing: the owner, the park's manager, the officers
    kinds = set(Notice.objects.filter(recipient=owner).values_list("kind", flat=True))
    assert kinds == {Kind.FILING_REMINDER, Kind.FILING_MISSING, Kind.FILING_RETURNED}
    notices = list(Notice.objects.exclude(url="").select_related("recipient"))
    assert {n.recipient for n in notices} >= {owner, people["manager"], people["officer"]}
    for notice in notices:
        client.force_login(notice.recipient)
        response = client.get(notice.url)
        assert response.status_code == 200, (notice.recipient.username, notice.kind, notice.url)
    assert Notice.objects.get(recipient=owner, kind=Kind.FILING_RETURNED).url == "/filings/new/?month=1405/07"


def test_a_filing_waiting_for_review_is_not_told_missing(world, people):
    """Aban 1405's filing sent by the owner on 8 Azar and not yet reviewed on 11 Azar (2 December 2026,
    the day after the due day): the pass told the owner 'missing: the unit is flagged' and counted the unit
    in the park manager's and the officer's missing lists, while the filings page (missing filers) and the
    owner's own page count a filing waiting for review as sent."""
    from revive.filings.services import submission_create

    owner, manager, officer = people["owner"], people["manager"], people["officer"]
    submission_create(unit=owner.unit, by=owner, jyear=1405, jmonth=8, production_value=10**9,
                      capacity_utilisation=40, employees=20)  # fmt: skip
    _run(date(2026, 11, 24))  # 3 Azar: already sent, nothing to remind
    _run(date(2026, 12, 2))
    assert not Notice.objects.filter(
        recipient=owner, kind__in=[Kind.FILING_REMINDER, Kind.FILING_MISSING]
    ).exists()
    assert not Notice.objects.filter(recipient=manager, kind=Kind.FILING_MISSING).exists()  # its only unit
    text = Notice.objects.get(recipient=officer, kind=Kind.FILING_MISSING).text_en
    assert text.startswith("1 unit of your province has not filed")  # the other Semnan unit only


def test_introductions_waiting_past_the_catch_up_window_are_summed_up_not_dropped(
    world, people, bank_melli, client
):
    """An introduction to Melli on 1 July 2026 (10 Tir 1405) with no decision: its reminder (10 working
    days) and escalation (20) came due more than 30 days before the pass of 2 December 2026, so neither was
    ever told: a first pass over imported loans, or a worker off for a month, left the bank and the
    province without a word about it, month after month. Like overdue resolutions, they are now summed up
    once a month: to the bank's officers and to the province's officers; a recent one is still told alone."""
    from revive.finance.tests.factories import introduced

    _filed_everything(world)
    officer = people["officer"]
    old = introduced(world, officer, to="melli", on=date(2026, 7, 1))
    recent = introduced(world, officer, to="melli", on=date(2026, 11, 10), business_id="200000000022")
    assert old.introduced_on == date(2026, 7, 1)
    _run(date(2026, 12, 2))
    bank = Notice.objects.filter(recipient=bank_melli, kind=Kind.INTRODUCTION_WAITING)
    assert sorted(n.event for n in bank) == sorted(
        [f"loan:{recent.pk}:waiting", f"loan-backlog:bank:{bank_melli.organisation_id}:1405-09"]
    )
    summary = bank.get(event__startswith="loan-backlog").text_en
    assert summary.startswith("1 introduction to") and "10 Tir 1405" in summary
    assert bank.get(event__startswith="loan-backlog").text_fa.startswith("۱ معرفی به")
    assert "۱۰ تیر ۱۴۰۵" in bank.get(event__startswith="loan-backlog").text_fa
    escalated = Notice.objects.get(recipient=officer, kind=Kind.INTRODUCTION_ESCALATED)
    assert escalated.event == f"loan-backlog:province:{old.province_id}:1405-09"
    for notice in Notice.objects.filter(event__startswith="loan-backlog").select_related("recipient"):
        client.force_login(notice.recipient)
        assert client.get(notice.url).status_code == 200, notice.url
    _run(date(2026, 12, 3))  # once a month (the recent one's escalation comes due that day)
    assert Notice.objects.filter(event__startswith="loan-backlog").count() == 2
    _run(date(2026, 12, 22))  # 1 Dey: the next month's
    assert Notice.objects.filter(event__startswith="loan-backlog", event__endswith="1405-10").count() == 2


def test_counted_notices_say_one_unit_and_three_units():
    """English notices said '1 units ...' and '1 overdue resolutions ...': their texts are plural forms now,
    chosen by the count (Persian, whose noun after a number does not change, reads the same either way)."""
    from django.utils.translation import ngettext_lazy

    from revive.notices.deadlines import _count
    from revive.notices.services import message

    text = ngettext_lazy(
        "%(count)s unit has not filed for %(months)s months or more: the licence-suspension warning list.",
        "%(count)s units have not filed for %(months)s months or more: the licence-suspension warning list.",
        "n",
    )
    one = message(text, n=1, count=_count(1), months=_count(6))
    three = message(text, n=3, count=_count(3), months=_count(6))
    assert one.render("en").startswith("1 unit has not filed for 6 months")
    assert three.render("en").startswith("3 units have not filed for 6 months")
    assert three.render("fa").startswith("۳ واحد") and "6" not in three.render("fa")
