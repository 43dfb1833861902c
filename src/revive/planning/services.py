"""Planning writes: infrastructure projects, budget lines, scenarios, plan runs. Atomic and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from revive.cases.models import INFRASTRUCTURE_OBSTACLES, OPEN_STATES, CaseEvent, Obstacle
from revive.core import audit, calendar, rules
from revive.core.errors import ConflictError, DomainError, lazy_message
from revive.core.scoping import Scope, ScopeKind
from revive.core.text import require_fits
from revive.planning.instance import OBJECTIVES, clean_overrides, months_left
from revive.planning.models import BudgetLine, InfraProject, PlanRun, Scenario
from revive.registry.models import IndustrialPark, Organisation, ParkInfrastructure, Province, Utility

MAX_TIME_LIMIT = 120.0
# Obstacle kinds that each utility's project removes (wastewater and telecom have no obstacle of their own).
OBSTACLES_OF_UTILITY = {utility: kind for kind, utility in INFRASTRUCTURE_OBSTACLES.items()}


def _actor(by):
    return rules.actor(by)


def _lock(model, obj, version: int | None):
    return rules.lock(model, obj, version)


def _check_money(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Amounts are whole rials, without letters or a decimal point."), field=field)
    if value < 0:
        raise DomainError(_("An amount cannot be negative."), field=field)
    return value


# --- infrastructure projects -----------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    park: IndustrialPark,
    utility: str,
    name_fa: str,
    cost: int,
    duration_months: int,
    by,
    name_en: str = "",
    progress: int = 0,
    funding_source: str = "",
    status: str = InfraProject.Status.PROPOSED,
) -> InfraProject:
    if utility not in Utility.values:
        raise DomainError(lazy_message(_("Unknown utility “%(value)s”."), value=utility), field="utility")
    cost = _check_money(cost, "cost")
    if not 1 <= duration_months <= 60:
        raise DomainError(_("The duration is between 1 and 60 months."), field="duration_months")
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is between 0 and 100%."), field="progress")
    if status not in InfraProject.Status.values or status == InfraProject.Status.DONE:
        raise DomainError(_("A new project is proposed, funded or under construction."), field="status")
    if not (name_fa or "").strip():
        raise DomainError(_("Give the project a name."), field="name_fa")
    name_fa = require_fits(name_fa.strip(), model=InfraProject, field="name_fa")
    name_en = require_fits((name_en or "").strip(), model=InfraProject, field="name_en")
    project = InfraProject.objects.create(
        park=park,
        province_id=park.province_id,
        infrastructure=ParkInfrastructure.objects.filter(park=park, utility=utility).first(),
        utility=utility,
        name_fa=name_fa,
        name_en=name_en,
        cost=cost,
        duration_months=duration_months,
        progress=progress,
        funding_source=funding_source,
        status=status,
    )
    audit.record(actor=by, obj=project, action="project_create", after=audit.snapshot(project))
    return project


@transaction.atomic
def project_update(
    *,
    project: InfraProject,
    by,
    status: str,
    progress: int,
    version: int | None = None,
) -> InfraProject:
    """The parks company reports progress; marking it done goes through `project_mark_done`."""
    if status == InfraProject.Status.DONE:
        return project_mark_done(project=project, by=by, version=version)
    project = _lock(InfraProject, project, version)
    if project.status == InfraProject.Status.DONE:
        raise ConflictError(_("This project is already done."), field="status")
    if status not in InfraProject.Status.values:
        raise DomainError(lazy_message(_("Unknown status “%(value)s”."), value=status), field="status")
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is between 0 and 100%."), field="progress")
    before = audit.snapshot(project, ["status", "progress"])
    project.status, project.progress = status, progress
    project.version += 1
    project.save(update_fields=["status", "progress", "version", "updated_at"])
    audit.record(
        actor=by,
        obj=project,
        action="project_update",
        before=before,
        after={"status": status, "progress": progress},
    )
    return project


@transaction.atomic
def project_mark_done(*, project: InfraProject, by, version: int | None = None) -> InfraProject:
    """The project is built: its park's utility becomes adequate (once no other phase is open) and the
    open obstacles of open cases that depended on it are removed, each with a timeline entry."""
    project = _lock(InfraProject, project, version)
    if project.status == InfraProject.Status.DONE:
        raise ConflictError(_("This project is already done."), field="status")
    today = calendar.tehran_today()
    before = audit.snapshot(project, ["status", "progress"])
    project.status, project.progress, project.completed_on = InfraProject.Status.DONE, 100, today
    project.version += 1
    project.save(update_fields=["status", "progress", "completed_on", "version", "updated_at"])
    audit.record(actor=by, obj=project, action="project_done", before=before, after={"status": "done"})
    others = (
        InfraProject.objects.filter(park_id=project.park_id, utility=project.utility)
        .exclude(status=InfraProject.Status.DONE)
        .exists()
    )
    if others:  # another phase of the same utility is still being built: nothing is unblocked yet
        return project
    infra = (
        ParkInfrastructure.objects.select_for_update()
        .filter(park_id=project.park_id, utility=project.utility)
        .first()
    )
    if infra is not None and infra.status != ParkInfrastructure.Status.ADEQUATE:
        before_infra = {"status": infra.status}
        infra.status = ParkInfrastructure.Status.ADEQUATE
        infra.save(update_fields=["status"])
        audit.record(
            actor=by,
            obj=infra,
            action="infrastructure_adequate",
            before=before_infra,
            after={"status": infra.status},
            note=f"project {project.pk}",
        )
    kind = OBSTACLES_OF_UTILITY.get(project.utility)
    if kind is None:
        return project
    obstacles = list(
        Obstacle.objects.select_for_update()
        .filter(
            case__park_id=project.park_id,
            case__state__in=OPEN_STATES,
            kind=kind,
            status=Obstacle.Status.OPEN,
        )
        .select_related("case")
    )
    user = _actor(by)
    label = user.get_username() if user else str(by or "system")
    events = []
    for o in obstacles:
        o.status = Obstacle.Status.REMOVED
        o.version += 1
        o.note = (o.note + " " if o.note else "") + str(
            lazy_message(_("Removed by project #%(id)s."), id=project.pk)
        )
        o.note = o.note[:300]
        o.save(update_fields=["status", "version", "note"])
        audit.record(
            actor=by,
            obj=o,
            action="obstacle_status",
            before={"status": "open"},
            after={"status": "removed"},
            note=f"project {project.pk}",
        )
        events.append(
            CaseEvent(
                case=o.case,
                on=today,
                actor=user,
                actor_label=label,
                kind="obstacle_update",
                text=f"{o.get_kind_display()}: {o.get_status_display()} ({project.name_fa})"[:500],
            )
        )
    CaseEvent.objects.bulk_create(events)
    return project


# --- budget lines ------------------------------------------------------------------------------------


@transaction.atomic
def budget_line_set(
    *, year: int, kind: str, amount, by, bank: Organisation | None = None, province: Province | None = None
) -> BudgetLine:
    amount = _check_money(amount, "amount")
    if kind not in BudgetLine.Kind.values:
        raise DomainError(lazy_message(_("Unknown budget kind “%(value)s”."), value=kind), field="kind")
    if kind in (BudgetLine.Kind.BANK_CREDIT, BudgetLine.Kind.BANK_QUOTA) and (
        bank is None or bank.kind != Organisation.Kind.BANK
    ):
        raise DomainError(_("Choose a bank."), field="bank")
    if kind == BudgetLine.Kind.BANK_QUOTA and province is None:
        raise DomainError(_("A quota is for one province."), field="province")
    line = (
        BudgetLine.objects.select_for_update(of=("self",))
        .filter(
            year=year,
            kind=kind,
            bank_id=bank.pk if bank else None,
            province_id=province.pk if province else None,
        )
        .first()
    )
    before = {"amount": line.amount} if line else None
    if line is None:
        line = BudgetLine.objects.create(year=year, kind=kind, bank=bank, province=province, amount=amount)
    else:
        line.amount = amount
        line.version += 1
        line.save(update_fields=["amount", "version", "updated_at"])
    audit.record(actor=by, obj=line, action="budget_line_set", before=before, after={"amount": amount})
    return line


# --- scenarios and plan runs -------------------------------------------------------------------------


def _plan_province(scope: Scope, province: Province | None) -> Province | None:
    """A provincial officer plans their own province only; national users plan the nation or one province."""
    if scope.kind == ScopeKind.PROVINCE:
        if province is not None:
            scope.require_province(province.pk)
        return Province.objects.get(pk=scope.province_id)
    if scope.kind != ScopeKind.NATION:
        raise DomainError(_("Only national and provincial planners make plans."), field="province")
    return province


@transaction.atomic
def scenario_save(
    *, scope: Scope, name: str, by, changes: dict, province: Province | None = None, note: str = ""
) -> Scenario:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the scenario a name."), field="name")
    name = require_fits(name, model=Scenario, field="name")
    note = require_fits(note, model=Scenario, field="note")
    province = _plan_province(scope, province)
    scenario = Scenario.objects.create(
        name=name,
        author=_actor(by),
        province=province,
        changes=clean_overrides(changes),
        note=note,
    )
    audit.record(
        actor=by,
        obj=scenario,
        action="scenario_save",
        after={"name": scenario.name, "changes": scenario.changes},
    )
    return scenario


@transaction.atomic
def plan_run_start(
    *,
    scope: Scope,
    by,
    year: int,
    objective: str = "jobs",
    province: Province | None = None,
    scenario: Scenario | None = None,
    time_limit: float = 10.0,
    sweep_points: int = 12,
    start: bool = True,
    budgets: dict | None = None,
) -> PlanRun:
    """Queue a plan; it runs in the worker once this transaction commits (`start=False` leaves it
    queued for `revive run-plans` or a test). A scenario's run is for the scenario's province unless
    another one is given (then it is refused below)."""
    from revive.planning import tasks

    if scenario is not None and province is None:
        province = scenario.province
    province = _plan_province(scope, province)
    if objective not in OBJECTIVES:
        raise DomainError(
            lazy_message(
                _("Unknown objective “%(value)s”: choose units, jobs or production."), value=objective
            ),
            field="objective",
        )
    if not isinstance(year, int) or isinstance(year, bool):
        raise DomainError(_("The year is a whole number, e.g. 1405."), field="year")
    months_left(year, calendar.tehran_today())  # refuses a year that is over
    try:
        time_limit = float(time_limit)
    except (TypeError, ValueError):
        raise DomainError(_("The time limit is a number of seconds."), field="time_limit") from None
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise DomainError(
            lazy_message(
                _("The time limit is more than 0 and at most %(max)s seconds."), max=int(MAX_TIME_LIMIT)
            ),
            field="time_limit",
        )
    if not 0 <= sweep_points <= 20:
        raise DomainError(_("The budget sweep has between 0 and 20 points."), field="sweep_points")
    if scenario is not None and scenario.province_id != (province.pk if province else None):
        raise DomainError(_("This scenario was saved for another scope."), field="scenario")
    # The plan form's own budgets (loan_total, infra_total in rials) override the scenario's.
    budgets = clean_overrides({k: v for k, v in (budgets or {}).items() if v is not None})
    if set(budgets) - {"loan_total", "infra_total"}:
        raise DomainError(
            _("A plan's own budgets are a loan total and an infrastructure total."), field="budgets"
        )
    tasks.fail_stale()
    run = PlanRun.objects.create(
        author=_actor(by),
        province=province,
        scenario=scenario,
        parameters={
            "year": year,
            "objective": objective,
            "time_limit": time_limit,
            "sweep_points": sweep_points,
            "overrides": {**(scenario.changes if scenario else {}), **budgets},
            "budgets": budgets,
        },
    )
    audit.record(actor=by, obj=run, action="plan_run_start", after=run.parameters)
    if start:
        transaction.on_commit(lambda: tasks.start_in_background(run.pk))
    return run
