from datetime import date

import pytest

from revive.core.calendar import jalali_year, year_to_date
from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.registry import selectors, services
from revive.registry.models import Band, ProductionUnit, UnitStatus

pytestmark = pytest.mark.django_db


def test_revival_is_idle_to_producing_with_jobs_at_revival(world):
    unit = world["units"]["230000000011"]
    revived = unit.statuses.get(event=UnitStatus.Event.REVIVED)
    assert revived.effective_date == date(2026, 5, 10)
    assert revived.jobs == 40
    unit.refresh_from_db()
    assert unit.current_band == Band.BELOW_50 and unit.band_since == date(2026, 5, 10)


def test_headline_counts_revivals_since_1_farvardin(world):
    kpi = selectors.revivals(scope=NATION, period=year_to_date(1405, date(2026, 11, 24)))
    # Tehran and Semnan revived in 1405; Isfahan revived in Bahman 1403 (2025-02-01), not this year.
    assert kpi["revived_units"] == 2
    assert kpi["jobs_restored"] == 65
    assert {r["province"].code for r in kpi["by_province"]} == {"IR-23", "IR-20"}
    last_year = selectors.revivals(scope=NATION, period=jalali_year(1403))
    assert last_year["revived_units"] == 1


def test_going_idle_within_12_months_of_a_revival_is_a_relapse(world):
    unit = world["units"]["200000000011"]
    status = services.unit_status_record(
        unit=unit,
        band=Band.IDLE,
        effective_date=date(2026, 10, 1),
        source=UnitStatus.Source.FILING,
        by="test",
    )
    assert status.event == UnitStatus.Event.WENT_IDLE and status.is_relapse


def test_status_inserted_out_of_order_rederives_the_history(world):
    unit = world["units"]["230000000022"]
    services.unit_status_record(
        unit=unit,
        band=Band.ABOVE_70,
        effective_date=date(2026, 3, 1),
        source=UnitStatus.Source.FILING,
        by="test",
    )
    services.unit_status_record(
        unit=unit, band=Band.IDLE, effective_date=date(2025, 6, 1), source=UnitStatus.Source.FILING, by="test"
    )
    events = list(unit.statuses.order_by("effective_date").values_list("event", flat=True))
    assert events == ["", "went_idle", "revived"]


def test_every_status_change_leaves_an_audit_row(world):
    unit = world["units"]["230000000022"]
    before = AuditEvent.objects.filter(object_id=str(unit.pk), action="status_record").count()
    services.unit_status_record(
        unit=unit,
        band=Band.IDLE,
        effective_date=date(2026, 9, 1),
        source=UnitStatus.Source.OFFICER,
        by="test",
        note="field visit found it shut",
    )
    assert AuditEvent.objects.filter(object_id=str(unit.pk), action="status_record").count() == before + 1


@pytest.mark.parametrize("raw", ["12345", "1234567890123", "12345678901a", ""])
def test_malformed_business_id_is_refused_with_a_message(world, raw):
    with pytest.raises(DomainError) as err:
        services.unit_create(
            by="test",
            business_id=raw,
            name_fa="واحد",
            park=world["parks"]["P-23-001"],
            sector=world["units"]["230000000011"].sector,
            size_class="micro",
        )
    from django.utils import translation

    assert "۱۲ رقم" in str(err.value.message)  # Persian by default
    with translation.override("en"):
        assert "12 digits" in str(err.value.message)
    assert not ProductionUnit.objects.filter(name_fa="واحد").exists()


def test_business_id_in_persian_digits_is_accepted(world):
    unit = services.unit_create(
        by="test",
        business_id="۲۳۰۰۰۰۰۰۰۰۹۹",
        name_fa="كارخانه يك",
        park=world["parks"]["P-23-001"],
        sector=world["units"]["230000000011"].sector,
        size_class="micro",
    )
    assert unit.business_id == "230000000099"
    assert unit.name_fa == "کارخانه یک"  # Arabic kaf and yeh stored as Persian


def test_search_treats_arabic_letters_and_zwnj_as_persian(world):
    found = selectors.units(scope=NATION, filters=selectors.UnitFilters(q="ريخته گري"))
    assert [u.business_id for u in found] == ["200000000011"]


def test_province_scope_sees_only_its_province(world):
    semnan = Scope(ScopeKind.PROVINCE, province_id=world["provinces"]["IR-20"].id)
    ids = set(ProductionUnit.objects.visible_to(semnan).values_list("business_id", flat=True))
    assert ids == {"200000000011", "200000000022"}
    kpi = selectors.revivals(scope=semnan, period=year_to_date(1405, date(2026, 11, 24)))
    assert kpi["revived_units"] == 1


def test_unknown_role_sees_nothing(world):
    from revive.accounts.models import User
    from revive.core.scoping import scope_for

    user = User.objects.create_user(username="nobody", password="x" * 12, role="")
    assert ProductionUnit.objects.visible_to(scope_for(user)).count() == 0


def _snapshot():
    """What a band change leaves behind: histories with their events, bands, cases and their events, audit."""
    from revive.cases.models import Case, CaseEvent

    return {
        "statuses": sorted(
            UnitStatus.objects.values_list(
                "unit__business_id", "band", "effective_date", "event", "jobs", "is_relapse"
            )
        ),
        "units": sorted(
            ProductionUnit.objects.values_list("business_id", "current_band", "band_since", "employees")
        ),
        "cases": sorted(
            Case.objects.values_list(
                "unit__business_id", "state", "origin", "opened_on", "revived_on", "jobs_restored"
            )
        ),
        "case_events": sorted(
            CaseEvent.objects.values_list("case__unit__business_id", "kind", "from_state", "to_state", "on")
        ),
        # rows created in the rolled-back run took ids a PostgreSQL sequence does not give back
        "audit": sorted(
            (a, t, i if t == "registry.productionunit" else "")
            for a, t, i in AuditEvent.objects.values_list("action", "object_type", "object_id")
        ),
    }


CHANGES = [  # business ID, band, effective date, employees: a revival, going idle, a relapse, a lift
    ("200000000022", Band.BELOW_50, date(2026, 9, 1), 6),
    ("230000000022", Band.IDLE, date(2026, 9, 1), None),
    ("230000000011", Band.IDLE, date(2026, 9, 1), 2),
    ("100000000011", Band.ABOVE_70, date(2026, 9, 1), 70),
]


def test_many_units_at_once_leave_what_one_at_a_time_leaves(world):
    """unit_statuses_record (imports) and unit_status_record (one unit) agree, row for row."""
    from django.db import transaction

    with transaction.atomic():
        for bid, band, on, employees in CHANGES:
            services.unit_status_record(unit=ProductionUnit.objects.get(business_id=bid), band=band,
                                        effective_date=on, source=UnitStatus.Source.FILING, by="test",
                                        employees=employees)  # fmt: skip
        one_by_one = _snapshot()
        transaction.set_rollback(True)
    entries = [
        services.StatusEntry(
            unit=ProductionUnit.objects.get(business_id=bid),
            band=band,
            effective_date=on,
            employees=employees,
        )  # fmt: skip
        for bid, band, on, employees in CHANGES
    ]
    services.unit_statuses_record(entries=entries, source=UnitStatus.Source.FILING, by="test")
    at_once = _snapshot()
    assert at_once == one_by_one
    # and the changes did what they should: a revival verified by filings, a relapse, new cases
    assert ("200000000022", Band.BELOW_50, date(2026, 9, 1), UnitStatus.Event.REVIVED, 6, False) in at_once[
        "statuses"
    ]
    assert ("230000000011", Band.IDLE, date(2026, 9, 1), UnitStatus.Event.WENT_IDLE, 0, True) in at_once[
        "statuses"
    ]


def test_many_units_at_once_refuse_a_closed_unit_and_write_nothing(world):
    unit = ProductionUnit.objects.get(business_id="200000000022")
    services.unit_status_record(unit=unit, band=Band.CLOSED, effective_date=date(2026, 8, 1),
                                source=UnitStatus.Source.OFFICER, by="test")  # fmt: skip
    before = UnitStatus.objects.count(), AuditEvent.objects.count()
    entries = [
        services.StatusEntry(
            unit=ProductionUnit.objects.get(business_id="230000000022"),
            band=Band.IDLE,
            effective_date=date(2026, 9, 1),
        ),  # fmt: skip
        services.StatusEntry(unit=unit, band=Band.IDLE, effective_date=date(2026, 9, 1)),
    ]
    with pytest.raises(DomainError):
        services.unit_statuses_record(entries=entries, source=UnitStatus.Source.FILING, by="test")
    assert (UnitStatus.objects.count(), AuditEvent.objects.count()) == before
