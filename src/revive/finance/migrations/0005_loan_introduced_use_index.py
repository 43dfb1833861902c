from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_loan_province_registered_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loanrequest",
            index=models.Index(
                fields=["introduced_on", "state", "bank", "province", "amount"], name="loan_introduced_use_idx"
            ),
        ),
    ]
