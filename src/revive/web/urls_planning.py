"""Routes of the planning pages (infrastructure projects, plans, scenarios)."""

urlpatterns: list = []
