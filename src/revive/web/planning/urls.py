"""Routes of the planning pages (infrastructure projects, plans, scenarios)."""

from django.urls import path

from revive.web.planning import views as v

urlpatterns = [
    path("plans/", v.plans, name="plans"),
    path("plans/<int:pk>/", v.plan_run, name="plan_run"),
    path("plans/<int:pk>/status/", v.plan_run_status, name="plan_run_status"),
    path("plans/<int:pk>/replan/", v.plan_replan, name="plan_replan"),
    path("plans/compare/", v.compare, name="plan_compare"),
    path("plans/scenarios/", v.scenarios, name="scenarios"),
    path("plans/scenarios/<int:pk>/run/", v.scenario_run, name="scenario_run"),
    path("plans/projects/", v.projects, name="infra_projects"),
    path("plans/projects/<int:pk>/", v.project_detail, name="infra_project"),
]
