from django.contrib.auth import views as auth_views
from django.urls import include, path

from revive.web import views, views_account, views_assign, views_audit, views_cases, views_home

app_name = "web"

urlpatterns = [
    path("", views.public, name="public"),
    path("login/", views_account.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("audit/", views_audit.audit_list, name="audit"),
    path("home/", views_home.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
    path("parks/<str:code>/", views.park_detail, name="park"),
    path("units/", views.unit_list, name="units"),
    path("units/<str:business_id>/", views.unit_detail, name="unit"),
    path("units/<str:business_id>/open-case/", views_cases.case_open, name="unit_open_case"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/survival/", views_cases.survival, name="survival"),
    path("cases/<int:pk>/", views_cases.case_detail, name="case"),
    path("cases/<int:pk>/obstacles/", views_cases.case_obstacle_add, name="case_obstacle"),
    path("cases/<int:pk>/obstacles/<int:obstacle_id>/", views_cases.obstacle_status, name="obstacle_status"),
    path("cases/<int:pk>/transition/", views_cases.case_transition, name="case_transition"),
    path("cases/<int:pk>/assign/", views_assign.case_assign, name="case_assign"),
    path("cases/<int:pk>/visits/", views_cases.case_visit, name="case_visit"),
    path("meetings/", views_cases.meeting_list, name="meetings"),
    path("meetings/new/", views_cases.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_cases.meeting_detail, name="meeting"),
    path("resolutions/", views_cases.resolution_list, name="resolutions"),
    path("resolutions/overdue/", views_cases.overdue_board, name="overdue"),
    path("resolutions/execution/", views_cases.execution, name="execution"),
    path("resolutions/<int:pk>/answer/", views_cases.resolution_answer, name="resolution_answer"),
    path("resolutions/<int:pk>/escalate/", views_cases.resolution_escalate, name="resolution_escalate"),
    path("", include("revive.web.urls_finance")),
    path("", include("revive.web.urls_planning")),
    path("", include("revive.web.urls_insight")),
    path("", include("revive.web.urls_indicators")),
    path("", include("revive.web.urls_imports")),
    path("", include("revive.web.urls_field")),
    path("", include("revive.web.urls_notices")),
]
