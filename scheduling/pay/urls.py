from django.urls import path

from scheduling.pay import views

app_name = "pay"
urlpatterns = [
    path("teams/<slug:slug>/pay/", views.report, name="report"),
    path("teams/<slug:slug>/pay/payroll.csv", views.payroll_csv, name="csv"),
    path("teams/<slug:slug>/pay/lock/", views.lock, name="lock"),
    path("teams/<slug:slug>/pay/rules/", views.rules, name="rules"),
]
