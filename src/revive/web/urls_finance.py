"""Routes of the finance pages (loan requests, credit lines, funnel, lending share)."""

urlpatterns: list = []
