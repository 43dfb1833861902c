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
from revive.core.text import to_persian_digits
from revive.planning import selectors, services
from revive.planning.models import InfraProject, PlanRun
from revive.registry import selectors as registry_selectors
from revive.registry.models import Utility
from revive.web import charts
from revive.web.access import page_scope, staff
from revive.web.exports import export_format, name_in, table_response, tables_response
from revive.web.forms import add_domain_error, sent_once
from revive.web.planning.exports import (
    BASELINE_NAMES,
    month_label,
    projects_table,
    run_tables,
    runs_table,
    scenario_table,
)
from revive.web.planning.forms import PlanForm, ProjectStatusForm, ScenarioForm
from revive.web.templatetags.revive import decimal_text, num


@login_required
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.PLAN, allow=staff)
    if request.method == "GET" and export_format(request):
        return tables_response(request=request, filename="revive-plans", tables={"plans": runs_table(selectors.runs(scope=scope))})
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
                province=d.get("province"),  # none: the scenario's (plan_run_start's default)
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


def _summary(result: dict) -> dict:
    best = result.get("best_rule", "")
    return {"best_rule_name": BASELINE_NAMES.get(best, best)}


def _schedule_context(sched: dict) -> dict:
    """The schedule's rows with month names, and its two charts."""
    before, target = sched.get("revived_before", 0), sched.get("target_units")
    rows = [
        {**r, "label": month_label(r["jyear"], r["jmonth"]), "so_far": before + r["cum_units"],
         "jobs_so_far": sched.get("jobs_before", 0) + r["cum_jobs"]}
        for r in sched["rows"]
    ]  # fmt: skip
    cumulative, money = charts.plan_schedule(rows, target)
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
    lang = rules.language()
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
    scope = page_scope(request, Perm.PLAN, allow=staff)
    run = selectors.run_get(scope=scope, pk=pk)
    if export_format(request) and run.status == PlanRun.Status.DONE:
        return tables_response(
            request=request, filename=f"revive-plan-{run.pk}", tables=run_tables(run.result)
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
    scope = page_scope(request, Perm.PLAN, allow=staff)
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
    run = selectors.run_get(scope=page_scope(request, Perm.PLAN, allow=staff), pk=pk)
    response = render(request, "web/planning/_run_status.html", {"run": run, "step": step_text(run.step)})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.PLAN, allow=staff)
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
        header, rows = projects_table(items)
        return table_response(
            fmt=fmt, filename="revive-infra-projects", header=header, rows=rows, rtl=rules.language() == "fa"
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
    scope = page_scope(request, Perm.PLAN, allow=staff)
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
    scope = page_scope(request, Perm.PLAN, allow=staff)
    if request.method == "GET" and export_format(request):
        return tables_response(
            request=request, filename="revive-scenarios", tables={"scenarios": scenario_table(selectors.scenarios(scope=scope))}
        )
    form = ScenarioForm(
        request.POST or None, provinces=registry_selectors.provinces(scope=scope), national=scope.is_nation
    )
    if request.method == "POST" and form.is_valid():
        try:
            with sent_once(request):
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


@login_required
@require_POST
def scenario_run(request: HttpRequest, pk: int) -> HttpResponse:
    scope = page_scope(request, Perm.PLAN, allow=staff)
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
            scenario=scenario,  # for the scenario's province (plan_run_start's default)
            time_limit=form.cleaned_data["time_limit"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:scenarios")
    return redirect("web:plan_run", pk=run.pk)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    scope = page_scope(request, Perm.PLAN, allow=staff)
    ids = [request.GET.get("a", ""), request.GET.get("b", "")]
    if not all(i.isdecimal() for i in ids):  # nothing chosen yet: the page says how to choose
        return render(request, "web/planning/compare.html", {"data": None})
    a, b = (selectors.run_get(scope=scope, pk=int(i)) for i in ids)
    if not (a.status == b.status == PlanRun.Status.DONE):
        messages.error(request, _("Both plans must be finished to compare them."))
        return redirect("web:scenarios")
    data = selectors.compare(a, b)
    names = {p.code: name_in(p, rules.language()) for p in registry_selectors.provinces(scope=scope)}
    for key in ("only_a", "only_b"):
        data[key] = [{**r, "province_name": names.get(r["province"], r["province"])} for r in data[key]]
    return render(request, "web/planning/compare.html", {"data": data})
