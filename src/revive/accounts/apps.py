from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "revive.accounts"
    label = "accounts"
