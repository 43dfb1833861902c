"""revive create-token USERNAME: print a new API bearer token for that user."""

from django.core.management.base import BaseCommand, CommandError

from revive.accounts.models import User
from revive.accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        self.stdout.write(token_create(user=user, by="create-token command"))
