"""revive backup and revive restore: a round trip gives back every row and the headline figure."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from revive.core import backup, calendar
from revive.core.models import AuditEvent
from revive.core.scoping import NATION

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump only sees committed rows


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("revive.")
    }


def _headline() -> dict:
    from revive.registry import selectors

    today = calendar.tehran_today()
    period = calendar.year_to_date(calendar.current_jalali_year(today), today)
    kpi = selectors.revivals(scope=NATION, period=period)
    return {"revived_units": kpi["revived_units"], "jobs_restored": kpi["jobs_restored"]}


@pytest.fixture
def tools_for_this_database():
    if connection.vendor == "postgresql":
        try:
            backup.pg_tool("pg_dump"), backup.pg_tool("pg_restore")
        except Exception as exc:  # noqa: BLE001
            pytest.skip(str(exc))
    elif connection.vendor != "sqlite":
        pytest.skip(f"no backup for {connection.vendor}")


def test_round_trip_gives_back_every_row_and_the_headline(
    world, officer_semnan, tmp_path, tools_for_this_database
):
    from revive.cases import services as cases
    from revive.cases.models import Case
    from revive.registry import services as registry
    from revive.registry.models import Band, UnitStatus

    case = Case.objects.filter(province__code="IR-20").first()
    cases.obstacle_add(case=case, by=officer_semnan, kind="market")
    before, headline = _counts(), _headline()
    assert headline["revived_units"] > 0
    file = tmp_path / "revive.backup"

    call_command("backup", str(file))
    assert file.stat().st_size > 0
    assert AuditEvent.objects.filter(action="backup").count() == 1
    # Changes after the backup: they must be gone after the restore.
    unit = world["units"]["230000000022"]
    registry.unit_status_record(
        unit=unit,
        band=Band.IDLE,
        effective_date=date(2026, 10, 1),
        source=UnitStatus.Source.FILING,
        by="test",
    )
    assert _counts() != before

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(file))
    call_command("restore", str(file), "--force")

    after = _counts()
    # The backup's own audit row was written after the copy was taken; the restore adds one.
    assert after.pop("core.AuditEvent") == before.pop("core.AuditEvent") + 1
    assert after == before
    assert _headline() == headline
    assert list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:1]) == ["restore"]


def test_restore_into_an_empty_database_needs_no_force(world, tmp_path, tools_for_this_database):
    from revive.registry.models import ProductionUnit

    file = tmp_path / "revive.backup"
    call_command("backup", str(file))
    units = ProductionUnit.objects.count()
    call_command("flush", "--noinput")
    assert backup.database_is_empty()
    call_command("restore", str(file))
    assert ProductionUnit.objects.count() == units


def test_a_backup_of_the_other_kind_of_database_is_refused(world, tmp_path, tools_for_this_database):
    file = tmp_path / "not-a-backup"
    file.write_bytes(b"hello, this is not a database")
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(file), "--force")


def test_a_missing_postgresql_tool_is_named(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.DomainError, match="pg_dump was not found"):
        backup.pg_tool("pg_dump")
