"""Routes of the registry pages (overview, provinces, parks, units)."""

from django.urls import path

from revive.web.registry import views as v

urlpatterns = [
    path("", v.public, name="public"),
    path("overview/", v.overview, name="overview"),
    path("provinces/<str:code>/", v.province_detail, name="province"),
    path("parks/<str:code>/", v.park_detail, name="park"),
    path("units/", v.unit_list, name="units"),
    path("units/<str:business_id>/", v.unit_detail, name="unit"),
]
