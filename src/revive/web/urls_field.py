"""Field pages: the date picker's month grid, photos and documents, minutes and letters."""

from django.urls import path

from revive.web import views_field

urlpatterns = [
    path("calendar/month/", views_field.calendar_month, name="calendar_month"),
    path("favicon.ico", views_field.favicon, name="favicon"),
]
