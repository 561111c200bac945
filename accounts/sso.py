"""Single sign-on through allauth's OpenID Connect provider: who may join, which teams.

Signing in with SSO never opens Rota to everyone: a new person gets an account only when an
invitation for their (provider-verified) address is pending, or a team lists their email
domain in its settings; they join those teams. An existing account with the same verified
address is the one signed in to. The provider's HTTP goes through `rota.http` (capped, in time).
"""

from __future__ import annotations

import logging

from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import audit
from accounts.models import Invitation, Membership, Role, Team, User
from rota import http
from rota.text import one_line

log = logging.getLogger(__name__)
PROVIDER_MAX_BYTES = 1024 * 1024


def _verified_email(sociallogin) -> str:
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return ""


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def teams_for_domain(email: str) -> list[Team]:
    """Return the teams that let people of this address's domain join by SSO."""
    domain = _domain(email)
    if not domain:
        return []
    candidates = Team.objects.exclude(sso_domains="").filter(sso_domains__icontains=domain)
    return [team for team in candidates if domain in team.sso_domain_list]


def pending_invitations(email: str) -> list[Invitation]:
    """Return the pending invitations for this address."""
    rows = Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("team")
    return [row for row in rows if row.is_pending]


def may_join(email: str) -> bool:
    """Tell whether a new person with this verified address may get an account by SSO."""
    if not email:
        return False
    return bool(settings.ROTA_OPEN_SIGNUP or pending_invitations(email) or teams_for_domain(email))


@transaction.atomic
def join_teams(*, user: User) -> list[Membership]:
    """Accept the person's pending invitations and join the teams that allow their domain."""
    joined: list[Membership] = []
    now = timezone.now()
    for invitation in pending_invitations(user.email):
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=now, accepted_by=user
        )
        if claimed == 1:
            joined += _join(user, invitation.team, invitation.role, how="invitation")
    for team in teams_for_domain(user.email):
        joined += _join(user, team, Role.ENGINEER, how=f"the {_domain(user.email)} domain")
    return joined


def _join(user: User, team: Team, role: str, *, how: str) -> list[Membership]:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, team=team, role=role)
    except IntegrityError:
        return []  # already a member
    audit.record(
        action="membership.joined_by_sso",
        summary=f"{user.name} joined {team.name} as {role} by single sign-on ({how})",
        actor=user,
        team=team,
        target=membership,
    )
    return [membership]


def signed_in_with_sso(request: HttpRequest) -> bool:
    """Tell whether this session was signed in through the SSO provider."""
    return any(
        record.get("method") == "socialaccount"
        for record in get_authentication_records(request, request.user)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """Open only to an invited address or one of a domain a team allows."""
        return may_join(_verified_email(sociallogin))

    def populate_user(self, request: HttpRequest, sociallogin, data: dict) -> User:
        """Take the person's name from the provider as their display name."""
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(str(data.get("name") or "").split())[:120]
        if name and not user.display_name:
            user.display_name = one_line(name)
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None) -> User:
        """Create the account, then join the teams the person was invited to or may join."""
        user = super().save_user(request, sociallogin, form)
        join_teams(user=user)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        """An existing person signing in by SSO also joins teams that invited them since."""
        if sociallogin.is_existing:
            join_teams(user=sociallogin.user)

    def get_requests_session(self) -> http.BoundedSession:
        """Talk to the provider through the URL guard, with a byte cap and a deadline."""
        return http.bounded_session(
            max_bytes=PROVIDER_MAX_BYTES, timeout=settings.URL_FETCH_TIMEOUT
        )
