"""revive backup FILE: a consistent copy of the whole database, taken while Revive keeps running."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from revive.core import backup
from revive.core.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database to FILE (SQLite: online backup API; PostgreSQL: pg_dump -Fc). Audited."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write the backup (replaced if it exists)")

    def handle(self, *args, file: Path, **options):
        try:
            size = backup.backup(path=file, by="backup command")
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up to {file} ({size / 1e6:.1f} MB)."))
