from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "revive.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from revive.core.cache import clear_after_migrate

        post_migrate.connect(clear_after_migrate, sender=self, dispatch_uid="revive.core.cache.clear")
