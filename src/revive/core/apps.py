from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "revive.core"
    label = "core"
