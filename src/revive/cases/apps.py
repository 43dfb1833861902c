from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "revive.cases"
    label = "cases"

    def ready(self) -> None:
        # Cases follow their units' bands: the registry runs this inside its status transaction.
        from revive.cases.services import on_units_band_changed
        from revive.registry.hooks import register_band_change_handler

        register_band_change_handler(on_units_band_changed)
