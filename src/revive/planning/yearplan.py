"""The year's plan from the database: the months left, the money released each month, the schedule's rows.

Money released by month (the database keeps yearly amounts, so the release follows the programme's practice):
- loans: the banks' credit lines (or quotas) left this year, released by the quarter (Farvardin, Tir, Mehr,
  Dey), equal tranches for the quarters still ahead, the current quarter's tranche in the plan's first month;
- infrastructure: the infrastructure budget left, in equal parts every month of the plan.
A budget without any row (no limit) releases what the candidates would need, so it never binds.
Month 1 of the plan is the current Iranian month (Farvardin for next year's plan).
"""

from __future__ import annotations

from datetime import date, timedelta

from revive.core import calendar
from revive.planning.engine.model import Instance
from revive.planning.engine.schedule import Periods, Schedule, solve_schedule
from revive.planning.instance import infra_money, loan_money

QUARTER_STARTS = (1, 4, 7, 10)


def plan_months(year: int, today: date) -> tuple[int, int]:
    """(first Iranian month of the plan, number of months): the current month to Esfand, or the whole year."""
    current = calendar.current_jalali_year(today)
    if year > current:
        return 1, 12
    _, month, _ = calendar.to_jalali(today)
    return month, 12 - month + 1


def periods_for(instance: Instance, *, first_month: int, months: int, province: str | None = None) -> Periods:
    loans = loan_money(instance.budgets, province)
    if loans is None:
        loans = sum(u.loan_amount for u in instance.units)
    infra = infra_money(instance.budgets, province)
    if infra is None:
        infra = sum(p.cost for p in instance.projects)
    if instance.budgets.total is not None:
        # One cap over both: shared in proportion to what each kind of row allows.
        both = loans + infra
        if both > instance.budgets.total and both > 0:
            loans = loans * instance.budgets.total // both
            infra = instance.budgets.total - loans
    jalali = [first_month + i for i in range(months)]
    tranches = [i for i, m in enumerate(jalali) if i == 0 or m in QUARTER_STARTS]
    loan_by = [0] * months
    for k, i in enumerate(tranches):
        loan_by[i] = loans // len(tranches) + (1 if k < loans % len(tranches) else 0)
    infra_by = [infra // months + (1 if i < infra % months else 0) for i in range(months)]
    return Periods(loan=loan_by, infra=infra_by)


def schedule_result(
    instance: Instance,
    *,
    year: int,
    today: date,
    objective: str,
    province: str | None,
    time_limit: float,
    done_before: int = 0,
    jobs_before: int = 0,
) -> dict:
    """The month-by-month schedule as the page and its downloads read it."""
    first, months = plan_months(year, today)
    periods = periods_for(instance, first_month=first, months=months, province=province)
    kind = "units" if objective == "units" else "job-months"
    sched = solve_schedule(instance, periods, objective=kind, time_limit=time_limit, baselines=False)
    return schedule_rows(instance, periods, sched, first_month=first, year=year, objective=kind)


def schedule_rows(
    instance: Instance, periods: Periods, sched: Schedule, *, first_month: int, year: int, objective: str
) -> dict:
    units = {u.id: u for u in instance.units}
    projects = {p.id: p for p in instance.projects}
    n = periods.months
    rows = []
    cum_units = cum_jobs = 0
    released_loans = released_infra = spent_loans = spent_infra = 0
    for i in range(n):
        month = i + 1
        revived = [u for u in sched.units if u["month"] == month]
        started = [p for p in sched.projects if p["start_month"] == month]
        jobs = sum(units[u["unit_id"]].jobs for u in revived)
        loans = sum(units[u["unit_id"]].loan_amount for u in revived)
        infra = sum(projects[p["project_id"]].cost for p in started)
        cum_units += len(revived)
        cum_jobs += jobs
        released_loans += periods.loan[i]
        released_infra += periods.infra[i]
        spent_loans += loans
        spent_infra += infra
        rows.append(
            {
                "month": month,
                "jmonth": first_month + i,
                "jyear": year,
                "units": len(revived),
                "jobs": jobs,
                "cum_units": cum_units,
                "cum_jobs": cum_jobs,
                "loan_released": periods.loan[i],
                "infra_released": periods.infra[i],
                "loan_spent": loans,
                "infra_spent": infra,
                "money_left": released_loans + released_infra - spent_loans - spent_infra,
                "projects_started": len(started),
            }
        )
    return {
        "objective_kind": objective,
        "first_month": first_month,
        "months": n,
        "status": sched.status,
        "objective": sched.objective,
        "bound": sched.bound,
        "gap": sched.gap,
        "seconds": round(sched.seconds, 2),
        "baselines": sched.baselines,
        "method": sched.method,
        "rows": rows,
        "units": sched.units,
        "projects": sched.projects,
    }


def progress_so_far(*, scope, province, year: int, today: date) -> dict:
    """Units and jobs revived this year before the plan starts, and the year's targets (None when not set)."""
    from revive.indicators.models import Metric, Target
    from revive.registry import selectors as registry

    first, _ = plan_months(year, today)
    done = {Metric.REVIVED_UNITS: 0, Metric.JOBS_RESTORED: 0}
    if first > 1:
        before = calendar.jalali_month(year, first).start
        period = calendar.year_to_date(year, before - timedelta(days=1))
        done = registry.revivals(scope=scope, period=period, province=province)
    targets = dict(
        Target.objects.filter(
            jyear=year,
            park__isnull=True,
            indicator__jyear=year,
            indicator__metric__in=[Metric.REVIVED_UNITS, Metric.JOBS_RESTORED],
            **({"province": province} if province is not None else {"province__isnull": True}),
        ).values_list("indicator__metric", "value")
    )
    target_units = targets.get(Metric.REVIVED_UNITS)
    target_jobs = targets.get(Metric.JOBS_RESTORED)
    return {
        "revived_before": int(done[Metric.REVIVED_UNITS] or 0),
        "jobs_before": int(done[Metric.JOBS_RESTORED] or 0),
        "target_units": int(target_units) if target_units is not None else None,
        "target_jobs": int(target_jobs) if target_jobs is not None else None,
    }
