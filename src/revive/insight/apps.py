from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "revive.insight"
    label = "insight"
    verbose_name = "Early warning and attribution"
