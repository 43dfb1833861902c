"""The filings' models moved from registry and imports by a state-only migration: every row stays, and what
names the models by label (content types, audit rows, notices) follows them, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

MOVED = {"monthlyfiling": "registry", "filingtotal": "registry", "filingsubmission": "imports"}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor


def _rows_before_the_move(apps) -> dict:
    """A unit with a filing, its month's total and a submission, written with the models as they were."""
    Province = apps.get_model("registry", "Province")
    Sector = apps.get_model("registry", "Sector")
    Park = apps.get_model("registry", "IndustrialPark")
    Unit = apps.get_model("registry", "ProductionUnit")
    Filing = apps.get_model("registry", "MonthlyFiling")
    Total = apps.get_model("registry", "FilingTotal")
    Submission = apps.get_model("imports", "FilingSubmission")
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")

    province = Province.objects.create(code="IR-99", name_fa="آزمون", name_en="Test")
    sector = Sector.objects.create(isic_division="99", name_fa="آزمون", name_en="Test", group="metal")
    park = Park.objects.create(
        code="P-99-001", name_fa="شهرک", name_en="Park", name_key="park", province=province
    )
    unit = Unit.objects.create(
        business_id="990000000011", name_fa="واحد", name_key="unit", park=park, province=province,
        sector=sector, size_class="small", current_band="above_70",
    )  # fmt: skip
    user = User.objects.create(username="owner.migration", role="unit_owner")
    filing = Filing.objects.create(
        unit=unit, province=province, jyear=1405, jmonth=7, period_start="2026-09-23", production_value=123,
        capacity_utilisation=80, employees=9, filed_on="2026-11-01", due_on="2026-11-01",
    )  # fmt: skip
    Total.objects.create(
        province=province, sector=sector, jyear=1405, jmonth=7, production_value=123, filings=1
    )
    submission = Submission.objects.create(
        unit=unit, province=province, jyear=1405, jmonth=8, production_value=456, capacity_utilisation=81,
        employees=9, submitted_on="2026-11-30", due_on="2026-12-01", submitted_by=user, version=2,
    )  # fmt: skip
    AuditEvent.objects.create(
        action="filing_submit", object_type="registry.monthlyfiling", object_id=str(filing.pk)
    )
    AuditEvent.objects.create(
        action="submission_create", object_type="imports.filingsubmission", object_id=str(submission.pk)
    )
    types = {m: ContentType.objects.get_or_create(app_label=app, model=m)[0].pk for m, app in MOVED.items()}
    return {"filing": filing.pk, "submission": submission.pk, "types": types}


def test_the_move_keeps_every_row_and_the_labels_follow_the_models():
    from django.contrib.contenttypes.models import ContentType

    from revive.core.models import AuditEvent
    from revive.filings.models import FilingSubmission, FilingTotal, MonthlyFiling

    executor = _migrate([("filings", None)])  # back to before the move (and what depends on it)
    assert ("filings", "0001_initial") not in executor.loader.applied_migrations
    before = _rows_before_the_move(
        executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    )

    executor = _migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    filing = MonthlyFiling.objects.get(pk=before["filing"])
    assert (filing.unit.business_id, filing.jyear, filing.jmonth, filing.production_value) == (
        "990000000011", 1405, 7, 123,
    )  # fmt: skip
    assert list(FilingTotal.objects.values_list("jmonth", "production_value", "filings")) == [(7, 123, 1)]
    submission = FilingSubmission.objects.get(pk=before["submission"])
    assert (submission.version, submission.production_value, submission.submitted_by.username) == (
        2, 456, "owner.migration",
    )  # fmt: skip
    # the same content type rows, relabelled: their permissions and admin log entries stay attached
    assert {m: ContentType.objects.get(app_label="filings", model=m).pk for m in MOVED} == before["types"]
    assert not ContentType.objects.filter(
        app_label__in=["registry", "imports"], model__in=list(MOVED)
    ).exists()
    assert set(AuditEvent.objects.values_list("object_type", flat=True)) == {
        "filings.monthlyfiling",
        "filings.filingsubmission",
    }
