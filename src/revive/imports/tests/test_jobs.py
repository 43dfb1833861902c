"""Imports in the background: check, confirm, write, progress, and the jobs a dead process left behind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from revive.core.models import AuditEvent
from revive.core.scoping import scope_for
from revive.imports import tasks
from revive.imports.models import ImportJob
from revive.imports.services import import_job_confirm, import_job_start
from revive.registry.models import ProductionUnit

pytestmark = pytest.mark.django_db

UNITS = b"business_id,name_fa,park,sector,size_class\n200000000099,x,P-20-001,24,small\n"


def _start(user, content=UNITS, name="u.csv", kind="units"):
    return import_job_start(user=user, scope=scope_for(user), kind=kind, filename=name, content=content)


def test_a_checked_file_waits_for_confirmation_then_is_written(officer_semnan):
    job = _start(officer_semnan)
    assert tasks.upload_path(job.pk).exists() and job.province.code == "IR-20"
    job = tasks.check(job.pk)
    assert job.status == "ready" and job.counts == {
        "rows": 1,
        "new": 1,
        "changed": 0,
        "unchanged": 0,
        "errors": 0,
    }
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()
    import_job_confirm(job=job, by=officer_semnan)
    job = tasks.write(job.pk)
    assert job.status == "done" and ProductionUnit.objects.filter(business_id="200000000099").exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"import_upload", "import_confirm", "import", "import_units_create"} <= actions
    assert not tasks.upload_path(job.pk).exists()


def test_a_file_that_is_not_what_it_claims_is_rejected_with_a_message_in_both_languages(officer_semnan):
    job = tasks.check(_start(officer_semnan, content=b"PK\x03\x04garbage", name="u.xlsx").pk)
    assert job.status == "rejected"
    assert job.message["fa"] and job.message["en"] and job.message["fa"] != job.message["en"]
    assert not tasks.upload_path(job.pk).exists()


def test_a_file_whose_rows_are_already_there_has_nothing_to_import(officer_semnan):
    job = tasks.check(_start(officer_semnan).pk)
    import_job_confirm(job=job, by=officer_semnan)
    tasks.write(job.pk)
    again = tasks.check(_start(officer_semnan).pk)
    assert again.status == "nothing" and again.counts["unchanged"] == 1


def test_the_database_moving_between_check_and_confirm_is_caught(officer_semnan, officer_tehran):
    """Between check and confirm the park moved to Tehran: the second check refuses, nothing is written."""
    from revive.registry.models import IndustrialPark, Province

    job = tasks.check(_start(officer_semnan).pk)
    IndustrialPark.objects.filter(code="P-20-001").update(province=Province.objects.get(code="IR-23"))
    import_job_confirm(job=job, by=officer_semnan)
    job = tasks.write(job.pk)
    assert job.status == "rejected" and job.errors
    assert not ProductionUnit.objects.filter(business_id="200000000099").exists()


def test_only_the_uploader_may_confirm(officer_semnan, national_admin):
    from revive.core.errors import DomainError

    job = tasks.check(_start(officer_semnan).pk)
    with pytest.raises(DomainError):
        import_job_confirm(job=job, by=national_admin)
    job.refresh_from_db()
    assert job.status == "ready"


def test_progress_is_reported_while_a_file_is_checked(officer_semnan, monkeypatch):
    seen = []
    real = tasks.set_progress
    monkeypatch.setattr(
        tasks, "set_progress", lambda job_id, p, step="": (seen.append(p), real(job_id, p, step))
    )
    rows = "".join(f"2000000{i:05d},x,P-20-001,24,small\n" for i in range(12_000))
    tasks.check(
        _start(officer_semnan, content=(b"business_id,name_fa,park,sector,size_class\n" + rows.encode())).pk
    )
    assert len(seen) >= 4 and seen == sorted(seen) and max(seen) <= 99


def test_a_job_its_process_lost_is_failed_and_an_unconfirmed_file_expires(officer_semnan):
    stuck = _start(officer_semnan)
    waiting = tasks.check(_start(officer_semnan).pk)
    later = timezone.now() + tasks.KEEP + timedelta(minutes=1)
    ImportJob.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - tasks.STALE - timedelta(minutes=1)
    )
    tasks._progress_path(stuck.pk).unlink(missing_ok=True)
    assert tasks.sweep(now=later) == 2
    stuck.refresh_from_db()
    waiting.refresh_from_db()
    assert stuck.status == "failed" and "nothing was written" in stuck.message["en"]
    assert waiting.status == "expired"
    assert not tasks.upload_path(stuck.pk).exists() and not tasks.upload_path(waiting.pk).exists()
    from revive.core.errors import DomainError

    with pytest.raises(DomainError):  # an expired file can no longer be confirmed
        import_job_confirm(job=waiting, by=officer_semnan)


def test_national_only_kinds_are_refused_to_a_province_before_anything_is_kept(officer_semnan):
    from revive.core.errors import DomainError

    with pytest.raises(DomainError):
        _start(officer_semnan, content=b"indicator,year,value\nx,1405,1\n", kind="targets")
    assert not ImportJob.objects.exists()


def test_an_uploader_who_moved_province_since_the_check_cannot_confirm(officer_semnan, world):
    from revive.core.errors import DomainError

    job = tasks.check(_start(officer_semnan).pk)
    officer_semnan.province = world["provinces"]["IR-23"]
    officer_semnan.save()
    with pytest.raises(DomainError):
        import_job_confirm(job=job, by=officer_semnan)
    job.refresh_from_db()
    assert job.status == "ready" and not ProductionUnit.objects.filter(business_id="200000000099").exists()
