"""Roles and the role -> permission table, in one place."""

from revive.core.roles import Role  # noqa: F401 (the role names live in core, which scoping reads)


class Perm:
    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    RECORD_STATUS = "registry.record_status"
    FILE_MONTHLY = "registry.file_monthly"
    SET_TARGETS = "indicators.set_targets"
    VIEW_AUDIT = "core.view_audit"
    USE_API = "api.use"
    VIEW_CASES = "cases.view"
    MANAGE_CASES = "cases.manage"
    ANSWER_RESOLUTIONS = "cases.answer_resolutions"
    VIEW_FINANCE = "finance.view"  # loan requests of one's scope, funnel, lending share
    MANAGE_LOANS = "finance.manage"  # register, review, approve, introduce to a bank, set credit lines
    DECIDE_LOANS = "finance.decide"  # a bank's decision, disbursements, repayments (bank officers)
    REQUEST_LOAN = "finance.request"  # a unit owner asks for a facility for their own unit
    PLAN = "planning.plan"  # run plans and save scenarios
    SEND_FILINGS = "registry.send_filings"  # POST /api/v1/filings for the units of one's scope
    SEND_FILINGS_NATIONWIDE = "registry.send_filings_nationwide"  # the statistics system: every unit


_VIEW = {Perm.VIEW_REGISTRY, Perm.USE_API, Perm.VIEW_CASES}
_NATIONAL = _VIEW | {Perm.SET_TARGETS, Perm.VIEW_AUDIT, Perm.VIEW_FINANCE, Perm.PLAN}
_CASEWORK = {
    Perm.EDIT_REGISTRY,
    Perm.RECORD_STATUS,
    Perm.MANAGE_CASES,
    Perm.ANSWER_RESOLUTIONS,
    Perm.VIEW_FINANCE,
    Perm.MANAGE_LOANS,
    Perm.PLAN,
}

# The whole role -> permission table; which rows each role sees is core/scoping.py.
PERMISSIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: frozenset(_NATIONAL | _CASEWORK),
    Role.NATIONAL_ANALYST: frozenset(_NATIONAL),
    Role.PROVINCIAL_OFFICER: frozenset(_VIEW | _CASEWORK | {Perm.VIEW_AUDIT}),
    Role.BANK_OFFICER: frozenset(
        {Perm.USE_API, Perm.ANSWER_RESOLUTIONS, Perm.VIEW_FINANCE, Perm.DECIDE_LOANS}
    ),
    Role.AGENCY_LIAISON: frozenset({Perm.USE_API, Perm.ANSWER_RESOLUTIONS}),
    # Loans of their park's units; their own unit's requests, which they register themselves.
    Role.PARK_MANAGER: frozenset(_VIEW | {Perm.VIEW_FINANCE}),
    Role.UNIT_OWNER: frozenset(
        _VIEW | {Perm.FILE_MONTHLY, Perm.SEND_FILINGS, Perm.VIEW_FINANCE, Perm.REQUEST_LOAN}
    ),
    # The organisation's statistics system: a token that sends monthly filings for every unit; no
    # pages, nothing to read (its scope is "nothing", core/scoping.py).
    Role.INTEGRATION: frozenset({Perm.USE_API, Perm.SEND_FILINGS, Perm.SEND_FILINGS_NATIONWIDE}),
}


def has_perm(user, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in PERMISSIONS.get(getattr(user, "role", ""), frozenset())
