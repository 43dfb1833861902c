from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "revive.planning"
    label = "planning"
