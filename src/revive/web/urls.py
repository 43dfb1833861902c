"""The site's routes: sign-in, account, audit and home here; each area's routes in its own package."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from revive.web.accounts import views as accounts
from revive.web.audit import views as audit
from revive.web.home import views as home

app_name = "web"

urlpatterns = [
    path("login/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("audit/", audit.audit_list, name="audit"),
    path("home/", home.home, name="home"),
    path("", include("revive.web.registry.urls")),
    path("", include("revive.web.cases.urls")),
    path("", include("revive.web.finance.urls")),
    path("", include("revive.web.planning.urls")),
    path("", include("revive.web.insight.urls")),
    path("", include("revive.web.indicators.urls")),
    path("", include("revive.web.imports.urls")),
    path("", include("revive.web.filings.urls")),
    path("", include("revive.web.field.urls")),
    path("", include("revive.web.notices.urls")),
]
