"""Users, teams, memberships, escalation contacts, invitations and audit entries."""

from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone

from accounts.validators import validate_email_domains, validate_phone, validate_timezone
from rota.text import validate_single_line


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        """Create a user whose login is the email address."""
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        """Create a staff superuser."""
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; the profile fields live here so every page gets them without a join."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    timezone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    oncall_phone = models.CharField(
        "on-call phone",
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text="The one number to ring while you are on duty, in international form.",
    )
    notification_email = models.EmailField(
        blank=True, help_text="Where Rota sends your mail; your sign-in address when empty."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the display name, falling back to the email address."""
        return self.display_name or self.email

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """Return the person's time zone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def contact_email(self) -> str:
        """Return the address to send notifications to."""
        return self.notification_email or self.email


class Team(models.Model):
    name = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(unique=True)
    timezone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_timezone]
    )
    require_mfa = models.BooleanField(
        "require two-factor authentication",
        default=False,
        help_text="Members must set up an authenticator app before using Rota.",
    )
    require_sso = models.BooleanField(
        "require single sign-on",
        default=False,
        help_text="Members must sign in through the organisation's single sign-on.",
    )
    sso_domains = models.CharField(
        "single sign-on email domains",
        max_length=300,
        blank=True,
        validators=[validate_email_domains],
        help_text=(
            "Comma-separated, e.g. example.com. People with a verified address at one of "
            "these domains join the team as engineers by signing in with single sign-on."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sso_domain_list(self) -> list[str]:
        """Return the email domains whose people may join by single sign-on, lower-cased."""
        return [d.strip().lower() for d in self.sso_domains.split(",") if d.strip()]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """Return the team's time zone, in which shifts are computed."""
        return zoneinfo.ZoneInfo(self.timezone)


class EscalationContact(models.Model):
    """Whom to call, in order, when the people on call need help."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="escalation_contacts")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120, validators=[validate_single_line])
    role = models.CharField(
        max_length=120,
        blank=True,
        help_text="e.g. Engineering manager",
        validators=[validate_single_line],
    )
    phone = models.CharField(max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["team", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Role(models.TextChoices):
    ENGINEER = "engineer", "Engineer"
    MANAGER = "manager", "Manager"


class MembershipQuerySet(models.QuerySet):
    def managers(self) -> MembershipQuerySet:
        return self.filter(role=Role.MANAGER)

    def engineers(self) -> MembershipQuerySet:
        return self.filter(role=Role.ENGINEER)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ENGINEER)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team")
        ]
        ordering = ["team", "user__display_name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


class Invitation(models.Model):
    """An expiring, single-use invitation to join a team; only the token's hash is stored."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ENGINEER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.team}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > dj_timezone.now()
        )


class AuditEntry(models.Model):
    """Who did what to which object, and when; written by services, never edited."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=dj_timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["team", "-at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"
