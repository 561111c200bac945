"""Team membership services: invitations, roles, removal and escalation contacts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.errors import (  # noqa: F401 (callers read them from here too)
    AccountsError,
    AlreadyMember,
    InvitationInvalid,
    LastManager,
    WrongAccount,
)
from accounts.models import EscalationContact, Invitation, Membership, Role, Team, User
from rota import outbox


def hash_token(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ContactData:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


def invite(*, team: Team, email: str, role: str, invited_by: User) -> tuple[Invitation, str]:
    """Create an invitation, email its link, and return it with the one-time token."""
    email = email.strip().lower()
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise AlreadyMember(f"{email} is already a member of {team.name}.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new invitation replaces any pending one for the same address.
        Invitation.objects.filter(
            team=team, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            team=team,
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        audit.record(
            action="invitation.sent",
            summary=f"{invited_by.name} invited {email} as {role}",
            actor=invited_by,
            team=team,
            target=invitation,
        )
    link = settings.SITE_URL + reverse("invitation", args=[token])
    context = {"team": team, "invitation": invitation, "link": link, "inviter": invited_by}
    # The email waits in the outbox: it is sent after commit and retried until it goes.
    outbox.mail(
        key=f"invitation:{invitation.pk}",
        kind="invitation",
        subject=f"[Rota] You are invited to {team.name}",
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[email],
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """Return the usable invitation for a token, or raise InvitationInvalid saying why."""
    invitation = (
        Invitation.objects.select_related("team").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used", invitation)
    if invitation.revoked_at is not None:
        raise InvitationInvalid("revoked", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired", invitation)
    return invitation


@transaction.atomic
def accept_invitation(
    *, token: str, user: User | None = None, password: str = "", display_name: str = ""
) -> Membership:
    """Join the team of the invitation, creating the account when the person has none."""
    invitation = invitation_for_token(token)
    # Claim the invitation race-free: only one request can flip accepted_at.
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if claimed != 1:
        raise InvitationInvalid("used", invitation)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise WrongAccount("An account with this address exists: sign in first.")
        user = User.objects.create_user(
            invitation.email, password, display_name=display_name.strip()
        )
        _mark_email_verified(user)
    elif user.email.lower() != invitation.email.lower():
        raise WrongAccount(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, team=invitation.team, role=invitation.role
            )
    except IntegrityError:
        raise AlreadyMember(f"You are already a member of {invitation.team.name}.") from None
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    audit.record(
        action="invitation.accepted",
        summary=f"{user.name} joined {invitation.team.name} as {invitation.role}",
        actor=user,
        team=invitation.team,
        target=membership,
    )
    return membership


def _mark_email_verified(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    """Make a pending invitation link unusable."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit.record(
        action="invitation.revoked",
        summary=f"{by.name} revoked the invitation of {invitation.email}",
        actor=by,
        team=invitation.team,
        target=invitation,
    )


def _ensure_another_manager(membership: Membership) -> None:
    others = Membership.objects.managers().filter(team=membership.team).exclude(pk=membership.pk)
    if membership.is_manager and not others.exists():
        raise LastManager(f"{membership.team.name} needs at least one manager.")


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Make a member an engineer or a manager."""
    if role not in Role.values:
        raise AccountsError(f"Unknown role {role!r}.")
    membership = (
        Membership.objects.select_for_update().select_related("user", "team").get(pk=membership.pk)
    )
    if membership.role == role:
        return membership
    if role != Role.MANAGER:
        _ensure_another_manager(membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        action="member.role_changed",
        summary=f"{by.name} changed {membership.user.name} from {old} to {role}",
        actor=by,
        team=membership.team,
        target=membership,
        old=old,
        new=role,
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    """Remove a person from the team, keeping at least one manager."""
    membership = (
        Membership.objects.select_for_update().select_related("user", "team").get(pk=membership.pk)
    )
    _ensure_another_manager(membership)
    audit.record(
        action="member.removed",
        summary=f"{by.name} removed {membership.user.name}",
        actor=by,
        team=membership.team,
        target=membership,
        user_id=membership.user_id,
    )
    membership.delete()


@transaction.atomic
def set_escalation_contacts(*, team: Team, contacts: list[ContactData], by: User) -> None:
    """Replace the team's escalation contacts with this ordered list."""
    team.escalation_contacts.all().delete()
    EscalationContact.objects.bulk_create(
        EscalationContact(team=team, position=index, **contact.__dict__)
        for index, contact in enumerate(contacts)
    )
    audit.record(
        action="team.escalation_changed",
        summary=f"{by.name} set {len(contacts)} escalation contact(s)",
        actor=by,
        team=team,
        target=team,
        contacts=[contact.__dict__ for contact in contacts],
    )


def update_team_settings(*, team: Team, by: User, **fields: object) -> Team:
    """Change a team's name, time zone or MFA requirement."""
    for name, value in fields.items():
        setattr(team, name, value)
    team.full_clean()
    team.save()
    audit.record(
        action="team.settings_changed",
        summary=f"{by.name} changed the team settings",
        actor=by,
        team=team,
        target=team,
        fields=sorted(fields),
    )
    return team
