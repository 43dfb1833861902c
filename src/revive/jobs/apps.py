from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "revive.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from revive.jobs import runner

        runner.connect_signals()
