"""The monthly PDF report (issue 14): charts of revivals by month and of progress to each target, Persian page
numbers, and one rounding of the monthly pace needed in the page, the PDF and the XLSX."""

import io
import math
import re
import subprocess

import pytest
from django.utils import translation

from revive.core.scoping import NATION
from revive.indicators import report_charts, reports, selectors

pytestmark = pytest.mark.django_db


def _pdf_text(data) -> str:
    problem = reports.weasyprint_error()
    if problem:
        pytest.skip(problem)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=reports.render_pdf(data), capture_output=True, check=True
    ).stdout.decode()
    return re.sub("[\u200e\u200f\u202a-\u202e]", "", text)


def test_pdf_report_draws_revivals_by_month_and_progress_charts_in_persian(programme_1405):
    with translation.override("fa"):
        data = reports.report_data(scope=NATION, year=1405, month=9)
        html = reports.render_html(data)
        text = _pdf_text(data)
    assert 'class="bars"' in html and 'class="progress"' in html
    assert "واحدهای راکد احیاشده در هر ماه، ۱۴۰۵ در برابر ۱۴۰۴" in html
    # The chart's title and legend, and the month under way drawn apart (Azar 1405 is not over in the tests).
    assert "در برابر ۱۴۰۴" in text and "ماه جاری" in text and 'class="bar this partial"' in html
    assert "پیشرفت به سوی هر هدف" in text
    # Page numbers in Persian digits.
    assert re.search("[۱۲]\\s*/\\s*[۱۲]", text) and not re.search("\\b1\\s*/\\s*[12]\\b", text)


def test_progress_chart_has_one_bar_per_target_and_the_100_percent_mark(programme_1405):
    data = selectors.figures(scope=NATION, year=1405, with_forecast=False)
    with translation.override("en"):
        svg = report_charts.progress_to_targets(rows=data["rows"], lang="en")
    with_target = [r for r in data["rows"] if r.target and r.progress is not None]
    assert len(with_target) == 2 and svg.count('class="fill') == 2 and svg.count('class="mark"') == 2
    assert "Jobs restored" in svg and "33%" in svg  # 65 of 200


def test_monthly_pace_needed_is_rounded_up_once_for_page_pdf_and_xlsx(client, programme_1405, national_admin):
    import openpyxl

    with translation.override("en"):
        data = reports.report_data(scope=NATION, year=1405, month=9)
        jobs = next(r for r in data["figures"]["rows"] if r.indicator.code == "jobs_restored")
        exact = (jobs.target - jobs.actual) / (12 - data["figures"]["elapsed"])
        assert exact != int(exact)  # a fraction: the case where the PDF and the XLSX used to differ
        assert jobs.needed_per_month == math.ceil(exact)
        book = openpyxl.load_workbook(io.BytesIO(reports.render_xlsx(data)))
        cells = {row[1]: row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True) if row[1]}
        assert cells["Jobs restored"][6] == math.ceil(exact)
    client.force_login(national_admin)
    client.cookies["django_language"] = "en"
    page = client.get("/dashboard/").content.decode()
    assert f'<td class="n">{math.ceil(exact)}</td>' in page
