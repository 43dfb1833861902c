# Each unit's newest filed month (filings/lastfiled.py keeps it), filled from the filings already there.

import django.db.models.deletion
from django.db import migrations, models

# The SQL of filings/lastfiled.py's rebuild_all as it was when the table was made (a migration does not
# follow later edits of the app's code).
FILL = (
    "INSERT INTO filings_unitlastfiling (unit_id, last_ym) "
    "SELECT unit_id, MAX(jyear * 100 + jmonth) FROM registry_monthlyfiling GROUP BY unit_id"
)


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0002_monthlyfiling_no_single_column_indexes"),
        ("registry", "0006_unit_status_date_id_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitLastFiling",
            fields=[
                (
                    "unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="last_filing",
                        serialize=False,
                        to="registry.productionunit",
                    ),
                ),
                ("last_ym", models.PositiveIntegerField()),
            ],
            options={
                "db_table": "filings_unitlastfiling",
                "indexes": [models.Index(fields=["last_ym"], name="last_filing_ym_idx")],
            },
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
