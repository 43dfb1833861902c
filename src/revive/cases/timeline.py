"""What a case's timeline says, in one place: the case services write their events with these texts,
and the demo data (revive/demo/cases.py), which writes years of timelines in bulk, calls the same, so
a timeline reads the same however it was made. Pure functions of plain values (no queries)."""

from django.utils.translation import gettext_lazy as _

TEXT_LENGTH = 500  # CaseEvent.text
VISIT_LENGTH = 200  # a visit's findings on the timeline: the start of them

REVIVAL_BY_FILING = _("Revival shown by monthly filings")
RELAPSE = _("The unit went idle again.")


def clip(text) -> str:
    return str(text)[:TEXT_LENGTH]


def assigned(full_name: str, username: str) -> str:
    """The officer a case is assigned to (the label "Officer assigned" is translated when shown)."""
    return full_name or username or "—"


def meeting(province_code: str, number: int) -> str:
    return f"{province_code} #{number}"


def resolution(organisation_name_fa: str, text: str) -> str:
    return f"{organisation_name_fa}: {text}"


def resolution_answer(organisation_name_fa: str, status_label: str, response: str) -> str:
    return f"{organisation_name_fa}: {status_label} {response}".strip()


def obstacle_update(kind_label: str, status_label: str) -> str:
    return f"{kind_label}: {status_label}"


def visit(findings: str) -> str:
    return findings.strip()[:VISIT_LENGTH]
