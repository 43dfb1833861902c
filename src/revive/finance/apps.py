from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "revive.finance"
    label = "finance"
