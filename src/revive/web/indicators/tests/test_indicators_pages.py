"""Targets dashboard pages, scoping, the targets form, and the same figures on the page, API, XLSX, PDF and press."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from revive.core.scoping import NATION
from revive.indicators import reports, selectors
from revive.indicators.tests.conftest import programme_1405  # noqa: F401
from revive.registry import selectors as registry

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', html)[1]


def test_dashboard_shows_revivals_against_target(client, programme_1405, national_admin):  # noqa: F811
    client.force_login(national_admin)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "revived_units") == "۲" and _figure(html, "target") == "۱۰"
    assert html.count('<a href="/provinces/') >= 3  # the tile map links each province


def test_officer_of_another_province_gets_404(client, programme_1405, officer_tehran):  # noqa: F811
    client.force_login(officer_tehran)
    for name in ("dashboard", "press", "backtest", "production"):
        assert client.get(reverse(f"web:{name}"), {"province": "IR-20"}).status_code == 404, name
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code == 200 and "سمنان" not in response.content.decode(), name
    assert client.get(reverse("web:targets_edit", args=["revived_units"])).status_code == 404


def test_targets_form_refuses_a_split_that_does_not_add_up(client, programme_1405, national_admin):  # noqa: F811
    client.force_login(national_admin)
    url = reverse("web:targets_edit", args=["revived_units"])
    response = client.post(
        url, {"national": "12", "province_IR-23": "4", "province_IR-20": "4", "province_IR-10": "2"}
    )
    assert response.status_code == 400
    assert "۲" in response.content.decode() and 'value="12"' in response.content.decode()
    response = client.post(
        url, {"national": "۱۲", "province_IR-23": "6", "province_IR-20": "4", "province_IR-10": "2"}
    )
    assert response.status_code == 302


def test_api_targets_and_press(client, programme_1405, officer_tehran, national_admin):  # noqa: F811
    client.force_login(officer_tehran)
    assert client.get("/api/v1/kpis/targets", {"province": "IR-20"}).status_code == 404
    client.force_login(national_admin)
    body = client.get("/api/v1/kpis/targets", {"year": "۱۴۰۵"}).json()
    row = next(r for r in body["indicators"] if r["code"] == "revived_units")
    assert {"target", "actual", "progress", "forecast", "forecast_low", "forecast_high"} <= set(row)
    press = client.get("/api/v1/press-summary", {"year": 1405, "lang": "en"}).json()
    assert (
        "Since the start of 1405 (21 March 2026), 2 idle industrial units have been revived nationwide"
        in press["text"]
    )
    assert client.get("/api/v1/press-summary", {"lang": "de"}).status_code == 400


def _pdf_text(data) -> str:
    problem = reports.weasyprint_error()
    if problem:
        pytest.skip(problem)
    pdf = reports.render_pdf(data)
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
    try:
        from pypdf import PdfReader
    except ImportError:
        return reports.render_html(data)
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_same_figures_everywhere(client, programme_1405, national_admin):  # noqa: F811
    """Page, API, XLSX, PDF and press summary carry the revivals of registry.selectors.revivals."""
    import openpyxl

    client.force_login(national_admin)
    client.cookies["django_language"] = "en"
    period = selectors.figures(scope=NATION, year=1405, with_forecast=False)["period"]
    kpi = registry.revivals(scope=NATION, period=period)
    expected = (kpi["revived_units"], kpi["jobs_restored"])
    html = client.get(reverse("web:dashboard")).content.decode()
    page = (int(_figure(html, "revived_units")), int(_figure(html, "jobs_restored").replace(",", "")))
    api = {r["code"]: r for r in client.get("/api/v1/kpis/targets?year=1405").json()["indicators"]}
    press = client.get("/api/v1/press-summary?year=1405&lang=en").json()
    with translation.override("en"):
        data = reports.report_data(scope=NATION, year=1405, month=9)
        book = openpyxl.load_workbook(io.BytesIO(reports.render_xlsx(data)))
        cells = {row[1]: row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True) if row[1]}
        text = _pdf_text(data)
    assert page == expected
    assert (api["revived_units"]["actual"], api["jobs_restored"]["actual"]) == expected
    assert (press["revived_units"], press["jobs_restored"]) == expected
    assert (cells["Idle units revived"][4], cells["Jobs restored"][4]) == expected
    assert f"Idle units revived since 1 Farvardin 1405: {expected[0]}" in " ".join(text.split())
    assert f"Jobs restored: {expected[1]}" in " ".join(text.split())
