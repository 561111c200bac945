"""Per-request time zone and the team MFA and single sign-on requirements."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from accounts.models import Membership
from accounts.sso import signed_in_with_sso

# Pages a person must still reach while setting up the MFA their team requires. Not /admin/:
# a staff member of such a team would otherwise run the admin on a password alone.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/invite/", "/c/", "/feeds/", "/api/")


class UserTimezoneMiddleware:
    """Show times in the signed-in person's zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class TeamMfaMiddleware:
    """Send members of teams that require MFA to set it up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and needs_mfa_setup(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def needs_mfa_setup(user) -> bool:
    """Tell whether one of the user's teams requires MFA that the user has not set up."""
    if not Membership.objects.filter(user=user, team__require_mfa=True).exists():
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def has_mfa(user) -> bool:
    """Tell whether the user has an authenticator app set up."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class TeamSsoMiddleware:
    """Sign out members of teams that require SSO when they signed in another way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.SSO_ENABLED  # without a provider, the requirement cannot lock anyone out
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and Membership.objects.filter(user=user, team__require_sso=True).exists()
            and not signed_in_with_sso(request)
        ):
            logout(request)
            label = settings.OIDC_BUTTON_LABEL
            messages.info(request, f"Your team requires single sign-on: sign in with {label}.")
            return redirect("account_login")
        return self.get_response(request)
