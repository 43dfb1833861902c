from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "revive.indicators"
    label = "indicators"
