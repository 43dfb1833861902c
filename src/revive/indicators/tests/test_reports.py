"""indicators/reports.py: the report's month and the monthly report as a workbook."""

import pytest
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.indicators import reports

pytestmark = pytest.mark.django_db


def test_report_month_in_the_future_is_refused_and_arabic_digits_work(world):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DomainError, match="has not started yet"):
        reports.parse_month("1405/10")
    assert reports.parse_month("١٤٠٥/٠٨") == (1405, 8)
    assert reports.parse_month("۱۴۰۵/۰۸") == (1405, 8)


def test_report_command_writes_xlsx(programme_1405, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    call_command("report", "--month", "۱۴۰۵/۰۸", "--format", "xlsx", "--lang", "en", "--out", str(out))
    with translation.override("en"):
        data = reports.report_data(scope=NATION, year=1405, month=8)
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "By month", "Provinces", "Production"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[3][:6] == ("Programme", "Indicator", "Unit", "Target", "Actual", "Progress")
    rows = {r[1]: r for r in summary[4 : 4 + len(data["figures"]["rows"])]}
    revived = next(r for r in data["figures"]["rows"] if r.indicator.code == "revived_units")
    assert rows["Idle units revived"][0] == "Reviving idle units"
    assert rows["Idle units revived"][3:5] == (10, revived.actual)  # the target set in programme_1405
    assert rows["Jobs restored"][3] == 200
    by_month = list(book["By month"].iter_rows(values_only=True))
    assert by_month[0] == ("Month", "1405", "1404") and len(by_month) == 1 + 8
    assert [r[1] for r in by_month[1:]] == [m["this"] for m in data["by_month"]]
    assert sum(r[1] for r in by_month[1:]) == revived.actual
    provinces = {r[1]: r for r in list(book["Provinces"].iter_rows(values_only=True))[1:]}
    assert {code: r[5] for code, r in provinces.items()} == {"IR-23": 4, "IR-20": 4, "IR-10": 2}


def test_report_pdf_made_once_for_the_same_html_and_never_stale(programme_1405, national_admin, monkeypatch):
    """The PDF is kept under its HTML: read again, the same bytes without a second layout; after a write
    that changes a figure, the new PDF is the one made from scratch (and not the kept one)."""
    from django.core.cache import cache, caches

    from revive.core import pdf
    from revive.core.cache import SHARED
    from revive.indicators import services

    made = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: made.append(html) or real(html))
    cache.clear()
    caches[SHARED].clear()
    with translation.override("en"):
        data = reports.report_data(scope=NATION, year=1405, month=8)
        first = reports.render_pdf(data)
        assert first == real(reports.render_html(data)) and len(made) == 1
        assert reports.render_pdf(reports.report_data(scope=NATION, year=1405, month=8)) == first
        cache.clear()  # another process: only the shared cache has it
        assert reports.render_pdf(reports.report_data(scope=NATION, year=1405, month=8)) == first
        assert len(made) == 1
        services.targets_set(indicator=programme_1405["revived"], national=12, by=national_admin)
        changed = reports.report_data(scope=NATION, year=1405, month=8)
        assert changed["headline"].target == 12
        again = reports.render_pdf(changed)
    assert len(made) == 2 and again != first
    assert again == real(made[-1])


def test_report_press_paragraph_from_its_own_figures_is_the_press_pages(programme_1405):
    """The report hands its figures (with the forecast) to the press summary instead of having them computed
    again without it: the paragraph and the numbers it quotes are the press page's, in both languages."""
    from revive.indicators import press

    for lang in ("fa", "en"):
        with translation.override(lang):
            data = reports.report_data(scope=NATION, year=1405, month=8)
            alone = press.summary(scope=NATION, year=1405, lang=lang, today=data["as_of"])
        assert data["press"] == alone and alone["figures"]["revived_units"] > 0
