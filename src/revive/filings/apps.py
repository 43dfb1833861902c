from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    """Monthly filings: the registry's filed months, the owners' submissions and their versions, the totals."""

    name = "revive.filings"
    label = "filings"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Monthly filings")

    def ready(self) -> None:
        # The production totals follow a unit whose sector changes or that is deleted (registry/hooks.py):
        # the registry itself imports no other domain app.
        from revive.core import importing
        from revive.filings import importers, totals
        from revive.registry import hooks

        hooks.register_units_regrouping_handler(totals.units_regrouping)
        importing.register(*importers.KINDS)
