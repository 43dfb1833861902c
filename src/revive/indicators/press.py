"""The press paragraph, in Persian and English, in the organisation's style, from the dashboard's figures.

Written directly in each language rather than through the catalogue: a generated sentence reads
naturally only when each language builds it its own way.
"""

from datetime import date

from revive.core import calendar
from revive.core.money import format_number, format_percent
from revive.core.scoping import Scope
from revive.core.text import to_persian_digits
from revive.indicators import selectors
from revive.indicators.models import Metric
from revive.registry.models import Province

GREGORIAN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December")  # fmt: skip


def _gregorian(d: date) -> str:
    return f"{d.day} {GREGORIAN_MONTHS[d.month - 1]} {d.year}"


def summary(
    *, scope: Scope, year: int, lang: str = "fa", today: date | None = None, province: Province | None = None,
    data: dict | None = None,
) -> dict:  # fmt: skip
    """{"text", "date", "figures"}: the paragraph and the numbers it quotes (the dashboard's, to the digit).

    `data`: selectors.figures for the same scope, year, day and province when the caller has them already
    (the monthly report, with the forecast): the paragraph quotes actuals and targets only, which the
    forecast does not change, and they are not computed a second time."""
    today = today or calendar.tehran_today()
    if data is None:
        data = selectors.figures(scope=scope, year=year, today=today, province=province, with_forecast=False)
    revived = selectors.headline(data["rows"], Metric.REVIVED_UNITS)
    jobs = selectors.headline(data["rows"], Metric.JOBS_RESTORED)
    n = int(revived.actual) if revived and revived.actual is not None else 0
    j = int(jobs.actual) if jobs and jobs.actual is not None else 0
    target = int(revived.target) if revived and revived.target is not None else None
    progress = revived.progress if revived else None
    share_row = selectors.headline(data["rows"], Metric.INDUSTRY_SHARE) if province is None else None
    share = share_row.actual if share_row and share_row.actual is not None else None
    share_target = share_row.target if share_row and share_row.target is not None else 40.0
    period = data["period"]
    over = today > calendar.jalali_year(year).end
    figures = {
        "year": year,
        "revived_units": n,
        "jobs_restored": j,
        "target": target,
        "progress": progress,
        "industry_share": share,
        "industry_share_target": share_target,
        "since": period.start,
        "until": period.end,
        "province": province.code if province else None,
    }
    text = _fa(figures, province, today, over) if lang == "fa" else _en(figures, province, today, over)
    return {"text": text, "date": today, "lang": lang, "figures": figures}


def _fa(f: dict, province: Province | None, today: date, over: bool) -> str:
    num = lambda v: format_number(int(v), "fa")  # noqa: E731
    where = f"در استان {province.name_fa}" if province else "در سراسر کشور"
    dated = f"تهران، {calendar.format_jalali(today, lang='fa', style='long')}"
    year = to_persian_digits(str(f["year"]))
    if over:
        lead = f"در سال {year}، {num(f['revived_units'])} واحد صنعتی راکد {where} احیا شد"
        jobs = f"و اشتغال {num(f['jobs_restored'])} نفر به چرخه تولید بازگشت"
    else:
        lead = f"از ابتدای سال {year} (اول فروردین) تاکنون {num(f['revived_units'])} واحد صنعتی راکد {where} احیا شده"
        jobs = f"و اشتغال {num(f['jobs_restored'])} نفر به چرخه تولید بازگشته است"
    text = f"{dated} — {lead} {jobs}"
    if f["target"]:
        text += f"؛ این رقم {format_percent(f['progress'], 'fa')} هدف {num(f['target'])} واحدی سال است"
    text += "."
    if f["industry_share"] is not None:
        text += (
            f" سهم بخش صنعت و معدن از تسهیلات بانکی {format_percent(f['industry_share'] / 100, 'fa')} است"
            f" و باید به {format_percent(f['industry_share_target'] / 100, 'fa', 0)} برسد."
        )
    return text


def _en(f: dict, province: Province | None, today: date, over: bool) -> str:
    num = lambda v: format_number(int(v), "en")  # noqa: E731
    where = f"in {province.name_en} province" if province else "nationwide"
    dated = f"Tehran, {calendar.format_jalali(today, lang='en', style='long')} ({_gregorian(today)})"
    if over:
        text = (
            f"{dated}. In {f['year']}, {num(f['revived_units'])} idle industrial units were revived {where}, "
            f"restoring {num(f['jobs_restored'])} jobs"
        )
    else:
        text = (
            f"{dated}. Since the start of {f['year']} ({_gregorian(f['since'])}), {num(f['revived_units'])} idle "
            f"industrial units have been revived {where}, restoring {num(f['jobs_restored'])} jobs"
        )
    if f["target"]:
        text += f", {format_percent(f['progress'], 'en')} of the year's target of {num(f['target'])} units"
    if f["industry_share"] is not None:
        text += (
            f"; industry's share of bank facilities stands at {format_percent(f['industry_share'] / 100, 'en')} "
            f"against a {format_percent(f['industry_share_target'] / 100, 'en', 0)} target"
        )
    return text + "."
