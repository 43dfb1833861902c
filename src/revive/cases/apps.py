from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "revive.cases"
    label = "cases"
