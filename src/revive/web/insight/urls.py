"""Routes of the early-warning and attribution pages."""

from django.urls import path

from revive.web.insight import views as v

urlpatterns = [
    path("insight/watchlist/", v.watchlist, name="watchlist"),
    path("insight/watchlist/<int:pk>/case/", v.watch_open_case, name="watch_open_case"),
    path("insight/model/", v.model, name="risk_model"),
    path("insight/attribution/", v.attribution, name="attribution"),
]
