"""The audit page's download: every row of the filter (up to EXPORT_LIMIT), before and after as JSON."""

import json

from django.utils.translation import gettext as _

from revive.core import calendar, rules
from revive.web.exports import table_response

EXPORT_LIMIT = 100_000


def json_text(value) -> str:
    return "" if value in (None, {}, []) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_export(events, fmt: str):
    lang = rules.language()
    header = [
        _("Time (Iranian)"),
        _("Time (UTC)"),
        _("User"),
        _("Action"),
        _("Record type"),
        _("Record ID"),
        _("Record"),
        _("Province code"),
        _("Before"),
        _("After"),
        _("Note"),
    ]
    rows = (
        [
            calendar.format_jalali(e.at.astimezone(calendar.TEHRAN).date(), lang="en")
            + e.at.astimezone(calendar.TEHRAN).strftime(" %H:%M"),
            e.at.isoformat(),
            e.actor_label,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.province.code if e.province else "",
            json_text(e.before),
            json_text(e.after),
            e.note,
        ]
        for e in events[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    return table_response(fmt=fmt, filename="revive-audit", header=header, rows=rows, rtl=lang == "fa")
