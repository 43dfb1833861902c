"""The indicator pages' downloads: targets and ranking, the backtest, the production index, reported figures."""

from django.utils.translation import gettext as _

from revive.core import calendar, rules
from revive.web.exports import date_cells, month_cell


def dashboard_tables(rows: list, ranking: list[dict]) -> dict:
    lang = rules.language()
    return {
        "targets": (
            [_("Programme"), _("Indicator code"), _("Indicator"), _("Unit of measure"), _("Target"), _("Actual"),
             _("Progress"), _("Monthly pace needed"), _("Year-end forecast"), _("Forecast, low end (80%)"),
             _("Forecast, high end (80%)"), _("Note")],
            ([r.indicator.programme.name(lang), r.indicator.code, r.indicator.name(lang),
              r.indicator.unit_fa if lang == "fa" else r.indicator.unit_en, r.target, r.actual, r.progress,
              r.needed_per_month, r.forecast, r.forecast_low, r.forecast_high, r.note] for r in rows),
        ),
        "ranking": (
            [_("Rank"), _("Province code"), _("Province"), _("Revived"), _("Jobs restored"), _("Target"),
             _("Progress")],
            ([r["rank"], r["province"].code, r["province"].name(lang), r["revived_units"], r["jobs_restored"],
              r["target"], r["progress"]] for r in ranking),
        ),
    }  # fmt: skip


def backtest_tables(data: dict) -> dict:
    def made_on(r: dict) -> list[str]:  # a forecast is made on the last day of its month
        return date_cells(calendar.jalali_month(r["year"], r["month"]).end)

    return {
        "month": (
            [_("Month of the year"), _("Mean error"), _("Inside the interval")],
            ([m["month"], m["mape"], m["coverage"]] for m in data["summary"]["by_month"]),
        ),
        "forecasts": (
            [_("Month"), _("Forecast made on (Iranian)"), _("Forecast made on (Gregorian)"), _("Revived so far"),
             _("Forecast"), _("Low end (80%)"), _("High end (80%)"), _("Outcome"), _("Error")],
            ([month_cell(r["year"], r["month"]), *made_on(r), r["actual_to_date"], r["forecast"], r["low"],
              r["high"], r["outcome"], r["error"]] for r in data["rows"]),
        ),
    }  # fmt: skip


def production_tables(data: dict) -> dict:
    lang = rules.language()
    figures = [_("Month index"), _("Year-to-date index"), _("Production value, month (rials)"),
               _("Production value, same month last year (rials)"), _("Production value, year to date (rials)"),
               _("Production value, same period last year (rials)")]  # fmt: skip

    def values(r: dict) -> list:
        return [r["month_index"], r["ytd_index"], r["month"], r["month_last"], r["ytd"], r["ytd_last"]]

    return {
        "group": ([_("Sector group"), *figures], ([str(r["label"]), *values(r)] for r in data["by_group"])),
        "province": ([_("Province code"), _("Province"), *figures],
                     ([r["province"].code, r["province"].name(lang), *values(r)] for r in data["by_province"])),
    }  # fmt: skip


def reported_table(rows, lang: str):
    header = [_("Indicator code"), _("Indicator"), _("Month"), _("Province code"), _("Province"), _("Value"),
              _("Status"), _("Entered by"), _("Entered on (Iranian)"), _("Entered on (Gregorian)"), _("Approved by"),
              _("Approved on (Iranian)"), _("Approved on (Gregorian)"), _("Note")]  # fmt: skip
    return header, (
        [r.indicator.code, r.indicator.name(lang), month_cell(r.jyear, r.jmonth), r.province.code if r.province else "",
         r.province.name(lang) if r.province else "", r.value, r.get_status_display(),
         r.entered_by.username if r.entered_by else "", *date_cells(r.entered_at),
         r.approved_by.username if r.approved_by else "", *date_cells(r.approved_at), r.note]
        for r in rows
    )  # fmt: skip
