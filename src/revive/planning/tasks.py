"""Plan runs in the background: a job of the worker (`revive worker`, revive.jobs) queued on commit, or
`revive run-plans` for queued ones.

A run is claimed with one conditional UPDATE (queued -> running), so the worker and the command never
compute the same run twice. Progress is written to the row as the work goes on; pages poll it. The job
is durable: a run queued before a restart is computed after it; one whose worker died is queued again
once, then failed.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone, translation
from django_tasks import task

from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.jobs.runner import durable
from revive.planning import yearplan
from revive.planning.engine.model import Instance, Plan
from revive.planning.engine.solver import check_plan, solve
from revive.planning.instance import build_instance, money_available, scaled_budgets
from revive.planning.models import InfraProject, PlanRun
from revive.registry.models import Organisation, ProductionUnit, Province

log = logging.getLogger(__name__)

SWEEP_FACTORS = [0.1, 0.25, 0.4, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]
BASELINE_ORDER = ("greedy", "most_jobs_first", "oldest_first")


def start_in_background(run_id: int):
    """Queue the run for the worker (call it once the run's row is committed)."""
    return run_plan.enqueue(run_id)


def claim(run_id: int) -> bool:
    return bool(
        PlanRun.objects.filter(pk=run_id, status=PlanRun.Status.QUEUED).update(
            status=PlanRun.Status.RUNNING, started_at=timezone.now(), progress=1
        )
    )


def _progress(run_id: int, progress: int, step: str) -> None:
    PlanRun.objects.filter(pk=run_id).update(progress=min(progress, 99), step=step[:120])


def execute(run_id: int) -> PlanRun:
    """Compute a queued run to the end (done or failed); returns the run as saved."""
    if not claim(run_id):
        return PlanRun.objects.get(pk=run_id)
    run = PlanRun.objects.select_related("province", "scenario").get(pk=run_id)
    try:
        with translation.override("en"):
            result = compute(run)
    except DomainError as exc:
        with translation.override("en"):
            message = str(exc.message)
        PlanRun.objects.filter(pk=run_id).update(
            status=PlanRun.Status.FAILED, error=message, finished_at=timezone.now(), progress=100
        )
    except Exception:  # noqa: BLE001 - a failed run must say so on its page, not stay "running" forever
        log.exception("plan run %s failed", run_id)
        PlanRun.objects.filter(pk=run_id).update(
            status=PlanRun.Status.FAILED,
            error=traceback.format_exc(limit=3)[-2000:],
            finished_at=timezone.now(),
            progress=100,
        )
    else:
        PlanRun.objects.filter(pk=run_id).update(
            status=PlanRun.Status.DONE, result=result, finished_at=timezone.now(), progress=100, step=""
        )
    run = PlanRun.objects.select_related("author").get(pk=run_id)
    _tell(run)
    return run


def _tell(run: PlanRun) -> None:
    from revive.notices.jobs import tell_plan_run_finished

    try:
        tell_plan_run_finished(run)
    except Exception:  # noqa: BLE001 - a notice must never undo the run it tells about
        log.exception("plan run %s: could not tell its author", run.pk)


INTERRUPTED = "interrupted"  # the page says it in the reader's language


def _reset(run_id: int) -> None:
    """Before another attempt: the run waits in the queue again."""
    PlanRun.objects.filter(pk=run_id, status=PlanRun.Status.RUNNING).update(
        status=PlanRun.Status.QUEUED, progress=0, step="", started_at=None
    )


def _give_up(run_id: int) -> None:
    n = PlanRun.objects.filter(pk=run_id, status__in=[PlanRun.Status.RUNNING, PlanRun.Status.QUEUED]).update(
        status=PlanRun.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now(), progress=100
    )
    if n:
        _tell(PlanRun.objects.select_related("author").get(pk=run_id))


@durable(reset=_reset, give_up=_give_up)
@task()
def run_plan(run_id: int, attempt: int = 1) -> str:
    """The worker's job: compute a queued run; returns its status after."""
    return execute(run_id).status


def stale_deadline(run: PlanRun):
    """When a running plan has certainly lost its process: the solver, the budget sweep (a tenth of
    the time limit per point, at most 2 s) and building the instance, three times over, plus 10 minutes."""
    params = run.parameters or {}
    limit = float(params.get("time_limit", 10.0))
    points = int(params.get("sweep_points", 12))
    expected = limit + points * max(0.2, min(2.0, limit / 10)) + max(1.0, min(30.0, limit))  # + the schedule
    return (run.started_at or run.created_at) + timedelta(seconds=3 * expected + 600)


def fail_stale(now=None) -> int:
    """Mark as failed the runs left 'running' by a server that stopped; returns how many."""
    now = now or timezone.now()
    n = 0
    for run in PlanRun.objects.filter(status=PlanRun.Status.RUNNING):
        if stale_deadline(run) < now:
            n += PlanRun.objects.filter(pk=run.pk, status=PlanRun.Status.RUNNING).update(
                status=PlanRun.Status.FAILED,
                error=INTERRUPTED,
                finished_at=now,
                progress=100,
            )
    return n


def run_queued(limit: int | None = None) -> int:
    """Compute queued runs, oldest first; returns how many were computed here."""
    fail_stale()
    n = 0
    for run_id in (
        PlanRun.objects.filter(status=PlanRun.Status.QUEUED)
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    ):
        if limit is not None and n >= limit:
            break
        if PlanRun.objects.get(pk=run_id).status == PlanRun.Status.QUEUED:
            execute(run_id)
            n += 1
    return n


def _scope_of(run: PlanRun) -> Scope:
    if run.province_id:
        return Scope(ScopeKind.PROVINCE, province_id=run.province_id)
    return NATION


def compute(run: PlanRun, *, on_progress=None) -> dict:
    """Build the instance, solve it, run the budget sweep; the JSON the result page and API read."""
    report = on_progress or (lambda p, s: _progress(run.pk, p, s))
    params = run.parameters
    report(5, "building the instance")
    instance, context = build_instance(
        scope=_scope_of(run),
        province=run.province,
        year=params["year"],
        today=calendar.tehran_today(),
        objective=params["objective"],
        overrides=params.get("overrides") or {},
    )
    report(15, f"solving: {len(instance.units)} units, {len(instance.projects)} projects")
    plan = solve(instance, time_limit=params["time_limit"])
    problems = check_plan(instance, plan)
    if problems:  # the engine checks its own plans; this is the Django side's own guard
        raise RuntimeError("the plan breaks the budgets: " + "; ".join(problems[:3]))
    report(50, "budget sweep")
    province = run.province.code if run.province else None
    sweep = budget_sweep(
        instance,
        province=province,
        points=params.get("sweep_points", 12),
        time_limit=max(0.2, min(2.0, params["time_limit"] / 10)),
        on_point=lambda i, n: report(50 + 45 * i // max(n, 1), f"budget sweep {i}/{n}"),
    )
    result = plan_result(instance, context, plan, sweep=sweep)
    report(96, "schedule by month")
    result["schedule"] = yearplan.schedule_result(
        instance,
        year=params["year"],
        today=calendar.tehran_today(),
        objective=params["objective"],
        province=province,
        time_limit=max(1.0, min(30.0, params["time_limit"])),
    )
    result["schedule"].update(
        yearplan.progress_so_far(
            scope=_scope_of(run), province=run.province, year=params["year"], today=calendar.tehran_today()
        )
    )
    return result


def budget_sweep(
    instance: Instance, *, points: int, time_limit: float, on_point=None, province: str | None = None
) -> list[dict]:
    """The plan's value when every budget row is scaled by a factor, from a tenth to many times today's
    (for a province's plan, the money counted is the province's: see `money_available`)."""
    base = money_available(instance.budgets, province, instance)
    if not points or base is None or not instance.units:
        return []
    factors = _factors(points)
    out = []
    for i, f in enumerate(factors, 1):
        budgets = scaled_budgets(instance.budgets, f)
        plan = solve(
            Instance(instance.units, instance.projects, budgets, instance.months_left), time_limit=time_limit
        )
        spent = _spent(instance, plan)
        out.append(
            {
                "factor": f,
                "money": money_available(budgets, province, instance),
                "spent": spent,
                "value": plan.objective,
                "units": len(plan.selected_units),
                "gap": plan.gap,
            }
        )
        if on_point:
            on_point(i, len(factors))
    for prev, cur in zip(out, out[1:], strict=False):
        extra = (cur["money"] - prev["money"]) / 1e9
        cur["per_billion"] = (cur["value"] - prev["value"]) / extra if extra > 0 else None
    if out:
        out[0]["per_billion"] = out[0]["value"] / (out[0]["money"] / 1e9) if out[0]["money"] else None
    return out


def _factors(points: int) -> list[float]:
    if points >= len(SWEEP_FACTORS):
        return SWEEP_FACTORS
    # Always keep today's budgets (1.0); spread the rest over the list.
    step = (len(SWEEP_FACTORS) - 1) / max(points - 1, 1)
    chosen = {SWEEP_FACTORS[round(i * step)] for i in range(points)} | {1.0}
    return sorted(chosen)


def _spent(instance: Instance, plan: Plan) -> dict:
    units = {u.id: u for u in instance.units}
    projects = {p.id: p for p in instance.projects}
    loans = sum(units[u].loan_amount for u in plan.selected_units)
    infra = sum(projects[p].cost for p in plan.selected_projects)
    return {"loans": loans, "infra": infra}


def plan_result(instance: Instance, context: dict, plan: Plan, *, sweep: list[dict]) -> dict:
    """The plan as rows people read: unit, province, park, loan and bank, projects, cost, value, why."""
    units = {u.id: u for u in instance.units}
    projects = {p.id: p for p in instance.projects}
    chosen = plan.selected_units
    sharing: dict[str, int] = defaultdict(int)
    for uid in chosen:
        for pid in units[uid].projects:
            sharing[pid] += 1
    unit_rows = {
        u["business_id"]: u
        for u in ProductionUnit.objects.filter(business_id__in=chosen).values(
            "business_id",
            "name_fa",
            "name_en",
            "employees",
            "park__code",
            "park__name_fa",
            "park__name_en",
            "province__code",
        )
    }
    project_pks = [int(p[1:]) for p in plan.selected_projects]
    project_rows = {
        f"P{p['id']}": p
        for p in InfraProject.objects.filter(pk__in=project_pks).values(
            "id", "name_fa", "name_en", "utility", "status", "park__code", "province__code"
        )
    }
    rows = []
    for uid in chosen:
        u, info = units[uid], unit_rows.get(uid, {})
        bank = plan.loan_assignment.get(uid)
        share = sum(projects[p].cost // sharing[p] for p in u.projects)
        rows.append(
            {
                "business_id": uid,
                "case": context["case_of"].get(uid),
                "name_fa": info.get("name_fa", ""),
                "name_en": info.get("name_en", ""),
                "province": u.province,
                "park": info.get("park__code", ""),
                "park_fa": info.get("park__name_fa", ""),
                "park_en": info.get("park__name_en", ""),
                "loan": u.loan_amount,
                "bank": bank,
                "projects": [
                    {
                        "id": p,
                        "cost": projects[p].cost,
                        "shared_by": sharing[p],
                        "months": projects[p].duration_months,
                    }
                    for p in u.projects
                ],
                "project_share": share,
                "cost": u.loan_amount + share,
                "value": u.value,
                "jobs": u.jobs,
            }
        )
    rows.sort(key=lambda r: (r["province"] or "", r["park"], -r["value"], r["business_id"]))
    by_province: dict[str, dict] = defaultdict(
        lambda: {"units": 0, "jobs": 0, "loans": 0, "infra": 0, "value": 0.0}
    )
    for r in rows:
        d = by_province[r["province"] or ""]
        d["units"] += 1
        d["jobs"] += r["jobs"]
        d["loans"] += r["loan"]
        d["value"] += r["value"]
    for pid in plan.selected_projects:
        by_province[projects[pid].province or ""]["infra"] += projects[pid].cost
    spent = _spent(instance, plan)
    names = dict(Province.objects.values_list("code", "name_fa"))
    names_en = dict(Province.objects.values_list("code", "name_en"))
    bank_names = {
        c: (fa, en)
        for c, fa, en in Organisation.objects.filter(kind=Organisation.Kind.BANK).values_list(
            "code", "name_fa", "name_en"
        )
    }
    best_rule, best_value = max(
        ((k, plan.baselines.get(k, 0.0)) for k in BASELINE_ORDER if k in plan.baselines),
        key=lambda kv: kv[1],
        default=("", 0.0),
    )
    b = instance.budgets
    return {
        "scope": context["scope"],
        "year": context["year"],
        "objective_kind": context["objective"],
        "months_left": context["months_left"],
        "candidates": context["candidates"],
        "excluded": context["excluded"],
        "instance": {"units": len(instance.units), "projects": len(instance.projects)},
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "seconds": round(plan.seconds, 2),
        "method": plan.method,
        "message": plan.message,
        "baselines": plan.baselines,
        "best_rule": best_rule,
        "best_rule_value": best_value,
        "units": len(chosen),
        "jobs": sum(r["jobs"] for r in rows),
        "loans": spent["loans"],
        "infra": spent["infra"],
        "money": spent["loans"] + spent["infra"],
        "selected_projects": plan.selected_projects,
        "projects": {
            pid: {
                **project_rows.get(pid, {}),
                "cost": projects[pid].cost,
                "months": projects[pid].duration_months,
            }
            for pid in plan.selected_projects
        },
        "rows": rows,
        "by_province": [
            {"province": code, "name_fa": names.get(code, code), "name_en": names_en.get(code, code), **d}
            for code, d in sorted(by_province.items())
        ],
        "banks": {c: list(v) for c, v in bank_names.items()},
        "budgets": {
            "money": money_available(b, None if context["scope"] == "nation" else context["scope"], instance),
            "infra_total": b.infra_total,
            "loan_total": b.loan_total,
            "bank_credit": sum(b.bank_credit.values()) if b.bank_credit else None,
            "quotas": len(b.bank_province_quota),
        },
        "overrides": context["overrides"],
        "sweep": sweep,
    }


def wait(run_id: int, timeout: float = 60.0) -> PlanRun:
    """For commands: wait until a run finishes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        run = PlanRun.objects.get(pk=run_id)
        if run.is_finished:
            return run
        time.sleep(0.5)
    return PlanRun.objects.get(pk=run_id)
