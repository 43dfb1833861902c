"""Field pages: the date picker's month grid, photos and documents, minutes and letters."""

from django.urls import path

from revive.web import views_field

urlpatterns = [
    path("calendar/month/", views_field.calendar_month, name="calendar_month"),
    path("favicon.ico", views_field.favicon, name="favicon"),
    path("cases/<int:pk>/photos/<int:photo_id>/", views_field.visit_photo, name="visit_photo"),
    path("loans/<int:pk>/documents/", views_field.loan_document_add, name="loan_document_add"),
    path("loans/<int:pk>/documents/<int:document_id>/", views_field.loan_document, name="loan_document"),
    path("meetings/<int:pk>/minutes/", views_field.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/letters/<int:organisation_id>/", views_field.meeting_letter, name="meeting_letter"
    ),
]
