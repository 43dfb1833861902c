"""revive restore FILE: replace the database with a backup made by `revive backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from revive.core import backup
from revive.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore the database from FILE made by `revive backup` (SQLite: backup API; PostgreSQL: "
        "pg_restore --clean, in one transaction). Refuses a database that has data unless --force. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a backup made by `revive backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already has data (all of it)"
        )

    def handle(self, *args, file: Path, force: bool, **options):
        try:
            backup.restore(path=file, by="restore command", force=force)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {file}."))
