"""Every list page downloads as CSV and XLSX: the same rows, one header, both calendars, safe cells."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from revive.cases import services as case_services
from revive.cases.models import Case
from revive.core.scoping import NATION
from revive.filings import services as filing_services
from revive.finance import services as finance_services
from revive.finance.tests.factories import BN, introduced, line, paid, registered
from revive.planning import services as planning_services
from revive.planning.models import PlanRun
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (URL name, URL arguments or the record whose page it is, query, whether the fixture gives the table a dated row)
LISTS = [
    pytest.param("overview", {}, {}, False, id="overview"),
    pytest.param("province", {"code": "IR-20"}, {}, False, id="province-parks"),
    pytest.param("park", {"code": "P-20-001"}, {"table": "units"}, True, id="park-units"),
    pytest.param("park", {"code": "P-20-001"}, {"table": "infrastructure"}, False, id="park-infrastructure"),
    pytest.param("units", {}, {}, True, id="units"),
    pytest.param("cases", {}, {}, True, id="cases"),
    pytest.param("meetings", {}, {}, True, id="meetings"),
    pytest.param("resolutions", {}, {}, True, id="resolutions"),
    pytest.param("overdue", {}, {}, True, id="overdue"),
    pytest.param("execution", {}, {"table": "organisation"}, False, id="execution-organisation"),
    pytest.param("execution", {}, {"table": "province"}, False, id="execution-province"),
    pytest.param("survival", {}, {"table": "year"}, False, id="survival-year"),
    pytest.param("survival", {}, {"table": "province"}, False, id="survival-province"),
    pytest.param("loans", {}, {}, True, id="loans"),
    pytest.param("credit_lines", {}, {"year": "1405"}, False, id="credit-lines"),
    pytest.param("loan_funnel", {}, {"year": "1405", "table": "bank"}, False, id="funnel-bank"),
    pytest.param("loan_funnel", {}, {"year": "1405", "table": "province"}, False, id="funnel-province"),
    pytest.param("loan_funnel", {}, {"year": "1405", "table": "sector"}, False, id="funnel-sector"),
    pytest.param("loan_funnel", {}, {"year": "1405", "table": "month"}, False, id="funnel-month"),
    pytest.param("lending_share", {}, {"year": "1405", "table": "month"}, False, id="lending-month"),
    pytest.param("lending_share", {}, {"year": "1405", "table": "bank"}, False, id="lending-bank"),
    pytest.param("plans", {}, {}, True, id="plans"),
    pytest.param("infra_projects", {}, {}, False, id="infra-projects"),
    pytest.param("scenarios", {}, {}, True, id="scenarios"),
    pytest.param("dashboard", {}, {"table": "targets"}, False, id="dashboard-targets"),
    pytest.param("dashboard", {}, {"table": "ranking"}, False, id="dashboard-ranking"),
    pytest.param("backtest", {}, {"table": "month"}, False, id="backtest-month"),
    pytest.param("backtest", {}, {"table": "forecasts"}, False, id="backtest-forecasts"),
    pytest.param("production", {}, {"month": "1405/07", "table": "group"}, False, id="production-group"),
    pytest.param(
        "production", {}, {"month": "1405/07", "table": "province"}, False, id="production-province"
    ),
    pytest.param("reported", {}, {}, False, id="reported"),
    pytest.param("audit", {}, {}, True, id="audit"),
    pytest.param("filings", {}, {"list": "missing"}, True, id="filings-missing"),
    pytest.param("cases", {}, {"table": "workload"}, False, id="cases-workload"),
    # object pages: the URL arguments name one of the records below
    pytest.param("unit", "unit", {"table": "history"}, True, id="unit-history"),
    pytest.param("unit", "unit", {"table": "filings"}, True, id="unit-filings"),
    pytest.param("case", "case", {"table": "obstacles"}, False, id="case-obstacles"),
    pytest.param("case", "case", {"table": "timeline"}, True, id="case-timeline"),
    pytest.param("meeting", "meeting", {}, True, id="meeting-resolutions"),
    pytest.param("loan", "loan", {"table": "timeline"}, True, id="loan-timeline"),
    pytest.param("loan", "loan", {"table": "disbursements"}, True, id="loan-disbursements"),
    pytest.param("loan", "loan", {"table": "instalments"}, True, id="loan-instalments"),
    pytest.param("loan", "loan", {"table": "repayments"}, True, id="loan-repayments"),
    pytest.param("plan_run", "run", {"table": "units"}, False, id="plan-units"),
    pytest.param("plan_run", "run", {"table": "baselines"}, False, id="plan-baselines"),
    pytest.param("plan_run", "run", {"table": "sweep"}, False, id="plan-sweep"),
    pytest.param("plan_run", "run", {"table": "province"}, False, id="plan-province"),
]

# A finished plan's result, as the planning task writes it, with one unit
PLAN_RESULT = {
    "units": 1,
    "jobs": 40,
    "objective_kind": "jobs",
    "objective": 40.0,
    "bound": 41.0,
    "gap": 0.02,
    "best_rule_value": 35.0,
    "loans": 30 * BN,
    "infra": 0,
    "months_left": 3,
    "instance": {"units": 2, "projects": 0},
    "seconds": 0.5,
    "baselines": {"greedy": 30.0, "most_jobs_first": 35.0, "oldest_first": 20.0},
    "best_rule": "most_jobs_first",
    "rows": [
        {"business_id": "200000000022", "name_fa": "لبنیات کویر", "name_en": "Kavir Dairy", "province": "IR-20",
         "park_fa": "شهرک ۲", "park_en": "Park 2", "loan": 30 * BN, "bank": "", "projects": [], "project_share": 0,
         "cost": 30 * BN, "value": 40.0, "jobs": 40, "case": None}
    ],  # fmt: skip
    "sweep": [
        {"factor": 0.5, "money": 15 * BN, "spent": {"loans": 0, "infra": 0}, "units": 0, "value": 0.0},
        {"factor": 1.0, "money": 30 * BN, "spent": {"loans": 30 * BN, "infra": 0}, "units": 1, "value": 40.0,
         "per_billion": 2.67},
    ],  # fmt: skip
    "by_province": [
        {"province": "IR-20", "name_fa": "سمنان", "name_en": "Semnan", "units": 1, "jobs": 40, "loans": 30 * BN,
         "infra": 0, "value": 40.0}
    ],  # fmt: skip
}


@pytest.fixture
def records(world, national_admin, officer_semnan, bank_melli) -> dict:
    """A meeting with a resolution in Semnan and in Tehran, loans in both (one paid out and being repaid),
    a credit line, lending figures, filings, a plan and a scenario: something in every list and on every
    object page. Returns Semnan's unit, case, meeting, loan and plan run."""
    semnan_case = Case.objects.get(unit=world["units"]["200000000022"])
    case_services.obstacle_add(case=semnan_case, by=officer_semnan, kind="working_capital", amount=30 * BN)
    meetings = {}
    for code, case, text in [("20", semnan_case, "اتصال گاز سمنان"), ("23", None, "اتصال گاز تهران")]:
        meeting = case_services.meeting_create(
            province=world["provinces"][f"IR-{code}"],
            number=7,
            held_on=date(2026, 9, 1),
            by=national_admin,
            cases=[case] if case else [],
        )
        meetings[code] = meeting
        case_services.resolution_issue(
            meeting=meeting,
            organisation=Organisation.objects.get(code=f"gas-{code}"),
            text=text,
            deadline=date(2026, 10, 1),
            case=case,
            by=national_admin,
        )
    introduced(world, officer_semnan, amount=30 * BN)
    registered(world, national_admin, business_id="230000000022", amount=10 * BN)
    line(1405, 500 * BN)
    loan = paid(world, officer_semnan, bank_melli, business_id="200000000011", amount=20 * BN)
    finance_services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 15), amount=20 * BN)
    loan.refresh_from_db()
    finance_services.repayment_record(loan=loan, by=bank_melli, on=date(2026, 9, 20), amount=BN)
    foundry = world["units"]["200000000011"]
    for month, filed_on in [(6, date(2026, 9, 20)), (7, date(2026, 11, 10))]:  # the second one late
        filing_services.filing_submit(unit=foundry, jyear=1405, jmonth=month, production_value=5 * BN,
                                      capacity_utilisation=40, employees=25, by=officer_semnan, filed_on=filed_on)  # fmt: skip
    for bank in (None, Organisation.objects.get(code="melli")):
        finance_services.lending_figure_set(
            year=1405, month=1, bank=bank, total=100 * BN, industry_mining=40 * BN, by=national_admin
        )
    run = PlanRun.objects.create(
        author=national_admin,
        province=world["provinces"]["IR-20"],
        status=PlanRun.Status.DONE,
        parameters={"year": 1405},
        result=PLAN_RESULT,
    )
    planning_services.scenario_save(
        scope=NATION, name="=1+1", by=national_admin, changes={"loan_multiplier": 1.5}, note="what if"
    )
    return {"unit": foundry, "case": semnan_case, "meeting": meetings["20"], "loan": loan, "run": run}


def _object_kwargs(record) -> dict:
    return {"business_id": record.business_id} if hasattr(record, "business_id") else {"pk": record.pk}


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response) -> list[tuple]:
    assert response["Content-Type"] == XLSX
    return list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))


def _download(client, url: str, query: dict, fmt: str):
    response = client.get(url, {**query, "export": fmt})
    assert response.status_code == 200, (url, query, fmt)
    assert "attachment" in response["Content-Disposition"]
    return response


def _date_pairs(header: list[str]) -> list[tuple[int, int]]:
    """Each Iranian date column with its Gregorian partner (the audit trail's is its UTC time)."""
    pairs = []
    for i, h in enumerate(header):
        if h.endswith(" (Iranian)"):
            base = h.removesuffix(" (Iranian)")
            partner = next((p for p in (f"{base} (Gregorian)", f"{base} (UTC)") if p in header), None)
            assert partner, f"{h} has no Gregorian column in {header}"
            pairs.append((i, header.index(partner)))
    return pairs


@pytest.mark.parametrize(("name", "kwargs", "query", "dated"), LISTS)
def test_every_list_downloads_as_csv_and_xlsx_with_one_header_and_both_calendars(
    client, national_admin, records, name, kwargs, query, dated
):
    client.cookies["django_language"] = "en"
    client.force_login(national_admin)
    if isinstance(kwargs, str):  # an object page: which of the records
        kwargs = _object_kwargs(records[kwargs])
    url = reverse(f"web:{name}", kwargs=kwargs)
    page = client.get(url, {k: v for k, v in query.items() if k != "table"}).content.decode()
    assert "export=csv" in page and "export=xlsx" in page  # the links beside the table
    if "table" in query:
        assert f"table={query['table']}" in page
    rows = _csv(_download(client, url, query, "csv"))
    header = rows[0]
    assert list(_xlsx(_download(client, url, query, "xlsx"))[0]) == header
    pairs = _date_pairs(header)
    if dated:
        assert pairs, header
        jalali_at, gregorian_at = pairs[0]
        values = [(r[jalali_at], r[gregorian_at]) for r in rows[1:] if r[jalali_at]]
        assert values, f"no dated row in {name}"
        for jalali, iso in values:
            assert re.match(r"^1[34]\d\d/\d\d/\d\d", jalali) and re.match(r"^20\d\d-\d\d-\d\d", iso)


def test_an_unknown_table_answers_404(client, national_admin, records):
    client.force_login(national_admin)
    assert client.get(reverse("web:survival"), {"export": "csv", "table": "nope"}).status_code == 404


def test_officer_of_tehran_downloads_no_semnan_rows(client, officer_tehran, records):
    client.cookies["django_language"] = "en"
    client.force_login(officer_tehran)
    for name in ("units", "cases", "meetings", "resolutions", "overdue", "loans"):
        rows = _csv(_download(client, reverse(f"web:{name}"), {}, "csv"))
        column = rows[0].index("Province code")
        provinces = {r[column] for r in rows[1:]}
        assert "IR-20" not in provinces, name
        if name in ("units", "meetings", "resolutions", "overdue", "loans"):
            assert provinces == {"IR-23"}, name
    text = b"".join(client.get(reverse("web:resolutions"), {"export": "csv"}).streaming_content).decode()
    assert "تهران" in text and "سمنان" not in text


def test_a_cell_that_starts_with_equals_is_neutralised(client, national_admin, records):
    client.cookies["django_language"] = "en"
    client.force_login(national_admin)
    url = reverse("web:scenarios")
    rows = _csv(_download(client, url, {}, "csv"))
    column = rows[0].index("Name")
    assert [r[column] for r in rows[1:]] == ["'=1+1"]
    sheet = _xlsx(_download(client, url, {}, "xlsx"))
    assert sheet[1][column] == "'=1+1"


def test_officer_of_another_province_gets_404_on_the_downloads_of_semnan_records(
    client, officer_tehran, records
):
    client.force_login(officer_tehran)
    for name in ("unit", "case", "meeting", "loan", "plan_run"):
        url = reverse(f"web:{name}", kwargs=_object_kwargs(records[name if name != "plan_run" else "run"]))
        for query in ({"export": "csv"}, {"export": "xlsx", "table": "timeline"}):
            assert client.get(url, query).status_code == 404, (name, query)


def test_a_plan_still_downloads_its_units_by_default(client, national_admin, records):
    client.cookies["django_language"] = "en"
    client.force_login(national_admin)
    rows = _csv(_download(client, reverse("web:plan_run", args=[records["run"].pk]), {}, "csv"))
    assert rows[0][0] == "Business ID" and rows[1][0] == "200000000022"


def test_a_unit_downloads_the_24_months_its_page_shows_newest_first_in_whole_rials(
    client, national_admin, records
):
    client.cookies["django_language"] = "en"
    client.force_login(national_admin)
    url = reverse("web:unit", args=["200000000011"])
    rows = _csv(_download(client, url, {"table": "filings"}, "csv"))
    header = rows[0]
    assert [r[header.index("Month")] for r in rows[1:]] == ["1405/07", "1405/06"]
    assert {r[header.index("Production value (rials)")] for r in rows[1:]} == {str(5 * BN)}
    assert [r[header.index("Late")] for r in rows[1:]] == ["yes", "no"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_stream_in_constant_memory(fmt):
    """Ten times the rows, about the same peak memory: the rows are written out as they come, never held."""
    import tracemalloc

    from revive.web.exports import table_response

    def peak(n: int) -> int:
        rows = ([f"2000000{i:05d}", f"واحد {i}", i, "1405/08/01"] for i in range(n))
        tracemalloc.start()
        response = table_response(fmt=fmt, filename="x", header=["a", "b", "c", "d"], rows=rows, rtl=True)
        assert response.streaming
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert size > n * 10
        return top

    small, large = peak(2_000), peak(20_000)
    assert large < small + 1_000_000, (small, large)
