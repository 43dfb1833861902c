"""Top-level routes: the pages, the API, the admin, and the language switch."""

from django.contrib import admin
from django.urls import include, path

from revive.api.api import api
from revive.web.accounts.views import ThrottledAdminLoginView

urlpatterns = [
    # The admin's sign-in, with the app's throttle and lock (before admin.site.urls, which has its own).
    path("admin/login/", ThrottledAdminLoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("revive.web.urls")),
]
