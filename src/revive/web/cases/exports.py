"""The case pages' downloads: each table as its page shows it, column by column (CSV and Excel)."""

from django.utils.translation import gettext as _

from revive.cases import event_text, selectors
from revive.cases.models import Case
from revive.core import calendar, rules
from revive.web.exports import date_cells, name_in
from revive.web.templatetags.revive import case_state, event_label


def obstacle_table(case: Case):
    lang = rules.language()
    header = [_("Obstacle"), _("Organisation code"), _("Organisation"), _("Estimated amount (rials)"),
              _("Infrastructure"), _("Infrastructure status"), _("Status"), _("Note")]  # fmt: skip
    rows = (
        [
            o.get_kind_display(),
            o.organisation.code if o.organisation else "",
            name_in(o.organisation, lang),
            o.amount if o.amount is not None else "",
            o.infrastructure.get_utility_display() if o.infrastructure else "",
            o.infrastructure.get_status_display() if o.infrastructure else "",
            o.get_status_display(),
            o.note,
        ]
        for o in case.obstacles.select_related("organisation", "infrastructure")
    )
    return header, rows


def timeline_table(case: Case):
    header = [_("Date (Iranian)"), _("Date (Gregorian)"), _("Who"), _("Event"), _("From state"), _("To state"),
              _("Note")]  # fmt: skip
    pairs, lang = event_text.label_pairs(), rules.language()
    rows = (
        [
            *date_cells(e.on),
            e.actor_label,
            str(event_label(e.kind)),
            str(case_state(e.from_state)) if e.from_state else "",
            str(case_state(e.to_state)) if e.to_state else "",
            event_text.in_language(e.text, e.kind, lang, pairs),
        ]
        for e in selectors.timeline(case=case)
    )
    return header, rows


def resolution_table(resolutions, days_overdue: dict[int, int] | None = None):
    """The resolutions as the lists show them; the overdue board puts the days overdue first."""
    lang = rules.language()
    header = [_("Resolution"), _("Province code"), _("Province"), _("Addressee"), _("Business ID"), _("Unit"), _("Text"),
              _("Deadline (Iranian)"), _("Deadline (Gregorian)"), _("Status"), _("Closed on (Iranian)"),
              _("Closed on (Gregorian)"), _("Escalated")]  # fmt: skip
    if days_overdue is not None:
        header.insert(0, _("Days overdue"))
    rows = (
        [
            *([days_overdue[r.pk]] if days_overdue is not None else []),
            r.pk,
            r.province.code,
            name_in(r.province, lang),
            name_in(r.organisation, lang),
            r.case.unit.business_id if r.case else "",
            r.case.unit.name(lang) if r.case else "",
            r.text,
            *date_cells(r.deadline),
            r.get_status_display(),
            *date_cells(r.closed_on),
            _("yes") if r.escalated else _("no"),
        ]  # fmt: skip
        for r in resolutions
    )
    return header, rows


def execution_tables(data: dict) -> dict:
    lang = rules.language()
    counts = [_("Resolutions"), _("Done"), _("Not done"), _("Overdue"), _("Execution rate")]

    def figures(r: dict) -> list:
        return [r["total"], r["done"], r["not_done"], r["overdue"], r["execution_rate"]]

    return {
        "organisation": (
            [_("Organisation"), _("Province code"), *counts],
            ([name_in(r["organisation"], lang), r["organisation"].province.code if r["organisation"].province_id
              else "", *figures(r)] for r in data["by_organisation"]),
        ),
        "province": (
            [_("Province code"), _("Province"), *counts],
            ([r["province"].code, r["province"].name(lang), *figures(r)] for r in data["by_province"]),
        ),
    }  # fmt: skip


def cases_table(cases):
    """The case list, every case of the filter (the page shows 50 at a time)."""
    lang = rules.language()
    header = [
        _("Case"),
        _("Business ID"),
        _("Unit"),
        _("Province code"),
        _("Province"),
        _("State"),
        _("Opened on (Iranian)"),
        _("Opened on (Gregorian)"),
        _("Officer"),
    ]
    rows = (
        [
            c.pk,
            c.unit.business_id,
            c.unit.name(lang),
            c.province.code,
            name_in(c.province, lang),
            c.get_state_display(),
            calendar.format_jalali(c.opened_on, lang="en"),
            c.opened_on.isoformat(),
            c.officer.username if c.officer else "",
        ]
        for c in cases.iterator(chunk_size=2000)
    )
    return header, rows


def workload_table(workload):
    """The busiest officers, as the case list shows them."""
    return [_("Officer"), _("Open cases")], ([w["officer"], w["open_cases"]] for w in workload)


def meetings_table(meetings):
    lang = rules.language()
    header = [_("Meeting"), _("Province code"), _("Province"), _("Number"), _("Held on (Iranian)"),
              _("Held on (Gregorian)")]  # fmt: skip
    rows = (
        [m.pk, m.province.code, m.province.name(lang), m.number, *date_cells(m.held_on)] for m in meetings
    )
    return header, rows


def survival_tables(data: dict) -> dict:
    lang = rules.language()
    shares = [_("Revived"), _("Still producing after 6 months"), _("Still producing after 12 months")]
    return {
        "year": ([_("Iranian year"), *shares], ([r["year"], r["revived"], r["share_6"], r["share_12"]]
                                                for r in data["by_year"])),
        "province": ([_("Province code"), _("Province"), *shares],
                     ([r["province"].code, r["province"].name(lang), r["revived"], r["share_6"], r["share_12"]]
                      for r in data["by_province"])),
    }  # fmt: skip
