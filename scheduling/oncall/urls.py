from django.urls import path

from scheduling.oncall.views import api, manage, pages

app_name = "oncall"
urlpatterns = [
    path("me/shifts/", pages.my_shifts, name="my_shifts"),
    path("me/reminders/", pages.preferences, name="preferences"),
    path("oncall/", pages.now_all, name="now_all"),
    path("shifts/<id:pk>/handover/", pages.handover, name="handover"),
    path("teams/<slug:slug>/oncall/", pages.now_team, name="now"),
    path("teams/<slug:slug>/oncall/tokens/", manage.tokens, name="tokens"),
    path("teams/<slug:slug>/oncall/tokens/new/", manage.token_create, name="token_create"),
    path(
        "teams/<slug:slug>/oncall/tokens/<id:pk>/revoke/", manage.token_revoke, name="token_revoke"
    ),
    path("teams/<slug:slug>/reports/", manage.report, name="report"),
    path("teams/<slug:slug>/reports/oncall.csv", manage.report_csv, name="report_csv"),
    path("teams/<slug:slug>/audit/", manage.audit_log, name="audit"),
    path("api/teams/<slug:slug>/oncall", api.oncall, name="api"),
]
