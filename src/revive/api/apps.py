from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "revive.api"
    label = "api"
