"""URL routes: each app's pages under its own prefix."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter

from rota import views
from rota.converters import IdConverter

# Before the apps' routes are read: their <id:...> parameters need it.
register_converter(IdConverter, "id")

# Sign in to the admin through allauth too, so an authenticator code cannot be skipped there.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("", include("calendars.urls")),
]
