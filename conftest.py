"""Shared fixtures: a small registry world and the named personas of DOMAIN.md."""

import os
from datetime import date

import pytest

from revive.accounts.roles import Role


def pytest_collection_modifyitems(config, items):
    """Tests marked own_database never touch the suite's database (they start `revive` on a SQLite file
    of their own, or none): the PostgreSQL pass of scripts/test.sh would run them exactly as the SQLite
    pass does, so they run once, there."""
    if not os.environ.get("REVIVE_DATABASE_URL", "").startswith("postgres"):
        return
    once = pytest.mark.skip(reason="own_database: the same run as in the SQLite pass of the suite")
    for item in items:
        if item.get_closest_marker("own_database"):
            item.add_marker(once)


@pytest.fixture
def world(db):
    """Three provinces, two parks each, a few units with status histories (revivals this year and last)."""
    from revive.registry import services
    from revive.registry.models import (
        Band,
        IndustrialPark,
        Organisation,
        ParkInfrastructure,
        Province,
        Sector,
        SectorGroup,
        UnitStatus,
    )

    provinces = {
        code: Province.objects.create(code=code, name_fa=fa, name_en=en)
        for code, fa, en in [
            ("IR-23", "تهران", "Tehran"),
            ("IR-20", "سمنان", "Semnan"),
            ("IR-10", "اصفهان", "Isfahan"),
        ]
    }
    metal = Sector.objects.create(
        isic_division="24", name_fa="فلزات پایه", name_en="Basic metals", group=SectorGroup.METAL
    )
    food = Sector.objects.create(
        isic_division="10", name_fa="مواد غذایی", name_en="Food products", group=SectorGroup.FOOD
    )
    for code, fa, en in [("melli", "بانک ملی ایران", "Bank Melli Iran"), ("sepah", "بانک سپه", "Bank Sepah")]:
        Organisation.objects.create(code=code, kind=Organisation.Kind.BANK, name_fa=fa, name_en=en)
    for province in provinces.values():
        n = province.code[-2:]
        for kind, fa, en in [
            (Organisation.Kind.GAS, "شرکت گاز", "Gas company"),
            (Organisation.Kind.TAX, "اداره مالیات", "Tax office"),
        ]:
            Organisation.objects.create(
                code=f"{kind}-{n}",
                kind=kind,
                province=province,
                name_fa=f"{fa} {province.name_fa}",
                name_en=f"{province.name_en} {en}",
            )
    parks = {}
    for code, province in provinces.items():
        n = code[-2:]
        for i in (1, 2):
            parks[f"P-{n}-00{i}"] = IndustrialPark.objects.create(
                code=f"P-{n}-00{i}",
                name_fa=f"شهرک صنعتی {province.name_fa} {i}",
                name_en=f"{province.name_en} Industrial Park {i}",
                name_key=f"park{n}{i}",
                province=province,
            )
    ParkInfrastructure.objects.create(
        park=parks["P-20-001"], province=provinces["IR-20"], utility="gas", status="absent"
    )
    units = {}
    spec = [
        # business id, park, Persian name, English name, sector, employees
        ("230000000011", "P-23-001", "فولاد کاوه تهران", "Kaveh Steel Tehran", metal, 40),
        ("230000000022", "P-23-002", "صنایع غذایی البرز", "Alborz Foods", food, 12),
        ("200000000011", "P-20-001", "ریخته‌گری سمنان", "Semnan Foundry", metal, 25),
        ("200000000022", "P-20-002", "لبنیات کویر", "Kavir Dairy", food, 8),
        ("100000000011", "P-10-001", "نورد اصفهان", "Isfahan Rolling", metal, 60),
    ]
    for bid, park, fa, en, sector, employees in spec:
        units[bid] = services.unit_create(
            by="test",
            business_id=bid,
            name_fa=fa,
            name_en=en,
            park=parks[park],
            sector=sector,
            size_class="small",
            employees=employees,
            band=Band.ABOVE_70,
            since=date(2019, 4, 1),
        )
    # Went idle in 1403, revived in 1405 (this year, as the tests' "today" is in Azar 1405).
    for bid, revived_on in [
        ("230000000011", date(2026, 5, 10)),
        ("200000000011", date(2026, 7, 1)),
        ("100000000011", date(2025, 2, 1)),
    ]:
        services.unit_status_record(
            unit=units[bid],
            band=Band.IDLE,
            effective_date=date(2024, 6, 1),
            source=UnitStatus.Source.FILING,
            by="test",
        )
        services.unit_status_record(
            unit=units[bid],
            band=Band.BELOW_50,
            effective_date=revived_on,
            source=UnitStatus.Source.FIELD_VISIT,
            by="test",
        )
    services.unit_status_record(
        unit=units["200000000022"],
        band=Band.IDLE,
        effective_date=date(2026, 1, 5),
        source=UnitStatus.Source.FILING,
        by="test",
    )
    return {"provinces": provinces, "parks": parks, "units": units}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Tests run on 3 Azar 1405 (2026-11-24), so 'since 1 Farvardin' is the same whatever the clock says."""
    from revive.core import calendar

    real = calendar.tehran_today

    def today(now=None):
        return real(now) if now is not None else date(2026, 11, 24)

    monkeypatch.setattr(calendar, "tehran_today", today)


@pytest.fixture(autouse=True)
def _figures_forgotten_after_each_test():
    """Figures kept per data version (core/cache.py) are keyed by the newest audit row: two tests that
    write no audit row would share the key (None, None) with different data. The process's memory is
    emptied after each test; the shared table goes with the test's rollback, or with the flush of a
    transactional test (its post_migrate signal empties it: core.cache.clear_after_migrate)."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request through the test client leaves its language active in the thread; the next test
    starts from the default (Persian) again, whatever the previous one asked for."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _imports_run_inline(settings, tmp_path, monkeypatch):
    """Uploads wait in the test's own folder, and stored files (visit photos, loan documents) go to its
    media folder, not the project's var/ (which two runs at once, scripts/test.sh, would share); a job's
    background step runs in the test's thread (and transaction) when its on_commit callback is executed
    (django_capture_on_commit_callbacks)."""
    from revive.imports import tasks

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "start_in_background", lambda job_id, step: tasks.STEPS[step](job_id))


PASSWORD = "correct-horse-battery"
_password_hashes: dict[tuple, str] = {}


def _password_hash() -> str:
    """The personas' password, hashed once a session (Argon2 costs ~0.2 s of CPU a hash, several times a
    test): each persona gets the very hash create_user would make, with its own settings' hasher."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    key = (PASSWORD, tuple(settings.PASSWORD_HASHERS))
    if key not in _password_hashes:
        _password_hashes[key] = make_password(PASSWORD)
    return _password_hashes[key]


def _user(username, role, **fields):
    from revive.accounts.models import User

    user = User.objects.create_user(username=username, password=None, role=role, **fields)
    user.password = _password_hash()
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def national_admin(world):
    return _user("admin", Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def analyst(world):
    return _user("analyst", Role.NATIONAL_ANALYST)


@pytest.fixture
def officer_tehran(world):
    return _user("officer.tehran", Role.PROVINCIAL_OFFICER, province=world["provinces"]["IR-23"])


@pytest.fixture
def officer_semnan(world):
    return _user("officer.semnan", Role.PROVINCIAL_OFFICER, province=world["provinces"]["IR-20"])


@pytest.fixture
def bank_melli(world):
    from revive.registry.models import Organisation

    return _user("bank.melli", Role.BANK_OFFICER, organisation=Organisation.objects.get(code="melli"))


@pytest.fixture
def gas_semnan(world):
    from revive.registry.models import Organisation

    return _user(
        "gas.semnan",
        Role.AGENCY_LIAISON,
        organisation=Organisation.objects.get(code="gas-20"),
        province=world["provinces"]["IR-20"],
    )


@pytest.fixture
def gas_tehran(world):
    from revive.registry.models import Organisation

    return _user(
        "gas.tehran",
        Role.AGENCY_LIAISON,
        organisation=Organisation.objects.get(code="gas-23"),
        province=world["provinces"]["IR-23"],
    )


@pytest.fixture
def park_manager(world):
    return _user("park.P-20-001", Role.PARK_MANAGER, park=world["parks"]["P-20-001"])


@pytest.fixture
def unit_owner(world):
    return _user("owner.200000000011", Role.UNIT_OWNER, unit=world["units"]["200000000011"])


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
