from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_unit_band_id_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="productionunit",
            index=models.Index(fields=["park", "current_band", "id"], name="unit_park_band_idx"),
        ),
    ]
