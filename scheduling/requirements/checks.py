"""Built-in automatic checks about the person's own account."""

from __future__ import annotations

from datetime import date

from allauth.mfa.models import Authenticator

from scheduling.requirements.automatic import automatic_check


@automatic_check(
    "oncall_phone",
    "Has an on-call phone on their profile",
    how="Add your on-call phone on your profile.",
    url_name="profile",
)
def has_oncall_phone(*, team, users: list, on: date, params: dict) -> dict[int, bool]:
    """Tell who has an on-call phone (the users are loaded already: no query)."""
    return {user.pk: bool(user.oncall_phone) for user in users}


@automatic_check(
    "mfa_enabled",
    "Has two-factor authentication (an authenticator app)",
    how="Set up an authenticator app for two-factor sign-in.",
    url_name="mfa_activate_totp",
)
def has_mfa_enabled(*, team, users: list, on: date, params: dict) -> dict[int, bool]:
    """Tell who has a TOTP authenticator, in one query."""
    with_totp = set(
        Authenticator.objects.filter(
            user__in=[user.pk for user in users], type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    return {user.pk: user.pk in with_totp for user in users}
