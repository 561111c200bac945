"""Allauth adapter: sign-up is by invitation unless ROTA_OPEN_SIGNUP is set."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Allow open sign-up only when the operator turned it on."""
        return settings.ROTA_OPEN_SIGNUP
