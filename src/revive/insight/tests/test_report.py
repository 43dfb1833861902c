"""The attribution section of the monthly report: the same stored estimates, the same figures, as the
attribution page and the API, in Persian and English, saying plainly when the estimate cannot be trusted."""

import io
import re

import pytest
from django.utils import translation

from revive.core.money import format_money, format_number, format_percent
from revive.core.scoping import NATION
from revive.indicators import reports
from revive.insight.models import AttributionEffect, AttributionRun
from revive.registry.models import Province

pytestmark = pytest.mark.django_db

ESTIMATES = {  # kind: (att, low, high, pretrend_ok, treated, gross, net_jobs, cost, note)
    "working_capital": (0.1234, 0.0612, 0.1856, True, 412, 160, 734.6, 2_450_000_000, ""),
    "fixed_capital": (0.0451, -0.0123, 0.1025, False, 96, 41, 88.2, 9_100_000_000, "pretrends_fail"),
    "infrastructure": (None, None, None, None, 7, 3, None, None, "too_few_treated"),
    "resolution": (-0.021, -0.08, 0.038, True, 233, 70, -51.0, None, ""),
}


@pytest.fixture
def estimates(world):
    run = AttributionRun.objects.create(panel_first="1400/09", panel_last="1405/08", units=1000)
    tehran = Province.objects.get(code="IR-23")
    for province, scale in ((None, 1.0), (tehran, 0.5)):
        for kind, (att, lo, hi, ok, n, gross, jobs, cost, note) in ESTIMATES.items():
            AttributionEffect.objects.create(
                run=run, province=province, kind=kind, att_producing=att and att * scale, ci_low=lo, ci_high=hi,
                pretrend_ok=ok, units_treated=n, gross_revived=gross, net_jobs=jobs, cost_per_net_job_rials=cost,
                note=note,
            )  # fmt: skip
    return run


def _report_rows(html: str) -> dict:
    """{kind: {figure: text}} from the report's attribution table."""
    table = html.split('data-section="attribution"', 1)[1].split("</table>", 1)[0]
    out = {}
    for kind, body in re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', table, re.S):
        cells = dict(re.findall(r'data-figure="(\w+)">(.*?)</td>', body, re.S))
        out[kind] = {k: re.sub(r"\s+", " ", v).strip() for k, v in cells.items()} | {"text": body}
    return out


def _expected(e: dict, lang: str) -> dict:
    """The figures of one API estimate as the pages write them."""
    out = {
        "treated": format_number(e["units_treated"], lang),
        "gross": format_number(e["gross_revived"], lang),
        "net_jobs": "—" if e["net_jobs"] is None else format_number(round(e["net_jobs"]), lang),
        "cost": format_money(e["cost_per_net_job_rials"], "billion_rial", lang)
        if e["cost_per_net_job_rials"]
        else "—",
    }
    if e["att_producing"] is not None:
        out["att"] = format_percent(e["att_producing"], lang, 1)
        out["ci"] = f"{format_percent(e['ci_low'], lang, 1)} … {format_percent(e['ci_high'], lang, 1)}"
    return out


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_report_page_and_api_show_the_same_estimates(estimates, client, national_admin, lang):
    client.force_login(national_admin)
    client.cookies["django_language"] = lang
    api = client.get("/api/v1/insight/effects").json()
    page = client.get("/insight/attribution/").content.decode()
    with translation.override(lang):
        html = reports.render_html(reports.report_data(scope=NATION, year=1405, month=8))
    rows = _report_rows(html)
    assert set(rows) == set(ESTIMATES) == {e["kind"] for e in api["effects"]}
    for e in api["effects"]:
        want = _expected(e, lang)
        got = rows[e["kind"]]
        for figure, text in want.items():
            assert got[figure] == text, (e["kind"], figure)
            assert text in page  # the attribution page writes the same figure
    # said plainly: a failed pre-trend test and too few treated units
    if lang == "en":
        assert "do not trust this estimate" in rows["fixed_capital"]["text"]
        assert "Too few units were treated to tell." in rows["infrastructure"]["text"]
        assert "What each intervention really adds" in html
    else:
        assert "do not trust" not in html and "Too few units" not in html
        assert "What each intervention really adds" not in html


def test_a_province_report_shows_its_own_estimates_or_says_there_are_none(estimates, client, national_admin):
    tehran, semnan = Province.objects.get(code="IR-23"), Province.objects.get(code="IR-20")
    client.force_login(national_admin)
    client.cookies["django_language"] = "en"
    api = client.get("/api/v1/insight/effects?province=IR-23").json()["effects"]
    with translation.override("en"):
        html = reports.render_html(reports.report_data(scope=NATION, year=1405, month=8, province=tehran))
        rows = _report_rows(html)
        wc = next(e for e in api if e["kind"] == "working_capital")
        assert rows["working_capital"]["att"] == format_percent(wc["att_producing"], "en", 1) == "6.2%"
        html = reports.render_html(reports.report_data(scope=NATION, year=1405, month=8, province=semnan))
    assert "No estimate for this province: too few units treated." in html
    assert _report_rows(html)["working_capital"]["att"] == "12.3%"  # the country's, said so


def test_report_xlsx_has_the_estimates_sheet(estimates):
    import openpyxl

    with translation.override("en"):
        book = openpyxl.load_workbook(
            io.BytesIO(reports.render_xlsx(reports.report_data(scope=NATION, year=1405, month=8)))
        )
    sheet = book["What each intervention really a"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Intervention" and len(rows) == 5
    wc = next(r for r in rows if r[0] == "Working-capital loan disbursed")
    assert wc[1] == pytest.approx(0.1234) and wc[4] == "hold" and wc[7] == 735 and wc[8] == 2_450_000_000
    few = next(r for r in rows if r[0] == "Park infrastructure project completed")
    assert few[1] is None and few[4] == "Too few units were treated to tell."


def test_report_says_when_nothing_was_estimated_yet(world):
    with translation.override("en"):
        html = reports.render_html(reports.report_data(scope=NATION, year=1405, month=8))
    assert "Not estimated yet" in html
