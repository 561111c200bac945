"""URL routes: each app's pages under its own prefix."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from rota import views
from rota.converters import IdConverter

# Before the apps' routes are read: their <id:...> parameters need it.
register_converter(IdConverter, "id")

# Sign in to the admin through allauth too, so an authenticator code cannot be skipped there.
# allauth documents replacing the bound method; mypy forbids assigning to a method.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("scheduling.requirements.urls")),
    path("", include("scheduling.availability.urls")),
    path("", include("scheduling.rotas.urls")),
    path("", include("scheduling.oncall.urls")),
    path("", include("scheduling.cover.urls")),
    path("", include("scheduling.pay.urls")),
    path("", include("calendars.urls")),
    path("", include("integrations.webhooks.urls")),
    path("", include("integrations.paging.urls")),
    path("integrations/slack/", include("integrations.slack.urls")),
]

# The development mailbox exists only with DEBUG: in production the URL is not routed at all.
if settings.DEBUG:
    urlpatterns.append(path("dev/mail/", include("rota.devmail.urls")))
