"""Routes of the import pages and of owners' monthly filings."""

from django.urls import path

from revive.web import views_imports as v

urlpatterns = [
    path("imports/", v.import_page, name="imports"),
    path("imports/confirm/", v.import_confirm, name="import_confirm"),
    path("imports/templates/<slug:kind>.xlsx", v.import_template, name="import_template"),
]
