from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "revive.indicators"
    label = "indicators"

    def ready(self) -> None:
        from revive.core import importing
        from revive.indicators import importers

        importing.register(*importers.KINDS)
