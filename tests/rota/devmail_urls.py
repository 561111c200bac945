"""Rota's routes plus the development mailbox, as rota/urls.py has them with DEBUG."""

from django.urls import include, path

from rota.urls import urlpatterns as rota_patterns

urlpatterns = [*rota_patterns, path("dev/mail/", include("rota.devmail.urls"))]
