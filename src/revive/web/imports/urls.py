"""Routes of the import pages and of owners' monthly filings."""

from django.urls import path

from revive.web.imports import views as v

urlpatterns = [
    path("imports/", v.import_page, name="imports"),
    path("imports/<int:pk>/", v.import_job, name="import_job"),
    path("imports/<int:pk>/status/", v.import_job_status, name="import_job_status"),
    path("imports/<int:pk>/confirm/", v.import_job_confirm, name="import_job_confirm"),
    path("imports/templates/<slug:kind>.xlsx", v.import_template, name="import_template"),
    path("filings/", v.filings, name="filings"),
    path("filings/new/", v.filing_new, name="filing_new"),
    path("filings/<int:pk>/review/", v.filing_review, name="filing_review"),
]
