"""Generated scope tests: every page and API endpoint, walked as an officer of another province.

The URL configuration and the OpenAPI schema are read at test time; a new URL that this file does
not classify fails the suite, so nothing ships without its scope being tested.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from revive.accounts.services import token_create

pytestmark = pytest.mark.django_db

# Pages anyone may open.
PUBLIC = {"public", "login", "admin_login", "logout", "set_language", "calendar_month", "favicon"}
# Pages that list or aggregate within the caller's scope: visited as the Tehran officer they must
# answer and must not show anything of Semnan.
LISTS = {
    "home",  # the caller's own tasks
    "overview",
    "units",
    "cases",
    "survival",
    "meetings",
    "meeting_new",
    "resolutions",
    "overdue",
    "execution",
    "audit",  # audit rows of the caller's province only
    "dashboard",
    "press",
    "backtest",
    "production",
    "reported",
    "indicator_report",
    "loans",
    "credit_lines",
    "loan_funnel",
    "lending_share",
    "plans",
    "scenarios",
    "infra_projects",
    "password_change",  # the caller's own account: nothing of anyone else's
    "filings",  # late and missing filers, submissions waiting for review: the caller's province only
    "imports",  # upload and preview: a provincial officer's rows of other provinces are errors
    "notices",  # the caller's own inbox
    "notice_preferences",  # the caller's own preferences
    "suspension_list",  # units without filings for months: the caller's province only
    "watchlist",  # units at risk of going idle: the caller's province only
    "risk_model",  # the model's national backtest figures: no unit, no province
    "attribution",  # national effects, and the caller's own province's
}
SEMNAN_MARKERS = ("سمنان", "Semnan", "لبنیات کویر", "ریخته")


def _semnan_objects(world, officer_semnan):
    """kwargs for every object URL, pointing at Semnan's records; (kwargs, methods)."""
    from revive.cases import services
    from revive.cases.models import Case
    from revive.registry.models import Organisation

    case = Case.objects.filter(province__code="IR-20").order_by("pk").first()
    obstacle = services.obstacle_add(case=case, by=officer_semnan, kind="market")
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    resolution = services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="x",
        deadline=date(2026, 10, 1),
        case=case,
        by=officer_semnan,
    )
    return {
        "province": ({"code": "IR-20"}, ["get"]),
        "park": ({"code": "P-20-001"}, ["get"]),
        "unit": ({"business_id": "200000000011"}, ["get", "post"]),
        "unit_open_case": ({"business_id": "200000000011"}, ["post"]),
        "case": ({"pk": case.pk}, ["get"]),
        "case_obstacle": ({"pk": case.pk}, ["post"]),
        "obstacle_status": ({"pk": case.pk, "obstacle_id": obstacle.pk}, ["post"]),
        "case_transition": ({"pk": case.pk}, ["post"]),
        "case_assign": ({"pk": case.pk}, ["post"]),
        "case_visit": ({"pk": case.pk}, ["post"]),
        "meeting": ({"pk": meeting.pk}, ["get", "post"]),
        "meeting_minutes": ({"pk": meeting.pk}, ["get"]),
        "visit_photo": ({"pk": case.pk, "photo_id": _semnan_photo(case)}, ["get"]),
        "meeting_letter": ({"pk": meeting.pk, "organisation_id": resolution.organisation_id}, ["get"]),
        "resolution_answer": ({"pk": resolution.pk}, ["post"]),
        "resolution_escalate": ({"pk": resolution.pk}, ["post"]),
        # national targets: a provincial officer may not set them
        "targets_edit": ({"code": "revived_units"}, ["get", "post"]),
        # national lending figures: entered and imported by national staff only
        "lending_figure": ({}, ["post"]),
        "lending_import": ({}, ["post"]),
        # an import is seen by the officer who uploaded it only: anyone else's job is unknown (404)
        **{
            name: ({"pk": _semnan_import_job(officer_semnan)}, methods)
            for name, methods in (
                ("import_job", ["get"]),
                ("import_job_status", ["get"]),
                ("import_job_confirm", ["post"]),
            )
        },
        # a blank template holds no records: only sign-in is checked
        "import_template": ({"kind": "units"}, []),
        # the owner's own filing form: anyone who is not a unit owner gets 404
        "filing_new": ({}, ["get", "post"]),
        "filing_review": ({"pk": _semnan_submission(officer_semnan)}, ["post"]),
        **_semnan_finance_and_planning(officer_semnan),
        # a Semnan unit on the watch list: another province's officer cannot open a case from it
        "watch_open_case": ({"pk": _semnan_risk_score()}, ["post"]),
        **_semnan_notices(officer_semnan),
    }


def _semnan_notices(officer_semnan) -> dict:
    """A notice of the Semnan officer (nobody else may open it); the deadline rules and holidays are
    national administrators' only; marking read acts on the caller's own notices (test_notices.py)."""
    from revive.notices.models import Holiday
    from revive.notices.services import message, notify

    notice = notify(recipients=[officer_semnan], kind="filing_missing", event="walk", text=message("x"))[0]
    return {
        "notice_open": ({"pk": notice.pk}, ["post"]),
        "deadline_rules": ({}, ["get", "post"]),
        "holiday_remove": ({"pk": Holiday.objects.order_by("pk").first().pk}, ["post"]),
        "notices_read": ({}, []),
    }


def _semnan_import_job(officer_semnan) -> int:
    from revive.core.scoping import scope_for
    from revive.imports.models import ImportJob
    from revive.imports.services import import_job_start

    job = ImportJob.objects.filter(user=officer_semnan).first()
    if job is None:
        job = import_job_start(
            user=officer_semnan,
            scope=scope_for(officer_semnan),
            kind="units",
            filename="semnan.csv",
            content=b"business_id,name_fa,park,sector,size_class\n200000000099,x,P-20-001,24,small\n",
        )
    return job.pk


def _semnan_submission(officer_semnan) -> int:
    from revive.accounts.models import User
    from revive.filings.services import submission_create
    from revive.registry.models import ProductionUnit

    unit = ProductionUnit.objects.get(business_id="200000000011")
    owner = User.objects.create_user(username="owner.walk", role="unit_owner", unit=unit)
    submission = submission_create(
        unit=unit,
        by=owner,
        jyear=1405,
        jmonth=7,
        production_value=10**9,
        capacity_utilisation=60,
        employees=5,
    )
    return submission.pk


def _semnan_finance_and_planning(officer_semnan) -> dict:
    from revive.core.scoping import scope_for
    from revive.finance import services as finance
    from revive.planning import services as planning
    from revive.registry.models import IndustrialPark, ProductionUnit

    unit = ProductionUnit.objects.get(business_id="200000000011")
    loan = finance.loan_register(
        unit=unit, by=officer_semnan, kind="working_capital", amount_requested=10**10
    )
    project = planning.project_create(
        park=IndustrialPark.objects.get(code="P-20-001"),
        utility="gas",
        name_fa="گازرسانی",
        cost=10**11,
        duration_months=6,
        by=officer_semnan,
    )
    scope = scope_for(officer_semnan)
    scenario = planning.scenario_save(scope=scope, name="s", by=officer_semnan, changes={})
    run = planning.plan_run_start(scope=scope, by=officer_semnan, year=1405, start=False)
    return {
        "loan_new": ({"_query": "?unit=200000000011"}, ["get", "post"]),
        "loan": ({"pk": loan.pk}, ["get"]),
        **{
            name: ({"pk": loan.pk}, ["post"])
            for name in ("loan_step", "loan_introduce", "loan_decide", "loan_disburse", "loan_repay")
        },
        "loan_document_add": ({"pk": loan.pk}, ["post"]),
        "loan_document": ({"pk": loan.pk, "document_id": _semnan_document(loan)}, ["get"]),
        "plan_run": ({"pk": run.pk}, ["get"]),
        "plan_run_status": ({"pk": run.pk}, ["get"]),
        "plan_replan": ({"pk": run.pk}, ["post"]),
        "plan_compare": ({"_query": f"?a={run.pk}&b={run.pk}"}, ["get"]),
        "scenario_run": ({"pk": scenario.pk}, ["post"]),
        "infra_project": ({"pk": project.pk}, ["get", "post"]),
    }


def _semnan_risk_score() -> int:
    from revive.insight.models import RiskRun, RiskScore
    from revive.registry.models import ProductionUnit

    unit = ProductionUnit.objects.get(business_id="200000000011")
    run = RiskRun.objects.create(
        as_of="1405/06", panel_first="1400/07", train_first="1400/08", train_last="1404/12"
    )
    return RiskScore.objects.create(
        run=run, unit=unit, province_id=unit.province_id, park_id=unit.park_id, sector_id=unit.sector_id, rank=1,
        probability=0.9, reasons=[{"group": "arrears", "weight": 0.2, "values": {"now": 1, "months_6": 3}}],
    ).pk  # fmt: skip


def _semnan_document(loan) -> int:
    from revive.documents.models import LoanDocument

    # The row only: the view answers 404 before it would open the file.
    return LoanDocument.objects.create(
        loan=loan, province_id=loan.province_id, kind="application", file="loans/x.pdf",
        content_type="application/pdf", size=1,
    ).pk  # fmt: skip


def _semnan_photo(case) -> int:
    from revive.cases.models import FieldVisit, VisitPhoto

    visit = FieldVisit.objects.create(
        case=case, province_id=case.province_id, visited_on=case.opened_on, inspector_name="x", findings="x",
        capacity_observed=10,
    )  # fmt: skip
    return VisitPhoto.objects.create(visit=visit, image="visits/x.png", content_type="image/png", size=1).pk


def _url(name: str, kwargs: dict) -> str:
    from django.urls import reverse

    kwargs = dict(kwargs)
    query = kwargs.pop("_query", "")
    return reverse(f"web:{name}", kwargs=kwargs) + query


def _web_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in ("admin", "api"):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and namespace in ("web", ""):
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_page_is_classified(world, officer_semnan):
    known = PUBLIC | LISTS | set(_semnan_objects(world, officer_semnan))
    assert sorted(_web_url_names() - known) == [], "classify these URLs in test_scope_walk.py"


def test_officer_of_another_province_gets_404_on_every_object_page(
    client, world, officer_semnan, officer_tehran
):

    objects = _semnan_objects(world, officer_semnan)
    client.force_login(officer_tehran)
    for name, (kwargs, methods) in objects.items():
        url = _url(name, kwargs)
        for method in methods:
            response = getattr(client, method)(url, {})
            assert response.status_code == 404, (name, method, response.status_code)


def test_lists_show_only_the_callers_province(client, world, officer_semnan, officer_tehran):
    from django.urls import reverse

    _semnan_objects(world, officer_semnan)
    client.force_login(officer_tehran)
    for name in sorted(LISTS):
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        assert not [m for m in SEMNAN_MARKERS if m in body], name


def test_anonymous_visitor_is_sent_to_sign_in(client, world, officer_semnan):
    from django.urls import reverse

    for name, (kwargs, _methods) in _semnan_objects(world, officer_semnan).items():
        response = client.get(_url(name, kwargs))
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    for name in LISTS:
        assert client.get(reverse(f"web:{name}")).status_code == 302, name


# --- API ------------------------------------------------------------------------------------------

API_PARAMS = {
    "code": lambda objs: "IR-20",
    "business_id": lambda objs: "200000000011",
}


def _api_paths(client) -> dict:
    return client.get("/api/v1/openapi.json").json()["paths"]


def test_every_api_endpoint_refuses_anonymous(client, world):
    for path, operations in _api_paths(client).items():
        for method in operations:
            concrete = path.replace("{", "").replace("}", "")
            response = getattr(client, method)(concrete, content_type="application/json")
            assert response.status_code == 401, (method, path, response.status_code)


def test_api_as_an_officer_of_another_province(client, world, officer_semnan, officer_tehran):
    from revive.cases.models import Case, Resolution

    _semnan_objects(world, officer_semnan)
    from revive.finance.models import LoanRequest
    from revive.planning.models import PlanRun

    ids = {
        "case_id": Case.objects.filter(province__code="IR-20").first().pk,
        "loan_id": LoanRequest.objects.get().pk,
        "run_id": PlanRun.objects.get().pk,
        "resolution_id": Resolution.objects.get().pk,
        "code": None,  # depends on the path: a province or a park
        "business_id": "200000000011",
    }
    token = token_create(user=officer_tehran)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    unclassified = []
    for path, operations in _api_paths(client).items():
        params = [seg[1:-1] for seg in path.split("/") if seg.startswith("{")]
        concrete = path
        for p in params:
            value = ids.get(p)
            if p == "code":
                value = "P-20-001" if "/parks/" in path else "IR-20"
            if value is None:
                unclassified.append(path)
                break
            concrete = concrete.replace("{" + p + "}", str(value))
        else:
            for method in operations:
                if params:
                    # A well-formed body, so the answer is about scope, not about validation.
                    body = (
                        {}
                        if method == "get"
                        else '{"status": "done", "version": 1}'
                        if path.endswith("/answer")
                        else '{"to": "closed", "note": "x", "version": 1}'
                    )
                    response = getattr(client, method)(
                        concrete, body, content_type="application/json", **auth
                    )
                    assert response.status_code == 404, (method, path, response.status_code)
                elif method == "get":
                    response = client.get(concrete, **auth)
                    assert response.status_code == 200, (path, response.status_code)
                    text = response.content.decode()
                    assert "IR-20" not in text and "Semnan" not in text, path
                    province = client.get(concrete, {"province": "IR-20"}, **auth)
                    assert province.status_code in (404, 200), path
                    if province.status_code == 200:
                        assert "IR-20" not in province.content.decode(), path
    assert unclassified == [], "add these path parameters to test_scope_walk.py"
