# MonthlyFiling and FilingTotal now belong to the filings app (filings/migrations/0001_initial.py took
# them over with their tables): they leave the registry's state only; no table is dropped.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_filing_month_index"),
        ("filings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MonthlyFiling"),
                migrations.DeleteModel(name="FilingTotal"),
            ],
            database_operations=[],
        ),
    ]
