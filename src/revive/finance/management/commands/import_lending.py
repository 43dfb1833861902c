"""revive import-lending FILE: monthly lending figures from CSV or XLSX, all rows or none (exit 2 on error)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from revive.core.errors import DomainError
from revive.finance import importers


class Command(BaseCommand):
    help = (
        "Import monthly bank lending figures (columns: year, month, bank, total, industry_mining; bank empty "
        "for the banking system). Every row is checked first; if any is wrong nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .csv (UTF-8) or .xlsx file")

    def handle(self, *args, file: Path, **options):
        try:
            result, written = importers.import_lending(
                file.read_bytes(), file.name, by="import-lending command"
            )
        except (OSError, DomainError) as error:
            self.stderr.write(str(getattr(error, "message", error)))
            sys.exit(2)
        if written is None:
            for e in result.errors:
                self.stderr.write(
                    f"row {e['row']}, column {e['column']}, value “{e['value']}”: {e['message']}"
                )
            self.stderr.write(f"{len(result.errors)} error(s); nothing was imported.")
            sys.exit(2)
        self.stdout.write(
            self.style.SUCCESS(
                f"{written['rows']} rows imported: {written['created']} new, {written['updated']} updated."
            )
        )
