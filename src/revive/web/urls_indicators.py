"""Routes of the targets, dashboard, press summary and report pages."""

urlpatterns: list = []
