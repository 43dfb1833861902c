"""The table of the "figures" cache (settings.CACHES, revive/core/cache.py), made by Django's createcachetable."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    from django.conf import settings

    for spec in settings.CACHES.values():
        if spec["BACKEND"].endswith("db.DatabaseCache"):
            name = schema_editor.connection.ops.quote_name(spec["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
