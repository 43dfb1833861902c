"""revive load-reference: the provinces, counties, sectors and banks every install needs (idempotent)."""

from django.core.management.base import BaseCommand

from revive.registry.models import County, Organisation, Province, Sector
from revive.registry.reference import reference_load


class Command(BaseCommand):
    help = "Load (or refresh) the reference data: provinces, counties, ISIC sectors and banks. Safe to run again."

    def handle(self, *args, **options):
        reference_load()
        self.stdout.write(
            f"Reference data loaded: {Province.objects.count()} provinces, {County.objects.count()} counties, "
            f"{Sector.objects.count()} sectors, {Organisation.objects.filter(kind=Organisation.Kind.BANK).count()} banks."
        )
