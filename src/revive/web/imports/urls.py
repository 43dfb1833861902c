"""Routes of the import pages."""

from django.urls import path

from revive.web.imports import views as v

urlpatterns = [
    path("imports/", v.import_page, name="imports"),
    path("imports/<int:pk>/", v.import_job, name="import_job"),
    path("imports/<int:pk>/status/", v.import_job_status, name="import_job_status"),
    path("imports/<int:pk>/confirm/", v.import_job_confirm, name="import_job_confirm"),
    path("imports/templates/<slug:kind>.xlsx", v.import_template, name="import_template"),
]
