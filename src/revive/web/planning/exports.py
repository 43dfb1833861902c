"""The planning pages' downloads: plans, a finished plan's tables (units, comparisons, sweep, provinces, schedule),
the ranked projects and the saved scenarios."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revive.core import calendar, rules
from revive.core.text import to_persian_digits
from revive.web.exports import date_cells, name_in

BASELINE_NAMES = {
    "greedy": gettext_lazy("value for money first"),
    "most_jobs_first": gettext_lazy("most jobs first"),
    "oldest_first": gettext_lazy("oldest case first"),
}


def runs_table(runs):
    lang = rules.language()
    header = [_("Plan"), _("Province code"), _("Province"), _("Scenario"), _("Status"), _("Units"), _("Jobs"),
              _("Author"), _("Started on (Iranian)"), _("Started on (Gregorian)")]  # fmt: skip
    rows = (
        [r.pk, r.province.code if r.province else "", name_in(r.province, lang), r.scenario.name if r.scenario else "",
         r.get_status_display(), (r.result or {}).get("units", ""), (r.result or {}).get("jobs", ""),
         r.author.username if r.author else "", *date_cells(r.created_at)]
        for r in runs.iterator(chunk_size=500)
    )  # fmt: skip
    return header, rows


EXPORT_HEADER = [
    gettext_lazy("Business ID"),
    gettext_lazy("Unit"),
    gettext_lazy("Province code"),
    gettext_lazy("Park"),
    gettext_lazy("Loan (rials)"),
    gettext_lazy("Bank"),
    gettext_lazy("Projects"),
    gettext_lazy("Share of projects (rials)"),
    gettext_lazy("Cost (rials)"),
    gettext_lazy("Value"),
    gettext_lazy("Jobs"),
]


def unit_rows(result: dict):
    """The plan unit by unit, the run page's default download."""
    lang = rules.language()
    banks = result.get("banks", {})
    header = [str(h) for h in EXPORT_HEADER]
    rows = (
        [
            r["business_id"],
            r["name_fa"] if lang == "fa" or not r["name_en"] else r["name_en"],
            r["province"],
            r["park_fa"] if lang == "fa" else r["park_en"],
            r["loan"],
            (banks.get(r["bank"], [r["bank"], r["bank"]])[0 if lang == "fa" else 1]) if r["bank"] else "",
            "; ".join(p["id"] for p in r["projects"]),
            r["project_share"],
            r["cost"],
            r["value"],
            r["jobs"],
        ]
        for r in result.get("rows", [])
    )
    return header, rows


def run_tables(result: dict) -> dict:
    """Every table of a finished run's page: the units first (the default), then the comparisons."""
    lang = rules.language()
    baselines = result.get("baselines", {})
    compared = [(_("This plan"), result.get("objective")),
             *((BASELINE_NAMES[k], baselines.get(k)) for k in BASELINE_NAMES),
             (_("Best possible (proven bound)"), result.get("bound"))]  # fmt: skip
    sweep = ([_("Money available (rials)"), _("Spent (rials)"), _("Units"), _("Value"),
              _("Value per extra billion rials"), _("Today's budget")],
             ([p["money"], p["spent"]["loans"] + p["spent"]["infra"], p["units"], p["value"], p.get("per_billion"),
               _("yes") if p.get("factor") == 1.0 else _("no")] for p in result.get("sweep", [])))  # fmt: skip
    provinces = ([_("Province code"), _("Province"), _("Units"), _("Jobs"), _("Loans (rials)"),
                  _("Infrastructure (rials)")],
                 ([p["province"], p["name_fa"] if lang == "fa" else p["name_en"], p["units"], p["jobs"], p["loans"],
                   p["infra"]] for p in result.get("by_province", [])))  # fmt: skip
    tables = {
        "units": unit_rows(result),
        "baselines": ([_("Rule"), _("Value")], ([str(name), value] for name, value in compared)),
        "sweep": sweep,
        "province": provinces,
    }
    if result.get("schedule"):
        tables.update(schedule_tables(result["schedule"]))
    return tables


def month_label(year: int, month: int) -> str:
    lang = rules.language()
    text = f"{calendar.month_name(month, lang)} {year}"
    return to_persian_digits(text) if lang == "fa" else text


def schedule_tables(sched: dict) -> dict:
    """The year plan's downloads: month by month, and unit by unit with its month and bank."""
    months = ([_("Month"), _("Units revived"), _("Jobs restored"), _("Units revived so far"),
               _("Jobs restored so far"), _("Loan money released (rials)"), _("Infrastructure money released (rials)"),
               _("Loans paid (rials)"), _("Projects started (rials)"), _("Projects started")],
              ([month_label(r["jyear"], r["jmonth"]), r["units"], r["jobs"],
                sched.get("revived_before", 0) + r["cum_units"], sched.get("jobs_before", 0) + r["cum_jobs"],
                r["loan_released"], r["infra_released"], r["loan_spent"], r["infra_spent"], r["projects_started"]]
               for r in sched["rows"]))  # fmt: skip
    first, year = sched["first_month"], sched["rows"][0]["jyear"] if sched["rows"] else ""
    units = ([_("Business ID"), _("Month"), _("Bank")],
             ([u["unit_id"], month_label(year, first + u["month"] - 1), u["bank"] or ""] for u in sched["units"]))  # fmt: skip
    projects = ([_("Project"), _("Start month")],
                ([p["project_id"], month_label(year, first + p["start_month"] - 1)] for p in sched["projects"]))  # fmt: skip
    return {"schedule": months, "schedule_units": units, "schedule_projects": projects}


def scenario_table(scenarios):
    """Saved scenarios with one column per kind of change, so a spreadsheet can sort and filter them."""
    lang = rules.language()
    header = [_("Scenario"), _("Name"), _("Province code"), _("Province"), _("Bank credit multiplier"),
              _("Infrastructure budget multiplier"), _("Loans capped at (rials)"), _("Infrastructure budget (rials)"),
              _("Projects delayed (project: months)"), _("Quotas dropped (bank: province)"), _("Note"), _("Author"),
              _("Saved on (Iranian)"), _("Saved on (Gregorian)"), _("Plans run")]  # fmt: skip

    def row(s) -> list:
        c = s.changes or {}
        return [
            s.pk, s.name, s.province.code if s.province else "", name_in(s.province, lang),
            c.get("loan_multiplier", ""), c.get("infra_multiplier", ""), c.get("loan_total", ""), c.get("infra_total", ""),
            "; ".join(f"{p}: {m}" for p, m in (c.get("delays") or {}).items()),
            "; ".join(f"{d[0]}: {d[1]}" if d[1] else str(d[0]) for d in c.get("drop_quotas") or []),
            s.note, s.author.username if s.author else "", *date_cells(s.created_at),
            "; ".join(str(r.pk) for r in s.runs.all()),
        ]  # fmt: skip

    return header, (row(s) for s in scenarios.prefetch_related("runs"))


def projects_table(items):
    """The ranked infrastructure projects, every one of the filter, in rank order."""
    lang = rules.language()
    header = [
        _("Rank"), _("Project"), _("Name"), _("Province code"), _("Park"), _("Utility"), _("Status"),
        _("Cost (rials)"), _("Duration (months)"), _("Progress (%)"), _("Units unblocked"), _("Jobs"),
        _("Units per billion rials"), _("Jobs per billion rials"),
    ]  # fmt: skip
    rows = (
        [
            i,
            p.pk,
            p.name(lang),
            p.province.code,
            p.park.name(lang),
            p.get_utility_display(),
            p.get_status_display(),
            p.cost,
            p.duration_months,
            p.progress,
            p.units,
            p.jobs,
            round(p.units_per_billion, 4),
            round(p.jobs_per_billion, 3),
        ]  # fmt: skip
        for i, p in enumerate(items, 1)
    )
    return header, rows
