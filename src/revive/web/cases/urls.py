"""Routes of the case pages (cases, obstacles, visits, assignment, meetings, resolutions)."""

from django.urls import path

from revive.web.cases import views as v

urlpatterns = [
    path("units/<str:business_id>/open-case/", v.case_open, name="unit_open_case"),
    path("cases/", v.case_list, name="cases"),
    path("cases/survival/", v.survival, name="survival"),
    path("cases/<int:pk>/", v.case_detail, name="case"),
    path("cases/<int:pk>/obstacles/", v.case_obstacle_add, name="case_obstacle"),
    path("cases/<int:pk>/obstacles/<int:obstacle_id>/", v.obstacle_status, name="obstacle_status"),
    path("cases/<int:pk>/transition/", v.case_transition, name="case_transition"),
    path("cases/<int:pk>/assign/", v.case_assign, name="case_assign"),
    path("cases/<int:pk>/visits/", v.case_visit, name="case_visit"),
    path("meetings/", v.meeting_list, name="meetings"),
    path("meetings/new/", v.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting"),
    path("resolutions/", v.resolution_list, name="resolutions"),
    path("resolutions/overdue/", v.overdue_board, name="overdue"),
    path("resolutions/execution/", v.execution, name="execution"),
    path("resolutions/<int:pk>/answer/", v.resolution_answer, name="resolution_answer"),
    path("resolutions/<int:pk>/escalate/", v.resolution_escalate, name="resolution_escalate"),
]
