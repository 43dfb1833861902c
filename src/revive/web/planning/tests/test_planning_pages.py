"""Planning pages: start a plan and read it, the ranked projects, scenarios; scope, CSRF and bad input."""
# ruff: noqa: F811 (the fixtures come from revive/planning/tests/fixtures.py)

import csv as csv_module
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from revive.core.models import AuditEvent
from revive.core.scoping import NATION
from revive.planning import services, tasks
from revive.planning.models import InfraProject, PlanRun, Scenario
from revive.planning.tests.fixtures import planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def semnan_run(planning_world, officer_semnan):
    from revive.core.scoping import scope_for

    run = services.plan_run_start(
        scope=scope_for(officer_semnan),
        by=officer_semnan,
        year=1405,
        time_limit=1,
        sweep_points=10,
        start=False,
    )
    return tasks.execute(run.pk)


def test_officer_starts_a_plan_and_it_is_queued_with_an_audit_row(planning_world, officer_semnan, login):
    client = login(officer_semnan)
    assert client.get(reverse("web:plans")).status_code == 200
    response = client.post(reverse("web:plans"), {"year": "۱۴۰۵", "objective": "jobs", "time_limit": "5"})
    run = PlanRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:plan_run", args=[run.pk])
    assert run.province.code == "IR-20" and run.parameters["year"] == 1405
    assert AuditEvent.objects.filter(action="plan_run_start").count() == 1
    page = client.get(reverse("web:plan_run", args=[run.pk])).content.decode()
    assert f'hx-get="{reverse("web:plan_run_status", args=[run.pk])}"' in page


def test_finished_plan_page_in_both_languages_with_exports(semnan_run, officer_semnan, login):
    client = login(officer_semnan)
    response = client.get(reverse("web:plan_run_status", args=[semnan_run.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"  # the polling page reloads
    persian = client.get(reverse("web:plan_run", args=[semnan_run.pk])).content.decode()
    assert 'dir="rtl"' in persian and "ریخته‌گری سمنان" in persian
    client.cookies["django_language"] = "en"
    body = client.get(
        reverse("web:plan_run", args=[semnan_run.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert semnan_run.status == "done"
    assert "The plan revives" in body and "best simple rule" in body and "proven within" in body
    assert "Semnan Foundry" in body and "<svg" in body
    csv = client.get(reverse("web:plan_run", args=[semnan_run.pk]), {"export": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "200000000011" in text and "200000000022" in text
    xlsx = client.get(reverse("web:plan_run", args=[semnan_run.pk]), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content
    first = load_workbook(io.BytesIO(content)).worksheets[0]

    def value(cell):  # 25 in the workbook is "25.0" in the CSV: compare numbers as numbers
        try:
            return float(cell)
        except (TypeError, ValueError):
            return "" if cell is None else str(cell)

    cells = [[value(v) for v in row] for row in first.iter_rows(values_only=True)]
    assert cells == [[value(v) for v in row] for row in csv_module.reader(text.strip().splitlines())]


def test_bad_plan_input_is_shown_next_to_the_field_and_nothing_is_written(
    planning_world, officer_semnan, login
):
    client = login(officer_semnan)
    for data in (
        {"year": "1404", "objective": "jobs", "time_limit": "5"},
        {"year": "hello", "objective": "jobs", "time_limit": "5"},
        {"year": "1405", "objective": "jobs", "time_limit": "-3"},
    ):
        response = client.post(reverse("web:plans"), data)
        assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not PlanRun.objects.exists()


def test_scenario_saved_with_audit_and_bad_budget_refused(planning_world, national_admin, login):
    client = login(national_admin)
    bad = client.post(reverse("web:scenarios"), {"name": "x", "loan_total": "-5"})
    assert bad.status_code == 400
    word = client.post(reverse("web:scenarios"), {"name": "x", "infra_multiplier": "double"})
    assert word.status_code == 400
    unknown = client.post(reverse("web:scenarios"), {"name": "x", "drop_bank": "no-such-bank"})
    assert unknown.status_code == 400
    assert not Scenario.objects.exists()
    ok = client.post(
        reverse("web:scenarios"),
        {"name": "More credit", "loan_multiplier": "۱٫۵", "drop_bank": "sepah", "drop_province": "IR-20"},
    )
    assert ok.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.changes == {"loan_multiplier": "1.5", "drop_quotas": [["sepah", "IR-20"]]}
    assert AuditEvent.objects.filter(action="scenario_save").count() == 1
    run = client.post(
        reverse("web:scenario_run", args=[scenario.pk]),
        {"year": "1405", "objective": "jobs", "time_limit": "5"},
    )
    assert run.status_code == 302 and PlanRun.objects.get().scenario == scenario
    base = services.plan_run_start(
        scope=NATION, by=national_admin, year=1405, time_limit=1, sweep_points=0, start=False
    )
    tasks.execute(base.pk), tasks.execute(PlanRun.objects.get(scenario=scenario).pk)
    compare = client.get(
        reverse("web:plan_compare"), {"a": base.pk, "b": PlanRun.objects.get(scenario=scenario).pk}
    )
    assert compare.status_code == 200 and "More credit" in compare.content.decode()
    assert client.get(reverse("web:plan_compare")).status_code == 200  # nothing chosen yet


def test_projects_ranked_and_marked_done(planning_world, officer_semnan, login):
    client = login(officer_semnan)
    body = client.get(reverse("web:infra_projects")).content.decode()
    gas = planning_world["gas"]
    assert reverse("web:infra_project", args=[gas.pk]) in body
    assert reverse("web:infra_project", args=[planning_world["tehran_road"].pk]) not in body
    response = client.post(
        reverse("web:infra_project", args=[gas.pk]),
        {"status": "done", "progress": "100", "version": gas.version},
    )
    assert response.status_code == 302
    assert InfraProject.objects.get(pk=gas.pk).status == "done"
    stale = client.post(
        reverse("web:infra_project", args=[gas.pk]),
        {"status": "funded", "progress": "1", "version": gas.version},
    )
    assert stale.status_code == 400


def test_officer_of_another_province_gets_404(
    planning_world, semnan_run, officer_tehran, officer_semnan, login
):
    scenario = services.scenario_save(
        scope=__import__("revive.core.scoping", fromlist=["scope_for"]).scope_for(officer_semnan),
        name="Semnan",
        by=officer_semnan,
        changes={},
    )
    client = login(officer_tehran)
    gas = planning_world["gas"]
    for name, args, method in [
        ("plan_run", [semnan_run.pk], "get"),
        ("plan_run_status", [semnan_run.pk], "get"),
        ("infra_project", [gas.pk], "get"),
        ("infra_project", [gas.pk], "post"),
        ("scenario_run", [scenario.pk], "post"),
    ]:
        assert getattr(client, method)(reverse(f"web:{name}", args=args), {}).status_code == 404, name
    compare = client.get(reverse("web:plan_compare"), {"a": semnan_run.pk, "b": semnan_run.pk})
    assert compare.status_code == 404
    assert client.get(reverse("web:infra_projects"), {"province": "IR-20"}).status_code == 404
    assert "Semnan" not in client.get(reverse("web:plans")).content.decode()


def test_people_without_planning_get_404(planning_world, park_manager, bank_melli, login):
    for user in (park_manager, bank_melli):
        client = login(user)
        assert client.get(reverse("web:plans")).status_code == 404
        assert client.get(reverse("web:infra_projects")).status_code == 404


def test_forms_need_the_csrf_token(planning_world, officer_semnan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_semnan)
    response = client.post(reverse("web:plans"), {"year": "1405", "objective": "jobs", "time_limit": "5"})
    assert response.status_code == 403 and not PlanRun.objects.exists()


def test_projects_page_builds_one_page_and_its_figures_match_the_download_and_the_api(
    planning_world, national_admin, login
):
    """The page builds only its 50 projects, but its count and totals are the whole list's: the same as
    the CSV download and the API's pages, in the same order."""
    import csv
    import io

    from revive.accounts.services import token_create

    for i in range(60):  # more than a page, in two provinces, with ties in cost
        services.project_create(
            park=planning_world["parks"]["P-20-001" if i % 3 else "P-23-001"],
            utility=("gas", "road", "electricity", "water")[i % 4],
            name_fa=f"پروژه {i}",
            name_en=f"Project {i}",
            cost=(1 + i % 7) * 10**9,
            duration_months=1 + i % 5,
            by=national_admin,
        )
    client = login(national_admin)
    page = client.get(reverse("web:infra_projects"))
    assert page.status_code == 200
    shown = [p.pk for p in page.context["page"]]
    assert len(shown) == 50 and page.context["count"] == 62
    download = client.get(reverse("web:infra_projects"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))[1:]
    assert [int(r[1]) for r in rows[:50]] == shown
    totals = page.context["totals"]
    assert totals == {
        "cost": sum(int(r[7]) for r in rows),
        "units": sum(int(r[10]) for r in rows),
        "jobs": sum(int(r[11]) for r in rows),
    }
    assert totals["units"] > 0 and totals["jobs"] > 0
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=national_admin)}")
    items = []
    for number in (1, 2):
        data = api.get("/api/v1/infra-projects", {"page": number, "page_size": 50}).json()
        assert data["count"] == 62
        items += data["items"]
    assert [p["id"] for p in items] == [int(r[1]) for r in rows]
    assert sum(p["units_unblocked"] for p in items) == totals["units"]
    assert sum(p["cost"] for p in items) == totals["cost"]
    second = client.get(reverse("web:infra_projects"), {"page": 2})
    assert [p.pk for p in second.context["page"]] == [int(r[1]) for r in rows[50:]]
    assert second.context["totals"] == totals
