"""Routes of the development mailbox; rota/urls.py includes them only with DEBUG."""

from django.urls import path

from rota.devmail import views

app_name = "devmail"
urlpatterns = [
    path("", views.mailbox, name="list"),
    path("clear/", views.clear, name="clear"),
    path("<str:mail_id>/", views.detail, name="detail"),
]
