"""The request type of views behind login_required: its user is a signed-in User."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest whose user is signed in (the type only; Django builds the object)."""

    user: User
