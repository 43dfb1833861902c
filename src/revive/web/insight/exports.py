"""The insight pages' downloads: the watch list, the risk model's calibration, the attribution effects."""

from django.utils.translation import gettext as _

from revive.insight.words import reason_words
from revive.web.exports import name_in


def reason_texts(score, lang: str) -> list[str]:
    """A risk score's reasons in words (its unit's sector and province named), as the watch list shows them."""
    sector = name_in(score.sector, lang) if score.sector_id else ""
    province = name_in(score.province, lang) if score.province_id else ""
    return [reason_words(r, lang, sector, province) for r in score.reasons]


def watchlist_table(items, run, lang: str):
    header = [
        _("National rank"), _("Business ID"), _("Unit"), _("Province"), _("Park"), _("Sector"),
        _("Probability of going idle within %(n)s months") % {"n": run.horizon},
        _("Reason 1"), _("Reason 2"), _("Reason 3"), _("Scored on (Iranian month)"),
    ]  # fmt: skip
    rows = (
        [
            s.rank,
            s.unit.business_id,
            s.unit.name(lang),
            s.province.code,
            s.park.code,
            s.sector.isic_division,
            round(s.probability, 4),
            *(reason_texts(s, lang) + ["", "", ""])[:3],
            run.as_of,
        ]  # fmt: skip
        for s in items.iterator(chunk_size=2000)
    )
    return header, rows


def calibration_table(calibration: list[dict]):
    header = [_("Decile"), _("Predicted"), _("Observed"), _("Rows")]
    rows = ([c["decile"], round(c["predicted"], 4), round(c["observed"], 4), c["rows"]] for c in calibration)
    return header, rows


def attribution_table(effects, province):
    header = [
        _("Intervention"), _("Province"), _("Effect on the probability of producing (12 months)"), _("Interval (95%), low"),
        _("Interval (95%), high"), _("Pre-trends hold"), _("Units treated"), _("Revived after it (gross count)"),
        _("Net jobs"), _("Cost per net job-year (rials)"), _("Note"),
    ]  # fmt: skip
    rows = (
        [
            e.get_kind_display(),
            province.code if province else "",
            e.att_producing,
            e.ci_low,
            e.ci_high,
            e.pretrend_ok,
            e.units_treated,
            e.gross_revived,
            None if e.net_jobs is None else round(e.net_jobs, 1),
            e.cost_per_net_job_rials,
            e.note,
        ]  # fmt: skip
        for e in effects
    )
    return header, rows
