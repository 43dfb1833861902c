# FilingSubmission now belongs to the filings app (filings/migrations/0001_initial.py took it over with its
# table): it leaves the imports app's state only; no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_filing_versions"),
        ("filings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="FilingSubmission")],
            database_operations=[],
        ),
    ]
