import math
from datetime import date

import pytest
from django.utils import translation

from revive.core.errors import ConflictError, DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.indicators import forecast, reports, selectors, services
from revive.indicators.models import ReportedValue, Target
from revive.registry import selectors as registry

pytestmark = pytest.mark.django_db


def test_province_targets_that_do_not_add_up_are_refused_with_the_difference(programme_1405, national_admin):
    with pytest.raises(DomainError) as exc:
        services.targets_set(indicator=programme_1405["revived"], national=10,
                             provinces={"IR-23": "۴", "IR-20": 3, "IR-10": 2}, by=national_admin)  # fmt: skip
    with translation.override("en"):
        assert "add up to 9, not 10: 1 short" in str(exc.value)
    # Nothing was written: the earlier split stands.
    assert Target.objects.get(indicator=programme_1405["revived"], province__code="IR-20").value == 4


def test_a_target_for_a_past_locked_year_is_refused(world, national_admin):
    from django.utils import translation

    with (
        translation.override("en"),
        pytest.raises(ConflictError, match="1404 is over and its targets are locked"),
    ):
        services.check_target_year(1404)
    with pytest.raises(ConflictError, match="قفل شده"):  # Persian by default
        services.check_target_year(1404)


def test_officers_cannot_set_targets(programme_1405, officer_tehran):
    with pytest.raises(DomainError):
        services.targets_set(indicator=programme_1405["revived"], national=10, by=officer_tehran)


def test_targets_set_is_audited(programme_1405):
    event = AuditEvent.objects.filter(action="targets_set", object_id="revived_units/1405").get()
    assert event.after["provinces"] == {"IR-23": "4.00", "IR-20": "4.00", "IR-10": "2.00"}


def test_reported_value_is_entered_approved_then_locked(programme_1405, officer_semnan, analyst):
    land = programme_1405["land"]
    semnan = officer_semnan.province
    row = services.reported_value_enter(
        indicator=land, year=1405, month=7, value="۱۲٫۵", province=semnan, by=officer_semnan
    )
    assert row.value == 12.5 and row.status == ReportedValue.Status.ENTERED
    services.reported_value_approve(row=row, by=analyst)
    from django.utils import translation

    with translation.override("en"), pytest.raises(ConflictError, match="approved on .* and is locked"):
        services.reported_value_enter(
            indicator=land, year=1405, month=7, value=13, province=semnan, by=officer_semnan
        )
    assert list(
        AuditEvent.objects.filter(object_type="indicators.reportedvalue")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "enter",
        "approve",
    ]
    scope = Scope(ScopeKind.PROVINCE, province_id=semnan.id)
    fig = selectors.figures(scope=scope, year=1405, province=semnan, with_forecast=False)
    assert [r.actual for r in fig["rows"] if r.indicator.code == "land_allocated"] == [12.5]


def test_officer_cannot_report_for_another_province(programme_1405, officer_tehran, world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.reported_value_enter(indicator=programme_1405["land"], year=1405, month=7, value=1,
                                      province=world["provinces"]["IR-20"], by=officer_tehran)  # fmt: skip


def test_figures_reuse_the_headline_revivals(programme_1405):
    data = selectors.figures(scope=NATION, year=1405)
    kpi = registry.revivals(scope=NATION, period=data["period"])
    row = selectors.headline(data["rows"])
    assert row.actual == kpi["revived_units"] == 2
    assert row.target == 10 and row.progress == pytest.approx(0.2)
    assert row.forecast_low <= row.forecast <= row.forecast_high
    assert row.needed_per_month == math.ceil(8 / (12 - data["elapsed"]))  # whole units, rounded up


def test_monthly_series_add_up_to_revivals_by_month(programme_1405):
    series = selectors.monthly(scope=NATION, metric="revived_units", years=[1404, 1405])
    assert series[1405] == registry.revivals_by_month(scope=NATION, year=1405)
    assert series[1404] == registry.revivals_by_month(scope=NATION, year=1404)


def test_province_ranking_and_tiles_cover_the_provinces(programme_1405):
    ranking = selectors.province_ranking(scope=NATION, year=1405)
    assert [r["province"].code for r in ranking][:2] in (["IR-23", "IR-20"], ["IR-20", "IR-23"])
    assert all(r["province"].code in selectors.TILE_LAYOUT for r in ranking)
    assert len(selectors.TILE_LAYOUT) == 31 and len(set(selectors.TILE_LAYOUT.values())) == 31


def test_forecast_interval_and_backtest():
    history = [[10] * 11 + [30], [12] * 11 + [36], [11] * 11 + [33]]
    f = forecast.forecast(actual=88, elapsed=8.0, history=history)
    assert f.low <= f.point <= f.high
    assert 130 < f.point < 160  # the Esfand surge is expected, not a straight line
    rows = forecast.backtest({1401: history[0], 1402: history[1], 1403: history[2]})
    assert len(rows) == 2 * 11 and all(r["outcome"] for r in rows)
    assert forecast.backtest_summary(rows)["mape"] < 0.2


def test_forecast_with_pipeline_replaces_part_of_the_remaining_months():
    history = [[10] * 12] * 3
    pipe = forecast.Pipeline([forecast.Stage("in progress", 20, 0.5)], share_of_remaining=0.5)
    f = forecast.forecast(actual=60, elapsed=6.0, history=history, pipeline=pipe)
    assert f.pipeline_expected == 10 and f.point == pytest.approx(60 + 30 + 10)


def test_report_month_in_the_future_is_refused_and_arabic_digits_work(world):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DomainError, match="has not started yet"):
        reports.parse_month("1405/10")
    assert reports.parse_month("١٤٠٥/٠٨") == (1405, 8)
    assert reports.parse_month("۱۴۰۵/۰۸") == (1405, 8)


def test_production_index_by_sector_and_province(world):
    from revive.filings.services import filing_submit
    from revive.registry.models import ProductionUnit

    unit = ProductionUnit.objects.get(business_id="230000000011")
    for year, value in [(1404, 100), (1405, 150)]:
        filing_submit(unit=unit, jyear=year, jmonth=7, production_value=value, capacity_utilisation=60,
                      employees=10, filed_on=date(2026, 11, 1), by=None)  # fmt: skip
    data = selectors.production_index(scope=NATION, year=1405, month=7)
    assert data["total"]["month_index"] == 150
    assert data["by_group"][0]["group"] == "metal"


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


def test_a_pending_figure_is_replaced_only_by_someone_who_saw_it(programme_1405, officer_semnan):
    land, semnan = programme_1405["land"], officer_semnan.province
    row = services.reported_value_enter(
        indicator=land, year=1405, month=7, value=12, province=semnan, by=officer_semnan, version=0
    )
    # A second entry from a form that showed no figure is refused with the current version to confirm with.
    with pytest.raises(ConflictError) as refused:
        services.reported_value_enter(
            indicator=land, year=1405, month=7, value=99, province=semnan, by=officer_semnan, version=0
        )
    assert refused.value.details["current_version"] == row.version
    row.refresh_from_db()
    assert row.value == 12
    again = services.reported_value_enter(
        indicator=land, year=1405, month=7, value=99, province=semnan, by=officer_semnan, version=row.version
    )
    assert again.value == 99
