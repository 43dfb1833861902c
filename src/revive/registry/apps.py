from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "revive.registry"
    label = "registry"
