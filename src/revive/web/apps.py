from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "revive.web"
    label = "web"
