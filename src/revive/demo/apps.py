from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "revive.demo"
    label = "demo"
    verbose_name = "Demo data"
