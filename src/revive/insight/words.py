"""A watch-list reason in words, in the page's language, from the facts the engine stored."""

from django.utils.translation import gettext as _

from revive.core.text import to_persian_digits
from revive.registry.models import Band

_BANDS = {0: Band.IDLE, 1: Band.BELOW_50, 2: Band.FROM_50_TO_70, 3: Band.ABOVE_70}
_SIZES = {"micro": "Micro", "small": "Small", "medium": "Medium", "large": "Large"}


def _band(code) -> str:
    b = _BANDS.get(code)
    return str(b.label) if b is not None else "—"


def reason_words(reason: dict, lang: str, sector_name: str = "", province_name: str = "") -> str:
    g, v = reason.get("group"), reason.get("values") or {}
    if g == "band":
        if v.get("before") is not None and v["before"] > v.get("now", 0):
            text = _("fell from %(before)s to %(now)s of capacity in the last 3 months") % {
                "before": _band(v["before"]),
                "now": _band(v.get("now")),
            }
        else:
            text = _("producing at %(now)s of capacity") % {"now": _band(v.get("now"))}
    elif g == "utilisation":
        if v.get("now") is None:
            text = _("no capacity utilisation figure on record")
        elif v.get("change_6") is not None and v["change_6"] < 0:
            text = _("capacity utilisation %(now)s%%, down %(drop)s points in 6 months") % {
                "now": v["now"],
                "drop": -v["change_6"],
            }
        else:
            text = _("capacity utilisation %(now)s%%") % {"now": v["now"]}
    elif g == "filings":
        if v.get("missing_6"):
            text = _("%(n)s of the last 6 monthly filings missing") % {"n": v["missing_6"]}
        else:
            text = _("last filing %(n)s months ago") % {"n": v.get("since") or 0}
    elif g == "late":
        text = _("%(n)s of the last 6 filings late") % {"n": v.get("late_6") or 0}
    elif g == "arrears":
        text = _("loan in arrears in %(n)s of the last 6 months") % {"n": v.get("months_6") or 0}
    elif g == "history":
        if v.get("idle_24"):
            text = _("idle %(n)s of the last 24 months") % {"n": v["idle_24"]}
        else:
            text = _("on record for %(n)s months only") % {"n": v.get("observed") or 0}
    elif g == "support":
        text = _("%(n)s interventions in the last 12 months") % {"n": v.get("count_12") or 0}
    elif g == "obstacles":
        if v.get("change_6"):
            text = _("%(n)s open obstacles on its case (%(change)s in 6 months)") % {
                "n": v.get("now") or 0,
                "change": f"{v['change_6']:+d}",
            }
        else:
            text = _("%(n)s open obstacles on its case") % {"n": v.get("now") or 0}
    elif g == "park":
        text = _("%(n)s of its park's utilities fall short (electricity, gas, water, roads...)") % {
            "n": v.get("shortfalls") or 0
        }
    elif g == "sector":
        text = _("units of this sector (%(sector)s) stop more often") % {
            "sector": sector_name or v.get("sector")
        }
    elif g == "province":
        text = _("units of this province (%(province)s) stop more often") % {
            "province": province_name or v.get("province")
        }
    elif g == "size":
        text = _("%(size)s unit with %(jobs)s jobs") % {
            "size": _(_SIZES.get(v.get("size"), "Small")),
            "jobs": v.get("jobs"),
        }
    else:
        text = str(g)
    return to_persian_digits(text) if lang == "fa" else text
