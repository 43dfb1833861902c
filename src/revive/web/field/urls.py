"""Field pages: the date picker's month grid, photos and documents, minutes and letters."""

from django.urls import path

from revive.web.field import views as v

urlpatterns = [
    path("calendar/month/", v.calendar_month, name="calendar_month"),
    path("favicon.ico", v.favicon, name="favicon"),
    path("cases/<int:pk>/photos/<int:photo_id>/", v.visit_photo, name="visit_photo"),
    path("loans/<int:pk>/documents/", v.loan_document_add, name="loan_document_add"),
    path("loans/<int:pk>/documents/<int:document_id>/", v.loan_document, name="loan_document"),
    path("meetings/<int:pk>/minutes/", v.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/letters/<int:organisation_id>/", v.meeting_letter, name="meeting_letter"
    ),
]
