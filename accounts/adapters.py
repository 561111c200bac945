"""Allauth adapter: sign-up by invitation, Rota's sign-in limits, the client address."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts import signin_limits
from rota.clientip import client_address


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email", credentials.get("username", "")) or "")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Allow open sign-up only when the operator turned it on."""
        return settings.ROTA_OPEN_SIGNUP

    def get_client_ip(self, request: HttpRequest) -> str:
        """Return the client's address: X-Forwarded-For only from a trusted proxy."""
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Refuse a sign-in while its account or client address is locked (not allauth's limit)."""
        if signin_limits.blocked(request, _login_of(credentials)):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the failure against the account and the client address."""
        signin_limits.record_failure(request, _login_of(credentials))

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # Allauth calls this after a password reset by email: the account may sign in again.
        signin_limits.clear_account(request, _login_of(credentials))
