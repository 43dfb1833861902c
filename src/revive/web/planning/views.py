"""Planning pages: start a plan and watch it run, read the result, the ranked project list, scenarios."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from revive.accounts.roles import Perm, has_perm
from revive.core import calendar, rules
from revive.core.errors import DomainError
from revive.core.rules import language as _lang  # the one rule for the page's language
from revive.core.scoping import ScopeKind, scope_for
from revive.core.text import to_persian_digits
from revive.planning import selectors, services
from revive.planning.models import InfraProject, PlanRun
from revive.registry import selectors as registry_selectors
from revive.registry.models import Utility
from revive.web import charts
from revive.web.exports import date_cells, export_format, name_in, table_response, tables_response
from revive.web.forms import add_domain_error
from revive.web.planning.forms import PlanForm, ProjectStatusForm, ScenarioForm
from revive.web.templatetags.revive import decimal_text, num

BASELINE_NAMES = {
    "greedy": gettext_lazy("value for money first"),
    "most_jobs_first": gettext_lazy("most jobs first"),
    "oldest_first": gettext_lazy("oldest case first"),
}


def _scope(request: HttpRequest):
    """Planners only (national and provincial); everyone else gets 404, like a missing page."""
    if not has_perm(request.user, Perm.PLAN):
        raise Http404
    scope = scope_for(request.user)
    if scope.kind not in (ScopeKind.NATION, ScopeKind.PROVINCE):
        raise Http404
    return scope


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if request.method == "GET" and export_format(request):
        return tables_response(request=request, filename="revive-plans", tables={"plans": _runs_table(scope)})
    national = scope.is_nation
    form = PlanForm(
        request.POST or None,
        provinces=registry_selectors.provinces(scope=scope),
        scenarios=selectors.scenarios(scope=scope),
        national=national,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.plan_run_start(
                scope=scope,
                by=request.user,
                year=d["year"],
                objective=d["objective"],
                province=d.get("province") or (d["scenario"].province if d.get("scenario") else None),
                scenario=d.get("scenario"),
                time_limit=d["time_limit"],
                budgets={"loan_total": d.get("loan_budget"), "infra_total": d.get("infra_budget")},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("web:plan_run", pk=run.pk)
    runs = selectors.runs(scope=scope)[:30]
    return render(
        request,
        "web/planning/plans.html",
        {"form": form, "runs": runs},
        status=400 if request.method == "POST" else 200,
    )


def _runs_table(scope):
    lang = _lang()
    header = [_("Plan"), _("Province code"), _("Province"), _("Scenario"), _("Status"), _("Units"), _("Jobs"),
              _("Author"), _("Started on (Iranian)"), _("Started on (Gregorian)")]  # fmt: skip
    rows = (
        [r.pk, r.province.code if r.province else "", name_in(r.province, lang), r.scenario.name if r.scenario else "",
         r.get_status_display(), (r.result or {}).get("units", ""), (r.result or {}).get("jobs", ""),
         r.author.username if r.author else "", *date_cells(r.created_at)]
        for r in selectors.runs(scope=scope).iterator(chunk_size=500)
    )  # fmt: skip
    return header, rows


def _summary(result: dict) -> dict:
    best = result.get("best_rule", "")
    return {"best_rule_name": BASELINE_NAMES.get(best, best)}


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


def _unit_rows(result: dict):
    """The plan unit by unit, the run page's default download."""
    lang = _lang()
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


def _run_tables(result: dict) -> dict:
    """Every table of a finished run's page: the units first (the default), then the comparisons."""
    lang = _lang()
    baselines = result.get("baselines", {})
    rules = [(_("This plan"), result.get("objective")),
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
        "units": _unit_rows(result),
        "baselines": ([_("Rule"), _("Value")], ([str(name), value] for name, value in rules)),
        "sweep": sweep,
        "province": provinces,
    }
    if result.get("schedule"):
        tables.update(_schedule_tables(result["schedule"]))
    return tables


def _month_label(year: int, month: int) -> str:
    lang = _lang()
    text = f"{calendar.month_name(month, lang)} {year}"
    return to_persian_digits(text) if lang == "fa" else text


def _schedule_tables(sched: dict) -> dict:
    """The year plan's downloads: month by month, and unit by unit with its month and bank."""
    months = ([_("Month"), _("Units revived"), _("Jobs restored"), _("Units revived so far"),
               _("Jobs restored so far"), _("Loan money released (rials)"), _("Infrastructure money released (rials)"),
               _("Loans paid (rials)"), _("Projects started (rials)"), _("Projects started")],
              ([_month_label(r["jyear"], r["jmonth"]), r["units"], r["jobs"],
                sched.get("revived_before", 0) + r["cum_units"], sched.get("jobs_before", 0) + r["cum_jobs"],
                r["loan_released"], r["infra_released"], r["loan_spent"], r["infra_spent"], r["projects_started"]]
               for r in sched["rows"]))  # fmt: skip
    first, year = sched["first_month"], sched["rows"][0]["jyear"] if sched["rows"] else ""
    units = ([_("Business ID"), _("Month"), _("Bank")],
             ([u["unit_id"], _month_label(year, first + u["month"] - 1), u["bank"] or ""] for u in sched["units"]))  # fmt: skip
    projects = ([_("Project"), _("Start month")],
                ([p["project_id"], _month_label(year, first + p["start_month"] - 1)] for p in sched["projects"]))  # fmt: skip
    return {"schedule": months, "schedule_units": units, "schedule_projects": projects}


def _schedule_context(sched: dict) -> dict:
    """The schedule's rows with month names, and its two charts."""
    rtl = _lang() == "fa"
    before, target = sched.get("revived_before", 0), sched.get("target_units")
    rows = [
        {**r, "label": _month_label(r["jyear"], r["jmonth"]), "so_far": before + r["cum_units"],
         "jobs_so_far": sched.get("jobs_before", 0) + r["cum_jobs"]}
        for r in sched["rows"]
    ]  # fmt: skip
    labels = [calendar.month_name(r["jmonth"], _lang()) for r in rows]
    more = ()
    if target is not None:
        more = (charts.Series(_("The year's target"), [target] * len(rows), "series-b"),)
    cumulative = charts.line_chart(
        categories=labels,
        values=[r["so_far"] for r in rows],
        title=_("Units revived this year, month by month, against the year's target"),
        value_label=lambda v: num(round(v)),
        rtl=rtl,
        more=more,
    )
    money = charts.bar_chart(
        categories=labels,
        series=[
            charts.Series(
                _("money released"),
                [(r["loan_released"] + r["infra_released"]) / 1e9 for r in rows],
                "series-b",
            ),
            charts.Series(
                _("money spent"), [(r["loan_spent"] + r["infra_spent"]) / 1e9 for r in rows], "series-a"
            ),
        ],
        title=_("Money released and spent each month (billion rials)"),
        value_label=lambda v: num(round(v)),
        rtl=rtl,
    )
    return {"schedule_rows": rows, "schedule_chart": cumulative, "money_chart": money, "schedule": sched}


STEPS = {
    "building the instance": gettext_lazy("building the list of candidate units"),
    "budget sweep": gettext_lazy("budget sweep"),
    "schedule by month": gettext_lazy("making the schedule month by month"),
}


def step_text(step: str) -> str:
    """The progress line of a running plan in the reader's language (the worker writes it in English)."""
    import re

    if step in STEPS:
        return str(STEPS[step])
    m = re.fullmatch(r"solving: (\d+) units, (\d+) projects", step)
    if m:
        return _("solving: %(units)s units, %(projects)s projects") % {
            "units": num(int(m[1])),
            "projects": num(int(m[2])),
        }
    m = re.fullmatch(r"budget sweep (\d+)/(\d+)", step)
    if m:
        return _("budget sweep: point %(i)s of %(n)s") % {"i": num(int(m[1])), "n": num(int(m[2]))}
    return ""


def _explain(rows: list[dict], result: dict) -> None:
    """Attach names to the rows shown: the bank and the projects (with how many planned units share each)."""
    lang = _lang()
    banks, projects = result.get("banks", {}), result.get("projects", {})
    provinces = {
        p["province"]: p["name_fa"] if lang == "fa" else p["name_en"] for p in result.get("by_province", [])
    }
    for r in rows:
        r["province_name"] = provinces.get(r["province"], r["province"])
        r["park_name"] = to_persian_digits(r["park_fa"]) if lang == "fa" else r["park_en"]
        r["per_billion"] = decimal_text(r["value"] / (r["cost"] / 1e9), 1) if r["cost"] else None
        names = banks.get(r["bank"]) if r["bank"] else None
        r["bank_name"] = (names[0] if lang == "fa" else names[1]) if names else r["bank"]
        r["project_list"] = [
            {
                **p,
                "name": (
                    projects.get(p["id"], {}).get("name_fa")
                    if lang == "fa"
                    else projects.get(p["id"], {}).get("name_en")
                )
                or p["id"],
                "utility": Utility(projects[p["id"]]["utility"]).label if p["id"] in projects else "",
                "pk": p["id"][1:],
            }
            for p in r["projects"]
        ]


@login_required
def plan_run(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    run = selectors.run_get(scope=scope, pk=pk)
    if export_format(request) and run.status == PlanRun.Status.DONE:
        return tables_response(
            request=request, filename=f"revive-plan-{run.pk}", tables=_run_tables(run.result)
        )
    context = {"run": run, "result": run.result or {}, "step": step_text(run.step)}
    if run.status == PlanRun.Status.DONE:
        context.update(_summary(run.result))
        context["value_chart"], context["marginal_chart"] = charts.plan_sweep(run.result)
        context["sweep"] = [
            {**p, "per_billion_text": decimal_text(p.get("per_billion"))} for p in run.result.get("sweep", [])
        ]
        rows = run.result.get("rows", [])
        context["page"] = page = rules.paginate(request, rows, 100)
        _explain(page.object_list, run.result)
        if run.result.get("schedule"):
            context.update(_schedule_context(run.result["schedule"]))
        context["totals"] = {
            "loan": sum(r["loan"] for r in rows),
            "share": sum(r["project_share"] for r in rows),
            "cost": sum(r["cost"] for r in rows),
            "value": sum(r["value"] for r in rows),
            "jobs": sum(r["jobs"] for r in rows),
        }
    return render(request, "web/planning/run.html", context)


@login_required
@require_POST
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the rest of the year again from today: the same parameters, with what is done or started since
    (revived units, funded and started projects, loans introduced) taken from the database as it is now."""
    scope = _scope(request)
    run = selectors.run_get(scope=scope, pk=pk)
    params = run.parameters or {}
    try:
        new = services.plan_run_start(
            scope=scope,
            by=request.user,
            year=max(params.get("year", 0), calendar.current_jalali_year(calendar.tehran_today())),
            objective=params.get("objective", "jobs"),
            province=run.province,
            scenario=run.scenario,
            time_limit=params.get("time_limit", 10),
            budgets={k: v for k, v in (params.get("budgets") or {}).items()},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:plan_run", pk=run.pk)
    return redirect("web:plan_run", pk=new.pk)


@login_required
def plan_run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls; once the run is finished the page reloads itself."""
    run = selectors.run_get(scope=_scope(request), pk=pk)
    response = render(request, "web/planning/_run_status.html", {"run": run, "step": step_text(run.step)})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    province = None
    code = request.GET.get("province", "")
    if code:
        province = registry_selectors.province_get(scope=scope, code=code)
    status = request.GET.get("status", "open")
    utility = request.GET.get("utility", "")
    if status not in ("open", "", *InfraProject.Status.values) or utility not in ("", *Utility.values):
        raise Http404
    filters = selectors.ProjectFilters(
        province=province, status=status, utility=utility, sort=request.GET.get("sort", "units")
    )
    items = selectors.ranked_projects(scope=scope, filters=filters)
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        lang = _lang()
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
        return table_response(
            fmt=fmt, filename="revive-infra-projects", header=header, rows=rows, rtl=lang == "fa"
        )
    page = rules.paginate(request, items, 50)
    for p in page.object_list:
        p.units_per_billion_text = decimal_text(p.units_per_billion, 3)
        p.jobs_per_billion_text = decimal_text(p.jobs_per_billion, 2)
    return render(
        request,
        "web/planning/projects.html",
        {
            "page": page,
            "count": len(items),
            "province": province,
            "provinces": registry_selectors.provinces(scope=scope) if scope.is_nation else [],
            "filters": filters,
            "statuses": InfraProject.Status.choices,
            "utilities": Utility.choices,
            "totals": items.totals,  # the whole list's, from the ranking (only the page is built)
            "can_manage": has_perm(request.user, Perm.MANAGE_CASES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    project = selectors.project_get(scope=scope, pk=pk)
    can_manage = has_perm(request.user, Perm.MANAGE_CASES)
    form = ProjectStatusForm(
        request.POST or None,
        initial={"status": project.status, "progress": project.progress, "version": project.version},
    )
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.project_update(
                    project=project,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    progress=form.cleaned_data["progress"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The project was updated."))
                return redirect("web:infra_project", pk=project.pk)
    return render(
        request,
        "web/planning/project.html",
        {"project": project, "form": form if can_manage and project.status != "done" else None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if request.method == "GET" and export_format(request):
        return tables_response(
            request=request, filename="revive-scenarios", tables={"scenarios": _scenario_table(scope)}
        )
    form = ScenarioForm(
        request.POST or None, provinces=registry_selectors.provinces(scope=scope), national=scope.is_nation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_save(
                scope=scope,
                name=form.cleaned_data["name"],
                by=request.user,
                changes=form.changes(),
                province=form.cleaned_data.get("province"),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The scenario was saved. Run it to see its plan."))
            return redirect("web:scenarios")
    items = selectors.scenarios(scope=scope).prefetch_related("runs")[:50]
    done = selectors.runs(scope=scope).filter(status=PlanRun.Status.DONE)[:50]
    return render(
        request,
        "web/planning/scenarios.html",
        {
            "form": form,
            "scenarios": items,
            "done_runs": done,
            "year": calendar.current_jalali_year(calendar.tehran_today()),
        },
        status=400 if request.method == "POST" else 200,
    )


def _scenario_table(scope):
    """Saved scenarios with one column per kind of change, so a spreadsheet can sort and filter them."""
    lang = _lang()
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

    return header, (row(s) for s in selectors.scenarios(scope=scope).prefetch_related("runs"))


@login_required
@require_POST
def scenario_run(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    scenario = selectors.scenario_get(scope=scope, pk=pk)
    form = PlanForm(
        request.POST,
        provinces=registry_selectors.provinces(scope=scope),
        scenarios=selectors.scenarios(scope=scope),
        national=scope.is_nation,
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:scenarios")
    try:
        run = services.plan_run_start(
            scope=scope,
            by=request.user,
            year=form.cleaned_data["year"],
            objective=form.cleaned_data["objective"],
            province=scenario.province,
            scenario=scenario,
            time_limit=form.cleaned_data["time_limit"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:scenarios")
    return redirect("web:plan_run", pk=run.pk)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    ids = [request.GET.get("a", ""), request.GET.get("b", "")]
    if not all(i.isdigit() for i in ids):  # nothing chosen yet: the page says how to choose
        return render(request, "web/planning/compare.html", {"data": None})
    a, b = (selectors.run_get(scope=scope, pk=int(i)) for i in ids)
    if not (a.status == b.status == PlanRun.Status.DONE):
        messages.error(request, _("Both plans must be finished to compare them."))
        return redirect("web:scenarios")
    data = selectors.compare(a, b)
    names = {p.code: name_in(p, _lang()) for p in registry_selectors.provinces(scope=scope)}
    for key in ("only_a", "only_b"):
        data[key] = [{**r, "province_name": names.get(r["province"], r["province"])} for r in data[key]]
    return render(request, "web/planning/compare.html", {"data": data})
