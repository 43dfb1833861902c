from django.contrib.auth import views as auth_views
from django.urls import path

from revive.web import views

app_name = "web"

urlpatterns = [
    path("", views.public, name="public"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("overview/", views.overview, name="overview"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
    path("parks/<str:code>/", views.park_detail, name="park"),
    path("units/", views.unit_list, name="units"),
    path("units/<str:business_id>/", views.unit_detail, name="unit"),
]
