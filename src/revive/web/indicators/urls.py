"""Routes of the targets, dashboard, press summary and report pages."""

from django.urls import path

from revive.web.indicators import views as views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/targets/<slug:code>/", views.targets_edit, name="targets_edit"),
    path("dashboard/backtest/", views.backtest, name="backtest"),
    path("dashboard/production/", views.production, name="production"),
    path("dashboard/press/", views.press_summary, name="press"),
    path("dashboard/reported/", views.reported, name="reported"),
    path("dashboard/report/", views.report, name="indicator_report"),
]
