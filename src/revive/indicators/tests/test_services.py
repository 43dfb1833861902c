"""indicators/services.py: targets (the province split, locked years, who may set them, the audit) and hand-reported figures (entered, approved, locked; only by someone who saw them)."""

import pytest
from django.utils import translation

from revive.core.errors import ConflictError, DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import Scope, ScopeKind
from revive.indicators import selectors, services
from revive.indicators.models import ReportedValue, Target

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
