"""Handover notes, per-team API tokens, reminder bookkeeping and reminder preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Team, User
from rota.text import validate_single_line
from scheduling.rotas.models import Shift


class HandoverNote(models.Model):
    """What the outgoing holder of a shift tells the people who take over after it."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="handover_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shift__starts_at", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "author"], name="one_handover_note_per_author")
        ]

    def __str__(self) -> str:
        return f"Handover note by {self.author_id} on {self.shift}"


class TeamApiTokenQuerySet(models.QuerySet):
    def active(self) -> TeamApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class TeamApiToken(models.Model):
    """A bearer token with which an alerting tool asks who is on call; only its SHA-256 is kept."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=80,
        help_text='What uses it, e.g. "PagerDuty bridge".',
        validators=[validate_single_line],
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=12, help_text="The first characters, to recognise the token."
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TeamApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["revoked_at", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.team}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReminderKind(models.TextChoices):
    SHIFT_24H = "shift_24h", "Shift starts in 24 hours"
    SHIFT_1H = "shift_1h", "Shift starts in 1 hour"
    UNFILLED = "unfilled", "Unfilled seats within 7 days"
    HANDOVER_MISSING = "handover_missing", "Handover note missing"


class ReminderSent(models.Model):
    """One reminder claimed for one person; the unique row makes every reminder go out once."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=80, help_text="What the reminder is about, e.g. seat:12.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "user"], name="one_reminder_per_person")
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.user_id}"


class ReminderPreferences(models.Model):
    """Which reminders a person wants; a person without a row gets all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    shift_start = models.BooleanField("shift starts (24 h and 1 h before)", default=True)
    unfilled = models.BooleanField("unfilled seats in my teams' rotas (managers)", default=True)
    handover_missing = models.BooleanField(
        "handover note still missing before my handoff", default=True
    )

    class Meta:
        verbose_name_plural = "reminder preferences"

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user_id}"

    @classmethod
    def wants(cls, user_ids: set[int], field: str) -> set[int]:
        """Return those of the users who have not opted out of the reminder in field."""
        opted_out = set(
            cls.objects.filter(user_id__in=user_ids, **{field: False}).values_list(
                "user_id", flat=True
            )
        )
        return set(user_ids) - opted_out


class Handoff(models.Model):
    """Outbox: a team role's holder changed at a shift boundary; recorded once per key."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="handoffs")
    role = models.CharField(max_length=10)
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    key = models.CharField(max_length=120, unique=True, help_text="team:role:boundary instant.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "role"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.previous_user_id} → {self.user_id}"


class HandoffScan(models.Model):
    """How far the handoff scan got; one row, locked while a scan runs."""

    name = models.CharField(max_length=20, unique=True, default="default")
    scanned_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"Handoffs scanned until {self.scanned_until:%Y-%m-%d %H:%M}Z"
