"""revive create-admin USERNAME [--email E]: a national administrator (staff, superuser, national_admin role)."""

import getpass
import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from revive.accounts.models import User
from revive.accounts.services import national_admin_make


class Command(BaseCommand):
    help = (
        "Create the first national administrator, or give an existing user (one made by createsuperuser) "
        "the national administrator's role. The password is asked twice, or read from "
        "REVIVE_ADMIN_PASSWORD; an existing user keeps theirs unless --set-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--set-password", action="store_true", help="also set a new password")

    def handle(self, *args, username: str, email: str, set_password: bool, **options):
        exists = User.objects.filter(username=username).exists()
        password = None
        if not exists or set_password:
            password = os.environ.get("REVIVE_ADMIN_PASSWORD") or self._ask()
            candidate = User(username=username, email=email)
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        user = national_admin_make(
            username=username, password=password, email=email, by="create-admin command"
        )
        self.stdout.write(f"{user.username}: national administrator ({'updated' if exists else 'created'}).")

    def _ask(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
