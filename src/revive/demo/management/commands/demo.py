"""revive demo: create (or reset) the demo users listed in the README, and print their logins."""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from revive.accounts.roles import Role
from revive.accounts.services import user_upsert
from revive.cases.reference import AGENCY_KINDS, agencies_load, agency_code
from revive.registry.models import IndustrialPark, Organisation, ProductionUnit, Province

DEMO_PROVINCES = {"officer.tehran": "IR-23", "officer.semnan": "IR-20", "officer.isfahan": "IR-10"}
DEMO_BANKS = {"bank.melli": "melli", "bank.sepah": "sepah"}
INTEGRATION_USER = "integration.statistics"
LIAISON_PROVINCE = (
    "IR-20"  # one liaison per agency kind in Semnan: liaison.gas.semnan, liaison.tax.semnan ...
)


class Command(BaseCommand):
    help = "Create the demo users (password from REVIVE_DEMO_PASSWORD, generated and printed when unset)."

    def handle(self, *args, **options):
        if not ProductionUnit.objects.exists():
            raise CommandError("There is no registry data yet: run `revive demo-data --seed 1` first.")
        password = settings.DEMO_PASSWORD or secrets.token_urlsafe(9)
        agencies_load()  # the liaisons' agencies
        park = (
            IndustrialPark.objects.filter(province__code="IR-20", stage=IndustrialPark.Stage.OPERATING)
            .order_by("code")
            .first()
        )
        unit = ProductionUnit.objects.filter(park=park).order_by("business_id").first() if park else None
        if park is None or unit is None:
            raise CommandError("The demo needs an operating park with units in Semnan (IR-20).")
        users = [
            ("admin", Role.NATIONAL_ADMIN, {"is_staff": True, "is_superuser": True}),
            ("analyst", Role.NATIONAL_ANALYST, {}),
            *[
                (name, Role.PROVINCIAL_OFFICER, {"province": Province.objects.get(code=code)})
                for name, code in DEMO_PROVINCES.items()
            ],
            *[
                (name, Role.BANK_OFFICER, {"organisation": Organisation.objects.get(code=code)})
                for name, code in DEMO_BANKS.items()
            ],
            (f"park.{park.code}", Role.PARK_MANAGER, {"park": park}),
            (f"owner.{unit.business_id}", Role.UNIT_OWNER, {"unit": unit}),
        ]
        semnan = Province.objects.get(code=LIAISON_PROVINCE)
        users += [
            (
                f"liaison.{kind.replace('_', '-')}.{semnan.name_en.lower()}",
                Role.AGENCY_LIAISON,
                {
                    "organisation": Organisation.objects.get(code=agency_code(kind, LIAISON_PROVINCE)),
                    "province": semnan,
                },
            )
            for kind in AGENCY_KINDS
        ]
        encoded = make_password(password)  # hashed once: the same password for every demo user
        with transaction.atomic():
            for username, role, fields in users:
                user_upsert(
                    username=username, password=encoded, hashed=True, by="demo command", role=role, **fields
                )
            # the statistics system sends filings with a token only: no password, no pages
            user_upsert(username=INTEGRATION_USER, password=None, by="demo command", role=Role.INTEGRATION)
        self.stdout.write("Demo users (all with the same password):")
        for username, role, _fields in users:
            self.stdout.write(f"  {username:<32} {role.label}")
        self.stdout.write(
            f"  {INTEGRATION_USER:<32} {Role.INTEGRATION.label}: no password, "
            f"`revive create-token {INTEGRATION_USER}` gives its API token"
        )
        if settings.DEMO_PASSWORD:
            self.stdout.write("Password: the value of REVIVE_DEMO_PASSWORD")
        else:
            self.stdout.write(f"Password: {password}   (set REVIVE_DEMO_PASSWORD to choose it)")
