# The filings app takes over three models that already have their tables: MonthlyFiling and FilingTotal
# (created by the registry app) and FilingSubmission (created by the imports app). Only Django's state
# moves (SeparateDatabaseAndState, no database operation): the tables keep their names through
# Meta.db_table, so no row is copied or lost. registry 0005 and imports 0004 drop the models from their
# apps' state after this one. What points at the models by label follows them: their content types (and so
# their permissions and admin log entries), the audit rows and the notices about them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (old app label, model name): the models that move to "filings"
MOVED = [("registry", "monthlyfiling"), ("registry", "filingtotal"), ("imports", "filingsubmission")]


def _relabel(apps, *, forward: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    Notice = apps.get_model("notices", "Notice")
    for old_app, model in MOVED:
        source, target = (old_app, "filings") if forward else ("filings", old_app)
        # a content type made for the new label already (a migrate interrupted after post_migrate) stays
        # behind the old one, which holds the permissions and admin log entries
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
        AuditEvent.objects.filter(object_type=f"{source}.{model}").update(object_type=f"{target}.{model}")
        Notice.objects.filter(object_type=f"{source}.{model}").update(object_type=f"{target}.{model}")


def relabel_forward(apps, schema_editor):
    _relabel(apps, forward=True)


def relabel_backward(apps, schema_editor):
    _relabel(apps, forward=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("imports", "0003_filing_versions"),
        ("notices", "0002_fixed_holidays"),
        ("registry", "0004_filing_month_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MonthlyFiling",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("jyear", models.PositiveSmallIntegerField(verbose_name="Iranian year")),
                        ("jmonth", models.PositiveSmallIntegerField(verbose_name="Iranian month")),
                        ("period_start", models.DateField(editable=False)),
                        ("production_value", models.BigIntegerField(verbose_name="production value (rials)")),
                        (
                            "capacity_utilisation",
                            models.PositiveSmallIntegerField(verbose_name="capacity utilisation (%)"),
                        ),
                        ("employees", models.PositiveIntegerField(verbose_name="employees")),
                        (
                            "energy_kwh",
                            models.BigIntegerField(blank=True, null=True, verbose_name="energy use (kWh)"),
                        ),
                        ("filed_on", models.DateField(verbose_name="filed on")),
                        ("due_on", models.DateField(editable=False, verbose_name="due on")),
                        (
                            "province",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="registry.province",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="filings",
                                to="registry.productionunit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "monthly filing",
                        "verbose_name_plural": "monthly filings",
                        "db_table": "registry_monthlyfiling",
                        "ordering": ["unit", "jyear", "jmonth"],
                        "indexes": [
                            models.Index(fields=["province", "period_start"], name="registry_mo_provinc_ce4bc7_idx"),
                            models.Index(
                                condition=models.Q(("filed_on__gt", models.F("due_on"))),
                                fields=["jyear", "period_start"],
                                name="filing_late_idx",
                            ),
                            models.Index(fields=["jyear", "jmonth", "unit"], name="filing_month_unit_idx"),
                        ],
                        "unique_together": {("unit", "jyear", "jmonth")},
                    },
                ),
                migrations.CreateModel(
                    name="FilingTotal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("jyear", models.PositiveSmallIntegerField()),
                        ("jmonth", models.PositiveSmallIntegerField()),
                        ("production_value", models.BigIntegerField(default=0)),
                        ("filings", models.PositiveIntegerField(default=0)),
                        (
                            "province",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="registry.province",
                            ),
                        ),
                        (
                            "sector",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="registry.sector",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "registry_filingtotal",
                        "indexes": [models.Index(fields=["jyear", "jmonth"], name="registry_fi_jyear_a5f3c8_idx")],
                        "unique_together": {("province", "jyear", "jmonth", "sector")},
                    },
                ),
                migrations.CreateModel(
                    name="FilingSubmission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("jyear", models.PositiveSmallIntegerField(verbose_name="Iranian year")),
                        ("jmonth", models.PositiveSmallIntegerField(verbose_name="Iranian month")),
                        ("production_value", models.BigIntegerField(verbose_name="production value (rials)")),
                        (
                            "capacity_utilisation",
                            models.PositiveSmallIntegerField(verbose_name="capacity utilisation (%)"),
                        ),
                        ("employees", models.PositiveIntegerField(verbose_name="employees")),
                        (
                            "energy_kwh",
                            models.BigIntegerField(blank=True, null=True, verbose_name="energy use (kWh)"),
                        ),
                        ("submitted_on", models.DateField(verbose_name="submitted on")),
                        ("due_on", models.DateField(verbose_name="due on")),
                        ("version", models.PositiveSmallIntegerField(default=1, verbose_name="version")),
                        (
                            "source",
                            models.CharField(
                                choices=[("page", "Monthly filing page"), ("api", "Statistics system (API)")],
                                default="page",
                                max_length=4,
                                verbose_name="sent through",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for review"),
                                    ("approved", "Approved"),
                                    ("returned", "Returned to the owner"),
                                    ("superseded", "Replaced by a newer version"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("comment", models.CharField(blank=True, max_length=500, verbose_name="comment")),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "province",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="registry.province",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="submissions",
                                to="registry.productionunit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "filing submission",
                        "verbose_name_plural": "filing submissions",
                        "db_table": "imports_filingsubmission",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["province", "status"], name="imports_fil_provinc_3d1e9f_idx"),
                            models.Index(fields=["unit", "jyear", "jmonth"], name="imports_fil_unit_id_53c901_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_forward, relabel_backward),
    ]
