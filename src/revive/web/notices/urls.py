from django.urls import path

from revive.web.notices import views as v

urlpatterns = [
    path("notices/", v.inbox, name="notices"),
    path("notices/read/", v.mark_read, name="notices_read"),
    path("notices/<int:pk>/open/", v.open_notice, name="notice_open"),
    path("notices/preferences/", v.preferences, name="notice_preferences"),
    path("notices/rules/", v.deadline_rules, name="deadline_rules"),
    path("notices/rules/holidays/<int:pk>/remove/", v.holiday_remove, name="holiday_remove"),
    path("filings/suspension/", v.suspension_list, name="suspension_list"),
]
