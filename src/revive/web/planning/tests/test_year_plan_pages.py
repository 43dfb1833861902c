"""The plan page's schedule month by month (issue 19), its downloads and re-planning from today; the plan
form's budgets, the progress line in the page's language, the comparison's names (issue 14)."""
# ruff: noqa: F811 (the fixtures come from revive/planning/tests/fixtures.py)

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.planning import services, tasks
from revive.planning.models import PlanRun
from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def semnan_run(planning_world, officer_semnan):
    run = services.plan_run_start(
        scope=scope_for(officer_semnan),
        by=officer_semnan,
        year=1405,
        time_limit=1,
        sweep_points=0,
        start=False,
    )
    return tasks.execute(run.pk)


def test_the_plan_page_shows_the_schedule_month_by_month_and_downloads_it(semnan_run, officer_semnan, login):
    client = login(officer_semnan)
    persian = client.get(reverse("web:plan_run", args=[semnan_run.pk])).content.decode()
    assert 'id="schedule"' in persian and "آذر" in persian  # the plan starts this month (Azar 1405)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("web:plan_run", args=[semnan_run.pk])).content.decode()
    assert "month by month" in body and "Re-plan from today" in body
    assert body.count('<svg class="chart"') >= 2
    sched = semnan_run.result["schedule"]
    csv = client.get(reverse("web:plan_run", args=[semnan_run.pk]), {"export": "csv", "table": "schedule"})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Month,Units revived") and len(lines) == 1 + sched["months"]
    units = client.get(
        reverse("web:plan_run", args=[semnan_run.pk]), {"export": "xlsx", "table": "schedule_units"}
    )
    assert units["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(units.streaming_content) if units.streaming else units.content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0] == ("Business ID", "Month", "Bank")
    assert [(row[0], row[2]) for row in cells[1:]] == [(u["unit_id"], u["bank"]) for u in sched["units"]]
    text = b"".join(
        client.get(
            reverse("web:plan_run", args=[semnan_run.pk]), {"export": "csv", "table": "schedule_units"}
        ).streaming_content
    ).decode("utf-8-sig")
    assert all(u["unit_id"] in text for u in sched["units"])


def test_replan_from_today_starts_a_new_run_with_the_same_parameters(semnan_run, officer_semnan, login):
    client = login(officer_semnan)
    response = client.post(reverse("web:plan_replan", args=[semnan_run.pk]))
    new = PlanRun.objects.exclude(pk=semnan_run.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("web:plan_run", args=[new.pk])
    assert new.province_id == semnan_run.province_id and new.parameters["year"] == 1405
    assert AuditEvent.objects.filter(action="plan_run_start", object_id=str(new.pk)).exists()
    assert client.get(reverse("web:plan_replan", args=[semnan_run.pk])).status_code == 405


def test_the_plan_form_has_budgets_that_the_plan_uses(planning_world, officer_semnan, login):
    client = login(officer_semnan)
    page = client.get(reverse("web:plans")).content.decode()
    assert 'name="loan_budget"' in page and 'name="infra_budget"' in page
    client.post(
        reverse("web:plans"),
        {
            "year": "۱۴۰۵",
            "objective": "jobs",
            "time_limit": "2",
            "loan_budget": "۱۰٬۰۰۰٬۰۰۰٬۰۰۰",
            "infra_budget": "",
        },
    )
    run = PlanRun.objects.get()
    assert run.parameters["overrides"] == {"loan_total": 10 * BILLION}
    run = tasks.execute(run.pk)
    assert run.result["loans"] <= 10 * BILLION and run.result["budgets"]["loan_total"] == 10 * BILLION
    bad = client.post(
        reverse("web:plans"), {"year": "1405", "objective": "jobs", "time_limit": "2", "loan_budget": "-5"}
    )
    assert bad.status_code == 400 and PlanRun.objects.count() == 1


def test_the_progress_line_is_in_the_pages_language(planning_world, officer_semnan, login):
    run = services.plan_run_start(scope=scope_for(officer_semnan), by=officer_semnan, year=1405, start=False)
    PlanRun.objects.filter(pk=run.pk).update(status="running", step="solving: 12 units, 3 projects")
    client = login(officer_semnan)
    persian = client.get(reverse("web:plan_run_status", args=[run.pk])).content.decode()
    assert "solving" not in persian and "۱۲" in persian and 'lang="en"' not in persian
    client.cookies["django_language"] = "en"
    english = client.get(reverse("web:plan_run_status", args=[run.pk])).content.decode()
    assert "solving: 12 units, 3 projects" in english


def test_the_comparison_names_the_provinces_and_scenarios(planning_world, national_admin, login):
    from revive.registry.models import Province

    semnan = Province.objects.get(code="IR-20")
    base = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, province=semnan, start=False
    )
    scenario = services.scenario_save(
        scope=NATION,
        name="Without Melli",
        by=national_admin,
        province=semnan,
        changes={"drop_quotas": [["melli", ""]]},
    )
    other = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, scenario=scenario,
        province=semnan, start=False,
    )  # fmt: skip
    tasks.execute(base.pk), tasks.execute(other.pk)
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("web:plan_compare"), {"a": base.pk, "b": other.pk}).content.decode()
    assert "A: #" not in body and "B: #" not in body and "IR-20" not in body
    assert "Without Melli" in body and "today's budgets" in body and "Semnan" in body


def test_the_api_returns_the_schedule(semnan_run, officer_semnan, client):
    from revive.accounts.services import token_create

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=officer_semnan)}"}
    data = client.get(f"/api/v1/plans/{semnan_run.pk}", **headers).json()
    sched = data["summary"]["schedule"]
    assert sched["months"] == len(sched["rows"]) and sched["units"] == semnan_run.result["schedule"]["units"]
    assert {"unit_id", "month", "bank"} == set(sched["units"][0])


def test_a_line_charts_end_labels_are_anchored_inwards_and_a_target_line_is_drawn():
    from revive.web.charts import Series, line_chart

    for rtl in (False, True):
        svg = line_chart(
            categories=["Azar", "Dey", "Esfand"], values=[1, 2, 3], title="t", value_label=str, rtl=rtl,
            more=(Series("target", [5, 5, 5], "series-b"),),
        )  # fmt: skip
        first, last = ("middle", "middle") if rtl else ("start", "end")
        assert f'text-anchor="{first}">Azar<' in svg and f'text-anchor="{last}">Esfand<' in svg
        assert 'class="line series-b"' in svg
