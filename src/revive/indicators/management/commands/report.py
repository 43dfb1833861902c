"""revive report: the monthly report, national or for one province, as PDF or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.scoping import NATION
from revive.indicators import reports
from revive.registry import selectors as registry


class Command(BaseCommand):
    help = "Write the monthly report: revive report --month 1405/08 [--province IR-20] --format pdf|xlsx --out FILE"
    # The system checks import every URL and API module first (about a quarter of the command's time);
    # `revive check` and every server start run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", required=True, help="Iranian month as YYYY/MM, in any digits (e.g. 1405/08)"
        )
        parser.add_argument("--province", default="", help="ISO code, e.g. IR-20 (default: nationwide)")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--lang", choices=["fa", "en"], default="fa")
        parser.add_argument("--out", required=True, help="file to write")

    def handle(self, *args, month, province, format, lang, out, **options):
        with translation.override(lang):
            try:
                year, m = reports.parse_month(month)
                prov = registry.province_get(scope=NATION, code=province) if province else None
                data = reports.report_data(scope=NATION, year=year, month=m, province=prov)
                content = reports.render_pdf(data) if format == "pdf" else reports.render_xlsx(data)
            except DomainError as error:
                raise CommandError(str(error)) from error
            except Exception as error:
                if error.__class__.__name__ == "Http404":
                    raise CommandError(f"Unknown province: {province}") from error
                raise
        Path(out).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} ({len(content):,} bytes)."))
