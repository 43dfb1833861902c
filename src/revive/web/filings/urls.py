"""Routes of the monthly filings pages (the owner's form, the officer's lists and review)."""

from django.urls import path

from revive.web.filings import views as v

urlpatterns = [
    path("filings/", v.filings, name="filings"),
    path("filings/new/", v.filing_new, name="filing_new"),
    path("filings/<int:pk>/review/", v.filing_review, name="filing_review"),
]
