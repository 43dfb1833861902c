from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "revive.finance"
    label = "finance"

    def ready(self) -> None:
        from revive.core import importing
        from revive.finance import importers

        importing.register(*importers.KINDS)
