"""The fixed official holidays of the solar calendar for 1404-1406 (the lunar ones are entered each year
from the official calendar, on the holidays page)."""

from django.db import migrations

FIXED = [
    # (month, day, Persian name, English name)
    (1, 1, "نوروز", "Nowruz"),
    (1, 2, "نوروز", "Nowruz"),
    (1, 3, "نوروز", "Nowruz"),
    (1, 4, "نوروز", "Nowruz"),
    (1, 12, "روز جمهوری اسلامی", "Islamic Republic Day"),
    (1, 13, "روز طبیعت", "Nature Day"),
    (3, 14, "رحلت امام خمینی", "Death of Imam Khomeini"),
    (3, 15, "قیام ۱۵ خرداد", "15 Khordad uprising"),
    (11, 22, "پیروزی انقلاب اسلامی", "Victory of the Islamic Revolution"),
    (12, 29, "ملی شدن صنعت نفت", "Nationalisation of the oil industry"),
]
YEARS = (1404, 1405, 1406)


def add(apps, schema_editor):
    from revive.core.calendar import from_jalali

    Holiday = apps.get_model("notices", "Holiday")
    for year in YEARS:
        for month, day, fa, en in FIXED:
            Holiday.objects.get_or_create(day=from_jalali(year, month, day), defaults={"name_fa": fa, "name_en": en})


def remove(apps, schema_editor):
    from revive.core.calendar import from_jalali

    Holiday = apps.get_model("notices", "Holiday")
    days = [from_jalali(y, m, d) for y in YEARS for m, d, _fa, _en in FIXED]
    Holiday.objects.filter(day__in=days).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
