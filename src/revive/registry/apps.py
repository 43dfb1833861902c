from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "revive.registry"
    label = "registry"

    def ready(self) -> None:
        from revive.core import importing
        from revive.registry import importers

        importing.register(*importers.KINDS)
